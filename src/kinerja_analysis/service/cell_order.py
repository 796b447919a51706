"""The counted cells of the Parquet KPI scan, in the order of the DuckDB count.

:mod:`kinerja_analysis.service.cases_parquet` counts every row into a dense table of (storage group, slot)
cells (:class:`~kinerja_analysis.service.cell_sums.CellSums`); this module turns the cells that counted rows
into the long table of :class:`~kinerja_analysis.service.cases.CaseCounts`: groups sorted by key (missing key
last), then duration and outcome, with the same counts and sums as the DuckDB scan. A national table has
millions of counted cells, so the arrays the size of them are few, made in place where they can be and
worked on a slice at a time otherwise (every new array is new memory, paid in page faults).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.common.group_sums import row_slices
from kinerja_analysis.service.cell_sums import CellSums

__all__ = ["STATS", "cell_table"]

STATS = {"n": ("", np.int32), "on_time": ("standard", np.int32), "returns": ("returns", np.int32),
          "revisions": ("revisions", np.float64), "revisions_sq": ("revisions", np.float64)}  # fmt: skip
"""The sums of the count (as the DuckDB scan types them) and the need that asks for each."""


def cell_table(cells: CellSums, keys: tuple[str, ...], sizes: dict[str, int], text_key: str | None,
               values: pa.Array, per_text: int, first: date, finished: tuple[int, ...] | None,
               outcomes: tuple[int, int, int]) -> dict[str, object]:  # fmt: skip
    """The counted cells in the order of the DuckDB count: by group (keys sorted, missing last), duration, outcome."""
    n_text = len(values) + 1 if text_key else 1
    # Storage group = text code * per_text + derived index; the final order puts the text key where `by` has it.
    position = keys.index(text_key) if text_key else 0
    before = int(np.prod([sizes[k] for k in keys[:position] if k in sizes], dtype=np.int64))
    after = per_text // before
    rank = np.zeros(n_text, dtype=np.int64)  # storage text code -> position in sorted order (missing last)
    if text_key:
        order = np.asarray(pc.sort_indices(values)) + 1
        rank[order] = np.arange(order.size)
        rank[0] = order.size
    slots = cells.slots

    elements = cells.elements()  # one per storage cell, nonzero where it counted rows
    present = np.flatnonzero(elements.reshape(n_text, -1).any(axis=1))
    # Storage order is already the order (but for the empty slot of a missing key in front) when the text key
    # comes first and its codes are in sorted order, as for a dictionary written sorted: then nothing is moved.
    in_order = before == 1 and bool(np.all(np.diff(rank[present]) > 0)) and (present.size == 0 or present[0] > 0)
    if not text_key:
        in_order = True
    shift = per_text if text_key else 0  # storage groups of the empty slot in front

    def relabel(group: np.ndarray) -> np.ndarray:
        if in_order:
            return group - shift
        text, rest = np.divmod(group.astype(np.int64), per_text)
        head, tail = np.divmod(rest, after)
        return (head * n_text + rank[text]) * after + tail

    # The counted cells in final order (`cell`) and where each lies in storage (`storage`); nnz-sized arrays
    # are kept few, made in place where they can be: a national table has millions of counted cells.
    if in_order:
        storage = np.flatnonzero(elements)
        n, on_time = _counts_then_positions(cells, elements, storage, elements, storage)
        cell = storage  # made final below
    else:  # groups move whole (rows of `slots` cells) to their final place
        groups = n_text * per_text
        final_of_storage = relabel(np.arange(groups, dtype=np.int64))
        storage_of_final = np.empty(groups, dtype=np.int64)
        storage_of_final[final_of_storage] = np.arange(groups)
        ordered = elements.reshape(groups, slots)[storage_of_final].reshape(-1)
        cell = np.flatnonzero(ordered)
        storage = storage_of_final[cell // slots]
        storage *= slots
        storage += cell % slots
        n, on_time = _counts_then_positions(cells, ordered, cell, elements, storage)
        del ordered
    del storage
    found = {"n": n} if on_time is None else {"n": n, "on_time": on_time}
    aside_group, aside_slot, aside = cells.aside()
    with ThreadPoolExecutor(max_workers=2) as pool:  # the sums of each set of rows, beside the layout of the cells
        sums = [pool.submit(cells.few_sums, names, elements, cell.size) for names in cells.few_groups()]
        if in_order and shift:
            cell -= shift * slots
        slot = np.remainder(cell, slots)
        group_lin = np.floor_divide(cell, slots, out=cell)
        if not aside_group.size:
            layout = _layout(group_lin, slot, finished, outcomes)
        for future in sums:
            found.update(future.result())
    del elements
    cells.release()
    if aside_group.size:  # each aside slot is past every dense slot: it goes after its group's dense cells
        aside_group = relabel(aside_group)
        order = np.lexsort((aside_slot, aside_group))
        at = np.searchsorted(group_lin, aside_group[order], side="right")
        group_lin, slot = np.insert(group_lin, at, aside_group[order]), np.insert(slot, at, aside_slot[order])
        found = {name: np.insert(found[name], at, aside[name][order]) for name in found}
        layout = _layout(group_lin, slot, finished, outcomes)
    first_cells, g, outcome, dur = layout
    return {
        "groups": _groups(first_cells, keys, sizes, text_key, values, n_text, before, after, first),
        "g": g,
        "outcome": outcome,
        "dur": dur,
        **{name: found[name].astype(STATS[name][1], copy=False) for name in found},
    }


def _layout(group_lin: np.ndarray, slot: np.ndarray, finished: tuple[int, ...] | None,
            outcomes: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """From the counted cells' linear groups and slots (both int64, overwritten): each group's linear number,
    and per cell its group number 0, 1, ..., outcome (int8) and duration (int64)."""
    change = np.empty(group_lin.size, dtype=bool)
    change[:1] = True
    np.not_equal(group_lin[1:], group_lin[:-1], out=change[1:])
    first_cells = group_lin[change]
    g = group_lin  # group numbers written over the linear ones, a slice at a time (a whole-array cumsum
    done = -1  # of booleans first makes an int64 copy of them)
    for rows in row_slices(g.size):
        np.cumsum(change[rows], dtype=np.int64, out=g[rows])
        g[rows] += done
        done = int(g[rows][-1])
    outcome = np.empty(slot.size, dtype=np.int8)
    if finished is None:  # slot = duration * 4 + outcome
        np.bitwise_and(slot, 3, out=outcome, casting="unsafe")
        return first_cells, g, outcome, np.right_shift(slot, 2, out=slot)
    # Slots 0, 1, 2: finished in 0 days, other closed, open (0 days); 3 + d - 1: finished in d days.
    of_slot = np.array([*outcomes, outcomes[0]], dtype=np.int8)
    for rows in row_slices(slot.size):  # take() makes its indices intp: a slice at a time keeps that small
        outcome[rows] = of_slot.take(np.minimum(slot[rows], 3))
    slot -= 2
    return first_cells, g, outcome, np.maximum(slot, 0, out=slot)


def _counts_then_positions(cells: CellSums, source: np.ndarray, at: np.ndarray, target: np.ndarray,
                           target_at: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:  # fmt: skip
    """``n`` and ``on_time`` of the cells ``at`` of ``source`` (elements of ``cells``); then each one's position
    0, 1, ... is written at ``target_at`` of ``target`` (the table, whose counts are then read), so that the
    rows of a `few` statistic (none outside the counted cells) find theirs with one gather. A slice at a time:
    small temporaries, and each slice's cells still in cache when their positions are written."""
    n, on_time = cells.counts_of(source[:0])
    n, on_time = np.empty(at.size, dtype=n.dtype), None if on_time is None else np.empty(at.size, dtype=np.int32)
    for rows in row_slices(at.size):
        part_n, part_on_time = cells.counts_of(source[at[rows]])
        n[rows] = part_n
        if on_time is not None:
            on_time[rows] = part_on_time
        target[target_at[rows]] = np.arange(rows.start, rows.stop)
    return n, on_time


def _groups(group_lin: np.ndarray, keys: tuple[str, ...], sizes: dict[str, int], text_key: str | None,
            values: pa.Array, n_text: int, before: int, after: int, first: date) -> pa.Table:  # fmt: skip
    """The key columns of each group, typed as DuckDB returns them (text, DATE for bulan, INTEGER for tahun)."""
    head, rest = np.divmod(group_lin, n_text * after)
    text_rank, tail = np.divmod(rest, after)
    derived = head * after + tail  # the mixed-radix index of the derived keys, in `by` order
    out = {}
    for key in reversed(keys):
        if key == text_key:
            order = np.asarray(pc.sort_indices(values))
            names = pa.concat_arrays([values.take(pa.array(order)), pa.nulls(1, type=values.type)])
            out[key] = names.take(pa.array(text_rank))
            continue
        derived, index = np.divmod(derived, sizes[key])
        if key == "bulan":
            out[key] = pa.array((np.datetime64(first, "M") + index).astype("datetime64[D]"), type=pa.date32())
        else:
            out[key] = pa.array(first.year + index, type=pa.int32())
    return pa.table({key: out[key] for key in keys}) if keys else pa.table({})
