from civitas.api import representations
from civitas.api.endpoint import api_endpoint
from civitas.api.pagination import paginate
from civitas.api.params import choice_param, id_param
from civitas.api.views.common import filter_by_place, filter_updated_since, one_or_404
from civitas.api.visibility import visible_proposals
from civitas.components.proposals.models import Proposal
from civitas.components.proposals.queries import with_coauthors


def _proposals(request):
    return with_coauthors(
        visible_proposals(request)
        .select_related("author", "custom_state", "component__space__active_phase")
        .prefetch_related("tags")
    )


def _represent_for(request):
    return lambda proposals: [representations.proposal(one, request.organization) for one in proposals]


@api_endpoint
def proposal_list(request):
    proposals = filter_by_place(request, _proposals(request))
    state = choice_param(request, "state", Proposal.State.values)
    # As on the proposals page: withdrawn proposals are listed only when asked for.
    if state is None:
        proposals = proposals.exclude(state=Proposal.State.WITHDRAWN)
    else:
        proposals = proposals.filter(state=state)
    if (tag_id := id_param(request, "tag")) is not None:
        proposals = proposals.filter(tags__pk=tag_id)
    proposals = filter_updated_since(request, proposals)
    return paginate(request, proposals, _represent_for(request))


@api_endpoint
def proposal_detail(request, proposal_id):
    return representations.proposal(one_or_404(_proposals(request), proposal_id), request.organization)
