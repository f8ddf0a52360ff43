"""Sentences of the action log for authorizations (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "census.replace": _("Replaced the census list"),
        "component.requirements": _("Changed the verifications an action requires"),
        "letters.generate": _("Printed letters with a code"),
        "letters.revoke": _("Revoked a batch of letters with a code"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "entries": _("entries"),
        "expires_on": _("valid until"),
        "letters": _("letters"),
        "revoked": _("unused codes revoked"),
    }
)
