"""Results of a closed majority-judgment vote, read from its sealed tally (never recounted)."""

from __future__ import annotations

from dataclasses import dataclass

from civitas.components.majority_judgment.models import Election


@dataclass
class ResultLine:
    title: str
    rank: int
    majority_grade: int | None
    majority_grade_name: str
    counts_highest_first: list[int]
    segments: list[dict]  # one per grade, highest first: name, count, x and width in % of the bar


@dataclass
class ElectionResults:
    election: Election
    ballots: int
    lines: list[ResultLine]
    grade_names: list[str]  # highest first
    online: int = 0
    paper: int = 0


def results_visible(election: Election) -> bool:
    return election.is_frozen and bool(election.component.active_phase_settings()["results_shown"])


def _segments(names: list[str], counts: list[int], total: int) -> list[dict]:
    segments, start = [], 0.0
    for index, (name, count) in enumerate(zip(names, counts, strict=True)):
        width = 100 * count / total if total else 0.0
        segments.append({"name": name, "count": count, "x": round(start, 3), "width": round(width, 3),
                         "shade": index})  # fmt: skip
        start += width
    return segments


def election_results(election: Election) -> ElectionResults:
    tally = election.tally or {}
    definition = election.sealed_definition or {}
    names = list(definition.get("grades", election.grades))
    titles = {str(candidate["id"]): candidate["title"] for candidate in definition.get("candidates", [])}
    total = tally.get("ballots", 0)
    lines = []
    for entry in tally.get("ranking", []):
        counts = list(reversed(tally["profiles"][entry["id"]]))
        grade = entry["majority_grade"]
        lines.append(
            ResultLine(
                title=titles.get(entry["id"], entry["id"]),
                rank=entry["rank"],
                majority_grade=grade,
                majority_grade_name="" if grade is None else names[len(names) - 1 - grade],
                counts_highest_first=counts,
                segments=_segments(names, counts, total),
            )
        )
    by_channel = tally.get("by_channel", {})
    return ElectionResults(
        election, total, lines, names, online=by_channel.get("online", 0), paper=by_channel.get("paper", 0)
    )
