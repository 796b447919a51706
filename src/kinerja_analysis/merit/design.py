"""The candidate design of a merit-versus-seniority study: one row per candidate in a selection.

Each ``seleksi_id`` is a choice among its candidates. :func:`selection_design` joins every candidate
with what was known about them on the selection date: the merit terms (competency and potential
scores, the last annual appraisal before the date, training in the year before) and the seniority
terms (years since TMT CPNS, golongan, age), plus the group columns that fairness analyses need
(sex, age band, instansi). :mod:`kinerja_analysis.merit.model` fits the conditional logit on it.

How the two appraisal regimes enter (DOMAIN.md 3.4: a 2021 "Baik" and a 2023 "Baik" are different
measurements): each regime has its own indicators, always against "Baik" of the same regime:

- ``predikat_sangat_baik`` / ``predikat_di_bawah_baik``: the last appraisal is a PermenPANRB 6/2022
  predikat (2022 on) of Sangat Baik / of Butuh Perbaikan, Kurang or Sangat Kurang;
- ``pp46_sangat_baik`` / ``pp46_di_bawah_baik``: the last appraisal is a PP 46/2011 nilai prestasi
  kerja (before 2022) in the Sangat Baik band (>= 91) / in Cukup, Kurang or Buruk (< 76);
- ``penilaian_kosong``: no annual appraisal in the look-back window.

A conditional logit compares candidates within one selection, where everyone's last appraisal
comes from the same year and hence the same regime, so no crosswalk between regimes is needed.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.appraisal.pp46 import kategori_pp46, nilai_prestasi_kerja
from kinerja_analysis.appraisal.predikat_2022 import AnnualRule, _normalized, predikat, predikat_tahunan
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data import schema
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.data.regimes import regime
from kinerja_analysis.merit.choice_sets import Winners, check_choice_sets
from kinerja_analysis.workforce.snapshot import AGE_BANDS

__all__ = ["selection_design", "MERIT_TERMS", "SENIORITY_TERMS", "APPRAISAL_TERMS", "YEAR_DAYS"]

YEAR_DAYS = 365.2425
"""Days in a mean Gregorian year: years of service and age are day counts divided by this."""

MERIT_TERMS: tuple[str, ...] = ("skor_kompetensi", "skor_potensi", "predikat_sangat_baik", "pp46_sangat_baik",
                                "jp_setahun")  # fmt: skip
"""Default merit block: competency and potential scores (points), a top appraisal in either regime, JP of
training in the year before the selection. The below-Baik indicators and ``penilaian_kosong`` are in the
design too but not in the default: ratings are so compressed (DOMAIN.md 9) that they rarely vary within
a selection, and a rare indicator whose holders were never chosen has no finite estimate."""

SENIORITY_TERMS: tuple[str, ...] = ("masa_kerja_tahun", "peringkat_golongan", "usia_tahun")
"""Default seniority block: years since TMT CPNS, golongan as its step 1-17 (I/a = 1 ... IV/e = 17), age."""

APPRAISAL_TERMS: tuple[str, ...] = ("predikat_sangat_baik", "predikat_di_bawah_baik", "pp46_sangat_baik",
                                    "pp46_di_bawah_baik", "penilaian_kosong")  # fmt: skip

_BELOW_BAIK_2022 = ("Butuh Perbaikan", "Kurang", "Sangat Kurang")
_BELOW_BAIK_PP46 = ("Cukup", "Kurang", "Buruk")


def _completed_years(start: pd.Series, end: pd.Series) -> pd.Series:
    """Whole years from ``start`` to ``end`` row by row (an anniversary not yet reached does not count)."""
    before = (end.dt.month < start.dt.month) | ((end.dt.month == start.dt.month) & (end.dt.day < start.dt.day))
    return (end.dt.year - start.dt.year - before.astype("int64")).astype("Int64")


def _annual_appraisals(
    kinerja: pd.DataFrame,
    *,
    periodic_rule: AnnualRule | None,
    pp46_boundaries: Literal["lower_inclusive", "round_first"],
) -> pd.DataFrame:
    """One row per nip and tahun with the regime and the category of the annual appraisal."""
    annual = kinerja.loc[_normalized(kinerja["periode"]) == "tahunan"]
    years = annual["tahun"].astype("int64")
    new = years >= 2022
    label = pd.Series(pd.NA, index=annual.index, dtype="object")
    if "predikat" in annual.columns:
        label[new] = annual.loc[new, "predikat"].astype("object")
    if {"rating_hasil_kerja", "rating_perilaku_kerja"} <= set(annual.columns) and new.any():
        from_ratings = predikat(annual.loc[new, "rating_hasil_kerja"], annual.loc[new, "rating_perilaku_kerja"])
        label[new] = label[new].fillna(from_ratings.astype("object"))
    if {"nilai_skp", "nilai_perilaku"} <= set(annual.columns) and (~new).any():
        old = annual.loc[~new]
        nilai = nilai_prestasi_kerja(old["nilai_skp"].astype("float64"), old["nilai_perilaku"].astype("float64"))
        label[~new] = kategori_pp46(nilai, boundaries=pp46_boundaries).astype("object")
    out = pd.DataFrame({"nip": annual["nip"], "tahun": years, "penilaian": label}).dropna(subset=["penilaian"])
    if periodic_rule is not None:
        periodic = kinerja.loc[(_normalized(kinerja["periode"]) != "tahunan") & (kinerja["tahun"] >= 2022)]
        if len(periodic):
            formed = predikat_tahunan(periodic, rule=periodic_rule).dropna(subset=["predikat"])
            formed = pd.DataFrame({"nip": formed["nip"], "tahun": formed["tahun"].astype("int64"),
                                   "penilaian": formed["predikat"].astype("object")})  # fmt: skip
            have = pd.MultiIndex.from_frame(out[["nip", "tahun"]])
            extra = ~pd.MultiIndex.from_frame(formed[["nip", "tahun"]]).isin(have)
            out = pd.concat([out, formed.loc[extra]], ignore_index=True)
    out["regime"] = [regime(int(y)) for y in out["tahun"]]
    return out.reset_index(drop=True)


def _appraisal_terms(cand: pd.DataFrame, appraisals: pd.DataFrame, *, lag: int, max_age: int) -> pd.DataFrame:
    """The last annual appraisal of tahun in [year - max_age, year - lag] for each candidate row."""
    left = pd.DataFrame({"row": np.arange(len(cand)), "nip": cand["nip"].to_numpy(),
                         "year": cand["tanggal"].dt.year.to_numpy()})  # fmt: skip
    joined = left.merge(appraisals, on="nip", how="inner")
    ok = (joined["tahun"] <= joined["year"] - lag) & (joined["tahun"] >= joined["year"] - max_age)
    last = joined.loc[ok].sort_values(["row", "tahun"]).drop_duplicates("row", keep="last").set_index("row")
    found = last.reindex(np.arange(len(cand)))
    label, reg = found["penilaian"], found["regime"]
    new, old = (reg == "permenpanrb_6_2022").to_numpy(), (reg == "pp46_2011").to_numpy()
    return pd.DataFrame({
        "tahun_penilaian": pd.array(found["tahun"].to_numpy(dtype="float64"), dtype="Int64"),
        "regime_penilaian": reg.astype("str").where(reg.notna()).to_numpy(),
        "penilaian_terakhir": label.astype("str").where(label.notna()).to_numpy(),
        "predikat_sangat_baik": (new & (label == "Sangat Baik").to_numpy()).astype("float64"),
        "predikat_di_bawah_baik": (new & label.isin(_BELOW_BAIK_2022).to_numpy()).astype("float64"),
        "pp46_sangat_baik": (old & (label == "Sangat Baik").to_numpy()).astype("float64"),
        "pp46_di_bawah_baik": (old & label.isin(_BELOW_BAIK_PP46).to_numpy()).astype("float64"),
        "penilaian_kosong": label.isna().to_numpy().astype("float64"),
    }, index=cand.index)  # fmt: skip


def _training_jp(cand: pd.DataFrame, pelatihan: pd.DataFrame, *, window_days: int) -> np.ndarray:
    """JP of training finished in the ``window_days`` before each selection date (the date excluded)."""
    left = pd.DataFrame({"row": np.arange(len(cand)), "nip": cand["nip"].to_numpy(),
                         "tanggal": cand["tanggal"].to_numpy()})  # fmt: skip
    right = pelatihan[["nip", "tanggal_selesai", "jp"]]
    joined = left.merge(right, on="nip", how="inner")
    start = joined["tanggal"] - pd.Timedelta(days=window_days)
    ok = (joined["tanggal_selesai"] < joined["tanggal"]) & (joined["tanggal_selesai"] >= start)
    sums = joined.loc[ok].groupby("row")["jp"].sum().astype("float64")
    return sums.reindex(np.arange(len(cand)), fill_value=0.0).to_numpy()


def selection_design(
    dataset: Dataset,
    *,
    jenis: tuple[str, ...] | None = None,
    winners: Winners = "one",
    appraisal_lag: int = 1,
    max_appraisal_age: int = 2,
    periodic_rule: AnnualRule | None = None,
    pp46_boundaries: Literal["lower_inclusive", "round_first"] = "lower_inclusive",
    training_window_days: int = 365,
) -> pd.DataFrame:
    """One row per candidate in a selection, with merit, seniority and group columns on the selection date.

    Parameters
    ----------
    dataset
        Needs ``seleksi`` and ``pegawai``; ``kinerja`` (appraisal terms), ``pelatihan`` (``jp_setahun``) and
        ``unit_kerja`` (``instansi``) are used when present, and their columns are absent otherwise.
    jenis
        Keep only selections of these kinds (``promosi``, ``rotasi``, ``kenaikan_pangkat``); all by default.
    winners
        ``"one"`` (default): every selection must have exactly one chosen candidate; ``"any"`` allows
        several (a selection with none or with all chosen carries no information and the model drops it).
    appraisal_lag, max_appraisal_age
        A selection in year Y sees the latest annual appraisal of a year in [Y - max_appraisal_age,
        Y - appraisal_lag]: the annual appraisal of year t is settled early in t + 1 [open], so by default
        a 2024 selection uses 2023, or 2022 when 2023 is missing, and older ones count as none.
    periodic_rule
        If given, an employee-year from 2022 with only monthly or quarterly rows gets the annual predikat
        formed by :func:`kinerja_analysis.appraisal.predikat_tahunan` with this rule [open]; by default only
        ``periode == "tahunan"`` rows count.
    pp46_boundaries
        Where a non-integer nilai prestasi kerja falls, as in :func:`kinerja_analysis.appraisal.pp46.kategori_pp46`.
    training_window_days
        ``jp_setahun`` sums JP of training finished in this many days before the selection date.

    Returns
    -------
    DataFrame
        Sorted by ``seleksi_id``, then ``nip``: ``seleksi_id``, ``tanggal``, ``tahun``, ``jenis``, ``nip``,
        ``terpilih`` (bool), ``unit_id``, ``instansi``, ``jenis_kelamin``, ``perempuan`` (1.0 for P),
        ``kelompok_usia`` (workforce bands), ``golongan``; the merit terms ``skor_kompetensi``,
        ``skor_potensi``, ``tahun_penilaian``, ``regime_penilaian``, ``penilaian_terakhir`` (predikat or
        PP 46 kategori), the five indicators of :data:`APPRAISAL_TERMS` and ``jp_setahun``; the
        seniority terms ``masa_kerja_tahun`` ((tanggal - tmt_cpns) in days / 365.2425), ``peringkat_golongan``
        (1-17 for PNS golongan, missing for PPPK) and ``usia_tahun`` ((tanggal - tanggal_lahir) / 365.2425).
        ``golongan`` is the one recorded in ``pegawai`` (the export date), not the one held on the
        selection date, which the canonical tables do not keep: a selection for kenaikan pangkat may have
        raised it since. Numeric terms are float64.

    Examples
    --------
    >>> from kinerja_analysis import load_dataset, paths
    >>> design = selection_design(load_dataset(paths.demo_data_dir()))
    >>> int(design["seleksi_id"].nunique()), int(design["terpilih"].sum())
    (278, 278)
    """
    for name, value in (("appraisal_lag", appraisal_lag), ("max_appraisal_age", max_appraisal_age),
                        ("training_window_days", training_window_days)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise InvalidOptionError(f"{name}={value!r} is not allowed; choose a whole number >= 0.")
    if max_appraisal_age < appraisal_lag:
        raise InvalidOptionError(
            f"max_appraisal_age={max_appraisal_age} is below appraisal_lag={appraisal_lag}: no year would count."
        )
    check_option("pp46_boundaries", pp46_boundaries, ("lower_inclusive", "round_first"))
    dataset.require("seleksi", "pegawai", analysis="selection_design")
    seleksi = dataset.seleksi
    if jenis is not None:
        for j in jenis:
            check_option("jenis", j, schema.JENIS_SELEKSI)
        seleksi = seleksi.loc[seleksi["jenis"].astype("object").isin(list(jenis))]
        if seleksi.empty:
            raise KinerjaDataError(f"seleksi has no selection of jenis {list(jenis)}; choose other kinds.")
    check_choice_sets(seleksi, winners=winners, terms=("skor_kompetensi", "skor_potensi"))
    peg_cols = ["nip", "jenis_kelamin", "tanggal_lahir", "tmt_cpns", "golongan", "unit_id"]
    cand = seleksi.merge(dataset.pegawai[peg_cols], on="nip", how="left", validate="many_to_one", indicator=True)
    unknown = (cand["_merge"] == "left_only").to_numpy()
    if unknown.any():
        ids = sorted(set(cand.loc[unknown, "seleksi_id"]))[:10]
        raise KinerjaDataError(
            f"seleksi has {int(unknown.sum())} candidate(s) whose nip is not in pegawai (selections {ids}); "
            "add them to pegawai or remove them from seleksi."
        )
    cand = cand.drop(columns="_merge").sort_values(["seleksi_id", "nip"], kind="stable").reset_index(drop=True)
    out = pd.DataFrame({
        "seleksi_id": cand["seleksi_id"], "tanggal": cand["tanggal"], "tahun": cand["tanggal"].dt.year.astype("int64"),
        "jenis": cand["jenis"], "nip": cand["nip"], "terpilih": cand["terpilih"].astype(bool).to_numpy(),
        "unit_id": cand["unit_id"],
    })  # fmt: skip
    if dataset.unit_kerja is not None:
        inst = dataset.unit_kerja.set_index("unit_id")["instansi"]
        out["instansi"] = cand["unit_id"].map(inst)
    else:
        out["instansi"] = pd.Series(pd.NA, index=cand.index, dtype="str")
    out["jenis_kelamin"] = cand["jenis_kelamin"]
    out["perempuan"] = (cand["jenis_kelamin"].astype("object") == "P").astype("float64")
    usia = _completed_years(cand["tanggal_lahir"], cand["tanggal"])
    bands = pd.cut(usia.astype("float64"), bins=[-np.inf, 30, 40, 50, 60, np.inf], labels=list(AGE_BANDS))
    out["kelompok_usia"] = bands.astype(pd.CategoricalDtype(list(AGE_BANDS), ordered=True))
    out["golongan"] = cand["golongan"]
    out["skor_kompetensi"] = cand["skor_kompetensi"].astype("float64")
    out["skor_potensi"] = cand["skor_potensi"].astype("float64")
    if dataset.kinerja is not None and len(dataset.kinerja):
        appraisals = _annual_appraisals(dataset.kinerja, periodic_rule=periodic_rule, pp46_boundaries=pp46_boundaries)
        terms = _appraisal_terms(cand, appraisals, lag=appraisal_lag, max_age=max_appraisal_age)
        out = pd.concat([out, terms], axis=1)
    if dataset.pelatihan is not None:
        out["jp_setahun"] = _training_jp(cand, dataset.pelatihan, window_days=training_window_days)
    out["masa_kerja_tahun"] = (cand["tanggal"] - cand["tmt_cpns"]).dt.days.astype("float64") / YEAR_DAYS
    step = {g: i + 1.0 for i, g in enumerate(schema.GOLONGAN_PNS)}
    out["peringkat_golongan"] = cand["golongan"].astype("object").map(step).astype("float64")
    out["usia_tahun"] = (cand["tanggal"] - cand["tanggal_lahir"]).dt.days.astype("float64") / YEAR_DAYS
    return out
