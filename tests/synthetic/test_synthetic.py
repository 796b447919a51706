"""Tests of the synthetic Plaju: determinism, calibration, internal consistency, ground truth.

Every expected value is computed here from the CSV files with plain pandas/numpy (or written out by
hand from DOMAIN.md), never taken from the generator's own helpers.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import paths
from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.data import schema
from kinerja_analysis.data.nip import parse_nip
from kinerja_analysis.data.nip_format import format_ni_pppk, format_nip
from kinerja_analysis.synthetic import DEFAULT_SEED, _params, generate, write_demo

TABLES = ("unit_kerja", "pegawai", "kinerja", "pelatihan", "seleksi", "layanan", "survei", "pengaduan", "disiplin")
REF = pd.Timestamp("2023-06-30")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out)
    return out


@pytest.fixture(scope="module")
def raw(demo_dir) -> dict[str, pd.DataFrame]:
    """Every table as text, exactly as written (empty string = missing)."""
    return {t: pd.read_csv(demo_dir / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}


@pytest.fixture(scope="module")
def truth(demo_dir) -> dict:
    return json.loads((demo_dir / "ground_truth.json").read_text(encoding="utf-8"))


def _dates(col: pd.Series) -> pd.Series:
    return pd.to_datetime(col.replace("", None), format="%Y-%m-%d")


@pytest.fixture(scope="module")
def pegawai(raw) -> pd.DataFrame:
    p = raw["pegawai"].copy()
    for c in ("tanggal_lahir", "tmt_cpns", "tanggal_keluar"):
        p[c] = _dates(p[c])
    return p


def _in_post(p: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    return (p["tmt_cpns"] <= day) & (p["tanggal_keluar"].isna() | (p["tanggal_keluar"] > day))


def _completed_years(start: pd.Series, day: pd.Timestamp) -> pd.Series:
    before = (start.dt.month > day.month) | ((start.dt.month == day.month) & (start.dt.day > day.day))
    return day.year - start.dt.year - before.astype(int)


def _busdays(first: pd.Series, last: pd.Series, holidays: np.ndarray) -> np.ndarray:
    return np.busday_count(
        first.to_numpy().astype("datetime64[D]"), last.to_numpy().astype("datetime64[D]"), holidays=holidays
    )


# --- Determinism ----------------------------------------------------------------------------------


def test_same_seed_writes_identical_bytes(demo_dir, tmp_path):
    again = write_demo(tmp_path)
    assert sorted(p.name for p in again) == sorted(p.name for p in demo_dir.iterdir())
    for path in again:
        assert path.read_bytes() == (demo_dir / path.name).read_bytes(), path.name


def test_committed_demo_is_what_the_code_makes(demo_dir):
    committed = paths.demo_data_dir()
    for path in sorted(demo_dir.iterdir()):
        assert (committed / path.name).is_file(), f"data/demo lacks {path.name}: run `kinerja demo-data`"
        assert (committed / path.name).read_bytes() == path.read_bytes(), (
            f"data/demo/{path.name} differs from what the generator makes: regenerate with `kinerja demo-data`"
        )
    assert sum(p.stat().st_size for p in committed.iterdir() if p.is_file()) < 15_000_000


def test_another_seed_gives_other_data():
    a = generate(seed=DEFAULT_SEED, tables=("unit_kerja", "pegawai"))["pegawai"]
    b = generate(seed=1, tables=("unit_kerja", "pegawai"))["pegawai"]
    assert not a["nip"].equals(b["nip"])


def test_bad_options_name_the_allowed_values():
    with pytest.raises(InvalidOptionError, match="plaju"):
        generate(scale="kota")
    with pytest.raises(InvalidOptionError, match="at least 100"):
        generate(scale=10)
    with pytest.raises(InvalidOptionError, match="seed"):
        generate(seed=-1)
    with pytest.raises(InvalidOptionError, match="unit_kerja, pegawai, kinerja"):
        generate(scale=1000, tables=("layanan",))


def test_larger_scale_is_consistent(tmp_path):
    data = generate(scale=5000, tables=("unit_kerja", "pegawai", "kinerja"))
    peg = data["pegawai"]
    in_post = _in_post(peg, REF)
    assert int(in_post.sum()) == 5000  # the requested number is the workforce on the reference date
    assert peg["nip"].is_unique and peg["nip"].is_monotonic_increasing
    assert set(peg["unit_id"]) <= set(data["unit_kerja"]["unit_id"])
    assert parse_nip(peg["nip"])["valid"].all()
    key = data["kinerja"][["nip", "tahun", "periode"]]
    assert not key.duplicated().any()
    assert key.equals(key.sort_values(["nip", "tahun", "periode"]).reset_index(drop=True))


# --- Shape and types ------------------------------------------------------------------------------


def test_headers_are_the_canonical_columns(raw):
    """Every required column, in schema order; optional ones only where the generator makes them."""
    for table, frame in raw.items():
        spec = schema.TABLES[table]
        assert set(spec.required) <= set(frame.columns), table
        assert tuple(frame.columns) == tuple(c for c in spec.names if c in frame.columns), table
    assert "nip_penilai" not in raw["seleksi"].columns  # no assessor data: personal ties cannot be measured


def test_frames_pass_the_pandera_contract():
    data = generate()
    for table in TABLES:
        schema.pandera_schema(table).validate(data[table])


def test_rows_sorted_by_key_and_keys_unique(raw):
    for table, frame in raw.items():
        key = list(schema.TABLES[table].key) or ["tanggal", "nip"]
        assert not frame.duplicated(key).any() or table == "disiplin", table
        assert frame[key].equals(frame[key].sort_values(key, kind="stable").reset_index(drop=True)), table


def test_enumerated_values_are_canonical_spellings(raw):
    for table, frame in raw.items():
        for col in schema.TABLES[table].columns:
            if col.kind == "category":
                values = set(frame[col.name]) - {""}
                assert values <= set(col.categories), (table, col.name, values - set(col.categories))
            if col.kind == "bool":
                assert set(frame[col.name]) <= {"true", "false"}


def test_dates_are_iso(raw):
    for table, frame in raw.items():
        for col in schema.TABLES[table].columns:
            if col.kind == "date":
                filled = frame.loc[frame[col.name] != "", col.name]
                assert filled.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), (table, col.name)


# --- Calibration against DOMAIN.md section 9 -----------------------------------------------------


def test_workforce_size_and_sex(pegawai):
    in_post = _in_post(pegawai, REF)
    assert 700 <= in_post.sum() <= 1200
    pns = pegawai[in_post & (pegawai["status"] == "pns")]
    pppk = pegawai[in_post & (pegawai["status"] == "pppk")]
    assert abs((pns["jenis_kelamin"] == "P").mean() - 0.53) < 0.05  # BKN: 53 % of PNS are women
    assert abs((pppk["jenis_kelamin"] == "P").mean() - 0.65) < 0.08  # 65 % of PPPK (fewer of them here)


def test_age_and_tenure_bands(pegawai):
    pns = pegawai[_in_post(pegawai, REF) & (pegawai["status"] == "pns")]
    age = _completed_years(pns["tanggal_lahir"], REF)
    tenure = _completed_years(pns["tmt_cpns"], REF)
    age_share = pd.cut(age, [0, 30, 40, 50, 60, 200]).value_counts(normalize=True, sort=False).to_numpy()
    tenure_share = pd.cut(tenure, [-1, 10, 20, 30, 200]).value_counts(normalize=True, sort=False).to_numpy()
    # BKN June 2023: <=30 10 %, 31-40 24 %, 41-50 33 %, 51-60 34 %; service 0-10 32 %, 11-20 52 %,
    # 21-30 15 %, >30 1 %.
    np.testing.assert_allclose(age_share, [0.10, 0.24, 0.33, 0.34, 0.0], atol=0.05)
    np.testing.assert_allclose(tenure_share, [0.32, 0.52, 0.15, 0.01], atol=0.05)


def test_education_and_rank(pegawai):
    pns = pegawai[_in_post(pegawai, REF) & (pegawai["status"] == "pns")]
    groups = {
        "SD": "SMA-",
        "SMP": "SMA-",
        "SMA": "SMA-",
        "D1": "D",
        "D2": "D",
        "D4": "D",
        "D3": "D3",
        "S1": "S1",
        "S2": "S2+",
        "S3": "S2+",
    }
    share = pns["pendidikan"].map(groups).value_counts(normalize=True)
    # BKN December 2023: S1 56 %, S2/S3 13 %, D3 11 %, D1/D2/D4 4 %, SMA and below 15 %.
    expected = {"S1": 0.56, "S2+": 0.13, "D3": 0.11, "D": 0.04, "SMA-": 0.15}
    for level, target in expected.items():
        assert abs(share.get(level, 0.0) - target) < 0.05, (level, share.get(level, 0.0))
    gol_iii = pns["golongan"].str.startswith("III/").mean()
    assert 0.5 < gol_iii < 0.7  # "over half of PNS are in golongan III"


def test_positions_follow_roles(pegawai):
    teachers = pegawai["jabatan"].str.startswith("Guru ")
    health = pegawai["jabatan"].str.match(r"(Perawat|Bidan|Dokter|Apoteker|Sanitarian|Nutrisionis) ")
    assert teachers.sum() > 300 and health.sum() > 20
    assert (pegawai.loc[teachers | health, "jenis_jabatan"] == "fungsional").all()
    managerial = pegawai["jenis_jabatan"].isin(["pengawas", "administrator"])
    assert (pegawai.loc[managerial, "status"] == "pns").all()
    assert set(pegawai.loc[pegawai["jabatan"] == "Lurah", "unit_id"]) == {
        f"KEL-{c}" for c in ("PLD", "TPT", "KPT", "PLI", "TBB", "PLU", "BGK")
    }
    assert set(pegawai.loc[pegawai["status"] == "pppk", "golongan"]) <= set(schema.GOLONGAN_PPPK)
    assert set(pegawai.loc[pegawai["status"] == "pns", "golongan"]) <= set(schema.GOLONGAN_PNS)
    end = pd.Timestamp("2025-12-31")
    in_post = pegawai[_in_post(pegawai, end)]
    pppk_share = in_post.groupby(in_post["unit_id"].str[:3])["status"].apply(lambda s: (s == "pppk").mean())
    assert pppk_share[["SDN", "SMP"]].min() > pppk_share["KEL"]  # more PPPK in education than in kelurahan
    assert 0.15 < (in_post["status"] == "pppk").mean() < 0.40  # Kota Palembang 2025: 32 % PPPK


def test_golongan_rises_with_education_and_tenure(pegawai):
    pns = pegawai[pegawai["status"] == "pns"].copy()
    rank = pns["golongan"].map({g: i for i, g in enumerate(schema.GOLONGAN_PNS)})
    s1 = pns["pendidikan"] == "S1"
    sma = pns["pendidikan"] == "SMA"
    assert rank[s1].mean() > rank[sma].mean() + 1.5
    assert (rank[s1] >= schema.GOLONGAN_PNS.index("III/a")).all()  # S1 enters at III/a
    tenure = (pd.Timestamp("2025-12-31") - pns["tmt_cpns"]).dt.days
    assert np.corrcoef(tenure[s1], rank[s1])[0, 1] > 0.5


def test_predikat_is_compressed_as_published(raw):
    k = raw["kinerja"]
    new = k[(k["tahun"].astype(int) >= 2022) & (k["periode"] == "tahunan")]
    share = new["predikat"].value_counts(normalize=True)
    # BKN 2022-2024: Sangat Baik 11.3 %, Baik 88.5 %, the other three together 0.27 %.
    assert abs(share["Sangat Baik"] - 0.113) < 0.03
    assert abs(share["Baik"] - 0.885) < 0.03
    assert 1.0 - share["Sangat Baik"] - share["Baik"] < 0.01


# --- Internal consistency -------------------------------------------------------------------------


def test_nips_valid_unique_and_agree_with_the_record(pegawai):
    assert pegawai["nip"].is_unique
    parsed = parse_nip(pegawai["nip"], today=dt.date(2026, 1, 1))
    assert parsed["valid"].all(), parsed.loc[~parsed["valid"], "reason"].head().tolist()
    assert (parsed["status"].astype(str) == pegawai["status"]).all()
    assert (parsed["jenis_kelamin"].astype(str) == pegawai["jenis_kelamin"]).all()
    assert (parsed["tanggal_lahir"] == pegawai["tanggal_lahir"]).all()
    pns = pegawai["status"] == "pns"
    assert (parsed.loc[pns, "tmt_cpns"] == pegawai.loc[pns, "tmt_cpns"].dt.to_period("M").dt.start_time).all()
    assert (parsed.loc[~pns, "tahun_pengangkatan"] == pegawai.loc[~pns, "tmt_cpns"].dt.year).all()
    # Building the same number with nip.format_* gives the same digits.
    for _, row in pegawai.iloc[::37].iterrows():
        serial = int(row["nip"][-3:])
        if row["status"] == "pns":
            built = format_nip(row["tanggal_lahir"], row["tmt_cpns"], row["jenis_kelamin"], serial)
        else:
            built = format_ni_pppk(row["tanggal_lahir"], row["tmt_cpns"].year, row["jenis_kelamin"], serial)
        assert built == row["nip"]


def test_people_come_and_go(pegawai):
    start, end = pd.Timestamp("2019-01-01"), pd.Timestamp("2025-12-31")
    assert (pegawai["tanggal_keluar"].dropna() > pegawai.loc[pegawai["tanggal_keluar"].notna(), "tmt_cpns"]).all()
    left = pegawai["tanggal_keluar"].between(start, end)
    joined = pegawai["tmt_cpns"].between(start, end)
    assert left.sum() > 50 and joined.sum() > 100
    assert (_in_post(pegawai, start) | joined).all()  # everyone is in post at some time in 2019-2025
    entry_age = (pegawai["tmt_cpns"] - pegawai["tanggal_lahir"]).dt.days / 365.25
    assert entry_age.min() >= 18


def test_foreign_keys_resolve(raw):
    nips = set(raw["pegawai"]["nip"])
    units = set(raw["unit_kerja"]["unit_id"])
    for table, column in (("kinerja", "nip"), ("pelatihan", "nip"), ("seleksi", "nip"), ("disiplin", "nip")):
        assert set(raw[table][column]) <= nips, table
    assert set(raw["layanan"]["nip_petugas"]) - {""} <= nips
    for table in ("pegawai", "layanan", "survei", "pengaduan"):
        assert set(raw[table]["unit_id"]) <= units, table


def _hand_matrix(hk: str, pk: str) -> str:
    """PermenPANRB 6/2022 (DOMAIN.md 3.1), written out by hand."""
    if hk == "di_bawah":
        return "Sangat Kurang" if pk == "di_bawah" else "Butuh Perbaikan"
    if pk == "di_bawah":
        return "Kurang"
    return "Sangat Baik" if (hk, pk) == ("di_atas", "di_atas") else "Baik"


def test_kinerja_follows_the_regime_of_its_year(raw, pegawai):
    k = raw["kinerja"]
    year = k["tahun"].astype(int)
    old, new = k[year < 2022], k[year >= 2022]
    assert (old[["rating_hasil_kerja", "rating_perilaku_kerja", "predikat"]] == "").all().all()
    assert (old[["nilai_skp", "nilai_perilaku"]] != "").all().all()
    assert old["nilai_skp"].astype(float).between(0, 100).all()
    assert (new[["nilai_skp", "nilai_perilaku"]] == "").all().all()
    expected = [
        _hand_matrix(h, p) for h, p in zip(new["rating_hasil_kerja"], new["rating_perilaku_kerja"], strict=True)
    ]
    assert new["predikat"].tolist() == expected
    quarterly = k[k["periode"] != "tahunan"]
    assert set(quarterly["periode"]) == {"Q1", "Q2", "Q3", "Q4"}
    assert set(quarterly["tahun"]) == {"2024", "2025"}
    assert set(quarterly["nip"]) <= set(pegawai.loc[pegawai["unit_id"].str.startswith(("KEC", "KEL")), "nip"])
    assert (quarterly.groupby(["nip", "tahun"]).size() == 4).all()
    # A row only for a year the employee was in post at its end.
    m = k.merge(pegawai[["nip", "tmt_cpns", "tanggal_keluar"]], on="nip")
    year_end = pd.to_datetime(m["tahun"] + "-12-31")
    assert ((m["tmt_cpns"] <= year_end) & (m["tanggal_keluar"].isna() | (m["tanggal_keluar"] > year_end))).all()


def test_one_winner_per_selection(raw, pegawai):
    s = raw["seleksi"]
    winners = s.groupby("seleksi_id")["terpilih"].apply(lambda x: (x == "true").sum())
    assert (winners == 1).all()
    sizes = s.groupby("seleksi_id").size()
    assert sizes.between(3, 6).all()
    per_year = s.drop_duplicates("seleksi_id")["tanggal"].str[:4].value_counts()
    assert per_year.between(24, 60).all() and len(per_year) == 7
    scores = s[["skor_kompetensi", "skor_potensi"]].astype(float)
    assert scores.ge(0).all().all() and scores.le(100).all().all()
    assert set(s["nip"]) <= set(pegawai.loc[pegawai["status"] == "pns", "nip"])


def _km(population: int) -> int:
    """Krejcie & Morgan (1970) as in DOMAIN.md section 6, rounded half up."""
    s = 3.841 * population * 0.25 / (0.05**2 * (population - 1) + 3.841 * 0.25)
    return int(np.floor(s + 0.5))


def test_krejcie_morgan_examples():
    assert [_km(100), _km(1000), _km(10000)] == [80, 278, 370]


def test_survey_samples_meet_krejcie_morgan(raw, truth):
    sv = raw["survei"]
    n = sv.groupby([sv["unit_id"], sv["tanggal"].str[:4].astype(int)]).size()
    design = truth["satisfaction_drop"]["per_unit_year"]
    assert len(design) == len(n) == 11 * 7
    cases = (
        raw["layanan"].groupby([raw["layanan"]["unit_id"], raw["layanan"]["tanggal_masuk"].str[:4].astype(int)]).size()
    )
    for row in design:
        key = (row["unit_id"], row["tahun"])
        assert n[key] == row["n"] >= _km(row["populasi"]), key
        if row["unit_id"].startswith(("KEL", "KEC")):
            assert row["populasi"] == cases[key]  # the stated population is that year's service users
    answers = sv[[f"u{i}" for i in range(1, 10)]].astype(int)
    assert answers.isin([1, 2, 3, 4]).all().all()
    assert (sv["saran"] == "").mean() > 0.5  # often empty


def test_survey_indices_look_published(raw):
    sv = raw["survei"]
    items = [f"u{i}" for i in range(1, 10)]
    nrr = sv[items].astype(int).groupby([sv["unit_id"], sv["tanggal"].str[:4]]).mean()
    ikm = nrr.mean(axis=1) * 25  # exact 1/9 weights
    assert ikm.between(76.61, 80.0).mean() > 0.6  # mostly grade B, 76-80
    assert (nrr.idxmin(axis=1) == "u3").mean() > 0.5  # U3 often the lowest item


def test_case_dates_and_officers(raw, pegawai, truth):
    lay = raw["layanan"].copy()
    holidays = np.array(truth["calendar"]["holidays"], dtype="datetime64[D]")
    masuk = _dates(lay["tanggal_masuk"])
    selesai = _dates(lay["tanggal_selesai"])
    assert np.is_busday(masuk.to_numpy().astype("datetime64[D]"), holidays=holidays).all()
    closed = selesai.notna()
    assert np.is_busday(selesai[closed].to_numpy().astype("datetime64[D]"), holidays=holidays).all()
    assert (selesai[closed] >= masuk[closed]).all()
    assert ((lay["status"] == "proses") == ~closed).all()
    assert (masuk[~closed] >= pd.Timestamp("2025-11-01")).all()  # only recent cases are still open
    assert lay["standar_hari"].astype(int).between(0, 5).all()
    assert ((lay["jumlah_revisi"].astype(int) > 0) == (lay["dikembalikan"] == "true")).all()
    assert len(lay) > 20_000
    officers = lay.merge(pegawai, left_on="nip_petugas", right_on="nip", suffixes=("", "_pegawai"))
    assert len(officers) == (lay["nip_petugas"] != "").sum()
    assert (officers["unit_id"] == officers["unit_id_pegawai"]).all()
    on_date = _dates(officers["tanggal_masuk"])
    assert (
        (officers["tmt_cpns"] <= on_date) & (officers["tanggal_keluar"].isna() | (officers["tanggal_keluar"] > on_date))
    ).all()
    within = _busdays(masuk[closed], selesai[closed], holidays) <= lay.loc[closed, "standar_hari"].astype(int)
    assert 0.75 < within.mean() < 0.98  # most, not all, cases meet their service standard


def test_training_records(raw, pegawai, truth):
    pl = raw["pelatihan"].copy()
    start, finish = _dates(pl["tanggal_mulai"]), _dates(pl["tanggal_selesai"])
    assert (finish >= start).all()
    assert (pl["jp"].astype(float) > 0).all()
    assert set(pl["penyelenggara"]) >= {
        "BKN",
        "BPSDM Sumsel",
        "LAN",
        "Dinas Pendidikan Kota Palembang",
        "Dinas Kesehatan Kota Palembang",
    }
    m = pl.merge(pegawai[["nip", "tmt_cpns", "tanggal_keluar"]], on="nip")
    on = _dates(m["tanggal_mulai"])
    assert ((m["tmt_cpns"] <= on) & (m["tanggal_keluar"].isna() | (m["tanggal_keluar"] > on))).all()
    # The 20 JP a year (PP 17/2020) is often missed: count PNS in post all year with their JP.
    pns = pegawai[pegawai["status"] == "pns"]
    year = 2023
    whole_year = pns[
        (pns["tmt_cpns"] <= pd.Timestamp(f"{year}-01-01"))
        & (pns["tanggal_keluar"].isna() | (pns["tanggal_keluar"] > pd.Timestamp(f"{year}-12-31")))
    ]
    jp = pl[pl["tanggal_mulai"].str.startswith(str(year))].groupby("nip")["jp"].apply(lambda x: x.astype(float).sum())
    below = whole_year["nip"].map(jp).fillna(0.0) < 20
    assert 0.3 < below.mean() < 0.8
    # The programme: attended once at most, in 2020-2024, with a never-trained group.
    name = truth["training_effect"]["programme"]["nama_pelatihan"]
    prog = pl[pl["nama_pelatihan"] == name]
    assert prog["nip"].is_unique
    assert set(prog["tanggal_mulai"].str[:4].astype(int)) == set(range(2020, 2025))
    assert set(prog["penyelenggara"]) == {"BKN", "BPSDM Sumsel", "LAN"}
    cohorts = prog["tanggal_mulai"].str[:4].astype(int).value_counts().sort_index()
    assert {str(k): int(v) for k, v in cohorts.items()} == truth["training_effect"]["adoption"]["trained_by_cohort"]
    assert truth["training_effect"]["adoption"]["never_trained"] == len(pegawai) - len(prog)
    assert len(prog) < 0.6 * len(pegawai)


def test_complaints_and_sanctions(raw):
    pg = raw["pengaduan"]
    masuk, selesai = _dates(pg["tanggal_masuk"]), _dates(pg["tanggal_selesai"])
    assert len(pg) < 0.01 * len(raw["layanan"])  # few relative to services
    assert set(pg["kanal"]) <= {"SP4N-LAPOR!", "langsung", "telepon", "media sosial"}
    assert ((pg["status"] == "proses") == selesai.isna()).all() and (pg["status"] == "proses").any()
    assert (selesai.dropna() >= masuk[selesai.notna()]).all()
    ds = raw["disiplin"]
    assert 5 <= len(ds) <= 40
    assert set(ds["tingkat"]) <= {"ringan", "sedang", "berat"}


# --- Ground truth ---------------------------------------------------------------------------------


def test_ground_truth_states_what_was_used(truth, raw):
    assert "SYNTHETIC DATA: not real people" in truth["notice"]
    assert truth["generator"]["seed"] == DEFAULT_SEED
    assert truth["counts"] == {t: len(raw[t]) for t in TABLES}
    assert "ASSUMPTION" in truth["assumptions"]["unit_sizes"]["note"]
    structural = truth["training_effect"]["structural"]
    assert list(structural["duration_shift_working_days"].values()) == list(_params.DURATION_SHIFT)
    assert list(structural["appraisal_latent_shift_sd"].values()) == list(_params.APPRAISAL_SHIFT)
    assert structural["sector_multiplier"] == dict(_params.SECTOR_MULTIPLIER)
    assert structural["provider_multiplier"] == dict(_params.PROVIDER_MULTIPLIER)
    coef = truth["selection_effect"]["coefficients"]
    assert coef == pytest.approx(dict(_params.SELECTION_COEFFICIENTS))
    assert coef["perempuan_dinas_pendidikan"] == pytest.approx(np.log(0.5))
    drop = truth["satisfaction_drop"]["drop"]
    assert (drop["unit_id"], drop["tahun"], drop["latent_shift"]) == ("KEL-TBB", 2024, dict(_params.DROP_SHIFT))
    units = raw["unit_kerja"].set_index("unit_id")
    for unit, size in truth["assumptions"]["unit_sizes"]["drawn"].items():
        lo, hi = truth["assumptions"]["unit_sizes"]["ranges"][units.loc[unit, "jenis_unit"]]
        assert lo <= size <= hi


def _imputation_att(panel: pd.DataFrame) -> pd.Series:
    """Borusyak-Jaravel-Spiess imputation: fit person + year effects on untreated rows, average y - y0_hat."""
    untreated = panel[~panel["treated"]]
    people = {p: i for i, p in enumerate(sorted(untreated["nip"].unique()))}
    years = sorted(panel["tahun"].unique())
    rows = panel[panel["nip"].isin(people)]

    def design(frame: pd.DataFrame) -> np.ndarray:
        x = np.zeros((len(frame), len(people) + len(years) - 1))
        x[np.arange(len(frame)), frame["nip"].map(people).to_numpy()] = 1.0
        for j, year in enumerate(years[1:]):
            x[:, len(people) + j] = (frame["tahun"] == year).to_numpy()
        return x

    beta, *_ = np.linalg.lstsq(design(untreated), untreated["y"].to_numpy(), rcond=None)
    treated = rows[rows["treated"]]
    effect = treated["y"].to_numpy() - design(treated) @ beta
    return pd.Series(effect).groupby(treated["event_time"].to_numpy()).mean()


def test_training_effect_on_cases_is_recoverable(raw, truth):
    """An estimator that knows nothing of the generator finds the stated ATT by event time."""
    holidays = np.array(truth["calendar"]["holidays"], dtype="datetime64[D]")
    lay = raw["layanan"]
    done = lay[lay["status"] == "selesai"].copy()
    done["days"] = _busdays(_dates(done["tanggal_masuk"]), _dates(done["tanggal_selesai"]), holidays)
    done["tahun"] = done["tanggal_masuk"].str[:4].astype(int)
    panel = done.groupby(["nip_petugas", "tahun"])["days"].mean().rename("y").reset_index()
    panel = panel.rename(columns={"nip_petugas": "nip"})
    pl = raw["pelatihan"]
    name = truth["training_effect"]["programme"]["nama_pelatihan"]
    cohort = pl[pl["nama_pelatihan"] == name].set_index("nip")["tanggal_mulai"].str[:4].astype(int)
    panel["cohort"] = panel["nip"].map(cohort).fillna(0).astype(int)
    panel["treated"] = (panel["cohort"] > 0) & (panel["tahun"] >= panel["cohort"])
    panel["event_time"] = np.where(panel["treated"], panel["tahun"] - panel["cohort"], -1)
    estimate = _imputation_att(panel)
    stated = {r["event_time"]: r["att"] for r in truth["training_effect"]["case_processing_time"]["by_event_time"]}
    for e in (0, 1, 2, 3):
        assert estimate[e] == pytest.approx(stated[e], abs=0.12), (e, estimate[e], stated[e])
    assert stated[0] > stated[1] > stated[2] and stated[2] < -0.3  # grows with time since training


def _conditional_logit(groups: np.ndarray, x: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """McFadden's conditional logit by Newton-Raphson: coefficients and standard errors."""
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        u = x @ beta
        u = u - pd.Series(u).groupby(groups).transform("max").to_numpy()
        w = np.exp(u)
        p = w / pd.Series(w).groupby(groups).transform("sum").to_numpy()
        mean_x = pd.DataFrame(x * p[:, None]).groupby(groups).transform("sum").to_numpy()
        grad = ((x - mean_x) * chosen[:, None]).sum(axis=0)
        centred = x - mean_x
        hess = -(centred * p[:, None]).T @ centred
        step = np.linalg.solve(hess, grad)
        beta = beta - step
        if np.abs(step).max() < 1e-10:
            break
    return beta, np.sqrt(np.diag(np.linalg.inv(-hess)))


def test_selection_coefficients_are_recoverable(raw, pegawai, truth):
    s = raw["seleksi"].merge(pegawai[["nip", "tmt_cpns", "jenis_kelamin", "unit_id"]], on="nip")
    s = s.sort_values(["seleksi_id", "nip"]).reset_index(drop=True)
    instansi = raw["unit_kerja"].set_index("unit_id")["instansi"]
    years = (_dates(s["tanggal"]) - s["tmt_cpns"]).dt.days / 365.2425
    woman_dinpen = (s["jenis_kelamin"] == "P") & s["unit_id"].map(instansi).str.startswith("Dinas Pendidikan")
    x = np.column_stack(
        [s["skor_kompetensi"].astype(float), s["skor_potensi"].astype(float), years, woman_dinpen.astype(float)]
    )
    beta, se = _conditional_logit(s["seleksi_id"].to_numpy(), x, (s["terpilih"] == "true").to_numpy(float))
    stated = truth["selection_effect"]["coefficients"]
    names = ["skor_kompetensi", "skor_potensi", "masa_kerja_tahun", "perempuan_dinas_pendidikan"]
    for name, b, e in zip(names, beta, se, strict=True):
        assert abs(b - stated[name]) < 3 * e, (name, b, e, stated[name])
    assert beta[2] / se[2] > 3  # seniority counts beyond merit, clearly


def test_satisfaction_drop_is_in_the_answers(raw, truth):
    sv = raw["survei"]
    tbb = sv[sv["unit_id"] == "KEL-TBB"]
    nrr = tbb[["u3", "u7", "u1"]].astype(int).groupby(tbb["tanggal"].str[:4].astype(int)).mean()
    design = {(r["unit_id"], r["tahun"]): r for r in truth["satisfaction_drop"]["per_unit_year"]}
    for item in ("u3", "u7"):
        shift = truth["satisfaction_drop"]["drop"]["expected_nrr_shift"][item]
        assert shift < -0.3
        observed = nrr.loc[2024, item] - nrr.loc[[2023, 2025], item].mean()
        assert observed == pytest.approx(shift, abs=0.15)
        assert nrr.loc[2024, item] == pytest.approx(design[("KEL-TBB", 2024)]["expected_nrr"][item], abs=0.12)
    assert abs(nrr.loc[2024, "u1"] - nrr.loc[2023, "u1"]) < 0.15  # other items do not move
    complaints = raw["pengaduan"]
    per_year = complaints[complaints["unit_id"] == "KEL-TBB"]["tanggal_masuk"].str[:4].value_counts()
    assert per_year.get("2024", 0) > per_year.drop("2024", errors="ignore").mean() + 2
