"""One row per unit and year: what citizens said, how the unit served, and how its employees were rated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.appraisal import top_predikat_share
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.data.views import kinerja_units
from kinerja_analysis.feedback import complaint_rates, ikm
from kinerja_analysis.service import processing_time, sla_compliance
from kinerja_analysis.supervision._inputs import (
    check_min_n,
    require_columns,
    require_rows,
    resolve_years,
    years_text,
)

__all__ = ["SignalWeight", "SIGNAL_COLUMNS", "unit_year_signals"]

SignalWeight = Literal["exact", "0.111", "0.11"]
_WEIGHTS = ("exact", "0.111", "0.11")
_KEYS = ["unit_id", "tahun"]
_ANALYSIS = "unit_year_signals"

SIGNAL_COLUMNS = ("ikm", "complaints_per_1000", "sla_share", "hari_median", "top_share")
"""The value columns of :func:`unit_year_signals` that :func:`feedback_to_appraisal` can relate."""

# value column, its count column, and how the count is named in a note
_GATES = (
    ("ikm", "ikm_n", "survey responses"),
    ("complaints_per_1000", "files", "service files"),
    ("sla_share", "sla_n", "cases judged against the standard"),
    ("hari_median", "hari_n", "closed cases"),
    ("top_share", "n_pegawai", "employees with an annual predikat"),
)


def _keyed(frame: pd.DataFrame, columns: dict[str, str], years: Sequence[int]) -> pd.DataFrame:
    """``frame`` reduced to the unit-year keys (unit_id as text, tahun as int64) and renamed columns."""
    out = frame[[*_KEYS, *columns]].rename(columns=columns)
    out = out.loc[out["unit_id"].notna() & out["tahun"].notna()].copy()
    out["unit_id"] = out["unit_id"].astype("str")
    out["tahun"] = out["tahun"].astype("int64")
    return out.loc[out["tahun"].isin(years)]


def unit_year_signals(
    dataset: Dataset,
    *,
    years: Sequence[int] | None = None,
    weight: SignalWeight = "exact",
    min_n: int = 10,
) -> pd.DataFrame:
    """Citizen feedback, service KPIs and the share of top predikat of each unit in each year, side by side.

    Every figure comes from the function that owns it: the IKM from :func:`kinerja_analysis.feedback.ikm`
    (PermenPANRB 14/2017; year of the response's ``tanggal``), complaints per 1,000 service files from
    :func:`kinerja_analysis.feedback.complaint_rates` (year of ``tanggal_masuk``), the SLA share from
    :func:`kinerja_analysis.service.sla_compliance` and the median processing time in working days of closed
    cases from :func:`kinerja_analysis.service.processing_time` (both by year of ``tanggal_masuk``, ``as_of``
    the latest date in ``layanan``), and the share of employees rated Sangat Baik from
    :func:`kinerja_analysis.appraisal.top_predikat_share` (annual rows, ``periode`` tahunan).

    Regimes are kept apart: predikat exist from 2022 (PermenPANRB 6/2022), so only years from 2022 are
    compared; earlier years hold PP 46/2011 scores, a different measurement, and are refused. An
    appraisal is placed in the employee's *current* unit (:func:`kinerja_analysis.data.views.kinerja_units`:
    ``pegawai`` has no posting history), which misplaces the earlier rows of staff who moved.

    Parameters
    ----------
    dataset
        A loaded dataset with ``kinerja``, ``pegawai``, ``unit_kerja``, ``survei``, ``layanan`` and
        ``pengaduan``. Not modified.
    years
        Years to include, all from 2022; None (default) takes every year from 2022 in ``kinerja``.
    weight
        IKM item weight: ``"exact"`` (1/9, default), ``"0.111"`` or ``"0.11"`` (DOMAIN.md 6).
    min_n
        A value resting on fewer than ``min_n`` observations is withheld (NaN) and the reason put in
        ``note``: the IKM below ``min_n`` complete responses, the complaint rate below ``min_n`` files, the
        SLA share and median below ``min_n`` cases, and ``top_share`` below ``min_n`` employees (a share
        of a handful of named people's ratings is personal data, DOMAIN.md 7). The counts stay.

    Returns
    -------
    DataFrame
        One row per unit and year present in any of the tables (within ``years``), sorted by
        ``unit_id`` and ``tahun``:

        - ``unit_id``, ``tahun``;
        - ``ikm`` (25-100) and ``ikm_n`` (complete survey responses);
        - ``complaints``, ``files`` (service files received) and ``complaints_per_1000``;
        - ``sla_share`` (share of cases within ``standar_hari``) and ``sla_n`` (cases judged);
        - ``hari_median`` (median working days of closed cases) and ``hari_n`` (closed cases);
        - ``top_share`` (share of employees with predikat Sangat Baik) and ``n_pegawai`` (employees with
          an annual predikat in the unit that year);
        - ``note`` (values withheld and why; "" when none) and ``method``.

        Counts are 0 where a table has no row for the unit and year.

    Raises
    ------
    MissingTableError
        When one of the six tables is absent or has no accepted row.
    MissingColumnError
        When a table lacks a column the figures need.
    KinerjaDataError
        When ``years`` names a year before 2022, or no year from 2022 is in the data.
    """
    check_option("weight", weight, _WEIGHTS)
    min_n = check_min_n(min_n)
    dataset.require("kinerja", "pegawai", "unit_kerja", "survei", "layanan", "pengaduan", analysis=_ANALYSIS)
    require_columns(dataset.kinerja, "kinerja", ["nip", "tahun", "predikat"], analysis=_ANALYSIS)
    require_columns(dataset.survei, "survei", ["unit_id", "tanggal"], analysis=_ANALYSIS)
    require_columns(dataset.pengaduan, "pengaduan", ["unit_id", "tanggal_masuk"], analysis=_ANALYSIS)
    cases = ["unit_id", "tanggal_masuk", "tanggal_selesai", "standar_hari", "status"]
    require_columns(dataset.layanan, "layanan", cases, analysis=_ANALYSIS)
    appraisals = kinerja_units(dataset)
    chosen = resolve_years(years, appraisals["tahun"], analysis=_ANALYSIS)
    present = appraisals["tahun"]
    appraisals = appraisals.loc[present.isin(chosen).fillna(False).to_numpy()]
    require_rows(appraisals, chosen, present, analysis=_ANALYSIS)

    top = top_predikat_share(appraisals, by=_KEYS, top=("Sangat Baik",))
    index = ikm(dataset.survei, by=_KEYS, weight=weight)
    complaints = complaint_rates(dataset.pengaduan, dataset.layanan, by=_KEYS)
    sla = sla_compliance(dataset.layanan, by=_KEYS)
    times = processing_time(dataset.layanan, by=_KEYS, quantiles=(0.5,))
    parts = [
        _keyed(index, {"estimate": "ikm", "n": "ikm_n"}, chosen),
        _keyed(complaints, {"complaints": "complaints", "files": "files", "estimate": "complaints_per_1000"}, chosen),
        _keyed(sla, {"estimate": "sla_share", "n": "sla_n"}, chosen),
        _keyed(times, {"estimate": "hari_median", "n": "hari_n"}, chosen),
        _keyed(top, {"estimate": "top_share", "n": "n_pegawai"}, chosen),
    ]
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part, on=_KEYS, how="outer", validate="one_to_one")
    out = out.sort_values(_KEYS, kind="stable").reset_index(drop=True)
    notes: list[list[str]] = [[] for _ in range(len(out))]
    for value, count, what in _GATES:
        counts = out[count].fillna(0).astype("int64")
        out[count] = counts
        values = out[value].astype("float64")
        small = (counts < min_n).to_numpy()
        for i in np.flatnonzero(small & (counts.to_numpy() > 0)):
            notes[i].append(f"{value} withheld: {counts.iloc[i]} {what} < min_n {min_n}")
        out[value] = values.mask(small)
    out["complaints"] = out["complaints"].fillna(0).astype("int64")
    out["note"] = pd.Series(["; ".join(n) for n in notes], index=out.index, dtype="str")
    out["method"] = (
        f"unit-years {years_text(chosen)}: PermenPANRB 6/2022 predikat only (PP 46/2011 years kept apart); "
        f"IKM PermenPANRB 14/2017, weight {index['weight'].iloc[0] if len(index) else weight}, year of tanggal; "
        "complaints per 1,000 service files received, SLA share (open cases past standar_hari late) and median "
        "working days of closed cases, year of tanggal_masuk, as_of the latest date in layanan; top_share = share "
        "Sangat Baik of annual predikat, employees in their current unit; values on fewer than "
        f"{min_n} responses, files, cases or employees withheld"
    )
    columns = ["unit_id", "tahun", "ikm", "ikm_n", "complaints", "files", "complaints_per_1000", "sla_share", "sla_n",
               "hari_median", "hari_n", "top_share", "n_pegawai", "note", "method"]  # fmt: skip
    return out[columns]
