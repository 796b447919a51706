"""Dates and numbers as offices write them (issue 12), against Python's own calendar and formatting.

The reference is independent of the parsers: ``datetime.date`` for the dates, and Python's ``format``
with ``,`` thousands for the numbers (swapped for the Indonesian convention).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kinerja_analysis.data.numbers import READINGS
from kinerja_analysis.data.parsing import parse_date, parse_float

ID, EN, _ = READINGS


def dates(texts, **kw):
    return parse_date(pd.Series(texts, dtype="str"), **kw)


def floats(texts):
    return parse_float(pd.Series(texts, dtype="str"))


# --- Against Python's own calendar -----------------------------------------------------------------

NAMES = {1: ["Januari", "Jan"], 2: ["Februari", "Feb"], 3: ["Maret", "Mar"], 4: ["April", "Apr"],
         5: ["Mei", "May"], 6: ["Juni", "Jun"], 7: ["Juli", "Jul"], 8: ["Agustus", "Agt", "Agu", "Ags", "Aug"],
         9: ["September", "Sep", "Sept"], 10: ["Oktober", "Okt", "Oct"], 11: ["November", "Nov"],
         12: ["Desember", "Des", "Dec"]}  # fmt: skip
days = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


@st.composite
def written(draw, order: str) -> tuple[dt.date, str]:
    """A date and one way an office writes it; numeric forms in ``order`` ("dmy" or "mdy")."""
    day = draw(days)
    form = draw(st.sampled_from(["iso", "num", "name"]))
    if form == "iso":
        return day, day.isoformat()
    if form == "name":
        word = draw(st.sampled_from(NAMES[day.month]))
        word = draw(st.sampled_from([word, word.upper(), word.lower()]))
        return day, f"{day.day}{draw(st.sampled_from([' ', '-']))}{word}{draw(st.sampled_from([' ', '-']))}{day.year}"
    sep = draw(st.sampled_from(["/", "-", "."]))
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if draw(st.booleans()) else (str(day.day), str(day.month))
    first, second = (d, m) if order == "dmy" else (m, d)
    return day, f"{first}{sep}{second}{sep}{day.year}"


@given(st.lists(written("dmy"), min_size=1, max_size=30))
def test_day_first_exports_read_back(rows):
    parsed = dates([t for _, t in rows])
    assert not parsed.bad.any()
    assert [v.date() for v in parsed.values] == [d for d, _ in rows]


@given(st.lists(written("mdy"), min_size=1, max_size=30))
def test_month_first_exports_read_back_or_are_rejected_never_misread(rows):
    parsed = dates([t for _, t in rows], day_first=None)
    numeric = [d for d, t in rows if not t[:4].isdigit() and not any(c.isalpha() for c in t)]
    shown = any(d.day > 12 for d in numeric)
    for (day, text), value, bad in zip(rows, parsed.values, parsed.bad, strict=True):
        if bad:  # only a date that depends on the order, in a column that does not show it
            assert not shown and day in numeric and day.day != day.month and day.day <= 12, text
        else:
            assert value.date() == day, text


# --- Against Python's own formatting ---------------------------------------------------------------

amounts = st.lists(st.decimals(-(10**9), 10**9, places=2, allow_nan=False, allow_infinity=False), min_size=1)


@given(amounts)
def test_indonesian_formatting_reads_back(values):
    # Python writes "1,234,567.89"; an Indonesian export swaps the separators: "1.234.567,89".
    texts = [f"{v:,.2f}".translate(str.maketrans(",.", ".,")) for v in values]
    parsed = floats(texts)
    assert not parsed.bad.any() and parsed.note.startswith(ID)
    assert parsed.values.tolist() == [float(v) for v in values]


@given(amounts)
def test_english_formatting_reads_back(values):
    texts = [f"{v:,.2f}" for v in values]
    parsed = floats(texts)
    assert not parsed.bad.any() and parsed.note.startswith(EN)  # "12.50" fits 2 and 3: a tie goes to 2
    assert parsed.values.tolist() == [float(v) for v in values]
