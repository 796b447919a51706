"""XmR, p-chart and funnel limits worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.service.control_charts import funnel, funnel_curve, p_chart, xmr_chart

# Eight monthly values with one wild month (30).
# mean = 100 / 8 = 12.5; moving ranges 1, 2, 1, 20, 20, 1, 2: mean 47/7 = 6.714, median 2.
SERIES = pd.Series([10.0, 11, 9, 10, 30, 10, 11, 9], index=pd.period_range("2024-01", periods=8, freq="M"))


def test_mean_mr_limits_are_inflated_by_the_outlier() -> None:
    out = xmr_chart(SERIES)
    assert out["centre"][0] == pytest.approx(12.5)
    assert out["mr_centre"][0] == pytest.approx(47 / 7)
    assert out["lcl"][0] == pytest.approx(12.5 - 2.66 * 47 / 7)  # -5.36
    assert out["ucl"][0] == pytest.approx(12.5 + 2.66 * 47 / 7)  # 30.36: the outlier hides inside
    assert out["mr_ucl"][0] == pytest.approx(3.268 * 47 / 7)  # 21.94
    assert out["signal"].tolist() == [""] * 8
    assert not out["mr_signal"].any()
    assert np.isnan(out["moving_range"][0]) and out["moving_range"][4] == 20


def test_median_mr_limits_catch_the_outlier() -> None:
    out = xmr_chart(SERIES, method="median_mr")
    assert out["mr_centre"][0] == 2
    assert out["lcl"][0] == pytest.approx(12.5 - 3.145 * 2)  # 6.21
    assert out["ucl"][0] == pytest.approx(12.5 + 3.145 * 2)  # 18.79
    assert out["mr_ucl"][0] == pytest.approx(3.865 * 2)  # 7.73
    assert out["signal"].tolist() == ["", "", "", "", "above", "", "", ""]
    assert out["mr_signal"].tolist() == [False, False, False, False, True, True, False, False]
    assert "median moving range" in out["method"][0]


def test_limits_from_a_baseline_period() -> None:
    # Baseline January-April: mean 10, moving ranges 1, 2, 1 (mean 4/3): limits 10 +- 3.5467.
    out = xmr_chart(SERIES, baseline=slice("2024-01", "2024-04"))
    assert out["in_baseline"].tolist() == [True] * 4 + [False] * 4
    assert (out["lcl"][0], out["ucl"][0]) == pytest.approx((10 - 2.66 * 4 / 3, 10 + 2.66 * 4 / 3))
    assert out["signal"].tolist() == ["", "", "", "", "above", "", "", ""]
    same = xmr_chart(SERIES, baseline=np.arange(8) < 4)
    pd.testing.assert_frame_equal(out, same)
    assert out["t"].tolist() == list(SERIES.index)


def test_xmr_bad_input() -> None:
    with pytest.raises(InvalidOptionError, match="'mean_mr', 'median_mr'"):
        xmr_chart(SERIES, method="sigma")
    with pytest.raises(KinerjaDataError, match="missing"):
        xmr_chart(pd.Series([1.0, np.nan, 2.0]))
    with pytest.raises(KinerjaDataError, match="at least 2"):
        xmr_chart(SERIES, baseline=slice("2024-01", "2024-01"))
    with pytest.raises(KinerjaDataError, match="consecutive"):
        xmr_chart(SERIES, baseline=np.array([True, False] * 4))


def test_p_chart_by_hand() -> None:
    # p = 151 / 220 = 0.68636; half-width 3 sqrt(p (1 - p) / n): n = 50 -> 0.1968, 20 -> 0.3112, 100 -> 0.1392.
    out = p_chart([45, 38, 18, 50], [50, 50, 20, 100])
    assert out["centre"][0] == pytest.approx(151 / 220)
    np.testing.assert_allclose(out["lcl"], [0.4895, 0.4895, 0.3751, 0.5472], atol=1e-4)
    np.testing.assert_allclose(out["ucl"], [0.8832, 0.8832, 0.9976, 0.8256], atol=1e-4)
    assert out["signal"].tolist() == ["above", "", "", "below"]  # 0.90 > 0.8832; 0.50 < 0.5472


def test_p_chart_empty_point_and_bad_counts() -> None:
    out = p_chart(pd.Series([5, 0]), pd.Series([10, 0]))
    assert np.isnan(out["estimate"][1]) and np.isnan(out["ucl"][1]) and out["signal"][1] == ""
    with pytest.raises(KinerjaDataError, match="between 0 and n"):
        p_chart([5, 12], [10, 10])


def _binom_cdf(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(0, k + 1))


def _spiegelhalter(n: int, target: float, prob: float) -> float:
    """Interpolated exact limit by hand: r = smallest with F(r) >= prob, limit (r - a) / n."""
    r = next(r for r in range(n + 1) if _binom_cdf(r, n, target) >= prob)
    at, below = _binom_cdf(r, n, target), _binom_cdf(r - 1, n, target) if r > 0 else 0.0
    return (r - (at - prob) / (at - below)) / n


def test_exact_funnel_limits_by_hand() -> None:
    units = pd.DataFrame({"unit_id": ["A", "B", "C"], "k": [3, 330, 27], "n": [5, 400, 30]})
    out = funnel(units, target=0.9)
    for i, n in enumerate(units["n"]):
        for level, label in ((0.95, "95"), (0.998, "99_8")):
            tail = (1 - level) / 2
            assert out[f"lower_{label}"][i] == pytest.approx(_spiegelhalter(n, 0.9, tail), abs=1e-9)
            assert out[f"upper_{label}"][i] == pytest.approx(min(1.0, _spiegelhalter(n, 0.9, 1 - tail)), abs=1e-9)
    # Unit A (3 of 5, 60%) is within the limits for five cases; unit B (82.5% of 400) is not.
    assert out["signal"].tolist() == ["", "below_99_8", ""]
    assert out["unit_id"].tolist() == ["A", "B", "C"]  # input columns kept
    assert "Spiegelhalter" in out["method"][0]


def test_normal_funnel_and_pooled_target() -> None:
    units = pd.DataFrame({"k": [40, 60], "n": [50, 150]})  # pooled 100 / 200 = 0.5
    out = funnel(units, method="normal", levels=[0.95])
    half = 1.959964 * math.sqrt(0.25 / 50)
    assert out["target"][0] == 0.5
    assert (out["lower_95"][0], out["upper_95"][0]) == pytest.approx((0.5 - half, 0.5 + half), abs=1e-6)
    assert out["signal"].tolist() == ["above_95", "below_95"]  # 0.8 and 0.4
    assert "pooled" in out["method"][0]


def test_funnel_curve_and_bad_input() -> None:
    curve = funnel_curve([10, 100], target=0.8)
    assert curve.shape == (4, 4) and set(curve["level"]) == {0.95, 0.998}
    narrow = curve[curve["level"] == 0.95]
    assert narrow["lower"].is_monotonic_increasing  # the funnel narrows as n grows
    with pytest.raises(MissingColumnError, match="'k'"):
        funnel(pd.DataFrame({"n": [1]}))
    with pytest.raises(InvalidOptionError, match="'exact', 'normal'"):
        funnel(pd.DataFrame({"k": [1], "n": [2]}), method="poisson")
    with pytest.raises(InvalidOptionError, match="levels"):
        funnel(pd.DataFrame({"k": [1], "n": [2]}), levels=[95])
