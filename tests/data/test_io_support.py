"""A small, hand-checked clean dataset for the loader tests, and the test that it loads without rejections.

Every NIP below was composed by hand from DOMAIN.md section 1 and agrees with its row:
``198609262015051001`` is born 1986-09-26, CPNS from 2015-05, male (1), serial 001;
``199001152021212007`` is a NI PPPK: born 1990-01-15, appointed 2021, marker 2, first contract (1),
female (2), serial 007. Other modules' tests import the builders from here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.schema import TABLE_ORDER, pandera_schema

NIPS = {
    "198609262015051001": ("1986-09-26", "2015-05-02", "L", "pns"),
    "197512312000032002": ("1975-12-31", "2000-03-01", "P", "pns"),
    "198201012010011003": ("1982-01-01", "2010-01-15", "L", "pns"),
    "199505052019022001": ("1995-05-05", "2019-02-01", "P", "pns"),
    "199001152021212007": ("1990-01-15", "2021-04-01", "P", "pppk"),
}


P0 = "198609262015051001"
"""The first NIP of :data:`NIPS`, written out for tests that edit a cell by hand."""


def csv_text(df: pd.DataFrame, sep: str = ",") -> str:
    """A table as the CSV text an export would hold."""
    return df.to_csv(index=False, sep=sep)


def balanced(ds) -> bool:
    """Rows read = rows accepted + rows rejected in every file of the dataset's account."""
    acc = ds.accounting
    return bool((acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all())


def clean_tables() -> dict[str, pd.DataFrame]:
    """Nine small tables, all text, that break no rule: the baseline every defect test edits."""
    unit = pd.DataFrame(
        {
            "unit_id": ["U01", "U02", "U03"],
            "nama_unit": ["Kantor Camat Plaju", "Kelurahan Plaju Darat", "Puskesmas Plaju"],
            "jenis_unit": ["kantor_camat", "kelurahan", "puskesmas"],
            "instansi": ["Pemerintah Kota Palembang"] * 2 + ["Dinas Kesehatan Kota Palembang"],
            "sektor": ["pemerintahan", "pemerintahan", "kesehatan"],
            "kelurahan": ["", "Plaju Darat", "Plaju Darat"],
        }
    )
    nips = list(NIPS)
    pegawai = pd.DataFrame(
        {
            "nip": nips,
            "nama": ["Andi", "Sri", "Budi", "Dewi", "Rina"],
            "status": [NIPS[n][3] for n in nips],
            "jenis_kelamin": [NIPS[n][2] for n in nips],
            "tanggal_lahir": [NIPS[n][0] for n in nips],
            "tmt_cpns": [NIPS[n][1] for n in nips],
            "golongan": ["III/b", "IV/a", "III/c", "III/a", "IX"],
            "jenis_jabatan": ["pelaksana", "administrator", "fungsional", "fungsional", "fungsional"],
            "jabatan": ["Pengadministrasi Umum", "Camat", "Dokter Ahli Pertama", "Perawat Terampil", "Bidan"],
            "pendidikan": ["S1", "S2", "S1", "D3", "D3"],
            "unit_id": ["U01", "U01", "U03", "U03", "U03"],
            "tanggal_keluar": ["", "", "", "", ""],
        }
    )
    kinerja = pd.DataFrame(
        {
            "nip": [nips[0], nips[0], nips[1], nips[2], nips[3]],
            "tahun": ["2021", "2023", "2023", "2023", "2022"],
            "periode": ["tahunan"] * 5,
            "rating_hasil_kerja": ["", "di_atas", "sesuai", "di_bawah", "sesuai"],
            "rating_perilaku_kerja": ["", "di_atas", "sesuai", "sesuai", "di_bawah"],
            "predikat": ["", "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang"],
            "nilai_skp": ["85,5", "", "", "", ""],
            "nilai_perilaku": ["80", "", "", "", ""],
        }
    )
    pelatihan = pd.DataFrame(
        {
            "nip": [nips[0], nips[2], nips[3]],
            "pelatihan_id": ["P1", "P1", "P2"],
            "nama_pelatihan": ["Pelayanan Prima", "Pelayanan Prima", "Manajemen Waktu"],
            "jenis": ["diklat_teknis", "diklat_teknis", "workshop"],
            "topik": ["pelayanan publik", "pelayanan publik", "manajemen waktu"],
            "penyelenggara": ["BPSDM", "BPSDM", "BKN"],
            "tanggal_mulai": ["2023-03-01", "2023-03-01", "2023-06-10"],
            "tanggal_selesai": ["2023-03-03", "2023-03-03", "2023-06-10"],
            "jp": ["24", "24", "8"],
        }
    )
    seleksi = pd.DataFrame(
        {
            "seleksi_id": ["S1", "S1"],
            "tanggal": ["2023-09-01", "2023-09-01"],
            "jabatan_target": ["Kepala Seksi Pelayanan"] * 2,
            "jenis": ["promosi", "promosi"],
            "nip": [nips[0], nips[2]],
            "skor_kompetensi": ["78.5", "81"],
            "skor_potensi": ["70", "75"],
            "terpilih": ["tidak", "ya"],
        }
    )
    layanan = pd.DataFrame(
        {
            "berkas_id": ["B1", "B2", "B3"],
            "unit_id": ["U02", "U02", "U01"],
            "jenis_layanan": ["surat pengantar KTP", "surat keterangan domisili", "izin usaha"],
            "nip_petugas": [nips[0], "", nips[1]],
            "tanggal_masuk": ["2024-01-02", "2024-01-03", "2024-01-04"],
            "tanggal_selesai": ["2024-01-02", "", "2024-01-09"],
            "standar_hari": ["1", "1", "5"],
            "status": ["selesai", "proses", "ditolak"],
            "dikembalikan": ["0", "1", "0"],
            "jumlah_revisi": ["0", "1", "0"],
        }
    )
    survei = pd.DataFrame(
        {
            "responden_id": ["R1", "R2"],
            "unit_id": ["U02", "U03"],
            "jenis_layanan": ["surat pengantar KTP", "pemeriksaan umum"],
            "tanggal": ["2024-02-01", "2024-02-02"],
            **{f"u{i}": ["3", str(1 + i % 4)] for i in range(1, 10)},
            "jenis_kelamin": ["P", "L"],
            "usia": ["34", "51"],
            "pendidikan": ["SMA", "S1"],
            "pekerjaan": ["wiraswasta", ""],
            "saran": ["antrian lebih cepat", ""],
        }
    )
    pengaduan = pd.DataFrame(
        {
            "pengaduan_id": ["A1", "A2"],
            "unit_id": ["U01", "U02"],
            "tanggal_masuk": ["2024-03-01", "2024-03-05"],
            "kanal": ["SP4N-LAPOR!", "langsung"],
            "kategori": ["KTP", "waktu layanan"],
            "tanggal_selesai": ["2024-03-10", ""],
            "status": ["selesai", "proses"],
        }
    )
    disiplin = pd.DataFrame({"nip": [nips[2]], "tanggal": ["2023-11-20"], "tingkat": ["ringan"]})
    tables = {
        "unit_kerja": unit,
        "pegawai": pegawai,
        "kinerja": kinerja,
        "pelatihan": pelatihan,
        "seleksi": seleksi,
        "layanan": layanan,
        "survei": survei,
        "pengaduan": pengaduan,
        "disiplin": disiplin,
    }
    return {t: tables[t] for t in TABLE_ORDER}


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], *, sep: str = ",") -> Path:
    """Write each table as ``<table>.csv`` (UTF-8, all text) into ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False, sep=sep)
    return folder


def test_clean_tables_load_without_rejection(tmp_path):
    tables = clean_tables()
    ds = load_dataset(write_tables(tmp_path, tables))
    assert ds.rejected.empty, ds.summary()
    assert list(ds.tables) == list(TABLE_ORDER)
    for name, df in ds.tables.items():
        assert len(df) == len(tables[name])
        pandera_schema(name).validate(df)
    acc = ds.accounting
    assert (acc["rows_read"] == acc["rows_accepted"]).all()
    assert acc["rows_read"].tolist() == [len(tables[t]) for t in TABLE_ORDER]
    assert ds.warnings == ()


def test_clean_values_are_typed(tmp_path):
    ds = load_dataset(write_tables(tmp_path, clean_tables()))
    peg = ds.pegawai.set_index("nip")
    assert peg.loc["198609262015051001", "tanggal_lahir"] == pd.Timestamp("1986-09-26")
    assert str(peg["tanggal_lahir"].dtype) == "datetime64[s]"
    assert peg["golongan"].cat.ordered and peg["golongan"].min() == "III/a"
    assert peg.loc["197512312000032002", "golongan"] > peg.loc["198609262015051001", "golongan"]
    assert ds.kinerja["nilai_skp"].iloc[0] == 85.5  # decimal comma
    assert ds.kinerja["tahun"].dtype == "Int64"
    assert ds.layanan["dikembalikan"].tolist() == [False, True, False]
    assert ds.layanan["tanggal_selesai"].isna().tolist() == [False, True, False]
    assert ds.unit_kerja["kelurahan"].isna().tolist() == [True, False, False]
    assert ds.pegawai["nama"].dtype == "str"


def test_content_hash_is_stable_and_follows_the_bytes(tmp_path):
    a = load_dataset(write_tables(tmp_path / "a", clean_tables()))
    b = load_dataset(write_tables(tmp_path / "b", clean_tables()))
    assert a.content_hash == b.content_hash and len(a.content_hash) == 64
    changed = clean_tables()
    changed["disiplin"].loc[0, "tingkat"] = "sedang"
    c = load_dataset(write_tables(tmp_path / "c", changed))
    assert c.content_hash != a.content_hash


def test_rejected_counts_show_checks_without_values():
    from kinerja_analysis.paths import dirty_data_dir

    ds = load_dataset(dirty_data_dir())
    counts = ds.rejected_counts()
    assert list(counts.columns) == ["table", "column", "check", "rows"]
    assert "value" not in counts.columns
    # The documented defects (expected_rejections.csv, written by hand per defect) give lower bounds:
    # every (table, column, check) listed there is counted at least that often; knock-on rejections
    # (rows of a rejected employee) may add more.
    expected = pd.read_csv(dirty_data_dir() / "expected_rejections.csv").groupby(["table", "column", "check"]).size()
    got = counts.set_index(["table", "column", "check"])["rows"]
    for key, n in expected.items():
        assert got.get(key, 0) >= n, key
    assert got.sum() >= expected.sum()
    assert counts["rows"].is_monotonic_decreasing
