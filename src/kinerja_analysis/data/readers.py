"""Read CSV, XLSX and Parquet files into tables of text, one per table-like sheet.

Every cell is read as text (``str``; missing where the cell is empty or only spaces) so that NIPs keep
their digits and "NA" stays "NA"; typing and checking happen later, in :mod:`kinerja_analysis.data.validate`.
Rows are numbered as a spreadsheet shows them: with the header on row 1 the first data row is row 2;
title rows above the header keep their numbers, so the rows below do too.

The header is found by content among the first rows (:mod:`.layout`), and trailing total rows are set
apart (:attr:`RawTable.footer_rows`). CSV goes through pyarrow's multi-threaded reader (measured in
``benchmarks/bench_load_dataset.py``), after the header is found in the first 64 KiB; XLSX is read by
:mod:`.sheets`, Parquet by :mod:`.parquet`.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa

from kinerja_analysis.common.errors import FileFormatError
from kinerja_analysis.data.layout import HEADER_SCAN, Header, find_header, footer_count
from kinerja_analysis.data.parquet import read_parquet, text_frame
from kinerja_analysis.data.raw import ACCEPTED, RawTable, finish, skipped_rows_warning
from kinerja_analysis.data.sheets import read_workbook

__all__ = ["RawTable", "ACCEPTED", "read_file", "read_tables", "file_kind"]

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
# pyarrow's default of 1 MiB gives hundreds of chunks per column for a national file; 16 MiB blocks
# read a 519 MB CSV in about 0.9 s instead of 2.4 s (benchmarks/bench_load_dataset.py), still in parallel.
_BLOCK_BYTES = 16 << 20
_CP1252_WARNING = "{label}: not valid UTF-8, read as Windows-1252 (cp1252); check that accented names look right."


class _NotUtf8(Exception):
    """pyarrow met invalid UTF-8 past the head of the file."""


def file_kind(path: Path) -> str | None:
    """``"csv"``, ``"xlsx"`` or ``"parquet"`` from the file's suffix, or None for other files."""
    return _KINDS.get(path.suffix.lower())


def read_file(path: Path, *, label: str, footers: bool = True) -> list[RawTable]:
    """Read one file into one :class:`RawTable` per sheet with cells (CSV and Parquet have one).

    Raises :class:`~kinerja_analysis.common.errors.FileFormatError` naming the file when it is not of an
    accepted type, is empty, damaged, cannot be decoded, or is not split into columns.
    """
    return read_tables(path, label=label, footers=footers)[0]


def read_tables(path: Path, *, label: str, footers: bool = True) -> tuple[list[RawTable], list[str]]:
    """Like :func:`read_file`, with the warnings about the file as a whole (empty sheets skipped).

    ``footers``: set trailing total/footer rows apart from the data (see :mod:`.layout`).
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
        return [_read_csv(path, label, footers)], []
    if kind == "xlsx":
        return read_workbook(path, label, footers=footers)
    return [read_parquet(path, label, footers=footers)], []


# --- CSV ------------------------------------------------------------------------------------------


def _read_csv(path: Path, label: str, footers: bool) -> RawTable:
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
    delimiter, header, rows, ends = _layout(text, label)
    if (skipped := skipped_rows_warning(label, header, rows, first_row=1)) is not None:
        warnings.append(skipped)
    skip = ends[header.end - 1]  # physical lines up to the end of the header, as pyarrow skips them
    names, width = list(header.names), len(header.names)
    try:
        table, bad = _arrow_csv(path, label, encoding, delimiter, width, skip=skip)
    except _NotUtf8:
        encoding = "cp1252"
        warnings.append(_CP1252_WARNING.format(label=label))
        table, bad = _arrow_csv(path, label, encoding, delimiter, width, skip=skip)
    numbers, bad_rows = _row_numbers(table.num_rows, bad, skip + 1, width)
    bad_rows, footer_rows = _bad_footers(bad_rows, bad, numbers, delimiter) if footers else (bad_rows, ())
    frame = text_frame(table, names)
    header_rows = tuple(range(header.first + 1, header.first + header.depth + 1))
    return finish(
        label, None, frame, names, numbers, bad_rows, excel=False, warnings=warnings,
        header_rows=header_rows, footers=footers, footer_rows=footer_rows,
    )  # fmt: skip


def _decode_head(head: bytes, label: str, warnings: list[str]) -> tuple[str, str]:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        warnings.append(f"{label}: encoded as UTF-16; read as such (UTF-8 is preferred).")
        return "utf-16", head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        # UTF-16 without a byte-order mark: every other byte of ASCII text is NUL.
        even, odd = head[0::2], head[1::2]
        for encoding, nuls, text in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
            if nuls.count(0) >= 0.9 * len(nuls) and text.count(0) <= 0.01 * len(text):
                warnings.append(f"{label}: encoded as {encoding.upper()} without a byte-order mark; read as such.")
                return encoding, head[: len(head) // 2 * 2].decode(encoding, errors="ignore")
        raise FileFormatError(
            f"{label}: contains binary data (NUL bytes) and is not UTF-16 text, so it is not a text CSV "
            f"(a spreadsheet or database file renamed .csv?). Open it in the program that made it and save "
            f"it as CSV UTF-8 or as .xlsx; accepted: {ACCEPTED}."
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


def _head_rows(text: str, delimiter: str) -> tuple[list[list[str | None]], list[int]]:
    """The first rows of the head as cells, and the physical line each ends on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str | None]] = []
    ends: list[int] = []
    filled = 0
    try:
        for row in reader:
            rows.append([c.strip().lstrip("\ufeff") or None for c in row])
            ends.append(reader.line_num)
            filled += any(rows[-1])
            if filled > HEADER_SCAN + 2:
                break
    except csv.Error:  # the head may end inside a quoted field
        pass
    return rows, ends


def _layout(text: str, label: str) -> tuple[str, Header, list[list[str | None]], list[int]]:
    """The delimiter under which a header row is found that names the most columns (then: has the most)."""
    best = None
    for delimiter in _DELIMITERS:
        rows, ends = _head_rows(text, delimiter)
        header = find_header(rows)
        if header is None:
            continue
        key = (header.matched, len(header.names))
        if best is None or key > best[0]:
            best = (key, delimiter, header, rows, ends)
    if best is None or best[0][1] <= 1:
        _one_column(text.lstrip("\r\n").splitlines()[0], label)
    _, delimiter, header, rows, ends = best
    return delimiter, header, rows, ends


def _one_column(header_line: str, label: str) -> None:
    others = Counter(ch for ch in header_line if not (ch.isalnum() or ch in " _-.'\"/()"))
    shown = header_line if len(header_line) <= 60 else header_line[:57] + "..."
    found = f"it seems to use {others.most_common(1)[0][0]!r}" if others else "no delimiter was found"
    raise FileFormatError(
        f"{label}: the whole header was read as one column ({shown!r}): it has no comma, semicolon or tab, "
        f"{found}. Save the file as CSV with commas or semicolons; a header like 'nip;nama;...' is read with ';'."
    )


def _arrow_csv(
    path: Path, label: str, encoding: str, delimiter: str, width: int, *, skip: int
) -> tuple[pa.Table, list[tuple[int, int, str]]]:
    import pyarrow.csv as pcsv

    names = [f"c{i}" for i in range(width)]
    bad: list[tuple[int, int, str]] = []

    def on_bad(row) -> str:
        bad.append((row.number, row.actual_columns, row.text))
        return "skip"

    def read(threads: bool) -> pa.Table:
        bad.clear()
        return pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(
                use_threads=threads,
                block_size=_BLOCK_BYTES,
                skip_rows=skip,
                column_names=names,
                encoding="utf8" if encoding == "utf-8" else encoding,
            ),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_bad
            ),
            # Empty cells are missing from the start; large_string is what pandas' ``str`` columns hold,
            # so handing the columns to pandas copies nothing (with ``string`` it copied every cell).
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
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
    return table, list(bad)


def _row_numbers(n_good: int, bad: list, first: int, width: int) -> tuple[np.ndarray, tuple[tuple[int, str], ...]]:
    if not bad:
        return np.arange(first, first + n_good, dtype=np.int64), ()
    # pyarrow gives the physical line of each bad row; good rows fill the remaining numbers in order.
    bad_lines = np.array(sorted(n for n, *_ in bad), dtype=np.int64)
    every = np.arange(first, first + n_good + len(bad), dtype=np.int64)
    rows = every[~np.isin(every, bad_lines)]
    reasons = tuple(
        (int(n), f"row has {w} field(s) but the header has {width}; check quotes and delimiters")
        for n, w, _ in sorted(bad)
    )
    return rows, reasons


def _bad_footers(bad_rows, bad, numbers: np.ndarray, delimiter: str):
    """Rows after the data that do not fit the header but are totals ("JUMLAH;;120") are footers."""
    last = int(numbers[-1]) if len(numbers) else 0
    texts = {int(n): text for n, _, text in bad}
    footer = []
    for n, _ in bad_rows:
        if n > last:
            cells = [c.strip() or None for c in next(csv.reader([texts[n]], delimiter=delimiter), [])]
            if footer_count([cells]):
                footer.append((n, next(c for c in cells if c)))
    shown = {n for n, _ in footer}
    return tuple(b for b in bad_rows if b[0] not in shown), tuple(footer)
