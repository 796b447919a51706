"""training.compare_estimators: each row equals its own estimator; the naive row by hand (Welch)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kinerja_analysis import training
from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError


def _panel() -> tuple[pd.DataFrame, float]:
    """Staggered adoption, effects growing with exposure, earlier adopters better at baseline."""
    rng = np.random.default_rng(11)
    n, years = 1500, np.arange(2019, 2025)
    cohort = rng.choice([0, 2020, 2022], size=n)
    level = rng.normal(size=n) + 0.8 * (cohort == 2020)  # selection: early adopters start higher
    tahun, g = np.tile(years, n), np.repeat(cohort, len(years))
    event = tahun - g
    effect = np.where((g > 0) & (event >= 0), -0.3 * (event + 1), 0.0)
    y = np.repeat(level, len(years)) + 0.1 * (tahun - 2019) + rng.normal(0, 0.5, n * len(years)) + effect
    panel = pd.DataFrame({"nip": np.repeat(np.arange(n), len(years)), "tahun": tahun, "cohort": g, "y": y})
    return panel, float(effect[(g > 0) & (event >= 0)].mean())


def test_rows_match_their_estimators_and_the_naive_difference() -> None:
    panel, truth = _panel()
    args = dict(outcome="y", unit="nip", time="tahun", cohort="cohort")
    table = training.compare_estimators(panel, **args).set_index("estimator")
    assert list(table.index) == ["naive", "twfe", "callaway_santanna"]
    treated = (panel["cohort"] > 0) & (panel["tahun"] >= panel["cohort"])
    a, b = panel.loc[treated, "y"], panel.loc[~treated, "y"]
    welch = stats.ttest_ind(a, b, equal_var=False)
    assert table.loc["naive", "estimate"] == pytest.approx(a.mean() - b.mean())
    assert table.loc["naive", "p_value"] == pytest.approx(welch.pvalue)
    assert table.loc["twfe", "estimate"] == pytest.approx(training.twfe_att(panel, **args)["estimate"].iloc[0])
    cs = training.staggered_att(panel, **args).iloc[0]
    assert table.loc["callaway_santanna", "estimate"] == pytest.approx(cs["estimate"])
    assert (table["n"] == len(panel)).all()
    # only Callaway-Sant'Anna covers the planted effect
    covers = (table["ci_low"] <= truth) & (truth <= table["ci_high"])
    assert covers.to_dict() == {"naive": False, "twfe": False, "callaway_santanna": True}


def test_too_few_rows() -> None:
    panel, _ = _panel()
    with pytest.raises(KinerjaDataError, match="fewer than two"):
        training.compare_estimators(panel.assign(cohort=0), outcome="y", unit="nip", time="tahun", cohort="cohort")


def test_namespace_lists_the_issue_functions() -> None:
    for name in ("jp_compliance", "training_coverage", "employee_year_panel", "staggered_att", "twfe_event_study",
                 "att_by_group"):  # fmt: skip
        assert callable(getattr(training, name))


def test_baseline_is_the_untreated_mean_by_hand():
    from kinerja_analysis import load_dataset, paths

    panel = training.employee_year_panel(load_dataset(paths.demo_data_dir()), treatment=training.PROGRAMME)
    base = training.baseline_means(panel, outcomes=["hari_mean", "return_rate"]).set_index("outcome")
    for outcome in ("hari_mean", "return_rate"):
        values = [v for t, v in zip(panel["treated"], panel[outcome], strict=True) if t == 0 and v == v]
        assert base.loc[outcome, "n"] == len(values)
        assert base.loc[outcome, "baseline"] == pytest.approx(sum(values) / len(values))
    with pytest.raises(MissingColumnError, match="treated"):
        training.baseline_means(panel.drop(columns="treated"), outcomes=["hari_mean"])
