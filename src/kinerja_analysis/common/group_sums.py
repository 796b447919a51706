"""Sums per group over millions of rows, a slice of rows at a time.

A national count table has millions of rows. ``np.bincount`` over all of them at once needs its weights as
float64 and, to split groups further (by outcome, say), a key array: each a fresh copy the size of the table,
tens of MB that the C allocator takes from the kernel and gives back at once, so that every call pays the
kernel's page faults again (on the benchmark machine, about as long as the sums themselves). A slice of rows
covers a range of groups (a short one when the rows are sorted by group, as count tables are), so each slice
is summed into its own range of the result with temporaries small enough to be reused.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SLICE_ROWS", "row_slices", "group_sums"]

SLICE_ROWS = 1 << 20
"""Rows worked on at a time: temporaries of a few MB."""


def row_slices(size: int, step: int = SLICE_ROWS) -> list[slice]:
    """Slices of ``step`` rows covering ``size`` rows (the last may be shorter; none for 0 rows)."""
    return [slice(i, min(i + step, size)) for i in range(0, size, step)]


def group_sums(g: np.ndarray, values: np.ndarray, n_groups: int, *, sub: np.ndarray | None = None, n_sub: int = 1,
               mask: np.ndarray | None = None, slice_rows: int = SLICE_ROWS) -> np.ndarray:  # fmt: skip
    """Sums of ``values`` (float64) per group ``g`` (0 .. n_groups - 1), the same as ``np.bincount(g, weights=values,
    minlength=n_groups)``; with ``sub`` (codes 0 .. n_sub - 1), per group and code, ``n_groups x n_sub``;
    with ``mask``, over the rows where it is True only.

    Any order of rows gives the same sums; rows sorted by group keep each slice's range of groups short.

    >>> group_sums(np.array([0, 0, 2]), np.array([1, 2, 5]), 3).tolist()
    [3.0, 0.0, 5.0]
    >>> group_sums(np.array([0, 0, 2]), np.array([1, 2, 5]), 3, sub=np.array([1, 0, 1]), n_sub=2).tolist()
    [[2.0, 1.0], [0.0, 0.0], [0.0, 5.0]]
    """
    out = np.zeros(n_groups * n_sub)
    for rows in row_slices(g.size, slice_rows):
        key = g[rows].astype(np.int64)  # a copy: the slice's keys are shifted in place
        low, high = int(key.min()), int(key.max())
        key -= low
        weights = values[rows]
        if sub is not None:
            key *= n_sub
            key += sub[rows]
        if mask is not None:
            weights = np.where(mask[rows], weights, 0)
        width = (high - low + 1) * n_sub
        out[low * n_sub : low * n_sub + width] += np.bincount(key, weights=weights, minlength=width)
    return out if sub is None else out.reshape(n_groups, n_sub)
