"""Workbooks with one sheet per table, named the office way or not at all: each sheet is mapped to its
table by its name, else by its headers; empty sheets are skipped with a warning; a sheet that fits
no table is named in a warning with the tables' names.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from kinerja_analysis.common.errors import UnknownTableError
from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.schema import TABLE_ORDER
from tests.data.office_files import TITLE
from tests.data.test_io_support import balanced, clean_tables


def add_sheet(book, name: str, df: pd.DataFrame | None, *, title: bool = False) -> None:
    sheet = book.create_sheet(name)
    if df is None:
        return
    if title:  # a title and an empty row above the header
        sheet.append([TITLE[0]])
        sheet.append([])
    sheet.append(list(df.columns))
    for row in df.itertuples(index=False):
        sheet.append([None if v == "" else v for v in row])


def office_book(path) -> None:
    t = clean_tables()
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_sheet(book, "Data Pegawai", t["pegawai"], title=True)
    add_sheet(book, "Sheet1", t["unit_kerja"])  # the name says nothing: the headers do
    add_sheet(book, "Rekap SKP 2024", t["kinerja"])
    add_sheet(book, "DATA_LAYANAN", t["layanan"], title=True)
    add_sheet(book, "Lembar1", t["disiplin"])  # headers again
    add_sheet(book, "Sheet2", None)  # empty
    add_sheet(book, "Catatan", pd.DataFrame({"Keterangan": ["diekspor dari SIASN"], "Oleh": ["BKPSDM"]}))
    book.save(path)


@pytest.mark.parametrize("where", ["file", "folder"])
def test_sheets_named_the_office_way_are_mapped_by_name_or_headers(tmp_path, where):
    office_book(tmp_path / "ekspor_plaju.xlsx")
    ds = load_dataset(tmp_path / "ekspor_plaju.xlsx" if where == "file" else tmp_path)
    assert balanced(ds), ds.accounting
    assert list(ds.tables) == ["unit_kerja", "pegawai", "kinerja", "layanan", "disiplin"]
    assert ds.rejected.empty, ds.summary()
    t = clean_tables()
    for name in ds.tables:
        assert len(ds.tables[name]) == len(t[name])
    assert ds.accounting["file"].tolist() == [
        "ekspor_plaju.xlsx[Sheet1]",
        "ekspor_plaju.xlsx[Data Pegawai]",
        "ekspor_plaju.xlsx[Rekap SKP 2024]",
        "ekspor_plaju.xlsx[DATA_LAYANAN]",
        "ekspor_plaju.xlsx[Lembar1]",
    ]
    text = " | ".join(ds.warnings)
    assert (
        "ekspor_plaju.xlsx[Sheet1]: read as table unit_kerja: the sheet's name says no table, its headers do." in text
    )
    assert "ekspor_plaju.xlsx[Lembar1]: read as table disiplin" in text
    assert "ekspor_plaju.xlsx: empty sheets skipped: 'Sheet2'." in text
    assert "ekspor_plaju.xlsx: sheets not read, their names match no table: Catatan; nor do their headers" in text
    assert f"Name each sheet after its table ({', '.join(TABLE_ORDER)})" in text
    assert "ekspor_plaju.xlsx[Data Pegawai]: the header is on row 3" in text


def test_workbook_named_after_a_table_reads_an_unnamed_sheet_lacking_a_column(tmp_path):
    df = clean_tables()["pegawai"].drop(columns=["golongan"])
    book = openpyxl.Workbook()
    book.remove(book.active)
    add_sheet(book, "Sheet1", df)
    book.save(tmp_path / "Data Pegawai 2024.xlsx")
    ds = load_dataset(tmp_path)
    assert balanced(ds), ds.accounting
    assert set(ds.rejected["check"]) == {"missing_column"} and ds.accounting["rows_rejected"].tolist() == [5]


def test_single_workbook_whose_sheets_fit_no_table_is_an_error(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["kode", "jumlah"])
    book.active.append(["A", 1])
    book.save(tmp_path / "rekap.xlsx")
    with pytest.raises(UnknownTableError, match=r"rekap.xlsx: cannot tell which table this is"):
        load_dataset(tmp_path / "rekap.xlsx")
