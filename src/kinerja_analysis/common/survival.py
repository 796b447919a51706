"""Kaplan-Meier and Aalen-Johansen estimates from count tables, for many groups at once.

Input is one row per (group, time): ``g`` (group, ascending), ``t`` (time, strictly ascending within a
group), ``d`` (events at t, by cause in the columns of a 2-D array) and ``c`` (censored at t). At a tied
time, events come before censorings, so a case censored at t is at risk at t (as in lifelines and R's
``survival``).

- Kaplan-Meier: S(t) = prod_{s <= t} (1 - d_s / n_s), with Greenwood's variance
  S^2 sum d / (n (n - d)) and the log(-log) ("exponential Greenwood") interval
  S^exp(+-z sqrt(V) / log S), V the Greenwood sum, as lifelines' ``KaplanMeierFitter``.
- Median: the first t with S(t) <= 0.5, with the interval read off the bands (first t where the
  lower band, resp. the upper band, falls to 0.5 or below; Brookmeyer-Crowley style, as lifelines'
  ``median_survival_times(kmf.confidence_interval_)``). A median never reached is reported as such.
- Aalen-Johansen cumulative incidence of cause k: F_k(t) = sum_{s <= t} S(s-) d_ks / n_s, with the
  delta-method variance of Collett (2015, p. 411) and the log(-log) interval, as lifelines'
  ``AalenJohansenFitter`` (which jitters tied times; here ties are kept, which the estimator allows).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError

__all__ = ["kaplan_meier", "km_median", "aalen_johansen"]


def _z(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} must lie strictly between 0 and 1 (e.g. 0.05).")
    return float(stats.norm.ppf(1 - alpha / 2))


def _group_cumsum(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``x`` restarting at each group (``g`` ascending)."""
    total = np.cumsum(x)
    if x.size == 0:
        return total
    first = np.flatnonzero(np.diff(g, prepend=g[0] - 1))
    before = np.repeat(total[first] - x[first], np.diff(np.append(first, x.size)))
    return total - before


def _check(g: np.ndarray, t: np.ndarray, *arrays: np.ndarray) -> None:
    if any(a.shape[0] != g.size for a in (t, *arrays)):
        raise KinerjaDataError("g, t and the counts must have one entry per (group, time).")
    steps_g, steps_t = np.diff(g), np.diff(t)
    if np.any(steps_g < 0) or np.any((steps_g == 0) & (steps_t <= 0)):
        raise KinerjaDataError("the count table must be sorted by group, then strictly by time.")
    if any(np.any(a < 0) for a in arrays):
        raise KinerjaDataError("event and censoring counts must be 0 or more.")


def _at_risk(g: np.ndarray, d: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Cases at risk just before each time: the group's total less those removed at earlier times."""
    removed = d + c
    total = np.bincount(g, weights=removed)[g] if g.size else removed
    return total - (_group_cumsum(removed, g) - removed)


def kaplan_meier(
    g: np.ndarray, t: np.ndarray, d: np.ndarray, c: np.ndarray, *, alpha: float = 0.05
) -> dict[str, np.ndarray]:
    """Kaplan-Meier survival with Greenwood log(-log) bounds, one value per row of the count table.

    Returns
    -------
    dict of arrays
        ``n_at_risk``, ``survival``, ``ci_low``, ``ci_high`` (bounds of survival) and ``greenwood``
        (the sum d / (n (n - d)); a term with d = n counts 0, as in lifelines).

    Examples
    --------
    Five cases: closed at 1, 2, 2, censored at 3, closed at 4.

    >>> out = kaplan_meier(np.zeros(4, int), np.array([1, 2, 3, 4]), np.array([1, 2, 0, 1.0]), np.array([0, 0, 1, 0.0]))
    >>> out["n_at_risk"].tolist(), out["survival"].round(4).tolist()
    ([5.0, 4.0, 2.0, 1.0], [0.8, 0.4, 0.4, 0.0])
    """
    g = np.asarray(g, dtype=np.int64)
    t, d, c = (np.asarray(a, dtype="float64") for a in (t, d, c))
    _check(g, t, d, c)
    z = _z(alpha)
    n = _at_risk(g, d, c)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A factor of 0 (every case at risk closes) would put -inf in the running sum of logs and spoil the
        # next group's; count the zeros instead and keep the logs finite.
        factor = 1 - d / n
        zero = factor <= 0
        survival = np.exp(_group_cumsum(np.log(np.where(zero, 1.0, factor)), g))
        survival = np.where(_group_cumsum(zero.astype("float64"), g) > 0, 0.0, survival)
        term = np.where(n > d, d / (n * (n - d)), 0.0)
        greenwood = _group_cumsum(term, g)
        log_s = np.log(survival)
        # Bounds exp(-exp(log(-log S) -+ z sqrt(V) / log S)); log S < 0, so spread < 0 and "-" is the lower one.
        spread = z * np.sqrt(greenwood) / log_s
        low = np.exp(-np.exp(np.log(-log_s) - spread))
        high = np.exp(-np.exp(np.log(-log_s) + spread))
    low = np.where(survival >= 1.0, 1.0, np.where(survival <= 0.0, 0.0, low))
    high = np.where(survival >= 1.0, 1.0, np.where(survival <= 0.0, 0.0, high))
    return {"n_at_risk": n, "survival": survival, "ci_low": low, "ci_high": high, "greenwood": greenwood}


def km_median(
    g: np.ndarray, t: np.ndarray, survival: np.ndarray, low: np.ndarray, high: np.ndarray, *, n_groups: int
) -> dict[str, np.ndarray]:
    """Median time per group from a Kaplan-Meier table: the first t with S(t) <= 0.5, and its interval.

    The interval is [first t with the lower band <= 0.5, first t with the upper band <= 0.5]. Where the
    curve (or a band) never falls to 0.5, the value is NaN; ``reached`` is False when the curve never does.

    Returns
    -------
    dict of arrays, one entry per group
        ``estimate``, ``ci_low``, ``ci_high``, ``reached`` (bool).
    """
    g = np.asarray(g, dtype=np.int64)
    t = np.asarray(t, dtype="float64")

    def first_at_or_below(curve: np.ndarray) -> np.ndarray:
        out = np.full(n_groups, np.nan)
        # The product is formed as exp(sum(log)), which leaves 0.5000000000000001 where it is exactly 0.5
        # (lifelines: 0.5); a tolerance far below any real step keeps "first S <= 0.5" right.
        hit = np.asarray(curve) <= 0.5 + 1e-12
        rows = np.flatnonzero(hit)
        groups, first = np.unique(g[rows], return_index=True)  # rows ascend, so the first per group is the earliest
        out[groups] = t[rows[first]]
        return out

    estimate = first_at_or_below(survival)
    return {
        "estimate": estimate,
        "ci_low": first_at_or_below(low),
        "ci_high": first_at_or_below(high),
        "reached": ~np.isnan(estimate),
    }


def aalen_johansen(
    g: np.ndarray, t: np.ndarray, d: np.ndarray, c: np.ndarray, *, alpha: float = 0.05
) -> dict[str, np.ndarray]:
    """Cumulative incidence of each cause (Aalen-Johansen) with delta-method log(-log) bounds.

    Parameters
    ----------
    g, t
        Group and time of each row (sorted).
    d
        Events by cause, shape (rows, causes).
    c
        Censored at each time.

    Returns
    -------
    dict of arrays of shape (rows, causes)
        ``incidence``, ``variance``, ``ci_low``, ``ci_high``; plus ``n_at_risk`` (rows).

    Examples
    --------
    Four cases: cause 0 at time 1, cause 1 at time 2, censored at 2, cause 0 at time 3.

    >>> d = np.array([[1, 0], [0, 1], [1, 0.0]])
    >>> out = aalen_johansen(np.zeros(3, int), np.array([1, 2, 3]), d, np.array([0, 1, 0.0]))
    >>> out["incidence"].round(4).tolist()
    [[0.25, 0.0], [0.25, 0.25], [0.75, 0.25]]
    """
    g = np.asarray(g, dtype=np.int64)
    t = np.asarray(t, dtype="float64")
    d = np.atleast_2d(np.asarray(d, dtype="float64").T).T
    c = np.asarray(c, dtype="float64")
    _check(g, t, d, c)
    z = _z(alpha)
    events = d.sum(axis=1)
    km = kaplan_meier(g, t, events, c, alpha=alpha)
    n, survival = km["n_at_risk"], km["survival"]
    first = np.diff(g, prepend=g[0] - 1 if g.size else 0) != 0
    lagged = np.where(first, 1.0, np.roll(survival, 1))  # S(t-), 1 at each group's first time
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(n > events, events / (n * (n - events)), 0.0)
        step = lagged[:, None] * d / n[:, None]
        incidence = np.column_stack([_group_cumsum(step[:, k], g) for k in range(d.shape[1])])
        # Var F(t) = sum_j [(F(t) - F_j)^2 a_j + S_j-^2 d_kj (n_j - d_kj) / n_j^3 - 2 (F(t) - F_j) S_j- d_kj / n_j^2],
        # expanded in powers of F(t) so that every sum is a running sum.
        variance = np.empty_like(incidence)
        for k in range(d.shape[1]):
            f = incidence[:, k]
            b = lagged**2 * d[:, k] * (n - d[:, k]) / n**3
            e = lagged * d[:, k] / n**2
            a0, a1, a2 = (_group_cumsum(a * f**p, g) for p in (0, 1, 2))
            e0, e1 = _group_cumsum(e, g), _group_cumsum(e * f, g)
            variance[:, k] = f**2 * a0 - 2 * f * a1 + a2 + _group_cumsum(b, g) - 2 * (f * e0 - e1)
        variance = np.maximum(variance, 0.0)  # rounding can leave -1e-18
        log_f = np.log(incidence)
        spread = z * np.sqrt(variance) / (incidence * np.abs(log_f))
        low = np.exp(-np.exp(np.log(-log_f) + spread))
        high = np.exp(-np.exp(np.log(-log_f) - spread))
    low = np.where(incidence <= 0, 0.0, np.where(incidence >= 1, 1.0, low))
    high = np.where(incidence <= 0, 0.0, np.where(incidence >= 1, 1.0, high))
    return {"incidence": incidence, "variance": variance, "ci_low": low, "ci_high": high, "n_at_risk": n}
