"""Candidate-assessor ties: the optional nip_penilai column through the loader, satu_unit_penilai worked out
by hand, a planted tie recovered by the conditional logit, and clear errors when ties cannot be measured."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.merit import TIES_NOTE, selection_design, tie_terms, ties_model
from tests.data.test_io_support import NIPS, clean_tables, write_tables

P = list(NIPS)  # P[0], P[1] in unit U01; P[2], P[3], P[4] in U03
OUTSIDER = "198703152012031002"  # a valid NIP (born 1987-03-15, CPNS 2012-03, male, 002) not in pegawai


def _seleksi(rows: list[tuple[str, str, bool, str]]) -> pd.DataFrame:
    """(seleksi_id, nip, terpilih, nip_penilai) rows of a seleksi table, as text."""
    return pd.DataFrame({
        "seleksi_id": [r[0] for r in rows], "tanggal": "2023-09-01", "jabatan_target": "Kepala Seksi Pelayanan",
        "jenis": "promosi", "nip": [r[1] for r in rows], "skor_kompetensi": "80", "skor_potensi": "70",
        "terpilih": ["ya" if r[2] else "tidak" for r in rows], "nip_penilai": [r[3] for r in rows],
    })  # fmt: skip


def _load(tmp_path, seleksi: pd.DataFrame):
    tables = clean_tables()
    tables["seleksi"] = seleksi
    return load_dataset(write_tables(tmp_path, tables))


# --- The loader ------------------------------------------------------------------------------------


def test_loader_accepts_seleksi_without_the_optional_column(tmp_path) -> None:
    tables = clean_tables()
    assert "nip_penilai" not in tables["seleksi"].columns
    ds = load_dataset(write_tables(tmp_path, tables))
    assert ds.rejected.empty, ds.summary()
    assert len(ds.seleksi) == 2
    assert "nip_penilai" not in ds.seleksi.columns or ds.seleksi["nip_penilai"].isna().all()


@pytest.mark.parametrize("header", ["nip_penilai", "NIP Penilai", "NIP Ketua Panitia Seleksi", "Penilai"])
def test_loader_reads_the_assessor_under_its_header_aliases(tmp_path, header) -> None:
    seleksi = _seleksi([("S1", P[0], False, P[1]), ("S1", P[2], True, P[1])]).rename(columns={"nip_penilai": header})
    ds = _load(tmp_path, seleksi)
    assert ds.rejected.empty, ds.summary()
    assert ds.seleksi["nip_penilai"].tolist() == [P[1], P[1]]


def test_loader_rejects_a_malformed_assessor_nip_and_accepts_an_empty_one(tmp_path) -> None:
    seleksi = _seleksi([("S1", P[0], False, "1986092620150510"), ("S1", P[2], True, ""),
                        ("S2", P[0], True, ""), ("S2", P[3], False, "")])  # fmt: skip
    ds = _load(tmp_path, seleksi)
    bad = ds.rejected
    assert bad["column"].tolist() == ["nip_penilai"] and bad["check"].tolist() == ["nip"]
    assert len(ds.seleksi) == 3 and ds.seleksi["nip_penilai"].isna().all()


# --- tie_terms by hand ----------------------------------------------------------------------------


def test_tie_terms_by_hand(tmp_path) -> None:
    # S1: assessor P[1] (U01); P[0] is in U01, P[2] in U03. S2: the assessor is not in pegawai.
    seleksi = _seleksi([("S1", P[0], False, P[1]), ("S1", P[2], True, P[1]),
                        ("S2", P[0], True, OUTSIDER), ("S2", P[3], False, OUTSIDER)])  # fmt: skip
    ds = _load(tmp_path, seleksi)
    assert ds.rejected.empty, ds.summary()
    design = selection_design(ds)
    before = design.copy()
    out = tie_terms(design, ds).set_index(["seleksi_id", "nip"])
    pd.testing.assert_frame_equal(design, before)
    assert out.loc[("S1", P[0]), "satu_unit_penilai"] == 1.0
    assert out.loc[("S1", P[2]), "satu_unit_penilai"] == 0.0
    assert out.loc[("S1", P[0]), "unit_id_penilai"] == "U01"
    assert out.loc["S2", "satu_unit_penilai"].isna().all()
    assert (out.loc["S2", "nip_penilai"] == OUTSIDER).all()


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([("S1", P[0], False, P[1]), ("S1", P[2], True, P[3])], "more than one nip_penilai"),
        ([("S1", P[0], False, P[2]), ("S1", P[2], True, P[2])], "also a candidate"),
    ],
)
def test_tie_terms_refuses_two_assessors_or_a_self_judged_selection(tmp_path, rows, words) -> None:
    ds = _load(tmp_path, _seleksi(rows))
    with pytest.raises(KinerjaDataError, match=words):
        tie_terms(selection_design(ds), ds)


def test_without_nip_penilai_ties_cannot_be_measured_and_the_errors_say_so(tmp_path) -> None:
    ds = load_dataset(write_tables(tmp_path, clean_tables()))
    design = selection_design(ds)
    with pytest.raises(KinerjaDataError, match="nip_penilai") as err:
        tie_terms(design, ds)
    assert TIES_NOTE in str(err.value)
    with pytest.raises(KinerjaDataError, match="nip_penilai") as err:
        ties_model(design, terms=["skor_kompetensi"])
    assert "satu_unit_penilai" in str(err.value) and TIES_NOTE in str(err.value)


def test_ties_note_names_what_would_measure_ties() -> None:
    for words in ("nip_penilai", "Family names are not a valid proxy", "same unit", "direct superior", "panel"):
        assert words in TIES_NOTE, words


# --- A planted tie --------------------------------------------------------------------------------

N_UNITS, PER_UNIT, N_SELECTIONS, SIZE = 20, 40, 300, 5
TIE, KOMPETENSI, MASA = 1.0, 0.06, 0.1


def _planted_tables(seed: int) -> tuple[dict[str, pd.DataFrame], np.ndarray]:
    """Employees in 20 units; 300 selections of 5 candidates, each drawn from the assessor's unit with
    probability 0.4; the winner by Gumbel-max on 0.06 kompetensi + 0.1 masa kerja + 1.0 same unit."""
    rng = np.random.default_rng(seed)
    n = N_UNITS * PER_UNIT
    unit = np.repeat(np.arange(N_UNITS), PER_UNIT)
    birth = pd.Timestamp("1965-01-01") + pd.to_timedelta(rng.integers(0, 30 * 365, n), unit="D")
    tmt = pd.to_datetime([f"{b.year + int(a)}-{int(m):02d}-01" for b, a, m in
                          zip(birth, rng.integers(22, 27, n), rng.integers(1, 13, n), strict=True)])  # fmt: skip
    sex = rng.choice(["L", "P"], n)
    parts = enumerate(zip(birth, tmt, sex, strict=True))
    nips = [f"{b:%Y%m%d}{t:%Y%m}{1 if s == 'L' else 2}{i + 1:03d}" for i, (b, t, s) in parts]  # DOMAIN.md 1
    tables = clean_tables()
    tables["unit_kerja"] = pd.DataFrame({
        "unit_id": [f"U{u:02d}" for u in range(N_UNITS)], "nama_unit": [f"Unit {u}" for u in range(N_UNITS)],
        "jenis_unit": "kelurahan", "instansi": "Pemerintah Kota Palembang", "sektor": "pemerintahan", "kelurahan": "",
    })  # fmt: skip
    tables["pegawai"] = pd.DataFrame({
        "nip": nips, "status": "pns", "jenis_kelamin": sex, "tanggal_lahir": birth.strftime("%Y-%m-%d"),
        "tmt_cpns": tmt.strftime("%Y-%m-%d"), "golongan": "III/b", "jenis_jabatan": "pelaksana", "jabatan": "Staf",
        "pendidikan": "S1", "unit_id": [f"U{u:02d}" for u in unit],
    })  # fmt: skip
    rows, ties = [], []
    for j in range(N_SELECTIONS):
        date = pd.Timestamp("2023-01-02") + pd.Timedelta(days=j)
        judge = int(rng.integers(n))
        same_pool = np.flatnonzero((unit == unit[judge]) & (np.arange(n) != judge))
        other_pool = np.flatnonzero(unit != unit[judge])
        k = int(rng.binomial(SIZE, 0.4))
        cands = np.r_[rng.choice(same_pool, k, replace=False), rng.choice(other_pool, SIZE - k, replace=False)]
        same = (unit[cands] == unit[judge]).astype(float)
        komp = rng.uniform(50, 95, SIZE).round(1)
        masa = (date - tmt[cands]).days.to_numpy() / 365.2425
        win = np.argmax(KOMPETENSI * komp + MASA * masa + TIE * same + rng.gumbel(size=SIZE))
        ties.append(same)
        for i, c in enumerate(cands):
            rows.append((f"S{j:03d}", date.strftime("%Y-%m-%d"), "Kepala Seksi", "promosi", nips[c], f"{komp[i]}",
                         f"{rng.uniform(50, 95):.1f}", "true" if i == win else "false", nips[judge]))  # fmt: skip
    columns = ["seleksi_id", "tanggal", "jabatan_target", "jenis", "nip", "skor_kompetensi", "skor_potensi",
               "terpilih", "nip_penilai"]  # fmt: skip
    tables["seleksi"] = pd.DataFrame(rows, columns=columns)
    for t in ("kinerja", "pelatihan", "layanan", "disiplin"):
        tables.pop(t)
    return tables, np.concatenate(ties)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tables, ties = _planted_tables(seed=20240601)
    ds = load_dataset(write_tables(tmp_path_factory.mktemp("ties"), tables))
    assert ds.rejected.empty, ds.summary()
    return tie_terms(selection_design(ds), ds), ties


def test_satu_unit_penilai_matches_how_the_candidates_were_drawn(planted) -> None:
    design, ties = planted
    assert len(design) == N_SELECTIONS * SIZE and design["satu_unit_penilai"].notna().all()
    # The design is sorted by seleksi_id then nip; the generator's order is by selection only.
    assert design.groupby("seleksi_id")["satu_unit_penilai"].sum().sum() == ties.sum()


def test_planted_tie_is_recovered(planted) -> None:
    design, _ = planted
    table = ties_model(design, terms=["skor_kompetensi", "masa_kerja_tahun"]).set_index("term")
    tie = table.loc["satu_unit_penilai"]
    assert tie["ci_low"] <= np.e <= tie["ci_high"]
    assert tie["ci_low"] > 1
    assert (tie["n_selections"], tie["n_candidates"]) == (N_SELECTIONS, N_SELECTIONS * SIZE)
    assert "odds ratio (not a probability)" in tie["method"] and "export" in tie["note"]
    komp = table.loc["skor_kompetensi"]
    assert komp["ci_low"] <= np.exp(KOMPETENSI) <= komp["ci_high"]
    assert table.index[0] == "satu_unit_penilai"


def test_selections_with_an_unknown_tie_are_left_out_and_counted(planted) -> None:
    design, _ = planted
    unknown = design["seleksi_id"].isin(["S000", "S001"])
    masked = design.assign(satu_unit_penilai=design["satu_unit_penilai"].mask(unknown))
    table = ties_model(masked, terms=["skor_kompetensi"]).set_index("term")
    assert table.loc["satu_unit_penilai", "n_selections"] == N_SELECTIONS - 2
    assert "2 selection(s) with an unknown tie left out" in table.loc["satu_unit_penilai", "note"]
    with pytest.raises(KinerjaDataError, match="unknown in every selection"):
        ties_model(design.assign(satu_unit_penilai=np.nan), terms=["skor_kompetensi"])
    with pytest.raises(InvalidOptionError, match="must not include"):
        ties_model(design, terms=["skor_kompetensi", "satu_unit_penilai"])


def test_assessors_are_present_only_where_values_were_given():
    from kinerja_analysis.merit import has_assessors

    assert not has_assessors(pd.DataFrame({"seleksi_id": ["S1"]}))
    assert not has_assessors(pd.DataFrame({"seleksi_id": ["S1"], "nip_penilai": [pd.NA]}))
    assert has_assessors(pd.DataFrame({"seleksi_id": ["S1", "S2"], "nip_penilai": [pd.NA, "198609262015051001"]}))
