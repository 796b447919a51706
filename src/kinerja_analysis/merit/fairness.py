"""Fairness of selections across groups: selection rates, impact ratios, exact tests and small groups.

:func:`adverse_impact` is the four-fifths analysis (Uniform Guidelines on Employee Selection Procedures,
29 CFR 1607.4D): a group whose selection rate is less than four fifths of the reference group's shows
adverse impact. Beside the ratio it gives what the rule alone does not: an interval for the ratio
(Katz's log method), Fisher's exact test and the two-proportion z test, exact (Clopper-Pearson)
intervals for each rate, Cohen's h, the shortfall to parity, and how many selections would reverse the
verdict, so that a "fail" that one more selection would undo is seen as the fragile result it is.
:func:`intersectional_impact` repeats it for single attributes and their intersection (sex x age band x
instansi); :mod:`kinerja_analysis.merit.strata` compares within strata (Mantel-Haenszel).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.privacy import suppress_small_cells

__all__ = ["adverse_impact", "intersectional_impact", "publishable", "FOUR_FIFTHS"]

FOUR_FIFTHS = 0.8
"""The four-fifths threshold: an impact ratio strictly below 0.8 fails (29 CFR 1607.4D)."""

_SEP = " | "


def _groups(data: pd.DataFrame, group: str | Sequence[str], selected: str) -> tuple[list[str], pd.Series, np.ndarray]:
    """Group columns, the group label of each row, and the 0/1 outcome; raise on missing values."""
    cols = [group] if isinstance(group, str) else list(group)
    if not cols:
        raise InvalidOptionError("group must name at least one column.")
    missing = [c for c in [*cols, selected] if c not in data.columns]
    if missing:
        raise MissingColumnError(f"the table has no column(s) {missing}; columns are {list(data.columns)}.")
    for col in cols:
        absent = data[col].isna().to_numpy()
        if absent.any():
            rows = data.index[absent].tolist()
            more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
            raise KinerjaDataError(
                f"group column {col!r} is missing at rows {rows[:10]}{more}; fill these values (for example "
                "'tidak diketahui') or drop the rows, so that they are not silently left out of every group."
            )
    outcome = data[selected]
    if outcome.isna().any():
        rows = data.index[outcome.isna().to_numpy()].tolist()[:10]
        raise KinerjaDataError(f"column {selected!r} is missing at rows {rows}; say true or false.")
    if not (pd.api.types.is_bool_dtype(outcome.dtype) or set(pd.unique(outcome)) <= {0, 1}):
        raise KinerjaDataError(f"column {selected!r} must be true/false or 1/0.")
    label = data[cols[0]].astype("str")
    for col in cols[1:]:
        label = label + _SEP + data[col].astype("str")
    return cols, label, outcome.astype(bool).to_numpy()


def _flips(s: np.ndarray, n: np.ndarray, s_r: int, n_r: int, fails: np.ndarray) -> np.ndarray:
    """Fewest selections that reverse the four-fifths verdict, in exact integer arithmetic.

    With the reference held fixed, a group fails when 5 s n_r < 4 n s_r. A failing group passes after k
    more selections when 5 (s + k) n_r >= 4 n s_r; a passing one fails after k fewer when
    5 (s - k) n_r < 4 n s_r. Missing (-1) where no number of selections within 0..n would do it.
    """
    t = 5 * s * n_r - 4 * n * s_r
    up = (-t + 5 * n_r - 1) // (5 * n_r)  # ceil(-t / (5 n_r)) for failing groups
    down = t // (5 * n_r) + 1  # for passing groups
    k = np.where(fails, up, down)
    possible = np.where(fails, s + k <= n, s - k >= 0)
    return np.where(possible, k, -1)


def adverse_impact(
    data: pd.DataFrame,
    *,
    group: str | Sequence[str],
    selected: str,
    reference: str = "highest",
    min_n: int = 5,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Selection rates and impact ratios per group, with exact tests and the four-fifths verdict.

    Parameters
    ----------
    data
        One row per candidate (not modified).
    group
        The column (or columns, for an intersection) defining groups. Missing values are an error.
    selected
        The true/false (or 1/0) outcome column.
    reference
        ``"highest"``: the group with the highest selection rate among those with at least ``min_n``
        candidates (ties: the larger group, then the label); or a group label (for several columns, the
        values joined by ``" | "``, e.g. ``"L | 41-50"``).
    min_n
        Groups with fewer candidates get no four-fifths verdict ("not estimable", reason given) and are
        never the highest-rate reference; their counts and tests are still shown.
    alpha
        1 - confidence level of the intervals.

    Returns
    -------
    DataFrame
        One row per group, in label order: the group column(s), ``group`` (label), ``n``, ``selected``,
        ``selection_rate`` with ``rate_ci_low`` / ``rate_ci_high`` (Clopper-Pearson, exact), ``reference``,
        ``reference_rate``, ``impact_ratio`` = rate / reference rate with ``ci_low`` / ``ci_high`` (Katz log
        method: log ratio +- z sqrt(1/s - 1/n + 1/s_r - 1/n_r)), ``four_fifths`` (``passes``, ``fails`` when the
        ratio is strictly below 0.8, ``reference``, or ``not estimable``), ``reason`` (why not estimable,
        else empty), ``p_fisher`` (Fisher's exact test, two-sided, group vs reference), ``p_ztest`` (pooled
        two-proportion z test), ``cohens_h`` = 2 asin sqrt(p) - 2 asin sqrt(p_r), ``shortfall`` = n x
        reference rate - selected (selections short of parity; negative is a surplus),
        ``selections_to_flip`` (the fewest selections added to a failing group, or removed from a passing
        one, that reverse the verdict with the reference fixed), ``flips_with_1`` / ``flips_with_2``
        (whether one or two would do), and ``method``. A group with no selections, or a zero reference rate,
        has a ratio that is not estimable (missing, never 0.0), with the reason.

    Examples
    --------
    >>> d = pd.DataFrame({"jk": ["L"] * 10 + ["P"] * 10, "terpilih": [1] * 5 + [0] * 5 + [1] * 4 + [0] * 6})
    >>> t = adverse_impact(d, group="jk", selected="terpilih")
    >>> t[["group", "impact_ratio", "four_fifths", "selections_to_flip"]].to_numpy().tolist()
    [['L', 1.0, 'reference', -1], ['P', 0.8, 'passes', 1]]
    """
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise InvalidOptionError(f"min_n={min_n!r} is not allowed; choose a whole number >= 1.")
    if isinstance(alpha, bool) or not isinstance(alpha, float | int) or not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} is not allowed; choose a number between 0 and 1.")
    cols, label, chosen = _groups(data, group, selected)
    frame = data[cols].assign(group=label.to_numpy(), _y=chosen)
    counts = frame.groupby("group", sort=True).agg(n=("_y", "size"), selected=("_y", "sum"))
    firsts = frame.drop_duplicates("group").set_index("group")[cols]
    out = firsts.loc[counts.index].reset_index()
    out["n"] = counts["n"].to_numpy().astype("int64")
    out["selected"] = counts["selected"].to_numpy().astype("int64")
    n, s = out["n"].to_numpy(), out["selected"].to_numpy()
    rate = s / n
    out["selection_rate"] = rate
    out["rate_ci_low"] = np.where(s > 0, stats.beta.ppf(alpha / 2, s, n - s + 1), 0.0)
    out["rate_ci_high"] = np.where(s < n, stats.beta.ppf(1 - alpha / 2, s + 1, n - s), 1.0)
    big = n >= min_n
    if reference == "highest":
        if not big.any():
            raise KinerjaDataError(f"no group has at least min_n={min_n} candidates; lower min_n or merge groups.")
        ranked = out.assign(_r=rate, _n=n).loc[big].sort_values(["_r", "_n", "group"], ascending=[False, False, True])
        ref = int(ranked.index[0])
        ref_text = f"highest-rate group with n >= {min_n}"
    else:
        where = np.flatnonzero(out["group"].to_numpy() == reference)
        if not len(where):
            raise InvalidOptionError(
                f"reference={reference!r} is not a group; choose 'highest' or one of {list(out['group'])}."
            )
        ref = int(where[0])
        ref_text = "named reference group"
    s_r, n_r = int(s[ref]), int(n[ref])
    p_r = s_r / n_r
    out["reference"] = out["group"].iloc[ref]
    out["reference_rate"] = p_r
    is_ref = np.arange(len(out)) == ref
    reason = np.full(len(out), "", dtype=object)
    reason[s == 0] = "no selections in the group: the ratio would be 0 with no usable interval"
    if s_r == 0:
        reason[:] = "the reference rate is zero: no ratio can be formed"
    estimable = reason == ""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(estimable, rate / p_r, np.nan)
        se = np.sqrt(1 / s - 1 / n + 1 / np.float64(s_r) - 1 / n_r)
    z = stats.norm.ppf(1 - alpha / 2)
    ok_ci = estimable & ~is_ref
    out["impact_ratio"] = ratio
    out["ci_low"] = np.where(ok_ci, ratio * np.exp(-z * se), np.nan)
    out["ci_high"] = np.where(ok_ci, ratio * np.exp(z * se), np.nan)
    fails = 5 * s * n_r < 4 * n * s_r  # ratio < 0.8 exactly, without floating-point doubt at 0.8
    small = ~big & ~is_ref
    reason[small & estimable] = f"n below min_n={min_n}: no verdict"
    verdict = np.where(fails, "fails", "passes").astype(object)
    verdict[~estimable | small] = "not estimable"
    # No selections against a positive reference rate is the plainest failure of the rule (0 < 0.8 r):
    # the ratio stays "not estimable" (0 with no usable interval), the verdict does not.
    zero_fails = (s == 0) & (s_r > 0) & big & ~is_ref
    verdict[zero_fails] = "fails"
    reason[zero_fails] = "no selections in the group: ratio 0 (no usable interval), so the rule fails"
    verdict[is_ref] = "reference"
    out["four_fifths"] = verdict
    out["reason"] = reason
    out["p_fisher"] = [
        np.nan if i == ref else stats.fisher_exact([[s[i], n[i] - s[i]], [s_r, n_r - s_r]])[1] for i in range(len(out))
    ]
    pooled = (s + s_r) / (n + n_r)
    with np.errstate(divide="ignore", invalid="ignore"):
        zstat = (rate - p_r) / np.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n_r))
    out["p_ztest"] = np.where(is_ref | ~np.isfinite(zstat), np.nan, 2 * stats.norm.sf(np.abs(zstat)))
    out["cohens_h"] = 2 * np.arcsin(np.sqrt(rate)) - 2 * np.arcsin(np.sqrt(p_r))
    out["shortfall"] = n * p_r - s
    has_verdict = np.isin(verdict, ["passes", "fails"])  # zero-selection groups included: _flips counts up from 0
    k = np.where(has_verdict, _flips(s, n, s_r, n_r, fails), -1)
    out["selections_to_flip"] = k
    out["flips_with_1"] = has_verdict & (k >= 1) & (k <= 1)
    out["flips_with_2"] = has_verdict & (k >= 1) & (k <= 2)
    out["method"] = (
        f"impact ratio against the {ref_text}; four-fifths fails strictly below 0.8; Katz log {1 - alpha:.0%} "
        "interval; Fisher exact (two-sided) and pooled two-proportion z tests against the reference; "
        "Clopper-Pearson rate intervals; selections_to_flip -1 where no verdict or none possible"
    )
    return out


def intersectional_impact(
    data: pd.DataFrame,
    *,
    groups: Sequence[str] = ("jenis_kelamin", "kelompok_usia", "instansi"),
    selected: str = "terpilih",
    min_n: int = 5,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """:func:`adverse_impact` for each attribute alone and for their intersection, stacked.

    An intersection (women aged 51-60 in one instansi) can fare worse than each attribute alone shows,
    or better; small intersections get no verdict (``min_n``). The ``level`` column names the attribute
    or the intersection (``"jenis_kelamin x kelompok_usia x instansi"``); groups are in ``group``.
    """
    groups = list(groups)
    if len(groups) < 2:
        raise InvalidOptionError("groups must name at least two columns; for one, use adverse_impact().")
    parts = []
    for cols in [[g] for g in groups] + [groups]:
        table = adverse_impact(data, group=cols, selected=selected, min_n=min_n, alpha=alpha)
        parts.append(table.drop(columns=cols).assign(level=" x ".join(cols)))
    out = pd.concat(parts, ignore_index=True)
    return out[["level", *[c for c in out.columns if c != "level"]]]


def publishable(table: pd.DataFrame, *, min_n: int = 10) -> pd.DataFrame:
    """A fairness table ready to publish: statistics of groups below ``min_n`` candidates withheld.

    Applies :func:`kinerja_analysis.common.privacy.suppress_small_cells` to every numeric column (counts, rates,
    ratios, p-values, intervals) of rows with ``n < min_n``; group labels, verdict text and the
    ``suppressed`` flag stay. The verdict of a withheld group becomes "withheld" too, since "fails" next
    to a hidden count still says something about a handful of people. Within each set of groups that
    partitions the candidates (each ``level`` of an intersectional table, or the whole table), the
    smallest other groups are withheld as well where one hidden group could otherwise be worked out as
    the total minus the rest (complementary suppression).
    """
    out = suppress_small_cells(table, n="n", min_n=min_n, complement=["level"] if "level" in table.columns else True)
    for col in ("four_fifths", "reason"):
        if col in out.columns:
            out[col] = out[col].astype("object").where(~out["suppressed"], "withheld")
    for col in ("flips_with_1", "flips_with_2"):
        if col in out.columns:
            out[col] = out[col].astype("boolean").mask(out["suppressed"])
    return out
