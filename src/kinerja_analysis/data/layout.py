"""Where the table sits in a sheet: its header row among title rows, and the total rows after the data.

Offices export tables as they print them: a title block above the header ("DAFTAR PEGAWAI ...",
"KECAMATAN PLAJU", a date line, a logo over merged empty cells), sometimes a header of two rows
("Tanggal" over "Lahir" and "TMT CPNS"), a row numbering the columns (1, 2, 3, ...), and a total row
below the data ("JUMLAH", "Total", "Jumlah Responden"). These functions look at cells as text.

The header is found by content, not position: among the first :data:`HEADER_SCAN` non-empty rows it
is the first row whose cells name the most columns of one table, matched on that table's header
aliases as :func:`~kinerja_analysis.data.schema.match_headers` matches them (case, spaces and
punctuation ignored). Footers are looked for in the last :data:`FOOTER_SCAN` rows only, so that
neither search grows with the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from kinerja_analysis.data.schema import TABLES, normalize_header

__all__ = ["HEADER_SCAN", "FOOTER_SCAN", "FOOTER_REASON", "Header", "find_header", "footer_count", "canonical"]

HEADER_SCAN = 30
"""Non-empty rows at the top of a sheet searched for the header."""
FOOTER_SCAN = 10
"""Rows at the end of a sheet searched for a total or footer row."""
FOOTER_REASON = "total/footer row, not data"

Row = Sequence[str | None]

# A total row starts with one of these words (after normalising: "Rata-rata" -> "ratarata").
_TOTAL_WORDS = ("jumlah", "total", "subtotal", "grandtotal", "ratarata", "rerata", "nilairatarata")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,]\d+)?(?:[eE][+-]?\d+)?%?|-")
_COLUMN_NUMBER = re.compile(r"\(?(\d{1,3})\)?")


@dataclass(frozen=True)
class Header:
    """The header found in the first rows of a sheet.

    ``first`` is the index of its first row in the rows given, ``depth`` its number of rows (1, or 2
    for a group header over sub-headers), ``names`` one text per column ("" where a column has no
    header), ``matched`` how many columns of the best-fitting table the names match (0 when no row
    matched any alias and the first row with more than one cell was taken), and ``numbering`` whether the row
    after the header only numbers the columns (1, 2, 3, ...) and is to be skipped.
    """

    first: int
    depth: int
    names: tuple[str, ...]
    matched: int
    numbering: bool

    @property
    def end(self) -> int:
        """Index of the first row after the header (and after a column-numbering row)."""
        return self.first + self.depth + int(self.numbering)


@functools.cache
def _aliases() -> dict[str, dict[str, str]]:
    """Per table: normalised header text -> canonical column, built the way match_headers builds it."""
    out: dict[str, dict[str, str]] = {}
    for name, spec in TABLES.items():
        index: dict[str, str] = {}
        for col in spec.columns:
            for text in (col.name, *col.aliases):
                index.setdefault(normalize_header(text), col.name)
        out[name] = index
    return out


def canonical(table: str, header: str | None) -> str | None:
    """The canonical column of ``table`` that ``header`` names, or None (same matching as match_headers)."""
    if not header:
        return None
    return _aliases()[table].get(normalize_header(header))


def _score(cells: Row) -> int:
    keys = {normalize_header(c) for c in cells if c}
    return max(len({index[k] for k in keys if k in index}) for index in _aliases().values())


def _matches(text: str) -> bool:
    key = normalize_header(text)
    return any(key in index for index in _aliases().values())


def _combine(parent: Row, child: Row) -> tuple[str, ...]:
    """One name per column from a group-header row over a sub-header row."""
    width = max(len(parent), len(child))
    p = [*parent, *([None] * (width - len(parent)))]
    c = [*child, *([None] * (width - len(child)))]
    names: list[str] = []
    group: str | None = None  # a group header ("Tanggal") spans the empty cells right of it that have a sub-header
    for j in range(width):
        if p[j]:
            group = p[j] if c[j] else None
            top = p[j]
        elif c[j] and group:
            top = group
        else:
            top, group = None, None
        sub = c[j]
        options = [t for t in (f"{top} {sub}" if top and sub else None, sub, top) if t]
        name = next((t for t in options if _matches(t)), options[0] if options else "")
        names.append(name)
    return tuple(names)


def _sub_header(parent: Row, child: Row) -> bool:
    """Whether ``child`` may be a sub-header row: it is empty under most headers (merged down over it)."""
    over = [j for j, p in enumerate(parent) if p]
    empty_under = sum(1 for j in over if j >= len(child) or not child[j])
    return any(child) and 2 * empty_under >= len(over)


def _is_numbering(row: Row) -> bool:
    numbers = []
    for cell in row:
        if not cell:
            continue
        m = _COLUMN_NUMBER.fullmatch(cell)
        if m is None:
            return False
        numbers.append(int(m.group(1)))
    return len(numbers) >= 3 and all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))


def find_header(rows: Sequence[Row]) -> Header | None:
    """Find the header among ``rows`` (the first rows of a sheet, as text or None); None if all are empty.

    Give at least :data:`HEADER_SCAN` + 2 rows after the first non-empty one when the sheet has
    them: the two rows after the header are looked at for a sub-header and a column-numbering row.

    >>> rows = [["DAFTAR PEGAWAI", None], [None, None], ["NIP", "Nama"], ["198609262015051001", "Andi"]]
    >>> h = find_header(rows)
    >>> h.first, h.names, h.matched
    (2, ('NIP', 'Nama'), 2)
    """
    filled = [i for i, r in enumerate(rows) if any(r)]
    if not filled:
        return None
    window = filled[:HEADER_SCAN]
    scores = {i: _score(rows[i]) for i in window}
    best = max(scores.values())
    if best == 0:  # no alias anywhere: the first row of several cells (a title has one), else the first row
        at = next((i for i in window if sum(1 for c in rows[i] if c) > 1), window[0])
    else:
        at = min(i for i in window if scores[i] == best)
    first, depth, names, matched = at, 1, tuple(c or "" for c in rows[at]), best
    below = rows[at + 1] if at + 1 < len(rows) else ()
    if best and _sub_header(rows[at], below) and _score(combined := _combine(rows[at], below)) > matched:
        depth, names, matched = 2, combined, _score(combined)
    elif best and at > 0 and any(rows[at - 1]) and _score(combined := _combine(rows[at - 1], rows[at])) > matched:
        first, depth, names, matched = at - 1, 2, combined, _score(combined)
    after = first + depth
    numbering = after < len(rows) and _is_numbering(rows[after])
    return Header(first, depth, names, matched, numbering)


def _kind(row: Row) -> str:
    """``total`` (a total or label-and-numbers row), ``note`` (one text cell) or ``data``."""
    cells = [c for c in row if c]
    if not cells:
        return "note"
    label = cells[0]
    if normalize_header(label).startswith(_TOTAL_WORDS):
        return "total"
    if _NUMBER.fullmatch(label) or not re.search(r"[A-Za-z]", label):
        return "data"
    if len(cells) == 1:
        return "note"
    return "total" if all(_NUMBER.fullmatch(c) for c in cells[1:]) else "data"


def footer_count(tail: Sequence[Row]) -> int:
    """How many of the last rows ``tail`` are a footer: a total row and any note lines after it.

    Going up from the last row, rows that are totals ("JUMLAH", "TOTAL PEGAWAI", or a text label
    followed only by numbers) or single text cells (a place and date, a signature) are the footer,
    up to the first data row; the footer starts at its first total row (notes alone are no footer).

    >>> footer_count([["198609262015051001", "Andi", "III/a"], ["JUMLAH", None, "1"], ["Palembang, 2 Januari 2025"]])
    2
    >>> footer_count([["R1", "U01", "3"], ["R2", "U02", "4"]])
    0
    """
    kinds: list[str] = []
    for row in reversed(tail[-FOOTER_SCAN:]):
        kind = _kind(row)
        if kind == "data":
            break
        kinds.append(kind)
    totals = [i for i, k in enumerate(kinds) if k == "total"]
    return totals[-1] + 1 if totals else 0
