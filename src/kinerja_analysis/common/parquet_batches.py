"""Parquet files read in record batches: the files behind a path, batches read ahead on a second thread, and
dictionary codes unified across batches.

A national table is tens of millions of rows; these helpers let a scan see it a batch at a time, with only
the columns it needs and text columns as dictionary codes, so no column of strings is ever materialised.
Each row group of a Parquet file carries its own dictionary: :class:`DictionaryCodes` maps every batch's
codes to one global numbering. Used by the service KPIs (:mod:`kinerja_analysis.service.cases_parquet`)
and the survey sums (:mod:`kinerja_analysis.feedback.survey_parquet`).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kinerja_analysis.common.errors import KinerjaDataError

__all__ = ["ParquetPath", "is_parquet_path", "parquet_files", "file_schemas", "read_batches", "DictionaryCodes"]

T = TypeVar("T")

ParquetPath = str | os.PathLike
"""A Parquet file, or a folder of them (``*.parquet``, searched recursively, read in name order)."""


def is_parquet_path(value: object) -> bool:
    """Whether ``value`` names a path (str or os.PathLike) rather than a table."""
    return isinstance(value, str | os.PathLike)


def parquet_files(path: ParquetPath, *, table: str | None = None) -> list[str]:
    """The Parquet files behind ``path``: the file itself, or the ``*.parquet`` files of a folder and its
    subfolders, sorted; names starting with '.' or '_' (``_temporary/``, ``.part``) are skipped.

    ``table`` names the table in the error messages.
    """
    where = Path(path)
    what = f"{table}: " if table else ""
    if where.is_file():
        return [str(where)]
    if where.is_dir():
        files = sorted(
            str(f)
            for f in where.rglob("*.parquet")
            if f.is_file() and not any(part.startswith((".", "_")) for part in f.relative_to(where).parts)
        )
        if files:
            return files
        raise KinerjaDataError(
            f"{what}the folder {where} holds no .parquet files; give a Parquet file or a folder of them."
        )
    raise KinerjaDataError(f"{what}{where} is neither a Parquet file nor a folder of them; check the path.")


def file_schemas(files: Sequence[str]) -> list[pa.Schema]:
    """The Arrow schema of each file (from its footer; no data read)."""
    return [pq.read_schema(f) for f in files]


def _file_batches(name: str, columns: list[str], dictionary: list[str], batch_size: int, whole_rows: int,
                  memory_map: bool, threads: bool) -> Iterator[pa.RecordBatch]:  # fmt: skip
    with pq.ParquetFile(name, read_dictionary=dictionary, memory_map=memory_map) as file:
        for i in range(file.metadata.num_row_groups):
            if file.metadata.row_group(i).num_rows <= whole_rows:  # one read, handed on in zero-copy slices
                part = file.read_row_group(i, columns=columns, use_threads=threads)
                yield from part.to_batches(max_chunksize=batch_size)
            else:
                yield from file.iter_batches(batch_size, row_groups=[i], columns=columns, use_threads=threads)


def _produce(files: Sequence[str], columns: list[str], dictionary: list[str], batch_size: int, whole_rows: int,
             memory_map: bool, threads: bool, prepare: Callable | None, convert: Callable | None,
             out: queue.Queue, stop: threading.Event) -> None:  # fmt: skip
    behind = max(1, out.maxsize // 2)  # batches waiting in the queue when the consumer is the slower thread
    try:
        for name in files:
            for batch in _file_batches(name, columns, dictionary, batch_size, whole_rows, memory_map, threads):
                if stop.is_set():
                    return
                item = batch if prepare is None else prepare(batch)
                done = convert is not None and out.qsize() >= behind
                out.put((done, convert(item) if done else item))
        out.put(None)
    except BaseException as error:  # noqa: BLE001 - handed to the consumer, which re-raises it
        out.put(error)


def read_batches(files: Sequence[str], columns: list[str], *, dictionary: Sequence[str] = (),
                 batch_size: int = 262_144, ahead: int = 4, whole_rows: int = 1 << 20,
                 memory_map: bool = True, threads: bool = False, prepare: Callable[[pa.RecordBatch], T] | None = None,
                 convert: Callable | None = None) -> Iterator:  # fmt: skip
    """Record batches of ``columns`` from ``files`` in order, decoded on a second thread ``ahead`` batches early.

    ``dictionary`` columns come as dictionary arrays (their codes, not their strings). Decoding runs in
    pyarrow without the GIL, so it overlaps the consumer's numpy work on the previous batch.
    A row group of at most ``whole_rows`` rows is read in one piece and handed on in zero-copy slices of
    ``batch_size`` rows: one read per row group decodes with less CPU than reading it batch by batch
    (50 million rows of the KPI benchmark, row groups of a million: 1.9 s against 2.2-2.9 s), and small
    batches keep the consumer's numpy work in cache. Larger row groups are read ``batch_size`` rows at a
    time, so memory stays bounded whatever the writer chose. Decoding is single-threaded by default
    (pyarrow's own pool took CPU from the service KPIs' consumer); ``threads=True`` decodes a read's
    columns on pyarrow's pool, for a consumer lighter than the decoding (the survey sums of 20 million
    responses: 0.60-0.63 s against 0.68-0.69 s, benchmarks/README.md). ``memory_map=False`` reads with pread (the survey
    sums measured less memory so). ``prepare``, if given, runs on the reading thread on each batch in
    file order, and its results are yielded instead of the batches: per-batch work that needs no state of
    the consumer's then shares the reading thread's core; an exception it raises is raised in the consumer.
    ``convert``, if given, is applied to each batch (after ``prepare``) on whichever thread has time to
    spare, and its results are yielded: on the reading thread while batches wait in the queue (the consumer
    is the slower), else on the consumer's. So the two threads balance themselves, whichever of decoding
    and the consumer's work is the heavier on a machine. It must hold no state (it may run on either).
    """
    out: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    args = (files, columns, list(dictionary), batch_size, whole_rows, memory_map, threads, prepare, convert, out, stop)
    worker = threading.Thread(target=_produce, args=args, daemon=True)
    worker.start()
    try:
        while (item := out.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            done, value = item
            yield value if done or convert is None else convert(value)
    finally:
        stop.set()
        while worker.is_alive():  # unblock a producer waiting on a full queue
            try:
                out.get(timeout=0.05)
            except queue.Empty:
                pass
        worker.join()


class DictionaryCodes:
    """One numbering (0, 1, ...) of the values of a column over batches whose dictionaries differ.

    ``values`` holds the distinct values in order of first appearance, typed as the first batch's (text
    columns of files written as string and as large_string are matched by value); a missing value has
    code -1. :meth:`lookup` numbers a batch's dictionary (one hash lookup per distinct value, not per row),
    :meth:`codes` a batch's rows.

    >>> d = DictionaryCodes()
    >>> d.lookup(pa.array(["b", "a", None])).tolist(), d.lookup(pa.array(["a", "c"])).tolist()
    ([0, 1, -1], [1, 2])
    >>> d.values.to_pylist()
    ['b', 'a', 'c']
    """

    def __init__(self, values: pa.Array | None = None) -> None:
        """``values``: codes fixed in advance for these values (0, 1, ...); others are numbered after them."""
        self.values: pa.Array = pa.array([], type=pa.string()) if values is None else values
        self._last: pa.Array | None = None
        self._map = np.zeros(0, dtype=np.int32)
        self._same = False  # the last dictionary's codes are the global codes

    def lookup(self, local: pa.Array) -> np.ndarray:
        """The global code (int32) of each entry of ``local`` (a batch's dictionary), -1 for a null."""
        if self._last is not None and (local is self._last or local.equals(self._last)):
            return self._map
        if self._last is None and len(self.values) == 0:
            self.values = self.values.cast(local.type)
        elif local.type != self.values.type:
            local = local.cast(self.values.type)
        found = pc.index_in(local, value_set=self.values)
        new = found.is_null().to_numpy(zero_copy_only=False) & local.is_valid().to_numpy(zero_copy_only=False)
        if new.any():
            self.values = pa.concat_arrays([self.values, pc.unique(local.filter(pa.array(new)))])
            found = pc.index_in(local, value_set=self.values)
        self._map = found.fill_null(-1).to_numpy().astype(np.int32)
        self._same = bool(np.array_equal(self._map, np.arange(self._map.size)))
        self._last = local
        return self._map

    def codes(self, column: pa.Array) -> np.ndarray:
        """Global codes (int32) of a batch's rows, the column dictionary-encoded or plain."""
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        lookup = self.lookup(column.dictionary)
        indices = column.indices
        if indices.null_count:
            return np.append(lookup, -1)[indices.fill_null(len(lookup)).to_numpy()].astype(np.int32)
        if self._same:
            return indices.to_numpy().astype(np.int32, copy=False)
        return lookup.take(indices.to_numpy())
