"""Benchmark: recomputing a what-if scenario after a control moves (targets: 20 ms Plaju, 50 ms 100,000 employees).

Measures the cheap step only (the precompute runs once when the panel opens; its time is printed too):

- ``promotion_scenario`` on the demo Plaju design (278 selections, 1,249 candidates) and on a generated
  design for 100,000 employees (a quarter of them candidates: 25,000 candidates in 5,000 selections of
  3-7, scores N(68, 10), masa kerja 0-35 years, sex, four age bands, 40 instansi);
- ``training_scenario`` (effects of the demo panel), ``ikm_target`` (one unit), ``distribution_scenario``.

Each timing is the median of ``--repeat`` calls with the weights changing between calls, as a slider does.
The generated design is checked: the winner of 50 random selections is recomputed with pandas, and the
script exits 1 if any differs. It also exits 1 when a recompute's median exceeds its target (20 ms for the
Plaju-size and size-free scenarios, 50 ms for 100,000 employees).

The whole panel update is timed too (``widgets.*_panel``: moving a control runs the scenario, renders the
PNG figure and replaces the output), as a reader waits for it; it has no target of its own and is
reported only, since most of it is matplotlib drawing, not the scenario.

Run: ``python benchmarks/bench_whatif.py [--employees N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
import pandas as pd

from kinerja_analysis import feedback, load_dataset, paths, training, whatif
from kinerja_analysis.delivery import widgets
from kinerja_analysis.merit.design import selection_design


def _median_ms(call, repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _over(name: str, ms: float, target: float, failures: list[str]) -> None:
    """Record a recompute slower than its target."""
    if ms > target:
        failures.append(f"{name}: {ms:.2f} ms > target {target:g} ms")


def _panel_ms(panel: widgets.Panel, control: str, values: list, repeat: int) -> float:
    """Median time of one panel update: set a control (the observer runs the scenario and redraws)."""
    # start from a value different from the first one set, so every set triggers an update
    panel.controls[control].value = values[-1]

    def move(i: int) -> None:
        panel.controls[control].value = values[i % len(values)]

    return _median_ms(move, repeat)


def _generated_design(employees: int, rng: np.random.Generator) -> pd.DataFrame:
    sizes = rng.integers(3, 8, size=employees // 20)
    n = int(sizes.sum())
    seleksi = np.repeat([f"S{i:06d}" for i in range(len(sizes))], sizes)
    first = np.r_[0, np.cumsum(sizes)[:-1]]
    terpilih = np.zeros(n, dtype=bool)
    terpilih[first + rng.integers(0, sizes)] = True
    return pd.DataFrame({
        "seleksi_id": seleksi, "terpilih": terpilih, "skor_kompetensi": rng.normal(68, 10, n).round(1),
        "skor_potensi": rng.normal(68, 10, n).round(1), "masa_kerja_tahun": rng.uniform(0, 35, n),
        "predikat_sangat_baik": (rng.random(n) < 0.12).astype(float),
        "predikat_di_bawah_baik": (rng.random(n) < 0.02).astype(float),
        "jenis_kelamin": rng.choice(["L", "P"], n), "kelompok_usia": rng.choice(["<=30", "31-40", "41-50", "51-60"], n),
        "instansi": rng.choice([f"Instansi {i:02d}" for i in range(40)], n),
    })  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    weights = [{"kompetensi": 1.0, "potensi": 1.0, "kinerja": 0.5, "senioritas": s} for s in np.linspace(0, 2, 21)]
    failures: list[str] = []
    # slider positions the panels step through (consecutive values differ, so each set redraws)
    seniority = [round(float(s), 1) for s in np.linspace(0, 2, 21)]

    dataset = load_dataset(paths.demo_data_dir())
    start = time.perf_counter()
    plaju = whatif.promotion_inputs(selection_design(dataset))
    print(f"precompute promotion (Plaju design + arrays): {(time.perf_counter() - start) * 1000:.0f} ms")
    ms = _median_ms(lambda i: whatif.promotion_scenario(plaju, weights=weights[i % 21]), args.repeat)
    print(f"promotion_scenario, Plaju ({plaju.n_selections} selections, {len(plaju.group)} candidates): {ms:.2f} ms")
    _over("promotion_scenario, Plaju", ms, 20, failures)
    ms = _panel_ms(widgets.promotion_panel(plaju), "senioritas", seniority, args.repeat)
    print(f"promotion panel update, Plaju (scenario + publishable table + PNG figure): {ms:.1f} ms")

    design = _generated_design(args.employees, rng)
    start = time.perf_counter()
    big = whatif.promotion_inputs(design)
    print(f"precompute promotion ({args.employees:,} employees): {(time.perf_counter() - start) * 1000:.0f} ms")
    ms = _median_ms(lambda i: whatif.promotion_scenario(big, weights=weights[i % 21], min_potensi=60.0), args.repeat)
    print(f"promotion_scenario, {args.employees:,} employees ({big.n_selections:,} selections, "
          f"{len(big.group):,} candidates): {ms:.2f} ms")  # fmt: skip
    _over(f"promotion_scenario, {args.employees:,} employees", ms, 50, failures)
    ms = _panel_ms(widgets.promotion_panel(big, min_potensi=60.0), "senioritas", seniority, args.repeat)
    print(f"promotion panel update, {args.employees:,} employees (figure by jenis_kelamin): {ms:.1f} ms")

    # check: winners of 50 random selections recomputed with pandas
    r = whatif.promotion_scenario(big, weights=weights[5], standardize=False)
    d = design.sort_values("seleksi_id", kind="stable").reset_index(drop=True)
    score = d["skor_kompetensi"] + d["skor_potensi"] + 0.5 * (d["predikat_sangat_baik"] - d["predikat_di_bawah_baik"])
    score = score + weights[5]["senioritas"] * d["masa_kerja_tahun"]
    pick = rng.choice(big.n_selections, 50, replace=False)
    expected = score.groupby(d["seleksi_id"]).idxmax().to_numpy()[pick]
    if not np.array_equal(r.winner[pick], expected):
        print("MISMATCH: promotion winners differ from pandas", file=sys.stderr)
        return 1

    start = time.perf_counter()
    effects = whatif.training_effects(training.employee_year_panel(dataset, treatment=training.PROGRAMME))
    print(
        f"precompute training effects (panel + ATT per sector, 2 outcomes): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    ms = _median_ms(lambda i: whatif.training_scenario(effects, level="pemerintahan", reach=(i % 21) / 20), args.repeat)
    print(f"training_scenario: {ms:.2f} ms")
    _over("training_scenario", ms, 20, failures)
    ms = _panel_ms(widgets.training_panel(effects), "reach", [r / 20 for r in range(21)], args.repeat)
    print(f"training panel update: {ms:.1f} ms")

    units = feedback.ikm(dataset.survei, by="unit_id")
    nrr = units.iloc[0]
    ms = _median_ms(lambda i: whatif.ikm_target(nrr, mutu="AB"[i % 2]), args.repeat)
    print(f"ikm_target: {ms:.2f} ms")
    _over("ikm_target", ms, 20, failures)
    ms = _panel_ms(widgets.ikm_panel(units), "mutu", ["B", "A"], args.repeat)
    print(f"ikm panel update: {ms:.1f} ms")
    ms = _median_ms(
        lambda i: whatif.distribution_scenario({"Baik": 6 + i % 5, "Sangat Baik": 2, "Kurang": 1},
                                               predikat_organisasi="Baik"), args.repeat)  # fmt: skip
    print(f"distribution_scenario: {ms:.2f} ms")
    _over("distribution_scenario", ms, 20, failures)
    ms = _panel_ms(widgets.distribution_panel(), "Baik", [6, 7, 8, 9, 10], args.repeat)
    print(f"distribution panel update: {ms:.1f} ms")
    if failures:
        print("OVER TARGET: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("all recomputes within their targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
