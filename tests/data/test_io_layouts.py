"""Tables laid out the office way: title rows and a logo above the header, merged and two-row headers,
a column-numbering row, and total rows after the data, in real .xlsx files (openpyxl) and CSV bytes.

In every case rows read = accepted + rejected in the accounting, the header is found by its content,
and rejected rows keep the row numbers the spreadsheet shows.
"""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from openpyxl.drawing.image import Image

from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.layout import FOOTER_REASON
from tests.data.office_files import HEADER_TOP, TITLE, employee_rows, logo, pegawai_workbook
from tests.data.test_io_support import NIPS, clean_tables

NIP_LIST = list(NIPS)


def balanced(ds) -> None:
    acc = ds.accounting
    assert (acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all(), acc
    for table, df in ds.tables.items():
        assert len(df) == acc.loc[acc["table"] == table, "rows_accepted"].sum()


def test_siasn_workbook_with_logo_title_merged_header_and_total_is_read_from_its_header(tmp_path):
    rows = employee_rows()
    rows[1][4] = "X"  # jenis_kelamin of Sri, on spreadsheet row 9
    path = pegawai_workbook(tmp_path / "Data Pegawai.xlsx", tmp_path, rows=rows)
    ds = load_dataset(path)
    balanced(ds)
    assert ds.pegawai["nip"].tolist() == [NIP_LIST[0], NIP_LIST[2], NIP_LIST[3]]
    assert ds.pegawai["tanggal_lahir"].iloc[0] == pd.Timestamp("1986-09-26")  # "Tanggal" over "Lahir"
    assert ds.pegawai["tmt_cpns"].iloc[0] == pd.Timestamp("2015-05-02")  # "Tanggal" over "TMT CPNS"
    r = ds.rejected
    assert r[["row", "column", "check"]].values.tolist() == [
        [9, "jenis_kelamin", "type"],  # row 9 as Excel shows it
        [12, "(whole row)", "footer"],
        [14, "(whole row)", "footer"],
        [15, "(whole row)", "footer"],
    ]
    assert r.loc[r["check"] == "footer", "reason"].unique().tolist() == [FOOTER_REASON]
    assert r.loc[r["check"] == "footer", "value"].tolist() == ["JUMLAH", "Palembang, 2 Januari 2025", "Camat Plaju"]
    assert ds.accounting[["rows_read", "rows_accepted", "rows_rejected"]].values.tolist() == [[7, 3, 4]]
    skipped = [w for w in ds.warnings if "the header is on rows 5-6" in w]
    assert len(skipped) == 1
    assert "rows 1-4 above it are not data, skipped (title: " in skipped[0]
    assert all(repr(t) in skipped[0] for t in TITLE)
    assert "row 7 only numbers the columns" in skipped[0]
    hm = ds.header_map.set_index("header")
    assert hm.loc["Tanggal Lahir", "column"] == "tanggal_lahir" and hm.loc["TMT CPNS", "column"] == "tmt_cpns"
    assert hm.loc["No", "status"] == "extra" and set(hm["header_row"]) == {"5-6"}


def test_header_merged_down_over_two_rows_without_sub_headers(tmp_path):
    names = ["NIP", "Nama", "Status", "Jenis Kelamin", "Tanggal Lahir", "TMT CPNS", "Golongan", "Jenis Jabatan",
             "Jabatan", "Pendidikan", "Unit Kerja"]  # fmt: skip
    book = openpyxl.Workbook()
    ws = book.active
    ws["A1"] = "REKAPITULASI ASN"
    for j, name in enumerate(names, start=1):
        ws.cell(3, j, name)
        ws.merge_cells(start_row=3, start_column=j, end_row=4, end_column=j)
    for i, row in enumerate(employee_rows()):
        for j, value in enumerate(row[1:], start=1):
            ws.cell(5 + i, j, value)
    ws.cell(6, 7, "III/z")  # an unknown golongan on row 6
    book.save(tmp_path / "pegawai.xlsx")
    ds = load_dataset(tmp_path / "pegawai.xlsx")
    balanced(ds)
    assert len(ds.pegawai) == 3 and ds.n_rejected == 1
    assert ds.rejected[["row", "column"]].values.tolist() == [[6, "golongan"]]
    assert any("the header is on row 3; rows 1-2 above it" in w and "'REKAPITULASI ASN'" in w for w in ds.warnings)


def test_logo_over_merged_empty_cells_and_a_blank_row_above_the_header(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Lembar1"
    ws.merge_cells("A1:D3")
    ws.add_image(Image(str(logo(tmp_path))), "A1")
    df = clean_tables()["disiplin"]
    for j, name in enumerate(["NIP", "Tanggal SK", "Tingkat Hukuman"], start=1):
        ws.cell(5, j, name)
    for i, row in enumerate(df.itertuples(index=False)):
        for j, value in enumerate(row, start=1):
            ws.cell(6 + i, j, value)
    book.save(tmp_path / "hukdis.xlsx")
    ds = load_dataset(tmp_path / "hukdis.xlsx")
    balanced(ds)
    assert ds.disiplin["nip"].tolist() == df["nip"].tolist() and ds.rejected.empty
    assert any("rows 1-4 above it are not data, skipped (empty: spacing or a logo)" in w
               for w in ds.warnings)  # fmt: skip


def test_csv_saved_from_such_a_sheet_keeps_its_line_numbers(tmp_path):
    # Excel's "CSV (semicolon)" of a sheet with a title block: every line padded to the table's width.
    header = [*HEADER_TOP[:5], "Tgl. Lahir", "TMT CPNS", *HEADER_TOP[7:]]
    width = len(header)
    lines = [";".join([t] + [""] * (width - 1)) for t in TITLE] + [";" * (width - 1), ";".join(header)]
    rows = employee_rows()
    rows[2][1] = "19820101201001100"  # 17 digits, on line 8
    lines += [";".join(str(v) for v in row) for row in rows]
    lines.append(";".join(["TOTAL PEGAWAI", "", "4"] + [""] * (width - 3)))
    (tmp_path / "pegawai.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    ds = load_dataset(tmp_path / "pegawai.csv")
    balanced(ds)
    assert ds.rejected[["row", "column", "check"]].values.tolist() == [[8, "nip", "nip"], [10, "(whole row)", "footer"]]
    assert ds.pegawai["tmt_cpns"].iloc[0] == pd.Timestamp("2015-05-02") and len(ds.pegawai) == 3
    assert any("the header is on row 5; rows 1-4 above it" in w for w in ds.warnings)


# --- Footers --------------------------------------------------------------------------------------


def survei_rows(n: int = 3) -> list[list[str]]:
    base = clean_tables()["survei"]
    head = list(base.columns[:13])  # responden_id, unit_id, jenis_layanan, tanggal, u1..u9
    body = [[f"R{i + 1}", "U02", "surat pengantar KTP", "2024-02-01", *[str(1 + (i + k) % 4) for k in range(9)]]
            for i in range(n)]  # fmt: skip
    return [head, *body]


def as_excel(text: str) -> object:
    if text == "":
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    return text


@pytest.mark.parametrize(
    "footer",
    [
        ["JUMLAH", "", "", "", *["9"] * 9],
        ["Total", "", "", "", *["27"] * 9],
        ["Jumlah Responden", "3", "", "", *[""] * 9],
        ["Nilai IKM", "", "", "", "3,25", "3,5", "2,75", "3", "3", "3", "3", "3", "3,1"],  # a label, then numbers
        ["", "Rata-rata", "", "", *["3.0"] * 9],
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_total_row_after_the_data_is_rejected_as_a_footer(tmp_path, footer, kind):
    rows = [*survei_rows(), footer]
    if kind == "csv":
        (tmp_path / "skm_2024.csv").write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    else:  # numbers stored as numbers, as Excel does
        book = openpyxl.Workbook()
        for r in rows:
            book.active.append([as_excel(v) for v in r])
        book.save(tmp_path / "skm_2024.xlsx")
    ds = load_dataset(tmp_path)
    balanced(ds)
    assert ds.survei["responden_id"].tolist() == ["R1", "R2", "R3"]
    assert ds.rejected[["row", "column", "check", "reason"]].values.tolist() == [
        [5, "(whole row)", "footer", FOOTER_REASON]
    ]
    assert ds.accounting[["rows_read", "rows_accepted", "rows_rejected"]].values.tolist() == [[4, 3, 1]]


def test_footer_that_does_not_fit_the_header_is_still_a_footer(tmp_path):
    text = "nip;tanggal;tingkat\n198201012010011003;2023-11-20;ringan\nJUMLAH;1\n"
    (tmp_path / "disiplin.csv").write_text(text, encoding="utf-8")
    ds = load_dataset(tmp_path)
    balanced(ds)
    assert ds.rejected[["row", "check", "value"]].values.tolist() == [[3, "footer", "JUMLAH"]]


def test_footers_skip_and_keep(tmp_path):
    rows = [*survei_rows(), ["Jumlah Responden", "", "", "", *["3"] * 9]]
    (tmp_path / "survei.csv").write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    skipped = load_dataset(tmp_path, footers="skip")
    balanced(skipped)
    assert skipped.rejected.empty and len(skipped.survei) == 3
    assert skipped.accounting["rows_read"].tolist() == [3]
    assert any(
        "survei.csv: row 5 after the data: total/footer ('Jumlah Responden'), not data; not loaded" in w
        for w in skipped.warnings
    )
    kept = load_dataset(tmp_path, footers="keep")
    balanced(kept)
    assert kept.accounting["rows_read"].tolist() == [4]
    assert set(kept.rejected["row"]) == {5} and "footer" not in set(kept.rejected["check"])
    with pytest.raises(ValueError, match="footers='drop' is not allowed; choose one of 'reject', 'skip', 'keep'"):
        load_dataset(tmp_path, footers="drop")


def test_last_rows_that_are_data_are_not_taken_for_footers(tmp_path):
    # Rows ending in text and numbers, and rows whose first cell is a number, are data.
    rows = survei_rows(4)
    (tmp_path / "survei.csv").write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    ds = load_dataset(tmp_path)
    assert ds.rejected.empty and len(ds.survei) == 4
    peg = clean_tables()["pegawai"].iloc[:4]
    (tmp_path / "pegawai.csv").write_text(peg.to_csv(index=False), encoding="utf-8")
    assert load_dataset(tmp_path / "pegawai.csv").rejected.empty
