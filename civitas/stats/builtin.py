"""Participation in the core apps: comments. Components register their own actions."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from civitas.stats.registry import register_participation


def register_core_actions() -> None:
    from civitas.comments.models import Comment

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
