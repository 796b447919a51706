"""SE MenPANRB 3/2023 distribution checks on small hand-made units, each reading and rounding."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja_analysis.appraisal.distribution import check_distribution, check_distributions
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.data import schema

SB, B, BP, K, SK = "Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"


def _ok(counts: dict[str, int], org: str, **options) -> dict[str, bool]:
    out = check_distribution(counts, predikat_organisasi=org, **options)
    return dict(zip(out["rule"], out["ok"].tolist(), strict=True))


# --- Istimewa: "most (at most 70%) Sangat Baik" under each reading ---------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # 7 of 10 = 70%: more than 50% and exactly at the 70% cap -> both hold
        ({SB: 7, B: 3}, {"sangat_baik_mayoritas": True, "sangat_baik_maks_70": True}),
        # 8 of 10 = 80% > 70%
        ({SB: 8, B: 2}, {"sangat_baik_mayoritas": True, "sangat_baik_maks_70": False}),
        # 5 of 10 = 50% is not more than 50%
        ({SB: 5, B: 5}, {"sangat_baik_mayoritas": False, "sangat_baik_maks_70": True}),
    ],
)
def test_istimewa_majority_reading(counts, expected):
    assert _ok(counts, "Istimewa") == expected


def test_istimewa_modus_reading():
    # 4 SB, 3 Baik, 3 BP: 40% is no majority, but SB is the most frequent (4 > 3)
    assert _ok({SB: 4, B: 3, BP: 3}, "Istimewa") == {"sangat_baik_mayoritas": False, "sangat_baik_maks_70": True}
    assert _ok({SB: 4, B: 3, BP: 3}, "Istimewa", reading="modus") == {
        "sangat_baik_modus": True,
        "sangat_baik_maks_70": True,
    }
    # 4 SB, 4 Baik: a tie is not "most"
    assert _ok({SB: 4, B: 4, K: 2}, "Istimewa", reading="modus")["sangat_baik_modus"] is False


def test_istimewa_cap_only_reading():
    # batas_atas: only "at most 70%"; 4 of 10 passes, 8 of 10 fails
    assert _ok({SB: 4, B: 6}, "Istimewa", reading="batas_atas") == {"sangat_baik_maks_70": True}
    assert _ok({SB: 8, B: 2}, "Istimewa", reading="batas_atas") == {"sangat_baik_maks_70": False}


def test_small_unit_rounding_of_the_70_percent_cap():
    # 5 of 7 = 71.4%: over 70% exactly; 70% of 7 = 4.9 people, rounded up 5, allows it under ceil_count
    exact = check_distribution({SB: 5, B: 2}, predikat_organisasi="Istimewa")
    ceil = check_distribution({SB: 5, B: 2}, predikat_organisasi="Istimewa", rounding="ceil_count")
    cap_exact, cap_ceil = exact.iloc[1], ceil.iloc[1]
    assert cap_exact["rule"] == cap_ceil["rule"] == "sangat_baik_maks_70"
    assert (cap_exact["ok"], cap_exact["bound_count"]) == (False, 4)
    assert (cap_ceil["ok"], cap_ceil["bound_count"]) == (True, 5)
    assert "rounding=ceil_count" in cap_ceil["method"] and "rounding=exact" in cap_exact["method"]
    assert cap_exact["observed"] == pytest.approx(5 / 7)


def test_rounding_does_not_relax_lower_bounds():
    # At least 60% of 7 = 4.2 people: 4 Butuh Perbaikan (57.1%) fail under both roundings, 5 pass.
    for rounding in ("exact", "ceil_count"):
        assert _ok({BP: 4, B: 3}, "Butuh Perbaikan", rounding=rounding)["butuh_perbaikan_min_60"] is False
        assert _ok({BP: 5, B: 2}, "Butuh Perbaikan", rounding=rounding)["butuh_perbaikan_min_60"] is True


# --- the other organisation predikat ----------------------------------------------------------------


def test_baik_organisation():
    # 7 Baik of 10 (70%, at the cap), 1 Kurang present
    assert _ok({B: 7, SB: 2, K: 1}, "Baik") == {
        "baik_mayoritas": True,
        "baik_maks_70": True,
        "butuh_perbaikan_atau_kurang_ada": True,
    }
    # 8 Baik of 10 and nobody below Baik
    assert _ok({B: 8, SB: 2}, "Baik") == {
        "baik_mayoritas": True,
        "baik_maks_70": False,
        "butuh_perbaikan_atau_kurang_ada": False,
    }
    # Sangat Kurang does not count as "Butuh Perbaikan and/or Kurang"
    assert _ok({B: 6, SB: 3, SK: 1}, "Baik")["butuh_perbaikan_atau_kurang_ada"] is False


def test_butuh_perbaikan_organisation_at_the_60_and_10_percent_boundaries():
    # 6 of 10 = 60% BP (at least 60%: holds), 1 of 10 = 10% SB (at most 10%: holds)
    assert _ok({BP: 6, B: 3, SB: 1}, "Butuh Perbaikan") == {"butuh_perbaikan_min_60": True, "sangat_baik_maks_10": True}
    # 5 of 10 = 50% BP, 2 of 10 = 20% SB
    assert _ok({BP: 5, B: 3, SB: 2}, "Butuh Perbaikan") == {
        "butuh_perbaikan_min_60": False,
        "sangat_baik_maks_10": False,
    }


def test_kurang_organisation():
    assert _ok({K: 6, BP: 1, B: 3}, "Kurang") == {
        "kurang_min_60": True,
        "butuh_perbaikan_min_10": True,
        "sangat_baik_maks_10": True,
    }
    # no Butuh Perbaikan at all; SB exactly 10%
    assert _ok({K: 6, B: 3, SB: 1}, "Kurang") == {
        "kurang_min_60": True,
        "butuh_perbaikan_min_10": False,
        "sangat_baik_maks_10": True,
    }


def test_sangat_kurang_organisation():
    assert _ok({SK: 6, K: 2, BP: 2}, "Sangat Kurang") == {
        "sangat_kurang_min_60": True,
        "kurang_atau_butuh_perbaikan_min_10": True,
        "tanpa_sangat_baik": True,
    }
    # 9 SK and 1 Kurang: K + BP exactly 10%
    assert _ok({SK: 9, K: 1}, "Sangat Kurang")["kurang_atau_butuh_perbaikan_min_10"] is True
    # one Sangat Baik is already too many
    assert _ok({SK: 6, B: 3, SB: 1}, "Sangat Kurang") == {
        "sangat_kurang_min_60": True,
        "kurang_atau_butuh_perbaikan_min_10": False,
        "tanpa_sangat_baik": False,
    }


def test_output_columns_and_message_in_bahasa_indonesia():
    out = check_distribution({SB: 8, B: 2}, predikat_organisasi="Istimewa")
    assert out.columns.tolist() == ["predikat_organisasi", "n", "n_missing", "rule", "count", "observed", "operator",
                                    "bound", "bound_count", "ok", "message", "method"]  # fmt: skip
    cap = out.iloc[1]
    assert (cap["n"], cap["count"], cap["operator"], cap["bound"]) == (10, 8, "<=", 0.7)
    assert cap["message"] == "Tidak memenuhi: Sangat Baik 80,0% (8 dari 10); paling banyak 70% (7 orang)."
    assert "reading=mayoritas_50" in cap["method"] and "[likely]" in cap["method"]
    assert out["ok"].dtype == "boolean"


# --- inputs -------------------------------------------------------------------------------------------


def test_inputs_in_several_shapes_give_the_same_answer():
    employees = [SB] * 6 + [B] * 3 + [None]
    from_counts = check_distribution(pd.Series({"SANGAT BAIK": 6, "baik": 3}), predikat_organisasi="ISTIMEWA")
    from_values = check_distribution(pd.Series(employees), predikat_organisasi="Istimewa")
    from_frame = check_distribution(pd.DataFrame({"predikat": employees}), predikat_organisasi="Istimewa")
    cols = ["rule", "n", "count", "ok"]
    pd.testing.assert_frame_equal(from_counts[cols], from_values[cols])
    pd.testing.assert_frame_equal(from_values[cols], from_frame[cols])
    assert from_values["n_missing"].tolist() == [1, 1] and from_counts["n_missing"].tolist() == [0, 0]


def test_bad_inputs_are_refused():
    with pytest.raises(KinerjaDataError, match="'Luar Biasa'"):
        check_distribution({SB: 1}, predikat_organisasi="Luar Biasa")
    with pytest.raises(KinerjaDataError, match="whole numbers"):
        check_distribution({SB: -1}, predikat_organisasi="Istimewa")
    with pytest.raises(KinerjaDataError, match="whole numbers"):
        check_distribution({SB: 1.5}, predikat_organisasi="Istimewa")
    with pytest.raises(KinerjaDataError, match="'Cemerlang'"):
        check_distribution({"Cemerlang": 3}, predikat_organisasi="Istimewa")
    with pytest.raises(InvalidOptionError, match="'mayoritas_50', 'modus', 'batas_atas'"):
        check_distribution({SB: 1}, predikat_organisasi="Istimewa", reading="sebagian_besar")
    with pytest.raises(InvalidOptionError, match="'exact', 'ceil_count'"):
        check_distribution({SB: 1}, predikat_organisasi="Istimewa", rounding="round")
    with pytest.raises(KinerjaDataError, match="min_n"):
        check_distribution({SB: 1}, predikat_organisasi="Istimewa", min_n=0)


# --- many units at once ---------------------------------------------------------------------------------


def _units() -> pd.DataFrame:
    rows = [("A", p, "Baik") for p in [B] * 7 + [SB] * 2 + [K]]
    rows += [("B", p, "Istimewa") for p in [SB] * 8 + [B] * 2]
    rows += [("C", p, "Kurang") for p in [K, K, None]]
    return pd.DataFrame(rows, columns=["unit_id", "predikat", "predikat_organisasi"])


def test_units_are_checked_at_once_with_a_column_or_a_mapping():
    frame = _units()
    before = frame.copy()
    out = check_distributions(frame, min_n=3)
    again = check_distributions(frame.drop(columns="predikat_organisasi"), min_n=3,
                                predikat_organisasi={"A": "Baik", "B": "Istimewa", "C": "kurang"})  # fmt: skip
    pd.testing.assert_frame_equal(out, again)
    pd.testing.assert_frame_equal(frame, before)  # the data is never rewritten
    assert out["unit_id"].tolist() == ["A"] * 3 + ["B"] * 2 + ["C"] * 3
    assert out.loc[out.unit_id == "A", "ok"].tolist() == [True, True, True]
    assert out.loc[out.unit_id == "B", "ok"].tolist() == [True, False]
    # C: 2 employees with a predikat (one missing) < min_n = 3: not checked
    c = out.loc[out.unit_id == "C"]
    assert c["ok"].isna().all() and (c["n"] == 2).all() and (c["n_missing"] == 1).all()
    assert c["message"].str.startswith("Tidak diperiksa").all()


def test_each_unit_matches_the_single_unit_check():
    frame = _units()
    out = check_distributions(frame, reading="modus", rounding="ceil_count")
    for unit, part in frame.groupby("unit_id"):
        single = check_distribution(part, predikat_organisasi=part["predikat_organisasi"].iloc[0], reading="modus",
                                    rounding="ceil_count")  # fmt: skip
        mine = out.loc[out.unit_id == unit].drop(columns="unit_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, single)


def test_unit_level_errors():
    frame = _units()
    with pytest.raises(KinerjaDataError, match=r"differs within unit\(s\) \['A'\]"):
        check_distributions(frame.assign(predikat_organisasi=["Baik"] * 9 + ["Istimewa"] + ["Istimewa"] * 10 + [K] * 3))
    with pytest.raises(KinerjaDataError, match=r"unit\(s\) \['C'\] have no predikat_organisasi"):
        check_distributions(frame, predikat_organisasi={"A": "Baik", "B": "Istimewa"})
    with pytest.raises(MissingColumnError, match="unit_id"):
        check_distributions(frame.drop(columns="unit_id"))
    empty = check_distributions(frame.iloc[:0])
    assert empty.empty and "ok" in empty.columns


# --- an independent reference on random units ---------------------------------------------------------


def _reference(counts: dict[str, int], org: str, reading: str) -> list[bool]:
    """DOMAIN.md 3.2 written out again with exact fractions, rule by rule, in output order."""
    n = sum(counts.values())
    share = {p: Fraction(counts.get(p, 0), n) for p in schema.PREDIKAT}

    def most(p: str) -> list[bool]:
        if reading == "mayoritas_50":
            return [share[p] > Fraction(1, 2)]
        return [all(counts.get(p, 0) > counts.get(q, 0) for q in schema.PREDIKAT if q != p)]

    cap = Fraction(7, 10)
    return {
        "Istimewa": [*most(SB), share[SB] <= cap],
        "Baik": [*most(B), share[B] <= cap, share[BP] + share[K] > 0],
        "Butuh Perbaikan": [share[BP] >= Fraction(6, 10), share[SB] <= Fraction(1, 10)],
        "Kurang": [share[K] >= Fraction(6, 10), share[BP] >= Fraction(1, 10), share[SB] <= Fraction(1, 10)],
        "Sangat Kurang": [share[SK] >= Fraction(6, 10), share[K] + share[BP] >= Fraction(1, 10), share[SB] == 0],
    }[org]


@settings(max_examples=150, deadline=None)
@given(
    counts=st.fixed_dictionaries({p: st.integers(0, 12) for p in schema.PREDIKAT}).filter(lambda c: sum(c.values())),
    org=st.sampled_from(["Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]),
    reading=st.sampled_from(["mayoritas_50", "modus"]),
)
def test_checks_agree_with_an_exact_fraction_reference(counts, org, reading):
    out = check_distribution(counts, predikat_organisasi=org, reading=reading)
    assert out["ok"].tolist() == _reference(counts, org, reading)


def test_one_org_predikat_for_every_unit_equals_the_mapping():
    # K1: 6 Baik (60%: most, and at most 70%), 3 Sangat Baik, 1 Butuh Perbaikan -> every rule holds.
    # K2: 7 Baik (70%, at the cap), 3 Sangat Baik, nobody Butuh Perbaikan or Kurang -> that rule fails.
    staff = pd.DataFrame(
        {
            "unit_id": ["K1"] * 10 + ["K2"] * 10,
            "predikat": ["Baik"] * 6 + ["Sangat Baik"] * 3 + ["Butuh Perbaikan"] + ["Baik"] * 7 + ["Sangat Baik"] * 3,
        }
    )
    one = check_distributions(staff, predikat_organisasi="Baik")
    mapped = check_distributions(staff, predikat_organisasi={"K1": "Baik", "K2": "Baik"})
    pd.testing.assert_frame_equal(one, mapped)
    # K2 has no Butuh Perbaikan or Kurang, which the guidance for a "Baik" organisation requires.
    k2 = one[one.unit_id == "K2"].set_index("rule")["ok"]
    assert k2.to_dict() == {"baik_mayoritas": True, "baik_maks_70": True, "butuh_perbaikan_atau_kurang_ada": False}
    assert one[one.unit_id == "K1"]["ok"].all()


def test_summary_counts_units_per_rule():
    from kinerja_analysis.appraisal.distribution import summarize_checks

    staff = pd.DataFrame(
        {
            "unit_id": ["K1"] * 10 + ["K2"] * 10 + ["K3"] * 2,
            "predikat": ["Baik"] * 6
            + ["Sangat Baik"] * 3
            + ["Butuh Perbaikan"]
            + ["Baik"] * 7
            + ["Sangat Baik"] * 3
            + ["Baik"] * 2,
        }
    )
    out = summarize_checks(check_distributions(staff, predikat_organisasi="Baik", min_n=5)).set_index("rule")
    # K3 (2 people) is below min_n: counted in units, not in checked.
    assert out.loc["butuh_perbaikan_atau_kurang_ada", ["units", "checked", "ok", "violations"]].tolist() == [3, 2, 1, 1]
    assert out.loc["baik_maks_70", ["ok", "violations"]].tolist() == [2, 0]


def test_a_misspelt_org_column_is_named_as_missing():
    from kinerja_analysis.common.errors import MissingColumnError

    staff = pd.DataFrame({"unit_id": ["K1"] * 3, "predikat": ["Baik"] * 3, "predikat_org": ["Baik"] * 3})
    with pytest.raises(MissingColumnError, match="pred_org"):
        check_distributions(staff, predikat_organisasi="pred_org")
