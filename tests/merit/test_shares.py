"""Merit against seniority on the committed demo data: the planted selection effects are recovered."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.merit import merit_vs_seniority, selection_design
from kinerja_analysis.merit.model import clogit_newton, gender_gap, prepare_choices, selection_model

DINAS_PENDIDIKAN = "Dinas Pendidikan Kota Palembang"
TRUE_TERMS = ["skor_kompetensi", "skor_potensi", "masa_kerja_tahun"]


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((paths.demo_data_dir() / "ground_truth.json").read_text(encoding="utf-8"))["selection_effect"]


@pytest.fixture(scope="module")
def design() -> pd.DataFrame:
    return selection_design(load_dataset(paths.demo_data_dir()))


def test_design_counts_match_the_ground_truth(design, truth) -> None:
    assert design["seleksi_id"].nunique() == truth["selections"]
    assert len(design) == truth["candidates_total"]
    assert design.groupby("seleksi_id")["terpilih"].sum().eq(1).all()


def test_planted_coefficients_are_recovered_within_their_intervals(design, truth) -> None:
    coef = truth["coefficients"]
    table = selection_model(design, terms=TRUE_TERMS).set_index("term")
    for term in TRUE_TERMS:
        assert table.loc[term, "ci_low"] <= coef[term] <= table.loc[term, "ci_high"], term
        assert table.loc[term, "p_value"] < 0.05, term


def test_full_model_covers_the_truth_and_finds_no_spurious_effect(design, truth) -> None:
    coef = truth["coefficients"]
    table = gender_gap(design, instansi=DINAS_PENDIDIKAN).set_index("term")
    for term in TRUE_TERMS:
        assert table.loc[term, "ci_low"] <= coef[term] <= table.loc[term, "ci_high"], term
    # Terms the generator did not use have a true coefficient of 0.
    for term in ["predikat_sangat_baik", "pp46_sangat_baik", "jp_setahun", "peringkat_golongan", "usia_tahun"]:
        assert table.loc[term, "ci_low"] <= 0 <= table.loc[term, "ci_high"], term


def test_conditional_gender_gap_is_recovered(design, truth) -> None:
    planted = truth["coefficients"]["perempuan_dinas_pendidikan"]
    assert planted == pytest.approx(np.log(0.5), abs=1e-6)
    table = gender_gap(design, instansi=DINAS_PENDIDIKAN, terms=TRUE_TERMS).set_index("term")
    inside = table.loc["perempuan_dalam_instansi"]
    assert inside["ci_low"] <= planted <= inside["ci_high"]
    assert inside["ci_high"] < 0  # the gap is found, not just covered
    assert table.loc["perempuan_x_instansi", "ci_low"] <= planted <= table.loc["perempuan_x_instansi", "ci_high"]
    assert table.loc["perempuan", "ci_low"] <= 0 <= table.loc["perempuan", "ci_high"]  # none outside
    # The within-instansi row is the sum of the two coefficients, with their covariance.
    both = table.loc["perempuan", "estimate"] + table.loc["perempuan_x_instansi", "estimate"]
    assert inside["estimate"] == pytest.approx(both)
    assert inside["odds_ratio"] == pytest.approx(np.exp(both))


def test_nested_models_and_lr_tests_against_independent_fits(design) -> None:
    merit, seniority = ("skor_kompetensi", "skor_potensi"), ("masa_kerja_tahun", "usia_tahun")
    result = merit_vs_seniority(design, merit=merit, seniority=seniority, n_boot=0)
    choices = prepare_choices(design, terms=merit + seniority)
    ll = {name: clogit_newton(choices.y, choices.x[:, cols], choices.starts)[1]
          for name, cols in (("merit_only", [0, 1]), ("seniority_only", [2, 3]), ("both", [0, 1, 2, 3]))}  # fmt: skip
    models = result.models.set_index("model")
    for name, value in ll.items():
        assert models.loc[name, "log_likelihood"] == pytest.approx(value, rel=1e-7)
    sizes = design.groupby("seleksi_id").size()
    assert models["null_log_likelihood"].iloc[0] == pytest.approx(-np.log(sizes).sum())
    tests = result.tests.set_index("comparison")
    lr = 2 * (ll["both"] - ll["merit_only"])
    assert tests.loc["seniority beyond merit", "lr_stat"] == pytest.approx(lr, rel=1e-6)
    assert tests.loc["seniority beyond merit", "p_value"] == pytest.approx(stats.chi2.sf(lr, 2), rel=1e-5)
    assert tests.loc["seniority beyond merit", "p_value"] < 0.001  # the planted seniority tilt
    assert tests.loc["merit beyond seniority", "p_value"] < 0.001


def test_shares_are_shapley_values_that_add_up(design) -> None:
    result = merit_vs_seniority(design, n_boot=50, seed=3)
    models = result.models.set_index("model")["log_likelihood"]
    ll0 = result.models["null_log_likelihood"].iloc[0]
    shares = result.shares.set_index("block")
    merit_shapley = ((models["merit_only"] - ll0) + (models["both"] - models["seniority_only"])) / 2
    assert shares.loc["merit", "shapley"] == pytest.approx(merit_shapley)
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares["shapley"].sum() == pytest.approx(models["both"] - ll0)
    for block in ("merit", "seniority"):
        assert shares.loc[block, "ci_low"] < shares.loc[block, "share"] < shares.loc[block, "ci_high"]
    again = merit_vs_seniority(design, n_boot=50, seed=3)
    pd.testing.assert_frame_equal(result.shares, again.shares)
    text = result.summary()
    assert "Seniority still matters once merit is accounted for" in text
    assert "not proof" in text
    assert set(result.table()["term"]) == set(result.coefficients["term"])


def test_bad_blocks_are_refused(design) -> None:
    with pytest.raises(InvalidOptionError, match="no term in both"):
        merit_vs_seniority(design, merit=("skor_potensi",), seniority=("skor_potensi", "usia_tahun"))
    with pytest.raises(InvalidOptionError, match="n_boot"):
        merit_vs_seniority(design, n_boot=-1)
