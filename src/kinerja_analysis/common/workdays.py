"""Working days in Indonesia: Monday to Friday, less national holidays (and optionally cuti bersama).

Service standards (``layanan.standar_hari``) are set in working days [likely], so durations are counted
on a working-day calendar by default. Holidays come from the maintained ``holidays`` package
(``holidays.Indonesia``): category ``public`` is the libur nasional, category ``government`` the cuti
bersama of the joint ministerial decree (SKB). Whether cuti bersama days stop the service clock is
[open]: ASN take them from annual leave and front offices often keep a duty roster, so they count as
working days unless ``cuti_bersama=True``.

Convention (one rule for every count): the duration from ``start`` to ``end`` is the number of working
days in the half-open range ``[start, end)``, as :func:`numpy.busday_count` counts. A case received and
finished the same day took 0 working days; received Friday and finished Monday, 1; received Saturday and
finished Monday, 0 (Monday is the first working day of the case). For working days ``start``, the
duration is ``n`` exactly when ``end`` is ``n`` working days after ``start``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError

__all__ = ["WEEKMASK", "holiday_dates", "calendar_text", "working_days_between", "working_day_index"]

WEEKMASK = "1111100"
"""Monday to Friday: the five-day week of ASN (Perpres 21/2023) [likely]."""

_FIRST_YEAR, _LAST_YEAR = 1950, 2100  # the range the schema accepts for years


@lru_cache(maxsize=32)
def _package_holidays(first_year: int, last_year: int, cuti_bersama: bool) -> np.ndarray:
    import holidays

    categories = ("public", "government") if cuti_bersama else ("public",)
    found = holidays.Indonesia(years=range(first_year, last_year + 1), categories=categories)
    out = np.array(sorted(found), dtype="datetime64[D]")
    out.setflags(write=False)  # cached: callers must not change it
    return out


def holiday_dates(
    first_year: int, last_year: int, *, cuti_bersama: bool = False, holidays: Sequence[date] | None = None
) -> np.ndarray:
    """Non-working weekdays and weekend holidays from ``first_year`` to ``last_year``, sorted, as datetime64[D].

    Parameters
    ----------
    first_year, last_year
        Inclusive range of years, within 1950-2100.
    cuti_bersama
        Also treat cuti bersama (``holidays`` category ``government``) as days off [open].
    holidays
        Your own list of days off, used instead of the package (for example a regional calendar, or
        the frozen list that generated the demo data); ``cuti_bersama`` is then ignored.

    >>> [str(d) for d in holiday_dates(2023, 2023) if str(d).startswith("2023-08")]
    ['2023-08-17']
    """
    if not (_FIRST_YEAR <= first_year <= last_year <= _LAST_YEAR):
        raise InvalidOptionError(
            f"years {first_year}-{last_year} are outside the supported calendar {_FIRST_YEAR}-{_LAST_YEAR}; "
            "check the dates of the layanan table (tanggal_masuk, tanggal_selesai) and as_of."
        )
    if holidays is not None:
        days = np.unique(np.asarray(pd.to_datetime(pd.Series(list(holidays), dtype=object)), dtype="datetime64[D]"))
        return days[(days >= np.datetime64(f"{first_year}-01-01")) & (days <= np.datetime64(f"{last_year}-12-31"))]
    return _package_holidays(int(first_year), int(last_year), bool(cuti_bersama))


def calendar_text(*, cuti_bersama: bool = False, holidays: Sequence[date] | None = None) -> str:
    """How working days were counted, for the ``method`` column.

    >>> calendar_text()
    'working days: Mon-Fri less libur nasional (python-holidays Indonesia, public)'
    """
    if holidays is not None:
        return f"working days: Mon-Fri less {len(holidays)} given holidays"
    extra = " and cuti bersama (public, government)" if cuti_bersama else " (python-holidays Indonesia, public)"
    return f"working days: Mon-Fri less libur nasional{extra}"


def _year(day: np.datetime64) -> int:
    return int(day.astype("datetime64[Y]").astype(int)) + 1970


def _as_days(values: object, *, name: str) -> np.ndarray:
    """Dates as datetime64[D] (NaT kept), from a Series, array, list or single value."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.atleast_1d(np.asarray(values, dtype=object)))
    try:
        stamps = pd.to_datetime(series)
    except (ValueError, TypeError) as error:
        raise KinerjaDataError(f"{name}: expected dates; {error}") from error
    return stamps.to_numpy().astype("datetime64[D]")


def working_days_between(
    start: object,
    end: object,
    *,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> np.ndarray:
    """Working days in ``[start, end)``, elementwise; NaN where either date is missing.

    Parameters
    ----------
    start, end
        Dates (Series, arrays, lists or single values) of equal length; ``end`` not before ``start``.
    cuti_bersama, holidays
        The calendar, as in :func:`holiday_dates`.

    Returns
    -------
    ndarray of float64
        The count (whole numbers), NaN where a date is missing.

    Examples
    --------
    Thursday 17 August 2023 is Independence Day: Wednesday 16 to Friday 18 is one working day.

    >>> working_days_between(["2023-08-16", "2024-08-16"], ["2023-08-18", "2024-08-19"]).tolist()
    [1.0, 1.0]
    """
    a, b = _as_days(start, name="start"), _as_days(end, name="end")
    if a.shape != b.shape:
        raise KinerjaDataError(f"start and end differ in length ({a.size} and {b.size}).")
    present = ~np.isnat(a) & ~np.isnat(b)
    out = np.full(a.shape, np.nan)
    if not present.any():
        return out
    if np.any(b[present] < a[present]):
        rows = np.flatnonzero(present & (b < a))[:10].tolist()
        raise KinerjaDataError(f"end is before start at positions {rows}; correct the dates.")
    days_off = holiday_dates(
        _year(a[present].min()), _year(b[present].max()), cuti_bersama=cuti_bersama, holidays=holidays
    )
    out[present] = np.busday_count(a[present], b[present], weekmask=WEEKMASK, holidays=days_off)
    return out


def working_day_index(
    first: np.datetime64, last: np.datetime64, *, cuti_bersama: bool = False, holidays: Sequence[date] | None = None
) -> np.ndarray:
    """For each day from ``first`` to ``last`` inclusive, the working days before it since ``first``.

    The difference of two entries is the working-day duration between their days, so an engine can
    count durations for millions of rows with two lookups (see :mod:`kinerja_analysis.service.cases`).

    >>> working_day_index(np.datetime64("2024-08-15"), np.datetime64("2024-08-19")).tolist()
    [0, 1, 2, 2, 2]
    """
    first, last = np.datetime64(first, "D"), np.datetime64(last, "D")
    days_off = holiday_dates(_year(first), _year(last), cuti_bersama=cuti_bersama, holidays=holidays)
    days = np.arange(first, last + np.timedelta64(1, "D"), dtype="datetime64[D]")
    open_days = np.is_busday(days, weekmask=WEEKMASK, holidays=days_off)
    return np.concatenate([[0], np.cumsum(open_days[:-1], dtype=np.int64)])
