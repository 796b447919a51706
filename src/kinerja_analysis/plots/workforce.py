"""Plots of the workforce: composition and the comparison with national figures."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ._common import label, new_axes


def plot_composition(
    table: pd.DataFrame, *, x: str, y: str = "n", hue: str | None = None, ax: Axes | None = None
) -> Axes:
    """Bar chart of a composition table (from ``workforce.composition``): ``y`` per level of ``x``.

    Suppressed cells (missing ``y``) are drawn as empty bars, so the reader sees the group exists.
    """
    ax = new_axes(ax)
    sns.barplot(data=table, x=x, y=y, hue=hue, ax=ax, errorbar=None)
    ax.set_xlabel(label(x))
    ax.set_ylabel({"n": "Jumlah pegawai", "share": "Proporsi"}.get(y, y))
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def plot_national_comparison(table: pd.DataFrame, *, dimension: str, ax: Axes | None = None) -> Axes:
    """Shares here beside the national shares for one dimension (from ``compare_with_national``)."""
    ax = new_axes(ax)
    rows = table.loc[table["dimension"] == dimension]
    long = rows.melt(id_vars="level", value_vars=["share", "share_nasional"], var_name="sumber", value_name="proporsi")
    long["sumber"] = long["sumber"].map({"share": "Data ini", "share_nasional": "Nasional (BKN)"})
    long["proporsi"] = long["proporsi"].astype("float64")
    sns.barplot(data=long, x="level", y="proporsi", hue="sumber", ax=ax, errorbar=None)
    ax.set_xlabel(label(dimension))
    ax.set_ylabel("Proporsi PNS")
    ax.legend(title=None)
    return ax
