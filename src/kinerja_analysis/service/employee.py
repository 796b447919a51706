"""Service KPIs per officer and year (or month), shaped to join the employee-year appraisal panel.

One row per ``nip`` (from ``layanan.nip_petugas``) and ``tahun`` (year of ``tanggal_masuk``): how many
cases the officer received, the share judged on time, processing time, returns and revisions. The
conventions are those of :mod:`kinerja_analysis.service.kpi` (which cases count) and
:mod:`kinerja_analysis.service.cases` (durations, ``as_of``). Cases without an officer are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.common.quantiles import grouped_quantiles
from kinerja_analysis.service.accuracy import returns_table, revisions_table
from kinerja_analysis.service.cases import DayBasis, LayananInput, case_counts
from kinerja_analysis.service.kpi import OpenCases, _durations, _sla
from kinerja_analysis.service.results import day_count, share, text

__all__ = ["employee_kpi"]

Period = Literal["year", "month"]
_KEYS: dict[str, tuple[str, ...]] = {"year": ("nip_petugas", "tahun"), "month": ("nip_petugas", "tahun", "bulan")}


def employee_kpi(
    layanan: LayananInput,
    *,
    period: Period = "year",
    alpha: float = 0.05,
    day_basis: DayBasis = "working",
    finished: Sequence[str] = ("selesai", "ditolak"),
    open_cases: OpenCases = "late_if_overdue",
    as_of: date | str | None = None,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Per-officer service KPIs by year (or month), from one scan of ``layanan``.

    Parameters
    ----------
    layanan
        The ``layanan`` table with ``nip_petugas``; not modified.
    period
        ``"year"`` (columns nip, tahun) or ``"month"`` (nip, tahun, bulan).
    alpha, day_basis, finished, open_cases, as_of, cuti_bersama, holidays
        As in :func:`kinerja_analysis.service.kpi.sla_compliance`.

    Returns
    -------
    DataFrame, one row per officer and period
        ``nip``, ``tahun`` (and ``bulan``); ``n_berkas`` (cases received); ``sla_n``, ``sla_estimate``,
        ``sla_ci_low``, ``sla_ci_high`` (share on time, Wilson); ``hari_n`` (closed cases with a duration),
        ``hari_mean``, ``hari_median`` (linear quantile); ``return_n``, ``return_rate``;
        ``revisions_per_file``; ``day_basis`` and ``method``. Personal data: publish only through
        :mod:`kinerja_analysis.common.privacy`.

    Examples
    --------
    >>> cases = pd.DataFrame({
    ...     "berkas_id": list("abc"), "unit_id": "K1", "nip_petugas": ["198609262015051001"] * 3,
    ...     "tanggal_masuk": pd.to_datetime(["2024-08-12"] * 3), "standar_hari": 1, "status": "selesai",
    ...     "tanggal_selesai": pd.to_datetime(["2024-08-12", "2024-08-13", "2024-08-15"]),
    ...     "dikembalikan": [False, False, True], "jumlah_revisi": [0, 0, 2]})
    >>> row = employee_kpi(cases).iloc[0]
    >>> int(row["tahun"]), int(row["n_berkas"]), [round(float(row[c]), 4) for c in ("sla_estimate", "hari_mean")]
    (2024, 3, [0.6667, 1.3333])
    """
    check_option("period", period, _KEYS)
    check_alpha(alpha)
    check_option("open_cases", open_cases, ("late_if_overdue", "exclude"))
    counts = case_counts(
        layanan, by=_KEYS[period], needs=("standard", "returns", "revisions"), as_of=as_of,
        day_count=day_count(day_basis, cuti_bersama, holidays), finished=finished, what="employee_kpi",
    )  # fmt: skip
    sla = _sla(counts, finished, open_cases, alpha, "wilson")
    returns = returns_table(counts, alpha, "wilson")
    revisions = revisions_table(counts, alpha, "t")
    g, dur, n = _durations(counts, finished)
    closed = np.bincount(g, weights=n, minlength=counts.n_groups)
    total_days = np.bincount(g, weights=n * dur, minlength=counts.n_groups)
    median = grouped_quantiles(g, dur, n, n_groups=counts.n_groups, p=0.5, alpha=alpha)
    out = counts.groups.rename(columns={"nip_petugas": "nip"})
    out["n_berkas"] = counts.cases.astype("int64")
    out["sla_n"], out["sla_estimate"] = sla["n"].to_numpy(), sla["estimate"].to_numpy()
    out["sla_ci_low"], out["sla_ci_high"] = sla["ci_low"].to_numpy(), sla["ci_high"].to_numpy()
    out["hari_n"] = closed.astype("int64")
    out["hari_mean"] = share(total_days, closed)
    out["hari_median"] = median["estimate"]
    out["return_n"], out["return_rate"] = returns["n"].to_numpy(), returns["estimate"].to_numpy()
    out["revisions_per_file"] = revisions["estimate"].to_numpy()
    no_officer = out["nip"].isna().to_numpy()
    out["day_basis"] = text(counts.day_count.day_basis, len(out))
    left = (
        f"; {int(out.loc[no_officer, 'n_berkas'].sum())} cases without nip_petugas left out" if no_officer.any() else ""
    )
    out["method"] = text(
        f"per officer and {period}: SLA share as kpi.sla_compliance (Wilson {100 * (1 - alpha):g}%), mean and "
        f"linear median of closed-case durations, return rate and mean revisions of cases received; "
        f"{counts.describe()}{left}",
        len(out),
    )
    return out.loc[~no_officer].reset_index(drop=True)
