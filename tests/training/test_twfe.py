"""TWFE and event-study TWFE (pyfixest) against statsmodels dummy regressions, and the bias they carry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError
from kinerja_analysis.training.did.staggered import staggered_att
from kinerja_analysis.training.twfe import twfe_att, twfe_event_study

MPDTA = Path(__file__).resolve().parents[1] / "fixtures" / "mpdta.csv"
ARGS = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    data = pd.read_csv(MPDTA)
    return data.assign(D=((data["first.treat"] > 0) & (data["year"] >= data["first.treat"])).astype(float))


@pytest.fixture(scope="module")
def small(mpdta: pd.DataFrame) -> pd.DataFrame:
    """Every third county (all cohorts present), so that dummy regressions stay quick."""
    counties = np.unique(mpdta["countyreal"])[::3]
    return mpdta.loc[mpdta["countyreal"].isin(counties)].reset_index(drop=True)


@pytest.fixture(scope="module")
def dummies(small: pd.DataFrame):
    """OLS with unit and year dummies; statsmodels' cluster correction is G/(G-1) (N-1)/(N-K), K all parameters."""
    return smf.ols("lemp ~ D + C(countyreal) + C(year)", small).fit(
        cov_type="cluster", cov_kwds={"groups": small["countyreal"]}
    )


def test_static_twfe_on_mpdta(mpdta: pd.DataFrame) -> None:
    # the TWFE value usually quoted for mpdta beside Callaway-Sant'Anna's -0.04
    assert twfe_att(mpdta, **ARGS).iloc[0]["estimate"] == pytest.approx(-0.0365, abs=5e-5)


def test_static_twfe_matches_dummy_regression(small: pd.DataFrame, dummies) -> None:
    mpdta = small
    n, k_full, periods = len(mpdta), int(dummies.df_model) + 1, mpdta["year"].nunique()
    full = twfe_att(mpdta, **ARGS, k_fixef="full").iloc[0]
    assert full["estimate"] == pytest.approx(dummies.params["D"], abs=1e-10)
    assert full["std_error"] == pytest.approx(dummies.bse["D"], rel=1e-8)
    # the other settings change only K in (N-1)/(N-K): none counts the slope, nonnested adds the period effects
    none = twfe_att(mpdta, **ARGS, k_fixef="none").iloc[0]
    assert none["std_error"] == pytest.approx(dummies.bse["D"] * np.sqrt((n - k_full) / (n - 1)), rel=1e-8)
    nested = twfe_att(mpdta, **ARGS).iloc[0]
    assert nested["std_error"] == pytest.approx(dummies.bse["D"] * np.sqrt((n - k_full) / (n - 1 - periods)), rel=1e-8)
    assert "k_fixef='nonnested'" in nested["method"] and nested["n"] == n


def test_event_study_matches_dummy_regression(small: pd.DataFrame) -> None:
    mpdta = small
    table = twfe_event_study(mpdta, **ARGS, k_fixef="full").set_index("event_time")
    event = np.where(mpdta["first.treat"] > 0, mpdta["year"] - mpdta["first.treat"], -99)
    data = mpdta.copy()
    terms = []
    for e in sorted(set(event[event > -99]) - {-1}):
        name = f"e{'m' if e < 0 else 'p'}{abs(e)}"
        data[name] = (event == e).astype(float)
        terms.append((e, name))
    fit = smf.ols(f"lemp ~ {' + '.join(n for _, n in terms)} + C(countyreal) + C(year)", data).fit(
        cov_type="cluster", cov_kwds={"groups": data["countyreal"]}
    )
    for e, name in terms:
        assert table.loc[e, "estimate"] == pytest.approx(fit.params[name], abs=1e-10)
        assert table.loc[e, "std_error"] == pytest.approx(fit.bse[name], rel=1e-8)
    assert table.loc[-1, "estimate"] == 0 and np.isnan(table.loc[-1, "std_error"])
    assert table.loc[0, "n"] == int((event == 0).sum())


def test_twfe_is_biased_where_staggered_att_is_not() -> None:
    """Effects grow with time since treatment: TWFE misses the truth, Callaway-Sant'Anna covers it."""
    rng = np.random.default_rng(5)
    n, years = 3000, np.arange(2019, 2026)
    cohort = rng.choice([0, 2020, 2022, 2024], size=n, p=[0.25, 0.25, 0.25, 0.25])
    tahun, g = np.tile(years, n), np.repeat(cohort, len(years))
    event = tahun - g
    effect = np.where((g > 0) & (event >= 0), -0.2 * (event + 1), 0.0)
    y = np.repeat(rng.normal(size=n), len(years)) + 0.1 * (tahun - 2019) + rng.normal(0, 0.5, n * len(years))
    panel = pd.DataFrame({"nip": np.repeat(np.arange(n), len(years)), "tahun": tahun, "cohort": g, "y": y + effect})
    truth = effect[(g > 0) & (event >= 0)].mean()
    args = dict(outcome="y", unit="nip", time="tahun", cohort="cohort")
    cs = staggered_att(panel, **args).iloc[0]
    twfe = twfe_att(panel, **args).iloc[0]
    assert cs["ci_low"] <= truth <= cs["ci_high"]
    assert not twfe["ci_low"] <= truth <= twfe["ci_high"]
    assert abs(twfe["estimate"] - truth) > 5 * abs(cs["estimate"] - truth)


def test_bad_input(mpdta: pd.DataFrame) -> None:
    with pytest.raises(MissingColumnError, match="'tahun'"):
        twfe_att(mpdta, outcome="lemp", unit="countyreal", time="tahun", cohort="first.treat")
    with pytest.raises(InvalidOptionError, match="choose one of"):
        twfe_att(mpdta, **ARGS, k_fixef="nested")
    with pytest.raises(Exception, match="reference"):
        twfe_event_study(mpdta, **ARGS, reference=-9)
