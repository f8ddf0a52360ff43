"""Amendment pages: thin views over ``services``; a 404 for whatever the visitor may not see."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.amendments import registry, services
from civitas.amendments.forms import AmendmentForm, RejectForm
from civitas.amendments.models import Amendment
from civitas.amendments.queries import entry_of, is_decider, may_see_amendment, phase_allows, target_of
from civitas.authorizations.gate import verification_redirect
from civitas.core.confirmation import act_confirmed, confirm_deletion, deletion_confirmed
from civitas.versions.registry import for_model as versions_for
from civitas.versions.services import field_differences, latest_version


def _target(request, key: str, object_id: int):
    entry = registry.for_key(key)
    if entry is None:
        raise Http404
    target = entry.model._default_manager.filter(pk=object_id).first()
    if target is None:
        raise Http404
    component = entry.component_of(target)
    if component.space.organization_id != request.organization.pk:
        raise Http404
    if not request.user.has_perm("components.view_component", component) or not entry.can_view(
        request.user, target
    ):
        raise Http404
    return entry, target, component


def _amendment(request, amendment_id: int):
    amendment = get_object_or_404(
        Amendment.objects.select_related("component__space", "amender"),
        pk=amendment_id,
        component__space__organization=request.organization,
    )
    if not may_see_amendment(request.user, amendment):
        raise Http404
    return amendment


def _action_of(permission: str) -> str:
    return permission.split(".", 1)[-1]


def _differences(entry, old: dict, new: dict):
    return field_differences(versions_for(entry.model), old, new)


def amendment_new(request, key: str, object_id: int):
    entry, target, component = _target(request, key, object_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        services.check_can_amend(request.user, target, entry)
    except services.AmendmentError as error:
        redirected = verification_redirect(
            request, component, _action_of(entry.permissions.amend), entry.url_of(target)
        )
        if redirected:
            return redirected
        messages.error(request, error.message)
        return redirect(entry.url_of(target))
    latest = latest_version(target)
    initial = {**entry.current_fields(target), "base_version": latest.number if latest else 0}
    form = AmendmentForm(
        request.POST if request.method == "POST" else None, initial=initial, entry=entry, target=target
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.do_create(
                user=request.user,
                target=target,
                fields=form.proposed,
                base_version=form.cleaned_data["base_version"],
            )
        except services.AmendmentConflict as error:
            conflict = {
                "message": error.message,
                "differences": _differences(entry, error.base.fields, error.newer.fields),
            }
            # The form now starts from the current text's version: sent again, it is accepted.
            form.data = form.data.copy()
            form.data["base_version"] = str(error.newer.number)
        except services.AmendmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your amendment is sent to the authors of the text."))
            return redirect(amendment.get_absolute_url())
    context = {
        "entry": entry,
        "target": target,
        "target_url": entry.url_of(target),
        "component": component,
        "space": component.space,
        "form": form,
        "conflict": conflict,
    }
    return render(request, "amendments/form.html", context, status=409 if conflict else 200)


def amendment_detail(request, amendment_id: int, *, conflict=None, reject_form=None, status=200):
    amendment = _amendment(request, amendment_id)
    entry = entry_of(amendment)
    target = target_of(amendment, entry)
    user = request.user
    base = services.base_fields(amendment)
    latest = latest_version(target)
    proposed = {name: getattr(amendment, name) for name in entry.fields}
    component = amendment.component
    context = {
        "amendment": amendment,
        "entry": entry,
        "target": target,
        "target_url": entry.url_of(target),
        "component": component,
        "space": component.space,
        "differences": _differences(entry, base, proposed),
        "target_changed": latest is not None and latest.number > amendment.base_version,
        "can_change": user.has_perm("amendments.change_amendment", amendment),
        "can_decide": user.has_perm("amendments.decide_amendment", amendment),
        "is_decider": is_decider(user, entry, target),
        "can_react": user.is_authenticated and user.has_perm(entry.permissions.react, component),
        "reactions_open": phase_allows(component, entry.permissions.react),
        "can_promote": (
            entry.promote is not None
            and user.is_authenticated
            and amendment.amender_id == user.pk
            and amendment.state == Amendment.State.REJECTED
            and not amendment.is_promoted
            and amendment.hidden_at is None
            and user.has_perm(entry.permissions.promote, component)
        ),
        "promoted": _promoted(entry, amendment),
        "supported": user.is_authenticated and amendment.supports.filter(user=user).exists(),
        "participants_only": entry.visibility_of(component) == registry.VISIBILITY_PARTICIPANTS,
        "conflict": conflict,
        "reject_form": reject_form or RejectForm(),
    }
    return render(request, "amendments/detail.html", context, status=status)


def _promoted(entry, amendment):
    if not amendment.is_promoted:
        return None
    return entry.model._default_manager.filter(pk=amendment.promoted_id).first()


def amendment_edit(request, amendment_id: int):
    amendment = _amendment(request, amendment_id)
    if not request.user.has_perm("amendments.change_amendment", amendment):
        raise Http404
    entry = entry_of(amendment)
    target = target_of(amendment, entry)
    initial = {
        **{name: getattr(amendment, name) for name in entry.fields},
        "base_version": amendment.base_version,
    }
    form = AmendmentForm(
        request.POST if request.method == "POST" else None, initial=initial, entry=entry, target=target
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_edit(amendment=amendment, user=request.user, fields=form.proposed)
        except services.AmendmentError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your amendment is saved."))
            return redirect(amendment.get_absolute_url())
    context = {
        "entry": entry,
        "target": target,
        "target_url": entry.url_of(target),
        "component": amendment.component,
        "space": amendment.component.space,
        "form": form,
        "amendment": amendment,
    }
    return render(request, "amendments/form.html", context)


@require_POST
def amendment_withdraw(request, amendment_id: int):
    amendment = _amendment(request, amendment_id)
    if amendment.amender_id == request.user.pk and not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=_("Amendment no. %(number)s") % {"number": amendment.pk},
            consequence=_(
                "A withdrawn amendment stays visible, marked withdrawn, but the authors of the text "
                "can no longer accept it and you can no longer change it."
            ),
            back_url=amendment.get_absolute_url(),
            public=True,
        )
    try:
        services.do_withdraw(amendment=amendment, user=request.user)
    except services.AmendmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your amendment is withdrawn."))
    return redirect(amendment.get_absolute_url())


@require_POST
def amendment_accept(request, amendment_id: int):
    amendment = _amendment(request, amendment_id)
    if not act_confirmed(request):
        messages.error(request, _("Tick the box to confirm that the text takes this amendment."))
        return redirect(amendment.get_absolute_url())
    try:
        services.do_accept(amendment=amendment, user=request.user)
    except services.AmendmentConflict as error:
        entry = entry_of(amendment)
        conflict = {
            "message": error.message,
            "differences": _differences(entry, error.base.fields, error.newer.fields),
        }
        return amendment_detail(request, amendment_id, conflict=conflict, status=409)
    except services.AmendmentError as error:
        messages.error(request, error.message)
        return redirect(amendment.get_absolute_url())
    messages.success(request, _("The amendment is accepted: the text now reads as it proposed."))
    return redirect(entry_of(amendment).url_of(target_of(amendment)))


@require_POST
def amendment_reject(request, amendment_id: int):
    amendment = _amendment(request, amendment_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return amendment_detail(request, amendment_id, reject_form=form, status=400)
    try:
        services.do_reject(amendment=amendment, user=request.user, reason=form.cleaned_data["reason"])
    except services.AmendmentError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The amendment is rejected. Its author is told."))
    return redirect(amendment.get_absolute_url())


@require_POST
def amendment_promote(request, amendment_id: int):
    amendment = _amendment(request, amendment_id)
    try:
        created = services.do_promote(amendment=amendment, user=request.user)
    except services.AmendmentError as error:
        messages.error(request, error.message)
        return redirect(amendment.get_absolute_url())
    messages.success(request, _("Your amendment is now a text of its own."))
    return redirect(entry_of(amendment).url_of(created))


@require_POST
def amendment_support(request, amendment_id: int):
    amendment = _amendment(request, amendment_id)
    if not request.user.is_authenticated:
        return redirect_to_login(amendment.get_absolute_url())
    entry = entry_of(amendment)
    if not request.user.has_perm(entry.permissions.react, amendment.component):
        redirected = verification_redirect(
            request, amendment.component, _action_of(entry.permissions.react), amendment.get_absolute_url()
        )
        if redirected:
            return redirected
    verdict = throttle.participant_verdict(request, "support")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    try:
        if request.POST.get("action") == "withdraw":
            services.do_withdraw_support(amendment=amendment, user=request.user)
            messages.info(request, _("Your support is withdrawn."))
        else:
            services.do_support(amendment=amendment, user=request.user)
            messages.success(request, _("Thank you for your support."))
    except services.AmendmentError as error:
        messages.error(request, error.message)
    return redirect(amendment.get_absolute_url())
