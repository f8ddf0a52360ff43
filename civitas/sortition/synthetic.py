"""Reproducible synthetic pools for tests and benchmarks: a skewed pool against population quotas.

Volunteers who answer invitations are older, more educated and more often from some
districts than the population; the generator draws them that way (with education
depending on age, as in real pools) and sets the quotas around the population shares.
"""

from __future__ import annotations

import random

from .model import Feature, Instance, Volunteer, quotas_from_shares

# Population shares (what the panel must mirror) and the volunteers' skew (who answers).
POPULATION = {
    "gender": {"woman": 0.52, "man": 0.48},
    "age": {"16-24": 0.14, "25-39": 0.24, "40-54": 0.25, "55-69": 0.22, "70+": 0.15},
    "district": {"north": 0.22, "south": 0.2, "east": 0.18, "west": 0.16, "centre": 0.14, "port": 0.10},
    "education": {"none": 0.3, "secondary": 0.42, "higher": 0.28},
}
POOL_SKEW = {
    "gender": {"woman": 0.45, "man": 0.55},
    "age": {"16-24": 0.07, "25-39": 0.17, "40-54": 0.24, "55-69": 0.31, "70+": 0.21},
    "district": {"north": 0.3, "south": 0.14, "east": 0.2, "west": 0.17, "centre": 0.13, "port": 0.06},
    "education": {"none": 0.15, "secondary": 0.37, "higher": 0.48},
}


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def skewed_instance(pool: int, panel: int, *, tolerance: float = 0.02, seed: int = 2021) -> Instance:
    rng = random.Random(seed)
    features = [
        Feature(name, quotas_from_shares(shares, panel, tolerance)) for name, shares in POPULATION.items()
    ]
    volunteers = []
    for number in range(pool):
        answers = {name: _pick(rng, POOL_SKEW[name]) for name in ("gender", "age", "district")}
        education = dict(POOL_SKEW["education"])
        if answers["age"] in ("16-24", "70+"):
            # The youngest have not finished their studies, the oldest studied less.
            education = {"none": 0.35, "secondary": 0.4, "higher": 0.25}
        answers["education"] = _pick(rng, education)
        volunteers.append(Volunteer(f"V{number + 1:05d}", answers))
    return Instance(features, volunteers, panel)
