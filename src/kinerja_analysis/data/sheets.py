"""Read the sheets of an Excel .xlsx workbook as tables of text, as offices lay them out.

openpyxl reads cell by cell in read-only mode, because pandas turns a 15-digit float such as
``1.98609262015051E+17`` into an 18-digit integer string that looks like a valid NIP. Each sheet's
header is found among its first rows (:func:`~.layout.find_header`), so title rows, a logo and merged
header cells above the table are skipped and reported; row numbers stay those Excel shows.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import ParseError

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import FileFormatError
from kinerja_analysis.data.layout import HEADER_SCAN, find_header
from kinerja_analysis.data.raw import ACCEPTED, RawTable, finish, skipped_rows_warning, unique_headers

__all__ = ["read_workbook", "cell_text"]

# What openpyxl and zipfile raise on a damaged workbook, when opening it or while reading its rows.
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, TypeError, IndexError, ParseError)
_REDO = "open it in Excel and save it again as an Excel Workbook (.xlsx), or export the table as CSV UTF-8."


def read_workbook(path: Path, label: str, *, footers: bool = True) -> tuple[list[RawTable], list[str]]:
    """One :class:`RawTable` per sheet that has cells, and warnings naming the empty sheets skipped.

    Raises :class:`~kinerja_analysis.common.errors.FileFormatError` naming the file when it is not a
    workbook (another file renamed .xlsx, a ZIP archive of other files), is damaged or truncated, or
    has no sheet with any cell.
    """
    book = _open(path, label)
    tables: list[RawTable] = []
    empty: list[str] = []
    try:
        sheets = book.worksheets
        for sheet in sheets:
            name = f"{label}[{sheet.title}]" if len(sheets) > 1 else label
            table = _read_sheet(sheet, name, footers=footers)
            if table is None:
                empty.append(sheet.title)
            else:
                tables.append(table)
    finally:
        book.close()
    if not tables:
        raise FileFormatError(
            f"{label}: file is empty (no sheet has any cell). Export the table again with its header row."
        )
    warnings = [f"{label}: empty sheets skipped: {', '.join(map(repr, empty))}."] if empty else []
    return tables, warnings


def _open(path: Path, label: str):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(
            f"{label}: is an old-style Office file (Excel 97-2003 .xls saved as .xlsx, or a workbook protected "
            f"with a password), not an .xlsx workbook: {_REDO} Remove the password first if it has one."
        )
    if not magic.startswith(b"PK"):
        raise FileFormatError(
            f"{label}: cannot be opened as an Excel .xlsx workbook: it is not a ZIP-based workbook at all "
            f"(another file renamed .xlsx?). If it is a workbook, {_REDO} Accepted: {ACCEPTED}."
        )
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as exc:
        raise FileFormatError(
            f"{label}: cannot be opened as an Excel .xlsx workbook: the file is damaged or incomplete "
            f"(truncated while copying or downloading?) ({exc}). Copy it again from its source, or {_REDO}"
        ) from None
    except (*_BROKEN, InvalidFileException) as exc:
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except _BROKEN:
            names = ["xl/workbook.xml"]  # unreadable as a ZIP too: reported as damaged below
        if "xl/workbook.xml" not in names:
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            raise FileFormatError(
                f"{label}: cannot be opened as an Excel .xlsx workbook: it is a ZIP archive that holds no "
                f"workbook ({shown or 'nothing'}). Unpack it and give the files inside, or {_REDO}"
            ) from None
        raise FileFormatError(
            f"{label}: cannot be opened as an Excel .xlsx workbook ({type(exc).__name__}: {exc}); {_REDO}"
        ) from None


def _rows(sheet, label: str) -> Iterator[list[str | None]]:
    # Some programs write a wrong sheet size; without it openpyxl reads the rows the file really has.
    sheet.reset_dimensions()
    try:
        for values in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in values]
    except _BROKEN as exc:  # the sheet's XML or its compressed data stops or is garbled
        raise FileFormatError(
            f"{label}: sheet {sheet.title!r} cannot be read, the workbook is damaged or incomplete "
            f"(truncated while copying or downloading?) ({type(exc).__name__}: {exc}). "
            f"Copy it again from its source, or {_REDO}"
        ) from None


def _read_sheet(sheet, label: str, *, footers: bool) -> RawTable | None:
    it = _rows(sheet, label)
    top: list[list[str | None]] = []
    for row in it:  # leading empty rows, then the rows searched for the header
        top.append(row)
        if any(row):
            break
    top += itertools.islice(it, HEADER_SCAN + 2)
    header = find_header(top)
    if header is None:
        return None
    warnings: list[str] = []
    if (skipped := skipped_rows_warning(label, header, top, first_row=1)) is not None:
        warnings.append(skipped)
    cells = top[header.end :]
    cells += it
    width = max([len(header.names), *map(len, cells)])
    names = unique_headers([*header.names, *([""] * (width - len(header.names)))])
    data = {n: pd.array([r[j] if j < len(r) else None for r in cells], dtype="str") for j, n in enumerate(names)}
    frame = pd.DataFrame(data) if data else pd.DataFrame()
    first = header.end + 1
    rows = np.arange(first, first + len(cells), dtype=np.int64)
    header_rows = tuple(range(header.first + 1, header.first + header.depth + 1))
    texts = [*header.names, *([""] * (width - len(header.names)))]
    return finish(
        label,
        sheet.title,
        frame,
        texts,
        rows,
        (),
        excel=True,
        warnings=warnings,
        header_rows=header_rows,
        footers=footers,
    )


def cell_text(value: object) -> str | None:
    """A cell as openpyxl gives it, as text (None when empty)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # Past 15 significant digits Excel has lost digits: keep the float's own spelling so that a
        # NIP stored as a number is reported as mangled instead of turned into a plausible one.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    text = str(value).strip()
    return text or None
