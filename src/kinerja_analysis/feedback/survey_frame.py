"""Shared plumbing of the feedback analyses: checking a survey table and scanning it with DuckDB.

Every survey function takes the ``survei`` table as a pandas DataFrame, a DuckDB relation (for
example ``duckdb.read_parquet(path)``, as :mod:`kinerja_analysis.service.kpi` does) or the path of a
Parquet file or folder of Parquet files (opened with ``duckdb.read_parquet``), checks it here the same
way, and lets DuckDB do the row-level scan and grouping (DESIGN.md section 5); statistics are then
computed on the small per-group aggregates. For a path, :func:`aggregate_items` sums with pyarrow and
numpy instead (:mod:`kinerja_analysis.feedback.survey_parquet`), about twice as fast as the relation on
national files; the checks, keys and results are the same.

Rule for blanks, used by every analysis of the items: a response with any blank item is left out
entirely (complete responses only) and counted in ``n_incomplete``. This keeps the published index
equal to the mean of the per-respondent indices, so its interval belongs to exactly that figure.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeAlias

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.feedback.group_keys import Key
from kinerja_analysis.feedback.rules import REGIME_ITEMS, Regime
from kinerja_analysis.feedback.survey_parquet import parquet_files, parquet_rows, parquet_sums

__all__ = [
    "SurveiInput",
    "PERIODS",
    "Scan",
    "as_by",
    "quote",
    "registered",
    "as_relation",
    "survey_scan",
    "group_exprs",
    "restore_key_dtypes",
    "aggregate_items",
]

SurveiInput: TypeAlias = pd.DataFrame | duckdb.DuckDBPyRelation | str | os.PathLike
"""A ``survei`` table: a pandas frame, a DuckDB relation (e.g. ``duckdb.read_parquet(path)``), or the path of a
Parquet file or of a folder of Parquet files (``*.parquet``, subfolders included)."""

PERIODS = {
    "tahun": "CAST(year({d}) AS BIGINT)",
    "semester": "printf('%d-S%d', year({d}), CASE WHEN month({d}) <= 6 THEN 1 ELSE 2 END)",
    "triwulan": "date_trunc('quarter', {d})",
    "bulan": "date_trunc('month', {d})",
}
"""Period keys a caller may group by without having the column, derived from the date column:
``tahun`` an integer year, ``semester`` text like '2024-S1', ``triwulan`` and ``bulan`` pandas Periods
(quarterly, monthly), as :mod:`kinerja_analysis.service.kpi` returns ``bulan``."""

_PERIOD_FREQ = {"triwulan": "Q", "bulan": "M"}
_OLD_ITEMS = REGIME_ITEMS["kepmenpan_25_2004"][9:]
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
            "FLOAT", "DOUBLE", "DECIMAL")  # fmt: skip


def as_by(by: str | Sequence[str] | None) -> tuple[str, ...]:
    """Grouping columns as a tuple (None means one group: the whole table)."""
    if by is None:
        return ()
    if isinstance(by, str):
        return (by,)
    out = tuple(by)
    if not all(isinstance(c, str) for c in out) or len(set(out)) != len(out):
        raise KinerjaDataError(f"by={by!r}: give column names, each once.")
    return out


def quote(name: str) -> str:
    """A DuckDB identifier for a column name."""
    return '"' + str(name).replace('"', '""') + '"'


@contextmanager
def registered(frames: dict[str, pd.DataFrame]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A private in-memory DuckDB connection with ``frames`` registered under their names.

    Registering explicitly (not DuckDB's lookup of local variables) keeps library code independent of
    the caller's namespace; DuckDB reads the frames in place and never modifies them.
    """
    con = duckdb.connect()
    try:
        for name, frame in frames.items():
            con.register(name, frame)
        yield con
    finally:
        con.close()


def _rows(frame: pd.DataFrame | None, mask_sql: str, mask: pd.Series | None) -> str:
    """A few offending rows for an error message: index labels of a frame, else how to find them."""
    if frame is not None and mask is not None:
        return "rows with index " + ", ".join(map(str, frame.index[mask.to_numpy(dtype=bool)][:5]))
    return "a relation has no row labels; find the rows with WHERE " + mask_sql


@dataclass(frozen=True)
class Scan:
    """A survey table whose columns fit the regime, ready for queries that name it ``survei``."""

    rel: duckdb.DuckDBPyRelation
    frame: pd.DataFrame | None
    columns: dict[str, str]
    items: tuple[str, ...]
    regime: Regime
    table: str = "survei"
    has_blanks: bool = False
    files: tuple[str, ...] = ()  # the Parquet files, when the table was given as a path

    def df(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` (which reads the table as ``survei``) and return a pandas frame."""
        return self.rel.query("survei", sql).df()

    def _old(self) -> list[str]:
        return [c for c in _OLD_ITEMS if c in self.columns] if self.regime == "permenpanrb_14_2017" else []

    def _nine_only(self) -> str:
        return (
            " AND ".join(f"{quote(c)} IS NULL" for c in _OLD_ITEMS)
            + " AND ("
            + " OR ".join(f"{quote(c)} IS NOT NULL" for c in self.items[:9])
            + ")"
        )

    def validate(self) -> bool:
        """Check the answers with one ungrouped pass; return whether any answer is blank.

        Per item only min, max and count (DuckDB answers these from Parquet statistics, and scans a frame's
        narrow columns quickly), plus fractions for float columns and the regime's row checks. Only when
        something is out of place does :meth:`check_rows` look for the rows to name.
        """
        parts = ["count(*)"]
        for c in self.items:
            parts += [f"min({quote(c)})", f"max({quote(c)})", f"count({quote(c)})"]
        fractional = [c for c in self.items if self.columns[c].upper().startswith(("FLOAT", "DOUBLE", "DECIMAL"))]
        flags = []
        if fractional:
            flags.append(
                "count(*) FILTER (WHERE " + " OR ".join(f"{quote(c)} <> floor({quote(c)})" for c in fractional) + ")"
            )
        flags += [f"count({quote(c)})" for c in self._old()]
        if self.regime == "kepmenpan_25_2004":
            flags.append(f"count(*) FILTER (WHERE {self._nine_only()})")
        found = self.rel.query("survei", f"SELECT {', '.join(parts + flags)} FROM survei").fetchall()[0]
        n_rows, per_item, extra = found[0], found[1 : 1 + 3 * len(self.items)], found[1 + 3 * len(self.items) :]
        lows, highs, counts = per_item[0::3], per_item[1::3], per_item[2::3]
        out_of_range = any(v is not None and v < 1 for v in lows) or any(v is not None and v > 4 for v in highs)
        if out_of_range or any(extra):
            self.check_rows()
        return any(count < n_rows for count in counts)

    def check_rows(self) -> None:
        """Raise naming the rows if an answer is not 1-4, or if the rows do not fit the regime."""
        table, items, frame = self.table, self.items, self.frame
        checks = [f"count(*) FILTER (WHERE {quote(c)} NOT IN (1, 2, 3, 4))" for c in items]
        old = self._old()
        if old:
            checks.append("count(*) FILTER (WHERE " + " OR ".join(f"{quote(c)} IS NOT NULL" for c in old) + ")")
        if self.regime == "kepmenpan_25_2004":
            checks.append(f"count(*) FILTER (WHERE {self._nine_only()})")
        found = self.rel.query("survei", f"SELECT {', '.join(checks)} FROM survei").fetchall()[0]
        bad, extra = found[: len(items)], found[len(items) :]
        if old and extra[0]:
            raise KinerjaDataError(
                f"{table}: columns {', '.join(old)} hold answers, so this is the 14-item questionnaire of KepMenPAN "
                "25/2004, not the nine items of PermenPANRB 14/2017. Its index is a different measurement: choose "
                "regime='kepmenpan_25_2004' (with its cutoffs) explicitly, and never put the two in one trend."
            )
        if self.regime == "kepmenpan_25_2004" and extra[0]:
            mask = None
            if frame is not None:
                mask = frame[list(_OLD_ITEMS)].isna().all(axis=1) & frame[list(items[:9])].notna().any(axis=1)
            raise KinerjaDataError(
                f"{table}: {int(extra[0])} row(s) ({_rows(frame, self._nine_only(), mask)}) answer u1..u9 but none "
                "of u10..u14: nine-item (PermenPANRB 14/2017) responses are mixed with 14-item (KepMenPAN 25/2004) "
                "ones. Split the table by questionnaire and analyse each under its own regime."
            )
        for c, count in zip(items, bad, strict=True):
            if count:
                values = self.rel.query(
                    "survei", f"SELECT DISTINCT {quote(c)} FROM survei WHERE {quote(c)} NOT IN (1, 2, 3, 4) LIMIT 5"
                ).fetchall()
                shown = ", ".join(str(v[0]) for v in values)
                mask = None
                if frame is not None:
                    numbers = pd.to_numeric(frame[c], errors="coerce")
                    mask = numbers.notna() & ~numbers.isin([1, 2, 3, 4])
                where = _rows(frame, f"{c} NOT IN (1, 2, 3, 4)", mask)
                raise KinerjaDataError(
                    f"{table}.{c}: {count} answer(s) are not 1, 2, 3 or 4 (values {shown}; e.g. {where}). "
                    "Fix or blank them: an answer outside the scale cannot be averaged."
                )


@contextmanager
def as_relation(data: SurveiInput, *, table: str) -> Iterator[tuple[duckdb.DuckDBPyRelation, pd.DataFrame | None]]:
    """The table as a DuckDB relation (a frame is registered with a private connection, a Parquet path is opened
    with ``read_parquet``) and the frame, if any."""
    if isinstance(data, duckdb.DuckDBPyRelation):
        yield data, None
        return
    if not isinstance(data, (pd.DataFrame, str, os.PathLike)):
        raise KinerjaDataError(
            f"{table}: expected a pandas DataFrame, a DuckDB relation or a Parquet path, got {type(data).__name__}; "
            "load the table with kinerja_analysis.data.io.load_dataset, or give the path of a Parquet file."
        )
    con = duckdb.connect()
    try:
        if isinstance(data, pd.DataFrame):
            con.register("input_table", data)  # explicit registration: no lookup of local variables
            yield con.table("input_table"), data
        else:
            yield con.read_parquet(list(parquet_files(data))), None
    finally:
        con.close()


@contextmanager
def survey_scan(survei: SurveiInput, *, regime: Regime, table: str = "survei") -> Iterator[Scan]:
    """Check ``survei`` under ``regime`` and yield a :class:`Scan` of it.

    Checks: the item columns of the regime are present and numeric; every answer is 1, 2, 3 or 4 or
    blank; 14-item data (columns u10..u14 holding answers, the KepMenPAN 25/2004 questionnaire) is
    refused for the 2017 index unless that regime is chosen; and 2004 rows without u10..u14 (nine-item
    responses stacked with fourteen-item ones) are refused, so regimes never mix in one figure or trend.
    """
    with as_relation(survei, table=table) as (rel, frame):
        columns = dict(zip(rel.columns, (str(t) for t in rel.types), strict=True))
        items = REGIME_ITEMS[regime]
        missing = [c for c in items if c not in columns]
        if missing:
            raise MissingColumnError(
                f"{table}: item column(s) {', '.join(missing)} are missing; the {regime} index needs "
                f"{items[0]}..{items[-1]}. Map the export's headers onto them (e.g. 'Unsur 1' -> u1) or load with "
                "kinerja_analysis.data.io.load_dataset."
            )
        for c in items:
            if not columns[c].upper().startswith(_NUMERIC):
                raise KinerjaDataError(
                    f"{table}.{c}: answers must be numbers 1-4, but the column is {columns[c]}. "
                    "Convert it (or load with kinerja_analysis.data.io.load_dataset)."
                )
        files = parquet_files(survei) if isinstance(survei, (str, os.PathLike)) else ()
        scan = Scan(rel=rel, frame=frame, columns=columns, items=items, regime=regime, table=table, files=files)
        yield dataclasses.replace(scan, has_blanks=scan.validate())


def group_exprs(
    columns: Collection[str], by: Sequence[str], *, date_column: str = "tanggal", table: str = "survei"
) -> list[str]:
    """SQL expressions ``expr AS name`` for the grouping columns; period keys may be derived from the date."""
    exprs = []
    for name in by:
        if name in columns:
            exprs.append(f"{quote(name)} AS {quote(name)}")
        elif name in PERIODS and date_column in columns:
            exprs.append(f"{PERIODS[name].format(d=quote(date_column))} AS {quote(name)}")
        else:
            derivable = f" (or a '{date_column}' column to derive it from)" if name in PERIODS else ""
            raise MissingColumnError(f"{table}: no column {name!r} to group by{derivable}.")
    return exprs


def restore_key_dtypes(out: pd.DataFrame, source: pd.DataFrame | None, by: Sequence[str]) -> pd.DataFrame:
    """Give grouping columns their natural dtype: the source frame's (ordered categoricals stay ordered),
    or a pandas Period for the derived ``bulan`` and ``triwulan``."""
    for name in by:
        if name not in out.columns:
            continue
        if source is not None and name in source.columns:
            if out[name].dtype != source[name].dtype:
                try:
                    out[name] = out[name].astype(source[name].dtype)
                except (TypeError, ValueError):  # e.g. a missing key in an integer column: keep DuckDB's type
                    pass
        elif name in _PERIOD_FREQ and (source is None or name not in source.columns):
            if pd.api.types.is_datetime64_any_dtype(out[name]):
                out[name] = pd.PeriodIndex(out[name], freq=_PERIOD_FREQ[name])
    return out


def aggregate_items(
    scan: Scan,
    *,
    by: Sequence[str],
    item_variance: bool = False,
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """Per group: responses, complete responses and the sums behind the index.

    Columns: the ``by`` keys, ``n_rows`` (responses), ``n`` (complete responses), ``sum_<item>`` (sum of
    answers over complete responses), ``mean_total`` and ``var_total`` (mean and sample variance of a
    complete response's sum of answers), and with ``item_variance`` ``var_<item>``. Sorted by the keys.

    A frame or relation: one grouped DuckDB pass with plain sums over every answer given (in DOUBLE: exact
    for whole numbers below 2^53, and cheaper than DuckDB's 128-bit integer sums); only when the table has
    blanks does a second pass over the incomplete responses count them and take their answers back out.
    A Parquet path: exact integer sums by :func:`~kinerja_analysis.feedback.survey_parquet.parquet_sums`, the
    keys converted through DuckDB to the types the relation has, so both routes give the same frame. The
    answers were checked by :func:`survey_scan` without grouping, so this pass does nothing else.
    """
    keys = group_exprs(scan.columns, by, date_column=date_column, table=scan.table)
    if scan.files and parquet_rows(scan.files):
        out = _parquet_sums(scan, by, item_variance, date_column)
    else:
        out = _duckdb_sums(scan, by, keys, item_variance)
    return _finish(out, scan, by, item_variance)


def _duckdb_sums(scan: Scan, by: Sequence[str], keys: list[str], item_variance: bool) -> pd.DataFrame:
    items = scan.items
    total = " + ".join(f"CAST({quote(c)} AS INTEGER)" for c in items)
    names = [quote(b) for b in by]
    sums = [f"sum(CAST({quote(c)} AS DOUBLE)) AS {quote('sum_' + c)}" for c in items]
    if item_variance:
        sums += [f"sum(CAST({quote(c)} * {quote(c)} AS DOUBLE)) AS {quote('sq_' + c)}" for c in items]
    stats = ["count(*) AS n_rows", *sums, "sum(CAST(total * total AS DOUBLE)) AS sq_total"]  # total is NULL if blank
    inner = ", ".join([*keys, *(quote(c) for c in items), f"{total} AS total"])
    group = f"GROUP BY {', '.join(names)}" if by else ""
    base = f"FROM (SELECT {inner} FROM survei)"
    out = scan.df(f"SELECT {', '.join([*names, *stats])} {base} {group}")
    out["n_rows"] = out["n_rows"].astype("int64")
    out["n"] = out["n_rows"]
    if scan.has_blanks:
        partial = scan.df(
            f"SELECT {', '.join([*names, 'count(*) AS n_incomplete', *sums])} {base} WHERE total IS NULL {group}"
        )
        value_cols = [c for c in partial.columns if c not in by]
        if by:
            partial = out[list(by)].merge(partial, on=list(by), how="left")
        for c in value_cols:
            values = np.nan_to_num(partial[c].to_numpy(dtype=float))
            if c == "n_incomplete":
                out["n"] = out["n_rows"] - values.astype("int64")
            else:
                out[c] = out[c].to_numpy(dtype=float) - values
    return out


def _period(expr: str):
    """Derive a period key from distinct dates with the same SQL as the DuckDB route."""

    def derive(values: pa.Array) -> pa.Array:
        con = duckdb.connect()
        try:
            rel = con.from_arrow(pa.table({"d": values}))
            sql = f"SELECT {expr.format(d=quote('d'))} AS v FROM dates"
            return rel.query("dates", sql).to_arrow_table().column(0).combine_chunks()
        finally:
            con.close()

    return derive


def _parquet_sums(scan: Scan, by: Sequence[str], item_variance: bool, date_column: str) -> pd.DataFrame:
    """The same frame as :func:`_duckdb_sums` (columns, order, dtypes), summed with pyarrow and numpy."""
    keys = [Key(b, b) if b in scan.columns else Key(b, date_column, _period(PERIODS[b])) for b in by]
    table = parquet_sums(scan.files, scan.items, keys, item_variance=item_variance)
    sums = [f"sum_{c}" for c in scan.items] + ([f"sq_{c}" for c in scan.items] if item_variance else [])
    cols = [f"CAST({quote(b)} AS {scan.columns[b]}) AS {quote(b)}" if b in scan.columns else quote(b) for b in by]
    cols += ["n_rows", *(f"CAST({quote(c)} AS DOUBLE) AS {quote(c)}" for c in [*sums, "sq_total"]), "n"]
    con = duckdb.connect()
    try:
        return con.from_arrow(table).query("sums", f"SELECT {', '.join(cols)} FROM sums").df()
    finally:
        con.close()


def _finish(out: pd.DataFrame, scan: Scan, by: Sequence[str], item_variance: bool) -> pd.DataFrame:
    items = scan.items
    if by:
        out = out.sort_values(list(by), na_position="last", kind="stable").reset_index(drop=True)
    n = out["n"].to_numpy(dtype=float)
    total_sum = sum(out[f"sum_{c}"].to_numpy(dtype=float) for c in items)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total_sum / n, np.nan)
        out["mean_total"] = mean
        # sums of squares are exact whole numbers, so the centred form loses little
        centred = np.maximum(out["sq_total"].to_numpy(dtype=float) - n * mean**2, 0)
        out["var_total"] = np.where(n >= 2, centred / (n - 1), np.nan)
        if item_variance:
            for c in items:
                m = out[f"sum_{c}"].to_numpy(dtype=float) / n
                q = out[f"sq_{c}"].to_numpy(dtype=float)
                out[f"var_{c}"] = np.where(n >= 2, np.maximum(q - n * m**2, 0) / (n - 1), np.nan)
    return restore_key_dtypes(out, scan.frame, by)
