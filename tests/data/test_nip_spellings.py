"""NIPs as offices write them (issue 12), through the whole loader: one answer for every spelling.

``198609262015051001`` (DOMAIN.md section 1): born 1986-09-26, CPNS from 2015-05, male, serial 001.
Its printed grouping is ``19860926 201505 1 001`` (birth date, TMT, sex digit, serial).
A float string keeps 15 significant digits at most (``1.98609262015051E+17`` is 198609262015051000):
the last three digits are gone, so it is rejected, never guessed back.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis import load_dataset, parse_nip
from kinerja_analysis.data.nip_spellings import undash
from tests.data.test_io_support import clean_tables, write_tables

NIP = "198609262015051001"
FLOAT_REASON = "invalid NIP: NIP looks like a spreadsheet float ({}): digits were lost; export the column as text"


def load_with_nip(tmp_path, text: str):
    """Load unit_kerja and pegawai with ``text`` as the NIP of pegawai row 2 (data row 0), and the same
    text in kinerja's first two rows, which refer to that employee."""
    t = clean_tables()
    t["pegawai"].loc[0, "nip"] = text
    t["kinerja"].loc[[0, 1], "nip"] = text
    tables = {k: t[k] for k in ("unit_kerja", "pegawai", "kinerja")}
    ds = load_dataset(write_tables(tmp_path / "data", tables))
    acc = ds.accounting.set_index("table")
    assert (acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all()
    assert acc.loc["pegawai", "rows_read"] == 5 and acc.loc["kinerja", "rows_read"] == 5
    return ds


@pytest.mark.parametrize(
    "text",
    [
        "198609262015051001",
        "19860926 201505 1 001",
        "19860926-201505-1-001",
        "'198609262015051001",
        "'19860926 201505 1 001",
        " 198609262015051001 ",
        "198609262015051001\u00a0",  # a no-break space copied from a web page
    ],
)
def test_every_spelling_of_a_nip_loads_as_its_18_digits(tmp_path, text):
    ds = load_with_nip(tmp_path, text)
    assert ds.rejected.empty, ds.rejected
    assert ds.pegawai["nip"].iloc[0] == NIP
    assert ds.pegawai["tanggal_lahir"].iloc[0] == pd.Timestamp("1986-09-26")
    # kinerja refers to the employee by the same spelling and finds it.
    assert (ds.kinerja["nip"] == NIP).sum() == 2


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1.98609262015051E+17", "1.98609262015051E+17"),
        ("1,98609262015051E+17", "1,98609262015051E+17"),  # the same in an Indonesian locale
        # All 18 digits are there, but a decimal part says the value went through a number; the
        # existing rule rejects it rather than trusting the digits (parse_nip, Notes).
        ("198609262015051001.0", "198609262015051001.0"),
    ],
)
def test_a_nip_written_as_a_float_is_rejected_with_the_float_reason(tmp_path, text, shown):
    ds = load_with_nip(tmp_path, text)
    r = ds.rejected
    peg = r[r["table"] == "pegawai"]
    assert peg[["row", "column", "check", "value"]].values.tolist() == [[2, "nip", "nip", text]]
    assert peg["reason"].iloc[0] == FLOAT_REASON.format(shown)
    # The kinerja rows with the mangled NIP are rejected too, each for its own NIP.
    kin = r[r["table"] == "kinerja"]
    assert kin["row"].tolist() == [2, 3] and set(kin["check"]) == {"nip"}
    assert NIP not in set(ds.pegawai["nip"])
    acc = ds.accounting.set_index("table")
    assert acc.loc["pegawai", "rows_rejected"] == 1 and acc.loc["kinerja", "rows_rejected"] == 2


def test_parse_nip_alone_reads_spaces_and_the_apostrophe_but_not_dashes():
    # The loader turns the dashed grouping into spaces before parse_nip (data/nip_spellings.py);
    # parse_nip itself reports the dash as a non-digit.
    got = parse_nip(["198609262015051001", "19860926 201505 1 001", "'198609262015051001", "19860926-201505-1-001"])
    assert got["valid"].tolist() == [True, True, True, False]
    assert "non-digits" in got["reason"].iloc[3]
    assert parse_nip(undash(pd.Series(["19860926-201505-1-001"], dtype="str")))["valid"].tolist() == [True]


@pytest.mark.parametrize(
    "text",
    ["1986-09-26-2015051001", "19860926-2015051-001", "198609262015051001-", "19860926--201505-1-001x"],
)
def test_only_the_printed_grouping_loses_its_dashes(text):
    assert undash(pd.Series([text], dtype="str")).tolist() == [text]
