"""Encodings and broken files: Excel's UTF-16 "Unicode Text", binary files renamed .csv, ZIP archives
renamed .xlsx, truncated workbooks and Parquet files, empty files and empty workbooks. A file that
can be read is read with rows read = accepted + rejected; one that cannot stops with a
:class:`FileFormatError` naming the file and saying what to do, never a traceback from a library.
"""

from __future__ import annotations

import zipfile

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kinerja_analysis.common.errors import FileFormatError
from kinerja_analysis.data.io import load_dataset
from tests.data.office_files import unicode_text
from tests.data.test_io_support import balanced, clean_tables

P2 = "198201012010011003"


def test_excel_unicode_text_export_is_read(tmp_path):
    rows = [
        ["Daftar Hukuman Disiplin", "", ""],
        ["NIP", "Tanggal", "Tingkat Hukuman"],
        [P2, "20/11/2023", "ringan"],
        ["198609262015051001", "05/01/2024", "sédang"],  # not a tingkat: rejected, its accent intact
    ]
    (tmp_path / "hukdis.txt.csv").write_bytes(unicode_text(rows))
    ds = load_dataset(tmp_path / "hukdis.txt.csv")
    assert balanced(ds), ds.accounting
    assert ds.disiplin["nip"].tolist() == [P2]
    assert ds.rejected[["row", "column", "value"]].values.tolist() == [[4, "tingkat", "sédang"]]
    assert any("encoded as UTF-16" in w for w in ds.warnings)
    assert any("the header is on row 2" in w for w in ds.warnings)


def test_utf16_without_byte_order_mark_is_read(tmp_path):
    text = "nip\ttanggal\ttingkat\r\n" + f"{P2}\t2023-11-20\tringan\r\n"
    (tmp_path / "disiplin.csv").write_bytes(text.encode("utf-16-le"))
    ds = load_dataset(tmp_path)
    assert balanced(ds), ds.accounting
    assert ds.disiplin["nip"].tolist() == [P2]
    assert any("UTF-16-LE without a byte-order mark" in w for w in ds.warnings)


def test_nul_bytes_that_are_not_utf16_are_refused(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(b"SQLite format 3\x00\x10\x00\x01\x01\x00@  \x00\x00\x00\x02" + bytes(range(256)) * 4)
    with pytest.raises(FileFormatError) as err:
        load_dataset(path)
    msg = str(err.value)
    assert msg.startswith("pegawai.csv: contains binary data (NUL bytes) and is not UTF-16 text")
    assert "save it as CSV UTF-8 or as .xlsx" in msg


def test_zip_renamed_xlsx_is_not_a_workbook(tmp_path):
    path = tmp_path / "pegawai.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("pegawai.csv", "nip,nama\n")
        z.writestr("foto/andi.jpg", b"\xff\xd8")
    with pytest.raises(FileFormatError) as err:
        load_dataset(path)
    msg = str(err.value)
    assert msg.startswith("pegawai.xlsx: cannot be opened as an Excel .xlsx workbook: it is a ZIP archive")
    assert "(pegawai.csv, foto/andi.jpg)" in msg and "Unpack it and give the files inside" in msg


def workbook_bytes(tmp_path) -> bytes:
    book = openpyxl.Workbook()
    df = clean_tables()["pegawai"]
    book.active.append(list(df.columns))
    for _ in range(200):
        for row in df.itertuples(index=False):
            book.active.append(list(row))
    book.save(tmp_path / "full.xlsx")
    return (tmp_path / "full.xlsx").read_bytes()


@pytest.mark.parametrize("keep", [0.5, 0.95])
def test_truncated_xlsx_is_reported_as_damaged(tmp_path, keep):
    data = workbook_bytes(tmp_path)
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(FileFormatError) as err:
        load_dataset(path)
    msg = str(err.value)
    assert msg.startswith("pegawai.xlsx: ") and "damaged or incomplete" in msg and "Copy it again" in msg


def test_xlsx_damaged_inside_is_reported(tmp_path):
    src = tmp_path / "full.xlsx"
    workbook_bytes(tmp_path)
    path = tmp_path / "pegawai.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data[: len(data) // 2]  # the sheet's XML stops in the middle
            zout.writestr(item, data)
    with pytest.raises(FileFormatError, match=r"pegawai.xlsx: sheet 'Sheet' cannot be read, the workbook is damaged"):
        load_dataset(path)


def test_old_xls_renamed_xlsx_says_save_as_xlsx(tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    with pytest.raises(FileFormatError, match=r"pegawai.xlsx: is an old-style Office file .*save it again as an Excel"):
        load_dataset(path)


def test_truncated_parquet_is_reported_as_damaged(tmp_path):
    table = pa.Table.from_pandas(clean_tables()["disiplin"], preserve_index=False)
    pq.write_table(table, tmp_path / "full.parquet")
    data = (tmp_path / "full.parquet").read_bytes()
    (tmp_path / "disiplin.parquet").write_bytes(data[: len(data) - 20])
    with pytest.raises(FileFormatError) as err:
        load_dataset(tmp_path / "disiplin.parquet")
    msg = str(err.value)
    assert msg.startswith("disiplin.parquet: cannot be read as Parquet: the file is damaged, incomplete")
    assert "Copy or export it again" in msg


@pytest.mark.parametrize("name", ["pegawai.csv", "pegawai.xlsx", "pegawai.parquet"])
def test_empty_file_of_any_kind(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(FileFormatError, match=rf"{name}: file is empty \(0 bytes\)\. Export the table again"):
        load_dataset(tmp_path)


def test_workbook_whose_sheets_are_all_empty(tmp_path):
    book = openpyxl.Workbook()
    book.create_sheet("Sheet2")
    book.save(tmp_path / "pegawai.xlsx")
    with pytest.raises(FileFormatError, match=r"pegawai.xlsx: file is empty \(no sheet has any cell\)"):
        load_dataset(tmp_path)
