"""Residents verify their account; organization admins upload the census list."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_ratelimit.decorators import ratelimit

from civitas.authorizations.handlers import (
    CensusError,
    census_size,
    do_replace_census,
    do_verify_with_census,
    is_authorized,
)
from civitas.organizations.access import organization_admin_required


class CensusVerifyForm(forms.Form):
    identifier = forms.CharField(
        label=gettext_lazy("Identifier"),
        max_length=100,
        help_text=gettext_lazy("As written on the letter you received (e.g. your electoral or tax number)."),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Birth date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=False)
def verify_census(request):
    verified = is_authorized(request.user, "census")
    form = CensusVerifyForm(request.POST or None)
    if request.method == "POST" and not verified:
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many attempts: try again in an hour."))
        elif form.is_valid():
            try:
                do_verify_with_census(
                    user=request.user,
                    identifier=form.cleaned_data["identifier"],
                    birth_date=form.cleaned_data["birth_date"],
                )
            except CensusError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your account is verified."))
                return redirect(_next_url(request))
    return render(
        request,
        "authorizations/verify.html",
        {"form": form, "verified": verified, "next": _next_url(request)},
    )


class CensusUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Census file (CSV)"),
        help_text=gettext_lazy(
            "One resident per line: identifier, then birth date (31/12/1980 or 1980-12-31), "
            "separated by a comma or a semicolon. It replaces the current list."
        ),
    )


@organization_admin_required
def census_admin(request):
    form = CensusUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = do_replace_census(
                organization=request.organization, user=request.user, file=form.cleaned_data["file"]
            )
        except CensusError as error:
            form.add_error("file", str(error))
        else:
            holds = ngettext(
                "The census list now holds %(count)s resident.",
                "The census list now holds %(count)s residents.",
                count,
            )
            messages.success(request, holds % {"count": count})
            return redirect("authorizations_admin:census")
    return render(
        request, "authorizations/census_admin.html", {"form": form, "size": census_size(request.organization)}
    )
