"""Type and check one canonical table, recording every failed check as a rejected row.

The checks that every table gets from its :class:`~kinerja_analysis.data.schema.TableSpec`: each column
read as its kind (NIPs through :func:`kinerja_analysis.data.nip.parse_nip`), required values present,
ranges, enumerations and unique keys. The rules particular to one table live in :mod:`.rules`.
All checks are boolean masks over the whole column; no Python code runs per row except to word the
reason of a duplicated key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.data import nip as nip_module
from kinerja_analysis.data.nip_spellings import undash
from kinerja_analysis.data.parsing import Parsed, parse_bool, parse_category, parse_date, parse_float, parse_int
from kinerja_analysis.data.schema import TABLES, ColumnSpec, category_dtype

__all__ = ["Rejections", "REJECTED_COLUMNS", "type_table", "check_duplicates"]

REJECTED_COLUMNS = ("table", "file", "row", "column", "value", "reason", "check")
# Inclusive minimums of the schema that are exclusive in the rules: a training of 0 JP did not happen.
_POSITIVE = {("pelatihan", "jp")}
_MAX_ROWS_SHOWN = 10

Reason = str | Callable[[np.ndarray], object]


@dataclass
class Rejections:
    """Rejected cells of one table, collected check by check from boolean masks.

    ``files`` gives each row's file (an index into ``file_names``), ``rows`` its spreadsheet row.
    ``reason`` is a text in which ``{value}`` stands for the cell, or a function of the rejected
    positions returning one reason per position. ``notes`` says, as ``"table.column: note"``, how columns
    were read where that was a choice (day and month order, decimal separator), for the loader to report.
    """

    table: str
    file_names: tuple[str, ...]
    files: np.ndarray
    rows: np.ndarray
    any: np.ndarray = field(init=False)
    notes: list[str] = field(init=False, default_factory=list)
    _parts: list[pd.DataFrame] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.any = np.zeros(len(self.rows), dtype=bool)

    def add(
        self, mask: np.ndarray, *, column: str, check: str, reason: Reason, values: pd.Series | None = None
    ) -> None:
        """Reject the rows where ``mask`` is True, for one reason, naming ``column`` and its text."""
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        self.any[idx] = True
        vals = _as_text(values, idx)
        if callable(reason):
            why = pd.Series(np.asarray(reason(idx), dtype=object), dtype="str")
        elif "{value}" in reason:
            before, after = reason.split("{value}", 1)
            why = before + vals.fillna("") + after
        else:
            why = pd.Series(np.full(idx.size, reason, dtype=object), dtype="str")
        self._parts.append(
            pd.DataFrame(
                {
                    "table": self.table,
                    "file": np.asarray(self.file_names, dtype=object)[self.files[idx]],
                    "row": self.rows[idx],
                    "column": column,
                    "value": vals,
                    "reason": why,
                    "check": check,
                }
            )
        )

    def add_file(self, file: str, rows: np.ndarray, *, column: str, check: str, reason: str | list[str]) -> None:
        """Reject rows of a file that were not checked cell by cell (a required column missing, a bad row)."""
        self._parts.append(
            pd.DataFrame(
                {
                    "table": self.table,
                    "file": file,
                    "row": rows,
                    "column": column,
                    "value": pd.array([None] * len(rows), dtype="str"),
                    "reason": reason,
                    "check": check,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        """All rejections, sorted by file and row (a row rejected for several reasons appears once per reason)."""
        if not self._parts:
            return empty_rejected()
        out = pd.concat(self._parts, ignore_index=True)
        order = np.lexsort((out["row"].to_numpy(), out["file"].to_numpy(dtype=str)))
        out = out.iloc[order].reset_index(drop=True)
        return out.astype(
            {
                "table": "str",
                "file": "str",
                "row": "int64",
                "column": "str",
                "value": "str",
                "reason": "str",
                "check": "str",
            }
        )


def _as_text(values: pd.Series | None, idx: np.ndarray) -> pd.Series:
    """The cells at ``idx`` as text; dates and categories are formatted only for these few rows."""
    if values is None:
        return pd.Series(pd.array([None] * idx.size, dtype="str"))
    sub = values.iloc[idx].reset_index(drop=True)
    if isinstance(sub.dtype, np.dtype) and sub.dtype.kind == "M":
        sub = sub.dt.strftime("%Y-%m-%d")
    return sub.astype("str")


def empty_rejected() -> pd.DataFrame:
    """The rejected-rows frame with no rows (columns ``table, file, row, column, value, reason, check``)."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "str") for c in REJECTED_COLUMNS})


def type_table(
    table: str, raw: pd.DataFrame, rej: Rejections, *, excel: np.ndarray, day_first: bool | None = True
) -> tuple[pd.DataFrame, dict]:
    """Read every canonical column of ``raw`` as its kind and apply the generic checks.

    Returns the typed frame (all rows, canonical columns in schema order, absent optional columns
    added as missing, then the extra columns as text) and the :func:`parse_nip` result of each NIP
    column, for the rules that compare a NIP with other columns. ``day_first`` is passed to
    :func:`~kinerja_analysis.data.parsing.parse_date`; the parsers' notes go to ``rej.notes``.
    """
    spec = TABLES[table]
    typed: dict[str, pd.Series] = {}
    nips: dict[str, pd.DataFrame] = {}
    n = len(raw)
    for col in spec.columns:
        text = raw[col.name] if col.name in raw.columns else pd.Series(pd.array([None] * n, dtype="str"))
        text = text.reset_index(drop=True)
        missing = text.isna().to_numpy()
        if col.kind == "nip":
            values, missing, parsed = _type_nip(col, text, rej)
            nips[col.name] = parsed
        elif col.kind == "str":
            values = text
        else:
            parsed_col = _parse(table, col, text, excel, day_first)
            for bad, why in parsed_col.reasons():
                rej.add(bad, column=col.name, check="type", reason=why, values=text)
            if parsed_col.note:
                rej.notes.append(f"{table}.{col.name}: {parsed_col.note}")
            values = parsed_col.values
            _check_range(table, col, values, text, rej)
        if not col.nullable:
            rej.add(
                missing,
                column=col.name,
                check="required",
                values=text,
                reason=f"missing value: {col.name} is required ({col.description})",
            )
        typed[col.name] = values
    for extra in raw.columns:
        if extra not in typed:
            typed[extra] = raw[extra].reset_index(drop=True)
    return pd.DataFrame(typed), nips


def _parse(table: str, col: ColumnSpec, text: pd.Series, excel: np.ndarray, day_first: bool | None) -> Parsed:
    if col.kind == "int":
        return parse_int(text)
    if col.kind == "float":  # the range settles "85.125" (a score, not 85125) when nothing else does
        return parse_float(text, bounds=None if col.min is None and col.max is None else (col.min, col.max))
    if col.kind == "date":
        return parse_date(text, excel=excel, day_first=day_first)
    if col.kind == "bool":
        return parse_bool(col, text)
    return parse_category(col, text, category_dtype(table, col.name))


def _type_nip(col: ColumnSpec, text: pd.Series, rej: Rejections) -> tuple[pd.Series, np.ndarray, pd.DataFrame]:
    parsed = nip_module.parse_nip(undash(text)).reset_index(drop=True)
    valid = parsed["valid"].to_numpy(dtype=bool)
    reason = parsed["reason"]
    # The parser reads "-", "nan", "null" and the like as missing: they are missing values, not bad NIPs.
    missing = text.isna().to_numpy() | (reason == "missing").to_numpy(dtype=bool, na_value=False)
    rej.add(
        ~valid & ~missing,
        column=col.name,
        check="nip",
        values=text,
        reason=lambda idx: ("invalid NIP: " + reason.iloc[idx]).to_numpy(dtype=object),
    )
    # Keep the 18 digits of a valid NIP written with spaces or a leading apostrophe.
    values = text.copy()
    # A valid NIP of 18 bytes is its 18 digits already (parse_nip only removes blanks and an apostrophe).
    fix = valid & (pc.binary_length(pa.array(text.array)).to_numpy(zero_copy_only=False) != 18)
    if fix.any():
        values = values.mask(fix, text.str.replace(r"[^0-9]", "", regex=True))
    # Invalid NIPs become missing: they are rejected already, and must not match in joins or references.
    return values.mask(~valid), missing, parsed


def _check_range(table: str, col: ColumnSpec, values: pd.Series, text: pd.Series, rej: Rejections) -> None:
    if col.kind not in ("int", "float"):
        return
    v = values.to_numpy(dtype=float, na_value=np.nan)
    if (table, col.name) in _POSITIVE:
        rej.add(
            v <= 0,
            column=col.name,
            check="range",
            values=text,
            reason=f"{col.name} must be greater than 0, got {{value}}",
        )
    elif col.min is not None:
        rej.add(
            v < col.min,
            column=col.name,
            check="range",
            values=text,
            reason=f"{{value}} is below the minimum {col.min:g} for {col.name}",
        )
    if col.max is not None:
        rej.add(
            v > col.max,
            column=col.name,
            check="range",
            values=text,
            reason=f"{{value}} is above the maximum {col.max:g} for {col.name}",
        )


def _key_codes(table: str, column: str, values: pd.Series) -> np.ndarray:
    """Integer codes of a key column (-1 where missing): duplicates among integers are found fastest."""
    if TABLES[table].column(column).kind == "nip":
        # Accepted NIPs are 18 ASCII digits, which fit an int64 (DESIGN.md 5: join on the int64 key).
        arr = pa.array(values.array)
        return pc.fill_null(pc.cast(arr, pa.int64()), -1).to_numpy()
    return pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64)


def _all_copies(codes: np.ndarray) -> np.ndarray:
    """Every copy of a repeated value (``duplicated(keep=False)``), found by sorting.

    For millions of distinct int64 NIPs a sort and a look-up of the few repeated values take about
    half the time of a hash table over all of them, whose probes miss the cache.
    """
    ordered = np.sort(codes)
    repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    if not len(repeated):
        return np.zeros(len(codes), dtype=bool)
    return pd.Series(codes).isin(repeated).to_numpy()


def check_duplicates(table: str, typed: pd.DataFrame, rej: Rejections) -> None:
    """Reject every row of a key that appears more than once, naming the other rows.

    All copies are rejected, not all but the first: which copy is right cannot be known from the
    data, and keeping the first would make the result depend on the order of the rows.
    """
    key = list(TABLES[table].key)
    if not key or len(typed) == 0:
        return
    sub = typed[key]
    codes = pd.DataFrame({k: _key_codes(table, k, sub[k]) for k in key})
    complete = (codes.to_numpy() >= 0).all(axis=1)
    dup = np.zeros(len(typed), dtype=bool)
    known = codes.loc[complete]
    dup[complete] = _all_copies(known.iloc[:, 0].to_numpy()) if len(key) == 1 else known.duplicated(keep=False)
    if not dup.any():
        return
    idx = np.flatnonzero(dup)
    label = pd.Series("", index=range(idx.size), dtype="str")
    for j, k in enumerate(key):
        label = label + ("" if j == 0 else ", ") + f"{k}=" + sub[k].iloc[idx].astype("str").reset_index(drop=True)
    group = pd.factorize(label)[0]
    files, rows = rej.files[idx], rej.rows[idx]
    members: dict[int, list[int]] = {}
    for pos, g in enumerate(group):
        members.setdefault(int(g), []).append(pos)
    names = rej.file_names
    reasons = []
    for pos, g in enumerate(group):
        others = [o for o in members[int(g)] if o != pos]
        shown = [
            str(rows[o]) if files[o] == files[pos] else f"{names[files[o]]}:{rows[o]}" for o in others[:_MAX_ROWS_SHOWN]
        ]
        more = f" and {len(others) - _MAX_ROWS_SHOWN} more" if len(others) > _MAX_ROWS_SHOWN else ""
        reasons.append(f"duplicate key ({label.iloc[pos]}) also on rows [{', '.join(shown)}]{more}")
    reason_arr = np.empty(len(typed), dtype=object)
    reason_arr[idx] = reasons
    rej.add(
        dup,
        column=key[0] if len(key) == 1 else "+".join(key),
        check="duplicate",
        values=sub[key[0]],
        reason=lambda pos: reason_arr[pos],
    )
