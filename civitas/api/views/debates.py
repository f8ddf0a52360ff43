from civitas.api import representations
from civitas.api.endpoint import api_endpoint
from civitas.api.pagination import paginate
from civitas.api.views.common import filter_by_place, filter_updated_since, one_or_404
from civitas.api.visibility import visible_debates


def _debates(request):
    return visible_debates(request).select_related("author", "component__space")


def _represent_for(request):
    return lambda debates: [representations.debate(debate, request.organization) for debate in debates]


@api_endpoint
def debate_list(request):
    debates = filter_updated_since(request, filter_by_place(request, _debates(request)))
    return paginate(request, debates, _represent_for(request))


@api_endpoint
def debate_detail(request, debate_id):
    return representations.debate(one_or_404(_debates(request), debate_id), request.organization)
