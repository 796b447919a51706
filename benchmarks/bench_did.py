"""Benchmark: Callaway & Sant'Anna simple ATT with analytic standard errors on a national-size panel.

A child process builds a balanced employee-year panel in memory (default 4.3 million employees x 5 years
= 21.5 million rows: int64 employee key, year, cohort 0 or 2020-2023, outcome with employee and year
effects, noise and a planted effect that grows with time since training), then times
``staggered_att(..., aggregate="simple")`` (doubly robust, never-treated comparison, analytic SEs).
``--covariate`` adds one time-invariant covariate (the doubly robust logit and regression run in every
cell). The child checks the answer: the estimate must lie within 4 standard errors of the planted
average effect on the treated, so a fast but wrong estimator fails.

Reported: wall time of the call, the child's resident memory after building the panel and its peak
(``getrusage(RUSAGE_SELF).ru_maxrss``). Targets on 2 cores: at most 60 s and 8 GB peak.

Run: ``python benchmarks/bench_did.py [--employees N] [--covariate]``. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

TARGET_SECONDS, TARGET_GB = 60.0, 8.0

CHILD = """
import json, resource, sys, time
import numpy as np, pandas as pd
from kinerja_analysis.training.did.staggered import staggered_att
n, covariate = json.loads(sys.argv[1]), json.loads(sys.argv[2])
years = np.arange(2019, 2024)
rng = np.random.default_rng(2024)
cohort = np.where(rng.random(n) < 0.5, 0, rng.choice(years[1:], size=n))
size = rng.normal(size=n)
unit_effect = rng.normal(size=n) + 0.3 * size
tahun = np.tile(years, n)
g = np.repeat(cohort, len(years))
event = tahun - g
effect = np.where((g > 0) & (event >= 0), -0.3 - 0.1 * np.minimum(event, 2), 0.0)
y = np.repeat(unit_effect, len(years)) + 0.05 * (tahun - 2019) + rng.normal(size=n * len(years)) + effect
panel = pd.DataFrame({"nip_key": np.repeat(np.arange(n, dtype=np.int64) * 7 + 11, len(years)), "tahun": tahun,
                      "cohort": g, "y": y})
if covariate:
    panel["ukuran"] = np.repeat(size, len(years))
truth = float(effect[(g > 0) & (event >= 0)].mean())
del tahun, g, event, y, effect
base_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
t = time.perf_counter()
row = staggered_att(panel, outcome="y", unit="nip_key", time="tahun", cohort="cohort",
                    covariates=["ukuran"] if covariate else None, aggregate="simple").iloc[0]
seconds = time.perf_counter() - t
peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9
print(json.dumps({"seconds": seconds, "rows": len(panel), "base_gb": base_gb, "peak_gb": peak_gb,
                  "estimate": float(row["estimate"]), "se": float(row["std_error"]), "truth": truth}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=4_300_000, help="employees (default 4,300,000)")
    parser.add_argument("--covariate", action="store_true", help="condition on one covariate (dr with logit)")
    args = parser.parse_args()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(args.employees), json.dumps(args.covariate)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(out.stderr)
    res = json.loads(out.stdout)
    close = abs(res["estimate"] - res["truth"]) <= 4 * res["se"]
    met = res["seconds"] <= TARGET_SECONDS and res["peak_gb"] <= TARGET_GB and close
    print(
        f"staggered_att simple, {'one covariate' if args.covariate else 'no covariates'}: {res['rows']:,} rows, "
        f"{res['seconds']:.1f} s, RSS {res['base_gb']:.2f} GB after building the panel, peak {res['peak_gb']:.2f} GB; "
        f"estimate {res['estimate']:.5f} (SE {res['se']:.5f}), planted {res['truth']:.5f} -> "
        f"{'met' if met else 'NOT met'} (targets {TARGET_SECONDS:g} s, {TARGET_GB:g} GB, within 4 SE)"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
