"""The system panel: the installation's own level, above every organization."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.core.mail import send_email_after_commit
from civitas.organizations import links
from civitas.organizations.forms import NewOrganizationForm, SystemOrganizationForm
from civitas.organizations.models import Organization
from civitas.organizations.services import do_create_organization


class SystemLoginForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    password = forms.CharField(label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput)


def system_admin_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_system_admin):
            return redirect(f"{reverse('system:login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def system_login(request):
    form = SystemLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        account = request.POST.get("email", "")
        verdict = throttle.check(request, "login", account)
        if verdict.limited:
            return rate_limited(request, retry_after=verdict.retry_after_seconds)
        if form.is_valid():
            user = authenticate(
                request,
                username=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                system=True,
            )
            if user is not None and user.is_system_admin:
                login(request, user)
                return redirect("system:organizations")
        throttle.record(request, "login", account)
        form.add_error(None, _("Wrong e-mail address or password."))
    return render(request, "system/login.html", {"form": form})


@require_POST
def system_logout(request):
    logout(request)
    return redirect("system:login")


@system_admin_required
def organization_list(request):
    organizations = Organization.objects.prefetch_related("secondary_hosts").order_by("name")
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
