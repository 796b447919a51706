"""Benchmark: ``parse_nip`` and ``nip_key`` on 4.3 million NIPs (all ASN nationally), target at most 5 s.

Generates the NIPs in memory, vectorised: PNS and PPPK in the national proportions (DOMAIN.md section 9),
about 2% valid but written messily (printed form with spaces, a leading apostrophe, surrounding
spaces) and a known number of planted defects. It then times ``parse_nip`` on them as a ``str``
Series, the way a CSV read as text gives them. The time is the best of 3 runs (the first, cold run is
printed too). Peak memory is the resident set size (sampled every 2 ms from ``/proc/self/statm``, or
``ru_maxrss`` where there is no ``/proc``) above its level just before the call. The benchmark fails
unless exactly the planted defects come back invalid, so a parser that is fast but wrong fails.

Run: ``python benchmarks/bench_parse_nip.py [--rows N]``. Exit status 1 when slower than the target
or wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import threading
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.data.nip import nip_key, parse_nip

N_ROWS = 4_300_000
TARGET_SECONDS = 5.0
SHARE_PPPK = 0.16  # 0.73 M of 4.47 M ASN, Dec 2023 (DOMAIN.md section 9)
SHARE_WOMEN = 0.55
SHARE_MESSY = 0.02  # valid after normalisation
# Planted defects, as shares of the rows, each making its row invalid for one known reason.
DEFECTS = {
    "17 digits": 0.005,
    "scientific float": 0.005,
    "float with .0": 0.005,
    "birth date 31 Feb": 0.005,
    "sex digit 3": 0.005,
    "missing": 0.005,
}


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _set(arr: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    order = np.argsort(rows)  # replace_with_mask takes the replacements in row order
    return pc.replace_with_mask(arr, pa.array(mask), values.take(pa.array(order)))


def generate(n: int, *, seed: int = 2025) -> tuple[pd.Series, int]:
    """``n`` NIPs as a ``str`` Series, and how many of them are planted defects."""
    rng = np.random.default_rng(seed)
    birth = np.datetime64("1960-01-01") + rng.integers(0, 365 * 45, n).astype("timedelta64[D]")
    birth_month = birth.astype("datetime64[M]")
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    md = (birth_month.astype(np.int64) % 12 + 1) * 100 + (birth - birth_month.astype("datetime64[D]")).astype(int) + 1
    # PNS: TMT CPNS the first of a month after the 18th birthday. PPPK: appointed at least 18 years after birth.
    tmt = birth_month + 12 * 18 + 1 + rng.integers(0, 12 * 25, n)
    pppk = rng.random(n) < SHARE_PPPK
    pppk_year = year + 18 + rng.integers(0, 25, n)
    code = np.where(
        pppk,
        pppk_year * 100 + 20 + rng.integers(1, 10, n),
        (tmt.astype(np.int64) // 12 + 1970) * 100 + tmt.astype(np.int64) % 12 + 1,
    )
    sex = np.where(rng.random(n) < SHARE_WOMEN, 2, 1)
    value = ((year * 10000 + md) * 10**10 + code * 10**4 + sex * 1000 + rng.integers(1, 1000, n)).astype(np.int64)
    nip = pa.array(value).cast(pa.string())

    rows = rng.permutation(n)
    k = 0

    def take(share: float) -> np.ndarray:
        nonlocal k
        m = int(round(share * n))
        k += m
        return rows[k - m : k]

    def digits(r: np.ndarray, start: int, stop: int | None = None) -> pa.Array:
        return pc.utf8_slice_codeunits(nip.take(pa.array(r)), start, stop)

    messy = take(SHARE_MESSY)
    printed = _join(digits(messy, 0, 8), " ", digits(messy, 8, 14), " ", digits(messy, 14, 15), " ", digits(messy, 15))
    styles = [_join("'", digits(messy, 0)), _join("  ", digits(messy, 0), " "), printed]
    messy_text = pc.if_else(
        pa.array(messy % 3 == 0), styles[0], pc.if_else(pa.array(messy % 3 == 1), styles[1], styles[2])
    )
    planted = {name: take(share) for name, share in DEFECTS.items()}
    changes = [
        (messy, messy_text),
        (planted["17 digits"], digits(planted["17 digits"], 1)),
        (
            planted["scientific float"],
            _join(digits(planted["scientific float"], 0, 1), ".", digits(planted["scientific float"], 1, 15), "E+17"),
        ),
        (planted["float with .0"], _join(digits(planted["float with .0"], 0, 15), "000.0")),
        (
            planted["birth date 31 Feb"],
            _join(digits(planted["birth date 31 Feb"], 0, 4), "0231", digits(planted["birth date 31 Feb"], 8)),
        ),
        (planted["sex digit 3"], _join(digits(planted["sex digit 3"], 0, 14), "3", digits(planted["sex digit 3"], 15))),
        (planted["missing"], pa.nulls(len(planted["missing"]), pa.string())),
    ]
    for r, new in changes:
        nip = _set(nip, r, new)
    n_bad = sum(len(r) for r in planted.values())
    return pd.Series(nip.to_pandas().array, copy=False), n_bad


def _rss() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def measure(fn, *args) -> tuple[float, float, object]:
    """Seconds and peak resident memory (MiB) above the level before the call, and the result."""
    base = _rss()
    peak = [base or 0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.002):
            peak[0] = max(peak[0], _rss() or 0)

    if base is None:  # no /proc: fall back to the process's lifetime peak, which underestimates
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    out = fn(*args)
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    peak[0] = max(peak[0], _rss() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    return seconds, (peak[0] - base) / 2**20, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=N_ROWS, help=f"number of NIPs (default {N_ROWS:,})")
    args = parser.parse_args()
    t0 = time.perf_counter()
    nips, n_bad = generate(args.rows)
    print(f"generated {len(nips):,} NIPs ({n_bad:,} planted defects) in {time.perf_counter() - t0:.1f} s")

    runs = [measure(parse_nip, nips) for _ in range(3)]
    seconds = [r[0] for r in runs]
    memory = max(r[1] for r in runs)
    df = runs[-1][2]
    n_invalid = int((~df["valid"]).sum())
    key_seconds = min(measure(nip_key, nips)[0] for _ in range(3))

    best = min(seconds)
    target = TARGET_SECONDS * len(nips) / N_ROWS
    right = n_invalid == n_bad
    print(
        f"{dt.date.today()} | {platform.machine()}, {os.cpu_count()} cores | {len(nips):,} NIPs | "
        f"parse_nip best of 3 {best:.2f} s (runs {', '.join(f'{s:.2f}' for s in seconds)}) | "
        f"peak memory +{memory:,.0f} MiB | nip_key best of 3 {key_seconds:.2f} s | "
        f"invalid {n_invalid:,} of {n_bad:,} planted"
    )
    kinds = df["reason"].str.replace(r"\d{8}", "YYYYMMDD", regex=True).str.replace(r" \(.*", "", regex=True)
    print("invalid by reason:", kinds.value_counts().to_dict())
    if not right:
        print(f"WRONG: {n_invalid:,} invalid, but {n_bad:,} defects were planted")
    if best > target:
        print(f"SLOW: best {best:.2f} s is over the target {target:.2f} s")
    return 0 if right and best <= target else 1


if __name__ == "__main__":
    raise SystemExit(main())
