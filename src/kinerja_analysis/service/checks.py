"""Checks of the ``layanan`` table before and during the count: columns, types and unusable rows.

The column and type checks run before the scan. Row problems (missing or inverted dates, unknown status,
a negative standard, ...) are found inside the scan itself (:mod:`kinerja_analysis.service.cases` gives such a
row the outcome code ``BAD``); only when one is found does :func:`report_problems` count them and name the
first rows by ``berkas_id``, so a clean national table is read once.

Each problem is stated once, in two renderings of the same rule: a SQL condition on the ``rows`` CTE (DuckDB
scan) and a numpy flag on :class:`RowArrays` (the Parquet batch scan of
:mod:`kinerja_analysis.service.cases_parquet`). Both scans report through :func:`report_problems`, so the
messages are the same whichever route counted the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import duckdb
import numpy as np

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.data import schema

__all__ = ["BAD", "STATUS_CODE", "DERIVED_KEYS", "NO_START", "NO_END", "RowArrays", "Problem", "quote",
           "check_columns", "problems", "rows_cte", "report_problems"]  # fmt: skip

DERIVED_KEYS: dict[str, str] = {
    "bulan": "CAST(date_trunc('month', _start) AS DATE)",
    "tahun": "CAST(year(_start) AS INTEGER)",
}
"""Grouping keys derived from ``tanggal_masuk``: the month (first day, returned as a pandas Period) and year."""

_TYPES = {
    "tanggal_masuk": ("DATE", "TIMESTAMP"),
    "tanggal_selesai": ("DATE", "TIMESTAMP"),
    "standar_hari": ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"),
    "jumlah_revisi": ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"),
    "dikembalikan": ("BOOLEAN",),
    "status": ("VARCHAR", "ENUM"),
}
_HOW_TO_TYPE = {
    "tanggal_masuk": "dates (datetime64); load the table with io.load_dataset or convert with pd.to_datetime",
    "tanggal_selesai": "dates (datetime64), empty while open; load with io.load_dataset or convert with pd.to_datetime",
    "standar_hari": "whole working days (Int64)",
    "jumlah_revisi": "whole numbers (Int64)",
    "dikembalikan": "booleans (True/False)",
    "status": "text or categories (selesai, ditolak, dicabut, proses)",
}


def quote(name: str) -> str:
    """A SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def check_columns(rel: duckdb.DuckDBPyRelation, keys: tuple[str, ...], needs: set[str], what: str) -> None:
    """Refuse unknown ``by`` columns, missing required columns and columns of the wrong type, naming them."""
    columns = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
    unknown = [k for k in keys if k not in columns and k not in DERIVED_KEYS]
    if unknown:
        raise MissingColumnError(
            f"by names column(s) {unknown} that table layanan does not have; use columns of layanan "
            f"({', '.join(columns)}) or the derived {', '.join(DERIVED_KEYS)} (from tanggal_masuk)."
        )
    required = ["berkas_id", "tanggal_masuk", "tanggal_selesai", "status"]
    required += [c for c, need in (("standar_hari", "standard"), ("dikembalikan", "returns"),
                                   ("jumlah_revisi", "revisions")) if need in needs]  # fmt: skip
    missing = [c for c in required if c not in columns]
    if missing:
        raise MissingColumnError(
            f"table layanan lacks column(s) {missing}, needed for {what}; see schema.TABLES['layanan'] "
            "(tanggal_selesai is needed even when no case is open)."
        )
    for col in required[1:]:
        kind = columns[col].split("(")[0]
        if not kind.startswith(_TYPES[col]):
            raise KinerjaDataError(f"layanan.{col} has type {columns[col]}; it must hold {_HOW_TO_TYPE[col]}.")


BAD = 9  # outcome code of a row with a problem; any such row stops the count with an error
STATUS_CODE = (
    "CASE CAST(status AS VARCHAR) WHEN 'selesai' THEN 0 WHEN 'ditolak' THEN 1 WHEN 'dicabut' THEN 2 "
    "WHEN 'proses' THEN 3 END"
)


NO_START, NO_END = np.iinfo(np.int32).min, np.iinfo(np.int32).max
"""Day numbers standing for a missing tanggal_masuk / tanggal_selesai in :class:`RowArrays`."""


@dataclass(frozen=True)
class RowArrays:
    """One batch of rows as numpy arrays, missing values as sentinels, for the numpy form of the checks.

    ``start`` and ``end`` are day numbers (:data:`NO_START`, :data:`NO_END` when missing), ``code`` the status
    code of :data:`STATUS_CODE` (-1 when missing or unknown), ``standard``, ``returned`` (0/1) and ``revisions``
    -1 when missing (None when not read).
    """

    start: np.ndarray
    end: np.ndarray
    code: np.ndarray
    standard: np.ndarray | None = None
    returned: np.ndarray | None = None
    revisions: np.ndarray | None = None


class Problem(NamedTuple):
    """A condition that makes a row unusable: SQL on the ``rows`` CTE, the same rule in numpy, and the message."""

    cond: str
    what: str
    todo: str
    flag: Callable[[RowArrays], np.ndarray]


def problems(needs: set[str]) -> list[Problem]:
    """Conditions that make a row unusable, on the columns of the ``rows`` CTE (and on :class:`RowArrays`)."""
    out = [
        Problem("_start IS NULL", "no tanggal_masuk", "complete or remove them", lambda r: r.start == NO_START),
        # A missing date is a sentinel that never compares "before" (NO_END is the largest, NO_START the smallest).
        Problem("_sel < _start", "tanggal_selesai before tanggal_masuk", "correct the dates",
                lambda r: r.end < r.start),
        Problem("_code IS NULL", f"status outside {list(schema.STATUS_LAYANAN)}",
                "load the table with io.load_dataset, which maps common spellings", lambda r: r.code < 0),
        Problem("_code = 3 AND _sel IS NOT NULL", "status 'proses' with a tanggal_selesai",
                "a case is open exactly when tanggal_selesai is empty", lambda r: (r.code == 3) & (r.end != NO_END)),
        Problem("_code < 3 AND _sel IS NULL", "closed (selesai, ditolak, dicabut) without tanggal_selesai",
                "add the date or set status 'proses'", lambda r: (r.code.view(np.uint8) < 3) & (r.end == NO_END)),
    ]  # fmt: skip
    if "standard" in needs:
        out.append(Problem("standar_hari IS NULL OR standar_hari < 0", "missing or negative standar_hari",
                           "the service standard is 0 (same day) or more working days",
                           lambda r: r.standard < 0))  # fmt: skip
    if "returns" in needs:
        out.append(Problem("dikembalikan IS NULL", "missing dikembalikan",
                           "record whether the file was returned (True/False)", lambda r: r.returned < 0))  # fmt: skip
    if "revisions" in needs:
        out.append(Problem("jumlah_revisi IS NULL OR jumlah_revisi < 0", "missing or negative jumlah_revisi",
                           "record the number of revisions (0 or more)", lambda r: r.revisions < 0))  # fmt: skip
    return out


def rows_cte(columns: list[str]) -> str:
    """The rows as the checks and the count see them: dates as DATE, status as a code (NULL if unknown)."""
    cols = "".join(f"{quote(c)}, " for c in columns)
    return (
        f"rows AS (SELECT {cols}tanggal_masuk::DATE AS _start, tanggal_selesai::DATE AS _sel, "
        f"{STATUS_CODE} AS _code FROM layanan)"
    )


def report_problems(rel: duckdb.DuckDBPyRelation, problems: list[Problem]) -> None:
    """Raise naming the rows behind each problem (runs only when the count found a bad row)."""
    columns = [c for c in ("standar_hari", "dikembalikan", "jumlah_revisi") if any(c in p[0] for p in problems)]
    base = f"WITH {rows_cte(['berkas_id', *columns])} "
    counts = rel.query(
        "layanan",
        base + "SELECT " + ", ".join(f"count(*) FILTER (WHERE {p.cond})" for p in problems) + " FROM rows",
    ).fetchall()[0]
    messages = []
    for (cond, what, todo, _), count in zip(problems, counts, strict=True):
        if count:
            found = rel.query("layanan", base + f"SELECT berkas_id FROM rows WHERE {cond} LIMIT 5").fetchall()
            ids = ", ".join(str(r[0]) for r in found)
            more = f" and {count - len(found)} more" if count > len(found) else ""
            messages.append(f"{count} row(s) (berkas_id {ids}{more}): {what}; {todo}")
    raise KinerjaDataError("table layanan: " + "; ".join(messages) + ".")
