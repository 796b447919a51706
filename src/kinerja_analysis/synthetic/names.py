"""Synthetic names: a first name and often a family-style second name from small built-in lists.

Names are drawn at random, so they belong to nobody; a few carry Palembang's traditional titles
(Kemas, Kiagus, Masagus, Nyimas, Nyayu, Masayu) for local colour.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import numpy as np
import pandas as pd

from ._tables import text_from_codes

__all__ = ["draw_names"]

_MALE: Final = (
    "Ahmad", "Agus", "Andi", "Arif", "Bambang", "Budi", "Dedi", "Dimas", "Eko", "Fajar", "Fauzi", "Firman",
    "Gilang", "Hendra", "Heri", "Herman", "Ilham", "Iqbal", "Irfan", "Joko", "Kurnia", "Muhammad", "Nanda",
    "Rahmat", "Reza", "Rizki", "Rudi", "Sigit", "Slamet", "Taufik", "Teguh", "Wahyu", "Yudi", "Zainal", "Hasan",
    "Anton", "Rian", "Yoga", "Zulkifli", "Syarif",
)  # fmt: skip
_FEMALE: Final = (
    "Ani", "Ayu", "Dewi", "Dian", "Eka", "Fitri", "Indah", "Intan", "Kartika", "Maya", "Mega", "Nur", "Novi",
    "Putri", "Rina", "Ratna", "Sari", "Siti", "Sri", "Tuti", "Wulan", "Yuni", "Yanti", "Desi", "Erna", "Lina",
    "Nurul", "Rahma", "Rini", "Winda", "Citra", "Febri", "Hani", "Lia", "Melati", "Nia", "Okta", "Puspa",
    "Resti", "Vina",
)  # fmt: skip
_LAST_MALE: Final = (
    "Saputra", "Pratama", "Hidayat", "Setiawan", "Kurniawan", "Wibowo", "Firmansyah", "Ramadhan", "Gunawan",
    "Syahputra", "Nugroho", "Santoso", "Hakim", "Rahman", "Maulana", "Wijaya", "Kusuma", "Hermawan", "Irawan",
    "Fadillah",
)  # fmt: skip
_LAST_FEMALE: Final = (
    "Saputri", "Pratiwi", "Hidayati", "Setiawati", "Kurniawati", "Handayani", "Lestari", "Susanti", "Anggraini",
    "Oktaviani", "Rahmawati", "Wulandari", "Permatasari", "Puspitasari", "Maharani", "Wijaya", "Kusuma",
    "Fitriani", "Yuliani", "Safitri",
)  # fmt: skip
_TITLE_MALE: Final = ("Kemas", "Kiagus", "Masagus")
_TITLE_FEMALE: Final = ("Nyimas", "Nyayu", "Masayu")
_N_FIRST, _N_LAST, _N_TITLE = len(_MALE), len(_LAST_MALE), len(_TITLE_MALE)


@cache
def _labels() -> tuple[str, ...]:
    """Every possible name, indexed by ((woman x 4 + title) x 40 + first) x 21 + last (0 = none)."""
    out = []
    for first_names, last_names, titles in ((_MALE, _LAST_MALE, _TITLE_MALE), (_FEMALE, _LAST_FEMALE, _TITLE_FEMALE)):
        for title in ("", *titles):
            for first in first_names:
                for last in ("", *last_names):
                    out.append(" ".join(part for part in (title, first, last) if part))
    return tuple(out)


def draw_names(rng: np.random.Generator, woman: np.ndarray) -> pd.Series:
    """One synthetic name per person (a ``str`` Series); ``woman`` is a boolean array.

    >>> draw_names(np.random.default_rng(1), np.array([True, False])).str.len().gt(2).tolist()
    [True, True]
    """
    n = woman.size
    first = rng.integers(0, _N_FIRST, size=n)
    last = np.where(rng.random(n) < 0.2, 0, rng.integers(1, _N_LAST + 1, size=n))  # many have one name
    title = np.where(rng.random(n) < 0.05, rng.integers(1, _N_TITLE + 1, size=n), 0)
    code = ((woman.astype(np.int64) * (_N_TITLE + 1) + title) * _N_FIRST + first) * (_N_LAST + 1) + last
    return text_from_codes(_labels(), code)
