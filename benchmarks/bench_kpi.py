"""Benchmark: service KPIs per unit and month over a national-size ``layanan`` table (50 million cases).

Generates ``benchmarks/_data/kpi_<rows>/layanan.parquet`` (git-ignored; reused when present) in chunks of
5 million rows, so generation stays small in memory: one year (2025) of cases in 80,000 service units
(about the number of desa/kelurahan offices, kantor camat and puskesmas; about 50 cases per unit and
month), received on working days, with service standards of 0-5 working days, processing times in
working days, returns, revisions, rejections, withdrawals and cases still open on 31 December.

A child process then runs ``kpi.service_kpis(path, by=("unit_id", "bulan"))`` on the Parquet path (the numpy
record-batch scan of ``service/cases_parquet.py``; ``--route relation`` times the DuckDB route instead,
``service_kpis(con.read_parquet(path), ...)``) (SLA share with Wilson interval, median and p90 with
order-statistic intervals, return rate, revisions per file) and reports its time in the call and its own
peak resident memory (``getrusage(RUSAGE_SELF)``).
Targets (issue 12): at most 0.5 times the wall time of a bare DuckDB ``quantile_cont`` query on the same file
in the same run (the anchor: calendar days, two averages, no working days, no row checks, no intervals; the
machine is shared, so the ratio is the figure that travels), at most 4 s when the machine is quiet (load
average below 1.5), and at most 1.5 GB. The child also recomputes the median and p90 of 25 random
units with ``numpy.busday_count`` and ``numpy.quantile`` and the row total, and the script exits 1 if
they disagree, so a fast but wrong computation fails. Measured, not asserted: the time and memory are
printed and recorded in ``benchmarks/README.md``.

Run: ``python benchmarks/bench_kpi.py [--rows N] [--units U] [--route parquet|relation]``. The anchor runs in its
own process just before and just after ``service_kpis``; the ratio uses their mean. The script prints the ratio and
exits 1 when a target is missed or a recomputed number disagrees.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kinerja_analysis.common.workdays import WEEKMASK, holiday_dates

HERE = Path(__file__).resolve().parent
N_ROWS = 50_000_000
N_UNITS = 80_000
CHUNK = 5_000_000
YEAR = 2025
AS_OF = f"{YEAR}-12-31"
TARGET_RATIO, TARGET_SECONDS, TARGET_GB, QUIET_LOAD = 0.5, 4.0, 1.5, 1.5
STANDARDS = np.array([0, 1, 2, 3, 5])
STANDARD_SHARE = np.array([0.30, 0.35, 0.15, 0.10, 0.10])
SERVICES = pa.array([f"Layanan {i:02d}" for i in range(20)], type=pa.string())
STATUSES = pa.array(["selesai", "ditolak", "dicabut", "proses"], type=pa.string())

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
import duckdb
from kinerja_analysis.service.kpi import service_kpis
t1 = time.perf_counter()
if sys.argv[5] == "parquet":
    layanan = sys.argv[1]
else:
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    layanan = con.read_parquet(sys.argv[1])
out = service_kpis(layanan, by=("unit_id", "bulan"), as_of=sys.argv[2])
t2 = time.perf_counter()
sla = out[out["kpi"] == "sla"]
rates = out[out["kpi"] == "return_rate"]
quant = out[out["kpi"].isin(["q50", "q90"])]
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"route": sys.argv[5], "import_s": t1 - t0, "kpi_s": t2 - t1, "cpu_s": use.ru_utime + use.ru_stime,
                  "out_rows": len(out), "groups": len(sla),
                  "cases": int(rates["n"].sum()), "sla_judged": int(sla["n"].sum()),
                  "q_no_interval": int(quant["ci_low"].isna().sum() + quant["ci_high"].isna().sum()),
                  "peak_gb": use.ru_maxrss / 1e6}))
out[out["unit_id"].isin(sys.argv[3].split(","))].to_parquet(sys.argv[4])
"""

BASELINE = """
import json, resource, sys, time
import duckdb
t = time.perf_counter()
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
q = con.sql(f\"\"\"SELECT unit_id, date_trunc('month', tanggal_masuk::DATE) AS bulan,
    quantile_cont(date_diff('day', tanggal_masuk::DATE, tanggal_selesai::DATE), [0.5, 0.9]) AS q,
    avg(CASE WHEN date_diff('day', tanggal_masuk::DATE, tanggal_selesai::DATE) <= standar_hari
             THEN 1 ELSE 0 END) AS sla,
    avg(dikembalikan::INT) AS ret
    FROM read_parquet('{sys.argv[1]}') GROUP BY ALL\"\"\").to_arrow_table()
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"baseline_s": time.perf_counter() - t, "cpu_s": use.ru_utime + use.ru_stime, "rows": q.num_rows,
                  "peak_gb": use.ru_maxrss / 1e6}))
"""


def _chunk(rng: np.random.Generator, size: int, offset: int, cum_weight: np.ndarray, unit_effect: np.ndarray,
           days: np.ndarray, holidays: np.ndarray) -> pa.Table:  # fmt: skip
    unit = np.searchsorted(cum_weight, rng.random(size)).astype(np.int32)
    masuk = days[rng.integers(0, days.size, size)]
    standard = STANDARDS[np.searchsorted(np.cumsum(STANDARD_SHARE), rng.random(size))]
    returned = rng.random(size) < 0.04 + 0.02 * standard
    revisions = np.where(returned, 1 + rng.poisson(0.3, size), 0)
    x = 0.15 + 0.55 * standard + unit_effect[unit] + 0.8 * revisions + rng.gamma(2.0, 0.3, size) - 0.6
    hari = np.maximum(0, np.round(x)).astype(np.int64)
    selesai = np.busday_offset(masuk, hari, weekmask=WEEKMASK, holidays=holidays)
    outcome = rng.random(size)
    status = np.where(outcome < 0.03, 1, np.where(outcome < 0.045, 2, 0)).astype(np.int8)
    still_open = selesai > np.datetime64(AS_OF)
    status[still_open] = 3
    ids = pc.binary_join_element_wise("B", pc.cast(pa.array(np.arange(offset, offset + size)), pa.string()), "")
    return pa.table(
        {
            "berkas_id": ids,
            "unit_id": pa.DictionaryArray.from_arrays(pa.array(unit), pa.array([f"U{i:05d}" for i in range(N_UNITS)])),
            "jenis_layanan": pa.DictionaryArray.from_arrays(
                pa.array(rng.integers(0, 20, size).astype(np.int8)), SERVICES
            ),
            "tanggal_masuk": pa.array(masuk.astype("datetime64[s]")),
            "tanggal_selesai": pa.array(selesai.astype("datetime64[s]"), mask=still_open),
            "standar_hari": pa.array(standard.astype(np.int64)),
            "status": pa.DictionaryArray.from_arrays(pa.array(status), STATUSES),
            "dikembalikan": pa.array(returned),
            "jumlah_revisi": pa.array(revisions.astype(np.int64)),
        }
    )


def generate(path: Path, rows: int, units: int, seed: int = 20251231) -> None:
    """Write the synthetic table in chunks (reused if the file exists)."""
    if path.exists():
        return
    global N_UNITS
    N_UNITS = units
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    holidays = holiday_dates(YEAR, YEAR + 1)
    all_days = np.arange(np.datetime64(f"{YEAR}-01-01"), np.datetime64(f"{YEAR + 1}-01-01"))
    days = all_days[np.is_busday(all_days, weekmask=WEEKMASK, holidays=holidays)]
    weight = rng.lognormal(0.0, 0.5, units)
    cum_weight = np.cumsum(weight / weight.sum())
    cum_weight[-1] = 1.0
    unit_effect = 0.15 * rng.standard_normal(units)
    tmp = path.with_suffix(".partial")
    writer = None
    try:
        for offset in range(0, rows, CHUNK):
            table = _chunk(rng, min(CHUNK, rows - offset), offset, cum_weight, unit_effect, days, holidays)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="snappy")
            writer.write_table(table, row_group_size=1_000_000)
            print(f"  generated {offset + table.num_rows:,} rows", flush=True)
    finally:
        if writer is not None:
            writer.close()
    tmp.rename(path)


def check(path: Path, sample: Path, units: list[str]) -> list[str]:
    """Recompute median and p90 of the sampled units from the rows with numpy; return the disagreements."""
    import pandas as pd

    rows = pq.read_table(path, columns=["unit_id", "tanggal_masuk", "tanggal_selesai", "status"],
                         filters=[("unit_id", "in", units)]).to_pandas()  # fmt: skip
    got = pd.read_parquet(sample)
    done = rows[rows["status"].astype("str").isin(["selesai", "ditolak"])]
    start = done["tanggal_masuk"].to_numpy().astype("datetime64[D]")
    end = done["tanggal_selesai"].to_numpy().astype("datetime64[D]")
    done = done.assign(hari=np.busday_count(start, end, weekmask=WEEKMASK, holidays=holiday_dates(YEAR, YEAR + 1)),
                       bulan=done["tanggal_masuk"].dt.to_period("M"))  # fmt: skip
    errors = []
    for (unit, month), group in done.groupby(["unit_id", "bulan"], observed=True):
        for kpi, p in (("q50", 0.5), ("q90", 0.9)):
            mine = got[(got["unit_id"] == unit) & (got["bulan"] == month) & (got["kpi"] == kpi)]["estimate"]
            want = np.quantile(group["hari"].to_numpy(), p)
            if len(mine) != 1 or not np.isclose(mine.iloc[0], want):
                errors.append(f"{unit} {month} {kpi}: got {mine.tolist()}, want {want}")
    return errors


def _anchor(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", BASELINE, str(path)], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0]) if Path("/proc/loadavg").exists() else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=N_ROWS)
    parser.add_argument("--units", type=int, default=N_UNITS)
    parser.add_argument("--route", choices=("parquet", "relation"), default="parquet",
                        help="layanan as the Parquet path (numpy batch scan) or a DuckDB relation")  # fmt: skip
    args = parser.parse_args()
    path = HERE / "_data" / f"kpi_{args.rows}" / "layanan.parquet"
    t = time.perf_counter()
    generate(path, args.rows, args.units)
    print(f"data: {path} ({path.stat().st_size / 1e9:.2f} GB, ready in {time.perf_counter() - t:.0f} s)")
    units = [f"U{i:05d}" for i in np.random.default_rng(1).choice(args.units, 25, replace=False)]
    sample = path.parent / "sample.parquet"
    before, load_before = _anchor(path), _load()
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CHILD, str(path), AS_OF, ",".join(units), str(sample), args.route],
                            check=True, capture_output=True, text=True)  # fmt: skip
    wall = time.perf_counter() - start
    after, load_after = _anchor(path), _load()
    report = json.loads(result.stdout.strip().splitlines()[-1])
    peak_gb = report["peak_gb"]  # the child's own peak (kilobytes on Linux), not the anchors'

    anchor = (before["baseline_s"] + after["baseline_s"]) / 2
    ratio = report["kpi_s"] / anchor
    load = max(load_before, load_after)
    print(json.dumps(report, indent=1))
    print(f"anchor (bare DuckDB quantile_cont): {before['baseline_s']:.2f} s before, {after['baseline_s']:.2f} s "
          f"after; peak {max(before['peak_gb'], after['peak_gb']):.2f} GB")  # fmt: skip
    print(f"service_kpis ({args.route}) by unit and month: {report['kpi_s']:.2f} s in the call ({wall:.1f} s child "
          f"wall time with imports, {report['cpu_s']:.1f} s CPU), ratio to the anchor {ratio:.2f} "
          f"(target {TARGET_RATIO:g}), peak RSS {peak_gb:.2f} GB (target {TARGET_GB:g}); "
          f"load average {load:.1f}")  # fmt: skip
    errors = check(path, sample, units)
    if report["cases"] != args.rows:
        errors.append(f"return_rate n sums to {report['cases']}, not {args.rows} rows")
    for line in errors[:10]:
        print("MISMATCH", line)
    missed = []
    if ratio > TARGET_RATIO:
        missed.append(f"ratio {ratio:.2f} > {TARGET_RATIO:g}")
    if peak_gb > TARGET_GB:
        missed.append(f"peak {peak_gb:.2f} GB > {TARGET_GB:g} GB")
    if load < QUIET_LOAD and report["kpi_s"] > TARGET_SECONDS:
        missed.append(f"{report['kpi_s']:.2f} s > {TARGET_SECONDS:g} s on a quiet machine")
    elif load >= QUIET_LOAD:
        print(f"absolute time not judged at load {load:.1f}: the {TARGET_SECONDS:g} s target is for a quiet machine")
    for line in missed:
        print("TARGET MISSED", line)
    return 1 if errors or missed else 0


if __name__ == "__main__":
    sys.exit(main())
