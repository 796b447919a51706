"""Reliability of the questionnaire: Cronbach's alpha with Feldt's interval, corrected item-total correlations.

Both come from each group's item covariance matrix, which DuckDB builds from sums of answers and of
their cross-products over complete responses (the blank rule of :mod:`kinerja_analysis.feedback.index`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.feedback.rules import REGIMES, Regime
from kinerja_analysis.feedback.survey_frame import (
    SurveiInput,
    as_by,
    group_exprs,
    quote,
    restore_key_dtypes,
    survey_scan,
)

__all__ = ["cronbach_alpha", "item_total"]


def _covariances(
    survei: SurveiInput, *, by: tuple[str, ...], regime: Regime, date_column: str
) -> tuple[pd.DataFrame, tuple[str, ...], np.ndarray]:
    """Group keys with ``n`` (complete responses), the items, and one covariance matrix per group."""
    check_option("regime", regime, REGIMES)
    with survey_scan(survei, regime=regime) as scan:
        items = scan.items
        k = len(items)
        pairs = [(i, j) for i in range(k) for j in range(i, k)]
        keys = group_exprs(scan.columns, by, date_column=date_column)
        total = " + ".join(f"CAST({quote(c)} AS INTEGER)" for c in items)
        cols = [*keys, *(f"CAST({quote(c)} AS DOUBLE) AS x{i}" for i, c in enumerate(items)), f"{total} AS total"]
        aggs = ["count(*) AS n"]
        aggs += [f"sum(x{i}) AS s{i}" for i in range(k)]
        aggs += [f"sum(x{i} * x{j}) AS p{i}_{j}" for i, j in pairs]
        names = ", ".join(quote(b) for b in by)
        group = f"GROUP BY {names}" if by else ""
        select = ", ".join([*(quote(b) for b in by), *aggs])
        # complete responses only (the blank rule of kinerja_analysis.feedback.index)
        agg = scan.df(f"SELECT {select} FROM (SELECT {', '.join(cols)} FROM survei) WHERE total IS NOT NULL {group}")
        frame = scan.frame
    if by:
        agg = agg.sort_values(list(by), na_position="last", kind="stable").reset_index(drop=True)
    n = agg["n"].to_numpy(dtype=float)
    sums = agg[[f"s{i}" for i in range(k)]].to_numpy(dtype=float)
    cov = np.empty((len(agg), k, k))
    with np.errstate(invalid="ignore", divide="ignore"):
        for i, j in pairs:
            c = (agg[f"p{i}_{j}"].to_numpy(dtype=float) - sums[:, i] * sums[:, j] / n) / (n - 1)
            cov[:, i, j] = cov[:, j, i] = c
    keys_out = restore_key_dtypes(agg[list(by)].copy(), frame, by)
    keys_out["n"] = agg["n"].to_numpy(dtype=np.int64)
    return keys_out, items, cov


def _alpha(cov: np.ndarray) -> np.ndarray:
    """Cronbach's alpha of each covariance matrix: k / (k - 1) x (1 - sum of item variances / variance of the sum)."""
    k = cov.shape[-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        total_var = cov.sum(axis=(-2, -1))
        return np.where(total_var > 0, k / (k - 1) * (1 - np.trace(cov, axis1=-2, axis2=-1) / total_var), np.nan)


def cronbach_alpha(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = None,
    alpha: float = 0.05,
    regime: Regime = "permenpanrb_14_2017",
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """Cronbach's alpha of the items per group, with Feldt's (1965) interval.

    alpha = k / (k - 1) x (1 - sum of item variances / variance of the respondent's total). Feldt's
    interval uses (1 - alpha_hat) / (1 - alpha) ~ F(n - 1, (n - 1)(k - 1)): from 1 - (1 - alpha_hat) x
    F(1 - a/2) to 1 - (1 - alpha_hat) x F(a/2). Same as R ``psych::alpha`` (Feldt bounds) and pingouin's
    ``cronbach_alpha``.

    Parameters
    ----------
    survei
        The ``survei`` table (complete responses are used). Not modified.
    by
        Grouping columns (``tahun`` and other period keys may be derived from ``date_column``).
    alpha
        1 - confidence level of the interval.
    regime
        Which items: u1..u9 (2017) or u1..u14 (``"kepmenpan_25_2004"``).
    date_column
        Date of the response, for derived period keys.

    Returns
    -------
    One row per group: the keys, ``n`` (complete responses), ``k`` (items), ``estimate`` (alpha),
    ``ci_low``, ``ci_high``, ``method`` and ``note`` (why a value is missing: fewer than 2 responses, or
    every respondent gave the same total).

    Examples
    --------
    >>> s = pd.DataFrame({f"u{i}": [4, 3, 3, 2] for i in range(1, 10)})
    >>> float(cronbach_alpha(s)["estimate"].iloc[0])  # identical items: perfectly consistent
    1.0
    """
    alpha = check_alpha(alpha)
    keys = as_by(by)
    out, items, cov = _covariances(survei, by=keys, regime=regime, date_column=date_column)
    k = len(items)
    n = out["n"].to_numpy(dtype=float)
    est = _alpha(cov)
    usable = (n >= 2) & ~np.isnan(est)
    df1 = np.where(usable, n - 1, np.nan)
    df2 = df1 * (k - 1)
    out["k"] = k
    out["estimate"] = np.where(usable, est, np.nan)
    out["ci_low"] = 1 - (1 - out["estimate"].to_numpy()) * stats.f.ppf(1 - alpha / 2, df1, df2)
    out["ci_high"] = 1 - (1 - out["estimate"].to_numpy()) * stats.f.ppf(alpha / 2, df1, df2)
    out["method"] = f"Cronbach's alpha, Feldt F interval {1 - alpha:.0%}"
    out["note"] = np.select(
        [n < 2, ~usable], ["fewer than 2 complete responses", "no variation in respondents' totals"], ""
    )
    return out


def item_total(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = None,
    alpha: float = 0.05,
    regime: Regime = "permenpanrb_14_2017",
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """Corrected item-total correlations and alpha if the item is deleted, per group and item.

    The corrected correlation of item i is Pearson's r between the item and the sum of the *other*
    items (the item is left out of the total so that it does not correlate with itself); its interval
    uses Fisher's z, tanh(atanh(r) +- z(1 - a/2) / sqrt(n - 3)). A low value (a common rule of thumb
    is below 0.3) marks an item that measures something else than the rest.

    Parameters
    ----------
    survei, by, alpha, regime, date_column
        As in :func:`cronbach_alpha`.

    Returns
    -------
    One row per group and item: the keys, ``item``, ``n``, ``estimate`` (corrected r), ``ci_low``,
    ``ci_high``, ``alpha_if_deleted`` (Cronbach's alpha of the other items) and ``method``.

    Examples
    --------
    >>> s = pd.DataFrame({f"u{i}": [4, 3, 3, 2] for i in range(1, 10)})
    >>> item_total(s)["estimate"].round(6).unique().tolist()
    [1.0]
    """
    alpha = check_alpha(alpha)
    keys = as_by(by)
    groups, items, cov = _covariances(survei, by=keys, regime=regime, date_column=date_column)
    k = len(items)
    n = groups["n"].to_numpy(dtype=float)
    z = stats.norm.ppf(1 - alpha / 2)
    parts = []
    for i, item in enumerate(items):
        rest = [j for j in range(k) if j != i]
        with np.errstate(invalid="ignore", divide="ignore"):
            cov_rest = cov[:, i, rest].sum(axis=1)
            var_rest = cov[:, rest][:, :, rest].sum(axis=(1, 2))
            r = cov_rest / np.sqrt(cov[:, i, i] * var_rest)
            r = np.where(n >= 2, np.clip(r, -1, 1), np.nan)
            half = np.where(n > 3, z / np.sqrt(n - 3), np.nan)
            zr = np.arctanh(np.clip(r, -1 + 1e-15, 1 - 1e-15))
        part = groups.copy()
        part.insert(len(keys), "item", item)
        part["estimate"] = r
        part["ci_low"] = np.where(np.abs(r) < 1, np.tanh(zr - half), r)
        part["ci_high"] = np.where(np.abs(r) < 1, np.tanh(zr + half), r)
        part["alpha_if_deleted"] = np.where(n >= 2, _alpha(cov[:, rest][:, :, rest]), np.nan)
        part["method"] = f"corrected item-total Pearson r, Fisher z interval {1 - alpha:.0%}"
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    order = [*keys, "item"]
    out["item"] = pd.Categorical(out["item"], categories=list(items), ordered=True)
    return out.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)
