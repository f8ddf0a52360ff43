"""Questions made up on the spot from templates, random numbers and large word lists.

Framework-free. Each family draws its parameters from a random generator it is given:
the same generator state gives the same question, so the server can ask a question,
keep nothing, and rebuild it when the answer arrives (see ``challenge.py``).

No finite table answers these questions: a list question alone has about 3,000⁶
variants. They stop generic bots that fill any form they find, not a script written
for Civitas, which can parse the templates below: the README says so and the rate
limits, the e-mail confirmation and the spam model are what hold such a script back.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from civitas.captcha import numbers
from civitas.captcha.folding import fold_answer

WORDS_DIR = Path(__file__).parent / "words"
LOCALES = ("fr", "en")


@dataclass(frozen=True)
class Question:
    text: str
    answers: frozenset[str]  # already folded

    def accepts(self, typed: str) -> bool:
        folded = fold_answer(typed)
        return bool(folded) and folded in self.answers


@cache
def words(locale: str) -> tuple[str, ...]:
    return tuple((WORDS_DIR / f"{locale}.txt").read_text(encoding="utf-8").split())


def _word_answer(word: str) -> frozenset[str]:
    return frozenset({fold_answer(word)})


def _number_question(text: str, number: int) -> Question:
    return Question(text, numbers.accepted_answers(number))


def _distinct_words(rng: random.Random, locale: str, count: int) -> list[str]:
    """Words that no folding makes equal ("élève" and "élevé" are not drawn together)."""
    chosen: dict[str, str] = {}
    vocabulary = words(locale)
    while len(chosen) < count:
        word = rng.choice(vocabulary)
        chosen.setdefault(fold_answer(word), word)
    return list(chosen.values())


_TEXTS = {
    "arithmetic": {
        "fr": "Combien font {a} {op} {b} ? Répondez en chiffres ou en lettres.",
        "en": "What is {a} {op} {b}? Answer in digits or in words.",
    },
    "operators": {"fr": ("plus", "moins", "fois"), "en": ("plus", "minus", "times")},
    "nth_word": {
        "fr": "Quel est le {ordinal} mot de cette liste : {words} ?",
        "en": "What is the {ordinal} word in this list: {words}?",
    },
    "ordinals": {
        "fr": ("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième"),
        "en": ("first", "second", "third", "fourth", "fifth", "sixth", "seventh"),
    },
    "last": {"fr": "dernier", "en": "last"},
    "reverse": {
        "fr": "Écrivez le mot « {word} » à l'envers, en commençant par sa dernière lettre.",
        "en": "Write the word “{word}” backwards, starting with its last letter.",
    },
    "letter_count": {
        "fr": "Combien de lettres compte le mot « {word} » ? Répondez en chiffres ou en lettres.",
        "en": "How many letters are in the word “{word}”? Answer in digits or in words.",
    },
    "extreme": {
        "fr": "Quel est le plus {which} de ces nombres : {numbers} ?",
        "en": "Which is the {which} of these numbers: {numbers}?",
    },
    "extremes": {"fr": ("grand", "petit"), "en": ("largest", "smallest")},
    "initial": {
        "fr": "Quel mot de cette liste commence par la lettre « {letter} » : {words} ?",
        "en": "Which word in this list begins with the letter “{letter}”: {words}?",
    },
}


def arithmetic(rng: random.Random, locale: str) -> Question:
    operator = rng.randrange(3)
    if operator == 2:
        a, b = rng.randint(2, 10), rng.randint(2, 10)
        result = a * b
    else:
        a, b = rng.randint(0, 50), rng.randint(0, 50)
        if operator == 1 and a < b:
            a, b = b, a
        result = a + b if operator == 0 else a - b
    text = _TEXTS["arithmetic"][locale].format(
        a=numbers.in_words(a, locale),
        op=_TEXTS["operators"][locale][operator],
        b=numbers.in_words(b, locale),
    )
    return _number_question(text, result)


def nth_word(rng: random.Random, locale: str) -> Question:
    listed = _distinct_words(rng, locale, rng.randint(4, 7))
    position = rng.randrange(len(listed))
    ordinal = _TEXTS["ordinals"][locale][position]
    if position == len(listed) - 1 and rng.random() < 0.5:
        ordinal = _TEXTS["last"][locale]
    text = _TEXTS["nth_word"][locale].format(ordinal=ordinal, words=", ".join(listed))
    return Question(text, _word_answer(listed[position]))


def reverse(rng: random.Random, locale: str) -> Question:
    word = rng.choice(words(locale))
    return Question(_TEXTS["reverse"][locale].format(word=word), _word_answer(word[::-1]))


@cache
def _countable_words(locale: str) -> tuple[str, ...]:
    # "œ" is one letter to some, two to others: such words are not asked about.
    return tuple(word for word in words(locale) if "œ" not in word)


def letter_count(rng: random.Random, locale: str) -> Question:
    word = rng.choice(_countable_words(locale))
    return _number_question(_TEXTS["letter_count"][locale].format(word=word), len(word))


def extreme(rng: random.Random, locale: str) -> Question:
    drawn = rng.sample(range(1, 100), rng.randint(4, 6))
    largest = rng.random() < 0.5
    which = _TEXTS["extremes"][locale][0 if largest else 1]
    text = _TEXTS["extreme"][locale].format(which=which, numbers=", ".join(map(str, drawn)))
    return _number_question(text, max(drawn) if largest else min(drawn))


def initial(rng: random.Random, locale: str) -> Question:
    """One word of the list, and only one, begins with the letter asked."""
    count = rng.randint(4, 6)
    target = rng.choice(words(locale))
    letter = fold_answer(target)[0]
    chosen = {fold_answer(target): target}
    while len(chosen) < count:
        word = rng.choice(words(locale))
        if fold_answer(word)[0] != letter:
            chosen.setdefault(fold_answer(word), word)
    listed = list(chosen.values())
    rng.shuffle(listed)
    text = _TEXTS["initial"][locale].format(letter=letter.upper(), words=", ".join(listed))
    return Question(text, _word_answer(target))


FAMILIES: tuple[Callable[[random.Random, str], Question], ...] = (
    arithmetic,
    nth_word,
    reverse,
    letter_count,
    extreme,
    initial,
)


def generate(rng: random.Random, locale: str) -> Question:
    """A question of a random family, in French unless English is asked for."""
    locale = locale if locale in LOCALES else "fr"
    return rng.choice(FAMILIES)(rng, locale)
