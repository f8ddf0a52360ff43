"""Sentences of the action log for accountability (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "result.create": _("Added a result"),
        "result.update": _("Changed a result"),
        "result.delete": _("Deleted a result"),
        "result.import": _("Imported results"),
        "result.timeline": _("Added a dated step to a result"),
        "result_status.create": _("Added a status for results"),
        "result_status.update": _("Changed a status for results"),
        "result_status.delete": _("Deleted a status for results"),
    }
)
