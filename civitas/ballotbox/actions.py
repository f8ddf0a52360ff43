"""Sentences of the action log for ballot boxes (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "ballot.key_mode": _("Chose who holds the counting key"),
        "ballot.trustee_key": _("A trustee's counting key was registered"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "key_mode": _("who holds the counting key"),
        "public_key": _("public key"),
        "trustee": _("trustee"),
        "trustees": _("trustees"),
    }
)
