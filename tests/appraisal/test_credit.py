"""Angka kredit (Peraturan BKN 3/2023): share x coefficient x months / 12, worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.appraisal.credit import KOEFISIEN, angka_kredit
from kinerja_analysis.common.errors import KinerjaDataError


def test_ahli_pertama_sangat_baik_is_18_75():
    # 150% x 12.5 = 18.75 (DOMAIN.md 3.3, firm)
    assert angka_kredit(["Sangat Baik"], ["Ahli Pertama"]).tolist() == [18.75]


def test_part_year_scales_by_months():
    # Ahli Muda, Baik, 6 months: 100% x 25 x 6/12 = 12.5
    assert angka_kredit(["Baik"], ["ahli_muda"], bulan=6).tolist() == [12.5]
    # Terampil, Kurang, 3 months: 50% x 5 x 3/12 = 0.625
    assert angka_kredit(["Kurang"], ["TERAMPIL"], bulan=[3]).tolist() == [0.625]


@pytest.mark.parametrize(
    ("predikat", "expected"),
    # Ahli Pertama (12.5): 150% 18.75, 100% 12.5, 75% 9.375, 50% 6.25, 25% 3.125
    [("Sangat Baik", 18.75), ("Baik", 12.5), ("Butuh Perbaikan", 9.375), ("Kurang", 6.25), ("Sangat Kurang", 3.125)],
)
def test_each_predikat_share(predikat, expected):
    assert angka_kredit(predikat, "Ahli Pertama").tolist() == [expected]


def test_default_coefficients_as_in_the_domain_notes():
    assert KOEFISIEN == {"pemula": 3.75, "terampil": 5.0, "mahir": 12.5, "penyelia": 25.0, "ahli_pertama": 12.5,
                         "ahli_muda": 25.0, "ahli_madya": 37.5, "ahli_utama": 50.0}  # fmt: skip
    # Baik for a full year earns exactly the coefficient, jenjang by jenjang
    out = angka_kredit("Baik", ["Pemula", "Mahir", "Penyelia", "Ahli Madya", "Ahli Utama"])
    assert out.tolist() == [3.75, 12.5, 25.0, 37.5, 50.0]


def test_coefficients_can_be_overridden_and_the_rest_kept():
    # Ahli Madya set to 40: Baik -> 40, Kurang -> 20; Ahli Muda keeps 25
    out = angka_kredit(
        ["Baik", "Kurang", "Baik"], ["Ahli Madya", "ahli madya", "Ahli Muda"], koefisien={"Ahli Madya": 40}
    )
    assert out.tolist() == [40.0, 20.0, 25.0]
    assert KOEFISIEN["ahli_madya"] == 37.5  # the module default is untouched
    with pytest.raises(KinerjaDataError, match="positive number"):
        angka_kredit("Baik", "Ahli Madya", koefisien={"Ahli Madya": -1})
    with pytest.raises(KinerjaDataError, match="'ahli tengah'"):
        angka_kredit("Baik", "Ahli Madya", koefisien={"ahli tengah": 30})


def test_index_and_missing_values():
    predikat = pd.Series(["Baik", None, "Baik"], index=[7, 8, 9])
    out = angka_kredit(predikat, "Ahli Pertama", bulan=[12, 12, np.nan])
    assert out.index.tolist() == [7, 8, 9]
    assert out.iloc[0] == 12.5 and out.iloc[1:].isna().all()


@pytest.mark.parametrize("bulan", [0, 13, -1, 6.5, "enam"])
def test_months_outside_1_to_12_are_refused(bulan):
    with pytest.raises(KinerjaDataError, match="whole number of months 1-12"):
        angka_kredit("Baik", "Ahli Pertama", bulan=bulan)


def test_unknown_values_and_lengths_are_refused():
    with pytest.raises(KinerjaDataError, match="'Istimewa'"):
        angka_kredit("Istimewa", "Ahli Pertama")
    with pytest.raises(KinerjaDataError, match="'ahli tengah'"):
        angka_kredit("Baik", "ahli tengah")
    with pytest.raises(KinerjaDataError, match="one length"):
        angka_kredit(["Baik", "Baik"], ["Mahir", "Mahir", "Mahir"])
    with pytest.raises(KinerjaDataError, match="different indexes"):
        angka_kredit(pd.Series(["Baik"], index=[1]), pd.Series(["Mahir"], index=[2]))
