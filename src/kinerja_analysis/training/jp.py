"""JP compliance (20 JP a year for every PNS) and training coverage by topic and provider.

PP 11/2017 as amended by PP 17/2020 gives every PNS the right and duty to at least 20 JP (jam pelajaran,
45 minutes) of competence development a year [firm, DOMAIN.md section 5]. Choices made here [decided
here, options where contentious]:

- A training's JP count in the year of its ``tanggal_mulai`` (as the training cohort of
  :mod:`kinerja_analysis.training.panel`).
- The population of a year is the employees in post the whole year (``population="full_year"``):
  someone appointed in November cannot be expected to have 20 JP. ``"any_day"`` counts everyone in post
  on at least one day.
- PPPK are always reported apart from PNS (``status`` is a grouping column): the 20 JP duty is stated
  for PNS; PPPK rows are shown for comparison and say so in ``rule``.
- Shares come with Wilson intervals (:func:`kinerja_analysis.appraisal.inflation.proportion_interval`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.common.inference import proportion_interval
from kinerja_analysis.common.options import check_option
from kinerja_analysis.training.panel import _in_post

__all__ = ["JP_TARGET", "jp_compliance", "training_coverage"]

JP_TARGET = 20.0
"""JP a year every PNS should reach (PP 17/2020) [firm]."""

Population = Literal["full_year", "any_day"]
_EMPLOYEE_BY = ("tahun", "unit_id", "sektor", "instansi", "golongan", "jenis_jabatan", "jenis_kelamin", "pendidikan")
_TRAINING_BY = ("topik", "penyelenggara", "jenis")
_RULE = {
    "pns": "PP 17/2020: at least 20 JP a year for every PNS [firm]",
    "pppk": "PPPK: no 20 JP duty in PP 17/2020; shown for comparison",
}


def _as_tuple(by: str | Sequence[str]) -> tuple[str, ...]:
    return (by,) if isinstance(by, str) else tuple(by)


def _employee_years(
    pegawai: pd.DataFrame, unit_kerja: pd.DataFrame | None, years: np.ndarray, population: Population
) -> pd.DataFrame:
    rows = _in_post(pegawai, years)
    if population == "full_year":
        rows = rows.loc[rows["full_year"].to_numpy()]
    columns = ["nip", "status", "unit_id", "golongan", "jenis_jabatan", "jenis_kelamin", "pendidikan"]
    out = pegawai.iloc[rows["row"].to_numpy()].loc[:, columns].reset_index(drop=True)
    out["tahun"] = rows["tahun"].to_numpy()
    if unit_kerja is not None:
        out = out.merge(unit_kerja.loc[:, ["unit_id", "sektor", "instansi"]], on="unit_id", how="left")
    return out


def _span(pelatihan: pd.DataFrame, years: tuple[int, int] | None) -> np.ndarray:
    if years is not None:
        if years[0] > years[1]:
            raise KinerjaDataError(f"years={years!r}: the first year comes after the last.")
        return np.arange(years[0], years[1] + 1)
    start = pelatihan["tanggal_mulai"].dropna().dt.year
    if start.empty:
        raise KinerjaDataError("pelatihan has no tanggal_mulai to place trainings in years; pass years=(first, last).")
    return np.arange(int(start.min()), int(start.max()) + 1)


def _check_by(by: tuple[str, ...], allowed: tuple[str, ...], unit_kerja: pd.DataFrame | None) -> None:
    for column in by:
        check_option("by", column, allowed)
        if column in ("sektor", "instansi") and unit_kerja is None:
            raise KinerjaDataError(f"by={column!r} needs the unit_kerja table; pass unit_kerja=.")


def _interval(frame: pd.DataFrame, k: str, n: str, alpha: float) -> pd.DataFrame:
    successes, trials = frame[k].to_numpy(), frame[n].to_numpy()
    low, high = proportion_interval(successes, trials, method="wilson", alpha=alpha)
    frame["estimate"] = frame[k] / frame[n]
    frame["ci_low"], frame["ci_high"] = low, high
    return frame


def jp_compliance(
    pelatihan: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    unit_kerja: pd.DataFrame | None = None,
    by: str | Sequence[str] = ("tahun",),
    target_jp: float = JP_TARGET,
    population: Population = "full_year",
    years: tuple[int, int] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Share of employees reaching ``target_jp`` JP in a year, PNS and PPPK apart, with Wilson intervals.

    Parameters
    ----------
    pelatihan, pegawai
        The tables; not modified.
    unit_kerja
        Needed to group by ``sektor`` or ``instansi``.
    by
        Grouping columns among tahun, unit_id, sektor, instansi, golongan, jenis_jabatan,
        jenis_kelamin, pendidikan; ``status`` is always added.
    target_jp
        JP a year to reach (default 20, PP 17/2020).
    population
        ``"full_year"`` (in post all year, default) or ``"any_day"``.
    years
        (first, last); default the years of the trainings.
    alpha
        1 - confidence level of the intervals.

    Returns
    -------
    DataFrame
        The ``by`` columns and ``status``; ``n`` (employee-years), ``n_reached`` (with at least
        ``target_jp`` JP), ``estimate`` (their share), ``ci_low``, ``ci_high``, ``jp_mean``,
        ``jp_median``, ``rule`` and ``method``. Small groups are not suppressed here: publish through
        :func:`kinerja_analysis.common.privacy.suppress_small_cells`.

    Examples
    --------
    >>> peg = pd.DataFrame({"nip": ["a", "b"], "status": ["pns", "pns"], "unit_id": "U", "golongan": "III/a",
    ...     "jenis_jabatan": "pelaksana", "jenis_kelamin": "L", "pendidikan": "S1",
    ...     "tmt_cpns": pd.to_datetime(["2010-01-01"] * 2), "tanggal_lahir": pd.to_datetime(["1980-01-01"] * 2),
    ...     "tanggal_keluar": pd.to_datetime([None, None])})
    >>> pel = pd.DataFrame({"nip": ["a", "a", "b"], "tanggal_mulai": pd.to_datetime(["2023-03-01", "2023-09-01",
    ...     "2023-05-01"]), "jp": [12.0, 10.0, 8.0]})
    >>> row = jp_compliance(pel, peg).iloc[0]
    >>> int(row["n"]), int(row["n_reached"]), float(row["jp_mean"])
    (2, 1, 15.0)
    """
    by_t = _as_tuple(by)
    _check_by(by_t, _EMPLOYEE_BY, unit_kerja)
    check_option("population", population, ("full_year", "any_day"))
    if not target_jp > 0:
        raise KinerjaDataError(f"target_jp={target_jp!r} must be a positive number of JP.")
    span = _span(pelatihan, years)
    people = _employee_years(pegawai, unit_kerja, span, population)
    dated = pelatihan.loc[pelatihan["tanggal_mulai"].notna(), ["nip", "tanggal_mulai", "jp"]]
    jp = dated.assign(tahun=dated["tanggal_mulai"].dt.year.astype("int64")).groupby(["nip", "tahun"])["jp"].sum()
    people = people.merge(jp.rename("jp_year").reset_index(), on=["nip", "tahun"], how="left")
    people["jp_year"] = people["jp_year"].astype("float64").fillna(0.0)
    people["reached"] = people["jp_year"] >= target_jp
    keys = [*by_t, "status"]
    out = (
        people.groupby(keys, observed=True, sort=True)
        .agg(
            n=("nip", "size"),
            n_reached=("reached", "sum"),
            jp_mean=("jp_year", "mean"),
            jp_median=("jp_year", "median"),
        )
        .reset_index()
    )
    out = _interval(out, "n_reached", "n", alpha)
    out["rule"] = out["status"].astype(str).map(_RULE).fillna("")
    out["method"] = (
        f"share of {'employees in post all year' if population == 'full_year' else 'employees in post'} with at "
        f"least {target_jp:g} JP from trainings starting in the year; Wilson {100 * (1 - alpha):g}% interval"
    )
    return out.loc[
        :, [*keys, "n", "n_reached", "estimate", "ci_low", "ci_high", "jp_mean", "jp_median", "rule", "method"]
    ]


def training_coverage(
    pelatihan: pd.DataFrame,
    pegawai: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("topik",),
    unit_kerja: pd.DataFrame | None = None,
    years: tuple[int, int] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Reach of trainings per topic, provider or type, and per year: who was trained, with how many JP.

    Parameters
    ----------
    by
        Training columns (topik, penyelenggara, jenis) and/or employee columns (sektor, instansi, status,
        golongan, unit_id, jenis_jabatan, jenis_kelamin, pendidikan); ``tahun`` is always added.
        Employee columns split both the participants and the workforce they are a share of, e.g.
        ``("penyelenggara", "sektor")`` tells whether Dinas Kesehatan's courses reach health staff.
    unit_kerja, years, alpha
        As in :func:`jp_compliance`.

    Returns
    -------
    DataFrame
        The ``by`` columns and ``tahun``; ``trainings`` (distinct pelatihan_id), ``participants``
        (distinct employees), ``jp_total``, ``jp_per_participant``, ``n`` (employees in post on at least
        one day of the year in the employee groups), ``estimate`` (participants / n), ``ci_low``,
        ``ci_high`` (Wilson) and ``method``.
    """
    by_t = tuple(c for c in _as_tuple(by) if c != "tahun")
    people_by = tuple(c for c in by_t if c not in _TRAINING_BY)
    _check_by(people_by, (*_EMPLOYEE_BY, "status"), unit_kerja)
    span = _span(pelatihan, years)
    people = _employee_years(pegawai, unit_kerja, span, "any_day")
    needed = ["nip", "pelatihan_id", "tanggal_mulai", "jp", *[c for c in by_t if c in _TRAINING_BY]]
    rows = pelatihan.loc[pelatihan["tanggal_mulai"].notna(), needed]
    rows = rows.assign(tahun=rows["tanggal_mulai"].dt.year.astype("int64"))
    rows = rows.merge(people.loc[:, ["nip", "tahun", *people_by]], on=["nip", "tahun"], how="inner")
    keys = [*by_t, "tahun"]
    out = (
        rows.groupby(keys, observed=True, sort=True)
        .agg(trainings=("pelatihan_id", "nunique"), participants=("nip", "nunique"), jp_total=("jp", "sum"))
        .reset_index()
    )
    out["jp_total"] = out["jp_total"].astype("float64")
    out["jp_per_participant"] = out["jp_total"] / out["participants"]
    workforce = people.groupby([*people_by, "tahun"], observed=True).size().rename("n").reset_index()
    out = out.merge(workforce, on=[*people_by, "tahun"], how="left")
    out = _interval(out, "participants", "n", alpha)
    out["method"] = (
        "participants of trainings starting in the year, as a share of employees in post that year"
        f"{' in the same ' + ', '.join(people_by) if people_by else ''}; Wilson {100 * (1 - alpha):g}% interval"
    )
    return out.loc[:, [*keys, "trainings", "participants", "jp_total", "jp_per_participant", "n", "estimate",
                       "ci_low", "ci_high", "method"]]  # fmt: skip
