from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civitas.communes.services import communes_of, public_spaces_of_communes
from civitas.organizations.links import base_url
from civitas.spaces.views import PERIODS


def _chosen_commune(communes, value: str):
    return next((commune for commune in communes if str(commune.pk) == value), None)


@require_GET
def portal(request):
    communes = communes_of(request.organization)
    if not communes:
        raise Http404
    commune = _chosen_commune(communes, request.GET.get("commune", ""))
    text = request.GET.get("q", "").strip()[:100]
    period = request.GET.get("period", "all")
    period = period if period in PERIODS else "all"
    spaces = public_spaces_of_communes(
        request.organization, commune_id=commune.pk if commune else None, text=text, period=period
    )
    page = Paginator(spaces, 12).get_page(request.GET.get("page"))
    for space in page:
        # Links and pictures go to the commune's own site, which serves them to anyone
        # who may see the space there.
        space.site = base_url(space.organization)
    response = render(
        request,
        "communes/portal.html",
        {
            "page": page,
            "communes": communes,
            "commune": commune,
            "text": text,
            "period": period,
            "periods": PERIODS,
        },
    )
    # The cards' pictures come from the communes' hosts: allowed for this page only.
    update = dict(getattr(response, "_csp_update", None) or {})
    update["img-src"] = [*update.get("img-src", ()), *sorted({base_url(c) for c in communes})]
    response._csp_update = update
    return response
