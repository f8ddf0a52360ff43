"""The questions a visitor may be asked: the shipped bank plus the organization's own."""

import json
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from civitas.captcha.folding import fold_answer

QUESTIONS_DIR = Path(__file__).parent / "questions"
CUSTOM_PREFIX = "org-"


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    answers: frozenset[str]  # already folded

    def accepts(self, typed: str) -> bool:
        folded = fold_answer(typed)
        return bool(folded) and folded in self.answers


@cache
def builtin_questions(locale: str) -> dict[str, Question]:
    path = QUESTIONS_DIR / f"{locale}.json"
    if not path.exists():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {
        entry["id"]: Question(entry["id"], entry["question"], frozenset(map(fold_answer, entry["answers"])))
        for entry in entries
    }


def _custom_question(custom) -> Question:
    return Question(
        f"{CUSTOM_PREFIX}{custom.pk}", custom.question, frozenset(map(fold_answer, custom.answer_list))
    )


def find_question(key: str, locale: str, organization) -> Question | None:
    if key.startswith(CUSTOM_PREFIX):
        if organization is None:
            return None
        custom = organization.captcha_questions.filter(pk=key.removeprefix(CUSTOM_PREFIX)).first()
        return _custom_question(custom) if custom else None
    return builtin_questions(locale).get(key)


def _choose(candidates):
    """The one place randomness enters, so tests can steer it."""
    return secrets.choice(candidates)


def pick_question(locale: str, organization) -> Question:
    """A random active question in the visitor's language, custom ones included."""
    candidates = [(key, None) for key in builtin_questions(locale)]
    if organization is not None:
        custom_ids = organization.captcha_questions.filter(locale=locale, is_active=True).values_list(
            "pk", flat=True
        )
        candidates += [(f"{CUSTOM_PREFIX}{pk}", pk) for pk in custom_ids]
    if not candidates:
        candidates = [(key, None) for key in builtin_questions("fr")]
        locale = "fr"
    key, _custom_id = _choose(candidates)
    return find_question(key, locale, organization)
