"""Workforce snapshot, composition and the national comparison, against values worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.common.errors import MissingColumnError
from kinerja_analysis.workforce import snapshot


def _pegawai() -> pd.DataFrame:
    # NIPs built by hand from DOMAIN.md section 1: birth YYYYMMDD, TMT YYYYMM, sex digit, serial.
    return pd.DataFrame(
        {
            "nip": [
                "198609262015051001",  # born 1986-09-26, TMT 2015-05, L
                "199012312020122002",  # born 1990-12-31, TMT 2020-12, P
                "196501012000011001",  # born 1965-01-01, TMT 2000-01, L, left 2024
                "199501012026011001",
            ],  # TMT 2026-01: not yet appointed at the reference date
            "status": ["pns"] * 4,
            "tmt_cpns": pd.to_datetime(["2015-05-01", "2020-12-01", "2000-01-01", "2026-01-01"]),
            "tanggal_keluar": pd.to_datetime([None, None, "2024-06-30", None]),
            "pendidikan": ["S1", "D3", "SMA", "S2"],
            "jenis_jabatan": ["fungsional", "pelaksana", "pengawas", "fungsional"],
            "unit_id": ["A", "A", "B", "B"],
        }
    )


def test_snapshot_keeps_only_employees_in_post_and_derives_age_and_tenure_from_the_nip():
    snap = snapshot.workforce_snapshot(_pegawai(), as_of="2025-12-31")
    assert snap["nip"].tolist() == ["198609262015051001", "199012312020122002"]
    # 1986-09-26 -> 2025-12-31: 39 completed years; 1990-12-31 -> 2025-12-31: exactly 35 (birthday today).
    assert snap["usia"].tolist() == [39, 35]
    # TMT 2015-05 -> 10 years; TMT 2020-12 -> 5 years.
    assert snap["masa_kerja"].tolist() == [10, 5]
    assert snap["kelompok_usia"].astype(str).tolist() == ["31-40", "31-40"]
    assert snap["kelompok_pendidikan"].astype(str).tolist() == ["S1", "D3"]
    assert snap["kelompok_jabatan"].astype(str).tolist() == ["fungsional", "pelaksana"]


def test_birthday_not_yet_reached_does_not_count():
    snap = snapshot.workforce_snapshot(_pegawai(), as_of="2025-12-30")
    assert snap.loc[snap.nip == "199012312020122002", "usia"].item() == 34


def test_employee_who_left_counts_until_the_day_before_leaving():
    # tanggal_keluar is the first day out of post (as TMT pensiun is), so 2024-06-30 is not counted.
    snap = snapshot.workforce_snapshot(_pegawai(), as_of="2024-06-29")
    assert "196501012000011001" in snap["nip"].tolist()
    row = snap.loc[snap.nip == "196501012000011001"].iloc[0]
    assert (row.usia, row.masa_kerja, row.kelompok_usia, row.kelompok_masa_kerja) == (59, 24, "51-60", "21-30")
    assert row.kelompok_jabatan == "manajerial"


@pytest.mark.parametrize(
    ("age", "band"), [(30, "<=30"), (31, "31-40"), (40, "31-40"), (41, "41-50"), (60, "51-60"), (61, ">60")]
)
def test_age_band_edges_follow_bkn_bands(age, band):
    assert snapshot._band(pd.Series([age]), (30, 40, 50, 60), snapshot.AGE_BANDS).iloc[0] == band


def test_composition_counts_shares_and_suppresses_small_cells():
    snap = pd.DataFrame(
        {
            "sektor": ["kesehatan"] * 12 + ["pendidikan"] * 30,
            "jenis_kelamin": ["P"] * 9 + ["L"] * 3 + ["P"] * 20 + ["L"] * 10,
        }
    )
    out = snapshot.composition(snap, by=["sektor", "jenis_kelamin"], within="sektor", min_n=10)
    pend = out[out.sektor == "pendidikan"].set_index("jenis_kelamin")
    assert pend.loc["P", "n"] == 20 and pend.loc["P", "share"] == pytest.approx(20 / 30)
    assert pend.loc["L", "share"] == pytest.approx(10 / 30)
    kes = out[out.sektor == "kesehatan"]
    assert kes["suppressed"].all() and kes["n"].isna().all() and kes["share"].isna().all()
    assert len(out) == 4  # suppressed groups keep their row


def test_composition_suppresses_empty_groups_too():
    snap = pd.DataFrame({"x": pd.Series(["a"] * 10 + ["c"] * 15, dtype=pd.CategoricalDtype(["a", "b", "c"]))})
    out = snapshot.composition(snap, by="x", min_n=10).set_index("x")
    assert out.loc["c", "n"] == 15 and not out.loc["c", "suppressed"]
    assert out.loc["b", "suppressed"] and pd.isna(out.loc["b", "n"])
    # b (0) alone hidden would be 25 - 10 - 15: the smallest other cell, a, is hidden with it.
    assert out.loc["a", "suppressed"] and pd.isna(out.loc["a", "share"])


def test_composition_names_a_missing_column():
    with pytest.raises(MissingColumnError, match="golongan"):
        snapshot.composition(pd.DataFrame({"a": [1]}), by="golongan")


def test_national_comparison_uses_the_published_shares():
    snap = snapshot.workforce_snapshot(_pegawai(), as_of="2025-12-31")
    snap["jenis_kelamin"] = ["L", "P"]
    out = snapshot.compare_with_national(snap, min_n=1).set_index(["dimension", "level"])
    assert out.loc[("jenis_kelamin", "P"), "share"] == 0.5
    assert out.loc[("jenis_kelamin", "P"), "share_nasional"] == 0.53
    assert out.loc[("jenis_kelamin", "P"), "difference"] == pytest.approx(-0.03)
    assert out.loc[("kelompok_pendidikan", "S1"), "n"] == 1


def test_composition_can_drop_combinations_nobody_is_in():
    dtype = pd.CategoricalDtype(["III/a", "III/b", "IX"], ordered=True)
    snap = pd.DataFrame(
        {"status": ["pns"] * 10 + ["pppk"] * 10, "golongan": pd.Series(["III/a"] * 10 + ["IX"] * 10, dtype=dtype)}
    )
    full = snapshot.composition(snap, by=["status", "golongan"], min_n=1)
    kept = snapshot.composition(snap, by=["status", "golongan"], min_n=1, drop_empty=True)
    assert len(full) == 6 and len(kept) == 2
    assert kept[["status", "golongan"]].astype(str).values.tolist() == [["pns", "III/a"], ["pppk", "IX"]]
    assert kept["share"].tolist() == [0.5, 0.5]


def test_national_comparison_suppresses_small_levels_but_keeps_the_national_share():
    snap = snapshot.workforce_snapshot(_pegawai(), as_of="2025-12-31")
    snap["jenis_kelamin"] = ["L", "P"]
    out = snapshot.compare_with_national(snap, min_n=10).set_index(["dimension", "level"])
    row = out.loc[("jenis_kelamin", "P")]
    assert row["suppressed"] and pd.isna(row["n"]) and pd.isna(row["share"]) and pd.isna(row["difference"])
    assert row["share_nasional"] == 0.53
