import datetime

import icalendar
import pytest
from django.test import Client

from civitas.comments.services import do_add_comment
from civitas.components.meetings import services
from civitas.components.meetings.ical import Event, calendar, escape_text, fold
from civitas.components.meetings.models import Meeting
from civitas.components.meetings.tests.conftest import make_meeting
from civitas.components.proposals import services as proposals
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


def test_ical_escaping_and_folding():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = fold("DESCRIPTION:" + "é" * 100)
    lines = folded.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert (
        "".join(line[1:] if index else line for index, line in enumerate(lines)) == "DESCRIPTION:" + "é" * 100
    )
    with pytest.raises(ValueError):
        calendar(
            [Event("x", datetime.datetime(2026, 1, 1), datetime.datetime(2026, 1, 1), "naive")],
            name="n",
            stamp=datetime.datetime.now(datetime.UTC),
            product="p",
        )


def _parse(body: bytes):
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    return icalendar.Calendar.from_ical(text)


def test_meeting_and_space_calendars_are_valid(client_a, org_a, admin_a, meetings_component):
    meeting = make_meeting(
        meetings_component,
        title="Atelier; vélo, piétons",
        description="<p>Ligne 1</p><p>" + "Un texte long à plier. " * 10 + "</p>",
        kind=Meeting.Kind.HYBRID,
        online_url="https://visio.example.org/atelier",
    )
    other_component = published_component(meetings_component.space, admin_a, "meetings", "Autres")
    other = make_meeting(other_component, title="Deuxième réunion")
    make_meeting(meetings_component, title="Brouillon", published_at=None)
    response = client_a.get(f"{meeting.get_absolute_url()}calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    parsed = _parse(response.content)
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Atelier; vélo, piétons"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@commune-a.test"
    assert (
        event["DTSTART"].dt == meeting.start_time.replace(microsecond=0)
        and event["DTSTAMP"].dt.tzinfo is not None
    )
    assert "https://visio.example.org/atelier" in str(event["LOCATION"])
    assert str(event["DESCRIPTION"]).startswith("Ligne 1 Un texte long")
    space_calendar = _parse(client_a.get(f"{meetings_component.get_absolute_url()}calendar.ics").content)
    assert sorted(str(e["SUMMARY"]) for e in space_calendar.walk("VEVENT")) == sorted(
        [meeting.title, other.title]
    )


def test_private_space_meetings_stay_private(client_a, org_a, admin_a):
    space = published_space(org_a, admin_a, "Conseil privé", visibility="private")
    component = published_component(space, admin_a, "meetings", "Réunions")
    meeting = make_meeting(component)
    for url in (
        meeting.get_absolute_url(),
        f"{meeting.get_absolute_url()}calendar.ics",
        component.get_absolute_url(),
    ):
        assert client_a.get(url).status_code == 404
    client_a.force_login(admin_a)
    assert client_a.get(meeting.get_absolute_url()).status_code == 200


def test_register_and_cancel_through_the_page(client_a, org_a, meeting):
    person = UserFactory(organization=org_a)
    anonymous = client_a.post(f"{meeting.get_absolute_url()}register/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client_a.force_login(person)
    client_a.post(f"{meeting.get_absolute_url()}register/")
    registration = services.live_registration(meeting, person)
    page = client_a.get(meeting.get_absolute_url()).content.decode()
    assert registration.code in page
    client_a.post(f"{meeting.get_absolute_url()}cancel/")
    assert services.live_registration(meeting, person) is None
    assert client_a.get(f"{meeting.get_absolute_url()}register/").status_code == 405


def test_admin_creates_publishes_and_closes_with_a_report(client_a, org_a, admin_a, meetings_component):
    space = meetings_component.space
    admin_base = f"/admin/spaces/{space.pk}/components/{meetings_component.pk}/meetings/"
    participant = UserFactory(organization=org_a)
    client_a.force_login(participant)
    assert client_a.get(admin_base).status_code == 403
    client_a.force_login(admin_a)
    bad = {
        "title": "Sans adresse",
        "kind": "in_person",
        "start_time": "2030-05-01T18:00",
        "end_time": "2030-05-01T17:00",
    }
    assert client_a.post(f"{admin_base}new/", bad).status_code == 200
    assert not Meeting.objects.exists()
    good = {
        **bad,
        "address": "Mairie",
        "end_time": "2030-05-01T20:00",
        "agenda": "1. Accueil",
        "capacity": "0",
    }
    assert client_a.post(f"{admin_base}new/", good).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.published_at is None
    assert Client(HTTP_HOST=org_a.host).get(meeting.get_absolute_url()).status_code == 404
    client_a.post(f"{admin_base}{meeting.pk}/publish/", {"published": "1"})
    assert Client(HTTP_HOST=org_a.host).get(meeting.get_absolute_url()).status_code == 200

    proposals_component = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)
    proposal = proposals.do_create_draft(
        user=participant, component=proposals_component, title="Une idée née en réunion", body="Le texte."
    )
    proposals.do_publish(proposal=proposal, user=participant)
    assert client_a.post(f"{admin_base}{meeting.pk}/close/", {"minutes": ""}).status_code == 200
    response = client_a.post(
        f"{admin_base}{meeting.pk}/close/",
        {
            "minutes": "Compte rendu.",
            "attendee_count": "42",
            "attending_organizations": "Comité",
            "proposals": [proposal.pk],
        },
    )
    assert response.status_code == 302
    page = Client(HTTP_HOST=org_a.host).get(meeting.get_absolute_url()).content.decode()
    assert "Compte rendu." in page and "Une idée née en réunion" in page and "42" in page


def test_comments_on_a_meeting(client_a, org_a, meeting):
    person = UserFactory(organization=org_a)
    do_add_comment(user=person, resource=meeting, body="Je viendrai avec des voisins.")
    meeting.refresh_from_db()
    assert meeting.comment_count == 1
    assert "Je viendrai avec des voisins." in client_a.get(meeting.get_absolute_url()).content.decode()


def test_meetings_are_searchable(org_a, meetings_component, django_capture_on_commit_callbacks):
    from civitas.search.queries import search

    with django_capture_on_commit_callbacks(execute=True):
        make_meeting(meetings_component, title="Réunion sur la piétonnisation")
        make_meeting(meetings_component, title="Piétonnisation en brouillon", published_at=None)
    person = UserFactory(organization=org_a)
    hits = search(user=person, organization=org_a, query="pietonnisation").hits
    assert [hit.document.title for hit in hits] == ["Réunion sur la piétonnisation"]
