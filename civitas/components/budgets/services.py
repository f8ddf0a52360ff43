"""Budget votes. ``check_…`` says why not, ``do_…`` changes data.

The checkout is the sensitive part. Every change of a voter's orders happens while that
voter's account row is locked (the approach of proposal supports), so 50 simultaneous
requests of one voter queue up: each sees the order as the previous one left it, and the
vote rules are checked on what is really stored. One order per voter and budget is also a
unique constraint. On PostgreSQL a change also takes a share lock on the budget row, so
closing (which locks it for update) waits for changes in flight and none straddles the
seal; SQLite's IMMEDIATE transactions already serialise every writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.actionlog.services import log_action, snapshot
from civitas.ballotbox import services as ballotbox
from civitas.components.budgets.locks import lock_reason
from civitas.components.budgets.models import Budget, BudgetBallot, Order, OrderLine, Project
from civitas.sealing.receipts import new_receipt_code, receipt_hash
from civitas.sealing.tallies import compute_tally
from civitas.voting.budget_rules import (
    OrderProblem,
    VoteRule,
    problems_adding,
    problems_at_checkout,
)


class BudgetError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def vote_rule(budget: Budget) -> VoteRule:
    settings = budget.component.current_settings()
    return VoteRule(
        budget=budget.total,
        kind=settings["vote_rule"],
        minimum_percent=settings["minimum_percent"],
        minimum_projects=settings["minimum_projects"],
        maximum_projects=settings["maximum_projects"],
    )


def costs_of(budget: Budget) -> dict[int, int]:
    return dict(budget.projects.values_list("pk", "amount"))


def _euros(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u202f") + " €"


def problem_message(problem: OrderProblem) -> str:
    """One sentence for a voter, from a problem of :mod:`civitas.voting.budget_rules`."""
    p = problem.params
    if problem.code == "over_budget":
        return _("This would go over the budget by %(excess)s: remove a project first.") % {
            "excess": _euros(p["excess"])
        }
    if problem.code == "too_many_projects":
        return ngettext(
            "You may choose at most %(maximum)s project.",
            "You may choose at most %(maximum)s projects.",
            p["maximum"],
        ) % {"maximum": p["maximum"]}
    if problem.code == "too_few_projects":
        return ngettext(
            "Choose at least %(minimum)s project to confirm your vote.",
            "Choose at least %(minimum)s projects to confirm your vote.",
            p["minimum"],
        ) % {"minimum": p["minimum"]}
    if problem.code == "below_minimum_total":
        return _("Choose projects worth at least %(minimum)s (%(percent)s %% of the budget) to confirm.") % {
            "minimum": _euros(p["minimum"]),
            "percent": p["percent"],
        }
    if problem.code == "already_chosen":
        return _("This project is already in your vote.")
    if problem.code == "empty_order":
        return _("Choose at least one project to confirm your vote.")
    return _("This project is not part of this budget.")


@dataclass
class OrderSummary:
    budget: Budget
    projects: list[Project]
    total: int
    remaining: int
    checked_out: bool
    problems: list[str]  # why it cannot be confirmed yet

    @cached_property
    def project_ids(self) -> set[int]:
        return {project.pk for project in self.projects}

    @property
    def percent_spent(self) -> int:
        return min(100, self.total * 100 // self.budget.total) if self.budget.total else 0


def order_summary(budget: Budget, user) -> OrderSummary:
    order = Order.objects.filter(budget=budget, user=user).first() if user.is_authenticated else None
    projects = list(order.projects.order_by("position", "pk")) if order else []
    total = sum(project.amount for project in projects)
    problems = problems_at_checkout(vote_rule(budget), costs_of(budget), [p.pk for p in projects])
    return OrderSummary(
        budget=budget,
        projects=projects,
        total=total,
        remaining=budget.total - total,
        checked_out=bool(order and order.is_checked_out),
        problems=[problem_message(problem) for problem in problems],
    )


# --- voting --------------------------------------------------------------------------


def _lock_participant(user) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _lock_budget_shared(budget: Budget) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM budgets_budget WHERE id = %s FOR SHARE", [budget.pk])


def check_can_vote(budget: Budget, user) -> str | None:
    """Why this person cannot change their vote in this budget now, or None."""
    if Budget.objects.filter(pk=budget.pk, frozen_at__isnull=False).exists():
        return _("This vote is closed.")
    if not user.is_authenticated:
        return _("Log in to vote.")
    if not user.has_perm("budgets.vote", budget.component):
        return _("Voting is not open in this phase, or you may not take part in this space.")
    return None


def _voted_elsewhere(budget: Budget, user) -> Budget | None:
    if budget.component.current_settings()["vote_scope"] != "one":
        return None
    other = (
        Order.objects.filter(budget__component=budget.component, user=user, checked_out_at__isnull=False)
        .exclude(budget=budget)
        .select_related("budget")
        .first()
    )
    return other.budget if other else None


def _begin_change(budget: Budget, user) -> Order:
    """Lock, check, and give the voter's order (created if needed). Inside a transaction."""
    _lock_participant(user)
    _lock_budget_shared(budget)
    reason = check_can_vote(budget, user)
    if reason:
        raise BudgetError(reason)
    elsewhere = _voted_elsewhere(budget, user)
    if elsewhere is not None:
        raise BudgetError(
            _("You already voted in “%(budget)s” and may vote in one budget only: cancel that vote first.")
            % {"budget": elsewhere.title}
        )
    order, _created = Order.objects.get_or_create(budget=budget, user=user)
    return order


def _check_not_confirmed(order: Order) -> None:
    if order.is_checked_out:
        raise BudgetError(_("Your vote is confirmed. Cancel it to change your choice."))


@transaction.atomic
def do_add_project(*, budget: Budget, user, project: Project) -> Order:
    if project.budget_id != budget.pk:
        raise BudgetError(_("This project is not part of this budget."))
    order = _begin_change(budget, user)
    _check_not_confirmed(order)
    chosen = list(order.lines.values_list("project_id", flat=True))
    problems = problems_adding(vote_rule(budget), costs_of(budget), chosen, project.pk)
    if problems:
        raise BudgetError(problem_message(problems[0]))
    OrderLine.objects.create(order=order, project=project)
    return order


@transaction.atomic
def do_remove_project(*, budget: Budget, user, project: Project) -> Order:
    order = _begin_change(budget, user)
    _check_not_confirmed(order)
    removed, _details = order.lines.filter(project=project).delete()
    if not removed:
        raise BudgetError(_("This project is not in your vote."))
    return order


@transaction.atomic
def do_checkout(*, budget: Budget, user) -> str:
    """Confirm the voter's order; returns the receipt code, shown once."""
    order = _begin_change(budget, user)
    _check_not_confirmed(order)
    chosen = list(order.lines.values_list("project_id", flat=True))
    problems = problems_at_checkout(vote_rule(budget), costs_of(budget), chosen)
    if problems:
        raise BudgetError(" ".join(problem_message(problem) for problem in problems))
    code = new_receipt_code()
    order.checked_out_at = timezone.now()
    order.receipt_hash = receipt_hash(code)
    order.save(update_fields=["checked_out_at", "receipt_hash"])
    return code


def _selection_problems(rule: VoteRule, costs: dict[int, int], chosen: list[int]) -> list[OrderProblem]:
    """What adding ``chosen`` one by one to an empty basket would refuse."""
    so_far: list[int] = []
    for project_id in chosen:
        problems = problems_adding(rule, costs, so_far, project_id)
        if problems:
            return problems
        so_far.append(project_id)
    return []


@transaction.atomic
def do_choose_projects(*, budget: Budget, user, project_ids: list[int], confirm: bool) -> str | None:
    """Replace the voter's basket with ``project_ids`` and, if asked, confirm it.

    The budget page sends the whole ballot in one form, so that voting takes one request
    rather than one per project. A selection that breaks a rule changes nothing. Returns
    the receipt code when the vote is confirmed.
    """
    order = _begin_change(budget, user)
    _check_not_confirmed(order)
    rule, costs = vote_rule(budget), costs_of(budget)
    chosen = list(dict.fromkeys(project_ids))
    problems = _selection_problems(rule, costs, chosen)
    if not problems and confirm:
        problems = problems_at_checkout(rule, costs, chosen)
    if problems:
        raise BudgetError(" ".join(problem_message(problem) for problem in problems))
    order.lines.exclude(project_id__in=chosen).delete()
    kept = set(order.lines.values_list("project_id", flat=True))
    OrderLine.objects.bulk_create(
        [OrderLine(order=order, project_id=project_id) for project_id in chosen if project_id not in kept]
    )
    if not confirm:
        return None
    code = new_receipt_code()
    order.checked_out_at = timezone.now()
    order.receipt_hash = receipt_hash(code)
    order.save(update_fields=["checked_out_at", "receipt_hash"])
    return code


@transaction.atomic
def do_cancel(*, budget: Budget, user) -> None:
    """Withdraw a confirmed vote; the projects stay in the basket to vote again."""
    order = _begin_change(budget, user)
    if not order.is_checked_out:
        raise BudgetError(_("You have no confirmed vote to cancel."))
    order.checked_out_at = None
    order.receipt_hash = ""
    order.save(update_fields=["checked_out_at", "receipt_hash"])


# --- administration ------------------------------------------------------------------


def _log(component, user, action: str, target, before=None, after=None) -> None:
    log_action(
        organization=component.space.organization,
        user=user,
        action=action,
        target=target,
        space=component.space,
        before=before,
        after=after,
    )


def _check_open(budget: Budget) -> None:
    if budget.pk and Budget.objects.filter(pk=budget.pk, frozen_at__isnull=False).exists():
        raise BudgetError(_("This vote is closed: its budget and projects can no longer change."))


def _check_unlocked(component, budget: Budget | None = None) -> None:
    """Refuse a change of what orders are checked against (see :mod:`.locks`)."""
    reason = lock_reason(component, budget)
    if reason:
        raise BudgetError(reason)


@transaction.atomic
def do_save_budget(*, form, user, component) -> Budget:
    budget = form.instance
    _check_open(budget)
    before = snapshot(Budget.objects.get(pk=budget.pk)) if budget.pk else None
    if before is None:
        _check_unlocked(component)  # a new budget is a new choice for voters
    elif budget.total != before["total"] or budget.receipt_mode != before["receipt_mode"]:
        _check_unlocked(component, budget)
    budget.component = component
    budget = form.save()
    _log(component, user, "budget.update" if before else "budget.create", budget, before, snapshot(budget))
    return budget


@transaction.atomic
def do_delete_budget(*, budget: Budget, user) -> None:
    _check_open(budget)
    _check_unlocked(budget.component, budget)
    _log(budget.component, user, "budget.delete", budget, snapshot(budget))
    budget.delete()


@transaction.atomic
def do_save_project(*, form, user, budget: Budget) -> Project:
    project = form.instance
    _check_open(budget)
    before = snapshot(Project.objects.get(pk=project.pk)) if project.pk else None
    if before is None or project.amount != before["amount"]:
        _check_unlocked(budget.component, budget)
    project.budget = budget
    project = form.save()
    _log(budget.component, user, "budget_project.update" if before else "budget_project.create", project,
         before, snapshot(project))  # fmt: skip
    return project


@transaction.atomic
def do_delete_project(*, project: Project, user) -> None:
    _check_open(project.budget)
    _check_unlocked(project.budget.component, project.budget)
    _log(project.budget.component, user, "budget_project.delete", project, snapshot(project))
    project.delete()


@transaction.atomic
def do_import_proposals(*, budget: Budget, user, proposals) -> list[Project]:
    """One project per accepted proposal with a cost, linked to it; already imported ones are skipped."""
    from civitas.components.proposals.models import Proposal

    _check_open(budget)
    _check_unlocked(budget.component, budget)
    created = []
    already = set(
        Project.proposals.through.objects.filter(project__budget=budget).values_list("proposal_id", flat=True)
    )
    position = budget.projects.count()
    for proposal in proposals:
        if proposal.state != Proposal.State.ACCEPTED or proposal.pk in already:
            continue
        cost = proposal.published_cost if proposal.published_cost is not None else proposal.estimated_cost
        if cost is None or cost <= 0:
            continue
        project = Project.objects.create(
            budget=budget,
            title=proposal.title,
            description=proposal.body,
            amount=int(cost.to_integral_value()),
            address=proposal.address,
            image=proposal.image.name if proposal.image else "",
            position=position,
        )
        position += 1
        project.proposals.add(proposal)
        created.append(project)
        _log(
            budget.component,
            user,
            "budget_project.import",
            project,
            after={**snapshot(project), "proposal": proposal.pk},
        )
    return created


def importable_proposals(budget: Budget):
    """Accepted proposals with a cost, in components of the same space, not imported yet."""
    from civitas.components.proposals.models import Proposal

    imported = Project.proposals.through.objects.filter(project__budget=budget).values("proposal_id")
    return (
        Proposal.objects.visible()
        .filter(component__space=budget.component.space, state=Proposal.State.ACCEPTED)
        .exclude(pk__in=imported)
        .exclude(published_cost__isnull=True, estimated_cost__isnull=True)
        .order_by("title", "pk")
    )


def do_close_vote(*, component, user) -> list[Budget]:
    """Seal every open budget of the component: confirmed orders become anonymous ballots.

    The winners are computed first, outside any transaction, from the confirmed orders:
    the Method of Equal Shares takes seconds for thousands of voters, and a write
    transaction that long would hold SQLite's single writer lock, stopping every other
    write of the site. The sealed tally, computed in the transaction from the ballots,
    finds that result for the same ballots at once (see
    :func:`civitas.voting.budget_rules.equal_shares`); a vote confirmed in between only
    means it is computed again there.
    """
    _compute_winners_ahead(component)
    return _close_and_seal_all(component, user)


def _confirmed_orders(budget: Budget) -> dict[int, tuple]:
    """``{order id: (confirmed at, receipt hash, [project ids])}``, read as plain rows.

    Thousands of orders: building model instances for them and their lines would cost
    more than everything else closing does.
    """
    confirmed = Order.objects.filter(budget=budget, checked_out_at__isnull=False)
    orders = {
        pk: (confirmed_at, receipt, [])
        for pk, confirmed_at, receipt in confirmed.values_list(
            "pk", "checked_out_at", "receipt_hash"
        ).iterator(chunk_size=5000)
    }
    lines = OrderLine.objects.filter(order__budget=budget, order__checked_out_at__isnull=False)
    for order_id, project_id in lines.values_list("order_id", "project_id").iterator(chunk_size=5000):
        if order_id in orders:  # confirmed between the two reads: left to a later read
            orders[order_id][2].append(str(project_id))
    return orders


def _compute_winners_ahead(component) -> None:
    for budget in Budget.objects.filter(component=component, frozen_at__isnull=True):
        budget.component = component
        definition = budget.sealing_definition()
        if definition["rule"] != "equal_shares":
            continue  # the greedy rule takes milliseconds
        # The same records as the sealed ballots will be, bar their ids, days and receipts.
        records = (
            {"channel": "online", "payload": {"projects": sorted(projects)}}
            for _confirmed_at, _receipt, projects in _confirmed_orders(budget).values()
        )
        compute_tally(budget.sealing_kind, definition, records)


@transaction.atomic
def _close_and_seal_all(component, user) -> list[Budget]:
    closed = []
    for budget in Budget.objects.select_for_update().filter(component=component, frozen_at__isnull=True):
        budget.component = component
        ballots = [
            BudgetBallot(
                budget=budget,
                day=timezone.localdate(confirmed_at),
                channel="online",
                receipt_hash=receipt or None,
                payload={"projects": sorted(projects)},
            )
            for confirmed_at, receipt, projects in _confirmed_orders(budget).values()
        ]
        try:
            BudgetBallot.objects.bulk_create(ballots, batch_size=2000)
            ballotbox.close_and_seal(budget, record_model=BudgetBallot)
        except (IntegrityError, ballotbox.Frozen) as error:
            raise BudgetError(_("This vote is already closed.")) from error
        # From now on the ballots alone hold the choices: the orders keep only that their
        # account voted, so nobody with the database can pair a ballot with a voter.
        _delete_order_lines(budget)
        Order.objects.filter(budget=budget).update(receipt_hash="")
        _log(
            component,
            user,
            "budget.close",
            budget,
            after={"seal": budget.seal, "ballots": budget.tally["ballots"]},
        )
        closed.append(budget)
    if not closed:
        raise BudgetError(_("There is no open budget to close."))
    return closed


def _delete_order_lines(budget: Budget) -> None:
    """In one statement: through the ORM, the site-wide post_delete receivers (page
    freshness) would load every line first, and none of them has anything to do for one."""
    lines = connection.ops.quote_name(OrderLine._meta.db_table)
    orders = connection.ops.quote_name(Order._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {lines} WHERE order_id IN (SELECT id FROM {orders} WHERE budget_id = %s)",  # noqa: S608
            [budget.pk],
        )


def cancelled_message() -> str:
    return _("Your vote is cancelled. You may change your choice and confirm again until the vote closes.")


@dataclass
class ReceiptMatch:
    day: object  # the date the vote was confirmed
    ballot_id: str | None  # the sealed ballot's id, once the vote is closed


def find_receipt(budget: Budget, code: str) -> ReceiptMatch | None:
    """The confirmed vote (open vote) or the sealed ballot (closed vote) that holds this receipt."""
    try:
        digest = receipt_hash(code)
    except ValueError:
        return None
    if budget.is_frozen:
        ballot = BudgetBallot.objects.filter(budget=budget, receipt_hash=digest).first()
        return ReceiptMatch(ballot.day, str(ballot.id)) if ballot else None
    order = Order.objects.filter(budget=budget, receipt_hash=digest, checked_out_at__isnull=False).first()
    return ReceiptMatch(timezone.localdate(order.checked_out_at), None) if order else None
