"""Canonical frames and their CSV text.

Generated frames carry the dtypes the loader returns (so ``schema.pandera_schema`` validates them)
and are written as comma-separated UTF-8 with ISO dates, NIPs as text, empty cells for missing values
and a fixed number of decimals per float column, so the same seed gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa

from kinerja_analysis.data.schema import TABLES

__all__ = ["canonical_frame", "write_csv", "text_from_codes", "FLOAT_DECIMALS"]

FLOAT_DECIMALS: Final = {"nilai_skp": 2, "nilai_perilaku": 2, "skor_kompetensi": 1, "skor_potensi": 1, "jp": 0}
_SORT: Final = {"disiplin": ("tanggal", "nip")}


def canonical_frame(table: str, frame: pd.DataFrame, *, presorted: bool = False) -> pd.DataFrame:
    """The canonical columns of ``table`` from ``frame``, typed as the loader types them, sorted by key.

    Optional columns the frame lacks are left out, as an export without them would be.

    ``presorted=True`` skips the sort for frames built in key order (sorting millions of NIPs as text
    costs seconds); the tests check the order of every written table.
    """
    spec = TABLES[table]
    out = {}
    for col in spec.columns:
        if col.name not in frame.columns and not col.required:
            continue  # an optional column the generator does not make (seleksi.nip_penilai)
        values = frame[col.name]
        if col.kind in ("str", "nip"):
            out[col.name] = values if values.dtype == "str" else values.astype("str")
        elif col.kind == "int":
            out[col.name] = values.astype("Int64")
        elif col.kind == "float":
            out[col.name] = values.astype("Float64")
        elif col.kind == "date":
            out[col.name] = pd.to_datetime(values).astype("datetime64[s]")
        elif col.kind == "bool":
            out[col.name] = values.astype("boolean")
        else:
            dtype = pd.CategoricalDtype(list(col.categories), ordered=col.ordered)
            out[col.name] = values if values.dtype == dtype else values.astype(dtype)
    result = pd.DataFrame(out)
    if presorted:
        return result
    return result.sort_values(list(_SORT.get(table, spec.key)), kind="stable").reset_index(drop=True)


def _text(name: str, values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("")
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "true", False: "false"}).astype("object").fillna("")
    if pd.api.types.is_float_dtype(values):
        decimals = FLOAT_DECIMALS[name]
        return values.astype("object").map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
    if pd.api.types.is_integer_dtype(values):
        return values.astype("object").map(lambda v: "" if pd.isna(v) else str(int(v)))
    return values.astype("object").where(values.notna(), "")


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a canonical frame as the demo's CSV format."""
    text = pd.DataFrame({name: _text(name, frame[name]) for name in frame.columns})
    text.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def text_from_codes(labels: list[str] | tuple[str, ...], codes: np.ndarray) -> pd.Series:
    """A ``str`` Series of ``labels[codes]`` (missing where a code is -1), built in Arrow without Python loops.

    >>> text_from_codes(["a", "b"], np.array([1, 0, -1])).tolist()
    ['b', 'a', nan]
    """
    codes = np.asarray(codes)
    picked = pa.array(list(labels), pa.string()).take(pa.array(codes, mask=codes < 0))
    return pd.Series(pd.array(picked, dtype="str"))
