"""What a parser of one text column returns, and the helpers the parsers share.

A column of millions of cells holds few distinct texts (dates, scores, categories), so the parsers
read each distinct text once (:func:`distinct`) and spread the result back to the rows with integer
codes: the work grows with the number of distinct texts, not with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Parsed", "as_arrow", "distinct", "spread", "np_mask"]

_SAMPLE = 100_000  # rows sampled to tell whether a column has few distinct texts


@dataclass(frozen=True)
class Parsed:
    """Typed values of one column, the cells that could not be read, why, and how the column was read.

    ``reason`` is the reason of a bad cell, a text in which ``{value}`` stands for the cell's text.
    Where bad cells have different reasons, ``why`` gives each row the index of its reason in
    ``(reason, *others)``. ``note`` says how the column as a whole was read where that was a choice
    (``"decimal comma, thousands point"``); the loader reports it.
    """

    values: pd.Series
    bad: np.ndarray
    reason: str
    why: np.ndarray | None = None
    others: tuple[str, ...] = ()
    note: str | None = None

    def reasons(self) -> list[tuple[np.ndarray, str]]:
        """``(mask, reason)`` for each reason that some bad cell has, the masks covering ``bad``."""
        if self.why is None:
            return [(self.bad, self.reason)] if self.bad.any() else []
        out = []
        for k, template in enumerate((self.reason, *self.others)):
            mask = self.bad & (self.why == k)
            if mask.any():
                out.append((mask, template))
        return out


def as_arrow(text: pd.Series) -> pa.Array:
    """The text of a Series as one pyarrow string array (missing cells null)."""
    arr = pa.array(text.array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.string()) if pa.types.is_null(arr.type) else arr  # an empty column has no type


def np_mask(arr: pa.Array) -> np.ndarray:
    """A boolean pyarrow array as numpy, nulls read as False."""
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False)


def distinct(text: pd.Series | pa.Array) -> tuple[np.ndarray, pa.Array, np.ndarray]:
    """The distinct texts of a column, trimmed of surrounding blanks.

    Returns the code of each row (-1 where missing), the distinct texts as trimmed (a text and its
    padded copy are two entries that read the same) and the number of rows of each. A column whose
    texts are nearly all different (amounts, timestamps) is not encoded, as that would cost more
    than it saves: each row is then its own entry.
    """
    arr = text if isinstance(text, pa.Array) else as_arrow(text)
    n = len(arr)
    if n > 2 * _SAMPLE and len(pc.unique(arr.take(pa.array(np.arange(0, n, n // _SAMPLE))))) > 0.95 * _SAMPLE:
        valid = np_mask(pc.is_valid(arr))
        return np.where(valid, np.arange(n), -1), pc.utf8_trim_whitespace(arr), valid.astype(np.int64)
    encoded = pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    uniques = pc.utf8_trim_whitespace(encoded.dictionary)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    return codes, uniques, counts


def spread(per_unique: np.ndarray, codes: np.ndarray, fill) -> np.ndarray:
    """Values of the distinct texts spread to the rows; ``fill`` where a row is missing (code -1)."""
    return np.append(per_unique, np.asarray([fill], dtype=per_unique.dtype))[codes]
