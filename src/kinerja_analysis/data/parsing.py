"""Turn columns of text into typed values, vectorised, saying which cells could not be read.

Each parser takes a ``str`` Series (missing where the cell was empty) and returns the typed values
(missing where the text was missing or unreadable) and a boolean mask of the cells that were present
but unreadable, with a reason template in which ``{value}`` stands for the cell's text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.data.schema import ColumnSpec, canonical_values

__all__ = ["Parsed", "parse_int", "parse_float", "parse_date", "parse_category", "parse_bool", "DATE_RANGE"]

# Whole numbers, optionally written with a zero decimal part as spreadsheets export them ("3.0", "3,0").
_INT = r"^[+-]?[0-9]{1,15}(?:[.,]0+)?$"
# Decimal point or decimal comma ("12,5" is 12.5), never both: "1.234,5" is ambiguous and rejected.
_FLOAT = r"^[+-]?(?:[0-9]{1,15}(?:[.,][0-9]*)?|[.,][0-9]+)$"
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
_EXCEL_EPOCH = np.datetime64("1899-12-30", "D")  # Excel's day 0, with its 1900 leap-year bug absorbed
DATE_RANGE = (np.datetime64("1900-01-01", "s"), np.datetime64("2100-12-31", "s"))
"""Dates outside these bounds are typos (``0201-05-03``), not history; the bounds are the project's choice."""


@dataclass(frozen=True)
class Parsed:
    """Typed values of one column, the cells that could not be read, and why (``{value}`` = the text)."""

    values: pd.Series
    bad: np.ndarray
    reason: str


def _arrow(text: pd.Series) -> pa.Array:
    arr = pa.array(text.array)
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.string()) if pa.types.is_null(arr.type) else arr  # an empty column has no type


def _mask(arr: pa.Array) -> np.ndarray:
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False)


def _numeric(text: pd.Series, pattern: str, target: pa.DataType) -> tuple[pa.Array, np.ndarray]:
    arr = _arrow(text)
    ok = _mask(pc.match_substring_regex(arr, pattern))
    good = pc.if_else(pa.array(ok), arr, pa.scalar(None, arr.type))
    if pa.types.is_integer(target):
        good = pc.replace_substring_regex(good, r"[.,]0+$", "")
    else:
        good = pc.replace_substring(good, ",", ".")
    present = ~text.isna().to_numpy()
    return pc.cast(good, target), present & ~ok


def parse_int(text: pd.Series) -> Parsed:
    """Whole numbers as ``Int64``; ``"3.0"`` is 3, ``"2.5"`` and ``"tiga"`` are not whole numbers.

    >>> p = parse_int(pd.Series(["3", "3,0", "2.5", None], dtype="str"))
    >>> p.values.tolist(), p.bad.tolist()
    ([3, 3, <NA>, <NA>], [False, False, True, False])
    """
    values, bad = _numeric(text, _INT, pa.int64())
    return Parsed(
        pd.Series(values.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get), index=text.index),
        bad,
        "'{value}' is not a whole number",
    )


def parse_float(text: pd.Series) -> Parsed:
    """Numbers as ``Float64``, with a decimal point or a decimal comma (``"12,5"`` is 12.5).

    >>> p = parse_float(pd.Series(["12,5", "7", "1.234,5", "x"], dtype="str"))
    >>> p.values.tolist(), p.bad.tolist()
    ([12.5, 7.0, <NA>, <NA>], [False, False, True, True])
    """
    values, bad = _numeric(text, _FLOAT, pa.float64())
    return Parsed(
        pd.Series(values.to_pandas(types_mapper={pa.float64(): pd.Float64Dtype()}.get), index=text.index),
        bad,
        "'{value}' is not a number (write 12.5 or 12,5, without thousands separators)",
    )


def parse_date(text: pd.Series, *, excel: np.ndarray | None = None) -> Parsed:
    """Dates as ``datetime64[s]`` from ISO (``2024-03-31``), ``31/03/2024``, ``31-03-2024`` or ``2024/03/31``.

    Day-first is assumed for slashed dates, as Indonesian exports write them. Where ``excel`` is
    True (cells of an XLSX sheet), a plain number is an Excel serial date (45382 is 2024-03-31).
    Impossible dates (``2023-02-30``) and dates outside :data:`DATE_RANGE` are rejected.

    >>> p = parse_date(pd.Series(["2024-03-31", "31/03/2024", "30/02/2023", "45382"], dtype="str"),
    ...                excel=np.array([False, False, False, True]))
    >>> [str(v)[:10] for v in p.values], p.bad.tolist()
    (['2024-03-31', '2024-03-31', 'NaT', '2024-03-31'], [False, False, True, False])
    """
    present = ~text.isna().to_numpy()
    out = pd.to_datetime(text, format=_DATE_FORMATS[0], errors="coerce")
    todo = present & out.isna().to_numpy()
    for fmt in _DATE_FORMATS[1:]:
        if not todo.any():
            break
        idx = np.flatnonzero(todo)
        got = pd.to_datetime(text.iloc[idx], format=fmt, errors="coerce")
        if "%H" in fmt:
            got = got.dt.normalize()
        hit = got.notna().to_numpy()
        out.iloc[idx[hit]] = got[hit].to_numpy()
        todo[idx[hit]] = False
    values = out.astype("datetime64[s]")
    if excel is not None and (todo & excel).any():
        idx = np.flatnonzero(todo & excel)
        serial = pd.to_numeric(text.iloc[idx], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        hit = np.isfinite(serial) & (serial >= 1) & (serial < 2958466)
        days = _EXCEL_EPOCH + np.floor(serial[hit]).astype(np.int64).astype("timedelta64[D]")
        values.iloc[idx[hit]] = days.astype("datetime64[s]")
        todo[idx[hit]] = False
    lo, hi = DATE_RANGE
    v = values.to_numpy()
    outside = ~np.isnat(v) & ((v < lo) | (v > hi))
    if outside.any():
        values = values.mask(outside)
    reason = "'{value}' is not a date between 1900 and 2100 (write 2024-03-31, 31/03/2024 or 31-03-2024)"
    return Parsed(values, todo | outside, reason)


def _lookup(spec: ColumnSpec, text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Canonical spelling of each cell, looked up once per distinct text (millions of rows, few values)."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    mapped, bad = canonical_values(spec, pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    mapped_u = np.append(mapped.to_numpy(dtype=object), None)  # index -1 (missing) -> None
    bad_u = np.append(bad.to_numpy(dtype=bool), False)
    return mapped_u[codes], bad_u[codes]


def parse_category(spec: ColumnSpec, text: pd.Series, dtype: pd.CategoricalDtype) -> Parsed:
    """Enumerated values mapped onto their canonical spelling (``"Laki-laki"`` is ``L``) as a categorical."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    mapped, bad = canonical_values(spec, pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    cat_codes_u = np.append(pd.Categorical(mapped, dtype=dtype).codes, -1)
    bad_u = np.append(bad.to_numpy(dtype=bool), False)
    values = pd.Series(pd.Categorical.from_codes(cat_codes_u[codes], dtype=dtype), index=text.index)
    allowed = ", ".join(spec.categories)
    return Parsed(values, bad_u[codes], "'{value}' is not an allowed value; allowed: " + allowed)


def parse_bool(spec: ColumnSpec, text: pd.Series) -> Parsed:
    """Yes/no answers (``ya``/``tidak``, ``1``/``0``, ``true``/``false``, ...) as ``boolean``."""
    mapped, bad = _lookup(spec, text)
    values = pd.array(np.where(mapped == "true", True, False), dtype="boolean")
    values[pd.isna(mapped)] = pd.NA
    yes = sorted(k for k, v in spec.value_aliases.items() if v == "true")
    no = sorted(k for k, v in spec.value_aliases.items() if v == "false")
    reason = f"'{{value}}' is not yes/no; allowed: {', '.join(yes)} / {', '.join(no)}"
    return Parsed(pd.Series(values, index=text.index), bad, reason)
