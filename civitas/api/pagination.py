"""Keyset pagination: ``next`` and ``previous`` links carry a cursor, never a page number.

Every list of the API is ordered by fields whose last one is unique (in the end the id).
A cursor holds the ordering values of the row a page ends (or starts) at, and the next
page is "the rows after these values", read through the ordering's index. At national
volume (a million comments) neither counting the rows nor skipping them with OFFSET
happens: a page costs the same at its first row and at its millionth, and a row added
while someone pages through never shifts the rows they have not read yet.

The cursor is opaque to clients (JSON in URL-safe base64); one that does not decode, or
whose values do not fit the list's ordering, is a bad parameter (400).
"""

import base64
import binascii
import json
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from civitas.api.errors import bad_parameter
from civitas.api.params import id_param
from civitas.organizations import links

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
AFTER, BEFORE = "a", "b"


def _encode(direction: str, values: list) -> str:
    text = json.dumps([direction, values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _bad_cursor():
    return bad_parameter("cursor", _("expected a cursor from a next or previous link of this list."))


def _decode(raw: str, model, ordering: Sequence[str]) -> tuple[str, list]:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        direction, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error):
        raise _bad_cursor() from None
    if direction not in (AFTER, BEFORE) or not isinstance(values, list) or len(values) != len(ordering):
        raise _bad_cursor()
    try:
        return direction, [
            model._meta.get_field(_field_name(model, name)).to_python(value)
            for name, value in zip(ordering, values, strict=True)
        ]
    except (ValidationError, TypeError, ValueError):
        raise _bad_cursor() from None


def _field_name(model, name: str) -> str:
    return model._meta.pk.name if name == "pk" else name


def _values_of(row, ordering: Sequence[str]) -> list:
    return [getattr(row, name) for name in ordering]


def _as_json(values: list) -> list:
    return [value.isoformat() if hasattr(value, "isoformat") else value for value in values]


def _beyond(ordering: Sequence[str], values: list, direction: str) -> Q:
    """Rows strictly after (or before) ``values`` in the ordering (ascending on every field):
    (a > x) or (a = x and b > y) or ... The first, redundant bound (a >= x) is a plain range
    the database starts its index scan from; the rest settles the rows that share it."""
    lookup = "gt" if direction == AFTER else "lt"
    condition = Q(pk__in=[])
    for position, name in enumerate(ordering):
        equal = dict(zip(ordering[:position], values, strict=False))
        condition |= Q(**equal, **{f"{name}__{lookup}": values[position]})
    if len(ordering) > 1:
        condition = Q(**{f"{ordering[0]}__{lookup}e": values[0]}) & condition
    return condition


def cursor_at(row, ordering: Sequence[str] = ("pk",), direction: str = AFTER) -> str:
    """The cursor of the page after (or before) ``row``, as a next (previous) link carries it."""
    return _encode(direction, _as_json(_values_of(row, ordering)))


def _link(request, direction: str, row, ordering: Sequence[str]) -> str:
    params = request.GET.copy()
    params["cursor"] = cursor_at(row, ordering, direction)
    # On the organization's own host: anonymous pages are cached publicly, so a link built
    # from a forged Host header (an odd port) would be served to everyone for a minute.
    return links.absolute_url(request.organization, f"{request.path}?{params.urlencode()}")


def paginate(request, queryset, represent, ordering: Sequence[str] = ("pk",)) -> dict:
    """One page of ``queryset`` in ``ordering`` (ascending fields, the last one unique);
    ``represent`` turns the page's list of objects into dicts."""
    size = id_param(request, "page_size") or PAGE_SIZE
    if size > MAX_PAGE_SIZE:
        raise bad_parameter("page_size", _("at most %(max)s.") % {"max": MAX_PAGE_SIZE})
    raw = request.GET.get("cursor", "").strip()
    direction, values = _decode(raw, queryset.model, ordering) if raw else (AFTER, None)
    if direction == AFTER:
        rows = queryset.order_by(*ordering)
    else:
        rows = queryset.order_by(*(f"-{name}" for name in ordering))
    if values is not None:
        rows = rows.filter(_beyond(ordering, values, direction))
    page = list(rows[: size + 1])  # one more than the page: is there anything beyond it?
    more = len(page) > size
    page = page[:size]
    if direction == BEFORE:
        page.reverse()
    if direction == AFTER:
        has_next, has_previous = more, values is not None and _exists_before(queryset, ordering, page, values)
    else:
        has_next, has_previous = True, more
    return {
        "next": _link(request, AFTER, page[-1], ordering) if page and has_next else None,
        "previous": _link(request, BEFORE, page[0], ordering) if page and has_previous else None,
        "results": represent(page),
    }


def _exists_before(queryset, ordering: Sequence[str], page: list, values: list) -> bool:
    """Whether a page reached from a cursor has rows before it (the cursor's row may have gone)."""
    boundary = _values_of(page[0], ordering) if page else values
    return queryset.filter(_beyond(ordering, boundary, BEFORE)).exists()
