"""Monitoring pictures: XmR charts and funnel plots (limits are computed in control_charts)."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ._common import new_axes


def plot_xmr(chart: pd.DataFrame, *, x: str | None = None, ylabel: str = "Nilai", ax: Axes | None = None) -> Axes:
    """The individuals chart of an XmR result (``control_charts.xmr_chart``): values, centre, limits, signals."""
    ax = new_axes(ax, size=(9, 3.5))
    xs = chart[x].astype(str) if x is not None else chart["t"]
    ax.plot(range(len(chart)), chart["value"], marker="o", markersize=3, color="tab:blue", linewidth=1)
    ax.plot(range(len(chart)), chart["centre"], color="black", linewidth=1, label="garis tengah")
    ax.plot(range(len(chart)), chart["ucl"], color="firebrick", linestyle="--", linewidth=1, label="batas kendali")
    ax.plot(range(len(chart)), chart["lcl"], color="firebrick", linestyle="--", linewidth=1)
    signal = (chart["signal"].astype(str) != "").to_numpy()
    ax.scatter(
        [i for i, s in enumerate(signal) if s], chart.loc[signal, "value"], color="firebrick", zorder=3, label="sinyal"
    )
    step = max(1, len(chart) // 12)
    ax.set_xticks(range(0, len(chart), step), list(xs)[::step], rotation=45, ha="right")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_funnel(
    units: pd.DataFrame,
    curve: pd.DataFrame,
    *,
    label_column: str = "unit_id",
    ylabel: str = "Proporsi",
    ax: Axes | None = None,
) -> Axes:
    """Funnel plot: each unit's share against its volume, inside the limits that chance alone allows.

    ``units`` is ``control_charts.funnel`` output (``n``, ``estimate``, ``target``, ``signal``); ``curve`` is
    ``control_charts.funnel_curve`` output (``n``, ``level``, ``lower``, ``upper``). Units outside the outer
    limits are labelled.
    """
    ax = new_axes(ax, size=(8, 5))
    for level, rows in curve.groupby("level", sort=True):
        style = "--" if level < 0.99 else "-"
        ax.plot(rows["n"], rows["lower"], color="grey", linestyle=style, linewidth=1, label=f"batas {level:.1%}")
        ax.plot(rows["n"], rows["upper"], color="grey", linestyle=style, linewidth=1)
    ax.axhline(float(units["target"].iloc[0]), color="black", linewidth=1, label="target")
    outside = units["signal"].astype(str).str.endswith("99_8")
    ax.scatter(units.loc[~outside, "n"], units.loc[~outside, "estimate"], color="tab:blue", s=18)
    ax.scatter(units.loc[outside, "n"], units.loc[outside, "estimate"], color="firebrick", s=24, label="di luar 99,8%")
    for _, row in units.loc[outside].iterrows():
        ax.annotate(
            str(row[label_column]), (row["n"], row["estimate"]), fontsize=7, xytext=(3, 3), textcoords="offset points"
        )
    ax.set_xscale("log")
    ax.set_xlabel("Jumlah berkas (skala log)")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    return ax
