"""Survei Kepuasan Masyarakat responses (PermenPANRB 14/2017), with one unit's drop (planted effect 3).

Each service unit runs the survey every year on at least the Krejcie & Morgan sample for its stated
population of service users (the unit's cases that year for the kelurahan and the kantor camat; an
assumed number of visits for the puskesmas and pustu). An answer is a latent normal
x = m_item + respondent + noise cut at 1.5, 2.5 and 3.5, so the expected answer (the population NRR)
is 1 + sum_c Phi((m - c) / sd) exactly; U3 waktu penyelesaian has the lowest mean. In ``DROP_UNIT``
and ``DROP_YEAR`` the latent means of ``DROP_SHIFT``'s items fall.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
from scipy.special import ndtr

from . import _params as P
from ._calendar import random_working_days
from .services import CATALOGUE

__all__ = ["krejcie_morgan", "expected_answer", "item_means", "build_survei", "SARAN"]

VISITS: Final = {"puskesmas": (26000, 34000), "puskesmas_pembantu": (4000, 7000)}
"""Assumed yearly visits (the survey population) of the puskesmas and each pustu."""
SURVEY_SERVICES: Final = {
    "puskesmas": (
        ("Pemeriksaan Umum", 0.40),
        ("Kesehatan Ibu dan Anak", 0.20),
        ("Kesehatan Gigi dan Mulut", 0.10),
        ("Imunisasi", 0.10),
        ("Laboratorium", 0.10),
        ("Surat Keterangan Sehat", 0.10),
    ),
    "puskesmas_pembantu": (("Pemeriksaan Umum", 0.6), ("Kesehatan Ibu dan Anak", 0.25), ("Imunisasi", 0.15)),
}
SARAN: Final = (
    "Pelayanan sudah baik, pertahankan.",
    "Waktu penyelesaian surat agar dipercepat.",
    "Petugas agar lebih ramah.",
    "Ruang tunggu perlu ditambah kursi.",
    "Persyaratan agar ditempel di papan pengumuman.",
    "Antrean terlalu lama.",
    "Mohon disediakan layanan daring.",
    "Toilet kurang bersih.",
    "Petugas sering tidak ada di tempat.",
    "Terima kasih, pelayanan cepat.",
    "Tempat parkir kurang luas.",
    "Layanan gratis, terima kasih.",
    "Jam pelayanan agar tepat waktu.",
    "Perlu kotak saran yang mudah dijangkau.",
)
_SARAN_WEIGHT = np.array([3, 2, 1, 1, 1, 1, 1, 1, 0.5, 3, 0.5, 1, 1, 0.5])
_SARAN_DROP = np.array([1, 5, 4, 1, 1, 4, 1, 1, 4, 0.5, 0.5, 0.5, 3, 0.5])  # complaints about time and staff
_PEKERJAAN: Final = (
    ("Wiraswasta", 0.25),
    ("Pegawai Swasta", 0.20),
    ("Ibu Rumah Tangga", 0.20),
    ("Pelajar/Mahasiswa", 0.12),
    ("PNS/TNI/Polri", 0.08),
    ("Buruh", 0.08),
    ("Lainnya", 0.07),
)
_EDU_SHARE: Final = {"SD": 0.10, "SMP": 0.15, "SMA": 0.45, "D3": 0.08, "D4": 0.01, "S1": 0.18, "S2": 0.03}
CUTS: Final = (1.5, 2.5, 3.5)


def krejcie_morgan(population: np.ndarray | int) -> np.ndarray:
    """Krejcie & Morgan (1970) sample size, chi2 = 3.841, P = 0.5, d = 0.05, rounded to nearest.

    >>> krejcie_morgan(np.array([100, 1000, 10000])).tolist()
    [80, 278, 370]
    """
    n = np.asarray(population, dtype=float)
    s = 3.841 * n * 0.25 / (0.05**2 * (n - 1) + 3.841 * 0.25)
    return np.floor(s + 0.5).astype(np.int64)


def expected_answer(mean: np.ndarray) -> np.ndarray:
    """Expected answer (1-4) for a latent mean, with the answer noise of the survey model."""
    sd = np.hypot(P.RESPONDENT_SD, P.ITEM_SD)
    return 1.0 + sum(ndtr((np.asarray(mean) - c) / sd) for c in CUTS)


def item_means(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    """Latent item means per service unit and year (u1..u9), including the planted drop."""
    rows = []
    base = np.asarray(P.ITEM_LATENT_MEAN)
    for _, unit in units.iterrows():
        unit_level = 0.06 * rng.standard_normal() + 0.04 * rng.standard_normal(base.size)
        for year in P.YEARS:
            m = base + unit_level + 0.01 * (year - 2019) + 0.03 * rng.standard_normal(base.size)
            if unit["code"] == P.DROP_UNIT and year == P.DROP_YEAR:
                for item, shift in P.DROP_SHIFT.items():
                    m[int(item[1:]) - 1] += shift
            rows.append((unit["unit_id"], year, *m))
    return pd.DataFrame(rows, columns=["unit_id", "tahun", *[f"u{i}" for i in range(1, 10)]])


def _pick(rng: np.random.Generator, options, size: int) -> np.ndarray:
    names = np.array([o for o, _ in options], dtype=object)
    weights = np.array([w for _, w in options])
    return names[rng.choice(names.size, size=size, p=weights / weights.sum())]


def build_survei(
    rng: np.random.Generator, units: pd.DataFrame, case_counts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``survei`` table and, per unit-year, the stated population, sample size and latent means."""
    service_units = units.loc[units["jenis_unit"].isin(list(P.SERVICE_VOLUME))]
    means = item_means(rng, service_units)
    counts = case_counts.set_index(["unit_id", "tahun"])["n"]
    parts, design = [], []
    for _, unit in service_units.iterrows():
        kind = unit["jenis_unit"]
        visits = rng.uniform(*VISITS[kind]) if kind in VISITS else None
        options = SURVEY_SERVICES.get(kind) or tuple((name, w) for name, _, w in CATALOGUE[kind])
        for year in P.YEARS:
            if visits is None:
                population = int(counts.get((unit["unit_id"], year), 0))
            else:
                population = int(round(visits * P.SERVICE_VOLUME_FACTOR[year]))
            n = int(krejcie_morgan(population)) + int(rng.integers(0, 16))
            m = means.loc[(means["unit_id"] == unit["unit_id"]) & (means["tahun"] == year)].iloc[0, 2:].to_numpy(float)
            latent = m + P.RESPONDENT_SD * rng.standard_normal((n, 1)) + P.ITEM_SD * rng.standard_normal((n, m.size))
            answers = 1 + (latent[..., None] > np.asarray(CUTS)).sum(axis=-1)
            dropped = unit["code"] == P.DROP_UNIT and year == P.DROP_YEAR
            weights = _SARAN_DROP if dropped else _SARAN_WEIGHT
            says = rng.random(n) < (0.45 if dropped else 0.3)
            saran = np.asarray(SARAN, dtype=object)[rng.choice(len(SARAN), size=n, p=weights / weights.sum())]
            dates = np.sort(random_working_days(rng, np.datetime64(f"{year}-06-01"), np.datetime64(f"{year}-11-30"), n))
            frame = pd.DataFrame(answers, columns=[f"u{i}" for i in range(1, 10)])
            frame.insert(0, "responden_id", [f"SKM-{unit['unit_id']}-{year}-{k + 1:04d}" for k in range(n)])
            frame.insert(1, "unit_id", unit["unit_id"])
            frame.insert(2, "jenis_layanan", _pick(rng, options, n))
            frame.insert(3, "tanggal", dates)
            woman = rng.random(n) < 0.55
            frame["jenis_kelamin"] = np.where(woman, "P", "L")
            frame["usia"] = np.clip(np.round(rng.normal(40, 13, n)), 17, 80).astype(np.int64)
            frame["pendidikan"] = _pick(rng, tuple(_EDU_SHARE.items()), n)
            job = _pick(rng, _PEKERJAAN, n)
            frame["pekerjaan"] = np.where(~woman & (job == "Ibu Rumah Tangga"), "Wiraswasta", job)
            frame["saran"] = np.where(says, saran, None)
            parts.append(frame)
            design.append(
                (
                    unit["unit_id"],
                    year,
                    population,
                    n,
                    "kasus layanan tahun itu" if visits is None else "kunjungan per tahun (asumsi)",
                )
            )
    survei = pd.concat(parts, ignore_index=True)
    design_frame = pd.DataFrame(design, columns=["unit_id", "tahun", "populasi", "n", "sumber_populasi"])
    return survei, design_frame.merge(means, on=["unit_id", "tahun"])
