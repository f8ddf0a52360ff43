"""Creating notifications and e-mailing them, immediately or as digests."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civitas.core.mail import send_email_after_commit
from civitas.notifications.models import EmailFrequency, Follow, Notification, NotificationPreference
from civitas.organizations import links


def frequency_of(user) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.email_frequency if preference else EmailFrequency.IMMEDIATELY


def deliver(*, event_id: str, kind: str, params: dict, url: str, user_ids, follow_target) -> int:
    """Create the notifications of one event; idempotent thanks to the event id."""
    recipients = set(user_ids)
    if follow_target is not None:
        content_type_id, object_id = follow_target
        recipients |= set(
            Follow.objects.filter(content_type_id=content_type_id, object_id=object_id).values_list(
                "user_id", flat=True
            )
        )
    users = get_user_model().objects.filter(pk__in=recipients, is_active=True, deleted_at__isnull=True)
    created = 0
    for user in users.select_related("organization"):
        with transaction.atomic():
            notification, is_new = Notification.objects.get_or_create(
                user=user, event_id=event_id, defaults={"kind": kind, "params": params, "url": url}
            )
            if not is_new:
                continue
            created += 1
            if frequency_of(user) == EmailFrequency.IMMEDIATELY:
                _email(user, [notification])
    return created


def send_pending_now(user) -> bool:
    """E-mail what is still waiting, e.g. when someone switches from a digest to "immediately"."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(user=user, emailed_at__isnull=True)
            .order_by("created_at")
        )
        if pending:
            _email(user, pending)
    return bool(pending)


def send_digests(frequency: str) -> int:
    """One e-mail per person with everything not yet e-mailed; returns how many were sent."""
    if frequency not in (EmailFrequency.DAILY, EmailFrequency.WEEKLY):
        # "never" must mean never, and "immediately" has nothing to gather.
        raise ValueError(f"no digest is sent for the frequency {frequency!r}")
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__notification_preference__email_frequency=frequency,
            user__is_active=True,
            user__deleted_at__isnull=True,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in get_user_model().objects.filter(pk__in=list(pending)).select_related("organization"):
        with transaction.atomic():
            notifications = list(
                Notification.objects.select_for_update()
                .filter(user=user, emailed_at__isnull=True)
                .order_by("created_at")
            )
            if notifications:
                _email(user, notifications)
                sent += 1
    return sent


def _email(user, notifications) -> None:
    """Mark as e-mailed and queue the message in the same transaction: it is sent once."""
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=timezone.now())
    organization = user.organization
    base = links.base_url(organization) if organization else ""
    send_email_after_commit(
        to=user.email,
        template="notifications/email/notifications",
        context={"user": user, "notifications": notifications, "base_url": base, "count": len(notifications)},
        locale=user.locale,
        organization=organization,
    )
