"""What the reader of the API may see: the pages' own rules, applied to querysets.

Nothing here decides visibility anew. Spaces come from ``Space.objects.listed_for``
(the SQL form of the ``spaces.view_space`` permission), resources from each model's
``visible()`` queryset (published, not hidden by moderation; blocking an author hides
their contributions), comments from ``Comment.objects.visible()`` behind the page's own
``conversation_for`` check. The API shows what is published: drafts, unpublished spaces
and components stay in the back office, even for their admins, so that every object of a
detail endpoint is also in its list.
"""

from civitas.components.manifest import registry
from civitas.components.models import Component
from civitas.spaces.models import Space


def visible_spaces(request):
    return Space.objects.filter(organization=request.organization).listed_for(request.user)


def visible_components(request, manifest_name: str | None = None):
    """Published components of the visible spaces, of types this installation has."""
    components = Component.objects.published().filter(
        space__in=visible_spaces(request), manifest_name__in=[manifest.name for manifest in registry.all()]
    )
    if manifest_name is not None:
        components = components.filter(manifest_name=manifest_name)
    return components


def visible_proposals(request):
    from civitas.components.proposals.models import Proposal

    return Proposal.objects.visible().filter(component__in=visible_components(request, "proposals"))


def visible_meetings(request):
    from civitas.components.meetings.models import Meeting

    return Meeting.objects.visible().filter(component__in=visible_components(request, "meetings"))


def visible_debates(request):
    from civitas.components.debates.models import Debate

    return Debate.objects.visible().filter(component__in=visible_components(request, "debates"))


def published_surveys(request):
    """Surveys whose results are published: the only survey data that is public."""
    from civitas.components.surveys.models import Survey

    return Survey.objects.filter(
        component__in=visible_components(request, "surveys"), results_published_at__isnull=False
    )


def visible_comments_of(request, resource, component):
    """The comments the resource's page shows, or None if the reader may not see them."""
    from civitas.comments.models import Comment
    from civitas.comments.threads import conversation_for

    if conversation_for(request.user, resource, component) is None:
        return None
    return Comment.objects.of(resource).visible()
