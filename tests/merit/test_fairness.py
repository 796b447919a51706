"""adverse_impact: the four-fifths rule worked by hand, its boundary, exact tests against scipy/statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import relative_risk
from statsmodels.stats.proportion import proportions_ztest

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.merit.fairness import adverse_impact, intersectional_impact, publishable

COUNTS = {"A": (50, 100), "B": (40, 100), "C": (39, 100), "D": (30, 100), "E": (0, 20), "F": (3, 4)}


def candidates(counts: dict[str, tuple[int, int]]) -> pd.DataFrame:
    rows = [(g, i < s) for g, (s, n) in counts.items() for i in range(n)]
    return pd.DataFrame(rows, columns=["kelompok", "terpilih"])


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return adverse_impact(candidates(COUNTS), group="kelompok", selected="terpilih").set_index("group")


def test_four_fifths_worked_by_hand(table) -> None:
    # F (3 of 4) has the highest rate but fewer than min_n=5 candidates: A (50%) is the reference.
    assert (table["reference"] == "A").all() and (table["reference_rate"] == 0.5).all()
    assert table.loc["A", "four_fifths"] == "reference" and table.loc["A", "impact_ratio"] == 1.0
    assert table.loc["B", "impact_ratio"] == pytest.approx(0.8)
    assert table.loc["B", "four_fifths"] == "passes"  # exactly 0.8 is not strictly below
    assert table.loc["C", "impact_ratio"] == pytest.approx(0.78) and table.loc["C", "four_fifths"] == "fails"
    assert table.loc["D", "impact_ratio"] == pytest.approx(0.6) and table.loc["D", "four_fifths"] == "fails"
    # Shortfall to parity: n x 0.5 - selected.
    assert table.loc[["B", "C", "D", "E"], "shortfall"].tolist() == [10, 11, 20, 10]
    # B fails with one selection fewer; C passes with one more; D needs ten more (40 of 100).
    assert table.loc[["B", "C", "D"], "selections_to_flip"].tolist() == [1, 1, 10]
    assert table.loc[["B", "C", "D"], "flips_with_1"].tolist() == [True, True, False]
    assert table.loc[["B", "C", "D"], "flips_with_2"].tolist() == [True, True, False]


def test_not_estimable_is_never_zero(table) -> None:
    e = table.loc["E"]
    # 0 of 20 against 50 of 100: the ratio (0) has no usable interval, but the rule plainly fails.
    assert np.isnan(e["impact_ratio"]) and np.isnan(e["ci_low"]) and e["four_fifths"] == "fails"
    assert "no selections" in e["reason"]
    # Passing needs 5 k 100 >= 4 x 20 x 50, so k = 8 selections.
    assert e["selections_to_flip"] == 8 and not e["flips_with_1"] and not e["flips_with_2"]
    # Fisher's two-sided p by hand: hypergeometric tables with the same margins (20 in the group, 50 selected
    # of 120) whose probability is at most the observed one, summed.
    hyper = stats.hypergeom(120, 50, 20)
    observed = hyper.pmf(0)
    by_hand = sum(hyper.pmf(x) for x in range(21) if hyper.pmf(x) <= observed * (1 + 1e-7))
    assert e["p_fisher"] == pytest.approx(by_hand, rel=1e-9)
    f = table.loc["F"]
    assert f["four_fifths"] == "not estimable" and "min_n" in f["reason"]
    assert f["impact_ratio"] == pytest.approx(1.5)  # shown, but no verdict


def test_reference_with_zero_rate() -> None:
    out = adverse_impact(candidates(COUNTS), group="kelompok", selected="terpilih", reference="E")
    assert out["impact_ratio"].isna().all()
    assert out["reason"].str.contains("reference rate is zero").all()
    assert set(out["four_fifths"]) == {"not estimable", "reference"}


def test_boundary_in_exact_arithmetic() -> None:
    # 4/6 against 5/6 is exactly 0.8, but the floating-point quotient is just below it.
    assert (4 / 6) / (5 / 6) < 0.8
    out = adverse_impact(candidates({"L": (5, 6), "P": (4, 6)}), group="kelompok", selected="terpilih")
    assert out.set_index("group").loc["P", "four_fifths"] == "passes"
    out = adverse_impact(candidates({"L": (5, 6), "P": (3, 6)}), group="kelompok", selected="terpilih")
    assert out.set_index("group").loc["P", ["four_fifths", "selections_to_flip"]].tolist() == ["fails", 1]


def test_interval_and_tests_against_scipy_and_statsmodels(table) -> None:
    d = table.loc["D"]
    se = math.sqrt(1 / 30 - 1 / 100 + 1 / 50 - 1 / 100)
    z = stats.norm.ppf(0.975)
    assert d["ci_low"] == pytest.approx(0.6 * math.exp(-z * se))
    assert d["ci_high"] == pytest.approx(0.6 * math.exp(z * se))
    katz = relative_risk(30, 100, 50, 100).confidence_interval(0.95)
    assert (d["ci_low"], d["ci_high"]) == pytest.approx((katz.low, katz.high))
    assert d["p_fisher"] == pytest.approx(stats.fisher_exact([[30, 70], [50, 50]])[1])
    assert d["p_ztest"] == pytest.approx(proportions_ztest([30, 50], [100, 100])[1])
    assert d["cohens_h"] == pytest.approx(2 * math.asin(math.sqrt(0.3)) - 2 * math.asin(math.sqrt(0.5)))
    exact = stats.binomtest(30, 100).proportion_ci(confidence_level=0.95, method="exact")
    assert (d["rate_ci_low"], d["rate_ci_high"]) == pytest.approx((exact.low, exact.high))
    assert np.isnan(table.loc["A", "p_fisher"]) and np.isnan(table.loc["A", "ci_low"])


def test_named_reference_and_input_unchanged() -> None:
    data = candidates(COUNTS)
    before = data.copy()
    out = adverse_impact(data, group="kelompok", selected="terpilih", reference="B").set_index("group")
    pd.testing.assert_frame_equal(data, before)
    assert out.loc["A", "impact_ratio"] == pytest.approx(1.25) and out.loc["A", "four_fifths"] == "passes"
    assert out.loc["D", "impact_ratio"] == pytest.approx(0.75) and out.loc["D", "selections_to_flip"] == 2
    with pytest.raises(InvalidOptionError, match="not a group"):
        adverse_impact(data, group="kelompok", selected="terpilih", reference="Z")


def test_bad_input() -> None:
    data = candidates(COUNTS)
    data.loc[[3, 7], "kelompok"] = None
    with pytest.raises(KinerjaDataError, match=r"group column 'kelompok' is missing at rows \[3, 7\]"):
        adverse_impact(data, group="kelompok", selected="terpilih")
    data = candidates(COUNTS).assign(terpilih=lambda d: d["terpilih"].astype("boolean"))
    data.loc[5, "terpilih"] = pd.NA
    with pytest.raises(KinerjaDataError, match=r"'terpilih' is missing at rows \[5\]"):
        adverse_impact(data, group="kelompok", selected="terpilih")
    with pytest.raises(KinerjaDataError, match="true/false"):
        adverse_impact(candidates(COUNTS).assign(terpilih=2), group="kelompok", selected="terpilih")
    with pytest.raises(InvalidOptionError, match="min_n"):
        adverse_impact(candidates(COUNTS), group="kelompok", selected="terpilih", min_n=0)


def test_intersections() -> None:
    data = pd.DataFrame({
        "jk": ["L", "P"] * 40,
        "usia": ["31-40"] * 40 + ["51-60"] * 40,
        "terpilih": ([True] * 10 + [False] * 10) * 2 + [True, False] * 4 + [False] * 32,
    })  # fmt: skip
    two = adverse_impact(data, group=["jk", "usia"], selected="terpilih")
    assert list(two["group"]) == ["L | 31-40", "L | 51-60", "P | 31-40", "P | 51-60"]
    assert two[["jk", "usia"]].to_numpy().tolist() == [["L", "31-40"], ["L", "51-60"], ["P", "31-40"], ["P", "51-60"]]
    stacked = intersectional_impact(data, groups=("jk", "usia"))
    assert list(stacked["level"].unique()) == ["jk", "usia", "jk x usia"]
    assert stacked.groupby("level")["n"].sum().eq(80).all()
    assert stacked.groupby("level")["selected"].sum().eq(data["terpilih"].sum()).all()


def test_publishable_withholds_small_groups(table) -> None:
    out = publishable(table.reset_index(), min_n=10).set_index("group")
    assert out.loc["F", "suppressed"] and pd.isna(out.loc["F", "n"]) and pd.isna(out.loc["F", "impact_ratio"])
    assert out.loc["F", "four_fifths"] == "withheld" and pd.isna(out.loc["F", "flips_with_1"])
    assert out.loc["D", "n"] == 100 and out.loc["D", "four_fifths"] == "fails"
