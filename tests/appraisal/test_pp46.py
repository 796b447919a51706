"""PP 46/2011 and Perka BKN 1/2013 scores, with every worked value derived by hand in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.appraisal import pp46
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.data import schema


def test_kuantitas_and_kualitas_are_realised_over_target():
    # 10/12 x 100 = 83.333..., 12/12 x 100 = 100, 15/12 x 100 = 125, 0/12 = 0 (not carried out)
    assert pp46.aspek_kuantitas([10, 12, 15, 0], [12, 12, 12, 12]).tolist() == pytest.approx(
        [83.33333333, 100.0, 125.0, 0.0]
    )
    # 90/100 x 100 = 90; 45/50 x 100 = 90
    assert pp46.aspek_kualitas([90, 45], [100, 50]).tolist() == pytest.approx([90.0, 90.0])


@pytest.mark.parametrize(
    ("rw", "tw", "expected"),
    [
        # on time: e = 0 <= 24 -> (1.76*12 - 12)/12*100 = 9.12/12*100 = 76
        (12, 12, 76.0),
        # 10 of 12 months: e = 100 - 83.33 = 16.67 -> (21.12 - 10)/12*100 = 11.12/12*100 = 92.667
        (10, 12, 92.6666667),
        # RW = 0.833 TW: e = 16.7 -> (1.76 - 0.833)*100 = 92.7
        (0.833, 1, 92.7),
        # e = 25 (9 of 12): base (21.12 - 9)/12*100 = 101 -> 76 - (101 - 100) = 75
        (9, 12, 75.0),
        # e = 24 exactly (76 of 100): (176 - 76)/100*100 = 100, first branch
        (76, 100, 100.0),
        # the same in units where 0.76*100 carries floating-point noise: still 100
        (0.76, 1, 100.0),
        # just below 24: e = 23.9 (76.1 of 100) -> (176 - 76.1) = 99.9
        (76.1, 100, 99.9),
        # just above 24: e = 24.1 (75.9 of 100) -> base 100.1 -> 76 - 0.1 = 75.9
        (75.9, 100, 75.9),
        # very early: e = 90 (1.2 of 12) -> base (21.12 - 1.2)/12*100 = 166 -> 76 - 66 = 10
        (1.2, 12, 10.0),
        # late: 13 of 12 -> e = -8.33 -> (21.12 - 13)/12*100 = 8.12/12*100 = 67.667 (< 76)
        (13, 12, 67.6666667),
        # twice the time: (21.12 - 24)/12*100 = -24: the formula is not clipped
        (24, 12, -24.0),
        # not carried out
        (0, 12, 0.0),
    ],
)
def test_waktu_follows_the_efficiency_rule_with_its_quirks(rw, tw, expected):
    assert pp46.aspek_waktu([rw], [tw]).iloc[0] == pytest.approx(expected, abs=1e-6)


def test_the_regulation_quirks_in_order():
    waktu = pp46.aspek_waktu([12, 10, 9, 13], [12, 12, 12, 12]).round(2).tolist()
    assert waktu == [76.0, 92.67, 75.0, 67.67]
    assert waktu[3] < 76 < waktu[1]


def test_biaya_uses_the_same_rule():
    # RB 90 of TB 100 (million): e = 10 -> (176 - 90) = 86; RB 70: e = 30 -> base 106 -> 76 - 6 = 70;
    # on budget: 76
    out = pp46.aspek_biaya([90e6, 70e6, 100e6], [100e6, 100e6, 100e6])
    assert out.tolist() == pytest.approx([86.0, 70.0, 76.0])
    assert out.name == "biaya"


def test_missing_values_stay_missing_and_the_index_is_kept():
    r = pd.Series([12.0, np.nan], index=["x", "y"])
    t = pd.Series([12.0, 12.0], index=["x", "y"])
    out = pp46.aspek_waktu(r, t)
    assert out.index.tolist() == ["x", "y"]
    assert out.iloc[0] == pytest.approx(76.0) and np.isnan(out.iloc[1])


@pytest.mark.parametrize("func", [pp46.aspek_kuantitas, pp46.aspek_kualitas, pp46.aspek_waktu, pp46.aspek_biaya])
def test_bad_targets_and_realisations_are_refused(func):
    with pytest.raises(KinerjaDataError, match=r"must be positive; rows \[1\]"):
        func([1, 1], [12, 0])
    with pytest.raises(KinerjaDataError, match=r"must be positive; rows \[0\]"):
        func([1], [-12])
    with pytest.raises(KinerjaDataError, match="negative at rows"):
        func([-1], [12])
    with pytest.raises(KinerjaDataError, match="not finite numbers"):
        func(["dua belas"], [12])
    with pytest.raises(KinerjaDataError, match="has 2 values"):
        func([1, 2], [12])


def _kegiatan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nip": ["a", "a", "b", "b", "c", "c"],
            "realisasi_kuantitas": [12, 10, 5, 0, 8, 4],
            "target_kuantitas": [12, 10, 10, 10, 8, 4],
            "realisasi_kualitas": [90, 100, 80, 80, 100, np.nan],
            "target_kualitas": [100, 100, 100, 100, 100, 100],
            "realisasi_waktu": [10, 12, 12, 12, 12, 12],
            "target_waktu": [12, 12, 12, 12, 12, 12],
            "realisasi_biaya": [np.nan, 90.0, 50.0, np.nan, np.nan, np.nan],
            "target_biaya": [np.nan, 100.0, 0.0, np.nan, np.nan, np.nan],
        }
    )


def test_activity_scores_average_three_or_four_aspects():
    out = pp46.nilai_kegiatan(_kegiatan())
    expected = [
        (100 + 90 + 92.6666667) / 3,  # 94.2222: no budget, three aspects
        (100 + 100 + 76 + 86) / 4,  # 90.5: budgeted, biaya e = 10 -> 86
        (50 + 80 + 76) / 3,  # 68.6667: target_biaya 0 means unbudgeted
        0.0,  # realisasi_kuantitas 0: not carried out, whatever kualitas and waktu say
        (100 + 100 + 76) / 3,  # 92.0
        np.nan,  # kualitas missing
    ]
    assert out.tolist() == pytest.approx(expected, nan_ok=True)
    assert out.name == "nilai_kegiatan"


def test_activity_scores_need_their_columns():
    with pytest.raises(MissingColumnError, match="target_waktu"):
        pp46.nilai_kegiatan(_kegiatan().drop(columns="target_waktu"))
    with pytest.raises(MissingColumnError, match="realisasi_biaya"):
        pp46.nilai_kegiatan(_kegiatan().drop(columns="realisasi_biaya"))


def test_nilai_skp_is_the_mean_per_employee_and_missing_propagates():
    kegiatan = _kegiatan()
    before = kegiatan.copy()
    out = pp46.nilai_skp(kegiatan, by="nip")
    assert out.columns.tolist() == ["nip", "n_kegiatan", "nilai_skp"]
    assert out["n_kegiatan"].tolist() == [2, 2, 2]
    # a: (94.2222 + 90.5)/2 = 92.3611; b: (68.6667 + 0)/2 = 34.3333; c: one activity missing -> missing
    assert out["nilai_skp"].tolist() == pytest.approx([92.3611111, 34.3333333, np.nan], nan_ok=True)
    pd.testing.assert_frame_equal(kegiatan, before)


def test_nilai_skp_overall_from_a_series_and_with_tambahan():
    assert pp46.nilai_skp(pd.Series([90.0, 80.0, 70.0]))["nilai_skp"].tolist() == [80.0]
    scores = pd.DataFrame({"nip": ["a", "b"], "nilai_kegiatan": [80.0, 70.0]})
    # 2 tambahan points for a only (b absent from the Series -> 0); or 1 point for everybody
    assert pp46.nilai_skp(scores, by="nip", tambahan=pd.Series({"a": 2.0}))["nilai_skp"].tolist() == [82.0, 70.0]
    assert pp46.nilai_skp(scores, by="nip", tambahan=1)["nilai_skp"].tolist() == [81.0, 71.0]
    with pytest.raises(KinerjaDataError, match="negative"):
        pp46.nilai_skp(scores, by="nip", tambahan=-1)
    with pytest.raises(MissingColumnError, match="unit_id"):
        pp46.nilai_skp(scores, by="unit_id")


def test_nilai_prestasi_kerja_weights_skp_and_perilaku():
    # 0.6*85 + 0.4*80 = 51 + 32 = 83; 0.6*99.6 + 0.4*78.1 = 59.76 + 31.24 = 91.00
    out = pp46.nilai_prestasi_kerja([85.0, 99.6], [80.0, 78.1])
    assert out.tolist() == pytest.approx([83.0, 91.0])
    # 91.00 by hand is 90.99999999999999 in floating point; it is still Sangat Baik
    assert pp46.kategori_pp46(out).tolist() == ["Baik", "Sangat Baik"]
    with pytest.raises(KinerjaDataError, match=r"nilai_skp must lie in 0-120; rows \[0\]"):
        pp46.nilai_prestasi_kerja([121.0], [80.0])
    with pytest.raises(KinerjaDataError, match="nilai_perilaku"):
        pp46.nilai_prestasi_kerja([80.0], [-1.0])


@pytest.mark.parametrize(
    ("nilai", "expected"),
    [
        (100, "Sangat Baik"),
        (91, "Sangat Baik"),
        (90.99, "Baik"),
        (76, "Baik"),
        (75.99, "Cukup"),
        (61, "Cukup"),
        (60.99, "Kurang"),
        (51, "Kurang"),
        (50.99, "Buruk"),
        (50, "Buruk"),
        (0, "Buruk"),
    ],
)
def test_category_boundaries(nilai, expected):
    assert pp46.kategori_pp46([nilai]).tolist() == [expected]


def test_category_boundary_rule_is_an_option():
    values = [90.996, 60.996, np.nan]
    # lower_inclusive: 90.996 < 91 -> Baik, 60.996 < 61 -> Kurang; round_first: 91.00 and 61.00
    lower = pp46.kategori_pp46(values)
    rounded = pp46.kategori_pp46(values, boundaries="round_first")
    assert lower.tolist()[:2] == ["Baik", "Kurang"]
    assert rounded.tolist()[:2] == ["Sangat Baik", "Cukup"]
    assert lower.isna().iloc[2] and rounded.isna().iloc[2]
    assert lower.dtype == pd.CategoricalDtype(list(schema.KATEGORI_PP46), ordered=True)
    with pytest.raises(InvalidOptionError, match="'lower_inclusive', 'round_first'"):
        pp46.kategori_pp46(values, boundaries="nearest")
