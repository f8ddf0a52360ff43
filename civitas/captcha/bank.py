"""Which question a challenge asks: a generated one, or now and then the organization's own."""

import random

from civitas.captcha.folding import fold_answer
from civitas.captcha.generator import LOCALES, Question, generate

# How often an organization that wrote questions in the visitor's language has one of
# them asked. Its questions form a short list that anyone can read and answer once
# for all, so they season the generated questions rather than replace them.
ORGANIZATION_SHARE = 0.2


def _organization_questions(organization, locale: str) -> list:
    if organization is None:
        return []
    return list(
        organization.captcha_questions.filter(locale=locale, is_active=True)
        .order_by("pk")
        .only("question", "answers")
    )


def build_question(rng: random.Random, locale: str, organization) -> Question:
    """The question that ``rng`` draws; the same generator state always gives the same question."""
    locale = locale if locale in LOCALES else "fr"
    # Drawn first and always, so that a question asked before an admin adds or removes
    # questions is rebuilt the same unless the organization's list itself is drawn from.
    draw = rng.random()
    own = _organization_questions(organization, locale)
    if own and draw < ORGANIZATION_SHARE:
        custom = rng.choice(own)
        return Question(custom.question, frozenset(map(fold_answer, custom.answer_list)) - {""})
    return generate(rng, locale)
