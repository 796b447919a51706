"""Time to resolve complaints: Kaplan-Meier in working days, open complaints censored at ``as_of``.

Rules [decided here]:

- A complaint counts if it was received on or before ``as_of``.
- It is resolved when ``tanggal_selesai`` is present and not after ``as_of``; its time is the number of
  working days in [tanggal_masuk, tanggal_selesai) (:mod:`kinerja_analysis.common.workdays`: Monday-Friday
  less libur nasional, a same-day answer takes 0 days).
- Otherwise it is still open on ``as_of`` and censored at the working days in [tanggal_masuk, as_of):
  known to take longer than that, not dropped (dropping open complaints would make handling look
  faster than it is). A status of "selesai" without ``tanggal_selesai`` cannot be placed and is refused.
- The usual handling limit is 14 working days (DOMAIN.md section 9) [firm that it is usual; a parameter].

The estimator is :func:`kinerja_analysis.common.survival.kaplan_meier` (Greenwood variance, log(-log) bounds,
as lifelines), shared with the service KPIs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_alpha
from kinerja_analysis.common.survival import kaplan_meier, km_median
from kinerja_analysis.common.workdays import calendar_text, working_days_between
from kinerja_analysis.feedback.complaints import _frame
from kinerja_analysis.feedback.survey_frame import as_by

__all__ = ["resolution_times", "complaint_survival", "complaint_resolution"]

_PERIODS = {"tahun": "Y", "bulan": "M"}


def _as_of(as_of: object) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as error:
        raise InvalidOptionError(f"as_of={as_of!r} is not a date.") from error
    if pd.isna(stamp):
        raise InvalidOptionError(
            "as_of is required: the date the data were extracted (open complaints are censored there)."
        )
    return stamp.normalize()


def resolution_times(
    pengaduan: pd.DataFrame,
    *,
    as_of: object,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Working days each complaint took, or has been open, on ``as_of`` (one row per complaint kept).

    Parameters
    ----------
    pengaduan
        The ``pengaduan`` table (``tanggal_masuk``, ``tanggal_selesai``, ``status``). Not modified.
    as_of
        The extraction date; complaints received later are left out.
    cuti_bersama, holidays
        The working-day calendar (:func:`kinerja_analysis.common.workdays.holiday_dates`).

    Returns
    -------
    The kept rows of ``pengaduan`` (same index and columns) plus ``days`` (working days, whole numbers)
    and ``resolved`` (True if resolved by ``as_of``, False if censored there). ``tahun`` (integer) and
    ``bulan`` (pandas Period) of ``tanggal_masuk`` are added when absent, for grouping.

    Examples
    --------
    Received Wednesday 16 August 2023; 17 August is a holiday; answered Monday 21 August: 2 working days.

    >>> adu = pd.DataFrame({"tanggal_masuk": pd.to_datetime(["2023-08-16", "2023-08-16"]),
    ...                     "tanggal_selesai": pd.to_datetime(["2023-08-21", None]), "status": ["selesai", "proses"]})
    >>> resolution_times(adu, as_of="2023-08-23")[["days", "resolved"]]
       days  resolved
    0     2      True
    1     4     False
    """
    frame = _frame(pengaduan, "pengaduan", ["tanggal_masuk", "tanggal_selesai"])
    stamp = _as_of(as_of)
    masuk = pd.to_datetime(frame["tanggal_masuk"])
    selesai = pd.to_datetime(frame["tanggal_selesai"])
    if masuk.isna().any():
        rows = ", ".join(map(str, frame.index[masuk.isna()][:5]))
        raise KinerjaDataError(
            f"pengaduan.tanggal_masuk: missing for rows with index {rows}; every complaint needs it."
        )
    if "status" in frame.columns:
        undated = (frame["status"].astype("object") == "selesai") & selesai.isna()
        if undated.any():
            rows = ", ".join(map(str, frame.index[undated.to_numpy(dtype=bool)][:5]))
            raise KinerjaDataError(
                f"pengaduan: {int(undated.sum())} complaint(s) are 'selesai' without tanggal_selesai (rows with index "
                f"{rows}); give the date, or set the status to 'proses' if they are still open."
            )
    keep = (masuk <= stamp).to_numpy()
    out = frame.loc[keep].copy()
    masuk, selesai = masuk[keep], selesai[keep]
    resolved = (selesai.notna() & (selesai <= stamp)).to_numpy()
    end = selesai.where(resolved, stamp)
    if (end < masuk).any():
        rows = ", ".join(map(str, out.index[(end < masuk).to_numpy()][:5]))
        raise KinerjaDataError(
            f"pengaduan: tanggal_selesai before tanggal_masuk for rows with index {rows}; correct them."
        )
    days = working_days_between(masuk, end, cuti_bersama=cuti_bersama, holidays=holidays)
    out["days"] = days.astype(np.int64)
    out["resolved"] = resolved
    for name, freq in _PERIODS.items():
        if name not in out.columns:
            out[name] = masuk.dt.year.astype(np.int64) if freq == "Y" else masuk.dt.to_period("M")
    return out


def _km_table(times: pd.DataFrame, keys: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Count table per group and day: resolved (events) and censored; with group ids and the group keys."""
    for k in keys:
        if k not in times.columns:
            raise MissingColumnError(f"pengaduan: no column {k!r} to group by.")
    frame = times.assign(_event=times["resolved"].astype(np.int64), _cens=(~times["resolved"]).astype(np.int64))
    grouped = frame.groupby([*keys, "days"], dropna=False, sort=True, observed=True)[["_event", "_cens"]].sum()
    table = grouped.reset_index()
    group_ids = (
        table.groupby(list(keys), dropna=False, sort=False).ngroup().to_numpy() if keys else np.zeros(len(table), int)
    )
    groups = table[list(keys)].drop_duplicates().reset_index(drop=True) if keys else pd.DataFrame(index=range(1))
    return table, group_ids, groups


def complaint_survival(
    pengaduan: pd.DataFrame,
    *,
    as_of: object,
    by: str | Sequence[str] | None = None,
    alpha: float = 0.05,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Kaplan-Meier curve of complaints still open after t working days, per group.

    Parameters
    ----------
    pengaduan, as_of, cuti_bersama, holidays
        As in :func:`resolution_times`.
    by
        Grouping columns of ``pengaduan`` (``tahun`` and ``bulan`` of receipt are available).
    alpha
        1 - confidence level of the log(-log) bands.

    Returns
    -------
    One row per group and day with a resolution or a censoring: the keys, ``days``, ``n_at_risk``,
    ``resolved``, ``censored``, ``estimate`` (share still open after ``days``), ``ci_low``, ``ci_high``
    and ``method``.
    """
    alpha = check_alpha(alpha)
    keys = as_by(by)
    times = resolution_times(pengaduan, as_of=as_of, cuti_bersama=cuti_bersama, holidays=holidays)
    table, ids, _ = _km_table(times, keys)
    km = kaplan_meier(ids, table["days"].to_numpy(), table["_event"].to_numpy(), table["_cens"].to_numpy(), alpha=alpha)
    out = table[[*keys, "days"]].copy()
    out["n_at_risk"] = km["n_at_risk"].astype(np.int64)
    out["resolved"] = table["_event"].to_numpy()
    out["censored"] = table["_cens"].to_numpy()
    out["estimate"] = km["survival"]
    out["ci_low"] = km["ci_low"]
    out["ci_high"] = km["ci_high"]
    calendar = calendar_text(cuti_bersama=cuti_bersama, holidays=holidays)
    out["method"] = f"Kaplan-Meier, Greenwood log(-log) {1 - alpha:.0%}; {calendar}"
    return out


def complaint_resolution(
    pengaduan: pd.DataFrame,
    *,
    as_of: object,
    by: str | Sequence[str] | None = None,
    limit_days: int = 14,
    alpha: float = 0.05,
    cuti_bersama: bool = False,
    holidays: Sequence[date] | None = None,
) -> pd.DataFrame:
    """Per group: median working days to resolution and the share resolved within the limit, from Kaplan-Meier.

    Parameters
    ----------
    pengaduan, as_of, cuti_bersama, holidays
        As in :func:`resolution_times`.
    by
        Grouping columns (e.g. ``"unit_id"``, ``"tahun"`` of receipt).
    limit_days
        Handling limit in working days (14, the usual limit).
    alpha
        1 - confidence level.

    Returns
    -------
    One row per group: the keys, ``n``, ``resolved``, ``open``, ``open_over_limit`` (open on ``as_of`` for
    more than the limit), ``median_days`` with ``median_ci_low`` / ``median_ci_high`` (missing where the
    curve or a band never falls to one half), ``share_within_limit`` = 1 - S(limit) with
    ``share_ci_low`` / ``share_ci_high``, ``limit_days``, ``method`` and ``note``.

    Examples
    --------
    >>> adu = pd.DataFrame({"tanggal_masuk": pd.to_datetime(["2024-03-04"] * 4),
    ...                     "tanggal_selesai": pd.to_datetime(["2024-03-05", "2024-03-08", "2024-03-29", None])})
    >>> r = complaint_resolution(adu, as_of="2024-04-30", holidays=[])
    >>> r[["n", "resolved", "open", "median_days", "share_within_limit"]]
       n  resolved  open  median_days  share_within_limit
    0  4         3     1          4.0                 0.5
    """
    alpha = check_alpha(alpha)
    if isinstance(limit_days, bool) or not isinstance(limit_days, (int, np.integer)) or limit_days < 0:
        raise InvalidOptionError(f"limit_days={limit_days!r} is not allowed; give whole working days, 0 or more.")
    keys = as_by(by)
    times = resolution_times(pengaduan, as_of=as_of, cuti_bersama=cuti_bersama, holidays=holidays)
    table, ids, groups = _km_table(times, keys)
    t = table["days"].to_numpy()
    km = kaplan_meier(ids, t, table["_event"].to_numpy(), table["_cens"].to_numpy(), alpha=alpha)
    curves = {name: km[name] for name in ("survival", "ci_low", "ci_high")}
    median = km_median(ids, t, curves["survival"], curves["ci_low"], curves["ci_high"], n_groups=len(groups))
    # S(limit): the curve's value at the last time not after the limit (1 before the first time)
    at_or_before = np.where(t <= limit_days, np.arange(len(t)), -1)
    last = pd.Series(at_or_before).groupby(ids).max().reindex(range(len(groups)), fill_value=-1).to_numpy()
    pick = lambda values: np.where(last >= 0, values[np.maximum(last, 0)], 1.0)  # noqa: E731
    out = groups.copy()
    events = np.bincount(ids, weights=table["_event"].to_numpy(), minlength=len(groups)).astype(np.int64)
    censored = np.bincount(ids, weights=table["_cens"].to_numpy(), minlength=len(groups)).astype(np.int64)
    over = np.bincount(ids, weights=table["_cens"].to_numpy() * (t > limit_days), minlength=len(groups))
    out["n"] = events + censored
    out["resolved"] = events
    out["open"] = censored
    out["open_over_limit"] = over.astype(np.int64)
    out["median_days"] = median["estimate"]
    out["median_ci_low"] = median["ci_low"]
    out["median_ci_high"] = median["ci_high"]
    out["share_within_limit"] = 1 - pick(curves["survival"])
    out["share_ci_low"] = 1 - pick(curves["ci_high"])
    out["share_ci_high"] = 1 - pick(curves["ci_low"])
    out["limit_days"] = int(limit_days)
    calendar = calendar_text(cuti_bersama=cuti_bersama, holidays=holidays)
    out["method"] = f"Kaplan-Meier, Greenwood log(-log) {1 - alpha:.0%}, open complaints censored at as_of; {calendar}"
    out["note"] = np.where(median["reached"], "", "fewer than half resolved: median not reached")
    return out
