"""The loaded dataset: the accepted rows of each table, the rejected rows with reasons, and an account.

:func:`kinerja_analysis.data.io.load_dataset` builds it; analyses take its tables and call
:meth:`Dataset.require` first, so that a missing table is reported in words, not as a ``KeyError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kinerja_analysis.common.errors import MissingTableError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data.columns import empty_header_map
from kinerja_analysis.data.schema import TABLE_ORDER, TABLES
from kinerja_analysis.data.validate import empty_rejected

__all__ = ["Dataset", "ACCOUNTING_COLUMNS"]

ACCOUNTING_COLUMNS = ("table", "file", "rows_read", "rows_accepted", "rows_rejected")
_TOP_REASONS = 15


def _empty_accounting() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str" if c in ("table", "file") else "int64") for c in ACCOUNTING_COLUMNS})


@dataclass(frozen=True, eq=False)  # frames do not compare to one truth value: identity equality
class Dataset:
    """The nine canonical tables as loaded and checked, each a DataFrame or None when not given.

    Attributes
    ----------
    unit_kerja, pegawai, kinerja, pelatihan, seleksi, layanan, survei, pengaduan, disiplin
        Accepted rows, typed as in :func:`kinerja_analysis.data.schema.pandera_schema`, or None.
    rejected
        One row per failed check: ``table``, ``file``, ``row`` (as a spreadsheet shows it, header = 1),
        ``column``, ``value`` (the cell as read), ``reason`` and ``check`` (the kind of check:
        ``type``, ``required``, ``range``, ``nip``, ``nip_agreement``, ``duplicate``, ``date_order``,
        ``regime``, ``status``, ``reference``, ``missing_column``, ``row_shape``, ``footer``: a
        total row after the data). A row that fails several checks appears once per check.
    accounting
        Per table and file: ``rows_read``, ``rows_accepted``, ``rows_rejected``; read = accepted +
        rejected always (a row rejected for several reasons counts once).
    header_map
        How each file's headers were read, one row per header: ``table``, ``file``, ``header_row``
        (the spreadsheet row(s) of the header, e.g. ``"5"`` or ``"5-6"``), ``header`` (the file's own),
        ``column`` (the canonical column it fills, missing if none), ``status`` (``matched``;
        ``extra``: kept as a text column; ``duplicate``: means a column another header already fills,
        kept as text; ``dropped``: a copy of another column, left out; ``missing``: a required column
        no header fills) and ``suggestion`` (for an extra header, the closest canonical column).
    source
        The path given to ``load_dataset``, as text.
    content_hash
        SHA-256 (hex) over the bytes of the files read, in order of their names.
    warnings
        What was read but deserves a look: files and sheets matching no table, sheets read as a
        table from their headers, empty sheets skipped, title rows above a header skipped, extra or
        repeated columns, encodings guessed, references not checked.
    notes
        How ambiguous values were read, one per column where a choice was made ("pegawai.tanggal_lahir:
        ..." day or month first, "seleksi.skor_kompetensi: decimal comma, thousands point"), so the choice
        is stated rather than silent.
    """

    unit_kerja: pd.DataFrame | None = None
    pegawai: pd.DataFrame | None = None
    kinerja: pd.DataFrame | None = None
    pelatihan: pd.DataFrame | None = None
    seleksi: pd.DataFrame | None = None
    layanan: pd.DataFrame | None = None
    survei: pd.DataFrame | None = None
    pengaduan: pd.DataFrame | None = None
    disiplin: pd.DataFrame | None = None
    rejected: pd.DataFrame = field(default_factory=empty_rejected, repr=False)
    accounting: pd.DataFrame = field(default_factory=_empty_accounting, repr=False)
    header_map: pd.DataFrame = field(default_factory=empty_header_map, repr=False)
    source: str = ""
    content_hash: str = ""
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        shapes = ", ".join(f"{name}={len(df)}" for name, df in self.tables.items())
        return f"Dataset(source={self.source!r}, {shapes or 'no tables'}, rejected={self.n_rejected})"

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables present, by name, in dependency order (unit_kerja, pegawai, ...)."""
        return {name: getattr(self, name) for name in TABLE_ORDER if getattr(self, name) is not None}

    @property
    def n_rejected(self) -> int:
        """Number of rows rejected (each row once, whatever the number of reasons)."""
        return int(self.accounting["rows_rejected"].sum())

    def rejected_counts(self) -> pd.DataFrame:
        """Rejected rows counted by table, column and kind of check, most frequent first.

        Shows what went wrong without showing any value (a rejected value may be a NIP), so it is
        safe to publish. A row rejected for two checks counts under each.

        Returns
        -------
        DataFrame
            ``table``, ``column``, ``check``, ``rows``.
        """
        rej = self.rejected
        counts = (
            rej.drop_duplicates(["table", "file", "row", "column", "check"])
            .groupby(["table", "column", "check"], sort=False, observed=True)
            .size()
            .rename("rows")
            .reset_index()
        )
        return counts.sort_values("rows", ascending=False, kind="stable").reset_index(drop=True)

    def require(self, *tables: str, analysis: str) -> None:
        """Raise :class:`~kinerja_analysis.common.errors.MissingTableError` unless every table is present with rows.

        >>> Dataset(source="data/raw").require("kinerja", analysis="distribusi predikat")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kinerja_analysis.common.errors.MissingTableError: distribusi predikat needs the table kinerja, ...
        """
        for t in tables:
            check_option("table", t, TABLE_ORDER)
        absent = [t for t in tables if getattr(self, t) is None]
        empty = [t for t in tables if t not in absent and len(getattr(self, t)) == 0]
        if not absent and not empty:
            return
        parts = []
        if absent:
            need = "; ".join(
                f"{t}.csv (one row per {TABLES[t].row}; columns {', '.join(TABLES[t].required)})" for t in absent
            )
            parts.append(
                f"{analysis} needs the table{'s' if len(absent) > 1 else ''} {', '.join(absent)}, "
                f"which the dataset from {self.source or '(no source)'!r} does not have. "
                f"Add a file named after the table to the folder (or a sheet of that name to the workbook): {need}."
            )
        if empty:
            parts.append(
                f"{analysis} needs rows in {', '.join(empty)}, but no row was accepted; "
                "see dataset.summary() for the reasons."
            )
        raise MissingTableError(" ".join(parts))

    def summary(self) -> str:
        """A readable report: what was read, accepted and rejected, the most frequent reasons with example rows."""
        acc = self.accounting
        read, rejected = int(acc["rows_read"].sum()), self.n_rejected
        lines = [
            f"Dataset from {self.source or '(no source)'}  (sha256 {self.content_hash[:16] or '-'})",
            f"{len(self.tables)} table(s), {len(acc)} file(s): {read:,} rows read, {read - rejected:,} accepted, "
            f"{rejected:,} rejected.",
            "",
        ]
        if len(acc):
            lines += [acc.to_string(index=False), ""]
        absent = [t for t in TABLE_ORDER if getattr(self, t) is None]
        if absent:
            lines += [f"Tables not given: {', '.join(absent)}.", ""]
        if rejected:
            lines += ["Rejected rows by reason (most frequent first):", *self._reason_lines(), ""]
        if self.warnings:
            lines += ["Warnings:", *(f"  - {w}" for w in self.warnings), ""]
        if self.notes:
            lines += ["How values were read:", *(f"  - {n}" for n in self.notes), ""]
        if not rejected:
            lines.append("No row was rejected.")
        return "\n".join(lines).rstrip() + "\n"

    def header_summary(self) -> str:
        """The header map as text: per table and file, each of your headers and the column it fills.

        >>> print(Dataset().header_summary(), end="")
        No table was recognised, so no header was read.
        """
        hm = self.header_map
        if len(hm) == 0:
            return "No table was recognised, so no header was read.\n"
        lines = ["Headers read (your header -> our column):"]
        for (table, file), g in hm.groupby(["table", "file"], sort=False):
            rows = g["header_row"].iloc[0]
            lines.append(f"  {table}: {file} (header on row{'s' if '-' in rows else ''} {rows})")
            width = max(len(str(h)) for h in g["header"].fillna("")) if len(g) else 0
            width = min(max(width, 10), 40)
            for h, col, status, hint in g[["header", "column", "status", "suggestion"]].itertuples(index=False):
                lines.append(f"    {_cell(h, '(none)'):<{width}} -> {_target(col, status, hint)}")
        return "\n".join(lines) + "\n"

    def _reason_lines(self) -> list[str]:
        rej = self.rejected
        groups = rej.groupby(["table", "column", "check"], sort=False, observed=True)
        counts = groups["row"].size().sort_values(ascending=False, kind="stable")
        out = []
        for (table, column, check), n in counts.head(_TOP_REASONS).items():
            g = rej[(rej["table"] == table) & (rej["column"] == column) & (rej["check"] == check)]
            first = g.iloc[0]
            examples = ", ".join(f"{f} row {r}" for f, r in zip(g["file"].head(3), g["row"].head(3), strict=True))
            out.append(f"  {table}.{column} [{check}]: {n:,} row(s), e.g. {examples}")
            out.append(f"      {first['reason']}")
        if len(counts) > _TOP_REASONS:
            out.append(f"  ... and {len(counts) - _TOP_REASONS} more kinds of reason: see dataset.rejected.")
        return out


def _cell(value: object, empty: str) -> str:
    return empty if not isinstance(value, str) or not value else value


def _target(column: object, status: str, hint: object) -> str:
    col, hint = _cell(column, ""), _cell(hint, "")
    if status == "matched":
        return col
    if status == "missing":
        return f"{col}  MISSING: required, no header fills it"
    if status == "dropped":
        return f"(left out: {col} again, {hint})"
    if status == "duplicate":
        return f"(kept as text: {col} is filled by another header)"
    return f"(not used, kept as text; closest: {hint}?)" if hint else "(not used, kept as text)"
