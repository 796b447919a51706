"""The rules of the satisfaction index (IKM): regimes, items, weights, grades and sample size.

PermenPANRB 14/2017 (DOMAIN.md section 6, [firm]): nine items U1-U9 answered 1-4; NRR per item = mean
answer; IKM = sum of NRR x weight x 25, on a 25-100 scale; the value rounded to two decimals, as
published, is graded 88.31-100 A (Sangat Baik), 76.61-88.30 B (Baik), 65.00-76.60 C (Kurang Baik),
25.00-64.99 D (Tidak Baik). The weight is 1/9; reports print it as 0.111 or 0.11, which gives other
figures (with 0.11 the maximum is 99), so the weighting is always an explicit choice.

The older KepMenPAN 25/2004 used fourteen items (weight 1/14, printed 0.071) and other cut-offs. Those
cut-offs could not be verified for this project (DOMAIN.md marks them only as "other"), so a caller who
grades 2004 data must give them (``cutoffs``); they are never assumed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data.schema import MUTU

__all__ = [
    "Regime",
    "Weight",
    "REGIMES",
    "REGIME_ITEMS",
    "WEIGHTS",
    "CUTOFFS_2017",
    "KINERJA_UNIT",
    "MUTU_DTYPE",
    "item_weight",
    "check_cutoffs",
    "round_published",
    "ikm_grade",
    "krejcie_morgan",
]

Regime = Literal["permenpanrb_14_2017", "kepmenpan_25_2004"]
Weight = Literal["exact", "0.111", "0.11", "0.071"]

REGIMES: Final = ("permenpanrb_14_2017", "kepmenpan_25_2004")
REGIME_ITEMS: Final = {
    "permenpanrb_14_2017": tuple(f"u{i}" for i in range(1, 10)),
    "kepmenpan_25_2004": tuple(f"u{i}" for i in range(1, 15)),
}
"""The item columns of each regime (U1..U9 since 2017; U1..U14 under the 2004 decree)."""

WEIGHTS: Final = {
    "permenpanrb_14_2017": {"exact": 1 / 9, "0.111": 0.111, "0.11": 0.11},
    "kepmenpan_25_2004": {"exact": 1 / 14, "0.071": 0.071},
}
"""The weight per item each regime allows: exact 1/k or the rounded figure reports print."""

CUTOFFS_2017: Final = (65.00, 76.61, 88.31)
"""Lowest converted value of grades C, B and A under PermenPANRB 14/2017 [firm]."""

KINERJA_UNIT: Final = {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}
"""Kinerja unit pelayanan for each mutu pelayanan."""

MUTU_DTYPE: Final = pd.CategoricalDtype(list(MUTU), ordered=True)
"""Mutu pelayanan as an ordered categorical, D < C < B < A."""

_KINERJA_DTYPE: Final = pd.CategoricalDtype([KINERJA_UNIT[m] for m in MUTU], ordered=True)


def item_weight(regime: Regime, weight: Weight) -> float:
    """The weight of one item under ``regime`` for the ``weight`` option.

    >>> round(item_weight("permenpanrb_14_2017", "exact") * 9, 12), item_weight("permenpanrb_14_2017", "0.11")
    (1.0, 0.11)
    """
    check_option("regime", regime, REGIMES)
    return WEIGHTS[regime][check_option("weight", weight, tuple(WEIGHTS[regime]))]


def check_cutoffs(regime: Regime, cutoffs: Sequence[float] | None) -> tuple[float, float, float]:
    """The cut-offs (lowest converted value of C, B, A) to grade ``regime`` with.

    Under PermenPANRB 14/2017 they are the regulation's and ``cutoffs`` must be None; under KepMenPAN
    25/2004 the caller gives them (three increasing numbers between 25 and 100).
    """
    check_option("regime", regime, REGIMES)
    if regime == "permenpanrb_14_2017":
        if cutoffs is not None:
            raise InvalidOptionError(
                "cutoffs are fixed by PermenPANRB 14/2017 (C from 65.00, B from 76.61, A from 88.31); "
                "leave cutoffs=None, or choose regime='kepmenpan_25_2004' for 14-item data."
            )
        return CUTOFFS_2017
    if cutoffs is None:
        raise InvalidOptionError(
            "regime='kepmenpan_25_2004' needs cutoffs=(C, B, A): the lowest converted value (25-100) of each grade "
            "as your source of KepMenPAN 25/2004 prints them. They are not built in because they could not be "
            "verified for this project."
        )
    values = tuple(float(c) for c in cutoffs)
    if len(values) != 3 or not all(np.isfinite(values)) or not 25 < values[0] < values[1] < values[2] <= 100:
        raise InvalidOptionError(
            f"cutoffs={tuple(cutoffs)!r} is not allowed; give three increasing values between 25 and 100, "
            "the lowest converted value of grades C, B and A."
        )
    return values  # type: ignore[return-value]


def _cents(values: np.ndarray) -> np.ndarray:
    """Values in hundredths, rounded half up as a published table does (NaN stays NaN).

    Rounding to nine decimals first removes binary noise, so 64.99999999999999 (a sum that is 65
    exactly on paper) becomes 65.00 and 76.605 becomes 76.61 rather than 76.60.
    """
    clean = np.round(np.asarray(values, dtype=float), 9)
    return np.floor(clean * 100 + 0.5 + 1e-9)


def round_published(values: np.ndarray | Sequence[float] | float) -> np.ndarray:
    """Round to two decimals, half up, as published IKM tables do.

    >>> round_published([64.99999999999999, 76.605, 88.304]).tolist()
    [65.0, 76.61, 88.3]
    """
    return _cents(np.atleast_1d(np.asarray(values, dtype=float))) / 100


def ikm_grade(
    values: np.ndarray | Sequence[float] | pd.Series,
    *,
    regime: Regime = "permenpanrb_14_2017",
    cutoffs: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Grade converted IKM values: the published two-decimal value, mutu pelayanan and kinerja unit.

    Parameters
    ----------
    values
        Converted values on the 25-100 scale (missing values give missing grades).
    regime
        ``"permenpanrb_14_2017"`` (the regulation's cut-offs) or ``"kepmenpan_25_2004"`` (``cutoffs`` required).
    cutoffs
        Only for the 2004 regime: the lowest converted value of grades C, B and A.

    Returns
    -------
    DataFrame with ``ikm_rounded`` (the value rounded half up to two decimals, which is what is graded),
    ``mutu`` (ordered categorical D < C < B < A) and ``kinerja_unit`` (Tidak Baik ... Sangat Baik).

    Examples
    --------
    >>> ikm_grade([88.31, 88.30, 76.61, 76.60, 65.00, 64.99, 64.99999999999999])
       ikm_rounded mutu kinerja_unit
    0        88.31    A  Sangat Baik
    1        88.30    B         Baik
    2        76.61    B         Baik
    3        76.60    C  Kurang Baik
    4        65.00    C  Kurang Baik
    5        64.99    D   Tidak Baik
    6        65.00    C  Kurang Baik
    """
    c_from, b_from, a_from = (round(c * 100) for c in check_cutoffs(regime, cutoffs))
    raw = values.to_numpy(dtype=float, na_value=np.nan) if isinstance(values, pd.Series) else values
    cents = _cents(np.atleast_1d(np.asarray(raw, dtype=float)))
    known = ~np.isnan(cents)
    # compare whole hundredths, so that no float comparison decides a boundary
    idx = np.select([cents >= a_from, cents >= b_from, cents >= c_from], [3, 2, 1], default=0)
    codes = np.where(known, idx, -1)
    mutu = pd.Categorical.from_codes(codes, dtype=MUTU_DTYPE)
    kinerja = pd.Categorical.from_codes(codes, dtype=_KINERJA_DTYPE)
    index = values.index if isinstance(values, pd.Series) else None
    return pd.DataFrame({"ikm_rounded": cents / 100, "mutu": mutu, "kinerja_unit": kinerja}, index=index)


def krejcie_morgan(population: int | Sequence[int] | np.ndarray | pd.Series) -> np.ndarray:
    """Krejcie & Morgan (1970) sample size for a population of ``population`` service users.

    s = X2 N P(1 - P) / (d2 (N - 1) + X2 P(1 - P)) with X2 = 3.841, P = 0.5, d = 0.05, rounded to the
    nearest whole respondent (PermenPANRB 14/2017 points to this table, DOMAIN.md section 6).

    Parameters
    ----------
    population
        Number(s) of service users N, at least 1.

    Returns
    -------
    The required sample sizes as an int64 array (same length as the input).

    Examples
    --------
    >>> krejcie_morgan([100, 1000, 10000]).tolist()
    [80, 278, 370]
    """
    raw = population.to_numpy(dtype=float, na_value=np.nan) if isinstance(population, pd.Series) else population
    n = np.atleast_1d(np.asarray(raw, dtype=float))
    if np.isnan(n).any() or (n < 1).any() or (n != np.floor(n)).any():
        raise InvalidOptionError("population must be whole numbers of service users, at least 1 (no missing values).")
    chi2, p, d = 3.841, 0.5, 0.05
    s = chi2 * n * p * (1 - p) / (d**2 * (n - 1) + chi2 * p * (1 - p))
    return np.floor(s + 0.5).astype(np.int64)
