"""feedback_to_appraisal: a planted within-unit slope is recovered, and the numbers equal statsmodels' own
OLS with unit and year dummies (formula interface, built here) with errors clustered by unit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.feedback import ECOLOGICAL_NOTE
from kinerja_analysis.supervision import ASSOCIATION_COLUMNS, feedback_to_appraisal

SLOPE = 0.01


def planted(n_units: int = 10, years: range = range(2022, 2028), seed: int = 7) -> pd.DataFrame:
    """top_share = unit effect + year effect + 0.01 x ikm + noise; units with a higher mean IKM rate
    *less* generously (unit effect -0.02 x mean IKM), so a regression without unit effects finds a
    negative slope and fails the test."""
    rng = np.random.default_rng(seed)
    unit_mean = rng.uniform(70, 86, n_units)
    year_shift = dict(zip(years, rng.normal(0, 1.5, len(years)), strict=True))
    year_effect = dict(zip(years, rng.normal(0, 0.02, len(years)), strict=True))
    rows = []
    for u, m in enumerate(unit_mean):
        for t in years:
            ikm = m + year_shift[t] + rng.normal(0, 3.0)
            share = 0.9 - 0.02 * m + year_effect[t] + SLOPE * ikm + rng.normal(0, 0.01)
            rows.append({"unit_id": f"U{u:02d}", "tahun": t, "ikm": ikm, "top_share": share})
    return pd.DataFrame(rows)


def reference(data: pd.DataFrame, y: str, x: str, alpha: float = 0.05):
    fit = smf.ols(f"{y} ~ {x} + C(unit_id) + C(tahun)", data=data).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(data["unit_id"])[0]}, use_t=True
    )
    low, high = fit.conf_int(alpha=alpha).loc[x]
    return fit.params[x], fit.bse[x], low, high, fit.pvalues[x]


def test_planted_slope_is_inside_the_interval_and_pooled_ols_would_miss_it():
    data = planted()
    row = feedback_to_appraisal(data).iloc[0]
    assert row["ci_low"] <= SLOPE <= row["ci_high"]
    assert abs(row["estimate"] - SLOPE) < 0.004
    pooled = np.polyfit(data["ikm"], data["top_share"], 1)[0]  # ignores the unit effects: far off
    assert not row["ci_low"] <= pooled <= row["ci_high"]
    assert (row["n"], row["n_units"], row["n_years"]) == (60, 10, 6)
    assert row["response_mean"] == pytest.approx(data["top_share"].mean(), rel=1e-12)


def test_equals_statsmodels_formula_with_dummies_and_unit_clusters():
    data = planted(n_units=7, seed=11)
    row = feedback_to_appraisal(data, alpha=0.1).iloc[0]
    estimate, se, low, high, p = reference(data, "top_share", "ikm", alpha=0.1)
    assert row["estimate"] == pytest.approx(estimate, abs=1e-8)
    assert row["std_error"] == pytest.approx(se, abs=1e-8)
    assert row["ci_low"] == pytest.approx(low, abs=1e-8) and row["ci_high"] == pytest.approx(high, abs=1e-8)
    assert row["p_value"] == pytest.approx(p, abs=1e-8)


def test_cluster_error_matches_the_cr1_sandwich_written_out():
    data = planted(n_units=6, years=range(2022, 2026), seed=3)
    row = feedback_to_appraisal(data).iloc[0]
    design = pd.get_dummies(data[["unit_id", "tahun"]].astype(str), drop_first=True, dtype=float)
    x = np.column_stack([data["ikm"], np.ones(len(data)), design])
    beta, *_ = np.linalg.lstsq(x, data["top_share"].to_numpy(), rcond=None)
    e = data["top_share"].to_numpy() - x @ beta
    bread = np.linalg.inv(x.T @ x)
    meat = sum(np.outer(x[g].T @ e[g], x[g].T @ e[g]) for g in data.groupby("unit_id").indices.values())
    n, k, g = len(data), x.shape[1], data["unit_id"].nunique()
    vcov = bread @ meat @ bread * g / (g - 1) * (n - 1) / (n - k)
    assert row["estimate"] == pytest.approx(beta[0], abs=1e-10)
    assert row["std_error"] == pytest.approx(np.sqrt(vcov[0, 0]), abs=1e-10)


def test_lag_one_uses_the_previous_years_signal():
    data = planted(seed=5).sort_values(["unit_id", "tahun"])
    rng = np.random.default_rng(1)
    data["sla_share"] = 0.5 + 0.02 * data.groupby("unit_id")["ikm"].shift(1).fillna(80) + rng.normal(0, 0.01, len(data))
    both = feedback_to_appraisal(data, response="sla_share", lag=[0, 1])
    assert both["lag"].tolist() == [0, 1]
    lagged = both.iloc[1]
    ref = data.assign(ikm_prev=data.groupby("unit_id")["ikm"].shift(1)).dropna(subset=["ikm_prev"])
    estimate, se, *_ = reference(ref, "sla_share", "ikm_prev")
    assert lagged["estimate"] == pytest.approx(estimate, abs=1e-8) and lagged["std_error"] == pytest.approx(
        se, abs=1e-8
    )
    assert lagged["n"] == 50 and lagged["ci_low"] <= 0.02 <= lagged["ci_high"]
    assert "previous year" in lagged["method"]


def test_a_missing_year_is_not_bridged_by_the_lag():
    data = planted(n_units=4, years=range(2022, 2026))
    gap = data.loc[~((data["unit_id"] == "U00") & (data["tahun"] == 2023))]
    row = feedback_to_appraisal(gap, lag=1).iloc[0]
    # lagged rows: 4 units x 3 years = 12; U00 loses 2023 (no row) and 2024 (no 2023 signal)
    assert row["n"] == 10


def test_two_units_give_nan_and_a_note():
    data = planted(n_units=2)
    row = feedback_to_appraisal(data).iloc[0]
    assert np.isnan(row["estimate"]) and np.isnan(row["std_error"]) and np.isnan(row["p_value"])
    assert row["n_units"] == 2 and "at least 3" in row["note"]


def test_no_within_unit_variation_gives_nan_and_a_note():
    data = planted(n_units=5)
    data["ikm"] = data.groupby("unit_id")["ikm"].transform("mean")  # constant within each unit
    row = feedback_to_appraisal(data).iloc[0]
    assert np.isnan(row["estimate"]) and "no within-unit variation" in row["note"]
    one_year = planted(n_units=5, years=range(2024, 2025))
    row = feedback_to_appraisal(one_year).iloc[0]
    assert np.isnan(row["estimate"]) and "one year" in row["note"]


def test_rows_with_missing_values_are_left_out_and_input_is_untouched():
    data = planted(n_units=5)
    data.loc[[0, 7], "top_share"] = np.nan
    before = data.copy()
    row = feedback_to_appraisal(data).iloc[0]
    assert row["n"] == len(data) - 2
    pd.testing.assert_frame_equal(data, before)


def test_columns_pairs_and_method():
    data = planted(n_units=4).assign(complaints_per_1000=lambda d: 80 - d["ikm"] / 2)
    out = feedback_to_appraisal(data, signal=["ikm", "complaints_per_1000"], response=["top_share", "ikm"])
    assert tuple(out.columns) == ASSOCIATION_COLUMNS
    # the pair ikm ~ ikm is skipped
    assert list(zip(out["signal"], out["response"], strict=True)) == [
        ("ikm", "top_share"), ("complaints_per_1000", "top_share"), ("complaints_per_1000", "ikm")]  # fmt: skip
    method = out["method"].iloc[0]
    assert ECOLOGICAL_NOTE in method and "clustered by unit" in method and "2022-2027" in method
    assert "fixed effects" in method and "observational" in method


def test_errors_name_the_problem():
    data = planted(n_units=4)
    with pytest.raises(MissingColumnError, match="complaints_per_1000"):
        feedback_to_appraisal(data, signal="complaints_per_1000")
    with pytest.raises(InvalidOptionError, match="lag"):
        feedback_to_appraisal(data, lag=2)
    with pytest.raises(InvalidOptionError, match="lag"):
        feedback_to_appraisal(data, lag=True)
    with pytest.raises(KinerjaDataError, match="more than one row"):
        feedback_to_appraisal(pd.concat([data, data.head(1)]))
    with pytest.raises(KinerjaDataError, match="not numeric"):
        feedback_to_appraisal(data.assign(ikm="tinggi"))
    with pytest.raises(InvalidOptionError, match="alpha"):
        feedback_to_appraisal(data, alpha=0.7)
