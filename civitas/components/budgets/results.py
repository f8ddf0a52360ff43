"""Results of a closed budget vote, read from its sealed tally (never recounted from orders)."""

from __future__ import annotations

from dataclasses import dataclass

from civitas.components.budgets.models import Budget, Project


@dataclass
class ResultLine:
    project: Project
    votes: int | None
    selected: bool
    rank: int  # 1-based order of selection among the winners, 0 when not selected


@dataclass
class BudgetResults:
    budget: Budget
    lines: list[ResultLine]
    ballots: int
    spent: int
    rule: str

    @property
    def winners(self) -> list[ResultLine]:
        return sorted((line for line in self.lines if line.selected), key=lambda line: line.rank)


def results_visible(budget: Budget) -> bool:
    return budget.is_frozen and bool(budget.component.active_phase_settings()["results_shown"])


def budget_results(budget: Budget) -> BudgetResults:
    tally = budget.tally or {}
    votes = tally.get("votes", {})
    winners = tally.get("winners", [])
    lines = [
        ResultLine(
            project=project,
            votes=votes.get(str(project.pk), 0),
            selected=str(project.pk) in winners,
            rank=winners.index(str(project.pk)) + 1 if str(project.pk) in winners else 0,
        )
        for project in budget.projects.all()
    ]
    lines.sort(key=lambda line: (-(line.votes or 0), line.project.amount, line.project.pk))
    return BudgetResults(budget, lines, tally.get("ballots", 0), tally.get("spent", 0), tally.get("rule", ""))


def published_results(component):
    """(budget, results) for every budget of the component; results hidden until shown."""
    for budget in Budget.objects.filter(component=component):
        budget.component = component
        if results_visible(budget):
            yield budget, budget_results(budget)
        else:
            lines = [ResultLine(project, None, False, 0) for project in budget.projects.all()]
            yield budget, BudgetResults(budget, lines, 0, 0, "")
