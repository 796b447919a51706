"""The count of :mod:`kinerja_analysis.service.cases` for Parquet files, in numpy record batch by record batch.

The same table as the DuckDB scan (one row per group, outcome and duration, with the same counts and
sums, in the same order), without a hash table: every row gets a storage group (its text key as a
dictionary code unified over batches, times the month or year of ``tanggal_masuk``) and a slot (outcome and
duration), :class:`~kinerja_analysis.service.cell_sums.CellSums` counts the cells with ``numpy.add.at``, and
:func:`~kinerja_analysis.service.cell_order.cell_table` puts the counted ones in the DuckDB count's order.
Dates are day numbers, working days two lookups into the cumulative working-day index, and the row checks
the numpy form of :func:`kinerja_analysis.service.checks.problems` (the rows behind a problem are then
named by the DuckDB report, as for every other input).

Served: ``by`` of derived keys (``bulan``, ``tahun``) and at most one text column, dates stored as DATE or
TIMESTAMP without time zone. Anything else returns None and the caller counts with DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from kinerja_analysis.common.huge_pages import without_huge_pages
from kinerja_analysis.common.parquet_batches import DictionaryCodes, file_schemas, read_batches
from kinerja_analysis.data.schema import STATUS_LAYANAN
from kinerja_analysis.service.cell_order import STATS, cell_table
from kinerja_analysis.service.cell_sums import CellSums, dense_slots
from kinerja_analysis.service.checks import NO_END, NO_START, Problem, RowArrays

__all__ = ["count_parquet"]

_PER_DAY = {"s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
_EPOCH = date(1970, 1, 1)
MAX_CELLS = 30_000_000
"""Dense (group, slot) cells at most; durations past them are summed sparsely."""


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _served(schemas: list[pa.Schema], keys: tuple[str, ...], derived: set[str]) -> str | None | bool:
    """The text key (or None), or False when some column is of a type this scan does not read."""
    text = [k for k in keys if k not in derived]
    if len(text) > 1:
        return False
    for schema in schemas:
        for name in ("tanggal_masuk", "tanggal_selesai"):
            kind = schema.field(name).type
            if not (pa.types.is_date32(kind) or (pa.types.is_timestamp(kind) and kind.tz is None)):
                return False
        if text and not _is_text(schema.field(text[0]).type):
            return False
        if not _is_text(schema.field("status").type):
            return False
    return text[0] if text else None


def _days(column: pa.Array, missing: int) -> np.ndarray:
    """Day numbers since 1970 (int32), ``missing`` where the date is empty; timestamps rounded down to the day."""
    # The value buffer as it is (whatever lies under an empty entry is overwritten below).
    width = 4 if pa.types.is_date32(column.type) else 8
    raw = np.frombuffer(column.buffers()[1], dtype=np.int32 if width == 4 else np.int64,
                        count=column.offset + len(column))[column.offset:]  # fmt: skip
    days = raw.astype(np.int32) if width == 4 else np.floor_divide(raw, _PER_DAY[column.type.unit]).astype(np.int32)
    if column.null_count:
        np.putmask(days, column.is_null().to_numpy(zero_copy_only=False), missing)
    return days


def _numbers(column: pa.Array) -> np.ndarray:
    """Whole numbers as int64, -1 where missing."""
    column = column.cast(pa.int64())
    return column.fill_null(-1).to_numpy() if column.null_count else column.to_numpy()


def _flags(column: pa.Array) -> np.ndarray:
    """Booleans as int8 0/1, -1 where missing."""
    values = column.fill_null(False).to_numpy(zero_copy_only=False).astype(np.int8)
    if column.null_count:
        values[column.is_null().to_numpy(zero_copy_only=False)] = -1
    return values


class _Status:
    """Status codes of a batch's rows: :data:`~kinerja_analysis.service.checks.STATUS_CODE`'s (the order of
    ``schema.STATUS_LAYANAN``), -1 for a missing or unknown status."""

    def __init__(self) -> None:
        self._codes = DictionaryCodes(pa.array(STATUS_LAYANAN, type=pa.string()))

    def __call__(self, column: pa.Array) -> np.ndarray:
        codes = self._codes.codes(column)
        if len(self._codes.values) > len(STATUS_LAYANAN):  # an unknown status was seen: numbered after the known
            codes = np.where(codes >= len(STATUS_LAYANAN), -1, codes)
        return codes.astype(np.int8)


def _derived_index(keys: tuple[str, ...], first: date, last: date) -> tuple[dict[str, int], np.ndarray]:
    """Sizes of the derived keys and, per day from ``first``, their mixed-radix index in ``by`` order."""
    days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
    months = days.astype("datetime64[M]").astype(np.int64) - np.datetime64(first, "M").astype(np.int64)
    years = days.astype("datetime64[Y]").astype(np.int64) - np.datetime64(first, "Y").astype(np.int64)
    per_key = {"bulan": months, "tahun": years}
    sizes, index = {}, np.zeros(days.size, dtype=np.int64)
    for key in keys:
        if key in per_key:
            sizes[key] = int(per_key[key].max()) + 1
            index = index * sizes[key] + per_key[key]
    return sizes, index.astype(np.int32)


def count_parquet(
    files: list[str],
    *,
    keys: tuple[str, ...],
    needs: set[str],
    first: date,
    last: date,
    as_of: date,
    workdays: np.ndarray | None,
    finished: tuple[int, ...] | None,
    outcomes: tuple[int, int, int],
    checks: list[Problem],
    on_bad: Callable[[], None],
) -> dict[str, object] | None:
    """Count the cases of ``files`` as :func:`kinerja_analysis.service.cases.case_counts` does.

    ``workdays`` is the cumulative working-day index from ``first`` to ``last`` (None: calendar days),
    ``finished`` the status codes merged into ``outcomes[0]`` (the others closed into ``outcomes[1]``, open
    into ``outcomes[2]``; None keeps every status and duration), ``on_bad`` raises naming the bad rows.
    Returns the key columns per group (``groups``, a pyarrow table) and the count arrays, or None when
    the files hold a column type this scan does not read.
    """
    sizes, derived_index = _derived_index(keys, first, last)
    text_key = _served(file_schemas(files), keys, set(sizes))
    if text_key is False:
        return None
    columns = [*([text_key] if text_key else []), "tanggal_masuk", "tanggal_selesai", "status"]
    columns += [c for c, need in (("standar_hari", "standard"), ("dikembalikan", "returns"),
                                  ("jumlah_revisi", "revisions")) if need in needs]  # fmt: skip
    day0, as_of_day = (first - _EPOCH).days, (as_of - _EPOCH).days
    per_text = int(np.prod(list(sizes.values()), dtype=np.int64)) if sizes else 1
    text_codes, status = DictionaryCodes(), _Status()
    few = {name: dtype for name, (need, dtype) in STATS.items() if need in needs and need != "standard"}
    cells: CellSums | None = None
    work = workdays if workdays is not None else np.arange(derived_index.size, dtype=np.int32)
    days = DayTables(work, derived_index, day0, _slot_table(int(work[-1]) + 1, finished))
    dictionary = [c for c in (text_key, "status") if c]

    def prepare(batch: pa.RecordBatch) -> tuple[pa.RecordBatch, np.ndarray, np.ndarray, int]:
        """The batch, its status codes and storage groups and the text values so far (on the reading thread,
        which numbers the dictionary values in file order)."""
        group = np.zeros(batch.num_rows, dtype=np.int32)
        if text_key:  # code 0 for a missing key, sorted last at the end
            group = text_codes.codes(batch.column(text_key))
            if (len(text_codes.values) + 1) * per_text >= 2**31:
                group = group.astype(np.int64)
            group = (group + 1) * per_text  # a new array: _batch_cells adds to it in place
        return batch, status(batch.column("status")), group, len(text_codes.values)

    def convert(prepared: tuple[pa.RecordBatch, np.ndarray, np.ndarray, int]) -> tuple[RowArrays, np.ndarray, int]:
        """The batch's rows as numpy (on whichever thread has time: see read_batches)."""
        batch, code, group, n_values = prepared
        rows = RowArrays(
            start=_days(batch.column("tanggal_masuk"), NO_START),
            end=_days(batch.column("tanggal_selesai"), NO_END),
            code=code,
            standard=_numbers(batch.column("standar_hari")) if "standard" in needs else None,
            returned=_flags(batch.column("dikembalikan")) if "returns" in needs else None,
            revisions=_numbers(batch.column("jumlah_revisi")) if "revisions" in needs else None,
        )
        return rows, group, n_values

    batches = read_batches(files, columns, dictionary=dictionary, prepare=prepare, convert=convert)
    for rows, group, n_values in batches:
        if any(p.flag(rows).any() for p in checks):
            on_bad()
        group, slot, on_time, few_rows = _batch_cells(rows, group, days, as_of_day)
        if cells is None:  # dense slots from the first batch's rows, within MAX_CELLS
            most = MAX_CELLS // ((n_values + 1) * per_text)
            cells = CellSums(few, on_time="standard" in needs, slots=dense_slots(slot, most=min(most, 64)))
        cells.add(group, slot, on_time, few_rows)
    n_text = len(text_codes.values) + 1 if text_key else 1
    if cells is None:
        cells = CellSums(few, on_time="standard" in needs, slots=8)
    cells.finish(n_text * per_text, max_cells=MAX_CELLS)
    with without_huge_pages():  # the cell table's arrays are written once, in order (common.huge_pages)
        return cell_table(cells, keys, sizes, text_key, text_codes.values, per_text, first, finished, outcomes)


class DayTables(NamedTuple):
    """Per day from ``day0`` (index 0): the working days before it since ``day0`` (the day number itself on
    the calendar basis), and the derived keys' index of a case received that day (int32 both); and the slot of
    each (duration, outcome) pair, indexed by duration * 4 + outcome code (:func:`_slot_table`)."""

    work: np.ndarray
    derived: np.ndarray
    day0: int
    slot: np.ndarray | None


def _slot_table(durations: int, finished: tuple[int, ...] | None) -> np.ndarray | None:
    """Slot (int32) of each duration * 4 + outcome code (0-2 closed statuses, 3 open) for ``durations`` days.

    None keeps every status and duration (the slot is the index itself). Merged: slots 0 (finished, 0 days),
    1 (other closed), 2 (open), 2 + d (finished, d >= 1 days), so a row's slot is one lookup.
    """
    if finished is None:
        return None
    dur, code = np.divmod(np.arange(4 * durations, dtype=np.int32), 4)
    slot = np.where(np.isin(code, finished), dur + 2 * (dur > 0), np.where(code == 3, 2, 1))
    return slot.astype(np.int32)


def _batch_cells(rows: RowArrays, group: np.ndarray, days: DayTables, as_of_day: int) -> tuple:
    """Group, slot, on-time flag and ``few`` statistics of the rows of one clean batch (``group`` is added to)."""
    start, end, code = rows.start, rows.end, rows.code
    kept = start <= as_of_day
    if not kept.all():  # received after as_of: left out
        start, end, code, group = start[kept], end[kept], code[kept], group[kept]
        rows = RowArrays(start, end, code, *(None if a is None else a[kept]
                                             for a in (rows.standard, rows.returned, rows.revisions)))  # fmt: skip
    closed = end <= as_of_day  # with clean rows, exactly the closed statuses with a date by as_of
    received = np.subtract(start, days.day0, dtype=np.intp)  # lookup indices: take() would make them intp
    stop = np.minimum(end, as_of_day)  # an open case's sentinel NO_END is the largest day
    stop = np.subtract(stop, days.day0, dtype=np.intp)
    dur = days.work.take(stop)
    dur -= days.work.take(received)
    group += days.derived.take(received)
    slot = dur * 4  # duration * 4 + outcome (3: open by as_of)
    slot += np.where(closed, code, np.int8(3))
    if days.slot is not None:
        slot = days.slot.take(slot)
    on_time = dur <= rows.standard if rows.standard is not None else None
    few: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    if rows.returned is not None:
        few["returns"] = (rows.returned.view(np.bool_), None)
    if rows.revisions is not None:
        some = rows.revisions > 0
        revisions = rows.revisions[some].astype(np.float64)
        few["revisions"], few["revisions_sq"] = (some, revisions), (some, revisions * revisions)
    return group, slot, on_time, few
