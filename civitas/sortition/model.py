"""The selection problem: features, quotas, the pool of volunteers and the panel size.

Volunteers with the same answers to every feature are interchangeable for the quotas, so
the solver works on *groups* (one per answer profile) rather than on individuals: a
2,000-strong pool over features of 2, 5, 6 and 3 values has at most 180 groups.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


class InstanceError(ValueError):
    """The instance itself is malformed (unknown value, duplicate code…)."""


@dataclass(frozen=True)
class Quota:
    minimum: int
    maximum: int

    def __post_init__(self) -> None:
        if self.minimum < 0 or self.maximum < self.minimum:
            raise InstanceError(f"invalid quota {self.minimum}–{self.maximum}")


@dataclass(frozen=True)
class Feature:
    name: str
    # Value name → quota on the panel; the dict order is the display order.
    quotas: dict[str, Quota]

    @property
    def values(self) -> list[str]:
        return list(self.quotas)


@dataclass(frozen=True)
class Volunteer:
    code: str
    answers: dict[str, str]


@dataclass(frozen=True)
class Group:
    """Volunteers sharing one answer profile (one value per feature, in feature order)."""

    profile: tuple[str, ...]
    codes: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.codes)


@dataclass
class Instance:
    features: list[Feature]
    volunteers: list[Volunteer]
    panel_size: int
    alternates: int = 0
    _groups: list[Group] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        if self.panel_size < 1:
            raise InstanceError("the panel size must be at least 1")
        if self.alternates < 0:
            raise InstanceError("the number of alternates cannot be negative")
        names = [feature.name for feature in self.features]
        if len(set(names)) != len(names):
            raise InstanceError("two features have the same name")
        seen: set[str] = set()
        for volunteer in self.volunteers:
            if volunteer.code in seen:
                raise InstanceError(f"volunteer code {volunteer.code} appears twice")
            seen.add(volunteer.code)
            for feature in self.features:
                value = volunteer.answers.get(feature.name)
                if value not in feature.quotas:
                    raise InstanceError(
                        f"volunteer {volunteer.code}: {value!r} is not a value of {feature.name}"
                    )

    def groups(self) -> list[Group]:
        """Groups sorted by profile, codes sorted inside each: a canonical order."""
        if self._groups is None:
            members: dict[tuple[str, ...], list[str]] = {}
            for volunteer in self.volunteers:
                profile = tuple(volunteer.answers[f.name] for f in self.features)
                members.setdefault(profile, []).append(volunteer.code)
            self._groups = [
                Group(profile, tuple(sorted(codes))) for profile, codes in sorted(members.items())
            ]
        return self._groups


def quotas_from_shares(shares: dict[str, float], panel_size: int, tolerance: float) -> dict[str, Quota]:
    """Quotas around population shares: each value gets share ± tolerance of the panel.

    ``tolerance`` is in share points (0.02 = ±2 % of the panel). The minimum rounds down
    and the maximum up so that the exact proportional count always fits.
    """
    total = sum(shares.values())
    if total <= 0:
        raise InstanceError("population shares must add up to a positive number")
    quotas = {}
    for value, share in shares.items():
        proportion = share / total
        low = max(0, math.floor((proportion - tolerance) * panel_size + 1e-9))
        high = min(panel_size, math.ceil((proportion + tolerance) * panel_size - 1e-9))
        quotas[value] = Quota(low, high)
    return quotas
