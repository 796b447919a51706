"""Map a file's headers onto a table's canonical columns, settle repeated columns, and record the mapping.

Two columns of one file may name the same canonical column: the same header twice ("NIP", "NIP"),
or two spellings of it ("NIP Baru", "NIP"). With ``duplicate_columns="error"`` (the default) a copy
that holds the same values as the first, or no value at all, is dropped with a warning, and copies
that differ stop loading with a :class:`~kinerja_analysis.common.errors.FileFormatError` naming both
headers: which one is right cannot be known from the data. With ``"first"`` the first is used and
the others are kept as extra text columns, with a warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import FileFormatError
from kinerja_analysis.data.layout import canonical
from kinerja_analysis.data.raw import RawTable, row_ranges, rows_phrase
from kinerja_analysis.data.schema import TABLES, match_headers

__all__ = ["HEADER_MAP_COLUMNS", "DUPLICATE_COLUMNS", "Mapped", "map_headers", "empty_header_map"]

HEADER_MAP_COLUMNS = ("table", "file", "header_row", "header", "column", "status", "suggestion")
DUPLICATE_COLUMNS = ("error", "first")
DuplicateColumns = Literal["error", "first"]
_ROWS_SHOWN = 5


@dataclass(frozen=True)
class Mapped:
    """A file's frame with canonical column names, the required columns it lacks, and its header map."""

    frame: pd.DataFrame
    missing: tuple[str, ...]
    message: str
    header_map: pd.DataFrame


def empty_header_map() -> pd.DataFrame:
    """The header map with no rows (columns ``table, file, header_row, header, column, status, suggestion``)."""
    return pd.DataFrame({c: pd.Series(dtype="str") for c in HEADER_MAP_COLUMNS})


def map_headers(
    table: str, raw: RawTable, warnings: list[str], *, duplicate_columns: DuplicateColumns = "error"
) -> Mapped:
    """Rename ``raw``'s columns to ``table``'s canonical names; see the module docstring for repeats."""
    frame, dropped = _settle_repeats(table, raw, warnings, duplicate_columns)
    headers = [str(c) for c in frame.columns]
    m = match_headers(table, headers)
    for text in m.duplicated:
        warnings.append(f"{raw.label}: {text}; the first is used, the other kept as an extra column.")
    spec_names = set(TABLES[table].names)
    records = [(h, col, "dropped", why) for h, col, why in dropped]
    for h in headers:
        if h in m.extra:
            meant = canonical(table, raw_text(raw, h))
            status = "duplicate" if meant else "extra"
            records.append((h, meant, status, m.suggestions.get(h, "")))
        else:
            records.append((h, m.mapping[h], "matched", ""))
    records += [("", col, "missing", "required") for col in m.missing]
    header_map = _header_map(table, raw, records)
    if m.missing:
        hints = [f"{h!r} -> {c}" for h, c in m.suggestions.items() if c in m.missing]
        did_you_mean = f" Did you mean {', '.join(hints)}?" if hints else ""
        message = (
            f"{raw.label}: table {table} needs the column{'s' if len(m.missing) > 1 else ''} "
            f"{', '.join(m.missing)}, which {'are' if len(m.missing) > 1 else 'is'} not among the headers found "
            f"({', '.join(headers) or 'none'}).{did_you_mean} Rename the header or add the column."
        )
        return Mapped(frame, m.missing, message, header_map)
    mapping = {h: (f"{h} (extra)" if m.mapping[h] in spec_names and h in m.extra else m.mapping[h]) for h in headers}
    if m.extra:
        shown = ", ".join(f"{h} (did you mean {m.suggestions[h]}?)" if h in m.suggestions else h for h in m.extra)
        warnings.append(f"{raw.label}: extra columns kept as text: {shown}.")
    return Mapped(frame.rename(columns=mapping), (), "", header_map)


def raw_text(raw: RawTable, name: str) -> str:
    """The file's own header text of frame column ``name`` (``NIP`` for the repeat ``NIP.1``)."""
    names = list(raw.frame.columns)
    if raw.headers and name in names and len(raw.headers) == len(names):
        return raw.headers[names.index(name)] or name
    return name


def _header_map(table: str, raw: RawTable, records: list) -> pd.DataFrame:
    if not records:
        return empty_header_map()
    shown = row_ranges(list(raw.header_rows))
    out = pd.DataFrame(records, columns=["header", "column", "status", "suggestion"])
    out.insert(0, "header_row", shown)
    out.insert(0, "file", raw.label)
    out.insert(0, "table", table)
    return out.astype(dict.fromkeys(HEADER_MAP_COLUMNS, "str"))


def _settle_repeats(
    table: str, raw: RawTable, warnings: list[str], mode: DuplicateColumns
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Drop copies of a canonical column that add nothing; raise when copies disagree (mode "error")."""
    frame = raw.frame
    names = list(frame.columns)
    texts = [raw_text(raw, n) for n in names]
    groups: dict[str, list[str]] = {}
    for name, text in zip(names, texts, strict=True):
        if (col := canonical(table, text)) is not None:
            groups.setdefault(col, []).append(name)
    repeated = Counter(texts)
    for text, n in repeated.items():
        if n > 1 and (mode == "first" or canonical(table, text) is None):
            copies = [nm for nm, t in zip(names, texts, strict=True) if t == text][1:]
            warnings.append(
                f"{raw.label}: header {text!r} appears {n} times; the copies are kept as {', '.join(copies)}."
            )
    if mode == "first":
        return frame, []
    drop: list[str] = []
    dropped: list[tuple[str, str, str]] = []
    for col, members in groups.items():
        if len(members) < 2:
            continue
        filled = [nm for nm in members if frame[nm].notna().any()]
        keep = filled[0] if filled else members[0]
        base = frame[keep].fillna("\x00").to_numpy(dtype=object)
        for other in members:
            if other == keep:
                continue
            values = frame[other]
            if not values.notna().any():
                why = "empty"
            else:
                differ = np.flatnonzero(values.fillna("\x00").to_numpy(dtype=object) != base)
                if differ.size:
                    raise FileFormatError(_disagree(table, raw, col, keep, other, differ))
                why = "same values"
            drop.append(other)
            dropped.append((other, col, "empty" if why == "empty" else f"same values as {keep}"))
            warnings.append(
                f"{raw.label}: the columns {raw_text(raw, keep)!r} and {raw_text(raw, other)!r} both mean {col}; "
                f"{other!r} is {'empty' if why == 'empty' else 'a copy with the same values'}, so it was dropped "
                f"and {keep!r} used."
            )
    return (frame.drop(columns=drop) if drop else frame), dropped


def _disagree(table: str, raw: RawTable, col: str, keep: str, other: str, differ: np.ndarray) -> str:
    rows = rows_phrase([int(r) for r in raw.rows[differ[:_ROWS_SHOWN]]])
    more = f" and {differ.size - _ROWS_SHOWN} more" if differ.size > _ROWS_SHOWN else ""
    a, b = raw_text(raw, keep), raw_text(raw, other)
    which = f"two columns headed {a!r}" if a == b else f"the columns {a!r} and {b!r}"
    return (
        f"{raw.label}: {which} both mean {col} (table {table}) but hold different values on {differ.size} "
        f"row{'s' if differ.size > 1 else ''} ({rows}{more}). Keep the right one and delete or rename the other "
        f"(e.g. '{b} lama'), then load again; or load with duplicate_columns='first' (kinerja validate "
        "--duplicate-columns first) to use the first and keep the other as an extra column."
    )
