"""Query-string parameters of the API: each one read strictly, a bad value answered with 400.

An empty value counts as absent (``?space=``), as HTML forms send it. Ids go through
``civitas.core.params.parse_id`` like everywhere else on the platform.
"""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from civitas.api.errors import bad_parameter
from civitas.core.params import parse_id


def _raw(request, name: str) -> str | None:
    value = request.GET.get(name, "").strip()
    return value or None


def id_param(request, name: str) -> int | None:
    raw = _raw(request, name)
    if raw is None:
        return None
    value = parse_id(raw)
    if value is None:
        raise bad_parameter(name, _("expected a positive whole number."))
    return value


def choice_param(request, name: str, choices) -> str | None:
    raw = _raw(request, name)
    if raw is None:
        return None
    if raw not in choices:
        raise bad_parameter(name, _("expected one of %(choices)s.") % {"choices": ", ".join(choices)})
    return raw


def datetime_param(request, name: str) -> datetime.datetime | None:
    """An ISO 8601 date or date and time; without a time zone, the platform's is meant."""
    raw = _raw(request, name)
    if raw is None:
        return None
    # A "+" of a time zone arrives as a space when the client did not encode it.
    text = raw.upper().replace(" ", "+")
    try:
        if "T" in text:
            moment = parse_datetime(text)
        else:
            day = parse_date(text)
            moment = datetime.datetime.combine(day, datetime.time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise bad_parameter(name, _("expected an ISO 8601 date or date and time, e.g. 2026-05-01T12:00:00Z."))
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 allows, and a
        # moment that cannot be written in UTC at all is refused here, not by the database.
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise bad_parameter(name, _("this moment is out of range.")) from None
