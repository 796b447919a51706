"""Drivers of dissatisfaction: which items go with a low rating of everything else.

Why this method. The overall index is the sum of the items, so "low overall" is a deterministic
function of the answers: a logistic regression of it on all nine items separates perfectly and has no
finite estimate, and any item correlates with a total it is part of. So each item is set against the
*rest* of the questionnaire, as in a corrected item-total correlation: for item i, a respondent is
"low" when the index of the other items (their mean answer x 25) is below the C/B boundary (76.61,
rounded as published), and a logistic regression of that on the item's answer (1-4) gives the odds
ratio of being low per one-point lower answer, with a Wald interval. Items are then ranked by it. These
are associations, not causes; correlated items share credit, and each item's odds ratio is its own
(marginal) association, not adjusted for the others.

The model is fitted on counts (answer x low, per group and item) that DuckDB tallies, so its cost does
not grow with the number of responses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.inference import CORRECTIONS, Correction, adjust
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.feedback.rules import REGIMES, Regime, round_published
from kinerja_analysis.feedback.survey_frame import (
    SurveiInput,
    as_by,
    group_exprs,
    quote,
    restore_key_dtypes,
    survey_scan,
)

__all__ = ["ikm_drivers", "logistic_counts"]


def logistic_counts(
    x: np.ndarray, low: np.ndarray, high: np.ndarray, *, iterations: int = 100
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic regression logit P(low) = b0 + b1 x on grouped counts, many fits at once.

    ``x``, ``low`` and ``high`` are (fits, cells) arrays: the predictor value of each cell and the counts
    of low and not-low outcomes there. Newton-Raphson from zero. Returns (b1, se of b1, estimable); a
    fit is not estimable when one outcome is absent, x takes fewer than two values, or the outcomes are
    (quasi-)separated by x, where no finite estimate exists.
    """
    x, low, high = (np.asarray(a, dtype=float) for a in (x, low, high))
    m = low + high
    seen_low, seen_high = low > 0, high > 0
    inf = np.inf
    max_low = np.where(seen_low, x, -inf).max(axis=1)
    min_low = np.where(seen_low, x, inf).min(axis=1)
    max_high = np.where(seen_high, x, -inf).max(axis=1)
    min_high = np.where(seen_high, x, inf).min(axis=1)
    overlap = (max_low > min_high) & (max_high > min_low)  # in 1-D, no separation iff both overlap strictly
    estimable = seen_low.any(axis=1) & seen_high.any(axis=1) & overlap
    b = np.zeros((x.shape[0], 2))
    info = np.zeros((x.shape[0], 2, 2))
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(b[:, :1] + b[:, 1:] * x)))
        w = m * p * (1 - p)
        resid = low - m * p
        grad = np.stack([resid.sum(axis=1), (resid * x).sum(axis=1)], axis=1)
        info = np.stack(
            [np.stack([w.sum(axis=1), (w * x).sum(axis=1)], axis=1),
             np.stack([(w * x).sum(axis=1), (w * x * x).sum(axis=1)], axis=1)], axis=1,
        )  # fmt: skip
        det = info[:, 0, 0] * info[:, 1, 1] - info[:, 0, 1] ** 2
        ok = estimable & (det > 0)
        safe = np.where(ok, det, 1.0)
        step0 = (info[:, 1, 1] * grad[:, 0] - info[:, 0, 1] * grad[:, 1]) / safe
        step1 = (info[:, 0, 0] * grad[:, 1] - info[:, 0, 1] * grad[:, 0]) / safe
        step = np.where(ok[:, None], np.stack([step0, step1], axis=1), 0.0)
        b += step
        if np.abs(step).max(initial=0) < 1e-12:
            break
    det = info[:, 0, 0] * info[:, 1, 1] - info[:, 0, 1] ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(info[:, 0, 0] / det)
    return np.where(estimable, b[:, 1], np.nan), np.where(estimable, se, np.nan), estimable


def _counts(survei: SurveiInput, keys: tuple[str, ...], regime: Regime, date_column: str):
    """Per group, item, answer and rest-of-items sum: the number of complete responses; and the items."""
    with survey_scan(survei, regime=regime) as scan:
        items = scan.items
        key_sql = group_exprs(scan.columns, keys, date_column=date_column)
        total = " + ".join(f"CAST({quote(c)} AS INTEGER)" for c in items)
        inner = ", ".join(
            [*key_sql, *(f"CAST({quote(c)} AS INTEGER) AS {quote(c)}" for c in items), f"{total} AS total"]
        )
        names = [quote(b) for b in keys]
        selects = []
        for c in items:
            cols = ", ".join([*names, f"'{c}' AS item", f"{quote(c)} AS answer", f"total - {quote(c)} AS rest"])
            group = ", ".join([*names, "answer", "rest"])
            selects.append(f"SELECT {cols}, count(*) AS n FROM base WHERE total IS NOT NULL GROUP BY {group}")
        counts = scan.df(f"WITH base AS (SELECT {inner} FROM survei) " + " UNION ALL ".join(selects))
        frame = scan.frame
    return restore_key_dtypes(counts, frame, keys), items, frame


def ikm_drivers(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = None,
    threshold: float = 76.61,
    alpha: float = 0.05,
    correction: Correction = "holm",
    regime: Regime = "permenpanrb_14_2017",
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """Items most associated with a low rating of the rest of the questionnaire, per group.

    See the module docstring for why the outcome is the rest-of-items index and not the overall one.

    Parameters
    ----------
    survei
        The ``survei`` table (complete responses are used). Not modified.
    by
        Grouping columns (e.g. ``("unit_id", "tahun")``); None pools the table.
    threshold
        A respondent is "low" when the rest-of-items index, rounded to two decimals, is below this
        (default 76.61, the C/B boundary: below it is grade C or D).
    alpha
        Level of the Wald intervals and of the tests.
    correction
        Adjustment of p-values over the items of each group: ``"holm"`` or ``"fdr_bh"``.
    regime, date_column
        As in :func:`kinerja_analysis.feedback.index.ikm`.

    Returns
    -------
    One row per group and item, strongest first within a group: the keys, ``item``, ``rank``, ``n``,
    ``n_low`` (respondents low on the other items), ``nrr`` (mean answer), ``points_lost`` (25 x (4 -
    NRR) / k: the item's share of the gap between the IKM and 100, summing to 100 - IKM), ``estimate``
    (odds ratio of being low per one-point lower answer), ``ci_low``, ``ci_high``, ``p_value`` (Wald,
    odds ratio 1), ``p_adjusted``, ``method`` and ``note`` (why there is no estimate).

    Examples
    --------
    >>> s = pd.DataFrame({f"u{i}": [4, 4, 3, 3, 2, 2, 3, 4] for i in range(1, 10)})
    >>> s["u9"] = [1, 2, 3, 4, 1, 2, 3, 4]
    >>> ikm_drivers(s)[["item", "rank", "n_low", "estimate"]].head(2).round(3)
      item  rank  n_low  estimate
    0   u9     1      5     0.806
    1   u1  <NA>      4       NaN
    """
    alpha = check_alpha(alpha)
    check_option("regime", regime, REGIMES)
    check_option("correction", correction, CORRECTIONS)
    keys = as_by(by)
    counts, items, frame = _counts(survei, keys, regime, date_column)
    k = len(items)
    rest_index = round_published(counts["rest"].to_numpy(dtype=float) * 25 / (k - 1))
    counts["low"] = np.where(rest_index < threshold, counts["n"], 0)
    counts["high"] = counts["n"] - counts["low"]
    cells = counts.groupby([*keys, "item", "answer"], dropna=False, sort=True, observed=True)[["low", "high"]].sum()
    every_answer = pd.MultiIndex.from_product([["low", "high"], [1, 2, 3, 4]])
    cells = cells.unstack("answer", fill_value=0).reindex(columns=every_answer, fill_value=0)
    x = np.tile(np.arange(1, 5, dtype=float), (len(cells), 1))
    b1, se, estimable = logistic_counts(x, cells["low"].to_numpy(), cells["high"].to_numpy())
    out = cells.index.to_frame(index=False)
    low, high = cells["low"].to_numpy(), cells["high"].to_numpy()
    n = (low + high).sum(axis=1)
    out["n"] = n
    out["n_low"] = low.sum(axis=1)
    out["nrr"] = ((low + high) * np.arange(1, 5)).sum(axis=1) / n
    out["points_lost"] = 25 * (4 - out["nrr"]) / k
    z = stats.norm.ppf(1 - alpha / 2)
    out["estimate"] = np.exp(-b1)  # per one-point LOWER answer
    out["ci_low"] = np.exp(-b1 - z * se)
    out["ci_high"] = np.exp(-b1 + z * se)
    out["p_value"] = 2 * stats.norm.sf(np.abs(b1 / se))
    # one correction per group: the items of a unit are one family
    group_ids = out.groupby(list(keys), dropna=False, sort=False).ngroup().to_numpy() if keys else np.zeros(len(out))
    out["p_adjusted"] = np.nan
    for g in np.unique(group_ids):
        sel = group_ids == g
        out.loc[sel, "p_adjusted"] = adjust(out.loc[sel, "p_value"].to_numpy(), method=correction, alpha=alpha)
    out["method"] = (
        f"logistic regression of rest-of-items index < {threshold:g} on the item's answer, Wald {1 - alpha:.0%}; "
        f"{correction} over items"
    )
    no_low = out["n_low"] == 0
    out["note"] = np.select(
        [no_low, out["n_low"] == out["n"], ~estimable],
        ["nobody low on the other items", "everybody low on the other items", "answers separate low from not low"],
        "",
    )
    out["item"] = pd.Categorical(out["item"], categories=list(items), ordered=True)
    rank = out["estimate"].groupby(group_ids).rank(method="min", ascending=False, na_option="keep")
    out.insert(len(keys) + 1, "rank", pd.array(rank.to_numpy(), dtype="Int64"))
    out["_group"] = group_ids
    out = out.sort_values(["_group", "rank", "item"], kind="stable", na_position="last").drop(columns="_group")
    return restore_key_dtypes(out.reset_index(drop=True), frame, keys)
