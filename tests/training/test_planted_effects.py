"""The planted training effects of the synthetic data are recovered within their intervals.

The truth is the generator's record (``ground_truth.json``): realised effects on the treated, i.e. the
mean over treated employee-years of the outcome with the programme minus without it. The estimator sees
only the balanced part of the panel (employees with the outcome in every year of the window), so its
target differs slightly from the recorded mean; the intervals are nevertheless expected to cover it.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.synthetic import generate
from kinerja_analysis.training.did.staggered import staggered_did
from kinerja_analysis.training.panel import PROGRAMME, employee_year_panel, restrict_years


def _fit(panel: pd.DataFrame, outcome: str, **kw):
    return staggered_did(panel, outcome=outcome, unit="nip", time="tahun", cohort="cohort", incomplete="drop", **kw)


def _covers(row: pd.Series, value: float) -> bool:
    return bool(row["ci_low"] <= value <= row["ci_high"])


@pytest.fixture(scope="module")
def demo_panel() -> tuple[pd.DataFrame, dict]:
    data = load_dataset(paths.demo_data_dir())
    truth = json.loads((paths.demo_data_dir() / "ground_truth.json").read_text(encoding="utf-8"))
    return employee_year_panel(data, treatment=PROGRAMME), truth["training_effect"]


@pytest.mark.parametrize("control", ["never_treated", "not_yet_treated"])
def test_case_processing_time_effect_recovered(demo_panel, control: str) -> None:
    panel, truth = demo_panel
    fit = _fit(panel, "hari_mean", control=control)
    simple = fit.table("simple").iloc[0]
    assert _covers(simple, truth["case_processing_time"]["overall"]["att"])
    assert simple["ci_high"] < 0  # training speeds up case handling
    table = fit.table("dynamic")
    rows = table.loc[~table["overall"]].set_index("event_time")
    for entry in truth["case_processing_time"]["by_event_time"]:
        assert _covers(rows.loc[entry["event_time"]], entry["att"]), entry
    # no effect before training: every placebo interval covers 0
    placebo = rows.loc[rows.index < 0]
    assert len(placebo) > 0 and ((placebo["ci_low"] <= 0) & (placebo["ci_high"] >= 0)).all()


def test_old_regime_score_effect_recovered(demo_panel) -> None:
    panel, truth = demo_panel
    window = restrict_years(panel, 2019, 2021)  # PP 46/2011 scores exist up to 2021 only
    fit = _fit(window, "nilai_skp")
    simple = fit.table("simple").iloc[0]
    assert _covers(simple, truth["nilai_skp"]["overall"]["att"])
    cells = fit.table().set_index(["group", "time"])
    for entry in truth["nilai_skp"]["by_cohort_year"]:
        assert _covers(cells.loc[(entry["cohort"], entry["tahun"])], entry["att"]), entry
    group = fit.table("group")
    assert set(group.loc[~group["overall"], "group"]) == {2020, 2021}


def _sangat_baik_truth(truth: dict, cohorts: set[int]) -> float:
    """Recorded effect over the cohort-years the 2022-2025 window can estimate (cohorts trained from 2023)."""
    cells = [c for c in truth["predikat_sangat_baik"]["by_cohort_year"] if c["cohort"] in cohorts]
    return sum(c["att"] * c["n"] for c in cells) / sum(c["n"] for c in cells)


SEEDS = (1, 2, 3, 4, 5)


@pytest.mark.slow
def test_intervals_cover_the_truth_over_seeds() -> None:
    """Across five generated datasets the 95% intervals cover the planted effects in most of them."""
    hits = {"hari_mean": 0, "nilai_skp": 0, "sangat_baik": 0}
    for seed in SEEDS:
        synthetic = generate(seed=seed)
        truth = synthetic.truth["training_effect"]
        panel = employee_year_panel(Dataset(**synthetic.tables), treatment=PROGRAMME)
        case = _fit(panel, "hari_mean").table("simple").iloc[0]
        hits["hari_mean"] += _covers(case, truth["case_processing_time"]["overall"]["att"])
        score = _fit(restrict_years(panel, 2019, 2021), "nilai_skp").table("simple").iloc[0]
        hits["nilai_skp"] += _covers(score, truth["nilai_skp"]["overall"]["att"])
        top = _fit(restrict_years(panel, 2022, 2025), "sangat_baik").table("simple").iloc[0]
        hits["sangat_baik"] += _covers(top, _sangat_baik_truth(truth, {2023, 2024}))
    assert all(count >= len(SEEDS) - 1 for count in hits.values()), hits
