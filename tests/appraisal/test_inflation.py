"""Top-predikat share with intervals, checked against statsmodels and hand counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from kinerja_analysis.appraisal.inflation import top_predikat_share
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.inference import proportion_interval

K_VALUES = np.array([0, 1, 3, 5, 12, 0, 47, 100])
N_VALUES = np.array([12, 12, 12, 5, 12, 1, 400, 100])


@pytest.mark.parametrize("alpha", [0.05, 0.10, 0.01])
@pytest.mark.parametrize(("method", "statsmodels_method"), [("wilson", "wilson"), ("clopper_pearson", "beta")])
def test_intervals_match_statsmodels(method, statsmodels_method, alpha):
    low, high = proportion_interval(K_VALUES, N_VALUES, method=method, alpha=alpha)
    for i, (k, n) in enumerate(zip(K_VALUES, N_VALUES, strict=True)):
        ref_low, ref_high = proportion_confint(int(k), int(n), alpha=alpha, method=statsmodels_method)
        assert low[i] == pytest.approx(ref_low, abs=1e-10)
        assert high[i] == pytest.approx(ref_high, abs=1e-10)


def test_interval_of_an_empty_group_is_missing_and_bad_options_are_refused():
    low, high = proportion_interval(np.array([0]), np.array([0]))
    assert np.isnan(low[0]) and np.isnan(high[0])
    with pytest.raises(InvalidOptionError, match="alpha"):
        proportion_interval(np.array([1]), np.array([2]), alpha=1.5)
    with pytest.raises(InvalidOptionError, match="'wilson', 'clopper_pearson'"):
        proportion_interval(np.array([1]), np.array([2]), method="wald")
    with pytest.raises(KinerjaDataError, match="between 0 and n"):
        proportion_interval(np.array([3]), np.array([2]))


def _kinerja() -> pd.DataFrame:
    rows = [("A", 2023, "tahunan", p) for p in ["Sangat Baik"] * 3 + ["Baik"] * 9]  # 3 of 12
    rows += [("A", 2024, "tahunan", p) for p in ["Baik"] * 4 + ["Butuh Perbaikan"]]  # 0 of 5
    rows += [("B", 2023, "tahunan", p) for p in ["Sangat Baik", "SANGAT BAIK", "Baik", None]]  # 2 of 3, 1 missing
    rows += [("C", 2023, "tahunan", None), ("C", 2023, "tahunan", None)]  # nobody has a predikat
    rows += [("A", 2023, "01", "Sangat Baik")] * 5  # monthly rows: not counted by default
    return pd.DataFrame(rows, columns=["unit_id", "tahun", "periode", "predikat"])


def test_top_share_per_unit_and_year_by_hand():
    kinerja = _kinerja()
    before = kinerja.copy()
    out = top_predikat_share(kinerja)
    assert out.columns.tolist() == ["unit_id", "tahun", "n", "k", "estimate", "ci_low", "ci_high", "method"]
    assert out[["unit_id", "tahun"]].values.tolist() == [["A", 2023], ["A", 2024], ["B", 2023], ["C", 2023]]
    assert out["n"].tolist() == [12, 5, 3, 0]
    assert out["k"].tolist() == [3, 0, 2, 0]
    assert out["estimate"].tolist()[:3] == pytest.approx([0.25, 0.0, 2 / 3])
    # the empty group is an explicit n = 0 row with a missing estimate and interval
    assert out.iloc[3][["estimate", "ci_low", "ci_high"]].isna().all()
    ref = proportion_confint(3, 12, alpha=0.05, method="wilson")
    assert (out.iloc[0]["ci_low"], out.iloc[0]["ci_high"]) == pytest.approx(ref)
    assert "Wilson" in out.iloc[0]["method"] and "3 rows without predikat left out" in out.iloc[0]["method"]
    pd.testing.assert_frame_equal(kinerja, before)


def test_top_can_be_several_predikat_and_periode_can_be_dropped():
    kinerja = _kinerja()
    both = top_predikat_share(kinerja, by="unit_id", top=("Sangat Baik", "baik"), method="clopper_pearson")
    # A over 2023 and 2024: 17 rows with predikat, 16 SB or Baik (one Butuh Perbaikan)
    a = both.set_index("unit_id").loc["A"]
    assert (a["n"], a["k"]) == (17, 16)
    assert (a["ci_low"], a["ci_high"]) == pytest.approx(proportion_confint(16, 17, method="beta"))
    every_row = top_predikat_share(kinerja, periode=None).set_index(["unit_id", "tahun"])
    # the five monthly SB rows now count too: A 2023 is 8 of 17
    assert (every_row.loc[("A", 2023), "n"], every_row.loc[("A", 2023), "k"]) == (17, 8)


def test_regimes_are_not_mixed():
    old = pd.DataFrame({"unit_id": ["A", "A"], "tahun": [2021, 2022], "predikat": [None, "Baik"]})
    with pytest.raises(KinerjaDataError, match=r"rows from \[2021\].*no predikat"):
        top_predikat_share(old)


def test_pre_2022_rows_only_with_a_named_crosswalk():
    kinerja = pd.DataFrame(
        {
            "unit_id": ["A"] * 5,
            "tahun": [2021, 2021, 2021, 2022, 2022],
            # 0.6*95 + 0.4*90 = 93 Sangat Baik; 0.6*80 + 0.4*80 = 80 Baik; 0.6*70 + 0.4*60 = 66 Cukup
            "nilai_skp": [95.0, 80.0, 70.0, np.nan, np.nan],
            "nilai_perilaku": [90.0, 80.0, 60.0, np.nan, np.nan],
            "predikat": [None, None, None, "Sangat Baik", "Baik"],
        }
    )
    with pytest.raises(KinerjaDataError, match="crosswalk='kategori_to_predikat'"):
        top_predikat_share(kinerja)
    out = top_predikat_share(kinerja, crosswalk="kategori_to_predikat")
    assert out[["tahun", "n", "k"]].values.tolist() == [[2021, 3, 1], [2022, 2, 1]]
    assert "crosswalk kategori_to_predikat [open]" in out["method"].iloc[0]
    # Cukup is bridged to Butuh Perbaikan
    bp = top_predikat_share(kinerja, top=("Butuh Perbaikan",), crosswalk="kategori_to_predikat")
    assert bp["k"].tolist() == [1, 0]
    with pytest.raises(MissingColumnError, match="nilai_perilaku"):
        top_predikat_share(kinerja.drop(columns="nilai_perilaku"), crosswalk="kategori_to_predikat")


def test_bad_inputs_are_refused():
    kinerja = _kinerja()
    with pytest.raises(MissingColumnError, match="unit_id"):
        top_predikat_share(kinerja.drop(columns="unit_id"))
    with pytest.raises(KinerjaDataError, match="'Istimewa'"):
        top_predikat_share(kinerja, top=("Istimewa",))
    with pytest.raises(KinerjaDataError, match="at least one predikat"):
        top_predikat_share(kinerja, top=())
    with pytest.raises(KinerjaDataError, match="no rows with periode 'semester'"):
        top_predikat_share(kinerja, periode="semester")
    with pytest.raises(KinerjaDataError, match="'Luar Biasa'"):
        top_predikat_share(kinerja.assign(predikat="Luar Biasa"))


def test_predikat_distribution_counts_by_hand():
    from kinerja_analysis.appraisal.inflation import predikat_distribution

    # 2022: 1 SB, 8 Baik, 1 BP (10 rows); 2023: 2 SB, 2 Baik; a quarterly row is not counted.
    k = pd.DataFrame(
        {
            "tahun": [2022] * 10 + [2023] * 4 + [2023],
            "periode": ["tahunan"] * 14 + ["Q1"],
            "predikat": ["Sangat Baik"]
            + ["Baik"] * 8
            + ["Butuh Perbaikan"]
            + ["Sangat Baik"] * 2
            + ["Baik"] * 2
            + ["Kurang"],
        }
    )
    out = predikat_distribution(k).set_index(["tahun", "predikat"])
    assert len(out) == 10  # five levels in each of two years
    assert out.loc[(2022, "Baik"), ["n", "total", "share"]].tolist() == [8, 10, 0.8]
    assert out.loc[(2022, "Butuh Perbaikan"), "share"] == 0.1
    assert out.loc[(2023, "Sangat Baik"), "share"] == 0.5
    assert out.loc[(2023, "Kurang"), "n"] == 0
    with pytest.raises(KinerjaDataError, match="PP 46/2011"):
        predikat_distribution(k.assign(tahun=2021))


def test_wilson_bounds_are_exactly_zero_and_one_at_the_edges():
    low, high = proportion_interval(np.array([0, 7]), np.array([7, 7]))
    assert low[0] == 0.0 and high[1] == 1.0
    ref_low, ref_high = proportion_confint(np.array([0, 7]), np.array([7, 7]), method="wilson")
    assert np.allclose([high[0], low[1]], [ref_high[0], ref_low[1]])


def test_annual_predikat_from_quarters_by_a_stated_rule():
    from kinerja_analysis.appraisal.inflation import predikat_distribution

    # Unit A: employee 1 quarters SB, SB, Baik, SB (mode SB, worst Baik); employee 2 Baik all year.
    # Unit B: employee 3 SB, Baik, Baik, Baik (mode Baik). An annual row of employee 2 must not count.
    quarters = ["Q1", "Q2", "Q3", "Q4"]
    k = pd.DataFrame(
        {
            "nip": ["e1"] * 4 + ["e2"] * 4 + ["e3"] * 4 + ["e2"],
            "unit_id": ["A"] * 8 + ["B"] * 4 + ["A"],
            "tahun": [2024] * 13,
            "periode": quarters * 3 + ["tahunan"],
            "predikat": ["Sangat Baik", "Sangat Baik", "Baik", "Sangat Baik"]
            + ["Baik"] * 4
            + ["Sangat Baik", "Baik", "Baik", "Baik"]
            + ["Sangat Baik"],
        }
    )
    mode = top_predikat_share(k, by="unit_id", annual_rule="mode").set_index("unit_id")
    assert mode.loc["A", ["n", "k"]].tolist() == [2, 1] and mode.loc["B", ["n", "k"]].tolist() == [1, 0]
    assert "rule 'mode'" in mode.loc["A", "method"]
    worst = top_predikat_share(k, by="unit_id", annual_rule="worst").set_index("unit_id")
    assert worst.loc["A", "k"] == 0
    spread = predikat_distribution(k, by="unit_id", annual_rule="mode").set_index(["unit_id", "predikat"])
    assert spread.loc[("A", "Sangat Baik"), "share"] == 0.5 and spread.loc[("B", "Baik"), "share"] == 1.0
    with pytest.raises(InvalidOptionError):
        top_predikat_share(k, by="unit_id", annual_rule="average")
