"""Selection lotteries over quota-satisfying panels.

``leximin`` follows Flanigan, Gölz, Gupta, Hennig and Procaccia (Nature, 2021): among all
probability distributions over quota-satisfying panels, find the one whose vector of
selection probabilities is lexicographically maximal once sorted — maximise the smallest
probability, then the next smallest, and so on. The distributions range over
exponentially many panels, so the LP is solved by column generation: the restricted dual
LP prices groups, a MIP finds the panel of largest dual weight, until no panel improves.

Volunteers with identical answers are interchangeable, so a panel is a *composition*:
how many volunteers of each group it takes; at the draw the members of a group are
chosen uniformly. Every volunteer of a group then has the same probability, which is
what LEXIMIN gives anyway (the leximin vector is unique and symmetric).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from . import highs
from .model import Group, Instance

# A panel is worth adding when its dual weight beats the current bound by this much.
PRICING_TOLERANCE = 1e-9
# Duals above this certify (by complementary slackness) that a group is tight at the level.
TIGHT_DUAL = 1e-7
# Probabilities already fixed are imposed with this slack, so that the restricted LPs
# stay feasible despite the solver's own rounding (its feasibility tolerance is 1e-7).
FIXED_SLACK = 1e-7

Progress = Callable[[str, float], None]


# Why quotas cannot be met: a kind and its parameters, so that an interface can word it
# in its own language; ``str()`` gives the English sentence.
PROBLEM_SENTENCES = {
    "pool_too_small": "the pool has {pool} volunteers for a panel of {panel}",
    "minimums_too_high": "{feature}: the minimums add up to {total}, more than the panel of {panel}",
    "maximums_too_low": "{feature}: the maximums add up to {total}, less than the panel of {panel}",
    "value_short": "{feature}={value} needs at least {minimum} but only {available} volunteers",
    "minimum_too_high": "{feature}={value}: the minimum of {minimum} is {by} too high",
    "maximum_too_low": "{feature}={value}: the maximum of {maximum} is {by} too low",
    "no_relaxation": "the quotas cannot be met (the solver found no relaxation)",
}


@dataclass(frozen=True)
class Problem:
    kind: str
    params: dict

    def __str__(self) -> str:
        return PROBLEM_SENTENCES[self.kind].format(**self.params)


class QuotasInfeasible(Exception):
    """No panel meets the quotas; ``problems`` says which values and by how much."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class Lottery:
    """A probability distribution over compositions of the panel."""

    groups: list[Group]
    compositions: list[tuple[int, ...]]
    probabilities: list[float]
    method: str
    stats: dict[str, float] = field(default_factory=dict)

    def group_probabilities(self) -> list[float]:
        result = [0.0] * len(self.groups)
        for composition, probability in zip(self.compositions, self.probabilities, strict=True):
            for index, count in enumerate(composition):
                if count:
                    result[index] += probability * count / self.groups[index].size
        return result

    def volunteer_probabilities(self) -> dict[str, float]:
        return {
            code: probability
            for group, probability in zip(self.groups, self.group_probabilities(), strict=True)
            for code in group.codes
        }


class _PanelFinder:
    """A MIP over group counts whose feasible points are exactly the quota-satisfying panels."""

    def __init__(self, instance: Instance, groups: list[Group]):
        self.groups = groups
        self.solver = highs.new_solver(mip_gap=1e-9)
        highs.add_columns(self.solver, [0.0] * len(groups), [float(g.size) for g in groups])
        highs.make_integer(self.solver, len(groups))
        everyone = list(range(len(groups)))
        highs.add_row(self.solver, instance.panel_size, instance.panel_size, everyone, [1.0] * len(groups))
        for position, feature in enumerate(instance.features):
            for value, quota in feature.quotas.items():
                members = [i for i, g in enumerate(groups) if g.profile[position] == value]
                highs.add_row(self.solver, quota.minimum, quota.maximum, members, [1.0] * len(members))
        highs.maximize(self.solver)

    def best(self, weights: list[float]) -> tuple[float, tuple[int, ...]] | None:
        """The panel maximising the sum of its groups' weights, or None if there is none."""
        highs.set_costs(self.solver, list(range(len(weights))), weights)
        if not highs.solve(self.solver):
            return None
        counts = tuple(int(round(v)) for v in highs.values(self.solver))
        return sum(w * c for w, c in zip(weights, counts, strict=True)), counts


def diagnose(instance: Instance) -> list[Problem]:
    """Why the quotas cannot be met; an empty list when they can.

    First the counting arguments anyone can check by hand, then a MIP that relaxes each
    quota by as little as possible: its slacks say which values to move and by how much.
    """
    problems = []
    groups = instance.groups()
    pool, panel = len(instance.volunteers), instance.panel_size
    if pool < panel:
        problems.append(Problem("pool_too_small", {"pool": pool, "panel": panel}))
    for position, feature in enumerate(instance.features):
        minima = sum(q.minimum for q in feature.quotas.values())
        maxima = sum(q.maximum for q in feature.quotas.values())
        if minima > panel:
            problems.append(
                Problem("minimums_too_high", {"feature": feature.name, "total": minima, "panel": panel})
            )
        if maxima < panel:
            problems.append(
                Problem("maximums_too_low", {"feature": feature.name, "total": maxima, "panel": panel})
            )
        for value, quota in feature.quotas.items():
            available = sum(g.size for g in groups if g.profile[position] == value)
            if available < quota.minimum:
                problems.append(
                    Problem(
                        "value_short",
                        {
                            "feature": feature.name,
                            "value": value,
                            "minimum": quota.minimum,
                            "available": available,
                        },
                    )
                )
    if problems:
        return problems
    return _relaxation_problems(instance, groups)


def _relaxation_problems(instance: Instance, groups: list[Group]) -> list[Problem]:
    """Minimal total relaxation of the quotas that makes a panel possible (interactions)."""
    solver = highs.new_solver(mip_gap=1e-9)
    count = len(groups)
    highs.add_columns(solver, [0.0] * count, [float(g.size) for g in groups])
    highs.make_integer(solver, count)
    highs.add_row(solver, instance.panel_size, instance.panel_size, list(range(count)), [1.0] * count)
    labels = []
    column = count
    for position, feature in enumerate(instance.features):
        for value, quota in feature.quotas.items():
            members = [i for i, g in enumerate(groups) if g.profile[position] == value]
            # Two slacks per quota: "short" lowers the minimum, "over" raises the maximum.
            highs.add_columns(solver, [0.0, 0.0], [highs.INFINITY, highs.INFINITY])
            ones = [1.0] * len(members)
            highs.add_row(solver, quota.minimum, highs.INFINITY, [*members, column], [*ones, 1.0])
            highs.add_row(solver, -highs.INFINITY, quota.maximum, [*members, column + 1], [*ones, -1.0])
            labels.append((feature.name, value, quota, column))
            column += 2
    highs.set_costs(solver, list(range(count, column)), [1.0] * (column - count))
    if not highs.solve(solver):
        return [Problem("no_relaxation", {})]
    solution = highs.values(solver)
    problems = []
    for name, value, quota, slack in labels:
        short, over = round(solution[slack]), round(solution[slack + 1])
        if short:
            params = {"feature": name, "value": value, "minimum": quota.minimum, "by": short}
            problems.append(Problem("minimum_too_high", params))
        if over:
            params = {"feature": name, "value": value, "maximum": quota.maximum, "by": over}
            problems.append(Problem("maximum_too_low", params))
    return problems


def _check_feasible(instance: Instance) -> _PanelFinder:
    problems = diagnose(instance)
    if problems:
        raise QuotasInfeasible(problems)
    return _PanelFinder(instance, instance.groups())


class _DualMaster:
    """The restricted dual LP of one LEXIMIN level.

    Primal: maximise z subject to p_g ≥ z for groups not yet fixed, p_g ≥ fixed_g for the
    others, where p_g = Σ_P λ_P · count_P(g)/size(g) and Σ λ_P = 1. Its dual has one
    variable y_g per group and ŷ: minimise ŷ − Σ fixed_g·y_g subject to Σ_unfixed y_g = 1
    and, for every panel P, Σ_g y_g · count_P(g)/size(g) ≤ ŷ. A panel violating that
    constraint is exactly one the pricing MIP finds with weights y_g/size(g).
    """

    def __init__(self, groups: list[Group], fixed: dict[int, float]):
        self.groups = groups
        count = len(groups)
        self.bound_column = count
        self.solver = highs.new_solver()
        highs.add_columns(self.solver, [0.0] * count + [-highs.INFINITY], [highs.INFINITY] * (count + 1))
        costs = [-(fixed[i] - FIXED_SLACK) if i in fixed else 0.0 for i in range(count)] + [1.0]
        highs.set_costs(self.solver, list(range(count + 1)), costs)
        unfixed = [i for i in range(count) if i not in fixed]
        highs.add_row(self.solver, 1.0, 1.0, unfixed, [1.0] * len(unfixed))

    def add_panel(self, composition: tuple[int, ...]) -> None:
        indices = [i for i, c in enumerate(composition) if c]
        coefficients = [composition[i] / self.groups[i].size for i in indices]
        highs.add_row(self.solver, -highs.INFINITY, 0.0, [*indices, self.bound_column], [*coefficients, -1.0])

    def solve(self) -> tuple[list[float], float, float]:
        if not highs.solve(self.solver):
            raise RuntimeError(f"the restricted dual LP failed: {self.solver.getModelStatus()}")
        solution = highs.values(self.solver)
        return solution[: self.bound_column], solution[self.bound_column], self.solver.getObjectiveValue()


def leximin(instance: Instance, progress: Progress | None = None) -> Lottery:
    """The LEXIMIN lottery; raises QuotasInfeasible when no panel meets the quotas."""
    started = time.monotonic()
    finder = _check_feasible(instance)
    groups = instance.groups()
    report = progress or (lambda stage, fraction: None)
    panels: list[tuple[int, ...]] = []
    known: set[tuple[int, ...]] = set()

    def keep(composition: tuple[int, ...]) -> bool:
        if composition in known:
            return False
        known.add(composition)
        panels.append(composition)
        return True

    # A first panel bounds the dual; a few diverse ones save column-generation rounds.
    rng = random.Random(0)
    for _ in range(min(20, len(groups))):
        found = finder.best([rng.random() / g.size for g in groups])
        if found:
            keep(found[1])

    fixed: dict[int, float] = {}
    levels = pricing_rounds = 0
    while len(fixed) < len(groups):
        master = _DualMaster(groups, fixed)
        for composition in panels:
            master.add_panel(composition)
        while True:
            duals, bound, level_value = master.solve()
            pricing_rounds += 1
            found = finder.best([y / g.size for y, g in zip(duals, groups, strict=True)])
            assert found is not None  # the finder was feasible before and nothing changed
            if found[0] <= bound + PRICING_TOLERANCE or not keep(found[1]):
                break
            master.add_panel(found[1])
        levels += 1
        tight = [i for i, y in enumerate(duals) if i not in fixed and y > TIGHT_DUAL]
        if not tight:
            # Numerically flat duals: the largest one is still tight by construction.
            tight = [max((i for i in range(len(groups)) if i not in fixed), key=lambda i: duals[i])]
        for index in tight:
            fixed[index] = min(1.0, max(0.0, level_value))
        report("leximin", len(fixed) / len(groups))

    probabilities = _final_distribution(groups, panels, fixed)
    kept = [(c, p) for c, p in zip(panels, probabilities, strict=True) if p > 1e-12]
    total = sum(p for _, p in kept)
    return Lottery(
        groups=groups,
        compositions=[c for c, _ in kept],
        probabilities=[p / total for _, p in kept],
        method="leximin",
        stats={
            "seconds": time.monotonic() - started,
            "levels": levels,
            "pricing_rounds": pricing_rounds,
            "panels_generated": len(panels),
        },
    )


def _final_distribution(
    groups: list[Group], panels: list[tuple[int, ...]], fixed: dict[int, float]
) -> list[float]:
    """Weights on the generated panels that give every group at least its fixed probability."""
    solver = highs.new_solver()
    highs.add_columns(solver, [0.0] * len(panels), [1.0] * len(panels))
    highs.add_row(solver, 1.0, 1.0, list(range(len(panels))), [1.0] * len(panels))
    for index, group in enumerate(groups):
        columns = [j for j, panel in enumerate(panels) if panel[index]]
        coefficients = [panels[j][index] / group.size for j in columns]
        highs.add_row(solver, fixed[index] - FIXED_SLACK, highs.INFINITY, columns, coefficients)
    if not highs.solve(solver):
        raise RuntimeError(f"the final LEXIMIN distribution failed: {solver.getModelStatus()}")
    return [max(0.0, v) for v in highs.values(solver)]


def uniform_sample(
    instance: Instance, panels: int = 200, seed: int = 0, progress: Progress | None = None
) -> Lottery:
    """Quick mode for large pools: equal weights on a sample of quota-satisfying panels.

    Each sampled panel maximises random group weights that decay with how often the
    group's members were already sampled, relative to the uniform chance k/n: the sample
    spreads the seats (multiplicative weights, as in Flanigan et al.'s first phase)
    instead of always taking the same extreme panels. No optimisation of the minimum:
    LEXIMIN gives every volunteer at least as much.
    """
    started = time.monotonic()
    finder = _check_feasible(instance)
    groups = instance.groups()
    rng = random.Random(seed)
    report = progress or (lambda stage, fraction: None)
    uniform_chance = instance.panel_size / len(instance.volunteers)
    seats_taken = [0] * len(groups)
    counts: dict[tuple[int, ...], int] = {}
    for round_number in range(panels):
        weights = [
            rng.random() * math.exp(-3 * seats_taken[i] / (g.size * (round_number + 1) * uniform_chance))
            for i, g in enumerate(groups)
        ]
        found = finder.best(weights)
        assert found is not None
        composition = found[1]
        counts[composition] = counts.get(composition, 0) + 1
        for index, taken in enumerate(composition):
            seats_taken[index] += taken
        report("uniform", (round_number + 1) / panels)
    compositions = sorted(counts)
    return Lottery(
        groups=groups,
        compositions=compositions,
        probabilities=[counts[c] / panels for c in compositions],
        method="uniform",
        stats={"seconds": time.monotonic() - started, "panels_generated": len(compositions)},
    )
