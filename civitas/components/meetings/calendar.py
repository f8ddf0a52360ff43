"""Meetings as iCalendar events."""

from django.http import HttpResponse
from django.utils import timezone

from civitas.components.meetings.ical import Event, calendar
from civitas.core.richtext import plain_text
from civitas.organizations import links


def meeting_event(meeting, *, host: str, base_url: str) -> Event:
    location = ", ".join(part for part in (meeting.address, meeting.location_hints) if part)
    if meeting.is_online and meeting.online_url:
        location = f"{location} · {meeting.online_url}" if location else meeting.online_url
    return Event(
        uid=f"meeting-{meeting.pk}@{host}",
        start=meeting.start_time,
        end=meeting.end_time,
        summary=meeting.title,
        description=plain_text(meeting.description),
        location=location,
        url=f"{base_url}{meeting.get_absolute_url()}",
        last_modified=meeting.updated_at,
    )


def ical_response(request, meetings, *, name: str, filename: str) -> HttpResponse:
    # The organization's own address, not the request's Host header: a calendar keeps its
    # links long after the download, and a shared cache may hand the file to others.
    organization = request.organization
    host = organization.host
    base_url = links.base_url(organization)
    body = calendar(
        (meeting_event(meeting, host=host, base_url=base_url) for meeting in meetings),
        name=name,
        stamp=timezone.now(),
        product="-//Civitas//Meetings//FR",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
