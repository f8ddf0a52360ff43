"""Reading a questionnaire's answers: one validation for the web form, keying and CSV.

Field names are the same everywhere (the HTML form, the keying form, CSV headers):

    q12                 text, single choice, scale; multiple choice (repeated or "a|b" in CSV)
    q12_other           the text of an "Other: …" option
    q12_r5              one matrix row (repeated for several answers per row)
    q12_o7              the rank (1, 2, …) given to an option of a ranking question

Options are written by their key (``o7``). The result is the sealed payload described
in :mod:`civitas.sealing.kinds.survey`.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.components.surveys.models import CHOICE_TYPES, MATRIX_TYPES, QuestionType
from civitas.core import serials

DEFAULT_MAX_LENGTH = {QuestionType.SHORT_TEXT: 250, QuestionType.LONG_TEXT: 5000}
OTHER_MAX_LENGTH = 500


def max_length_of(question) -> int:
    return question.max_length or DEFAULT_MAX_LENGTH.get(question.type, OTHER_MAX_LENGTH)


def definition_of(survey) -> dict:
    """The questionnaire as the tally and the published file see it."""
    questions = []
    for question in survey.ordered_questions():
        item = {
            "id": question.key,
            "type": question.type,
            "label": question.label,
            "mandatory": question.mandatory,
            "options": [
                {"id": option.key, "label": option.label, "free_text": option.free_text}
                for option in question.options.all()
            ],
            "rows": [{"id": row.key, "label": row.label} for row in question.rows.all()],
            "condition": (
                {"option": f"o{question.condition_option_id}", "negated": question.condition_negated}
                if question.condition_option_id
                else None
            ),
        }
        if question.type == QuestionType.SCALE:
            item["min"], item["max"] = question.scale_min, question.scale_max
        if question.type == QuestionType.MULTIPLE and question.max_choices:
            item["max_choices"] = question.max_choices
        if question.type in DEFAULT_MAX_LENGTH:
            item["max_length"] = max_length_of(question)
        questions.append(item)
    return {"title": survey.component.name, "questions": questions}


@dataclass
class Result:
    payload: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.errors


def _chosen_options(payload: dict, question) -> set[str]:
    value = payload.get(question.key)
    if question.type == QuestionType.SINGLE and isinstance(value, dict):
        return {value.get("choice")}
    if question.type == QuestionType.MULTIPLE and isinstance(value, dict):
        return set(value.get("choices") or [])
    return set()


def is_shown(question, payload: dict, by_option: dict) -> bool:
    """Display condition: shown when an earlier answer is (or is not) a given option."""
    if not question.condition_option_id:
        return True
    condition_question = by_option.get(question.condition_option_id)
    if condition_question is None:  # the option was deleted: nothing to depend on
        return True
    chosen = f"o{question.condition_option_id}" in _chosen_options(payload, condition_question)
    return chosen != question.condition_negated


def _get(data, name: str) -> str:
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _getlist(data, name: str) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    if isinstance(values, str):
        values = [values]
    result = []
    for value in values:
        value = value.strip() if isinstance(value, str) else ""
        if value and value not in result:
            result.append(value)
    return result


def read_answers(questions, data) -> Result:
    """Validate submitted data against the questions; the payload only if it is all valid."""
    questions = list(questions)
    by_option = {option.pk: question for question in questions for option in question.options.all()}
    result = Result()
    for question in questions:
        if question.type == QuestionType.SECTION:
            continue
        if not is_shown(question, result.payload, by_option):
            result.hidden.add(question.key)
            continue
        value, error = _read_one(question, data)
        if error:
            result.errors[question.key] = error
        elif value is None:
            if question.mandatory:
                result.errors[question.key] = _("This question requires an answer.")
        else:
            result.payload[question.key] = value
    if result.errors:
        result.payload = {}
    return result


def _read_other(question, data, option_key: str, options: dict) -> tuple[str | None, str | None]:
    option = options[option_key]
    if not option.free_text:
        return None, None
    text = _get(data, f"{question.key}_other")
    if not text:
        return None, _("Please say what “%(option)s” means for you.") % {"option": option.label}
    if len(text) > OTHER_MAX_LENGTH:
        return None, _too_long(len(text), OTHER_MAX_LENGTH)
    if not _fits_the_padding(text, OTHER_MAX_LENGTH):
        return None, _too_wide(OTHER_MAX_LENGTH)
    return text, None


def _too_long(length: int, maximum: int) -> str:
    return ngettext(
        "This answer is too long: %(length)s characters, at most %(maximum)s allowed.",
        "This answer is too long: %(length)s characters, at most %(maximum)s allowed.",
        maximum,
    ) % {"length": length, "maximum": maximum}


def _fits_the_padding(text: str, maximum: int) -> bool:
    """Whether the text's bytes in the encrypted record stay within what its question
    reckons (see _BYTES_PER_CHARACTER): beyond, the record's size would tell it apart."""
    return len(json.dumps(text, ensure_ascii=False).encode()) - 2 <= maximum * _BYTES_PER_CHARACTER


def _too_wide(maximum: int) -> str:
    return ngettext(
        "This answer takes more room than its %(maximum)s character allows: characters such as "
        "emoji or Chinese and Japanese characters count for two. Please shorten it.",
        "This answer takes more room than its %(maximum)s characters allow: characters such as "
        "emoji or Chinese and Japanese characters count for two. Please shorten it.",
        maximum,
    ) % {"maximum": maximum}


def _unknown_option() -> str:
    return _("This answer is not one of the options of the question.")


def _read_one(question, data):  # noqa: C901 - one branch per question type reads best
    key = question.key
    options = {option.key: option for option in question.options.all()}
    kind = question.type
    if kind in DEFAULT_MAX_LENGTH:
        text = _get(data, key)
        if not text:
            return None, None
        maximum = max_length_of(question)
        if len(text) > maximum:
            return None, _too_long(len(text), maximum)
        if not _fits_the_padding(text, maximum):
            return None, _too_wide(maximum)
        return text, None
    if kind in CHOICE_TYPES:
        chosen = _getlist(data, key)
        if not chosen:
            return None, None
        if any(choice not in options for choice in chosen):
            return None, _unknown_option()
        if kind == QuestionType.SINGLE and len(chosen) > 1:
            return None, _("Choose only one answer.")
        if kind == QuestionType.MULTIPLE and question.max_choices and len(chosen) > question.max_choices:
            return None, ngettext(
                "Choose at most %(count)s answer.", "Choose at most %(count)s answers.", question.max_choices
            ) % {"count": question.max_choices}
        value = {"choice": chosen[0]} if kind == QuestionType.SINGLE else {"choices": chosen}
        for choice in chosen:
            other, error = _read_other(question, data, choice, options)
            if error:
                return None, error
            if other:
                value["other"] = other
        return value, None
    if kind in MATRIX_TYPES:
        rows = list(question.rows.all())
        value = {}
        for row in rows:
            chosen = _getlist(data, f"{key}_{row.key}")
            if any(choice not in options for choice in chosen):
                return None, _unknown_option()
            if kind == QuestionType.MATRIX_SINGLE:
                if len(chosen) > 1:
                    return None, _("Choose only one answer per row.")
                if chosen:
                    value[row.key] = chosen[0]
            elif chosen:
                value[row.key] = chosen
        if not value:
            return None, None
        if question.mandatory and len(value) < len(rows):
            return None, _("Answer every row of this question.")
        return value, None
    if kind == QuestionType.RANKING:
        ranks = {}
        for option_key in options:
            raw = _get(data, f"{key}_{option_key}")
            if not raw:
                continue
            try:
                rank = int(raw)
            except ValueError:
                return None, _("A rank must be a whole number.")
            ranks[option_key] = rank
        unexpected = {name for name in _field_names(data) if name.startswith(f"{key}_o")} - {
            f"{key}_{option_key}" for option_key in options
        }
        if unexpected:
            return None, _unknown_option()
        if not ranks:
            return None, None
        if sorted(ranks.values()) != list(range(1, len(ranks) + 1)):
            return None, _("Give the ranks 1, 2, 3… each once, without gaps.")
        if question.mandatory and len(ranks) < len(options):
            return None, _("Rank every option.")
        return sorted(ranks, key=ranks.get), None
    if kind == QuestionType.SCALE:
        raw = _get(data, key)
        if not raw:
            return None, None
        try:
            number = int(raw)
        except ValueError:
            return None, _("Choose a value on the scale.")
        if not question.scale_min <= number <= question.scale_max:
            return None, _("Choose a value between %(min)s and %(max)s.") % {
                "min": question.scale_min,
                "max": question.scale_max,
            }
        return number, None
    return None, None


def _field_names(data) -> list[str]:
    return [name for name in data if _get(data, name) or _getlist(data, name)]


def payload_to_fields(questions, payload: dict) -> dict[str, list[str]]:
    """The form fields that would give this payload (to refill a keying form)."""
    fields: dict[str, list[str]] = {}
    for question in questions:
        value = payload.get(question.key)
        if value is None:
            continue
        key = question.key
        if question.type in CHOICE_TYPES:
            fields[key] = [value["choice"]] if "choice" in value else list(value.get("choices", []))
            if value.get("other"):
                fields[f"{key}_other"] = [value["other"]]
        elif question.type in MATRIX_TYPES:
            for row, cells in value.items():
                fields[f"{key}_{row}"] = [cells] if isinstance(cells, str) else list(cells)
        elif question.type == QuestionType.RANKING:
            for rank, option in enumerate(value, start=1):
                fields[f"{key}_{option}"] = [str(rank)]
        else:
            fields[key] = [str(value)]
    return fields


# --- Serial numbers of paper forms -------------------------------------------------


def format_serial(number: int) -> str:
    """``000123-47``: see :mod:`civitas.core.serials`."""
    return serials.format_serial(number)


def parse_serial(text: str, issued: int) -> int:
    """The number of a typed serial; ValueError with a message when it is not valid."""
    try:
        return serials.parse_serial(text, issued)
    except serials.SerialError as error:
        raise ValueError(_SERIAL_MESSAGES[error.problem]()) from None


_SERIAL_MESSAGES = {
    serials.SerialProblem.MISSING: lambda: _("Type the serial number printed on the form."),
    serials.SerialProblem.MISTYPED: lambda: _(
        "This serial number is mistyped (its last two digits do not match)."
    ),
    serials.SerialProblem.NOT_ISSUED: lambda: _("No form was printed with this serial number."),
}


# --- The questionnaire as answering reads it, cached per process -----------------------


class _Related(tuple):
    """A tuple that answers ``.all()``, so a snapshot reads like the model."""

    def all(self):
        return self


@dataclass(frozen=True)
class OptionSnapshot:
    pk: int
    label: str
    free_text: bool
    question_id: int

    @property
    def key(self) -> str:
        return f"o{self.pk}"


@dataclass(frozen=True)
class RowSnapshot:
    pk: int
    label: str

    @property
    def key(self) -> str:
        return f"r{self.pk}"


@dataclass(frozen=True)
class QuestionSnapshot:
    pk: int
    type: str
    label: str
    mandatory: bool
    max_length: int | None
    max_choices: int | None
    scale_min: int
    scale_max: int
    condition_option_id: int | None
    condition_negated: bool
    options: _Related
    rows: _Related

    @property
    def key(self) -> str:
        return f"q{self.pk}"


_snapshots: dict[tuple[int, str], Questionnaire] = {}
_SNAPSHOTS_KEPT = 256


def _version_key(survey_id: int) -> str:
    return f"surveys:questionnaire-version:{survey_id}"


# Bytes reckoned per character of a text answer, so that every encrypted answer of a
# consultation has one size. Latin, Greek, Cyrillic, Arabic and Hebrew take at most 2 in
# UTF-8 (canonical JSON keeps them as is); a French text with its ’ and € stays far below.
# A text that would need more (many emoji, Chinese or Japanese characters near the maximum
# length) is refused with a message asking to shorten it (_fits_the_padding): stored, its
# record would be the one of a larger size, and so told apart from every other. Reckoning
# 4 bytes a character instead would double every stored answer for that rare case.
_BYTES_PER_CHARACTER = 2


def payload_size_bound(questions) -> int:
    """Bytes that the canonical JSON of any accepted answer to ``questions`` stays under.

    Every encrypted answer of a consultation is padded to this one size, so that the
    size of a stored record tells nothing: not a long text from a short one, not the
    answer that opens a conditional question from the one that does not.
    """
    total = 2  # {}
    for question in questions:
        kind = question.type
        keys = [option.key for option in question.options]
        quoted_keys = sum(len(key) + 3 for key in keys)  # "o12",
        longest_key = max((len(key) for key in keys), default=0)
        has_other = any(option.free_text for option in question.options)
        other = len(',"other":""') + OTHER_MAX_LENGTH * _BYTES_PER_CHARACTER if has_other else 0
        if kind in DEFAULT_MAX_LENGTH:
            value = 2 + max_length_of(question) * _BYTES_PER_CHARACTER
        elif kind == QuestionType.SINGLE:
            value = len('{"choice":""}') + longest_key + other
        elif kind == QuestionType.MULTIPLE:
            value = len('{"choices":[]}') + quoted_keys + other
        elif kind in MATRIX_TYPES:
            value = 2 + sum(len(row.key) + 6 + quoted_keys for row in question.rows)
        elif kind == QuestionType.RANKING:
            value = 2 + quoted_keys
        elif kind == QuestionType.SCALE:
            value = max(len(str(question.scale_min)), len(str(question.scale_max)))
        else:
            continue  # sections hold no answer
        total += len(question.key) + 4 + value
    return total


class Questionnaire(list):
    """The snapshots of a survey's questions, with the padding bound computed once."""

    @functools.cached_property
    def size_bound(self) -> int:
        return payload_size_bound(self)


def questions_for_answering(survey) -> Questionnaire:
    """The survey's questions with options and rows, read once per process and version.

    Every answer and every keyed form validates against the questionnaire; reading it
    from the database each time cost most of an answer's time. The version lives in the
    shared cache (Redis or the database), so an edit in one process reaches all of them.
    """
    from uuid import uuid4

    from django.core.cache import caches

    cache = caches["shared"]
    key = _version_key(survey.pk)
    version = cache.get(key)
    if version is None:
        # A fresh version on a miss: a snapshot made under an evicted version is never reused.
        cache.add(key, uuid4().hex, None)
        version = cache.get(key)
    found = _snapshots.get((survey.pk, version))
    if found is None:
        found = Questionnaire(
            QuestionSnapshot(
                pk=question.pk,
                type=question.type,
                label=question.label,
                mandatory=question.mandatory,
                max_length=question.max_length,
                max_choices=question.max_choices,
                scale_min=question.scale_min,
                scale_max=question.scale_max,
                condition_option_id=question.condition_option_id,
                condition_negated=question.condition_negated,
                options=_Related(
                    OptionSnapshot(option.pk, option.label, option.free_text, option.question_id)
                    for option in question.options.all()
                ),
                rows=_Related(RowSnapshot(row.pk, row.label) for row in question.rows.all()),
            )
            for question in survey.ordered_questions()
        )
        if len(_snapshots) >= _SNAPSHOTS_KEPT:
            _snapshots.clear()
        _snapshots[(survey.pk, version)] = found
    return found


def questionnaire_changed(survey_id: int) -> None:
    from uuid import uuid4

    from django.core.cache import caches

    caches["shared"].set(_version_key(survey_id), uuid4().hex, None)
