"""The meetings component's share of a user's GDPR export: registrations to meetings."""

from civitas.components.meetings.models import Registration
from civitas.core.gdpr import iso, register_export


@register_export("meeting_registrations", covers=[(Registration, "user")])
def export_registrations(user) -> list[dict]:
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("meeting__component__space")
        .order_by("created_at", "pk")
    )
    return [
        {
            "space": registration.meeting.component.space.title,
            "meeting_id": registration.meeting_id,
            "meeting": registration.meeting.title,
            "starts_at": iso(registration.meeting.start_time),
            "url": registration.meeting.get_absolute_url(),
            "status": registration.get_status_display(),
            "code": registration.code,
            "registered_at": iso(registration.created_at),
            "confirmed_at": iso(registration.confirmed_at),
            "cancelled_at": iso(registration.cancelled_at),
            "attended_at": iso(registration.attended_at),
        }
        for registration in registrations
    ]
