"""Sentences of the action log for ballot boxes (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "ballot.key_mode": _("Chose who holds the counting key"),
        "ballot.trustee_key": _("A trustee's counting key was registered"),
    }
)
