"""Appraisal pictures: how predikat are spread."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from kinerja_analysis.data.schema import PREDIKAT

from ._common import label, new_axes

_COLOURS = {
    "Sangat Kurang": "#8c2d04",
    "Kurang": "#d94801",
    "Butuh Perbaikan": "#fd8d3c",
    "Baik": "#6baed6",
    "Sangat Baik": "#08519c",
}


def plot_predikat_distribution(table: pd.DataFrame, *, x: str = "tahun", ax: Axes | None = None) -> Axes:
    """Stacked shares of the five predikat per level of ``x`` (``appraisal_inflation.predikat_distribution``)."""
    ax = new_axes(ax)
    wide = table.pivot_table(index=x, columns="predikat", values="share", observed=False, aggfunc="sum")
    wide = wide.reindex(columns=list(PREDIKAT), fill_value=0.0).fillna(0.0)
    bottom = pd.Series(0.0, index=wide.index)
    labels = wide.index.astype(str)
    for level in PREDIKAT:
        ax.bar(labels, wide[level], bottom=bottom, color=_COLOURS[level], label=level)
        bottom = bottom + wide[level]
    ax.set_xlabel(label(x))
    ax.set_ylabel("Proporsi pegawai")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(1.0, 0.0))
    return ax
