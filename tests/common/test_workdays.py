"""Working-day counts checked against a calendar read by hand.

Holidays used (libur nasional per SKB 3 Menteri; cuti bersama from the same decrees):
- Thursday 17 August 2023, Independence Day.
- Idul Fitri 1446 H: Monday 31 March and Tuesday 1 April 2025 (libur nasional); cuti bersama Friday
  28 March (Nyepi) and Wednesday 2, Thursday 3, Friday 4 and Monday 7 April 2025.
- Saturday 17 August 2024 falls on a weekend.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.workdays import holiday_dates, working_day_index, working_days_between


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-08-14", "2024-08-14", 0),  # same day: 0 by convention
        ("2024-08-16", "2024-08-19", 1),  # Friday -> Monday: the Friday
        ("2024-08-17", "2024-08-19", 0),  # Saturday -> Monday: no working day before Monday
        ("2024-08-17", "2024-08-20", 1),  # Saturday -> Tuesday: the Monday
        ("2023-08-16", "2023-08-18", 1),  # Wed -> Fri across Thursday 17 August: the Wednesday only
        ("2023-08-14", "2023-08-21", 4),  # Mon -> next Mon: Mon, Tue, Wed, Fri
        ("2025-03-27", "2025-04-08", 6),  # Thu 27 Mar -> Tue 8 Apr: 27, 28 Mar, 2, 3, 4, 7 Apr
    ],
)
def test_working_days_by_hand(start: str, end: str, expected: int) -> None:
    assert working_days_between([start], [end]).tolist() == [expected]


def test_cuti_bersama_idul_fitri_2025() -> None:
    # With cuti bersama only Thursday 27 March remains a working day before Tuesday 8 April.
    got = working_days_between(["2025-03-27"], ["2025-04-08"], cuti_bersama=True)
    assert got.tolist() == [1]


def test_calendar_of_2025_cuti_bersama() -> None:
    days = {str(d) for d in holiday_dates(2025, 2025, cuti_bersama=True)}
    assert {"2025-03-28", "2025-03-31", "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07"} <= days
    assert "2025-04-02" not in {str(d) for d in holiday_dates(2025, 2025)}


def test_own_holiday_list_replaces_the_package() -> None:
    # With no holidays at all, Wed 16 -> Fri 18 August 2023 is two working days.
    assert working_days_between(["2023-08-16"], ["2023-08-18"], holidays=[]).tolist() == [2]
    assert working_days_between(["2023-08-14"], ["2023-08-16"], holidays=[date(2023, 8, 14)]).tolist() == [1]


def test_missing_end_gives_nan_and_keeps_length() -> None:
    got = working_days_between(pd.Series(pd.to_datetime(["2024-08-16", "2024-08-16"])),
                               pd.Series(pd.to_datetime(["2024-08-19", None])))  # fmt: skip
    assert got[0] == 1 and np.isnan(got[1])


def test_end_before_start_is_an_error() -> None:
    with pytest.raises(KinerjaDataError, match="before start"):
        working_days_between(["2024-08-19"], ["2024-08-16"])


def test_years_outside_the_calendar() -> None:
    with pytest.raises(InvalidOptionError, match="1950-2100"):
        holiday_dates(1900, 1901)


def test_index_differences_equal_busday_count() -> None:
    first, last = np.datetime64("2022-12-20"), np.datetime64("2025-01-10")
    index = working_day_index(first, last)
    days = np.arange(first, last + 1)
    rng = np.random.default_rng(3)
    a = rng.integers(0, days.size, 500)
    b = np.maximum(a, rng.integers(0, days.size, 500))
    expected = np.busday_count(days[a], days[b], holidays=holiday_dates(2022, 2025))
    assert np.array_equal(index[b] - index[a], expected)
