"""Rules of a participatory-budget vote, and its winners. Framework-free (standard library only).

Vote rules
    Every order stays within the budget: a voter never spends more than there is. On
    top of that a budget uses one of three rules (:class:`VoteRule`):

    ``within_budget``      any total up to the budget;
    ``minimum_percent``    the total must reach at least ``minimum_percent`` % of the budget;
    ``project_count``      between ``minimum_projects`` and ``maximum_projects`` projects
                           (``maximum_projects`` 0 means no maximum).

    :func:`problems_adding` says why a project cannot go into a voter's order (checked at
    each step of the checkout); :func:`problems_at_checkout` says why an order cannot be
    confirmed. Both return :class:`OrderProblem` values (a code and its figures), empty
    when all is well; the web layer turns codes into sentences.

Winners
    :func:`greedy_winners` is the rule most cities use: projects by votes, most first,
    each taken if it still fits in what is left of the budget, skipped otherwise (and
    the next ones still considered). Ties: fewer euros first, then the project id.

    :func:`equal_shares` is the Method of Equal Shares (Peters & Skowron, "Proportionality
    and the limits of welfarism", 2020; Peters, Pierczyński & Skowron, "Proportional
    participatory budgeting with additive utilities", NeurIPS 2021) on approval ballots with
    cost utilities, as equalshares.net explains and computes it: the budget is shared
    equally among the voters; a project is affordable if its supporters' remaining money
    covers its cost; among the affordable ones the project with the highest *effective
    vote count* (cost divided by the largest payment when the cost is split as equally as
    possible among the supporters) is funded and its supporters pay; repeat until nothing
    is affordable. Arithmetic is exact (fractions), so two runs never disagree.

    Completion (``completion="add1"``, the default, equalshares.net's recommended
    method): the plain method often spends only 60-70 % of the budget, so the per-voter
    share is raised step by step and the last outcome that stays within the real budget
    is kept; the run stops as soon as an outcome is exhaustive (no further project would
    fit). Each step adds 1 % of the initial share (at least one currency unit):
    equalshares.net steps one currency unit, which for a small electorate and a large
    budget would mean tens of thousands of runs. Whatever money is still left is then
    filled greedily by votes (the "utilitarian" completion of the same page), so the
    outcome is always exhaustive. ``completion="none"`` gives the plain method.
    Ties between equal effective vote counts are broken as equalshares.net recommends:
    the lowest cost first, then the most votes; where even those are equal (officials
    would draw lots) the smallest project id, so that a recount always agrees.

Command line::

    python -m civitas.voting.budget_rules FILE.json [--rule greedy|equal_shares] [--no-completion]

where FILE.json is ``{"budget": 1100, "projects": [{"id": "bike", "cost": 700}, …],
"ballots": [["bike", "gym"], …]}``; prints the winners, one per line, with their cost
and votes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any

RULE_KINDS = ("within_budget", "minimum_percent", "project_count")


class RuleError(ValueError):
    """A vote rule or an election that makes no sense (negative budget, unknown project…)."""


@dataclass(frozen=True)
class VoteRule:
    budget: int
    kind: str = "within_budget"
    minimum_percent: int = 0
    minimum_projects: int = 0
    maximum_projects: int = 0  # 0: no maximum

    def __post_init__(self):
        if self.kind not in RULE_KINDS:
            raise RuleError(f"unknown vote rule {self.kind!r} (known: {', '.join(RULE_KINDS)})")
        if self.budget <= 0:
            raise RuleError("the budget must be positive")
        if not 0 <= self.minimum_percent <= 100:
            raise RuleError("the minimum percentage must be between 0 and 100")
        if self.minimum_projects < 0 or self.maximum_projects < 0:
            raise RuleError("numbers of projects cannot be negative")
        if self.maximum_projects and self.minimum_projects > self.maximum_projects:
            raise RuleError("the minimum number of projects is above the maximum")

    @property
    def minimum_total(self) -> int:
        """The smallest total an order may have (rounded up to a whole unit)."""
        if self.kind != "minimum_percent":
            return 0
        return -(-self.budget * self.minimum_percent // 100)


@dataclass(frozen=True)
class OrderProblem:
    # One of: unknown_project, already_chosen, over_budget, too_many_projects,
    # below_minimum_total, too_few_projects, empty_order.
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def order_total(costs: Mapping[Any, int], selected: Iterable[Any]) -> int:
    return sum(costs[project] for project in selected)


def remaining_budget(rule: VoteRule, costs: Mapping[Any, int], selected: Iterable[Any]) -> int:
    return rule.budget - order_total(costs, selected)


def problems_adding(
    rule: VoteRule, costs: Mapping[Any, int], selected: Collection[Any], project: Any
) -> list[OrderProblem]:
    """Why ``project`` cannot be added to the order ``selected`` (empty: it can)."""
    if project not in costs:
        return [OrderProblem("unknown_project", {"project": project})]
    if project in selected:
        return [OrderProblem("already_chosen", {"project": project})]
    problems = []
    total = order_total(costs, selected) + costs[project]
    if total > rule.budget:
        problems.append(
            OrderProblem(
                "over_budget",
                {"total": total, "budget": rule.budget, "excess": total - rule.budget},
            )
        )
    if rule.kind == "project_count" and rule.maximum_projects and len(selected) + 1 > rule.maximum_projects:
        problems.append(OrderProblem("too_many_projects", {"maximum": rule.maximum_projects}))
    return problems


def problems_at_checkout(
    rule: VoteRule, costs: Mapping[Any, int], selected: Sequence[Any]
) -> list[OrderProblem]:
    """Why the order ``selected`` cannot be confirmed (empty: it can)."""
    unknown = [project for project in selected if project not in costs]
    if unknown:
        return [OrderProblem("unknown_project", {"project": unknown[0]})]
    if len(set(selected)) != len(selected):
        duplicate = next(project for project, count in Counter(selected).items() if count > 1)
        return [OrderProblem("already_chosen", {"project": duplicate})]
    if not selected:
        return [OrderProblem("empty_order")]
    problems = []
    total = order_total(costs, selected)
    if total > rule.budget:
        problems.append(
            OrderProblem(
                "over_budget", {"total": total, "budget": rule.budget, "excess": total - rule.budget}
            )
        )
    if rule.kind == "minimum_percent" and total < rule.minimum_total:
        problems.append(
            OrderProblem(
                "below_minimum_total",
                {"total": total, "minimum": rule.minimum_total, "percent": rule.minimum_percent},
            )
        )
    if rule.kind == "project_count":
        if len(selected) < rule.minimum_projects:
            problems.append(
                OrderProblem("too_few_projects", {"count": len(selected), "minimum": rule.minimum_projects})
            )
        if rule.maximum_projects and len(selected) > rule.maximum_projects:
            problems.append(
                OrderProblem("too_many_projects", {"count": len(selected), "maximum": rule.maximum_projects})
            )
    return problems


# --- winners -------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    id: str
    cost: int

    def __post_init__(self):
        if self.cost <= 0:
            raise RuleError(f"project {self.id!r}: the cost must be positive")


def _check_projects(projects: Sequence[Project], budget: int) -> dict[str, int]:
    if budget <= 0:
        raise RuleError("the budget must be positive")
    costs: dict[str, int] = {}
    for project in projects:
        if project.id in costs:
            raise RuleError(f"project {project.id!r} is listed twice")
        costs[project.id] = project.cost
    return costs


def greedy_winners(projects: Sequence[Project], votes: Mapping[str, int], budget: int) -> list[str]:
    """Most votes first, each project taken if it still fits; returns ids in selection order."""
    costs = _check_projects(projects, budget)
    unknown = set(votes) - set(costs)
    if unknown:
        raise RuleError(f"votes for unknown projects: {sorted(unknown)}")
    order = sorted(costs, key=lambda project: (-votes.get(project, 0), costs[project], project))
    winners, left = [], budget
    for project in order:
        if votes.get(project, 0) > 0 and costs[project] <= left:
            winners.append(project)
            left -= costs[project]
    return winners


@dataclass(frozen=True)
class EqualSharesRound:
    project: str
    effective_votes: Fraction  # cost / largest payment
    largest_payment: Fraction


@dataclass(frozen=True)
class EqualSharesResult:
    winners: list[str]  # in selection order, the completion's greedy fill last
    rounds: list[EqualSharesRound]  # the Method of Equal Shares' own selections
    per_voter_share: Fraction  # the share the kept outcome was computed with
    filled_greedily: list[str]  # projects added by the final greedy completion
    spent: int


def _ballot_groups(
    ballots: Iterable[Collection[str]], costs: Mapping[str, int]
) -> list[tuple[frozenset, int]]:
    # Voters with the same ballot always hold the same money: grouping them keeps the
    # arithmetic exact while the work depends on distinct ballots, not on voters.
    counts: Counter = Counter()
    for ballot in ballots:
        chosen = frozenset(ballot)
        unknown = chosen - set(costs)
        if unknown:
            raise RuleError(f"a ballot names unknown projects: {sorted(unknown)}")
        counts[chosen] += 1
    return list(counts.items())


def _split_as_equally_as_possible(cost: int, budgets: list[tuple[Fraction, int]]) -> Fraction | None:
    """The largest payment when ``cost`` is split among supporters ``(money, how many)``.

    Supporters who cannot pay an equal part pay all they have; the others share the rest
    equally. None when the supporters together cannot pay.
    """
    if sum(money * count for money, count in budgets) < cost:
        return None
    remaining_cost = Fraction(cost)
    payers = sum(count for _money, count in budgets)
    for money, count in sorted(budgets, key=lambda item: item[0]):
        equal_part = remaining_cost / payers
        if money >= equal_part:
            return equal_part
        remaining_cost -= money * count
        payers -= count
    return None  # unreachable: the supporters can pay, so the richest pay an equal part


def _run_equal_shares(
    costs: Mapping[str, int],
    groups: list[tuple[frozenset, int]],
    votes: Mapping[str, int],
    share: Fraction,
) -> list[EqualSharesRound]:
    # Voters who hold the same money behave alike: they form one "class". A project's
    # supporters are counted per class, and a selection moves only that project's
    # supporters to the class of what they have left. Exact fractions are computed per
    # class (a few hundred at most), never per voter.
    money: list[Fraction] = [share]
    class_of_money: dict[Fraction, int] = {share: 0}  # only the money matters: equal money, one class
    moved: dict[tuple[int, str], int] = {}  # (class, selected project) -> the class it becomes
    group_class = [0] * len(groups)
    per_class: dict[str, dict[int, int]] = {project: {} for project in costs}
    supporters: dict[str, list[int]] = {project: [] for project in costs}
    for index, (ballot, count) in enumerate(groups):
        for project in ballot:
            per_class[project][0] = per_class[project].get(0, 0) + count
            supporters[project].append(index)
    candidates = {project for project in costs if per_class[project]}
    # A project's effective vote count never rises (money only goes down) and never exceeds
    # its vote count: its last value bounds it, and a project whose bound is below the best
    # count found in this round cannot win it, so it is not recomputed.
    bound = {project: Fraction(votes[project]) for project in candidates}
    rounds: list[EqualSharesRound] = []
    while candidates:
        best: tuple | None = None
        for project in sorted(candidates, key=lambda candidate: (-bound[candidate], candidate)):
            if best is not None and bound[project] < best[2]:
                break
            # Voters with no money left pay nothing: they are left out of the split.
            holdings = [(money[k], n) for k, n in per_class[project].items() if n and money[k]]
            payment = _split_as_equally_as_possible(costs[project], holdings)
            if payment is None:
                candidates.discard(project)  # money only goes down: it never becomes affordable
                continue
            effective = costs[project] / payment
            bound[project] = effective
            key = (-effective, costs[project], -votes[project], project)
            if best is None or key < best[0]:
                best = (key, project, effective, payment)
        if best is None:
            break
        _key, chosen, effective, payment = best
        candidates.discard(chosen)
        rounds.append(EqualSharesRound(chosen, effective, payment))
        for index in supporters[chosen]:
            ballot, count = groups[index]
            old = group_class[index]
            new = moved.get((old, chosen))
            if new is None:
                left = money[old] - min(money[old], payment)
                new = class_of_money.get(left)
                if new is None:
                    new = class_of_money[left] = len(money)
                    money.append(left)
                moved[(old, chosen)] = new
            group_class[index] = new
            for project in ballot:
                counts = per_class[project]
                counts[old] -= count
                counts[new] = counts.get(new, 0) + count
    return rounds


def equal_shares(
    projects: Sequence[Project],
    ballots: Iterable[Collection[str]],
    budget: int,
    *,
    completion: str = "add1",
) -> EqualSharesResult:
    """The Method of Equal Shares with approval ballots and cost utilities (see the module doc)."""
    if completion not in ("add1", "none"):
        raise RuleError(f"unknown completion {completion!r} (known: add1, none)")
    costs = _check_projects(projects, budget)
    groups = _ballot_groups(ballots, costs)
    # The outcome depends on the multiset of ballots only, so the groups are put in one
    # canonical order: the same election counted twice gives the same key.
    canonical = tuple(sorted((tuple(sorted(ballot)), count) for ballot, count in groups))
    outcome = _equal_shares_of(tuple(costs.items()), canonical, budget, completion)
    # The cached result is shared: every caller gets lists of its own.
    return replace(
        outcome,
        winners=list(outcome.winners),
        rounds=list(outcome.rounds),
        filled_greedily=list(outcome.filled_greedily),
    )


@lru_cache(maxsize=8)
def _equal_shares_of(
    costs_items: tuple[tuple[str, int], ...],
    canonical_groups: tuple[tuple[tuple[str, ...], int], ...],
    budget: int,
    completion: str,
) -> EqualSharesResult:
    """:func:`equal_shares` on canonical input, remembered for the few last elections.

    The same election is asked for more than once (the sealed tally at closing, then the
    verification of the seal, the recount): after the first, the answer comes at once.
    """
    costs = dict(costs_items)
    groups = [(frozenset(ballot), count) for ballot, count in canonical_groups]
    voters = sum(count for _ballot, count in groups)
    votes = {project: sum(n for ballot, n in groups if project in ballot) for project in costs}
    if voters == 0:
        return EqualSharesResult([], [], Fraction(0), [], 0)
    initial = Fraction(budget, voters)
    rounds = _run_equal_shares(costs, groups, votes, initial)
    kept_share = initial
    if completion == "add1":
        step = max(Fraction(1), initial / 100)
        share = initial
        while not _is_exhaustive(costs, votes, [r.project for r in rounds], budget) and share <= budget:
            share += step
            attempt = _run_equal_shares(costs, groups, votes, share)
            if sum(costs[r.project] for r in attempt) > budget:
                break
            rounds, kept_share = attempt, share
    winners = [r.project for r in rounds]
    filled: list[str] = []
    if completion == "add1":
        left = budget - sum(costs[p] for p in winners)
        for project in sorted(costs, key=lambda p: (-votes[p], costs[p], p)):
            if project not in winners and votes[project] > 0 and costs[project] <= left:
                filled.append(project)
                left -= costs[project]
    chosen = winners + filled
    return EqualSharesResult(chosen, rounds, kept_share, filled, sum(costs[p] for p in chosen))


def _is_exhaustive(
    costs: Mapping[str, int], votes: Mapping[str, int], chosen: list[str], budget: int
) -> bool:
    left = budget - sum(costs[p] for p in chosen)
    return not any(votes[p] > 0 and p not in chosen and costs[p] <= left for p in costs)


def vote_counts(projects: Sequence[Project], ballots: Iterable[Collection[str]]) -> dict[str, int]:
    counts = dict.fromkeys((project.id for project in projects), 0)
    for ballot in ballots:
        for project in set(ballot):
            if project not in counts:
                raise RuleError(f"a ballot names an unknown project: {project!r}")
            counts[project] += 1
    return counts


# --- command line --------------------------------------------------------------------


def _read_election(path: str) -> tuple[list[Project], list[list[str]], int]:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    try:
        projects = [Project(str(item["id"]), int(item["cost"])) for item in data["projects"]]
        ballots = [[str(project) for project in ballot] for ballot in data["ballots"]]
        budget = int(data["budget"])
    except (KeyError, TypeError, ValueError) as error:
        raise RuleError(f"not an election file ({error})") from error
    return projects, ballots, budget


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Winners of a participatory-budget vote.")
    parser.add_argument("file", help='JSON: {"budget": N, "projects": [{"id", "cost"}], "ballots": [[ids]]}')
    parser.add_argument("--rule", choices=("greedy", "equal_shares"), default="greedy")
    parser.add_argument("--no-completion", action="store_true", help="equal shares without completion")
    args = parser.parse_args(argv)
    try:
        projects, ballots, budget = _read_election(args.file)
        votes = vote_counts(projects, ballots)
        if args.rule == "greedy":
            winners = greedy_winners(projects, votes, budget)
        else:
            completion = "none" if args.no_completion else "add1"
            winners = equal_shares(projects, ballots, budget, completion=completion).winners
    except (OSError, json.JSONDecodeError, RuleError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    costs = {project.id: project.cost for project in projects}
    for project in winners:
        print(f"{project}\t{costs[project]}\t{votes[project]}")
    print(f"spent\t{sum(costs[p] for p in winners)}\tof {budget}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
