"""Per-group item sums of a survey stored as Parquet: pyarrow record batches summed with numpy.

The fast route of :func:`kinerja_analysis.feedback.survey_frame.aggregate_items` for a Parquet file or a
folder of them, whose answers :func:`~kinerja_analysis.feedback.survey_frame.survey_scan` has already
checked (so every answer given is 1-4). Files are read in batches of about a million rows by a reader
thread (:func:`~kinerja_analysis.common.parquet_batches.read_batches`) while the previous batch is summed.
Text keys are read as Parquet's own dictionary, so 20 million ``unit_id`` strings are never built:
a batch is summed by dictionary code (:func:`~kinerja_analysis.feedback.group_sums.group_sums`), and
only the few groups per batch are kept with their key values. Batches whose dictionaries differ are
matched by value when their partial sums are merged. A response with a blank item counts in ``n_rows``
only, as in the DuckDB route.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kinerja_analysis.common.parquet_batches import parquet_files as common_files
from kinerja_analysis.common.parquet_batches import read_batches
from kinerja_analysis.feedback.group_keys import Groups, Key, batch_groups
from kinerja_analysis.feedback.group_sums import group_sums

__all__ = ["parquet_files", "parquet_rows", "parquet_sums"]

BATCH_ROWS = 1 << 20


def parquet_files(path: str | os.PathLike) -> tuple[str, ...]:
    """The Parquet files behind a ``survei`` path (:func:`~kinerja_analysis.common.parquet_batches.parquet_files`)."""
    return tuple(common_files(path, table="survei"))


def _batches(files: Sequence[str], columns: list[str], keys: Sequence[str]) -> Iterator[pa.RecordBatch]:
    """Batches of about a million rows, decoded ahead on a second thread; text keys as dictionary codes."""
    schema = pq.read_schema(files[0])
    text = [c for c in keys if _is_text(schema.field(c).type)]  # read as dictionary: no strings built
    return read_batches(
        files,
        columns,
        dictionary=text,
        batch_size=BATCH_ROWS,
        ahead=2,
        whole_rows=2 * BATCH_ROWS,
        memory_map=False,
        threads=True,  # ten columns decoded on pyarrow's pool: the decoding, not the summing, is the slower
    )


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t)


def _answers(batch: pa.RecordBatch, items: Sequence[str]) -> tuple[list[np.ndarray], np.ndarray | None]:
    """Answers as uint8 (blanks as 0) and, if any answer is blank, which responses are complete."""
    answers, blank = [], False
    for c in items:
        arr = batch.column(c)
        if arr.type != pa.int8() and arr.type != pa.uint8():
            arr = pc.cast(arr, pa.int8())  # checked whole numbers 1-4
        if arr.null_count:
            arr, blank = pc.fill_null(arr, 0), True
        answers.append(arr.to_numpy().view(np.uint8))
    return answers, (np.minimum.reduce(answers) > 0) if blank else None


def parquet_sums(
    files: Sequence[str], items: Sequence[str], keys: Sequence[Key], *, item_variance: bool = False
) -> pa.Table:
    """Per group: the keys, ``n_rows``, ``n``, ``sum_<item>``, with ``item_variance`` ``sq_<item>``, and
    ``sq_total`` (sum of squared totals of complete responses); integers, in no particular order."""
    key_columns = list(dict.fromkeys(k.column for k in keys))
    columns = [*key_columns, *(c for c in items if c not in key_columns)]
    top = 4 * len(items)
    groups = Groups(len(keys))
    for batch in _batches(files, columns, key_columns):
        group, size, local = batch_groups(batch, keys)
        answers, complete = _answers(batch, items)
        total = answers[0].copy()
        for a in answers[1:]:
            total += a  # at most 4 x 14 = 56: fits uint8
        summed = [(a, 4) for a in answers]
        if item_variance:
            summed += [(a * a, 16) for a in answers]
        summed.append((total.astype(np.uint16) ** 2, top * top))
        stats = np.empty((2 + len(summed), size), dtype=np.int64)
        stats[0] = n = np.bincount(group, minlength=size)
        if complete is not None:
            group = np.where(complete, group, size)  # incomplete responses go to a bin that is dropped
            n = np.bincount(group, minlength=size + 1)
        stats[1] = n[:size]
        stats[2:] = group_sums(group, len(n), summed, counts=n)[:, :size]
        groups.add(local, stats)
    values, stats = groups.result()
    names = ["n_rows", "n", *(f"sum_{c}" for c in items), *(f"sq_{c}" for c in items if item_variance), "sq_total"]
    return pa.table({**{k.name: v for k, v in zip(keys, values, strict=True)}, **dict(zip(names, stats, strict=True))})


def parquet_rows(files: Sequence[str]) -> int:
    """Rows of the files, from their footers."""
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)
