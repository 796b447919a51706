"""Completion curves, medians and outcome incidence on layanan tables, against lifelines and statsmodels.

The references get durations computed here with numpy.busday_count and the python-holidays calendar,
and the event/censoring flags from the rule "closed by as_of, else censored at the age on as_of".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times
from statsmodels.duration.survfunc import CumIncidenceRight

from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError
from kinerja_analysis.common.workdays import holiday_dates
from kinerja_analysis.data import schema
from kinerja_analysis.service.completion import completion_curve, completion_median, outcome_incidence

AS_OF = "2024-03-29"


def cases(seed: int, n: int = 1500, open_share: float = 0.15) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-02") + rng.integers(0, 85, n).astype("timedelta64[D]")
    still_open = rng.random(n) < open_share
    end = start + rng.poisson(5, n).astype("timedelta64[D]")
    status = np.where(still_open, "proses", rng.choice(["selesai", "ditolak", "dicabut"], n, p=[0.8, 0.12, 0.08]))
    return pd.DataFrame(
        {
            "berkas_id": pd.array([f"B{i:05d}" for i in range(n)], dtype="str"),
            "unit_id": pd.array(rng.choice(["U1", "U2", "U3"], n), dtype="str"),
            "tanggal_masuk": start.astype("datetime64[s]"),
            "tanggal_selesai": np.where(still_open, np.datetime64("NaT"), end).astype("datetime64[s]"),
            "standar_hari": pd.array(np.full(n, 3), dtype="Int64"),
            "status": pd.Categorical(status, categories=schema.STATUS_LAYANAN),
        }
    )


def reference(table: pd.DataFrame, as_of: str = AS_OF) -> pd.DataFrame:
    day = np.datetime64(as_of, "D")
    rows = table[table["tanggal_masuk"] <= pd.Timestamp(as_of)].copy()
    start = rows["tanggal_masuk"].to_numpy().astype("datetime64[D]")
    end = rows["tanggal_selesai"].to_numpy().astype("datetime64[D]")
    closed = (rows["status"].astype("str") != "proses").to_numpy() & (end <= day)
    rows["t"] = np.busday_count(start, np.where(closed, end, day), holidays=holiday_dates(2024, 2024))
    rows["cause"] = np.where(closed, rows["status"].map({"selesai": 1, "ditolak": 2, "dicabut": 3}).astype(float), 0)
    return rows


def test_completion_curve_matches_lifelines() -> None:
    table = cases(1)
    ref = reference(table)
    out = completion_curve(table, as_of=AS_OF)
    for unit, rows in ref.groupby("unit_id"):
        fitted = KaplanMeierFitter().fit(rows["t"], rows["cause"] > 0)
        mine = out[out["unit_id"] == unit]
        times = mine["hari"].to_numpy()
        np.testing.assert_allclose(mine["estimate"], 1 - fitted.survival_function_.loc[times].iloc[:, 0], atol=1e-12)
        band = fitted.confidence_interval_.loc[times].to_numpy()
        np.testing.assert_allclose(mine["ci_low"], 1 - band[:, 1], atol=1e-12)
        np.testing.assert_allclose(mine["ci_high"], 1 - band[:, 0], atol=1e-12)
        np.testing.assert_array_equal(mine["n_at_risk"], fitted.event_table.loc[times, "at_risk"])
        assert mine["n_censored"].sum() == (rows["cause"] == 0).sum()
        assert mine[["n_selesai", "n_ditolak", "n_dicabut"]].sum().tolist() == [
            int((rows["cause"] == c).sum()) for c in (1, 2, 3)
        ]


def test_completion_median_matches_lifelines() -> None:
    table = cases(2)
    ref = reference(table)
    out = completion_median(table, as_of=AS_OF).set_index("unit_id")
    for unit, rows in ref.groupby("unit_id"):
        fitted = KaplanMeierFitter().fit(rows["t"], rows["cause"] > 0)
        band = median_survival_times(fitted.confidence_interval_).iloc[0].to_numpy()
        assert out.loc[unit, "estimate"] == fitted.median_survival_time_
        assert [out.loc[unit, "ci_low"], out.loc[unit, "ci_high"]] == band.tolist()
        assert bool(out.loc[unit, "median_reached"]) and out.loc[unit, "note"] == ""
        assert out.loc[unit, ["n", "n_open"]].tolist() == [len(rows), int((rows["cause"] == 0).sum())]


def test_median_never_reached_is_reported_as_such() -> None:
    # Ten cases received Monday 4 March 2024; three closed the next day, seven still open on Friday 8 March.
    table = pd.DataFrame(
        {
            "berkas_id": pd.array([f"B{i}" for i in range(10)], dtype="str"),
            "unit_id": pd.array(["U9"] * 10, dtype="str"),
            "tanggal_masuk": pd.to_datetime(["2024-03-04"] * 10),
            "tanggal_selesai": pd.to_datetime(["2024-03-05"] * 3 + [None] * 7),
            "status": ["selesai"] * 3 + ["proses"] * 7,
        }
    )
    out = completion_median(table, as_of="2024-03-08").iloc[0]
    assert not out["median_reached"]
    assert np.isnan(out["estimate"]) and np.isnan(out["ci_high"])
    assert out["note"] == "median not reached: 30.0% closed by the last day observed"
    assert out[["n", "n_closed", "n_open"]].tolist() == [10, 3, 7]
    # lifelines agrees: no median; the lower band does cross 0.5 (at day 1), so the interval has a lower end.
    fitted = KaplanMeierFitter().fit([1] * 3 + [4] * 7, [1] * 3 + [0] * 7)
    assert np.isinf(fitted.median_survival_time_)
    band = median_survival_times(fitted.confidence_interval_).iloc[0].tolist()
    assert band[0] == out["ci_low"] == 1 and np.isinf(band[1])


def test_outcome_incidence_matches_statsmodels_and_adds_up() -> None:
    table = cases(3)
    ref = reference(table)
    out = outcome_incidence(table, as_of=AS_OF)
    curve = completion_curve(table, as_of=AS_OF)
    for unit, rows in ref.groupby("unit_id"):
        fitted = CumIncidenceRight(rows["t"].to_numpy(float), rows["cause"].to_numpy(int))
        mine = out[out["unit_id"] == unit]
        for k, name in enumerate(("selesai", "ditolak", "dicabut")):
            one = mine[mine["outcome"] == name].set_index("hari")
            at = one.loc[fitted.times]
            np.testing.assert_allclose(at["estimate"], fitted.cinc[k], atol=1e-12)
            np.testing.assert_allclose((at["ci_high"] >= at["estimate"]) & (at["ci_low"] <= at["estimate"]), True)
        # The three incidences add up to the share closed (1 - S) at every day.
        total = mine.groupby("hari")["estimate"].sum()
        closed = curve[curve["unit_id"] == unit].set_index("hari")["estimate"]
        np.testing.assert_allclose(total.loc[closed.index], closed, atol=1e-12)


def test_bad_options_and_columns() -> None:
    with pytest.raises(InvalidOptionError, match="alpha"):
        completion_curve(cases(4, n=20), alpha=2)
    with pytest.raises(MissingColumnError, match="kecamatan"):
        completion_median(cases(4, n=20), by="kecamatan")
    with pytest.raises(InvalidOptionError, match="'working', 'calendar'"):
        outcome_incidence(cases(4, n=20), day_basis="jam")
