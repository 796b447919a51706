"""The employee-year panel for training-impact analysis: outcomes, the training cohort and covariates.

One row per employee (``nip``) and year in which the employee was in post on at least one day. It joins
``pegawai`` and ``unit_kerja`` (covariates), ``pelatihan`` (JP of the year, and the cohort: the first
year of the training that is the treatment), ``layanan`` through :func:`kinerja_analysis.service.employee.employee_kpi`
(service outcomes) and the annual ``kinerja`` rows (appraisal outcomes).

The appraisal regime change is explicit [decided here]: an appraisal outcome is defined within one
regime only. ``sangat_baik`` (1 if the annual predikat is Sangat Baik) exists from 2022 (PermenPANRB
6/2022) and is missing before; ``nilai_skp`` (PP 46/2011 score) exists up to 2021 and is missing after.
``regime`` names the regime of the row. A difference-in-differences on ``sangat_baik`` therefore uses
2022 onwards, where cohorts trained before 2022 have no untreated year and drop out (``staggered_did``
refuses them, or leaves them out with ``incomplete="drop"``).

The panel holds NIPs: personal data (UU 27/2022). Publish only aggregates, through
:mod:`kinerja_analysis.common.privacy`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.data.regimes import regime
from kinerja_analysis.service.employee import employee_kpi

__all__ = ["PROGRAMME", "employee_year_panel", "restrict_years", "treatment_cohorts"]

PROGRAMME: dict[str, str] = {"nama_pelatihan": "Pelatihan Pelayanan Publik Prima dan Manajemen Waktu"}
"""The treatment of the synthetic Plaju data (see ``data/demo/ground_truth.json``), for ``treatment=``."""

_PANEL_TRAINING = ("penyelenggara", "topik", "jenis")


def treatment_cohorts(pelatihan: pd.DataFrame, *, treatment: Mapping[str, str | Sequence[str]]) -> pd.DataFrame:
    """First treatment training of each employee: its year (the cohort) and who gave it, on what.

    Parameters
    ----------
    pelatihan
        The ``pelatihan`` table; not modified.
    treatment
        Which trainings are the treatment: for each column, the value or values a row must have, e.g.
        ``{"nama_pelatihan": "..."}`` or ``{"topik": ["pelayanan publik", "manajemen waktu"]}``; a row
        must match every column given.

    Returns
    -------
    DataFrame
        One row per treated ``nip``: ``cohort`` (year of the earliest ``tanggal_mulai``),
        ``penyelenggara``, ``topik``, ``jenis`` and ``jp`` of that first training.
    """
    if not treatment:
        raise KinerjaDataError("treatment= must name at least one column of pelatihan and its value(s).")
    absent = [c for c in treatment if c not in pelatihan.columns]
    if absent:
        raise MissingColumnError(f"treatment= names columns {absent} that pelatihan does not have.")
    match = np.ones(len(pelatihan), dtype=bool)
    for column, wanted in treatment.items():
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        match &= pelatihan[column].isin(values).to_numpy()
    rows = pelatihan.loc[match & pelatihan["tanggal_mulai"].notna().to_numpy()]
    if rows.empty:
        raise KinerjaDataError(f"no pelatihan row matches treatment={dict(treatment)!r}; check the names and values.")
    first = rows.sort_values(["nip", "tanggal_mulai"], kind="stable").drop_duplicates("nip")
    out = first.loc[:, ["nip", *_PANEL_TRAINING, "jp"]].reset_index(drop=True)
    out.insert(1, "cohort", first["tanggal_mulai"].dt.year.to_numpy().astype(np.int64))
    return out


def _years(data: Dataset, years: tuple[int, int] | None) -> np.ndarray:
    if years is not None:
        first, last = years
        if first > last:
            raise KinerjaDataError(f"years={years!r}: the first year comes after the last.")
        return np.arange(first, last + 1)
    seen: list[int] = []
    if data.kinerja is not None and len(data.kinerja):
        seen += [int(data.kinerja["tahun"].min()), int(data.kinerja["tahun"].max())]
    if data.layanan is not None and len(data.layanan):
        seen += [int(data.layanan["tanggal_masuk"].dt.year.min()), int(data.layanan["tanggal_masuk"].dt.year.max())]
    if not seen:
        seen = [int(data.pelatihan["tanggal_mulai"].dt.year.min()), int(data.pelatihan["tanggal_mulai"].dt.year.max())]
    return np.arange(min(seen), max(seen) + 1)


def _in_post(pegawai: pd.DataFrame, years: np.ndarray) -> pd.DataFrame:
    """Employee-years in post on at least one day, with age and years of service on 30 June."""
    start = pegawai["tmt_cpns"].to_numpy(dtype="datetime64[D]")
    end = pegawai["tanggal_keluar"].to_numpy(dtype="datetime64[D]")
    jan = np.array([f"{y}-01-01" for y in years], dtype="datetime64[D]")
    dec = np.array([f"{y}-12-31" for y in years], dtype="datetime64[D]")
    mid = np.array([f"{y}-06-30" for y in years], dtype="datetime64[D]")
    staying = np.isnat(end)[:, None] | (end[:, None] >= jan[None, :])
    present = (start[:, None] <= dec[None, :]) & staying
    person, year = np.nonzero(present)
    born = pegawai["tanggal_lahir"].to_numpy(dtype="datetime64[D]")[person]
    days_per_year = 365.2425
    return pd.DataFrame({
        "row": person, "tahun": years[year],
        "full_year": (start[person] <= jan[year]) & (np.isnat(end[person]) | (end[person] >= dec[year])),
        "usia": ((mid[year] - born).astype(np.int64) / days_per_year).round(1),
        "masa_kerja": ((mid[year] - start[person]).astype(np.int64) / days_per_year).round(1),
    })  # fmt: skip


def employee_year_panel(
    data: Dataset,
    *,
    treatment: Mapping[str, str | Sequence[str]],
    years: tuple[int, int] | None = None,
    finished: Sequence[str] = ("selesai",),
) -> pd.DataFrame:
    """Build the employee-year panel (see the module docstring).

    Parameters
    ----------
    data
        A loaded :class:`~kinerja_analysis.data.dataset.Dataset` with ``pegawai`` and ``pelatihan``;
        ``unit_kerja``, ``layanan`` and ``kinerja`` add their columns when present.
    treatment
        Which trainings are the treatment, as in :func:`treatment_cohorts` (``PROGRAMME`` for the demo).
    years
        (first, last) calendar years; default the years the appraisals, cases and trainings cover.
    finished
        Case statuses whose durations give ``hari_mean`` (default only ``selesai``: the time to a
        granted service; :mod:`kinerja_analysis.service.kpi` counts ``ditolak`` as well by default).

    Returns
    -------
    DataFrame, one row per nip and tahun
        ``nip``, ``tahun``, ``full_year`` (in post the whole year); covariates ``status``,
        ``jenis_kelamin``, ``golongan``, ``jenis_jabatan``, ``pendidikan``, ``unit_id``, ``sektor``,
        ``instansi``, ``usia`` and ``masa_kerja`` (years, on 30 June); treatment ``cohort`` (first year
        of the treatment training, 0 if never), ``treated`` (tahun >= cohort > 0), ``event_time``
        (tahun - cohort, missing if never), ``penyelenggara``, ``topik`` and ``jenis`` of the first
        treatment training; ``jp`` (JP of trainings starting that year); service outcomes from
        ``employee_kpi`` ``n_berkas``, ``hari_mean`` (working days), ``sla_share``, ``return_rate``
        (missing in years without cases); appraisal ``regime``, ``sangat_baik`` (from 2022) and
        ``nilai_skp`` (to 2021).
    """
    data.require("pegawai", "pelatihan", analysis="employee_year_panel")
    span = _years(data, years)
    pegawai = data.pegawai
    rows = _in_post(pegawai, span)
    covariates = ["nip", "status", "jenis_kelamin", "golongan", "jenis_jabatan", "pendidikan", "unit_id"]
    panel = pegawai.iloc[rows["row"].to_numpy()].loc[:, covariates].reset_index(drop=True)
    panel = pd.concat([panel, rows.drop(columns="row").reset_index(drop=True)], axis=1)
    if data.unit_kerja is not None:
        units = data.unit_kerja.loc[:, ["unit_id", "sektor", "instansi"]]
        panel = panel.merge(units, on="unit_id", how="left", validate="many_to_one")

    cohorts = treatment_cohorts(data.pelatihan, treatment=treatment).drop(columns="jp")
    panel = panel.merge(cohorts, on="nip", how="left", validate="many_to_one")
    panel["cohort"] = panel["cohort"].fillna(0).astype("int64")
    panel["treated"] = (panel["cohort"] > 0) & (panel["tahun"] >= panel["cohort"])
    panel["event_time"] = pd.array(np.where(panel["cohort"] > 0, panel["tahun"] - panel["cohort"], 0), dtype="Int64")
    panel.loc[panel["cohort"] == 0, "event_time"] = pd.NA

    training = data.pelatihan.loc[data.pelatihan["tanggal_mulai"].notna(), ["nip", "tanggal_mulai", "jp"]]
    jp = training.assign(tahun=training["tanggal_mulai"].dt.year.astype("int64")).groupby(["nip", "tahun"])["jp"].sum()
    panel = panel.merge(jp.rename("jp").reset_index(), on=["nip", "tahun"], how="left")
    panel["jp"] = panel["jp"].astype("float64").fillna(0.0)

    if data.layanan is not None and len(data.layanan):
        kpi = employee_kpi(data.layanan, finished=tuple(finished))
        kpi = kpi.loc[:, ["nip", "tahun", "n_berkas", "hari_mean", "sla_estimate", "return_rate"]]
        kpi = kpi.rename(columns={"sla_estimate": "sla_share"}).astype({"tahun": "int64"})
        panel = panel.merge(kpi, on=["nip", "tahun"], how="left", validate="one_to_one")
        panel["n_berkas"] = panel["n_berkas"].fillna(0).astype("int64")

    panel["regime"] = pd.Series([regime(int(y)) for y in span], index=span).reindex(panel["tahun"]).to_numpy()
    if data.kinerja is not None and len(data.kinerja):
        annual = data.kinerja.loc[data.kinerja["periode"] == "tahunan", ["nip", "tahun", "predikat", "nilai_skp"]]
        annual = annual.astype({"tahun": "int64"}).drop_duplicates(["nip", "tahun"])
        panel = panel.merge(annual, on=["nip", "tahun"], how="left", validate="one_to_one")
        new = (panel["regime"] == "permenpanrb_6_2022").to_numpy()
        top = (panel["predikat"] == "Sangat Baik").astype("float64").to_numpy()
        panel["sangat_baik"] = np.where(new & panel["predikat"].notna().to_numpy(), top, np.nan)
        panel["nilai_skp"] = np.where(~new, panel["nilai_skp"].astype("float64").to_numpy(), np.nan)
        panel = panel.drop(columns="predikat")
    return panel.sort_values(["nip", "tahun"], kind="stable").reset_index(drop=True)


def restrict_years(panel: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """The panel's rows from ``first`` to ``last``, with cohorts after ``last`` recoded to 0.

    Employees first trained after the window are untreated throughout it, so within the window they are
    comparison units ("not yet treated" becomes "never treated" there); ``event_time`` and ``treated``
    follow. Cohorts before ``first`` are kept: :func:`kinerja_analysis.training.did.staggered_did` refuses them
    or, with ``incomplete="drop"``, leaves them out. The input is not modified.

    >>> p = pd.DataFrame({"nip": ["a", "a"], "tahun": [2021, 2022], "cohort": [2022, 2022]})
    >>> restrict_years(p, 2019, 2021)["cohort"].tolist()
    [0]
    """
    if first > last:
        raise KinerjaDataError(f"restrict_years: first year {first} comes after the last {last}.")
    out = panel.loc[(panel["tahun"] >= first) & (panel["tahun"] <= last)].copy()
    later = out["cohort"] > last
    out.loc[later, "cohort"] = 0
    if "treated" in out.columns:
        out["treated"] = (out["cohort"] > 0) & (out["tahun"] >= out["cohort"])
    if "event_time" in out.columns:
        out["event_time"] = pd.array(np.where(out["cohort"] > 0, out["tahun"] - out["cohort"], 0), dtype="Int64")
        out.loc[out["cohort"] == 0, "event_time"] = pd.NA
    for column in _PANEL_TRAINING:
        if column in out.columns:
            out.loc[later, column] = pd.NA
    return out.reset_index(drop=True)
