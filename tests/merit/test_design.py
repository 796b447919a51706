"""The candidate design on a hand-built dataset: every value worked out by hand from the rules."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis import Dataset
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.data import schema
from kinerja_analysis.merit.design import YEAR_DAYS, selection_design

A, B, C = "198001012005011001", "198502022010012002", "197003032000031003"


def _cat(table: str, column: str, values: list) -> pd.Series:
    return pd.Series(values, dtype="object").astype(schema.category_dtype(table, column))


def _dates(values: list) -> pd.Series:
    return pd.Series(pd.to_datetime(values)).astype("datetime64[s]")


def build(extra_kinerja: pd.DataFrame | None = None) -> Dataset:
    pegawai = pd.DataFrame({
        "nip": [A, B, C], "status": _cat("pegawai", "status", ["pns"] * 3),
        "jenis_kelamin": _cat("pegawai", "jenis_kelamin", ["L", "P", "L"]),
        "tanggal_lahir": _dates(["1980-01-01", "1985-02-02", "1970-03-03"]),
        "tmt_cpns": _dates(["2005-01-01", "2010-01-01", "2000-03-01"]),
        "golongan": _cat("pegawai", "golongan", ["III/c", "III/a", "IV/a"]),
        "jenis_jabatan": _cat("pegawai", "jenis_jabatan", ["fungsional"] * 3),
        "jabatan": ["Guru"] * 3, "pendidikan": _cat("pegawai", "pendidikan", ["S1"] * 3),
        "unit_id": ["U1", "U1", "U2"], "tanggal_keluar": _dates([None] * 3),
    })  # fmt: skip
    unit_kerja = pd.DataFrame({"unit_id": ["U1", "U2"], "instansi": ["Dinas X", "Dinas Y"]})
    kinerja = pd.DataFrame({
        "nip": [A, A, B, B, C, C], "tahun": pd.array([2021, 2023, 2021, 2022, 2022, 2020], dtype="Int64"),
        "periode": ["tahunan"] * 6,
        "predikat": _cat("kinerja", "predikat", [None, "Sangat Baik", None, "Baik", "Butuh Perbaikan", None]),
        # 0.6 x 95 + 0.4 x 85 = 91 (Sangat Baik, on the bound); 0.6 x 80 + 0.4 x 60 = 72 (Cukup); 90 (Baik)
        "nilai_skp": pd.array([95, None, 80, None, None, 90], dtype="Float64"),
        "nilai_perilaku": pd.array([85, None, 60, None, None, 90], dtype="Float64"),
    })  # fmt: skip
    if extra_kinerja is not None:
        kinerja = pd.concat([kinerja, extra_kinerja], ignore_index=True)
    pelatihan = pd.DataFrame({
        "nip": [A, A, A], "pelatihan_id": ["P1", "P2", "P3"],
        "jenis": _cat("pelatihan", "jenis", ["diklat_teknis", "seminar", "workshop"]),
        "tanggal_mulai": _dates(["2023-05-29", "2023-02-01", "2024-03-01"]),
        "tanggal_selesai": _dates(["2023-06-01", "2023-02-01", "2024-03-01"]),
        "jp": pd.array([24, 10, 5], dtype="Float64"),
    })  # fmt: skip
    seleksi = pd.DataFrame({
        "seleksi_id": ["S1"] * 3 + ["S2"] * 2 + ["S3"] * 2,
        "tanggal": _dates(["2022-05-10"] * 3 + ["2024-03-01"] * 2 + ["2025-07-01"] * 2),
        "jabatan_target": ["Kepala Sekolah"] * 7,
        "jenis": _cat("seleksi", "jenis", ["promosi"] * 3 + ["rotasi"] * 2 + ["promosi"] * 2),
        "nip": [A, B, C, A, B, B, C],
        "skor_kompetensi": pd.array([80, 70, 75, 82, 79, 71, 74], dtype="Float64"),
        "skor_potensi": pd.array([60, 65, 55, 70, 72, 66, 64], dtype="Float64"),
        "terpilih": pd.array([True, False, False, False, True, False, True], dtype="boolean"),
    })  # fmt: skip
    return Dataset(unit_kerja=unit_kerja, pegawai=pegawai, kinerja=kinerja, pelatihan=pelatihan, seleksi=seleksi)


def _row(design: pd.DataFrame, seleksi_id: str, nip: str) -> pd.Series:
    return design.set_index(["seleksi_id", "nip"]).loc[(seleksi_id, nip)]


def test_appraisal_indicators_follow_each_regime() -> None:
    d = selection_design(build())
    a1, b1, c1 = _row(d, "S1", A), _row(d, "S1", B), _row(d, "S1", C)
    # 2022 selection: window 2020-2021, PP 46/2011 scores.
    assert (a1["tahun_penilaian"], a1["regime_penilaian"], a1["penilaian_terakhir"]) == (
        2021,
        "pp46_2011",
        "Sangat Baik",
    )
    assert (a1["pp46_sangat_baik"], a1["pp46_di_bawah_baik"], a1["predikat_sangat_baik"]) == (1.0, 0.0, 0.0)
    assert (b1["penilaian_terakhir"], b1["pp46_di_bawah_baik"], b1["pp46_sangat_baik"]) == ("Cukup", 1.0, 0.0)
    assert (c1["tahun_penilaian"], c1["penilaian_terakhir"]) == (2020, "Baik")
    assert c1[["pp46_sangat_baik", "pp46_di_bawah_baik", "penilaian_kosong"]].sum() == 0.0
    # 2024 selection: window 2022-2023, PermenPANRB 6/2022 predikat.
    a2, b2 = _row(d, "S2", A), _row(d, "S2", B)
    assert (a2["tahun_penilaian"], a2["regime_penilaian"], a2["predikat_sangat_baik"]) == (
        2023,
        "permenpanrb_6_2022",
        1.0,
    )
    assert (b2["tahun_penilaian"], b2["penilaian_terakhir"], b2["predikat_sangat_baik"]) == (2022, "Baik", 0.0)
    # 2025 selection: window 2023-2024; C's 2022 Butuh Perbaikan is too old, B has nothing.
    assert _row(d, "S3", B)["penilaian_kosong"] == 1.0
    assert _row(d, "S3", C)["penilaian_kosong"] == 1.0
    assert pd.isna(_row(d, "S3", C)["tahun_penilaian"])


def test_a_wider_window_reaches_the_older_predikat() -> None:
    c3 = _row(selection_design(build(), max_appraisal_age=3), "S3", C)
    assert (c3["tahun_penilaian"], c3["predikat_di_bawah_baik"], c3["penilaian_kosong"]) == (2022, 1.0, 0.0)


def test_periodic_rule_forms_a_missing_annual_predikat() -> None:
    quarters = pd.DataFrame({
        "nip": [B] * 4, "tahun": pd.array([2024] * 4, dtype="Int64"), "periode": ["Q1", "Q2", "Q3", "Q4"],
        "predikat": _cat("kinerja", "predikat", ["Sangat Baik", "Sangat Baik", "Baik", "Sangat Baik"]),
    })  # fmt: skip
    plain = _row(selection_design(build(quarters)), "S3", B)
    formed = _row(selection_design(build(quarters), periodic_rule="mode"), "S3", B)
    assert plain["penilaian_kosong"] == 1.0
    assert (formed["tahun_penilaian"], formed["predikat_sangat_baik"]) == (2024, 1.0)


def test_training_seniority_age_and_groups() -> None:
    d = selection_design(build())
    a2 = _row(d, "S2", A)
    assert a2["jp_setahun"] == 24.0  # 2023-06-01 in; 2023-02-01 more than 365 days before; 2024-03-01 is the day itself
    assert _row(d, "S1", A)["jp_setahun"] == 0.0
    a1 = _row(d, "S1", A)
    days = (pd.Timestamp("2022-05-10") - pd.Timestamp("2005-01-01")).days
    assert a1["masa_kerja_tahun"] == pytest.approx(days / 365.2425)
    assert YEAR_DAYS == 365.2425
    age_days = (pd.Timestamp("2022-05-10") - pd.Timestamp("1980-01-01")).days
    assert a1["usia_tahun"] == pytest.approx(age_days / 365.2425)
    assert (a1["kelompok_usia"], _row(d, "S3", C)["kelompok_usia"], _row(d, "S2", B)["kelompok_usia"]) == (
        "41-50", "51-60", "31-40",
    )  # fmt: skip
    ranks = [_row(d, "S1", nip)["peringkat_golongan"] for nip in (A, B, C)]
    assert ranks == [11.0, 9.0, 13.0]  # III/c, III/a, IV/a
    assert (a1["instansi"], _row(d, "S1", C)["instansi"]) == ("Dinas X", "Dinas Y")
    assert (a1["perempuan"], _row(d, "S1", B)["perempuan"]) == (0.0, 1.0)
    assert d["terpilih"].dtype == bool and d["terpilih"].sum() == 3


def test_jenis_filter_and_missing_tables() -> None:
    d = selection_design(build(), jenis=("promosi",))
    assert sorted(d["seleksi_id"].unique()) == ["S1", "S3"]
    ds = build()
    bare = Dataset(pegawai=ds.pegawai, seleksi=ds.seleksi)
    d = selection_design(bare)
    assert "jp_setahun" not in d.columns and "predikat_sangat_baik" not in d.columns
    assert d["instansi"].isna().all()


def test_bad_input_is_named() -> None:
    ds = build()
    stranger = ds.seleksi.copy()
    stranger.loc[6, "nip"] = "199001012015011009"
    with pytest.raises(KinerjaDataError, match=r"not in pegawai \(selections \['S3'\]\)"):
        selection_design(Dataset(pegawai=ds.pegawai, seleksi=stranger))
    twice = pd.concat([ds.seleksi, ds.seleksi.iloc[[0]]], ignore_index=True)
    with pytest.raises(KinerjaDataError, match="appears twice"):
        selection_design(Dataset(pegawai=ds.pegawai, seleksi=twice))
    with pytest.raises(InvalidOptionError, match="jenis"):
        selection_design(ds, jenis=("mutasi",))
    with pytest.raises(InvalidOptionError, match="max_appraisal_age"):
        selection_design(ds, appraisal_lag=2, max_appraisal_age=1)
