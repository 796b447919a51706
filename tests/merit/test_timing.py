"""Time to promotion: counting-process rows by hand, and the Cox fit against lifelines."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxTimeVaryingFitter
from pandas.errors import Pandas4Warning

from kinerja_analysis import Dataset, load_dataset, paths
from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.data import schema
from kinerja_analysis.merit.timing import TIMING_TERMS, promotion_intervals, promotion_timing

A, B = "198001012005011001", "198502022021012002"


def _cat(table: str, column: str, values: list) -> pd.Series:
    return pd.Series(values, dtype="object").astype(schema.category_dtype(table, column))


def _dates(values: list) -> pd.Series:
    return pd.Series(pd.to_datetime(values)).astype("datetime64[s]")


def tiny() -> Dataset:
    pegawai = pd.DataFrame({
        "nip": [A, B], "status": _cat("pegawai", "status", ["pns", "pns"]),
        "jenis_kelamin": _cat("pegawai", "jenis_kelamin", ["L", "P"]),
        "tanggal_lahir": _dates(["1980-01-01", "1985-02-02"]), "tmt_cpns": _dates(["2005-01-01", "2021-07-01"]),
        "unit_id": ["U1", "U1"], "tanggal_keluar": _dates([None, "2023-04-01"]),
    })  # fmt: skip
    kinerja = pd.DataFrame({
        "nip": [A], "tahun": pd.array([2021], dtype="Int64"), "periode": ["tahunan"],
        "nilai_skp": pd.array([95.0], dtype="Float64"), "nilai_perilaku": pd.array([95.0], dtype="Float64"),
    })  # fmt: skip
    seleksi = pd.DataFrame({
        "seleksi_id": ["S1", "S1"], "tanggal": _dates(["2022-07-01"] * 2), "jabatan_target": ["Lurah"] * 2,
        "jenis": _cat("seleksi", "jenis", ["promosi"] * 2), "nip": [A, B],
        "skor_kompetensi": pd.array([80, 70], dtype="Float64"), "skor_potensi": pd.array([70, 60], dtype="Float64"),
        "terpilih": pd.array([True, False], dtype="boolean"),
    })  # fmt: skip
    return Dataset(pegawai=pegawai, kinerja=kinerja, seleksi=seleksi)


def test_rows_by_hand() -> None:
    rows = promotion_intervals(tiny(), start=2021, end=2023).set_index(["nip", "tahun"])
    year = 365.2425
    # A: followed from 2021-01-01; promoted 2022-07-01 (day 546), then leaves the risk set.
    assert list(rows.loc[A].index) == [2021, 2022]
    assert rows.loc[(A, 2021), ["start", "stop", "event"]].tolist() == pytest.approx([0, 365 / year, 0])
    assert rows.loc[(A, 2022), ["start", "stop", "event"]].tolist() == pytest.approx([365 / year, 546 / year, 1])
    # The 2021 PP 46/2011 score of 95 (Sangat Baik) is known during 2022, not during 2021.
    assert rows.loc[(A, 2021), "pp46_sangat_baik"] == 0 and rows.loc[(A, 2022), "pp46_sangat_baik"] == 1
    assert rows.loc[(A, 2021), "penilaian_kosong"] == 1 and rows.loc[(A, 2022), "predikat_sangat_baik"] == 0
    # B: appointed 2021-07-01 (day 181), passed over in 2022, leaves on 2023-04-01 (day 820): censored.
    assert rows.loc[(B, 2021), "start"] == pytest.approx(181 / year)
    assert rows.loc[(B, 2023), ["stop", "event"]].tolist() == pytest.approx([820 / year, 0])
    assert rows["event"].sum() == 1
    assert rows.loc[(B, 2022), "masa_kerja_tahun"] == pytest.approx(184 / year)  # 2021-07-01 to 2022-01-01


@pytest.fixture(scope="module")
def intervals() -> pd.DataFrame:
    return promotion_intervals(load_dataset(paths.demo_data_dir()))


def _lifelines(intervals: pd.DataFrame) -> CoxTimeVaryingFitter:
    ctv = CoxTimeVaryingFitter()
    with warnings.catch_warnings():
        # lifelines 0.30 calls DataFrame.var positionally, which pandas 3 deprecates; not ours to fix.
        warnings.filterwarnings("ignore", "Starting with pandas version 4.0", Pandas4Warning)
        ctv.fit(intervals[["nip", "start", "stop", "event", *TIMING_TERMS]], id_col="nip", event_col="event",
                start_col="start", stop_col="stop")  # fmt: skip
    return ctv


def test_cox_matches_lifelines_without_ties(intervals) -> None:
    # Separate the few promotions that share a day, so that every tie method gives the same likelihood.
    untied = intervals.copy()
    events = untied.index[untied["event"] == 1]
    untied.loc[events, "stop"] += np.arange(len(events)) * 1e-7
    ours = promotion_timing(untied).set_index("term").loc[list(TIMING_TERMS)]
    ctv = _lifelines(untied)
    np.testing.assert_allclose(ours["estimate"], ctv.params_[list(TIMING_TERMS)], rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(ours["std_error"], ctv.standard_errors_[list(TIMING_TERMS)], rtol=1e-4)


def test_cox_with_ties_close_to_lifelines(intervals) -> None:
    # lifelines' and statsmodels' Efron corrections differ slightly with entry times: agree within 1% of a SE.
    ours = promotion_timing(intervals).set_index("term").loc[list(TIMING_TERMS)]
    ctv = _lifelines(intervals)
    gap = np.abs(ours["estimate"] - ctv.params_[list(TIMING_TERMS)])
    assert (gap < 0.01 * ours["std_error"]).all()
    assert ours["n_events"].iloc[0] == intervals["event"].sum()
    assert ours["n_employees"].iloc[0] == intervals["nip"].nunique()
    # Each employee has at most one event, in their last row.
    last = intervals.groupby("nip")["tahun"].transform("max") == intervals["tahun"]
    assert intervals.loc[~last, "event"].eq(0).all()


def test_bad_intervals(intervals) -> None:
    with pytest.raises(KinerjaDataError, match="no promotion"):
        promotion_timing(intervals.assign(event=0))
    broken = intervals.copy()
    broken.loc[broken.index[3], "stop"] = broken.loc[broken.index[3], "start"]
    with pytest.raises(KinerjaDataError, match=r"stop <= start"):
        promotion_timing(broken)
