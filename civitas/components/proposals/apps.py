from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


def authors_of_visible_proposals(organization):
    """Activity source for robots.txt and profile indexing: people with a visible proposal."""
    from civitas.components.proposals.models import Proposal
    from civitas.core.activity import in_public_components

    visible = Proposal.objects.visible().filter(component__space__organization=organization)
    return visible.filter(in_public_components()).values("author_id")


def coauthors_of_visible_proposals(organization):
    """Activity source: co-authors count as having published, like authors."""
    from civitas.components.proposals.models import Coauthorship, Proposal
    from civitas.core.activity import in_public_components

    visible = Proposal.objects.visible().filter(component__space__organization=organization)
    visible = visible.filter(in_public_components())
    return Coauthorship.objects.filter(state=Coauthorship.State.ACCEPTED, proposal__in=visible).values(
        "user_id"
    )


def _draft_document(draft):
    from civitas.core.richtext import plain_text
    from civitas.search.registry import Document

    component = draft.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=draft.title,
        text=plain_text(draft.body),
        url=draft.get_absolute_url(),
        hidden=draft.hidden_at is not None or not component.is_published,
        author_id=draft.author_id,
        date=draft.created_at,
    )


def _may_see_draft(user, draft) -> bool:
    return user.has_perm("proposals.view_draft", draft)


def _forget_pending_of_deleted_account(sender, instance, **kwargs):
    if getattr(instance, "deleted_at", None) is not None:
        from civitas.components.proposals.collaboration import forget_pending_for

        forget_pending_for(instance)


def _proposal_document(proposal):
    from civitas.core.richtext import plain_text
    from civitas.search.builtin import author_is_visible
    from civitas.search.registry import Document

    component = proposal.component
    return Document(
        organization_id=component.space.organization_id,
        space=component.space,
        title=proposal.title,
        text=f"{plain_text(proposal.body)} {proposal.address}",
        url=proposal.get_absolute_url(),
        hidden=proposal.published_at is None
        or proposal.hidden_at is not None
        or not component.is_published
        or not author_is_visible(proposal.author),
        author_id=proposal.author_id,
        date=proposal.published_at,
    )


class ProposalsConfig(AppConfig):
    name = "civitas.components.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from civitas.comments.registry import register_commentable
        from civitas.components.manifest import registry
        from civitas.components.proposals import exports  # noqa: F401  (registers the GDPR exports)
        from civitas.components.proposals.manifest import manifest
        from civitas.components.proposals.models import Proposal, Support
        from civitas.components.proposals.queries import may_see_proposal
        from civitas.core.activity import register_activity_source
        from civitas.core.media import register_media
        from civitas.moderation.registry import register_moderatable
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable
        from civitas.stats.registry import register_participation

        registry.register(manifest)
        from civitas.components.proposals import attention

        attention.register()
        from civitas.components.proposals.home import register_home_blocks

        register_home_blocks()
        register_searchable(
            "proposal",
            _("Proposals"),
            Proposal,
            document=_proposal_document,
            queryset=lambda: Proposal.objects.select_related("component__space", "author"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=20,
            date_field="published_at",
        )
        register_participation(
            "proposal",
            _("Proposals"),
            lambda: Proposal.objects.visible(),
            user_field="author",
            space_field="component__space",
            date_field="published_at",
            position=10,
            counted=ngettext_lazy("%(count)s proposal", "%(count)s proposals", "count"),
        )
        register_participation(
            "support",
            _("Supports"),
            lambda: Support.objects.all(),
            user_field="user",
            space_field="component__space",
            date_field="created_at",
            position=20,
            kind="vote",
            counted=ngettext_lazy("%(count)s support", "%(count)s supports", "count"),
        )
        from civitas.components.proposals import opendata  # noqa: F401  (registers its data set)

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
            thumbnails=("card",),
        )
        from civitas.components.proposals import links

        links.connect_signals()
        from civitas.components.proposals import amendable
        from civitas.versions.registry import register as keep_versions

        amendable.register()

        keep_versions(
            Proposal,
            fields=("title", "body"),
            rich_fields=("body",),
            organization_of=lambda proposal: proposal.component.space.organization,
            can_view=lambda user, proposal: (
                user.has_perm("components.view_component", proposal.component)
                and may_see_proposal(user, proposal)
            ),
        )
        self._register_collaboration(keep_versions)

    def _register_collaboration(self, keep_versions):
        """Co-authors and collaborative drafts: history, moderation, comments, search, GDPR."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from civitas.comments.registry import register_commentable
        from civitas.components.proposals import collaboration  # noqa: F401  (notification kinds)
        from civitas.components.proposals.models import CollaborativeDraft
        from civitas.core.activity import register_activity_source
        from civitas.moderation.registry import register_moderatable
        from civitas.search.builtin import comments_of
        from civitas.search.registry import register_searchable

        keep_versions(
            CollaborativeDraft,
            fields=("title", "body"),
            rich_fields=("body",),
            organization_of=lambda draft: draft.component.space.organization,
            can_view=_may_see_draft,
        )
        register_moderatable(
            CollaborativeDraft,
            space_of=lambda draft: draft.component.space,
            author_of=lambda draft: draft.author,
            title_of=lambda draft: draft.title,
        )
        register_commentable(
            CollaborativeDraft,
            component_of=lambda draft: draft.component,
            url_of=lambda draft: draft.get_absolute_url(),
            title_of=lambda draft: draft.title,
            is_visible=lambda draft: draft.hidden_at is None,
            count_field="comment_count",
        )
        register_searchable(
            "collaborative_draft",
            _("Collaborative drafts"),
            CollaborativeDraft,
            document=_draft_document,
            queryset=lambda: CollaborativeDraft.objects.select_related("component__space"),
            organization_field="component__space__organization",
            component_field="component",
            dependents=comments_of,
            position=21,
            date_field="created_at",
        )
        register_activity_source(coauthors_of_visible_proposals)
        post_save.connect(
            _forget_pending_of_deleted_account,
            sender=get_user_model(),
            dispatch_uid="proposals_forget_pending_invitations_of_deleted_accounts",
        )
