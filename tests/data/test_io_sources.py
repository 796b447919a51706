"""Which table each file holds (by name, by headers), several files of one table, single files, and
workbooks and Parquet files read like CSV. Each case writes its files under ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kinerja_analysis.common.errors import (
    FileFormatError,
    UnknownTableError,
)
from kinerja_analysis.data.io import load_dataset
from tests.data.test_io_support import P0, clean_tables, csv_text, write_tables

# --- Finding tables -------------------------------------------------------------------------------


def test_files_that_match_no_table_are_reported(tmp_path):
    write_tables(tmp_path, {"disiplin": clean_tables()["disiplin"]})
    (tmp_path / "rekap_bulanan.csv").write_text("a,b\n1,2\n")
    (tmp_path / "README.md").write_text("notes")
    (tmp_path / "pegawai.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "arsip").mkdir()
    ds = load_dataset(tmp_path)
    text = " | ".join(ds.warnings)
    assert "not read, neither the name nor the headers say which table: rekap_bulanan.csv (closest is" in text
    assert "not read, not a data file: README.md, pegawai.docx" in text
    assert "pegawai.docx looks like table pegawai but is not read" in text
    assert "subfolders are not read: arsip/" in text
    assert list(ds.tables) == ["disiplin"]


def test_a_file_named_like_no_table_is_read_by_its_headers(tmp_path):
    t = clean_tables()
    write_tables(tmp_path, {"unit_kerja": t["unit_kerja"]})
    (tmp_path / "export_20241203.csv").write_text(csv_text(t["pegawai"]))
    (tmp_path / "lampiran.csv").write_bytes(b"%PDF-1.4 not a table")  # unreadable: listed, not fatal
    ds = load_dataset(tmp_path)
    assert list(ds.tables) == ["unit_kerja", "pegawai"]
    assert len(ds.pegawai) == len(t["pegawai"])
    acc = ds.accounting.set_index("file")
    assert acc.loc["export_20241203.csv", "rows_read"] == len(t["pegawai"])
    assert acc.loc["export_20241203.csv", "rows_read"] == (
        acc.loc["export_20241203.csv", "rows_accepted"] + acc.loc["export_20241203.csv", "rows_rejected"]
    )
    text = " | ".join(ds.warnings)
    assert "export_20241203.csv: read as table pegawai: the file's name says no table, its headers do." in text
    assert "lampiran.csv (cannot be read: lampiran.csv: this is not a text CSV file, it looks like a PDF" in text


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
