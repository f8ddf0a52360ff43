"""Meetings: registration with a door code and a waiting list, closing reports.

Capacity holds under concurrency because every change to a meeting's registrations
first locks the meeting row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
transaction takes the database's write lock up front, see settings), so two people can
never both take the last place.
"""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.requirements import verification_refusal
from civitas.components.meetings.models import Meeting, Registration
from civitas.core.mail import send_email_after_commit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door
CODE_LENGTH = 8


class MeetingError(Exception):
    pass


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def live_registration(meeting, user):
    if not user.is_authenticated:
        return None
    return meeting.registrations.exclude(status=Registration.Status.CANCELLED).filter(user=user).first()


def confirmed_count(meeting) -> int:
    return meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()


def places_left(meeting) -> int | None:
    if not meeting.capacity:
        return None
    return max(meeting.capacity - confirmed_count(meeting), 0)


def check_can_register(user, meeting) -> None:
    if not user.has_perm("meetings.register", meeting.component):
        raise MeetingError(
            verification_refusal(user, meeting.component, "register")
            or _("You cannot register for meetings in this space.")
        )
    if meeting.published_at is None or meeting.hidden_at is not None:
        raise MeetingError(_("This meeting is not open for registration."))
    if not meeting.registrations_enabled:
        raise MeetingError(_("This meeting needs no registration."))
    if meeting.is_closed or meeting.start_time <= timezone.now():
        raise MeetingError(_("Registration is closed: the meeting has started."))


def _lock(meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _tell(registration, template: str) -> None:
    user = registration.user
    send_email_after_commit(
        to=user.email,
        template=template,
        locale=user.locale,
        organization=user.organization,
        context={"user": user, "meeting": registration.meeting, "registration": registration},
    )


@transaction.atomic
def do_register(*, user, meeting) -> Registration:
    check_can_register(user, meeting)
    meeting = _lock(meeting)
    if live_registration(meeting, user) is not None:
        raise MeetingError(_("You are already registered."))
    full = meeting.capacity and confirmed_count(meeting) >= meeting.capacity
    now = timezone.now()
    for _attempt in range(5):  # a code collision within one meeting is rare; draw again
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    meeting=meeting,
                    user=user,
                    code=new_code(),
                    status=Registration.Status.WAITING if full else Registration.Status.CONFIRMED,
                    confirmed_at=None if full else now,
                )
            break
        except IntegrityError:
            if live_registration(meeting, user) is not None:
                raise MeetingError(_("You are already registered.")) from None
    else:
        raise MeetingError(_("Registration failed, please try again."))
    _tell(registration, "meetings/email/waiting" if full else "meetings/email/registered")
    return registration


@transaction.atomic
def do_cancel_registration(*, registration, user) -> Registration | None:
    """Cancel; if a confirmed place is freed, the first person waiting gets it (returned)."""
    meeting = _lock(registration.meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != user.pk:
        raise MeetingError(_("This registration is not yours."))
    if registration.status == Registration.Status.CANCELLED:
        raise MeetingError(_("This registration is already cancelled."))
    if meeting.start_time <= timezone.now():
        raise MeetingError(_("The meeting has started: registrations can no longer change."))
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status, registration.cancelled_at = Registration.Status.CANCELLED, timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return _promote_waiting(meeting) if freed else None


def _promote_waiting(meeting) -> Registration | None:
    if meeting.capacity and confirmed_count(meeting) >= meeting.capacity:
        return None
    first = (
        meeting.registrations.select_for_update()
        .filter(status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .select_related("user", "meeting")
        .first()
    )
    if first is None:
        return None
    first.status, first.confirmed_at = Registration.Status.CONFIRMED, timezone.now()
    first.save(update_fields=["status", "confirmed_at"])
    _tell(first, "meetings/email/promoted")
    return first


@transaction.atomic
def do_save_meeting(*, form, user, component) -> Meeting:
    """Create or edit a meeting; more places promote people from the waiting list."""
    before = snapshot(form.instance) if form.instance.pk else None
    meeting = form.save(commit=False)
    meeting.component = component
    meeting.save()
    form.save_m2m()
    log_action(
        organization=component.space.organization,
        user=user,
        action="meeting.update" if before else "meeting.create",
        target=meeting,
        space=component.space,
        before=before,
        after=snapshot(meeting),
    )
    if before is not None:
        meeting = _lock(meeting)
        while _promote_waiting(meeting) is not None:
            pass
    return meeting


@transaction.atomic
def do_set_meeting_published(*, meeting, user, published: bool) -> None:
    meeting.published_at = (meeting.published_at or timezone.now()) if published else None
    meeting.save(update_fields=["published_at", "updated_at"])
    log_action(
        organization=meeting.component.space.organization,
        user=user,
        action="meeting.publish" if published else "meeting.unpublish",
        target=meeting,
        space=meeting.component.space,
    )


@transaction.atomic
def do_close_meeting(*, form, user) -> Meeting:
    """Publish the closing report: minutes, attendance and the proposals that came out of it."""
    meeting = form.instance
    before = snapshot(meeting)
    meeting = form.save(commit=False)
    meeting.closed_at = meeting.closed_at or timezone.now()
    meeting.save()
    form.save_m2m()
    log_action(
        organization=meeting.component.space.organization,
        user=user,
        action="meeting.close",
        target=meeting,
        space=meeting.component.space,
        before=before,
        after=snapshot(meeting),
    )
    return meeting


@transaction.atomic
def do_check_in(*, meeting, code: str, user) -> Registration:
    """At the door: the code names a confirmed registration, which is marked as attended."""
    code = "".join(code.split()).upper()
    registration = meeting.registrations.select_for_update().filter(code=code).select_related("user").first()
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        raise MeetingError(_("No confirmed registration has this code."))
    if registration.attended_at is not None:
        used_at = timezone.localtime(registration.attended_at).strftime("%H:%M")
        raise MeetingError(_("This code was already used at %(time)s.") % {"time": used_at})
    registration.attended_at = timezone.now()
    registration.save(update_fields=["attended_at"])
    log_action(
        organization=meeting.component.space.organization,
        user=user,
        action="meeting.check_in",
        target=registration,
        space=meeting.component.space,
    )
    return registration
