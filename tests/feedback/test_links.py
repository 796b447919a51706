"""The feedback namespace and unit_links: tables side by side, nothing recomputed, the caveat attached."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import feedback
from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.feedback import ECOLOGICAL_NOTE, unit_links

ITEMS = [f"u{i}" for i in range(1, 10)]


@pytest.fixture
def ikm_table() -> pd.DataFrame:
    rows = [[4] * 9, [3] * 9, [3] * 9, [2] * 9, [4] * 9, [4] * 9]
    s = pd.DataFrame(rows, columns=ITEMS)
    s["unit_id"] = ["A", "A", "B", "B", "C", "C"]
    s["tahun"] = 2024
    return feedback.ikm(s, by=("unit_id", "tahun"))


def test_namespace_exports_every_public_function():
    for name in feedback.__all__:
        assert hasattr(feedback, name), name
    assert callable(feedback.ikm) and callable(feedback.complaint_resolution)


def test_long_kpi_table_is_pivoted_and_values_pass_through(ikm_table):
    kpi = pd.DataFrame({
        "unit_id": ["A", "A", "B", "B"], "tahun": [2024] * 4, "kpi": ["sla", "q50"] * 2,
        "n": [10, 10, 20, 20], "estimate": [0.9, 2.0, 0.7, 3.0], "ci_low": [0.6, 1.0, 0.5, 2.0],
        "method": "x",
    })  # fmt: skip
    training = pd.DataFrame({"unit_id": ["A", "C"], "tahun": ["2024", "2024"], "coverage_20jp": [0.8, 0.5]})
    r = unit_links(ikm_table, kpi=kpi, training=training).set_index("unit_id")
    # A: answers all 4 and all 3 -> 87.5; B: 3 and 2 -> 62.5; C: 100
    assert r["ikm"].tolist() == [87.5, 62.5, 100.0] and r["mutu"].tolist() == ["B", "D", "A"]
    assert r.loc["A", "kpi_sla"] == 0.9 and r.loc["B", "kpi_q50"] == 3.0
    assert np.isnan(r.loc["C", "kpi_sla"])  # no KPI row for C: missing, not dropped
    assert r.loc["A", "training_coverage_20jp"] == 0.8 and np.isnan(r.loc["B", "training_coverage_20jp"])
    assert (r["note"] == ECOLOGICAL_NOTE).all() and "ecological" in ECOLOGICAL_NOTE
    assert r["ikm_n"].tolist() == [2, 2, 2]


def test_wide_kpi_table_gets_a_prefix(ikm_table):
    kpi = pd.DataFrame({"unit_id": ["A", "B", "C"], "tahun": [2024] * 3, "sla": [0.9, 0.8, 0.7], "method": "m"})
    r = unit_links(ikm_table, kpi=kpi)
    assert "kpi_sla" in r.columns and "kpi_method" not in r.columns


def test_bad_tables(ikm_table):
    twice = pd.DataFrame({"unit_id": ["A", "A"], "tahun": [2024, 2024], "sla": [0.9, 0.8]})
    with pytest.raises(KinerjaDataError, match="more than one row"):
        unit_links(ikm_table, kpi=twice)
    with pytest.raises(MissingColumnError, match="tahun"):
        unit_links(ikm_table, training=pd.DataFrame({"unit_id": ["A"], "coverage": [0.5]}))
    with pytest.raises(MissingColumnError, match="ikm"):
        unit_links(ikm_table.drop(columns="mutu"))
    before = ikm_table.copy()
    unit_links(ikm_table)
    pd.testing.assert_frame_equal(ikm_table, before)
