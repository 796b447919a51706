"""Read a Parquet file into a table of text, like every other file: typing happens in validate."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.common.errors import FileFormatError
from kinerja_analysis.data.raw import ACCEPTED, RawTable, finish, unique_headers

__all__ = ["read_parquet", "text_frame"]


def read_parquet(path: Path, label: str, *, footers: bool = True) -> RawTable:
    """Read a Parquet file as text columns (dates as YYYY-MM-DD), the header on row 1."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise FileFormatError(
            f"{label}: cannot be read as Parquet: the file is damaged, incomplete (truncated while copying or "
            f"downloading?) or not Parquet ({exc}). Copy or export it again; accepted: {ACCEPTED}."
        ) from None
    columns = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type) or pa.types.is_date(col.type):
            col = pc.strftime(col, format="%Y-%m-%d")
        elif not pa.types.is_string(col.type):
            col = pc.cast(col, pa.string())
        columns.append(col)
    text = pa.table(dict(zip([f"c{i}" for i in range(len(columns))], columns, strict=True)))
    frame = text_frame(text, table.column_names)
    rows = np.arange(2, 2 + table.num_rows, dtype=np.int64)
    return finish(label, None, frame, table.column_names, rows, (), excel=False, warnings=[], footers=footers)


def text_frame(table: pa.Table, headers: list[str]) -> pd.DataFrame:
    """Arrow text columns as ``str`` columns named by ``headers`` (made unique), trimmed, missing where empty."""
    if not table.num_columns:
        return pd.DataFrame()
    # pyarrow's kernels release the GIL, so the columns are cleaned two at a time (the machine's cores).
    with ThreadPoolExecutor(max_workers=2) as pool:
        columns = list(pool.map(_clean_text, table.columns))
    return pa.table(dict(zip(unique_headers(headers), columns, strict=True))).to_pandas()


def _clean_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Trimmed, with cells left empty by the trim (or empty already) as missing, as one large_string chunk.

    One chunk, because pandas' row selections on a column of hundreds of chunks (a CSV read gives one
    per block) cost about 20 times as much as on one.
    """
    text = col.cast(pa.large_string()).combine_chunks()
    trimmed = pc.utf8_trim_whitespace(text) if _may_need_trim(text) else text
    empty = pc.equal(trimmed, "")
    if pc.any(empty).as_py():  # rare: skip the pass over the column when no cell is blank
        trimmed = pc.if_else(empty, pa.scalar(None, pa.large_string()), trimmed)
    return trimmed


def _may_need_trim(arr: pa.LargeStringArray) -> bool:
    """Whether a cell may start or end with whitespace: read from the first and last byte of every cell.

    ASCII blanks and control bytes, or any non-ASCII byte (the no-break space of spreadsheets is
    ``C2 A0``), count as possible whitespace, so the answer errs on trimming; a clean column of
    millions of cells is then not copied by the trim.
    """
    _, offsets_buf, data_buf = arr.buffers()
    if data_buf is None or len(arr) == 0:
        return False
    offsets = np.frombuffer(offsets_buf, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    if not len(data):
        return False
    # An empty or missing cell reads a neighbour's byte (clipped at the ends): at worst a needless trim.
    first = np.take(data, offsets[:-1], mode="clip")
    last = np.take(data, offsets[1:] - 1, mode="clip")
    return bool(_blank_or_wide(first).any() or _blank_or_wide(last).any())


def _blank_or_wide(edge: np.ndarray) -> np.ndarray:
    # uint8 wraps: (b - 0x21) >= 0x5F holds exactly for b <= 0x20 and b >= 0x80.
    return (edge - np.uint8(0x21)) >= np.uint8(0x5F)
