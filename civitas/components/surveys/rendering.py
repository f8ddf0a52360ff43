"""What templates need to draw a questionnaire: each field with its current values."""

from dataclasses import dataclass, field

from civitas.components.surveys.models import CHOICE_TYPES, MATRIX_TYPES, QuestionType
from civitas.components.surveys.questionnaire import max_length_of


@dataclass
class OptionView:
    key: str
    label: str
    free_text: bool
    checked: bool = False
    rank: str = ""


@dataclass
class RowView:
    key: str
    label: str
    name: str
    cells: list[OptionView] = field(default_factory=list)


@dataclass
class QuestionView:
    question: object
    key: str
    type: str
    number: int
    value: str = ""
    other: str = ""
    error: str = ""
    options: list[OptionView] = field(default_factory=list)
    rows: list[RowView] = field(default_factory=list)
    scale: list[OptionView] = field(default_factory=list)
    max_length: int = 0
    condition_key: str = ""
    condition_option: str = ""
    condition_negated: bool = False
    condition_label: str = ""


def _values(data, name: str) -> list[str]:
    if data is None:
        return []
    if hasattr(data, "getlist"):
        return data.getlist(name)
    value = data.get(name, [])
    return value if isinstance(value, list) else [value]


def question_views(questions, data=None, errors=None) -> list[QuestionView]:
    errors = errors or {}
    questions = list(questions)
    by_option = {option.pk: (question, option) for question in questions for option in question.options.all()}
    views, number = [], 0
    for question in questions:
        kind = question.type
        if kind != QuestionType.SECTION:
            number += 1
        key = question.key
        first = (_values(data, key) or [""])[0]
        view = QuestionView(
            question=question,
            key=key,
            type=kind,
            number=number,
            value=first,
            other=(_values(data, f"{key}_other") or [""])[0],
            error=errors.get(key, ""),
        )
        if kind in CHOICE_TYPES or kind == QuestionType.RANKING:
            chosen = set(_values(data, key))
            for option in question.options.all():
                view.options.append(
                    OptionView(
                        option.key,
                        option.label,
                        option.free_text,
                        checked=option.key in chosen,
                        rank=(_values(data, f"{key}_{option.key}") or [""])[0],
                    )
                )
        if kind in MATRIX_TYPES:
            columns = list(question.options.all())
            for row in question.rows.all():
                name = f"{key}_{row.key}"
                chosen = set(_values(data, name))
                view.rows.append(
                    RowView(
                        row.key,
                        row.label,
                        name,
                        [OptionView(c.key, c.label, False, checked=c.key in chosen) for c in columns],
                    )
                )
        if kind == QuestionType.SCALE:
            view.scale = [
                OptionView(str(value), str(value), False, checked=first == str(value))
                for value in range(question.scale_min, question.scale_max + 1)
            ]
        if kind in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
            view.max_length = max_length_of(question)
        if question.condition_option_id and question.condition_option_id in by_option:
            condition_question, option = by_option[question.condition_option_id]
            view.condition_key = condition_question.key
            view.condition_option = option.key
            view.condition_negated = question.condition_negated
            view.condition_label = option.label
        views.append(view)
    return views
