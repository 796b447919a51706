"""The sort-based search for repeated keys agrees with pandas' ``duplicated(keep=False)``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kinerja_analysis.data.validate import _all_copies


@given(st.lists(st.integers(min_value=-1, max_value=12), max_size=60))
def test_all_copies_matches_pandas(values):
    codes = np.array(values, dtype=np.int64)
    expected = pd.Series(codes, dtype="int64").duplicated(keep=False).to_numpy()
    assert _all_copies(codes).tolist() == expected.tolist()


def test_all_copies_of_nips_at_scale():
    rng = np.random.default_rng(7)
    nips = rng.integers(10**17, 2 * 10**17, 200_000)
    nips[:3] = nips[-3:]  # three keys twice
    nips[10] = nips[11] = nips[12] = nips[5]  # one key four times
    found = np.flatnonzero(_all_copies(nips))
    assert found.tolist() == sorted({0, 1, 2, 5, 10, 11, 12, len(nips) - 3, len(nips) - 2, len(nips) - 1})
