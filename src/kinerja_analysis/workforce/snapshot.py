"""Who works here: the workforce at a reference date, its composition, and the national comparison.

Age and tenure are derived from the NIP itself (DOMAIN.md section 1), which also shows how much a NIP
reveals about a person: one more reason it never appears in a report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import MissingColumnError
from kinerja_analysis.common.privacy import suppress_small_cells
from kinerja_analysis.data.nip import parse_nip
from kinerja_analysis.workforce.national import national_workforce

__all__ = ["workforce_snapshot", "composition", "compare_with_national", "AGE_BANDS", "TENURE_BANDS"]

AGE_BANDS: tuple[str, ...] = ("<=30", "31-40", "41-50", "51-60", ">60")
TENURE_BANDS: tuple[str, ...] = ("0-10", "11-20", "21-30", ">30")
_EDUCATION_GROUPS = {"SD": "SD/SMP", "SMP": "SD/SMP", "SMA": "SMA", "D1": "D1/D2/D4", "D2": "D1/D2/D4",
                     "D3": "D3", "D4": "D1/D2/D4", "S1": "S1", "S2": "S2", "S3": "S3"}  # fmt: skip
_EDUCATION_ORDER = ("SD/SMP", "SMA", "D1/D2/D4", "D3", "S1", "S2", "S3")
_POSITION_GROUPS = {"pelaksana": "pelaksana", "fungsional": "fungsional", "pengawas": "manajerial",
                    "administrator": "manajerial", "jpt_pratama": "manajerial", "jpt_madya": "manajerial",
                    "jpt_utama": "manajerial"}  # fmt: skip
_POSITION_ORDER = ("fungsional", "pelaksana", "manajerial")


def _completed_years(start: pd.Series, as_of: pd.Timestamp) -> pd.Series:
    """Whole years from ``start`` to ``as_of`` (an anniversary not yet reached does not count)."""
    years = as_of.year - start.dt.year
    before_anniversary = (start.dt.month > as_of.month) | ((start.dt.month == as_of.month) & (start.dt.day > as_of.day))
    return (years - before_anniversary.astype("Int64")).astype("Int64")


def _band(values: pd.Series, edges: Sequence[int], labels: Sequence[str]) -> pd.Series:
    cut = pd.cut(values.astype("float64"), bins=[-np.inf, *edges, np.inf], labels=list(labels), right=True)
    return cut.astype(pd.CategoricalDtype(list(labels), ordered=True))


def workforce_snapshot(
    pegawai: pd.DataFrame, unit_kerja: pd.DataFrame | None = None, *, as_of: str | pd.Timestamp
) -> pd.DataFrame:
    """Employees in post on ``as_of``, with age, tenure and groupings derived from the NIP.

    An employee is in post when appointed on or before ``as_of`` (``tmt_cpns``) and not yet gone
    (``tanggal_keluar``, the first day out of post as TMT pensiun is, empty or after ``as_of``).

    Returns
    -------
    DataFrame
        The ``pegawai`` columns plus ``usia`` and ``masa_kerja`` (completed years at ``as_of``; birth
        date from the NIP, appointment from the NIP for PNS and from ``tmt_cpns`` for PPPK, whose NI
        carries only the year), ``kelompok_usia`` (<=30, 31-40, 41-50, 51-60, >60: BKN's bands),
        ``kelompok_masa_kerja`` (0-10, 11-20, 21-30, >30), ``kelompok_pendidikan`` and
        ``kelompok_jabatan`` (fungsional, pelaksana, manajerial), and, when ``unit_kerja`` is given, the
        unit's ``nama_unit``, ``jenis_unit``, ``instansi`` and ``sektor``.

    Examples
    --------
    >>> peg = pd.DataFrame({"nip": ["198609262015051001"], "status": ["pns"],
    ...     "tmt_cpns": pd.to_datetime(["2015-05-01"]), "tanggal_keluar": pd.to_datetime([None]),
    ...     "pendidikan": ["S1"], "jenis_jabatan": ["fungsional"]})
    >>> snap = workforce_snapshot(peg, as_of="2025-12-31")
    >>> int(snap.usia.iloc[0]), int(snap.masa_kerja.iloc[0]), snap.kelompok_usia.iloc[0]
    (39, 10, '31-40')
    """
    needed = {"nip", "tmt_cpns", "pendidikan", "jenis_jabatan"}
    missing = sorted(needed - set(pegawai.columns))
    if missing:
        raise MissingColumnError(f"table pegawai lacks column(s) {missing}, needed for the workforce snapshot.")
    as_of = pd.Timestamp(as_of)
    gone = pegawai["tanggal_keluar"] if "tanggal_keluar" in pegawai else pd.Series(pd.NaT, index=pegawai.index)
    in_post = (pegawai["tmt_cpns"] <= as_of) & (gone.isna() | (gone > as_of))
    snap = pegawai.loc[in_post].copy()
    parsed = parse_nip(snap["nip"].reset_index(drop=True))
    parsed.index = snap.index
    appointed = parsed["tmt_cpns"].fillna(snap["tmt_cpns"])
    snap["usia"] = _completed_years(parsed["tanggal_lahir"], as_of)
    snap["masa_kerja"] = _completed_years(appointed, as_of)
    snap["kelompok_usia"] = _band(snap["usia"], (30, 40, 50, 60), AGE_BANDS)
    snap["kelompok_masa_kerja"] = _band(snap["masa_kerja"], (10, 20, 30), TENURE_BANDS)
    snap["kelompok_pendidikan"] = (
        snap["pendidikan"]
        .astype("object")
        .map(_EDUCATION_GROUPS)
        .astype(pd.CategoricalDtype(list(_EDUCATION_ORDER), ordered=True))
    )
    snap["kelompok_jabatan"] = (
        snap["jenis_jabatan"].astype("object").map(_POSITION_GROUPS).astype(pd.CategoricalDtype(list(_POSITION_ORDER)))
    )
    if unit_kerja is not None:
        units = unit_kerja[["unit_id", "nama_unit", "jenis_unit", "instansi", "sektor"]]
        snap = snap.merge(units, on="unit_id", how="left", validate="many_to_one")
    return snap.reset_index(drop=True)


def composition(
    snapshot: pd.DataFrame,
    *,
    by: str | Sequence[str],
    within: str | Sequence[str] | None = None,
    min_n: int = 10,
    drop_empty: bool = False,
) -> pd.DataFrame:
    """Head counts and shares of a workforce snapshot.

    This is a census of the employees in the data, not a sample, so the shares carry no sampling
    interval. Groups smaller than ``min_n`` (empty ones included) keep their row but have ``n`` and
    ``share`` suppressed (``suppressed`` is True), as published group statistics about people must
    (DOMAIN.md section 7; :func:`kinerja_analysis.common.privacy.suppress_small_cells`), and so do the smallest
    other groups where needed so that a hidden count cannot be worked out from the total (complementary
    suppression within ``within``, or over the table).

    Parameters
    ----------
    by
        Column(s) to count by.
    within
        Column(s), a subset of ``by``, within which shares add to 1 (default: the whole snapshot).
    min_n
        Minimum cell size for publication (default 10).
    drop_empty
        Leave out combinations with no employee (useful for golongan, whose PNS and PPPK scales never
        meet in one person).

    Returns
    -------
    DataFrame
        ``by`` columns, ``n``, ``share``, ``suppressed``. Unless ``drop_empty``, empty categories of
        categorical columns are kept with n = 0 (an empty group is information too).

    >>> snap = pd.DataFrame({"jenis_kelamin": ["L"] * 12 + ["P"] * 8})
    >>> composition(snap, by="jenis_kelamin", min_n=5)[["jenis_kelamin", "n", "share"]].to_dict("list")
    {'jenis_kelamin': ['L', 'P'], 'n': [12, 8], 'share': [0.6, 0.4]}
    """
    by = [by] if isinstance(by, str) else list(by)
    within = [] if within is None else ([within] if isinstance(within, str) else list(within))
    absent = sorted(set(by) - set(snapshot.columns))
    if absent:
        raise MissingColumnError(f"workforce snapshot has no column(s) {absent}; available: {list(snapshot.columns)}")
    if not set(within) <= set(by):
        raise MissingColumnError(f"within={within} must be among by={by}")
    counts = snapshot.groupby(by, observed=False, dropna=False).size().rename("n").reset_index()
    totals = counts.groupby(within, observed=False)["n"].transform("sum") if within else counts["n"].sum()
    counts["share"] = counts["n"] / totals
    if drop_empty:
        counts = counts.loc[counts["n"] > 0].reset_index(drop=True)
    # Shares give each group's total away, so a lone hidden cell would be total minus the others.
    return suppress_small_cells(counts, min_n=min_n, columns=["n", "share"], complement=within or True)


def compare_with_national(snapshot: pd.DataFrame, *, status: str = "pns", min_n: int = 10) -> pd.DataFrame:
    """Shares of this workforce beside the published national shares of PNS (DOMAIN.md section 9).

    Only employees with ``status`` (default ``pns``, as the national figures are about PNS) are used.
    Levels with fewer than ``min_n`` employees here have ``n``, ``share`` and ``difference`` suppressed.

    Returns
    -------
    DataFrame
        ``dimension``, ``level``, ``n``, ``share`` (here), ``share_nasional``, ``difference``
        (here minus national, in share points), ``source``, ``confidence``.
    """
    snap = snapshot.loc[snapshot["status"] == status] if "status" in snapshot else snapshot
    rows = []
    national = national_workforce()
    for dimension, ref in national.groupby("dimension", sort=False):
        counts = snap[dimension].astype("object").value_counts()
        total = counts.sum()
        for level in ref["level"]:
            n = int(counts.get(level, 0))
            rows.append({"dimension": dimension, "level": level, "n": n, "share": n / total if total else np.nan})
    here = pd.DataFrame(rows)
    out = here.merge(national, on=["dimension", "level"], how="left").rename(
        columns={"share_x": "share", "share_y": "share_nasional"}
    )
    out["difference"] = out["share"] - out["share_nasional"]
    out = out[["dimension", "level", "n", "share", "share_nasional", "difference", "source", "confidence"]]
    return suppress_small_cells(out, min_n=min_n, columns=["n", "share", "difference"], complement=["dimension"])
