"""Ground truth of the synthetic data: loading it, and the recovery check."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.synthetic import ground_truth


def test_the_committed_demo_records_its_planted_effects():
    truth = ground_truth.load_ground_truth()
    assert "SYNTHETIC" in truth["notice"]
    assert truth["selection_effect"]["coefficients"]["masa_kerja_tahun"] == pytest.approx(0.10)


def test_data_without_ground_truth_is_refused(tmp_path):
    with pytest.raises(KinerjaDataError, match="only synthetic data"):
        ground_truth.load_ground_truth(tmp_path)


def test_recovery_marks_coverage_at_the_interval_ends():
    est = pd.DataFrame(
        {"term": ["a", "b", "c"], "estimate": [1.0, 2.0, 3.0], "ci_low": [0.5, 1.5, 2.9], "ci_high": [1.5, 2.5, 3.1]}
    )
    out = ground_truth.check_recovery(est, {"a": 1.5, "b": 1.49, "c": 3.0})
    assert out["covered"].tolist() == [True, False, True]
    assert out["error"].tolist() == pytest.approx([-0.5, 0.51, 0.0])


def test_a_planted_term_without_estimate_is_named():
    est = pd.DataFrame({"term": ["a"], "estimate": [1.0], "ci_low": [0.5], "ci_high": [1.5]})
    with pytest.raises(KinerjaDataError, match="'z'"):
        ground_truth.check_recovery(est, {"z": 1.0})
