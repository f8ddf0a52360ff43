"""Which phase is current on a given day. Framework-free so the rule is easy to test."""

from collections.abc import Sequence
from datetime import date
from typing import Protocol


class Dated(Protocol):
    start_date: date | None
    end_date: date | None


def phase_for_day(phases: Sequence[Dated], day: date) -> Dated | None:
    """The phase whose dates contain the day; between phases, the last one that started.

    Phases are given in their display order. Before the first phase starts, none is
    current. When dated phases overlap, the latest-starting one wins, so a new phase
    takes over on its first day.
    """
    started = [phase for phase in phases if phase.start_date is not None and phase.start_date <= day]
    if not started:
        return None
    running = [phase for phase in started if phase.end_date is None or phase.end_date >= day]
    candidates = running or started
    return max(candidates, key=lambda phase: phase.start_date)
