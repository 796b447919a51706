"""Training scenarios publish exactly the effects the training report publishes (one suppression rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import load_dataset, paths, training, whatif
from kinerja_analysis.common.privacy import suppress_small_cells


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return training.employee_year_panel(load_dataset(paths.demo_data_dir()), treatment=training.PROGRAMME)


def test_effects_withheld_in_the_report_are_withheld_in_the_scenario(panel):
    effects = whatif.training_effects(panel, outcomes=("hari_mean",))
    # notebook 04's table: att_by_group by sector, small cells hidden on n_treated with min_n = 10
    report = training.att_by_group(panel, by="sektor", outcome="hari_mean", unit="nip", time="tahun",
                                   cohort="cohort", incomplete="drop")  # fmt: skip
    report = suppress_small_cells(report, n="n_treated", min_n=10, columns=["estimate"])
    shown = set(report.loc[~report["suppressed"] & report["estimate"].notna(), "level"])
    assert set(effects.loc[~effects["suppressed"], "sektor"]) == shown
    hidden = effects[effects["suppressed"]]
    assert (hidden["n_treated"] < 10).all() and hidden["att"].isna().all()
    assert not hidden.empty, "the demo data has a sector with few treated case handlers (kesehatan)"


def test_a_withheld_effect_projects_no_number(panel):
    effects = whatif.training_effects(panel, outcomes=("hari_mean",))
    level = effects.loc[effects["suppressed"], "sektor"].iloc[0]
    projection = whatif.training_scenario(effects, level=level, reach=1.0)
    assert np.isnan(projection["change"]).all() and np.isnan(projection["projected"]).all()
    assert projection["method"].str.startswith("withheld").all()
    shown = effects.loc[~effects["suppressed"], "sektor"].iloc[0]
    assert np.isfinite(whatif.training_scenario(effects, level=shown, reach=1.0)["change"]).all()
