"""Estimates with their intervals, the picture most results in this package share."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._common import label, new_axes


def plot_estimates(
    table: pd.DataFrame,
    *,
    y: str,
    x: str = "estimate",
    ci: tuple[str, str] = ("ci_low", "ci_high"),
    reference: float | None = None,
    xlabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One horizontal point and interval per row of a tidy result (``estimate``, ``ci_low``, ``ci_high``).

    Rows are drawn in table order from top to bottom; a missing interval draws the point alone, a
    missing estimate (suppressed or not estimable) leaves the row empty but labelled.
    ``reference`` draws a vertical line (a target, a pooled value, or zero for an effect).
    """
    ax = new_axes(ax, size=(7, max(2.5, 0.3 * len(table) + 1)))
    pos = np.arange(len(table))[::-1]
    est = table[x].astype("float64").to_numpy()
    low = table[ci[0]].astype("float64").to_numpy()
    high = table[ci[1]].astype("float64").to_numpy()
    # Clip: an interval edge may differ from the estimate by rounding only (e.g. 1 - 1e-16 at a share of 1).
    err = np.clip(np.vstack([est - low, high - est]), 0, None)
    ax.errorbar(
        est,
        pos,
        xerr=np.where(np.isnan(err), 0, err),
        fmt="o",
        color="tab:blue",
        ecolor="tab:blue",
        capsize=3,
        markersize=4,
    )
    if reference is not None:
        ax.axvline(reference, color="grey", linestyle="--", linewidth=1)
    ax.set_yticks(pos, table[y].astype(str).tolist())
    ax.set_ylabel(label(y))
    ax.set_xlabel(xlabel or "Estimasi dan selang kepercayaan 95%")
    return ax
