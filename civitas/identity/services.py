"""Accounts and identity providers: log-in, sign-up, link, unlink.

``check_…`` validates, ``do_…`` changes data, as everywhere in Civitas. Every change is
one transaction; a failure changes nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.authorizations.models import Authorization
from civitas.authorizations.persons import person_digest, person_key
from civitas.identity.client import IdentityError, ProviderIdentity
from civitas.identity.kinds import FRANCECONNECT, KINDS, PROCONNECT
from civitas.identity.models import KEPT_BIRTH, KEPT_EMAIL, KEPT_NAMES, IdentityProvider, ProviderAccount
from civitas.legal.services import do_record_sign_up_acceptance

User = get_user_model()


def enabled_providers(organization):
    return IdentityProvider.objects.filter(organization=organization, enabled=True)


def provider_of(organization, provider_id: int) -> IdentityProvider | None:
    """The organization's enabled provider with that id; another organization's is never found."""
    return enabled_providers(organization).filter(pk=provider_id).first()


def _birth_date(text) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(text or ""))
    except ValueError:
        return None


def profile_from_claims(claims: dict) -> dict:
    """The identity claims Civitas understands, whatever the provider calls them."""
    return {
        "given_name": str(claims.get("given_name") or "")[:200],
        # ProConnect names the family name "usual_name".
        "family_name": str(claims.get("family_name") or claims.get("usual_name") or "")[:200],
        "email": str(claims.get("email") or "")[:254],
        "email_verified": claims.get("email_verified") is True,
        "birth_date": _birth_date(claims.get("birthdate")),
        "birth_place": str(claims.get("birthplace") or "")[:10],
    }


def kept_fields(provider: IdentityProvider, profile: dict) -> dict:
    """Only what the organization chose to keep; the rest is dropped here, never stored."""
    return {
        "given_name": profile["given_name"] if provider.keeps(KEPT_NAMES) else "",
        "family_name": profile["family_name"] if provider.keeps(KEPT_NAMES) else "",
        "email": profile["email"] if provider.keeps(KEPT_EMAIL) else "",
        "birth_date": profile["birth_date"] if provider.keeps(KEPT_BIRTH) else None,
        "birth_place": profile["birth_place"] if provider.keeps(KEPT_BIRTH) else "",
    }


def stored_fields(provider: IdentityProvider, profile: dict) -> dict:
    """What a linked account stores: the kept data, and always the person digest."""
    digest = person_digest(
        person_key(settings.CIVITAS_BALLOT_KEY),
        family_name=profile["family_name"],
        given_names=profile["given_name"],
        birth_date=profile["birth_date"].isoformat() if profile["birth_date"] else "",
        birth_place=profile["birth_place"],
    )
    return {**kept_fields(provider, profile), "person_digest": digest}


def email_vouched_for(provider: IdentityProvider, profile: dict) -> bool:
    """FranceConnect and ProConnect give addresses their identity providers checked."""
    return bool(profile["email"]) and (
        profile["email_verified"] or provider.kind in (FRANCECONNECT, PROCONNECT)
    )


def forget_unkept_data(provider: IdentityProvider) -> int:
    """Erase from the provider's linked accounts what the organization no longer keeps."""
    erase = {}
    if not provider.keeps(KEPT_NAMES):
        erase.update(given_name="", family_name="")
    if not provider.keeps(KEPT_EMAIL):
        erase["email"] = ""
    if not provider.keeps(KEPT_BIRTH):
        erase.update(birth_date=None, birth_place="")
    return ProviderAccount.objects.filter(provider=provider).update(**erase) if erase else 0


def _grant_verification(user, provider: IdentityProvider) -> None:
    Authorization.objects.get_or_create(
        user=user,
        handler=KINDS[provider.kind].handler,
        defaults={"organization_id": user.organization_id, "granted_on": timezone.localdate()},
    )


def _refresh(account: ProviderAccount, identity: ProviderIdentity) -> None:
    for field, value in stored_fields(account.provider, profile_from_claims(identity.claims)).items():
        setattr(account, field, value)
    account.last_login_at = timezone.now()
    account.save()


def account_for_log_in(provider: IdentityProvider, identity: ProviderIdentity):
    """The account linked to this identity, refreshed; None when nobody has linked it."""
    account = (
        ProviderAccount.objects.select_related("user", "provider")
        .filter(provider=provider, subject=identity.subject)
        .first()
    )
    if account is None:
        return None
    user = account.user
    if user.organization_id != provider.organization_id or not user.is_active or user.is_deleted:
        raise IdentityError(_("This account cannot log in."))
    with transaction.atomic():
        _refresh(account, identity)
        _grant_verification(user, provider)
    return user


def check_can_start_sign_up(provider: IdentityProvider) -> None:
    if not (provider.allow_sign_up and provider.organization.signup_open):
        raise IdentityError(
            _(
                "No account is linked to this %(provider)s identity yet. Log in with your e-mail "
                "address and password, then link %(provider)s in your account settings."
            )
            % {"provider": provider.name}
        )


def do_sign_up(
    *,
    provider: IdentityProvider,
    identity: ProviderIdentity,
    name: str,
    nickname: str,
    email: str,
    locale: str,
):
    """A new account owned by this identity, without a password; IdentityError if taken."""
    profile = profile_from_claims(identity.claims)
    confirmed = email_vouched_for(provider, profile) and email.lower() == profile["email"].lower()
    try:
        with transaction.atomic():
            if ProviderAccount.objects.filter(provider=provider, subject=identity.subject).exists():
                raise IdentityError(
                    _("An account is already linked to this identity: log in with %(provider)s.")
                    % {"provider": provider.name}
                )
            user = User.objects.create_user(
                email,
                None,
                organization=provider.organization,
                name=name,
                nickname=nickname,
                locale=locale,
                accepted_terms_at=timezone.now(),
                email_confirmed_at=timezone.now() if confirmed else None,
            )
            ProviderAccount.objects.create(
                user=user,
                provider=provider,
                subject=identity.subject,
                last_login_at=timezone.now(),
                **stored_fields(provider, profile),
            )
            _grant_verification(user, provider)
            do_record_sign_up_acceptance(user)  # the version in force, accepted with the form's box
    except IntegrityError:
        # The same address, nickname or identity, claimed by a parallel request.
        raise IdentityError(
            _("This e-mail address or nickname was just taken. Nothing was created; please check the form.")
        ) from None
    return user, confirmed


def do_link(*, user, provider: IdentityProvider, identity: ProviderIdentity) -> ProviderAccount:
    if provider.organization_id != user.organization_id:
        raise IdentityError(_("This provider belongs to another organization."))
    profile = profile_from_claims(identity.claims)
    try:
        with transaction.atomic():
            if (
                ProviderAccount.objects.filter(provider=provider, subject=identity.subject)
                .exclude(user=user)
                .exists()
            ):
                raise IdentityError(
                    _("This %(provider)s identity is already linked to another account. Nothing was changed.")
                    % {"provider": provider.name}
                )
            account = ProviderAccount.objects.filter(provider=provider, user=user).first()
            if account is not None and account.subject != identity.subject:
                raise IdentityError(
                    _("Your account is already linked to another %(provider)s identity. Unlink it first.")
                    % {"provider": provider.name}
                )
            if account is None:
                account = ProviderAccount(user=user, provider=provider, subject=identity.subject)
            for field, value in stored_fields(provider, profile).items():
                setattr(account, field, value)
            account.last_login_at = timezone.now()
            account.save()
            _grant_verification(user, provider)
            do_record_sign_up_acceptance(user)  # the version in force, accepted with the form's box
    except IntegrityError:
        raise IdentityError(
            _("This %(provider)s identity is already linked to another account. Nothing was changed.")
            % {"provider": provider.name}
        ) from None
    return account


def check_can_unlink(user, account: ProviderAccount) -> None:
    others = ProviderAccount.objects.filter(user=user, provider__enabled=True).exclude(pk=account.pk)
    if not user.has_usable_password() and not others.exists():
        raise IdentityError(
            _(
                "%(provider)s is the only way to log in to your account. Set a password first "
                "(“Forgot your password?” on the log-in page), then unlink it."
            )
            % {"provider": account.provider.name}
        )


def do_unlink(*, user, account_id: int) -> ProviderAccount:
    with transaction.atomic():
        account = (
            ProviderAccount.objects.select_for_update()
            .select_related("provider")
            .filter(user=user, pk=account_id)
            .first()
        )
        if account is None:
            raise IdentityError(_("This link does not exist (any more)."))
        check_can_unlink(user, account)
        account.delete()
        handler = KINDS[account.provider.kind].handler
        still_vouched = ProviderAccount.objects.filter(
            user=user, provider__kind=account.provider.kind
        ).exists()
        if not still_vouched:
            # The verification came from this link only: it goes with it.
            Authorization.objects.filter(user=user, handler=handler).delete()
    return account
