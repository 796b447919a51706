"""group_sums against numpy's whole-table bincount, over slices that split groups and rows in any order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_analysis.common.group_sums import group_sums


def _reference(g, values, n_groups, sub=None, n_sub=1, mask=None):
    weights = values if mask is None else np.where(mask, values, 0)
    key = g if sub is None else g * n_sub + sub
    out = np.bincount(key, weights=weights, minlength=n_groups * n_sub)
    return out if sub is None else out.reshape(n_groups, n_sub)


@pytest.mark.parametrize("ordered", [True, False])
@pytest.mark.parametrize("slice_rows", [1, 7, 1000])
def test_equals_bincount_per_group_outcome_and_mask(ordered: bool, slice_rows: int) -> None:
    rng = np.random.default_rng(3)
    g = rng.integers(0, 40, size=500)
    g = np.sort(g) if ordered else g
    sub, values = rng.integers(0, 4, size=g.size), rng.integers(0, 9, size=g.size).astype(np.int32)
    mask = rng.random(g.size) < 0.3
    n_groups = 45  # the last groups have no rows: zeros
    np.testing.assert_array_equal(group_sums(g, values, n_groups, slice_rows=slice_rows),
                                  _reference(g, values, n_groups))  # fmt: skip
    np.testing.assert_array_equal(group_sums(g, values, n_groups, sub=sub, n_sub=4, slice_rows=slice_rows),
                                  _reference(g, values, n_groups, sub, 4))  # fmt: skip
    np.testing.assert_array_equal(group_sums(g, values, n_groups, mask=mask, slice_rows=slice_rows),
                                  _reference(g, values, n_groups, mask=mask))  # fmt: skip


@given(st.lists(st.tuples(st.integers(0, 30), st.floats(-1e6, 1e6, allow_nan=False), st.booleans()), max_size=60),
       st.integers(1, 9))  # fmt: skip
def test_any_rows_any_slices(rows, slice_rows) -> None:
    g = np.array([r[0] for r in rows], dtype=np.int64)
    values = np.array([r[1] for r in rows])
    mask = np.array([r[2] for r in rows], dtype=bool)
    got = group_sums(g, values, 31, mask=mask, slice_rows=slice_rows)
    np.testing.assert_allclose(got, _reference(g, values, 31, mask=mask), rtol=1e-12, atol=1e-6)
    assert got.shape == (31,)


def test_no_rows_gives_zeros() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert group_sums(empty, empty, 3).tolist() == [0.0, 0.0, 0.0]
    assert group_sums(empty, empty, 2, sub=empty, n_sub=2).tolist() == [[0.0, 0.0], [0.0, 0.0]]
