from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import formats
from django.views.decorators.http import require_GET

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
    return render(request, "stats/organization.html", context)


@require_GET
def space_stats(request, slug):
    space = get_object_or_404(Space, organization=request.organization, slug=slug)
    if not space.is_published or not request.user.has_perm("spaces.view_space", space):
        raise Http404
    return render(request, "stats/space.html", _context(request.organization, space))
