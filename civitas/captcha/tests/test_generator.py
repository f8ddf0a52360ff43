"""The question generator and the number words, on their own (framework-free modules)."""

import random
import re

import pytest

from civitas.captcha import generator, numbers
from civitas.captcha.folding import fold_answer
from civitas.captcha.generator import FAMILIES, generate, words

LOCALES = ("fr", "en")


@pytest.mark.parametrize("locale", LOCALES)
def test_word_lists_are_large_plain_and_free_of_duplicates(locale):
    vocabulary = words(locale)
    assert len(vocabulary) >= 2500
    assert len(set(vocabulary)) == len(vocabulary)
    assert all(re.fullmatch(r"[a-zàâçéèêëîïôûùüÿœ]{4,10}", word) for word in vocabulary)
    assert not {"merde", "putain", "fuck", "shit", "kill", "mort", "sexe", "nazi"} & set(vocabulary)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_same_seed_gives_the_same_question(locale):
    assert generate(random.Random(42), locale) == generate(random.Random(42), locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_thousands_of_variants(locale):
    # The old bank had 107 questions; 2,000 draws give about as many different ones.
    texts = {generate(random.Random(seed), locale).text for seed in range(2000)}
    assert len(texts) >= 1800


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("family", FAMILIES, ids=lambda family: family.__name__)
def test_every_family_asks_a_question_with_an_answer(family, locale):
    for seed in range(200):
        question = family(random.Random(seed), locale)
        assert question.text.strip() and question.answers and "" not in question.answers
        assert all(answer == fold_answer(answer) for answer in question.answers)


def _listed(text: str) -> list[str]:
    return [word.strip(" ?") for word in re.split(r"[:：] ", text, maxsplit=1)[1].split(", ")]


def test_nth_word_answer_is_the_word_at_that_place():
    ordinals = {"premier": 0, "deuxième": 1, "troisième": 2, "quatrième": 3, "cinquième": 4, "sixième": 5}
    ordinals |= {"septième": 6}
    for seed in range(300):
        question = generator.nth_word(random.Random(seed), "fr")
        listed = _listed(question.text)
        ordinal = question.text.split()[3]
        expected = listed[-1] if ordinal == "dernier" else listed[ordinals[ordinal]]
        assert question.accepts(expected)
        assert sum(question.accepts(word) for word in listed) == 1


def test_initial_has_exactly_one_word_with_the_letter():
    for seed in range(300):
        question = generator.initial(random.Random(seed), "en")
        letter = re.search(r"letter “(\w)”", question.text).group(1).lower()
        starting = [word for word in _listed(question.text) if fold_answer(word).startswith(letter)]
        assert len(starting) == 1 and question.accepts(starting[0])


def test_reverse_and_letter_count():
    for seed in range(100):
        reversed_question = generator.reverse(random.Random(seed), "fr")
        word = re.search(r"« (\w+) »", reversed_question.text).group(1)
        assert reversed_question.accepts(word[::-1].upper())
        assert not reversed_question.accepts(word) or word == word[::-1]
        counted = generator.letter_count(random.Random(seed), "fr")
        word = re.search(r"« (\w+) »", counted.text).group(1)
        assert counted.accepts(str(len(word))) and counted.accepts(numbers.french(len(word)))


def test_arithmetic_is_right_and_accepts_digits_or_words():
    for seed in range(300):
        question = generator.arithmetic(random.Random(seed), "fr")
        words_used = re.match(
            r"Combien font (.+) (plus|moins|fois) (.+) \?", question.text.split(" ? ")[0] + " ?"
        )
        value = {numbers.french(n): n for n in range(101)}
        a, op, b = value[words_used.group(1)], words_used.group(2), value[words_used.group(3)]
        result = {"plus": a + b, "moins": a - b, "fois": a * b}[op]
        assert question.accepts(str(result))
        assert question.accepts(numbers.french(result).upper())
        assert question.accepts(numbers.english(result))
        assert not question.accepts(str(result + 1))


def test_extreme_number():
    for seed in range(100):
        question = generator.extreme(random.Random(seed), "en")
        drawn = [int(n) for n in re.findall(r"\d+", question.text)]
        expected = max(drawn) if "largest" in question.text else min(drawn)
        assert question.accepts(str(expected)) and question.accepts(numbers.english(expected))


@pytest.mark.parametrize(
    ("number", "french", "english"),
    [
        (0, "zéro", "zero"),
        (17, "dix-sept", "seventeen"),
        (21, "vingt et un", "twenty-one"),
        (70, "soixante-dix", "seventy"),
        (71, "soixante et onze", "seventy-one"),
        (80, "quatre-vingts", "eighty"),
        (81, "quatre-vingt-un", "eighty-one"),
        (91, "quatre-vingt-onze", "ninety-one"),
        (100, "cent", "one hundred"),
    ],
)
def test_number_words(number, french, english):
    assert numbers.french(number) == french
    assert numbers.english(number) == english


@pytest.mark.parametrize(
    "typed", ["71", "soixante et onze", "Soixante-et-onze", "septante et un", "seventy one"]
)
def test_numbers_in_any_accepted_spelling(typed):
    assert fold_answer(typed) in numbers.accepted_answers(71)


def test_numbers_out_of_range_are_refused():
    with pytest.raises(ValueError):
        numbers.french(101)
