"""Sentences of the action log for newsletters (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "newsletter.create": _("Wrote a newsletter"),
        "newsletter.update": _("Changed a newsletter"),
        "newsletter.test": _("Sent a test of a newsletter"),
        "newsletter.send": _("Sent a newsletter"),
    }
)

register_details({"recipients": _("number of recipients"), "to": _("test sent to")})
