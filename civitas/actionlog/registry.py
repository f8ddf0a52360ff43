"""What each action of the log means, as a sentence in the reader's language.

The log stores a stable code (``component.configure``); admins read a sentence. Each app
declares the sentences of the codes it logs in its own ``actions.py`` module, found at
start-up (``autodiscover_modules``), so that the core knows no component::

    register_actions({"meeting.close": _("Closed the meeting and published its report")})

A sentence may name values of the entry's ``after`` (or ``before``) record, e.g.
``%(count)s``, shown localized; put a count after a colon ("Paper forms printed: 10")
so that the sentence needs no plural. ``test_action_sentences`` fails on any code logged anywhere in the code
without a sentence here, and on any sentence without a French translation.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from civitas.core.richtext import plain_text

_sentences: dict[str, Any] = {}
_detail_labels: dict[str, Any] = {}
_detail_values: dict[str, dict[str, Any]] = {}


def register_actions(sentences: Mapping[str, Any]) -> None:
    _sentences.update(sentences)


def register_details(
    labels: Mapping[str, Any], values: Mapping[str, Mapping[str, Any]] | None = None, *, replace: bool = True
) -> None:
    """Name the keys of the before / after records that are no field of the entry's target.

    A key that is a field of the target model reads as its verbose name, and a coded value
    as its choice's label; the other keys (a count, a key of a snapshot logged on another
    target, a field Django names itself in English) are named here, by the app that logs
    them, e.g. ``register_details({"revoked": _("unused codes revoked")})``; ``values``
    names the coded values of such a key; ``replace=False`` gives names by default only
    (component settings, named from their manifests). ``test_action_details`` fails on a key
    logged without a name in French.
    """
    for key, label in labels.items():
        if replace or key not in _detail_labels:
            _detail_labels[key] = label
    for key, value_labels in (values or {}).items():  # merged: several apps may name a key's values
        known = _detail_values.setdefault(key, {})
        for value, label in value_labels.items():
            if replace or value not in known:
                known[value] = label


def detail_label(key: str):
    return _detail_labels.get(key)


def detail_value_labels(key: str) -> Mapping[str, Any]:
    return _detail_values.get(key, {})


def registered_codes() -> set[str]:
    return set(_sentences)


def sentence_for(code: str):
    return _sentences.get(code)


def readable_value(value, *, keyed_by_phase: bool = False) -> str:
    """A logged value as an admin reads it: localized numbers and dates, yes / no, lists.

    ``keyed_by_phase``: a component's per-phase settings, keyed by phase id and "default".
    """
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):  # a probability, a share: two decimals say it
        return formats.number_format(round(value, 2), use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list | tuple):
        return ", ".join(readable_value(item) for item in value) or "—"
    if isinstance(value, dict):
        phases = _phase_titles(value) if keyed_by_phase else None
        pairs = [
            _("%(name)s: %(value)s") % {"name": _key_label(key, phases), "value": _nested_value(key, item)}
            for key, item in value.items()
        ]
        return "; ".join(pairs) or "—"
    if isinstance(value, str):
        moment = _parse_moment(value)
        if moment is not None:
            return formats.date_format(
                moment, "DATETIME_FORMAT" if isinstance(moment, datetime.datetime) else "DATE_FORMAT"
            )
        if "<" in value and ">" in value:  # rich text (an answer, a description): read as text
            return plain_text(value) or "—"
    return str(value)


def _phase_titles(settings: dict) -> dict[str, str]:
    """The titles of the phases a component's per-phase settings are keyed by, in one query."""
    from civitas.spaces.models import Phase

    ids = [int(key) for key in settings if str(key).isdigit()]
    return {str(pk): title for pk, title in Phase.objects.filter(pk__in=ids).values_list("pk", "title")}


def _key_label(key, phases: dict[str, str] | None = None) -> str:
    """A key inside a logged record (a component's settings, a keyed form) named when it can be.

    ``phases``: for a component's per-phase settings, keyed by the phase's id and "default"
    for every phase, the phases' titles (:func:`_phase_titles`).
    """
    label = detail_label(str(key))
    if label is not None:
        return str(label)
    if phases is None:
        return str(key)
    if str(key) == "default":
        return _("every phase")
    if str(key) in phases:
        return _("phase “%(title)s”") % {"title": phases[str(key)]}
    return str(key)


def _nested_value(key, value) -> str:
    """A value inside a logged record, a coded one named by the label registered for its key."""
    labels = detail_value_labels(str(key))
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    return readable_value(value)


def _parse_moment(text: str):
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    try:
        if len(text) == 10:  # a day: parse_datetime would read it as midnight
            return parse_date(text)
        return parse_datetime(text)
    except ValueError:
        return None


def describe(entry) -> str:
    """The entry's action as a sentence; a code no longer registered still reads as a sentence."""
    sentence = sentence_for(entry.action)
    if sentence is None:
        return _("Other change (%(code)s)") % {"code": entry.action}
    text = str(sentence)
    if "%(" not in text:
        return text
    params = {
        key: readable_value(value) for key, value in {**(entry.before or {}), **(entry.after or {})}.items()
    }
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        # An old entry without the values the sentence names: the sentence up to them.
        return text.split("%(")[0].rstrip(" (:,")


def names_its_target(entry) -> bool:
    """Whether the sentence already says what was changed (then the target column stays empty)."""
    sentence = sentence_for(entry.action)
    return sentence is not None and "%(" in str(sentence)
