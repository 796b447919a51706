"""Staggered DiD: bad input is refused with the units named, or dropped on request; inference options.

Expected values are computed here independently: by hand from group means on tiny panels, or by fitting
the same estimator on data filtered by hand (what ``incomplete="drop"`` must be equivalent to).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.training.did.staggered import staggered_att, staggered_did

MPDTA = Path(__file__).resolve().parents[2] / "fixtures" / "mpdta.csv"
ARGS = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(MPDTA)


def _simple(data: pd.DataFrame, **kw) -> pd.Series:
    return staggered_att(data, **{**ARGS, **kw}).iloc[0]


# --- hand-computed values -------------------------------------------------------------------------


def tiny_panel() -> pd.DataFrame:
    """Six units, two years: units 1-2 trained in 2021, units 3-6 never."""
    y2020 = [1.0, 2.0, 0.0, 1.0, 2.0, 3.0]
    y2021 = [4.0, 4.0, 1.0, 1.0, 3.0, 5.0]
    return pd.DataFrame({
        "nip": np.repeat(np.arange(1, 7), 2), "tahun": np.tile([2020, 2021], 6),
        "cohort": np.repeat([2021, 2021, 0, 0, 0, 0], 2),
        "y": np.ravel(np.column_stack([y2020, y2021])),
    })  # fmt: skip


def test_two_by_two_by_hand() -> None:
    # changes: treated 3, 2 (mean 2.5); controls 1, 0, 1, 2 (mean 1); ATT = 1.5
    # SE = sqrt(SS_t / n_t^2 + SS_c / n_c^2) = sqrt(0.5 / 4 + 2 / 16) = sqrt(0.25) = 0.5
    table = staggered_did(tiny_panel(), outcome="y", unit="nip", time="tahun", cohort="cohort").table()
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["group"], row["time"], row["event_time"]) == (2021, 2021, 0)
    assert row["estimate"] == pytest.approx(1.5, abs=1e-12)
    assert row["std_error"] == pytest.approx(0.5, abs=1e-12)
    assert row["ci_low"] == pytest.approx(1.5 - 1.959963984540054 * 0.5, abs=1e-9)
    assert row["n_treated"] == 2


def test_input_is_not_modified(mpdta: pd.DataFrame) -> None:
    before = mpdta.copy()
    staggered_att(mpdta, **ARGS, covariates=["lpop"], aggregate="dynamic")
    pd.testing.assert_frame_equal(mpdta, before)


def test_categorical_covariate_is_dummy_coded(mpdta: pd.DataFrame) -> None:
    # a text covariate with two levels gives the same fit as its 0/1 indicator
    data = mpdta.assign(big=np.where(mpdta["lpop"] > 3.5, "besar", "kecil"))
    text = _simple(data, covariates=["big"], method="reg")
    numeric = _simple(data.assign(big=(data["big"] == "kecil").astype(float)), covariates=["big"], method="reg")
    assert text["estimate"] == pytest.approx(numeric["estimate"], abs=1e-12)
    assert text["std_error"] == pytest.approx(numeric["std_error"], abs=1e-12)


# --- bad input --------------------------------------------------------------------------------------


def test_cohort_that_is_not_a_period_is_refused(mpdta: pd.DataFrame) -> None:
    data = mpdta.astype({"first.treat": "float64"})
    data.loc[data["countyreal"] == 8001, "first.treat"] = 2005.5
    with pytest.raises(KinerjaDataError, match="whole numbers"):
        _simple(data)
    data.loc[data["countyreal"] == 8001, "first.treat"] = 2010
    with pytest.raises(KinerjaDataError, match=r"not periods in the data.*8001.*recode them to 0"):
        _simple(data, incomplete="drop")


def test_cohort_between_periods_is_refused(mpdta: pd.DataFrame) -> None:
    data = mpdta.loc[mpdta["year"] != 2005]  # 2005 is no longer a period, but no cohort starts then
    _simple(data)
    data = data.assign(**{"first.treat": data["first.treat"].replace(2006, 2005)})
    with pytest.raises(KinerjaDataError, match=r"first treated periods 2005 that are not periods"):
        _simple(data)


def test_unit_treated_before_the_first_period(mpdta: pd.DataFrame) -> None:
    data = mpdta.copy()
    early = data["countyreal"].isin([8001, 8019])
    data.loc[early, "first.treat"] = 2001
    with pytest.raises(KinerjaDataError, match=r"2 units first treated in or before the first period 2003.*8001"):
        _simple(data)
    dropped = _simple(data, incomplete="drop")
    expected = _simple(mpdta.loc[~early])
    assert dropped["estimate"] == pytest.approx(expected["estimate"], abs=1e-12)
    assert dropped["std_error"] == pytest.approx(expected["std_error"], abs=1e-12)
    assert "2 units first treated in or before" in dropped["method"]


def test_unbalanced_panel(mpdta: pd.DataFrame) -> None:
    data = mpdta.drop(index=mpdta.index[(mpdta["countyreal"] == 8001) & (mpdta["year"] == 2005)])
    with pytest.raises(KinerjaDataError, match=r"1 units not observed in all 5 periods \(an unbalanced panel\): 8001"):
        _simple(data)
    dropped = _simple(data, incomplete="drop")
    expected = _simple(mpdta.loc[mpdta["countyreal"] != 8001])
    assert dropped["estimate"] == pytest.approx(expected["estimate"], abs=1e-12)
    assert "1 units not observed in all 5 periods" in dropped["method"]


def test_outcome_with_missing_values(mpdta: pd.DataFrame) -> None:
    data = mpdta.copy()
    data.loc[(data["countyreal"] == 8019) & (data["year"] == 2004), "lemp"] = np.nan
    with pytest.raises(KinerjaDataError, match=r"1 units with a missing 'lemp' in some period: 8019, rows 6"):
        _simple(data)
    dropped = _simple(data, incomplete="drop")
    expected = _simple(mpdta.loc[mpdta["countyreal"] != 8019])
    assert dropped["estimate"] == pytest.approx(expected["estimate"], abs=1e-12)
    data.loc[(data["countyreal"] == 8019) & (data["year"] == 2004), ["lemp", "lpop"]] = [1.0, np.nan]
    with pytest.raises(KinerjaDataError, match="missing 'lemp' or covariate"):
        _simple(data, covariates=["lpop"])


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        (lambda d: d.assign(**{"first.treat": np.where(d["year"] == 2007, 0, d["first.treat"])}), "changes for"),
        (lambda d: pd.concat([d, d.iloc[:1]]), r"appear more than once, e.g. \[\(8001, 2003\)\]"),
        (lambda d: d.assign(**{"first.treat": 0}), "no unit is ever treated"),
        (lambda d: d.assign(countyreal=np.where(d.index == 3, np.nan, d["countyreal"])), "unit.*missing in 1 rows"),
    ],
)
def test_other_bad_panels(mpdta: pd.DataFrame, change, pattern: str) -> None:
    with pytest.raises(KinerjaDataError, match=pattern):
        _simple(change(mpdta))


def test_missing_column_and_bad_options(mpdta: pd.DataFrame) -> None:
    with pytest.raises(MissingColumnError, match="'umur'"):
        _simple(mpdta, covariates=["umur"])
    for option in ({"control": "nevertreated"}, {"method": "ols"}, {"aggregate": "event"}, {"incomplete": "skip"}):
        with pytest.raises(InvalidOptionError, match="choose one of"):
            _simple(mpdta, **option)
    with pytest.raises(InvalidOptionError, match="needs bootstrap"):
        _simple(mpdta, band="uniform")
    with pytest.raises(InvalidOptionError, match="at least 100"):
        _simple(mpdta, bootstrap=10)


def test_no_never_treated_units(mpdta: pd.DataFrame) -> None:
    data = mpdta.loc[mpdta["first.treat"] > 0]
    with pytest.raises(KinerjaDataError, match="no never-treated comparison group"):
        _simple(data)
    # R: drop periods from the last cohort (2007) on, use that cohort as the comparison. By hand: the same
    # as recoding cohort 2007 to 0 and keeping 2003-2006.
    row = _simple(data, control="not_yet_treated")
    recoded = data.loc[data["year"] < 2007].assign(**{"first.treat": data["first.treat"].replace(2007, 0)})
    expected = _simple(recoded, control="not_yet_treated")
    assert row["estimate"] == pytest.approx(expected["estimate"], abs=1e-12)
    assert "cohort 2007 used as comparison" in row["method"]


# --- inference options ------------------------------------------------------------------------------


def test_bootstrap_is_seeded_and_close_to_analytic(mpdta: pd.DataFrame) -> None:
    fit = staggered_did(mpdta, **ARGS)
    analytic = fit.table("dynamic")
    boot = fit.table("dynamic", bootstrap=2000, seed=7)
    pd.testing.assert_frame_equal(boot, fit.table("dynamic", bootstrap=2000, seed=7))
    assert not np.allclose(boot["std_error"], fit.table("dynamic", bootstrap=2000, seed=8)["std_error"])
    np.testing.assert_allclose(boot["estimate"], analytic["estimate"])
    np.testing.assert_allclose(boot["std_error"], analytic["std_error"], rtol=0.12)
    assert "multiplier bootstrap" in boot["method"].iloc[0]


def test_uniform_band_is_wider_and_overall_row_pointwise(mpdta: pd.DataFrame) -> None:
    fit = staggered_did(mpdta, **ARGS)
    point = fit.table("dynamic", bootstrap=999, seed=1)
    band = fit.table("dynamic", bootstrap=999, seed=1, band="uniform")
    rows = ~band["overall"]
    width_point = (point["ci_high"] - point["ci_low"])[rows]
    width_band = (band["ci_high"] - band["ci_low"])[rows]
    assert (width_band > width_point * 1.05).all()
    overall = band["overall"]
    np.testing.assert_allclose(band.loc[overall, "ci_high"], point.loc[overall, "ci_high"])


def test_clustering_by_unit_changes_nothing_and_bootstrap_by_cluster(mpdta: pd.DataFrame) -> None:
    data = mpdta.assign(same=mpdta["countyreal"], state=mpdta["countyreal"] // 1000)
    plain = staggered_did(data, **ARGS).table()
    by_unit = staggered_did(data, **ARGS, cluster="same").table()
    np.testing.assert_allclose(by_unit["std_error"], plain["std_error"], rtol=1e-12)
    clustered = staggered_did(data, **ARGS, cluster="state")
    boot = clustered.table("simple", bootstrap=2000, seed=3)
    assert boot["std_error"].iloc[0] == pytest.approx(clustered.table("simple")["std_error"].iloc[0], rel=0.15)
    assert "clustered (" in boot["method"].iloc[0]
    with pytest.raises(KinerjaDataError, match="same in every row of a unit"):
        staggered_did(data.assign(state=np.arange(len(data))), **ARGS, cluster="state")


def test_summary_and_pretrend_on_fit(mpdta: pd.DataFrame) -> None:
    fit = staggered_did(mpdta, **ARGS)
    text = fit.summary()
    assert "overall ATT (simple) -0.03995" in text and "p = 0.1681" in text


def test_pretrend_note_flags_thin_cells() -> None:
    rng = np.random.default_rng(3)
    n, years = 200, np.arange(2019, 2024)
    cohort = np.where(np.arange(n) < 3, 2022, 0)  # three treated units
    panel = pd.DataFrame({
        "nip": np.repeat(np.arange(n), 5), "tahun": np.tile(years, n), "cohort": np.repeat(cohort, 5),
        "y": rng.normal(size=5 * n),
    })  # fmt: skip
    row = staggered_did(panel, outcome="y", unit="nip", time="tahun", cohort="cohort").pretrend_test().iloc[0]
    assert row["df"] == 2 and "2 of the cells rest on fewer than 10 treated units" in row["note"]
