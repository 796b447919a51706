"""Report tables in Bahasa Indonesia: headers, booleans, pass/fail words and confidence tags."""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.delivery.labels import COLUMN_NAMES, tabel, tag


def test_headers_values_and_tags_are_translated_and_the_input_is_kept():
    table = pd.DataFrame({
        "unit_id": ["A", "B"],
        "estimate": [0.12345, 0.5],
        "ci_low": [0.1, 0.4],
        "suppressed": [False, True],
        "signal": ["above", "none"],
        "ok": pd.array([True, None], dtype="boolean"),
        "method": ["Wilson [likely]", "t [firm]"],
        "kategori": pd.Categorical(["passes", "fails"]),
    })  # fmt: skip
    before = table.copy()
    out = tabel(table)
    assert list(out.columns) == ["unit_id", "estimasi", "batas_bawah_95", "disembunyikan", "sinyal", "sesuai",
                                 "metode", "kategori"]  # fmt: skip
    assert out["estimasi"].tolist() == [0.123, 0.5]
    assert out["disembunyikan"].tolist() == ["tidak", "ya"]
    assert out["sinyal"].tolist() == ["di atas", "tidak ada"]
    assert out["sesuai"].iloc[0] == "ya" and pd.isna(out["sesuai"].iloc[1])
    assert out["metode"].tolist() == ["Wilson [kemungkinan]", "t [pasti]"]
    assert list(out["kategori"]) == ["lolos", "gagal"]
    pd.testing.assert_frame_equal(table, before)


def test_every_translation_is_indonesian_and_distinct():
    assert len(set(COLUMN_NAMES.values())) == len(COLUMN_NAMES)
    assert tag("[open] dan [open]") == "[terbuka] dan [terbuka]"


def test_tables_with_periods_and_dates_are_shown_without_a_warning():
    import warnings

    table = pd.DataFrame({"bulan": pd.period_range("2024-01", periods=2, freq="M"), "estimate": [0.12345, 0.5],
                          "tanggal": pd.to_datetime(["2024-01-01", "2024-02-01"])})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = tabel(table)
    assert out["estimasi"].tolist() == [0.123, 0.5] and out["bulan"].tolist() == list(table["bulan"])
