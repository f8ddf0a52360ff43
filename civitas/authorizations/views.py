"""Residents verify their account; organization admins upload the census list and
print letter codes; the page that tells what an action needs."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from civitas.authorizations import letters
from civitas.authorizations.handlers import (
    HANDLER_HELP,
    HANDLERS,
    VERIFY_PAGES,
    CensusError,
    census_size,
    do_replace_census,
    do_verify_with_census,
    is_authorized,
)
from civitas.authorizations.identity import identity_handlers, verified_identity
from civitas.authorizations.models import Authorization, LetterBatch
from civitas.authorizations.requirements import find_action, missing_verifications
from civitas.components.models import Component
from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.organizations.access import participant_manager_required


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


@participant_manager_required
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


# --- postal letter codes ---------------------------------------------------------------------


class LetterVerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code printed on the letter"),
        max_length=40,
        help_text=gettext_lazy(
            "12 letters and digits, for example 7KQM-4T2X-HR9C. Dashes and spaces do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


@login_required
@ratelimit(key="user", rate="10/h", method="POST", block=False)
@ratelimit(key="ip", rate="30/h", method="POST", block=False)
def verify_letter(request):
    verified = is_authorized(request.user, letters.HANDLER)
    form = LetterVerifyForm(request.POST or None)
    if request.method == "POST" and not verified:
        if getattr(request, "limited", False):
            form.add_error(None, _("Too many attempts: try again in an hour."))
        elif form.is_valid():
            try:
                letters.do_verify_with_letter(user=request.user, code=form.cleaned_data["code"])
            except letters.LetterError as error:
                form.add_error("code", str(error))
            else:
                messages.success(request, _("Your account is verified."))
                return redirect(_next_url(request))
    return render(
        request,
        "authorizations/verify_letter.html",
        {"form": form, "verified": verified, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


class LetterBatchForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Addresses (CSV)"),
        help_text=gettext_lazy(
            "A first line naming the columns name, address, postal_code, city, and optionally "
            "address_2 and district; then one resident per line, separated by commas or semicolons."
        ),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Codes valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@participant_manager_required
def letters_admin(request):
    default_expiry = timezone.localdate() + datetime.timedelta(days=90)
    form = LetterBatchForm(
        request.POST or None, request.FILES or None, initial={"expires_on": default_expiry}
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch, printed = letters.do_generate_letters(
                organization=request.organization,
                user=request.user,
                file=form.cleaned_data["file"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except letters.LetterError as error:
            form.add_error("file", str(error))
        else:
            response = render(
                request,
                "authorizations/letters_print.html",
                {
                    "batch": batch,
                    "letters": printed,
                    "verify_url": request.build_absolute_uri(reverse("authorizations:letter")),
                },
            )
            # The codes in clear exist in this answer only: no cache may keep them.
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "authorizations/letters_admin.html",
        {"form": form, "batches": letters.batches_of(request.organization), "today": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@participant_manager_required
@require_POST
def letters_revoke(request, batch_id):
    batch = get_object_or_404(LetterBatch, organization=request.organization, pk=batch_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=_("Unused codes of the batch of %(date)s") % {"date": date_format(batch.created_on)},
            consequence=_(
                "The unused codes of this batch stop working for good: "
                "letters already sent can no longer verify anyone."
            ),
            back_url=reverse("authorizations_admin:letters"),
        )
    revoked = letters.do_revoke_batch(organization=request.organization, user=request.user, batch_id=batch.pk)
    messages.success(
        request,
        ngettext("%(count)s unused code no longer works.", "%(count)s unused codes no longer work.", revoked)
        % {"count": revoked},
    )
    return redirect("authorizations_admin:letters")


# --- what an action needs ---------------------------------------------------------------------


@login_required
def required(request, component_id, action):
    """The page an action's button leads to when verifications are missing: which ones,
    how to get each, and back to the action once they are all there."""
    component = get_object_or_404(
        Component.objects.select_related("space__active_phase"),
        space__organization=request.organization,
        pk=component_id,
    )
    if not request.user.has_perm("components.view_component", component):
        raise Http404
    found = find_action(component, action)
    if found is None:
        raise Http404
    back = _next_url(request)
    if back == "/":
        back = component.get_absolute_url()
    missing = missing_verifications(request.user, component, found.name)
    if not missing:
        return redirect(back)
    here = f"{request.path}?{urlencode({'next': back})}"
    items = [
        {
            "missing": item,
            "help": HANDLER_HELP.get(item.handler, ""),
            "url": f"{reverse(VERIFY_PAGES[item.handler])}?{urlencode({'next': here})}"
            if item.can_be_fixed and item.handler in VERIFY_PAGES
            else "",
        }
        for item in missing
    ]
    return render(
        request,
        "authorizations/required.html",
        {"component": component, "action": found, "items": items, "back": back},
    )


@login_required
def my_verifications(request):
    """Every way to verify this account, and which the account holds (with its district)."""
    held = {
        row.handler: row
        for row in Authorization.objects.filter(
            user=request.user, organization_id=request.user.organization_id
        )
    }
    identities = {handler: verified_identity(request.user, handler) for handler in identity_handlers()}
    next_url = _next_url(request)
    rows = []
    for handler, label in HANDLERS.items():
        page = VERIFY_PAGES.get(handler)
        rows.append(
            {
                "handler": handler,
                "label": label,
                "help": HANDLER_HELP.get(handler, ""),
                "held": held.get(handler),
                "identified": identities.get(handler) is not None,
                "url": f"{reverse(page)}?{urlencode({'next': next_url})}" if page else "",
            }
        )
    return render(
        request, "authorizations/mine.html", {"rows": rows, "next": next_url, "section": "verifications"}
    )
