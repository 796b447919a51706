"""The appraisal view by unit keeps every appraisal row and adds the unit's attributes."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.common.errors import MissingTableError
from kinerja_analysis.data import views
from kinerja_analysis.data.dataset import Dataset


def _dataset(**drop) -> Dataset:
    unit = pd.DataFrame(
        {
            "unit_id": ["U1", "U2"],
            "nama_unit": ["Kelurahan A", "SD 1"],
            "jenis_unit": ["kelurahan", "sd"],
            "instansi": ["Pemkot", "Dinas Pendidikan"],
            "sektor": ["pemerintahan", "pendidikan"],
        }
    )
    peg = pd.DataFrame(
        {
            "nip": ["n1", "n2"],
            "unit_id": ["U2", "U1"],
            "status": ["pns", "pppk"],
            "jenis_kelamin": ["P", "L"],
            "jenis_jabatan": ["fungsional", "pelaksana"],
            "golongan": ["III/a", "IX"],
        }
    )
    kin = pd.DataFrame(
        {
            "nip": ["n1", "n2", "n1"],
            "tahun": [2022, 2022, 2023],
            "periode": ["tahunan"] * 3,
            "predikat": ["Baik", "Sangat Baik", "Baik"],
        }
    )
    tables = {"unit_kerja": unit, "pegawai": peg, "kinerja": kin}
    return Dataset(**{k: v for k, v in tables.items() if k not in drop})


def test_each_appraisal_row_gets_its_employees_unit_and_sector():
    out = views.kinerja_units(_dataset())
    assert len(out) == 3
    assert out["sektor"].tolist() == ["pendidikan", "pemerintahan", "pendidikan"]
    assert out["nama_unit"].tolist() == ["SD 1", "Kelurahan A", "SD 1"]
    assert out["predikat"].tolist() == ["Baik", "Sangat Baik", "Baik"]


def test_missing_table_is_named():
    with pytest.raises(MissingTableError, match="unit_kerja"):
        views.kinerja_units(_dataset(unit_kerja=True))
