"""Joined views of a dataset that several analyses read: appraisal rows with the employee's unit.

``pegawai`` holds each employee's current unit only (exports carry no posting history), so a past
year's appraisal is placed in the unit the employee is in now. For staff who moved this misplaces
old rows; the docstrings and notebooks that use these views say so.
"""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.data.dataset import Dataset

__all__ = ["kinerja_units"]

_EMPLOYEE = ["nip", "unit_id", "status", "jenis_kelamin", "jenis_jabatan", "golongan"]
_UNIT = ["unit_id", "nama_unit", "jenis_unit", "instansi", "sektor"]


def kinerja_units(dataset: Dataset) -> pd.DataFrame:
    """Appraisal rows with the employee's (current) unit, sector, instansi and a few attributes.

    Returns
    -------
    DataFrame
        Every ``kinerja`` column plus ``unit_id``, ``status``, ``jenis_kelamin``, ``jenis_jabatan``,
        ``golongan`` (from ``pegawai``) and ``nama_unit``, ``jenis_unit``, ``instansi``, ``sektor``
        (from ``unit_kerja``). Rows keep the order and number of ``kinerja`` rows: the loader has
        already rejected appraisals whose NIP is not in ``pegawai``.

    Raises
    ------
    MissingTableError
        When ``kinerja``, ``pegawai`` or ``unit_kerja`` is absent.
    """
    dataset.require("kinerja", "pegawai", "unit_kerja", analysis="The appraisal view by unit")
    employees = dataset.pegawai[_EMPLOYEE]
    units = dataset.unit_kerja[_UNIT]
    out = dataset.kinerja.merge(employees, on="nip", how="left", validate="many_to_one")
    return out.merge(units, on="unit_id", how="left", validate="many_to_one")
