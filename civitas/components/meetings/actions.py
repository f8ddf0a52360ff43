"""Sentences of the action log for meetings (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "meeting.create": _("Created a meeting"),
        "meeting.update": _("Changed a meeting"),
        "meeting.publish": _("Published a meeting"),
        "meeting.unpublish": _("Unpublished a meeting"),
        "meeting.check_in": _("Recorded who attended a meeting"),
        "meeting.close": _("Closed a meeting and published its report"),
    }
)
