"""The old regime's scores: PP 46/2011 and Perka BKN 1/2013 (appraisals from 2014 to 2021).

Each SKP activity (kegiatan) is scored on kuantitas, kualitas, waktu and, when budgeted, biaya; the
activity score is their mean, nilai SKP the mean over activities, and nilai prestasi kerja
0.6 x nilai SKP + 0.4 x nilai perilaku kerja, banded into five categories (DOMAIN.md 3.4) [firm].
The waktu and biaya formulas have quirks (on time scores 76, finishing much earlier scores less than
finishing a little earlier); they are the regulation's and are kept exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.appraisal.predikat_2022 import Values, _as_series, _paired, _rows
from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data import schema

__all__ = [
    "aspek_kuantitas",
    "aspek_kualitas",
    "aspek_waktu",
    "aspek_biaya",
    "nilai_kegiatan",
    "nilai_skp",
    "nilai_prestasi_kerja",
    "kategori_pp46",
    "KEGIATAN_COLUMNS",
]

Boundaries = Literal["lower_inclusive", "round_first"]

KEGIATAN_COLUMNS: tuple[str, ...] = (
    "realisasi_kuantitas", "target_kuantitas", "realisasi_kualitas", "target_kualitas",
    "realisasi_waktu", "target_waktu",
)  # fmt: skip
"""Columns :func:`nilai_kegiatan` needs; ``realisasi_biaya`` and ``target_biaya`` are optional."""

_CUTOFFS: tuple[tuple[float, str], ...] = ((91, "Sangat Baik"), (76, "Baik"), (61, "Cukup"), (51, "Kurang"))
_KINERJA = schema.TABLES["kinerja"]
_WEIGHT_SKP, _WEIGHT_PERILAKU = 0.6, 0.4


def _numbers(values: object, *, name: str) -> pd.Series:
    """Float64 values of ``values``; text that is not a number, or an infinite value, is an error."""
    series = _as_series(values, name=name)
    numeric = pd.to_numeric(series, errors="coerce").astype("float64")
    bad = (series.notna() & numeric.isna()) | np.isinf(numeric)
    if bad.any():
        raise KinerjaDataError(f"{name} has values that are not finite numbers at rows {_rows(bad)}; correct them.")
    return numeric


def _pair(realisasi: Values, target: Values, *, aspect: str) -> tuple[pd.Series, pd.Series]:
    """Realisation and target as aligned float Series; targets must be positive, realisations >= 0."""
    r = _numbers(realisasi, name=f"realisasi_{aspect}")
    t = _numbers(target, name=f"target_{aspect}")
    r, t = _paired(r, t, (realisasi, target), (f"realisasi_{aspect}", f"target_{aspect}"))
    if (t <= 0).any():
        raise KinerjaDataError(
            f"target_{aspect} must be positive; rows {_rows(t <= 0)} have a zero or negative target. "
            "An aspect without a target (e.g. an unbudgeted biaya) is left out, not scored."
        )
    if (r < 0).any():
        raise KinerjaDataError(f"realisasi_{aspect} is negative at rows {_rows(r < 0)}; correct it.")
    return r, t


def aspek_kuantitas(realisasi: Values, target: Values) -> pd.Series:
    """Kuantitas aspect: realisasi / target x 100 (Perka BKN 1/2013) [firm].

    Returns a float Series named ``kuantitas``; missing input gives missing output, 0 realised gives 0.

    >>> aspek_kuantitas([10, 12, 0], [12, 12, 12]).round(2).tolist()
    [83.33, 100.0, 0.0]
    """
    r, t = _pair(realisasi, target, aspect="kuantitas")
    return (r / t * 100).rename("kuantitas")


def aspek_kualitas(realisasi: Values, target: Values) -> pd.Series:
    """Kualitas aspect: realisasi / target x 100 (Perka BKN 1/2013) [firm]; see :func:`aspek_kuantitas`.

    >>> aspek_kualitas([90], [100]).tolist()
    [90.0]
    """
    r, t = _pair(realisasi, target, aspect="kualitas")
    return (r / t * 100).rename("kualitas")


def _efficiency_score(r: pd.Series, t: pd.Series) -> pd.Series:
    """Perka BKN 1/2013 efficiency rule for waktu and biaya, exactly as written.

    e = 100 - RW/TW x 100. If e <= 24: ((1.76 TW - RW) / TW) x 100; else
    76 - ((((1.76 TW - RW) / TW) x 100) - 100). e is rounded to 9 decimals before the test so that
    floating-point noise (e.g. 24.000000000000004 for RW = 0.76 TW) cannot flip the branch. A
    realisation of 0 means the activity was not carried out and scores 0 (the second branch gives 0 up
    to rounding; it is set exactly). Nothing is clipped: RW > 1.76 TW scores below 0, as the formula says.
    """
    e = 100 - r / t * 100
    base = (1.76 * t - r) / t * 100
    score = base.where(e.round(9) <= 24, 76 - (base - 100))
    return score.mask(r == 0, 0.0)


def aspek_waktu(realisasi: Values, target: Values) -> pd.Series:
    """Waktu aspect from realised (RW) and target (TW) time, by the efficiency rule [firm].

    On-time completion (RW = TW, e = 0) scores 76, not 100. Finishing earlier raises the score up to
    100 at e = 24 (RW = 0.76 TW); beyond that the score drops to 75 at e = 25 and falls further
    (e = 16.67%, RW = 10 of 12 months, gives 92.67). Late completion scores below 76. A realisation
    of 0 (not carried out) scores 0.

    Returns a float Series named ``waktu``.

    >>> aspek_waktu([12, 10, 9, 13], [12, 12, 12, 12]).round(2).tolist()
    [76.0, 92.67, 75.0, 67.67]
    """
    r, t = _pair(realisasi, target, aspect="waktu")
    return _efficiency_score(r, t).rename("waktu")


def aspek_biaya(realisasi: Values, target: Values) -> pd.Series:
    """Biaya aspect from realised (RB) and budgeted (TB) cost, by the same rule as :func:`aspek_waktu`.

    Use it only for budgeted activities: a target of 0 is an error here (see :func:`nilai_kegiatan`,
    which leaves the aspect out instead).

    >>> aspek_biaya([100_000_000], [100_000_000]).round(2).tolist()
    [76.0]
    """
    r, t = _pair(realisasi, target, aspect="biaya")
    return _efficiency_score(r, t).rename("biaya")


def nilai_kegiatan(kegiatan: pd.DataFrame) -> pd.Series:
    """Score of each SKP activity: the sum of its aspect scores over the number of aspects (3 or 4).

    Parameters
    ----------
    kegiatan
        One row per activity with :data:`KEGIATAN_COLUMNS`, and optionally ``realisasi_biaya`` and
        ``target_biaya``. A row whose ``target_biaya`` is missing or 0 is unbudgeted (the SKP form shows
        "-" or 0) and has three aspects; a positive ``target_biaya`` makes four.

    Returns
    -------
    Series
        ``nilai_kegiatan`` with the index of ``kegiatan``. An activity not carried out (detected as
        ``realisasi_kuantitas`` = 0: no output was produced) scores 0 whatever the other columns say.
        Missing inputs give a missing score.

    Examples
    --------
    >>> k = pd.DataFrame({"realisasi_kuantitas": [12, 0], "target_kuantitas": [12, 12],
    ...     "realisasi_kualitas": [90, 0], "target_kualitas": [100, 100],
    ...     "realisasi_waktu": [10, 12], "target_waktu": [12, 12]})
    >>> nilai_kegiatan(k).round(2).tolist()  # (100 + 90 + 92.67) / 3
    [94.22, 0.0]
    """
    missing = [c for c in KEGIATAN_COLUMNS if c not in kegiatan.columns]
    if missing:
        raise MissingColumnError(f"the activity table lacks column(s) {missing}, needed for nilai kegiatan.")
    aspects = [
        aspek_kuantitas(kegiatan["realisasi_kuantitas"], kegiatan["target_kuantitas"]),
        aspek_kualitas(kegiatan["realisasi_kualitas"], kegiatan["target_kualitas"]),
        aspek_waktu(kegiatan["realisasi_waktu"], kegiatan["target_waktu"]),
    ]
    total = aspects[0] + aspects[1] + aspects[2]
    count = pd.Series(3.0, index=kegiatan.index)
    if "target_biaya" in kegiatan.columns:
        if "realisasi_biaya" not in kegiatan.columns:
            raise MissingColumnError("the activity table has target_biaya but no realisasi_biaya.")
        target = _numbers(kegiatan["target_biaya"], name="target_biaya")
        budgeted = target.fillna(0) > 0
        biaya = aspek_biaya(kegiatan["realisasi_biaya"].where(budgeted), target.where(budgeted))
        total = total + biaya.where(budgeted, 0.0)
        count = count + budgeted.astype("float64")
    not_done = _numbers(kegiatan["realisasi_kuantitas"], name="realisasi_kuantitas") == 0
    return (total / count).mask(not_done, 0.0).rename("nilai_kegiatan")


def nilai_skp(
    kegiatan: pd.DataFrame | pd.Series,
    *,
    by: str | Sequence[str] | None = None,
    tambahan: float | pd.Series = 0.0,
) -> pd.DataFrame:
    """Nilai SKP: the mean of the activity scores, overall or per employee (Perka BKN 1/2013) [firm].

    Parameters
    ----------
    kegiatan
        Activity rows with a ``nilai_kegiatan`` column or the columns :func:`nilai_kegiatan` needs, or a
        Series of activity scores (then ``by`` must be None).
    by
        Column(s) identifying the employee (e.g. ``"nip"`` or ``("nip", "tahun")``); None for one SKP.
    tambahan
        Points for tugas tambahan and kreativitas added to the mean [open: Perka BKN 1/2013 gives point
        tables that are not verified here]: one number for all, or a Series indexed by the ``by`` key(s);
        keys absent from it get 0. Default 0.

    Returns
    -------
    DataFrame
        The ``by`` columns (if any), ``n_kegiatan`` and ``nilai_skp``. A missing activity score makes
        the employee's nilai SKP missing rather than silently averaging the rest.

    Examples
    --------
    >>> k = pd.DataFrame({"nip": ["a", "a", "b"], "nilai_kegiatan": [90.0, 80.0, 70.0]})
    >>> nilai_skp(k, by="nip").nilai_skp.tolist()
    [85.0, 70.0]
    """
    if isinstance(kegiatan, pd.Series):
        if by is not None:
            raise KinerjaDataError("nilai_skp got a Series of activity scores; by needs a DataFrame with a by column.")
        frame = kegiatan.rename("nilai_kegiatan").to_frame()
    elif "nilai_kegiatan" in kegiatan.columns:
        frame = kegiatan
    else:
        frame = kegiatan.assign(nilai_kegiatan=nilai_kegiatan(kegiatan))
    scores = _numbers(frame["nilai_kegiatan"], name="nilai_kegiatan")
    keys = [by] if isinstance(by, str) else list(by or [])
    absent = [k for k in keys if k not in frame.columns]
    if absent:
        raise MissingColumnError(f"the activity table lacks the by column(s) {absent}.")
    if keys and frame[keys].isna().any(axis=None):
        raise KinerjaDataError(f"by column(s) {keys} are missing at rows {_rows(frame[keys].isna().any(axis=1))}.")
    work = frame[keys].assign(nilai_kegiatan=scores) if keys else pd.DataFrame({"nilai_kegiatan": scores, "_all": 0})
    grouped = work.groupby(keys or ["_all"], sort=True)["nilai_kegiatan"]
    out = grouped.agg(n_kegiatan="size", nilai_skp=lambda s: s.mean(skipna=False))
    if isinstance(tambahan, pd.Series):
        extra = _numbers(tambahan, name="tambahan")
        if not keys:
            raise KinerjaDataError("tambahan as a Series needs by, the key its index refers to.")
        extra = extra.reindex(out.index, fill_value=0.0)
    else:
        extra = _numbers([tambahan], name="tambahan").iloc[0]
    if np.any(np.asarray(extra) < 0):
        raise KinerjaDataError("tambahan points cannot be negative.")
    out["nilai_skp"] = out["nilai_skp"] + extra
    return out.reset_index(drop=not keys).astype({"n_kegiatan": "int64"})


def _in_range(values: pd.Series, column: str) -> pd.Series:
    spec = _KINERJA.column(column)
    outside = (values < spec.min) | (values > spec.max)
    if outside.any():
        raise KinerjaDataError(
            f"kinerja.{column} must lie in {spec.min:g}-{spec.max:g}; rows {_rows(outside)} do not. Correct them."
        )
    return values


def nilai_prestasi_kerja(nilai_skp: Values, nilai_perilaku: Values) -> pd.Series:
    """Nilai prestasi kerja = 0.6 x nilai SKP + 0.4 x nilai perilaku kerja (PP 46/2011) [firm].

    Inputs are checked against the ranges of ``kinerja.nilai_skp`` (0-120) and
    ``kinerja.nilai_perilaku`` (0-100). Returns a float Series named ``nilai_prestasi_kerja``.

    >>> nilai_prestasi_kerja([85.0], [80.0]).round(2).tolist()  # 51 + 32
    [83.0]
    """
    skp = _in_range(_numbers(nilai_skp, name="nilai_skp"), "nilai_skp")
    perilaku = _in_range(_numbers(nilai_perilaku, name="nilai_perilaku"), "nilai_perilaku")
    skp, perilaku = _paired(skp, perilaku, (nilai_skp, nilai_perilaku), ("nilai_skp", "nilai_perilaku"))
    return (_WEIGHT_SKP * skp + _WEIGHT_PERILAKU * perilaku).rename("nilai_prestasi_kerja")


def kategori_pp46(nilai: Values, *, boundaries: Boundaries = "lower_inclusive") -> pd.Series:
    """Category of a nilai prestasi kerja: >= 91 Sangat Baik, >= 76 Baik, >= 61 Cukup, >= 51 Kurang, else Buruk.

    The regulation prints integer bands (76-90 Baik, 91-100 Sangat Baik), so where a non-integer such
    as 90.5 falls is [open]:

    - ``"lower_inclusive"`` (default): each cut-off is the lowest value of its band (90.99 is Baik).
      Values are rounded to 9 decimals before comparing, so that 0.6 x 99.6 + 0.4 x 78.1, which is
      91.00 by hand but 90.99999999999999 in floating point, is Sangat Baik.
    - ``"round_first"``: round to 2 decimals first (numpy rounding), so 90.996 becomes 91.00 and
      Sangat Baik.

    Returns
    -------
    Series
        Ordered categorical over ``schema.KATEGORI_PP46`` named ``kategori``; missing stays missing.

    >>> kategori_pp46([91, 90.99, 76, 75.99, 61, 51, 50.99]).tolist()
    ['Sangat Baik', 'Baik', 'Baik', 'Cukup', 'Cukup', 'Kurang', 'Buruk']
    """
    check_option("boundaries", boundaries, ("lower_inclusive", "round_first"))
    values = _numbers(nilai, name="nilai")
    # 9 decimals only removes floating-point noise; 2 decimals is the published precision.
    values = values.round(2 if boundaries == "round_first" else 9)
    labels = np.select([values >= cut for cut, _ in _CUTOFFS], [label for _, label in _CUTOFFS], default="Buruk")
    dtype = pd.CategoricalDtype(list(schema.KATEGORI_PP46), ordered=True)
    return pd.Series(labels, index=values.index, dtype=object).where(values.notna()).astype(dtype).rename("kategori")
