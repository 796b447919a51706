"""Counts and sums per (group, slot) cell over many batches of rows, with ``numpy.bincount``.

The Parquet scan of :mod:`kinerja_analysis.service.cases_parquet` gives every row a storage group and a slot
(its outcome and duration). The two statistics every row feeds (its count, and whether it was on time) go
to dense tables of ``groups x slots`` cells: rows are buffered by cell number ``group * slots + slot`` and
counted with one bincount over several batches at once (a bincount costs its rows plus its cells, and the
cells of a national table are tens of millions). Statistics of few rows (returns, revisions) are kept as
rows and summed at the end into the cells that exist. Slots past ``slot_cap`` (very long durations) are kept
aside as rows with all their statistics and summed sparsely at the end.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CellSums"]

FLUSH_ROWS = 24_000_000
"""Buffered rows that trigger the bincount of the dense statistics."""


class CellSums:
    """Dense counts ``n`` and ``on_time`` per cell; ``few`` statistics (name: dtype) kept as rows until the end."""

    def __init__(self, few: dict[str, type], *, on_time: bool, slot_cap: int) -> None:
        self.groups, self.slots, self.slot_cap = 0, 1, slot_cap
        self.with_on_time = on_time
        self.n = np.zeros(0, dtype=np.int32)
        self.on_time = np.zeros(0, dtype=np.int32)
        self.few = few
        self._cells: list[np.ndarray] = []
        self._late: list[np.ndarray] = []  # the buffered cells of the rows on time
        self._buffered = 0
        self._few_rows: dict[str, list[tuple[np.ndarray, int, np.ndarray | None]]] = {k: [] for k in few}
        self._aside: list[tuple[np.ndarray, np.ndarray, np.ndarray | None, dict[str, np.ndarray | None]]] = []

    def add(self, group: np.ndarray, slot: np.ndarray, on_time: np.ndarray | None,
            few: dict[str, tuple[np.ndarray, np.ndarray | None]]) -> None:  # fmt: skip
        """Rows in cells (``group``, ``slot``); ``few`` maps a statistic to (row mask, weights or None for 1)."""
        if group.size == 0:
            return
        top = int(slot.max()) + 1
        if top > self.slot_cap:
            aside = slot >= self.slot_cap
            few_aside = {k: (m[aside], None if w is None else w[aside[m]]) for k, (m, w) in few.items()}
            self._aside.append((group[aside], slot[aside], None if on_time is None else on_time[aside], few_aside))
            keep = ~aside
            few = {k: (m[keep], None if w is None else w[keep[m]]) for k, (m, w) in few.items()}
            group, slot = group[keep], slot[keep]
            on_time = None if on_time is None else on_time[keep]
            top = int(slot.max()) + 1 if slot.size else 1
        if top > self.slots:  # more slots: count what was buffered under the old numbering first
            self._flush()
            self._resize(self.groups, top)
        wide = (int(group.max()) + 1) * self.slots >= 2**31
        cell = group.astype(np.int64) * self.slots + slot if wide else group * self.slots + slot
        picked: dict[int, np.ndarray] = {}  # statistics on the same rows share one selection
        for name, (mask, weights) in few.items():
            chosen = picked.setdefault(id(mask), cell[mask])
            self._few_rows[name].append((chosen, self.slots, weights))
        self._cells.append(cell)
        if on_time is not None:
            self._late.append(cell[on_time])
        self._buffered += group.size
        if self._buffered >= FLUSH_ROWS:
            self._flush()

    def _resize(self, groups: int, slots: int) -> None:
        for name in ("n", "on_time"):
            old = getattr(self, name).reshape(self.groups, self.slots)
            new = np.zeros((groups, slots), dtype=np.int32)
            new[: self.groups, : self.slots] = old
            setattr(self, name, new.reshape(-1))
        self.groups, self.slots = groups, slots

    def _flush(self) -> None:
        if not self._cells:
            return
        cells = np.concatenate(self._cells)
        self._cells, self._buffered = [], 0
        groups = int(cells.max()) // self.slots + 1
        if groups > self.groups:
            self._resize(groups, self.slots)
        size = self.groups * self.slots
        np.add(self.n, np.bincount(cells, minlength=size), out=self.n, casting="unsafe")
        del cells
        if self._late:
            on_time = np.concatenate(self._late)
            self._late = []
            np.add(self.on_time, np.bincount(on_time, minlength=size), out=self.on_time, casting="unsafe")

    def finish(self, groups: int) -> None:
        """Count what is buffered; make the dense tables hold ``groups`` groups."""
        self._flush()
        if groups > self.groups:
            self._resize(groups, self.slots)

    def few_sums(self, name: str, position: np.ndarray, relabel, size: int) -> np.ndarray:
        """Sums of a ``few`` statistic at the dense cells; ``position`` maps a relabelled cell to its place."""
        parts = self._few_rows.pop(name)
        if not parts:
            return np.zeros(size)
        where = np.concatenate([position[relabel(c // s) * self.slots + c % s] for c, s, _ in parts])
        weights = None if parts[0][2] is None else np.concatenate([w for _, _, w in parts])
        return np.bincount(where, weights=weights, minlength=size).astype(np.float64)

    def aside(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The cells past ``slot_cap``: (group, slot, sums by statistic incl. n and on_time), by group and slot."""
        if not self._aside:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, {}
        width = max(int(s.max()) for _, s, _, _ in self._aside) + 1
        keys = [g.astype(np.int64) * width + s for g, s, _, _ in self._aside]
        cells = np.unique(np.concatenate(keys))
        sums: dict[str, np.ndarray] = {k: np.zeros(cells.size) for k in ("n", "on_time", *self.few)}
        for key, (_, _, on_time, few) in zip(keys, self._aside, strict=True):
            where = np.searchsorted(cells, key)
            sums["n"] += np.bincount(where, minlength=cells.size)
            if on_time is not None:
                sums["on_time"] += np.bincount(where[on_time], minlength=cells.size)
            for name, (mask, weights) in few.items():
                sums[name] += np.bincount(where[mask], weights=weights, minlength=cells.size)
        return cells // width, cells % width, sums
