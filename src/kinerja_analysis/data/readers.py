"""Read CSV, XLSX and Parquet files into frames of text, one per table-like sheet.

Every cell is read as text (``str``; missing where the cell is empty or only spaces) so that NIPs keep
their digits and "NA" stays "NA"; typing and checking happen later, in :mod:`kinerja_analysis.data.validate`.
Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.

CSV goes through pyarrow's multi-threaded reader (measured in ``benchmarks/bench_load_dataset.py``);
XLSX through openpyxl cell by cell, because pandas turns a 15-digit float such as
``1.98609262015051E+17`` into an 18-digit integer string that looks like a valid NIP.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.common.errors import FileFormatError

__all__ = ["RawTable", "ACCEPTED", "read_file", "file_kind"]

ACCEPTED = "CSV (.csv/.tsv: comma, semicolon or tab separated; UTF-8 or Windows-1252), Excel .xlsx, or .parquet"
_KINDS = {".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an .xlsx or .docx file renamed?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls or .doc)"),
    (b"PAR1", "a Parquet file"),
    (b"{\\rtf", "an RTF document"),
)
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_HEAD_BYTES = 1 << 16
_CP1252_WARNING = "{label}: not valid UTF-8, read as Windows-1252 (cp1252); check that accented names look right."


class _NotUtf8(Exception):
    """pyarrow met invalid UTF-8 past the head of the file."""


@dataclass(frozen=True)
class RawTable:
    """One sheet of text cells as read from a file.

    ``frame`` has the file's own headers (made unique) and ``str`` columns, missing where empty;
    ``rows`` the spreadsheet row number of each frame row; ``bad_rows`` rows that could not be split
    into the header's columns, as ``(row, reason)``; ``excel`` says whether numbers in date columns
    may be Excel serial dates.
    """

    label: str
    sheet: str | None
    frame: pd.DataFrame
    rows: np.ndarray
    bad_rows: tuple[tuple[int, str], ...]
    excel: bool
    warnings: tuple[str, ...]


def file_kind(path: Path) -> str | None:
    """``"csv"``, ``"xlsx"`` or ``"parquet"`` from the file's suffix, or None for other files."""
    return _KINDS.get(path.suffix.lower())


def read_file(path: Path, *, label: str) -> list[RawTable]:
    """Read one file into one :class:`RawTable` per sheet (CSV and Parquet have one).

    Raises :class:`~kinerja_analysis.common.errors.FileFormatError` naming the file when it is not of an
    accepted type, is empty, cannot be decoded, or is not split into columns.
    """
    kind = file_kind(path)
    if kind is None:
        hint = " Open it in Excel and save it as .xlsx." if path.suffix.lower() == ".xls" else ""
        raise FileFormatError(
            f"{label}: files of type {path.suffix or '(no suffix)'!r} cannot be read; accepted: {ACCEPTED}.{hint}"
        )
    if path.stat().st_size == 0:
        raise FileFormatError(f"{label}: file is empty (0 bytes). Export the table again with its header row.")
    if kind == "csv":
        return [_read_csv(path, label)]
    if kind == "xlsx":
        return _read_xlsx(path, label)
    return [_read_parquet(path, label)]


# --- CSV ------------------------------------------------------------------------------------------


def _read_csv(path: Path, label: str) -> RawTable:
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise FileFormatError(f"{label}: this is not a text CSV file, it looks like {what}; accepted: {ACCEPTED}.")
    warnings: list[str] = []
    encoding, text = _decode_head(head, label, warnings)
    if not text.strip():
        raise FileFormatError(f"{label}: file is empty (no header row). Export the table again with its header row.")
    if text.lstrip().startswith(("{", "[{")):
        raise FileFormatError(f"{label}: this is not a CSV file, it looks like JSON; accepted: {ACCEPTED}.")
    header_line = text.lstrip("\r\n").splitlines()[0]
    delimiter = _sniff_delimiter(header_line, label)
    headers = next(csv.reader([header_line], delimiter=delimiter))
    blank_lines = text[: len(text) - len(text.lstrip("\r\n"))].count("\n")
    try:
        table, bad = _arrow_csv(path, label, encoding, delimiter, len(headers), skip=1 + blank_lines)
    except _NotUtf8:
        encoding = "cp1252"
        warnings.append(_CP1252_WARNING.format(label=label))
        table, bad = _arrow_csv(path, label, encoding, delimiter, len(headers), skip=1 + blank_lines)
    rows, bad_rows = _row_numbers(table.num_rows, bad, 2 + blank_lines, len(headers))
    frame = _text_frame(table, headers, label, warnings)
    return _finish(label, None, frame, rows, bad_rows, excel=False, warnings=warnings)


def _decode_head(head: bytes, label: str, warnings: list[str]) -> tuple[str, str]:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        warnings.append(f"{label}: encoded as UTF-16; read as such (UTF-8 is preferred).")
        return "utf-16", head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        raise FileFormatError(
            f"{label}: contains binary data (NUL bytes), so it is not a text CSV; accepted: {ACCEPTED}."
        )
    body = head.removeprefix(b"\xef\xbb\xbf")
    try:
        return "utf-8", body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The head may end inside a multi-byte character: that alone is no reason to leave UTF-8.
        if len(head) == _HEAD_BYTES and exc.start >= len(body) - 3:
            return "utf-8", body[: exc.start].decode("utf-8")
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError:
        raise FileFormatError(f"{label}: is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8.") from None
    warnings.append(_CP1252_WARNING.format(label=label))
    return "cp1252", text


def _sniff_delimiter(header_line: str, label: str) -> str:
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] > 1:
        return best
    others = Counter(ch for ch in header_line if not (ch.isalnum() or ch in " _-.'\"/()"))
    shown = header_line if len(header_line) <= 60 else header_line[:57] + "..."
    found = f"it seems to use {others.most_common(1)[0][0]!r}" if others else "no delimiter was found"
    raise FileFormatError(
        f"{label}: the whole header was read as one column ({shown!r}): it has no comma, semicolon or tab, "
        f"{found}. Save the file as CSV with commas or semicolons; a header like 'nip;nama;...' is read with ';'."
    )


def _arrow_csv(
    path: Path, label: str, encoding: str, delimiter: str, width: int, *, skip: int
) -> tuple[pa.Table, list]:
    import pyarrow.csv as pcsv

    names = [f"c{i}" for i in range(width)]
    bad: list[tuple[int | None, int]] = []

    def on_bad(row) -> str:
        bad.append((row.number, row.actual_columns))
        return "skip"

    def read(threads: bool) -> pa.Table:
        bad.clear()
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(
                use_threads=threads,
                skip_rows=skip,
                column_names=names,
                encoding="utf8" if encoding == "utf-8" else encoding,
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_bad
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    try:
        table = read(True)
        if bad:  # only a single-threaded read knows the line numbers of bad rows
            table = read(False)
    except pa.ArrowInvalid as exc:
        if encoding == "utf-8" and "utf8" in str(exc).lower():
            raise _NotUtf8 from None
        raise FileFormatError(f"{label}: cannot be read as CSV ({exc}).") from None
    except UnicodeDecodeError:
        raise FileFormatError(f"{label}: cannot be decoded as {encoding}; save it as CSV UTF-8.") from None
    return table, [(n, w) for n, w in bad]


def _row_numbers(n_good: int, bad: list, first: int, width: int) -> tuple[np.ndarray, tuple[tuple[int, str], ...]]:
    if not bad:
        return np.arange(first, first + n_good, dtype=np.int64), ()
    # pyarrow gives the physical line of each bad row; good rows fill the remaining numbers in order.
    bad_lines = np.array(sorted(n for n, _ in bad), dtype=np.int64)
    every = np.arange(first, first + n_good + len(bad), dtype=np.int64)
    rows = every[~np.isin(every, bad_lines)]
    reasons = tuple(
        (int(n), f"row has {w} field(s) but the header has {width}; check quotes and delimiters")
        for n, w in sorted(bad)
    )
    return rows, reasons


def _text_frame(table: pa.Table, headers: list[str], label: str, warnings: list[str]) -> pd.DataFrame:
    columns = {}
    for name, col in zip(_unique_headers(headers, label, warnings), table.columns, strict=True):
        trimmed = pc.utf8_trim_whitespace(col)
        columns[name] = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    return pa.table(columns).to_pandas() if columns else pd.DataFrame()


def _unique_headers(headers: list[str], label: str, warnings: list[str]) -> list[str]:
    out: list[str] = []
    seen: Counter[str] = Counter()
    for j, raw in enumerate(headers):
        name = str(raw).strip().lstrip("\ufeff") or f"column_{j + 1}"
        seen[name] += 1
        if seen[name] > 1:
            warnings.append(
                f"{label}: header {name!r} appears {seen[name]} times; the copy is kept as {name}.{seen[name] - 1}."
            )
            name = f"{name}.{seen[name] - 1}"
        out.append(name)
    return out


def _finish(label, sheet, frame, rows, bad_rows, *, excel, warnings) -> RawTable:
    # Columns without a header and without values are artefacts of exports (a trailing delimiter).
    blank = [c for c in frame.columns if re.fullmatch(r"column_\d+", str(c)) and frame[c].isna().all()]
    frame = frame.drop(columns=blank)
    # Blank lines are not records; dropping them keeps the other rows' numbers.
    if len(frame.columns):
        keep = frame.notna().any(axis=1).to_numpy()
        if not keep.all():
            frame = frame.loc[keep].reset_index(drop=True)
            rows = rows[keep]
    else:
        rows = rows[:0]
    if len(frame) == 0 and not bad_rows:
        warnings.append(f"{label}: has a header but no data rows; loaded as an empty table.")
    return RawTable(label, sheet, frame, rows, bad_rows, excel, tuple(warnings))


# --- XLSX -----------------------------------------------------------------------------------------


def _read_xlsx(path: Path, label: str) -> list[RawTable]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise FileFormatError(
            f"{label}: cannot be opened as an Excel .xlsx workbook ({exc}); accepted: {ACCEPTED}."
        ) from None
    try:
        out = []
        for sheet in book.worksheets:
            table = _read_sheet(sheet, f"{label}[{sheet.title}]" if len(book.worksheets) > 1 else label)
            if table is not None:
                out.append(table)
    finally:
        book.close()
    if not out:
        raise FileFormatError(f"{label}: file is empty (no sheet has a header row).")
    return out


def _read_sheet(sheet, label: str) -> RawTable | None:
    it = sheet.iter_rows(values_only=True)
    header = next(it, None)
    if header is None or all(_cell_text(v) is None for v in header):
        return None
    warnings: list[str] = []
    headers = [_cell_text(v) or "" for v in header]
    width = len(headers)
    cells: list[list[str | None]] = []
    for values in it:
        cells.append([_cell_text(v) for v in values[:width]] + [None] * (width - len(values)))
    names = _unique_headers(headers, label, warnings)
    data = {n: pd.array([r[j] for r in cells], dtype="str") for j, n in enumerate(names)}
    frame = pd.DataFrame(data) if data else pd.DataFrame()
    rows = np.arange(2, 2 + len(cells), dtype=np.int64)
    return _finish(label, sheet.title, frame, rows, (), excel=True, warnings=warnings)


def _cell_text(value: object) -> str | None:
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


# --- Parquet --------------------------------------------------------------------------------------


def _read_parquet(path: Path, label: str) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileFormatError(f"{label}: cannot be read as Parquet ({exc}); accepted: {ACCEPTED}.") from None
    warnings: list[str] = []
    columns = []
    for col in table.columns:
        if pa.types.is_timestamp(col.type) or pa.types.is_date(col.type):
            col = pc.strftime(col, format="%Y-%m-%d")
        elif pa.types.is_dictionary(col.type):
            col = pc.cast(col, pa.string())
        elif not pa.types.is_string(col.type):
            col = pc.cast(col, pa.string())
        columns.append(col)
    text = pa.table(dict(zip([f"c{i}" for i in range(len(columns))], columns, strict=True)))
    frame = _text_frame(text, table.column_names, label, warnings)
    rows = np.arange(2, 2 + table.num_rows, dtype=np.int64)
    return _finish(label, None, frame, rows, (), excel=False, warnings=warnings)
