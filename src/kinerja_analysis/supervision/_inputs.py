"""Shared checks of the supervision analyses: the appraisal years compared and the columns a table needs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.data.regimes import FIRST_2022_YEAR, regime

__all__ = ["check_min_n", "require_columns", "require_rows", "resolve_years", "years_text"]


def require_columns(table: pd.DataFrame, name: str, columns: Sequence[str], *, analysis: str) -> None:
    """Raise :class:`MissingColumnError` naming the table, the absent columns and what to do."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise MissingColumnError(
            f"{analysis} needs column(s) {', '.join(missing)} in the table {name}, which has "
            f"{', '.join(map(str, table.columns))}. Add or rename the column(s) in {name}.csv and load again."
        )


def check_min_n(min_n: object) -> int:
    """``min_n`` as an int if it is a positive whole number, else raise."""
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or min_n < 1:
        raise InvalidOptionError(f"min_n={min_n!r} is not allowed; choose a positive whole number (e.g. 10).")
    return int(min_n)


def resolve_years(years: Sequence[int] | None, present: Iterable[object], *, analysis: str) -> tuple[int, ...]:
    """The appraisal years to compare: by default every year from 2022 found in ``present``.

    Predikat exist only under PermenPANRB 6/2022 (from 2022); earlier years carry PP 46/2011 scores, a
    different measurement (DOMAIN.md 3.4), so a year before 2022 is refused rather than mixed in.
    """
    if years is None:
        found = {int(y) for y in pd.Series(list(present), dtype="object").dropna()}
        chosen = sorted(y for y in found if y >= FIRST_2022_YEAR)
        if not chosen:
            raise KinerjaDataError(
                f"{analysis}: the data have no year from {FIRST_2022_YEAR} (years found: {sorted(found) or 'none'}); "
                "predikat exist only under PermenPANRB 6/2022. Add appraisals from 2022 onwards."
            )
        return tuple(chosen)
    if isinstance(years, str | int) or not all(isinstance(y, int | np.integer) and not isinstance(y, bool)
                                               for y in years):  # fmt: skip
        raise InvalidOptionError(f"years={years!r} is not allowed; give whole years, e.g. [2022, 2023, 2024].")
    chosen = sorted({int(y) for y in years})
    if not chosen:
        raise InvalidOptionError("years is empty; give at least one year from 2022, or None for all of them.")
    old = [y for y in chosen if regime(y) != "permenpanrb_6_2022"]
    if old:
        raise KinerjaDataError(
            f"{analysis}: years {old} are PP 46/2011 years, whose appraisals are scores without predikat; they are "
            f"not compared with PermenPANRB 6/2022 predikat. Choose years from {FIRST_2022_YEAR} onwards."
        )
    return tuple(chosen)


def require_rows(rows: pd.DataFrame, years: Sequence[int], present: Iterable[object], *, analysis: str) -> None:
    """Raise :class:`KinerjaDataError` when no appraisal row falls in the chosen years."""
    if len(rows) == 0:
        found = sorted({int(y) for y in pd.Series(list(present), dtype="object").dropna()})
        raise KinerjaDataError(
            f"{analysis}: kinerja has no row in {years_text(years)}; it holds appraisals of {found}. Choose years "
            "from those."
        )


def years_text(years: Sequence[int]) -> str:
    """'2022-2025' for consecutive years, else '2022, 2024'.

    >>> years_text([2024, 2022, 2023]), years_text([2022, 2024])
    ('2022-2024', '2022, 2024')
    """
    ys = sorted(int(y) for y in years)
    if not ys:
        return "no year"
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(map(str, ys))
