from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def authors_of_visible_proposals(organization):
    """Activity source for robots.txt and profile indexing: people with a visible proposal."""
    from civitas.components.proposals.models import Proposal

    return Proposal.objects.visible().filter(component__space__organization=organization).values("author_id")


class ProposalsConfig(AppConfig):
    name = "civitas.components.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.manifest import registry
        from civitas.components.proposals import exports  # noqa: F401  (registers the GDPR exports)
        from civitas.components.proposals.manifest import manifest
        from civitas.components.proposals.models import Proposal
        from civitas.components.proposals.queries import may_see_proposal
        from civitas.core.activity import register_activity_source
        from civitas.core.media import register_media
        from civitas.moderation.registry import register_moderatable

        registry.register(manifest)
        register_moderatable(
            Proposal,
            space_of=lambda proposal: proposal.component.space,
            author_of=lambda proposal: proposal.author,
            title_of=lambda proposal: proposal.title,
        )
        register_commentable(
            Proposal,
            component_of=lambda proposal: proposal.component,
            url_of=lambda proposal: proposal.get_absolute_url(),
            title_of=lambda proposal: proposal.title,
            count_field="comment_count",
        )
        register_activity_source(authors_of_visible_proposals)
        register_media(
            Proposal,
            "image",
            organization_field="component__space__organization",
            may_see=lambda request, proposal: (
                request.user.has_perm("components.view_component", proposal.component)
                and may_see_proposal(request.user, proposal)
            ),
            download_name=lambda proposal: f"proposal-{proposal.pk}",
            select_related=("component__space",),
        )
