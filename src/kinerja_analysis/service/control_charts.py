"""Monitoring charts as tidy tables: XmR (individuals and moving range), p-chart, funnel plot limits.

Pure computations; the plots are drawn in :mod:`kinerja_analysis.plots`.

- XmR (Wheeler, *Understanding Statistical Process Control*): moving ranges MR_i = |x_i - x_(i-1)|;
  natural process limits mean +- 2.66 mean(MR), upper range limit 3.268 mean(MR); the robust variant
  uses the median moving range, mean +- 3.145 median(MR) and 3.865 median(MR), so that one wild point
  does not widen the limits it should break.
- p-chart: centre p = sum k / sum n, limits p +- 3 sqrt(p (1 - p) / n_i), clipped to [0, 1]; the limits
  vary with each point's n.
- Funnel plot (Spiegelhalter 2005, *Statistics in Medicine* 24:1185): each unit's share against a target,
  with limits at its own n, so a unit of five cases is not flagged for a share a unit of five hundred
  would be. Exact binomial limits with Spiegelhalter's interpolation, or the normal approximation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option

__all__ = ["XMR_CONSTANTS", "xmr_chart", "p_chart", "funnel", "funnel_curve"]

XmrMethod = Literal["mean_mr", "median_mr"]
FunnelMethod = Literal["exact", "normal"]

XMR_CONSTANTS: dict[str, tuple[float, float]] = {"mean_mr": (2.66, 3.268), "median_mr": (3.145, 3.865)}
"""Scaling of the mean or median moving range to the X limits and the upper range limit (Wheeler)."""

_FUNNEL_TEXT = {
    "exact": "exact binomial limits, interpolated (Spiegelhalter 2005)",
    "normal": "normal-approximation limits target +- z sqrt(target (1 - target) / n)",
}


def _baseline_mask(index: pd.Index, baseline: object) -> np.ndarray:
    if baseline is None:
        return np.ones(len(index), dtype=bool)
    if isinstance(baseline, slice):
        mask = np.zeros(len(index), dtype=bool)
        mask[index.slice_indexer(baseline.start, baseline.stop, baseline.step)] = True
        return mask
    mask = np.asarray(baseline.reindex(index) if isinstance(baseline, pd.Series) else baseline)
    if mask.dtype != bool or mask.shape != (len(index),):
        raise InvalidOptionError(
            "baseline must be None, a slice of the series' index labels, or booleans with one entry per point."
        )
    return mask


def _values(series: object, name: str) -> pd.Series:
    s = series if isinstance(series, pd.Series) else pd.Series(series)
    values = pd.to_numeric(s, errors="coerce").astype("float64")
    bad = values.isna()
    if bad.any():
        raise KinerjaDataError(
            f"{name} has missing or non-numeric values at {list(s.index[bad][:10])}; drop or fill those points."
        )
    return values


def xmr_chart(series: pd.Series, *, baseline: object = None, method: XmrMethod = "mean_mr") -> pd.DataFrame:
    """Individuals and moving-range chart of a series (e.g. a unit's monthly median processing time).

    Parameters
    ----------
    series
        Values in time order; the index labels the points.
    baseline
        Points whose values set the limits: None (all), a slice of index labels, or booleans per
        point. Moving ranges count only between two consecutive baseline points.
    method
        ``"mean_mr"``: mean +- 2.66 mean MR; ``"median_mr"``: mean +- 3.145 median MR (robust).

    Returns
    -------
    DataFrame, one row per point
        ``t`` (the index label), ``value``, ``moving_range`` (NaN for the first point), ``in_baseline``,
        ``centre`` (baseline mean), ``lcl``, ``ucl`` (natural process limits), ``mr_centre`` (mean or
        median MR), ``mr_ucl`` (upper range limit), ``signal`` ("above", "below" or "" for a point
        outside the limits), ``mr_signal`` (moving range above its limit) and ``method``.

    Examples
    --------
    >>> out = xmr_chart(pd.Series([10.0, 12, 11, 13, 12]))
    >>> float(out["centre"][0]), float(out["mr_centre"][0]), round(float(out["ucl"][0]), 3)
    (11.6, 1.5, 15.59)
    """
    check_option("method", method, XMR_CONSTANTS)
    values = _values(series, "series")
    x = values.to_numpy()
    in_base = _baseline_mask(values.index, baseline)
    if in_base.sum() < 2:
        raise KinerjaDataError(f"xmr_chart needs at least 2 baseline points; got {int(in_base.sum())}.")
    mr = np.concatenate([[np.nan], np.abs(np.diff(x))])
    base_mr = mr[1:][in_base[1:] & in_base[:-1]]
    if base_mr.size == 0:
        raise KinerjaDataError("the baseline has no two consecutive points, so no moving range to set limits.")
    centre = float(x[in_base].mean())
    mr_centre = float(base_mr.mean() if method == "mean_mr" else np.median(base_mr))
    scale_x, scale_mr = XMR_CONSTANTS[method]
    lcl, ucl, mr_ucl = centre - scale_x * mr_centre, centre + scale_x * mr_centre, scale_mr * mr_centre
    what = "mean" if method == "mean_mr" else "median"
    return pd.DataFrame(
        {
            "t": values.index,
            "value": x,
            "moving_range": mr,
            "in_baseline": in_base,
            "centre": centre,
            "lcl": lcl,
            "ucl": ucl,
            "mr_centre": mr_centre,
            "mr_ucl": mr_ucl,
            "signal": np.where(x > ucl, "above", np.where(x < lcl, "below", "")),
            "mr_signal": np.nan_to_num(mr, nan=0.0) > mr_ucl,
            "method": f"XmR, limits mean +- {scale_x} x {what} moving range (Wheeler); "
            f"baseline {int(in_base.sum())} of {x.size} points",
        }
    )


def p_chart(
    k: Sequence[float] | np.ndarray | pd.Series,
    n: Sequence[float] | np.ndarray | pd.Series,
    *,
    baseline: object = None,
    sigma: float = 3.0,
) -> pd.DataFrame:
    """p-chart of shares k_i / n_i with limits that vary with n_i (e.g. monthly SLA share of a unit).

    Parameters
    ----------
    k, n
        Counts (e.g. cases on time) and totals per point, in time order; a Series' index labels the points.
    baseline
        Points whose counts set the centre line, as in :func:`xmr_chart`.
    sigma
        Width of the limits in standard errors (3 by convention).

    Returns
    -------
    DataFrame, one row per point
        ``t``, ``n``, ``k``, ``estimate`` (k / n), ``in_baseline``, ``centre`` (sum k / sum n over the
        baseline), ``lcl``, ``ucl`` (clipped to [0, 1]), ``signal`` and ``method``. A point with n = 0 has
        NaN estimate and limits.

    Examples
    --------
    >>> out = p_chart([8, 9, 3], [10, 10, 5])
    >>> round(float(out["centre"][0]), 4), out["ucl"].round(4).tolist()
    (0.8, [1.0, 1.0, 1.0])
    """
    if not sigma > 0:
        raise InvalidOptionError(f"sigma={sigma!r} must be positive (3 by convention).")
    k_s, n_s = _values(k, "k"), _values(n, "n")
    if len(k_s) != len(n_s):
        raise KinerjaDataError(f"k and n differ in length ({len(k_s)} and {len(n_s)}).")
    kk, nn = k_s.to_numpy(), n_s.to_numpy()
    if np.any(kk < 0) or np.any(kk > nn):
        raise KinerjaDataError(
            f"k must lie between 0 and n at every point; see points {list(k_s.index[(kk < 0) | (kk > nn)][:10])}."
        )
    index = k_s.index if isinstance(k, pd.Series) else n_s.index
    in_base = _baseline_mask(index, baseline)
    if nn[in_base].sum() == 0:
        raise KinerjaDataError("the baseline has no cases (sum of n is 0), so no centre line.")
    centre = float(kk[in_base].sum() / nn[in_base].sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.where(nn > 0, kk / nn, np.nan)
        half = np.where(nn > 0, sigma * np.sqrt(centre * (1 - centre) / nn), np.nan)
    lcl, ucl = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return pd.DataFrame(
        {
            "t": index,
            "n": nn,
            "k": kk,
            "estimate": estimate,
            "in_baseline": in_base,
            "centre": centre,
            "lcl": lcl,
            "ucl": ucl,
            "signal": np.where(estimate > ucl, "above", np.where(estimate < lcl, "below", "")),
            "method": f"p-chart, limits p +- {sigma:g} sqrt(p (1 - p) / n_i); "
            f"baseline {int(in_base.sum())} of {nn.size} points",
        }
    )


def _label(level: float) -> str:
    return f"{100 * level:g}".replace(".", "_")


def _limits(n: np.ndarray, target: float, level: float, method: FunnelMethod) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper funnel limits (as shares) at each n; NaN where n = 0."""
    n = np.asarray(n, dtype="float64")
    tail = (1 - level) / 2
    safe = np.where(n > 0, n, 1.0)
    if method == "normal":
        half = stats.norm.ppf(1 - tail) * np.sqrt(target * (1 - target) / safe)
        low, high = target - half, target + half
    else:
        bounds = []
        for p in (tail, 1 - tail):
            r = stats.binom.ppf(p, safe, target)
            at_r, below_r = stats.binom.cdf(r, safe, target), stats.binom.cdf(r - 1, safe, target)
            with np.errstate(divide="ignore", invalid="ignore"):
                frac = np.where(at_r > below_r, (at_r - p) / (at_r - below_r), 0.0)
            bounds.append((r - frac) / safe)
        low, high = bounds
    low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def _check_levels(levels: Sequence[float], target: float) -> tuple[float, ...]:
    levels = tuple(sorted(float(v) for v in levels))
    if not levels or any(not 0 < v < 1 for v in levels):
        raise InvalidOptionError(
            f"levels={list(levels)} must be one or more numbers between 0 and 1 (e.g. 0.95, 0.998)."
        )
    if not 0 < target < 1:
        raise InvalidOptionError(f"target={target!r} must lie strictly between 0 and 1.")
    return levels


def funnel(
    units: pd.DataFrame,
    *,
    k: str = "k",
    n: str = "n",
    target: float | None = None,
    levels: Sequence[float] = (0.95, 0.998),
    method: FunnelMethod = "exact",
) -> pd.DataFrame:
    """Funnel-plot limits for each unit's share k / n (e.g. SLA compliance against case volume).

    Parameters
    ----------
    units
        One row per unit, with count columns ``k`` and ``n`` (the output of ``kpi.sla_compliance`` fits).
    k, n
        Names of the count columns.
    target
        The share units are compared with; None uses the pooled share sum k / sum n.
    levels
        Two-sided coverage of the limits, usually 0.95 ("warning") and 0.998 ("action").
    method
        ``"exact"`` binomial limits with Spiegelhalter's interpolation, or ``"normal"`` approximation.

    Returns
    -------
    DataFrame
        The input's columns, then ``estimate`` (k / n), ``target``, ``lower_<level>`` and ``upper_<level>``
        per level (e.g. ``lower_95``, ``upper_99_8``), ``signal`` (e.g. "above_99_8", "below_95" for the
        widest limits crossed; "" if none) and ``method``.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["A", "B"], "k": [3, 330], "n": [5, 400]})
    >>> funnel(units, target=0.9)[["unit_id", "signal"]].values.tolist()
    [['A', ''], ['B', 'below_99_8']]
    """
    check_option("method", method, _FUNNEL_TEXT)
    missing = [c for c in (k, n) if c not in units.columns]
    if missing:
        raise MissingColumnError(f"units lacks column(s) {missing}; name the count columns with k= and n=.")
    kk = pd.to_numeric(units[k]).to_numpy(dtype="float64")
    nn = pd.to_numeric(units[n]).to_numpy(dtype="float64")
    if np.any(np.isnan(kk) | np.isnan(nn)) or np.any(kk < 0) or np.any(kk > nn):
        raise KinerjaDataError(f"columns {k!r} and {n!r} must be counts with 0 <= {k} <= {n} in every row.")
    pooled = target is None
    if pooled:
        if nn.sum() == 0:
            raise KinerjaDataError("no cases in any unit (sum of n is 0), so no pooled target.")
        target = float(kk.sum() / nn.sum())
    levels = _check_levels(levels, target)
    out = units.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["estimate"] = np.where(nn > 0, kk / nn, np.nan)
    out["target"] = target
    signal = np.full(len(out), "", dtype=object)
    for level in levels:  # ascending, so a wider limit crossed overwrites a narrower one
        low, high = _limits(nn, target, level, method)
        out[f"lower_{_label(level)}"], out[f"upper_{_label(level)}"] = low, high
        signal = np.where(out["estimate"] > high, f"above_{_label(level)}", signal)
        signal = np.where(out["estimate"] < low, f"below_{_label(level)}", signal)
    out["signal"] = signal
    source = "pooled share" if pooled else "given"
    out["method"] = f"funnel: {_FUNNEL_TEXT[method]}; target {target:.4g} ({source})"
    return out


def funnel_curve(
    n: Sequence[float] | np.ndarray,
    *,
    target: float,
    levels: Sequence[float] = (0.95, 0.998),
    method: FunnelMethod = "exact",
) -> pd.DataFrame:
    """The funnel's limits over a range of n, for drawing the curves: columns n, level, lower, upper.

    >>> funnel_curve([20], target=0.5, levels=[0.95], method="normal").round(4).values.tolist()
    [[20.0, 0.95, 0.2809, 0.7191]]
    """
    check_option("method", method, _FUNNEL_TEXT)
    levels = _check_levels(levels, target)
    nn = np.asarray(n, dtype="float64")
    parts = []
    for level in levels:
        low, high = _limits(nn, target, level, method)
        parts.append(pd.DataFrame({"n": nn, "level": level, "lower": low, "upper": high}))
    return pd.concat(parts, ignore_index=True)
