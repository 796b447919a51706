"""ATT by subgroup: each level equals a fit on data filtered by hand; adjustments as statsmodels; demo truths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.training.did.staggered import staggered_att
from kinerja_analysis.training.heterogeneity import att_by_group
from kinerja_analysis.training.panel import PROGRAMME, employee_year_panel

MPDTA = Path(__file__).resolve().parents[1] / "fixtures" / "mpdta.csv"
ARGS = dict(outcome="lemp", unit="countyreal", time="year", cohort="first.treat")


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    data = pd.read_csv(MPDTA)
    state = data["countyreal"] // 1000
    provider = np.where(data["countyreal"] % 3 == 0, "BKN", np.where(data["countyreal"] % 3 == 1, "LAN", "BPSDM"))
    return data.assign(
        wilayah=np.where(state < 30, "barat", "timur"),
        provider=pd.Series(provider).where(data["first.treat"] > 0),  # a treatment attribute: none if never
    )


def test_unit_attribute_levels_are_separate_fits(mpdta: pd.DataFrame) -> None:
    table = att_by_group(mpdta, by="wilayah", **ARGS).set_index("level")
    for level in ("barat", "timur"):
        expected = staggered_att(mpdta.loc[mpdta["wilayah"] == level], **ARGS).iloc[0]
        assert table.loc[level, "estimate"] == pytest.approx(expected["estimate"], abs=1e-12)
        assert table.loc[level, "std_error"] == pytest.approx(expected["std_error"], abs=1e-12)
        assert table.loc[level, "n_treated"] == expected["n_treated"]


def test_treatment_attribute_levels_use_the_never_treated(mpdta: pd.DataFrame) -> None:
    table = att_by_group(mpdta, by="provider", attribute_of="treatment", **ARGS).set_index("level")
    assert list(table.index) == ["BKN", "BPSDM", "LAN"]
    for level in table.index:
        keep = (mpdta["provider"] == level) | (mpdta["first.treat"] == 0)
        expected = staggered_att(mpdta.loc[keep], **ARGS).iloc[0]
        assert table.loc[level, "estimate"] == pytest.approx(expected["estimate"], abs=1e-12)
        assert table.loc[level, "n_units"] == mpdta.loc[keep, "countyreal"].nunique()


@pytest.mark.parametrize("correction", ["holm", "fdr_bh"])
def test_adjusted_p_values_and_intervals(mpdta: pd.DataFrame, correction: str) -> None:
    table = att_by_group(mpdta, by="provider", attribute_of="treatment", correction=correction, **ARGS)
    p = 2 * stats.norm.sf(np.abs(table["estimate"] / table["std_error"]))
    np.testing.assert_allclose(table["p_value"], p)
    np.testing.assert_allclose(table["p_adjusted"], multipletests(p, alpha=0.05, method=correction)[1])
    m = len(table)
    rejected = int((multipletests(p, alpha=0.05, method=correction)[1] <= 0.05).sum())
    level = 0.05 / m if correction == "holm" else max(rejected, 1) * 0.05 / m
    z = stats.norm.ppf(1 - level / 2)
    np.testing.assert_allclose(table["ci_high"] - table["estimate"], z * table["std_error"])


def test_demo_truth_by_sector_and_provider() -> None:
    data = load_dataset(paths.demo_data_dir())
    truth = json.loads((paths.demo_data_dir() / "ground_truth.json").read_text(encoding="utf-8"))
    cases = truth["training_effect"]["case_processing_time"]
    panel = employee_year_panel(data, treatment=PROGRAMME)
    args = dict(outcome="hari_mean", unit="nip", time="tahun", cohort="cohort", incomplete="drop")
    sector = att_by_group(panel, by="sektor", **args).set_index("level")
    for entry in cases["by_sector"]:
        row = sector.loc[entry["sektor"]]
        assert row["ci_low"] <= entry["att"] <= row["ci_high"], entry
    # teachers handle no service cases: no estimate, and the note says why
    assert np.isnan(sector.loc["pendidikan", "estimate"]) and "no unit is left" in sector.loc["pendidikan", "note"]
    provider = att_by_group(panel, by="penyelenggara", attribute_of="treatment", **args).set_index("level")
    for entry in cases["by_provider"]:
        row = provider.loc[entry["provider"]]
        assert row["ci_low"] <= entry["att"] <= row["ci_high"], entry


def test_attribute_must_be_constant_within_unit(mpdta: pd.DataFrame) -> None:
    data = mpdta.assign(wilayah=np.where(mpdta["year"] == 2007, "baru", mpdta["wilayah"]))
    with pytest.raises(KinerjaDataError, match="constant within a unit"):
        att_by_group(data, by="wilayah", **ARGS)
