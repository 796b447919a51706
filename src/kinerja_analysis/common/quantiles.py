"""Sample quantiles with distribution-free (order-statistic) confidence intervals, for many groups at once.

Point estimate: the "linear" quantile (Hyndman & Fan 1996 type 7; numpy's and DuckDB's ``quantile_cont``
default): with sorted values x_(1) <= ... <= x_(n) and h = (n - 1) p, the estimate is
x_(floor h + 1) + (h - floor h) (x_(floor h + 2) - x_(floor h + 1)).

Interval: the order statistics [x_(l), x_(u)] with B ~ Binomial(n, p), l the largest rank with
P(B <= l - 1) <= alpha/2 and u the smallest rank with P(B >= u) <= alpha/2, so each tail misses the
population quantile with probability at most alpha/2 whatever the distribution (Conover 1999, 3.2;
as ``scipy.stats.quantile_test(...).confidence_interval``). With too few observations no such rank
exists: that bound is NaN and a note says how many observations it needs, never an invented number.

The groups come as a table of counts per (group, value), as produced by DuckDB from the row-level data:
``g`` (group, sorted), ``values`` (ascending within a group) and ``counts``. Raw samples are the special
case of one group with count 1 per row (:func:`quantile_interval`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.group_sums import SLICE_ROWS, row_slices

__all__ = [
    "QUANTILE_METHOD",
    "order_statistic_ranks",
    "CountTable",
    "grouped_quantiles",
    "quantile_interval",
    "minimum_n",
]

QUANTILE_METHOD = "linear (type 7) quantile; distribution-free order-statistic interval (binomial, Conover)"


def _check(p: float, alpha: float) -> None:
    if not 0 < p < 1:
        raise InvalidOptionError(f"quantile {p!r} must lie strictly between 0 and 1 (e.g. 0.5 or 0.9).")
    if not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} must lie strictly between 0 and 1 (e.g. 0.05).")


def order_statistic_ranks(n: np.ndarray, p: float, *, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """1-based ranks (l, u) of the two-sided order-statistic interval; 0 (no lower) or n + 1 (no upper) if none.

    >>> [r.tolist() for r in order_statistic_ranks(np.array([5, 6, 20]), 0.5)]
    [[0, 1, 6], [6, 6, 15]]
    """
    _check(p, alpha)
    n = np.asarray(n, dtype=np.int64)
    # Many groups share a size: compute the ranks once per distinct n.
    sizes, back = _distinct(n)
    # Largest l with P(B <= l - 1) <= alpha/2 is the smallest k with P(B <= k) > alpha/2, i.e. binom.ppf,
    # except where P(B <= k) equals alpha/2 exactly; the two corrections below settle rounding either way.
    low = stats.binom.ppf(alpha / 2, sizes, p).astype(np.int64)
    low = np.where(stats.binom.cdf(low - 1, sizes, p) > alpha / 2, low - 1, low)
    low = np.where(stats.binom.cdf(low, sizes, p) <= alpha / 2, low + 1, low)
    # Smallest u with P(B >= u) <= alpha/2, i.e. P(B > u - 1) <= alpha/2.
    high = stats.binom.isf(alpha / 2, sizes, p).astype(np.int64) + 1
    high = np.where(stats.binom.sf(high - 2, sizes, p) <= alpha / 2, high - 1, high)
    high = np.where(stats.binom.sf(high - 1, sizes, p) > alpha / 2, high + 1, high)
    return np.clip(low, 0, None)[back].reshape(n.shape), np.minimum(high, sizes + 1)[back].reshape(n.shape)


def _distinct(n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(n, return_inverse=True)``; for group sizes (small whole numbers) by counting, not sorting.

    A million unit-months have a few hundred distinct sizes: a table indexed by size finds them in one
    pass, about ten times faster than the sort.
    """
    flat = n.ravel()
    if flat.size and flat.min() >= 0 and flat.max() <= max(1 << 20, 4 * flat.size):
        present = np.bincount(flat)
        sizes = np.flatnonzero(present)
        position = np.zeros(present.size, dtype=np.intp)
        position[sizes] = np.arange(sizes.size)
        return sizes, position[flat]
    return np.unique(flat, return_inverse=True)


def minimum_n(p: float, *, alpha: float = 0.05) -> tuple[int, int]:
    """Fewest observations for which the lower and the upper bound exist.

    The lower bound needs (1 - p)^n <= alpha/2 and the upper p^n <= alpha/2.

    >>> minimum_n(0.5), minimum_n(0.9)
    ((6, 6), (2, 36))
    """
    _check(p, alpha)
    target = alpha / 2

    def smallest(q: float) -> int:
        n = max(1, math.ceil(math.log(target) / math.log(q)) - 1)
        while q**n > target:
            n += 1
        return n

    return smallest(1 - p), smallest(p)


class CountTable:
    """A table of counts per (group, value), checked and accumulated once, for any number of quantiles.

    ``g`` (group number 0 .. n_groups - 1, ascending), ``values`` (ascending within a group) and
    ``counts`` (how many observations have it; rows with count 0 are allowed). The checks, group sizes
    and running counts are the costly part for a million groups (about 0.2 s of the 0.35 s of one
    quantile of the national KPI table), so several quantiles share them.
    """

    def __init__(self, g: np.ndarray, values: np.ndarray, counts: np.ndarray, *, n_groups: int) -> None:
        g, values, counts = np.asarray(g, dtype=np.int64), np.asarray(values), np.asarray(counts)
        if np.any(counts < 0) or (counts.dtype.kind == "f" and np.any(counts != np.round(counts))):
            raise KinerjaDataError("counts must be whole numbers, 0 or more.")
        # Comparisons of neighbours, not differences: only boolean temporaries over millions of rows.
        new_group = g[1:] != g[:-1]
        if np.any(g[1:] < g[:-1]) or np.any((values[1:] < values[:-1]) & ~new_group):
            raise KinerjaDataError("the count table must be sorted by group, then value.")
        if g.size and (g[0] < 0 or g[-1] >= n_groups):
            raise KinerjaDataError(f"group numbers must lie in 0 .. n_groups - 1 = {n_groups - 1}.")
        self.values, self.n_groups = values, n_groups
        self.cum = _running_total(counts if counts.dtype.kind in "iub" else counts.astype(np.int64))
        # Observations per group from the running count at each group's last row.
        last = np.append(np.flatnonzero(new_group), g.size - 1) if g.size else np.zeros(0, dtype=np.intp)
        through = self.cum[last]
        self.n = np.zeros(n_groups, dtype=np.int64)
        self.n[g[last]] = np.diff(through, prepend=0)
        self.has = self.n > 0
        self._n, self._start = self.n[self.has], (np.cumsum(self.n) - self.n)[self.has]

    def _value_at(self, rank0: np.ndarray) -> np.ndarray:
        """The value at 0-based rank ``rank0`` within each group with observations."""
        return self.values[np.searchsorted(self.cum, self._start + rank0, side="right")].astype("float64")

    def quantile(self, p: float, *, alpha: float = 0.05) -> dict[str, np.ndarray]:
        """Quantile ``p`` with its order-statistic interval per group, as :func:`grouped_quantiles` returns it."""
        _check(p, alpha)
        n, n_groups, has = self._n, self.n_groups, self.has
        estimate, low, high = (np.full(n_groups, np.nan) for _ in range(3))
        if has.any():
            h = (n - 1) * p
            lo = np.floor(h).astype(np.int64)
            below = self._value_at(lo)
            above = self._value_at(np.minimum(lo + 1, n - 1))
            estimate[has] = below + (h - lo) * (above - below)
            rank_low, rank_high = order_statistic_ranks(n, p, alpha=alpha)
            low[has] = np.where(rank_low >= 1, self._value_at(np.maximum(rank_low - 1, 0)), np.nan)
            high[has] = np.where(rank_high <= n, self._value_at(np.minimum(rank_high - 1, n - 1)), np.nan)
        return {"n": self.n, "estimate": estimate, "ci_low": low, "ci_high": high,
                "note": _notes(self.n, p, alpha)}  # fmt: skip


def _running_total(counts: np.ndarray, slice_rows: int = SLICE_ROWS) -> np.ndarray:
    """``np.cumsum(counts, dtype=np.int64)`` a slice at a time: a whole-array cumsum of narrower integers first
    copies them all to int64 (40 MB for the 5 million cells of the national KPI table)."""
    out = np.empty(counts.size, dtype=np.int64)
    carry = 0
    for rows in row_slices(counts.size, slice_rows):
        part = out[rows]
        np.cumsum(counts[rows], dtype=np.int64, out=part)
        part += carry
        carry = int(part[-1])
    return out


def _notes(n: np.ndarray, p: float, alpha: float) -> pd.Categorical:
    """Why a bound is missing, per group, as a categorical: a few texts repeated over up to millions of groups."""
    need_low, need_high = minimum_n(p, alpha=alpha)
    level = f"{100 * (1 - alpha):g}%"
    texts = [
        "",
        "no observations",
        f"too few cases for a {level} interval (needs {max(need_low, need_high)})",
        f"no lower bound at {level} (needs {need_low} cases)",
        f"no upper bound at {level} (needs {need_high} cases)",
    ]
    has = n > 0
    code = np.zeros(n.size, dtype=np.int8)
    code[~has] = 1
    code[has & (n < need_low) & (n < need_high)] = 2
    code[has & (n < need_low) & (n >= need_high)] = 3
    code[has & (n >= need_low) & (n < need_high)] = 4
    return pd.Categorical.from_codes(code, categories=texts)


def grouped_quantiles(
    g: np.ndarray,
    values: np.ndarray,
    counts: np.ndarray,
    *,
    n_groups: int,
    p: float,
    alpha: float = 0.05,
) -> dict[str, np.ndarray]:
    """Quantile ``p`` with its order-statistic interval for each group of a count table.

    Parameters
    ----------
    g, values, counts
        One row per (group, value): group number (0 .. n_groups - 1, ascending), value (ascending
        within the group) and how many observations have it (rows with count 0 are allowed).
    n_groups
        Number of groups; groups without rows get n = 0 and NaN.
    p, alpha
        The quantile and 1 - confidence level.

    Returns
    -------
    dict of arrays, one entry per group
        ``n``, ``estimate``, ``ci_low``, ``ci_high`` and ``note`` (a pandas Categorical: why a bound is
        missing, else ""). For several quantiles of one table, :class:`CountTable` checks it once.

    Examples
    --------
    >>> out = grouped_quantiles(np.zeros(10, dtype=int), np.arange(1, 11), np.ones(10), n_groups=1, p=0.5)
    >>> float(out["estimate"][0]), float(out["ci_low"][0]), float(out["ci_high"][0])
    (5.5, 2.0, 9.0)
    """
    _check(p, alpha)
    return CountTable(g, values, counts, n_groups=n_groups).quantile(p, alpha=alpha)


def quantile_interval(x: np.ndarray, p: float, *, alpha: float = 0.05) -> tuple[float, float, float, str]:
    """Quantile ``p`` of a sample with its order-statistic interval: (estimate, low, high, note).

    Missing values are dropped.

    >>> quantile_interval(np.arange(1.0, 11.0), 0.5)
    (5.5, 2.0, 9.0, '')
    """
    x = np.asarray(x, dtype="float64")
    x = np.sort(x[~np.isnan(x)])
    values, counts = np.unique(x, return_counts=True)
    out = grouped_quantiles(np.zeros(values.size, dtype=np.int64), values, counts, n_groups=1, p=p, alpha=alpha)
    return float(out["estimate"][0]), float(out["ci_low"][0]), float(out["ci_high"][0]), str(out["note"][0])
