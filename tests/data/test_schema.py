"""The canonical tables: header aliases, spellings of values, ordering, and the data dictionary."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.data import schema


def test_nine_tables_with_the_design_key_columns():
    expected = {
        "unit_kerja": {"unit_id", "nama_unit", "jenis_unit", "instansi", "sektor", "kelurahan"},
        "pegawai": {
            "nip",
            "nama",
            "status",
            "jenis_kelamin",
            "tanggal_lahir",
            "tmt_cpns",
            "golongan",
            "jenis_jabatan",
            "jabatan",
            "pendidikan",
            "unit_id",
            "tanggal_keluar",
        },
        "kinerja": {
            "nip",
            "tahun",
            "periode",
            "rating_hasil_kerja",
            "rating_perilaku_kerja",
            "predikat",
            "nilai_skp",
            "nilai_perilaku",
        },
        "pelatihan": {
            "nip",
            "pelatihan_id",
            "nama_pelatihan",
            "jenis",
            "topik",
            "penyelenggara",
            "tanggal_mulai",
            "tanggal_selesai",
            "jp",
        },
        "seleksi": {
            "seleksi_id",
            "tanggal",
            "jabatan_target",
            "jenis",
            "nip",
            "skor_kompetensi",
            "skor_potensi",
            "terpilih",
            "nip_penilai",
        },
        "layanan": {
            "berkas_id",
            "unit_id",
            "jenis_layanan",
            "nip_petugas",
            "tanggal_masuk",
            "tanggal_selesai",
            "standar_hari",
            "status",
            "dikembalikan",
            "jumlah_revisi",
        },
        "survei": {"responden_id", "unit_id", "jenis_layanan", "tanggal", *(f"u{i}" for i in range(1, 10)), "saran"},
        "pengaduan": {"pengaduan_id", "unit_id", "tanggal_masuk", "kanal", "kategori", "tanggal_selesai", "status"},
        "disiplin": {"nip", "tanggal", "tingkat"},
    }
    assert set(schema.TABLES) == set(expected)
    for table, columns in expected.items():
        assert columns <= set(schema.TABLES[table].names), table


@pytest.mark.parametrize(
    ("table", "header", "canonical"),
    [
        ("pegawai", "NIP", "nip"),
        ("pegawai", "NIP Baru", "nip"),
        ("pegawai", "Unit Kerja", "unit_id"),
        ("pegawai", "Tgl. Lahir", "tanggal_lahir"),
        ("pegawai", "TGL_LAHIR", "tanggal_lahir"),
        ("pegawai", "Gol/Ruang", "golongan"),
        ("pegawai", "  jenis kelamin ", "jenis_kelamin"),
        ("kinerja", "PREDIKAT KINERJA", "predikat"),
        ("kinerja", "Rating Hasil Kerja", "rating_hasil_kerja"),
        ("survei", "Unsur 3", "u3"),
        ("layanan", "Tgl Masuk", "tanggal_masuk"),
        ("seleksi", "NIP Penilai", "nip_penilai"),
        ("seleksi", "NIP Ketua Panitia Seleksi", "nip_penilai"),
        ("seleksi", "Penilai", "nip_penilai"),
    ],
)
def test_export_headers_map_to_canonical_columns(table, header, canonical):
    assert schema.match_headers(table, [header]).mapping[header] == canonical


def test_unknown_headers_are_kept_and_close_ones_get_a_suggestion():
    m = schema.match_headers("pegawai", ["NIP", "Jenis Kelamn", "Catatan Atasan"])
    assert m.extra == ("Jenis Kelamn", "Catatan Atasan")
    assert m.suggestions == {"Jenis Kelamn": "jenis_kelamin"}
    assert "jenis_kelamin" in m.missing
    assert "nama" not in m.missing  # optional


def test_two_headers_for_one_column_are_reported():
    m = schema.match_headers("pegawai", ["NIP", "NIP Baru"])
    assert m.mapping["NIP"] == "nip"
    assert m.duplicated and "both mean 'nip'" in m.duplicated[0]


@pytest.mark.parametrize(
    ("table", "column", "raw", "canonical"),
    [
        ("pegawai", "jenis_kelamin", "Laki-laki", "L"),
        ("pegawai", "jenis_kelamin", "PEREMPUAN", "P"),
        ("pegawai", "status", "CPNS", "pns"),
        ("pegawai", "status", "P3K", "pppk"),
        ("pegawai", "golongan", "III/A", "III/a"),
        ("pegawai", "golongan", "IV-e", "IV/e"),
        ("pegawai", "golongan", "3b", "III/b"),
        ("pegawai", "golongan", "XVII", "XVII"),
        ("pegawai", "pendidikan", "S-1", "S1"),
        ("pegawai", "pendidikan", "D-III", "D3"),
        ("pegawai", "pendidikan", "SLTA", "SMA"),
        ("pegawai", "jenis_jabatan", "JPT Pratama", "jpt_pratama"),
        ("kinerja", "predikat", "SANGAT BAIK", "Sangat Baik"),
        ("kinerja", "predikat", "Kurang/Misconduct", "Kurang"),
        ("kinerja", "rating_hasil_kerja", "Di Atas Ekspektasi", "di_atas"),
        ("kinerja", "rating_perilaku_kerja", "dibawah ekspektasi", "di_bawah"),
    ],
)
def test_spellings_map_to_canonical_values(table, column, raw, canonical):
    values, bad = schema.canonical_values(schema.TABLES[table].column(column), pd.Series([raw]))
    assert values.iloc[0] == canonical
    assert not bad.iloc[0]


def test_unrecognised_values_are_flagged_and_missing_values_are_not():
    spec = schema.TABLES["kinerja"].column("predikat")
    values, bad = schema.canonical_values(spec, pd.Series(["Luar Biasa", "", None, "Baik"]))
    assert bad.tolist() == [True, False, False, False]
    assert values.isna().tolist() == [True, True, True, False]


def test_ordered_categories_follow_the_regulation_not_the_alphabet():
    gol = pd.Series(["IV/a", "II/d", "III/a", "I/a"], dtype=schema.category_dtype("pegawai", "golongan"))
    assert gol.sort_values().tolist() == ["I/a", "II/d", "III/a", "IV/a"]
    assert len(schema.GOLONGAN_PNS) == 17
    pred = pd.Series(
        ["Baik", "Sangat Kurang", "Sangat Baik", "Butuh Perbaikan", "Kurang"],
        dtype=schema.category_dtype("kinerja", "predikat"),
    )
    assert pred.max() == "Sangat Baik" and pred.min() == "Sangat Kurang"
    assert pred.sort_values().tolist() == ["Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Sangat Baik"]


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("pegawai.csv", "pegawai"),
        ("Data Pegawai 2024", "pegawai"),
        ("skm_2023", "survei"),
        ("unit_kerja", "unit_kerja"),
        ("e-Kinerja 2023", "kinerja"),
        ("laporan_keuangan", None),
    ],
)
def test_file_names_point_to_tables(name, table):
    assert schema.table_for_name(name.removesuffix(".csv")) == table


def test_nip_penilai_is_an_optional_nullable_nip_column_of_seleksi():
    spec = schema.TABLES["seleksi"]
    col = spec.column("nip_penilai")
    assert (col.kind, col.required, col.nullable) == ("nip", False, True)
    assert "nip_penilai" not in spec.required
    m = schema.match_headers("seleksi", [c for c in spec.names if c != "nip_penilai"])
    assert m.missing == ()  # a file without the assessor column still has every required column


def test_data_readme_holds_the_current_data_dictionary():
    from kinerja_analysis.paths import project_root

    readme = (project_root() / "data" / "README.md").read_text(encoding="utf-8")
    assert schema.data_dictionary() in readme, "regenerate data/README.md: python -m kinerja_analysis.data.schema"
