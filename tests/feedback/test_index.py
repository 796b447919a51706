"""IKM (PermenPANRB 14/2017): worked values by hand, every grade boundary, each weighting, bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.feedback.index import ikm
from kinerja_analysis.feedback.rules import ikm_grade, krejcie_morgan, round_published

ITEMS = [f"u{i}" for i in range(1, 10)]

# Four respondents of unit A. Item means (NRR), by hand:
# u1 3.5, u2 3.0, u3 3.0, u4 3.5, u5 3.25, u6 3.5, u7 3.5, u8 3.25, u9 3.5; their sum is 30.
HAND = [
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 3, 3, 3, 3, 3, 3, 3],
    [3, 2, 3, 4, 3, 3, 4, 3, 3],
    [4, 3, 2, 3, 3, 4, 3, 3, 4],
]
HAND_NRR = [3.5, 3.0, 3.0, 3.5, 3.25, 3.5, 3.5, 3.25, 3.5]


def survey(rows, unit="A", **extra) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=ITEMS).astype("Int64")
    frame.insert(0, "unit_id", pd.array([unit] * len(rows), dtype="str"))
    for name, values in extra.items():
        frame[name] = values
    return frame


def with_totals(totals) -> list[list[int]]:
    """Responses whose answers add up to each given total (9..36), spread evenly over the items."""
    rows = []
    for t in totals:
        base, extra = divmod(int(t), 9)
        rows.append([base + 1] * extra + [base] * (9 - extra))
    return rows


def test_worked_example_three_weightings_give_three_figures():
    s = survey(HAND)
    exact = ikm(s, by="unit_id")
    assert exact[[f"nrr_{c}" for c in ITEMS]].iloc[0].tolist() == HAND_NRR
    # sum of NRR = 30: exact 30 x 25 / 9 = 83.333..., 0.111: 30 x 0.111 x 25 = 83.25, 0.11: 30 x 0.11 x 25 = 82.5
    assert exact["estimate"].iloc[0] == pytest.approx(250 / 3, abs=1e-12)
    assert exact["ikm_rounded"].iloc[0] == 83.33
    r111 = ikm(s, by="unit_id", weight="0.111")
    r11 = ikm(s, by="unit_id", weight="0.11")
    assert r111["estimate"].iloc[0] == pytest.approx(83.25, abs=1e-12)
    assert r11["estimate"].iloc[0] == pytest.approx(82.5, abs=1e-12)
    assert (exact["weight"].iloc[0], r111["weight"].iloc[0], r11["weight"].iloc[0]) == ("1/9", "0.111", "0.11")
    assert {r["mutu"].iloc[0] for r in (exact, r111, r11)} == {"B"}
    assert exact["kinerja_unit"].iloc[0] == "Baik"


def test_weighting_moves_a_unit_across_the_b_c_boundary():
    # 4 respondents, totals 28, 28, 27, 28 -> sum of NRR 27.75:
    # exact 27.75 x 25 / 9 = 77.083 (B); 0.111: 77.00625 -> 77.01 (B); 0.11: 76.3125 -> 76.31 (C)
    s = survey(with_totals([28, 28, 27, 28]))
    figures = {w: ikm(s, weight=w).iloc[0] for w in ("exact", "0.111", "0.11")}
    assert figures["exact"]["estimate"] == pytest.approx(27.75 * 25 / 9)
    assert figures["0.111"]["ikm_rounded"] == 77.01
    assert figures["0.11"]["ikm_rounded"] == 76.31
    assert [figures[w]["mutu"] for w in ("exact", "0.111", "0.11")] == ["B", "B", "C"]


def test_maximum_is_99_with_weight_011():
    s = survey([[4] * 9] * 3)
    assert ikm(s, weight="0.11")["estimate"].iloc[0] == pytest.approx(99.0)
    assert ikm(s)["estimate"].iloc[0] == pytest.approx(100.0)
    assert ikm(s, weight="0.11")["mutu"].iloc[0] == "A"


@pytest.mark.parametrize(
    ("value", "mutu", "kinerja"),
    [
        (100.0, "A", "Sangat Baik"), (88.31, "A", "Sangat Baik"), (88.30, "B", "Baik"),
        (76.61, "B", "Baik"), (76.60, "C", "Kurang Baik"), (65.00, "C", "Kurang Baik"),
        (64.99, "D", "Tidak Baik"), (25.0, "D", "Tidak Baik"),
        (64.99999999999999, "C", "Kurang Baik"), (88.30999999999999, "A", "Sangat Baik"),
        (88.305, "A", "Sangat Baik"), (88.3049, "B", "Baik"), (76.605, "B", "Baik"), (64.994, "D", "Tidak Baik"),
    ],
)  # fmt: skip
def test_grade_boundaries(value, mutu, kinerja):
    g = ikm_grade([value])
    assert g["mutu"].iloc[0] == mutu
    assert g["kinerja_unit"].iloc[0] == kinerja


def by_item_sums(sums, n):
    """n responses whose answers to item i add up to sums[i]."""
    columns = []
    for total in sums:
        base, extra = divmod(total, n)
        columns.append([base + 1] * extra + [base] * (n - extra))
    return [list(row) for row in zip(*columns, strict=True)]


def test_index_of_exactly_65_computed_as_a_spreadsheet_does_is_graded_c():
    # Ten respondents with NRR 2.0, 3.4, 2.0, 2.8, 2.7, 2.8, 2.3, 3.9, 1.5: their sum is 23.4, so the IKM is
    # 23.4 x 25 / 9 = 65.00 exactly; summing NRR x (1/9) x 25 in floating point gives 64.99999999999999.
    nrr = [2.0, 3.4, 2.0, 2.8, 2.7, 2.8, 2.3, 3.9, 1.5]
    assert sum(x * (1 / 9) for x in nrr) * 25 == 64.99999999999999
    r = ikm(survey(by_item_sums([round(x * 10) for x in nrr], 10))).iloc[0]
    assert [r[f"nrr_{c}"] for c in ITEMS] == pytest.approx(nrr)
    assert r["ikm_rounded"] == 65.0 and r["mutu"] == "C" and r["kinerja_unit"] == "Kurang Baik"


def test_float_noise_is_rounded_before_grading():
    assert round_published([64.99999999999999]).tolist() == [65.0]
    g = ikm_grade(pd.Series([64.99999999999999, np.nan], index=[7, 8]))
    assert g.index.tolist() == [7, 8]
    assert g["ikm_rounded"].iloc[0] == 65.0 and g["mutu"].iloc[0] == "C"
    assert pd.isna(g["mutu"].iloc[1])
    assert list(g["mutu"].cat.categories) == ["D", "C", "B", "A"] and g["mutu"].cat.ordered


@pytest.mark.parametrize(
    ("value", "mutu"),
    [(88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.00, "C"), (64.99, "D")],
)
def test_boundaries_end_to_end(value, mutu):
    # 2500 respondents whose answers sum to value x 900 give an index of exactly `value` on paper:
    # IKM = (sum / 2500) x 25 / 9 = sum / 900.
    total = round(value * 900)
    assert Fraction(total, 900) == Fraction(str(value))
    low = total // 2500
    k = total - low * 2500  # k respondents at low + 1, the rest at low
    s = survey(with_totals([low + 1] * k + [low] * (2500 - k)))
    r = ikm(s).iloc[0]
    assert r["estimate"] == pytest.approx(value, abs=1e-9)
    assert r["ikm_rounded"] == value
    assert r["mutu"] == mutu


def test_interval_is_a_t_interval_on_per_respondent_indices():
    s = survey(HAND)
    r = ikm(s, alpha=0.10).iloc[0]
    per_respondent = np.array([np.mean(row) * 25 for row in HAND])  # 100, 75, 77.8, 80.6
    low, high = stats.t.interval(0.90, len(HAND) - 1, loc=per_respondent.mean(), scale=stats.sem(per_respondent))
    assert r["ci_low"] == pytest.approx(low)
    assert r["ci_high"] == pytest.approx(min(high, 100.0))
    assert r["method"].startswith("t 90%")
    # 95%: the upper end (101.4) is kept within the scale
    assert ikm(s).iloc[0]["ci_high"] == 100.0


def test_finite_population_correction_and_sample_adequacy():
    s = survey(HAND)
    r = ikm(s, population=10).iloc[0]
    per_respondent = np.array([np.mean(row) * 25 for row in HAND])
    se = stats.sem(per_respondent) * np.sqrt((10 - 4) / (10 - 1))
    half = stats.t.ppf(0.975, 3) * se
    assert r["ci_low"] == pytest.approx(per_respondent.mean() - half)
    assert "finite-population" in r["method"]
    assert r["population"] == 10 and r["n_required"] == 10 and not r["sample_adequate"]
    # N = n: the whole population answered, no sampling error
    full = ikm(s, population=4).iloc[0]
    assert full["ci_low"] == pytest.approx(full["estimate"]) and full["ci_high"] == pytest.approx(full["estimate"])
    assert full["sample_adequate"]


def test_population_per_group_and_unknown_groups():
    s = pd.concat([survey(HAND, unit="A"), survey(HAND[:2], unit="B"), survey(HAND[:3], unit="C")], ignore_index=True)
    pop = pd.DataFrame({"unit_id": ["A", "B"], "populasi": [4, 2]})
    r = ikm(s, by="unit_id", population=pop).set_index("unit_id")
    assert r.loc["A", "n_required"] == 4 and r.loc["B", "n_required"] == 2
    assert bool(r.loc["A", "sample_adequate"]) and bool(r.loc["B", "sample_adequate"])
    assert pd.isna(r.loc["C", "population"]) and pd.isna(r.loc["C", "sample_adequate"])
    assert not r.loc["C", "method"].endswith("corrected")
    with pytest.raises(KinerjaDataError, match="more complete responses than service users"):
        ikm(s, by="unit_id", population=pd.DataFrame({"unit_id": ["A"], "populasi": [3]}))


def test_krejcie_morgan_published_values_and_formula():
    assert krejcie_morgan([100, 1000, 10000]).tolist() == [80, 278, 370]
    # further entries of Krejcie & Morgan's (1970) table
    assert krejcie_morgan([10, 50, 500, 5000]).tolist() == [10, 44, 217, 357]
    sizes = np.unique(np.r_[1:400, np.geomspace(400, 5_000_000, 300).astype(int)])
    exact = []
    for big_n in sizes:  # the formula in exact rational arithmetic, rounded half up
        big_n = int(big_n)
        s = (
            Fraction(3841, 1000)
            * big_n
            * Fraction(1, 4)
            / (Fraction(1, 400) * (big_n - 1) + Fraction(3841, 1000) * Fraction(1, 4))
        )
        exact.append(int(s + Fraction(1, 2)))
    assert krejcie_morgan(sizes).tolist() == exact
    with pytest.raises(InvalidOptionError):
        krejcie_morgan([0])


def test_groups_by_unit_and_derived_year():
    dates = pd.to_datetime(["2023-03-01", "2023-09-01", "2024-02-01", "2024-02-02"]).astype("datetime64[s]")
    s = survey(HAND, tanggal=dates)
    r = ikm(s, by=("unit_id", "tahun"))
    assert r["tahun"].tolist() == [2023, 2024]
    assert r["n"].tolist() == [2, 2]
    # 2023: totals 36 and 27 -> mean 31.5 -> 87.5; 2024: totals 28, 29 -> 28.5 -> 79.1667
    assert r["estimate"].tolist() == pytest.approx([87.5, 28.5 * 25 / 9])
    tri = ikm(s, by="triwulan")
    assert tri["triwulan"].tolist() == [pd.Period("2023Q1", "Q"), pd.Period("2023Q3", "Q"), pd.Period("2024Q1", "Q")]
    assert ikm(s, by="bulan")["bulan"].astype(str).tolist() == ["2023-03", "2023-09", "2024-02"]
    assert ikm(s, by="semester")["semester"].tolist() == ["2023-S1", "2023-S2", "2024-S1"]


def test_blank_item_excludes_the_whole_response():
    rows = [*HAND, [1, 1, 1, 1, None, 1, 1, 1, 1]]
    r = ikm(survey(rows)).iloc[0]
    assert r["n"] == 4 and r["n_incomplete"] == 1
    assert r["nrr_u1"] == 3.5  # not (3.5 x 4 + 1) / 5: the incomplete response is out of every item
    assert r["estimate"] == pytest.approx(250 / 3)


def test_one_response_has_no_interval():
    r = ikm(survey(HAND[:1])).iloc[0]
    assert r["n"] == 1 and r["estimate"] == pytest.approx(100.0)
    assert pd.isna(r["ci_low"]) and pd.isna(r["ci_high"])
    assert r["note"] == "one complete response: no interval"


@pytest.mark.parametrize("bad", [0, 5, 2.5, -1])
def test_answers_outside_one_to_four_are_refused(bad):
    s = survey(HAND).astype({"u3": "float64"})
    s.loc[2, "u3"] = bad
    with pytest.raises(KinerjaDataError, match=r"survei\.u3: 1 answer\(s\).*index 2"):
        ikm(s)


def test_text_answers_are_refused():
    s = survey(HAND).astype({"u4": "str"})
    with pytest.raises(KinerjaDataError, match="u4"):
        ikm(s)


def test_missing_item_column():
    with pytest.raises(MissingColumnError, match="u7"):
        ikm(survey(HAND).drop(columns="u7"))


def test_missing_group_column():
    with pytest.raises(MissingColumnError, match="kelurahan"):
        ikm(survey(HAND), by="kelurahan")


def test_input_is_not_modified():
    s = survey(HAND, tanggal=pd.to_datetime(["2024-01-01"] * 4))
    before = s.copy()
    ikm(s, by=("unit_id", "tahun"), population=20)
    pd.testing.assert_frame_equal(s, before)


def test_fourteen_items_are_refused_for_the_2017_index():
    rows = [[3] * 14, [4] * 14]
    s = pd.DataFrame(rows, columns=[f"u{i}" for i in range(1, 15)]).astype("Int64")
    with pytest.raises(KinerjaDataError, match="KepMenPAN 25/2004"):
        ikm(s)
    with pytest.raises(InvalidOptionError, match="cutoffs"):
        ikm(s, regime="kepmenpan_25_2004")
    cut = (43.76, 62.51, 81.26)  # as the caller's source prints them; not built in
    old = ikm(s, regime="kepmenpan_25_2004", cutoffs=cut).iloc[0]
    # 14 items: mean total 49 -> exact 49 / 14 x 25 = 87.5; 0.071: 49 x 0.071 x 25 = 86.975
    assert old["estimate"] == pytest.approx(87.5) and old["weight"] == "1/14" and old["mutu"] == "A"
    assert ikm(s, regime="kepmenpan_25_2004", cutoffs=cut, weight="0.071")["estimate"].iloc[0] == pytest.approx(86.975)
    with pytest.raises(InvalidOptionError):
        ikm(s, regime="kepmenpan_25_2004", cutoffs=cut, weight="0.11")


def test_regimes_never_mix():
    s = pd.DataFrame([[3] * 14, [4] * 9 + [None] * 5], columns=[f"u{i}" for i in range(1, 15)]).astype("Int64")
    with pytest.raises(KinerjaDataError, match="mixed"):
        ikm(s, regime="kepmenpan_25_2004", cutoffs=(43.76, 62.51, 81.26))
    with pytest.raises(InvalidOptionError, match="fixed by PermenPANRB"):
        ikm(survey(HAND), cutoffs=(60, 70, 80))


@pytest.mark.parametrize("option", [{"weight": "0.1"}, {"alpha": 0.7}, {"regime": "2017"}])
def test_bad_options(option):
    with pytest.raises(InvalidOptionError):
        ikm(survey(HAND), **option)


def test_group_with_only_incomplete_responses_is_listed():
    s = pd.concat([survey(HAND), survey([[3, None, 3, 3, 3, 3, 3, 3, 3]], unit="B")], ignore_index=True)
    r = ikm(s, by="unit_id").set_index("unit_id")
    assert r.loc["B", "n"] == 0 and r.loc["B", "n_incomplete"] == 1
    assert np.isnan(r.loc["B", "estimate"]) and pd.isna(r.loc["B", "mutu"])
    assert r.loc["B", "note"] == "no complete response"


def test_duckdb_relation_gives_the_same_result(tmp_path):
    import duckdb

    rng = np.random.default_rng(3)
    s = pd.DataFrame(rng.integers(1, 5, (300, 9)), columns=ITEMS).astype("int8")
    s["unit_id"] = rng.choice(["A", "B", "C"], 300)
    s["tanggal"] = pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 600, 300), unit="D")
    s.loc[5, "u2"] = None
    path = tmp_path / "survei.parquet"
    s.to_parquet(path)
    con = duckdb.connect()
    from_frame = ikm(s, by=("unit_id", "tahun"), population=1000)
    from_file = ikm(con.read_parquet(str(path)), by=("unit_id", "tahun"), population=1000)
    pd.testing.assert_frame_equal(from_file, from_frame, check_dtype=False)
    bad = con.sql(
        "SELECT * REPLACE (CASE WHEN u4 = 1 THEN 7 ELSE u4 END AS u4) FROM read_parquet(?)", params=[str(path)]
    )
    with pytest.raises(KinerjaDataError, match=r"survei\.u4: \d+ answer\(s\) are not 1, 2, 3 or 4 \(values 7"):
        ikm(bad)
    zero = tmp_path / "zero.parquet"
    s.assign(u9=s["u9"].where(s.index != 17, 0)).to_parquet(zero)  # found through the file's statistics
    with pytest.raises(KinerjaDataError, match=r"survei\.u9: 1 answer\(s\) are not 1, 2, 3 or 4 \(values 0"):
        ikm(con.read_parquet(str(zero)))
    con.close()


def test_grade_is_uncertain_when_the_interval_crosses_a_boundary():
    """Hand-worked: all answers 3 give every respondent 75.00, a zero-width interval, grade C for certain;
    answers of all 4 and all 3 give 100 and 75, mean 87.5 with a t interval (1 df) of 87.5 +/- 12.706 x 12.5,
    clipped to 25-100, which spans D to A; one response has no interval and no certainty."""
    same = pd.DataFrame({f"u{i}": [3] * 40 for i in range(1, 10)} | {"unit_id": ["A"] * 40})
    spread = pd.DataFrame({f"u{i}": [4, 3] for i in range(1, 10)} | {"unit_id": ["B", "B"]})
    alone = pd.DataFrame({f"u{i}": [4] for i in range(1, 10)} | {"unit_id": ["C"]})
    r = ikm(pd.concat([same, spread, alone], ignore_index=True), by="unit_id").set_index("unit_id")
    assert r.loc["A", "estimate"] == pytest.approx(75.0) and r.loc["A", "ci_low"] == pytest.approx(75.0)
    assert str(r.loc["A", "mutu"]) == "C" and bool(r.loc["A", "mutu_pasti"]) is True
    assert r.loc["B", "ci_low"] == pytest.approx(25.0) and r.loc["B", "ci_high"] == pytest.approx(100.0)
    assert bool(r.loc["B", "mutu_pasti"]) is False
    assert pd.isna(r.loc["C", "mutu_pasti"])
