from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.accounts import throttle
from civitas.accounts.views import rate_limited
from civitas.ballotbox.receipts import receipt_response
from civitas.ballotbox.services import iter_published
from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, BudgetParticipation, Order, Project
from civitas.components.budgets.results import budget_results, results_visible
from civitas.components.views import check_visible, public_component_view, requirement_flag
from civitas.core.params import parse_id
from civitas.maps.markers import map_context, markers_from_objects
from civitas.voting.budget_rules import OrderProblem


def _budget(component, budget_id) -> Budget:
    budget = get_object_or_404(Budget, component=component, pk=budget_id)
    budget.component = component
    return budget


def public_ballot_view(view):
    """``public_component_view("budgets")`` for the ballot's action, which reads every project
    of the budget anyway: the projects, their budget and its component, space and phase in
    one query (each project row brings them). The view gets ``(budget, projects)``.

    The same filters and the same permission check as ``public_component_view``; a budget
    without projects (nothing to vote for) is read as that decorator reads it.
    """

    @wraps(view)
    def wrapper(request, space_slug, component_id, budget_id):
        projects = list(
            Project.objects.select_related("budget__component__space__active_phase")
            .annotate(has_action_requirements=requirement_flag("budget__component_id"))
            .filter(
                budget=budget_id,
                budget__component=component_id,
                budget__component__manifest_name="budgets",
                budget__component__space__slug=space_slug,
                budget__component__space__organization=request.organization,
            )
        )
        if not projects:
            return public_component_view("budgets")(_without_projects(view))(
                request, space_slug, component_id, budget_id
            )
        budget = projects[0].budget
        component = budget.component
        component.has_action_requirements = projects[0].has_action_requirements
        check_visible(request, component)
        for project in projects:
            project.budget = budget
        return view(request, component.space, component, budget, projects)

    return wrapper


def _without_projects(view):
    def read_budget(request, space, component, budget_id):
        return view(request, space, component, _budget(component, budget_id), [])

    return read_budget


def _project(budget, project_id) -> Project:
    project = get_object_or_404(Project.objects.prefetch_related("proposals"), budget=budget, pk=project_id)
    project.budget = budget
    return project


@public_component_view("budgets")
def budget_index(request, space, component):
    budgets = list(Budget.objects.filter(component=component))
    drafts, voted = set(), set()
    if request.user.is_authenticated:
        mine = {"budget__component": component, "user": request.user}
        drafts = set(Order.objects.filter(**mine).values_list("budget_id", flat=True))
        voted = set(BudgetParticipation.objects.filter(**mine).values_list("budget_id", flat=True))
    for budget in budgets:
        budget.component = component
        budget.i_voted = budget.pk in voted
        budget.my_draft = budget.pk in drafts
    context = {
        "space": space,
        "component": component,
        "budgets": budgets,
        "settings": component.current_settings(),
        "phase_settings": component.active_phase_settings(),
    }
    return render(request, "budgets/index.html", context)


def _budget_page(request, space, component, budget, *, selected_ids=None, ballot_error="", status=200):
    summary = services.order_summary(budget, request.user)
    cannot_vote = services.check_can_vote(budget, request.user)
    projects = list(budget.projects.all())
    for project in projects:
        project.budget = budget  # for its address, without a query per project
    context = {
        "space": space,
        "component": component,
        "budget": budget,
        "projects": projects,
        "map": map_context(
            request.organization,
            markers_from_objects(projects),
            label=_("Map of the projects"),
            list_id="project-list",
        ),
        "summary": summary,
        "cannot_vote": cannot_vote,
        "voter_districts": services.voter_districts(budget, request.user) if budget.district else [],
        "ballot_open": not cannot_vote and not summary.checked_out,
        # After a refused ballot the voter's ticks are kept, not the stored basket.
        "selected_ids": summary.project_ids if selected_ids is None else selected_ids,
        "ballot_error": ballot_error,
        "rule": services.vote_rule(budget),
        "settings": component.current_settings(),
        "results": budget_results(budget) if results_visible(budget) else None,
    }
    return render(request, "budgets/budget.html", context, status=status)


@public_component_view("budgets")
def budget_detail(request, space, component, budget_id):
    return _budget_page(request, space, component, _budget(component, budget_id))


@public_component_view("budgets")
def project_detail(request, space, component, budget_id, project_id):
    budget = _budget(component, budget_id)
    project = _project(budget, project_id)
    summary = services.order_summary(budget, request.user)
    context = {
        "space": space,
        "component": component,
        "budget": budget,
        "project": project,
        "summary": summary,
        "cannot_vote": services.check_can_vote(budget, request.user),
        "voter_districts": services.voter_districts(budget, request.user) if budget.district else [],
        "proposals": [p for p in project.proposals.all() if p.published_at and not p.hidden_at],
    }
    return render(request, "budgets/project.html", context)


def _back(request, budget):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(budget.get_absolute_url())


def _order_change(request, component, budget_id, change, action="basket"):
    if not request.user.is_authenticated:
        return redirect_to_login(component.get_absolute_url())
    verdict = throttle.participant_verdict(request, action)
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    budget = _budget(component, budget_id)
    try:
        change(budget)
    except services.BudgetError as error:
        messages.error(request, error.message)
    return _back(request, budget)


@require_POST
@public_component_view("budgets")
def order_add(request, space, component, budget_id, project_id):
    def change(budget):
        services.do_add_project(budget=budget, user=request.user, project=_project(budget, project_id))

    return _order_change(request, component, budget_id, change)


@require_POST
@public_component_view("budgets")
def order_remove(request, space, component, budget_id, project_id):
    def change(budget):
        services.do_remove_project(budget=budget, user=request.user, project=_project(budget, project_id))

    return _order_change(request, component, budget_id, change)


def _final_confirmed(request) -> bool:
    """A confirmed vote cannot be undone: the box saying so must be ticked (checked here too)."""
    if request.POST.get("confirm_final") == "1":
        return True
    messages.error(
        request, _("Nothing was sent: tick the box saying that your vote is final, then vote again.")
    )
    return False


@require_POST
@public_component_view("budgets")
def order_checkout(request, space, component, budget_id):
    if not request.user.is_authenticated:
        return redirect_to_login(component.get_absolute_url())
    verdict = throttle.participant_verdict(request, "vote")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    budget = _budget(component, budget_id)
    if not _final_confirmed(request):
        return redirect(budget.get_absolute_url())
    try:
        receipt = services.do_checkout(budget=budget, user=request.user)
    except services.BudgetError as error:
        messages.error(request, error.message)
        return redirect(budget.get_absolute_url())
    return _confirmed(request, space, component, budget, receipt)


def _confirmed(request, space, component, budget, receipt, every_project=None):
    """The receipt, in the answer to the vote itself: kept nowhere, not even in the session.

    The projects are shown from the receipt (what was just cast): once confirmed, nothing
    stored says what the voter chose. ``every_project``: the budget's, if already read.
    """
    chosen = set(receipt.project_ids)
    if every_project is None:
        every_project = list(budget.projects.all())
    projects = [project for project in every_project if project.pk in chosen]

    def page(shown):
        return {
            "space": space,
            "component": component,
            "budget": budget,
            "projects": shown,
            "total": sum(project.amount for project in shown),
            "receipt": receipt,
        }

    # The page lists the ballot: padded to the size it has with every project, so that its
    # length (seen by whoever watches the encrypted traffic) says nothing of the choice.
    return receipt_response(
        request,
        "budgets/confirmed.html",
        page(projects),
        widest_context=page(every_project),
        ballot_parts=("budgets/_confirmed_choice.html",),
    )


@require_POST
@public_ballot_view
def order_vote(request, space, component, budget, every_project):
    """The budget page's ballot: the ticked projects, saved, or saved and confirmed."""
    if not request.user.is_authenticated:
        return redirect_to_login(component.get_absolute_url())
    verdict = throttle.participant_verdict(request, "vote")
    if verdict.limited:
        return rate_limited(request, retry_after=verdict.retry_after_seconds)
    raw_ids = request.POST.getlist("project")
    project_ids = [parse_id(raw) for raw in raw_ids]
    kept = {project_id for project_id in project_ids if project_id}
    intent = request.POST.get("intent")
    if intent == "edit":  # back from the review step: the ticks come back, nothing was stored
        return _budget_page(request, space, component, budget, selected_ids=kept)
    if intent == "review":
        return _review(request, space, component, budget, project_ids)
    confirm = intent != "save"
    if confirm and request.POST.get("confirm_final") != "1":
        message = _("Nothing was sent: tick the box saying that your vote is final, then vote again.")
        return _budget_page(
            request, space, component, budget, selected_ids=kept, ballot_error=message, status=400
        )
    try:
        if None in project_ids:
            raise services.BudgetError(services.problem_message(OrderProblem("unknown_project", {})))
        receipt = services.do_choose_projects(
            budget=budget, user=request.user, project_ids=project_ids, confirm=confirm, projects=every_project
        )
    except services.BudgetError as error:
        return _budget_page(
            request, space, component, budget, selected_ids=kept, ballot_error=error.message, status=400
        )
    if not confirm:
        messages.success(request, _("Your selection is saved. It counts only once you vote."))
        return redirect(budget.get_absolute_url())
    return _confirmed(request, space, component, budget, receipt, every_project)


def _review(request, space, component, budget, project_ids):
    """The ballot shown back before it is cast, from the form alone (nothing is stored).

    The page lists the choice: like the receipt, it is padded to the size it has with
    every project, and no cache may keep it.
    """
    try:
        if None in project_ids:
            raise services.BudgetError(services.problem_message(OrderProblem("unknown_project", {})))
        chosen = services.check_selection(budget=budget, user=request.user, project_ids=project_ids)
    except services.BudgetError as error:
        kept = {project_id for project_id in project_ids if project_id}
        return _budget_page(
            request, space, component, budget, selected_ids=kept, ballot_error=error.message, status=400
        )
    every_project = list(budget.projects.all())
    by_id = {project.pk: project for project in every_project}

    def page(shown):
        total = sum(project.amount for project in shown)
        return {
            "space": space,
            "component": component,
            "budget": budget,
            "projects": shown,
            "total": total,
            "remaining": budget.total - total,
        }

    shown = [by_id[project_id] for project_id in chosen]
    return receipt_response(
        request,
        "budgets/review.html",
        page(shown),
        widest_context=page(every_project),
        ballot_parts=("budgets/_review_choice.html", "budgets/_review_hidden.html"),
        referrer_policy="same-origin",  # its form posts the vote: the browser must send its origin
    )


@public_component_view("budgets")
def check_receipt(request, space, component, budget_id):
    budget = _budget(component, budget_id)
    # POST, so that codes never land in access logs or browser history next to an address.
    code = (request.POST.get("code") or "").strip() if request.method == "POST" else ""
    context = {
        "space": space,
        "component": component,
        "budget": budget,
        "code": code,
        "searched": bool(code),
        "match": services.find_receipt(budget, code) if code else None,
    }
    return render(request, "budgets/check_receipt.html", context)


@public_component_view("budgets")
def sealed_file(request, space, component, budget_id):
    budget = _budget(component, budget_id)
    if not results_visible(budget):
        raise Http404
    lines = (line.encode() for line in iter_published(budget))
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}-sealed.jsonl"'
    return response
