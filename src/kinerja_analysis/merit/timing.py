"""Time to promotion with ratings that change over time: a Cox model with time-varying covariates.

The second view of merit against seniority. Instead of asking who won among given candidates, it
follows every PNS in post from the start of the study (or appointment) to their first selection for a
promotion, their exit, or the end of the study, and asks how the hazard of being promoted depends on
what was known at the time. Each employee-year is a row (counting-process form, start and stop in
years since the study start): the covariates are those known on 1 January of that year (the previous
year's annual appraisal, the previous calendar year's JP, years of service and age on 1 January), so a
rating that improves in 2023 changes the hazard from 2024 on. The time scale is calendar time, so
seniority is a covariate and not the clock.

The model is Cox's proportional hazards with Efron's ties, fitted by statsmodels ``PHReg`` with entry
times (left truncation): an employee enters the risk set at the start of each of their rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.hazard_regression import PHReg

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data import schema
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.merit.design import YEAR_DAYS, _annual_appraisals

__all__ = ["promotion_intervals", "promotion_timing", "TIMING_TERMS"]

TIMING_TERMS: tuple[str, ...] = ("predikat_sangat_baik", "pp46_sangat_baik", "jp_tahun_lalu", "masa_kerja_tahun",
                                 "usia_tahun", "perempuan")  # fmt: skip
"""Default covariates: a top appraisal in either regime (the year before), JP in the previous calendar year,
years of service and age on 1 January, and sex."""


def promotion_intervals(
    dataset: Dataset,
    *,
    jenis: tuple[str, ...] = ("promosi",),
    start: int | None = None,
    end: int | None = None,
    status: tuple[str, ...] = ("pns",),
) -> pd.DataFrame:
    """Employee-year rows in counting-process form for :func:`promotion_timing`.

    Parameters
    ----------
    jenis
        Which selections count as a promotion (default ``promosi``); the event is the first date the
        employee was chosen in one.
    start, end
        First and last calendar year followed; by default the years of the ``seleksi`` table.
    status
        Who is followed (default PNS: PPPK are not promoted into posts).

    Returns
    -------
    DataFrame
        ``nip``, ``tahun``, ``start`` and ``stop`` (years since 1 January of ``start``), ``event`` (1 in the
        row where the first promotion happens, after which the employee leaves), ``instansi`` (when
        ``unit_kerja`` is given), and the covariates ``predikat_sangat_baik``, ``predikat_di_bawah_baik``,
        ``pp46_sangat_baik``, ``pp46_di_bawah_baik``, ``penilaian_kosong`` (the annual appraisal of the
        previous year, coded as in :mod:`~kinerja_analysis.merit.design`), ``jp_tahun_lalu``,
        ``masa_kerja_tahun``, ``usia_tahun``, ``perempuan``.
    """
    for j in jenis:
        check_option("jenis", j, schema.JENIS_SELEKSI)
    dataset.require("pegawai", "seleksi", analysis="promotion_timing")
    sel = dataset.seleksi
    first_year, last_year = int(sel["tanggal"].dt.year.min()), int(sel["tanggal"].dt.year.max())
    start = first_year if start is None else start
    end = last_year if end is None else end
    if not (isinstance(start, int) and isinstance(end, int)) or start > end:
        raise InvalidOptionError(f"start={start!r}, end={end!r}: give whole years with start <= end.")
    origin = pd.Timestamp(f"{start}-01-01")
    chosen = sel.loc[sel["terpilih"].fillna(False).astype(bool) & sel["jenis"].astype("object").isin(list(jenis))
                     & (sel["tanggal"] >= origin)]  # fmt: skip
    first = chosen.groupby("nip")["tanggal"].min()
    peg = dataset.pegawai
    peg = peg.loc[peg["status"].astype("object").isin(list(status))]
    years = np.arange(start, end + 1)
    base = peg[["nip", "jenis_kelamin", "tanggal_lahir", "tmt_cpns", "unit_id"]].merge(
        pd.DataFrame({"tahun": years}), how="cross"
    )
    y0 = pd.to_datetime(base["tahun"].astype("str") + "-01-01")
    y1 = pd.to_datetime((base["tahun"] + 1).astype("str") + "-01-01")
    gone = base["nip"].map(peg.set_index("nip")["tanggal_keluar"]) if "tanggal_keluar" in peg.columns else y1
    event_date = base["nip"].map(first)
    enter = base["tmt_cpns"].where(base["tmt_cpns"] > y0, y0)
    leave = pd.concat([y1, gone, event_date], axis=1).min(axis=1)
    event = ((event_date >= enter) & (event_date == leave) & (event_date < y1)).fillna(False).to_numpy(dtype=bool)
    # A row is followed while the employee is in post and not yet promoted; an event on the day of entry
    # still counts (its row gets one day, as a zero-length row has no risk time).
    keep = (leave > enter).to_numpy(dtype=bool) | event
    base, enter, leave, event = base[keep], enter[keep], leave[keep], event[keep]
    stop = leave.where(leave > enter, enter + pd.Timedelta(days=1))
    out = pd.DataFrame({
        "nip": base["nip"].to_numpy(), "tahun": base["tahun"].to_numpy(),
        "start": ((enter - origin).dt.days / YEAR_DAYS).to_numpy(),
        "stop": ((stop - origin).dt.days / YEAR_DAYS).to_numpy(),
        "event": event.astype("int64"),
    })  # fmt: skip
    if dataset.unit_kerja is not None:
        out["instansi"] = base["unit_id"].map(dataset.unit_kerja.set_index("unit_id")["instansi"]).to_numpy()
    appraisal_cols = ("predikat_sangat_baik", "predikat_di_bawah_baik", "pp46_sangat_baik", "pp46_di_bawah_baik")
    for col in appraisal_cols:
        out[col] = 0.0
    out["penilaian_kosong"] = 1.0
    if dataset.kinerja is not None and len(dataset.kinerja):
        app = _annual_appraisals(dataset.kinerja, periodic_rule=None, pp46_boundaries="lower_inclusive")
        app = app.assign(tahun=app["tahun"] + 1)  # the previous year's appraisal is known during this year
        merged = out[["nip", "tahun"]].merge(app, on=["nip", "tahun"], how="left")
        label, new = merged["penilaian"], (merged["regime"] == "permenpanrb_6_2022").to_numpy()
        out["predikat_sangat_baik"] = (new & (label == "Sangat Baik").to_numpy()).astype("float64")
        out["predikat_di_bawah_baik"] = (
            new & label.isin(["Butuh Perbaikan", "Kurang", "Sangat Kurang"]).to_numpy()
        ).astype("float64")
        old = (merged["regime"] == "pp46_2011").to_numpy()
        out["pp46_sangat_baik"] = (old & (label == "Sangat Baik").to_numpy()).astype("float64")
        out["pp46_di_bawah_baik"] = (old & label.isin(["Cukup", "Kurang", "Buruk"]).to_numpy()).astype("float64")
        out["penilaian_kosong"] = label.isna().to_numpy().astype("float64")
    out["jp_tahun_lalu"] = 0.0
    if dataset.pelatihan is not None:
        jp = dataset.pelatihan.assign(tahun=dataset.pelatihan["tanggal_selesai"].dt.year + 1)
        jp = jp.groupby(["nip", "tahun"])["jp"].sum().astype("float64").rename("jp").reset_index()
        out["jp_tahun_lalu"] = (
            out[["nip", "tahun"]].merge(jp, on=["nip", "tahun"], how="left")["jp"].fillna(0.0).to_numpy()
        )
    y0v = pd.to_datetime(pd.Series(out["tahun"]).astype("str") + "-01-01")
    out["masa_kerja_tahun"] = ((y0v - base["tmt_cpns"].to_numpy()).dt.days / YEAR_DAYS).clip(lower=0).to_numpy()
    out["usia_tahun"] = ((y0v - base["tanggal_lahir"].to_numpy()).dt.days / YEAR_DAYS).to_numpy()
    out["perempuan"] = (base["jenis_kelamin"].astype("object") == "P").to_numpy().astype("float64")
    return out.sort_values(["nip", "tahun"]).reset_index(drop=True)


def promotion_timing(
    intervals: pd.DataFrame,
    *,
    terms: Sequence[str] = TIMING_TERMS,
    ties: Literal["efron", "breslow"] = "efron",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Cox model of the time to first promotion with time-varying covariates, as a tidy table.

    Parameters
    ----------
    intervals
        From :func:`promotion_intervals` (or built alike: ``nip``, ``start``, ``stop``, ``event`` and the terms).
    terms
        Covariate columns.
    ties
        Efron (default, as lifelines) or Breslow handling of promotions on the same day.

    Returns
    -------
    DataFrame
        One row per term: ``term``, ``estimate`` (log hazard ratio), ``std_error``, ``hazard_ratio``,
        ``ci_low`` / ``ci_high`` (Wald, log scale), ``hr_ci_low`` / ``hr_ci_high``, ``p_value``,
        ``n_employees``, ``n_events``, ``method``.
    """
    check_option("ties", ties, ("efron", "breslow"))
    if isinstance(alpha, bool) or not isinstance(alpha, float | int) or not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} is not allowed; choose a number between 0 and 1.")
    terms = list(terms)
    missing = [c for c in ("nip", "start", "stop", "event", *terms) if c not in intervals.columns]
    if missing:
        raise MissingColumnError(f"the intervals lack column(s) {missing}; build them with promotion_intervals().")
    x = intervals[terms].to_numpy(dtype="float64")
    bad = ~np.isfinite(x).all(axis=1) | ~(intervals["stop"] > intervals["start"]).to_numpy()
    if bad.any():
        rows = intervals.index[bad].tolist()[:10]
        raise KinerjaDataError(f"intervals rows {rows} have a missing term or stop <= start; correct or drop them.")
    events = int(intervals["event"].sum())
    if events == 0:
        raise KinerjaDataError("no promotion happens in the intervals: nothing to model.")
    model = PHReg(intervals["stop"].to_numpy(dtype="float64"), x, status=intervals["event"].to_numpy(dtype="float64"),
                  entry=intervals["start"].to_numpy(dtype="float64"), ties=ties)  # fmt: skip
    result = model.fit()
    est, se = np.asarray(result.params), np.asarray(result.bse)
    z = stats.norm.ppf(1 - alpha / 2)
    out = pd.DataFrame({"term": terms, "estimate": est, "std_error": se, "hazard_ratio": np.exp(est),
                        "ci_low": est - z * se, "ci_high": est + z * se})  # fmt: skip
    out["hr_ci_low"], out["hr_ci_high"] = np.exp(out["ci_low"]), np.exp(out["ci_high"])
    out["p_value"] = 2 * stats.norm.sf(np.abs(est / se))
    out["n_employees"] = intervals["nip"].nunique()
    out["n_events"] = events
    out["method"] = (f"Cox proportional hazards with time-varying covariates (counting process, entry times), "
                     f"{ties.capitalize()} ties, statsmodels PHReg; Wald {1 - alpha:.0%} intervals")  # fmt: skip
    return out
