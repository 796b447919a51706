"""Completion of service cases over time, with open cases censored rather than dropped.

Quantiles of closed cases (:func:`kinerja_analysis.service.kpi.processing_time`) ignore the cases still open,
which are the slow ones. Here a case is followed from ``tanggal_masuk`` until it closes (selesai,
ditolak or dicabut) or until ``as_of``; a case open on ``as_of`` is censored at its age (it is counted
at risk through that day). Durations and ``as_of`` follow :mod:`kinerja_analysis.service.cases`.

- :func:`completion_curve`: the share of cases closed by each day, 1 - S(t) of the Kaplan-Meier
  estimate, with Greenwood log(-log) bounds (:mod:`kinerja_analysis.common.survival`).
- :func:`completion_median`: the median time to closing, or an explicit "not reached".
- :func:`outcome_incidence`: the share closed by each day *with a given outcome* (selesai, ditolak,
  dicabut as competing risks; Aalen-Johansen). 1 - KM of one outcome, treating the others as
  censored, would overstate each outcome; the three incidences and the share still open add up to 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from kinerja_analysis.common.options import check_alpha
from kinerja_analysis.common.survival import aalen_johansen, kaplan_meier, km_median
from kinerja_analysis.service.cases import CLOSED, OUTCOMES, CaseCounts, DayBasis, LayananInput, case_counts
from kinerja_analysis.service.results import day_count, text

__all__ = ["completion_curve", "completion_median", "outcome_incidence"]


def _event_table(counts: CaseCounts) -> dict[str, np.ndarray]:
    """One row per (group, day): cases closed that day by outcome, and cases censored (open on as_of)."""
    g, dur = counts.g, counts.dur
    change = np.ones(g.size, dtype=bool)
    change[1:] = (np.diff(g) != 0) | (np.diff(dur) != 0)
    row = np.cumsum(change) - 1
    m = int(row[-1]) + 1 if row.size else 0

    def total(mask: np.ndarray) -> np.ndarray:
        return np.bincount(row, weights=np.where(mask, counts.n, 0.0), minlength=m)

    closed = np.column_stack([total(counts.outcome == k) for k in range(3)]) if m else np.zeros((0, 3))
    return {"g": g[change], "t": dur[change], "d": closed, "c": total(counts.outcome == OUTCOMES.index("proses"))}


def _counts(layanan: LayananInput, by: str | Sequence[str], as_of: date | str | None, day_basis: DayBasis,
            cuti_bersama: bool, holidays: Sequence[date] | None, what: str) -> CaseCounts:  # fmt: skip
    return case_counts(layanan, by=by, as_of=as_of, day_count=day_count(day_basis, cuti_bersama, holidays), what=what)


def _keys_for(counts: CaseCounts, g: np.ndarray) -> pd.DataFrame:
    return counts.groups.iloc[g].reset_index(drop=True)


def completion_curve(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id",),
    alpha: float = 0.05,
    day_basis: DayBasis = "working",
    as_of: date | str | None = None,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Share of cases closed (any outcome) within t days, by Kaplan-Meier with open cases censored.

    Returns
    -------
    DataFrame, one row per group and day on which a case closed or was censored
        The ``by`` columns, ``hari`` (t, in ``day_basis`` days), ``n_at_risk`` (still open at the start of
        day t), ``n_selesai``, ``n_ditolak``, ``n_dicabut`` (closed after t days), ``n_censored`` (open on
        as_of, aged t), ``estimate`` (share closed within t days, 1 - S(t)), ``ci_low``, ``ci_high``
        (Greenwood log(-log), as lifelines), ``day_basis`` and ``method``.

    Examples
    --------
    Case b closed on Thursday, after as_of, so on Wednesday it was open like case c, aged two days.

    >>> cases = pd.DataFrame({
    ...     "berkas_id": list("abc"), "unit_id": "K1", "status": ["selesai", "selesai", "proses"],
    ...     "tanggal_masuk": pd.to_datetime(["2024-08-12"] * 3),
    ...     "tanggal_selesai": pd.to_datetime(["2024-08-13", "2024-08-15", None])})
    >>> out = completion_curve(cases, as_of="2024-08-14")
    >>> out[["hari", "n_at_risk", "n_censored"]].values.tolist(), out["estimate"].round(4).tolist()
    ([[1, 3, 0], [2, 2, 2]], [0.3333, 0.3333])
    """
    check_alpha(alpha)
    counts = _counts(layanan, by, as_of, day_basis, cuti_bersama, holidays, "completion_curve")
    ev = _event_table(counts)
    km = kaplan_meier(ev["g"], ev["t"], ev["d"].sum(axis=1), ev["c"], alpha=alpha)
    out = _keys_for(counts, ev["g"])
    out["hari"] = ev["t"]
    out["n_at_risk"] = km["n_at_risk"].astype("int64")
    for k, name in enumerate(CLOSED):
        out[f"n_{name}"] = ev["d"][:, k].astype("int64")
    out["n_censored"] = ev["c"].astype("int64")
    out["estimate"] = 1 - km["survival"]
    out["ci_low"], out["ci_high"] = 1 - km["ci_high"], 1 - km["ci_low"]
    out["day_basis"] = text(counts.day_count.day_basis, len(out))
    out["method"] = text(
        f"Kaplan-Meier share closed (any outcome), open cases censored at their age on as_of; Greenwood log(-log) "
        f"interval {100 * (1 - alpha):g}%; {counts.describe()}",
        len(out),
    )
    return out


def completion_median(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id",),
    alpha: float = 0.05,
    day_basis: DayBasis = "working",
    as_of: date | str | None = None,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Median days to closing per group, counting open cases as censored; "not reached" when it is not.

    The median is the first day t by which at least half the cases closed (1 - S(t) >= 0.5); its interval
    is read off the Kaplan-Meier bands (as lifelines' ``median_survival_times``). When fewer than half
    are known to have closed, the median is *not reached*: ``median_reached`` is False and the estimate
    NaN, with a note; it is never replaced by the longest observed time.

    Returns
    -------
    DataFrame, one row per group
        The ``by`` columns, ``n`` (cases), ``n_closed``, ``n_open`` (censored), ``estimate``, ``ci_low``,
        ``ci_high`` (NaN where a band never reaches one half), ``median_reached``, ``note``,
        ``day_basis`` and ``method``.
    """
    check_alpha(alpha)
    counts = _counts(layanan, by, as_of, day_basis, cuti_bersama, holidays, "completion_median")
    ev = _event_table(counts)
    km = kaplan_meier(ev["g"], ev["t"], ev["d"].sum(axis=1), ev["c"], alpha=alpha)
    med = km_median(ev["g"], ev["t"], km["survival"], km["ci_low"], km["ci_high"], n_groups=counts.n_groups)
    closed = np.bincount(ev["g"], weights=ev["d"].sum(axis=1), minlength=counts.n_groups)
    censored = np.bincount(ev["g"], weights=ev["c"], minlength=counts.n_groups)
    last = np.full(counts.n_groups, np.nan)
    if ev["g"].size:
        ends = np.flatnonzero(np.r_[np.diff(ev["g"]) != 0, True])
        last[ev["g"][ends]] = 1 - km["survival"][ends]
    note = np.where(
        med["reached"],
        np.where(np.isnan(med["ci_high"]), "upper bound not reached", ""),
        [f"median not reached: {100 * s:.1f}% closed by the last day observed" for s in last],
    )
    out = counts.groups.copy()
    out["n"] = (closed + censored).astype("int64")
    out["n_closed"], out["n_open"] = closed.astype("int64"), censored.astype("int64")
    out["estimate"], out["ci_low"], out["ci_high"] = med["estimate"], med["ci_low"], med["ci_high"]
    out["median_reached"] = med["reached"]
    out["note"] = text(note, len(out))
    out["day_basis"] = text(counts.day_count.day_basis, len(out))
    out["method"] = text(
        "Kaplan-Meier median time to closing (any outcome), open cases censored; interval from the Greenwood "
        f"log(-log) bands {100 * (1 - alpha):g}%; {counts.describe()}",
        len(out),
    )
    return out


def outcome_incidence(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id",),
    alpha: float = 0.05,
    day_basis: DayBasis = "working",
    as_of: date | str | None = None,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Cumulative incidence of each outcome (selesai, ditolak, dicabut) as competing risks (Aalen-Johansen).

    Returns
    -------
    DataFrame, one row per group, day and outcome
        The ``by`` columns, ``hari``, ``outcome``, ``n_at_risk``, ``n_events`` (closed with that outcome
        after ``hari`` days), ``estimate`` (share of cases closed with that outcome within ``hari`` days),
        ``ci_low``, ``ci_high`` (delta-method variance of Collett, log(-log) scale, as lifelines'
        ``AalenJohansenFitter``), ``day_basis`` and ``method``.
    """
    check_alpha(alpha)
    counts = _counts(layanan, by, as_of, day_basis, cuti_bersama, holidays, "outcome_incidence")
    ev = _event_table(counts)
    aj = aalen_johansen(ev["g"], ev["t"], ev["d"], ev["c"], alpha=alpha)
    # Three rows per (group, day), one per outcome: arrays of shape (rows, 3) flattened row by row.
    out = _keys_for(counts, np.repeat(ev["g"], len(CLOSED)))
    out["hari"] = np.repeat(ev["t"], len(CLOSED))
    out["outcome"] = pd.Categorical.from_codes(np.tile(np.arange(len(CLOSED), dtype=np.int8), ev["g"].size), CLOSED)
    out["n_at_risk"] = np.repeat(aj["n_at_risk"], len(CLOSED)).astype("int64")
    out["n_events"] = ev["d"].ravel().astype("int64")
    out["estimate"], out["ci_low"], out["ci_high"] = (aj[k].ravel() for k in ("incidence", "ci_low", "ci_high"))
    out["day_basis"] = text(counts.day_count.day_basis, len(out))
    out["method"] = text(
        "Aalen-Johansen cumulative incidence, outcomes selesai/ditolak/dicabut competing, open cases censored; "
        f"delta-method (Collett) log(-log) interval {100 * (1 - alpha):g}%; {counts.describe()}",
        len(out),
    )
    return out
