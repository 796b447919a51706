"""Quantiles and order-statistic intervals against numpy, scipy.stats.quantile_test and the binomial directly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.quantiles import (
    CountTable,
    _distinct,
    grouped_quantiles,
    minimum_n,
    order_statistic_ranks,
    quantile_interval,
)


def _binom_cdf(k: int, n: int, p: float) -> float:
    """P(B <= k) summed from math.comb: a computation independent of scipy."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(0, k + 1))


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_ranks_by_brute_force(p: float, alpha: float) -> None:
    for n in range(1, 61):
        low, high = order_statistic_ranks(np.array([n]), p, alpha=alpha)
        # l: the largest rank with P(B <= l - 1) <= alpha/2 (0 if none); u: the smallest with P(B >= u) <= alpha/2.
        want_low = max([r for r in range(1, n + 1) if _binom_cdf(r - 1, n, p) <= alpha / 2], default=0)
        want_high = min([r for r in range(1, n + 1) if 1 - _binom_cdf(r - 1, n, p) <= alpha / 2], default=n + 1)
        assert (int(low[0]), int(high[0])) == (want_low, want_high), n
        if 1 <= want_low and want_high <= n:
            coverage = _binom_cdf(want_high - 1, n, p) - _binom_cdf(want_low - 1, n, p)
            assert coverage >= 1 - alpha - 1e-12


def test_median_interval_of_twenty_is_x6_x15() -> None:
    # The textbook case (Conover 1999, table A3): n = 20, 95%: ranks 6 and 15.
    low, high = order_statistic_ranks(np.array([20]), 0.5)
    assert (int(low[0]), int(high[0])) == (6, 15)


def test_minimum_n_by_hand() -> None:
    # 0.5^6 = 0.0156 <= 0.025 < 0.5^5; 0.9^36 = 0.0225 <= 0.025 < 0.9^35 = 0.0250 (0.02503).
    assert minimum_n(0.5) == (6, 6)
    assert minimum_n(0.9) == (2, 36)


def _groups(rng: np.random.Generator) -> list[np.ndarray]:
    sizes = [0, 1, 3, 5, 6, 12, 35, 36, 50, 200]
    return [rng.poisson(3, size=s) + rng.integers(0, 2, size=s) * 4 for s in sizes]


def test_one_count_table_serves_every_quantile() -> None:
    """Quantiles taken from one checked table equal numpy's and scipy's for each p, with zero-count rows."""
    samples = _groups(np.random.default_rng(12))
    rows = [(i, v, c) for i, x in enumerate(samples) for v, c in zip(*np.unique(x, return_counts=True), strict=True)]
    rows += [(3, 99, 0)]  # a value nobody has: counted 0 times, never a quantile
    rows.sort()
    g, values, counts = (np.array(column) for column in zip(*rows, strict=True))
    table = CountTable(g, values, counts.astype(np.int32), n_groups=len(samples))
    for p in (0.1, 0.5, 0.9):
        out = table.quantile(p)
        for i, x in enumerate(samples[1:], start=1):
            assert out["estimate"][i] == pytest.approx(np.quantile(x, p, method="linear"))
            ci = stats.quantile_test(x, q=np.median(x), p=p).confidence_interval(0.95)
            np.testing.assert_equal([out["ci_low"][i], out["ci_high"][i]], [ci.low, ci.high])
    with pytest.raises(KinerjaDataError, match="whole numbers"):
        CountTable(g, values, -counts, n_groups=len(samples))


@pytest.mark.parametrize("p", [0.5, 0.9])
def test_grouped_against_numpy_and_scipy(p: float) -> None:
    samples = _groups(np.random.default_rng(11))
    g, values, counts = [], [], []
    for i, x in enumerate(samples):
        v, c = np.unique(x, return_counts=True)
        g += [i] * v.size
        values += v.tolist()
        counts += c.tolist()
    out = grouped_quantiles(np.array(g), np.array(values), np.array(counts), n_groups=len(samples), p=p)
    for i, x in enumerate(samples):
        assert out["n"][i] == x.size
        if x.size == 0:
            assert np.isnan(out["estimate"][i]) and out["note"][i] == "no observations"
            continue
        assert out["estimate"][i] == pytest.approx(np.quantile(x, p, method="linear"))
        ci = stats.quantile_test(x, q=np.median(x), p=p).confidence_interval(0.95)
        np.testing.assert_equal([out["ci_low"][i], out["ci_high"][i]], [ci.low, ci.high])
        need_low, need_high = minimum_n(p)
        assert np.isnan(out["ci_low"][i]) == (x.size < need_low)
        assert np.isnan(out["ci_high"][i]) == (x.size < need_high)
        assert (out["note"][i] == "") == (x.size >= max(need_low, need_high))


def test_notes_say_which_bound_is_missing() -> None:
    x = np.arange(35.0)
    assert quantile_interval(x, 0.9)[3] == "no upper bound at 95% (needs 36 cases)"
    assert quantile_interval(x[:5], 0.5)[3] == "too few cases for a 95% interval (needs 6)"
    assert quantile_interval(np.arange(36.0), 0.9)[3] == ""


def test_unsorted_table_and_bad_options() -> None:
    with pytest.raises(KinerjaDataError, match="sorted"):
        grouped_quantiles(np.array([0, 0]), np.array([3, 1]), np.array([1, 1]), n_groups=1, p=0.5)
    with pytest.raises(KinerjaDataError, match="whole numbers"):
        grouped_quantiles(np.array([0]), np.array([3]), np.array([0.5]), n_groups=1, p=0.5)
    with pytest.raises(KinerjaDataError, match="0 .. n_groups - 1 = 1"):
        grouped_quantiles(np.array([0, 2]), np.array([3, 1]), np.array([1, 1]), n_groups=2, p=0.5)


def test_group_sizes_count_whole_float_counts_and_skip_zero_rows() -> None:
    """Group 1's only row counts 0 and group 3 has no row: both have no observations; 2.0 counts twice."""
    g, values, counts = np.array([0, 0, 1, 2, 2]), np.array([1, 4, 7, 2, 5]), np.array([2.0, 1.0, 0.0, 1.0, 3.0])
    table = CountTable(g, values, counts, n_groups=4)
    assert table.n.tolist() == [3, 0, 4, 0]
    out = table.quantile(0.5)  # group 0: 1, 1, 4 -> 1; group 2: 2, 5, 5, 5 -> 5
    assert out["estimate"][[0, 2]].tolist() == [1.0, 5.0] and np.isnan(out["estimate"][[1, 3]]).all()
    with pytest.raises(InvalidOptionError, match="quantile"):
        quantile_interval(np.arange(5.0), 1.0)
    with pytest.raises(InvalidOptionError, match="alpha"):
        quantile_interval(np.arange(5.0), 0.5, alpha=0)


@given(st.lists(st.integers(min_value=-3, max_value=40), max_size=80))
def test_distinct_sizes_by_counting_equal_numpy_unique(values):
    n = np.array(values, dtype=np.int64)
    sizes, back = _distinct(n)
    expected_sizes, expected_back = np.unique(n, return_inverse=True)
    assert sizes.tolist() == expected_sizes.tolist()
    assert back.tolist() == expected_back.ravel().tolist()
