"""What a dataset covers: the period of each table and the appraisal regime of each year.

Analyses that follow need to know which years they can compare. Appraisals before 2022 and from 2022
are different measurements (DOMAIN.md section 3.4), so the regime is shown next to every year.
"""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.data.regimes import regime
from kinerja_analysis.data.schema import TABLE_ORDER

__all__ = ["table_coverage", "appraisal_years"]

# The date that places a row of each table in time.
_DATE_COLUMN = {
    "pegawai": "tmt_cpns",
    "pelatihan": "tanggal_mulai",
    "seleksi": "tanggal",
    "layanan": "tanggal_masuk",
    "survei": "tanggal",
    "pengaduan": "tanggal_masuk",
    "disiplin": "tanggal",
}


def table_coverage(dataset: Dataset) -> pd.DataFrame:
    """One row per canonical table: whether it is present, its rows, and the period it spans.

    Returns
    -------
    DataFrame
        ``table``, ``present`` (bool), ``rows`` (accepted rows), ``dari`` and ``sampai`` (first and
        last year, from the column that dates a row: tanggal_masuk for layanan, tahun for kinerja, ...),
        ``kolom_waktu`` (that column).
    """
    rows = []
    for name in TABLE_ORDER:
        frame = getattr(dataset, name)
        column = "tahun" if name == "kinerja" else _DATE_COLUMN.get(name)
        first = last = pd.NA
        if frame is not None and column is not None and len(frame):
            years = frame[column] if column == "tahun" else frame[column].dt.year
            first, last = years.min(), years.max()
        rows.append(
            {
                "table": name,
                "present": frame is not None,
                "rows": 0 if frame is None else len(frame),
                "dari": first,
                "sampai": last,
                "kolom_waktu": column or "",
            }
        )
    out = pd.DataFrame(rows)
    out[["dari", "sampai"]] = out[["dari", "sampai"]].astype("Int64")
    return out


def appraisal_years(kinerja: pd.DataFrame) -> pd.DataFrame:
    """Appraisal rows per year and period type, with the regime that governs each year.

    Returns
    -------
    DataFrame
        ``tahun``, ``regime`` (``pp46_2011`` or ``permenpanrb_6_2022``), ``tahunan`` (annual rows),
        ``periodik`` (monthly or quarterly rows), ``pegawai`` (distinct NIPs).

    >>> k = pd.DataFrame({"nip": ["a", "a", "b"], "tahun": [2021, 2022, 2022],
    ...                   "periode": ["tahunan", "tahunan", "Q1"]})
    >>> appraisal_years(k).to_dict("records")[1]
    {'tahun': 2022, 'regime': 'permenpanrb_6_2022', 'tahunan': 1, 'periodik': 1, 'pegawai': 2}
    """
    annual = kinerja["periode"] == "tahunan"
    out = (
        kinerja.assign(_annual=annual, _periodic=~annual)
        .groupby("tahun", sort=True)
        .agg(tahunan=("_annual", "sum"), periodik=("_periodic", "sum"), pegawai=("nip", "nunique"))
        .reset_index()
    )
    out.insert(1, "regime", [regime(int(t)) for t in out["tahun"]])
    out["tahun"] = out["tahun"].astype(int)
    return out[["tahun", "regime", "tahunan", "periodik", "pegawai"]].astype(
        {"tahunan": int, "periodik": int, "pegawai": int}
    )
