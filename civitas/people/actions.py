"""Sentences of the action log for organization roles (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions, register_details
from civitas.people.models import InvitedRole

register_actions(
    {
        "people.invite": _("Invited a person to a role"),
        "people.invitation_resend": _("Sent an invitation again"),
        "people.invitation_revoke": _("Revoked an invitation"),
        "people.invitation_accept": _("Accepted an invitation to a role"),
        "people.role_remove": _("Removed an organization role"),
        "people.export": _("Exported the participants list"),
    }
)

# What the keys of this app's before / after records are called.
register_details(
    {"role": _("role")},
    {"role": {role.value: role.label for role in InvitedRole}},
    replace=False,
)
register_details(
    {
        "person": _("person"),
        "rows": _("rows"),
        "columns": _("columns"),
        "filters": _("filters"),
    }
)
