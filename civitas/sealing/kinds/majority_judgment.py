"""Tally of a majority-judgment vote: each candidate's merit profile, majority grade and rank.

Definition (what the published header carries)::

    {"grades": ["Excellent", …, "À rejeter"],          # highest first, as ballots show them
     "candidates": [{"id": "12", "title": "Piste cyclable"}, …]}

Payload of one ballot: the grade of each candidate, 0 the lowest::

    {"grades": {"12": 6, "17": 0}}

A candidate missing from a ballot counts as the lowest grade (the ballot page says so),
so every candidate has as many grades as there are ballots. Profiles are written lowest
grade first; the ranking is :func:`civitas.voting.majority_judgment.rank` (standard
library only, so ``python -m civitas.recount`` recounts the file anywhere).
"""

from __future__ import annotations

from collections.abc import Iterable

from civitas.sealing.tallies import tally
from civitas.voting.majority_judgment import rank


@tally("majority_judgment")
def tally_majority_judgment(definition: dict, records: Iterable[dict]) -> dict:
    size = len(definition["grades"])
    ids = [str(candidate["id"]) for candidate in definition.get("candidates", [])]
    profiles = {candidate: [0] * size for candidate in ids}
    ballots = 0
    by_channel: dict[str, int] = {}
    for record in records:
        given = record["payload"].get("grades", {})
        for candidate in ids:
            grade = given.get(candidate, 0)
            # Anything that is not a grade of the scale counts as the lowest, like a blank.
            valid = isinstance(grade, int) and not isinstance(grade, bool) and 0 <= grade < size
            profiles[candidate][grade if valid else 0] += 1
        ballots += 1
        by_channel[record["channel"]] = by_channel.get(record["channel"], 0) + 1
    ranking = [
        {"id": result.name, "rank": result.rank, "majority_grade": result.majority_grade}
        for result in rank(profiles)
    ]
    return {"ballots": ballots, "by_channel": by_channel, "profiles": profiles, "ranking": ranking}
