"""Tally of a participatory-budget vote: votes per project and the winners.

Definition (what the published header carries)::

    {"budget": 250000, "rule": "greedy" | "equal_shares",
     "projects": [{"id": "12", "cost": 40000, "title": "Jardin partagé"}, …]}

Payload of one ballot (a confirmed order)::

    {"projects": ["12", "17"]}

The winners are computed by :mod:`civitas.voting.budget_rules` (standard library only,
so ``python -m civitas.recount`` recounts a budget file anywhere). Equal shares uses the
add1 completion; its per-voter share is written as a ``"num/den"`` string.
"""

from __future__ import annotations

from collections.abc import Iterable

from civitas.sealing.tallies import tally
from civitas.voting.budget_rules import Project, equal_shares, greedy_winners


@tally("budget")
def tally_budget(definition: dict, records: Iterable[dict]) -> dict:
    projects = [Project(str(item["id"]), int(item["cost"])) for item in definition.get("projects", [])]
    budget = int(definition["budget"])
    known = {project.id for project in projects}
    votes = dict.fromkeys(sorted(known), 0)
    ballots: list[list[str]] = []
    by_channel: dict[str, int] = {}
    for record in records:
        chosen = sorted({str(project) for project in record["payload"].get("projects", [])} & known)
        ballots.append(chosen)
        for project in chosen:
            votes[project] += 1
        by_channel[record["channel"]] = by_channel.get(record["channel"], 0) + 1
    rule = definition.get("rule", "greedy")
    result: dict = {"ballots": len(ballots), "by_channel": by_channel, "votes": votes, "rule": rule}
    if rule == "equal_shares":
        outcome = equal_shares(projects, ballots, budget)
        share = outcome.per_voter_share
        result["winners"] = outcome.winners
        result["filled_greedily"] = outcome.filled_greedily
        result["per_voter_share"] = f"{share.numerator}/{share.denominator}"
    else:
        result["winners"] = greedy_winners(projects, votes, budget)
    costs = {project.id: project.cost for project in projects}
    result["spent"] = sum(costs[project] for project in result["winners"])
    return result
