"""Counts and sums per (group, slot) cell over many batches of rows, with ``numpy.bincount``.

The Parquet scan of :mod:`kinerja_analysis.service.cases_parquet` gives every row a storage group and a slot
(its outcome and duration). The two statistics every row feeds (its count, and whether it was on time) go
to dense tables of ``groups x slots`` cells. A row's cell number ``group * slots + slot`` is doubled and its
on-time flag added, so one bincount counts both statistics in one random pass over the table (the cells of
a national table are tens of millions, far past the cache: that pass is the cost). Rows are copied into one
of two preallocated buffers; a full buffer is counted on a worker thread (bincount releases the GIL) while
the caller fills the other, so counting overlaps the next batches' arithmetic. Statistics of few rows
(returns, revisions) are kept as rows and summed at the end into the cells that exist. Slots past
``slots`` (very long durations) are kept aside as rows with all their statistics and summed sparsely.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

__all__ = ["CellSums", "dense_slots"]

FLUSH_ROWS = 16_000_000
"""Rows per buffer: a full buffer is counted by one bincount (two buffers of 8-byte cells: 256 MB; fewer,
larger flushes, since each allocates and adds the whole table)."""


def dense_slots(slot: np.ndarray, *, most: int) -> int:
    """Slots of the dense table: the slots of these rows (the first batch's) and two more, 8 to ``most``
    (at least 1).

    A table sized by the first batch keeps the cells few (each flush allocates and adds them all); the
    two spare slots keep later rows past it (set aside, which copies their batch) rare."""
    wanted = int(slot.max()) + 3 if slot.size else 8
    return int(max(1, min(max(wanted, 8), most)))


class CellSums:
    """Dense counts ``n`` and ``on_time`` per cell; ``few`` statistics (name: dtype) kept as rows until the end."""

    def __init__(self, few: dict[str, type], *, on_time: bool, slots: int) -> None:
        self.groups, self.slots = 0, slots
        self.with_on_time = on_time
        self.n = np.zeros(0, dtype=np.int32)
        self.on_time = np.zeros(0, dtype=np.int32)
        self.few = few
        self._width = 2 if on_time else 1  # buffered cell = cell * width + on-time flag
        self._buffers = [np.empty(0, dtype=np.intp)] * 2
        self._filled = 0
        self._top = 0  # largest buffered cell + 1
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cell-sums")
        self._pending: Future | None = None
        # Per statistic: (storage cells, their row width in slots, weights or None for 1).
        self._few_rows: dict[str, list[tuple[np.ndarray, int, np.ndarray | None]]] = {k: [] for k in few}
        self._aside: list[tuple[np.ndarray, np.ndarray, np.ndarray | None, dict[str, np.ndarray | None]]] = []

    def add(self, group: np.ndarray, slot: np.ndarray, on_time: np.ndarray | None,
            few: dict[str, tuple[np.ndarray, np.ndarray | None]]) -> None:  # fmt: skip
        """Rows in cells (``group``, ``slot``); ``few`` maps a statistic to (row mask, weights or None for 1)."""
        if group.size == 0:
            return
        if int(slot.max()) >= self.slots:
            aside = slot >= self.slots
            few_aside = {k: (m[aside], None if w is None else w[aside[m]]) for k, (m, w) in few.items()}
            self._aside.append((group[aside], slot[aside], None if on_time is None else on_time[aside], few_aside))
            keep = ~aside
            few = {k: (m[keep], None if w is None else w[keep[m]]) for k, (m, w) in few.items()}
            group, slot = group[keep], slot[keep]
            on_time = None if on_time is None else on_time[keep]
            if group.size == 0:
                return
        cell = group.astype(np.intp) * self.slots
        cell += slot
        picked: dict[int, np.ndarray] = {}  # statistics on the same rows share one selection
        for name, (mask, weights) in few.items():
            if id(mask) not in picked:
                picked[id(mask)] = cell[mask]
            self._few_rows[name].append((picked[id(mask)], self.slots, weights))
        if on_time is not None:
            cell *= 2
            cell += on_time
        self._top = max(self._top, int(cell.max()) + 1)
        start = 0
        while start < cell.size:
            if self._buffers[0].size == 0:
                self._buffers[0] = np.empty(max(FLUSH_ROWS, 1), dtype=np.intp)
            take = min(cell.size - start, self._buffers[0].size - self._filled)
            self._buffers[0][self._filled : self._filled + take] = cell[start : start + take]
            self._filled += take
            start += take
            if self._filled == self._buffers[0].size:
                self._flush()

    def _flush(self) -> None:
        """Hand the filled part of the current buffer to the worker; fill the other meanwhile."""
        if not self._filled:
            return
        if self._pending is not None:
            self._pending.result()  # one count in flight: its buffer is the one filled next
        full, self._buffers = self._buffers[0][: self._filled], self._buffers[::-1]
        self._pending = self._worker.submit(self._count, full, self._top)
        self._filled = 0

    def _count(self, cells: np.ndarray, top: int) -> None:
        groups = -(-top // (self.slots * self._width))
        if groups > self.groups:
            self._resize(groups)
        counted = np.bincount(cells, minlength=self.groups * self.slots * self._width)
        if self._width == 1:
            np.add(self.n, counted, out=self.n, casting="unsafe")
            return
        pairs = counted.reshape(-1, 2)
        np.add(self.on_time, pairs[:, 1], out=self.on_time, casting="unsafe")
        np.add(self.n, pairs[:, 0], out=self.n, casting="unsafe")
        np.add(self.n, pairs[:, 1], out=self.n, casting="unsafe")

    def _resize(self, groups: int, slots: int | None = None) -> None:
        slots = slots or self.slots
        for name in ("n", "on_time") if self.with_on_time else ("n",):
            old = getattr(self, name).reshape(self.groups, self.slots)
            new = np.zeros((groups, slots), dtype=np.int32)
            new[: self.groups, : self.slots] = old
            setattr(self, name, new.reshape(-1))
        self.groups, self.slots = groups, slots

    def finish(self, groups: int, *, max_cells: int) -> None:
        """Count what is buffered; make the dense tables hold ``groups`` groups and, if they fit in
        ``max_cells`` cells, the slots of the rows kept aside (which are then counted in them)."""
        self._flush()
        if self._pending is not None:
            self._pending.result()
            self._pending = None
        self.close()
        if groups > self.groups:
            self._resize(groups)
        if not self._aside:
            return
        top = max(int(s.max()) for _, s, _, _ in self._aside) + 1
        if self.groups * top > max_cells:
            return
        self._resize(self.groups, top)
        for group, slot, on_time, few in self._aside:
            cell = group.astype(np.intp) * top + slot
            np.add.at(self.n, cell, 1)
            if on_time is not None:
                np.add.at(self.on_time, cell[on_time], 1)
            for name, (mask, weights) in few.items():
                self._few_rows[name].append((cell[mask], top, weights))
        self._aside = []

    def close(self) -> None:
        """Stop the worker and free the buffers (after :meth:`finish`, or when the scan stops on an error)."""
        self._worker.shutdown(wait=True, cancel_futures=True)
        self._buffers = [np.empty(0, dtype=np.intp)] * 2

    def few_sums(self, name: str, position: np.ndarray, final_cell, size: int) -> np.ndarray:
        """Sums of a ``few`` statistic at the dense cells: ``final_cell`` maps storage cells (of a row width
        in slots) to their cells in the final order, ``position`` those to their place among the ``size``
        counted cells."""
        parts = self._few_rows.pop(name)
        if not parts:
            return np.zeros(size)
        where = np.concatenate([position[final_cell(c, width)] for c, width, _ in parts])
        weights = None if parts[0][2] is None else np.concatenate([w for _, _, w in parts])
        return np.bincount(where, weights=weights, minlength=size).astype(np.float64)

    def aside(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The cells past ``slots``: (group, slot, sums by statistic incl. n and on_time), by group and slot."""
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
