"""Plots draw what they are given, on the Axes they are given, and never compute or show."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from kinerja_analysis import plots  # noqa: E402


def test_composition_plot_draws_one_bar_per_level_on_the_given_axes():
    table = pd.DataFrame({"sektor": ["kesehatan", "pendidikan", "pemerintahan"], "n": [12, 30, pd.NA]})
    table["n"] = table["n"].astype("Float64")
    fig, ax = plt.subplots()
    out = plots.plot_composition(table, x="sektor", ax=ax)
    assert out is ax
    heights = sorted(p.get_height() for p in ax.patches if p.get_height() == p.get_height())
    assert heights == [12, 30]
    assert ax.get_ylabel() == "Jumlah pegawai" and ax.get_xlabel() == "Sektor"
    plt.close(fig)


def test_national_comparison_plot_has_both_sources():
    table = pd.DataFrame({"dimension": ["jenis_kelamin"] * 2, "level": ["L", "P"], "share": [0.4, 0.6],
                          "share_nasional": [0.47, 0.53]})
    fig, ax = plt.subplots()
    plots.plot_national_comparison(table, dimension="jenis_kelamin", ax=ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Data ini", "Nasional (BKN)"]
    assert sorted(round(p.get_height(), 2) for p in ax.patches if p.get_height() > 0) == [0.4, 0.47, 0.53, 0.6]
    plt.close(fig)


def test_synthetic_label_is_on_the_axes():
    fig, ax = plt.subplots()
    plots.label_synthetic(ax)
    assert "DATA SINTETIS" in [t.get_text() for t in ax.texts]
    plt.close(fig)
