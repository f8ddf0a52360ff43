"""Page-number pagination with ``next`` and ``previous`` links, over a stable ordering.

Every list of the API is ordered by something unique (in the end the id), so a page
holds the same objects however often it is asked for while nothing changes.
"""

import math

from django.utils.translation import gettext as _

from civitas.api.errors import ApiError, bad_parameter
from civitas.api.params import id_param
from civitas.organizations import links

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def _link(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    # On the organization's own host: anonymous pages are cached publicly, so a link built
    # from a forged Host header (an odd port) would be served to everyone for a minute.
    return links.absolute_url(request.organization, f"{request.path}?{params.urlencode()}")


def paginate(request, queryset, represent) -> dict:
    """One page of ``queryset``; ``represent`` turns the page's list of objects into dicts."""
    size = id_param(request, "page_size") or PAGE_SIZE
    if size > MAX_PAGE_SIZE:
        raise bad_parameter("page_size", _("at most %(max)s.") % {"max": MAX_PAGE_SIZE})
    number = id_param(request, "page") or 1
    count = queryset.count()
    last = max(1, math.ceil(count / size))
    if number > last:
        raise ApiError(
            404,
            "page_not_found",
            _("There is no page %(number)s: the last is %(last)s.") % {"number": number, "last": last},
        )
    start = (number - 1) * size
    objects = list(queryset[start : start + size])
    return {
        "count": count,
        "next": _link(request, number + 1) if number < last else None,
        "previous": _link(request, number - 1) if number > 1 else None,
        "results": represent(objects),
    }
