"""Indeks Profesionalitas ASN per employee (PermenPANRB 38/2018, Peraturan BKN 8/2019).

Four dimensions add up to at most 100 points: kualifikasi 25 and kompetensi 40 [firm], kinerja 30
and disiplin 5 [likely] (DOMAIN.md 4). The bands are firm: Sangat Tinggi 91-100, Tinggi 81-90, Sedang
71-80, Rendah 61-70, Sangat Rendah 60 and below. Most point tables inside the dimensions are [open]
here: each is a parameter whose default is documented below, and the result's ``method`` says which
tables were used.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np
import pandas as pd

from kinerja_analysis.appraisal.predikat_2022 import Values, _as_series
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.data import schema
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.merit.design import _annual_appraisals

__all__ = ["ip_asn", "ip_asn_kategori", "IP_ASN_BANDS", "KUALIFIKASI_POINTS", "KOMPETENSI_POINTS",
           "KINERJA_POINTS", "DISIPLIN_POINTS", "DIMENSION_MAX"]  # fmt: skip

DIMENSION_MAX: Final = MappingProxyType({"kualifikasi": 25.0, "kompetensi": 40.0, "kinerja": 30.0, "disiplin": 5.0})
"""Points of each dimension: kualifikasi 25, kompetensi 40 [firm]; kinerja 30, disiplin 5 [likely]. The
``weights`` option of :func:`ip_asn` replaces them (they must add up to 100)."""

IP_ASN_BANDS: tuple[tuple[float, str], ...] = ((91, "Sangat Tinggi"), (81, "Tinggi"), (71, "Sedang"), (61, "Rendah"))
"""Lower bounds of the bands [firm]; below 61 is Sangat Rendah. A non-integer score counts at its lower
bound (90.5 is Tinggi) [open: the regulation prints integer bands]."""

KATEGORI: tuple[str, ...] = ("Sangat Rendah", "Rendah", "Sedang", "Tinggi", "Sangat Tinggi")

KUALIFIKASI_POINTS: Final = MappingProxyType(
    {
        "S3": 25.0,
        "S2": 20.0,
        "S1": 15.0,
        "D4": 15.0,
        "D3": 10.0,
        "D2": 5.0,
        "D1": 5.0,
        "SMA": 1.0,
        "SMP": 1.0,
        "SD": 1.0,
    }
)
"""Points by highest education: S3 25 and S2 20 [firm]; S1/D4 15, D3 10, D1/D2 5, SMA and below 1 [open]."""

KOMPETENSI_POINTS: Final = MappingProxyType(
    {"diklat_kepemimpinan": 15.0, "diklat_fungsional": 15.0, "diklat_teknis_20jp": 15.0, "pengembangan_lain": 10.0}
)
"""Points per kind of development, summed and capped at 40. Diklat kepemimpinan counts for managerial
posts and diklat fungsional for jabatan fungsional, 15 each [firm]; a diklat teknis counts only with at
least 20 JP [firm], 15 points [open]; seminar, workshop, magang or kursus 10 [open]. Pelaksana have no
post-specific diklat, so they can reach 25 of 40 with these defaults [open: not verified]."""

KINERJA_POINTS: Final = MappingProxyType({
    "Sangat Baik": 30.0, "Baik": 25.0, "Butuh Perbaikan": 20.0, "Cukup": 20.0, "Kurang": 15.0,
    "Sangat Kurang": 5.0, "Buruk": 5.0,
})  # fmt: skip
"""Points by the last annual appraisal, PermenPANRB 6/2022 predikat or PP 46/2011 kategori [open]."""

DISIPLIN_POINTS: Final = MappingProxyType({"tidak_ada": 5.0, "ringan": 3.0, "sedang": 2.0, "berat": 1.0})
"""Points by the heaviest sanction in the window (PP 94/2021 levels) [open]."""

_MANAGERIAL = ("pengawas", "administrator", "jpt_pratama", "jpt_madya", "jpt_utama")
_OTHER_DEVELOPMENT = ("seminar", "workshop", "magang", "kursus")


def ip_asn_kategori(values: Values) -> pd.Series:
    """Band of an IP ASN score: >= 91 Sangat Tinggi, >= 81 Tinggi, >= 71 Sedang, >= 61 Rendah, else Sangat Rendah.

    Scores are rounded to 9 decimals first, so floating-point noise (80.99999999999999) does not move a
    score across a bound. Returns an ordered categorical named ``kategori``; missing stays missing.

    >>> ip_asn_kategori([91, 90.99, 81, 71, 70.5, 61, 60.99]).tolist()
    ['Sangat Tinggi', 'Tinggi', 'Tinggi', 'Sedang', 'Rendah', 'Rendah', 'Sangat Rendah']
    """
    series = _as_series(values, name="ip_asn")
    numbers = pd.to_numeric(series, errors="coerce").astype("float64")
    if (series.notna() & numbers.isna()).any() or ((numbers < 0) | (numbers > 100)).any():
        raise KinerjaDataError("ip_asn scores must be numbers from 0 to 100; correct the others.")
    rounded = numbers.round(9)
    labels = np.select([rounded >= cut for cut, _ in IP_ASN_BANDS], [lab for _, lab in IP_ASN_BANDS],
                       default="Sangat Rendah")  # fmt: skip
    dtype = pd.CategoricalDtype(list(KATEGORI), ordered=True)
    return pd.Series(labels, index=series.index, dtype=object).where(numbers.notna()).astype(dtype).rename("kategori")


def _check_points(name: str, points: Mapping[str, float], keys: tuple[str, ...]) -> dict[str, float]:
    missing = [k for k in keys if k not in points]
    bad = [k for k, v in points.items() if isinstance(v, bool) or not isinstance(v, int | float) or v < 0]
    if missing or bad:
        raise InvalidOptionError(
            f"{name} needs a non-negative number for each of {list(keys)}; missing {missing}, bad {bad}."
        )
    return {k: float(points[k]) for k in keys}


def _kompetensi(
    staff: pd.DataFrame,
    pelatihan: pd.DataFrame,
    points: dict[str, float],
    *,
    as_of: pd.Timestamp,
    window_years: int,
    cap: float,
) -> pd.Series:
    done = pelatihan.loc[pelatihan["tanggal_selesai"] <= as_of, ["nip", "jenis", "jp", "tanggal_selesai"]]
    recent = done["tanggal_selesai"] > as_of - pd.DateOffset(years=window_years)
    jenis = done["jenis"].astype("object")
    has = (
        pd.DataFrame(
            {
                "nip": done["nip"],
                "diklat_kepemimpinan": jenis == "diklat_kepemimpinan",
                "diklat_fungsional": jenis == "diklat_fungsional",
                "diklat_teknis_20jp": (jenis == "diklat_teknis") & (done["jp"].astype("float64") >= 20) & recent,
                "pengembangan_lain": jenis.isin(_OTHER_DEVELOPMENT) & recent,
            }
        )
        .groupby("nip")
        .any()
    )
    has = has.reindex(staff["nip"], fill_value=False)
    post = staff["jenis_jabatan"].astype("object").to_numpy()
    total = (has["diklat_kepemimpinan"].to_numpy() & np.isin(post, _MANAGERIAL)) * points["diklat_kepemimpinan"]
    total = total + (has["diklat_fungsional"].to_numpy() & (post == "fungsional")) * points["diklat_fungsional"]
    total = total + has["diklat_teknis_20jp"].to_numpy() * points["diklat_teknis_20jp"]
    total = total + has["pengembangan_lain"].to_numpy() * points["pengembangan_lain"]
    return pd.Series(np.minimum(total, cap), index=staff.index)


def ip_asn(
    dataset: Dataset,
    *,
    as_of: str | pd.Timestamp,
    status: tuple[str, ...] = ("pns",),
    kualifikasi_points: Mapping[str, float] = KUALIFIKASI_POINTS,
    kompetensi_points: Mapping[str, float] = KOMPETENSI_POINTS,
    kinerja_points: Mapping[str, float] = KINERJA_POINTS,
    disiplin_points: Mapping[str, float] = DISIPLIN_POINTS,
    weights: Mapping[str, float] = DIMENSION_MAX,
    training_window_years: int = 2,
    appraisal_lag: int = 1,
    max_appraisal_age: int = 2,
    disiplin_window_years: int | None = None,
) -> pd.DataFrame:
    """Indeks Profesionalitas ASN of each employee in post on ``as_of``.

    ``kualifikasi`` = points of the highest education; ``kompetensi`` = sum of the points of each kind of
    development held (diklat kepemimpinan and fungsional at any time before ``as_of``, diklat teknis of
    >= 20 JP and other development within ``training_window_years``), capped at 40; ``kinerja`` = points of
    the last annual appraisal of a year in [Y - max_appraisal_age, Y - appraisal_lag], Y the year of
    ``as_of`` (predikat from 2022, PP 46/2011 kategori before); ``disiplin`` = points of the heaviest
    sanction dated on or before ``as_of`` (within ``disiplin_window_years`` if given), ``tidak_ada`` when none.
    ``ip_asn`` is their sum. ``weights`` gives each dimension's maximum (default :data:`DIMENSION_MAX`;
    kinerja 30 and disiplin 5 are [likely]): the kompetensi cap, and the bound no point table may exceed.
    A dimension whose table is absent from ``dataset``, or an employee without an appraisal in the window,
    is missing, and so is their ``ip_asn``: an unknown is not scored as zero.

    Returns
    -------
    DataFrame
        One row per employee: ``nip``, ``unit_id``, ``status``, ``jenis_jabatan``, ``kualifikasi``,
        ``kompetensi``, ``kinerja``, ``disiplin``, ``ip_asn``, ``kategori`` (:func:`ip_asn_kategori`), ``method``.

    Examples
    --------
    >>> from kinerja_analysis import load_dataset, paths
    >>> scores = ip_asn(load_dataset(paths.demo_data_dir()), as_of="2024-12-31")
    >>> bool(scores["ip_asn"].dropna().between(0, 100).all())
    True
    """
    for name, value in (("training_window_years", training_window_years), ("appraisal_lag", appraisal_lag),
                        ("max_appraisal_age", max_appraisal_age)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidOptionError(f"{name}={value!r} is not allowed; choose a whole number >= 0.")
    kual = _check_points("kualifikasi_points", kualifikasi_points, schema.PENDIDIKAN)
    komp = _check_points("kompetensi_points", kompetensi_points, tuple(KOMPETENSI_POINTS))
    kin = _check_points("kinerja_points", kinerja_points, tuple(KINERJA_POINTS))
    dis = _check_points("disiplin_points", disiplin_points, tuple(DISIPLIN_POINTS))
    caps = _check_points("weights", weights, tuple(DIMENSION_MAX))
    if abs(sum(caps.values()) - 100) > 1e-9:
        raise InvalidOptionError(f"weights={caps} must add up to 100.")
    for name, table in (("kualifikasi", kual), ("kinerja", kin), ("disiplin", dis)):
        if max(table.values()) > caps[name]:
            raise InvalidOptionError(f"{name} points may not exceed the dimension's {caps[name]:g}.")
    dataset.require("pegawai", analysis="ip_asn")
    as_of = pd.Timestamp(as_of)
    peg = dataset.pegawai
    gone = peg["tanggal_keluar"] if "tanggal_keluar" in peg.columns else pd.Series(pd.NaT, index=peg.index)
    in_post = (peg["tmt_cpns"] <= as_of) & (gone.isna() | (gone > as_of)) & peg["status"].astype("object").isin(status)
    staff = peg.loc[in_post, ["nip", "unit_id", "status", "jenis_jabatan", "pendidikan"]].reset_index(drop=True)
    out = staff[["nip", "unit_id", "status", "jenis_jabatan"]].copy()
    out["kualifikasi"] = staff["pendidikan"].astype("object").map(kual).astype("float64")
    if dataset.pelatihan is not None:
        out["kompetensi"] = _kompetensi(
            staff, dataset.pelatihan, komp, as_of=as_of, window_years=training_window_years, cap=caps["kompetensi"]
        )
    else:
        out["kompetensi"] = np.nan
    out["kinerja"] = np.nan
    if dataset.kinerja is not None and len(dataset.kinerja):
        appraisals = _annual_appraisals(dataset.kinerja, periodic_rule=None, pp46_boundaries="lower_inclusive")
        window = appraisals["tahun"].between(as_of.year - max_appraisal_age, as_of.year - appraisal_lag)
        last = appraisals.loc[window].sort_values(["nip", "tahun"]).drop_duplicates("nip", keep="last")
        out["kinerja"] = out["nip"].map(last.set_index("nip")["penilaian"].map(kin)).astype("float64")
    if dataset.disiplin is not None:
        sanctions = dataset.disiplin.loc[dataset.disiplin["tanggal"] <= as_of]
        if disiplin_window_years is not None:
            sanctions = sanctions.loc[sanctions["tanggal"] > as_of - pd.DateOffset(years=disiplin_window_years)]
        worst = sanctions.groupby("nip")["tingkat"].max()  # ordered categorical: berat is the heaviest
        out["disiplin"] = (
            out["nip"].map(worst.astype("object")).astype("object").fillna("tidak_ada").map(dis).astype("float64")
        )
    else:
        out["disiplin"] = np.nan
    out["ip_asn"] = out[["kualifikasi", "kompetensi", "kinerja", "disiplin"]].sum(axis=1, min_count=4)
    out["kategori"] = ip_asn_kategori(out["ip_asn"])
    window_text = "whole record" if disiplin_window_years is None else f"{disiplin_window_years} years"
    out["method"] = (
        f"IP ASN on {as_of.date()}: weights {caps}; kualifikasi {dict(kual)}, kompetensi {dict(komp)} capped "
        f"(training window {training_window_years} years), kinerja {dict(kin)}, disiplin {dict(dis)} "
        f"({window_text}); point tables marked [open] in DOMAIN.md 4 are defaults"
    )
    return out
