from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats
from django.views.decorators.http import require_GET

from civitas.organizations.links import absolute_url
from civitas.organizations.models import Organization
from civitas.spaces.models import Space
from civitas.stats import services
from civitas.stats.chart import bar_chart
from civitas.stats.registry import all_participations


def _context(organization, space=None) -> dict:
    data = services.summary(organization, space)
    months = [
        (formats.date_format(start, "YEAR_MONTH_FORMAT"), sum(counts.values()), counts)
        for start, counts in data["months"]
    ]
    chart = bar_chart([(label, total) for label, total, _counts in months])
    totals = data["totals"]
    actions = {action.key: action for action in all_participations()}
    return {
        "participants": data["participants"],
        "totals": totals,
        # "<before> <strong>count</strong> <after>": the plural chosen by the count.
        "counted": [(*actions[key].say_count(count), count) for key, _label, count in totals],
        "months": [
            (label, total, [counts.get(key, 0) for key, _label, _count in totals])
            for label, total, counts in months
        ],
        "chart": chart,
        "space": space,
    }


@require_GET
def organization_stats(request):
    organization = request.organization
    spaces = list(Space.objects.filter(organization=organization).listed_for(request.user))
    context = _context(organization)
    counts = services.participants_by_space(organization, spaces)
    context["spaces"] = [(space, counts[space.pk]) for space in spaces]
    context["communes"] = _with_communes(organization, context)
    return render(request, "stats/organization.html", context)


def _with_communes(organization, own: dict) -> dict | None:
    """A metropolis's figures beside its communes', and their sum.

    Each commune's row is the figure its own statistics page publishes, so the sum shows
    nothing a visitor of the communes' sites could not add up. Accounts belong to one
    organization: someone taking part in two communes is two participants, as on their pages.
    """
    communes = list(Organization.objects.filter(parent=organization).order_by("name"))
    if not communes:
        return None
    rows = [(organization, None, own["participants"], sum(count for *_, count in own["totals"]))]
    for commune in communes:
        data = services.summary(commune)
        stats_url = absolute_url(commune, reverse("stats:organization"))
        rows.append((commune, stats_url, data["participants"], sum(count for *_, count in data["totals"])))
    return {
        "rows": rows,
        "participants": sum(row[2] for row in rows),
        "contributions": sum(row[3] for row in rows),
    }


@require_GET
def space_stats(request, slug):
    space = get_object_or_404(Space, organization=request.organization, slug=slug)
    if not space.is_published or not request.user.has_perm("spaces.view_space", space):
        raise Http404
    return render(request, "stats/space.html", _context(request.organization, space))
