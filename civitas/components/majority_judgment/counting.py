"""Merit profiles counted by the database (GROUP BY), without reading ballots into Python.

The sealed tally streams every ballot through :mod:`civitas.sealing` (that is what a
recount does, and it must); this is the fast count of the same profiles, for a live
figure or a check, and what ``bench/mj_bench.py`` measures. A candidate missing from a
ballot, or given something that is not a grade, counts as the lowest grade, as in the
sealed tally.
"""

# SQL here is built only from quoted model identifiers, never from user input.
# ruff: noqa: S608

from __future__ import annotations

from django.db import connection

from civitas.components.majority_judgment.models import Ballot, Election


def database_profiles(election: Election) -> dict[str, list[int]]:
    """``{candidate id: [count of grade 0, …, count of grade G-1]}``, lowest grade first."""
    size = len(election.grades)
    candidates = [str(pk) for pk in election.candidates.order_by("pk").values_list("pk", flat=True)]
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
        if candidate not in profiles:
            continue
        grade = _as_grade(value, size)
        if grade is not None and grade > 0:
            profiles[candidate][grade] += count
            graded[candidate] += count
    for candidate in candidates:
        # Everything not counted above a lowest grade is the lowest grade.
        profiles[candidate][0] = ballots - graded[candidate]
    return profiles


def _as_grade(value, size: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        grade = value
    elif isinstance(value, str) and value.isdigit():
        grade = int(value)
    else:
        return None
    return grade if 0 <= grade < size else None
