from civitas.api import aggregates, representations
from civitas.api.endpoint import api_endpoint
from civitas.api.visibility import visible_spaces
from civitas.stats import services as stats


@api_endpoint
def organization(request):
    return representations.organization(request.organization)


@api_endpoint
def statistics(request):
    """The organization's figures, and the participants of each space the reader may see."""
    organization = request.organization
    spaces = list(visible_spaces(request).order_by("pk"))
    counts = stats.participants_by_space(organization, spaces)
    return {
        **aggregates.statistics(organization),
        "spaces": [{"space_id": space.pk, "participants": counts[space.pk]} for space in spaces],
    }
