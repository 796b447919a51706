"""Load a user's exports (a folder, a file or a workbook) into a checked :class:`~.dataset.Dataset`.

The only module that reads the user's files. The flow: find the files and the table each holds
(:mod:`.readers` reads them as text), map the headers onto the canonical columns
(:func:`~kinerja_analysis.data.schema.match_headers`), type and check each table in dependency order
(:mod:`.validate`, :mod:`.rules`), and keep the accepted rows, the rejected rows with their reasons,
and an account per file in which every row read is either accepted or rejected.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import FileFormatError, KinerjaDataError, MissingColumnError, UnknownTableError
from kinerja_analysis.data.dataset import ACCOUNTING_COLUMNS, Dataset
from kinerja_analysis.data.readers import ACCEPTED, RawTable, file_kind, read_file
from kinerja_analysis.data.rules import apply_rules, check_references
from kinerja_analysis.data.schema import TABLE_ORDER, TABLES, match_headers, table_for_name
from kinerja_analysis.data.validate import Rejections, check_duplicates, empty_rejected, type_table

__all__ = ["load_dataset"]

_WHOLE_ROW = "(whole row)"


def load_dataset(path: str | os.PathLike[str], *, strict: bool = False) -> Dataset:
    """Read, type and check a dataset; rejected rows are reported with reasons, never dropped silently.

    Parameters
    ----------
    path
        A folder with one file per table, the table found from the file name (``pegawai.csv``,
        ``Data Pegawai 2024.xlsx``, ``skm_2023.csv``; several files of one table are stacked); a single
        file (the table from its name, else from the table whose columns its headers fit); or an XLSX
        workbook whose sheets are named after tables. CSV (comma, semicolon or tab; UTF-8, or
        Windows-1252 with a warning), XLSX and Parquet are read, every cell as text first.
    strict
        If True, raise instead of rejecting: :class:`~kinerja_analysis.common.errors.KinerjaDataError`
        with :meth:`Dataset.summary` as its message and the rejected rows as ``.rejected`` when any
        row is rejected, and :class:`~kinerja_analysis.common.errors.MissingColumnError` as soon as a file
        lacks a required column. If False (default), a file lacking a required column is kept in the
        account with all its rows rejected for that reason, and the message goes to ``warnings``.

    Returns
    -------
    Dataset
        Accepted rows per table (typed; optional columns that were not given are added as missing;
        extra columns are kept as text), ``rejected``, ``accounting``, ``source``, ``content_hash``,
        ``warnings``.

    Raises
    ------
    FileFormatError
        A file of the wrong type (``.docx``, ``.json``, a PDF renamed ``.csv``), an empty file, or a
        CSV whose header is not split by comma, semicolon or tab. These stop loading in either mode:
        no row of such a file can be read, so there is nothing to account for row by row.
    UnknownTableError
        A single file whose name and headers do not say which table it is.

    Notes
    -----
    Which checks run is described in :mod:`kinerja_analysis.data.validate` and :mod:`kinerja_analysis.data.rules`.
    All copies of a duplicated key are rejected. References (nip in pegawai, unit_id in unit_kerja)
    are checked against the accepted rows of the referenced table, and only when it is present.

    Examples
    --------
    The synthetic demo data loads without a rejection; its dirty copy does not:

    >>> from kinerja_analysis import paths
    >>> load_dataset(paths.demo_data_dir()).n_rejected
    0
    >>> dirty = load_dataset(paths.dirty_data_dir())
    >>> dirty.n_rejected > 0, {"nip", "duplicate", "reference"} <= set(dirty.rejected["check"])
    (True, True)
    """
    given = os.fspath(path)
    root = Path(given)
    warnings: list[str] = []
    if root.is_dir():
        sources = _folder_sources(root, warnings)
    elif root.is_file():
        sources = _file_sources(root, warnings)
    else:
        raise FileFormatError(f"{given}: no such file or folder.")
    by_table: dict[str, list[RawTable]] = {}
    for table, raw in sources:
        by_table.setdefault(table, []).append(raw)
    done: dict[str, tuple[pd.DataFrame, np.ndarray]] = {}
    accepted: dict[str, pd.DataFrame] = {}
    rejected_parts: list[pd.DataFrame] = []
    accounting_parts: list[pd.DataFrame] = []
    for table in TABLE_ORDER:
        if table in by_table:
            frame, rejected, accounting = _load_table(table, by_table[table], done, warnings, strict=strict)
            accepted[table] = frame
            rejected_parts.append(rejected)
            accounting_parts.append(accounting)
    rejected = pd.concat(rejected_parts, ignore_index=True) if rejected_parts else empty_rejected()
    accounting = pd.concat(accounting_parts, ignore_index=True) if accounting_parts else Dataset().accounting
    files = sorted({p for p in _paths(root, sources)})
    dataset = Dataset(
        **accepted,
        rejected=rejected,
        accounting=accounting,
        source=given,
        content_hash=_content_hash(files),
        warnings=tuple(warnings),
    )
    if strict and len(rejected):
        raise KinerjaDataError(dataset.summary(), rejected=rejected)
    return dataset


# --- Finding the tables ---------------------------------------------------------------------------


def _folder_sources(root: Path, warnings: list[str]) -> list[tuple[str, RawTable]]:
    sources: list[tuple[str, RawTable]] = []
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
        if file_kind(f) == "xlsx":
            got = _sheet_sources(f, read_file(f, label=f.name), warnings, guess=False)
            if not got:
                unmatched.append(f.name)
            sources += got
            continue
        table = table_for_name(f.stem)
        if table is None:
            unmatched.append(f.name)
            continue
        sources += [(table, raw) for raw in read_file(f, label=f.name)]
    if unmatched:
        warnings.append(
            f"not read, the name matches no table: {', '.join(unmatched)}. Name each file after its "
            f"table ({', '.join(TABLE_ORDER)}), e.g. pegawai.csv or kinerja_2023.xlsx."
        )
    if others:
        warnings.append(f"not read, not a data file: {', '.join(others)}.")
    if folders:
        warnings.append(f"subfolders are not read: {', '.join(folders)}.")
    return sources


def _file_sources(path: Path, warnings: list[str]) -> list[tuple[str, RawTable]]:
    raws = read_file(path, label=path.name)
    if file_kind(path) == "xlsx":
        return _sheet_sources(path, raws, warnings, guess=True)
    table = table_for_name(path.stem) or _guess_table(raws[0])
    return [(table, raws[0])]


def _sheet_sources(path: Path, raws: list[RawTable], warnings: list[str], *, guess: bool) -> list[tuple[str, RawTable]]:
    named = [(table_for_name(r.sheet or ""), r) for r in raws]
    if any(t for t, _ in named):
        skipped = [r.sheet for t, r in named if t is None]
        if skipped:
            warnings.append(
                f"{path.name}: sheets not read, their names match no table: {', '.join(map(str, skipped))}."
            )
        return [(t, r) for t, r in named if t]
    table = table_for_name(path.stem)
    if table is None and not guess:
        return []
    if table is not None:
        if len(raws) > 1:
            warnings.append(
                f"{path.name}: read the first sheet {raws[0].sheet!r} as {table}; other sheets not read: "
                f"{', '.join(str(r.sheet) for r in raws[1:])}."
            )
        return [(table, raws[0])]
    return [(_guess_table(r), r) for r in raws]


def _guess_table(raw: RawTable) -> str:
    """The one table whose required columns all appear among the headers, preferring the most matched."""
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
        return fits[0][1]
    found = ", ".join(headers) or "(none)"
    if fits:
        raise UnknownTableError(
            f"{raw.label}: its headers ({found}) fit several tables: "
            f"{', '.join(t for _, t in fits)}. Rename the file after its table, e.g. {fits[0][1]}.csv."
        )
    n_missing, _, best, missing = min(closest)
    raise UnknownTableError(
        f"{raw.label}: cannot tell which table this is: its name matches no table and its headers "
        f"({found}) fit none; closest is {best}, which also needs {', '.join(missing)}. "
        f"Rename the file after its table ({', '.join(TABLE_ORDER)}), e.g. pegawai.csv."
    )


def _paths(root: Path, sources: Iterable[tuple[str, RawTable]]) -> set[Path]:
    if root.is_file():
        return {root}
    return {root / raw.label.split("[", 1)[0] for _, raw in sources}


def _content_hash(files: list[Path]) -> str:
    total = hashlib.sha256()
    for f in files:
        one = hashlib.sha256()
        with f.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                one.update(chunk)
        total.update(one.digest())  # digests of fixed length keep file boundaries unambiguous
    return total.hexdigest()


# --- One table ------------------------------------------------------------------------------------


def _load_table(
    table: str, raws: list[RawTable], done: dict, warnings: list[str], *, strict: bool
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    labels = tuple(r.label for r in raws)
    usable: list[tuple[int, RawTable, pd.DataFrame]] = []
    unusable: list[tuple[RawTable, tuple[str, ...]]] = []
    for i, raw in enumerate(raws):
        warnings.extend(raw.warnings)
        frame, missing, message = _map_headers(table, raw, warnings)
        if missing:
            if strict:
                raise MissingColumnError(message)
            warnings.append(message + " All rows of this file are rejected.")
            unusable.append((raw, missing))
        else:
            usable.append((i, raw, frame))
    frame = _stack(table, [f for _, _, f in usable])
    files = np.concatenate([np.full(len(r.rows), i, dtype=np.int32) for i, r, _ in usable] or [np.zeros(0, np.int32)])
    rows = np.concatenate([r.rows for _, r, _ in usable] or [np.zeros(0, np.int64)])
    excel = np.concatenate([np.full(len(r.rows), r.excel) for _, r, _ in usable] or [np.zeros(0, bool)])
    rej = Rejections(table, labels, files, rows)
    for raw, missing in unusable:
        every = np.sort(np.concatenate([raw.rows, np.array([n for n, _ in raw.bad_rows], dtype=np.int64)]))
        for col in missing:
            rej.add_file(
                raw.label,
                every,
                column=col,
                check="missing_column",
                reason=f"required column {col} is missing from the file, so no row could be checked",
            )
    for _, raw, _ in usable:
        if raw.bad_rows:
            rej.add_file(
                raw.label,
                np.array([n for n, _ in raw.bad_rows], dtype=np.int64),
                column=_WHOLE_ROW,
                check="row_shape",
                reason=[why for _, why in raw.bad_rows],
            )
    typed, nips = type_table(table, frame, rej, excel=excel)
    apply_rules(table, typed, frame, nips, rej)
    check_duplicates(table, typed, rej)
    warnings.extend(check_references(table, typed, rej, done))
    done[table] = (typed, rej.any)
    accepted = typed.loc[~rej.any].reset_index(drop=True)
    rejected = rej.frame()
    return accepted, rejected, _account(table, raws, rejected)


def _map_headers(table: str, raw: RawTable, warnings: list[str]) -> tuple[pd.DataFrame, tuple[str, ...], str]:
    headers = [str(c) for c in raw.frame.columns]
    m = match_headers(table, headers)
    for text in m.duplicated:
        warnings.append(f"{raw.label}: {text}; the first is used, the other kept as an extra column.")
    if m.missing:
        hints = [f"{h!r} -> {c}" for h, c in m.suggestions.items() if c in m.missing]
        did_you_mean = f" Did you mean {', '.join(hints)}?" if hints else ""
        message = (
            f"{raw.label}: table {table} needs the column{'s' if len(m.missing) > 1 else ''} "
            f"{', '.join(m.missing)}, which {'are' if len(m.missing) > 1 else 'is'} not among the headers found "
            f"({', '.join(headers) or 'none'}).{did_you_mean} Rename the header or add the column."
        )
        return raw.frame, m.missing, message
    canonical = set(TABLES[table].names)
    mapping = {h: (f"{h} (extra)" if m.mapping[h] in canonical and h in m.extra else m.mapping[h]) for h in headers}
    if m.extra:
        hints = {h: c for h, c in m.suggestions.items()}
        shown = ", ".join(f"{h} (did you mean {hints[h]}?)" if h in hints else h for h in m.extra)
        warnings.append(f"{raw.label}: extra columns kept as text: {shown}.")
    return raw.frame.rename(columns=mapping), (), ""


def _stack(table: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in TABLES[table].names})
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    filled = [f.reindex(columns=columns).astype("str") for f in frames]
    return pd.concat(filled, ignore_index=True)


def _account(table: str, raws: list[RawTable], rejected: pd.DataFrame) -> pd.DataFrame:
    per_file = rejected.groupby("file")["row"].nunique() if len(rejected) else pd.Series(dtype="int64")
    rows = []
    for raw in raws:
        read = len(raw.rows) + len(raw.bad_rows)
        bad = int(per_file.get(raw.label, 0))
        rows.append((table, raw.label, read, read - bad, bad))
    out = pd.DataFrame(rows, columns=list(ACCOUNTING_COLUMNS))
    return out.astype(
        {"table": "str", "file": "str", "rows_read": "int64", "rows_accepted": "int64", "rows_rejected": "int64"}
    )
