"""Which file or sheet holds which table: by its name, else by its headers.

A folder gives one file per table, named after it (``pegawai.csv``, ``Data Pegawai 2024.xlsx``) or
not (``export_20241203.csv``, whose headers then say which table it is); a
workbook gives one sheet per table, named the office way ("Data Pegawai", "Rekap SKP 2024",
"DATA_LAYANAN") or not at all ("Sheet1", "Lembar1"), in which case its headers say which table it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from kinerja_analysis.common.errors import FileFormatError, UnknownTableError
from kinerja_analysis.data.raw import RawTable
from kinerja_analysis.data.readers import ACCEPTED, file_kind, read_tables
from kinerja_analysis.data.schema import TABLE_ORDER, match_headers, table_for_name

__all__ = ["Source", "Guess", "folder_sources", "file_sources", "guess_table"]

Source = tuple[str, RawTable]
_TABLES = ", ".join(TABLE_ORDER)


def folder_sources(root: Path, warnings: list[str], *, footers: bool) -> list[Source]:
    """The tables of every data file in ``root`` whose name (in a workbook: sheet), else headers, say its table."""
    sources: list[Source] = []
    unmatched, others, folders = [], [], []
    for f in sorted(root.iterdir(), key=lambda p: p.name):
        if f.name.startswith((".", "~$")):  # hidden files and Excel's lock files
            continue
        if f.is_dir():
            folders.append(f.name + "/")
            continue
        if file_kind(f) is None:
            others.append(f.name)
            if table_for_name(f.stem):
                warnings.append(
                    f"{f.name} looks like table {table_for_name(f.stem)} but is not read: export it as {ACCEPTED}."
                )
            continue
        if file_kind(f) == "xlsx":  # a workbook's sheets not read are named in a warning of their own
            sources += _sheet_sources(f, warnings, footers=footers, single=False)
            continue
        table = table_for_name(f.stem)
        if table is None:  # "export_20241203.csv": its headers may still say which table it is
            try:
                raws, notes = read_tables(f, label=f.name, footers=footers)
            except FileFormatError as err:  # a file that may not be ours must not stop the others
                unmatched.append(f"{f.name} (cannot be read: {err})")
                continue
            warnings.extend(notes)
            guess = guess_table(raws[0])
            if guess.table is None:
                unmatched.append(f"{f.name} ({guess.hint})")
                continue
            table = guess.table
            warnings.append(f"{f.name}: read as table {table}: the file's name says no table, its headers do.")
        else:
            raws, notes = read_tables(f, label=f.name, footers=footers)
            warnings.extend(notes)
        sources += [(table, raw) for raw in raws]
    if unmatched:
        warnings.append(
            f"not read, neither the name nor the headers say which table: {'; '.join(unmatched)}. Name each "
            f"file after its table ({_TABLES}), e.g. pegawai.csv or kinerja_2023.xlsx."
        )
    if others:
        warnings.append(f"not read, not a data file: {', '.join(others)}.")
    if folders:
        warnings.append(f"subfolders are not read: {', '.join(folders)}.")
    return sources


def file_sources(path: Path, warnings: list[str], *, footers: bool) -> list[Source]:
    """The tables of one file: from its name, else its headers; raise when neither says."""
    if file_kind(path) == "xlsx":
        return _sheet_sources(path, warnings, footers=footers, single=True)
    raws, notes = read_tables(path, label=path.name, footers=footers)
    warnings.extend(notes)
    table = table_for_name(path.stem) or guess_table(raws[0]).table
    if table is None:
        raise UnknownTableError(guess_table(raws[0]).message)
    return [(table, raws[0])]


def _sheet_sources(path: Path, warnings: list[str], *, footers: bool, single: bool) -> list[Source]:
    """Each sheet's table from its name, else its headers; the workbook's own name for a sheet left over."""
    raws, notes = read_tables(path, label=path.name, footers=footers)
    warnings.extend(notes)
    found: list[Source] = []
    left: list[tuple[RawTable, Guess]] = []
    stem = table_for_name(path.stem)
    for raw in raws:
        table = table_for_name(raw.sheet or "")
        if table is None:
            guess = guess_table(raw)
            table = guess.table
            if table is None:
                left.append((raw, guess))
                continue
            if table != stem:
                warnings.append(f"{raw.label}: read as table {table}: the sheet's name says no table, its headers do.")
        found.append((table, raw))
    if stem is not None and left and stem not in {t for t, _ in found}:
        # "Data Pegawai.xlsx" with one sheet "Sheet1": the workbook's name says the table.
        raw, _ = left.pop(0)
        found.insert(0, (stem, raw))
        if len(raws) > 1:
            warnings.append(f"{path.name}: sheet {raw.sheet!r} read as {stem}, the table the workbook is named after.")
    if left and single and not found:
        raise UnknownTableError(" ".join(guess.message for _, guess in left))
    if left:
        names = ", ".join(str(raw.sheet) for raw, _ in left)
        hints = "; ".join(f"{raw.sheet}: {guess.hint}" for raw, guess in left)
        warnings.append(
            f"{path.name}: sheets not read, their names match no table: {names}; nor do their headers fit "
            f"one table ({hints}). Name each sheet after its table ({_TABLES}), e.g. 'Data Pegawai' or "
            "'kinerja 2023', or give it the table's headers."
        )
    return found


class Guess(NamedTuple):
    """The table a sheet's headers fit, or None with the error ``message`` and a short ``hint`` why."""

    table: str | None
    message: str = ""
    hint: str = ""


def guess_table(raw: RawTable) -> Guess:
    """The one table whose required columns all appear among the headers, preferring the most matched.

    When no table or several fit equally, the message names the closest table and the columns it
    lacks, or the tables that fit.
    """
    headers = [str(c) for c in raw.frame.columns]
    fits = []
    closest = []
    for table in TABLE_ORDER:
        m = match_headers(table, headers)
        matched = len(headers) - len(m.extra)
        closest.append((len(m.missing), -matched, table, m.missing))
        if not m.missing:
            fits.append((matched, table))
    fits.sort(reverse=True)
    if len(fits) == 1 or (len(fits) > 1 and fits[0][0] > fits[1][0]):
        return Guess(fits[0][1])
    found = ", ".join(headers) or "(none)"
    if fits:
        several = ", ".join(t for _, t in fits)
        return Guess(
            None,
            f"{raw.label}: its headers ({found}) fit several tables: {several}. "
            f"Rename the file after its table, e.g. {fits[0][1]}.csv.",
            f"they fit several tables: {several}",
        )
    _, _, best, missing = min(closest)
    hint = f"closest is {best}, which also needs {', '.join(missing)}"
    return Guess(
        None,
        f"{raw.label}: cannot tell which table this is: its name matches no table and its headers "
        f"({found}) fit none; {hint}. Rename the file after its table ({_TABLES}), e.g. pegawai.csv.",
        hint,
    )
