"""Comments, read through the resource they belong to, as on its page."""

from django.db.models import Q

from civitas.api import representations
from civitas.api.endpoint import api_endpoint
from civitas.api.errors import not_found
from civitas.api.pagination import paginate
from civitas.api.params import datetime_param
from civitas.api.views.common import one_or_404
from civitas.api.visibility import (
    visible_comments_of,
    visible_components,
    visible_debates,
    visible_meetings,
    visible_proposals,
)
from civitas.comments.models import Comment


def _represent_for(request):
    return lambda comments: [representations.comment(comment, request.organization) for comment in comments]


def _thread(request, resource):
    comments = visible_comments_of(request, resource, resource.component)
    if comments is None:
        raise not_found()
    if (since := datetime_param(request, "updated_since")) is not None:
        comments = comments.filter(Q(created_at__gte=since) | Q(edited_at__gte=since))
    comments = comments.select_related("author")
    return paginate(request, comments, _represent_for(request), ordering=("created_at", "pk"))


def _resource(queryset, pk):
    return one_or_404(queryset.select_related("component__space__active_phase"), pk)


@api_endpoint
def proposal_comments(request, proposal_id):
    return _thread(request, _resource(visible_proposals(request), proposal_id))


@api_endpoint
def meeting_comments(request, meeting_id):
    return _thread(request, _resource(visible_meetings(request), meeting_id))


@api_endpoint
def debate_comments(request, debate_id):
    return _thread(request, _resource(visible_debates(request), debate_id))


@api_endpoint
def comment_detail(request, comment_id):
    comment = one_or_404(
        Comment.objects.visible()
        .filter(organization=request.organization, component__in=visible_components(request))
        .select_related("author", "component__space__active_phase"),
        comment_id,
    )
    resource = comment.commentable
    if resource is None or visible_comments_of(request, resource, comment.component) is None:
        raise not_found()
    return representations.comment(comment, request.organization)
