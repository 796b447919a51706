"""Load a user's exports (a folder, a file or a workbook) into a checked :class:`~.dataset.Dataset`.

The entry point of reading a user's files. The flow: find the files and sheets and the table each
holds (:mod:`.sources`; :mod:`.readers` and :mod:`.sheets` read them as text, finding the header
below any title rows and setting total rows apart, :mod:`.layout`), map the headers onto the canonical
columns (:mod:`.columns`, through :func:`~kinerja_analysis.data.schema.match_headers`), type and check
each table in dependency order (:mod:`.validate`, :mod:`.rules`), and keep the accepted rows, the
rejected rows with their reasons, the header map, and an account per file in which every row read is
either accepted or rejected.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import FileFormatError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data.columns import DUPLICATE_COLUMNS, DuplicateColumns, empty_header_map, map_headers
from kinerja_analysis.data.dataset import ACCOUNTING_COLUMNS, Dataset
from kinerja_analysis.data.layout import FOOTER_REASON
from kinerja_analysis.data.raw import RawTable, rows_phrase
from kinerja_analysis.data.rules import apply_rules, check_references
from kinerja_analysis.data.schema import TABLE_ORDER, TABLES
from kinerja_analysis.data.sources import Source, file_sources, folder_sources
from kinerja_analysis.data.validate import REJECTED_COLUMNS, Rejections, check_duplicates, empty_rejected, type_table

__all__ = ["load_dataset", "FOOTERS"]

_WHOLE_ROW = "(whole row)"
FOOTERS = ("reject", "skip", "keep")
Footers = Literal["reject", "skip", "keep"]


def load_dataset(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    footers: Footers = "reject",
    duplicate_columns: DuplicateColumns = "error",
    day_first: bool | None = True,
) -> Dataset:
    """Read, type and check a dataset; rejected rows are reported with reasons, never dropped silently.

    Parameters
    ----------
    path
        A folder with one file per table, the table found from the file name (``pegawai.csv``,
        ``Data Pegawai 2024.xlsx``, ``skm_2023.csv``), else from its headers (``export_20241203.csv``,
        with a warning); several files of one table are stacked; a single
        file (the table from its name, else from the table whose columns its headers fit); or an XLSX
        workbook with a sheet per table, each found from the sheet's name ("Data Pegawai", "Rekap SKP
        2024"), else from its headers ("Sheet1"). CSV (comma, semicolon or tab; UTF-8, UTF-16, or
        Windows-1252 with a warning), XLSX and Parquet are read, every cell as text first. The header
        row is found among the first rows by its content, so title rows above it are skipped (with a
        warning naming them), and a two-row header ("Tanggal" over "Lahir") is joined.
    strict
        If True, raise instead of rejecting: :class:`~kinerja_analysis.common.errors.KinerjaDataError`
        with :meth:`Dataset.summary` as its message and the rejected rows as ``.rejected`` when any
        row is rejected, and :class:`~kinerja_analysis.common.errors.MissingColumnError` as soon as a file
        lacks a required column. If False (default), a file lacking a required column is kept in the
        account with all its rows rejected for that reason, and the message goes to ``warnings``.
    footers
        What to do with a total or footer row after the data ("JUMLAH", "TOTAL PEGAWAI", "Jumlah
        Responden", or a text label followed only by numbers, and note lines below it): ``"reject"``
        (default) lists it as a rejected row (check ``footer``, reason "total/footer row, not data"),
        so that it counts as read and is never lost from view; ``"skip"`` leaves it out with a warning
        naming its rows (it is then not counted as read, like title rows); ``"keep"`` reads it as data.
        With ``strict=True``, ``"reject"`` makes a footer fail the load: use ``"skip"`` there.
    duplicate_columns
        Two columns naming the same canonical column ("NIP" twice, or "NIP Baru" and "NIP"):
        ``"error"`` (default) drops a copy that holds the same values or none, with a warning, and
        raises :class:`~kinerja_analysis.common.errors.FileFormatError` naming both headers when they
        differ; ``"first"`` uses the first and keeps the others as extra text columns.
    day_first
        How a numeric date such as 03/05/2024 is read when its column does not settle it: ``True``
        (default; Indonesian exports write day/month/year), ``False`` (month first), or ``None`` (the
        column's own evidence decides; with none, such dates are rejected). A column whose dates prove
        the other order has the contradicting rows rejected with the reason. The choice made for each
        column is in ``notes``.

    Returns
    -------
    Dataset
        Accepted rows per table (typed; optional columns that were not given are added as missing;
        extra columns are kept as text), ``rejected``, ``accounting``, ``header_map``, ``source``,
        ``content_hash``, ``warnings``, ``notes``.

    Raises
    ------
    FileFormatError
        A file of the wrong type (``.docx``, ``.json``, a PDF renamed ``.csv``), an empty, damaged or
        truncated file, a CSV whose header is not split by comma, semicolon or tab, or two columns
        meaning the same canonical column with different values. These stop loading in either mode:
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
    check_option("footers", footers, FOOTERS)
    check_option("duplicate_columns", duplicate_columns, DUPLICATE_COLUMNS)
    given = os.fspath(path)
    root = Path(given)
    warnings: list[str] = []
    notes: list[str] = []
    detect = footers != "keep"
    if root.is_dir():
        sources = folder_sources(root, warnings, footers=detect)
    elif root.is_file():
        sources = file_sources(root, warnings, footers=detect)
    else:
        raise FileFormatError(f"{given}: no such file or folder.")
    # The files' hash is taken on the second core while the tables are typed and checked (mostly one core).
    hashing = ThreadPoolExecutor(max_workers=1)
    content_hash = hashing.submit(_content_hash, sorted(_paths(root, sources)))
    hashing.shutdown(wait=False)
    by_table: dict[str, list[RawTable]] = {}
    for table, raw in sources:
        by_table.setdefault(table, []).append(raw)
    done: dict[str, tuple[pd.DataFrame, np.ndarray]] = {}
    accepted: dict[str, pd.DataFrame] = {}
    parts: dict[str, list[pd.DataFrame]] = {"rejected": [], "accounting": [], "header_map": []}
    for table in TABLE_ORDER:
        if table in by_table:
            loaded = _load_table(
                table, by_table[table], done, warnings, notes, strict=strict, footers=footers,
                duplicates=duplicate_columns, day_first=day_first,
            )  # fmt: skip
            accepted[table] = loaded[0]
            for key, part in zip(parts, loaded[1:], strict=True):
                parts[key].append(part)
    rejected = pd.concat(parts["rejected"], ignore_index=True) if parts["rejected"] else empty_rejected()
    accounting = pd.concat(parts["accounting"], ignore_index=True) if parts["accounting"] else Dataset().accounting
    header_map = pd.concat(parts["header_map"], ignore_index=True) if parts["header_map"] else empty_header_map()
    dataset = Dataset(
        **accepted,
        rejected=rejected,
        accounting=accounting,
        header_map=header_map,
        source=given,
        content_hash=content_hash.result(),
        warnings=tuple(warnings),
        notes=tuple(notes),
    )
    if strict and len(rejected):
        raise KinerjaDataError(dataset.summary(), rejected=rejected)
    return dataset


def _paths(root: Path, sources: Iterable[Source]) -> set[Path]:
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
    table: str,
    raws: list[RawTable],
    done: dict,
    warnings: list[str],
    notes: list[str],
    *,
    strict: bool,
    footers: str,
    duplicates: str,
    day_first: bool | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    labels = tuple(r.label for r in raws)
    usable: list[tuple[int, RawTable, pd.DataFrame]] = []
    unusable: list[tuple[RawTable, tuple[str, ...]]] = []
    header_maps = []
    for i, raw in enumerate(raws):
        warnings.extend(raw.warnings)
        mapped = map_headers(table, raw, warnings, duplicate_columns=duplicates)
        header_maps.append(mapped.header_map)
        if mapped.missing:
            if strict:
                raise MissingColumnError(mapped.message)
            warnings.append(mapped.message + " All rows of this file are rejected.")
            unusable.append((raw, mapped.missing))
        else:
            usable.append((i, raw, mapped.frame))
        if raw.footer_rows and footers == "skip":
            shown = ", ".join(sorted({repr(text) for _, text in raw.footer_rows if text})[:3])
            warnings.append(
                f"{raw.label}: {rows_phrase([r for r, _ in raw.footer_rows])} after the data: total/footer "
                f"({shown}), not data; not loaded (footers='skip')."
            )
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
    typed, nips = type_table(table, frame, rej, excel=excel, day_first=day_first)
    notes.extend(rej.notes)
    apply_rules(table, typed, frame, nips, rej)
    check_duplicates(table, typed, rej)
    warnings.extend(check_references(table, typed, rej, done))
    done[table] = (typed, rej.any)
    accepted = typed.loc[~rej.any].reset_index(drop=True) if rej.any.any() else typed
    rejected = rej.frame()
    if footers == "reject":
        rejected = _with_footers(table, raws, rejected)
    header_map = pd.concat(header_maps, ignore_index=True) if header_maps else empty_header_map()
    return accepted, rejected, _account(table, raws, rejected, footers), header_map


def _with_footers(table: str, raws: list[RawTable], rejected: pd.DataFrame) -> pd.DataFrame:
    """Add one rejected row per total/footer row (``check`` ``footer``), the first cell as its value."""
    found = [(raw.label, row, text) for raw in raws for row, text in raw.footer_rows]
    if not found:
        return rejected
    footer = pd.DataFrame(
        {
            "table": table,
            "file": [f for f, _, _ in found],
            "row": np.array([r for _, r, _ in found], dtype=np.int64),
            "column": _WHOLE_ROW,
            "value": pd.array([t or None for _, _, t in found], dtype="str"),
            "reason": FOOTER_REASON,
            "check": "footer",
        }
    )
    out = pd.concat([rejected, footer[list(REJECTED_COLUMNS)]], ignore_index=True)
    order = np.lexsort((out["row"].to_numpy(), out["file"].to_numpy(dtype=str)))
    return out.iloc[order].reset_index(drop=True).astype(rejected.dtypes.to_dict())


def _stack(table: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in TABLES[table].names})
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    filled = [f.reindex(columns=columns).astype("str") for f in frames]
    return pd.concat(filled, ignore_index=True)


def _account(table: str, raws: list[RawTable], rejected: pd.DataFrame, footers: str) -> pd.DataFrame:
    per_file = rejected.groupby("file")["row"].nunique() if len(rejected) else pd.Series(dtype="int64")
    rows = []
    for raw in raws:
        read = len(raw.rows) + len(raw.bad_rows) + (len(raw.footer_rows) if footers == "reject" else 0)
        bad = int(per_file.get(raw.label, 0))
        rows.append((table, raw.label, read, read - bad, bad))
    out = pd.DataFrame(rows, columns=list(ACCOUNTING_COLUMNS))
    return out.astype(
        {"table": "str", "file": "str", "rows_read": "int64", "rows_accepted": "int64", "rows_rejected": "int64"}
    )
