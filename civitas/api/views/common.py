"""Helpers the resource views share: detail lookups and the usual filters."""

from civitas.api.errors import not_found
from civitas.api.params import datetime_param, id_param

# The largest id a 64-bit database column holds; the URL accepts any digits.
MAX_ID = 2**63 - 1


def one_or_404(queryset, pk: int):
    found = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if found is None:
        raise not_found()
    return found


def filter_by_place(request, queryset, component_field: str = "component"):
    """``space`` and ``component`` filters: an id the reader cannot see simply matches nothing."""
    if (space_id := id_param(request, "space")) is not None:
        queryset = queryset.filter(**{f"{component_field}__space_id": space_id})
    if (component_id := id_param(request, "component")) is not None:
        queryset = queryset.filter(**{f"{component_field}_id": component_id})
    return queryset


def filter_updated_since(request, queryset, field: str = "updated_at"):
    if (since := datetime_param(request, "updated_since")) is not None:
        queryset = queryset.filter(**{f"{field}__gte": since})
    return queryset
