"""Follows, notifications and e-mails: at once, in daily or weekly digests, or never; each event once."""

import contextlib
import uuid
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from civitas.notifications.delivery import deliver, send_digests
from civitas.notifications.models import EmailFrequency, Follow, Notification, NotificationPreference
from civitas.notifications.services import is_following
from civitas.spaces.models import Phase, Space
from civitas.spaces.services import do_activate_phase, switch_phases_by_date
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _space(org, slug="budget", title="Budget participatif"):
    space = Space.objects.create(organization=org, slug=slug, title=title, published_at=timezone.now())
    for position, phase_title in enumerate(("Idées", "Vote", "Résultats")):
        Phase.objects.create(space=space, title=phase_title, position=position)
    return space


@pytest.fixture
def space(org_a):
    return _space(org_a)


def _follower(space, frequency=None, **fields):
    user = UserFactory(organization=space.organization, **fields)
    Follow.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(Space), object_id=space.pk
    )
    if frequency is not None:
        NotificationPreference.objects.create(user=user, email_frequency=frequency)
    return user


def _activate(on_commit, space, position, user=None):
    phase = space.phases.get(position=position)
    with on_commit():
        do_activate_phase(space=space, phase=phase, user=user)
    return phase


def _mail_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


# --- following ------------------------------------------------------------------------------


def test_follow_button_toggles(client_a, user_a, space):
    url = f"/spaces/{space.slug}/follow/"
    assert client_a.post(url).status_code == 302  # to the log-in page
    assert not Follow.objects.exists()
    client_a.force_login(user_a)
    assert client_a.get(url).status_code == 405
    response = client_a.post(url)
    assert response.status_code == 302 and response["Location"] == f"/spaces/{space.slug}/"
    assert is_following(user_a, space)
    assert Follow.objects.filter(user=user_a).count() == 1
    client_a.post(url)
    assert not is_following(user_a, space)
    assert not Follow.objects.exists()


def test_cannot_follow_what_one_cannot_see(client_a, user_a, space, org_b, client_b):
    client_a.force_login(user_a)
    hidden = Space.objects.create(
        organization=space.organization,
        slug="prive",
        title="Privé",
        visibility="private",
        published_at=timezone.now(),
    )
    draft = Space.objects.create(organization=space.organization, slug="brouillon", title="Brouillon")
    assert client_a.post(f"/spaces/{hidden.slug}/follow/").status_code == 404
    assert client_a.post(f"/spaces/{draft.slug}/follow/").status_code == 404
    # A person of commune B cannot follow a space of commune A, by either host.
    person_b = UserFactory(organization=org_b)
    client_b.force_login(person_b)
    assert client_b.post(f"/spaces/{space.slug}/follow/").status_code == 404
    assert (
        client_b.post(f"/spaces/{space.slug}/follow/", HTTP_HOST=space.organization.host).status_code == 302
    )
    assert not Follow.objects.exists()


# --- phase opened: in-app and immediate e-mail ----------------------------------------------


def test_activating_a_phase_notifies_followers_once(space, on_commit, admin_a):
    follower = _follower(space)  # no preference: immediately
    bystander = UserFactory(organization=space.organization)
    phase = _activate(on_commit, space, 0, user=admin_a)

    notification = Notification.objects.get()
    assert notification.user == follower and notification.kind == "phase_opened"
    assert notification.params == {"space": space.title, "target": phase.title}
    assert notification.url == f"/spaces/{space.slug}/"
    assert notification.read_at is None and notification.emailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [follower.email]
    assert f"http://{space.organization.host}/spaces/{space.slug}/" in message.body
    assert not Notification.objects.filter(user=bystander).exists()

    # Activating the phase that is already current tells nobody anything.
    _activate(on_commit, space, 0, user=admin_a)
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1

    # The next phase is a new event.
    _activate(on_commit, space, 1, user=admin_a)
    assert Notification.objects.filter(user=follower).count() == 2
    assert len(mail.outbox) == 2


def test_date_driven_switch_notifies_followers_once(space, on_commit):
    follower = _follower(space)
    Space.objects.filter(pk=space.pk).update(phase_switching=Space.PhaseSwitching.BY_DATE)
    space.phases.filter(position=0).update(start_date=date(2025, 3, 1))
    with on_commit():
        assert switch_phases_by_date(today=date(2025, 3, 2)) == 1
    with on_commit():
        assert switch_phases_by_date(today=date(2025, 3, 3)) == 0
    assert Notification.objects.get().user == follower
    assert len(mail.outbox) == 1


def test_nothing_is_sent_before_the_commit_nor_after_a_rollback(space, django_capture_on_commit_callbacks):
    _follower(space)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        do_activate_phase(space=space, phase=space.phases.first(), user=None)
    assert callbacks  # queued for after the commit only
    assert not Notification.objects.exists() and mail.outbox == []

    with (
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        do_activate_phase(space=space, phase=space.phases.last(), user=None)
        raise RuntimeError("the action fails")
    assert not Notification.objects.exists() and mail.outbox == []


def test_clearing_the_current_phase_notifies_nobody(space, on_commit):
    _follower(space)
    _activate(on_commit, space, 0)
    with on_commit():
        do_activate_phase(space=space, phase=None, user=None)
    assert Notification.objects.count() == 1


# --- digests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "other"), [(EmailFrequency.DAILY, EmailFrequency.WEEKLY), (EmailFrequency.WEEKLY, "daily")]
)
def test_digest_gathers_pending_notifications_in_one_email(space, on_commit, frequency, other):
    reader = _follower(space, frequency)
    _activate(on_commit, space, 0)
    _activate(on_commit, space, 1)
    assert Notification.objects.filter(user=reader, emailed_at__isnull=True).count() == 2
    assert mail.outbox == []

    with on_commit():
        assert send_digests(other) == 0
    assert mail.outbox == []

    with on_commit():
        assert send_digests(frequency) == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Idées" in body and "Vote" in body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    with on_commit():
        assert send_digests(frequency) == 0
    assert len(mail.outbox) == 1

    # Only what came after the digest goes into the next one.
    _activate(on_commit, space, 2)
    with on_commit():
        assert send_digests(frequency) == 1
    assert len(mail.outbox) == 2
    assert "Résultats" in mail.outbox[1].body and "Idées" not in mail.outbox[1].body


def test_one_digest_per_person(org_a, on_commit):
    first, second = _space(org_a, "un", "Premier"), _space(org_a, "deux", "Second")
    reader = _follower(first, EmailFrequency.DAILY)
    Follow.objects.create(
        user=reader, content_type=ContentType.objects.get_for_model(Space), object_id=second.pk
    )
    other_reader = _follower(second, EmailFrequency.DAILY)
    _activate(on_commit, first, 0)
    _activate(on_commit, second, 0)
    with on_commit():
        assert send_digests(EmailFrequency.DAILY) == 2
    assert len(_mail_to(reader)) == 1 and len(_mail_to(other_reader)) == 1
    assert "Premier" in _mail_to(reader)[0].body and "Second" in _mail_to(reader)[0].body


def test_digest_tasks_are_wired(space, on_commit):
    from civitas.notifications.tasks import send_daily_digests, send_weekly_digests

    _follower(space, EmailFrequency.DAILY)
    _follower(space, EmailFrequency.WEEKLY)
    _activate(on_commit, space, 0)
    with on_commit():
        assert send_daily_digests.call_local() == 1
        assert send_weekly_digests.call_local() == 1
    assert len(mail.outbox) == 2


def test_never_means_no_email_ever(space, on_commit):
    reader = _follower(space, EmailFrequency.NEVER)
    _activate(on_commit, space, 0)
    assert Notification.objects.filter(user=reader).count() == 1
    with on_commit():
        assert send_digests(EmailFrequency.DAILY) == 0
        assert send_digests(EmailFrequency.WEEKLY) == 0
        for frequency in (EmailFrequency.NEVER, EmailFrequency.IMMEDIATELY, "hourly"):
            with pytest.raises(ValueError, match="no digest"):
                send_digests(frequency)
    assert mail.outbox == []
    assert Notification.objects.get(user=reader).emailed_at is None


def test_immediate_readers_are_never_in_a_digest(space, on_commit):
    _follower(space)
    _activate(on_commit, space, 0)
    assert len(mail.outbox) == 1
    with on_commit():
        assert send_digests(EmailFrequency.DAILY) == 0
        assert send_digests(EmailFrequency.WEEKLY) == 0
    assert len(mail.outbox) == 1


# --- idempotence and who receives -----------------------------------------------------------


def test_delivering_the_same_event_twice_creates_nothing_new(space, on_commit):
    follower = _follower(space)
    direct = UserFactory(organization=space.organization)
    event = {
        "event_id": str(uuid.uuid4()),
        "kind": "phase_opened",
        "params": {"space": space.title, "target": "Vote"},
        "url": f"/spaces/{space.slug}/",
        "user_ids": [direct.pk, follower.pk],
        "follow_target": (ContentType.objects.get_for_model(Space).pk, space.pk),
    }
    with on_commit():
        assert deliver(**event) == 2
    with on_commit():
        assert deliver(**event) == 0
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2
    with on_commit():
        assert deliver(**{**event, "event_id": str(uuid.uuid4())}) == 2
    assert Notification.objects.count() == 4


def test_blocked_and_deleted_people_get_nothing(space, on_commit):
    blocked = _follower(space, is_active=False)
    deleted = _follower(space, deleted_at=timezone.now())
    blocked_later = _follower(space, EmailFrequency.DAILY)
    active = _follower(space)
    _activate(on_commit, space, 0)
    assert set(Notification.objects.values_list("user_id", flat=True)) == {blocked_later.pk, active.pk}
    assert [message.to for message in mail.outbox] == [[active.email]]

    blocked_later.is_active = False
    blocked_later.save()
    with on_commit():
        assert send_digests(EmailFrequency.DAILY) == 0
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(user__in=[blocked, deleted]).exists()


def test_nobody_is_notified_about_a_space_of_another_organization(org_a, org_b, space, on_commit):
    space_b = _space(org_b, slug="budget")
    reader_a = _follower(space)
    reader_b = _follower(space_b)
    _activate(on_commit, space, 0)
    assert list(Notification.objects.values_list("user_id", flat=True)) == [reader_a.pk]
    assert [message.to for message in mail.outbox] == [[reader_a.email]]
    _activate(on_commit, space_b, 0)
    assert Notification.objects.get(user=reader_b).url == "/spaces/budget/"
    assert f"http://{org_b.host}/spaces/budget/" in _mail_to(reader_b)[0].body
    assert Notification.objects.filter(user=reader_a).count() == 1


# --- pages ----------------------------------------------------------------------------------


def test_notification_list_and_mark_all_read(client_a, space, on_commit, org_a, org_b):
    reader = _follower(space, EmailFrequency.NEVER)
    _activate(on_commit, space, 0)
    _activate(on_commit, space, 1)
    other = _follower(space, EmailFrequency.NEVER)  # followed later: not told about the past
    stranger = UserFactory(organization=org_b)
    Notification.objects.create(
        user=stranger,
        event_id=uuid.uuid4(),
        kind="phase_opened",
        params={"space": "Secret de B", "target": "X"},
    )

    assert client_a.get("/notifications/").status_code == 302
    client_a.force_login(reader)
    response = client_a.get("/notifications/")
    assert response.status_code == 200
    assert response.context["unread_notification_count"] == 2
    listed = list(response.context["page"])
    assert len(listed) == 2 and {n.user_id for n in listed} == {reader.pk}
    assert "Secret de B" not in response.content.decode()
    assert client_a.get("/notifications/read/").status_code == 405

    response = client_a.post("/notifications/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert not Notification.objects.filter(user=reader, read_at__isnull=True).exists()
    assert client_a.get("/notifications/").context["unread_notification_count"] == 0
    assert not Notification.objects.filter(user=other).exists()
    assert Notification.objects.get(user=stranger).read_at is None


def test_preferences_page_saves_the_frequency(client_a, user_a):
    assert client_a.get("/notifications/settings/").status_code == 302
    client_a.force_login(user_a)
    assert client_a.get("/notifications/settings/").status_code == 200
    response = client_a.post("/notifications/settings/", {"email_frequency": "weekly"})
    assert response.status_code == 302 and response["Location"] == "/notifications/settings/"
    assert NotificationPreference.objects.get(user=user_a).email_frequency == "weekly"
    response = client_a.post("/notifications/settings/", {"email_frequency": "hourly"})
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=user_a).email_frequency == "weekly"
    client_a.post("/notifications/settings/", {"email_frequency": "never"})
    assert NotificationPreference.objects.get(user=user_a).email_frequency == "never"
    assert NotificationPreference.objects.count() == 1


def test_weekly_preference_chosen_on_the_page_delays_emails(client_a, user_a, space, on_commit):
    client_a.force_login(user_a)
    client_a.post(f"/spaces/{space.slug}/follow/")
    client_a.post("/notifications/settings/", {"email_frequency": "weekly"})
    _activate(on_commit, space, 0)
    assert Notification.objects.filter(user=user_a).count() == 1 and mail.outbox == []
    with on_commit():
        send_digests(EmailFrequency.DAILY)
    assert mail.outbox == []
    with on_commit():
        send_digests(EmailFrequency.WEEKLY)
    assert [message.to for message in mail.outbox] == [[user_a.email]]


def test_notifications_are_private_to_each_host(org_b, user_a):
    # The session of commune A opens nothing on commune B's host.
    client = Client(HTTP_HOST="commune-a.test")
    client.force_login(user_a)
    response = client.get("/notifications/", HTTP_HOST=org_b.host)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_switching_to_immediately_sends_what_was_waiting(client_a, user_a, org_a, on_commit):
    from civitas.notifications.delivery import deliver
    from civitas.notifications.models import EmailFrequency, NotificationPreference

    NotificationPreference.objects.create(user=user_a, email_frequency=EmailFrequency.WEEKLY)
    with on_commit():
        deliver(
            event_id="00000000-0000-0000-0000-000000000001",
            kind="phase_opened",
            params={"space": "Budget", "target": "Vote"},
            url="/spaces/budget/",
            user_ids=[user_a.pk],
            follow_target=None,
        )
    assert mail.outbox == []
    client_a.force_login(user_a)
    with on_commit():
        client_a.post("/notifications/settings/", {"email_frequency": "immediately"})
    assert len(mail.outbox) == 1
    assert "Vote" in mail.outbox[0].body
