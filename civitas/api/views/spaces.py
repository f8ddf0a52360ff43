from civitas.api import aggregates, representations
from civitas.api.endpoint import api_endpoint
from civitas.api.pagination import paginate
from civitas.api.params import choice_param, id_param
from civitas.api.views.common import filter_updated_since, one_or_404
from civitas.api.visibility import visible_components, visible_spaces
from civitas.components.manifest import registry
from civitas.spaces.models import Space


def _spaces(request):
    return visible_spaces(request).prefetch_related("phases", "tags")


def _represent_spaces_for(request):
    return lambda spaces: [representations.space(space, request.organization) for space in spaces]


@api_endpoint
def space_list(request):
    spaces = _spaces(request)
    if (kind := choice_param(request, "kind", Space.Kind.values)) is not None:
        spaces = spaces.filter(kind=kind)
    spaces = filter_updated_since(request, spaces)
    return paginate(request, spaces, _represent_spaces_for(request))


@api_endpoint
def space_detail(request, space_id):
    return representations.space(one_or_404(_spaces(request), space_id), request.organization)


@api_endpoint
def space_statistics(request, space_id):
    space = one_or_404(visible_spaces(request), space_id)
    return {"space_id": space.pk, **aggregates.statistics(request.organization, space)}


def _represent_components(components):
    return [representations.component(component) for component in components]


@api_endpoint
def component_list(request):
    components = visible_components(request).select_related("space")
    if (space_id := id_param(request, "space")) is not None:
        components = components.filter(space_id=space_id)
    types = [manifest.name for manifest in registry.all()]
    if (kind := choice_param(request, "type", types)) is not None:
        components = components.filter(manifest_name=kind)
    components = filter_updated_since(request, components)
    return paginate(request, components, _represent_components)


@api_endpoint
def component_detail(request, component_id):
    return representations.component(
        one_or_404(visible_components(request).select_related("space"), component_id)
    )
