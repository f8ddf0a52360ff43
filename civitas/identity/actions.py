"""Sentences of the action log for identity providers (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details

register_actions(
    {
        "identity_provider.create": _("Added an identity provider"),
        "identity_provider.update": _("Changed an identity provider"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {
        "client_secret_changed": _("client secret changed"),
    }
)
