"""Account actions. ``do_*`` functions change data; views only call them."""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from civitas.accounts.tokens import make_email_token, read_email_token
from civitas.core.mail import send_email_after_commit

User = get_user_model()


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


@transaction.atomic
def do_sign_up(request, *, name: str, nickname: str, email: str, password: str) -> "User":
    user = User.objects.create_user(
        email,
        password,
        organization=request.organization,
        name=name,
        nickname=nickname,
        locale=request.LANGUAGE_CODE,
        accepted_terms_at=timezone.now(),
    )
    send_confirmation_email(request, user)
    return user


def send_confirmation_email(request, user) -> None:
    link = _absolute(request, reverse("accounts:confirm_email", args=[make_email_token(user, user.email)]))
    send_email_after_commit(
        to=user.email,
        template="accounts/email/confirm",
        context={"user": user, "link": link},
        locale=user.locale,
        organization=user.organization,
    )


def send_two_factor_setup_email(request, user, token: str) -> None:
    link = _absolute(request, reverse("accounts:two_factor_setup", args=[token]))
    send_email_after_commit(
        to=user.email,
        template="accounts/email/two_factor_setup",
        context={"user": user, "link": link},
        locale=user.locale,
        organization=user.organization,
    )


def do_confirm_email(request, token: str):
    """Confirm the address (or the change of address) a link was sent for; None if invalid."""
    payload = read_email_token(token)
    if payload is None or payload["o"] != request.organization.pk:
        return None
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(pk=payload["u"], organization=request.organization, deleted_at__isnull=True)
            .first()
        )
        if user is None:
            return None
        if payload["e"] == user.email:
            if user.email_confirmed_at is None:
                user.email_confirmed_at = timezone.now()
                user.save(update_fields=["email_confirmed_at"])
            return user
        if payload["e"] == user.pending_email:
            if User.objects.filter(organization=user.organization, email__iexact=user.pending_email).exists():
                return None
            old_email = user.email
            user.email, user.pending_email = user.pending_email, ""
            user.email_confirmed_at = timezone.now()
            user.save(update_fields=["email", "pending_email", "email_confirmed_at"])
            send_email_after_commit(
                to=old_email,
                template="accounts/email/email_changed",
                context={"user": user},
                locale=user.locale,
                organization=user.organization,
            )
            return user
    return None


@transaction.atomic
def do_request_email_change(request, user, new_email: str) -> None:
    user.pending_email = new_email
    user.save(update_fields=["pending_email"])
    link = _absolute(request, reverse("accounts:confirm_email", args=[make_email_token(user, new_email)]))
    send_email_after_commit(
        to=new_email,
        template="accounts/email/confirm_change",
        context={"user": user, "link": link},
        locale=user.locale,
        organization=user.organization,
    )


@transaction.atomic
def do_delete_account(user) -> None:
    """Erase personal data; contributions stay, shown as by a deleted participant."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    marker = uuid.uuid4().hex[:12]
    if user.avatar:
        user.avatar.delete(save=False)
    user.name = ""
    user.nickname = f"deleted-{marker}"
    user.email = f"deleted-{marker}@deleted.invalid"
    user.pending_email = ""
    user.about = ""
    user.personal_url = ""
    user.avatar = ""
    user.locale = ""
    user.is_active = False
    user.is_organization_admin = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    # The unusable password changes the session hash: every open session of this
    # account is refused from its next request on.
