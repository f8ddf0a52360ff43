"""The people app's share of a person's GDPR export: the invitations they accepted."""

from civitas.core.gdpr import iso, register_export
from civitas.people.models import Invitation


@register_export(
    "invitations",
    covers=[(Invitation, "accepted_by")],
    withholds={
        (Invitation, "invited_by"): (
            "the invitations an admin sent name other people: each invitee finds their own in their "
            "export, and the action log keeps who sent which"
        )
    },
)
def export_invitations(user) -> list[dict]:
    return [
        {
            "email": invitation.email,
            "role": invitation.role,
            "space": invitation.space.title if invitation.space else "",
            "sent_at": iso(invitation.sent_at),
            "accepted_at": iso(invitation.accepted_at),
        }
        for invitation in Invitation.objects.filter(accepted_by=user).select_related("space")
    ]
