"""Event-study pictures: effects by time since treatment, several estimators side by side."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._common import new_axes


def plot_event_study(
    results: Mapping[str, pd.DataFrame],
    *,
    truth: Mapping[int, float] | None = None,
    ylabel: str = "Efek (selang 95%)",
    ax: Axes | None = None,
) -> Axes:
    """Estimates against event time (``event_time``, ``estimate``, ``ci_low``, ``ci_high``), one series per entry.

    Series are shifted sideways a little so their intervals do not overlap; rows without an event time
    (overall aggregates) are skipped. ``truth`` (synthetic data only) draws the planted effect as black
    crosses. A dashed vertical line separates the periods before treatment (placebo) from after.
    """
    ax = new_axes(ax, size=(8, 4.5))
    width = 0.6 / max(1, len(results))
    for i, (name, table) in enumerate(results.items()):
        rows = table.loc[table["event_time"].notna()].sort_values("event_time")
        x = rows["event_time"].astype(float).to_numpy() + (i - (len(results) - 1) / 2) * width
        est = rows["estimate"].astype(float).to_numpy()
        err = np.vstack([est - rows["ci_low"].astype(float), rows["ci_high"].astype(float) - est])
        ax.errorbar(x, est, yerr=np.nan_to_num(np.clip(err, 0, None)), fmt="o", capsize=3, markersize=4, label=name)
    if truth:
        times = sorted(truth)
        ax.scatter(times, [truth[t] for t in times], marker="x", color="black", zorder=4, label="efek yang ditanam")
    ax.axhline(0, color="grey", linewidth=1)
    ax.axvline(-0.5, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel("Tahun sejak pelatihan (negatif: sebelum pelatihan)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    return ax
