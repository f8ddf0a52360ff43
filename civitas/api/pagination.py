"""Keyset pagination: ``next`` and ``previous`` links carry a cursor, never a page number.

Every list of the API is ordered by fields whose last one is unique (in the end the id).
A cursor holds the ordering values of the row a page ends at (``next``) or starts at
(``previous``), and the next page is "the rows after these values", read through the
ordering's index. At national volume (a million comments) neither counting the rows nor
skipping them with OFFSET happens: a page costs the same at its first row and at its
millionth, and a row added while someone pages through never shifts the rows they have
not read yet.

Cursors are signed with the list's path: only a link this list gave is taken, so forged
values never reach a query, and a cursor of one list is refused by another (400).
"""

from collections.abc import Sequence

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _

from civitas.api.errors import bad_parameter
from civitas.api.params import id_param
from civitas.organizations import links

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
AFTER, BEFORE = "a", "b"
# From an empty page (every row after its cursor deleted), the way back starts at the
# cursor's own row: "before or at" (and "after or at" the other way).
AFTER_OR_AT, BEFORE_OR_AT = "A", "B"
_SALT = "civitas.api.cursor"


def _bad_cursor():
    return bad_parameter("cursor", _("expected a cursor from a next or previous link of this list."))


def _values_of(row, ordering: Sequence[str]) -> list:
    return [getattr(row, name) for name in ordering]


def _cursor(path: str, direction: str, values: list) -> str:
    plain = [value.isoformat() if hasattr(value, "isoformat") else value for value in values]
    return signing.dumps([direction, plain], salt=f"{_SALT}:{path}")


def cursor_at(path: str, row, ordering: Sequence[str] = ("pk",), direction: str = AFTER) -> str:
    """The cursor of the page after (or before) ``row`` of the list at ``path``, as its
    next (previous) link carries it."""
    return _cursor(path, direction, _values_of(row, ordering))


def _decode(request, model, ordering: Sequence[str]) -> tuple[str, list | None]:
    raw = request.GET.get("cursor", "").strip()
    if not raw:
        return AFTER, None
    try:
        direction, plain = signing.loads(raw, salt=f"{_SALT}:{request.path}")
    except (signing.BadSignature, ValueError, TypeError):
        raise _bad_cursor() from None
    # Signed here, so well formed; read back through each field (dates become dates).
    fields = [model._meta.get_field(model._meta.pk.name if name == "pk" else name) for name in ordering]
    return direction, [field.to_python(value) for field, value in zip(fields, plain, strict=True)]


def _beyond(ordering: Sequence[str], values: list, direction: str) -> Q:
    """Rows after (or before) ``values`` in the ordering (ascending on every field):
    (a > x) or (a = x and b > y) or ..., the last comparison also matching equality for the
    "or at" directions. The first, redundant bound (a >= x) is a plain range the database
    starts its index scan from; the rest settles the rows that share it."""
    lookup = "gt" if direction in (AFTER, AFTER_OR_AT) else "lt"
    condition = Q(pk__in=[])
    for position, name in enumerate(ordering):
        equal = dict(zip(ordering[:position], values, strict=False))
        last = position == len(ordering) - 1 and direction in (AFTER_OR_AT, BEFORE_OR_AT)
        condition |= Q(**equal, **{f"{name}__{lookup}{'e' if last else ''}": values[position]})
    if len(ordering) > 1:
        condition = Q(**{f"{ordering[0]}__{lookup}e": values[0]}) & condition
    return condition


def _link(request, direction: str, values: list) -> str:
    params = request.GET.copy()
    params["cursor"] = _cursor(request.path, direction, values)
    # On the organization's own host: anonymous pages are cached publicly, so a link built
    # from a forged Host header (an odd port) would be served to everyone for a minute.
    return links.absolute_url(request.organization, f"{request.path}?{params.urlencode()}")


def paginate(request, queryset, represent, ordering: Sequence[str] = ("pk",)) -> dict:
    """One page of ``queryset`` in ``ordering`` (ascending fields, never null, the last one
    unique); ``represent`` turns the page's list of objects into dicts."""
    if "page" in request.GET:
        # Scripts written for numbered pages would otherwise get the first page forever.
        raise bad_parameter(
            "page", _("pages are not numbered: follow the next link, which carries a cursor.")
        )
    size = id_param(request, "page_size") or PAGE_SIZE
    if size > MAX_PAGE_SIZE:
        raise bad_parameter("page_size", _("at most %(max)s.") % {"max": MAX_PAGE_SIZE})
    direction, values = _decode(request, queryset.model, ordering)
    backwards = direction in (BEFORE, BEFORE_OR_AT)
    rows = queryset.order_by(*(f"-{name}" if backwards else name for name in ordering))
    if values is not None:
        rows = rows.filter(_beyond(ordering, values, direction))
    page = list(rows[: size + 1])  # one more than the page: is there anything beyond it?
    more_ahead = len(page) > size  # ahead in the direction read
    page = page[:size]
    if backwards:
        page.reverse()
    next_link = previous_link = None
    if page:
        first, last = _values_of(page[0], ordering), _values_of(page[-1], ordering)
        # Ahead of the page in the direction read, the extra row tells; behind it, only a
        # page reached from a cursor has anything, and one query tells.
        if backwards:
            has_next, has_previous = _any_beyond(queryset, ordering, last, AFTER), more_ahead
        else:
            has_next = more_ahead
            has_previous = values is not None and _any_beyond(queryset, ordering, first, BEFORE)
        next_link = _link(request, AFTER, last) if has_next else None
        previous_link = _link(request, BEFORE, first) if has_previous else None
    elif values is not None:  # every row beyond the cursor has gone: the way back from it
        way_back = BEFORE_OR_AT if not backwards else AFTER_OR_AT
        if _any_beyond(queryset, ordering, values, way_back):
            link = _link(request, way_back, values)
            next_link, previous_link = (link, None) if backwards else (None, link)
    return {"next": next_link, "previous": previous_link, "results": represent(page)}


def _any_beyond(queryset, ordering: Sequence[str], values: list, direction: str) -> bool:
    return queryset.filter(_beyond(ordering, values, direction)).exists()
