"""Organization roles: invitations (sent, sent again, revoked, accepted) and their removal.

``check_…`` functions raise ``PeopleError`` with a sentence for the admin and change
nothing; ``do_…`` functions change data, write the action log in the same transaction and
e-mail the person after commit.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action
from civitas.core.mail import send_email_after_commit
from civitas.legal.services import do_record_sign_up_acceptance
from civitas.organizations.links import absolute_url
from civitas.people.models import SPACE_ROLES, Invitation, InvitedRole
from civitas.people.tokens import hash_token, new_token

User = get_user_model()

INVITATION_VALIDITY = datetime.timedelta(days=7)
ORGANIZATION_ROLES = (InvitedRole.ORGANIZATION_ADMIN, InvitedRole.USER_MANAGER)
_FLAG = {InvitedRole.ORGANIZATION_ADMIN: "is_organization_admin", InvitedRole.USER_MANAGER: "is_user_manager"}


class PeopleError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def people_of(organization):
    """The organization's accounts that may hold a role: active, not deleted."""
    return User.objects.filter(organization=organization, is_active=True, deleted_at__isnull=True)


def holds_role(person, role: str, space=None) -> bool:
    if role in _FLAG:
        return bool(getattr(person, _FLAG[role]))
    from civitas.spaces.models import SpaceRole

    return SpaceRole.objects.filter(space=space, user=person, role=SPACE_ROLES[role]).exists()


def _details(invitation: Invitation) -> dict:
    """What the action log keeps of an invitation: the address, the role, the space."""
    details = {"email": invitation.email, "role": invitation.role}
    if invitation.space_id:
        details["space"] = invitation.space.title
    return details


# --- Sending --------------------------------------------------------------------------------


def check_invite(*, organization, email: str, role: str, space=None) -> None:
    if role not in InvitedRole.values:
        raise PeopleError(_("Choose one of the roles of the list."))
    if role in SPACE_ROLES:
        if space is None or space.organization_id != organization.pk:
            raise PeopleError(_("Choose the space in which the person will hold this role."))
    elif space is not None:
        raise PeopleError(_("This role is held in the whole organization: choose no space."))
    person = people_of(organization).filter(email__iexact=email).first()
    if person is not None and holds_role(person, role, space):
        raise PeopleError(_("This person already holds this role."))
    pending = Invitation.objects.filter(
        organization=organization,
        email__iexact=email,
        role=role,
        space=space,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if pending.exists():
        raise PeopleError(_("An invitation to this role is already waiting for this address: send it again."))


def _send(invitation: Invitation, token: str) -> None:
    person = people_of(invitation.organization).filter(email__iexact=invitation.email).first()
    send_email_after_commit(
        to=invitation.email,
        template="people/email/invitation",
        context={
            "invitation": invitation,
            "role": invitation.get_role_display(),
            "has_account": person is not None,
            "inviter": invitation.invited_by.name if invitation.invited_by else "",
            "link": absolute_url(invitation.organization, reverse("people:accept", args=[token])),
            "days": INVITATION_VALIDITY.days,
        },
        locale=person.locale if person else None,
        organization=invitation.organization,
    )


@transaction.atomic
def do_invite(*, organization, admin, email: str, role: str, space=None) -> tuple[Invitation, str]:
    """Invite ``email`` to ``role``; returns the invitation and its token (for the e-mail only)."""
    email = email.strip().lower()
    check_invite(organization=organization, email=email, role=role, space=space)
    token = new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        space=space,
        token_hash=hash_token(token),
        invited_by=admin,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_VALIDITY,
    )
    log_action(
        organization=organization,
        user=admin,
        action="people.invite",
        target=invitation,
        space=space,
        after=_details(invitation),
    )
    _send(invitation, token)
    return invitation, token


@transaction.atomic
def do_resend_invitation(*, invitation: Invitation, admin) -> str:
    """A new link, valid from now on; the old one stops working. A revoked invitation comes back."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise PeopleError(_("This invitation is already accepted."))
    token = new_token()
    now = timezone.now()
    invitation.token_hash = hash_token(token)
    invitation.sent_at, invitation.expires_at, invitation.revoked_at = now, now + INVITATION_VALIDITY, None
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "revoked_at"])
    log_action(
        organization=invitation.organization,
        user=admin,
        action="people.invitation_resend",
        target=invitation,
        space=invitation.space,
        after=_details(invitation),
    )
    _send(invitation, token)
    return token


@transaction.atomic
def do_revoke_invitation(*, invitation: Invitation, admin) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise PeopleError(_("This invitation is already accepted: remove the role instead."))
    if invitation.revoked_at is not None:
        raise PeopleError(_("This invitation is already revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_action(
        organization=invitation.organization,
        user=admin,
        action="people.invitation_revoke",
        target=invitation,
        space=invitation.space,
        before=_details(invitation),
    )


# --- Answering ------------------------------------------------------------------------------


def find_invitation(organization, token: str) -> Invitation:
    """The invitation this link opens on this organization's host, if it still may be accepted."""
    invitation = (
        Invitation.objects.select_related("space", "organization")
        .filter(organization=organization, token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise PeopleError(
            _("This invitation link is not valid. Ask the person who invited you for a new one.")
        )
    if invitation.accepted_at is not None:
        raise PeopleError(_("This invitation has already been used. Log in to use your role."))
    if invitation.revoked_at is not None:
        raise PeopleError(_("This invitation was withdrawn. Ask the person who invited you for a new one."))
    if invitation.expires_at <= timezone.now():
        raise PeopleError(_("This invitation has expired. Ask the person who invited you to send it again."))
    return invitation


def invited_account(invitation: Invitation):
    """The account that already uses the invited address in the organization, if any."""
    return User.objects.filter(
        organization_id=invitation.organization_id, email__iexact=invitation.email, deleted_at__isnull=True
    ).first()


def _grant(invitation: Invitation, person) -> None:
    if invitation.role in _FLAG:
        setattr(person, _FLAG[invitation.role], True)
        person.save(update_fields=[_FLAG[invitation.role]])
        return
    from civitas.spaces.models import SpaceRole

    space = invitation.space
    last = space.roles.aggregate(top=Max("position"))["top"]
    SpaceRole.objects.get_or_create(
        space=space,
        user=person,
        role=SPACE_ROLES[invitation.role],
        defaults={"position": 0 if last is None else last + 1},
    )


def _accept(invitation: Invitation, person) -> None:
    invitation.accepted_at, invitation.accepted_by = timezone.now(), person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _grant(invitation, person)
    log_action(
        organization=invitation.organization,
        user=person,
        action="people.invitation_accept",
        target=invitation,
        space=invitation.space,
        after=_details(invitation),
    )
    _tell(person, invitation.role, invitation.space, granted=True)


def _lock(invitation: Invitation) -> Invitation:
    """Read the invitation again under a lock: two answers to one link, only one counts."""
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("space", "organization")
        .get(pk=invitation.pk)
    )
    if locked.accepted_at is not None or locked.revoked_at is not None or locked.expires_at <= timezone.now():
        raise PeopleError(_("This invitation can no longer be accepted."))
    return locked


@transaction.atomic
def do_accept_invitation(*, invitation: Invitation, user) -> None:
    """An existing account, logged in, takes the role it was invited to."""
    invitation = _lock(invitation)
    if user.organization_id != invitation.organization_id or user.email.lower() != invitation.email.lower():
        raise PeopleError(
            _("This invitation was sent to another address: log in with the account of that address.")
        )
    _accept(invitation, user)


@transaction.atomic
def do_accept_with_new_account(
    *, invitation: Invitation, name: str, nickname: str, password: str, locale: str
):
    """Create the invited person's account (the link proves the address) and give it the role."""
    invitation = _lock(invitation)
    if invited_account(invitation) is not None:
        raise PeopleError(_("An account already uses this address: log in to accept the invitation."))
    now = timezone.now()
    person = User.objects.create_user(
        invitation.email,
        password,
        organization=invitation.organization,
        name=name,
        nickname=nickname,
        locale=locale,
        email_confirmed_at=now,
        accepted_terms_at=now,
    )
    do_record_sign_up_acceptance(person)  # the terms in force, accepted with the form's box
    _accept(invitation, person)
    return person


# --- Removing -------------------------------------------------------------------------------


def check_remove_role(*, admin, person, role: str) -> None:
    if role not in ORGANIZATION_ROLES:
        raise PeopleError(_("Choose one of the roles of the list."))
    if person.organization_id != admin.organization_id or not getattr(person, _FLAG[role]):
        raise PeopleError(_("This person does not hold this role."))
    if role == InvitedRole.ORGANIZATION_ADMIN:
        if person.pk == admin.pk:
            # Taking one's own admin role away would leave one outside the page to undo it.
            raise PeopleError(_("You cannot remove your own admin role: ask another admin to do it."))
        admins = people_of(admin.organization).filter(is_organization_admin=True)
        if not admins.exclude(pk=person.pk).exists():
            raise PeopleError(_("The organization must keep at least one admin."))


@transaction.atomic
def do_remove_role(*, admin, person, role: str) -> None:
    # Lock the organization's admins: two admins removing each other at once cannot both win.
    list(people_of(admin.organization).filter(is_organization_admin=True).select_for_update())
    person = User.objects.select_for_update().get(pk=person.pk)
    check_remove_role(admin=admin, person=person, role=role)
    setattr(person, _FLAG[role], False)
    person.save(update_fields=[_FLAG[role]])
    log_action(
        organization=admin.organization,
        user=admin,
        action="people.role_remove",
        target=person,
        before={"person": person.nickname, "role": role},
    )
    _tell(person, role, None, granted=False)


def _tell(person, role: str, space, *, granted: bool) -> None:
    from civitas.spaces.services import tell_role_change

    tell_role_change(person, role_label=InvitedRole(role).label, space=space, granted=granted)
