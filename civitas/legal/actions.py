"""Sentences of the action log for the terms of use and help pages (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "terms.publish": _("Published a new version of the terms of use"),
        "help_page.create": _("Added a help page"),
        "help_page.update": _("Changed a help page"),
        "help_page.delete": _("Deleted a help page"),
        "help_page.reorder": _("Changed the order of the help pages"),
    }
)

register_details({"order": _("order of the help pages")})
