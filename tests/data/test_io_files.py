"""File-level behaviour of load_dataset: types, encodings, delimiters, headers, workbooks, Parquet,
single files, strict mode, ``require`` and ``summary``. Each case writes its files under ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kinerja_analysis.common.errors import (
    FileFormatError,
    InvalidOptionError,
    KinerjaDataError,
    MissingColumnError,
    MissingTableError,
    UnknownTableError,
)
from kinerja_analysis.data.io import load_dataset
from tests.data.test_io_support import clean_tables, write_tables

P0 = "198609262015051001"


def csv_text(df: pd.DataFrame, sep: str = ",") -> str:
    return df.to_csv(index=False, sep=sep)


def balanced(ds) -> bool:
    acc = ds.accounting
    return bool((acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all())


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


# --- Finding tables -------------------------------------------------------------------------------


def test_files_that_match_no_table_are_reported(tmp_path):
    write_tables(tmp_path, {"disiplin": clean_tables()["disiplin"]})
    (tmp_path / "rekap_bulanan.csv").write_text("a,b\n1,2\n")
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / "pegawai.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "arsip").mkdir()
    ds = load_dataset(tmp_path)
    text = " | ".join(ds.warnings)
    assert "not read, the name matches no table: rekap_bulanan.csv" in text
    assert "not read, not a data file: README.md, pegawai.docx" in text
    assert "pegawai.docx looks like table pegawai but is not read" in text
    assert "subfolders are not read: arsip/" in text
    assert list(ds.tables) == ["disiplin"]


def test_several_files_of_one_table_are_stacked_and_accounted_per_file(tmp_path):
    k = clean_tables()["kinerja"]
    (tmp_path / "kinerja_2021.csv").write_text(csv_text(k.iloc[[0]]))
    (tmp_path / "kinerja_2023.csv").write_text(csv_text(pd.concat([k.iloc[1:], k.iloc[[1]]])))
    write_tables(tmp_path, {t: clean_tables()[t] for t in ("unit_kerja", "pegawai")})
    ds = load_dataset(tmp_path)
    assert len(ds.kinerja) == 4
    acc = ds.accounting[ds.accounting["table"] == "kinerja"]
    assert acc[["file", "rows_read", "rows_accepted", "rows_rejected"]].values.tolist() == [
        ["kinerja_2021.csv", 1, 1, 0],
        ["kinerja_2023.csv", 5, 3, 2],
    ]
    assert set(ds.rejected["row"]) == {2, 6}


def test_duplicates_across_files_name_the_other_file(tmp_path):
    u = clean_tables()["unit_kerja"]
    (tmp_path / "unit_kerja.csv").write_text(csv_text(u))
    (tmp_path / "unor_tambahan.csv").write_text(csv_text(u.iloc[[1]]))
    ds = load_dataset(tmp_path)
    assert ds.rejected[["file", "row"]].values.tolist() == [["unit_kerja.csv", 3], ["unor_tambahan.csv", 2]]
    assert ds.rejected["reason"].tolist() == [
        "duplicate key (unit_id=U02) also on rows [unor_tambahan.csv:2]",
        "duplicate key (unit_id=U02) also on rows [unit_kerja.csv:3]",
    ]


def test_a_table_without_a_key_accepts_repeated_rows(tmp_path):
    d = clean_tables()["disiplin"]
    (tmp_path / "disiplin.csv").write_text(csv_text(pd.concat([d, d])))
    assert load_dataset(tmp_path).rejected.empty  # the same sanction twice is not an error of the data


def test_single_file_table_from_its_name_or_its_headers(tmp_path):
    df = clean_tables()["pelatihan"]
    named = tmp_path / "Rekap Diklat 2023.csv"
    named.write_text(csv_text(df))
    assert list(load_dataset(named).tables) == ["pelatihan"]
    unnamed = tmp_path / "export_1.csv"
    unnamed.write_text(csv_text(df))
    ds = load_dataset(unnamed)
    assert list(ds.tables) == ["pelatihan"] and len(ds.pelatihan) == 3


def test_single_file_whose_headers_fit_nothing_is_a_clear_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("kode,jumlah\nA,1\n")
    with pytest.raises(UnknownTableError, match=r"export.csv: cannot tell which table this is.*Rename the file"):
        load_dataset(path)


def test_single_file_whose_headers_fit_two_tables_equally_is_ambiguous(tmp_path):
    path = tmp_path / "export.csv"
    # Every column of disiplin (nip, tanggal, tingkat) and every required one of kinerja (nip, tahun, periode).
    path.write_text("nip,tanggal,tingkat,tahun,periode\n")
    with pytest.raises(UnknownTableError, match="fit several tables"):
        load_dataset(path)


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(FileFormatError, match="no such file or folder"):
        load_dataset(tmp_path / "nowhere")


# --- Workbooks and Parquet ------------------------------------------------------------------------


def write_workbook(path, tables: dict[str, pd.DataFrame]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, df in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(list(df.columns))
        for row in df.itertuples(index=False):
            sheet.append([None if v == "" else v for v in row])
    book.save(path)


def test_xlsx_workbook_round_trip_equals_csv(tmp_path):
    tables = clean_tables()
    write_workbook(tmp_path / "book.xlsx", tables)
    from_xlsx = load_dataset(tmp_path / "book.xlsx")
    from_csv = load_dataset(write_tables(tmp_path / "csv", tables))
    assert from_xlsx.rejected.empty
    for name in tables:
        pd.testing.assert_frame_equal(from_xlsx.tables[name], from_csv.tables[name])


def test_xlsx_numbers_and_dates_as_excel_stores_them(tmp_path):
    df = clean_tables()["pegawai"].astype(object)
    df.loc[0, "tanggal_lahir"] = dt.datetime(1986, 9, 26)  # a date cell
    df.loc[1, "tanggal_lahir"] = 27759  # a serial number: 1975-12-31
    df.loc[2, "nip"] = 1.98201012010011e17  # a NIP typed as a number: digits lost
    df.loc[3, "nip"] = 199505052019022001  # an int: openpyxl, like Excel, stores it with 15 digits
    write_workbook(tmp_path / "pegawai.xlsx", {"Sheet1": df})
    ds = load_dataset(tmp_path / "pegawai.xlsx")
    assert ds.rejected[["row", "column", "check"]].values.tolist() == [[4, "nip", "nip"], [5, "nip", "nip"]]
    assert "spreadsheet float (1.98201012010011e+17)" in ds.rejected["reason"].iloc[0]
    assert "spreadsheet float (1.99505052019022e+17)" in ds.rejected["reason"].iloc[1]
    peg = ds.pegawai.set_index("nip")
    assert peg.loc[P0, "tanggal_lahir"] == pd.Timestamp("1986-09-26")
    assert peg.loc["197512312000032002", "tanggal_lahir"] == pd.Timestamp("1975-12-31")


def test_serial_numbers_are_dates_only_in_workbooks(tmp_path):
    df = clean_tables()["disiplin"]
    df.loc[0, "tanggal"] = "45382"
    (tmp_path / "disiplin.csv").write_text(csv_text(df))
    ds = load_dataset(tmp_path / "disiplin.csv")
    assert ds.rejected["check"].tolist() == ["type"]


def test_workbook_sheets_that_match_no_table_are_reported(tmp_path):
    tables = {"disiplin": clean_tables()["disiplin"], "Catatan": pd.DataFrame({"x": ["1"]})}
    write_workbook(tmp_path / "data.xlsx", tables)
    ds = load_dataset(tmp_path)
    assert list(ds.tables) == ["disiplin"]
    assert any("data.xlsx: sheets not read, their names match no table: Catatan" in w for w in ds.warnings)
    assert ds.accounting["file"].tolist() == ["data.xlsx[disiplin]"]


def test_parquet_round_trip_with_text_columns_equals_csv(tmp_path):
    tables = clean_tables()
    for name, df in tables.items():
        pq.write_table(pa.Table.from_pandas(df.replace("", None), preserve_index=False), tmp_path / f"{name}.parquet")
    from_parquet = load_dataset(tmp_path)
    from_csv = load_dataset(write_tables(tmp_path / "csv", tables))
    assert from_parquet.rejected.empty
    for name in tables:
        pd.testing.assert_frame_equal(from_parquet.tables[name], from_csv.tables[name])


def test_parquet_with_typed_columns(tmp_path):
    table = pa.table({
        "nip": pa.array([198609262015051001, 198201012010011003], pa.int64()),
        "tanggal": pa.array([dt.date(2024, 1, 2), dt.date(2024, 2, 3)], pa.date32()),
        "tingkat": pa.array(["ringan", "berat"]).dictionary_encode(),
    })  # fmt: skip
    pq.write_table(table, tmp_path / "disiplin.parquet")
    ds = load_dataset(tmp_path / "disiplin.parquet")
    assert ds.rejected.empty
    assert ds.disiplin["nip"].tolist() == [P0, "198201012010011003"]
    assert ds.disiplin["tanggal"].tolist() == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-02-03")]


def test_parquet_nip_stored_as_float_is_rejected(tmp_path):
    table = pa.table({"nip": pa.array([1.98609262015051e17]), "tanggal": ["2024-01-02"], "tingkat": ["ringan"]})
    pq.write_table(table, tmp_path / "disiplin.parquet")
    ds = load_dataset(tmp_path / "disiplin.parquet")
    assert ds.rejected["check"].tolist() == ["nip"] and "spreadsheet float" in ds.rejected["reason"].iloc[0]


def test_corrupt_parquet_is_refused(tmp_path):
    (tmp_path / "disiplin.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(FileFormatError, match="disiplin.parquet: cannot be read as Parquet"):
        load_dataset(tmp_path)


# --- Strict mode, require, summary ----------------------------------------------------------------


def test_strict_mode_raises_with_the_summary_and_the_rejected_rows(tmp_path):
    tables = clean_tables()
    tables["pegawai"].loc[2, "jenis_kelamin"] = "X"
    write_tables(tmp_path, tables)
    with pytest.raises(KinerjaDataError) as err:
        load_dataset(tmp_path, strict=True)
    assert "pegawai.jenis_kelamin [type]: 1 row(s), e.g. pegawai.csv row 4" in str(err.value)
    assert err.value.rejected[["table", "row", "column"]].values.tolist()[0] == ["pegawai", 4, "jenis_kelamin"]
    # The employee's rows elsewhere are rejected as references to a rejected pegawai row.
    assert set(err.value.rejected["check"]) == {"type", "reference"}


def test_strict_mode_passes_clean_data(tmp_path):
    ds = load_dataset(write_tables(tmp_path, clean_tables()), strict=True)
    assert ds.n_rejected == 0


def test_require_names_the_analysis_and_the_missing_tables(tmp_path):
    write_tables(tmp_path, {t: clean_tables()[t] for t in ("unit_kerja", "pegawai")})
    ds = load_dataset(tmp_path)
    ds.require("pegawai", analysis="komposisi pegawai")
    with pytest.raises(MissingTableError) as err:
        ds.require("pegawai", "kinerja", "pelatihan", analysis="dampak pelatihan")
    msg = str(err.value)
    assert msg.startswith("dampak pelatihan needs the tables kinerja, pelatihan")
    assert "kinerja.csv (one row per employee x appraisal period; columns nip, tahun, periode)" in msg
    with pytest.raises(InvalidOptionError, match="table='kinerjaa'"):
        ds.require("kinerjaa", analysis="x")


def test_require_refuses_a_table_without_accepted_rows(tmp_path):
    (tmp_path / "disiplin.csv").write_text("nip,tanggal,tingkat\n")
    with pytest.raises(MissingTableError, match="hukuman needs rows in disiplin, but no row was accepted"):
        load_dataset(tmp_path).require("disiplin", analysis="hukuman")


def test_summary_reports_counts_reasons_and_example_rows(tmp_path):
    tables = clean_tables()
    tables["pegawai"].loc[0, "nip"] = "19860926201505100"
    tables["survei"].loc[1, "u1"] = "7"
    write_tables(tmp_path, tables)
    ds = load_dataset(tmp_path)
    text = ds.summary()
    read = sum(len(t) for t in tables.values())
    assert f"{read} rows read, {read - ds.n_rejected} accepted, {ds.n_rejected} rejected." in text
    assert "pegawai.nip [nip]: 1 row(s), e.g. pegawai.csv row 2" in text
    assert "invalid NIP: 17 digits, expected 18" in text
    assert "survei.u1 [range]: 1 row(s), e.g. survei.csv row 3" in text
    assert "kinerja.nip [reference]: 2 row(s), e.g. kinerja.csv row 2, kinerja.csv row 3" in text
    assert ds.n_rejected == 1 + 1 + 2 + 1 + 1 + 1  # pegawai, survei, kinerja x2, pelatihan, seleksi, layanan
    assert balanced(ds)


def test_summary_of_clean_data_says_nothing_was_rejected(tmp_path):
    text = load_dataset(write_tables(tmp_path, clean_tables())).summary()
    assert text.rstrip().endswith("No row was rejected.") and "Warnings" not in text


def test_dataset_is_frozen(tmp_path):
    ds = load_dataset(write_tables(tmp_path, clean_tables()))
    with pytest.raises(AttributeError):
        ds.pegawai = None
    assert isinstance(ds.warnings, tuple) and ds.source == str(tmp_path)
    assert np.issubdtype(ds.accounting["rows_read"].dtype, np.integer)
