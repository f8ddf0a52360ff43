from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.ballotbox.admin import (
    MAX_KEY_FILE_BYTES,
    close_from_admin,
    closing_poll,
    closing_progress,
    key_panel,
    keys_view,
)
from civitas.components.budgets import services
from civitas.components.budgets.admin_forms import BudgetForm, ImportProposalsForm, ProjectForm
from civitas.components.budgets.locks import lock_reason
from civitas.components.budgets.models import Budget, Project
from civitas.components.views import admin_component_view
from civitas.core.confirmation import confirm_deletion, deletion_confirmed


def _budget(component, budget_id) -> Budget:
    budget = get_object_or_404(Budget, component=component, pk=budget_id)
    budget.component = component
    return budget


def _index_url(space, component) -> str:
    return reverse("budgets_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk})


def _budget_url(space, component, budget) -> str:
    return reverse(
        "budgets_admin:budget",
        kwargs={"space_id": space.pk, "component_id": component.pk, "budget_id": budget.pk},
    )


@admin_component_view("budgets")
def budget_admin_index(request, space, component):
    form = BudgetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.do_save_budget(form=form, user=request.user, component=component)
        except services.BudgetError as error:
            messages.error(request, error.message)
        else:
            return redirect(_budget_url(space, component, budget))
    budgets = Budget.objects.filter(component=component)
    open_budgets = [budget for budget in budgets if not budget.is_frozen]
    if request.method != "POST" and (poll := closing_poll(request, list(budgets))):
        return poll
    context = {
        "space": space,
        "component": component,
        "budgets": budgets,
        "form": form,
        "has_open_budget": any(not budget.is_frozen for budget in budgets),
        "trustee_budgets": [b for b in budgets if not b.is_frozen and b.key_mode == "trustees"],
        "locked_reason": lock_reason(component),
        **closing_progress(open_budgets, _index_url(space, component)),
    }
    return render(request, "budgets/admin/index.html", context)


def _supplied_trustee_keys(request, budgets) -> dict[int, list[str]]:
    """Per budget in trustee mode, each trustee's key (text field or file), in trustee order.

    One closing form closes every budget of the component: each budget's fields carry its id
    (see budgets/admin/_closing_keys.html).
    """
    supplied = {}
    for budget in budgets:
        keys = []
        for index in range(1, len(budget.trustees) + 1):
            upload = request.FILES.get(f"trustee-file-{budget.pk}-{index}")
            if upload is not None and upload.size <= MAX_KEY_FILE_BYTES:
                keys.append(upload.read().decode("utf-8", errors="replace"))
            else:
                keys.append(request.POST.get(f"trustee-key-{budget.pk}-{index}", ""))
        supplied[budget.pk] = keys
    return supplied


@require_POST
@admin_component_view("budgets")
def close_vote(request, space, component):
    open_budgets = list(Budget.objects.filter(component=component, frozen_at__isnull=True))
    for budget in open_budgets:
        budget.component = component
    close_from_admin(
        request,
        targets=open_budgets,
        close_now=lambda: services.do_close_vote(
            component=component, user=request.user, trustee_keys=_supplied_trustee_keys(request, open_budgets)
        ),
        error_class=services.BudgetError,
        done_message=ngettext(
            "The vote is closed and sealed (%(count)s budget).",
            "The vote is closed and sealed (%(count)s budgets).",
            len(open_budgets),
        )
        % {"count": len(open_budgets)},
    )
    return redirect(_index_url(space, component))


@admin_component_view("budgets")
def budget_edit(request, space, component, budget_id):
    budget = _budget(component, budget_id)
    locked_reason = lock_reason(component, budget)
    data = request.POST if request.method == "POST" else None
    form = BudgetForm(data, instance=budget, locked_reason=locked_reason)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_budget(form=form, user=request.user, component=component)
        except services.BudgetError as error:
            messages.error(request, error.message)
            status = 400
            budget.refresh_from_db()
        else:
            messages.success(request, _("The budget is saved."))
            return redirect(_budget_url(space, component, budget))
    context = {
        "space": space,
        "component": component,
        "budget": budget,
        "locked_reason": locked_reason,
        "form": form,
        "projects": budget.projects.all(),
        "import_form": ImportProposalsForm(queryset=services.importable_proposals(budget)),
        **key_panel(budget),
        "keys_url": reverse(
            "budgets_admin:keys",
            kwargs={"space_id": space.pk, "component_id": component.pk, "budget_id": budget.pk},
        ),
    }
    return render(request, "budgets/admin/budget.html", context, status=status)


@require_POST
@admin_component_view("budgets")
def budget_delete(request, space, component, budget_id):
    budget = _budget(component, budget_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=budget.title,
            consequence=_("The budget and all its projects are deleted for good."),
            back_url=_budget_url(space, component, budget),
            context={"space": space},
        )
    try:
        services.do_delete_budget(budget=budget, user=request.user)
    except services.BudgetError as error:
        messages.error(request, error.message)
        return redirect(_budget_url(space, component, budget))
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("budgets")
def import_proposals(request, space, component, budget_id):
    budget = _budget(component, budget_id)
    form = ImportProposalsForm(request.POST, queryset=services.importable_proposals(budget))
    if not form.is_valid():
        messages.error(request, _("Choose at least one accepted proposal to import."))
        return redirect(_budget_url(space, component, budget))
    try:
        created = services.do_import_proposals(
            budget=budget, user=request.user, proposals=form.cleaned_data["proposals"]
        )
    except services.BudgetError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)s project imported.", "%(count)s projects imported.", len(created))
            % {"count": len(created)},
        )
    return redirect(_budget_url(space, component, budget))


@admin_component_view("budgets")
def project_edit(request, space, component, budget_id, project_id=None):
    budget = _budget(component, budget_id)
    project = (
        get_object_or_404(Project, budget=budget, pk=project_id) if project_id else Project(budget=budget)
    )
    locked_reason = lock_reason(component, budget)
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = ProjectForm(*data, instance=project, budget=budget, locked_reason=locked_reason)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.do_save_project(form=form, user=request.user, budget=budget)
        except services.BudgetError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("The project is saved."))
            form.announce_location(request)
            return redirect(_budget_url(space, component, budget))
    context = {
        "space": space,
        "component": component,
        "budget": budget,
        "project": project,
        "form": form,
        "locked_reason": locked_reason,
    }
    return render(request, "budgets/admin/project.html", context, status=status)


@require_POST
@admin_component_view("budgets")
def project_delete(request, space, component, budget_id, project_id):
    budget = _budget(component, budget_id)
    project = get_object_or_404(Project, budget=budget, pk=project_id)
    project.budget = budget
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=project.title,
            consequence=_("The project, its description, cost and address are deleted for good."),
            back_url=_budget_url(space, component, budget),
            context={"space": space},
        )
    try:
        services.do_delete_project(project=project, user=request.user)
    except services.BudgetError as error:
        messages.error(request, error.message)
    return redirect(_budget_url(space, component, budget))


@require_POST
@admin_component_view("budgets")
def counting_keys(request, space, component, budget_id):
    """Who holds this budget's counting key: the platform, or trustees (keys shown once)."""
    budget = _budget(component, budget_id)
    return keys_view(request, target=budget, space=space, back_url=_budget_url(space, component, budget))
