"""Sentences of the action log for moderation (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "moderation.hide": _("Hid a reported contribution"),
        "moderation.auto_hide": _("Hid a contribution: its reports reached the threshold"),
        "moderation.unhide": _("Showed a hidden contribution again"),
        "moderation.dismiss": _("Dismissed the reports on a contribution"),
        "moderation.block_user": _("Blocked an account"),
        "moderation.unblock_user": _("Restored a blocked account"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "reports": _("reports"),
        "restored": _("restored"),
        "weight": _("weight of the reports"),
    }
)
