"""Drivers: the logistic fit against statsmodels and a hand odds ratio, the planted drivers, points lost."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.feedback.drivers import ikm_drivers
from kinerja_analysis.feedback.index import ikm

ITEMS = [f"u{i}" for i in range(1, 10)]


def loaded_survey(seed: int, n: int, loadings) -> pd.DataFrame:
    """Answers driven by one latent satisfaction with the given loading per item."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n, 1))
    answers = np.clip(np.rint(3 + np.asarray(loadings) * latent + 0.6 * rng.standard_normal((n, 9))), 1, 4)
    return pd.DataFrame(answers.astype(np.int64), columns=ITEMS)


STRONG_U3_U7 = [0.2, 0.2, 0.9, 0.2, 0.2, 0.2, 0.9, 0.2, 0.2]


def test_odds_ratio_by_hand():
    # u1 is 2 or 3. The other eight items add up to 24 (rest index 75.00: low) or 25 (78.13: not low).
    # u1 = 2: 6 low, 4 not low; u1 = 3: 2 low, 8 not low.
    # Odds ratio per one point lower = (6/4) / (2/8) = 6; se of its log = sqrt(1/6 + 1/4 + 1/2 + 1/8).
    low_rest, high_rest = [3] * 8, [4] + [3] * 7
    rows = [[2, *low_rest]] * 6 + [[2, *high_rest]] * 4 + [[3, *low_rest]] * 2 + [[3, *high_rest]] * 8
    r = ikm_drivers(pd.DataFrame(rows, columns=ITEMS)).set_index("item").loc["u1"]
    se = np.sqrt(1 / 6 + 1 / 4 + 1 / 2 + 1 / 8)
    assert r["estimate"] == pytest.approx(6.0, rel=1e-9)
    assert r["ci_low"] == pytest.approx(np.exp(np.log(6) - 1.959963984540054 * se), rel=1e-9)
    assert r["ci_high"] == pytest.approx(np.exp(np.log(6) + 1.959963984540054 * se), rel=1e-9)
    assert r["n"] == 20 and r["n_low"] == 8


def test_logistic_fit_matches_statsmodels_on_rows():
    s = loaded_survey(5, 300, STRONG_U3_U7)
    ours = ikm_drivers(s, alpha=0.10).set_index("item")
    for item in ("u3", "u5", "u9"):
        rest = s.drop(columns=item).mean(axis=1) * 25
        low = (rest.round(2) < 76.61).astype(float)
        fit = sm.GLM(low, sm.add_constant(s[item].astype(float)), family=sm.families.Binomial()).fit(tol=1e-14)
        b, se = fit.params[item], fit.bse[item]
        assert ours.loc[item, "estimate"] == pytest.approx(np.exp(-b), rel=1e-7)
        low_ci, high_ci = np.exp(-fit.conf_int(alpha=0.10).loc[item])[::-1]
        assert ours.loc[item, "ci_low"] == pytest.approx(low_ci, rel=1e-7)
        assert ours.loc[item, "ci_high"] == pytest.approx(high_ci, rel=1e-7)
        assert ours.loc[item, "p_value"] == pytest.approx(fit.pvalues[item], rel=1e-6)
        assert se > 0


def test_planted_drivers_rank_first_in_each_unit():
    s = pd.concat(
        [
            loaded_survey(1, 250, STRONG_U3_U7).assign(unit_id="A"),
            loaded_survey(2, 250, STRONG_U3_U7).assign(unit_id="B"),
        ],
        ignore_index=True,
    )
    r = ikm_drivers(s, by="unit_id")
    for unit in ("A", "B"):
        top = r.loc[(r["unit_id"] == unit) & (r["rank"] <= 2), "item"].astype(str)
        assert set(top) == {"u3", "u7"}
    assert r.groupby("unit_id")["rank"].min().tolist() == [1, 1]
    # Holm over the nine items of each unit
    a = r.loc[r["unit_id"] == "A"]
    assert (a["p_adjusted"] >= a["p_value"]).all()


def test_points_lost_add_up_to_the_gap_to_100():
    s = loaded_survey(3, 120, STRONG_U3_U7)
    lost = ikm_drivers(s)["points_lost"].sum()
    assert lost == pytest.approx(100 - ikm(s)["estimate"].iloc[0])


def test_no_estimate_when_nobody_is_low():
    s = pd.DataFrame([[4] * 9, [4] * 8 + [3], [4] * 9], columns=ITEMS)  # rest index at least 96.88
    r = ikm_drivers(s)
    assert r["estimate"].isna().all() and (r["note"] == "nobody low on the other items").all()


def test_bad_options_and_input_untouched():
    s = loaded_survey(4, 50, STRONG_U3_U7)
    before = s.copy()
    ikm_drivers(s)
    pd.testing.assert_frame_equal(s, before)
    with pytest.raises(InvalidOptionError):
        ikm_drivers(s, correction="none")
