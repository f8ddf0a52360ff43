"""The action log as admins read it: a sentence per entry, and each change as label: before → after."""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from civitas.actionlog.registry import describe, names_its_target, readable_value, sentence_for


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class ReadableEntry:
    entry: object
    sentence: str
    target: str
    changes: list[Change] = field(default_factory=list)


def _field_label(model, key: str) -> str:
    """The field's verbose name when the target is a model that has it, else the key in words."""
    if model is not None:
        try:
            name = getattr(model._meta.get_field(key), "verbose_name", None)  # relations have none
        except FieldDoesNotExist:
            name = None
        if name:
            return capfirst(str(name))
    return capfirst(key.replace("_", " "))


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def readable_entry(entry) -> ReadableEntry:
    before, after = entry.before or {}, entry.after or {}
    model = _model(entry.target_type)
    changes = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in dict.fromkeys([*before, *after]):
            if key in before and key in after and before[key] == after[key]:
                continue
            changes.append(
                Change(
                    _field_label(model, key),
                    readable_value(before[key]) if key in before else "",
                    readable_value(after[key]) if key in after else "",
                )
            )
    return ReadableEntry(
        entry=entry,
        sentence=describe(entry),
        target="" if names_its_target(entry) else entry.target_repr,
        changes=changes,
    )


def action_choices(codes) -> list[tuple[str, str]]:
    """The codes of the filter, each named by its sentence (up to the values it names)."""
    choices = []
    for code in set(codes):
        sentence = sentence_for(code)
        label = str(sentence).split("%(")[0].rstrip(" (:,") if sentence is not None else code
        choices.append((code, label))
    return sorted(choices, key=lambda choice: choice[1])
