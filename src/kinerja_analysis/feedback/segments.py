"""Satisfaction by respondent segment (sex, education, occupation), with small-cell suppression."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.inference import CORRECTIONS, Correction, adjust, t_interval, welch
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.common.privacy import suppress_small_cells
from kinerja_analysis.feedback.rules import REGIMES, Regime, Weight, item_weight
from kinerja_analysis.feedback.survey_frame import SurveiInput, aggregate_items, as_by, survey_scan

__all__ = ["ikm_segments", "SEGMENTS"]

SEGMENTS = ("jenis_kelamin", "pendidikan", "pekerjaan")
"""Respondent attributes of the ``survei`` table compared by default."""

_STATS = ("n", "estimate", "ci_low", "ci_high", "difference", "diff_ci_low", "diff_ci_high", "p_value", "p_adjusted")


def _levels(frame: pd.DataFrame | None, column: str, found: pd.Series) -> list[str]:
    """Levels in their natural order: a categorical's order, else sorted text."""
    if frame is not None and isinstance(frame[column].dtype, pd.CategoricalDtype):
        return [str(c) for c in frame[column].cat.categories]
    if isinstance(found.dtype, pd.CategoricalDtype):
        return [str(c) for c in found.cat.categories]
    return sorted(str(v) for v in found.dropna().unique())


def ikm_segments(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = None,
    segments: Sequence[str] = SEGMENTS,
    weight: Weight = "exact",
    alpha: float = 0.05,
    correction: Correction = "holm",
    min_n: int = 10,
    regime: Regime = "permenpanrb_14_2017",
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """The IKM of each respondent segment and its difference from the rest of the group.

    For each segment column (sex, education, occupation) and level, the IKM of respondents at that
    level (t interval on per-respondent indices) and the difference from everyone else in the group
    with a known level (Welch t), with p-values adjusted over the levels of one segment in one group.
    Respondents with a blank segment value are left out of that segment's comparisons. Differences
    between segments describe who is less satisfied; they say nothing about why (composition of
    services used, for instance, differs between groups).

    Privacy (DOMAIN.md section 7): a level with fewer than ``min_n`` respondents has its count and
    statistics withheld (:func:`kinerja_analysis.common.privacy.suppress_small_cells`, row kept, ``suppressed``
    set) and is left out of every other level's "rest", so this table cannot reveal it; a difference is
    also withheld when the rest is smaller than ``min_n``. Since the group's overall IKM and n are
    published too (:func:`ikm`), a single withheld level could be recovered by subtraction; so the smallest
    other levels are withheld with it until at least two levels holding ``min_n`` respondents are hidden
    (complementary suppression), and Holm/BH adjust over the shown levels only.

    Parameters
    ----------
    survei
        The ``survei`` table (complete responses are used). Not modified.
    by
        Grouping columns (e.g. ``"unit_id"``); None pools the table.
    segments
        Respondent columns to compare (default ``jenis_kelamin``, ``pendidikan``, ``pekerjaan``).
    weight, regime, date_column
        As in :func:`kinerja_analysis.feedback.index.ikm`.
    alpha
        Level of intervals and tests.
    correction
        ``"holm"`` or ``"fdr_bh"``, over the levels of one segment within one group.
    min_n
        Smallest number of respondents shown (default 10).

    Returns
    -------
    One row per group, segment and level: the keys, ``segment``, ``level`` (text), ``n``, ``estimate``
    (IKM), ``ci_low``, ``ci_high``, ``n_rest``, ``difference`` (level minus rest), ``diff_ci_low``,
    ``diff_ci_high``, ``p_value``, ``p_adjusted``, ``method``, ``note`` and ``suppressed``.

    Examples
    --------
    >>> s = pd.DataFrame({f"u{i}": [4] * 12 + [3] * 12 for i in range(1, 10)})
    >>> s["jenis_kelamin"] = ["P"] * 12 + ["L"] * 12
    >>> ikm_segments(s, segments=["jenis_kelamin"])[["level", "n", "estimate", "difference"]]
      level   n  estimate  difference
    0     L  12      75.0       -25.0
    1     P  12     100.0        25.0
    """
    alpha = check_alpha(alpha)
    check_option("regime", regime, REGIMES)
    check_option("correction", correction, CORRECTIONS)
    keys = as_by(by)
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise InvalidOptionError(f"min_n={min_n!r} is not allowed; choose a positive integer.")
    segments = (segments,) if isinstance(segments, str) else tuple(segments)
    if not segments:
        raise InvalidOptionError("segments: name at least one respondent column (e.g. 'jenis_kelamin').")
    overlap = set(segments) & set(keys)
    if overlap:
        raise KinerjaDataError(f"segments and by share {', '.join(sorted(overlap))}; a column cannot be both.")
    scale = 25 * item_weight(regime, weight)
    parts = []
    with survey_scan(survei, regime=regime) as scan:
        missing = [c for c in segments if c not in scan.columns]
        if missing:
            raise MissingColumnError(f"survei: no segment column(s) {', '.join(missing)}.")
        for seg in segments:
            agg = aggregate_items(scan, by=(*keys, seg), date_column=date_column)
            agg = agg.loc[agg[seg].notna() & (agg["n"] > 0)].reset_index(drop=True)
            order = _levels(scan.frame, seg, agg[seg])
            parts.append(_compare(agg, keys, seg, order, scale=scale, alpha=alpha, correction=correction, min_n=min_n))
    out = pd.concat(parts, ignore_index=True)
    small_rest = out["n_rest"] < min_n
    out.loc[small_rest, ["difference", "diff_ci_low", "diff_ci_high", "p_value", "p_adjusted"]] = np.nan
    out["note"] = np.where(
        small_rest & (out["n"] >= min_n), f"rest of the group under {min_n}: difference withheld", ""
    )
    # withheld levels (small, or hidden with a small one) carry a zero gate so they are suppressed too
    out["_gate"] = np.where(out.pop("_withheld"), 0, out["n"])
    out = suppress_small_cells(out, n="_gate", min_n=min_n, columns=[*_STATS, "n_rest"]).drop(columns="_gate")
    return out


def _compare(agg, keys, seg, order, *, scale, alpha, correction, min_n) -> pd.DataFrame:
    n = agg["n"].to_numpy(dtype=float)
    mean = agg["mean_total"].to_numpy(dtype=float) * scale
    var = np.nan_to_num(agg["var_total"].to_numpy(dtype=float)) * scale**2  # n = 1: no spread of its own
    sum_sq = var * (n - 1) + n * mean**2  # sum of squared per-respondent indices in the level
    group_ids = (
        agg.groupby(list(keys), dropna=False, sort=False).ngroup().to_numpy() if keys else np.zeros(len(agg), int)
    )
    # the rest pools only levels that are shown: a withheld level never enters another level's comparison.
    # Withheld are the levels under min_n and, where one would otherwise be recoverable as the group's
    # total minus the shown levels, the smallest others with it (complementary suppression).
    gate = suppress_small_cells(
        agg[list(keys)].assign(n=n), n="n", min_n=min_n, columns=["n"], complement=list(keys) or True
    )
    withheld = gate["suppressed"].to_numpy()
    shown = (~withheld).astype(float)
    tot_n = np.bincount(group_ids, weights=n * shown)[group_ids]
    tot_s = np.bincount(group_ids, weights=n * mean * shown)[group_ids]
    tot_q = np.bincount(group_ids, weights=sum_sq * shown)[group_ids]
    n_rest = tot_n - n * shown
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_rest = (tot_s - n * mean * shown) / n_rest
        var_rest = (tot_q - sum_sq * shown - n_rest * mean_rest**2) / (n_rest - 1)
    var_rest = np.where(n_rest >= 2, np.maximum(var_rest, 0), np.nan)  # rounding can leave -1e-13
    level_var = np.where(n >= 2, var, np.nan)
    _, low, high = t_interval(mean, level_var, n, alpha=alpha)
    test = welch(mean_rest, var_rest, n_rest, mean, level_var, n, alpha=alpha)
    out = agg[list(keys)].copy()
    out["segment"] = seg
    out["level"] = agg[seg].astype("str").to_numpy()
    out["n"] = n.astype(np.int64)
    out["estimate"] = mean
    out["ci_low"], out["ci_high"] = low, high
    out["n_rest"] = n_rest.astype(np.int64)
    out["difference"] = np.where(n_rest > 0, test["estimate"], np.nan)
    out["diff_ci_low"], out["diff_ci_high"] = test["ci_low"], test["ci_high"]
    out["p_value"] = test["p_value"]
    out["p_adjusted"] = np.nan
    out["_withheld"] = withheld
    for g in np.unique(group_ids):
        sel = (group_ids == g) & ~withheld  # adjust over the levels that are shown
        if sel.any():
            out.loc[sel, "p_adjusted"] = adjust(out.loc[sel, "p_value"].to_numpy(), method=correction, alpha=alpha)
    out["method"] = f"t {1 - alpha:.0%} per level; Welch t level vs rest of group, {correction} over levels"
    rank = {level: i for i, level in enumerate(order)}
    out["_order"] = out["level"].map(rank).fillna(len(rank))
    out["_group"] = group_ids
    return out.sort_values(["_group", "_order", "level"], kind="stable").drop(columns=["_order", "_group"])
