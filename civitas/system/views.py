"""The system panel: the installation's own level, above every organization."""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from civitas.accounts import throttle, two_factor
from civitas.accounts.forms import TwoFactorCodeForm
from civitas.accounts.views import rate_limited
from civitas.captcha.forms import CaptchaFormMixin
from civitas.core.mail import send_email_after_commit
from civitas.organizations import links
from civitas.organizations.forms import NewOrganizationForm, SystemOrganizationForm
from civitas.organizations.models import Organization
from civitas.organizations.services import do_create_organization

User = get_user_model()


class SystemLoginForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    password = forms.CharField(label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput)


class CaptchaSystemLoginForm(CaptchaFormMixin, SystemLoginForm):
    """The panel's log-in form after a failure from this network or for this account."""

    captcha_scope = "system_login"


PENDING_2FA_SESSION_KEY = "civitas_pending_system_2fa"
PENDING_2FA_MAX_AGE = 300


def system_admin_required(view):
    """System admins only; when the installation requires it, with a verified second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_system_admin):
            return redirect(f"{reverse('system:login')}?next={request.path}")
        if two_factor.required_of_system_admins() and not request.user.is_verified():
            return redirect(f"{reverse('system:two_factor')}?required=1")
        return view(request, *args, **kwargs)

    return wrapper


def _login_form(with_captcha: bool, data=None, initial=None):
    if with_captcha:
        # System admins belong to no organization: the installation's questions only.
        return CaptchaSystemLoginForm(data, initial=initial, organization=None)
    return SystemLoginForm(data, initial=initial)


def system_login(request):
    account = request.POST.get("email", "") if request.method == "POST" else ""
    # The same policy as the organizations' log-in (accounts/throttle.py), counted for
    # the installation: whichever host serves the panel, the counters are the same.
    with_captcha = throttle.captcha_required(request, "system_login", account)
    if request.method != "POST":
        return render(request, "system/login.html", {"form": _login_form(with_captcha)})
    verdict = throttle.check(request, "system_login", account)
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    form = _login_form(with_captcha, data=request.POST)
    if form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["email"], password=form.cleaned_data["password"], system=True
        )
        if user is not None and user.is_system_admin:
            return _after_password(request, user)
        form.add_error(None, _("Wrong e-mail address or password."))
    throttle.record(request, "system_login", account)
    failure = None
    if not with_captcha:
        # From now on the CAPTCHA is part of the form: show it, with what went wrong.
        failure = form.non_field_errors() or [_("Wrong e-mail address or password.")]
        form = _login_form(True, initial={"email": account})
    return render(request, "system/login.html", {"form": form, "failure": failure})


def _after_password(request, user):
    if two_factor.confirmed_device(user) is not None:
        request.session[PENDING_2FA_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": timezone.now().timestamp(),
        }
        return redirect("system:login_verify")
    login(request, user)
    return redirect("system:organizations")


def system_login_verify(request):
    pending = request.session.get(PENDING_2FA_SESSION_KEY)
    if not pending or timezone.now().timestamp() - pending["at"] > PENDING_2FA_MAX_AGE:
        request.session.pop(PENDING_2FA_SESSION_KEY, None)
        messages.error(request, _("Please log in again."))
        return redirect("system:login")
    user = get_object_or_404(User, pk=pending["user"], organization__isnull=True, is_system_admin=True)
    device = two_factor.confirmed_device(user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        verdict = throttle.check(request, "system_two_factor", user.email)
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
        if form.is_valid() and device is not None and two_factor.verify(device, form.cleaned_data["code"]):
            del request.session[PENDING_2FA_SESSION_KEY]
            user.backend = pending["backend"]
            login(request, user)
            otp_login(request, device)
            return redirect("system:organizations")
        throttle.record(request, "system_two_factor", user.email)
        form.add_error("code", _("This code is wrong or expired. Enter the code your app shows now."))
    return render(request, "system/login_verify.html", {"form": form})


def _system_admin_session(view):
    """Logged in to the panel, whether or not a second factor was given yet (to set one up)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_system_admin):
            return redirect(f"{reverse('system:login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def _panel_url(request, path: str) -> str:
    """An e-mailed link to the panel: on the organization's host that served it, or on the
    system host by its name, never with the port or scheme the request's headers chose."""
    organization = getattr(request, "organization", None)
    if organization is not None:
        return links.absolute_url(organization, path)
    host = request.get_host().rsplit(":", 1)[0].lower()
    port = settings.CIVITAS_LINK_PORT
    return f"{links.scheme()}://{host}{f':{port}' if port else ''}{path}"


@_system_admin_session
def two_factor_settings(request):
    """Set up or turn off the authentication app; the first set-up needs the e-mailed link."""
    user = request.user
    device = two_factor.confirmed_device(user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "enabled": device is not None,
        "required": two_factor.required_of_system_admins(),
    }
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if not two_factor.verify(device, form.cleaned_data["code"]):
                form.add_error("code", _("This code is wrong or expired."))
            elif two_factor.required_of_system_admins():
                messages.error(
                    request, _("This installation requires two-factor authentication of system admins.")
                )
                return redirect("system:two_factor")
            else:
                device.delete()
                messages.success(request, _("Two-factor authentication is off."))
                return redirect("system:two_factor")
        return render(request, "system/two_factor.html", context)
    if not two_factor.setup_allowed(request):
        if request.method == "POST":
            verdict = throttle.check(request, "two_factor_setup", f"system:{user.email}")
            if verdict.limited:
                return rate_limited(request, retry_after=verdict.retry_after_seconds)
            throttle.record(request, "two_factor_setup", f"system:{user.email}")
            link = _panel_url(
                request, reverse("system:two_factor_setup", args=[two_factor.make_setup_token(user)])
            )
            send_email_after_commit(
                to=user.email,
                template="system/email/two_factor_setup",
                context={"user": user, "link": link},
                locale=user.locale,
            )
            messages.info(
                request,
                _("We sent a link to %(email)s. Open it in this browser to set up your app.")
                % {"email": user.email},
            )
            return redirect("system:two_factor")
        return render(request, "system/two_factor.html", {**context, "needs_link": True})
    pending = two_factor.pending_device(user)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm(request, pending, form.cleaned_data["code"]):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("system:organizations")
        form.add_error(
            "code", _("This code is wrong or expired. Check your phone's clock and try the current code.")
        )
    context.update(qr_svg=two_factor.qr_code_svg(pending), manual_key=two_factor.manual_key(pending))
    return render(request, "system/two_factor.html", context)


@_system_admin_session
def two_factor_setup_link(request, token):
    if two_factor.confirmed_device(request.user) is None and two_factor.open_setup_link(request, token):
        return redirect("system:two_factor")
    messages.error(
        request,
        _("This link does not work: it was used already, is over 30 minutes old or is for another account."),
    )
    return redirect("system:two_factor")


@require_POST
def system_logout(request):
    logout(request)
    return redirect("system:login")


@system_admin_required
def organization_list(request):
    organizations = (
        Organization.objects.select_related("parent").prefetch_related("secondary_hosts").order_by("name")
    )
    return render(request, "system/organizations.html", {"organizations": organizations})


@system_admin_required
def organization_create(request):
    form = NewOrganizationForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        initial={"available_locales": ["fr", "en"]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        settings = {
            key: data[key]
            for key in (
                "logo",
                "primary_colour",
                "secondary_colour",
                "contact_email",
                "signup_open",
                "external_domain_allowlist",
                "require_admin_two_factor",
                "parent",
            )
            if data.get(key) is not None
        }
        organization, admin = do_create_organization(
            name=data["name"],
            host=data["host"],
            admin_email=data["admin_email"],
            admin_name=data["admin_name"],
            default_locale=data["default_locale"],
            available_locales=data["available_locales"],
            secondary_hosts=data["secondary_hosts"],
            **settings,
        )
        _send_welcome(request, organization, admin)
        messages.success(
            request,
            _("%(name)s is created; its admin was e-mailed a link to set a password.")
            % {"name": organization.name},
        )
        return redirect("system:organizations")
    return render(request, "system/organization_form.html", {"form": form, "creating": True})


@system_admin_required
def organization_edit(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    form = SystemOrganizationForm(
        request.POST if request.method == "POST" else None, request.FILES or None, instance=organization
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("%(name)s is saved.") % {"name": organization.name})
        return redirect("system:organizations")
    return render(request, "system/organization_form.html", {"form": form, "organization": organization})


def _send_welcome(request, organization, admin):
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(admin.pk)),
            "token": default_token_generator.make_token(admin),
        },
    )
    send_email_after_commit(
        to=admin.email,
        template="system/email/welcome_admin",
        context={"admin": admin, "link": links.absolute_url(organization, path)},
        locale=organization.default_locale,
        organization=organization,
    )
