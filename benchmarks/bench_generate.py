"""Benchmark: the synthetic generator at Plaju size and at national size (4.3 million ASN in post).

Each case runs in a child process, which reports the generation time; the parent reads the child's
peak resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, the largest child so far).
Targets on 2 cores: Plaju (all nine tables) at most 5 s; national ``unit_kerja`` and ``pegawai`` at most
45 s and 8 GB; with ``kinerja`` as well (30 million rows) at most 60 s and 10 GB. The child also checks
what it made, so a fast but wrong generator fails: the workforce on the reference date has exactly the
requested size, and every NIP is unique and valid.

Run: ``python benchmarks/bench_generate.py [--employees N] [--kinerja]`` (``--kinerja`` adds the
appraisal table, about 26 million rows nationally). Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys

TARGETS = {"plaju": (5.0, None), "national": (45.0, 8.0), "national+kinerja": (60.0, 10.0)}

CHILD = """
import json, sys, time
import pandas as pd
from kinerja_analysis.data.nip import parse_nip
from kinerja_analysis.synthetic import generate
scale, tables = json.loads(sys.argv[1]), json.loads(sys.argv[2])
t = time.perf_counter()
data = generate(scale=scale, tables=tables)
seconds = time.perf_counter() - t
peg = data["pegawai"]
ref = pd.Timestamp("2023-06-30")
in_post = int(((peg["tmt_cpns"] <= ref) & (peg["tanggal_keluar"].isna() | (peg["tanggal_keluar"] > ref))).sum())
valid = bool(parse_nip(peg["nip"])["valid"].all())
print(json.dumps({"seconds": seconds, "rows": {k: len(v) for k, v in data.tables.items()}, "in_post": in_post,
                  "unique": bool(peg["nip"].is_unique), "valid": valid}))
"""


def _run(scale: str | int, tables: list[str] | None) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(scale), json.dumps(tables)], capture_output=True,
                         text=True, check=False)  # fmt: skip
    if out.returncode:
        raise SystemExit(out.stderr)
    res = json.loads(out.stdout)
    res["peak_gb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e9  # Linux reports KiB
    return res


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=None, help="in post on 2023-06-30 (default 4,300,000)")
    parser.add_argument("--kinerja", action="store_true", help="also generate the kinerja table")
    args = parser.parse_args()
    ok = True

    plaju = _run("plaju", None)
    fine = plaju["seconds"] <= TARGETS["plaju"][0] and plaju["unique"] and plaju["valid"]
    print(f"plaju: {plaju['seconds']:.1f} s, rows {plaju['rows']}, NIPs unique and valid: "
          f"{plaju['unique'] and plaju['valid']} -> {'met' if fine else 'NOT met'}")  # fmt: skip
    ok &= fine

    scale = "national" if args.employees is None else args.employees
    expected = 4_300_000 if args.employees is None else args.employees
    tables = ["unit_kerja", "pegawai"] + (["kinerja"] if args.kinerja else [])
    big = _run(scale, tables)
    seconds, gb = TARGETS["national+kinerja" if args.kinerja else "national"]
    fine = (big["seconds"] <= seconds and big["peak_gb"] <= gb and big["in_post"] == expected and big["unique"]
            and big["valid"])  # fmt: skip
    print(f"{scale}: {big['seconds']:.1f} s, peak RSS {big['peak_gb']:.2f} GB, rows {big['rows']}, in post "
          f"{big['in_post']:,} (asked {expected:,}), NIPs unique {big['unique']}, valid {big['valid']} -> "
          f"{'met' if fine else 'NOT met'} (targets {seconds:g} s, {gb:g} GB)")  # fmt: skip
    ok &= fine
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
