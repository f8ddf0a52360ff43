"""Sentences of the action log for news posts (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "blog_post.create": _("Wrote a news post"),
        "blog_post.update": _("Changed a news post"),
        "blog_post.delete": _("Deleted a news post"),
    }
)
