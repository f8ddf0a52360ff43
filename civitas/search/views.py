from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from civitas.search.queries import search
from civitas.search.registry import all_searchables
from civitas.spaces.models import Space


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@require_GET
def results(request):
    types = [(entry.resource_type, entry.label) for entry in all_searchables()]
    resource_type = request.GET.get("type", "")
    resource_type = resource_type if resource_type in dict(types) else ""
    spaces = list(Space.objects.filter(organization=request.organization).listed_for(request.user))
    space_id = _int_or_none(request.GET.get("space"))
    space_id = space_id if space_id in {space.pk for space in spaces} else None
    requested = _int_or_none(request.GET.get("page")) or 1
    page = search(
        user=request.user,
        organization=request.organization,
        query=request.GET.get("q", ""),
        resource_type=resource_type or None,
        space_id=space_id,
        page=requested,
    )
    shown = min(requested, page.last_number())
    if page.searched and "page" in request.GET and request.GET["page"] != str(shown):
        # A page number that is not a page (0, -1, "abc") or past the last one (typed by hand,
        # or the results shrank since the link was made): the page shown, at its own address,
        # rather than a page that says another number than its address.
        kept = request.GET.copy()
        kept["page"] = shown
        return redirect(f"{request.path}?{kept.urlencode()}")
    context = {
        "result": page,
        "types": types,
        "spaces": spaces,
        "selected_type": resource_type,
        "selected_space": space_id,
    }
    return render(request, "search/results.html", context)
