"""What every plot shares: a fresh Axes when none is given, the synthetic-data label, axis labels."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

LABELS = {
    "jenis_kelamin": "Jenis kelamin",
    "kelompok_usia": "Kelompok usia (tahun)",
    "kelompok_masa_kerja": "Masa kerja (tahun)",
    "kelompok_pendidikan": "Pendidikan",
    "kelompok_jabatan": "Jenis jabatan",
    "golongan": "Golongan",
    "sektor": "Sektor",
    "instansi": "Instansi",
    "nama_unit": "Unit kerja",
    "unit_id": "Unit kerja",
    "tahun": "Tahun",
    "bulan": "Bulan",
    "hari": "Hari kerja sejak berkas masuk",
    "jenis_layanan": "Jenis layanan",
}


def new_axes(ax: Axes | None, *, size: tuple[float, float] = (7, 4)) -> Axes:
    """The given Axes, or a new one on a new figure."""
    return plt.figure(figsize=size).gca() if ax is None else ax


def label(name: str) -> str:
    """The Bahasa Indonesia axis label of a column (the column name itself when none is known)."""
    return LABELS.get(name, name)


def label_synthetic(ax: Axes, text: str = "DATA SINTETIS") -> Axes:
    """Mark a figure as drawn from synthetic data (a small label in the upper right corner)."""
    ax.text(
        0.99,
        0.99,
        text,
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=8,
        color="firebrick",
        fontweight="bold",
        bbox={"facecolor": "white", "edgecolor": "firebrick", "boxstyle": "round,pad=0.2"},
    )
    return ax
