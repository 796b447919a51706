"""Service KPIs on the ``layanan`` table: SLA compliance, processing time, and all of them in one scan.

Every function scans the rows once through DuckDB (:mod:`kinerja_analysis.service.cases`, which also states
the conventions for durations, ``as_of`` and the derived ``bulan`` / ``tahun`` keys) and computes its
intervals exactly on the small table of counts. Return rate and revisions per file are in
:mod:`kinerja_analysis.service.accuracy` (importable from here too), completion curves for open cases in
:mod:`kinerja_analysis.service.completion`, the per-employee panel in :mod:`kinerja_analysis.service.employee`,
monitoring charts in :mod:`kinerja_analysis.service.control_charts`.

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
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.common.huge_pages import without_huge_pages
from kinerja_analysis.common.inference import INTERVAL_TEXT, IntervalMethod, proportion_interval
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.common.quantiles import QUANTILE_METHOD, CountTable
from kinerja_analysis.service.accuracy import return_rate, returns_table, revisions_per_file, revisions_table
from kinerja_analysis.service.cases import FINISHED, OPEN, CaseCounts, DayBasis, LayananInput, case_counts
from kinerja_analysis.service.results import day_count, finished_names, result_frame, share, stack, text

__all__ = ["sla_compliance", "processing_time", "return_rate", "revisions_per_file", "service_kpis"]

OpenCases = Literal["late_if_overdue", "exclude"]


def _sla(counts: CaseCounts, finished: Sequence[str], open_cases: OpenCases, alpha: float,
         method: IntervalMethod) -> pd.DataFrame:  # fmt: skip
    names = finished_names(finished)
    cases, on_time = counts.per_outcome(counts.n), counts.per_outcome(counts.on_time)
    n_fin, k = cases[:, FINISHED], on_time[:, FINISHED]
    pending = on_time[:, OPEN]
    late_open = cases[:, OPEN] - pending
    left_out = np.delete(cases, [FINISHED, OPEN], axis=1).sum(axis=1)
    n = n_fin + late_open if open_cases == "late_if_overdue" else n_fin
    low, high = proportion_interval(k, n, method=method, alpha=alpha)
    opened = ("open cases past standar_hari counted late, open cases not yet due left out"
              if open_cases == "late_if_overdue" else "open cases left out")  # fmt: skip
    return result_frame(counts, {
        "n": n.astype("int64"),
        "k": k.astype("int64"),
        "estimate": share(k, n),
        "ci_low": low,
        "ci_high": high,
        "n_open_late": late_open.astype("int64") if open_cases == "late_if_overdue" else 0,
        "n_open_pending": (pending if open_cases == "late_if_overdue" else pending + late_open).astype("int64"),
        "n_left_out": left_out.astype("int64"),
        "method": f"share of {names} cases within standar_hari; {opened}; other statuses left out; "
        f"{INTERVAL_TEXT[method]} {100 * (1 - alpha):g}%; {counts.describe()}",
    })  # fmt: skip


def _durations(counts: CaseCounts, finished: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group, duration and count of the finished cases: every row of the table, the others counted 0 (no copy
    of the groups and durations)."""
    return counts.g, counts.dur, np.where(counts.outcome == FINISHED, counts.n, 0)


def _duration_table(counts: CaseCounts, finished: Sequence[str]) -> CountTable:
    """Processing times of the finished cases per group, ready for any number of quantiles."""
    g, dur, n = _durations(counts, finished)
    return CountTable(g, dur, n, n_groups=counts.n_groups)


def _processing(counts: CaseCounts, finished: Sequence[str], quantiles: Sequence[float], alpha: float,
                table: CountTable | None = None) -> list[pd.DataFrame]:  # fmt: skip
    """One frame per quantile (``table``: the durations' :func:`_duration_table`, if already built)."""
    names = finished_names(finished)
    table = _duration_table(counts, finished) if table is None else table
    method = (
        f"{QUANTILE_METHOD} {100 * (1 - alpha):g}%; durations of {names} cases closed by as_of (open cases are "
        f"not in them: see kpi_completion for a censoring-aware median); {counts.describe()}"
    )
    parts = []
    for p in quantiles:
        q = table.quantile(float(p), alpha=alpha)
        parts.append(result_frame(counts, {
            "quantile": float(p), "n": q["n"].copy(), "estimate": q["estimate"], "ci_low": q["ci_low"],
            "ci_high": q["ci_high"], "note": q["note"], "method": method,
        }))  # fmt: skip
    return parts


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
        The ``layanan`` table: a pandas frame, a DuckDB relation, or the path (str or os.PathLike) of a
        Parquet file or a folder of them, read in record batches (the fastest for national tables); not modified.
    by
        Grouping columns: e.g. ``unit_id``, ``jenis_layanan``, ``nip_petugas``, or the derived ``bulan``
        (month of tanggal_masuk, a pandas Period) and ``tahun``; ``()`` for one overall row.
    day_basis
        ``"working"`` (default: Mon-Fri less holidays, :mod:`kinerja_analysis.common.workdays`) or ``"calendar"``.
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
        Calendar for working days (see :func:`kinerja_analysis.common.workdays.holiday_dates`).

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
    check_alpha(alpha)
    check_option("method", method, INTERVAL_TEXT)
    check_option("open_cases", open_cases, ("late_if_overdue", "exclude"))
    finished_names(finished)
    counts = case_counts(layanan, by=by, needs=("standard",), as_of=as_of, finished=finished,
                         day_count=day_count(day_basis, cuti_bersama, holidays), what="sla_compliance")  # fmt: skip
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
    (:mod:`kinerja_analysis.common.quantiles`). Open cases have no duration yet and are not in these
    quantiles, which therefore understate processing time where many cases are open; use
    :func:`kinerja_analysis.service.completion.completion_median` for a median that counts them.

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
    check_alpha(alpha)
    finished_names(finished)
    for p in quantiles:
        if not 0 < float(p) < 1:
            raise InvalidOptionError(f"quantiles={list(quantiles)}: each must lie strictly between 0 and 1.")
    counts = case_counts(layanan, by=by, as_of=as_of, finished=finished,
                         day_count=day_count(day_basis, cuti_bersama, holidays),
                         what="processing_time")  # fmt: skip
    parts = _processing(counts, finished, quantiles, alpha)
    if not parts:
        raise InvalidOptionError("quantiles is empty; give at least one, e.g. (0.5, 0.9).")
    return stack(parts, list(parts[0].columns))


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

    ``layanan`` may be a pandas frame, a DuckDB relation, or the path (str or os.PathLike) of a Parquet file
    or of a folder of Parquet files. A path is checked like the others (same errors, same bad-row report) and
    then counted in numpy record batch by record batch (:mod:`kinerja_analysis.service.cases_parquet`): for 50
    million cases 3.3-3.6 s on two cores, 0.44-0.48 times the time of a bare DuckDB ``quantile_cont`` query
    (benchmarks/README.md), against 1.3-1.5 times through a relation; the results are identical.
    Options (``by``, ``day_basis``, calendars, ``as_of``) are those of :func:`sla_compliance` and
    :func:`processing_time`.

    Returns
    -------
    DataFrame, one row per group and KPI
        The ``by`` columns, ``kpi`` ("sla", "q50", "q90", ... for each quantile, "return_rate",
        "revisions"), ``n``, ``estimate``, ``ci_low``, ``ci_high``, ``note``, ``day_basis`` and ``method``.
    """
    check_alpha(alpha)
    check_option("open_cases", open_cases, ("late_if_overdue", "exclude"))
    finished_names(finished)
    counts = case_counts(layanan, by=by, needs=("standard", "returns", "revisions"), as_of=as_of, finished=finished,
                         day_count=day_count(day_basis, cuti_bersama, holidays), what="service_kpis")  # fmt: skip
    n, basis = counts.n_groups, text(counts.day_count.day_basis, counts.n_groups)

    def sla() -> list[pd.DataFrame]:
        return [_sla(counts, finished, open_cases, alpha, "wilson").assign(kpi=text("sla", n), note=text("", n))]

    def time_quantile(table: CountTable, p: float) -> list[pd.DataFrame]:
        return [part.assign(kpi=text(f"q{100 * float(p):g}", n))
                for part in _processing(counts, finished, [p], alpha, table)]  # fmt: skip

    def accuracy() -> list[pd.DataFrame]:
        returns = returns_table(counts, alpha, "wilson")
        revisions = revisions_table(counts, alpha, "t")
        return [returns.assign(kpi=text("return_rate", n), note=text("", n), day_basis=basis),
                revisions.assign(kpi=text("revisions", n), day_basis=basis)]  # fmt: skip

    # Independent computations on the same counts; numpy releases the GIL, so two threads use both cores.
    # The quantiles share one duration table, built here while the SLA and accuracy tables are computed.
    # The result's arrays are written once, in order: no huge pages for them (common.huge_pages).
    with without_huge_pages():
        with ThreadPoolExecutor(max_workers=2) as pool:
            first = [pool.submit(sla), pool.submit(accuracy)]
            table = _duration_table(counts, finished)
            running = [first[0], *(pool.submit(time_quantile, table, p) for p in quantiles), first[1]]
            parts = [part for future in running for part in future.result()]
        columns = [*counts.keys, "kpi", "n", "estimate", "ci_low", "ci_high", "note", "day_basis", "method"]
        counts = table = None  # freed before the result is built, so that its memory is theirs again, not new pages
        return stack(parts, columns)
