"""Complaints (``pengaduan``): volume per 1,000 service files, u-charts, and categories and channels over time.

Periods come from the date a complaint or a file was received (``tanggal_masuk`` in both tables):
``tahun``, ``semester``, ``triwulan`` and ``bulan`` can be grouped by without having the column.
Time to resolution is in :mod:`kinerja_analysis.feedback.resolution`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.feedback.survey_frame import as_by, group_exprs, quote, registered, restore_key_dtypes

__all__ = ["complaint_rates", "u_chart", "complaint_mix", "service_users"]

Dimension = Literal["kategori", "kanal"]


def _frame(frame: object, table: str, needed: Sequence[str]) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise KinerjaDataError(f"{table}: expected a pandas DataFrame, got {type(frame).__name__}.")
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise MissingColumnError(f"{table}: column(s) {', '.join(missing)} are missing.")
    return frame


def _count(frame: pd.DataFrame, table: str, keys: tuple[str, ...], name: str) -> pd.DataFrame:
    """Rows per group of ``keys`` (period keys derived from tanggal_masuk), via DuckDB."""
    exprs = group_exprs(frame.columns, keys, date_column="tanggal_masuk", table=table)
    names = ", ".join(quote(k) for k in keys)
    group = f"GROUP BY {names}" if keys else ""
    select = ", ".join([*exprs, f"count(*) AS {quote(name)}"])
    with registered({"t": frame}) as con:
        out = con.execute(f"SELECT {select} FROM t {group}").df()
    out[name] = out[name].astype(np.int64)
    return restore_key_dtypes(out, frame, keys)


def _poisson_interval(k: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson count k: chi2 quantiles of 2k and 2k + 2 degrees of freedom, halved."""
    k = np.asarray(k, dtype=float)
    with np.errstate(invalid="ignore"):
        low = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
    return low, stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2


def service_users(layanan: pd.DataFrame, *, by: str | Sequence[str] = ("unit_id", "tahun")) -> pd.DataFrame:
    """Service files received per group, as ``populasi`` for the IKM's sample check [assumption].

    PermenPANRB 14/2017 sizes the survey sample from the number of service users. Exports rarely hold
    it; the files received (``layanan``) are a lower bound (one user may bring several files, a visit
    to a puskesmas leaves no file), so using them is an assumption the report must state.

    Returns
    -------
    DataFrame
        The ``by`` columns and ``populasi`` (files received; periods ``tahun``, ``bulan``, ... derived from
        ``tanggal_masuk``).

    >>> files = pd.DataFrame({"unit_id": ["A"] * 3 + ["B"], "tanggal_masuk": pd.to_datetime(["2024-01-05"] * 4)})
    >>> service_users(files)[["unit_id", "tahun", "populasi"]].values.tolist()
    [['A', 2024, 3], ['B', 2024, 1]]
    """
    _frame(layanan, "layanan", ["tanggal_masuk"])
    keys = as_by(by)
    return _count(layanan, "layanan", keys, "populasi").sort_values(list(keys), kind="stable").reset_index(drop=True)


def complaint_rates(
    pengaduan: pd.DataFrame,
    layanan: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = ("unit_id", "tahun"),
    per: float = 1000,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Complaints per ``per`` service files, per group, with exact Poisson intervals.

    The rate is the number of complaints received in a group (unit, period) divided by the service
    files received there, times ``per``. Treating the files as the exposure and the complaint count as
    Poisson, the interval is Garwood's exact one: [chi2(a/2; 2k) / 2, chi2(1 - a/2; 2k + 2) / 2] / files x per
    (R ``poisson.test``). Complaints are rare (DOMAIN.md section 9), so counts are small and the
    exact interval, not a normal one, is needed.

    Parameters
    ----------
    pengaduan
        The ``pengaduan`` table (``tanggal_masuk`` and the ``by`` columns). Not modified.
    layanan
        The ``layanan`` table, whose files are counted the same way. Not modified.
    by
        Grouping columns present in (or, for periods, derivable from) both tables.
    per
        Files per rate unit (1,000 by default).
    alpha
        1 - confidence level.

    Returns
    -------
    One row per group found in either table: the keys, ``complaints``, ``files``, ``estimate`` (rate
    per ``per`` files), ``ci_low``, ``ci_high``, ``method`` and ``note`` (a group with complaints but no
    files has no rate).

    Examples
    --------
    >>> adu = pd.DataFrame({"unit_id": ["A", "A", "B"], "tanggal_masuk": pd.to_datetime(["2024-02-01"] * 3)})
    >>> files = pd.DataFrame({"unit_id": ["A"] * 4 + ["B"] * 2, "tanggal_masuk": pd.to_datetime(["2024-01-05"] * 6)})
    >>> complaint_rates(adu, files, by="unit_id")[["unit_id", "complaints", "files", "estimate"]]
      unit_id  complaints  files  estimate
    0       A           2      4     500.0
    1       B           1      2     500.0
    """
    alpha = check_alpha(alpha)
    if isinstance(per, bool) or not isinstance(per, (int, float)) or per <= 0:
        raise InvalidOptionError(f"per={per!r} is not allowed; give a positive number of files (e.g. 1000).")
    keys = as_by(by)
    _frame(pengaduan, "pengaduan", ["tanggal_masuk"])
    _frame(layanan, "layanan", ["tanggal_masuk"])
    complaints = _count(pengaduan, "pengaduan", keys, "complaints")
    files = _count(layanan, "layanan", keys, "files")
    if keys:
        out = complaints.merge(files, on=list(keys), how="outer", sort=True)
    else:
        out = pd.concat([complaints, files], axis=1)
    out["complaints"] = out["complaints"].fillna(0).astype(np.int64)
    out["files"] = out["files"].fillna(0).astype(np.int64)
    k, exposure = out["complaints"].to_numpy(dtype=float), out["files"].to_numpy(dtype=float)
    low, high = _poisson_interval(k, alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(exposure > 0, per / exposure, np.nan)
    out["estimate"] = k * scale
    out["ci_low"] = low * scale
    out["ci_high"] = high * scale
    out["method"] = f"exact Poisson (Garwood) {1 - alpha:.0%}, per {per:g} files received"
    out["note"] = np.where(exposure > 0, "", "no service files in the group: no rate")
    return out.reset_index(drop=True)


def u_chart(
    pengaduan: pd.DataFrame,
    layanan: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "unit_id",
    subgroup: str | Sequence[str] = "tahun",
    per: float = 1000,
    sigma: float = 3.0,
) -> pd.DataFrame:
    """u-chart of complaints per ``per`` files: one chart per ``by`` group, one point per subgroup.

    u_i = c_i / n_i for subgroup i (complaints over files); the centre line is u-bar = sum c / sum n
    over the chart's points and the limits u-bar +- sigma sqrt(u-bar / n_i) vary with each point's files
    (Montgomery, *Introduction to Statistical Quality Control*, section 7.3.2); the lower limit stops
    at 0. A point outside the limits is a signal worth a look, not a verdict. Use ``by="unit_id",
    subgroup="bulan"`` for one unit over time, or ``by="tahun", subgroup="unit_id"`` to compare units
    within a year.

    Parameters
    ----------
    pengaduan, layanan, per
        As in :func:`complaint_rates`.
    by
        Columns defining one chart (None: a single chart).
    subgroup
        Columns defining the points of a chart.
    sigma
        Width of the limits in standard errors (3 by default).

    Returns
    -------
    One row per chart and point with files: the keys, ``complaints``, ``files``, ``u``, ``center``,
    ``lcl``, ``ucl`` (all per ``per`` files) and ``signal`` ("above", "below" or "").

    Examples
    --------
    >>> days = pd.to_datetime(["2023-03-01"] + ["2024-03-01"] * 5)
    >>> adu = pd.DataFrame({"unit_id": ["A"] * 6, "tanggal_masuk": days})
    >>> received = pd.to_datetime(["2023-01-02", "2024-01-02"] * 100)
    >>> files = pd.DataFrame({"unit_id": ["A"] * 200, "tanggal_masuk": received})
    >>> u_chart(adu, files)[["tahun", "u", "center", "ucl"]].round(2)
       tahun     u  center    ucl
    0   2023  10.0    30.0  81.96
    1   2024  50.0    30.0  81.96
    """
    if isinstance(sigma, bool) or not isinstance(sigma, (int, float)) or sigma <= 0:
        raise InvalidOptionError(f"sigma={sigma!r} is not allowed; give a positive number (usually 3).")
    chart, points = as_by(by), as_by(subgroup)
    if not points or set(chart) & set(points):
        raise KinerjaDataError("u_chart: give subgroup columns, none of them also in by.")
    counts = complaint_rates(pengaduan, layanan, by=(*chart, *points), per=per)
    counts = counts.loc[counts["files"] > 0, [*chart, *points, "complaints", "files"]].reset_index(drop=True)
    c, n = counts["complaints"].to_numpy(dtype=float), counts["files"].to_numpy(dtype=float)
    ids = (
        counts.groupby(list(chart), dropna=False, sort=False).ngroup().to_numpy()
        if chart
        else np.zeros(len(counts), int)
    )
    center = (np.bincount(ids, weights=c) / np.bincount(ids, weights=n))[ids] if len(counts) else np.zeros(0)
    spread = sigma * np.sqrt(center / n)
    counts["u"] = c / n * per
    counts["center"] = center * per
    counts["lcl"] = np.maximum(center - spread, 0) * per
    counts["ucl"] = (center + spread) * per
    counts["signal"] = np.select([counts["u"] > counts["ucl"], counts["u"] < counts["lcl"]], ["above", "below"], "")
    return counts


def complaint_mix(
    pengaduan: pd.DataFrame,
    *,
    dimension: Dimension = "kategori",
    over: str = "tahun",
    by: str | Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Complaints by category (or channel) over time: counts and shares of each period, with Wilson intervals.

    Parameters
    ----------
    pengaduan
        The ``pengaduan`` table. Not modified.
    dimension
        ``"kategori"`` (topic) or ``"kanal"`` (channel: SP4N-LAPOR!, langsung, ...).
    over
        The period column (``tahun``, ``semester``, ``triwulan``, ``bulan`` are derived from ``tanggal_masuk``).
    by
        Further grouping columns, e.g. ``"unit_id"``.
    alpha
        1 - confidence level of the Wilson interval of each share.

    Returns
    -------
    One row per group, period and level (levels seen in any period are listed in every period, with 0):
    the keys, ``over``, the ``dimension`` column, ``n`` (complaints), ``total`` (complaints in the group and
    period), ``estimate`` (share n / total), ``ci_low``, ``ci_high`` and ``method``. A blank level is
    shown as "(kosong)".

    Examples
    --------
    >>> adu = pd.DataFrame({"kanal": ["langsung", "telepon", "langsung"],
    ...                     "tanggal_masuk": pd.to_datetime(["2023-01-02", "2023-05-02", "2024-01-02"])})
    >>> complaint_mix(adu, dimension="kanal")[["tahun", "kanal", "n", "total", "estimate"]]
       tahun     kanal  n  total  estimate
    0   2023  langsung  1      2       0.5
    1   2023   telepon  1      2       0.5
    2   2024  langsung  1      1       1.0
    3   2024   telepon  0      1       0.0
    """
    alpha = check_alpha(alpha)
    check_option("dimension", dimension, ("kategori", "kanal"))
    keys = as_by(by)
    if not isinstance(over, str) or over in keys or over == dimension or dimension in keys:
        raise KinerjaDataError(f"complaint_mix: over={over!r}, by={keys!r} and dimension={dimension!r} must differ.")
    frame = _frame(pengaduan, "pengaduan", ["tanggal_masuk", dimension])
    counts = _count(frame, "pengaduan", (*keys, over, dimension), "n")
    counts[dimension] = counts[dimension].astype("object").fillna("(kosong)").astype("str")
    groups = counts[[*keys, over]].drop_duplicates()
    levels = pd.DataFrame({dimension: sorted(counts[dimension].unique())})
    grid = groups.merge(levels, how="cross")
    out = grid.merge(counts, on=[*keys, over, dimension], how="left")
    out["n"] = out["n"].fillna(0).astype(np.int64)
    out["total"] = out.groupby([*keys, over], dropna=False)["n"].transform("sum").astype(np.int64)
    out["estimate"] = out["n"] / out["total"]
    low, high = proportion_confint(out["n"].to_numpy(), out["total"].to_numpy(), alpha=alpha, method="wilson")
    out["ci_low"], out["ci_high"] = low, high
    out["method"] = f"share of the period's complaints, Wilson {1 - alpha:.0%}"
    return out.sort_values([*keys, over, dimension], kind="stable").reset_index(drop=True)
