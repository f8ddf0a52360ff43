"""Merit profiles of a closed vote, kept in ``GradeCount``, and the recount from ballots that checks them.

Ballots are encrypted while the vote is open, so nothing can be counted before closing
(counts kept cast after cast would tell how each voter graded). Closing writes the
profiles of the sealed tally (:func:`replace_counts`) so that results pages read a few
rows (:func:`database_profiles`). :func:`recount_profiles` counts the opened ballots
themselves (GROUP BY over their JSON); :func:`count_differences` compares both.

A candidate missing from a ballot, or given something that is not a grade, counts as the
lowest grade, as in the sealed tally (:mod:`civitas.sealing.kinds.majority_judgment`).
"""

# SQL here is built only from quoted model identifiers, never from user input.
# ruff: noqa: S608

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction

from civitas.components.majority_judgment.models import Ballot, Election, GradeCount

Profiles = dict[str, list[int]]


def _candidate_ids(election: Election) -> list[str]:
    return [str(pk) for pk in election.candidates.order_by("pk").values_list("pk", flat=True)]


def _as_grade(value, size: int) -> int:
    """The grade a ballot gives, the lowest (0) for anything that is not a grade."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 <= value < size else 0


def cells_of(election: Election, payloads: Iterable[dict], candidate_ids: list[str]) -> Counter:
    """How many of these ballots give each (candidate id, grade)."""
    size = len(election.grades)
    cells: Counter = Counter()
    for payload in payloads:
        given = payload.get("grades", {})
        for candidate in candidate_ids:
            cells[(candidate, _as_grade(given.get(candidate, 0), size))] += 1
    return cells


def database_profiles(election: Election) -> Profiles:
    """``{candidate id: [count of grade 0, …, count of grade G-1]}``, from the kept counts."""
    size = len(election.grades)
    profiles = {candidate: [0] * size for candidate in _candidate_ids(election)}
    rows = GradeCount.objects.filter(election=election, grade__lt=size).values_list(
        "candidate_id", "grade", "count"
    )
    for candidate, grade, count in rows:
        if str(candidate) in profiles:
            profiles[str(candidate)][grade] = count
    return profiles


def recount_profiles(election: Election) -> Profiles:
    """The same profiles counted from the ballots themselves (GROUP BY over their JSON)."""
    size = len(election.grades)
    candidates = _candidate_ids(election)
    profiles = {candidate: [0] * size for candidate in candidates}
    table = connection.ops.quote_name(Ballot._meta.db_table)
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT g.key, g.value, COUNT(*) FROM {table} b, jsonb_each_text(b.payload->'grades') g "
            "WHERE b.election_id = %s GROUP BY g.key, g.value"
        )
    else:
        sql = (
            f"SELECT g.key, g.value, COUNT(*) FROM {table} b, json_each(b.payload, '$.grades') g "
            "WHERE b.election_id = %s GROUP BY g.key, g.value"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE election_id = %s", [election.pk])
        ballots = cursor.fetchone()[0]
        cursor.execute(sql, [election.pk])
        rows = cursor.fetchall()
    graded = dict.fromkeys(candidates, 0)
    for candidate, value, count in rows:
        grade = _as_grade(value, size)
        if candidate in profiles and grade > 0:
            profiles[candidate][grade] += count
            graded[candidate] += count
    for candidate in candidates:
        # Everything not counted above the lowest grade is the lowest grade.
        profiles[candidate][0] = ballots - graded[candidate]
    return profiles


def count_differences(expected: Profiles, kept: Profiles) -> dict[str, dict[str, list[int]]]:
    """``{candidate id: {"expected": [...], "kept": [...]}}`` wherever the profiles differ."""
    return {
        candidate: {"expected": expected.get(candidate, []), "kept": kept.get(candidate, [])}
        for candidate in sorted(set(expected) | set(kept))
        if expected.get(candidate) != kept.get(candidate)
    }


def replace_counts(election: Election, profiles: Profiles) -> None:
    """Write the counts from profiles counted from the opened ballots (at closing)."""
    with transaction.atomic():
        GradeCount.objects.filter(election=election).delete()
        GradeCount.objects.bulk_create(
            GradeCount(election=election, candidate_id=int(candidate), grade=grade, count=count)
            for candidate, counts in profiles.items()
            for grade, count in enumerate(counts)
        )
