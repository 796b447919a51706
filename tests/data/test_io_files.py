"""File-level behaviour of load_dataset: types, encodings, delimiters and headers. Each case writes its
files under ``tmp_path``. Finding tables, workbooks and Parquet are in ``test_io_sources``; strict mode,
``require`` and ``summary`` in ``test_io_summary``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.common.errors import (
    FileFormatError,
    MissingColumnError,
)
from kinerja_analysis.data.io import load_dataset
from tests.data.test_io_support import P0, clean_tables, csv_text, write_tables

# --- Wrong files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pegawai.docx", "pegawai.json", "pegawai.xls", "pegawai"])
def test_wrong_file_type_names_the_file_and_the_accepted_types(tmp_path, name):
    path = tmp_path / name
    path.write_text('{"nip": "198609262015051001"}')
    with pytest.raises(
        FileFormatError, match=rf"{name}: files of type .* cannot be read; accepted: CSV .*xlsx.*parquet"
    ):
        load_dataset(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "looks like a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "looks like a ZIP archive"),
        (b'[{"nip": "198609262015051001"}]', "looks like JSON"),
        (b"nip,nama\x00\x00\x01\x02", "binary data"),
    ],
)
def test_other_content_renamed_csv_is_refused(tmp_path, content, words):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(content)
    with pytest.raises(FileFormatError, match=words) as err:
        load_dataset(path)
    assert "pegawai.csv" in str(err.value)


def test_pdf_renamed_xlsx_is_refused(tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(b"%PDF-1.7 not a workbook")
    with pytest.raises(FileFormatError, match=r"pegawai.xlsx: cannot be opened as an Excel .xlsx workbook"):
        load_dataset(path)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_empty_file_is_an_error(tmp_path, content):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(content)
    with pytest.raises(FileFormatError, match="pegawai.csv: file is empty"):
        load_dataset(path)


def test_header_only_file_is_an_empty_table_with_a_warning(tmp_path):
    (tmp_path / "disiplin.csv").write_text("nip,tanggal,tingkat\n")
    ds = load_dataset(tmp_path)
    assert ds.disiplin is not None and len(ds.disiplin) == 0
    assert list(ds.disiplin.columns) == ["nip", "tanggal", "tingkat"]
    assert str(ds.disiplin["tanggal"].dtype) == "datetime64[s]"
    assert any("has a header but no data rows" in w for w in ds.warnings)
    assert ds.accounting["rows_read"].tolist() == [0]


def test_wrong_delimiter_says_what_was_found(tmp_path):
    (tmp_path / "pegawai.csv").write_text("nip|nama|status\n198609262015051001|Andi|pns\n")
    with pytest.raises(FileFormatError) as err:
        load_dataset(tmp_path)
    msg = str(err.value)
    assert "pegawai.csv" in msg and "it seems to use '|'" in msg and "'nip;nama;...' is read with ';'" in msg


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(tmp_path, sep):
    ds = load_dataset(write_tables(tmp_path, clean_tables(), sep=sep))
    assert ds.rejected.empty and len(ds.pegawai) == 5 and ds.kinerja["nilai_skp"].iloc[0] == 85.5


def test_rows_with_the_wrong_number_of_fields_are_rejected_whole(tmp_path):
    text = "nip,tanggal,tingkat\n198201012010011003,2023-11-20,ringan\n198201012010011003,2024-01-05\n\n"
    text += "198201012010011003,2024-02-01,berat,extra\n198201012010011003,2024-03-01,sedang\n"
    (tmp_path / "disiplin.csv").write_text(text)
    ds = load_dataset(tmp_path)
    r = ds.rejected
    assert r[["row", "column", "check"]].values.tolist() == [
        [3, "(whole row)", "row_shape"],
        [5, "(whole row)", "row_shape"],
    ]
    assert r["reason"].iloc[0].startswith("row has 2 field(s) but the header has 3")
    assert ds.disiplin["tanggal"].dt.strftime("%Y-%m-%d").tolist() == ["2023-11-20", "2024-03-01"]
    assert ds.accounting[["rows_read", "rows_accepted", "rows_rejected"]].values.tolist() == [[4, 2, 2]]


# --- Encodings ------------------------------------------------------------------------------------


def test_cp1252_file_with_accented_names_is_read_with_a_warning(tmp_path):
    df = clean_tables()["pegawai"]
    df.loc[0, "nama"], df.loc[1, "nama"] = "José", "Müller"
    (tmp_path / "pegawai.csv").write_bytes(csv_text(df).encode("cp1252"))
    ds = load_dataset(tmp_path)
    assert ds.pegawai["nama"].tolist()[:2] == ["José", "Müller"]
    assert any("read as Windows-1252" in w for w in ds.warnings)


def test_cp1252_byte_far_into_a_large_file_is_found(tmp_path):
    # The first 64 KiB are plain ASCII; the accented name comes after them.
    df = pd.DataFrame({"nip": [P0] * 4000, "tanggal": ["2024-01-01"] * 4000, "tingkat": ["ringan"] * 4000})
    df.loc[3999, "tingkat"] = "séd"
    (tmp_path / "disiplin.csv").write_bytes(csv_text(df).encode("cp1252"))
    ds = load_dataset(tmp_path)
    assert any("read as Windows-1252" in w for w in ds.warnings)
    assert ds.rejected["value"].tolist()[-1] == "séd"


def test_utf8_with_bom_is_read_and_the_first_header_matched(tmp_path):
    (tmp_path / "disiplin.csv").write_bytes(
        b"\xef\xbb\xbfNIP,Tgl SK,Tingkat Hukuman\n" + f"{P0},2024-01-02,ringan\n".encode()
    )
    ds = load_dataset(tmp_path)
    assert ds.rejected.empty and ds.disiplin["nip"].tolist() == [P0]
    assert ds.warnings == ("disiplin.nip was not checked against pegawai: the dataset has no pegawai table.",)


def test_utf16_tab_separated_export_is_read_with_a_warning(tmp_path):
    # Excel's "Unicode Text" export: tab-separated UTF-16 with a byte-order mark.
    df = clean_tables()["disiplin"]
    (tmp_path / "disiplin.csv").write_bytes(csv_text(df, sep="\t").encode("utf-16"))
    ds = load_dataset(tmp_path)
    assert ds.rejected.empty and ds.disiplin["nip"].tolist() == df["nip"].tolist()
    assert any("encoded as UTF-16" in w for w in ds.warnings)


# --- Headers --------------------------------------------------------------------------------------


def test_missing_required_column_lenient_rejects_every_row(tmp_path):
    df = clean_tables()["pegawai"].drop(columns=["golongan"])
    (tmp_path / "pegawai.csv").write_text(csv_text(df))
    ds = load_dataset(tmp_path)
    assert len(ds.pegawai) == 0
    assert ds.rejected[["row", "column", "check"]].values.tolist() == [
        [r, "golongan", "missing_column"] for r in range(2, 7)
    ]
    assert ds.accounting[["rows_read", "rows_accepted", "rows_rejected"]].values.tolist() == [[5, 0, 5]]
    assert any(
        "table pegawai needs the column golongan" in w and "All rows of this file are rejected" in w
        for w in ds.warnings
    )


def test_missing_required_column_strict_raises_naming_table_column_and_headers(tmp_path):
    df = clean_tables()["pegawai"].drop(columns=["golongan"])
    (tmp_path / "pegawai.csv").write_text(csv_text(df))
    with pytest.raises(MissingColumnError) as err:
        load_dataset(tmp_path, strict=True)
    msg = str(err.value)
    assert "pegawai.csv: table pegawai needs the column golongan" in msg
    assert "headers found (nip, nama, status, jenis_kelamin, tanggal_lahir, tmt_cpns, jenis_jabatan" in msg


def test_misspelt_header_gets_a_did_you_mean(tmp_path):
    df = clean_tables()["pegawai"].rename(columns={"tanggal_lahir": "Tangal Lahir"})
    (tmp_path / "pegawai.csv").write_text(csv_text(df))
    with pytest.raises(MissingColumnError, match=r"Did you mean 'Tangal Lahir' -> tanggal_lahir\?"):
        load_dataset(tmp_path, strict=True)


def test_export_headers_are_mapped_onto_canonical_names(tmp_path):
    df = clean_tables()["pegawai"].rename(
        columns={"nip": "NIP Baru", "tanggal_lahir": "Tgl. Lahir", "golongan": "Gol/Ruang", "jenis_kelamin": "L/P"}
    )
    df["jenis_kelamin_text"] = df.pop("L/P").map({"L": "Laki-laki", "P": "Perempuan"})
    df = df.rename(columns={"jenis_kelamin_text": "Jenis Kelamin"})
    (tmp_path / "Data Pegawai 2024.csv").write_text(csv_text(df))
    ds = load_dataset(tmp_path)
    assert ds.rejected.empty
    assert ds.pegawai["jenis_kelamin"].astype(str).tolist() == ["L", "P", "L", "P", "P"]


def test_extra_columns_are_kept_and_listed(tmp_path):
    df = clean_tables()["pegawai"]
    df["Catatan"] = ["a", "", "c", "", "e"]
    df["tanggal_kelaur"] = df.pop("tanggal_keluar")
    (tmp_path / "pegawai.csv").write_text(csv_text(df))
    ds = load_dataset(tmp_path)
    assert ds.rejected.empty
    assert ds.pegawai["Catatan"].tolist()[:1] == ["a"] and ds.pegawai["Catatan"].isna().sum() == 2
    assert list(ds.pegawai.columns)[-2:] == ["Catatan", "tanggal_kelaur"]
    assert (
        "pegawai.csv: extra columns kept as text: Catatan, tanggal_kelaur (did you mean tanggal_keluar?)."
        in ds.warnings
    )


def test_optional_columns_not_given_are_added_as_missing(tmp_path):
    df = clean_tables()["pegawai"].drop(columns=["nama", "tanggal_keluar"])
    (tmp_path / "pegawai.csv").write_text(csv_text(df))
    ds = load_dataset(tmp_path)
    assert ds.pegawai["nama"].isna().all() and ds.pegawai["tanggal_keluar"].isna().all()
    assert str(ds.pegawai["tanggal_keluar"].dtype) == "datetime64[s]"
