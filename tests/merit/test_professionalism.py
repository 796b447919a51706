"""IP ASN: bands at their bounds, and per-employee points worked out by hand from DOMAIN.md 4."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import Dataset
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.data import schema
from kinerja_analysis.merit.professionalism import KOMPETENSI_POINTS, KUALIFIKASI_POINTS, ip_asn, ip_asn_kategori

E1, E2, E3, E4 = "198001012005011001", "198502022010012002", "197003032000031003", "197504042001041004"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "Sangat Tinggi"), (91, "Sangat Tinggi"), (90.99, "Tinggi"), (81, "Tinggi"), (80.99, "Sedang"),
        (71, "Sedang"), (70.99, "Rendah"), (61, "Rendah"), (60.99, "Sangat Rendah"), (60, "Sangat Rendah"),
        (0, "Sangat Rendah"), (81 - 1e-12, "Tinggi"),
    ],
)  # fmt: skip
def test_bands_at_their_bounds(score: float, band: str) -> None:
    assert ip_asn_kategori([score]).tolist() == [band]


def test_band_of_missing_and_out_of_range() -> None:
    assert ip_asn_kategori([np.nan]).isna().all()
    with pytest.raises(KinerjaDataError, match="0 to 100"):
        ip_asn_kategori([100.5])


def _cat(table: str, column: str, values: list) -> pd.Series:
    return pd.Series(values, dtype="object").astype(schema.category_dtype(table, column))


def _dates(values: list) -> pd.Series:
    return pd.Series(pd.to_datetime(values)).astype("datetime64[s]")


def build() -> Dataset:
    pegawai = pd.DataFrame({
        "nip": [E1, E2, E3, E4], "status": _cat("pegawai", "status", ["pns"] * 4),
        "jenis_kelamin": _cat("pegawai", "jenis_kelamin", ["L", "P", "L", "L"]),
        "tanggal_lahir": _dates(["1980-01-01", "1985-02-02", "1970-03-03", "1975-04-04"]),
        "tmt_cpns": _dates(["2005-01-01", "2010-01-01", "2000-03-01", "2001-04-01"]),
        "golongan": _cat("pegawai", "golongan", ["III/c", "III/a", "IV/a", "III/d"]),
        "jenis_jabatan": _cat("pegawai", "jenis_jabatan", ["fungsional", "pelaksana", "pengawas", "pengawas"]),
        "jabatan": ["Guru", "Pengadministrasi", "Kepala Seksi", "Lurah"],
        "pendidikan": _cat("pegawai", "pendidikan", ["S2", "S1", "S3", "D3"]),
        "unit_id": ["U1"] * 4, "tanggal_keluar": _dates([None, None, None, None]),
    })  # fmt: skip
    kinerja = pd.DataFrame({
        "nip": [E1, E2, E4, E4], "tahun": pd.array([2023, 2023, 2021, 2022], dtype="Int64"),
        "periode": ["tahunan"] * 4,
        "predikat": _cat("kinerja", "predikat", ["Sangat Baik", "Baik", None, "Butuh Perbaikan"]),
        "nilai_skp": pd.array([None, None, 95, None], dtype="Float64"),
        "nilai_perilaku": pd.array([None, None, 95, None], dtype="Float64"),
    })  # fmt: skip
    rows = [
        (E1, "diklat_fungsional", 40, "2015-06-01"),  # any time before as_of
        (E1, "diklat_teknis", 24, "2024-05-01"),  # >= 20 JP, within 2 years
        (E1, "seminar", 4, "2024-09-01"),
        (E2, "diklat_teknis", 16, "2024-05-01"),  # below 20 JP: does not count
        (E2, "workshop", 8, "2021-06-01"),  # outside the 2-year window
        (E3, "diklat_kepemimpinan", 60, "2012-01-01"),  # managerial post: counts
        (E3, "diklat_fungsional", 30, "2020-01-01"),  # not a JF: does not count
        (E4, "diklat_kepemimpinan", 60, "2018-01-01"),
        (E4, "diklat_teknis", 30, "2023-10-01"),
        (E4, "kursus", 10, "2024-02-01"),
        (E4, "diklat_teknis", 30, "2025-02-01"),  # after as_of: ignored
    ]
    pelatihan = pd.DataFrame({
        "nip": [r[0] for r in rows], "pelatihan_id": [f"P{i}" for i in range(len(rows))],
        "jenis": _cat("pelatihan", "jenis", [r[1] for r in rows]),
        "jp": pd.array([r[2] for r in rows], dtype="Float64"),
        "tanggal_mulai": _dates([r[3] for r in rows]), "tanggal_selesai": _dates([r[3] for r in rows]),
    })  # fmt: skip
    disiplin = pd.DataFrame({
        "nip": [E2, E2, E4], "tanggal": _dates(["2020-03-01", "2023-03-01", "2025-03-01"]),
        "tingkat": _cat("disiplin", "tingkat", ["ringan", "sedang", "berat"]),
    })  # fmt: skip
    return Dataset(pegawai=pegawai, kinerja=kinerja, pelatihan=pelatihan, disiplin=disiplin)


def test_points_by_hand() -> None:
    out = ip_asn(build(), as_of="2024-12-31").set_index("nip")
    # E1: S2 20; JF with diklat fungsional 15 + diklat teknis 24 JP 15 + seminar 10 = 40; 2023 Sangat Baik 30; none 5.
    assert out.loc[E1, ["kualifikasi", "kompetensi", "kinerja", "disiplin", "ip_asn"]].tolist() == [20, 40, 30, 5, 95]
    assert out.loc[E1, "kategori"] == "Sangat Tinggi"
    # E2: S1 15; 16 JP and an old workshop count nothing: 0; 2023 Baik 25; heaviest sanction sedang 2: 42.
    assert out.loc[E2, ["kualifikasi", "kompetensi", "kinerja", "disiplin", "ip_asn"]].tolist() == [15, 0, 25, 2, 42]
    assert out.loc[E2, "kategori"] == "Sangat Rendah"
    # E3: S3 25; kepemimpinan 15 (the fungsional diklat does not count for a pengawas); no appraisal: unknown.
    assert out.loc[E3, ["kualifikasi", "kompetensi"]].tolist() == [25, 15]
    assert np.isnan(out.loc[E3, "kinerja"]) and np.isnan(out.loc[E3, "ip_asn"]) and pd.isna(out.loc[E3, "kategori"])
    # E4: D3 10; kepemimpinan 15 + teknis 15 + kursus 10 = 40; 2022 Butuh Perbaikan 20 (2023 missing);
    # the berat sanction of 2025 is after as_of: 5. Total 75.
    assert out.loc[E4, ["kualifikasi", "kompetensi", "kinerja", "disiplin", "ip_asn"]].tolist() == [10, 40, 20, 5, 75]
    assert out.loc[E4, "kategori"] == "Sedang"
    assert "[open]" in out["method"].iloc[0]


def test_old_regime_score_and_windows() -> None:
    out = ip_asn(build(), as_of="2022-12-31").set_index("nip")
    # E4 in 2022: window 2020-2021 holds the 2021 PP 46/2011 score 95 (Sangat Baik): 30.
    assert out.loc[E4, "kinerja"] == 30
    # E2 in 2022: the 2020 ringan sanction counts (3); with a one-year window it does not (5).
    assert out.loc[E2, "disiplin"] == 3
    assert ip_asn(build(), as_of="2022-12-31", disiplin_window_years=1).set_index("nip").loc[E2, "disiplin"] == 5


def test_point_tables_are_parameters() -> None:
    kual = dict(KUALIFIKASI_POINTS, D3=12.0)
    komp = dict(KOMPETENSI_POINTS, pengembangan_lain=20.0)
    out = ip_asn(build(), as_of="2024-12-31", kualifikasi_points=kual, kompetensi_points=komp).set_index("nip")
    assert out.loc[E4, "kualifikasi"] == 12
    assert out.loc[E4, "kompetensi"] == 40  # 15 + 15 + 20 = 50, capped at 40
    with pytest.raises(InvalidOptionError, match="kualifikasi_points"):
        ip_asn(build(), as_of="2024-12-31", kualifikasi_points={"S3": 25.0})
    with pytest.raises(InvalidOptionError, match="may not exceed"):
        ip_asn(build(), as_of="2024-12-31", kualifikasi_points=dict(KUALIFIKASI_POINTS, S3=30.0))


def test_missing_tables_leave_dimensions_unknown() -> None:
    ds = build()
    out = ip_asn(Dataset(pegawai=ds.pegawai, kinerja=ds.kinerja), as_of="2024-12-31")
    assert out["kompetensi"].isna().all() and out["disiplin"].isna().all() and out["ip_asn"].isna().all()
    assert out["kualifikasi"].notna().all()


def test_weights_are_a_parameter() -> None:
    weights = {"kualifikasi": 25.0, "kompetensi": 35.0, "kinerja": 35.0, "disiplin": 5.0}
    out = ip_asn(build(), as_of="2024-12-31", weights=weights).set_index("nip")
    assert out.loc[E4, "kompetensi"] == 35  # 40 points held, capped at the new 35
    with pytest.raises(InvalidOptionError, match="add up to 100"):
        ip_asn(build(), as_of="2024-12-31", weights=dict(weights, disiplin=10.0))
