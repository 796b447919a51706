"""Read a Parquet file into a table of text, like every other file: typing happens in validate."""

from __future__ import annotations

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
    columns = {}
    for name, col in zip(unique_headers(headers), table.columns, strict=True):
        trimmed = pc.utf8_trim_whitespace(col)
        columns[name] = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    return pa.table(columns).to_pandas() if columns else pd.DataFrame()
