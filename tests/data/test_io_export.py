"""The rejected rows written for Excel: a cell of the user's file that Excel would run as a formula
(OWASP CSV injection) is written with a leading quote; numbers stay numbers. Checked on the bytes.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from kinerja_analysis.data.export import excel_safe, write_csv_for_excel
from kinerja_analysis.data.io import load_dataset
from tests.data.test_io_support import clean_tables

HYPERLINK = '=HYPERLINK("http://x","klik")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


def test_rejected_cells_that_excel_would_run_are_quoted_in_the_csv_bytes(tmp_path):
    df = clean_tables()["pelatihan"]
    df.loc[0, "jenis"], df.loc[1, "jenis"], df.loc[2, "jp"] = HYPERLINK, DDE, "-5"
    (tmp_path / "pelatihan.csv").write_text(df.to_csv(index=False), encoding="utf-8")
    ds = load_dataset(tmp_path / "pelatihan.csv")
    acc = ds.accounting
    assert acc[["rows_read", "rows_accepted", "rows_rejected"]].values.tolist() == [[3, 0, 3]]
    assert ds.rejected["value"].tolist() == [HYPERLINK, DDE, "-5"]  # the dataset keeps the cells as read
    out = tmp_path / "ditolak.csv"
    write_csv_for_excel(ds.rejected, out)
    data = out.read_bytes()
    assert b'"\'=HYPERLINK(""http://x"",""klik"")"' in data and b"'@SUM(1+1)*cmd|' /C calc'!A0" in data
    assert b",-5," in data  # a number stays a number
    cells = [c for row in csv.reader(io.StringIO(data.decode("utf-8"))) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r")) or (c.startswith("-") and c != "-5")]
    assert pd.read_csv(out, dtype="str")["value"].tolist() == ["'" + HYPERLINK, "'" + DDE, "-5"]


def test_excel_safe_quotes_every_formula_start_and_leaves_numbers_and_missing():
    frame = pd.DataFrame(
        {
            "text": ["=1+1", "+62 811", "-x", "@A1", "\tcmd", "\rcmd", "Andi", None],
            "number": ["-5", "+62", "-1,5", "1.234", "-2e3", "3", "0", None],
            "row": [2, 3, 4, 5, 6, 7, 8, 9],
        }
    )
    safe = excel_safe(frame)
    assert safe["text"].tolist()[:7] == ["'=1+1", "'+62 811", "'-x", "'@A1", "'\tcmd", "'\rcmd", "Andi"]
    assert safe["text"].isna().tolist()[-1] and safe["number"].tolist()[:7] == frame["number"].tolist()[:7]
    assert safe["row"].tolist() == frame["row"].tolist()
    assert frame["text"].iloc[0] == "=1+1"  # the input is untouched
