"""Participation in the core apps: proposals, supports and comments."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from civitas.stats.registry import register_participation


def register_core_actions() -> None:
    from civitas.comments.models import Comment

    if apps.is_installed("civitas.components.proposals"):
        from civitas.components.proposals.models import Proposal, Support

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
            counted=ngettext_lazy("%(count)s support", "%(count)s supports", "count"),
        )
    register_participation(
        "comment",
        _("Comments"),
        lambda: Comment.objects.filter(hidden_at__isnull=True),
        user_field="author",
        space_field="component__space",
        date_field="created_at",
        position=90,
        counted=ngettext_lazy("%(count)s comment", "%(count)s comments", "count"),
    )
