"""Change in satisfaction between periods: per unit, many units at once, and which items moved."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.common.inference import CORRECTIONS, Correction, adjust, adjusted_alpha, welch
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.feedback.rules import REGIMES, Regime, Weight, item_weight
from kinerja_analysis.feedback.survey_frame import SurveiInput, aggregate_items, as_by, survey_scan

__all__ = ["ikm_change", "item_change"]


def _aggregate(survei, by, period, regime, date_column):
    check_option("regime", regime, REGIMES)
    keys = as_by(by)
    if not isinstance(period, str) or period in keys:
        raise KinerjaDataError(f"period={period!r}: give one column name that is not among by={keys!r}.")
    with survey_scan(survei, regime=regime) as scan:
        agg = aggregate_items(scan, by=(*keys, period), item_variance=True, date_column=date_column)
        items = scan.items
    return keys, items, agg.loc[agg[period].notna()].reset_index(drop=True)


def _pairs(agg: pd.DataFrame, keys: tuple[str, ...], period: str, periods: Sequence | None) -> pd.DataFrame:
    """Row positions of (earlier, later) aggregates to compare within each unit."""
    pos = agg.assign(_row=np.arange(len(agg)))
    if periods is not None:
        if len(periods) != 2:
            raise KinerjaDataError(f"periods={periods!r}: give two periods, (earlier, later).")
        first = pos.loc[pos[period] == periods[0]]
        second = pos.loc[pos[period] == periods[1]]
        if first.empty or second.empty:
            raise KinerjaDataError(
                f"periods={tuple(periods)!r}: no responses in {period} {periods[0]!r} or {periods[1]!r}."
            )
        if keys:
            merged = first[[*keys, "_row"]].merge(second[[*keys, "_row"]], on=list(keys), suffixes=("_from", "_to"))
        else:
            merged = pd.DataFrame({"_row_from": first["_row"].to_numpy(), "_row_to": second["_row"].to_numpy()})
        return merged[["_row_from", "_row_to"]]
    # consecutive periods present for each unit (agg is sorted by keys, then period)
    same_unit = np.ones(len(pos) - 1, dtype=bool) if len(pos) > 1 else np.zeros(0, dtype=bool)
    for c in keys:
        values = pos[c].astype("object").to_numpy()
        same_unit &= pd.Series(values[1:]).eq(pd.Series(values[:-1])).to_numpy(dtype=bool)
    starts = np.flatnonzero(same_unit)
    return pd.DataFrame({"_row_from": starts, "_row_to": starts + 1})


def _frame(agg, keys, period, pairs):
    a = agg.iloc[pairs["_row_from"].to_numpy()].reset_index(drop=True)
    b = agg.iloc[pairs["_row_to"].to_numpy()].reset_index(drop=True)
    out = a[list(keys)].copy()
    out["period_from"] = a[period].to_numpy()
    out["period_to"] = b[period].to_numpy()
    out["n_from"] = a["n"].to_numpy()
    out["n_to"] = b["n"].to_numpy()
    return a, b, out


def _add_tests(out: pd.DataFrame, test: dict, *, alpha: float, correction: Correction) -> pd.DataFrame:
    for col in ("estimate", "ci_low", "ci_high", "p_value"):
        out[col] = test[col]
    out["p_adjusted"] = adjust(out["p_value"].to_numpy(), method=correction, alpha=alpha)
    level = adjusted_alpha(out["p_value"].to_numpy(), method=correction, alpha=alpha)
    wide = _halfwidth(test, level)
    out["ci_low_adjusted"] = out["estimate"] - wide
    out["ci_high_adjusted"] = out["estimate"] + wide
    out["significant"] = pd.array(out["p_adjusted"] <= alpha, dtype="boolean")
    out.loc[out["p_adjusted"].isna(), "significant"] = pd.NA
    out["correction"] = f"{correction} over {int(out['p_value'].notna().sum())} comparisons"
    out["note"] = np.where(
        (out["n_from"] < 2) | (out["n_to"] < 2), "fewer than 2 complete responses in a period: no test", ""
    )
    return out


def _halfwidth(test: dict, level: float) -> np.ndarray:
    """Half-width of Welch intervals at another level (same se and df)."""
    with np.errstate(invalid="ignore"):
        crit = stats.t.ppf(1 - level / 2, test["df"])
    return np.where(test["se"] == 0, 0.0, crit * test["se"])


def ikm_change(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = "unit_id",
    period: str = "tahun",
    periods: Sequence | None = None,
    weight: Weight = "exact",
    alpha: float = 0.05,
    correction: Correction = "holm",
    regime: Regime = "permenpanrb_14_2017",
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """Change of each unit's IKM between periods, with Welch intervals, p-values and a multiplicity correction.

    The IKM is the mean of per-respondent indices (mean answer x 25, or the weighted sum for rounded
    weights), so the change between two independent samples is a difference of means: Welch's t test
    with the Welch-Satterthwaite df (no equal-variance assumption; samples treated as drawn from large
    populations). Comparing many units at once, p-values are adjusted across all rows (Holm, or
    Benjamini-Hochberg false discovery rate) and adjusted intervals are given: Bonferroni intervals
    with Holm, Benjamini-Yekutieli false-coverage intervals with Benjamini-Hochberg.

    Parameters
    ----------
    survei
        The ``survei`` table (one regime; complete responses are used). Not modified.
    by
        Columns naming a unit (default ``"unit_id"``); None compares the whole table.
    period
        The period column (``tahun``, ``semester``, ``triwulan`` or ``bulan`` are derived from the date).
    periods
        ``(earlier, later)`` to compare those two periods only; None compares each period with the
        previous period in which the unit was surveyed.
    weight, regime, date_column
        As in :func:`kinerja_analysis.feedback.index.ikm`.
    alpha
        Level of tests and intervals.
    correction
        ``"holm"`` (family-wise error) or ``"fdr_bh"`` (false discovery rate).

    Returns
    -------
    One row per unit and pair of periods: the ``by`` keys, ``period_from``, ``period_to``, ``n_from``,
    ``n_to``, ``ikm_from``, ``ikm_to``, ``estimate`` (later minus earlier), ``ci_low``, ``ci_high``,
    ``p_value``, ``p_adjusted``, ``ci_low_adjusted``, ``ci_high_adjusted``, ``significant`` (adjusted
    p <= alpha), ``method``, ``correction`` and ``note``.

    Examples
    --------
    >>> s = pd.DataFrame({f"u{i}": [4, 3, 4, 3, 2, 3, 2, 3] for i in range(1, 10)})
    >>> s["tahun"] = [2023] * 4 + [2024] * 4
    >>> r = ikm_change(s, by=None)
    >>> r[["period_from", "period_to", "ikm_from", "ikm_to", "estimate"]]
       period_from  period_to  ikm_from  ikm_to  estimate
    0         2023       2024      87.5    62.5     -25.0
    """
    alpha = check_alpha(alpha)
    check_option("correction", correction, CORRECTIONS)
    keys, items, agg = _aggregate(survei, by, period, regime, date_column)
    scale = 25 * item_weight(regime, weight)
    a, b, out = _frame(agg, keys, period, _pairs(agg, keys, period, periods))
    mean_a, mean_b = a["mean_total"].to_numpy(dtype=float) * scale, b["mean_total"].to_numpy(dtype=float) * scale
    var_a, var_b = a["var_total"].to_numpy(dtype=float) * scale**2, b["var_total"].to_numpy(dtype=float) * scale**2
    out["ikm_from"] = mean_a
    out["ikm_to"] = mean_b
    test = welch(mean_a, var_a, a["n"].to_numpy(), mean_b, var_b, b["n"].to_numpy(), alpha=alpha)
    out = _add_tests(out, test, alpha=alpha, correction=correction)
    out.insert(out.columns.get_loc("correction"), "method", f"Welch t {1 - alpha:.0%} on per-respondent indices")
    return out


def item_change(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = "unit_id",
    period: str = "tahun",
    periods: Sequence | None = None,
    alpha: float = 0.05,
    correction: Correction = "holm",
    regime: Regime = "permenpanrb_14_2017",
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """Which items moved: change of each item's NRR between periods, per unit, corrected for many items.

    For every unit, pair of periods and item, the change of the item's mean answer (NRR, 1-4 scale) is
    tested with Welch's t on the answers; p-values are adjusted over all rows of the result (all units
    x pairs x items), with adjusted intervals as in :func:`ikm_change`.

    Parameters
    ----------
    survei, by, period, periods, alpha, correction, regime, date_column
        As in :func:`ikm_change`.

    Returns
    -------
    One row per unit, pair of periods and item: the keys, ``period_from``, ``period_to``, ``item``,
    ``n_from``, ``n_to``, ``nrr_from``, ``nrr_to``, ``estimate`` (change in NRR), ``ci_low``,
    ``ci_high``, ``p_value``, ``p_adjusted``, ``ci_low_adjusted``, ``ci_high_adjusted``,
    ``significant`` (the item moved, adjusted p <= alpha), ``method``, ``correction`` and ``note``.
    """
    alpha = check_alpha(alpha)
    check_option("correction", correction, CORRECTIONS)
    keys, items, agg = _aggregate(survei, by, period, regime, date_column)
    a, b, base = _frame(agg, keys, period, _pairs(agg, keys, period, periods))
    parts = []
    n_a, n_b = a["n"].to_numpy(dtype=float), b["n"].to_numpy(dtype=float)
    for item in items:
        part = base.copy()
        part.insert(len(keys) + 2, "item", item)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_a = a[f"sum_{item}"].to_numpy(dtype=float) / n_a
            mean_b = b[f"sum_{item}"].to_numpy(dtype=float) / n_b
        part["nrr_from"] = mean_a
        part["nrr_to"] = mean_b
        parts.append((part, welch(mean_a, a[f"var_{item}"], n_a, mean_b, b[f"var_{item}"], n_b, alpha=alpha)))
    out = pd.concat([p for p, _ in parts], ignore_index=True)
    test = {k: np.concatenate([t[k] for _, t in parts]) for k in parts[0][1]} if parts else {}
    out = _add_tests(out, test, alpha=alpha, correction=correction)
    out.insert(out.columns.get_loc("correction"), "method", f"Welch t {1 - alpha:.0%} on item answers")
    out["item"] = pd.Categorical(out["item"], categories=list(items), ordered=True)
    order = [*keys, "period_from", "period_to", "item"]
    return out.sort_values(order, kind="stable").reset_index(drop=True)
