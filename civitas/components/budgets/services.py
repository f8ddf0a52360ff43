"""Budget votes. ``check_…`` says why not, ``do_…`` changes data.

Every change of a voter's draft selection (their ``Order``) happens while that voter's
account row is locked (the approach of proposal supports), so 50 simultaneous requests of
one voter queue up: each sees the order as the previous one left it, and the vote rules
are checked on what is really stored. On PostgreSQL a change also takes a share lock on
the budget row, so closing (which locks it for update) waits for changes in flight and
none straddles the seal; SQLite's IMMEDIATE transactions already serialise every writer.

Confirming is final. In one transaction the ballot box stores the selection encrypted
with the vote's key and "this account voted" (a ``BudgetParticipation``, with no time),
and the draft is deleted: from then on nothing in the database says what the account
chose, or when. Withdrawing the vote would need a link between the account and its
encrypted ballot, which nobody keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.requirements import (
    blocked_only_by_verifications,
    requirements_for,
    same_district,
    user_districts,
)
from civitas.ballotbox import keys
from civitas.ballotbox import services as ballotbox
from civitas.ballotbox.errors import Receipt, closing_errors
from civitas.ballotbox.keys import VoteKeyError
from civitas.ballotbox.models import ReceiptMode
from civitas.components.budgets.locks import lock_reason
from civitas.components.budgets.models import (
    Budget,
    BudgetBallot,
    BudgetParticipation,
    Order,
    OrderLine,
    Project,
)
from civitas.sealing.receipts import new_receipt_code, receipt_hash
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
    checked_out: bool  # the account has voted in this budget (its choice is encrypted)
    problems: list[str]  # why it cannot be confirmed yet

    @cached_property
    def project_ids(self) -> set[int]:
        return {project.pk for project in self.projects}

    @property
    def percent_spent(self) -> int:
        return min(100, self.total * 100 // self.budget.total) if self.budget.total else 0


def has_voted(budget: Budget, user) -> bool:
    return user.is_authenticated and BudgetParticipation.objects.filter(budget=budget, user=user).exists()


def order_summary(budget: Budget, user) -> OrderSummary:
    """The voter's draft selection; once they have voted there is none (nothing says what they chose)."""
    order = Order.objects.filter(budget=budget, user=user).first() if user.is_authenticated else None
    projects = list(order.projects.order_by("position", "pk")) if order else []
    total = sum(project.amount for project in projects)
    problems = problems_at_checkout(vote_rule(budget), costs_of(budget), [p.pk for p in projects])
    return OrderSummary(
        budget=budget,
        projects=projects,
        total=total,
        remaining=budget.total - total,
        checked_out=has_voted(budget, user),
        problems=[problem_message(problem) for problem in problems],
    )


# --- voting --------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetReceipt(Receipt):
    """The receipt, and the projects of the ballot it was given for (to show them once)."""

    project_ids: tuple[int, ...] = ()


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
        if blocked_only_by_verifications(user, budget.component, "vote"):
            return _("This vote is open to verified participants only: verify your account first.")
        return _("Voting is not open in this phase, or you may not take part in this space.")
    return district_refusal(budget, user)


def voter_districts(budget: Budget, user) -> list[str]:
    """The districts the voter's verifications give: those the vote requires, if any, else all."""
    required = [requirement.handler for requirement in requirements_for(budget.component, "vote")]
    return user_districts(user, handlers=required or None)


def district_refusal(budget: Budget, user) -> str | None:
    """A budget for one district admits only the residents a verification places there."""
    if not budget.district:
        return None
    districts = voter_districts(budget, user)
    if not districts:
        return _(
            "This budget is for the residents of %(district)s: "
            "verify your address (letter code or census) to vote."
        ) % {"district": budget.district}
    if not any(same_district(district, budget.district) for district in districts):
        return _(
            "This budget is for the residents of %(district)s; your verification places you in %(yours)s."
        ) % {"district": budget.district, "yours": ", ".join(districts)}
    return None


def _voted_elsewhere(budget: Budget, user) -> Budget | None:
    if budget.component.current_settings()["vote_scope"] != "one":
        return None
    other = (
        BudgetParticipation.objects.filter(budget__component=budget.component, user=user)
        .exclude(budget=budget)
        .select_related("budget")
        .first()
    )
    return other.budget if other else None


def already_voted_message() -> str:
    return _("You have already voted in this budget. A confirmed vote is final: it cannot be changed.")


def _begin_change(budget: Budget, user, *, create: bool = True) -> Order | None:
    """Lock, check, and give the voter's draft (created if needed). Inside a transaction."""
    _lock_participant(user)
    _lock_budget_shared(budget)
    reason = check_can_vote(budget, user)
    if reason:
        raise BudgetError(reason)
    if BudgetParticipation.objects.filter(budget=budget, user=user).exists():
        raise BudgetError(already_voted_message())
    elsewhere = _voted_elsewhere(budget, user)
    if elsewhere is not None:
        raise BudgetError(
            _("You already voted in “%(budget)s” and may vote in one budget only.")
            % {"budget": elsewhere.title}
        )
    if not create:
        return Order.objects.filter(budget=budget, user=user).first()
    order, _created = Order.objects.get_or_create(budget=budget, user=user)
    return order


@transaction.atomic
def do_add_project(*, budget: Budget, user, project: Project) -> Order:
    if project.budget_id != budget.pk:
        raise BudgetError(_("This project is not part of this budget."))
    order = _begin_change(budget, user)
    chosen = list(order.lines.values_list("project_id", flat=True))
    problems = problems_adding(vote_rule(budget), costs_of(budget), chosen, project.pk)
    if problems:
        raise BudgetError(problem_message(problems[0]))
    OrderLine.objects.create(order=order, project=project)
    return order


@transaction.atomic
def do_remove_project(*, budget: Budget, user, project: Project) -> Order:
    order = _begin_change(budget, user)
    removed, _details = order.lines.filter(project=project).delete()
    if not removed:
        raise BudgetError(_("This project is not in your vote."))
    return order


def _prepare_key(budget: Budget, user) -> None:
    """Make sure the vote can take ballots, before the confirming transaction.

    In platform mode the first ballot of a budget writes its public key on the budget row;
    done inside the transaction, two first voters holding the row's share lock would both
    wait to update it (a deadlock on PostgreSQL). Done here, it is an update on its own.
    """
    if check_can_vote(budget, user):
        return  # the transaction says why, and stores nothing
    try:
        keys.ensure_public_key(budget)
    except VoteKeyError as error:
        raise BudgetError(error.message) from None


def _confirm(
    budget: Budget, user, chosen: list[int], *, before_store, payload_bound: int | None = None
) -> BudgetReceipt:
    """Cast ``chosen`` encrypted and record that the account voted; ``before_store`` runs
    in the ballot box's transaction first (it deletes the voter's draft: the draft named its
    voter, it goes in the transaction that stores the ballot).

    After the vote rules were checked on ``chosen``.
    """
    code = new_receipt_code()
    try:
        cast = ballotbox.cast(
            target=budget,
            participation=BudgetParticipation(budget=budget, user=user),
            payload={"projects": sorted(str(project_id) for project_id in chosen)},
            receipt=receipt_hash(code),
            before_store=before_store,
            payload_bound=payload_bound,
        )
    except ballotbox.AlreadyParticipated:
        raise BudgetError(already_voted_message()) from None
    except ballotbox.Frozen:
        raise BudgetError(_("This vote is closed.")) from None
    except VoteKeyError as error:
        raise BudgetError(error.message) from None
    return BudgetReceipt(code=code, fingerprint=cast.fingerprint, project_ids=tuple(chosen))


def do_checkout(*, budget: Budget, user) -> BudgetReceipt:
    """Confirm the voter's selection (final); returns the receipt, shown once."""
    _prepare_key(budget, user)
    with transaction.atomic():
        order = _begin_change(budget, user)
        chosen = list(order.lines.values_list("project_id", flat=True))
        problems = problems_at_checkout(vote_rule(budget), costs_of(budget), chosen)
        if problems:
            raise BudgetError(" ".join(problem_message(problem) for problem in problems))
        return _confirm(budget, user, chosen, before_store=order.delete)


def _selection_problems(rule: VoteRule, costs: dict[int, int], chosen: list[int]) -> list[OrderProblem]:
    """What adding ``chosen`` one by one to an empty basket would refuse."""
    so_far: list[int] = []
    for project_id in chosen:
        problems = problems_adding(rule, costs, so_far, project_id)
        if problems:
            return problems
        so_far.append(project_id)
    return []


def check_selection(*, budget: Budget, user, project_ids: list[int]) -> list[int]:
    """The projects of a ballot about to be reviewed, in order, if it could be cast as it is.

    Reads only, stores nothing: the review step shows the choice back to the voter from
    the form they sent, so that nothing about it is kept before the vote is cast.
    """
    reason = check_can_vote(budget, user)
    if reason:
        raise BudgetError(reason)
    if BudgetParticipation.objects.filter(budget=budget, user=user).exists():
        raise BudgetError(already_voted_message())
    elsewhere = _voted_elsewhere(budget, user)
    if elsewhere is not None:
        raise BudgetError(
            _("You already voted in “%(budget)s” and may vote in one budget only.")
            % {"budget": elsewhere.title}
        )
    rule, costs = vote_rule(budget), costs_of(budget)
    chosen = list(dict.fromkeys(project_ids))
    problems = _selection_problems(rule, costs, chosen) or problems_at_checkout(rule, costs, chosen)
    if problems:
        raise BudgetError(" ".join(problem_message(problem) for problem in problems))
    return chosen


def _vote_refusal(budget: Budget, user) -> str | None:
    """``check_can_vote`` from what the request has read (the budget row, the component
    with its phase): closing is refused by the ballot box in the transaction that would
    store the ballot, so the freeze is not read again before it."""
    if budget.is_frozen:
        return _("This vote is closed.")
    if not user.is_authenticated:
        return _("Log in to vote.")
    if not user.has_perm("budgets.vote", budget.component):
        if blocked_only_by_verifications(user, budget.component, "vote"):
            return _("This vote is open to verified participants only: verify your account first.")
        return _("Voting is not open in this phase, or you may not take part in this space.")
    return district_refusal(budget, user)


def _vote_at_once(budget: Budget, user, chosen: list[int], projects: list[Project]) -> BudgetReceipt:
    """Cast the ticked projects as the vote, without a draft (nothing to delete unless an
    earlier draft is there).

    Checks that need nothing locked are made first, on what the request has read; the
    ballot box's transaction then locks the voter's row (as every change of a draft does,
    so a draft saved at the same moment either comes before and is deleted here, or comes
    after and finds the vote) and, in the same statement, reads their draft and their vote
    in another budget of the component.
    """
    reason = _vote_refusal(budget, user)
    if reason:
        raise BudgetError(reason)
    try:
        keys.ensure_public_key(budget)  # on its own, before the transaction (see _prepare_key)
    except VoteKeyError as error:
        raise BudgetError(error.message) from None
    rule, costs = vote_rule(budget), {project.pk: project.amount for project in projects}
    problems = _selection_problems(rule, costs, chosen) or problems_at_checkout(rule, costs, chosen)
    if problems:
        raise BudgetError(" ".join(problem_message(problem) for problem in problems))
    one_budget_only = budget.component.current_settings()["vote_scope"] == "one"

    def lock_and_delete_draft() -> bool:
        mine = {"user": OuterRef("pk")}
        voter = get_user_model().objects.select_for_update().filter(pk=user.pk)
        voter = voter.annotate(
            draft=Subquery(Order.objects.filter(budget=budget, **mine).values("pk")[:1]),
            elsewhere=Subquery(
                BudgetParticipation.objects.filter(budget__component=budget.component_id, **mine)
                .exclude(budget=budget)
                .values("budget__title")[:1]
            )
            if one_budget_only
            else Value(None, output_field=CharField()),
        )
        draft, elsewhere = voter.values_list("draft", "elsewhere").get()
        if elsewhere is not None:
            message = _("You already voted in “%(budget)s” and may vote in one budget only.")
            raise BudgetError(message % {"budget": elsewhere})
        return bool(draft and Order.objects.filter(pk=draft).delete()[0])

    return _confirm(
        budget,
        user,
        chosen,
        before_store=lock_and_delete_draft,
        payload_bound=budget.payload_size_bound([project.pk for project in projects]),
    )


def do_choose_projects(
    *, budget: Budget, user, project_ids: list[int], confirm: bool, projects: list[Project] | None = None
) -> BudgetReceipt | None:
    """Replace the voter's draft with ``project_ids`` and, if asked, confirm it (final).

    The budget page sends the whole ballot in one form, so that voting takes one request
    rather than one per project. A selection that breaks a rule changes nothing. Returns
    the receipt when the vote is confirmed. ``projects``: every project of the budget, for
    a caller that has read them.
    """
    chosen = list(dict.fromkeys(project_ids))
    if confirm:
        # Voting at once needs no draft: none is created, to be deleted in the same breath.
        if projects is None:
            projects = list(budget.projects.all())
        return _vote_at_once(budget, user, chosen, projects)
    with transaction.atomic():
        order = _begin_change(budget, user)
        rule, costs = vote_rule(budget), costs_of(budget)
        problems = _selection_problems(rule, costs, chosen)
        if problems:
            raise BudgetError(" ".join(problem_message(problem) for problem in problems))
        order.lines.exclude(project_id__in=chosen).delete()
        kept = set(order.lines.values_list("project_id", flat=True))
        OrderLine.objects.bulk_create(
            [OrderLine(order=order, project_id=project_id) for project_id in chosen if project_id not in kept]
        )
        return None


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
            latitude=proposal.latitude,
            longitude=proposal.longitude,
            image=proposal.image.name if proposal.image else "",
            image_alt=proposal.image_alt if proposal.image else "",
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


def do_close_vote(*, component, user, trustee_keys: dict[int, list[str]] | None = None) -> list[Budget]:
    """Open every open budget's encrypted ballots, then tally, seal and freeze them.

    ``trustee_keys`` gives, per budget id, the keys of its trustees (budgets whose key
    the trustees hold). All budgets close in one transaction: a wrong key or a ballot that
    does not open raises BudgetError naming the problem, and nothing is closed. Drafts
    never confirmed are deleted: they were never votes, and they name their voters.

    The winners cannot be computed before the transaction any more (the ballots are
    encrypted until it opens them): with the Method of Equal Shares and many thousands of
    voters, closing holds the database for as long as the count takes (see bench/).
    """
    return _close_and_seal_all(component, user, trustee_keys or {})


@transaction.atomic
def _close_and_seal_all(component, user, trustee_keys: dict[int, list[str]]) -> list[Budget]:
    closed = []
    for budget in Budget.objects.select_for_update().filter(component=component, frozen_at__isnull=True):
        budget.component = component
        try:
            with closing_errors(BudgetError):
                ballotbox.close_and_seal(
                    budget, record_model=BudgetBallot, trustee_keys=trustee_keys.get(budget.pk)
                )
        except ballotbox.Frozen as error:
            raise BudgetError(_("This vote is already closed.")) from error
        _delete_drafts(budget)
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


def _delete_drafts(budget: Budget) -> None:
    """Delete the drafts never confirmed, in two statements.

    Through the ORM, the site-wide post_delete receivers (page freshness) would load every
    line first, and none of them has anything to do for one.
    """
    lines = connection.ops.quote_name(OrderLine._meta.db_table)
    orders = connection.ops.quote_name(Order._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {lines} WHERE order_id IN (SELECT id FROM {orders} WHERE budget_id = %s)",  # noqa: S608
            [budget.pk],
        )
        cursor.execute(f"DELETE FROM {orders} WHERE budget_id = %s", [budget.pk])  # noqa: S608


@dataclass
class ReceiptMatch:
    day: object  # the day the vote was confirmed
    ballot_id: str  # the sealed ballot's id


def find_receipt(budget: Budget, code: str) -> ReceiptMatch | bool | None:
    """The sealed ballot that holds this receipt, once the vote is closed.

    Before closing the ballots are encrypted, receipts included: nothing can be found.
    """
    if not budget.is_frozen:
        return None
    try:
        digest = receipt_hash(code)
    except ValueError:
        return None
    if budget.published_receipt_mode == ReceiptMode.INCLUSION:
        return ballotbox.receipt_counted(budget, digest) or None  # counted: nothing more to say
    ballot = BudgetBallot.objects.filter(budget=budget, receipt_hash=digest).first()
    return ReceiptMatch(ballot.day, str(ballot.id)) if ballot else None
