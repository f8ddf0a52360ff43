import threading

import pytest
from django.core import mail
from django.db import connection

from civitas.components.meetings import services
from civitas.components.meetings.models import Registration
from civitas.components.meetings.tests.conftest import make_meeting
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_gives_a_code_then_the_waiting_list(org_a, meeting, on_commit):
    first, second, third = (UserFactory(organization=org_a) for _ in range(3))
    with on_commit():
        a = services.do_register(user=first, meeting=meeting)
        b = services.do_register(user=second, meeting=meeting)
        c = services.do_register(user=third, meeting=meeting)
    assert [a.status, b.status, c.status] == ["confirmed", "confirmed", "waiting"]
    assert len(a.code) == services.CODE_LENGTH and a.code != b.code
    assert set(a.code) <= set(services.CODE_ALPHABET)
    assert a.code in mail.outbox[0].body
    assert mail.outbox[2].to == [third.email] and c.code not in mail.outbox[2].body  # no code while waiting
    with pytest.raises(services.MeetingError):
        services.do_register(user=first, meeting=meeting)
    assert Registration.objects.filter(meeting=meeting).count() == 3


def test_cancelling_promotes_the_first_person_waiting(org_a, meeting, on_commit):
    people = [UserFactory(organization=org_a) for _ in range(4)]
    registrations = [services.do_register(user=person, meeting=meeting) for person in people]
    mail.outbox.clear()
    with on_commit():
        promoted = services.do_cancel_registration(registration=registrations[0], user=people[0])
    assert promoted.pk == registrations[2].pk and promoted.status == "confirmed"
    assert mail.outbox[0].to == [people[2].email] and promoted.code in mail.outbox[0].body
    registrations[3].refresh_from_db()
    assert registrations[3].status == "waiting"
    # Leaving the waiting list frees no place.
    assert services.do_cancel_registration(registration=registrations[3], user=people[3]) is None
    # Cancelled people may come back, at the end of the queue.
    again = services.do_register(user=people[0], meeting=meeting)
    assert again.status == "waiting"
    with pytest.raises(services.MeetingError):
        services.do_cancel_registration(registration=again, user=people[1])


def test_more_places_promote_waiting_people(org_a, admin_a, meeting):
    from civitas.components.meetings.forms import MeetingForm

    people = [UserFactory(organization=org_a) for _ in range(4)]
    for person in people:
        services.do_register(user=person, meeting=meeting)
    data = {
        "title": meeting.title,
        "kind": meeting.kind,
        "start_time": meeting.start_time.strftime("%Y-%m-%dT%H:%M"),
        "end_time": meeting.end_time.strftime("%Y-%m-%dT%H:%M"),
        "address": meeting.address,
        "registrations_enabled": "on",
        "capacity": "3",
    }
    form = MeetingForm(data, instance=meeting)
    assert form.is_valid(), form.errors
    services.do_save_meeting(form=form, user=admin_a, component=meeting.component)
    statuses = list(meeting.registrations.order_by("pk").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]


def test_who_may_register(org_a, org_b, meetings_component):
    meeting = make_meeting(meetings_component)
    stranger = UserFactory(organization=org_b)
    unconfirmed = UserFactory(organization=org_a, email_confirmed_at=None)
    for person in (stranger, unconfirmed):
        with pytest.raises(services.MeetingError):
            services.do_register(user=person, meeting=meeting)
    no_registration = make_meeting(meetings_component, registrations_enabled=False)
    draft = make_meeting(meetings_component, published_at=None)
    for closed in (no_registration, draft):
        with pytest.raises(services.MeetingError):
            services.do_register(user=UserFactory(organization=org_a), meeting=closed)
    assert not Registration.objects.exists()


def test_check_in_at_the_door(org_a, admin_a, meeting):
    person = UserFactory(organization=org_a)
    registration = services.do_register(user=person, meeting=meeting)
    checked = services.do_check_in(meeting=meeting, code=f" {registration.code.lower()} ", user=admin_a)
    assert checked.attended_at is not None
    with pytest.raises(services.MeetingError):
        services.do_check_in(meeting=meeting, code=registration.code, user=admin_a)  # used twice
    with pytest.raises(services.MeetingError):
        services.do_check_in(meeting=meeting, code="NOPE2345", user=admin_a)


@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_registrations(org_a, admin_a):
    from civitas.testing.participation import published_component, published_space

    space = published_space(org_a, admin_a, "Concertation")
    component = published_component(space, admin_a, "meetings", "Réunions")
    meeting = make_meeting(component, capacity=5)
    people = [UserFactory(organization=org_a) for _ in range(12)]
    barrier = threading.Barrier(len(people))
    errors = []

    def register(person):
        try:
            barrier.wait(timeout=30)
            services.do_register(user=person, meeting=meeting)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    registrations = list(Registration.objects.filter(meeting=meeting))
    assert len(registrations) == 12
    assert sum(r.status == "confirmed" for r in registrations) == 5
    assert sum(r.status == "waiting" for r in registrations) == 7
    assert len({r.code for r in registrations}) == 12

    # Concurrent cancellations of confirmed places promote exactly as many people waiting.
    confirmed = [r for r in registrations if r.status == "confirmed"][:3]
    barrier = threading.Barrier(len(confirmed))

    def cancel(registration):
        try:
            barrier.wait(timeout=30)
            services.do_cancel_registration(registration=registration, user=registration.user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in confirmed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Registration.objects.filter(meeting=meeting, status="confirmed").count() == 5
    assert Registration.objects.filter(meeting=meeting, status="waiting").count() == 4
