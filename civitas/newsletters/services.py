"""Newsletters: consent, writing, testing, queueing and sending in paced batches, bounces.

Sending is two steps in the task queue. Queueing writes one ``Delivery`` per recipient,
reading the recipients in keyset chunks (``short_reads``) so memory stays flat for any
audience. Batches then send the queued deliveries in id order; each delivery is claimed by
one UPDATE that also re-checks the person's consent and address at that moment, so
someone who unsubscribes after queueing never gets the message. A claimed delivery is
marked sent before the message goes out: a worker dying mid-send loses that one message
rather than sending it twice.
"""

import dataclasses
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.handlers import HANDLERS
from civitas.core.richtext import plain_text
from civitas.core.streaming import short_reads
from civitas.newsletters import audiences
from civitas.newsletters.bounces import delivery_reference
from civitas.newsletters.models import Audience, Delivery, Newsletter, NewsletterConsent
from civitas.newsletters.rendering import render_newsletter, unsubscribe_url

logger = logging.getLogger(__name__)
LOGGED_FIELDS = ["subject", "audience", "handler"]
QUEUE_CHUNK = 2000


class NewsletterError(Exception):
    pass


# --- Consent ------------------------------------------------------------------------


def consent_of(user) -> NewsletterConsent | None:
    return NewsletterConsent.objects.filter(user=user).first()


def do_set_consent(user, wanted: bool, *, source: str) -> None:
    """Opt in (the moment kept as proof) or out; setting what is already set changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        consent, _created = NewsletterConsent.objects.select_for_update().get_or_create(user=user)
        if wanted and consent.consented_at is None:
            consent.consented_at, consent.consent_source = now, source
            consent.save(update_fields=["consented_at", "consent_source"])
        elif not wanted and consent.consented_at is not None:
            consent.consented_at, consent.withdrawn_at = None, now
            consent.save(update_fields=["consented_at", "withdrawn_at"])


def do_unsubscribe(*, user) -> None:
    """The one-click unsubscribe from a newsletter's link: the opt-out takes effect at once,
    for batches already queued too (they re-check consent when they send)."""
    do_set_consent(user, False, source="link")


# --- Writing ------------------------------------------------------------------------


def check_newsletter(*, organization, subject: str, body: str, audience: str, spaces, handler: str) -> None:
    if not subject.strip():
        raise NewsletterError(_("Write a subject."))
    if not plain_text(body):
        raise NewsletterError(_("Write the text of the newsletter."))
    if audience not in Audience.values:
        raise NewsletterError(_("Choose who receives the newsletter."))
    if audience in (Audience.FOLLOWERS, Audience.PARTICIPANTS):
        if not spaces:
            raise NewsletterError(_("Choose at least one space."))
        if any(space.organization_id != organization.pk for space in spaces):
            raise NewsletterError(_("Choose at least one space."))
    if audience == Audience.VERIFIED and handler not in HANDLERS:
        raise NewsletterError(_("Choose a kind of verification."))


def _apply(newsletter, *, subject, body, audience, spaces, handler) -> None:
    newsletter.subject, newsletter.body, newsletter.audience = subject.strip(), body, audience
    newsletter.handler = handler if audience == Audience.VERIFIED else ""
    newsletter.save()
    in_scope = audience in (Audience.FOLLOWERS, Audience.PARTICIPANTS)
    newsletter.spaces.set(list(spaces) if in_scope else [])


def do_create_newsletter(*, organization, user, subject, body, audience, spaces=(), handler="") -> Newsletter:
    check_newsletter(
        organization=organization,
        subject=subject,
        body=body,
        audience=audience,
        spaces=spaces,
        handler=handler,
    )
    with transaction.atomic():
        newsletter = Newsletter(organization=organization, author=user)
        _apply(newsletter, subject=subject, body=body, audience=audience, spaces=spaces, handler=handler)
        log_action(
            organization=organization,
            user=user,
            action="newsletter.create",
            target=newsletter,
            after=snapshot(newsletter, LOGGED_FIELDS),
        )
    return newsletter


def do_update_newsletter(*, newsletter, user, subject, body, audience, spaces=(), handler="") -> Newsletter:
    check_newsletter(
        organization=newsletter.organization,
        subject=subject,
        body=body,
        audience=audience,
        spaces=spaces,
        handler=handler,
    )
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if not newsletter.is_draft:
            raise NewsletterError(_("This newsletter is sent: it can no longer be changed."))
        before = snapshot(newsletter, LOGGED_FIELDS)
        _apply(newsletter, subject=subject, body=body, audience=audience, spaces=spaces, handler=handler)
        log_action(
            organization=newsletter.organization,
            user=user,
            action="newsletter.update",
            target=newsletter,
            before=before,
            after=snapshot(newsletter, LOGGED_FIELDS),
        )
    return newsletter


def recipient_count(newsletter) -> int:
    return audiences.recipients_of(newsletter).count()


# --- Test and send ------------------------------------------------------------------


def _message(newsletter, rendered, user, connection, *, delivery_id=None) -> EmailMultiAlternatives:
    url = unsubscribe_url(user)
    html_body, text_body = rendered.for_person(url)
    organization = newsletter.organization
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"<newsletter.{organization.host}>",
        "Auto-Submitted": "auto-generated",
    }
    if delivery_id is not None:
        # Bounce reports quote the original headers: this names the delivery they are about.
        headers["X-Civitas-Delivery"] = delivery_reference(organization.pk, delivery_id)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text_body,
        to=[user.email],
        reply_to=[organization.contact_email] if organization.contact_email else None,
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(html_body, "text/html")
    return message


def do_send_test(*, newsletter, user) -> None:
    """The newsletter to the admin's own address, as a recipient would get it, marked as a test."""
    with transaction.atomic():
        log_action(
            organization=newsletter.organization,
            user=user,
            action="newsletter.test",
            target=newsletter,
            after={"to": user.email},
        )
        newsletter_id, user_id = newsletter.pk, user.pk
        transaction.on_commit(lambda: _queue_test(newsletter_id, user_id))


def _queue_test(newsletter_id, user_id) -> None:
    from civitas.newsletters.tasks import send_test

    send_test(newsletter_id, user_id)


def send_test_now(newsletter_id: int, user_id: int) -> None:
    newsletter = Newsletter.objects.select_related("organization").get(pk=newsletter_id)
    user = newsletter.organization.users.get(pk=user_id)
    rendered = render_newsletter(newsletter, user.locale)
    rendered = dataclasses.replace(rendered, subject=_("[Test] %(subject)s") % {"subject": rendered.subject})
    _message(newsletter, rendered, user, None).send()


def check_send(newsletter) -> None:
    if not newsletter.is_draft:
        raise NewsletterError(_("This newsletter is already sent."))
    if not recipient_count(newsletter):
        raise NewsletterError(_("Nobody would receive this newsletter: choose other recipients."))


def do_send(*, newsletter, user) -> Newsletter:
    """Mark for sending and queue, after commit: the deliveries are written by the task queue."""
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        check_send(newsletter)
        newsletter.status = Newsletter.Status.QUEUED
        newsletter.sent_by, newsletter.send_requested_at = user, timezone.now()
        newsletter.save(update_fields=["status", "sent_by", "send_requested_at", "updated_at"])
        log_action(
            organization=newsletter.organization,
            user=user,
            action="newsletter.send",
            target=newsletter,
            after={"recipients": recipient_count(newsletter)},
        )
        newsletter_id = newsletter.pk
        transaction.on_commit(lambda: _queue_sending(newsletter_id))
    return newsletter


def _queue_sending(newsletter_id) -> None:
    from civitas.newsletters.tasks import queue_newsletter

    queue_newsletter(newsletter_id)


def queue_deliveries(newsletter_id: int, *, chunk: int = QUEUE_CHUNK) -> int:
    """One queued delivery per recipient, written chunk by chunk; run again, it adds only the missing."""
    newsletter = Newsletter.objects.select_related("organization").get(pk=newsletter_id)
    people = audiences.recipients_of(newsletter)
    batch, written = [], 0
    for user_id, email in short_reads(people, "pk", "email", chunk=chunk):
        batch.append(Delivery(newsletter_id=newsletter_id, user_id=user_id, email=email))
        if len(batch) >= chunk:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            written += len(batch)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch, ignore_conflicts=True)
        written += len(batch)
    Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.QUEUED).update(
        status=Newsletter.Status.SENDING, queued_count=newsletter.deliveries.count()
    )
    return written


def max_per_minute() -> int:
    return settings.NEWSLETTER_MAX_PER_MINUTE


def batch_size() -> int:
    return max(1, min(settings.NEWSLETTER_BATCH_SIZE, max_per_minute()))


@dataclass
class BatchResult:
    sent: int
    failed: int
    skipped: int
    remaining: bool
    wait_seconds: float  # before the next batch, so the newsletter keeps to the rate


def _still_wants(newsletter) -> Q:
    """A delivery whose person still consents, active, at the address it was queued for."""
    return Q(
        user__newsletter_consent__consented_at__isnull=False,
        user__is_active=True,
        user__deleted_at__isnull=True,
        user__email=F("email"),
    ) & ~Q(user__newsletter_consent__suppressed_email=F("email"))


def send_next_batch(newsletter_id: int) -> BatchResult:
    started = time.monotonic()
    newsletter = Newsletter.objects.select_related("organization").get(pk=newsletter_id)
    queued = Delivery.objects.filter(newsletter_id=newsletter_id, status=Delivery.Status.QUEUED)
    batch = list(queued.select_related("user", "user__organization").order_by("pk")[: batch_size()])
    rendered = {}
    sent = failed = skipped = 0
    connection = get_connection() if batch else None
    try:
        if connection is not None:
            connection.open()
        for delivery in batch:
            claimed = (
                Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.QUEUED)
                .filter(_still_wants(newsletter))
                .update(status=Delivery.Status.SENT, sent_at=timezone.now())
            )
            if not claimed:
                skipped += Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.QUEUED).update(
                    status=Delivery.Status.SKIPPED
                )
                continue
            user = delivery.user
            locale = user.locale or newsletter.organization.default_locale
            if locale not in rendered:
                rendered[locale] = render_newsletter(newsletter, locale)
            try:
                _message(newsletter, rendered[locale], user, connection, delivery_id=delivery.pk).send()
                sent += 1
            except Exception as error:  # any refusal of the mail server: recorded, the batch goes on
                failed += 1
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.FAILED, error=f"{type(error).__name__}: {error}"[:300]
                )
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # a connection already broken closes as it can
                logger.warning("newsletter %s: the mail connection did not close cleanly", newsletter_id)
    remaining = queued.exists()
    if not remaining:
        Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SENDING).update(
            status=Newsletter.Status.SENT, finished_at=timezone.now()
        )
    elapsed = time.monotonic() - started
    attempted = sent + failed
    wait = max(0.0, attempted * 60.0 / max_per_minute() - elapsed) if remaining else 0.0
    return BatchResult(sent, failed, skipped, remaining, wait)


def progress(newsletter) -> dict:
    counts = dict(
        newsletter.deliveries.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    rows = [(status, label, counts.get(status, 0)) for status, label in Delivery.Status.choices]
    total = sum(counts.values())
    done = total - counts.get(Delivery.Status.QUEUED, 0)
    return {
        "rows": rows,
        "total": total,
        "done": done,
        "percent": int(done * 100 / total) if total else 0,
        "active": newsletter.status in (Newsletter.Status.QUEUED, Newsletter.Status.SENDING),
    }


# --- Bounces ------------------------------------------------------------------------


def do_record_bounce(*, organization, delivery_id: int | None, email: str, hard: bool) -> Delivery | None:
    """Mark the delivery bounced; past the limit of hard bounces, stop sending to the address.

    The delivery is the one the report names (its ``X-Civitas-Delivery`` header), else the
    latest sent to the address in this organization.
    """
    deliveries = Delivery.objects.filter(newsletter__organization=organization)
    delivery = None
    if delivery_id is not None:
        delivery = deliveries.filter(pk=delivery_id).select_related("user").first()
    if delivery is None and email:
        delivery = (
            deliveries.filter(email__iexact=email, status__in=[Delivery.Status.SENT, Delivery.Status.BOUNCED])
            .select_related("user")
            .order_by("-sent_at", "-pk")
            .first()
        )
    if delivery is None:
        return None
    with transaction.atomic():
        first_report = delivery.status != Delivery.Status.BOUNCED
        delivery.status, delivery.bounce, delivery.bounced_at = (
            Delivery.Status.BOUNCED,
            "hard" if hard else "soft",
            timezone.now(),
        )
        delivery.save(update_fields=["status", "bounce", "bounced_at"])
        if hard and first_report:
            consent, _created = NewsletterConsent.objects.select_for_update().get_or_create(
                user=delivery.user
            )
            consent.hard_bounces += 1
            if consent.hard_bounces >= settings.NEWSLETTER_HARD_BOUNCE_LIMIT:
                consent.suppressed_email = delivery.email
            consent.save(update_fields=["hard_bounces", "suppressed_email"])
    return delivery
