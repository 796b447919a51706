"""Every group-time ATT(g,t) of Callaway & Sant'Anna (2021) with its influence function, on unit x period arrays.

For each cohort g and period t the comparison is the 2x2 DiD of :mod:`kinerja_analysis.training.did.estimators`
between cohort g and the comparison units, over a base period and t:

- base period ``"varying"`` (R ``did``'s default): for t >= g the base is the last period before g;
  for t < g (pre-treatment placebo cells) it is the period just before t, so a pre-treatment ATT(g,t)
  is a one-period change. Cells run over every period but the first.
- base period ``"universal"``: always the last period before g; every period gets a cell and the
  base period's own cell is 0 with no variance (R reports it with a missing standard error).
- comparison ``"never_treated"``: cohort 0; ``"not_yet_treated"``: cohort 0 or first treated after
  max(t, base), other than g itself (R's ``notyettreated``).

The cell's influence function is rescaled by n / n_cell and placed in an n-unit column, exactly as
R's ``att_gt`` does, so that means over all units aggregate correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from kinerja_analysis.training.did.estimators import CellFailure, Method, PropensityScore, propensity_score, two_by_two

__all__ = ["Control", "BasePeriod", "Cells", "group_time_cells"]

Control = Literal["never_treated", "not_yet_treated"]
BasePeriod = Literal["varying", "universal"]


@dataclass(frozen=True)
class Cells:
    """ATT(g,t) cells in R's order (by cohort, then period) and their n x K influence functions."""

    group: np.ndarray
    time: np.ndarray
    base: np.ndarray
    estimate: np.ndarray
    n_treated: np.ndarray
    n_control: np.ndarray
    note: tuple[str, ...]
    influence: np.ndarray
    """float64 (n_units, n_cells), Fortran order; NaN columns for cells that failed."""


def _plan(groups: np.ndarray, periods: np.ndarray, base_period: BasePeriod) -> list[tuple[int, int, int]]:
    """(cohort, period index, base index) of every cell, in R's order."""
    plan = []
    for g in groups:
        last_pre = int(np.searchsorted(periods, g) - 1)  # index of the last period before g (g is a period)
        first = 1 if base_period == "varying" else 0
        for j in range(first, len(periods)):
            if base_period == "universal" or periods[j] >= g:
                base = last_pre
            else:
                base = j - 1
            plan.append((int(g), j, base))
    return plan


def group_time_cells(
    y: np.ndarray,
    x: np.ndarray | None,
    periods: np.ndarray,
    cohort: np.ndarray,
    *,
    control: Control,
    method: Method,
    base_period: BasePeriod,
) -> Cells:
    """Estimate every ATT(g,t); see the module docstring for the comparisons."""
    n = len(cohort)
    groups = np.unique(cohort[cohort > 0])
    plan = _plan(groups, periods, base_period)
    k = len(plan)
    influence = np.zeros((n, k), order="F")
    estimate = np.full(k, np.nan)
    n_treated = np.zeros(k, dtype=np.int64)
    n_control = np.zeros(k, dtype=np.int64)
    notes: list[str] = []
    ones = np.ones((n, 1))
    never = cohort == 0
    # Periods whose covariates equal an earlier period's share that period's key, so cells of one cohort
    # with the same comparison units reuse one propensity-score fit (time-invariant covariates: one per cohort).
    x_key = list(range(len(periods)))
    if x is not None:
        for j in range(1, len(periods)):
            same = [q for q in range(j) if x_key[q] == q and np.array_equal(x[:, q, :], x[:, j, :])]
            x_key[j] = same[0] if same else j
    fitted: dict[tuple[int, int, int], PropensityScore | CellFailure] = {}
    for c, (g, j, base) in enumerate(plan):
        treated = cohort == g
        if control == "never_treated":
            comparison = never
        else:
            later = periods[max(j, base)]
            comparison = never | ((cohort > later) & ~treated)
        sample = treated | comparison
        n_treated[c] = int(treated.sum())
        n_control[c] = int(comparison.sum())
        if j == base:  # universal base period: the reference cell itself
            estimate[c] = 0.0
            notes.append("base period")
            continue
        dy = y[sample, j] - y[sample, base]
        design, pscore = None, None
        try:
            if x is not None:
                design = np.hstack([ones[: int(sample.sum())], x[sample, min(j, base), :]])
                if method != "reg":
                    key = (g, -1 if control == "never_treated" else max(j, base), x_key[min(j, base)])
                    if key not in fitted:
                        try:
                            fitted[key] = propensity_score(design, treated[sample])
                        except CellFailure as failure:
                            fitted[key] = failure
                    found = fitted[key]
                    if isinstance(found, CellFailure):
                        raise found
                    pscore = found
            att, inf = two_by_two(dy, treated[sample], design, method=method, pscore=pscore)
        except CellFailure as failure:
            influence[:, c] = np.nan
            notes.append(str(failure))
            continue
        estimate[c] = att
        influence[sample, c] = inf * (n / sample.sum())
        notes.append("")
    return Cells(
        group=np.array([p[0] for p in plan], dtype=np.int64),
        time=periods[[p[1] for p in plan]].astype(np.int64),
        base=periods[[p[2] for p in plan]].astype(np.int64),
        estimate=estimate,
        n_treated=n_treated,
        n_control=n_control,
        note=tuple(notes),
        influence=influence,
    )
