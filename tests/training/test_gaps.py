"""Coverage gaps: units whose whole JP-compliance interval lies below the threshold, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis import load_dataset, paths, training
from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError
from kinerja_analysis.training.gaps import coverage_gaps


def _units() -> pd.DataFrame:
    return pd.DataFrame({"unit_id": ["A", "B", "C", "D"], "nama_unit": ["a", "b", "c", "d"], "sektor": "s"})


def test_only_units_wholly_below_are_listed_worst_first():
    compliance = pd.DataFrame({
        "unit_id": ["A", "B", "C", "D", "A"],
        "status": ["pns", "pns", "pns", "pns", "pppk"],
        "n": [20, 30, 12, 15, 5],
        "estimate": [0.2, 0.6, 0.1, 0.3, 0.0],
        "ci_low": [0.08, 0.42, 0.02, 0.15, 0.0],
        "ci_high": [0.42, 0.75, 0.38, 0.5, 0.43],  # D touches 0.5: not wholly below
    })  # fmt: skip
    out = coverage_gaps(compliance, _units(), threshold=0.5)
    assert out["unit_id"].tolist() == ["C", "A"] and out["nama_unit"].tolist() == ["c", "a"]
    assert (out["threshold"] == 0.5).all()
    assert coverage_gaps(compliance, _units(), threshold=0.3).empty


def test_suppressed_rows_are_never_listed_and_bad_input_is_named():
    compliance = pd.DataFrame({"unit_id": ["A"], "n": [pd.NA], "estimate": [float("nan")],
                               "ci_low": [float("nan")], "ci_high": [float("nan")]})  # fmt: skip
    assert coverage_gaps(compliance, _units()).empty
    with pytest.raises(MissingColumnError, match="ci_high"):
        coverage_gaps(compliance.drop(columns="ci_high"), _units())
    with pytest.raises(InvalidOptionError):
        coverage_gaps(compliance, _units(), threshold=1.5)


def test_demo_gaps_agree_with_an_independent_wilson_interval():
    from statsmodels.stats.proportion import proportion_confint

    data = load_dataset(paths.demo_data_dir())
    compliance = training.jp_compliance(data.pelatihan, data.pegawai, unit_kerja=data.unit_kerja, by=("unit_id",),
                                        years=(2024, 2024))  # fmt: skip
    pns = compliance[compliance["status"] == "pns"]
    _, high = proportion_confint(pns["n_reached"], pns["n"], method="wilson")
    expected = set(pns.loc[high < 0.5, "unit_id"].astype(str))
    assert set(coverage_gaps(compliance, data.unit_kerja, threshold=0.5)["unit_id"]) == expected
    by_default = set(pns.loc[high < 0.8, "unit_id"].astype(str))
    assert by_default and set(coverage_gaps(compliance, data.unit_kerja)["unit_id"]) == by_default
