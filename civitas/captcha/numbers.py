"""Numbers from 0 to 100 written in French and English words, and every spelling we accept.

Framework-free. Questions write their numbers in words ("Combien font sept plus douze ?");
answers may be typed in digits or in words of either language, with or without hyphens,
in the 1990 spelling ("vingt-et-un") or with the Belgian and Swiss tens ("septante").
"""

from functools import cache

from civitas.captcha.folding import fold_answer

HIGHEST = 100

_FR_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
_FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
# Belgium and Switzerland count 70, 80 and 90 in one word.
_FR_REGIONAL_TENS = {7: ("septante",), 8: ("huitante", "octante"), 9: ("nonante",)}

_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = {
    2: "twenty",
    3: "thirty",
    4: "forty",
    5: "fifty",
    6: "sixty",
    7: "seventy",
    8: "eighty",
    9: "ninety",
}


def _check(number: int) -> None:
    if not 0 <= number <= HIGHEST:
        raise ValueError(f"{number} is outside 0–{HIGHEST}")


def _fr_regular_tens(tens_word: str, unit: int) -> str:
    """20–69 and the regional 70–99: "vingt", "vingt et un", "vingt-deux"."""
    if unit == 0:
        return tens_word
    if unit == 1:
        return f"{tens_word} et un"
    return f"{tens_word}-{_FR_UNITS[unit]}"


def french(number: int) -> str:
    """The number as written in France: 71 "soixante et onze", 80 "quatre-vingts"."""
    _check(number)
    if number < 20:
        return _FR_UNITS[number]
    if number == HIGHEST:
        return "cent"
    tens, unit = divmod(number, 10)
    if tens <= 6:
        return _fr_regular_tens(_FR_TENS[tens], unit)
    if tens == 7:
        return "soixante et onze" if unit == 1 else f"soixante-{_FR_UNITS[10 + unit]}"
    if number == 80:
        return "quatre-vingts"
    rest = number - 80
    return f"quatre-vingt-{_FR_UNITS[rest]}"


def english(number: int) -> str:
    _check(number)
    if number < 20:
        return _EN_UNITS[number]
    if number == HIGHEST:
        return "one hundred"
    tens, unit = divmod(number, 10)
    return _EN_TENS[tens] if unit == 0 else f"{_EN_TENS[tens]}-{_EN_UNITS[unit]}"


def in_words(number: int, locale: str) -> str:
    return english(number) if locale == "en" else french(number)


@cache
def accepted_answers(number: int) -> frozenset[str]:
    """Every folded spelling of the number a person may type."""
    _check(number)
    spellings = {str(number), french(number), english(number)}
    tens, unit = divmod(number, 10)
    for regional in _FR_REGIONAL_TENS.get(tens, ()):
        spellings.add(_fr_regular_tens(regional, unit))
    if number == 1:
        spellings.add("une")
    if number == 80:
        spellings.add("quatre-vingt")
    if number == HIGHEST:
        spellings.add("hundred")  # "a hundred" folds to this too
    return frozenset(fold_answer(spelling) for spelling in spellings)
