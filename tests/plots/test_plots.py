"""Plots draw what they are given, on the Axes they are given, and never compute or show."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

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
    table = pd.DataFrame(
        {"dimension": ["jenis_kelamin"] * 2, "level": ["L", "P"], "share": [0.4, 0.6], "share_nasional": [0.47, 0.53]}
    )
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


def test_estimates_plot_draws_points_and_interval_ends_where_given():
    table = pd.DataFrame(
        {
            "unit_id": ["A", "B", "C"],
            "estimate": [0.5, 0.8, float("nan")],
            "ci_low": [0.4, 0.7, float("nan")],
            "ci_high": [0.6, 0.9, float("nan")],
        }
    )
    fig, ax = plt.subplots()
    plots.plot_estimates(table, y="unit_id", reference=0.7, ax=ax)
    points = ax.lines[0].get_xdata()
    assert list(points[:2]) == [0.5, 0.8]
    at = dict(zip(ax.get_yticks(), [t.get_text() for t in ax.get_yticklabels()], strict=True))
    assert [at[p] for p in sorted(at, reverse=True)] == ["A", "B", "C"]  # first row on top
    assert ax.lines[-1].get_xdata()[0] == 0.7  # the reference line
    plt.close(fig)


def test_predikat_distribution_plot_stacks_to_the_shares():
    table = pd.DataFrame({"tahun": [2023, 2023], "predikat": ["Baik", "Sangat Baik"], "share": [0.75, 0.25]})
    fig, ax = plt.subplots()
    plots.plot_predikat_distribution(table, ax=ax)
    heights = {round(p.get_height(), 2) for p in ax.patches if p.get_height() > 0}
    assert heights == {0.75, 0.25}
    tops = sorted(round(p.get_y() + p.get_height(), 2) for p in ax.patches if p.get_height() > 0)
    assert tops == [0.75, 1.0]
    plt.close(fig)


def test_xmr_plot_marks_signals():
    chart = pd.DataFrame(
        {
            "t": [0, 1, 2],
            "value": [1.0, 9.0, 1.0],
            "centre": [2.0] * 3,
            "lcl": [0.0] * 3,
            "ucl": [5.0] * 3,
            "signal": ["", "above", ""],
        }
    )
    fig, ax = plt.subplots()
    plots.plot_xmr(chart, ax=ax)
    offsets = ax.collections[0].get_offsets()
    assert offsets.tolist() == [[1.0, 9.0]]
    plt.close(fig)


def test_funnel_plot_labels_only_units_outside_the_outer_limits():
    units = pd.DataFrame(
        {
            "unit_id": ["A", "B"],
            "n": [100, 1000],
            "estimate": [0.9, 0.5],
            "target": [0.85] * 2,
            "signal": ["none", "below_99_8"],
        }
    )
    curve = pd.DataFrame(
        {
            "n": [10, 1000, 10, 1000],
            "level": [0.95, 0.95, 0.998, 0.998],
            "lower": [0.6, 0.83, 0.5, 0.82],
            "upper": [0.99, 0.87, 1.0, 0.88],
        }
    )
    fig, ax = plt.subplots()
    plots.plot_funnel(units, curve, ax=ax)
    assert [t.get_text() for t in ax.texts] == ["B"]
    plt.close(fig)


def test_completion_plot_draws_one_step_line_per_unit():
    curves = pd.DataFrame(
        {
            "unit_id": ["A", "A", "B"],
            "hari": [0, 1, 0],
            "estimate": [0.5, 1.0, 0.2],
            "ci_low": [0.4, 0.9, 0.1],
            "ci_high": [0.6, 1.0, 0.3],
        }
    )
    fig, ax = plt.subplots()
    plots.plot_completion(curves, ax=ax)
    assert len(ax.lines) == 2 and list(ax.lines[0].get_ydata()) == [0.5, 1.0]
    plt.close(fig)


def test_trend_plot_highlights_one_group_and_greys_the_rest():
    table = pd.DataFrame(
        {
            "unit_id": ["A", "A", "B", "B"],
            "tahun": [2023, 2024] * 2,
            "estimate": [78, 76, 79, 80],
            "ci_low": [77, 75, 78, 79],
            "ci_high": [79, 77, 80, 81],
        }
    )
    fig, ax = plt.subplots()
    plots.plot_trend(table, highlight="A", ax=ax)
    colours = {line.get_label(): line.get_color() for line in ax.lines}
    assert colours["A"] == "firebrick"
    assert list(ax.lines[0].get_ydata()) == [78, 76]
    assert ax.lines[1].get_color() == "lightgrey"
    plt.close(fig)


def test_event_study_plot_skips_overall_rows_and_draws_the_truth():
    table = pd.DataFrame(
        {
            "event_time": pd.array([-1, 0, 1, None], dtype="Int64"),
            "estimate": [0.0, -0.2, -0.4, -0.3],
            "ci_low": [-0.1, -0.3, -0.5, -0.4],
            "ci_high": [0.1, -0.1, -0.3, -0.2],
        }
    )
    fig, ax = plt.subplots()
    plots.plot_event_study({"C&S": table}, truth={0: -0.25, 1: -0.45}, ax=ax)
    points = ax.lines[0].get_xydata().tolist()
    assert points == [[-1.0, 0.0], [0.0, -0.2], [1.0, -0.4]]
    assert ax.collections[-1].get_offsets().tolist() == [[0.0, -0.25], [1.0, -0.45]]
    plt.close(fig)


def test_findings_plot_draws_only_shares_in_percent():
    from kinerja_analysis.plots import plot_findings

    findings = pd.DataFrame({
        "judul": ["SLA", "Efek", "JP"],
        "satuan": ["porsi berkas", "hari kerja per berkas", "porsi PNS"],
        "estimate": [0.89, -0.48, 0.51],
        "ci_low": [0.88, -0.57, 0.47],
        "ci_high": [0.90, -0.39, 0.55],
    })  # fmt: skip
    ax = plot_findings(findings)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["SLA (porsi berkas)", "JP (porsi PNS)"]
    (points,) = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert sorted(points.get_xdata()) == pytest.approx([51.0, 89.0])
    assert ax.get_xlim() == (0, 100)
    plt.close(ax.figure)
