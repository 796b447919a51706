"""Aggregations of ATT(g,t) (simple, group, dynamic, calendar) with their influence functions, as R's ``aggte``.

Weights are cohort shares: p_g is the share of all units (never treated included) in cohort g. Where the
weights compare cohorts of different size, their estimation adds a term to the influence function
(R's ``wif``): for cells k in a set K with weights p_k / sum_K p,

    wif_i = sum_k att_k (1{G_i = g_k} - p_k) / S  -  (sum_k (1{G_i = g_k} - p_k)) (sum_k p_k att_k) / S^2,

with S = sum_K p_k. It is computed per cohort, never as an n x |K| matrix.

- ``simple``: all post-treatment cells (g <= t) weighted by p_g.
- ``group``: per cohort, the plain mean over its post-treatment cells; overall, the cohort means weighted
  by p_g (with the weights' term).
- ``dynamic``: per event time e = t - g (negative e are the pre-treatment placebo cells), cells weighted by
  p_g; overall, the plain mean over e >= 0.
- ``calendar``: per period t from the first cohort on, its post-treatment cells weighted by p_g; overall,
  the plain mean over those periods.

Cells that could not be estimated (NaN) are left out of every average (R's ``na.rm = TRUE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["Aggregate", "Aggregated", "aggregate_cells"]

Aggregate = Literal["simple", "group", "dynamic", "calendar"]


@dataclass(frozen=True)
class Aggregated:
    """Rows of one aggregation: labels, estimates and influence functions (n_units x rows)."""

    label: np.ndarray
    """Cohort, event time or period of each row; the overall row is last and has label 0."""
    overall: np.ndarray
    estimate: np.ndarray
    influence: np.ndarray
    cells: tuple[np.ndarray, ...]
    """Indices of the ATT(g,t) cells behind each row (for counting units)."""


def _weights_term(
    keep: np.ndarray, cell_g: np.ndarray, att: np.ndarray, p: np.ndarray, unit_g: np.ndarray
) -> np.ndarray:
    """R's ``wif(keepers, pg, ...) %*% att[keepers]`` as one n-vector.

    ``cell_g`` and ``unit_g`` are cohort indices (0..G-1; -1 for never treated units), ``p`` the share of
    each cell's cohort.
    """
    n_groups = int(max(cell_g.max(initial=-1), unit_g.max(initial=-1))) + 1
    s = p[keep].sum()
    att_by_cohort = np.append(np.bincount(cell_g[keep], weights=att[keep], minlength=n_groups), 0.0)
    cells_by_cohort = np.append(np.bincount(cell_g[keep], minlength=n_groups), 0).astype(float)
    p_att = float(np.sum(p[keep] * att[keep]))
    first = (att_by_cohort[unit_g] - p_att) / s
    second = (cells_by_cohort[unit_g] - s) * p_att / s**2
    return first - second


def aggregate_cells(
    kind: Aggregate,
    *,
    group: np.ndarray,
    time: np.ndarray,
    estimate: np.ndarray,
    influence: np.ndarray,
    cohort: np.ndarray,
) -> Aggregated:
    """One aggregation of the cells (arrays from :class:`kinerja_analysis.training.did.cells.Cells`)."""
    groups = np.unique(group)
    cell_g = np.searchsorted(groups, group)
    unit_g = np.where(cohort > 0, np.searchsorted(groups, cohort), -1)
    share = np.bincount(unit_g[unit_g >= 0], minlength=len(groups)) / len(cohort)
    p = share[cell_g]
    valid = np.isfinite(estimate)
    att = np.where(valid, estimate, 0.0)
    post = (group <= time) & valid

    def weighted(keep: np.ndarray, *, with_weights_term: bool) -> tuple[float, np.ndarray]:
        w = p[keep] / p[keep].sum()
        inf = influence[:, keep] @ w
        if with_weights_term:
            inf = inf + _weights_term(keep, cell_g, att, p, unit_g)
        return float(np.sum(w * att[keep])), inf

    def overall_of(values: np.ndarray, infs: list[np.ndarray], weights: np.ndarray) -> tuple[float, np.ndarray]:
        return float(np.sum(weights * values)), np.column_stack(infs) @ weights

    if kind == "simple":
        est, inf = weighted(post, with_weights_term=True)
        return Aggregated(np.array([0]), np.array([True]), np.array([est]), inf[:, None], (np.flatnonzero(post),))

    rows: list[tuple[int, np.ndarray]] = []
    if kind == "group":
        rows = [(int(g), post & (group == g)) for g in groups]
    elif kind == "dynamic":
        event = time - group
        rows = [(int(e), valid & (event == e)) for e in np.unique(event[valid])]
    elif kind == "calendar":
        rows = [(int(t), post & (time == t)) for t in np.unique(time[time >= groups.min()])]
    rows = [(label, keep) for label, keep in rows if keep.any()]
    labels = np.array([label for label, _ in rows], dtype=np.int64)
    ests, infs = [], []
    for _, keep in rows:
        est, inf = weighted(keep, with_weights_term=kind != "group")
        ests.append(est)
        infs.append(inf)
    values = np.array(ests)
    if kind == "group":
        present = np.searchsorted(groups, labels)
        shares = share[present]
        total, total_inf = overall_of(values, infs, shares / shares.sum())
        group_keep = np.ones(len(labels), dtype=bool)
        total_inf = total_inf + _weights_term(group_keep, present, values, shares, unit_g)
    else:
        chosen = labels >= 0 if kind == "dynamic" else np.ones(len(labels), dtype=bool)
        total, total_inf = overall_of(values[chosen], [infs[i] for i in np.flatnonzero(chosen)],
                                      np.full(int(chosen.sum()), 1 / chosen.sum()))  # fmt: skip
    post_cells = np.flatnonzero(post)  # behind every overall row: the post-treatment cells
    return Aggregated(
        label=np.append(labels, 0),
        overall=np.append(np.zeros(len(labels), dtype=bool), True),
        estimate=np.append(values, total),
        influence=np.column_stack([*infs, total_inf]),
        cells=(*(np.flatnonzero(keep) for _, keep in rows), post_cells),
    )
