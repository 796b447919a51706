"""Table coverage and appraisal years, against counts made by hand."""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.data import coverage
from kinerja_analysis.data.dataset import Dataset


def test_coverage_reports_absent_tables_and_the_years_of_present_ones():
    layanan = pd.DataFrame({"tanggal_masuk": pd.to_datetime(["2020-03-01", "2024-12-31", "2022-01-01"])})
    kinerja = pd.DataFrame({"nip": ["a", "b"], "tahun": [2019, 2023], "periode": ["tahunan"] * 2})
    out = coverage.table_coverage(Dataset(layanan=layanan, kinerja=kinerja)).set_index("table")
    assert out.loc["layanan", ["present", "rows", "dari", "sampai"]].tolist() == [True, 3, 2020, 2024]
    assert out.loc["kinerja", ["dari", "sampai"]].tolist() == [2019, 2023]
    assert not out.loc["survei", "present"] and out.loc["survei", "rows"] == 0
    assert len(out) == 9


def test_appraisal_years_split_annual_and_periodic_rows_and_name_the_regime():
    kinerja = pd.DataFrame(
        {
            "nip": ["a", "b", "a", "a", "a"],
            "tahun": [2021, 2021, 2022, 2022, 2022],
            "periode": ["tahunan", "tahunan", "tahunan", "Q1", "Q2"],
        }
    )
    out = coverage.appraisal_years(kinerja)
    assert out.to_dict("records") == [
        {"tahun": 2021, "regime": "pp46_2011", "tahunan": 2, "periodik": 0, "pegawai": 2},
        {"tahun": 2022, "regime": "permenpanrb_6_2022", "tahunan": 1, "periodik": 2, "pegawai": 1},
    ]
