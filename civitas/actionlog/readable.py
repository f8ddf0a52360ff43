"""The action log as admins read it: a sentence per entry, and each change as label: before → after.

Labels and values read in the admin's language: a field's verbose name or the name its app
registered (``register_details``), a choice's label, a related object's name, yes / no,
localized numbers and dates.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.text import capfirst

from civitas.actionlog.registry import (
    describe,
    detail_label,
    detail_value_labels,
    names_its_target,
    readable_value,
    sentence_for,
)


@dataclass
class Change:
    label: str
    before: str
    after: str
    # False when nothing names the key in the reader's language: it shows as written in the code.
    named: bool = True


@dataclass
class ReadableEntry:
    entry: object
    sentence: str
    target: str
    changes: list[Change] = field(default_factory=list)


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _named_field(model, key: str):
    """The model's field of that name if it has a verbose name of its own, which is translated.

    Django names a field without one after its attribute (``created_by``): English, not a label.
    """
    found = _field(model, key) if model is not None else None
    return found if isinstance(getattr(found, "verbose_name", None), Promise) else None


def _label(model, key: str) -> tuple[str, object, bool]:
    """The key's label, the field its values belong to (if any), and whether the label is a name.

    First the target's own field; then what the app that logs the key named it; then a field
    of that name elsewhere in the target's app (a keying snapshot logged on its batch).
    """
    own = _named_field(model, key)
    if own is not None:
        return capfirst(str(own.verbose_name)), own, True
    plain = _field(model, key) if model is not None else None
    registered = detail_label(key)
    if registered is not None:
        return capfirst(str(registered)), plain, True
    if model is not None:
        for sibling in apps.get_app_config(model._meta.app_label).get_models():
            found = _named_field(sibling, key)
            if found is not None:
                return capfirst(str(found.verbose_name)), found, True
    return capfirst(key.replace("_", " ")), plain, False


def _related_names(model_field, values: list) -> dict[str, str]:
    related = getattr(model_field, "related_model", None)
    if related is None or not values:
        return {}
    try:
        found = related._default_manager.filter(pk__in=values)
        return {str(item.pk): str(item) for item in found}
    except (TypeError, ValueError):  # a value that is no key of that model
        return {}


def _value(model_field, key: str, value) -> str:
    """The value as read: a choice's label, a related object's name, else readable_value."""
    if value is None or value == "":
        return readable_value(value)
    if key == "phase_settings":
        return readable_value(value, keyed_by_phase=True)
    many = isinstance(value, list | tuple)
    items = list(value) if many else [value]
    labels = {str(code): label for code, label in detail_value_labels(key).items()}
    if model_field is not None and getattr(model_field, "flatchoices", None):
        labels.update({str(code): label for code, label in model_field.flatchoices})
    if model_field is not None and model_field.is_relation:
        labels.update(_related_names(model_field, [item for item in items if isinstance(item, int | str)]))
    if not labels:
        return readable_value(value)
    shown = [
        str(labels[str(item)])
        if isinstance(item, int | str) and str(item) in labels
        else readable_value(item)
        for item in items
    ]
    return ", ".join(shown) if many else shown[0]


def readable_entry(entry) -> ReadableEntry:
    before, after = entry.before or {}, entry.after or {}
    model = _model(entry.target_type)
    changes = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in dict.fromkeys([*before, *after]):
            if key in before and key in after and before[key] == after[key]:
                continue
            label, model_field, named = _label(model, key)
            changes.append(
                Change(
                    label,
                    _value(model_field, key, before[key]) if key in before else "",
                    _value(model_field, key, after[key]) if key in after else "",
                    named,
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
