"""Sentences of the action log for debates (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "debate.create": _("Created a debate"),
        "debate.update": _("Changed a debate"),
        "debate.publish": _("Published a debate"),
        "debate.unpublish": _("Unpublished a debate"),
        "debate.close": _("Closed a debate with its conclusions"),
    }
)
