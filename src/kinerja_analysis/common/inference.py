"""Intervals and tests on per-group summaries (mean, variance, n), vectorised over groups.

The feedback analyses reduce row-level data to these summaries with DuckDB; everything here works on
arrays of them, so a national table of 50,000 units costs a few array operations.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.common.options import check_alpha, check_option

__all__ = [
    "Correction",
    "CORRECTIONS",
    "IntervalMethod",
    "INTERVAL_TEXT",
    "proportion_interval",
    "t_interval",
    "welch",
    "adjust",
    "adjusted_alpha",
]

Correction = Literal["holm", "fdr_bh"]
CORRECTIONS: Final = ("holm", "fdr_bh")
IntervalMethod = Literal["wilson", "clopper_pearson"]
INTERVAL_TEXT = {"wilson": "Wilson score interval", "clopper_pearson": "Clopper-Pearson exact interval"}


def t_interval(
    mean: np.ndarray, var: np.ndarray, n: np.ndarray, *, alpha: float, population: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Student t interval for a mean; returns (se, low, high), NaN where n < 2.

    With a known population size N the standard error carries the finite-population correction
    sqrt((N - n) / (N - 1)) (sampling without replacement); N = n gives a zero-width interval.
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(np.asarray(var, dtype=float) / n)
        if population is not None:
            big_n = np.asarray(population, dtype=float)
            fpc = np.sqrt(np.clip((big_n - n) / (big_n - 1), 0, 1))
            se = np.where(np.isnan(big_n), se, se * np.where(big_n > 1, fpc, 0.0))
        se = np.where(n >= 2, se, np.nan)
        crit = _t_critical(1 - alpha / 2, np.where(n >= 2, n - 1, np.nan))
    return se, mean - crit * se, mean + crit * se


def _t_critical(q: float, df: np.ndarray) -> np.ndarray:
    """``stats.t.ppf(q, df)``, computed once per distinct df (NaN included): 50,000 units share a few hundred
    sample sizes, and scipy's ppf costs about 0.4 microseconds a value (23 ms for 50,000 units; the whole
    interval takes 3.5 ms so)."""
    distinct, where = np.unique(df, return_inverse=True)
    return stats.t.ppf(q, distinct)[where.reshape(df.shape)]


def welch(
    mean1: np.ndarray,
    var1: np.ndarray,
    n1: np.ndarray,
    mean2: np.ndarray,
    var2: np.ndarray,
    n2: np.ndarray,
    *,
    alpha: float,
) -> dict[str, np.ndarray]:
    """Welch's unequal-variance t test of mean2 - mean1, with its interval (Welch-Satterthwaite df).

    Returns ``estimate``, ``se``, ``df``, ``ci_low``, ``ci_high`` and ``p_value`` (two-sided); all but the
    estimate are NaN where either side has fewer than two observations. When both variances are zero the
    difference is exact: p is 0 if the means differ and 1 if not, and the interval has zero width.
    """
    n1, n2 = np.asarray(n1, dtype=float), np.asarray(n2, dtype=float)
    v1, v2 = np.asarray(var1, dtype=float) / n1, np.asarray(var2, dtype=float) / n2
    diff = np.asarray(mean2, dtype=float) - np.asarray(mean1, dtype=float)
    usable = (n1 >= 2) & (n2 >= 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        t = diff / se
        p = 2 * stats.t.sf(np.abs(t), df)
        crit = stats.t.ppf(1 - alpha / 2, df)
    exact = usable & (se == 0)
    p = np.where(exact, np.where(diff == 0, 1.0, 0.0), p)
    crit = np.where(exact, 0.0, crit)
    low, high = diff - crit * se, diff + crit * se
    nan = np.full(diff.shape, np.nan)
    return {
        "estimate": diff,
        "se": np.where(usable, se, nan),
        "df": np.where(usable & ~exact, df, nan),
        "ci_low": np.where(usable, low, nan),
        "ci_high": np.where(usable, high, nan),
        "p_value": np.where(usable, p, nan),
    }


def adjust(p_values: np.ndarray, *, method: Correction, alpha: float) -> np.ndarray:
    """Multiplicity-adjusted p-values (statsmodels ``multipletests``); NaN stays NaN and is not counted."""
    check_option("correction", method, CORRECTIONS)
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    known = ~np.isnan(p)
    if known.any():
        out[known] = multipletests(p[known], alpha=alpha, method=method)[1]
    return out


def adjusted_alpha(p_values: np.ndarray, *, method: Correction, alpha: float) -> float:
    """The per-comparison level of intervals that match the correction.

    Holm: Bonferroni's alpha / m, simultaneous for all m comparisons (Holm itself gives no intervals).
    Benjamini-Hochberg: Benjamini & Yekutieli's (2005) false-coverage-rate level R alpha / m, with R the
    number of comparisons declared significant (at least 1).
    """
    p = np.asarray(p_values, dtype=float)
    m = int((~np.isnan(p)).sum())
    if m == 0:
        return alpha
    if method == "holm":
        return alpha / m
    rejected = int((adjust(p, method=method, alpha=alpha) <= alpha).sum())
    return max(rejected, 1) * alpha / m


def proportion_interval(
    k: np.ndarray, n: np.ndarray, *, method: IntervalMethod = "wilson", alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided binomial interval for ``k`` successes out of ``n``, elementwise; NaN where n = 0.

    Wilson (1927): centre (p + z^2/2n) / (1 + z^2/n), half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n),
    z = Phi^-1(1 - alpha/2); as statsmodels ``proportion_confint(method="wilson")``. Clopper-Pearson
    (1934): beta quantiles Beta(alpha/2; k, n-k+1) and Beta(1-alpha/2; k+1, n-k), 0 and 1 at the edges;
    statsmodels calls it ``"beta"``.

    >>> low, high = proportion_interval(np.array([3]), np.array([12]))
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.0889, 0.5323)
    """
    check_option("method", method, INTERVAL_TEXT)
    alpha = check_alpha(alpha)
    k, n = np.asarray(k, dtype="float64"), np.asarray(n, dtype="float64")
    if np.any(k < 0) or np.any(k > n):
        raise KinerjaDataError("k must lie between 0 and n in every group.")
    empty = n == 0
    n_safe = np.where(empty, 1.0, n)  # keeps the arithmetic quiet; empty groups become NaN below
    if method == "wilson":
        z = stats.norm.ppf(1 - alpha / 2)
        p = k / n_safe
        denominator = 1 + z**2 / n_safe
        centre = (p + z**2 / (2 * n_safe)) / denominator
        half = z * np.sqrt(p * (1 - p) / n_safe + z**2 / (4 * n_safe**2)) / denominator
        low, high = np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
        # At k = 0 (k = n) the bound is exactly 0 (1); centre - half leaves rounding noise such as 5.6e-17.
        low, high = np.where(k == 0, 0.0, low), np.where(k == n, 1.0, high)
    else:
        low = np.where(k > 0, stats.beta.ppf(alpha / 2, np.maximum(k, 1), n_safe - k + 1), 0.0)
        high = np.where(k < n_safe, stats.beta.ppf(1 - alpha / 2, k + 1, np.maximum(n_safe - k, 1)), 1.0)
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)
