"""Geometry of an accessible bar chart; the template draws it as SVG beside a data table.

Framework-free: ``python -m civitas.stats.chart 3 5 0 8`` prints the bars of a series.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[int, float]]  # (value, y) of the horizontal grid lines
    baseline: float
    left: float

    @property
    def plot_width(self) -> float:
        return self.width - self.left


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^n at least ``value`` (the top of the value axis)."""
    if value <= 0:
        return 1
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def tick_step(maximum: int) -> int:
    """The grid's step: a whole 1, 2, 5 × 10^n that divides the top, with at most 5 intervals.

    Quarters of the top (the grid once had) fall between whole numbers: 2.5 was
    written "2" on a line drawn at 2.5.
    """
    step = 1
    while maximum % step or maximum // step > 5:
        step = next(candidate for candidate in _steps() if candidate > step)
    return step


def _steps():
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            yield step * magnitude
        magnitude *= 10


def bar_chart(series: list[tuple[str, int]], *, width: int = 640, height: int = 240) -> Chart:
    left, top, bottom = 48.0, 12.0, 28.0
    baseline = height - bottom
    plot_height = baseline - top
    maximum = nice_ceiling(max((value for _, value in series), default=0))
    slot = (width - left) / max(len(series), 1)
    bars = []
    for index, (label, value) in enumerate(series):
        bar_height = plot_height * value / maximum
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(left + index * slot + slot * 0.15, 2),
                y=round(baseline - bar_height, 2),
                width=round(slot * 0.7, 2),
                height=round(bar_height, 2),
            )
        )
    step = tick_step(maximum)
    ticks = [
        (value, round(baseline - plot_height * value / maximum, 2)) for value in range(0, maximum + 1, step)
    ]
    return Chart(width=width, height=height, bars=bars, ticks=ticks, baseline=baseline, left=left)


if __name__ == "__main__":
    values = [int(value) for value in sys.argv[1:]] or [3, 5, 0, 8]
    for bar in bar_chart([(str(index), value) for index, value in enumerate(values)]).bars:
        print(bar)
