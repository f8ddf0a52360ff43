"""Log-in, sign-up, link and unlink through the organization's identity providers."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civitas.accounts import services as account_services
from civitas.accounts import two_factor
from civitas.accounts.views import PENDING_2FA_SESSION_KEY
from civitas.authorizations.identity import identity_purpose
from civitas.identity import client, services
from civitas.identity.client import IdentityError, ProviderIdentity
from civitas.identity.csp import LOGIN_SESSION_KEY, allow_providers, provider_origins
from civitas.identity.forms import FinishSignUpForm
from civitas.identity.kinds import KINDS
from civitas.identity.models import ProviderAccount
from civitas.organizations.links import absolute_url

BACKEND = "civitas.accounts.backends.OrganizationAccountBackend"
PENDING_SIGN_UP_SESSION_KEY = "civitas_identity_sign_up"
PENDING_SIGN_UP_MAX_AGE = 900
LOGOUT_STATE_SESSION_KEY = "civitas_identity_logout_state"
# Only these claims wait in the session while the person fills the sign-up form.
PROFILE_CLAIMS = (
    "given_name",
    "family_name",
    "usual_name",
    "email",
    "email_verified",
    "birthdate",
    "birthplace",
)


def _provider_or_404(request, provider_id):
    provider = services.provider_of(request.organization, provider_id)
    if provider is None:
        raise Http404
    return provider


def _callback_url(provider) -> str:
    return absolute_url(provider.organization, reverse("identity:callback", args=[provider.pk]))


def _current_login(provider, identity: ProviderIdentity) -> dict:
    """What the provider's logout needs: its ID token, and its origins for the page's CSP."""
    return {"provider": provider.pk, "id_token": identity.id_token, "origins": provider_origins(provider)}


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@require_POST
def start(request, provider_id):
    """Send the browser to the provider, to log in (visitors) or to link it (logged in)."""
    provider = _provider_or_404(request, provider_id)
    intent = "link" if request.user.is_authenticated else "login"
    next_url = _safe_next(request, request.POST.get("next", ""))
    try:
        return client.authorization_redirect(
            request, provider, redirect_uri=_callback_url(provider), intent=intent, next_url=next_url
        )
    except IdentityError as error:
        messages.error(request, str(error))
        return redirect("identity:settings" if intent == "link" else "accounts:login")


@require_GET
def callback(request, provider_id):
    provider = _provider_or_404(request, provider_id)
    try:
        identity = client.complete_authorization(request, provider)
    except IdentityError as error:
        messages.error(request, str(error))
        return redirect("identity:settings" if request.user.is_authenticated else "accounts:login")
    if identity.intent == "link":
        return _link(request, provider, identity)
    if request.user.is_authenticated:
        # Logged in meanwhile, in another tab: nothing to do.
        return redirect("core:home")
    return _log_in(request, provider, identity)


def _link(request, provider, identity: ProviderIdentity):
    if not request.user.is_authenticated or request.user.pk != identity.started_by:
        messages.error(request, _("The link was started by another account. Nothing was changed."))
        return redirect("accounts:login")
    try:
        services.do_link(user=request.user, provider=provider, identity=identity)
    except IdentityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your account is linked to %(provider)s.") % {"provider": provider.name})
        request.session[LOGIN_SESSION_KEY] = _current_login(provider, identity)
    return redirect(_safe_next(request, identity.next_url) or reverse("identity:settings"))


def _log_in(request, provider, identity: ProviderIdentity):
    next_url = _safe_next(request, identity.next_url) or reverse("core:home")
    try:
        user = services.account_for_log_in(provider, identity)
        if user is None:
            services.check_can_start_sign_up(provider)
    except IdentityError as error:
        messages.error(request, str(error))
        return redirect("accounts:login")
    if user is None:
        request.session[PENDING_SIGN_UP_SESSION_KEY] = {
            "provider": provider.pk,
            "subject": identity.subject,
            "claims": {key: identity.claims[key] for key in PROFILE_CLAIMS if key in identity.claims},
            "id_token": identity.id_token,
            "acr": identity.acr,
            "next": next_url,
            "at": time.time(),
        }
        return redirect("identity:finish_sign_up")
    request.session[LOGIN_SESSION_KEY] = _current_login(provider, identity)
    user.backend = BACKEND
    if two_factor.confirmed_device(user) is not None:
        # The provider vouches for the person; an account that asked for a second factor still gets asked.
        request.session[PENDING_2FA_SESSION_KEY] = {
            "user": user.pk,
            "backend": BACKEND,
            "at": time.time(),
            "next": next_url,
        }
        return redirect("accounts:login_verify")
    login(request, user, backend=BACKEND)
    return redirect(next_url)


def _pending_sign_up(request):
    pending = request.session.get(PENDING_SIGN_UP_SESSION_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SIGN_UP_MAX_AGE:
        return None, None
    provider = services.provider_of(request.organization, pending["provider"])
    return (pending, provider) if provider is not None else (None, None)


def finish_sign_up(request):
    """The new account's name, nickname and address, then the account itself."""
    if request.user.is_authenticated:
        return redirect("core:home")
    pending, provider = _pending_sign_up(request)
    if pending is None:
        request.session.pop(PENDING_SIGN_UP_SESSION_KEY, None)
        messages.error(request, _("Please log in again."))
        return redirect("accounts:login")
    identity = ProviderIdentity(
        subject=pending["subject"],
        claims=pending["claims"],
        id_token=pending["id_token"],
        acr=pending["acr"],
        intent="login",
        started_by=None,
        next_url=pending["next"],
    )
    profile = services.profile_from_claims(identity.claims)
    full_name = " ".join(part for part in (profile["given_name"], profile["family_name"]) if part)
    form = FinishSignUpForm(
        request.POST if request.method == "POST" else None,
        organization=request.organization,
        initial={"name": full_name, "email": profile["email"]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, confirmed = services.do_sign_up(
                provider=provider,
                identity=identity,
                name=data["name"],
                nickname=data["nickname"],
                email=data["email"],
                locale=request.LANGUAGE_CODE,
            )
        except IdentityError as error:
            form.add_error(None, str(error))
        else:
            del request.session[PENDING_SIGN_UP_SESSION_KEY]
            login(request, user, backend=BACKEND)
            request.session[LOGIN_SESSION_KEY] = _current_login(provider, identity)
            if confirmed:
                messages.success(request, _("Welcome! Your account is ready."))
            else:
                account_services.send_confirmation_email(request, user)
                messages.info(
                    request,
                    _("Welcome! Confirm your e-mail address with the link we sent to %(email)s.")
                    % {"email": user.email},
                )
            return redirect(pending["next"])
    return render(
        request,
        "identity/finish_sign_up.html",
        {"form": form, "provider": provider, "kept": provider.kept_data, "kind": KINDS[provider.kind]},
    )


@login_required
def account_settings(request):
    """The providers of the organization, and which ones this account is linked to."""
    linked = {
        account.provider_id: account
        for account in ProviderAccount.objects.filter(user=request.user).select_related("provider")
    }
    providers = list(services.enabled_providers(request.organization))
    allow_providers(request, providers)
    rows = [{"provider": provider, "account": linked.get(provider.pk)} for provider in providers]
    # Sent here by an action that needs a verification: linking comes back to it.
    next_url = _safe_next(request, request.GET.get("next", ""))
    # Said first, above the settings menu, with the providers that action needs: on a phone
    # the menu would otherwise push them off the first screen.
    purpose = identity_purpose(request, next_url) if next_url else None
    needed = [row for row in rows if purpose and KINDS[row["provider"].kind].handler == purpose.handler]
    context = {"rows": rows, "section": "identity", "next": next_url, "purpose": purpose, "needed": needed}
    return render(request, "identity/settings.html", context)


@login_required
@require_POST
def unlink(request, account_id):
    try:
        account = services.do_unlink(user=request.user, account_id=account_id)
    except IdentityError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your account is no longer linked to %(provider)s.") % {"provider": account.provider.name},
        )
        if request.session.get(LOGIN_SESSION_KEY, {}).get("provider") == account.provider_id:
            del request.session[LOGIN_SESSION_KEY]
    return redirect("identity:settings")


def log_out_with_provider(request):
    """Log out here, then at the provider too when the person logged in through one."""
    current = request.session.get(LOGIN_SESSION_KEY)
    logout(request)
    if not current:
        return redirect("core:home")
    provider = services.provider_of(request.organization, current["provider"])
    target = None
    if provider is not None:
        target = client.logout_url(
            provider,
            id_token=current["id_token"],
            post_logout_redirect_uri=absolute_url(provider.organization, reverse("identity:logged_out")),
        )
    if target is None:
        return redirect("core:home")
    url, state = target
    # The session was just flushed: the state lives in the new, anonymous one.
    request.session[LOGOUT_STATE_SESSION_KEY] = state
    return redirect(url)


@require_GET
def logged_out(request):
    expected = request.session.pop(LOGOUT_STATE_SESSION_KEY, None)
    if expected and request.GET.get("state") == expected:
        messages.success(request, _("You are logged out, here and at your identity provider."))
    return redirect("core:home")
