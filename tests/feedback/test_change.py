"""Change between periods: Welch against scipy, Holm and BH by hand, consecutive periods, small samples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.feedback.change import ikm_change, item_change

ITEMS = [f"u{i}" for i in range(1, 10)]


def panel(seed: int = 0, *, drop_unit: str = "B", drop_year: int = 2024, n: int = 100) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for unit in ("A", "B", "C"):
        for year in (2022, 2023, 2024):
            shift = np.zeros(9)
            if unit == drop_unit and year == drop_year:
                shift[[2, 6]] = -0.9  # u3 and u7 fall
            latent = 3.0 + shift + 0.3 * rng.standard_normal((n, 1)) + 0.6 * rng.standard_normal((n, 9))
            frame = pd.DataFrame(np.clip(np.rint(latent), 1, 4).astype(np.int64), columns=ITEMS)
            frame["unit_id"] = unit
            frame["tahun"] = year
            parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def per_respondent(s: pd.DataFrame, unit: str, year: int) -> np.ndarray:
    rows = s.loc[(s["unit_id"] == unit) & (s["tahun"] == year), ITEMS]
    return rows.mean(axis=1).to_numpy() * 25


def holm_by_hand(p: list[float]) -> list[float]:
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def test_welch_difference_matches_scipy():
    s = panel()
    r = ikm_change(s).set_index(["unit_id", "period_from"])
    for unit in ("A", "B", "C"):
        x, y = per_respondent(s, unit, 2023), per_respondent(s, unit, 2024)
        ref = stats.ttest_ind(y, x, equal_var=False)
        ci = ref.confidence_interval(0.95)
        row = r.loc[(unit, 2023)]
        assert row["period_to"] == 2024
        assert row["estimate"] == pytest.approx(y.mean() - x.mean())
        assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
        assert row["ikm_from"] == pytest.approx(x.mean()) and row["ikm_to"] == pytest.approx(y.mean())


def test_holm_correction_and_bonferroni_intervals():
    s = panel()
    r = ikm_change(s)
    assert len(r) == 6  # three units x two consecutive pairs
    assert r["p_adjusted"].tolist() == pytest.approx(holm_by_hand(r["p_value"].tolist()))
    assert r["correction"].iloc[0] == "holm over 6 comparisons"
    # adjusted intervals are Bonferroni: level 0.05 / 6
    x, y = per_respondent(s, "B", 2023), per_respondent(s, "B", 2024)
    ci = stats.ttest_ind(y, x, equal_var=False).confidence_interval(1 - 0.05 / 6)
    row = r.loc[(r["unit_id"] == "B") & (r["period_from"] == 2023)].iloc[0]
    assert (row["ci_low_adjusted"], row["ci_high_adjusted"]) == pytest.approx((ci.low, ci.high))
    # only the planted drop is significant
    flagged = r.loc[r["significant"].astype(bool), ["unit_id", "period_to"]].values.tolist()
    assert flagged == [["B", 2024]]


def test_benjamini_hochberg_by_hand():
    s = panel()
    r = ikm_change(s, periods=(2022, 2024), correction="fdr_bh")
    p = r["p_value"].to_numpy()
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    bh = np.minimum.accumulate(ranked[::-1])[::-1]
    expected = np.empty(m)
    expected[order] = np.minimum(bh, 1)
    assert r["p_adjusted"].to_numpy() == pytest.approx(expected)
    assert (r["period_from"] == 2022).all() and (r["period_to"] == 2024).all()


def test_item_change_finds_the_items_that_moved():
    s = panel()
    r = item_change(s, periods=(2023, 2024))
    assert len(r) == 27
    moved = r.loc[r["significant"].astype(bool)]
    assert set(moved["unit_id"]) == {"B"}
    assert set(moved["item"].astype(str)) == {"u3", "u7"}
    row = r.loc[(r["unit_id"] == "B") & (r["item"] == "u3")].iloc[0]
    x = s.loc[(s["unit_id"] == "B") & (s["tahun"] == 2023), "u3"].to_numpy(float)
    y = s.loc[(s["unit_id"] == "B") & (s["tahun"] == 2024), "u3"].to_numpy(float)
    ref = stats.ttest_ind(y, x, equal_var=False)
    assert row["estimate"] == pytest.approx(y.mean() - x.mean())
    assert row["nrr_from"] == pytest.approx(x.mean())
    assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert r["correction"].iloc[0] == "holm over 27 comparisons"


def test_consecutive_means_previous_period_surveyed():
    s = panel()
    s = s.loc[~((s["unit_id"] == "C") & (s["tahun"] == 2023))]
    r = ikm_change(s)
    c = r.loc[r["unit_id"] == "C", ["period_from", "period_to"]].values.tolist()
    assert c == [[2022, 2024]]


def test_derived_period_from_dates():
    s = panel().drop(columns="tahun")
    s["tanggal"] = pd.to_datetime(np.repeat(["2022-05-01", "2023-05-01", "2024-05-01"] * 3, 100))
    r = ikm_change(s, period="tahun")
    assert sorted(set(r["period_to"])) == [2023, 2024]


def test_single_response_period_has_no_test():
    s = panel()
    keep = ~((s["unit_id"] == "A") & (s["tahun"] == 2024)) | (
        s.index == s.index[(s["unit_id"] == "A") & (s["tahun"] == 2024)][0]
    )
    r = ikm_change(s.loc[keep])
    row = r.loc[(r["unit_id"] == "A") & (r["period_to"] == 2024)].iloc[0]
    assert row["n_to"] == 1 and np.isnan(row["p_value"]) and pd.isna(row["significant"])
    assert "no test" in row["note"]
    assert r["correction"].iloc[0] == "holm over 5 comparisons"


def test_bad_requests():
    s = panel()
    with pytest.raises(KinerjaDataError, match="2030"):
        ikm_change(s, periods=(2022, 2030))
    with pytest.raises(InvalidOptionError):
        ikm_change(s, correction="bonferroni")
    with pytest.raises(KinerjaDataError):
        ikm_change(s, by="tahun", period="tahun")


def test_input_untouched():
    s = panel()
    before = s.copy()
    ikm_change(s)
    item_change(s)
    pd.testing.assert_frame_equal(s, before)


def test_incomplete_responses_are_left_out_of_every_item():
    s = panel().astype({c: "Int64" for c in ITEMS})
    blanks = s.index[(s["unit_id"] == "A") & (s["tahun"] == 2024)][:7]
    s.loc[blanks, "u5"] = pd.NA
    r = item_change(s, periods=(2023, 2024))
    complete = s.dropna(subset=ITEMS)
    for item in ("u1", "u5"):
        row = r.loc[(r["unit_id"] == "A") & (r["item"] == item)].iloc[0]
        x = complete.loc[(complete["unit_id"] == "A") & (complete["tahun"] == 2023), item].to_numpy(float)
        y = complete.loc[(complete["unit_id"] == "A") & (complete["tahun"] == 2024), item].to_numpy(float)
        ref = stats.ttest_ind(y, x, equal_var=False)
        assert row["n_to"] == 93 and row["nrr_to"] == pytest.approx(y.mean())
        assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
