"""PermenPANRB 6/2022 predikat, the head-of-unit rule, annual predikat and the regime guard.

Expected values are written out by hand from DOMAIN.md 3.1, not taken from the code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_analysis.appraisal import predikat_2022
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.data import schema

NIP_A = "198609262015051001"
NIP_B = "199001012019032002"
NIP_C = "198501012010011003"


# --- the matrix -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hk", "pk", "expected"),
    [
        # every cell of DOMAIN.md 3.1, row by row
        ("di_atas", "di_atas", "Sangat Baik"),
        ("di_atas", "sesuai", "Baik"),
        ("di_atas", "di_bawah", "Kurang"),
        ("sesuai", "di_atas", "Baik"),
        ("sesuai", "sesuai", "Baik"),
        ("sesuai", "di_bawah", "Kurang"),
        ("di_bawah", "di_atas", "Butuh Perbaikan"),
        ("di_bawah", "sesuai", "Butuh Perbaikan"),
        ("di_bawah", "di_bawah", "Sangat Kurang"),
    ],
)
def test_every_cell_of_the_matrix(hk, pk, expected):
    assert predikat_2022.predikat([hk], [pk]).tolist() == [expected]


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Di Atas Ekspektasi", "di_atas"),
        ("DIATAS", "di_atas"),
        ("di atas", "di_atas"),
        ("  Sesuai Ekspektasi ", "sesuai"),
        ("SESUAI", "sesuai"),
        ("Di Bawah Ekspektasi", "di_bawah"),
        ("di-bawah", "di_bawah"),
    ],
)
def test_spellings_of_ratings_are_read(spelling, canonical):
    # With PK sesuai the row decides: di_atas/sesuai -> Baik, di_bawah -> Butuh Perbaikan.
    expected = {"di_atas": "Baik", "sesuai": "Baik", "di_bawah": "Butuh Perbaikan"}[canonical]
    assert predikat_2022.predikat([spelling], ["sesuai"]).tolist() == [expected]
    # and as PK with HK di_atas: di_atas -> Sangat Baik, sesuai -> Baik, di_bawah -> Kurang
    expected_pk = {"di_atas": "Sangat Baik", "sesuai": "Baik", "di_bawah": "Kurang"}[canonical]
    assert predikat_2022.predikat(["di_atas"], [spelling]).tolist() == [expected_pk]


def test_output_is_the_ordered_predikat_dtype_with_the_input_index_and_missing_kept():
    hk = pd.Series(["di_atas", None, "sesuai", np.nan], index=[10, 11, 12, 13])
    pk = pd.Series(["di_atas", "sesuai", None, "di_bawah"], index=[10, 11, 12, 13])
    before = (hk.copy(), pk.copy())
    out = predikat_2022.predikat(hk, pk)
    assert out.dtype == schema.category_dtype("kinerja", "predikat")
    assert out.dtype.ordered
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.name == "predikat"
    assert out.iloc[0] == "Sangat Baik"
    assert out.iloc[1:].isna().all()
    pd.testing.assert_series_equal(hk, before[0])
    pd.testing.assert_series_equal(pk, before[1])


def test_categorical_ratings_and_a_single_value_are_accepted():
    dtype = schema.category_dtype("kinerja", "rating_hasil_kerja")
    hk = pd.Series(["sesuai", "di_bawah"], dtype=dtype)
    pk = pd.Series(["di_atas", "di_bawah"], dtype=dtype)
    assert predikat_2022.predikat(hk, pk).tolist() == ["Baik", "Sangat Kurang"]
    assert predikat_2022.predikat("di atas ekspektasi", "di atas ekspektasi").tolist() == ["Sangat Baik"]


def test_unknown_ratings_are_named_with_their_rows_and_the_allowed_spellings():
    with pytest.raises(KinerjaDataError) as err:
        predikat_2022.predikat(["sesuai", "luar biasa", "di_atas", "luar biasa"], ["sesuai"] * 4)
    message = str(err.value)
    assert "rating_hasil_kerja" in message
    assert "'luar biasa'" in message
    assert "[1, 3]" in message
    assert "di_bawah, sesuai, di_atas" in message


def test_unequal_inputs_are_refused():
    with pytest.raises(KinerjaDataError, match="3 values"):
        predikat_2022.predikat(["sesuai"] * 3, ["sesuai"] * 2)
    with pytest.raises(KinerjaDataError, match="different indexes"):
        predikat_2022.predikat(pd.Series(["sesuai"], index=[1]), pd.Series(["sesuai"], index=[2]))


_RANK = {value: i for i, value in enumerate(schema.RATING)}
_ratings = st.sampled_from(schema.RATING)


@given(hk=_ratings, pk=_ratings, hk_up=_ratings, pk_up=_ratings)
def test_predikat_is_monotone_in_both_ratings(hk, pk, hk_up, pk_up):
    # Raise each rating to at least its old level; the predikat must not fall.
    hk2 = max(hk, hk_up, key=_RANK.__getitem__)
    pk2 = max(pk, pk_up, key=_RANK.__getitem__)
    low, high = predikat_2022.predikat([hk, hk2], [pk, pk2])
    assert schema.PREDIKAT.index(high) >= schema.PREDIKAT.index(low)


def test_the_matrix_is_not_symmetric_behaviour_weighs_more_at_the_bottom():
    # Documented property: HK di_bawah + PK di_atas = Butuh Perbaikan, HK di_atas + PK di_bawah = Kurang,
    # and Kurang ranks below Butuh Perbaikan.
    swapped = predikat_2022.predikat(["di_bawah", "di_atas"], ["di_atas", "di_bawah"])
    assert swapped.tolist() == ["Butuh Perbaikan", "Kurang"]
    codes = swapped.cat.codes.tolist()  # positions in the ordered dtype, worst first
    assert codes[0] > codes[1]


# --- head of unit ---------------------------------------------------------------------------------


def test_head_of_unit_rating_from_the_unit_predikat():
    out = predikat_2022.hasil_kerja_pimpinan(["Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang", None])
    assert out.tolist()[:5] == ["di_atas", "sesuai", "di_bawah", "di_bawah", "di_bawah"]
    assert pd.isna(out.iloc[5])
    assert out.dtype == schema.category_dtype("kinerja", "rating_hasil_kerja")
    # The rating then enters the matrix: a head of a Baik unit with PK di_atas gets Baik.
    assert predikat_2022.predikat(out.iloc[:2], ["di_atas", "di_atas"]).tolist() == ["Sangat Baik", "Baik"]


def test_head_of_unit_mapping_can_be_replaced_and_is_checked():
    other = {"Istimewa": "di_atas", "Baik": "di_atas", "Butuh Perbaikan": "sesuai", "Kurang": "di_bawah",
             "Sangat Kurang": "di_bawah"}  # fmt: skip
    assert predikat_2022.hasil_kerja_pimpinan(["baik"], mapping=other).tolist() == ["di_atas"]
    with pytest.raises(KinerjaDataError, match="mapping must give each"):
        predikat_2022.hasil_kerja_pimpinan(["Baik"], mapping={"Baik": "sesuai"})
    with pytest.raises(KinerjaDataError, match="'Sangat Baik'"):
        predikat_2022.hasil_kerja_pimpinan(["Sangat Baik"])  # an employee predikat, not an org one


# --- annual predikat ------------------------------------------------------------------------------


def _periodic() -> pd.DataFrame:
    # A: quarters SB, Baik, Baik, SB -> mode: tie 2-2 goes to the lower Baik; last (Q4) SB; worst Baik;
    #    median of [Baik, Baik, SB, SB] lower middle (2nd) = Baik.
    # B: months 1-5 Baik, 6 Kurang, 7-12 SB -> mode SB (6 > 5); last (12) SB; worst Kurang;
    #    median of [K, B, B, B, B, B, SB x6] lower middle (6th) = Baik.
    # C: months written without padding, "9" Kurang, "12" Baik, "10" Baik; last must be month 12 (Baik),
    #    not "9" as text sorting would give; mode Baik; worst Kurang; median of [K, B, B] = Baik.
    a = [(NIP_A, 2023, q, p) for q, p in zip(["Q1", "Q2", "Q3", "Q4"], ["Sangat Baik", "Baik", "Baik", "Sangat Baik"],
                                             strict=True)]  # fmt: skip
    b = [(NIP_B, 2023, f"{m:02d}", "Baik" if m <= 5 else "Kurang" if m == 6 else "Sangat Baik") for m in range(1, 13)]
    c = [(NIP_C, 2024, "9", "Kurang"), (NIP_C, 2024, "12", "Baik"), (NIP_C, 2024, "10", "Baik")]
    tahunan = [(NIP_A, 2023, "tahunan", "Sangat Kurang")]  # ignored: not a periodic row
    return pd.DataFrame(a + b + c + tahunan, columns=["nip", "tahun", "periode", "predikat"])


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("mode", ["Baik", "Sangat Baik", "Baik"]),
        ("last", ["Sangat Baik", "Sangat Baik", "Baik"]),
        ("worst", ["Baik", "Kurang", "Kurang"]),
        ("median", ["Baik", "Baik", "Baik"]),
    ],
)
def test_annual_predikat_under_each_rule(rule, expected):
    kinerja = _periodic()
    before = kinerja.copy()
    out = predikat_2022.predikat_tahunan(kinerja, rule=rule)
    # one row per employee-year, sorted by nip then tahun
    assert out[["nip", "tahun"]].values.tolist() == [[NIP_C, 2024], [NIP_A, 2023], [NIP_B, 2023]]
    by_nip = out.set_index("nip")
    assert [by_nip.loc[n, "predikat"] for n in (NIP_A, NIP_B, NIP_C)] == expected
    assert [by_nip.loc[n, "n_periode"] for n in (NIP_A, NIP_B, NIP_C)] == [4, 12, 3]
    assert out["predikat"].dtype == schema.category_dtype("kinerja", "predikat")
    assert out["method"].str.contains(f"rule={rule}").all() and out["method"].str.contains("[open]", regex=False).all()
    pd.testing.assert_frame_equal(kinerja, before)


def test_annual_predikat_skips_missing_periods_and_keeps_years_without_any():
    kinerja = pd.DataFrame(
        {"nip": [NIP_A, NIP_A, NIP_B], "tahun": [2023, 2023, 2023], "periode": ["01", "02", "01"],
         "predikat": ["Kurang", None, None]}
    )  # fmt: skip
    out = predikat_2022.predikat_tahunan(kinerja, rule="last").set_index("nip")
    assert out.loc[NIP_A, "predikat"] == "Kurang" and out.loc[NIP_A, "n_periode"] == 1
    assert pd.isna(out.loc[NIP_B, "predikat"]) and out.loc[NIP_B, "n_periode"] == 0


def test_annual_predikat_from_ratings_when_there_is_no_predikat_column():
    kinerja = pd.DataFrame(
        {"nip": [NIP_A] * 3, "tahun": [2023] * 3, "periode": ["Q1", "Q2", "Q3"],
         "rating_hasil_kerja": ["di atas", "sesuai", "di_bawah"], "rating_perilaku_kerja": ["di atas"] * 3}
    )  # fmt: skip
    # SB, Baik, Butuh Perbaikan: worst is Butuh Perbaikan, mode (all tied at 1) the lowest, Butuh Perbaikan.
    assert predikat_2022.predikat_tahunan(kinerja, rule="worst").predikat.tolist() == ["Butuh Perbaikan"]
    assert predikat_2022.predikat_tahunan(kinerja, rule="mode").predikat.tolist() == ["Butuh Perbaikan"]


def test_annual_predikat_refuses_bad_periods():
    base = {"nip": [NIP_A, NIP_A], "tahun": [2023, 2023], "predikat": ["Baik", "Baik"]}
    with pytest.raises(KinerjaDataError, match="mix monthly and quarterly"):
        predikat_2022.predikat_tahunan(pd.DataFrame({**base, "periode": ["01", "Q1"]}))
    with pytest.raises(KinerjaDataError, match="unknown labels"):
        predikat_2022.predikat_tahunan(pd.DataFrame({**base, "periode": ["13", "01"]}))
    with pytest.raises(KinerjaDataError, match="twice"):
        predikat_2022.predikat_tahunan(pd.DataFrame({**base, "periode": ["01", "1"]}))
    with pytest.raises(MissingColumnError, match="periode"):
        predikat_2022.predikat_tahunan(pd.DataFrame(base))
    with pytest.raises(InvalidOptionError, match="'mode', 'last', 'worst', 'median'"):
        predikat_2022.predikat_tahunan(pd.DataFrame({**base, "periode": ["01", "02"]}), rule="mean")
