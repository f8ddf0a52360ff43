"""Account actions. ``do_*`` functions change data; views only call them."""

import uuid

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from civitas.accounts import tasks
from civitas.accounts.tokens import make_email_token, read_email_token
from civitas.core.mail import render_subject, render_text, send_email_after_commit
from civitas.core.tasks import send_email
from civitas.legal.services import do_record_sign_up_acceptance
from civitas.organizations import links
from civitas.organizations.links import absolute_url

User = get_user_model()


@transaction.atomic
def do_sign_up(
    request, *, name: str, nickname: str, email: str, password: str, newsletter: bool = False
) -> "User | None":
    """Create the account and e-mail its confirmation link.

    If an account of the organization already uses the address, nothing is created and
    that account's owner is told by e-mail instead; the visitor sees the same page
    either way, so the sign-up form never tells whether an address has an account.
    The password is hashed in both cases, so both take as long.
    """
    existing = User.objects.filter(organization=request.organization, email__iexact=email).first()
    if existing is not None:
        make_password(password)
        _tell_owner_of_sign_up_attempt(request, existing)
        return None
    user = User.objects.create_user(
        email,
        password,
        organization=request.organization,
        name=name,
        nickname=nickname,
        locale=request.LANGUAGE_CODE,
        accepted_terms_at=timezone.now(),
    )
    do_record_sign_up_acceptance(user)  # the version in force, accepted with the form's box
    if newsletter:  # the opt-in box, unticked by default; its moment is kept as the proof
        from civitas.newsletters.services import do_set_consent

        do_set_consent(user, True, source="signup")
    send_confirmation_email(request, user)
    return user


def _tell_owner_of_sign_up_attempt(request, user) -> None:
    send_email_after_commit(
        to=user.email,
        template="accounts/email/signup_existing",
        context={
            "user": user,
            "login_link": absolute_url(user.organization, reverse("accounts:login")),
            "reset_link": absolute_url(user.organization, reverse("accounts:password_reset")),
        },
        locale=user.locale,
        organization=user.organization,
    )


def send_confirmation_email(request, user) -> None:
    send_confirmation_email_to(user)


def send_confirmation_email_to(user) -> None:
    # On the organization's own host: the request's Host header is the sender's choice.
    link = absolute_url(
        user.organization, reverse("accounts:confirm_email", args=[make_email_token(user, user.email)])
    )
    send_email_after_commit(
        to=user.email,
        template="accounts/email/confirm",
        context={"user": user, "link": link},
        locale=user.locale,
        organization=user.organization,
    )


def send_two_factor_setup_email(user, token: str) -> None:
    # On the organization's own host, like every e-mailed link (organizations/links.py).
    link = absolute_url(user.organization, reverse("accounts:two_factor_setup", args=[token]))
    send_email_after_commit(
        to=user.email,
        template="accounts/email/two_factor_setup",
        context={"user": user, "link": link},
        locale=user.locale,
        organization=user.organization,
    )


def queue_password_reset(request, email: str) -> None:
    """Queue the reset e-mail: the lookup of the account happens in the task.

    The request does the same work whether or not an account uses the address (it
    never looks), so neither its answer nor its duration tells.
    """
    organization = request.organization
    # The link is built on the organization's own host, never from the request's Host header.
    organization_id, domain = organization.pk, links.netloc(organization)
    use_https = links.scheme() == "https"
    transaction.on_commit(lambda: tasks.send_password_reset(organization_id, email, domain, use_https))


def queue_confirmation_resend(request, email: str) -> None:
    """Queue a new confirmation link; like the reset, the account is looked up in the task."""
    organization_id = request.organization.pk
    transaction.on_commit(lambda: tasks.resend_confirmation(organization_id, email))


class _PasswordResetMailer(auth_forms.PasswordResetForm):
    """Django's reset e-mail (uid, one-time token, templates) for one organization's accounts."""

    def __init__(self, organization, email: str):
        super().__init__({"email": email})
        self.organization = organization
        self.cleaned_data = {"email": email}

    def get_users(self, email):
        return User.objects.filter(
            organization=self.organization,
            email__iexact=email.strip(),
            is_active=True,
            deleted_at__isnull=True,
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        with translation.override(user.locale or self.organization.default_locale):
            subject = render_subject(subject_template_name, context)
            text_body = render_text(email_template_name, context)
            html_body = render_to_string(html_email_template_name, context)
        reply_to = [self.organization.contact_email] if self.organization.contact_email else None
        transaction.on_commit(
            lambda: send_email(
                to=[to_email], subject=subject, text_body=text_body, html_body=html_body, reply_to=reply_to
            )
        )


def do_send_password_reset(organization, email: str, domain: str, use_https: bool) -> None:
    """E-mail a reset link to the account of the organization that uses this address, if any."""
    _PasswordResetMailer(organization, email).save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="accounts/email/password_reset_subject.txt",
        email_template_name="accounts/email/password_reset.txt",
        html_email_template_name="accounts/email/password_reset.html",
        extra_email_context={"organization": organization},
    )


def do_resend_confirmation(organization, email: str) -> None:
    user = User.objects.filter(
        organization=organization,
        email__iexact=email,
        email_confirmed_at__isnull=True,
        deleted_at__isnull=True,
    ).first()
    if user is not None:
        send_confirmation_email_to(user)


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
    """Send the confirmation link to the new address, or tell its owner if it is taken.

    The person asking sees the same answer either way, so the form does not tell whether
    an address has an account.
    """
    # Shown as pending either way, so the settings page looks the same; a taken address
    # gets no link (and confirming would be refused anyway, see do_confirm_email).
    user.pending_email = new_email
    user.save(update_fields=["pending_email"])
    owner = (
        User.objects.filter(organization=user.organization, email__iexact=new_email)
        .exclude(pk=user.pk)
        .first()
    )
    if owner is not None:
        send_email_after_commit(
            to=owner.email,
            template="accounts/email/address_in_use",
            context={
                "user": owner,
                "login_link": absolute_url(owner.organization, reverse("accounts:login")),
            },
            locale=owner.locale,
            organization=owner.organization,
        )
        return
    link = absolute_url(
        user.organization, reverse("accounts:confirm_email", args=[make_email_token(user, new_email)])
    )
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
    user.is_user_manager = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    TOTPDevice.objects.filter(user=user).delete()
    # The unusable password changes the session hash: every open session of this
    # account is refused from its next request on.
