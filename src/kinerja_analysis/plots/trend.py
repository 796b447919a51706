"""Estimates over time, one line per group, with their intervals."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ._common import label, new_axes


def plot_trend(
    table: pd.DataFrame,
    *,
    x: str = "tahun",
    y: str = "estimate",
    hue: str | None = "unit_id",
    ci: tuple[str, str] | None = ("ci_low", "ci_high"),
    highlight: str | None = None,
    ylabel: str = "Estimasi",
    ax: Axes | None = None,
) -> Axes:
    """Lines of ``y`` against ``x`` per ``hue`` group, with interval bars; ``highlight`` one group in red.

    With a highlighted group the other groups are drawn thin and grey, so one unit can be read against
    the rest.
    """
    ax = new_axes(ax, size=(8, 4.5))
    groups = [(None, table)] if hue is None else list(table.groupby(hue, sort=True, observed=True))
    for key, rows in groups:
        rows = rows.sort_values(x)
        emphasis = highlight is None or key == highlight
        colour = "firebrick" if (highlight is not None and key == highlight) else (None if emphasis else "lightgrey")
        xs = rows[x].astype(str)
        line = ax.plot(
            xs,
            rows[y],
            marker="o",
            markersize=3,
            linewidth=2 if emphasis else 1,
            color=colour,
            label=str(key) if emphasis and key is not None else None,
            zorder=3 if emphasis else 1,
        )[0]
        if ci is not None and emphasis:
            ax.fill_between(xs, rows[ci[0]], rows[ci[1]], alpha=0.15, color=line.get_color())
    ax.set_xlabel(label(x))
    ax.set_ylabel(ylabel)
    if any(line.get_label() and not line.get_label().startswith("_") for line in ax.lines):
        ax.legend(fontsize=8)
    return ax
