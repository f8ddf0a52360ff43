from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from civitas.accounts import services, throttle, two_factor
from civitas.accounts.forms import (
    CaptchaLoginForm,
    DeleteAccountForm,
    EmailChangeForm,
    LoginForm,
    PasswordResetRequestForm,
    ProfileForm,
    ResendConfirmationForm,
    SignUpForm,
    TwoFactorCodeForm,
)
from civitas.core import activity, gdpr
from civitas.spaces import access

User = get_user_model()
PENDING_2FA_SESSION_KEY = "civitas_pending_2fa"
PENDING_2FA_MAX_AGE = 300


def rate_limited(request, exception=None, retry_after=60):
    minutes = max(1, round(retry_after / 60))
    response = render(request, "accounts/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(retry_after))
    return response


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def sign_up(request):
    organization = request.organization
    if not organization.signup_open:
        return render(request, "accounts/signup_closed.html", status=403)
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "POST":
        account = request.POST.get("email", "")
        verdict = throttle.check(request, "signup", account)
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
        throttle.record(request, "signup", account)
        form = SignUpForm(request.POST, organization=organization)
        if form.is_valid():
            data = form.cleaned_data
            services.do_sign_up(
                request,
                name=data["name"],
                nickname=data["nickname"],
                email=data["email"],
                password=data["password1"],
                newsletter=data["newsletter"],
            )
            return redirect("accounts:signup_done")
    else:
        form = SignUpForm(organization=organization)
    return render(request, "accounts/signup.html", {"form": form})


def sign_up_done(request):
    return render(request, "accounts/signup_done.html")


def confirm_email(request, token):
    user = services.do_confirm_email(request, token)
    if user is None:
        return render(request, "accounts/confirm_invalid.html", status=400)
    messages.success(request, _("Your e-mail address is confirmed."))
    return redirect("accounts:settings" if request.user.is_authenticated else "accounts:login")


def resend_confirmation(request):
    organization = request.organization
    if request.method == "POST":
        account = request.POST.get("email", "")
        verdict = throttle.check(request, "resend_confirmation", account)
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
        form = ResendConfirmationForm(request.POST, organization=organization)
        if form.is_valid():
            throttle.record(request, "resend_confirmation", account)
            services.queue_confirmation_resend(request, form.cleaned_data["email"])
            # Same answer, same work whether or not the account exists: no account enumeration.
            messages.info(
                request, _("If an unconfirmed account uses this address, a new link is on its way.")
            )
            return redirect("accounts:login")
    else:
        form = ResendConfirmationForm(organization=organization)
    return render(request, "accounts/resend_confirmation.html", {"form": form})


def log_in(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    account = request.POST.get("username", "") if request.method == "POST" else ""
    # After a failure from this network or for this account, the CAPTCHA joins the form;
    # the account itself is never locked (see throttle.py).
    with_captcha = throttle.captcha_required(request, "login", account)
    failure = None
    if request.method == "POST":
        verdict = throttle.check(request, "login", account)
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
        form = _login_form(request, with_captcha, data=request.POST)
        if form.is_valid():
            return _after_password(request, form.get_user())
        throttle.record(request, "login", account)
        if not with_captcha:
            failure = form.non_field_errors()
            form = _login_form(request, True, initial={"username": account})
    else:
        form = _login_form(request, with_captcha)
    context = {"form": form, "failure": failure, "next": _safe_next(request, "")}
    return render(request, "accounts/login.html", context)


def _login_form(request, with_captcha: bool, **kwargs):
    if with_captcha:
        return CaptchaLoginForm(request, organization=request.organization, **kwargs)
    return LoginForm(request, **kwargs)


def _after_password(request, user):
    next_url = _safe_next(request, reverse("core:home"))
    if two_factor.confirmed_device(user) is not None:
        request.session[PENDING_2FA_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": timezone.now().timestamp(),
            "next": next_url,
        }
        return redirect("accounts:login_verify")
    login(request, user)
    return redirect(next_url)


def log_in_verify(request):
    pending = request.session.get(PENDING_2FA_SESSION_KEY)
    if not pending or timezone.now().timestamp() - pending["at"] > PENDING_2FA_MAX_AGE:
        request.session.pop(PENDING_2FA_SESSION_KEY, None)
        messages.error(request, _("Please log in again."))
        return redirect("accounts:login")
    user = get_object_or_404(User, pk=pending["user"], organization=request.organization)
    device = two_factor.confirmed_device(user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        verdict = throttle.check(request, "two_factor", user.email)
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
        if form.is_valid() and device is not None and two_factor.verify(device, form.cleaned_data["code"]):
            del request.session[PENDING_2FA_SESSION_KEY]
            user.backend = pending["backend"]
            login(request, user)
            otp_login(request, device)
            return redirect(pending["next"])
        throttle.record(request, "two_factor", user.email)
        form.add_error("code", _("This code is wrong or expired. Enter the code your app shows now."))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def log_out(request):
    # Through an identity provider, the provider's session ends too (its logout with id_token_hint).
    from civitas.identity.views import log_out_with_provider

    return log_out_with_provider(request)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.request.organization}

    def post(self, request, *args, **kwargs):
        account = request.POST.get("email", "")
        verdict = throttle.check(request, "password_reset", account)
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
        throttle.record(request, "password_reset", account)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # The same for every address: the account is looked up in the task queue, and the
        # link is built on the organization's own host (see services.queue_password_reset).
        services.queue_password_reset(self.request, form.cleaned_data["email"])
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A reset link only works on the host of the account's own organization.
        if user is not None and user.organization_id != self.request.organization.pk:
            return None
        return user


@login_required
def account_settings(request):
    form = ProfileForm(
        request.POST if request.method == "POST" else None, request.FILES or None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form, "section": "profile"})


@login_required
def change_email(request):
    if access.awaits_second_factor(request.user):
        # Else whoever holds only the password would move the account to their own
        # address, and with it the e-mailed link that sets up a second factor.
        messages.error(request, _("Set up two-factor authentication before you change your e-mail address."))
        return redirect(f"{reverse('accounts:two_factor')}?required=1")
    if request.method == "POST":
        verdict = throttle.participant_verdict(request, "email_change")
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
    form = EmailChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.do_request_email_change(request, request.user, form.cleaned_data["email"])
        messages.info(
            request,
            _("We sent a confirmation link to %(email)s. Your address changes once you follow it.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:change_email")
    return render(request, "accounts/change_email.html", {"form": form, "section": "email"})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/change_password.html"
    success_url = reverse_lazy("accounts:settings")
    extra_context = {"section": "password"}

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)


@login_required
def two_factor_settings(request):
    user = request.user
    device = two_factor.confirmed_device(user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if two_factor.verify(device, form.cleaned_data["code"]):
                if access.holds_power(user) and request.organization.require_admin_two_factor:
                    messages.error(
                        request, _("Your organization requires two-factor authentication of admins.")
                    )
                else:
                    device.delete()
                    messages.success(request, _("Two-factor authentication is off."))
                return redirect("accounts:two_factor")
            form.add_error("code", _("This code is wrong or expired."))
        return render(
            request, "accounts/two_factor.html", {"form": form, "enabled": True, "section": "two_factor"}
        )

    context = {"enabled": False, "section": "two_factor", "required": request.GET.get("required")}
    if not two_factor.setup_allowed(request):
        if request.method == "POST":
            verdict = throttle.check(request, "two_factor_setup", user.email)
            if verdict.limited:
                return rate_limited(request, retry_after=verdict.retry_after_seconds)
            throttle.record(request, "two_factor_setup", user.email)
            services.send_two_factor_setup_email(user, two_factor.make_setup_token(user))
            messages.info(
                request,
                _("We sent a link to %(email)s. Open it in this browser to set up your app.")
                % {"email": user.email},
            )
            return redirect("accounts:two_factor")
        return render(request, "accounts/two_factor.html", {**context, "needs_link": True})

    pending = two_factor.pending_device(user)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm(request, pending, form.cleaned_data["code"]):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:two_factor")
        form.add_error(
            "code", _("This code is wrong or expired. Check your phone's clock and try the current code.")
        )
    context.update(
        form=form, qr_svg=two_factor.qr_code_svg(pending), manual_key=two_factor.manual_key(pending)
    )
    return render(request, "accounts/two_factor.html", context)


@login_required
def two_factor_setup_link(request, token):
    if two_factor.confirmed_device(request.user) is None and two_factor.open_setup_link(request, token):
        return redirect("accounts:two_factor")
    messages.error(
        request,
        _("This link does not work: it was used already, is over 30 minutes old or is for another account."),
    )
    return redirect("accounts:two_factor")


@login_required
def my_data(request):
    if request.method == "POST":
        response = HttpResponse(gdpr.build_export(request.user), content_type="application/zip")
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = (
            f'attachment; filename="civitas-data-{request.user.nickname}-{stamp}.zip"'
        )
        return response
    return render(request, "accounts/my_data.html", {"section": "data"})


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.do_delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account is deleted. Your personal data was erased."))
        return redirect("core:home")
    return render(request, "accounts/delete_account.html", {"form": form, "section": "delete"})


def public_profile(request, nickname):
    profile = User.objects.filter(
        organization=request.organization, nickname__iexact=nickname, is_active=True, deleted_at__isnull=True
    ).first()
    if profile is None:
        raise Http404
    # Accounts that never published anything are kept out of search engines (see robots.txt).
    context = {"profile": profile, "robots_noindex": not activity.has_activity(profile)}
    return render(request, "accounts/profile.html", context)


def require_organization_admin(request):
    if not access.is_organization_admin_of(request.user, getattr(request.organization, "pk", None)):
        raise PermissionDenied
