"""Shared plumbing of the feedback analyses: checking a survey frame and scanning it with DuckDB.

Every feedback function takes the ``survei`` table as a DataFrame, checks it here the same way, and
lets DuckDB do the row-level scan and grouping (DESIGN.md section 5); statistics are then computed on
the small per-group aggregates.

Rule for blanks, used by every analysis of the items: a response with any blank item is left out
entirely (complete responses only) and counted in ``n_incomplete``. This keeps the published index
equal to the mean of the per-respondent indices, so its interval belongs to exactly that figure.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb
import numpy as np
import pandas as pd

from .errors import KinerjaDataError, MissingColumnError
from .ikm_rules import REGIME_ITEMS, Regime

__all__ = [
    "PERIODS",
    "as_by",
    "quote",
    "registered",
    "survey_items",
    "check_answers",
    "group_exprs",
    "restore_key_dtypes",
    "aggregate_items",
]

PERIODS = {
    "tahun": "CAST(year({d}) AS BIGINT)",
    "semester": "printf('%d-S%d', year({d}), CASE WHEN month({d}) <= 6 THEN 1 ELSE 2 END)",
    "triwulan": "printf('%d-Q%d', year({d}), quarter({d}))",
    "bulan": "strftime({d}, '%Y-%m')",
}
"""Period keys a caller may group by without having the column: derived from the date column
(``tahun`` an integer year; ``semester`` '2024-S1'; ``triwulan`` '2024-Q3'; ``bulan`` '2024-07')."""

_OLD_ITEMS = REGIME_ITEMS["kepmenpan_25_2004"][9:]


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


def _require_frame(frame: object, table: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise KinerjaDataError(f"{table}: expected a pandas DataFrame, got {type(frame).__name__}.")
    return frame


def survey_items(survei: pd.DataFrame, *, regime: Regime, table: str = "survei") -> tuple[str, ...]:
    """The item columns of ``survei`` under ``regime``, after checking the regime fits the data.

    14-item data (columns u10..u14 holding answers) is the KepMenPAN 25/2004 questionnaire: it is
    refused for the 2017 index unless that regime is chosen, and 2004 rows without u10..u14 (9-item
    responses stacked with 14-item ones) are refused, so that regimes never mix in one figure or trend.
    """
    survei = _require_frame(survei, table)
    items = REGIME_ITEMS[regime]
    if regime == "permenpanrb_14_2017":
        old = [c for c in _OLD_ITEMS if c in survei.columns and survei[c].notna().any()]
        if old:
            raise KinerjaDataError(
                f"{table}: columns {', '.join(old)} hold answers, so this is the 14-item questionnaire of KepMenPAN "
                "25/2004, not the nine items of PermenPANRB 14/2017. Its index is a different measurement: choose "
                "regime='kepmenpan_25_2004' (with its cutoffs) explicitly, and never put the two in one trend."
            )
    missing = [c for c in items if c not in survei.columns]
    if missing:
        raise MissingColumnError(
            f"{table}: item column(s) {', '.join(missing)} are missing; the {regime} index needs "
            f"{items[0]}..{items[-1]}. Map the export's headers onto them (e.g. 'Unsur 1' -> u1) or load with "
            "kinerja_analysis.io.load_dataset."
        )
    if regime == "kepmenpan_25_2004":
        nine_only = survei[list(_OLD_ITEMS)].isna().all(axis=1) & survei[list(items[:9])].notna().any(axis=1)
        if nine_only.any():
            rows = ", ".join(map(str, survei.index[nine_only][:5]))
            raise KinerjaDataError(
                f"{table}: {int(nine_only.sum())} row(s) (e.g. index {rows}) answer u1..u9 but none of u10..u14: "
                "nine-item (PermenPANRB 14/2017) responses are mixed with 14-item (KepMenPAN 25/2004) ones. "
                "Split the table by questionnaire and analyse each under its own regime."
            )
    return items


def check_answers(
    con: duckdb.DuckDBPyConnection, survei: pd.DataFrame, items: Sequence[str], *, table: str = "survei"
) -> None:
    """Raise naming the rows if an answer is not a whole number from 1 to 4 (blanks are allowed)."""
    for c in items:
        kind = survei[c].dtype.kind if isinstance(survei[c].dtype, np.dtype) else None
        if kind in ("O", "U", "S", "M", "m", "b") or pd.api.types.is_string_dtype(survei[c].dtype):
            raise KinerjaDataError(
                f"{table}.{c}: answers must be numbers 1-4, but the column has dtype {survei[c].dtype}. "
                "Convert it (or load with kinerja_analysis.io.load_dataset)."
            )
    checks = ", ".join(f"count(*) FILTER (WHERE {quote(c)} NOT IN (1, 2, 3, 4)) AS {quote(c)}" for c in items)
    bad = con.execute(f"SELECT {checks} FROM survei").fetchone()
    for c, count in zip(items, bad, strict=True):
        if count:
            values = pd.to_numeric(survei[c], errors="coerce")
            mask = values.notna() & ~values.isin([1, 2, 3, 4])
            rows = ", ".join(map(str, survei.index[mask.to_numpy(dtype=bool)][:5]))
            shown = ", ".join(map(str, pd.unique(values[mask])[:5]))
            raise KinerjaDataError(
                f"{table}.{c}: {count} answer(s) are not 1, 2, 3 or 4 (values {shown}; e.g. rows with index {rows}). "
                "Fix or blank them: an answer outside the scale cannot be averaged."
            )


def group_exprs(
    survei: pd.DataFrame, by: Sequence[str], *, date_column: str = "tanggal", table: str = "survei"
) -> list[str]:
    """SQL expressions ``expr AS name`` for the grouping columns; period keys may be derived from the date."""
    exprs = []
    for name in by:
        if name in survei.columns:
            exprs.append(f"{quote(name)} AS {quote(name)}")
        elif name in PERIODS and date_column in survei.columns:
            exprs.append(f"{PERIODS[name].format(d=quote(date_column))} AS {quote(name)}")
        else:
            derivable = f" (or a '{date_column}' column to derive it from)" if name in PERIODS else ""
            raise MissingColumnError(f"{table}: no column {name!r} to group by{derivable}.")
    return exprs


def restore_key_dtypes(out: pd.DataFrame, source: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Give grouping columns taken from ``source`` their original dtype (ordered categoricals stay ordered)."""
    for name in by:
        if name in source.columns and name in out.columns and out[name].dtype != source[name].dtype:
            try:
                out[name] = out[name].astype(source[name].dtype)
            except (TypeError, ValueError):  # e.g. a missing key in an integer column: keep DuckDB's type
                pass
    return out


def aggregate_items(
    con: duckdb.DuckDBPyConnection,
    survei: pd.DataFrame,
    *,
    by: Sequence[str],
    items: Sequence[str],
    item_variance: bool = False,
    date_column: str = "tanggal",
    table: str = "survei",
) -> pd.DataFrame:
    """Per group: responses, complete responses and the sums behind the index.

    Columns: the ``by`` keys, ``n_rows`` (responses), ``n`` (complete responses), ``sum_<item>`` (sum of
    answers over complete responses), ``mean_total`` and ``var_total`` (mean and sample variance of a
    complete response's sum of answers), and with ``item_variance`` ``var_<item>``. Sorted by the keys.
    """
    keys = group_exprs(survei, by, date_column=date_column, table=table)
    total = " + ".join(f"CAST({quote(c)} AS INTEGER)" for c in items)
    ok = "total IS NOT NULL"
    stats = ["count(*) AS n_rows", "count(total) AS n"]
    stats += [f"CAST(sum({quote(c)}) FILTER (WHERE {ok}) AS DOUBLE) AS {quote('sum_' + c)}" for c in items]
    stats += ["avg(total) AS mean_total", "var_samp(total) AS var_total"]
    if item_variance:
        stats += [f"var_samp({quote(c)}) FILTER (WHERE {ok}) AS {quote('var_' + c)}" for c in items]
    key_names = ", ".join(quote(b) for b in by)
    group = f"GROUP BY {key_names} ORDER BY {key_names} NULLS LAST" if by else ""
    inner = ", ".join([*keys, *(quote(c) for c in items), f"{total} AS total"])
    sql = f"SELECT {', '.join([*(quote(b) for b in by), *stats])} FROM (SELECT {inner} FROM survei) {group}"
    out = con.execute(sql).df()
    out["n_rows"] = out["n_rows"].astype("int64")
    out["n"] = out["n"].astype("int64")
    return restore_key_dtypes(out, survei, by)
