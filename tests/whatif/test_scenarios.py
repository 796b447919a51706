"""What-if scenario functions against hand-computed small cases and independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import InvalidOptionError, KinerjaDataError, load_dataset, paths, whatif
from kinerja_analysis.feedback import rules
from kinerja_analysis.merit import fairness
from kinerja_analysis.merit.design import selection_design


@pytest.fixture(scope="module")
def design() -> pd.DataFrame:
    return selection_design(load_dataset(paths.demo_data_dir()))


def _small() -> pd.DataFrame:
    # S1: A (komp 70, 20 years) vs B (komp 75, 5 years); S2: C (60, 10) vs D (65, 12). Actual: A and D.
    return pd.DataFrame({
        "seleksi_id": ["S2", "S1", "S2", "S1"], "nip": ["C", "A", "D", "B"], "terpilih": [False, True, True, False],
        "skor_kompetensi": [60.0, 70, 65, 75], "skor_potensi": [70.0, 80, 55, 65],
        "masa_kerja_tahun": [10.0, 20, 12, 5], "jenis_kelamin": ["P", "L", "L", "P"],
    })  # fmt: skip


def test_promotion_winners_and_seniority_by_hand() -> None:
    inputs = whatif.promotion_inputs(_small(), group_columns=["jenis_kelamin"], min_n=1)
    # rows sorted by seleksi_id: 0 = A, 1 = B (S1), 2 = C, 3 = D (S2)
    r = whatif.promotion_scenario(inputs, weights={"kompetensi": 1, "senioritas": 1}, standardize=False)
    # scores A 90, B 80 -> A; C 70, D 77 -> D: both as actually decided
    assert r.winner.tolist() == [0, 3]
    assert r.changed_share == 0.0
    # without seniority: B (75) beats A (70), D still wins S2 -> one selection of two changes
    assert r.seniority_decides == 0.5
    # groups: L = A, D (both chosen), P = B, C (none): ratios 1 and 0, same as the actual decisions
    imp = r.impact.set_index("group")
    assert imp.loc["L", "impact_ratio_rule"] == 1.0 and imp.loc["P", "impact_ratio_rule"] == 0.0
    assert imp.loc["P", "selected_actual"] == 0 and imp.loc["L", "n"] == 2


def test_promotion_cutoffs_leave_selections_unfilled() -> None:
    inputs = whatif.promotion_inputs(_small(), group_columns=["jenis_kelamin"], min_n=1)
    # potensi >= 66: A (80) and C (70) eligible; B (65) and D (55) not
    r = whatif.promotion_scenario(inputs, weights={"kompetensi": 1}, standardize=False, min_potensi=66)
    assert r.winner.tolist() == [0, 2]
    assert r.changed_share == 0.5  # S2 goes to C instead of D
    r = whatif.promotion_scenario(inputs, weights={"kompetensi": 1}, standardize=False, min_potensi=90)
    assert r.winner.tolist() == [-1, -1] and r.n_unfilled == 2 and not r.selected.any()
    assert np.isnan(r.seniority_decides)


def test_promotion_ties_go_to_the_first_candidate() -> None:
    inputs = whatif.promotion_inputs(_small(), group_columns=[], min_n=1)
    r = whatif.promotion_scenario(inputs, weights={}, standardize=False)
    assert r.winner.tolist() == [0, 2]


def test_promotion_matches_pandas_on_demo(design: pd.DataFrame) -> None:
    weights = {"kompetensi": 0.5, "potensi": 0.3, "kinerja": 0.4, "senioritas": 0.8}
    r = whatif.promotion_scenario(whatif.promotion_inputs(design), weights=weights)
    # independent: z-scores with pandas, kinerja from the four indicators, winner by groupby idxmax
    d = design.sort_values("seleksi_id", kind="stable").reset_index(drop=True)
    kin = d["predikat_sangat_baik"] + d["pp46_sangat_baik"] - d["predikat_di_bawah_baik"] - d["pp46_di_bawah_baik"]
    feats = pd.DataFrame({"k": d["skor_kompetensi"], "p": d["skor_potensi"], "n": kin, "s": d["masa_kerja_tahun"]})
    z = (feats - feats.mean()) / feats.std(ddof=0)
    score = 0.5 * z["k"] + 0.3 * z["p"] + 0.4 * z["n"] + 0.8 * z["s"]
    expected = score.groupby(d["seleksi_id"]).idxmax()
    assert r.winner.tolist() == expected.tolist()
    chosen = d.loc[expected.to_numpy(), "terpilih"]
    assert r.changed_share == pytest.approx(1 - chosen.mean())
    no_sen = (score - 0.8 * z["s"]).groupby(d["seleksi_id"]).idxmax()
    assert r.seniority_decides == pytest.approx(np.mean(no_sen.to_numpy() != expected.to_numpy()))


@pytest.mark.parametrize("column", ["jenis_kelamin", "kelompok_usia", "instansi"])
def test_promotion_impact_ratios_match_fairness(design: pd.DataFrame, column: str) -> None:
    inputs = whatif.promotion_inputs(design)
    r = whatif.promotion_scenario(inputs, weights={"kompetensi": 1.0, "senioritas": 0.5})
    d = design.sort_values("seleksi_id", kind="stable").reset_index(drop=True).assign(baru=r.selected)
    ours = r.impact[r.impact["by"] == column].set_index("group")
    for selected, col in (("baru", "impact_ratio_rule"), ("terpilih", "impact_ratio_actual")):
        ref = fairness.adverse_impact(d.dropna(subset=[column]), group=column, selected=selected, min_n=5)
        ref = ref.set_index("group")["impact_ratio"]
        np.testing.assert_allclose(ours.loc[ref.index, col].to_numpy(float), ref.to_numpy(float), rtol=1e-12)


def test_promotion_rejects_unknown_weights(design: pd.DataFrame) -> None:
    inputs = whatif.promotion_inputs(design)
    with pytest.raises(InvalidOptionError, match="senioritas"):
        whatif.promotion_scenario(inputs, weights={"umur": 1.0})


def test_training_scenario_by_hand() -> None:
    eff = pd.DataFrame({"sektor": ["S", "S"], "outcome": ["hari_mean", "sla_share"], "reach": [0.4, 0.4],
                        "baseline": [1.0, 0.9], "att": [-0.5, 0.2], "att_std_error": [0.1, 0.05]})  # fmt: skip
    t = whatif.training_scenario(eff, level="S", reach=0.8).set_index("outcome")
    z = 1.959963984540054
    # hari: 0.4 x -0.5 = -0.2; interval 0.4 x (-0.5 -+ z 0.1)
    assert t.loc["hari_mean", "change"] == pytest.approx(-0.2)
    assert t.loc["hari_mean", "ci_low"] == pytest.approx(0.4 * (-0.5 - z * 0.1))
    assert t.loc["hari_mean", "projected_high"] == pytest.approx(1.0 + 0.4 * (-0.5 + z * 0.1))
    # sla: 0.9 + 0.08 = 0.98; upper end 0.9 + 0.4 x (0.2 + z 0.05) = 1.019 is clipped to 1
    assert t.loc["sla_share", "projected"] == pytest.approx(0.98)
    assert t.loc["sla_share", "projected_high"] == 1.0
    # lowering the reach reverses the sign and keeps the interval ordered
    down = whatif.training_scenario(eff, level="S", reach=0.0).set_index("outcome")
    assert down.loc["hari_mean", "change"] == pytest.approx(0.2)
    assert down.loc["hari_mean", "ci_low"] == pytest.approx(-0.4 * (-0.5 + z * 0.1))
    with pytest.raises(InvalidOptionError, match="between 0 and 1"):
        whatif.training_scenario(eff, level="S", reach=1.5)
    with pytest.raises(InvalidOptionError, match="'S'"):
        whatif.training_scenario(eff, level="X", reach=0.5)


def test_training_effects_on_demo() -> None:
    from kinerja_analysis import training

    panel = training.employee_year_panel(load_dataset(paths.demo_data_dir()), treatment=training.PROGRAMME)
    eff = whatif.training_effects(panel)
    # the baseline reach and mean recomputed directly from the panel's last year
    last = panel[(panel.tahun == panel.tahun.max()) & (panel.n_berkas > 0) & (panel.sektor == "pemerintahan")]
    row = eff[(eff.sektor == "pemerintahan") & (eff.outcome == "hari_mean")].iloc[0]
    assert row["reach"] == pytest.approx(last["treated"].mean())
    assert row["baseline"] == pytest.approx(last["hari_mean"].mean())
    att = training.att_by_group(panel, by="sektor", outcome="hari_mean", unit="nip", time="tahun",
                                cohort="cohort", incomplete="drop").set_index("level")  # fmt: skip
    assert row["att"] == pytest.approx(att.loc["pemerintahan", "estimate"])
    # the plain normal 95% interval, one sector at a time (the one training_scenario scales)
    se = att.loc["pemerintahan", "std_error"]
    assert row["ci_low"] == pytest.approx(row["att"] - 1.959963984540054 * se)
    assert row["ci_high"] == pytest.approx(row["att"] + 1.959963984540054 * se)
    assert set(eff.sektor) == {"pemerintahan", "kesehatan"}  # pendidikan handles no cases


def test_ikm_target_by_hand() -> None:
    nrr = {f"u{i}": 3.0 for i in range(1, 9)} | {"u9": 2.5}
    t = whatif.ikm_target(nrr, mutu="B")
    # IKM today 25/9 x 26.5 = 73.61 (C); B needs 76.605 x 9 / 25 = 27.5778, i.e. 1.0778 more.
    assert t.mutu_now == "C"
    assert t.total_increase == pytest.approx(76.605 * 9 / 25 - 26.5)
    # water filling: all nine end at (1.0778 + 26.5) / 9 = 3.06420; u9 gains 0.5642, the others 0.0642
    level = 76.605 * 9 / 25 / 9
    np.testing.assert_allclose(t.items["nrr_target"], level)
    assert str(rules.ikm_grade([t.ikm_target])["mutu"].iloc[0]) == "B"
    # minimal: a little less total increase leaves the unit in C
    assert str(rules.ikm_grade([t.ikm_target - 25 / 9 * 0.001])["mutu"].iloc[0]) == "C"


def test_ikm_target_lowest_first_capped_and_done() -> None:
    nrr = {"u1": 4.0} | {f"u{i}": 1.0 for i in range(2, 10)}
    t = whatif.ikm_target(nrr, mutu="A")
    # A needs 88.305 x 9 / 25 = 31.7898; eight items from 1 share 19.7898 -> 3.47372 each, u1 stays at 4
    inc = t.items.set_index("item")["increase"]
    assert inc["u1"] == 0.0
    np.testing.assert_allclose(inc.drop("u1"), (88.305 * 9 / 25 - 12) / 8)
    # a uneven case: u1 = 2.0, u2 = 2.9, rest 3.5; B needs 27.5778 - 29.4 < 0: already B, nothing to do
    done = whatif.ikm_target({"u1": 2.0, "u2": 2.9} | {f"u{i}": 3.5 for i in range(3, 10)}, mutu="B")
    assert done.total_increase == 0.0 and done.mutu_now == "B"
    # lowest first: u1 = 2.0, u2 = 2.9, rest 3.2 -> sum 27.3; B needs 0.2778, all to u1 (2.2778 < 2.9)
    part = whatif.ikm_target({"u1": 2.0, "u2": 2.9} | {f"u{i}": 3.2 for i in range(3, 10)}, mutu="B")
    inc = part.items.set_index("item")["increase"]
    assert inc["u1"] == pytest.approx(76.605 * 9 / 25 - 27.3) and (inc.drop("u1") == 0).all()


def test_ikm_target_weight_and_errors() -> None:
    nrr = {f"nrr_u{i}": 3.0 for i in range(1, 10)}  # the column names of feedback.ikm
    t = whatif.ikm_target(nrr, mutu="A", weight="0.11")
    assert t.total_increase == pytest.approx(88.305 / (25 * 0.11) - 27)
    with pytest.raises(InvalidOptionError, match="u9"):
        whatif.ikm_target({f"u{i}": 3.0 for i in range(1, 9)})
    with pytest.raises(InvalidOptionError, match="between 1 and 4"):
        whatif.ikm_target({f"u{i}": 5.0 for i in range(1, 10)})


def test_distribution_scenario_by_hand() -> None:
    ok, table = whatif.distribution_scenario(
        {"Baik": 6, "Sangat Baik": 2, "Butuh Perbaikan": 1, "Kurang": 1}, predikat_organisasi="Baik"
    )
    # Baik 60% (> 50, <= 70), and Butuh Perbaikan/Kurang exist
    assert ok and len(table) == 3
    ok, table = whatif.distribution_scenario({"Baik": 8, "Sangat Baik": 2}, predikat_organisasi="Baik")
    assert not ok
    assert set(table.loc[~table.ok, "rule"]) == {"baik_maks_70", "butuh_perbaikan_atau_kurang_ada"}


def test_promotion_publishable_impact_hides_small_groups_and_a_complement() -> None:
    # 13 selections of 2: unit A has 12 candidates, B 11, C 3; sexes 13 and 13
    n = 26
    design = pd.DataFrame({
        "seleksi_id": [f"S{i // 2:02d}" for i in range(n)], "terpilih": [i % 2 == 0 for i in range(n)],
        "skor_kompetensi": np.linspace(50, 90, n), "skor_potensi": 70.0, "masa_kerja_tahun": 10.0,
        "unit": ["A"] * 12 + ["B"] * 11 + ["C"] * 3, "jenis_kelamin": ["L", "P"] * 13,
    })  # fmt: skip
    r = whatif.promotion_scenario(whatif.promotion_inputs(design, group_columns=["unit", "jenis_kelamin"]),
                                  weights={"kompetensi": 1.0})  # fmt: skip
    shown = r.publishable_impact(min_n=10).set_index(["by", "group"])
    # C (3) is below 10; B, the smallest of the rest, is hidden too, else C = 26 - 12 - 11 could be worked out
    assert shown["suppressed"].to_dict() == {("unit", "A"): False, ("unit", "B"): True, ("unit", "C"): True,
                                             ("jenis_kelamin", "L"): False, ("jenis_kelamin", "P"): False}  # fmt: skip
    for col in ("n", "selected_actual", "rate_actual", "impact_ratio_actual", "selected_rule", "rate_rule"):
        assert shown.loc[[("unit", "B"), ("unit", "C")], col].isna().all()
    # what stays is untouched: A has 12 candidates, 6 chosen; the rule (higher kompetensi wins) picks the
    # second of each pair, so A's rule selections are 6 as well
    assert shown.loc[("unit", "A"), "n"] == 12 and shown.loc[("unit", "A"), "selected_actual"] == 6
    assert shown.loc[("unit", "A"), "selected_rule"] == 6 and shown.loc[("jenis_kelamin", "P"), "rate_rule"] == 1.0
    assert "suppressed" not in r.impact.columns  # the scenario's own table is not modified


def test_promotion_inputs_missing_scores_is_a_data_error() -> None:
    d = _small()
    d.loc[1, "skor_potensi"] = np.nan
    with pytest.raises(KinerjaDataError, match=r"rows \[1\]"):
        whatif.promotion_inputs(d, group_columns=["jenis_kelamin"])


def test_ikm_target_interval_beside_the_cutoff() -> None:
    # IKM today 25/9 x 26.5 = 73.61 (C); the B cut-off is 76.61
    nrr = {f"u{i}": 3.0 for i in range(1, 9)} | {"u9": 2.5}
    t = whatif.ikm_target(nrr | {"ci_low": 71.0, "ci_high": 76.606}, mutu="B")
    assert (t.ci_low, t.ci_high, t.cutoff) == (71.0, 76.606, 76.61)
    assert t.within_interval  # 76.606 is published as 76.61, grade B
    assert not whatif.ikm_target(nrr | {"ci_low": 71.0, "ci_high": 76.604}, mutu="B").within_interval
    assert not whatif.ikm_target(nrr | {"ci_low": 71.0, "ci_high": 80.0}, mutu="A").within_interval
    bare = whatif.ikm_target(nrr, mutu="B")
    assert np.isnan(bare.ci_high) and not bare.within_interval
