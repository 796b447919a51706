"""Selections for promotion, rotation and rank (seleksi), with seniority and gender tilts (planted effect 2).

Each selection draws 3-6 PNS candidates of one instansi (in Plaju, one per sector) who are in post that
day with at least four years of service. Scores come from ability plus noise. The one candidate chosen maximises
``beta . x + Gumbel noise``, which is exactly a conditional logit with utility
0.08 skor_kompetensi + 0.05 skor_potensi + 0.10 masa_kerja_tahun - 0.69 (woman in Dinas Pendidikan):
service years count beyond merit, and women's odds in Dinas Pendidikan are halved.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from . import _params as P
from ._calendar import random_working_days
from .people import YEAR_DAYS

__all__ = ["build_seleksi", "TARGETS"]

TARGETS: Final = {
    ("pendidikan", "promosi"): ("Kepala Sekolah", "Wakil Kepala Sekolah", "Pengawas Sekolah"),
    ("pendidikan", "rotasi"): ("Guru Mata Pelajaran (mutasi antarsekolah)", "Kepala Sekolah (rotasi)"),
    ("pendidikan", "kenaikan_pangkat"): ("Kenaikan Pangkat Pilihan Guru",),
    ("kesehatan", "promosi"): ("Kepala Subbagian Tata Usaha Puskesmas", "Kepala Puskesmas", "Koordinator Pelayanan"),
    ("kesehatan", "rotasi"): ("Penanggung Jawab Puskesmas Pembantu", "Koordinator Program Gizi"),
    ("kesehatan", "kenaikan_pangkat"): ("Kenaikan Pangkat Pilihan Tenaga Kesehatan",),
    ("pemerintahan", "promosi"): ("Lurah", "Sekretaris Lurah", "Kepala Seksi Pelayanan Umum", "Sekretaris Camat"),
    ("pemerintahan", "rotasi"): ("Kepala Seksi Pemerintahan (rotasi)", "Lurah (rotasi)"),
    ("pemerintahan", "kenaikan_pangkat"): ("Kenaikan Pangkat Pilihan Pelaksana",),
}
_JENIS: Final = ("promosi", "rotasi", "kenaikan_pangkat")
_JENIS_SHARE: Final = (0.45, 0.25, 0.30)
MIN_SERVICE_YEARS: Final = 4.0


def build_seleksi(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    """The ``seleksi`` table plus internal ``masa_kerja_tahun``, ``perempuan_dinas_pendidikan``, ``utility``."""
    tmt = people["tmt_cpns"].to_numpy().astype("datetime64[D]")
    exit_date = people["tanggal_keluar"].to_numpy().astype("datetime64[D]")
    pns = people["status"].to_numpy() == "pns"
    sector = people["sektor"].to_numpy()
    instansi = people["instansi"].to_numpy()
    woman = people["jenis_kelamin"].to_numpy() == "P"
    ability = people["ability"].to_numpy()
    sectors = tuple(P.SELECTION_INSTANSI_SHARE)
    beta = P.SELECTION_COEFFICIENTS
    rows = []
    for year in P.YEARS:
        n_sel = int(rng.integers(P.SELECTIONS_PER_YEAR[0], P.SELECTIONS_PER_YEAR[1] + 1))
        dates = np.sort(random_working_days(rng, np.datetime64(f"{year}-01-15"), np.datetime64(f"{year}-12-15"), n_sel))
        for k, date in enumerate(dates):
            sector_k = sectors[rng.choice(len(sectors), p=list(P.SELECTION_INSTANSI_SHARE.values()))]
            jenis = _JENIS[rng.choice(len(_JENIS), p=_JENIS_SHARE)]
            targets = TARGETS[(sector_k, jenis)]
            service = (date - tmt).astype(np.int64) / YEAR_DAYS
            pool = np.flatnonzero(
                pns & (sector == sector_k) & (service >= MIN_SERVICE_YEARS) & (np.isnat(exit_date) | (exit_date > date))
            )
            size = min(int(rng.integers(P.CANDIDATES_PER_SELECTION[0], P.CANDIDATES_PER_SELECTION[1] + 1)), pool.size)
            cand = rng.choice(pool, size=size, replace=False)
            komp = np.clip(np.round(68 + 8 * ability[cand] + 6 * rng.standard_normal(size), 1), 0, 100)
            pot = np.clip(np.round(65 + 6 * ability[cand] + 8 * rng.standard_normal(size), 1), 0, 100)
            years = service[cand]
            woman_dinpen = woman[cand] & pd.Series(instansi[cand]).str.startswith("Dinas Pendidikan").to_numpy()
            utility = (
                beta["skor_kompetensi"] * komp
                + beta["skor_potensi"] * pot
                + beta["masa_kerja_tahun"] * years
                + beta["perempuan_dinas_pendidikan"] * woman_dinpen
            )
            chosen = np.argmax(utility + rng.gumbel(size=size))
            rows.append(
                pd.DataFrame(
                    {
                        "seleksi_id": f"SEL-{year}-{k + 1:03d}",
                        "tanggal": date,
                        "jabatan_target": targets[rng.integers(len(targets))],
                        "jenis": jenis,
                        "nip": people["nip"].to_numpy()[cand],
                        "skor_kompetensi": komp,
                        "skor_potensi": pot,
                        "terpilih": np.arange(size) == chosen,
                        "masa_kerja_tahun": years,
                        "perempuan_dinas_pendidikan": woman_dinpen,
                        "utility": utility,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)
