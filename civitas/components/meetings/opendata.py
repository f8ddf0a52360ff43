"""The meetings data set of the open-data archive."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def _iso(value) -> str:
    return value.isoformat() if value else ""


def meeting_rows(organization):
    from civitas.components.meetings.models import Meeting, Registration

    meetings = (
        Meeting.objects.visible()
        .filter(component__published_at__isnull=False, component__space__in=public_spaces(organization))
        .select_related("component__space")
        .order_by("pk")
    )
    for meeting in meetings.iterator(chunk_size=500):
        yield {
            "id": meeting.pk,
            "space": meeting.component.space.slug,
            "component_id": meeting.component_id,
            "title": meeting.title,
            "description": plain_text(meeting.description),
            "format": meeting.kind,
            "address": meeting.address,
            "online": "yes" if meeting.is_online else "no",
            "start_time": _iso(meeting.start_time),
            "end_time": _iso(meeting.end_time),
            "agenda": plain_text(meeting.agenda),
            "capacity": meeting.capacity or "",
            "registrations": meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()
            if meeting.registrations_enabled
            else "",
            "closed_at": _iso(meeting.closed_at),
            "minutes": plain_text(meeting.minutes) if meeting.closed_at else "",
            "attendee_count": meeting.attendee_count
            if meeting.closed_at and meeting.attendee_count is not None
            else "",
            "attending_organizations": meeting.attending_organizations if meeting.closed_at else "",
            "proposal_ids": " ".join(str(pk) for pk in meeting.proposals.values_list("pk", flat=True))
            if meeting.closed_at
            else "",
            "url": meeting.get_absolute_url(),
        }


register_dataset(
    "meetings",
    _("Meetings"),
    _("Published meetings of the public and transparent spaces, with their closing reports."),
    columns=(
        Column("id", _("Number of the meeting on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the meetings component within the space")),
        Column("title", _("Title")),
        Column("description", _("Description, as plain text")),
        Column("format", _("in_person, online or hybrid")),
        Column("address", _("Address of the room (empty for online meetings)")),
        Column("online", _("yes if people can take part online")),
        Column("start_time", _("Start, ISO 8601 with time zone")),
        Column("end_time", _("End, ISO 8601 with time zone")),
        Column("agenda", _("Agenda, as plain text")),
        Column("capacity", _("Places (empty: no limit)")),
        Column("registrations", _("Confirmed registrations (empty: no registration needed)")),
        Column("closed_at", _("When the closing report was published (empty: not closed)")),
        Column("minutes", _("Minutes, as plain text")),
        Column("attendee_count", _("Number of attendees given in the report")),
        Column("attending_organizations", _("Organizations present, as given in the report")),
        Column("proposal_ids", _("Numbers of the proposals that came out of the meeting, space-separated")),
        Column("url", _("Address of the meeting's page on the platform")),
    ),
    rows=meeting_rows,
    position=40,
)
