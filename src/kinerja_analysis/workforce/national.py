"""Published national figures about the ASN workforce (DOMAIN.md section 9), with their sources.

They calibrate the synthetic Plaju and let a notebook set a local workforce beside the national one.
Shares are fractions of the stated population; each row keeps the confidence tag of DOMAIN.md.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["national_workforce"]

_ROWS: tuple[tuple[str, str, float, str, str], ...] = (
    # dimension, level, share, source, confidence
    ("jenis_kelamin", "P", 0.53, "BKN, PNS Desember 2023", "firm"),
    ("jenis_kelamin", "L", 0.47, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_usia", "<=30", 0.10, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_usia", "31-40", 0.24, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_usia", "41-50", 0.33, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_usia", "51-60", 0.34, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_masa_kerja", "0-10", 0.32, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_masa_kerja", "11-20", 0.52, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_masa_kerja", "21-30", 0.15, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_masa_kerja", ">30", 0.01, "BKN, PNS Juni 2023", "firm"),
    ("kelompok_pendidikan", "SD/SMP", 0.01, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_pendidikan", "SMA", 0.14, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_pendidikan", "D1/D2/D4", 0.04, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_pendidikan", "D3", 0.11, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_pendidikan", "S1", 0.56, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_pendidikan", "S2", 0.12, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_pendidikan", "S3", 0.01, "BKN, PNS Desember 2023", "firm"),
    ("kelompok_jabatan", "fungsional", 0.56, "BKN, PNS Juni 2023", "likely"),
    ("kelompok_jabatan", "pelaksana", 0.35, "BKN, PNS Juni 2023", "likely"),
    ("kelompok_jabatan", "manajerial", 0.09, "BKN, PNS Juni 2023", "likely"),
)


def national_workforce() -> pd.DataFrame:
    """National shares of PNS by sex, age band, tenure band, education and kind of position.

    Returns
    -------
    DataFrame
        ``dimension``, ``level``, ``share`` (fraction of PNS nationally), ``source``, ``confidence``
        ([firm] or [likely] as in DOMAIN.md). Published shares are rounded, so a dimension may sum to
        0.99-1.01.

    >>> t = national_workforce()
    >>> float(t.loc[(t.dimension == "jenis_kelamin") & (t.level == "P"), "share"].iloc[0])
    0.53
    """
    return pd.DataFrame(_ROWS, columns=["dimension", "level", "share", "source", "confidence"])
