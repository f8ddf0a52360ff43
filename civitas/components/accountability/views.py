from django.shortcuts import get_object_or_404, render

from civitas.components.accountability.models import Result
from civitas.components.accountability.progress import progress_by_space, progress_of_component
from civitas.components.views import public_component_view


@public_component_view("accountability")
def result_index(request, space, component):
    tree = progress_of_component(component)
    context = {
        "space": space,
        "component": component,
        "tree": tree,
        "overall": tree.overall(),
        "themes": tree.by_theme(),
        "roots": tree.roots,
        "spaces": progress_by_space(request.organization, request.user),
    }
    return render(request, "accountability/index.html", context)


@public_component_view("accountability")
def result_detail(request, space, component, result_id):
    get_object_or_404(Result, component=component, pk=result_id)
    tree = progress_of_component(component)
    result = next(r for r in tree.results if r.pk == result_id)
    ancestors = []
    by_id = {r.pk: r for r in tree.results}
    parent = by_id.get(result.parent_id)
    while parent is not None and parent not in ancestors:
        ancestors.insert(0, parent)
        parent = by_id.get(parent.parent_id)
    context = {
        "space": space,
        "component": component,
        "result": result,
        "ancestors": ancestors,
        "children": tree.children.get(result.pk, []),
        "timeline": result.timeline.select_related("status"),
        "projects": result.projects.select_related("budget__component__space"),
        "proposals": [
            p
            for p in result.proposals.select_related("component__space")
            if p.published_at and not p.hidden_at
        ],
    }
    return render(request, "accountability/result.html", context)
