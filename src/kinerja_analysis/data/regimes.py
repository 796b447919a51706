"""Which appraisal regime a year belongs to: PP 46/2011 scores (2014-2021) or PermenPANRB 6/2022 predikat.

The year decides which columns a ``kinerja`` row carries, so the loader, the coverage table and every
analysis that compares years read the regime from this one rule (DOMAIN.md 3.4).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from kinerja_analysis.common.errors import KinerjaDataError

__all__ = ["Regime", "regime", "FIRST_PP46_YEAR", "FIRST_2022_YEAR"]

Regime = Literal["pp46_2011", "permenpanrb_6_2022"]

FIRST_PP46_YEAR = 2014
FIRST_2022_YEAR = 2022


def regime(tahun: int) -> Regime:
    """The appraisal regime of a year: ``"pp46_2011"`` (2014-2021) or ``"permenpanrb_6_2022"`` (from 2022).

    PP 46/2011 scores (nilai SKP, nilai perilaku, kategori) apply to appraisals from 2014, the year
    the regulation took effect [likely], to 2021, which DOMAIN.md places in the old regime; predikat
    from ratings apply from 2022 [firm]. Earlier years (DP3, PP 10/1979) are not supported.

    Examples
    --------
    >>> regime(2021), regime(2022)
    ('pp46_2011', 'permenpanrb_6_2022')
    """
    if isinstance(tahun, bool) or not isinstance(tahun, int | np.integer):
        raise KinerjaDataError(f"tahun must be a whole year such as 2023, got {tahun!r}.")
    if tahun < FIRST_PP46_YEAR:
        raise KinerjaDataError(
            f"tahun {tahun} predates PP 46/2011 (in force from {FIRST_PP46_YEAR}); DP3 appraisals under PP 10/1979 "
            "are not supported. Remove these years."
        )
    return "permenpanrb_6_2022" if tahun >= FIRST_2022_YEAR else "pp46_2011"
