"""Exact per-group sums of small non-negative integers, up to eight columns in one scatter-add.

Summing nine survey items per group with one ``numpy.bincount`` per item passes over the rows nine
times. Here the columns are laid side by side as byte-aligned fields of 64-bit words, each field wide
enough (8, 16, 32 or 64 bits) for the largest sum it can reach in one group: the column's bound times
the most rows any group has in this call. Adding whole words per group then adds every field exactly,
with no carry into its neighbour, so one ``numpy.add.at`` sums up to eight columns.

>>> codes = np.array([0, 1, 0, 2, 0])
>>> group_sums(codes, 3, [(np.array([4, 1, 3, 2, 1]), 4), (np.array([16, 1, 9, 4, 1]), 16)]).tolist()
[[8, 1, 2], [26, 1, 4]]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np

__all__ = ["group_sums"]

_LITTLE = sys.byteorder == "little"


def _width(most: int) -> int:
    """Bytes of the narrowest field that holds ``most`` (8, 16, 32 or 64 bits)."""
    for size in (1, 2, 4, 8):
        if most < 2 ** (8 * size - (size == 8)):  # keep the top bit of a 64-bit field clear
            return size
    raise OverflowError(f"a group sum of up to {most} does not fit 63 bits")


def _layout(sizes: Sequence[int]) -> list[tuple[int, int]]:
    """(word, byte offset) per field: widest first, first fit, so every field is aligned to its width."""
    used: list[int] = []
    place: list[tuple[int, int]] = [(0, 0)] * len(sizes)
    for j in sorted(range(len(sizes)), key=lambda j: -sizes[j]):
        word = next((w for w, u in enumerate(used) if u + sizes[j] <= 8), len(used))
        if word == len(used):
            used.append(0)
        place[j] = (word, used[word])
        used[word] += sizes[j]
    return place


def group_sums(
    codes: np.ndarray,
    size: int,
    columns: Sequence[tuple[np.ndarray, int]],
    *,
    counts: np.ndarray | None = None,
) -> np.ndarray:
    """Sum each column per group: an int64 array of shape ``(len(columns), size)``.

    ``codes`` are group numbers in ``[0, size)`` (intp); ``columns`` pairs a column of non-negative
    integers with a bound no value exceeds. ``counts`` (rows per group, ``bincount(codes)``) saves a pass
    when the caller has it.
    """
    out = np.zeros((len(columns), size), dtype=np.int64)
    if not len(codes) or not columns:
        return out
    if not _LITTLE:  # fields of a word are laid out for little-endian machines; sum column by column
        for j, (values, _) in enumerate(columns):
            np.add.at(out[j], codes, values.astype(np.int64))
        return out
    most = int((np.bincount(codes, minlength=size) if counts is None else counts).max())
    sizes = [_width(int(bound) * most) for _, bound in columns]
    place = _layout(sizes)
    for word in range(max(w for w, _ in place) + 1):
        fields = [j for j, (w, _) in enumerate(place) if w == word]
        used = max(place[j][1] + sizes[j] for j in fields)
        span = next(b for b in (1, 2, 4, 8) if b >= used)  # a short last word is added as a narrower integer
        buf = np.empty((len(codes), span), dtype=np.uint8)
        for j in fields:
            offset, width = place[j][1], sizes[j]
            buf[:, offset : offset + width].view(f"<u{width}")[:, 0] = columns[j][0]
        for byte in range(used, span):
            buf[:, byte] = 0
        total = np.zeros(size, dtype=f"<u{span}")
        np.add.at(total, codes, buf.view(f"<u{span}")[:, 0])
        as_bytes = total.view(np.uint8).reshape(size, span)
        for j in fields:
            offset, width = place[j][1], sizes[j]
            out[j] = as_bytes[:, offset : offset + width].view(f"<u{width}")[:, 0]
    return out
