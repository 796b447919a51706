"""XmR charts per group and their signal summary, against limits worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.common.errors import MissingColumnError
from kinerja_analysis.service import monitoring


def _series() -> pd.DataFrame:
    # Unit A: 10, 12, 10, 12, 30 -> baseline (first four) mean 11, moving ranges 2, 2, 2 -> median MR 2;
    # robust limits 11 +- 3.145 * 2 = [4.71, 17.29]; 30 is above. Unit B: constant 5 -> MR 0, no signal.
    return pd.DataFrame(
        {"unit_id": ["A"] * 5 + ["B"] * 5, "t": list(range(5)) * 2, "estimate": [10, 12, 10, 12, 30] + [5] * 5}
    )


def test_xmr_per_group_uses_each_groups_own_baseline():
    charts = monitoring.xmr_by_group(_series(), by="unit_id", time="t", baseline_until=3)
    a = charts[charts.unit_id == "A"]
    assert a["centre"].iloc[0] == pytest.approx(11)
    assert a["lcl"].iloc[0] == pytest.approx(11 - 3.145 * 2)
    assert a["ucl"].iloc[0] == pytest.approx(11 + 3.145 * 2)
    assert a["signal"].tolist() == ["", "", "", "", "above"]
    assert a["in_baseline"].tolist() == [True, True, True, True, False]
    assert (charts[charts.unit_id == "B"]["signal"] == "").all()


def test_signal_summary_counts_and_orders_units():
    charts = monitoring.xmr_by_group(_series(), by="unit_id", time="t", baseline_until=3)
    out = monitoring.signal_summary(charts, by="unit_id", time="t")
    assert out["unit_id"].tolist() == ["A", "B"]
    assert out[["points", "signals", "above", "below"]].values.tolist() == [[5, 1, 1, 0], [5, 0, 0, 0]]
    assert out.loc[0, "first_signal"] == 4 and pd.isna(out.loc[1, "first_signal"])


def test_missing_columns_are_named():
    with pytest.raises(MissingColumnError, match="bulan"):
        monitoring.xmr_by_group(_series(), by="unit_id", time="bulan")


def test_a_period_with_nothing_to_measure_is_left_out_not_fatal():
    series = _series()
    series.loc[len(series)] = {"unit_id": "B", "t": 5, "estimate": float("nan")}
    charts = monitoring.xmr_by_group(series, by="unit_id", time="t")
    assert len(charts[charts.unit_id == "B"]) == 5 and charts["value"].notna().all()
