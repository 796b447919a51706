"""Cronbach's alpha against pingouin and a hand computation; corrected item-total correlations against numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from kinerja_analysis.common.errors import MissingColumnError
from kinerja_analysis.feedback.reliability import cronbach_alpha, item_total

ITEMS = [f"u{i}" for i in range(1, 10)]


def correlated_survey(seed: int, n: int, unit: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = 2.8 + 0.5 * rng.standard_normal((n, 1)) + 0.6 * rng.standard_normal((n, 9))
    answers = np.clip(np.rint(latent), 1, 4).astype(np.int64)
    frame = pd.DataFrame(answers, columns=ITEMS).astype("Int64")
    frame.insert(0, "unit_id", unit)
    return frame


@pytest.fixture
def two_units() -> pd.DataFrame:
    return pd.concat([correlated_survey(1, 120, "A"), correlated_survey(2, 45, "B")], ignore_index=True)


def test_alpha_and_feldt_interval_match_pingouin(two_units):
    ours = cronbach_alpha(two_units, by="unit_id", alpha=0.05).set_index("unit_id")
    for unit, part in two_units.groupby("unit_id"):
        ref, ci = pg.cronbach_alpha(data=part[ITEMS].astype(float), ci=0.95)
        assert ours.loc[unit, "estimate"] == pytest.approx(ref, abs=1e-12)
        # pingouin rounds its interval to three decimals
        assert ours.loc[unit, "ci_low"] == pytest.approx(ci[0], abs=5e-4)
        assert ours.loc[unit, "ci_high"] == pytest.approx(ci[1], abs=5e-4)
        assert ours.loc[unit, "n"] == len(part) and ours.loc[unit, "k"] == 9
    assert ours["method"].str.contains("Feldt").all()


def test_alpha_by_hand():
    # Three items a, b, c and four respondents: (1, 2, 3), (3, 2, 3), (1, 2, 2), (3, 3, 3).
    # Item variances (n - 1): a 4/3, b 0.25, c 0.25, sum 11/6; totals 6, 8, 5, 9 have variance 10/3.
    # Nine items = a, b, c each asked three times: item variances sum to 3 x 11/6 = 5.5, the total is three
    # times the three-item total, variance 9 x 10/3 = 30; alpha = 9/8 x (1 - 5.5 / 30) = 0.91875.
    rows = [[1, 2, 3], [3, 2, 3], [1, 2, 2], [3, 3, 3]]
    frame = pd.DataFrame([r * 3 for r in rows], columns=ITEMS)
    assert cronbach_alpha(frame)["estimate"].iloc[0] == pytest.approx(0.91875, abs=1e-12)
    # and the three-item alpha by hand, 3/2 x (1 - (11/6) / (10/3)) = 0.675, as pingouin computes it
    assert pg.cronbach_alpha(pd.DataFrame(rows, dtype=float))[0] == pytest.approx(0.675)


def test_item_total_matches_numpy_and_alpha_if_deleted_matches_pingouin(two_units):
    ours = item_total(two_units, by="unit_id")
    assert len(ours) == 18 and ours["item"].astype(str).tolist()[:9] == ITEMS
    part = two_units.loc[two_units["unit_id"] == "A", ITEMS].astype(float)
    for item in ITEMS:
        row = ours.loc[(ours["unit_id"] == "A") & (ours["item"] == item)].iloc[0]
        rest = part.drop(columns=item).sum(axis=1)
        r = np.corrcoef(part[item], rest)[0, 1]
        assert row["estimate"] == pytest.approx(r, abs=1e-12)
        z = np.arctanh(r)
        assert row["ci_low"] == pytest.approx(np.tanh(z - 1.959963984540054 / np.sqrt(len(part) - 3)))
        assert row["alpha_if_deleted"] == pytest.approx(pg.cronbach_alpha(part.drop(columns=item))[0], abs=1e-12)


def test_blank_responses_are_left_out(two_units):
    s = two_units.copy()
    s.loc[[0, 5], "u4"] = pd.NA
    ours = cronbach_alpha(s, by="unit_id").set_index("unit_id")
    complete = s.loc[s["unit_id"] == "A", ITEMS].dropna().astype(float)
    assert ours.loc["A", "n"] == 118
    assert ours.loc["A", "estimate"] == pytest.approx(pg.cronbach_alpha(complete)[0], abs=1e-12)


def test_undefined_cases_say_why():
    one = pd.DataFrame([[3] * 9], columns=ITEMS)
    r = cronbach_alpha(one).iloc[0]
    assert np.isnan(r["estimate"]) and r["note"] == "fewer than 2 complete responses"
    same = pd.DataFrame([[3] * 9, [3] * 9, [3] * 9], columns=ITEMS)
    assert cronbach_alpha(same).iloc[0]["note"] == "no variation in respondents' totals"


def test_missing_item_and_input_untouched(two_units):
    before = two_units.copy()
    cronbach_alpha(two_units, by="unit_id")
    item_total(two_units)
    pd.testing.assert_frame_equal(two_units, before)
    with pytest.raises(MissingColumnError, match="u9"):
        cronbach_alpha(two_units.drop(columns="u9"))
