"""Thin helpers around the HiGHS solver (``highspy``): build small LPs and MIPs row by row."""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np

INFINITY = highspy.kHighsInf


def new_solver(*, mip_gap: float | None = None) -> highspy.Highs:
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    # One thread: the platform shares its machine with the web workers.
    solver.setOptionValue("threads", 1)
    if mip_gap is not None:
        # Column generation needs the pricing optimum itself, not a 0.01 %-close panel:
        # stopping early would end a LEXIMIN level before its true value.
        solver.setOptionValue("mip_rel_gap", mip_gap)
        solver.setOptionValue("mip_abs_gap", 1e-12)
    return solver


def add_columns(solver: highspy.Highs, lower: Sequence[float], upper: Sequence[float]) -> None:
    solver.addVars(len(lower), np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64))


def add_row(
    solver: highspy.Highs, lower: float, upper: float, indices: Sequence[int], values: Sequence[float]
) -> None:
    solver.addRow(
        lower, upper, len(indices), np.asarray(indices, dtype=np.int32), np.asarray(values, dtype=np.float64)
    )


def set_costs(solver: highspy.Highs, indices: Sequence[int], costs: Sequence[float]) -> None:
    solver.changeColsCost(
        len(indices), np.asarray(indices, dtype=np.int32), np.asarray(costs, dtype=np.float64)
    )


def make_integer(solver: highspy.Highs, count: int) -> None:
    solver.changeColsIntegrality(
        count, np.arange(count, dtype=np.int32), np.full(count, highspy.HighsVarType.kInteger)
    )


def maximize(solver: highspy.Highs) -> None:
    solver.changeObjectiveSense(highspy.ObjSense.kMaximize)


def solve(solver: highspy.Highs) -> bool:
    """Run the solver; True when it proved an optimum."""
    solver.run()
    return solver.getModelStatus() == highspy.HighsModelStatus.kOptimal


def values(solver: highspy.Highs) -> list[float]:
    return list(solver.getSolution().col_value)
