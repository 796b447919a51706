"""Service KPIs on the ``layanan`` table: SLA compliance, processing time, returns and revisions.

Every function scans the rows once through DuckDB (:mod:`kinerja_analysis.kpi_cases`, which also states
the conventions for durations, ``as_of`` and the derived ``bulan`` / ``tahun`` keys) and computes its
intervals exactly on the small table of counts. Completion curves for open cases are in
:mod:`kinerja_analysis.kpi_completion`, the per-employee panel in :mod:`kinerja_analysis.kpi_employee`.

Which cases count [decided here; the contentious choices are options]:

- A case is *closed* on ``as_of`` when its status is selesai, ditolak or dicabut and its
  ``tanggal_selesai`` is not after ``as_of``. Of the closed cases, those whose status is in ``finished``
  (default selesai and ditolak: both end with a decision given to the applicant) are judged against the
  standard and give processing times. Withdrawn cases (dicabut) are left out by default: the applicant,
  not the office, ended them.
- A case is *on time* when its duration is at most ``standar_hari`` (0 = same day).
- Open cases whose age already exceeds ``standar_hari`` are late whatever happens next and count as
  late (``open_cases="late_if_overdue"``); open cases not yet due are left out, since their outcome is
  unknown. ``open_cases="exclude"`` leaves out every open case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals
from scipy import stats

from ._options import check_option
from .appraisal_inflation import IntervalMethod, proportion_interval
from .errors import InvalidOptionError
from .kpi_cases import FINISHED, OPEN, OUTCOMES, CaseCounts, DayBasis, DayCount, LayananInput, case_counts
from .quantiles import QUANTILE_METHOD, grouped_quantiles

__all__ = ["sla_compliance", "processing_time", "return_rate", "revisions_per_file", "service_kpis"]

OpenCases = Literal["late_if_overdue", "exclude"]
RevisionInterval = Literal["t", "poisson"]

_INTERVAL_TEXT = {"wilson": "Wilson score interval", "clopper_pearson": "Clopper-Pearson exact interval"}
_TEXT_COLUMNS = ("kpi", "note", "day_basis", "method")
_REVISION_TEXT = {
    "t": "t interval on the mean (n - 1 df)",
    "poisson": "exact Poisson interval on the total (Garwood), assuming no overdispersion",
}


def _finished_codes(finished: Sequence[str]) -> tuple[np.ndarray, str]:
    names = (finished,) if isinstance(finished, str) else tuple(finished)
    if not names:
        raise InvalidOptionError("finished must name at least one of 'selesai', 'ditolak', 'dicabut'.")
    for name in names:
        check_option("finished", name, OUTCOMES[:3])
    return np.array([OUTCOMES.index(s) for s in names]), "/".join(names)


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} must lie strictly between 0 and 1 (e.g. 0.05).")


def _text(value: object, n: int) -> pd.Categorical:
    """A text column as a categorical: one method text over a million groups is stored once, not a million times."""
    if isinstance(value, str):
        return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[value])
    values = value.array if isinstance(value, pd.Series) else value
    return values if isinstance(values, pd.Categorical) else pd.Categorical(values)


def _frame(counts: CaseCounts, columns: dict[str, object], *, durations: bool = True) -> pd.DataFrame:
    out = counts.groups.copy()
    for name, values in columns.items():
        out[name] = _text(values, len(out)) if name in _TEXT_COLUMNS else values
    if durations:
        out["day_basis"] = _text(counts.day_count.day_basis, len(out))
    return out


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Stack result frames; categorical text columns are merged by category, never expanded to strings."""
    texts = [c for c in columns if c in _TEXT_COLUMNS]
    out = pd.concat([p[[c for c in columns if c not in texts]] for p in parts], ignore_index=True)
    for c in texts:
        out[c] = union_categoricals([_text(p[c], len(p)) for p in parts])
    return out[columns]


def _share(k: np.ndarray, n: np.ndarray) -> np.ndarray:
    return np.divide(k, n, out=np.full(n.shape, np.nan), where=n > 0)


def _sla(counts: CaseCounts, finished: Sequence[str], open_cases: OpenCases, alpha: float,
         method: IntervalMethod) -> pd.DataFrame:  # fmt: skip
    _, names = _finished_codes(finished)
    fin, is_open = counts.outcome == FINISHED, counts.outcome == OPEN
    n_fin = counts.per_group(counts.n, fin)
    k = counts.per_group(counts.on_time, fin)
    pending = counts.per_group(counts.on_time, is_open)
    late_open = counts.per_group(counts.n - counts.on_time, is_open)
    left_out = counts.per_group(counts.n, ~fin & ~is_open)
    n = n_fin + late_open if open_cases == "late_if_overdue" else n_fin
    low, high = proportion_interval(k, n, method=method, alpha=alpha)
    opened = ("open cases past standar_hari counted late, open cases not yet due left out"
              if open_cases == "late_if_overdue" else "open cases left out")  # fmt: skip
    return _frame(counts, {
        "n": n.astype("int64"),
        "k": k.astype("int64"),
        "estimate": _share(k, n),
        "ci_low": low,
        "ci_high": high,
        "n_open_late": late_open.astype("int64") if open_cases == "late_if_overdue" else 0,
        "n_open_pending": (pending if open_cases == "late_if_overdue" else pending + late_open).astype("int64"),
        "n_left_out": left_out.astype("int64"),
        "method": f"share of {names} cases within standar_hari; {opened}; other statuses left out; "
        f"{_INTERVAL_TEXT[method]} {100 * (1 - alpha):g}%; {counts.describe()}",
    })  # fmt: skip


def _durations(counts: CaseCounts, finished: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = counts.outcome == FINISHED
    return counts.g[rows], counts.dur[rows], counts.n[rows]


def _processing(
    counts: CaseCounts, finished: Sequence[str], quantiles: Sequence[float], alpha: float
) -> list[pd.DataFrame]:
    """One frame per quantile."""
    _, names = _finished_codes(finished)
    g, dur, n = _durations(counts, finished)
    method = (
        f"{QUANTILE_METHOD} {100 * (1 - alpha):g}%; durations of {names} cases closed by as_of (open cases are "
        f"not in them: see kpi_completion for a censoring-aware median); {counts.describe()}"
    )
    parts = []
    for p in quantiles:
        q = grouped_quantiles(g, dur, n, n_groups=counts.n_groups, p=float(p), alpha=alpha)
        parts.append(_frame(counts, {
            "quantile": float(p), "n": q["n"], "estimate": q["estimate"], "ci_low": q["ci_low"],
            "ci_high": q["ci_high"], "note": q["note"], "method": method,
        }))  # fmt: skip
    return parts


def _returns(counts: CaseCounts, alpha: float, method: IntervalMethod) -> pd.DataFrame:
    n = counts.per_group(counts.n)
    k = counts.per_group(counts.returns)
    low, high = proportion_interval(k, n, method=method, alpha=alpha)
    return _frame(counts, {
        "n": n.astype("int64"), "k": k.astype("int64"), "estimate": _share(k, n), "ci_low": low, "ci_high": high,
        "method": f"share of cases returned for correction (dikembalikan), all statuses, received by as_of; "
        f"{_INTERVAL_TEXT[method]} {100 * (1 - alpha):g}%; as_of {counts.as_of}",
    }, durations=False)  # fmt: skip


def _revisions(counts: CaseCounts, alpha: float, interval: RevisionInterval) -> pd.DataFrame:
    n = counts.per_group(counts.n)
    total = counts.per_group(counts.revisions)
    squares = counts.per_group(counts.revisions_sq)
    mean = _share(total, n)
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
    return _frame(counts, {
        "n": n.astype("int64"), "total": total.astype("int64"), "estimate": mean,
        "ci_low": np.where(empty, np.nan, low), "ci_high": np.where(empty, np.nan, high), "note": note,
        "method": f"mean jumlah_revisi per case, all statuses, received by as_of; {_REVISION_TEXT[interval]} "
        f"{100 * (1 - alpha):g}%; as_of {counts.as_of}",
    }, durations=False)  # fmt: skip


def _day_count(day_basis: DayBasis, cuti_bersama: bool, holidays: Sequence[date] | None) -> DayCount:
    return DayCount(day_basis, bool(cuti_bersama), None if holidays is None else tuple(holidays))


def sla_compliance(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id",),
    day_basis: DayBasis = "working",
    alpha: float = 0.05,
    method: IntervalMethod = "wilson",
    finished: Sequence[str] = ("selesai", "ditolak"),
    open_cases: OpenCases = "late_if_overdue",
    as_of: date | str | None = None,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Share of cases closed within their service standard (``standar_hari``), per group, with an interval.

    Parameters
    ----------
    layanan
        The ``layanan`` table (pandas frame or DuckDB relation); not modified.
    by
        Grouping columns: e.g. ``unit_id``, ``jenis_layanan``, ``nip_petugas``, or the derived ``bulan``
        (month of tanggal_masuk, a pandas Period) and ``tahun``; ``()`` for one overall row.
    day_basis
        ``"working"`` (default: Mon-Fri less holidays, :mod:`kinerja_analysis.workdays`) or ``"calendar"``.
    alpha, method
        1 - confidence level; ``"wilson"`` (default) or ``"clopper_pearson"`` interval.
    finished
        Statuses judged against the standard (default selesai and ditolak; dicabut is left out).
    open_cases
        ``"late_if_overdue"`` (default) counts open cases already past their standard as late and leaves
        out those not yet due; ``"exclude"`` leaves out all open cases.
    as_of
        The day the data describe (default the latest date in the table).
    cuti_bersama, holidays
        Calendar for working days (see :func:`kinerja_analysis.workdays.holiday_dates`).

    Returns
    -------
    DataFrame, one row per group present in the data
        The ``by`` columns; ``n`` (cases judged), ``k`` (on time), ``estimate`` (k / n), ``ci_low``,
        ``ci_high``; ``n_open_late`` (open and overdue, included in n as late), ``n_open_pending`` (open,
        not yet due, left out), ``n_left_out`` (closed with a status not in ``finished``); ``day_basis``
        and ``method``. A group whose cases are all left out has n = 0 and NaN estimate and bounds; it
        is kept, not dropped. An empty table gives an empty frame.

    Examples
    --------
    >>> cases = pd.DataFrame({
    ...     "berkas_id": ["a", "b", "c"], "unit_id": "K1",
    ...     "tanggal_masuk": pd.to_datetime(["2024-08-16", "2024-08-16", "2024-08-19"]),
    ...     "tanggal_selesai": pd.to_datetime(["2024-08-19", "2024-08-21", None]),
    ...     "standar_hari": [1, 1, 1], "status": ["selesai", "selesai", "proses"]})
    >>> sla_compliance(cases, as_of="2024-08-21")[["unit_id", "n", "k", "n_open_late"]].values.tolist()
    [['K1', 3, 1, 1]]
    """
    _check_alpha(alpha)
    check_option("method", method, _INTERVAL_TEXT)
    check_option("open_cases", open_cases, ("late_if_overdue", "exclude"))
    _finished_codes(finished)
    counts = case_counts(layanan, by=by, needs=("standard",), as_of=as_of, finished=finished,
                         day_count=_day_count(day_basis, cuti_bersama, holidays), what="sla_compliance")  # fmt: skip
    return _sla(counts, finished, open_cases, alpha, method)


def processing_time(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id",),
    quantiles: Sequence[float] = (0.5, 0.9),
    alpha: float = 0.05,
    day_basis: DayBasis = "working",
    finished: Sequence[str] = ("selesai", "ditolak"),
    as_of: date | str | None = None,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Quantiles of the processing time of closed cases, with distribution-free intervals.

    The point estimate is the linear (type 7) quantile, the interval the order-statistic interval
    (:mod:`kinerja_analysis.quantiles`). Open cases have no duration yet and are not in these
    quantiles, which therefore understate processing time where many cases are open; use
    :func:`kinerja_analysis.kpi_completion.completion_median` for a median that counts them.

    Returns
    -------
    DataFrame, one row per group and quantile
        The ``by`` columns, ``quantile``, ``n`` (closed cases), ``estimate``, ``ci_low``, ``ci_high``,
        ``note`` (why a bound is missing: too few cases for that confidence; "" otherwise),
        ``day_basis`` and ``method``.

    Examples
    --------
    >>> cases = pd.DataFrame({
    ...     "berkas_id": list("abcd"), "unit_id": "K1", "standar_hari": 2, "status": "selesai",
    ...     "tanggal_masuk": pd.to_datetime(["2024-08-12"] * 4),
    ...     "tanggal_selesai": pd.to_datetime(["2024-08-12", "2024-08-13", "2024-08-14", "2024-08-19"])})
    >>> processing_time(cases, quantiles=[0.5])[["n", "estimate", "ci_low", "note"]].values.tolist()
    [[4, 1.5, nan, 'too few cases for a 95% interval (needs 6)']]
    """
    _check_alpha(alpha)
    _finished_codes(finished)
    for p in quantiles:
        if not 0 < float(p) < 1:
            raise InvalidOptionError(f"quantiles={list(quantiles)}: each must lie strictly between 0 and 1.")
    counts = case_counts(layanan, by=by, as_of=as_of, finished=finished,
                         day_count=_day_count(day_basis, cuti_bersama, holidays),
                         what="processing_time")  # fmt: skip
    parts = _processing(counts, finished, quantiles, alpha)
    if not parts:
        raise InvalidOptionError("quantiles is empty; give at least one, e.g. (0.5, 0.9).")
    return _concat(parts, list(parts[0].columns))


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
    naming the rows (the column is required, schema.py), not a silent gap.

    Returns
    -------
    DataFrame, one row per group
        The ``by`` columns, ``n``, ``k`` (returned), ``estimate``, ``ci_low``, ``ci_high`` and ``method``.
    """
    _check_alpha(alpha)
    check_option("method", method, _INTERVAL_TEXT)
    # Durations play no part here: calendar days skip the working-day lookup.
    counts = case_counts(
        layanan, by=by, needs=("returns",), as_of=as_of, day_count=DayCount("calendar"), finished=(), what="return_rate"
    )
    return _returns(counts, alpha, method)


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
    _check_alpha(alpha)
    check_option("interval", interval, _REVISION_TEXT)
    counts = case_counts(
        layanan,
        by=by,
        needs=("revisions",),
        as_of=as_of,
        day_count=DayCount("calendar"),
        finished=(),
        what="revisions_per_file",
    )
    return _revisions(counts, alpha, interval)


def service_kpis(
    layanan: LayananInput,
    *,
    by: str | Sequence[str] = ("unit_id", "bulan"),
    quantiles: Sequence[float] = (0.5, 0.9),
    alpha: float = 0.05,
    day_basis: DayBasis = "working",
    finished: Sequence[str] = ("selesai", "ditolak"),
    open_cases: OpenCases = "late_if_overdue",
    as_of: date | str | None = None,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """SLA share, processing-time quantiles, return rate and revisions per file, from one scan.

    The same numbers as :func:`sla_compliance` (Wilson), :func:`processing_time`, :func:`return_rate`
    (Wilson) and :func:`revisions_per_file` (t), in one long table: the way to compute them for every
    unit and month of a national table.

    Returns
    -------
    DataFrame, one row per group and KPI
        The ``by`` columns, ``kpi`` ("sla", "q50", "q90", ... for each quantile, "return_rate",
        "revisions"), ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``note``, ``day_basis`` and ``method``.
    """
    _check_alpha(alpha)
    check_option("open_cases", open_cases, ("late_if_overdue", "exclude"))
    _finished_codes(finished)
    counts = case_counts(layanan, by=by, needs=("standard", "returns", "revisions"), as_of=as_of, finished=finished,
                         day_count=_day_count(day_basis, cuti_bersama, holidays), what="service_kpis")  # fmt: skip
    n = counts.n_groups
    parts = [_sla(counts, finished, open_cases, alpha, "wilson").assign(kpi=_text("sla", n), note=_text("", n))]
    for p, part in zip(quantiles, _processing(counts, finished, quantiles, alpha), strict=True):
        parts.append(part.assign(kpi=_text(f"q{100 * float(p):g}", n)))
    basis = _text(counts.day_count.day_basis, n)
    parts.append(
        _returns(counts, alpha, "wilson").assign(kpi=_text("return_rate", n), note=_text("", n), day_basis=basis)
    )
    parts.append(_revisions(counts, alpha, "t").assign(kpi=_text("revisions", n), day_basis=basis))
    columns = [*counts.keys, "kpi", "n", "estimate", "ci_low", "ci_high", "note", "day_basis", "method"]
    return _concat(parts, columns)
