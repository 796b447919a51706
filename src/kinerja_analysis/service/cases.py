"""The one scan behind every service KPI: ``layanan`` rows counted by group, outcome and duration in DuckDB.

Service KPIs need, per group, how many cases closed (and how) after how many days, how many are still
open and for how long, and a few sums. Durations are whole days, so the distribution of durations in a
group is exactly a table of counts per day: DuckDB scans the rows once and returns one row per (group,
outcome, duration) with the counts and sums. Quantiles, intervals, Kaplan-Meier curves and shares are
then computed exactly from that small table with numpy and scipy (:mod:`kinerja_analysis.service.kpi`).
The same code serves a pandas frame of a few thousand cases and a Parquet file of fifty million: the
frame is registered with a private DuckDB connection; a relation (``duckdb.read_parquet``) is used
as it is. A path to a Parquet file or folder is checked the same way (through a DuckDB relation on the
files) and counted in numpy record batch by record batch (:mod:`kinerja_analysis.service.cases_parquet`):
the same table, without DuckDB's hash aggregation, which is nearly all the time at national size.

Conventions (documented once, used by every KPI):

- Durations: working days in ``[tanggal_masuk, tanggal_selesai)`` (:mod:`kinerja_analysis.common.workdays`),
  or calendar days on request (``day_basis="calendar"``).
- ``as_of`` (default: the latest date in the table) is the day the data describe. Cases received after
  it are left out; a case whose ``tanggal_selesai`` is after it was still open on that day.
- An open case has an *age*: its duration from ``tanggal_masuk`` to ``as_of``.
- ``bulan`` and ``tahun`` in ``by`` are the month and year of ``tanggal_masuk`` (a column of that
  name in the input is not used).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Literal, TypeAlias

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.group_sums import group_sums
from kinerja_analysis.common.options import check_option
from kinerja_analysis.common.parquet_batches import ParquetPath, is_parquet_path, parquet_files
from kinerja_analysis.common.workdays import calendar_text, working_day_index
from kinerja_analysis.service.cases_parquet import count_parquet
from kinerja_analysis.service.checks import BAD, DERIVED_KEYS, check_columns, problems, quote, report_problems, rows_cte

__all__ = ["LayananInput", "DayBasis", "DayCount", "CaseCounts", "OUTCOMES", "DERIVED_KEYS", "case_counts"]

LayananInput: TypeAlias = pd.DataFrame | duckdb.DuckDBPyRelation | ParquetPath
"""A ``layanan`` table: a pandas frame, a DuckDB relation (e.g. ``duckdb.read_parquet(path)``), or the path
(str or os.PathLike) of a Parquet file or of a folder of Parquet files, the fastest for national tables."""
DayBasis = Literal["working", "calendar"]
Need = Literal["standard", "returns", "revisions"]

OUTCOMES: tuple[str, ...] = ("selesai", "ditolak", "dicabut", "proses")
"""Outcome codes of :class:`CaseCounts` (0-3); ``proses`` means still open on ``as_of``."""
FINISHED, OTHER, OPEN = 0, 1, 3
"""Outcome codes when :func:`case_counts` is given ``finished``: closed with a status in it, closed
otherwise (durations merged into 0), open on as_of (ages merged into 0; ``on_time`` still counts the
open cases not yet past their standard)."""
CLOSED: tuple[str, ...] = OUTCOMES[:3]


@dataclass(frozen=True)
class DayCount:
    """How durations are counted: the basis and, for working days, the holiday calendar."""

    day_basis: DayBasis = "working"
    cuti_bersama: bool = False
    holidays: tuple[date, ...] | None = None

    def __post_init__(self) -> None:
        check_option("day_basis", self.day_basis, ("working", "calendar"))

    def text(self) -> str:
        if self.day_basis == "calendar":
            return "calendar days"
        return calendar_text(cuti_bersama=self.cuti_bersama, holidays=self.holidays)


@dataclass(frozen=True)
class CaseCounts:
    """Cases counted by group, outcome and duration, ordered by group and duration.

    ``groups`` holds the key columns, one row per group; array element ``i`` of the other fields
    describes the cases of group ``g[i]`` with outcome ``OUTCOMES[outcome[i]]`` (or, when ``finished``
    is set, :data:`FINISHED`, :data:`OTHER` or :data:`OPEN`) and duration (closed)
    or age (open) ``dur[i]``. Optional sums are None when they were not asked for.
    """

    keys: tuple[str, ...]
    groups: pd.DataFrame
    g: np.ndarray
    outcome: np.ndarray
    dur: np.ndarray
    n: np.ndarray
    on_time: np.ndarray | None
    returns: np.ndarray | None
    revisions: np.ndarray | None
    revisions_sq: np.ndarray | None
    as_of: date | None
    left_out_after_as_of: int
    day_count: DayCount
    finished: tuple[str, ...] | None = None

    @property
    def n_groups(self) -> int:
        return len(self.groups)

    def per_group(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Sum of ``values`` per group (optionally over the rows in ``mask``), as float64."""
        return group_sums(self.g, values, self.n_groups, mask=mask)

    @cached_property
    def cases(self) -> np.ndarray:
        """Cases per group (float64), counted once for the KPIs that all need it."""
        return self.per_group(self.n)

    def per_outcome(self, values: np.ndarray) -> np.ndarray:
        """Sums of ``values`` per group and outcome, float64 ``n_groups x len(OUTCOMES)`` (column: outcome code):
        one pass for every outcome, not a pass and a masked copy of the values per outcome."""
        return group_sums(self.g, values, self.n_groups, sub=self.outcome, n_sub=len(OUTCOMES))

    def describe(self) -> str:
        """The day count and as_of, for the ``method`` column."""
        after = (
            f"; {self.left_out_after_as_of} cases received after as_of left out" if self.left_out_after_as_of else ""
        )
        return f"{self.day_count.text()}; as_of {self.as_of}{after}"


def _relation(layanan: object) -> tuple[duckdb.DuckDBPyRelation, duckdb.DuckDBPyConnection | None]:
    if isinstance(layanan, duckdb.DuckDBPyRelation):
        return layanan, None
    if is_parquet_path(layanan):  # checks, statistics and the report of bad rows go through DuckDB
        con = duckdb.connect()
        return con.read_parquet(parquet_files(layanan)), con
    if isinstance(layanan, pd.DataFrame):
        con = duckdb.connect()
        con.register("layanan", layanan)  # explicit registration: no lookup of local variables
        return con.table("layanan"), con
    raise KinerjaDataError(
        f"layanan must be a pandas DataFrame or a DuckDB relation, or the path of a Parquet file or folder, "
        f"not {type(layanan).__name__}; load the table with io.load_dataset, or give the Parquet path."
    )


def _keys(by: str | Sequence[str]) -> tuple[str, ...]:
    keys = (by,) if isinstance(by, str) else tuple(by)
    if len(set(keys)) != len(keys):
        raise InvalidOptionError(f"by={list(keys)} names a column twice.")
    return keys


def _as_date(value: object) -> date:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise InvalidOptionError(f"as_of={value!r} is not a date; give e.g. '2024-12-31'.") from error
    if pd.isna(stamp):
        raise InvalidOptionError("as_of is missing; give a date such as '2024-12-31', or None for the latest date.")
    return stamp.date()


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _workdays(first: date, last: date, day_count: DayCount) -> np.ndarray:
    """For each day from ``first`` to ``last``, the working days before it since ``first`` (int32)."""
    return working_day_index(
        np.datetime64(first, "D"), np.datetime64(last, "D"),
        cuti_bersama=day_count.cuti_bersama, holidays=day_count.holidays,
    ).astype(np.int32)  # fmt: skip


def _calendar_cte(first: date, last: date, day_count: DayCount) -> str:
    """A ``cal(d, w)`` table: for each day, the working days before it since ``first``."""
    w = _workdays(first, last, day_count)
    values = ",".join(map(str, w.tolist()))
    return (
        f"cal AS (SELECT CAST(DATE '{first}' + CAST(i AS INTEGER) AS DATE) AS d, w "
        f"FROM (SELECT unnest(range({w.size})) AS i, unnest([{values}]) AS w))"
    )


_OPTIONAL = (("on_time", "standard"), ("returns", "returns"), ("revisions", "revisions"), ("revisions_sq", "revisions"))


def _empty(keys: tuple[str, ...], as_of: date | None, day_count: DayCount, needs: set[str]) -> CaseCounts:
    zero_i, zero_f = np.zeros(0, dtype=np.int64), np.zeros(0)
    opt = {name: (zero_f if flag in needs else None) for name, flag in _OPTIONAL}
    groups = pd.DataFrame({k: pd.Series([], dtype="object") for k in keys})
    return CaseCounts(keys, groups, zero_i, zero_i.astype(np.int8), zero_i, zero_f, as_of=as_of,
                      left_out_after_as_of=0, day_count=day_count, **opt)  # fmt: skip


def case_counts(
    layanan: LayananInput,
    *,
    by: str | Sequence[str],
    needs: Sequence[Need] = (),
    as_of: object = None,
    day_count: DayCount = DayCount(),
    finished: Sequence[str] | None = None,
    what: str = "this KPI",
) -> CaseCounts:
    """Validate ``layanan`` and count its cases by group, outcome and duration, in one DuckDB scan.

    The rows are checked in the same scan: a row with any problem gets outcome code 9, and only when
    such a row exists are the problems counted and the rows behind them looked up, to name them.

    Parameters
    ----------
    layanan
        The ``layanan`` table (pandas frame, DuckDB relation, or path of a Parquet file or folder); never modified.
    by
        Grouping columns: columns of ``layanan`` or the derived ``bulan`` / ``tahun``; ``()`` for one group.
    needs
        Extra columns to count: ``"standard"`` (cases within ``standar_hari``), ``"returns"``
        (``dikembalikan``), ``"revisions"`` (``jumlah_revisi``).
    as_of
        The day the data describe (default the latest tanggal_masuk or tanggal_selesai).
    day_count
        Working or calendar days, and the holiday calendar.
    finished
        If given, the closed statuses whose durations matter: the others are merged into fewer rows
        (outcome codes :data:`FINISHED`, :data:`OTHER`, :data:`OPEN`), which keeps the table, and
        DuckDB's hash table, about a third smaller for the SLA and quantile KPIs. None keeps every
        outcome and duration (completion curves).
    what
        The KPI asking, for error messages.
    """
    for need in needs:
        check_option("needs", need, ("standard", "returns", "revisions"))
    if isinstance(finished, str):
        finished = (finished,)
    for status in finished or ():
        check_option("finished", status, CLOSED)
    needs_set = set(needs)
    keys = _keys(by)
    rel, con = _relation(layanan)
    try:
        check_columns(rel, keys, needs_set, what)
        # min, max and count come from Parquet statistics without a scan.
        stats_sql = "SELECT count(*), min(tanggal_masuk), max(tanggal_masuk), max(tanggal_selesai) FROM layanan"
        n_rows, first, last_in, last_out = rel.query("layanan", stats_sql).fetchall()[0]
        first, last_in, last_out = _day(first), _day(last_in), _day(last_out)
        if n_rows == 0:
            return _empty(keys, _as_date(as_of) if as_of is not None else None, day_count, needs_set)
        known = [d for d in (last_in, last_out) if d is not None]
        as_of_day = _as_date(as_of) if as_of is not None else (max(known) if known else date(2000, 1, 1))
        first = first or as_of_day
        last = max([as_of_day, *known])
        merged = None if finished is None else tuple(finished)
        args = (rel, keys, needs_set, min(first, as_of_day), last, as_of_day, day_count, int(n_rows), merged)
        if is_parquet_path(layanan):
            counted = _count_files(parquet_files(layanan), *args)
            if counted is not None:
                return counted
        return _count(*args)
    finally:
        if con is not None:
            con.close()


def _count(rel: duckdb.DuckDBPyRelation, keys: tuple[str, ...], needs: set[str], first: date, last: date,
           as_of: date, day_count: DayCount, n_rows: int, finished: tuple[str, ...] | None) -> CaseCounts:  # fmt: skip
    checks = problems(needs)
    bad = " OR ".join(f"coalesce({p.cond}, false)" for p in checks)
    extra = [c for c, need in (("standar_hari", "standard"), ("dikembalikan", "returns"),
                               ("jumlah_revisi", "revisions")) if need in needs]  # fmt: skip
    real_keys = [k for k in keys if k not in DERIVED_KEYS]
    derived = "".join(f", {DERIVED_KEYS[k]} AS {quote(k)}" for k in keys if k in DERIVED_KEYS)
    keys_sql = ", ".join(quote(k) for k in keys)
    stop = f"coalesce(_end, DATE '{as_of}')"
    if day_count.day_basis == "working":
        cal = _calendar_cte(first, last, day_count) + ", "
        dur, joins = "c2.w - c1.w", f"LEFT JOIN cal c1 ON c1.d = _start LEFT JOIN cal c2 ON c2.d = {stop}"
    else:
        cal, dur, joins = "", f"date_diff('day', _start, {stop})", ""
    # Few, narrow aggregate states: with a million groups times their durations, the hash table is the memory.
    sums = ["CAST(count(*) AS INTEGER) AS _n"]
    if "standard" in needs:
        sums.append("CAST(count(*) FILTER (WHERE _dur <= standar_hari) AS INTEGER) AS _on_time")
    if "returns" in needs:
        sums.append("CAST(count(*) FILTER (WHERE dikembalikan) AS INTEGER) AS _ret")
    if "revisions" in needs:
        # Sums over DOUBLE: a sum of BIGINT is a 128-bit HUGEINT in DuckDB, slower and not needed here.
        sums += [
            "sum(CAST(jumlah_revisi AS DOUBLE)) AS _rev",
            "sum(CAST(jumlah_revisi AS DOUBLE) * jumlah_revisi) AS _rev_sq",
        ]
    group_id = f"dense_rank() OVER (ORDER BY {keys_sql}) - 1" if keys else "0"
    if finished is None:
        outcome, hist = "CASE WHEN _end IS NULL THEN 3 ELSE _code END", "_dur"
    else:
        codes = ", ".join(str(OUTCOMES.index(s)) for s in finished) or "-1"  # () merges every closed case
        outcome = f"CASE WHEN _end IS NULL THEN {OPEN} WHEN _code IN ({codes}) THEN {FINISHED} ELSE {OTHER} END"
        hist = f"CASE WHEN _outcome = {FINISHED} THEN _dur ELSE 0 END"
    sql = f"""
    WITH {cal}{rows_cte(real_keys + extra)},
    checked AS (
        SELECT *{derived}, {bad} AS _bad,
               CASE WHEN _code < 3 AND _sel <= DATE '{as_of}' THEN _sel END AS _end
        FROM rows
    ),
    cases AS (
        SELECT checked.*, CAST({dur} AS INTEGER) AS _dur,
               CAST(CASE WHEN _bad THEN {BAD} ELSE {outcome} END AS TINYINT) AS _outcome
        FROM checked {joins}
        WHERE _start <= DATE '{as_of}' OR _bad
    )
    SELECT {keys_sql + ", " if keys else ""}CAST({group_id} AS INTEGER) AS _g, _outcome, {hist} AS _h, {", ".join(sums)}
    FROM cases GROUP BY {keys_sql + ", " if keys else ""}_outcome, _h
    ORDER BY _g, _h, _outcome
    """
    table = rel.query("layanan", sql).to_arrow_table()
    if table.num_rows and (table.column("_outcome").to_numpy() == BAD).any():
        report_problems(rel, checks)
    g = table.column("_g").to_numpy().astype(np.int64)
    starts = np.flatnonzero(np.diff(g, prepend=-1)) if g.size else np.zeros(0, dtype=np.int64)
    groups = table.select(list(keys)).take(starts)
    # Take the columns out one by one and let go of the Arrow table: at national size it is hundreds of MB.
    names = {"_n": "n", "_on_time": "on_time", "_ret": "returns", "_rev": "revisions", "_rev_sq": "revisions_sq"}
    arrays: dict[str, np.ndarray] = {}
    outcome = table.column("_outcome").to_numpy().astype(np.int8)
    dur = table.column("_h").to_numpy().astype(np.int64)
    for column, name in names.items():
        if column in table.column_names:
            arrays[name] = table.column(column).to_numpy()  # counts stay int32; per_group converts
            table = table.drop_columns([column])
    del table
    return _assemble(keys, groups, g, outcome, dur, arrays, as_of, n_rows, day_count, finished)


def _count_files(files: list[str], rel: duckdb.DuckDBPyRelation, keys: tuple[str, ...], needs: set[str],
                 first: date, last: date, as_of: date, day_count: DayCount, n_rows: int,
                 finished: tuple[str, ...] | None) -> CaseCounts | None:  # fmt: skip
    """The count of :func:`_count` for Parquet files, in numpy batches; None where that scan does not serve."""
    checks = problems(needs)
    counted = count_parquet(
        files, keys=keys, needs=needs, first=first, last=last, as_of=as_of,
        workdays=_workdays(first, last, day_count) if day_count.day_basis == "working" else None,
        finished=None if finished is None else tuple(OUTCOMES.index(s) for s in finished),
        outcomes=(FINISHED, OTHER, OPEN), checks=checks, on_bad=lambda: report_problems(rel, checks),
    )  # fmt: skip
    if counted is None:
        return None
    arrays = {k: v for k, v in counted.items() if k not in ("groups", "g", "outcome", "dur")}
    return _assemble(keys, counted["groups"], counted["g"], counted["outcome"], counted["dur"], arrays,
                     as_of, n_rows, day_count, finished)  # fmt: skip


def _assemble(keys: tuple[str, ...], groups: pa.Table, g: np.ndarray, outcome: np.ndarray, dur: np.ndarray,
              arrays: dict[str, np.ndarray], as_of: date, n_rows: int, day_count: DayCount,
              finished: tuple[str, ...] | None) -> CaseCounts:  # fmt: skip
    """The count table from its parts; ``groups`` holds the key columns as DuckDB types them, one row per group."""
    frame = groups.to_pandas() if keys else pd.DataFrame(index=range(int(g[-1]) + 1 if g.size else 0))
    if "bulan" in keys:
        frame["bulan"] = pd.PeriodIndex(pd.to_datetime(frame["bulan"]), freq="M")
    if "tahun" in keys:
        frame["tahun"] = frame["tahun"].astype("int64")
    optional = {name: arrays.get(name) for name in ("on_time", "returns", "revisions", "revisions_sq")}
    return CaseCounts(
        keys=keys,
        groups=frame.reset_index(drop=True),
        g=g,
        outcome=outcome,
        dur=dur,
        n=arrays["n"],
        **optional,
        as_of=as_of,
        left_out_after_as_of=n_rows - int(arrays["n"].sum()),
        day_count=day_count,
        finished=finished,
    )
