"""NIP and NI PPPK parsing: worked examples derived by hand from DOMAIN.md section 1.

Each expected value below was read off the digits by hand, not taken from the code's output:
``19860926 | 201505 | 1 | 001`` is birth date, TMT CPNS year-month, sex digit and serial;
``19950317 | 2022 | 2 1 | 2 | 015`` is birth date, year appointed, PPPK marker, contract count, sex
digit and serial.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.data.nip import nip_key, parse_nip
from kinerja_analysis.data.nip_format import format_ni_pppk, format_nip

COLUMNS = [
    "nip",
    "valid",
    "reason",
    "status",
    "tanggal_lahir",
    "tmt_cpns",
    "tahun_pengangkatan",
    "jenis_kelamin",
    "nomor_urut",
    "paruh_waktu",
    "kontrak_ke",
]


def one(value, **kw) -> pd.Series:
    df = parse_nip([value], **kw)
    assert len(df) == 1
    return df.iloc[0]


def reason(value, **kw) -> str:
    row = one(value, **kw)
    assert not row["valid"], f"{value!r} should be invalid"
    return row["reason"]


# --- Valid identifiers ------------------------------------------------------------------------------


def test_domain_example_pns_male():
    row = one("198609262015051001")
    assert row["valid"] and pd.isna(row["reason"])
    assert row["status"] == "pns"
    assert row["tanggal_lahir"] == pd.Timestamp("1986-09-26")
    assert row["tmt_cpns"] == pd.Timestamp("2015-05-01")
    assert row["jenis_kelamin"] == "L"
    assert row["nomor_urut"] == 1
    assert pd.isna(row["tahun_pengangkatan"]) and pd.isna(row["kontrak_ke"]) and not row["paruh_waktu"]


def test_pns_female():
    # 19901231 | 202012 | 2 | 002: born 31 December 1990, CPNS from December 2020, perempuan, serial 2.
    row = one("199012312020122002")
    assert row["valid"] and row["status"] == "pns" and row["jenis_kelamin"] == "P"
    assert row["tanggal_lahir"] == pd.Timestamp("1990-12-31")
    assert row["tmt_cpns"] == pd.Timestamp("2020-12-01")
    assert row["nomor_urut"] == 2


def test_pppk_built_by_hand():
    row = one("199503172022212015")
    assert row["valid"] and row["status"] == "pppk"
    assert row["tanggal_lahir"] == pd.Timestamp("1995-03-17")
    assert row["tahun_pengangkatan"] == 2022
    assert row["kontrak_ke"] == 1
    assert row["jenis_kelamin"] == "P"
    assert row["nomor_urut"] == 15
    assert pd.isna(row["tmt_cpns"]) and not row["paruh_waktu"]


def test_pppk_later_contract():
    row = one("199503172022231015")  # digits 13-14 "23": PPPK, third contract, laki-laki
    assert row["valid"] and row["status"] == "pppk" and row["kontrak_ke"] == 3 and row["jenis_kelamin"] == "L"


def test_paruh_waktu_24_is_accepted_and_flagged():
    # 19881105 | 2025 | 2 4 | 1 | 007: DOMAIN.md says "24" appears for PPPK paruh waktu [open].
    row = one("198811052025241007")
    assert row["valid"] and row["status"] == "pppk" and row["paruh_waktu"]
    assert row["tahun_pengangkatan"] == 2025 and row["nomor_urut"] == 7
    assert pd.isna(row["kontrak_ke"])  # the digit's meaning is open there


def test_leap_years():
    assert one("198802292006052001")["tanggal_lahir"] == pd.Timestamp("1988-02-29")
    assert one("200002292018031001")["valid"]  # 2000 is divisible by 400: a leap year
    assert "birth date 19870229 is not a date" in reason("198702292006052001")
    assert "birth date 19000229 is not a date" in reason("190002292018031001", min_birth_year=1900)


def test_age_18_boundary_pns():
    # Age is taken on the first of the TMT month.
    assert one("199005012008051001")["valid"]  # 18 exactly on 2008-05-01
    assert "appointed before age 18" in reason("199005022008051001")  # 18 on 2008-05-02, a day late


def test_age_18_boundary_pppk():
    # Only the year is known: appointed in the year of the 18th birthday is possible, a year earlier is not.
    assert one("200512312023211001")["valid"]
    assert "appointed before age 18" in reason("200512312022211001")


# --- Invalid identifiers, with the reason the issue names -------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19860926201505100", "17 digits, expected 18"),
        ("1986092620150510011", "19 digits, expected 18"),
        ("1", "1 digit, expected 18"),
        (1.98609262015051e17, "NIP looks like a spreadsheet float (1.98609262015051e+17): digits were lost"),
        ("1.98609262015051E+17", "NIP looks like a spreadsheet float (1.98609262015051E+17): digits were lost"),
        ("198609262015051000.0", "spreadsheet float (198609262015051000.0)"),
        ("1,98609E+17", "spreadsheet float"),  # Indonesian locale: decimal comma
        ("198.609.262.015.051.000", "spreadsheet float"),  # thousands separators
        ("198609262015131001", "appointment month 13 is neither a month 01-12 (PNS) nor a PPPK code 21-29"),
        ("198609262015001001", "appointment month 00"),
        ("199503172022201015", "appointment month 20"),  # PPPK marker with contract count 0
        ("199503172022301015", "appointment month 30"),  # past the PPPK codes 21-29
        ("198609262015053001", "sex digit is 3, expected 1 or 2"),
        ("198609262015050001", "sex digit is 0, expected 1 or 2"),
        ("200001012015051001", "appointed before age 18 (appointed 2015-05, born 2000-01-01)"),
        ("198609261985051001", "appointment before birth (appointed 1985-05, born 1986-09-26)"),
        ("199503171990211001", "appointment before birth (appointed 1990, born 1995-03-17)"),
        ("19860926201505100A", "contains non-digits ('A')"),
        ("1986-09-26-2015051001", "contains non-digits ('-')"),
        ("198609262015051000", "serial number is 000"),
        ("193912312015051001", "birth year 1939 is before 1940"),
        (None, "missing"),
        (np.nan, "missing"),
        ("", "missing"),
        ("   ", "missing"),
        ("nan", "missing"),
        ("-", "missing"),
    ],
)
def test_invalid_with_reason(value, expected):
    assert expected in reason(value)


def test_float_text_is_never_guessed_back():
    df = parse_nip([1.98609262015051e17, 198609262015051001.0, "198609262015051000.0"])
    assert not df["valid"].any()
    assert df["nomor_urut"].isna().all() and df["tanggal_lahir"].isna().all()
    assert nip_key([1.98609262015051e17]).isna().all()


def test_birth_date_in_the_future_is_invalid_but_appointment_in_the_future_is_not():
    today = dt.date(2025, 6, 30)
    assert "birth date 2025-07-01 is in the future" in reason("202507012043071001", today=today)
    assert one("200001012030071001", today=today)["valid"]  # a planned appointment


def test_all_reasons_are_given_together():
    # 19860931 (no 31 September) | 201513 (no month 13) | sex 3 | serial 000
    text = reason("198609312015133000")
    for part in ("birth date 19860931 is not a date", "appointment month 13", "sex digit is 3", "serial number is 000"):
        assert part in text
    assert text.count("; ") == 3


def test_min_birth_year_is_a_parameter():
    assert one("193912312015051001", min_birth_year=1930)["valid"]


# --- Normalisation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "  198609262015051001 ",
        "'198609262015051001",
        " '198609262015051001",
        "\u2019198609262015051001",  # a typographic apostrophe
        "19860926 201505 1 001",  # the printed form
        "19860926\u00a0201505\u00a01\u00a0001",  # no-break spaces
        "\ufeff198609262015051001",  # byte-order mark at the start of a CSV
        "198609262015\u200b051001",  # zero-width space
        "198609262015051001\n",
    ],
)
def test_normalisations_accept_the_same_nip(text):
    row = one(text)
    assert row["valid"], row["reason"]
    assert row["nip"] == text  # the text as given is kept
    assert row["tanggal_lahir"] == pd.Timestamp("1986-09-26") and row["nomor_urut"] == 1
    assert nip_key([text]).tolist() == [198609262015051001]


def test_only_one_leading_apostrophe_is_removed():
    assert "contains non-digits" in reason("''198609262015051001")
    assert "contains non-digits" in reason("198609262015051001'")


def test_invisible_characters_are_named_by_code_point():
    assert "contains non-digits (U+0007)" in reason("1986\x0709262015051001")  # a control character
    assert "contains non-digits ('·')" in reason("1986\u00b709262015051001")


# --- Input types --------------------------------------------------------------------------------------


def test_output_columns_and_dtypes():
    df = parse_nip(["198609262015051001", "x"])
    assert list(df.columns) == COLUMNS
    assert df["nip"].dtype == "str" and df["reason"].dtype == "str"
    assert df["valid"].dtype == bool and df["paruh_waktu"].dtype == bool
    assert df["tanggal_lahir"].dtype == "datetime64[s]" and df["tmt_cpns"].dtype == "datetime64[s]"
    for col in ("tahun_pengangkatan", "nomor_urut", "kontrak_ke"):
        assert df[col].dtype == "Int64"
    assert list(df["status"].cat.categories) == ["pns", "pppk"]
    assert list(df["jenis_kelamin"].cat.categories) == ["L", "P"]


def test_single_string():
    df = parse_nip("198609262015051001")
    assert df.index.tolist() == [0] and df["valid"].tolist() == [True]


def test_list_tuple_and_numpy_array_keep_order():
    values = ["198609262015051001", "x", "199012312020122002"]
    for given in (values, tuple(values), np.array(values)):
        df = parse_nip(given)
        assert df.index.tolist() == [0, 1, 2]
        assert df["nip"].tolist() == values
        assert df["valid"].tolist() == [True, False, True]


def test_series_keeps_its_own_index_and_is_not_modified():
    s = pd.Series([" 198609262015051001", None, "199012312020122002"], index=[30, 10, 20])
    before = s.copy()
    df = parse_nip(s)
    assert df.index.tolist() == [30, 10, 20]
    assert df["jenis_kelamin"].tolist()[::2] == ["L", "P"]
    assert df.loc[10, "reason"] == "missing"
    pd.testing.assert_series_equal(s, before)
    assert nip_key(s).index.tolist() == [30, 10, 20]


def test_ints_are_fine():
    for given in (
        [198609262015051001, None],
        np.array([198609262015051001, 1]),
        pd.Series([198609262015051001, None], dtype="Int64"),
    ):
        df = parse_nip(given)
        assert df["nip"].iloc[0] == "198609262015051001"
        assert df["valid"].tolist() == [True, False]
    assert parse_nip(198609262015051001)["valid"].tolist() == [True]


def test_mixed_object_values():
    df = parse_nip(pd.Series([198609262015051001, "199012312020122002", 1.98609262015051e17, None, True]))
    assert df["valid"].tolist() == [True, True, False, False, False]
    assert df["reason"].iloc[2].startswith("NIP looks like a spreadsheet float")
    assert df["reason"].iloc[3] == "missing"


def test_float_series_from_a_careless_csv_read():
    df = parse_nip(pd.Series([1.98609262015051e17, np.nan]))
    assert df["reason"].tolist()[0].startswith("NIP looks like a spreadsheet float")
    assert df["reason"].tolist()[1] == "missing"


def test_empty_input():
    df = parse_nip([])
    assert len(df) == 0 and list(df.columns) == COLUMNS


@pytest.mark.parametrize("bad", [pd.DataFrame({"nip": ["198609262015051001"]}), np.zeros((2, 2))])
def test_not_one_column(bad):
    with pytest.raises(KinerjaDataError):
        parse_nip(bad)


# --- nip_key ------------------------------------------------------------------------------------------


def test_nip_key():
    key = nip_key(["198609262015051001", "19860926201505100", None, "19860926 201505 1 001"])
    assert key.dtype == "Int64"
    assert key.tolist() == [198609262015051001, pd.NA, pd.NA, 198609262015051001]


def test_nip_key_joins_like_the_string():
    pegawai = pd.DataFrame({"nip": ["198609262015051001", "199012312020122002"], "unit": ["a", "b"]})
    kinerja = pd.DataFrame({"nip": ["'199012312020122002", "198609262015051001 "], "predikat": ["Baik", "Sangat Baik"]})
    joined = kinerja.assign(k=nip_key(kinerja["nip"])).merge(
        pegawai.assign(k=nip_key(pegawai["nip"])), on="k", suffixes=("", "_pegawai")
    )
    assert joined.set_index("unit")["predikat"].to_dict() == {"a": "Sangat Baik", "b": "Baik"}


# --- Formatting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((dt.date(1986, 9, 26), dt.date(2015, 5, 1), "L", 1), "198609262015051001"),
        ((pd.Timestamp("1990-12-31"), dt.datetime(2020, 12, 1), "P", 2), "199012312020122002"),
        ((np.datetime64("1988-02-29"), pd.Timestamp("2006-05-01"), "P", 999), "198802292006052999"),
        ((dt.date(1986, 9, 26), dt.date(2015, 5, 17), "L", 1), "198609262015051001"),  # only the month is encoded
    ],
)
def test_format_nip(args, expected):
    assert format_nip(*args) == expected


def test_format_ni_pppk():
    assert format_ni_pppk(dt.date(1995, 3, 17), 2022, "P", 15) == "199503172022212015"
    assert format_ni_pppk(dt.date(1995, 3, 17), 2022, "L", 15, kontrak_ke=3) == "199503172022231015"
    assert format_ni_pppk(dt.date(1988, 11, 5), np.int64(2025), "L", 7, kontrak_ke=4) == "198811052025241007"


@pytest.mark.parametrize(
    "nip",
    ["198609262015051001", "199012312020122002", "198802292006052999", "200002292018031001", "196001011980121500"],
)
def test_pns_round_trip(nip):
    row = one(nip)
    assert format_nip(row["tanggal_lahir"], row["tmt_cpns"], row["jenis_kelamin"], int(row["nomor_urut"])) == nip


@pytest.mark.parametrize("nip", ["199503172022212015", "199503172022231015", "200512312023291999"])
def test_pppk_round_trip(nip):
    row = one(nip)
    made = format_ni_pppk(
        row["tanggal_lahir"],
        int(row["tahun_pengangkatan"]),
        row["jenis_kelamin"],
        int(row["nomor_urut"]),
        kontrak_ke=int(row["kontrak_ke"]),
    )
    assert made == nip


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"jenis_kelamin": "X"}, "'L'"),
        ({"jenis_kelamin": "l"}, "'L'"),
        ({"nomor_urut": 0}, "1 to 999"),
        ({"nomor_urut": 1000}, "1 to 999"),
        ({"nomor_urut": 1.0}, "integer"),
        ({"nomor_urut": True}, "integer"),
        ({"tanggal_lahir": "1986-09-26"}, "expected a date"),
        ({"tanggal_lahir": None}, "expected a date"),
        ({"tanggal_lahir": pd.NaT}, "missing"),
        ({"tmt_cpns": dt.date(2000, 5, 1)}, "appointed before age 18"),
        ({"tmt_cpns": dt.date(1980, 5, 1)}, "appointment before birth"),
        ({"tanggal_lahir": dt.date(1930, 1, 1)}, "birth year 1930 is before 1940"),
    ],
)
def test_format_nip_refuses_impossible_input(kwargs, match):
    args = {
        "tanggal_lahir": dt.date(1986, 9, 26),
        "tmt_cpns": dt.date(2015, 5, 1),
        "jenis_kelamin": "L",
        "nomor_urut": 1,
    } | kwargs
    with pytest.raises(KinerjaDataError, match=match):
        format_nip(**args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"kontrak_ke": 0}, "1 to 9"),
        ({"kontrak_ke": 10}, "1 to 9"),
        ({"tahun_pengangkatan": 2022.0}, "integer"),
        ({"tahun_pengangkatan": 2010}, "appointed before age 18"),
        ({"jenis_kelamin": 1}, "'L'"),
    ],
)
def test_format_ni_pppk_refuses_impossible_input(kwargs, match):
    args = {
        "tanggal_lahir": dt.date(1995, 3, 17),
        "tahun_pengangkatan": 2022,
        "jenis_kelamin": "P",
        "nomor_urut": 15,
    } | kwargs
    with pytest.raises(KinerjaDataError, match=match):
        format_ni_pppk(**args)
