"""Sending: who receives it, consent re-checked at the moment of sending, unsubscribing,
the headers a mail client needs, failures, bounces, pace, GDPR."""

import email
import re
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.test import Client

from civitas.accounts.services import do_delete_account
from civitas.actionlog.models import ActionLogEntry
from civitas.authorizations.models import Authorization
from civitas.core.gdpr import build_export
from civitas.newsletters import audiences, services
from civitas.newsletters.bounces import delivery_reference
from civitas.newsletters.models import Delivery, Newsletter, NewsletterConsent
from civitas.newsletters.rendering import UNSUBSCRIBE_SALT, unsubscribe_token
from civitas.newsletters.tests.conftest import residents, send_all
from civitas.notifications.models import Follow
from civitas.spaces.models import Space
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_space

pytestmark = pytest.mark.django_db


def _send(newsletter, admin, on_commit):
    with on_commit():
        services.do_send(newsletter=newsletter, user=admin)
    newsletter.refresh_from_db()
    return newsletter


def _unsubscribe_link(message) -> str:
    return re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)


def test_only_people_who_consented_receive_it_with_one_click_unsubscribe_headers(
    org_a, admin_a, newsletter_a, on_commit, fast_sending
):
    consenting = residents(org_a, 4)
    residents(org_a, 3, consent=False, prefix="silent")
    withdrawn = residents(org_a, 1, prefix="withdrawn")[0]
    services.do_set_consent(withdrawn, False, source="settings")
    unconfirmed = residents(org_a, 1, prefix="unconfirmed")[0]
    unconfirmed.email_confirmed_at = None
    unconfirmed.save()

    assert services.recipient_count(newsletter_a) == 4
    _send(newsletter_a, admin_a, on_commit)
    send_all(newsletter_a)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in consenting)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = _unsubscribe_link(message)
    assert link.startswith("http://commune-a.test/newsletters/unsubscribe/")
    html = message.alternatives[0][0]
    assert 'href="http://commune-a.test/spaces/budget/"' in html  # relative links made absolute
    assert link in html and link in message.body
    assert "Votez ici (http://commune-a.test/spaces/budget/) avant le 12 mars." in message.body
    newsletter_a.refresh_from_db()
    assert newsletter_a.status == Newsletter.Status.SENT
    assert services.progress(newsletter_a)["done"] == 4
    assert set(newsletter_a.deliveries.values_list("status", flat=True)) == {"sent"}
    logged = ActionLogEntry.objects.filter(
        target_type="newsletters.Newsletter", target_id=str(newsletter_a.pk)
    )
    assert sorted(logged.values_list("action", flat=True)) == ["newsletter.create", "newsletter.send"]


def test_someone_who_unsubscribes_after_queueing_never_receives_the_next_batch(
    org_a, admin_a, newsletter_a, on_commit, fast_sending, settings
):
    people = residents(org_a, 7)
    settings.NEWSLETTER_MAX_PER_MINUTE = 1  # the first batch only, the next ones wait
    _send(newsletter_a, admin_a, on_commit)
    assert newsletter_a.deliveries.count() == 7
    assert len(mail.outbox) == 1  # batch of one: the rate allows one a minute
    first = mail.outbox[0].to[0]
    last = max(people, key=lambda person: person.pk)
    assert last.email != first

    # The last person follows the link of an earlier newsletter: the one-click POST, no session.
    Client(HTTP_HOST=org_a.host).post(f"/newsletters/unsubscribe/{unsubscribe_token(last)}/")

    settings.NEWSLETTER_MAX_PER_MINUTE = 100000
    send_all(newsletter_a)
    received = [message.to[0] for message in mail.outbox]
    assert last.email not in received and len(received) == 6
    assert Delivery.objects.get(newsletter=newsletter_a, user=last).status == Delivery.Status.SKIPPED
    assert services.progress(newsletter_a)["rows"][4][2] == 1  # shown as "skipped: unsubscribed"


def test_one_click_post_needs_no_login_and_no_csrf_token_and_get_only_asks(org_a, user_a):
    services.do_set_consent(user_a, True, source="signup")
    client = Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True)
    url = f"/newsletters/unsubscribe/{unsubscribe_token(user_a)}/"

    page = client.get(url)
    assert page.status_code == 200 and '<form method="post"' in page.content.decode()
    assert NewsletterConsent.objects.get(user=user_a).consented_at is not None  # GET changes nothing

    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    consent = NewsletterConsent.objects.get(user=user_a)
    assert consent.consented_at is None and consent.withdrawn_at is not None


@pytest.mark.parametrize("tamper", ["forged", "truncated", "garbage", "other_salt"])
def test_a_bad_or_forged_token_is_refused_and_changes_nothing(org_a, user_a, tamper):
    from django.core import signing

    services.do_set_consent(user_a, True, source="signup")
    other = UserFactory(organization=org_a, email="bob@example.org", nickname="bob")
    services.do_set_consent(other, True, source="signup")
    good = unsubscribe_token(user_a)
    token = {
        # Someone else's id with alice's signature.
        # Bob's id under alice's signature.
        "forged": signing.Signer(salt=UNSUBSCRIBE_SALT)
        .sign_object({"u": other.pk, "o": org_a.pk})
        .rsplit(":", 1)[0]
        + ":"
        + good.rsplit(":", 1)[1],
        "truncated": good[:-3],
        "garbage": "not-a-token",
        "other_salt": signing.Signer(salt="civitas.other").sign_object({"u": other.pk, "o": org_a.pk}),
    }[tamper]
    client = Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True)
    assert client.post(f"/newsletters/unsubscribe/{token}/").status_code == 400
    assert client.get(f"/newsletters/unsubscribe/{token}/").status_code == 400
    assert NewsletterConsent.objects.filter(consented_at__isnull=False).count() == 2


def test_another_organizations_token_is_refused(org_a, org_b, user_a):
    resident_b = UserFactory(organization=org_b, email="alice@example.org", nickname="alice")
    services.do_set_consent(resident_b, True, source="signup")
    services.do_set_consent(user_a, True, source="signup")
    # B's resident's token on A's host (whose account there has another id): refused.
    response = Client(HTTP_HOST=org_a.host).post(f"/newsletters/unsubscribe/{unsubscribe_token(resident_b)}/")
    assert response.status_code == 400
    assert NewsletterConsent.objects.filter(consented_at__isnull=False).count() == 2
    # A token claiming organization A for B's resident id is no signature of ours either.
    assert (
        Client(HTTP_HOST=org_b.host)
        .post(f"/newsletters/unsubscribe/{unsubscribe_token(user_a)}/")
        .status_code
        == 400
    )


def test_each_audience_is_intersected_with_consent(org_a, org_b, admin_a):
    space = published_space(org_a, admin_a, "Budget participatif")
    other_space = published_space(org_a, admin_a, "Conseil de quartier")
    space_b = Space.objects.create(organization=org_b, title="Ailleurs", slug="ailleurs")
    yes_follower, no_follower, yes_verified, no_verified, yes_other = residents(org_a, 5)
    services.do_set_consent(no_follower, False, source="settings")
    services.do_set_consent(no_verified, False, source="settings")
    space_type = ContentType.objects.get_for_model(Space)
    for person, followed in ((yes_follower, space), (no_follower, space), (yes_other, other_space)):
        Follow.objects.create(user=person, content_type=space_type, object_id=followed.pk)
    for person in (yes_verified, no_verified):
        Authorization.objects.create(
            user=person, organization=org_a, handler="census", granted_on="2026-11-02"
        )

    def chosen(**kwargs):
        return set(audiences.recipients(org_a, **kwargs).values_list("nickname", flat=True))

    assert chosen(audience="followers", space_ids=[space.pk]) == {yes_follower.nickname}
    assert chosen(audience="verified", handler="census") == {yes_verified.nickname}
    assert chosen(audience="verified", handler="letter") == set()
    assert chosen(audience="all") == {p.nickname for p in (yes_follower, yes_verified, yes_other)}
    # Another organization's space named in the selection reaches nobody.
    assert chosen(audience="followers", space_ids=[space_b.pk]) == set()


def test_participants_of_a_space_are_intersected_with_consent(org_a, admin_a):
    from civitas.stats.registry import register_participation, unregister_participation

    space = published_space(org_a, admin_a, "Budget participatif")
    other = published_space(org_a, admin_a, "Autre")
    active, silent, elsewhere = residents(org_a, 3)
    services.do_set_consent(silent, False, source="settings")
    space_type = ContentType.objects.get_for_model(Space)
    for person, target in ((active, space), (silent, space), (elsewhere, other)):
        Follow.objects.create(user=person, content_type=space_type, object_id=target.pk)
    # A participation of the test's own: following counts as acting in the space here.
    register_participation(
        "test_follow",
        "follows",
        lambda: Follow.objects.all(),
        user_field="user",
        space_field="object_id",
        date_field=None,
    )
    try:
        people = audiences.recipients(org_a, audience="participants", space_ids=[space.pk])
        assert set(people.values_list("pk", flat=True)) == {active.pk}
    finally:
        unregister_participation("test_follow")


def test_smtp_failures_are_recorded_per_recipient_and_shown(
    org_a, admin_a, newsletter_a, on_commit, fast_sending, client_a
):
    people = residents(org_a, 3)
    refused = people[1].email
    original = mail.EmailMultiAlternatives.send

    def send(message, *args, **kwargs):
        if message.to == [refused]:
            raise OSError("550 mailbox unavailable")
        return original(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMultiAlternatives, "send", send):
        _send(newsletter_a, admin_a, on_commit)
        send_all(newsletter_a)
    failed = Delivery.objects.get(newsletter=newsletter_a, email=refused)
    assert failed.status == Delivery.Status.FAILED and "550 mailbox unavailable" in failed.error
    assert len(mail.outbox) == 2
    client_a.force_login(admin_a)
    page = client_a.get(f"/admin/newsletters/{newsletter_a.pk}/").content.decode()
    assert refused in page and "550 mailbox unavailable" in page


def _bounce_report(delivery, *, status="5.1.1", action="failed") -> bytes:
    """A delivery status notification as Postfix writes one (RFC 3464), quoting our headers."""
    reference = delivery_reference(delivery.newsletter.organization_id, delivery.pk)
    return f"""From: MAILER-DAEMON@mx.example.org
To: bounces@commune-a.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

--BOUNDARY
Content-Type: text/plain

Your message could not be delivered.

--BOUNDARY
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; {delivery.email}
Action: {action}
Status: {status}

--BOUNDARY
Content-Type: text/rfc822-headers

To: {delivery.email}
Subject: {delivery.newsletter.subject}
X-Civitas-Delivery: {reference}

--BOUNDARY--
""".encode()


def test_bounce_reports_mark_deliveries_and_repeated_hard_bounces_stop_the_address(
    org_a, admin_a, on_commit, fast_sending, tmp_path, settings
):
    settings.NEWSLETTER_HARD_BOUNCE_LIMIT = 2
    bouncing, fine = residents(org_a, 2)
    mbox = tmp_path / "bounces.mbox"
    for number in (1, 2):
        newsletter = services.do_create_newsletter(
            organization=org_a,
            user=admin_a,
            subject=f"Lettre {number}",
            body="<p>Nouvelles</p>",
            audience="all",
        )
        _send(newsletter, admin_a, on_commit)
        send_all(newsletter)
        delivery = Delivery.objects.get(newsletter=newsletter, user=bouncing)
        with mbox.open("ab") as handle:
            handle.write(b"From MAILER-DAEMON Thu Dec  3 10:00:00 2026\n" + _bounce_report(delivery) + b"\n")
    soft = Delivery.objects.get(newsletter=newsletter, user=fine)
    (tmp_path / "soft.eml").write_bytes(_bounce_report(soft, status="4.2.2", action="delayed"))

    call_command("newsletter_bounces", str(mbox), str(tmp_path / "soft.eml"))

    assert set(Delivery.objects.filter(user=bouncing).values_list("status", "bounce")) == {
        ("bounced", "hard")
    }
    assert Delivery.objects.get(pk=soft.pk).bounce == "soft"
    assert NewsletterConsent.objects.get(user=bouncing).hard_bounces == 2
    audience = audiences.consenting(org_a)
    assert not audience.filter(pk=bouncing.pk).exists()  # two hard bounces: the address stops
    assert audience.filter(pk=fine.pk).exists()  # a soft bounce stops nothing
    bouncing.email = "nouvelle@example.org"
    bouncing.save()
    assert audience.filter(pk=bouncing.pk).exists()  # a new address is tried again


def test_a_forged_bounce_header_marks_nothing(
    org_a, admin_a, newsletter_a, on_commit, fast_sending, tmp_path
):
    person = residents(org_a, 1)[0]
    _send(newsletter_a, admin_a, on_commit)
    send_all(newsletter_a)
    delivery = Delivery.objects.get(newsletter=newsletter_a)
    raw = _bounce_report(delivery).decode()
    forged = re.sub(r"X-Civitas-Delivery: \S+", f"X-Civitas-Delivery: {org_a.pk}.{delivery.pk}:forged", raw)
    forged = forged.replace(person.email, "someone@else.example")
    (tmp_path / "forged.eml").write_text(forged)
    call_command("newsletter_bounces", str(tmp_path / "forged.eml"))
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT


def test_the_pace_keeps_to_the_configured_rate(org_a, admin_a, newsletter_a, on_commit, settings):
    residents(org_a, 5)
    settings.NEWSLETTER_MAX_PER_MINUTE = 120
    settings.NEWSLETTER_BATCH_SIZE = 2
    with mock.patch("civitas.newsletters.tasks.send_batch.schedule") as scheduled:
        _send(newsletter_a, admin_a, on_commit)
    assert len(mail.outbox) == 2
    (call,) = scheduled.call_args_list
    assert 0.9 < call.kwargs["delay"] <= 1.0  # two messages at 120 a minute: a second per batch
    result = services.send_next_batch(newsletter_a.pk)
    assert result.sent == 2 and result.remaining and 0.9 < result.wait_seconds <= 1.0


def test_test_message_goes_to_the_admin_only_and_is_logged(org_a, admin_a, newsletter_a, on_commit):
    residents(org_a, 2)
    with on_commit():
        services.do_send_test(newsletter=newsletter_a, user=admin_a)
    (message,) = mail.outbox
    assert message.to == [admin_a.email] and message.subject.endswith("Le budget participatif ouvre")
    assert "List-Unsubscribe" in message.extra_headers
    assert not Delivery.objects.exists()
    assert ActionLogEntry.objects.filter(action="newsletter.test").count() == 1


def test_a_sent_newsletter_cannot_be_changed_or_sent_again(
    org_a, admin_a, newsletter_a, on_commit, fast_sending
):
    residents(org_a, 1)
    _send(newsletter_a, admin_a, on_commit)
    with pytest.raises(services.NewsletterError):
        services.do_send(newsletter=newsletter_a, user=admin_a)
    with pytest.raises(services.NewsletterError):
        services.do_update_newsletter(
            newsletter=newsletter_a, user=admin_a, subject="Autre", body="<p>Autre</p>", audience="all"
        )
    assert Delivery.objects.count() == 1


def test_queueing_twice_adds_nobody_twice(org_a, admin_a, newsletter_a, fast_sending):
    residents(org_a, 5)
    Newsletter.objects.filter(pk=newsletter_a.pk).update(status=Newsletter.Status.QUEUED)
    assert services.queue_deliveries(newsletter_a.pk, chunk=2) == 5
    services.queue_deliveries(newsletter_a.pk, chunk=2)
    assert Delivery.objects.count() == 5


def test_deliveries_and_consent_are_exported_and_deleted_with_the_account(
    org_a, admin_a, user_a, newsletter_a, on_commit, fast_sending
):
    import io
    import json
    import zipfile

    services.do_set_consent(user_a, True, source="signup")
    _send(newsletter_a, admin_a, on_commit)
    send_all(newsletter_a)
    rows = json.loads(zipfile.ZipFile(io.BytesIO(build_export(user_a))).read("newsletters.json"))
    assert [row["kind"] for row in rows] == ["consent", "received"]
    assert rows[0]["consents"] is True and rows[0]["at"]
    assert rows[1]["newsletter"] == "Le budget participatif ouvre" and rows[1]["address"] == user_a.email
    admin_rows = json.loads(zipfile.ZipFile(io.BytesIO(build_export(admin_a))).read("newsletters.json"))
    assert [row["kind"] for row in admin_rows] == ["written"]

    do_delete_account(user_a)
    assert not Delivery.objects.filter(user=user_a).exists()
    assert not NewsletterConsent.objects.filter(user=user_a).exists()


def test_headers_survive_serialisation(org_a, admin_a, newsletter_a, on_commit, fast_sending):
    residents(org_a, 1)
    _send(newsletter_a, admin_a, on_commit)
    send_all(newsletter_a)
    parsed = email.message_from_bytes(mail.outbox[0].message().as_bytes())
    # A long header is folded onto a second line; a mail client unfolds it.
    assert "".join(parsed["List-Unsubscribe"].split()).startswith(
        "<http://commune-a.test/newsletters/unsubscribe/"
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["X-Civitas-Delivery"].startswith(f"{org_a.pk}.")
