"""JP compliance and training coverage: by hand on small tables, and totals on the demo data."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.training.jp import jp_compliance, training_coverage


def _pegawai() -> pd.DataFrame:
    """a, b, c: PNS in post all of 2023; d: PNS appointed 1 March 2023; e: PPPK; f: PNS left in June 2023."""
    return pd.DataFrame({
        "nip": list("abcdef"), "status": ["pns", "pns", "pns", "pns", "pppk", "pns"],
        "unit_id": ["U1", "U1", "U2", "U2", "U2", "U1"],
        "golongan": "III/a", "jenis_jabatan": "pelaksana", "jenis_kelamin": list("LPLPPL"), "pendidikan": "S1",
        "tanggal_lahir": pd.to_datetime(["1980-01-01"] * 6),
        "tmt_cpns": pd.to_datetime(
            ["2010-01-01", "2010-01-01", "2010-01-01", "2023-03-01", "2022-01-01", "2000-01-01"]
        ),
        "tanggal_keluar": pd.to_datetime([None, None, None, None, None, "2023-06-30"]),
    })  # fmt: skip


def _pelatihan() -> pd.DataFrame:
    return pd.DataFrame({
        "nip": ["a", "a", "b", "c", "d", "e", "f", "a"],
        "pelatihan_id": ["T1", "T2", "T1", "T3", "T3", "T3", "T1", "T4"],
        "topik": ["waktu", "TI", "waktu", "layanan", "layanan", "layanan", "waktu", "TI"],
        "penyelenggara": ["BKN", "LAN", "BKN", "BPSDM", "BPSDM", "BPSDM", "BKN", "LAN"],
        "tanggal_mulai": pd.to_datetime(["2023-02-01", "2023-12-30", "2023-02-01", "2023-05-01", "2023-05-01",
                                         "2023-05-01", "2023-02-01", "2024-01-10"]),
        "jp": [12.0, 8.0, 12.0, 24.0, 24.0, 24.0, 12.0, 30.0],
    })  # fmt: skip


def test_compliance_by_hand() -> None:
    # 2023 full year: a (12 + 8 = 20, reached: the target counts), b (12, no), c (24, yes); d and f were not
    # in post all year; e is PPPK (24, yes) and reported apart
    table = jp_compliance(_pelatihan(), _pegawai(), years=(2023, 2023)).set_index("status")
    pns, pppk = table.loc["pns"], table.loc["pppk"]
    assert (pns["n"], pns["n_reached"]) == (3, 2)
    assert pns["estimate"] == pytest.approx(2 / 3)
    assert pns["jp_mean"] == pytest.approx((20 + 12 + 24) / 3) and pns["jp_median"] == 20
    low, high = proportion_confint(2, 3, alpha=0.05, method="wilson")
    assert (pns["ci_low"], pns["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert (pppk["n"], pppk["n_reached"]) == (1, 1) and "comparison" in pppk["rule"]
    assert "20 JP" in pns["rule"]
    # everyone in post on any day: d (24, yes) and f (12, no) join
    anyday = jp_compliance(_pelatihan(), _pegawai(), years=(2023, 2023), population="any_day").set_index("status")
    assert (anyday.loc["pns", "n"], anyday.loc["pns", "n_reached"]) == (5, 3)
    # a stricter target and a grouping column
    strict = jp_compliance(_pelatihan(), _pegawai(), years=(2023, 2023), target_jp=24, by=("tahun", "unit_id"))
    assert strict.loc[strict["status"] == "pns", ["unit_id", "n", "n_reached"]].values.tolist() == [
        ["U1", 2, 0], ["U2", 1, 1]
    ]  # fmt: skip


def test_coverage_by_hand() -> None:
    units = pd.DataFrame({"unit_id": ["U1", "U2"], "sektor": ["pemerintahan", "kesehatan"], "instansi": ["K", "D"]})
    table = training_coverage(_pelatihan(), _pegawai(), by=("penyelenggara", "sektor"), unit_kerja=units)
    row = table.loc[(table["penyelenggara"] == "BKN") & (table["sektor"] == "pemerintahan")].iloc[0]
    # BKN's T1 in 2023: a, b, f (all in U1); in post in U1 on some day of 2023: a, b, f
    assert (row["tahun"], row["trainings"], row["participants"], row["jp_total"], row["n"]) == (2023, 1, 3, 36.0, 3)
    assert row["estimate"] == 1.0
    bpsdm = table.loc[(table["penyelenggara"] == "BPSDM") & (table["tahun"] == 2023)].iloc[0]
    assert (bpsdm["sektor"], bpsdm["participants"], bpsdm["n"]) == ("kesehatan", 3, 3)  # c, d, e in U2
    by_topic = training_coverage(_pelatihan(), _pegawai(), by="topik").set_index(["topik", "tahun"])
    assert by_topic.loc[("TI", 2023), "participants"] == 1 and by_topic.loc[("TI", 2024), "jp_total"] == 30
    assert by_topic.loc[("TI", 2023), "n"] == 6  # the whole workforce in post in 2023


def test_demo_totals() -> None:
    data = load_dataset(paths.demo_data_dir())
    table = jp_compliance(data.pelatihan, data.pegawai, unit_kerja=data.unit_kerja, by=("tahun", "sektor"))
    peg = data.pegawai
    full_2023 = (peg["tmt_cpns"] <= "2023-01-01") & (
        peg["tanggal_keluar"].isna() | (peg["tanggal_keluar"] >= "2023-12-31")
    )
    assert table.loc[table["tahun"] == 2023, "n"].sum() == int(full_2023.sum())
    assert ((table["ci_low"] <= table["estimate"]) & (table["estimate"] <= table["ci_high"])).all()
    assert set(table["status"]) == {"pns", "pppk"}


def test_bad_options() -> None:
    with pytest.raises(InvalidOptionError, match="choose one of"):
        jp_compliance(_pelatihan(), _pegawai(), by="kelurahan")
    with pytest.raises(KinerjaDataError, match="needs the unit_kerja table"):
        jp_compliance(_pelatihan(), _pegawai(), by="sektor")
    with pytest.raises(KinerjaDataError, match="positive"):
        jp_compliance(_pelatihan(), _pegawai(), target_jp=0)
    with pytest.raises(InvalidOptionError, match="population"):
        jp_compliance(_pelatihan(), _pegawai(), population="sebagian")
