from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.components.accountability import services
from civitas.components.accountability.admin_forms import (
    CsvImportForm,
    ProposalsImportForm,
    ResultForm,
    StatusForm,
    TimelineEntryForm,
)
from civitas.components.accountability.models import Result, Status
from civitas.components.accountability.progress import progress_of_component
from civitas.components.views import admin_component_view
from civitas.core.confirmation import confirm_deletion, deletion_confirmed


def _index_url(space, component) -> str:
    return reverse("accountability_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk})


def _result(component, result_id) -> Result:
    result = get_object_or_404(Result, component=component, pk=result_id)
    result.component = component
    return result


def _created_message(request, created) -> None:
    messages.success(
        request,
        ngettext("%(count)s result created.", "%(count)s results created.", len(created))
        % {"count": len(created)},
    )


@admin_component_view("accountability")
def admin_index(request, space, component):
    from civitas.components.accountability.admin_forms import WinnersImportForm

    tree = progress_of_component(component)
    context = {
        "space": space,
        "component": component,
        "tree": tree,
        "statuses": Status.objects.filter(component=component),
        "status_form": StatusForm(component=component),
        "csv_form": CsvImportForm(),
        "winners_form": WinnersImportForm(space=space),
        "proposals_form": ProposalsImportForm(space=space, component=component),
    }
    return render(request, "accountability/admin/index.html", context)


@admin_component_view("accountability")
def result_edit(request, space, component, result_id=None):
    result = _result(component, result_id) if result_id else Result(component=component)
    excluded = {result.pk, *services.descendants_of(result)} if result.pk else set()
    form = ResultForm(
        request.POST if request.method == "POST" else None,
        instance=result,
        component=component,
        excluded_parents=excluded,
        initial={"parent": request.GET.get("parent")} if not result.pk else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.do_save_result(form=form, user=request.user, component=component)
        except services.AccountabilityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The result is saved."))
            return redirect(
                reverse(
                    "accountability_admin:result",
                    kwargs={"space_id": space.pk, "component_id": component.pk, "result_id": saved.pk},
                )
            )
    context = {
        "space": space,
        "component": component,
        "result": result,
        "form": form,
        "timeline_form": TimelineEntryForm(component=component) if result.pk else None,
        "timeline": result.timeline.all() if result.pk else [],
    }
    return render(request, "accountability/admin/result.html", context)


@require_POST
@admin_component_view("accountability")
def result_delete(request, space, component, result_id):
    result = _result(component, result_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=result.title,
            consequence=_(
                "The result, its sub-results and their timelines are deleted for good; "
                "residents can no longer follow them."
            ),
            back_url=reverse(
                "accountability_admin:result",
                kwargs={"space_id": space.pk, "component_id": component.pk, "result_id": result.pk},
            ),
            context={"space": space},
        )
    services.do_delete_result(result=result, user=request.user)
    messages.success(request, _("The result is deleted."))
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("accountability")
def timeline_add(request, space, component, result_id):
    result = _result(component, result_id)
    form = TimelineEntryForm(request.POST, component=component)
    if form.is_valid():
        services.do_add_timeline_entry(form=form, user=request.user, result=result)
        messages.success(request, _("The event is added to the timeline."))
    else:
        messages.error(request, _("The event was not added: give at least a date and what happened."))
    return redirect(
        reverse(
            "accountability_admin:result",
            kwargs={"space_id": space.pk, "component_id": component.pk, "result_id": result.pk},
        )
    )


@require_POST
@admin_component_view("accountability")
def status_add(request, space, component):
    form = StatusForm(request.POST, component=component)
    if form.is_valid():
        services.do_save_status(form=form, user=request.user, component=component)
        messages.success(request, _("The status is added."))
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(_index_url(space, component))


@admin_component_view("accountability")
def status_edit(request, space, component, status_id):
    status = get_object_or_404(Status, component=component, pk=status_id)
    form = StatusForm(
        request.POST if request.method == "POST" else None, instance=status, component=component
    )
    if request.method == "POST" and form.is_valid():
        services.do_save_status(form=form, user=request.user, component=component)
        messages.success(request, _("The status is saved."))
        return redirect(_index_url(space, component))
    return render(
        request, "accountability/admin/status.html", {"space": space, "component": component, "form": form}
    )


@require_POST
@admin_component_view("accountability")
def status_delete(request, space, component, status_id):
    status = get_object_or_404(Status, component=component, pk=status_id)
    status.component = component
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=status.name,
            consequence=_("Results of this status keep the progress it gave them."),
            back_url=_index_url(space, component),
            context={"space": space},
        )
    services.do_delete_status(status=status, user=request.user)
    messages.success(request, _("The status is deleted; its results keep their progress."))
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("accountability")
def import_csv(request, space, component):
    form = CsvImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV file to import."))
        return redirect(_index_url(space, component))
    try:
        summary = services.do_import_csv(
            component=component, user=request.user, file=form.cleaned_data["file"]
        )
    except services.AccountabilityError as error:
        messages.error(request, error.message)
        for line in error.errors[:50]:
            messages.error(request, line)
    else:
        messages.success(request, _("Import done: %(created)s created, %(updated)s updated.") % summary)
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("accountability")
def import_winners(request, space, component):
    from civitas.components.accountability.admin_forms import WinnersImportForm

    form = WinnersImportForm(request.POST, space=space)
    if not form.is_valid():
        messages.error(request, _("Choose a participatory budget of this space."))
        return redirect(_index_url(space, component))
    created = services.do_create_from_budget_winners(
        component=component, user=request.user, budgets_component=form.cleaned_data["budgets"]
    )
    _created_message(request, created)
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("accountability")
def import_proposals(request, space, component):
    form = ProposalsImportForm(request.POST, space=space, component=component)
    if not form.is_valid():
        messages.error(request, _("Choose at least one accepted proposal."))
        return redirect(_index_url(space, component))
    created = services.do_create_from_proposals(
        component=component, user=request.user, proposals=form.cleaned_data["proposals"]
    )
    _created_message(request, created)
    return redirect(_index_url(space, component))
