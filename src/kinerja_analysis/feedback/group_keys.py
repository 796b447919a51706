"""Group keys of a table read in batches: codes per batch, and sums collected across batches by key value.

Each batch numbers its keys by its own dictionary (Parquet writes one per row group, and they differ).
:func:`batch_groups` gives every row the number of its group within the batch; :class:`Groups` matches
each batch's dictionary with the values seen so far (:class:`~kinerja_analysis.common.parquet_batches.DictionaryCodes`:
one hash lookup of the distinct values, about 50,000, not of the rows) and adds the batch's per-group sums
to the right rows. A missing key is a group of its own.

>>> g = Groups(1)
>>> for keys in (["b", "a", "b"], ["a", "c"]):
...     batch = pa.record_batch({"k": pa.array(keys).dictionary_encode()})
...     codes, size, local = batch_groups(batch, [Key("k", "k")])
...     g.add(local, np.bincount(codes, minlength=size)[None, :])
>>> values, stats = g.result()
>>> values[0].to_pylist(), stats.tolist()
(['b', 'a', 'c'], [[2, 2, 1]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.common.parquet_batches import DictionaryCodes

__all__ = ["Key", "LocalGroups", "batch_groups", "Groups"]

Derive = Callable[[pa.Array], pa.Array]
_DENSE_BINS = 1 << 22
_MERGE_AFTER = 8  # batches of a multi-key grouping kept before their sums are merged (bounds memory)


@dataclass(frozen=True)
class Key:
    """A grouping key: its output name, the column it is read from, and how to derive it (None: as is)."""

    name: str
    column: str
    derive: Derive | None = None


@dataclass(frozen=True)
class LocalGroups:
    """The groups of one batch: each key's values in the batch, and which value of each key a group has."""

    values: list[pa.Array]
    sizes: list[int]
    ids: np.ndarray | None  # combined key code of each group; None: the group number is that code itself


def _codes(arr: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Codes of each row (intp) and the values they index; a missing key gets the last code (a null)."""
    if not pa.types.is_dictionary(arr.type):
        arr = pc.dictionary_encode(arr)
    values, indices = arr.dictionary, arr.indices
    if arr.null_count:
        indices = pc.fill_null(indices, len(values))
    return indices.to_numpy().astype(np.intp), pa.concat_arrays([values, pa.nulls(1, values.type)])


def _key_codes(batch: pa.RecordBatch, key: Key) -> tuple[np.ndarray, pa.Array]:
    codes, values = _codes(batch.column(key.column))
    if key.derive is not None:  # derive from the distinct values only (365 dates, not a million rows)
        derived, values = _codes(key.derive(values))
        codes = derived[codes]
    return codes, values


def batch_groups(batch: pa.RecordBatch, keys: Sequence[Key]) -> tuple[np.ndarray, int, LocalGroups]:
    """The group number (intp) of each row of the batch, the number of groups, and what the groups are."""
    coded = [_key_codes(batch, k) for k in keys]
    values, sizes = [v for _, v in coded], [len(v) for _, v in coded]
    if not coded:
        return np.zeros(batch.num_rows, dtype=np.intp), 1, LocalGroups([], [], None)
    if len(coded) == 1:
        return coded[0][0], sizes[0], LocalGroups(values, sizes, None)
    combined = np.ravel_multi_index(tuple(c for c, _ in coded), sizes)
    if int(np.prod(sizes, dtype=object)) <= max(_DENSE_BINS, 2 * batch.num_rows):
        return combined, int(np.prod(sizes)), LocalGroups(values, sizes, None)
    ids, inverse = np.unique(combined, return_inverse=True)
    return inverse.astype(np.intp), len(ids), LocalGroups(values, sizes, ids)


class Groups:
    """Per-group integer sums collected over batches, matched by key value (a missing key is a value too)."""

    def __init__(self, n_keys: int) -> None:
        self._dicts = [DictionaryCodes() for _ in range(n_keys)]
        self._sums: np.ndarray | None = None  # dense sums by key code + 1, code 0 a missing key (no key or one key)
        self._parts: list[tuple[list[np.ndarray], np.ndarray]] = []  # several keys: (codes per key, sums)

    def _codes(self, k: int, local: pa.Array) -> np.ndarray:
        """Key ``k``'s code + 1 of each value of a batch's dictionary (0 for a missing key)."""
        return self._dicts[k].lookup(local).astype(np.intp) + 1

    def _values(self, k: int, codes: np.ndarray) -> pa.Array:
        values = self._dicts[k].values
        return pa.concat_arrays([pa.nulls(1, values.type), values]).take(pa.array(codes))

    def add(self, local: LocalGroups, stats: np.ndarray) -> None:
        """Add a batch's sums (rows: statistics, columns: the batch's groups; row 0 counts rows)."""
        if len(self._dicts) <= 1:
            codes = self._codes(0, local.values[0]) if self._dicts else np.zeros(1, dtype=np.intp)
            size = len(self._dicts[0].values) + 1 if self._dicts else 1
            if self._sums is None:
                self._sums = np.zeros((len(stats), size), dtype=np.int64)
            elif self._sums.shape[1] < size:
                grown = np.zeros((len(stats), size), dtype=np.int64)
                grown[:, : self._sums.shape[1]] = self._sums
                self._sums = grown
            repeats = len(codes) and np.bincount(codes).max() > 1  # a dictionary repeating a value
            for row, column in zip(self._sums, stats, strict=True):  # row by row: 1-d fancy indexing is fast
                if repeats:
                    np.add.at(row, codes, column)
                else:
                    row[codes] += column
            return
        keep = np.flatnonzero(stats[0])
        digits = np.unravel_index(keep if local.ids is None else local.ids[keep], local.sizes)
        codes = [self._codes(k, v)[i] for k, (v, i) in enumerate(zip(local.values, digits, strict=True))]
        self._parts.append((codes, stats[:, keep]))
        if len(self._parts) > _MERGE_AFTER:
            self._parts = [self._merged()]

    def _merged(self) -> tuple[list[np.ndarray], np.ndarray]:
        codes = [np.concatenate([p[0][k] for p in self._parts]) for k in range(len(self._dicts))]
        stats = np.concatenate([p[1] for p in self._parts], axis=1)
        sizes = [len(d.values) + 1 for d in self._dicts]
        ids, group = np.unique(np.ravel_multi_index(tuple(codes), sizes), return_inverse=True)
        merged = np.zeros((len(stats), len(ids)), dtype=np.int64)
        for row, column in zip(merged, stats, strict=True):
            np.add.at(row, group, column)
        return list(np.unravel_index(ids, sizes)), merged

    def result(self) -> tuple[list[pa.Array], np.ndarray]:
        """Each key's value per group, and the sums (groups that have rows only, in no particular order)."""
        if len(self._dicts) <= 1:
            if self._sums is None:
                return [], np.zeros((0, 0), dtype=np.int64)
            keep = np.flatnonzero(self._sums[0])
            values = [self._values(0, keep)] if self._dicts else []
            return values, self._sums[:, keep]
        if not self._parts:
            return [], np.zeros((0, 0), dtype=np.int64)
        codes, stats = self._merged()
        return [self._values(k, c) for k, c in enumerate(codes)], stats
