"""Progress of nested results. Framework-free.

A result with sub-results takes its progress from them, recursively: either their plain
average (``"average"``) or their average weighted by each child's weight (``"weighted"``;
a weight of 0 leaves that child out, and if every weight is 0 the plain average is used).
A result without sub-results has its own progress: the one typed by an admin, else the
default progress of its status, else 0. Progress is a percentage from 0 to 100, kept as
an exact fraction until it is rounded for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

METHODS = ("average", "weighted")


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    own_progress: Fraction | int | None  # typed by an admin, or the status default; None: unknown
    weight: int = 1


class RollupError(ValueError):
    pass


def rolled_up_progress(nodes: Iterable[Node], method: str = "average") -> dict[int, Fraction]:
    """Progress of every node, from 0 to 100. Raises RollupError on a cycle or an unknown method."""
    if method not in METHODS:
        raise RollupError(f"unknown roll-up method {method!r} (known: {', '.join(METHODS)})")
    by_id: dict[int, Node] = {}
    children: dict[int | None, list[int]] = {}
    for node in nodes:
        by_id[node.id] = node
    for node in by_id.values():
        parent = node.parent_id if node.parent_id in by_id else None  # an orphan counts as a root
        children.setdefault(parent, []).append(node.id)
    progress: dict[int, Fraction] = {}
    visiting: set[int] = set()

    def compute(node_id: int) -> Fraction:
        if node_id in progress:
            return progress[node_id]
        if node_id in visiting:
            raise RollupError(f"result {node_id} is its own ancestor")
        visiting.add(node_id)
        kids = children.get(node_id, [])
        if kids:
            values = [(compute(kid), by_id[kid].weight) for kid in kids]
            value = _combine(values, method)
        else:
            own = by_id[node_id].own_progress
            value = Fraction(min(100, max(0, own))) if own is not None else Fraction(0)
        visiting.discard(node_id)
        progress[node_id] = value
        return value

    for node_id in by_id:
        compute(node_id)
    if len(progress) != len(by_id):
        raise RollupError("some results could not be reached")
    return progress


def _combine(values: list[tuple[Fraction, int]], method: str) -> Fraction:
    if method == "weighted":
        total_weight = sum(weight for _value, weight in values)
        if total_weight > 0:
            return sum((value * weight for value, weight in values), Fraction(0)) / total_weight
    return sum((value for value, _weight in values), Fraction(0)) / len(values)


def average_of(progress: Mapping[int, Fraction], ids: Iterable[int]) -> Fraction | None:
    """Plain average of some results' progress (a theme's or a space's bar); None if none."""
    values = [progress[i] for i in ids if i in progress]
    return sum(values, Fraction(0)) / len(values) if values else None
