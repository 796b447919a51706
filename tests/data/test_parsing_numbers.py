"""Numbers as offices write them (issue 12): separators decided per column; every value worked out by hand.

Readings (kinerja_analysis.data.numbers): 1 decimal comma, thousands point (Indonesian); 2 decimal
point, thousands comma (English); 3 decimal point or comma, no thousands separator. A value "fits" a
reading when it is a number under it; the reading most rows fit is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.data.numbers import READINGS
from kinerja_analysis.data.parsing import parse_float, parse_int
from kinerja_analysis.data.validate import Rejections, type_table
from tests.data.test_io_support import clean_tables, write_tables

ID, EN, MIXED = READINGS


def floats(texts):
    return parse_float(pd.Series(texts, dtype="str"))


def ints(texts):
    return parse_int(pd.Series(texts, dtype="str"))


def values(parsed) -> list:
    return [None if pd.isna(v) else v for v in parsed.values]


def test_indonesian_export_decimal_comma_thousands_point():
    # "87,5" fits 1 and 3 only, "1.250,75" and "1.250.000" fit 1 only: reading 1 by 4 rows to 2.
    parsed = floats(["87,5", "1.250", "1.250,75", "1.250.000", "-2,25"])
    assert values(parsed) == [87.5, 1250.0, 1250.75, 1250000.0, -2.25]
    assert parsed.note == ID and not parsed.bad.any()


def test_english_export_decimal_point_thousands_comma():
    parsed = floats(["87.5", "1,250", "1,250.75", "1,250,000"])
    assert values(parsed) == [87.5, 1250.0, 1250.75, 1250000.0]
    assert parsed.note == EN


def test_a_column_stacked_from_both_reads_both_decimal_separators():
    # "87,5" fits 1 and 3, "87.5" fits 2 and 3: reading 3 fits both rows.
    parsed = floats(["87,5", "87.5", "90"])
    assert values(parsed) == [87.5, 87.5, 90.0]
    assert parsed.note == MIXED


def test_a_lone_point_before_three_digits_is_a_thousands_point_the_choice_stated():
    parsed = floats(["1.250", "2.500", "300"])
    assert values(parsed) == [1250.0, 2500.0, 300.0]
    assert parsed.note == (
        f"{ID} (no value shows which separator is the decimal one: 1.250 is read as 1250, "
        "as Indonesian exports write it)"
    )


def test_a_lone_comma_before_three_digits_is_a_decimal_comma():
    parsed = floats(["1,250", "2,500"])
    assert values(parsed) == [1.25, 2.5]
    assert parsed.note.startswith(f"{ID} (no value shows which separator is the decimal one: 1,250 is read as 1.25")


def test_both_lone_separators_and_no_evidence_are_both_decimal():
    parsed = floats(["1.250", "2,500"])
    assert values(parsed) == [1.25, 2.5]
    assert parsed.note == f"{MIXED} (no value shows which separator is the decimal one, and both occur: " + (
        "both are read as decimal separators)"
    )


def test_one_decimal_value_settles_the_ambiguous_ones():
    # "87.5" shows the point is decimal; "0.125" too (a thousands group never starts with 0).
    assert values(floats(["87.5", "1.250"])) == [87.5, 1.25]
    assert values(floats(["0.125", "1.250"])) == [0.125, 1.25]
    # "87,5" shows the comma is decimal, so the point groups thousands.
    assert values(floats(["87,5", "1.250"])) == [87.5, 1250.0]


def test_rows_against_the_columns_reading_are_rejected_naming_it():
    # Reading 1 fits rows 0-2 (3 rows), reading 2 fits row 3 only, reading 3 fits row 2 only.
    parsed = floats(["1.250,75", "2.000.000", "87,5", "1,250.75"])
    assert values(parsed) == [1250.75, 2000000.0, 87.5, None]
    assert parsed.bad.tolist() == [False, False, False, True]
    [(mask, reason)] = parsed.reasons()
    assert mask.tolist() == [False, False, False, True]
    assert reason == f"'{{value}}' does not fit the column's numbers, read with {ID} (as 3 of its 4 values are)"
    assert parsed.note == f"{ID}; 1 value written otherwise rejected"


@pytest.mark.parametrize("text", ["abc", "1.2.3", "1,25.5", "12,5%", "1e5", "--5", ".", "", "1.25.000", "0.250.000"])
def test_what_is_no_number_under_any_reading(text):
    parsed = floats([text, "7"])
    assert parsed.bad.tolist() == [True, False]
    [(_, reason)] = parsed.reasons()
    assert reason.startswith("'{value}' is not a number")


def test_more_than_15_digits_before_the_decimal_separator_are_rejected_as_before():
    parsed = floats(["123456789012345", "1234567890123456", "123.456.789.012.345,5"])
    assert values(parsed) == [123456789012345.0, None, 123456789012345.5]


def test_no_separator_no_note():
    assert floats(["1", "20", "-3"]).note is None


# --- Whole numbers ---------------------------------------------------------------------------------


def test_integer_columns_accept_thousands_points_and_zero_decimals_and_reject_fractions():
    # Readings 1 and 3 fit all four rows (a tie goes to 1): "1.250" is 1250, "20,0" is 20.
    parsed = ints(["1.250", "20,0", "20,5", "24"])
    assert values(parsed) == [1250, 20, None, 24]
    assert parsed.bad.tolist() == [False, False, True, False]
    assert parsed.reasons()[0][1] == "'{value}' is not a whole number"
    assert parsed.values.dtype == "Int64"


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["3.000"], [3000]),  # before issue 12 this was 3 ("3.000" as 3 with a zero decimal part)
        (["3.0", "4"], [3, 4]),  # one digit after the point: a decimal point
        (["+5", "-7"], [5, -7]),
        (["1.250.000"], [1250000]),
        (["1,250,000"], [1250000]),
        ([".0", "-0,0"], [0, 0]),
    ],
)
def test_whole_numbers(texts, expected):
    parsed = ints(texts)
    assert values(parsed) == expected and not parsed.bad.any()


def test_whole_number_reasons_keep_their_wording():
    parsed = ints(["tiga", "2.5", "2"])
    assert parsed.bad.tolist() == [True, True, False]
    assert [t for _, t in parsed.reasons()] == ["'{value}' is not a whole number"]


def test_many_amounts_all_different_are_read_row_by_row():
    rng = np.random.default_rng(7)
    big = rng.integers(1000, 10**9, 200_000)
    text = pd.Series([f"{v:,}".replace(",", ".") + ",50" for v in big], dtype="str")
    parsed = parse_float(text)
    assert not parsed.bad.any()
    np.testing.assert_array_equal(parsed.values.to_numpy(dtype=float), big + 0.5)


# --- Through the loader ----------------------------------------------------------------------------


def load(tmp_path, tables):
    from kinerja_analysis import load_dataset

    ds = load_dataset(write_tables(tmp_path / "data", tables))
    acc = ds.accounting
    assert (acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all()
    return ds


def test_loader_reads_integer_columns_as_offices_write_them(tmp_path):
    t = clean_tables()
    t["layanan"]["standar_hari"] = ["20,0", "5", "20,5"]
    t["layanan"]["jumlah_revisi"] = ["0", "1.250", "0"]
    ds = load(tmp_path, {"unit_kerja": t["unit_kerja"], "pegawai": t["pegawai"], "layanan": t["layanan"]})
    r = ds.rejected
    assert r[["table", "row", "column", "check"]].values.tolist() == [["layanan", 4, "standar_hari", "type"]]
    assert r["reason"].iloc[0] == "'20,5' is not a whole number"
    assert ds.layanan["standar_hari"].tolist() == [20, 5]
    assert ds.layanan["jumlah_revisi"].tolist() == [0, 1250]


def test_loader_a_thousands_point_can_meet_the_range_check(tmp_path):
    t = clean_tables()
    t["layanan"]["standar_hari"] = ["1", "1.250", "5"]  # 1250 working days: above the maximum 365
    ds = load(tmp_path, {"unit_kerja": t["unit_kerja"], "pegawai": t["pegawai"], "layanan": t["layanan"]})
    r = ds.rejected
    assert r[["row", "column", "check", "reason"]].values.tolist() == [
        [3, "standar_hari", "range", "1.250 is above the maximum 365 for standar_hari"]
    ]


def test_loader_reads_scores_with_decimal_commas_and_thousands_points(tmp_path):
    t = clean_tables()
    t["seleksi"]["skor_kompetensi"] = ["78,5", "81,25"]
    t["seleksi"]["skor_potensi"] = ["70.5", "75"]
    ds = load(tmp_path, {"unit_kerja": t["unit_kerja"], "pegawai": t["pegawai"], "seleksi": t["seleksi"]})
    assert ds.rejected.empty
    assert ds.seleksi["skor_kompetensi"].tolist() == [78.5, 81.25]
    assert ds.seleksi["skor_potensi"].tolist() == [70.5, 75.0]


def test_loader_rejects_a_score_written_in_the_other_convention(tmp_path):
    t = clean_tables()
    sel = pd.concat([t["seleksi"]] * 3, ignore_index=True)
    sel["seleksi_id"] = ["S1", "S1", "S2", "S2", "S3", "S3"]
    sel["skor_kompetensi"] = ["78,5", "81,25", "70,5", "1,250.5", "66,0", "90"]
    ds = load(tmp_path, {"unit_kerja": t["unit_kerja"], "pegawai": t["pegawai"], "seleksi": sel})
    r = ds.rejected
    assert r[["row", "column", "check"]].values.tolist() == [[5, "skor_kompetensi", "type"]]
    assert r["reason"].iloc[0] == (
        f"'1,250.5' does not fit the column's numbers, read with {ID} (as 5 of its 6 values are)"
    )
    assert ds.seleksi["skor_kompetensi"].tolist() == [78.5, 81.25, 70.5, 66.0, 90.0]


def test_the_reading_of_each_column_is_recorded_for_the_loader_to_report():
    sel = clean_tables()["seleksi"].assign(skor_kompetensi=["78,5", "81"], skor_potensi=["70.5", "75"])
    n = len(sel)
    rej = Rejections("seleksi", ("seleksi.csv",), np.zeros(n, dtype=np.int32), np.arange(2, n + 2))
    type_table("seleksi", sel, rej, excel=np.zeros(n, dtype=bool))
    # "70.5" fits readings 2 and 3 (a tie goes to 2); the ISO dates of seleksi.tanggal need no note.
    assert rej.notes == [f"seleksi.skor_kompetensi: {ID}", f"seleksi.skor_potensi: {EN}"]


# --- the column's range settles a lone point before three digits -------------------------------------


def test_three_decimal_scores_are_read_as_decimals_when_thousands_would_leave_the_range():
    # 85.125 as thousands is 85125, outside 0-100 (2 of 2 rows); as a decimal point 85.125 (2 of 2 inside).
    p = parse_float(pd.Series(["85.125", "78.500"], dtype="str"), bounds=(0, 100))
    assert values(p) == [85.125, 78.5]
    assert not p.bad.any()
    assert p.note.startswith(f"{EN} (") and "range 0-100" in p.note


def test_without_a_range_or_within_it_the_lone_point_stays_a_thousands_point():
    assert values(floats(["85.125", "78.500"])) == [85125.0, 78500.0]
    # jp has only a lower bound: 1250 and 1.25 are both allowed, so the Indonesian reading stands.
    p = parse_float(pd.Series(["1.250", "2.500"], dtype="str"), bounds=(0, None))
    assert values(p) == [1250.0, 2500.0] and p.note.startswith(ID)


def test_the_range_decides_by_rows_and_out_of_range_values_are_still_rejected_by_the_range_check(tmp_path):
    # Read as thousands: 85125 and 100125 outside, "100" inside (1 row); as decimals: 85.125 and 100 inside,
    # 100.125 outside (2 rows): decimals win, and 100.125 is rejected by the range check, not as text.
    p = parse_float(pd.Series(["85.125", "100", "100.125"], dtype="str"), bounds=(0, 100))
    assert values(p) == [85.125, 100.0, 100.125]
    t = clean_tables()
    t["seleksi"]["skor_kompetensi"] = ["85.125", "100.125"]
    ds = load(tmp_path, {"unit_kerja": t["unit_kerja"], "pegawai": t["pegawai"], "seleksi": t["seleksi"]})
    r = ds.rejected
    assert r[["row", "column", "check"]].values.tolist() == [[3, "skor_kompetensi", "range"]]
    assert ds.seleksi["skor_kompetensi"].tolist() == [85.125]
    assert any(n.startswith(f"seleksi.skor_kompetensi: {EN} (") for n in ds.notes)


# --- spaces between groups of three digits ----------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["1 250", "2 500,5", "87,5"], [1250.0, 2500.5, 87.5]),  # Indonesian decimal comma
        (["1\u00a0250.75", "3"], [1250.75, 3.0]),  # no-break space (Excel), decimal point
        (["1\u202f250\u202f000"], [1250000.0]),  # narrow no-break space, two groups
    ],
)
def test_spaces_between_digit_groups_are_thousands_separators(texts, expected):
    p = floats(texts)
    assert values(p) == expected
    assert not p.bad.any()
    assert p.note.endswith("spaces between groups of three digits read as thousands separators")


@pytest.mark.parametrize("text", ["12 34", "1 25", "1  250", "1 2500", "0 250"])
def test_spaces_that_do_not_group_three_digits_are_not_numbers(text):
    p = floats([text, "5"])
    assert values(p) == [None, 5.0]
    assert p.bad.tolist() == [True, False]


def test_whole_numbers_with_group_spaces():
    p = ints(["1 250", "7"])
    assert values(p) == [1250, 7]
