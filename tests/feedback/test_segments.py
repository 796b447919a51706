"""Segments: level IKM and level-vs-rest differences against scipy, suppression of small cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError
from kinerja_analysis.feedback.segments import ikm_segments

ITEMS = [f"u{i}" for i in range(1, 10)]
EDU = pd.CategoricalDtype(["SD", "SMP", "SMA", "D3", "S1", "S2"], ordered=True)


def respondents(seed: int, sizes: dict[str, int], shift: dict[str, float], unit: str = "A") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for level, n in sizes.items():
        latent = 3.0 + shift.get(level, 0.0) + 0.3 * rng.standard_normal((n, 1)) + 0.6 * rng.standard_normal((n, 9))
        frame = pd.DataFrame(np.clip(np.rint(latent), 1, 4).astype(np.int64), columns=ITEMS)
        frame["pendidikan"] = pd.Categorical([level] * n, dtype=EDU)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True)
    out["unit_id"] = unit
    return out


def test_hand_example():
    s = pd.DataFrame([[4] * 9] * 12 + [[3] * 9] * 12, columns=ITEMS)
    s["jenis_kelamin"] = ["P"] * 12 + ["L"] * 12
    r = ikm_segments(s, segments=["jenis_kelamin"]).set_index("level")
    assert r.loc["P", "estimate"] == 100 and r.loc["L", "estimate"] == 75
    assert r.loc["P", "difference"] == 25 and r.loc["L", "difference"] == -25
    assert r.loc["P", "n_rest"] == 12 and not r["suppressed"].any()


def test_levels_against_scipy_and_in_their_order():
    s = respondents(1, {"SMA": 60, "SD": 40, "S1": 50}, {"SD": -0.4})
    r = ikm_segments(s, by="unit_id", segments=["pendidikan"])
    assert r["level"].tolist() == ["SD", "SMA", "S1"]  # the ordered categorical's order, not the alphabet
    per = s[ITEMS].mean(axis=1) * 25
    for level in ("SD", "SMA", "S1"):
        row = r.loc[r["level"] == level].iloc[0]
        x, rest = per[s["pendidikan"] == level], per[s["pendidikan"] != level]
        low, high = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
        assert (row["estimate"], row["ci_low"], row["ci_high"]) == pytest.approx((x.mean(), low, high))
        ref = stats.ttest_ind(x, rest, equal_var=False)
        ci = ref.confidence_interval(0.95)
        assert row["difference"] == pytest.approx(x.mean() - rest.mean())
        assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
        assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((ci.low, ci.high))
    sd = r.loc[r["level"] == "SD"].iloc[0]
    assert sd["p_adjusted"] <= 0.05 and sd["difference"] < 0


def test_small_levels_are_withheld_and_kept_out_of_the_rest():
    s = respondents(2, {"SD": 40, "SMA": 30, "S1": 25, "S2": 4}, {})
    r = ikm_segments(s, segments=["pendidikan"], min_n=10).set_index("level")
    assert bool(r.loc["S2", "suppressed"])
    assert pd.isna(r.loc["S2", "n"]) and np.isnan(r.loc["S2", "estimate"]) and np.isnan(r.loc["S2", "difference"])
    # S2 alone hidden could be worked out from the group's total (ikm() publishes it): the smallest other
    # level, S1, is withheld with it (4 + 25 >= 10 in two levels).
    assert bool(r.loc["S1", "suppressed"]) and np.isnan(r.loc["S1", "estimate"])
    # SD's rest is SMA only (S1 and S2 are withheld), so nothing about them can be recovered from SD's row
    assert r.loc["SD", "n_rest"] == 30 and r.loc["SMA", "n_rest"] == 40
    per = s[ITEMS].mean(axis=1) * 25
    assert r.loc["SD", "difference"] == pytest.approx(
        per[s["pendidikan"] == "SD"].mean() - per[s["pendidikan"] == "SMA"].mean()
    )


def test_difference_withheld_when_the_rest_is_small():
    s = respondents(3, {"SD": 40, "SMA": 25, "S1": 6}, {})
    r = ikm_segments(s, segments=["pendidikan"], min_n=10).set_index("level")
    # S1 (6) is withheld with SMA (complementary); SD is shown but its rest (shown levels only) is empty.
    assert r.loc["SD", "n"] == 40 and not np.isnan(r.loc["SD", "estimate"])
    assert bool(r.loc["SMA", "suppressed"]) and bool(r.loc["S1", "suppressed"])
    assert np.isnan(r.loc["SD", "difference"]) and "difference withheld" in r.loc["SD", "note"]


def test_two_levels_one_small_hides_both():
    s = respondents(6, {"SD": 40, "SMA": 6}, {})
    r = ikm_segments(s, segments=["pendidikan"], min_n=10).set_index("level")
    assert r["suppressed"].all()  # the group's total minus SD would give SMA away


def test_blank_segment_values_are_left_out():
    s = respondents(4, {"SD": 30, "SMA": 30}, {})
    s.loc[:4, "pendidikan"] = np.nan
    r = ikm_segments(s, segments=["pendidikan"]).set_index("level")
    assert r.loc["SD", "n"] == 25 and r.loc["SD", "n_rest"] == 30


def test_several_segments_and_bad_requests():
    s = respondents(5, {"SD": 30, "SMA": 30}, {})
    s["jenis_kelamin"] = np.where(np.arange(len(s)) % 2 == 0, "L", "P")
    s["pekerjaan"] = np.where(np.arange(len(s)) % 3 == 0, "Wiraswasta", "Buruh")
    before = s.copy()
    r = ikm_segments(s)
    assert r["segment"].unique().tolist() == ["jenis_kelamin", "pendidikan", "pekerjaan"]
    pd.testing.assert_frame_equal(s, before)
    with pytest.raises(MissingColumnError, match="agama"):
        ikm_segments(s, segments=["agama"])
    with pytest.raises(InvalidOptionError):
        ikm_segments(s, min_n=0)
