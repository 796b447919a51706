"""Properties of NIP parsing and formatting, checked with hypothesis.

The expected fields come from Python's own calendar (``datetime.date``), not from the parser.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja_analysis.data.nip import MIN_BIRTH_YEAR, nip_key, parse_nip
from kinerja_analysis.data.nip_format import format_ni_pppk, format_nip

SETTINGS = settings(max_examples=200, deadline=None)
TODAY = dt.date.today()
births = st.dates(min_value=dt.date(MIN_BIRTH_YEAR, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["L", "P"])
serials = st.integers(1, 999)


def eighteenth_birthday(born: dt.date) -> dt.date:
    """The 18th birthday; someone born on 29 February turns 18 on 1 March of a common year."""
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return dt.date(born.year + 18, 3, 1)


@st.composite
def pns(draw):
    """A PNS whose TMT CPNS (the first of its month) is on or after the 18th birthday."""
    born = draw(births)
    adult = eighteenth_birthday(born)
    first_month = adult if adult.day == 1 else (adult.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    tmt = draw(st.dates(min_value=first_month, max_value=dt.date(born.year + 65, 12, 31)))
    return born, tmt, draw(sexes), draw(serials)


@st.composite
def pppk(draw):
    born = draw(births)
    year = draw(st.integers(born.year + 18, born.year + 65))
    return born, year, draw(sexes), draw(serials), draw(st.integers(1, 9))


@given(pns())
@SETTINGS
def test_format_then_parse_gives_the_pns_fields_back(case):
    born, tmt, sex, serial = case
    nip = format_nip(born, tmt, sex, serial)
    assert len(nip) == 18 and nip.isdigit()
    row = parse_nip(nip).iloc[0]
    assert row["valid"], row["reason"]
    assert row["status"] == "pns"
    assert row["tanggal_lahir"] == pd.Timestamp(born)
    assert row["tmt_cpns"] == pd.Timestamp(tmt.replace(day=1))
    assert row["jenis_kelamin"] == sex
    assert row["nomor_urut"] == serial
    assert pd.isna(row["tahun_pengangkatan"]) and pd.isna(row["kontrak_ke"]) and not row["paruh_waktu"]
    # The printed form, with spaces, is the same NIP.
    printed = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert nip_key([printed]).tolist() == [int(nip)]


@given(pppk())
@SETTINGS
def test_format_then_parse_gives_the_pppk_fields_back(case):
    born, year, sex, serial, contract = case
    nip = format_ni_pppk(born, year, sex, serial, kontrak_ke=contract)
    row = parse_nip(nip).iloc[0]
    assert row["valid"], row["reason"]
    assert row["status"] == "pppk"
    assert row["tanggal_lahir"] == pd.Timestamp(born)
    assert row["tahun_pengangkatan"] == year
    assert row["jenis_kelamin"] == sex and row["nomor_urut"] == serial
    assert row["paruh_waktu"] == (contract == 4)
    assert row["kontrak_ke"] is pd.NA if contract == 4 else row["kontrak_ke"] == contract
    assert pd.isna(row["tmt_cpns"])


@given(st.text(alphabet="0123456789", min_size=1, max_size=40).filter(lambda s: len(s) != 18))
@SETTINGS
def test_digit_strings_of_the_wrong_length_are_invalid_and_say_so(digits):
    row = parse_nip(digits).iloc[0]
    assert not row["valid"]
    assert f"{len(digits)} digit" in row["reason"] and "expected 18" in row["reason"]


values = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 '.,eE+-\u00a0", max_size=25),
    st.none(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)


@given(st.lists(values, max_size=30))
@SETTINGS
def test_parse_never_raises_and_gives_one_row_per_input(items):
    df = parse_nip(items)
    assert len(df) == len(items) and df.index.tolist() == list(range(len(items)))
    # Invalid rows have a reason and no fields; valid rows have no reason and all the common fields.
    valid = df["valid"].to_numpy()
    assert df["reason"].isna().to_numpy().tolist() == valid.tolist()
    assert df["tanggal_lahir"].notna().to_numpy().tolist() == valid.tolist()
    assert df["status"].notna().to_numpy().tolist() == valid.tolist()
    assert df["nomor_urut"].notna().to_numpy().tolist() == valid.tolist()
    key = nip_key(items)
    assert key.notna().to_numpy().tolist() == valid.tolist()


nips = st.one_of(
    pns().map(lambda c: format_nip(*c)),
    pppk().map(lambda c: format_ni_pppk(*c[:4], kontrak_ke=c[4])),
    st.text(alphabet="0123456789", min_size=18, max_size=18),
)


@given(st.lists(nips, min_size=1, max_size=20))
@SETTINGS
def test_nip_key_is_the_integer_of_a_valid_nip(items):
    df = parse_nip(items)
    key = nip_key(pd.Series(items, index=np.arange(len(items)) * 7))
    assert key.index.tolist() == [7 * i for i in range(len(items))]
    for nip, ok, k in zip(items, df["valid"], key, strict=True):
        assert (k == int(nip)) if ok else (k is pd.NA)
