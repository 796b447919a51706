"""What every reader returns: a :class:`RawTable` of text cells, and the steps all readers share.

A reader finds the header (:mod:`.layout`), reads the rows below it as text and hands them to
:func:`finish`, which drops blank rows and columns, sets trailing total rows apart and words the
warnings about rows that were not data (title rows above the header, a column-numbering row).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kinerja_analysis.data.layout import FOOTER_SCAN, Header, footer_count

__all__ = ["ACCEPTED", "RawTable", "finish", "unique_headers", "skipped_rows_warning", "row_ranges", "rows_phrase"]

ACCEPTED = "CSV (.csv/.tsv: comma, semicolon or tab separated; UTF-8, UTF-16 or Windows-1252), Excel .xlsx, or .parquet"
_SHOWN_TITLES = 3


@dataclass(frozen=True)
class RawTable:
    """One sheet of text cells as read from a file.

    ``frame`` has the file's own headers (made unique) and ``str`` columns, missing where empty;
    ``rows`` the spreadsheet row number of each frame row; ``bad_rows`` rows that could not be split
    into the header's columns, as ``(row, reason)``; ``excel`` says whether numbers in date columns
    may be Excel serial dates. ``headers`` is the file's header text of each frame column (before a
    repeated header got its ``.1``), ``header_rows`` the spreadsheet row(s) of the header, and
    ``footer_rows`` the trailing total/footer rows set apart from the data, as ``(row, first cell)``.
    """

    label: str
    sheet: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    bad_rows: tuple[tuple[int, str], ...]
    excel: bool
    warnings: tuple[str, ...]
    headers: tuple[str, ...] = ()
    header_rows: tuple[int, ...] = (1,)
    footer_rows: tuple[tuple[int, str], ...] = ()


def unique_headers(headers: list[str]) -> list[str]:
    """Header texts made unique: blanks become ``column_N``, a repeat of ``NIP`` becomes ``NIP.1``."""
    out: list[str] = []
    seen: Counter[str] = Counter()
    for j, raw in enumerate(headers):
        name = str(raw).strip().lstrip("\ufeff") or f"column_{j + 1}"
        seen[name] += 1
        if seen[name] > 1:
            name = f"{name}.{seen[name] - 1}"
        out.append(name)
    return out


def row_ranges(rows: list[int]) -> str:
    """``[1, 2, 3, 5]`` -> ``"1-3, 5"``."""
    parts: list[str] = []
    for r in sorted(rows):
        if parts and parts[-1][1] == r - 1:
            parts[-1] = (parts[-1][0], r)
        else:
            parts.append((r, r))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in parts)


def rows_phrase(rows: list[int]) -> str:
    """``[5]`` -> ``"row 5"``, ``[1, 2, 3]`` -> ``"rows 1-3"``."""
    return f"{'row' if len(rows) == 1 else 'rows'} {row_ranges(rows)}"


def skipped_rows_warning(label: str, header: Header, rows: list[list[str | None]], first_row: int) -> str | None:
    """The warning naming the rows above the header (and a column-numbering row) that are not loaded.

    ``rows`` are the rows given to :func:`~.layout.find_header`; ``first_row`` is the spreadsheet
    number of ``rows[0]``. None when the header is on the first row and no row was skipped.
    """
    top = first_row + header.first
    where = f"row {top}" if header.depth == 1 else f"rows {top}-{top + header.depth - 1}"
    parts = []
    if header.first:
        above = list(range(first_row, top))
        titles = [" ".join(c for c in r if c) for r in rows[: header.first] if any(r)]
        shown = ", ".join(repr(t if len(t) <= 40 else t[:37] + "...") for t in titles[:_SHOWN_TITLES])
        more = f" and {len(titles) - _SHOWN_TITLES} more" if len(titles) > _SHOWN_TITLES else ""
        what = f"title: {shown}{more}" if titles else "empty: spacing or a logo"
        one = len(above) == 1
        parts.append(f"{rows_phrase(above)} above it {'is' if one else 'are'} not data, skipped ({what})")
    if header.numbering:
        numbered = first_row + header.first + header.depth
        parts.append(f"row {numbered} only numbers the columns (1, 2, 3, ...) and was skipped")
    if not parts:
        return None
    return (
        f"{label}: the header is on {where}; {'; '.join(parts)}. "
        "If the header was not found right, remove the rows above it and load again."
    )


def finish(
    label: str,
    sheet: str | None,
    frame: pd.DataFrame,
    headers: list[str],
    rows: np.ndarray,
    bad_rows: tuple[tuple[int, str], ...],
    *,
    excel: bool,
    warnings: list[str],
    header_rows: tuple[int, ...] = (1,),
    footers: bool = True,
    footer_rows: tuple[tuple[int, str], ...] = (),
) -> RawTable:
    """Drop blank columns and rows, set trailing total rows apart (if ``footers``), and build the table."""
    # Columns without a header and without values are artefacts of exports (a trailing delimiter).
    blank = [j for j, c in enumerate(frame.columns) if re.fullmatch(r"column_\d+", str(c)) and frame[c].isna().all()]
    if blank:
        frame = frame.drop(columns=[frame.columns[j] for j in blank])
        headers = [h for j, h in enumerate(headers) if j not in set(blank)]
    # Blank lines are not records; dropping them keeps the other rows' numbers.
    if len(frame.columns):
        keep = frame.notna().any(axis=1).to_numpy()
        if not keep.all():
            frame = frame.loc[keep].reset_index(drop=True)
            rows = rows[keep]
    else:
        rows = rows[:0]
    if footers and len(frame):
        tail = frame.iloc[-FOOTER_SCAN:].astype(object).to_numpy()
        cells = [[v if isinstance(v, str) else None for v in row] for row in tail]
        n = footer_count(cells)
        if n:
            found = tuple(
                (int(r), next(c for c in row if c) if any(row) else "")
                for r, row in zip(rows[-n:], cells[-n:], strict=True)
            )
            footer_rows = tuple(sorted(found + footer_rows))
            frame = frame.iloc[:-n].reset_index(drop=True)
            rows = rows[:-n]
    if len(frame) == 0 and not bad_rows and not footer_rows:
        warnings.append(f"{label}: has a header but no data rows; loaded as an empty table.")
    return RawTable(
        label, sheet, frame, rows, bad_rows, excel, tuple(warnings), tuple(headers), header_rows, footer_rows
    )
