"""Dates as offices write them (issue 12): every expected date below was worked out by hand from the text.

Excel serials: day 0 is 1899-12-30 (Excel counts 1900 as a leap year, so from March 1900 the serial
is the days since 1899-12-30): 43831 is 2020-01-01, 43831 + 366 (2020 is a leap year) = 44197 is
2021-01-01, 45382 is 2024-03-31.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.data.parsing import parse_date
from tests.data.test_io_support import clean_tables, write_tables


def dates(texts, **kw):
    return parse_date(pd.Series(texts, dtype="str"), **kw)


def iso(parsed) -> list[str | None]:
    return [None if pd.isna(v) else v.strftime("%Y-%m-%d") for v in parsed.values]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Januari 2020", "2020-01-12"),
        ("12 januari 2020", "2020-01-12"),
        ("12 JANUARI 2020", "2020-01-12"),
        ("12-Jan-2020", "2020-01-12"),
        ("12 Agt 2020", "2020-08-12"),
        ("12 Agu 2020", "2020-08-12"),
        ("12 Ags 2020", "2020-08-12"),
        ("12 Agt. 2020", "2020-08-12"),
        ("12 Agustus 2020", "2020-08-12"),
        ("3 Mei 2021", "2021-05-03"),
        ("03 MEI 2021", "2021-05-03"),
        ("1 Des 2019", "2019-12-01"),
        ("1 Desember 2019", "2019-12-01"),
        ("9 Feb 2022", "2022-02-09"),
        ("9 Pebruari 2022", "2022-02-09"),
        ("17 Mar 2022", "2022-03-17"),
        ("17 Maret 2022", "2022-03-17"),
        ("21 Apr 2022", "2022-04-21"),
        ("30 Jun 2022", "2022-06-30"),
        ("31 Jul 2022", "2022-07-31"),
        ("15 Sep 2021", "2021-09-15"),
        ("15 Sept 2021", "2021-09-15"),
        ("31 Okt 2022", "2022-10-31"),
        ("30 Nov 2022", "2022-11-30"),
        ("10 Nopember 2022", "2022-11-10"),
        # English short forms, as Excel writes them in an English locale.
        ("5 May 2020", "2020-05-05"),
        ("5-Aug-2020", "2020-08-05"),
        ("5-Oct-2020", "2020-10-05"),
        ("25-Dec-2020", "2020-12-25"),
        ("29 Februari 2024", "2024-02-29"),  # 2024 is a leap year
        # Numbers, with each separator, ISO, and a time after the date.
        ("31/03/2024", "2024-03-31"),
        ("31-03-2024", "2024-03-31"),
        ("31.03.2024", "2024-03-31"),
        ("1/3/2024", "2024-03-01"),
        ("2024-03-31", "2024-03-31"),
        ("2024/03/31", "2024-03-31"),
        ("2024-3-5", "2024-03-05"),
        ("31/03/2024 00:00", "2024-03-31"),
        ("2024-03-31 10:15:00", "2024-03-31"),
        ("2024-03-31T10:15:00", "2024-03-31"),
        (" 31/03/2024 ", "2024-03-31"),
        ("31/03/2024 10.30", "2024-03-31"),
        ("31 Mar 2024 10:15 AM", "2024-03-31"),
        ("2024-03-31 08:00:00.000", "2024-03-31"),
    ],
)
def test_one_date_in_each_form_offices_write(text, expected):
    parsed = dates([text])
    assert iso(parsed) == [expected]
    assert not parsed.bad.any()


@pytest.mark.parametrize(
    "text",
    [
        "29 Feb 2023",  # 2023 is not a leap year
        "31 April 2020",
        "31/04/2020",
        "12 Foo 2020",
        "12 Januari 20",  # a two-digit year: which century is a guess
        "12-Jan-20",
        "31/03-2024",  # two different separators
        "2024-03/31",
        "13/13/2020",
        "1899-12-31",  # before DATE_RANGE
        "01/01/2101",  # after it
        "Januari 2020",
        "45382",  # a serial number in a CSV cell
        "tgl 12",
        "2024-03-31 25:00",  # not a time of day
        "2024-03-31 10:61",
    ],
)
def test_unreadable_dates_are_rejected_never_silently_missing(text):
    parsed = dates([text])
    assert parsed.bad.tolist() == [True]
    assert iso(parsed) == [None]
    [(mask, reason)] = parsed.reasons()
    assert mask.tolist() == [True]
    assert reason.startswith("'{value}' is not a date")


def test_excel_serials_are_dates_only_in_workbook_cells():
    parsed = dates(["43831", "44197", "45382", "43831.75", "45382"], excel=np.array([True] * 4 + [False]))
    assert iso(parsed) == ["2020-01-01", "2021-01-01", "2024-03-31", "2020-01-01", None]
    assert parsed.bad.tolist() == [False, False, False, False, True]


def test_mixed_forms_in_one_column_are_read_row_by_row():
    texts = ["2024-03-31", "31/03/2024", "31 Maret 2024", "31-Mar-2024", "45382", "31.03.2024", None, "x"]
    excel = np.array([False, False, False, False, True, False, False, False])
    parsed = dates(texts, excel=excel)
    assert iso(parsed) == ["2024-03-31"] * 6 + [None, None]
    assert parsed.bad.tolist() == [False] * 6 + [False, True]  # a missing cell is missing, not bad


def test_bad_is_exactly_present_but_not_a_date():
    texts = ["2024-02-29", "2023-02-29", "", "  ", None, "12 Agt 2020", "12 Agx 2020", "07/08/2020", "99"]
    parsed = dates(texts)
    present = pd.Series(texts, dtype="str").notna().to_numpy()
    assert parsed.bad.tolist() == (present & parsed.values.isna().to_numpy()).tolist()
    assert parsed.bad.tolist() == [False, True, True, True, False, False, True, False, True]


# --- The order of day and month --------------------------------------------------------------------


def test_default_reads_ambiguous_dates_day_first_as_indonesian_exports_do():
    parsed = dates(["03/04/2021", "05/05/2021"])
    assert iso(parsed) == ["2021-04-03", "2021-05-05"]
    assert parsed.note == (
        "dates in numbers read day/month/year (day_first=True; 0 dates show the day first, 0 the month first)"
    )


def test_day_first_false_reads_month_first():
    parsed = dates(["03/04/2021", "12/25/2020"], day_first=False)
    assert iso(parsed) == ["2021-03-04", "2020-12-25"]


def test_inferred_day_first_from_a_first_number_above_12():
    parsed = dates(["25/12/2020", "03/04/2021"], day_first=None)
    assert iso(parsed) == ["2020-12-25", "2021-04-03"]
    assert parsed.note == (
        "dates in numbers read day/month/year "
        "(as most of its dates show: 1 date shows the day first, 0 the month first)"
    )


def test_inferred_month_first_from_a_second_number_above_12():
    parsed = dates(["12/25/2020", "03/04/2021"], day_first=None)
    assert iso(parsed) == ["2020-12-25", "2021-03-04"]
    assert "read month/day/year" in parsed.note


def test_with_no_evidence_and_no_stated_order_ambiguous_dates_are_rejected():
    parsed = dates(["03/04/2021", "05/05/2021", "2021-06-07", "7 Jun 2021"], day_first=None)
    # 05/05 reads the same either way; ISO dates and month names say nothing about the numeric order.
    assert iso(parsed) == [None, "2021-05-05", "2021-06-07", "2021-06-07"]
    [(mask, reason)] = parsed.reasons()
    assert mask.tolist() == [True, False, False, False]
    assert "does not settle (no date in it shows which" in reason and "pass day_first=True" in reason


def test_the_majority_order_wins_and_the_contradicting_rows_are_rejected_with_the_reason():
    texts = ["25/12/2020", "26/12/2020", "12/27/2020", "03/04/2021"]
    parsed = dates(texts, day_first=None)
    assert iso(parsed) == ["2020-12-25", "2020-12-26", None, "2021-04-03"]
    [(mask, reason)] = parsed.reasons()
    assert mask.tolist() == [False, False, True, False]
    assert reason == (
        "'{value}' is not a date in this column's order: it reads only as month/day/year, but the column is read "
        "day/month/year (as most of its dates show: 2 dates show the day first, 1 the month first)"
    )


def test_evidence_is_counted_in_rows_not_distinct_texts():
    parsed = dates(["25/12/2020"] + ["12/27/2020"] * 3 + ["03/04/2021"], day_first=None)
    assert iso(parsed) == [None, "2020-12-27", "2020-12-27", "2020-12-27", "2021-03-04"]
    assert "1 date shows the day first, 3 the month first" in parsed.note


def test_as_much_evidence_for_each_order_rejects_every_date_that_depends_on_it():
    parsed = dates(["25/12/2020", "12/27/2020", "03/04/2021", "06/06/2021"], day_first=None)
    assert iso(parsed) == [None, None, None, "2021-06-06"]
    [(mask, reason)] = parsed.reasons()
    assert mask.tolist() == [True, True, True, False]
    assert "it shows both orders as often: 1 date shows the day first, 1 the month first" in reason


def test_stated_day_first_is_not_applied_against_a_month_first_column():
    parsed = dates(["12/25/2020", "12/26/2020", "03/04/2021", "25/12/2020"])
    # Three month-first proofs against one day-first: day_first=True reads 25/12/2020, rejects the
    # dates that read only month first, and refuses to read 03/04/2021 (probably 4 March) as 3 April.
    assert iso(parsed) == [None, None, None, "2020-12-25"]
    reasons = {template: mask.tolist() for mask, template in parsed.reasons()}
    assert len(reasons) == 2
    only, ambiguous = sorted(reasons, key=lambda t: "ambiguous" in t)
    assert reasons[only] == [True, True, False, False] and "reads only as month/day/year" in only
    assert reasons[ambiguous] == [False, False, True, False]
    assert ambiguous.startswith("'{value}' is ambiguous: day_first=True says day/month/year, but most dates")
    assert "the dates that depend on the order are rejected" in parsed.note


def test_stated_day_first_with_a_minority_of_month_first_rows():
    parsed = dates(["25/12/2020", "26/12/2020", "12/27/2020", "03/04/2021"])
    assert iso(parsed) == ["2020-12-25", "2020-12-26", None, "2021-04-03"]
    assert parsed.note == (
        "dates in numbers read day/month/year (day_first=True; 2 dates show the day first, 1 the month first)"
    )


def test_no_note_when_no_date_depends_on_the_order():
    assert dates(["2024-03-31", "31 Maret 2024", "05/05/2024"]).note is None


def test_four_million_rows_are_read_once_per_distinct_text():
    # 4.3 million rows of 3 distinct texts: the work follows the distinct texts, so this is quick.
    text = pd.Series(np.repeat(np.array(["25/12/2020", "3 Mei 2021", "2021-06-07"], dtype=object), 1_433_334))
    parsed = parse_date(text.astype("str"), day_first=None)
    assert not parsed.bad.any()
    assert parsed.values.iloc[[0, -1]].dt.strftime("%Y-%m-%d").tolist() == ["2020-12-25", "2021-06-07"]


# --- Through the loader ----------------------------------------------------------------------------


def load(tmp_path, pegawai: pd.DataFrame):
    from kinerja_analysis import load_dataset

    tables = clean_tables()
    ds = load_dataset(write_tables(tmp_path / "data", {"unit_kerja": tables["unit_kerja"], "pegawai": pegawai}))
    acc = ds.accounting.set_index("table").loc["pegawai"]
    assert acc["rows_read"] == len(pegawai) == acc["rows_accepted"] + acc["rows_rejected"]
    return ds


def test_loader_reads_the_dates_of_a_real_export(tmp_path):
    peg = clean_tables()["pegawai"]
    # The birth dates and TMT of the NIPs (tests/data/test_io_support.py), as offices write them.
    peg["tanggal_lahir"] = ["26 September 1986", "31-Des-1975", "01.01.1982", "5 Mei 1995", "15/01/1990"]
    peg["tmt_cpns"] = ["02/05/2015", "1 Mar 2000", "2010-01-15", "01-02-2019", "2021-04-01"]
    ds = load(tmp_path, peg)
    assert ds.rejected.empty, ds.rejected
    got = ds.pegawai.set_index("nip")
    assert got["tanggal_lahir"].dt.strftime("%Y-%m-%d").tolist() == [
        "1986-09-26",
        "1975-12-31",
        "1982-01-01",
        "1995-05-05",
        "1990-01-15",
    ]
    assert got["tmt_cpns"].dt.strftime("%Y-%m-%d").tolist() == [
        "2015-05-02",
        "2000-03-01",
        "2010-01-15",
        "2019-02-01",
        "2021-04-01",
    ]


def test_loader_rejects_a_month_first_date_in_a_day_first_column(tmp_path):
    peg = clean_tables()["pegawai"]
    peg["tanggal_lahir"] = ["09/26/1986", "31/12/1975", "01/01/1982", "05/05/1995", "15/01/1990"]
    ds = load(tmp_path, peg)
    r = ds.rejected
    assert r[["row", "column", "check"]].values.tolist() == [[2, "tanggal_lahir", "type"]]
    assert r["reason"].iloc[0] == (
        "'09/26/1986' is not a date in this column's order: it reads only as month/day/year, but the column is "
        "read day/month/year (day_first=True; 2 dates show the day first, 1 the month first)"
    )
    assert len(ds.pegawai) == 4


def test_load_dataset_states_how_an_ambiguous_column_was_read_and_takes_day_first(tmp_path):
    """Survey dates 01/02/2024 and 02/02/2024 fit either order. By default (day first) they are 1 and 2
    February; with day_first=False, 2 January and 2 February; with day_first=None nothing settles the
    first, so it is rejected with the reason (02/02 reads the same either way and stays). Each load states
    in ``notes`` how survei.tanggal was read, and rows read = accepted + rejected in every case."""
    from kinerja_analysis import load_dataset
    from tests.data.test_io_support import clean_tables, write_tables

    tables = clean_tables()
    tables["survei"]["tanggal"] = ["01/02/2024", "02/02/2024"]
    folder = write_tables(tmp_path / "a", tables)
    default, month_first, undecided = (load_dataset(folder, day_first=d) for d in (True, False, None))
    assert default.survei["tanggal"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-01", "2024-02-02"]
    assert month_first.survei["tanggal"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-02-02"]
    survei_rejected = undecided.rejected[undecided.rejected["table"] == "survei"]
    assert undecided.survei["responden_id"].tolist() == ["R2"] and survei_rejected["column"].tolist() == ["tanggal"]
    for ds in (default, month_first, undecided):
        assert any(n.startswith("survei.tanggal:") for n in ds.notes), ds.notes
        acc = ds.accounting.groupby("table")[["rows_read", "rows_accepted", "rows_rejected"]].sum()
        assert (acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all()
    assert "How values were read:" in default.summary()
