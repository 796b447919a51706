"""Working days of the synthetic data: Monday to Friday except Indonesian national holidays.

The holidays are frozen here (as listed by python-holidays 0.109 for Indonesia, libur nasional without
cuti bersama) so that the committed demo data do not change when that package is updated. The list is
written into the ground-truth file, so an analysis can count working days on the same calendar.
"""

from __future__ import annotations

from typing import Final

import numpy as np

__all__ = ["HOLIDAYS", "CALENDAR", "working_days", "add_working_days", "random_working_days"]

_HOLIDAY_TEXT: Final = (
    "2019-01-01", "2019-02-05", "2019-03-07", "2019-04-03", "2019-04-17", "2019-04-19", "2019-05-01",
    "2019-05-19", "2019-05-30", "2019-06-01", "2019-06-05", "2019-06-06", "2019-08-11", "2019-08-17",
    "2019-09-01", "2019-11-09", "2019-12-25", "2020-01-01", "2020-01-25", "2020-03-22", "2020-03-25",
    "2020-04-10", "2020-05-01", "2020-05-07", "2020-05-21", "2020-05-24", "2020-05-25", "2020-06-01",
    "2020-07-31", "2020-08-17", "2020-08-20", "2020-10-29", "2020-12-09", "2020-12-25", "2021-01-01",
    "2021-02-12", "2021-03-11", "2021-03-14", "2021-04-02", "2021-05-01", "2021-05-13", "2021-05-14",
    "2021-05-26", "2021-06-01", "2021-07-20", "2021-08-11", "2021-08-17", "2021-10-20", "2021-12-25",
    "2022-01-01", "2022-02-01", "2022-02-28", "2022-03-03", "2022-04-15", "2022-05-01", "2022-05-02",
    "2022-05-03", "2022-05-16", "2022-05-26", "2022-06-01", "2022-07-10", "2022-07-30", "2022-08-17",
    "2022-10-08", "2022-12-25", "2023-01-01", "2023-01-22", "2023-02-18", "2023-03-22", "2023-04-07",
    "2023-04-22", "2023-04-23", "2023-05-01", "2023-05-18", "2023-06-01", "2023-06-04", "2023-06-29",
    "2023-07-19", "2023-08-17", "2023-09-28", "2023-12-25", "2024-01-01", "2024-02-08", "2024-02-10",
    "2024-02-14", "2024-03-11", "2024-03-29", "2024-03-31", "2024-04-10", "2024-04-11", "2024-05-01",
    "2024-05-09", "2024-05-23", "2024-06-01", "2024-06-17", "2024-07-07", "2024-08-17", "2024-09-16",
    "2024-11-27", "2024-12-25", "2025-01-01", "2025-01-27", "2025-01-29", "2025-03-29", "2025-03-31",
    "2025-04-01", "2025-04-18", "2025-04-20", "2025-05-01", "2025-05-12", "2025-05-29", "2025-06-01",
    "2025-06-06", "2025-06-27", "2025-08-17", "2025-09-05", "2025-12-25",
)  # fmt: skip

HOLIDAYS: Final = np.array(_HOLIDAY_TEXT, dtype="datetime64[D]")
CALENDAR: Final = np.busdaycalendar(weekmask="1111100", holidays=HOLIDAYS)


def working_days(first: np.datetime64, last: np.datetime64) -> np.ndarray:
    """All working days from ``first`` to ``last`` inclusive.

    >>> working_days(np.datetime64("2024-04-08"), np.datetime64("2024-04-14")).tolist()[:2]
    [datetime.date(2024, 4, 8), datetime.date(2024, 4, 9)]
    """
    days = np.arange(first, last + np.timedelta64(1, "D"), dtype="datetime64[D]")
    return days[np.is_busday(days, busdaycal=CALENDAR)]


def add_working_days(start: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The working day ``n`` working days after ``start`` (``start`` itself must be a working day)."""
    return np.busday_offset(start, n, roll="raise", busdaycal=CALENDAR)


def random_working_days(rng: np.random.Generator, first: np.datetime64, last: np.datetime64, size: int) -> np.ndarray:
    """``size`` working days drawn uniformly from ``first`` .. ``last``."""
    days = working_days(first, last)
    return days[rng.integers(0, days.size, size=size)]
