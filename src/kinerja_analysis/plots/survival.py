"""Completion curves: the share of cases closed by each working day, open cases censored."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ._common import label, new_axes


def plot_completion(
    curves: pd.DataFrame, *, hue: str = "unit_id", max_days: int | None = None, ax: Axes | None = None
) -> Axes:
    """Kaplan-Meier share closed against working days (``kpi_completion.completion_curve``), with bands."""
    ax = new_axes(ax)
    for key, rows in curves.groupby(hue, sort=True, observed=True):
        rows = rows if max_days is None else rows.loc[rows["hari"] <= max_days]
        line = ax.step(rows["hari"], rows["estimate"], where="post", label=str(key))[0]
        ax.fill_between(rows["hari"], rows["ci_low"], rows["ci_high"], step="post", alpha=0.2, color=line.get_color())
    ax.set_xlabel(label("hari"))
    ax.set_ylabel("Proporsi berkas selesai")
    ax.set_ylim(0, 1.01)
    ax.legend(fontsize=8, title=label(hue))
    return ax
