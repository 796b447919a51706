"""Ranks and positions: golongan from education and tenure, jabatan titles, managerial posts.

Golongan follows the usual path roughly: entry rank by education (SMA II/a, D3 II/c, S1/D4 III/a,
S2 III/b, S3 III/c), one step every five years of service on average, capped by education and kind of
position.
Fungsional titles carry the grade that goes with the golongan (keahlian: ahli pertama III/a-III/b,
muda III/c-III/d, madya IV/a-IV/c, utama IV/d-IV/e; keterampilan: terampil up to II/d, mahir
III/a-III/b, penyelia from III/c). PPPK ranks I-XVII follow education only, since PPPK do not move up.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
import pandas as pd

from kinerja_analysis.data.schema import GOLONGAN_PNS, GOLONGAN_PPPK, JENIS_JABATAN, JENIS_UNIT, PENDIDIKAN

__all__ = [
    "golongan_index",
    "pppk_golongan_index",
    "draw_titles",
    "title_labels",
    "title_code",
    "TITLE_GROUPS",
    "MANAGERIAL_SLOTS",
    "assign_managerial",
    "golongan_labels",
]

_EDU = {name: i for i, name in enumerate(PENDIDIKAN)}
_ENTRY = np.array([0, 2, 4, 4, 5, 6, 8, 8, 9, 10])  # by PENDIDIKAN code: SD .. S3
# Highest rank reachable by education: pelaksana, then fungsional and managerial posts.
_CAP_PELAKSANA = np.array([7, 7, 9, 9, 9, 11, 11, 11, 12, 12])
_CAP_OTHER = np.array([7, 7, 10, 10, 10, 11, 12, 12, 13, 16])
_CAP_MANAGERIAL = {"pengawas": 12, "administrator": 13}
_PPPK_BY_EDU = np.array([0, 2, 4, 4, 5, 6, 8, 8, 9, 10])  # I, III, V, V, VI, VII, IX, IX, X, XI
STEP_YEARS: Final = 5.0
"""Average years between promotions in rank (four at the least; credit points and paperwork slow many)."""
PELAKSANA: Final = JENIS_JABATAN.index("pelaksana")
FUNGSIONAL: Final = JENIS_JABATAN.index("fungsional")


def golongan_index(edu: np.ndarray, tenure_years: np.ndarray, phase: np.ndarray, cap_kind: np.ndarray) -> np.ndarray:
    """Index into ``GOLONGAN_PNS`` after ``tenure_years`` of service.

    ``phase`` (0 to STEP_YEARS) places each person in the promotion cycle; ``cap_kind`` is 0 for pelaksana,
    1 for fungsional, 2 for pengawas and 3 for administrator.

    >>> golongan_index(np.array([7]), np.array([9.0]), np.array([1.5]), np.array([1])).tolist()  # S1, 9 years
    [10]
    """
    steps = np.floor((np.maximum(tenure_years, 0.0) + phase) / STEP_YEARS).astype(np.int64)
    cap = np.select(
        [cap_kind == 0, cap_kind == 1, cap_kind == 2],
        [_CAP_PELAKSANA[edu], _CAP_OTHER[edu], np.minimum(_CAP_OTHER[edu], _CAP_MANAGERIAL["pengawas"])],
        np.minimum(_CAP_OTHER[edu], _CAP_MANAGERIAL["administrator"]),
    )
    return np.minimum(_ENTRY[edu] + steps, np.maximum(cap, _ENTRY[edu]))


def pppk_golongan_index(edu: np.ndarray) -> np.ndarray:
    """Index into ``GOLONGAN_PPPK`` by education (S1 IX, D3 VII, SMA V, ...)."""
    return _PPPK_BY_EDU[edu]


# --- Titles ---------------------------------------------------------------------------------------

# (role, fungsional?, higher education?) -> candidate base titles and weights. "k" marks titles whose
# grade is keterampilan for D3 and below and keahlian above; "a" keahlian only; "" no grade.
_TITLES: Final = {
    ("guru", True, True): (("Guru", "a", 1.0),),
    ("guru", True, False): (("Guru", "a", 1.0),),
    ("nakes", True, False): (
        ("Perawat", "k", 0.35),
        ("Bidan", "k", 0.30),
        ("Perekam Medis", "k", 0.08),
        ("Sanitarian", "k", 0.07),
        ("Nutrisionis", "k", 0.07),
        ("Pranata Laboratorium Kesehatan", "k", 0.08),
        ("Asisten Apoteker", "k", 0.05),
    ),
    ("nakes", True, True): (
        ("Perawat", "k", 0.25),
        ("Bidan", "k", 0.15),
        ("Dokter", "a", 0.20),
        ("Dokter Gigi", "a", 0.08),
        ("Apoteker", "a", 0.07),
        ("Penyuluh Kesehatan Masyarakat", "a", 0.12),
        ("Epidemiolog Kesehatan", "a", 0.05),
        ("Administrator Kesehatan", "a", 0.08),
    ),
    ("staf_sekolah", False, None): (
        ("Pengadministrasi Sekolah", "", 0.6),
        ("Pengelola Keuangan Sekolah", "", 0.2),
        ("Penjaga Sekolah", "", 0.2),
    ),
    ("staf_sekolah", True, False): (("Pustakawan", "k", 0.5), ("Pranata Laboratorium Pendidikan", "k", 0.5)),
    ("staf_sekolah", True, True): (("Pustakawan", "k", 1.0),),
    ("staf_kesehatan", False, None): (
        ("Pengadministrasi Umum", "", 0.3),
        ("Pengadministrasi Pelayanan Pasien", "", 0.4),
        ("Pengelola Keuangan", "", 0.15),
        ("Pengemudi Ambulans", "", 0.15),
    ),
    ("staf_kesehatan", True, False): (("Pranata Komputer", "k", 0.5), ("Arsiparis", "k", 0.5)),
    ("staf_kesehatan", True, True): (("Pranata Komputer", "k", 0.5), ("Arsiparis", "k", 0.5)),
    ("pamong", False, None): (
        ("Pengadministrasi Umum", "", 0.3),
        ("Pengelola Layanan Kependudukan", "", 0.3),
        ("Pengadministrasi Keuangan", "", 0.15),
        ("Pengolah Data", "", 0.15),
        ("Pengadministrasi Perkantoran", "", 0.1),
    ),
    ("pamong", True, False): (("Pranata Komputer", "k", 0.5), ("Arsiparis", "k", 0.5)),
    ("pamong", True, True): (("Analis Kebijakan", "a", 0.5), ("Pranata Komputer", "k", 0.25), ("Arsiparis", "k", 0.25)),
}
_GRADES: Final = ("Ahli Pertama", "Ahli Muda", "Ahli Madya", "Ahli Utama", "Terampil", "Mahir", "Penyelia", "")
TITLE_GROUPS: Final = ("guru", "nakes", "staf_sekolah", "staf_kesehatan", "pamong")
"""Groups that ``draw_titles`` picks titles for (its ``group`` argument indexes this tuple)."""


def _grade(kind: str, high: np.ndarray, gol: np.ndarray, pppk: np.ndarray) -> np.ndarray:
    """Index into ``_GRADES`` per person for a title of ``kind`` ('a', 'k' or '')."""
    if kind == "":
        return np.full(gol.shape, 7)
    keahlian = np.where(pppk, 0, np.digitize(gol, [10, 12, 15]))
    keterampilan = np.where(pppk, 4, 4 + np.digitize(gol, [8, 10]))
    return keahlian if kind == "a" else np.where(high, keahlian, keterampilan)


def draw_titles(
    rng: np.random.Generator,
    *,
    group: np.ndarray,
    fungsional: np.ndarray,
    edu: np.ndarray,
    gol: np.ndarray,
    pppk: np.ndarray,
) -> np.ndarray:
    """Codes into :func:`title_labels` of non-managerial titles ("Guru Ahli Muda", "Pengadministrasi Umum")."""
    high = edu >= _EDU["D4"]
    bases = _bases()
    out = np.full(group.shape, -1, dtype=np.int64)
    for (name, f, h), options in _TITLES.items():
        mask = (group == TITLE_GROUPS.index(name)) & (fungsional == f)
        if h is not None:
            mask &= high == h
        n = int(mask.sum())
        if n == 0:
            continue
        weights = np.array([w for _, _, w in options])
        pick = rng.choice(len(options), size=n, p=weights / weights.sum())
        codes = np.empty(n, dtype=np.int64)
        for k, (base, kind, _) in enumerate(options):
            sel = pick == k
            grade = _grade(kind, high[mask][sel], gol[mask][sel], pppk[mask][sel])
            codes[sel] = bases.index(base) * len(_GRADES) + grade
        out[mask] = codes
    return out


MANAGERIAL_SLOTS: Final = {
    "kantor_camat": (
        ("Camat", "administrator"),
        ("Sekretaris Camat", "administrator"),
        ("Kepala Seksi Pemerintahan", "pengawas"),
        ("Kepala Seksi Pelayanan Umum", "pengawas"),
        ("Kepala Seksi Ketenteraman dan Ketertiban Umum", "pengawas"),
        ("Kepala Seksi Pemberdayaan Masyarakat", "pengawas"),
        ("Kepala Subbagian Umum dan Kepegawaian", "pengawas"),
    ),
    "kelurahan": (("Lurah", "pengawas"), ("Sekretaris Lurah", "pengawas")),
    "puskesmas": (("Kepala Subbagian Tata Usaha", "pengawas"),),
}
"""Managerial posts per kind of unit, most senior first (kepala sekolah and kepala puskesmas are
fungsional posts with an additional task, so they are not listed)."""


@cache
def _bases() -> tuple[str, ...]:
    names = [base for options in _TITLES.values() for base, _, _ in options]
    names += [name for slots in MANAGERIAL_SLOTS.values() for name, _ in slots]
    return tuple(dict.fromkeys(names))


@cache
def title_labels() -> tuple[str, ...]:
    """Every title a code can stand for: base title x grade (code = base index x 8 + grade index)."""
    return tuple(f"{b} {g}" if g else b for b in _bases() for g in _GRADES)


def title_code(base: str) -> int:
    """Code of an ungraded title (a managerial post, a pelaksana title)."""
    return _bases().index(base) * len(_GRADES) + len(_GRADES) - 1


def assign_managerial(
    unit: np.ndarray, kind: np.ndarray, eligible: np.ndarray, seniority: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Fill each unit's managerial posts with its most senior eligible people.

    ``kind`` is each person's kind of unit as an index into ``schema.JENIS_UNIT``. Returns title codes
    (-1 for everyone else) and the jenis_jabatan code of the post (-1 for others).
    """
    title = np.full(unit.shape, -1, dtype=np.int64)
    jenis = np.full(unit.shape, -1, dtype=np.int64)
    idx = np.flatnonzero(eligible)
    if idx.size == 0:
        return title, jenis
    order = idx[np.lexsort((-seniority[idx], unit[idx]))]
    ranked_units = unit[order]
    first = np.r_[True, ranked_units[1:] != ranked_units[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
    rank = np.arange(order.size) - start
    kinds = kind[order]
    for kind_name, slots in MANAGERIAL_SLOTS.items():
        for r, (name, level) in enumerate(slots):
            hit = order[(kinds == JENIS_UNIT.index(kind_name)) & (rank == r)]
            title[hit] = title_code(name)
            jenis[hit] = JENIS_JABATAN.index(level)
    return title, jenis


def golongan_labels(gol: np.ndarray, pppk: np.ndarray) -> pd.Categorical:
    """Golongan strings ("III/a", or "IX" for PPPK) as a categorical of all 34 ranks."""
    codes = np.where(pppk, len(GOLONGAN_PNS) + gol, gol)
    return pd.Categorical.from_codes(codes, categories=list(GOLONGAN_PNS + GOLONGAN_PPPK), ordered=True)
