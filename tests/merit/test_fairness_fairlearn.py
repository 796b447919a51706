"""Cross-check of group selection rates and the min/max rate ratio against fairlearn's MetricFrame.

fairlearn computes the same point values (it gives no exact tests, intervals or small-n handling, which
is why adverse_impact exists); it is a dev-only dependency.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, demographic_parity_ratio, selection_rate

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.merit.design import selection_design
from kinerja_analysis.merit.fairness import adverse_impact


@pytest.fixture(scope="module")
def design() -> pd.DataFrame:
    return selection_design(load_dataset(paths.demo_data_dir()))


@pytest.mark.parametrize("group", ["jenis_kelamin", "kelompok_usia", "instansi"])
def test_selection_rates_match_fairlearn(design, group) -> None:
    data = design.assign(kelompok_usia=design["kelompok_usia"].astype("str"))
    ours = adverse_impact(data, group=group, selected="terpilih", min_n=1).set_index("group")
    y = data["terpilih"].to_numpy(dtype=int)
    frame = MetricFrame(metrics=selection_rate, y_true=y, y_pred=y, sensitive_features=data[group].astype("str"))
    theirs = frame.by_group
    np.testing.assert_allclose(ours.loc[theirs.index, "selection_rate"].to_numpy(), theirs.to_numpy(), rtol=1e-12)
    # With every group eligible, the smallest impact ratio against the highest-rate group is fairlearn's ratio.
    assert ours["impact_ratio"].min() == pytest.approx(frame.ratio(method="between_groups"))
    assert ours["impact_ratio"].min() == pytest.approx(
        demographic_parity_ratio(y, y, sensitive_features=data[group].astype("str"))
    )
