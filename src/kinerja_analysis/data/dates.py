"""Dates as offices write them, read column by column without guessing the order of day and month.

Each distinct text of a column is read once, with pyarrow regular expressions and numpy calendar
arithmetic (no Python code per row or per distinct text). Accepted forms, row by row and mixed
within a column: ISO ``2024-03-31`` (also with ``/`` or ``.`` and a time), day and month in numbers
``31/03/2024``, ``31-03-2024``, ``31.03.2024`` (a time may follow), a month name ``31 Maret 2024``,
``12 Agt 2020``, ``12-Jan-2020`` (any case; the spellings of
:data:`~kinerja_analysis.data.schema.vocabulary.MONTH_SPELLINGS`), and in the cells of an XLSX sheet an
Excel serial number (45382 is 2024-03-31).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.common.options import check_option
from kinerja_analysis.data.parsed import Parsed, as_arrow, distinct, np_mask, spread
from kinerja_analysis.data.schema.vocabulary import MONTH_SPELLINGS

__all__ = ["parse_date", "DATE_RANGE"]

DATE_RANGE = (np.datetime64("1900-01-01", "s"), np.datetime64("2100-12-31", "s"))
"""Dates outside these bounds are typos (``0201-05-03``), not history; the bounds are the project's choice."""

_HOUR, _MINUTE = r"(?:[01]?[0-9]|2[0-3])", r"[0-5][0-9]"
# A time of day after the date is allowed (and dropped): 10:15, 10:15:00, 10:15:00.000, 10.15, 10:15 am.
_TIME = rf"(?:[ t]+{_HOUR}[:.]{_MINUTE}(?:[:.]{_MINUTE}(?:[.,][0-9]+)?)?(?: ?[ap]m)?)?"
_TIME_OF_DAY = rf"(?i)[ t]+{_HOUR}:{_MINUTE}(?::{_MINUTE}(?:[.,][0-9]+)?)?(?: ?[ap]m)?\s*$"
_ISO = rf"^(?P<y>\d{{4}})(?P<s>[-/.])(?P<m>\d{{1,2}})(?P<t>[-/.])(?P<d>\d{{1,2}}){_TIME}$"
_NUMERIC = rf"^(?P<a>\d{{1,2}})(?P<s>[-/.])(?P<b>\d{{1,2}})(?P<t>[-/.])(?P<y>\d{{4}}){_TIME}$"
_NAMED = rf"^(?P<d>\d{{1,2}})[-/., ]*(?P<w>[a-z]+)[-/., ]*(?P<y>\d{{4}}){_TIME}$"
_SERIAL = r"^\d{1,7}(?:\.\d+)?$"
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")  # Excel's day 0, with its 1900 leap-year bug absorbed
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_NAMES = pa.array(list(MONTH_SPELLINGS))
_NUMBERS = np.array(list(MONTH_SPELLINGS.values()))
_NAT = np.datetime64("NaT", "D")

UNREADABLE = (
    "'{value}' is not a date between 1900 and 2100 "
    "(write 2024-03-31, 31/03/2024, 31-03-2024, 31.03.2024 or 31 Maret 2024)"
)
_DMY, _MDY = "day/month/year", "month/day/year"


def parse_date(text: pd.Series, *, excel: np.ndarray | None = None, day_first: bool | None = True) -> Parsed:
    """Dates as ``datetime64[s]``, from the forms offices write, mixed row by row.

    Parameters
    ----------
    text
        The cells as text (missing where empty).
    excel
        Per row, whether the cell comes from an XLSX sheet; only there is a plain number an Excel
        serial date (45382 is 2024-03-31). A number in a CSV is not a date.
    day_first
        The order of day and month in dates written in numbers (``03/05/2024``), which the column's
        own values decide where they can: a date whose first number is above 12 (``25/05/2024``)
        shows the day first, one whose second number is (``05/25/2024``) shows the month first.

        - ``True`` (default): day/month/year, as Indonesian exports write dates. Dates that read only
          month first are rejected; and when most dates that show an order show the month first,
          the ambiguous ones (``03/05/2024``) are rejected too rather than misread.
        - ``False``: month/day/year, the same the other way round.
        - ``None``: the column's values decide; the order most of them show is used, the dates that
          show the other order are rejected, and with no evidence (or as much for each order) the
          ambiguous dates are rejected: an ambiguous date is never guessed.

        A date whose day and month are equal (``05/05/2024``) reads the same in either order.

    Returns
    -------
    Parsed
        The dates (``NaT`` where missing or bad), the bad cells with their reasons, and a ``note``
        saying which order the numeric dates were read in, where the column has any.

    Notes
    -----
    Impossible dates (``30/02/2023``) and dates outside :data:`DATE_RANGE` are rejected, as are
    two-digit years (``12-Jan-20``): which century is meant is a guess. A time of day after the date
    (``2024-03-31 10:15:00``) is allowed and dropped; one that is no time of day (``25:00``) is not.

    Examples
    --------
    >>> p = parse_date(pd.Series(["2024-03-31", "31/03/2024", "3 Mei 2021", "30/02/2023", "45382"], dtype="str"),
    ...                excel=np.array([False, False, False, False, True]))
    >>> [str(v)[:10] for v in p.values], p.bad.tolist()
    (['2024-03-31', '2024-03-31', '2021-05-03', 'NaT', '2024-03-31'], [False, False, False, True, False])
    >>> p.note
    'dates in numbers read day/month/year (day_first=True; 1 date shows the day first, 0 the month first)'
    >>> p = parse_date(pd.Series(["03/05/2024", "05/25/2024"], dtype="str"), day_first=None)
    >>> [str(v)[:10] for v in p.values], p.bad.tolist()
    (['2024-03-05', '2024-05-25'], [False, False])
    """
    check_option("day_first", day_first, (True, False, None))
    codes, uniques, counts = distinct(_without_time(as_arrow(text)))
    n = len(uniques)
    low = pc.utf8_lower(uniques)
    date_u = np.full(n, _NAT)
    why_u = np.zeros(n, dtype=np.int8)
    todo = np.ones(n, dtype=bool)
    for pattern, reader in ((_ISO, _read_iso), (_NAMED, _read_named)):
        idx, fields = _extract(low, todo, pattern)
        date_u[idx], ok = reader(fields)
        todo[idx[ok]] = False
    idx, fields = _extract(low, todo, _NUMERIC)
    dates, ok, why, others, note = _read_numeric(fields, counts[idx], day_first)
    date_u[idx], why_u[idx] = dates, why
    todo[idx[ok]] = False
    serial_u = np.full(n, _NAT)
    is_serial = todo & np_mask(pc.match_substring_regex(low, _SERIAL))
    if excel is not None and is_serial.any():
        serial_u[is_serial] = _from_serial(uniques.filter(pa.array(is_serial)))
    lo, hi = (b.astype("datetime64[D]") for b in DATE_RANGE)
    inside = ~np.isnat(date_u) & (date_u >= lo) & (date_u <= hi)
    date_u = np.where(inside & ~todo, date_u, _NAT)
    serial_u = np.where((serial_u >= lo) & (serial_u <= hi), serial_u, _NAT)
    values = spread(date_u, codes, _NAT)
    if excel is not None:
        from_serial = np.asarray(excel, dtype=bool) & ~np.isnat(spread(serial_u, codes, _NAT))
        values = np.where(from_serial, spread(serial_u, codes, _NAT), values)
    present = codes >= 0
    bad = present & np.isnat(values)
    why_rows = np.where(np.isnat(values), spread(why_u, codes, 0), 0).astype(np.int8)
    series = pd.Series(values.astype("datetime64[s]"), index=text.index)
    return Parsed(series, bad, UNREADABLE, why_rows if others else None, others, note)


def _without_time(arr: pa.Array) -> pa.Array:
    """The text without a time of day after the date: timestamps, nearly all different, become few dates."""
    if not np_mask(pc.match_substring(arr, ":")).any():
        return arr
    return pc.replace_substring_regex(arr, _TIME_OF_DAY, "")


def _extract(low: pa.Array, todo: np.ndarray, pattern: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Positions among ``todo`` matching ``pattern``, and its named groups there (text; numbers as int)."""
    idx = np.flatnonzero(todo)
    found = pc.extract_regex(low.take(pa.array(idx)), pattern)
    hit = np_mask(pc.is_valid(found))
    found = found.filter(pa.array(hit))
    fields = {}
    for i in range(found.type.num_fields):
        name = found.type.field(i).name
        col = found.field(i)
        fields[name] = col if name in ("s", "t", "w") else pc.cast(col, pa.int32()).to_numpy()
    return idx[hit], fields


def calendar(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``datetime64[D]`` of year, month and day (NaT where there is no such day), and which are real."""
    ok = (m >= 1) & (m <= 12) & (d >= 1)
    mm = np.where(ok, m, 1)
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    ok &= d <= _DAYS_IN_MONTH[mm] + (leap & (mm == 2))
    years = np.where(ok, y, 1970).astype(np.int64) - 1970
    months = years.astype("datetime64[Y]").astype("datetime64[M]") + (np.where(ok, m, 1) - 1)
    days = months.astype("datetime64[D]") + (np.where(ok, d, 1) - 1)
    return np.where(ok, days, _NAT), ok


def _same_separator(fields: dict) -> np.ndarray:
    return np_mask(pc.equal(fields["s"], fields["t"]))


def _read_iso(fields: dict) -> tuple[np.ndarray, np.ndarray]:
    dates, ok = calendar(fields["y"], fields["m"], fields["d"])
    ok &= _same_separator(fields)
    return np.where(ok, dates, _NAT), ok


def _read_named(fields: dict) -> tuple[np.ndarray, np.ndarray]:
    word = pc.utf8_rtrim(fields["w"], characters=".")
    pos = pc.fill_null(pc.index_in(word, value_set=_NAMES), -1).to_numpy(zero_copy_only=False)
    month = np.where(pos >= 0, _NUMBERS[np.maximum(pos, 0)], 0)
    return calendar(fields["y"], month, fields["d"])


def _from_serial(text: pa.Array) -> np.ndarray:
    serial = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    ok = (serial >= 1) & (serial < 2958466)  # Excel's last day is 9999-12-31
    days = _EXCEL_EPOCH + np.floor(np.where(ok, serial, 0)).astype(np.int64).astype("timedelta64[D]")
    return np.where(ok, days, _NAT)


def _read_numeric(fields: dict, weight: np.ndarray, day_first: bool | None):
    """Dates in numbers: the column's order from all its values, then each date in that order.

    Returns the dates (NaT where rejected), which are accepted, the reason code of each (0 not a
    date, 1 against the column's order, 2 ambiguous against the evidence), the reasons 1 and 2, a note.
    """
    a, b, y = fields["a"], fields["b"], fields["y"]
    usable = _same_separator(fields) & (y >= 1900) & (y <= 2100)  # the year is the same either way round
    dmy, dmy_ok = calendar(y, b, a)
    mdy, mdy_ok = calendar(y, a, b)
    dmy_ok &= usable
    mdy_ok &= usable
    shows_d, shows_m = dmy_ok & ~mdy_ok, mdy_ok & ~dmy_ok
    ambiguous = dmy_ok & mdy_ok & (a != b)
    n_d, n_m = int(weight[shows_d].sum()), int(weight[shows_m].sum())
    if n_d + n_m + int(weight[ambiguous].sum()) == 0:  # no date here depends on the order
        return dmy, dmy_ok, np.zeros(len(a), dtype=np.int8), (), None
    counts = f"{n_d:,} date{'s show' if n_d != 1 else ' shows'} the day first, {n_m:,} the month first"
    why = np.zeros(len(a), dtype=np.int8)
    if day_first is None and n_d == n_m:
        ok = dmy_ok & mdy_ok & ~ambiguous
        why[shows_d | shows_m | ambiguous] = 1
        stuck = "no date in it shows which" if n_d == 0 else "it shows both orders as often"
        others = (
            f"'{{value}}' depends on the order of day and month, which this column does not settle ({stuck}: "
            f"{counts}; day_first=None); pass day_first=True (kinerja validate --day-first yes) for "
            "day/month/year, as Indonesian exports write dates",
        )
        note = f"dates in numbers: order not known ({counts}; day_first=None); dates that depend on it are rejected"
        return np.where(ok, dmy, _NAT), ok, why, others, note
    if day_first is None:
        order, against, basis = n_d > n_m, False, f"as most of its dates show: {counts}"
    else:
        order, against = day_first, (n_m > n_d if day_first else n_d > n_m)
        basis = f"day_first={day_first}; {counts}"
    name, other = (_DMY, _MDY) if order else (_MDY, _DMY)
    dates, ok = (dmy, dmy_ok) if order else (mdy, mdy_ok)
    why[shows_m if order else shows_d] = 1
    if against:
        ok = ok & ~ambiguous
        why[ambiguous] = 2
    others = (
        f"'{{value}}' is not a date in this column's order: it reads only as {other}, "
        f"but the column is read {name} ({basis})",
        f"'{{value}}' is ambiguous: day_first={day_first} says {name}, but most dates of the column that show "
        f"an order read {other} ({counts}); check the export",
    )
    note = f"dates in numbers read {name} ({basis})"
    if against:
        note = (
            f"dates in numbers: day_first={day_first} says {name}, but most that show an order read {other} "
            f"({counts}); the dates that depend on the order are rejected"
        )
    return np.where(ok, dates, _NAT), ok, why, others, note
