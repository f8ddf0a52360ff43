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

_sentences: dict[str, Any] = {}


def register_actions(sentences: Mapping[str, Any]) -> None:
    _sentences.update(sentences)


def registered_codes() -> set[str]:
    return set(_sentences)


def sentence_for(code: str):
    return _sentences.get(code)


def readable_value(value) -> str:
    """A logged value as an admin reads it: localized numbers and dates, yes / no, lists."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list | tuple):
        return ", ".join(readable_value(item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {readable_value(item)}" for key, item in value.items()) or "—"
    if isinstance(value, str):
        moment = _parse_moment(value)
        if moment is not None:
            return formats.date_format(
                moment, "DATETIME_FORMAT" if isinstance(moment, datetime.datetime) else "DATE_FORMAT"
            )
    return str(value)


def _parse_moment(text: str):
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    try:
        return parse_datetime(text) or parse_date(text)
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
