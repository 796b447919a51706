"""The t interval of per-group summaries against statsmodels' own one-sample interval, group by group."""

import numpy as np
import pytest
from statsmodels.stats.weightstats import DescrStatsW

from kinerja_analysis.common.inference import t_interval


@pytest.mark.parametrize("groups", [5, 3000])  # few groups, and many sharing each sample size
def test_t_interval_matches_statsmodels_per_group(groups):
    rng = np.random.default_rng(7)
    sizes = [0, 1, *rng.integers(2, 40, size=groups - 2)]  # no interval for the first two
    samples = [rng.normal(70, 8, size=int(k)) for k in sizes]
    n = np.array([len(s) for s in samples])
    mean = np.array([s.mean() if len(s) else np.nan for s in samples])
    var = np.array([s.var(ddof=1) if len(s) > 1 else np.nan for s in samples])
    se, low, high = t_interval(mean, var, n, alpha=0.1)
    for i, s in enumerate(samples):
        if len(s) < 2:  # no interval from fewer than two values
            assert np.isnan(se[i]) and np.isnan(low[i]) and np.isnan(high[i])
            continue
        ref_low, ref_high = DescrStatsW(s).tconfint_mean(alpha=0.1)
        assert low[i] == pytest.approx(ref_low, rel=1e-12) and high[i] == pytest.approx(ref_high, rel=1e-12)


def test_t_interval_keeps_the_shape_of_its_inputs():
    n = np.full((40, 40), 12.0)
    se, low, high = t_interval(np.zeros_like(n), np.ones_like(n), n, alpha=0.05)
    assert low.shape == high.shape == se.shape == (40, 40)
    assert np.allclose(high, -low) and np.allclose(high, 2.200985160082949 / np.sqrt(12))  # t(0.975, 11)
