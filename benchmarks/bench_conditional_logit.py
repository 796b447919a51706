"""Benchmark: the conditional logit of selection at national scale (100,000 selections of about 5 candidates).

A child process generates the selections (3 to 7 candidates each, mean 5; six terms shaped like the
design's: two scores, a top-rating indicator, JP, years of service, age), the winner of each being the
candidate with the highest utility beta . x + Gumbel noise, so that the truth is a conditional logit.
It then fits :func:`kinerja_analysis.merit.model.selection_model` (statsmodels ``ConditionalLogit``,
Newton) and, for comparison, the vectorised one-winner Newton fit used for bootstrap replicates
(:func:`kinerja_analysis.merit.model.clogit_newton`). The parent reads the child's peak resident
memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``). The checks, so that a fast but wrong fit fails:
the two fits agree to 1e-5, and every estimate lies within 5 standard errors of the truth (a bound for
gross errors, not a test: with the default seed one term lands 4.3 SE away, see benchmarks/README.md).

Run: ``python benchmarks/bench_conditional_logit.py [--selections N] [--seed S]``. Targets on 2 cores:
``selection_model`` at most 300 s and 4 GB. Exit status 1 when a target or the check is missed.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys

TARGET_SECONDS, TARGET_GB = 300.0, 4.0

CHILD = """
import json, sys, time
import numpy as np
import pandas as pd
from kinerja_analysis.merit.model import clogit_newton, prepare_choices, selection_model

n_sel, seed = int(sys.argv[1]), int(sys.argv[2])
beta = {"skor_kompetensi": 0.08, "skor_potensi": 0.05, "predikat_sangat_baik": 0.3, "jp_setahun": 0.004,
        "masa_kerja_tahun": 0.10, "usia_tahun": -0.02}
t0 = time.perf_counter()
rng = np.random.default_rng(seed)
sizes = rng.integers(3, 8, n_sel)
n = int(sizes.sum())
group = np.repeat(np.arange(n_sel), sizes)
ability = rng.standard_normal(n)
x = {
    "skor_kompetensi": np.clip(np.round(68 + 8 * ability + 6 * rng.standard_normal(n), 1), 0, 100),
    "skor_potensi": np.clip(np.round(65 + 6 * ability + 8 * rng.standard_normal(n), 1), 0, 100),
    "predikat_sangat_baik": (ability + rng.standard_normal(n) > 1.6).astype(float),
    "jp_setahun": rng.gamma(1.5, 16, n).round(),
    "masa_kerja_tahun": rng.uniform(4, 30, n),
}
x["usia_tahun"] = 22 + x["masa_kerja_tahun"] + rng.uniform(0, 12, n)
utility = sum(beta[k] * x[k] for k in beta) + rng.gumbel(size=n)
starts = np.r_[0, np.cumsum(sizes)[:-1]]
winner = starts + np.array([np.argmax(u) for u in np.split(utility, starts[1:])])
chosen = np.zeros(n, bool)
chosen[winner] = True
design = pd.DataFrame({"seleksi_id": pd.Series(group).map("SEL-{:06d}".format).astype("str"),
                       "nip": pd.Series(np.arange(n)).map("{:018d}".format).astype("str"),
                       "terpilih": chosen, **x})
generate = time.perf_counter() - t0
terms = list(beta)
t0 = time.perf_counter()
table = selection_model(design, terms=terms)
fit = time.perf_counter() - t0
t0 = time.perf_counter()
choices = prepare_choices(design, terms=terms)
fast_beta, _ = clogit_newton(choices.y, choices.x, choices.starts)
fast = time.perf_counter() - t0
est, se = table["estimate"].to_numpy(), table["std_error"].to_numpy()
truth = np.array([beta[t] for t in terms])
print(json.dumps({"selections": n_sel, "candidates": n, "generate_s": generate, "selection_model_s": fit,
                  "fast_newton_s": fast, "max_z": float(np.max(np.abs(est - truth) / se)),
                  "fast_vs_statsmodels": float(np.max(np.abs(fast_beta - est)))}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--selections", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    out = subprocess.run([sys.executable, "-c", CHILD, str(args.selections), str(args.seed)], capture_output=True,
                         text=True, check=False)  # fmt: skip
    if out.returncode:
        print(out.stderr, file=sys.stderr)
        return 1
    res = json.loads(out.stdout)
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e9  # Linux reports KiB
    print(f"{platform.machine()}, python {platform.python_version()}")
    print(
        f"{res['selections']:,} selections, {res['candidates']:,} candidates (generated in {res['generate_s']:.1f} s)"
    )
    print(f"selection_model (statsmodels ConditionalLogit, Newton): {res['selection_model_s']:.1f} s")
    print(f"clogit_newton (vectorised, one winner): {res['fast_newton_s']:.2f} s; "
          f"largest difference from statsmodels {res['fast_vs_statsmodels']:.1e}")  # fmt: skip
    print(f"peak RSS of the child: {peak_gb:.2f} GB; largest |estimate - truth| / SE: {res['max_z']:.2f}")
    ok = res["selection_model_s"] <= TARGET_SECONDS and peak_gb <= TARGET_GB and res["max_z"] < 5
    ok = ok and res["fast_vs_statsmodels"] < 1e-5
    print("targets met" if ok else "target or check MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
