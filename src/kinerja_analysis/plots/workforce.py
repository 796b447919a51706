"""Axes-level plots: tidy results in, an Axes out. They draw; they never compute statistics,
show or save. Labels are in Bahasa Indonesia, as the reports are.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

__all__ = ["plot_composition", "plot_national_comparison", "label_synthetic"]

_DIMENSION_LABELS = {
    "jenis_kelamin": "Jenis kelamin",
    "kelompok_usia": "Kelompok usia (tahun)",
    "kelompok_masa_kerja": "Masa kerja (tahun)",
    "kelompok_pendidikan": "Pendidikan",
    "kelompok_jabatan": "Jenis jabatan",
    "golongan": "Golongan",
    "sektor": "Sektor",
    "instansi": "Instansi",
    "nama_unit": "Unit kerja",
}


def _axes(ax: Axes | None) -> Axes:
    return plt.figure(figsize=(7, 4)).gca() if ax is None else ax


def label_synthetic(ax: Axes, text: str = "DATA SINTETIS") -> Axes:
    """Mark a figure as drawn from synthetic data (a small label in the upper right corner)."""
    ax.text(0.99, 0.99, text, transform=ax.transAxes, ha="right", va="top", fontsize=8, color="firebrick",
            fontweight="bold", bbox={"facecolor": "white", "edgecolor": "firebrick", "boxstyle": "round,pad=0.2"})
    return ax


def plot_composition(table: pd.DataFrame, *, x: str, y: str = "n", hue: str | None = None,
                     ax: Axes | None = None) -> Axes:
    """Bar chart of a composition table (from ``workforce.composition``): ``y`` per level of ``x``.

    Suppressed cells (missing ``y``) are drawn as empty bars, so the reader sees the group exists.
    """
    ax = _axes(ax)
    sns.barplot(data=table, x=x, y=y, hue=hue, ax=ax, errorbar=None)
    ax.set_xlabel(_DIMENSION_LABELS.get(x, x))
    ax.set_ylabel({"n": "Jumlah pegawai", "share": "Proporsi"}.get(y, y))
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def plot_national_comparison(table: pd.DataFrame, *, dimension: str, ax: Axes | None = None) -> Axes:
    """Shares here beside the national shares for one dimension (from ``compare_with_national``)."""
    ax = _axes(ax)
    rows = table.loc[table["dimension"] == dimension]
    long = rows.melt(id_vars="level", value_vars=["share", "share_nasional"], var_name="sumber", value_name="proporsi")
    long["sumber"] = long["sumber"].map({"share": "Data ini", "share_nasional": "Nasional (BKN)"})
    sns.barplot(data=long, x="level", y="proporsi", hue="sumber", ax=ax, errorbar=None)
    ax.set_xlabel(_DIMENSION_LABELS.get(dimension, dimension))
    ax.set_ylabel("Proporsi PNS")
    ax.legend(title=None)
    return ax
