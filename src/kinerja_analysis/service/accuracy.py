"""Accuracy of service: the share of files returned for correction and the revisions per file.

Both count every case received by ``as_of``, whatever its status (:mod:`kinerja_analysis.service.cases`), from
the same single DuckDB scan as the other service KPIs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.inference import INTERVAL_TEXT, IntervalMethod, proportion_interval
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.service.cases import CaseCounts, DayCount, LayananInput, case_counts
from kinerja_analysis.service.results import result_frame, share

__all__ = ["return_rate", "revisions_per_file", "RevisionInterval"]

RevisionInterval = Literal["t", "poisson"]

REVISION_TEXT = {
    "t": "t interval on the mean (n - 1 df)",
    "poisson": "exact Poisson interval on the total (Garwood), assuming no overdispersion",
}


def returns_table(counts: CaseCounts, alpha: float, method: IntervalMethod) -> pd.DataFrame:
    """Return rate per group from a count table (also used by service_kpis and employee_kpi)."""
    n = counts.cases
    k = counts.per_group(counts.returns)
    low, high = proportion_interval(k, n, method=method, alpha=alpha)
    return result_frame(counts, {
        "n": n.astype("int64"), "k": k.astype("int64"), "estimate": share(k, n), "ci_low": low, "ci_high": high,
        "method": f"share of cases returned for correction (dikembalikan), all statuses, received by as_of; "
        f"{INTERVAL_TEXT[method]} {100 * (1 - alpha):g}%; as_of {counts.as_of}",
    }, durations=False)  # fmt: skip


def revisions_table(counts: CaseCounts, alpha: float, interval: RevisionInterval) -> pd.DataFrame:
    """Mean revisions per case per group from a count table."""
    n = counts.cases
    total = counts.per_group(counts.revisions)
    squares = counts.per_group(counts.revisions_sq)
    mean = share(total, n)
    empty = n == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if interval == "t":
            df, back = np.unique(np.maximum(n - 1, 1), return_inverse=True)  # quantiles once per distinct size
            var = np.where(n > 1, (squares - n * mean**2) / (n - 1), np.nan)
            half = stats.t.ppf(1 - alpha / 2, df)[back] * np.sqrt(np.maximum(var, 0) / n)
            low, high = np.maximum(mean - half, 0.0), mean + half
        else:
            low = np.where(total > 0, stats.chi2.ppf(alpha / 2, 2 * total) / 2, 0.0) / n
            high = stats.chi2.ppf(1 - alpha / 2, 2 * total + 2) / 2 / n
    code = np.where(empty, 2, np.where((n < 2) & (interval == "t"), 1, 0)).astype(np.int8)
    note = pd.Categorical.from_codes(code, categories=["", "too few cases for a t interval (needs 2)", "no cases"])
    return result_frame(counts, {
        "n": n.astype("int64"), "total": total.astype("int64"), "estimate": mean,
        "ci_low": np.where(empty, np.nan, low), "ci_high": np.where(empty, np.nan, high), "note": note,
        "method": f"mean jumlah_revisi per case, all statuses, received by as_of; {REVISION_TEXT[interval]} "
        f"{100 * (1 - alpha):g}%; as_of {counts.as_of}",
    }, durations=False)  # fmt: skip


def return_rate(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id",),
    alpha: float = 0.05,
    method: IntervalMethod = "wilson",
    as_of: date | str | None = None,
) -> pd.DataFrame:
    """Share of cases returned to the applicant for correction (``dikembalikan``), with an interval.

    All cases received by ``as_of`` count, whatever their status; an empty ``dikembalikan`` is an error
    naming the rows (the column is required by the schema), not a silent gap.

    Returns
    -------
    DataFrame, one row per group
        The ``by`` columns, ``n``, ``k`` (returned), ``estimate``, ``ci_low``, ``ci_high`` and ``method``.
    """
    check_alpha(alpha)
    check_option("method", method, INTERVAL_TEXT)
    # Durations play no part here: calendar days skip the working-day lookup.
    counts = case_counts(
        layanan, by=by, needs=("returns",), as_of=as_of, day_count=DayCount("calendar"), finished=(), what="return_rate"
    )
    return returns_table(counts, alpha, method)


def revisions_per_file(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id",),
    alpha: float = 0.05,
    interval: RevisionInterval = "t",
    as_of: date | str | None = None,
) -> pd.DataFrame:
    """Mean number of revisions (``jumlah_revisi``) per case, with a t or exact Poisson interval.

    Revisions cluster in the returned files (most cases have none), so the counts are overdispersed and
    the Poisson interval is too narrow; the t interval (default) does not assume a distribution and is
    adequate from a few dozen cases.

    Returns
    -------
    DataFrame, one row per group
        The ``by`` columns, ``n`` (cases), ``total`` (revisions), ``estimate`` (total / n),
        ``ci_low``, ``ci_high``, ``note`` and ``method``.
    """
    check_alpha(alpha)
    check_option("interval", interval, REVISION_TEXT)
    counts = case_counts(
        layanan,
        by=by,
        needs=("revisions",),
        as_of=as_of,
        day_count=DayCount("calendar"),
        finished=(),
        what="revisions_per_file",
    )
    return revisions_table(counts, alpha, interval)
