"""Angka kredit of jabatan fungsional from the predikat kinerja (Peraturan BKN 3/2023).

Annual credit = share of the predikat x the annual coefficient of the jenjang; a part year scales by
months / 12 (DOMAIN.md 3.3) [firm].
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from kinerja_analysis.appraisal.predikat_2022 import Values, _as_series, _canonical, _lookup, _rows
from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.data import schema

__all__ = ["angka_kredit", "KOEFISIEN", "PERSENTASE"]

PERSENTASE: dict[str, float] = {
    "Sangat Baik": 1.50,
    "Baik": 1.00,
    "Butuh Perbaikan": 0.75,
    "Kurang": 0.50,
    "Sangat Kurang": 0.25,
}
"""Share of the annual coefficient earned per predikat [firm]."""

KOEFISIEN: dict[str, float] = {
    "pemula": 3.75,
    "terampil": 5.0,
    "mahir": 12.5,
    "penyelia": 25.0,
    "ahli_pertama": 12.5,
    "ahli_muda": 25.0,
    "ahli_madya": 37.5,
    "ahli_utama": 50.0,
}
"""Annual coefficient per jenjang: ahli_pertama 12.5 [firm]; the others [likely]. Override with
``koefisien=``."""

_PREDIKAT = schema.TABLES["kinerja"].column("predikat")


def _jenjang_spec(table: Mapping[str, float]) -> schema.ColumnSpec:
    # "Ahli Pertama", "AHLI_PERTAMA" and "ahli pertama" all normalise to "ahlipertama".
    return schema.ColumnSpec("jenjang", "category", "jenjang jabatan fungsional", categories=tuple(table))


def _coefficients(koefisien: Mapping[str, float] | None) -> dict[str, float]:
    """The default table with the caller's entries (any spelling of the jenjang) laid over it."""
    table = dict(KOEFISIEN)
    if koefisien is None:
        return table
    names = pd.Series(list(koefisien), dtype=object)
    canonical = _canonical(names, _jenjang_spec(table), table="koefisien")
    for name, value in zip(canonical, koefisien.values(), strict=True):
        if not isinstance(value, int | float) or isinstance(value, bool) or not np.isfinite(value) or value <= 0:
            raise KinerjaDataError(f"koefisien for {name!r} must be a positive number, got {value!r}.")
        table[name] = float(value)
    return table


def _broadcast(columns: dict[str, pd.Series], raw: dict[str, object]) -> pd.Index:
    """One index for inputs that are either all the same length or of length 1 (a single value)."""
    lengths = {len(s) for s in columns.values() if len(s) != 1}
    if len(lengths) > 1:
        sizes = ", ".join(f"{k}: {len(s)}" for k, s in columns.items())
        raise KinerjaDataError(f"inputs must have one length (or a single value); got {sizes}.")
    size = max(lengths, default=1)
    indexes = [s.index for name, s in columns.items() if isinstance(raw[name], pd.Series) and len(s) == size]
    if any(not ix.equals(indexes[0]) for ix in indexes[1:]):
        raise KinerjaDataError(f"the Series among {list(columns)} have different indexes; align them first.")
    return indexes[0] if indexes else pd.RangeIndex(size)


def angka_kredit(
    predikat: Values,
    jenjang: Values,
    *,
    bulan: Values = 12,
    koefisien: Mapping[str, float] | None = None,
) -> pd.Series:
    """Angka kredit earned: share(predikat) x koefisien(jenjang) x bulan / 12 (Peraturan BKN 3/2023).

    Parameters
    ----------
    predikat
        Predikat kinerja (any spelling the schema reads), one value or one per row.
    jenjang
        Jenjang: pemula, terampil, mahir, penyelia, ahli_pertama, ahli_muda, ahli_madya, ahli_utama
        (case, spaces and punctuation ignored), one value or one per row.
    bulan
        Months appraised in the year, a whole number 1-12 (default 12), one value or one per row.
    koefisien
        Annual coefficients that replace entries of :data:`KOEFISIEN` (ahli_pertama 12.5 is [firm],
        the other defaults [likely]).

    Returns
    -------
    Series
        Float ``angka_kredit``, missing where an input is missing.

    Examples
    --------
    >>> angka_kredit(["Sangat Baik", "Baik"], ["Ahli Pertama", "Ahli Muda"], bulan=[12, 6]).tolist()
    [18.75, 12.5]
    """
    table = _coefficients(koefisien)
    raw = {"predikat": predikat, "jenjang": jenjang, "bulan": bulan}
    columns = {name: _as_series(value, name=name) for name, value in raw.items()}
    index = _broadcast(columns, raw)
    share = _lookup(_canonical(columns["predikat"], _PREDIKAT), PERSENTASE).astype("float64")
    coefficient = _lookup(_canonical(columns["jenjang"], _jenjang_spec(table), table="input"), table).astype("float64")
    months = pd.to_numeric(columns["bulan"], errors="coerce").astype("float64")
    not_a_number = columns["bulan"].notna() & months.isna()
    bad = not_a_number | (months.notna() & ~(months.between(1, 12) & (months % 1 == 0)))
    if bad.any():
        raise KinerjaDataError(f"bulan must be a whole number of months 1-12; rows {_rows(bad)} are not.")
    values = [np.broadcast_to(s.to_numpy(dtype="float64"), len(index)) for s in (share, coefficient, months)]
    return pd.Series(values[0] * values[1] * values[2] / 12, index=index, name="angka_kredit")
