"""The vocabulary of the canonical tables: enumerations in regulation order and export spellings.

Enumerated values are stored in one canonical spelling. Common spellings found in real exports
("Laki-laki", "III/A", "S-1", "DI ATAS EKSPEKTASI") are mapped onto it; the maps here are the
``value_aliases`` of the columns in :mod:`.tables_people` and :mod:`.tables_services`.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["str", "nip", "int", "float", "date", "bool", "category"]

# --- Enumerations (ordered where the regulation orders them) -------------------------------------

GOLONGAN_PNS: tuple[str, ...] = (
    "I/a", "I/b", "I/c", "I/d",
    "II/a", "II/b", "II/c", "II/d",
    "III/a", "III/b", "III/c", "III/d",
    "IV/a", "IV/b", "IV/c", "IV/d", "IV/e",
)  # fmt: skip
"""PNS golongan/ruang, 17 ordered steps (Juru Muda I/a ... Pembina Utama IV/e)."""

GOLONGAN_PPPK: tuple[str, ...] = (
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
    "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII",
)  # fmt: skip
"""PPPK golongan I-XVII. Their mapping onto PNS golongan is not settled (DOMAIN.md [open])."""

PREDIKAT: tuple[str, ...] = ("Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Sangat Baik")
"""Predikat kinerja of PermenPANRB 6/2022, worst to best. "Kurang" is the matrix's Kurang/Misconduct."""

RATING: tuple[str, ...] = ("di_bawah", "sesuai", "di_atas")
"""Rating hasil kerja / perilaku kerja against expectations (di bawah, sesuai, di atas ekspektasi)."""

KATEGORI_PP46: tuple[str, ...] = ("Buruk", "Kurang", "Cukup", "Baik", "Sangat Baik")
"""Categories of nilai prestasi kerja under PP 46/2011, worst to best."""

MUTU: tuple[str, ...] = ("D", "C", "B", "A")
"""Mutu pelayanan of the IKM (PermenPANRB 14/2017), worst to best."""

PENDIDIKAN: tuple[str, ...] = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
"""Highest education, lowest to highest."""

JENIS_JABATAN: tuple[str, ...] = (
    "pelaksana", "fungsional", "pengawas", "administrator", "jpt_pratama", "jpt_madya", "jpt_utama",
)  # fmt: skip
"""Kinds of position (UU 20/2023), non-managerial first, then managerial from the lowest."""

STATUS_PEGAWAI = ("pns", "pppk")
JENIS_KELAMIN = ("L", "P")
JENIS_UNIT = ("kantor_camat", "kelurahan", "puskesmas", "puskesmas_pembantu", "sd", "smp", "lainnya")
SEKTOR = ("pemerintahan", "kesehatan", "pendidikan")
JENIS_PELATIHAN = (
    "diklat_kepemimpinan", "diklat_fungsional", "diklat_teknis",
    "seminar", "workshop", "magang", "kursus",
)  # fmt: skip
JENIS_SELEKSI = ("promosi", "rotasi", "kenaikan_pangkat")
STATUS_LAYANAN = ("selesai", "ditolak", "dicabut", "proses")
STATUS_PENGADUAN = ("selesai", "proses")
TINGKAT_DISIPLIN = ("ringan", "sedang", "berat")

MATRIX: dict[tuple[str, str], str] = {
    ("di_atas", "di_atas"): "Sangat Baik",
    ("di_atas", "sesuai"): "Baik",
    ("di_atas", "di_bawah"): "Kurang",
    ("sesuai", "di_atas"): "Baik",
    ("sesuai", "sesuai"): "Baik",
    ("sesuai", "di_bawah"): "Kurang",
    ("di_bawah", "di_atas"): "Butuh Perbaikan",
    ("di_bawah", "sesuai"): "Butuh Perbaikan",
    ("di_bawah", "di_bawah"): "Sangat Kurang",
}
"""PermenPANRB 6/2022 matrix, (rating hasil kerja, rating perilaku kerja) -> predikat [firm].
"Kurang" is the matrix's Kurang/Misconduct. The loader checks a given predikat against it, and
:mod:`kinerja_analysis.appraisal.predikat_2022` computes predikat with it."""


# --- Spellings found in exports -------------------------------------------------------------------

SEX_SPELLINGS = {"l": "L", "lakilaki": "L", "laki": "L", "pria": "L", "male": "L", "m": "L", "1": "L",
        "p": "P", "perempuan": "P", "wanita": "P", "female": "P", "f": "P", "2": "P"}  # fmt: skip
STATUS_SPELLINGS = {"pns": "pns", "cpns": "pns", "pegawainegerisipil": "pns",
           "pppk": "pppk", "p3k": "pppk", "pppkparuhwaktu": "pppk"}  # fmt: skip
PREDIKAT_SPELLINGS = {"sangatbaik": "Sangat Baik", "baik": "Baik", "butuhperbaikan": "Butuh Perbaikan",
             "kurang": "Kurang", "kurangmisconduct": "Kurang", "misconduct": "Kurang",
             "sangatkurang": "Sangat Kurang"}  # fmt: skip
RATING_SPELLINGS = {"diatas": "di_atas", "diatasekspektasi": "di_atas", "atas": "di_atas",
           "sesuai": "sesuai", "sesuaiekspektasi": "sesuai",
           "dibawah": "di_bawah", "dibawahekspektasi": "di_bawah", "bawah": "di_bawah"}  # fmt: skip
PENDIDIKAN_SPELLINGS = {"sd": "SD", "smp": "SMP", "sltp": "SMP", "mts": "SMP",
               "sma": "SMA", "smk": "SMA", "slta": "SMA", "ma": "SMA",
               "d1": "D1", "di": "D1", "d2": "D2", "dii": "D2", "d3": "D3", "diii": "D3",
               "d4": "D4", "div": "D4", "s1": "S1", "sarjana": "S1", "s2": "S2", "magister": "S2",
               "s3": "S3", "doktor": "S3"}  # fmt: skip
JENIS_JABATAN_SPELLINGS = {"pelaksana": "pelaksana", "jabatanpelaksana": "pelaksana", "jfu": "pelaksana",
                  "fungsional": "fungsional", "jabatanfungsional": "fungsional", "jft": "fungsional",
                  "pengawas": "pengawas", "jabatanpengawas": "pengawas",
                  "administrator": "administrator", "jabatanadministrator": "administrator",
                  "jptpratama": "jpt_pratama", "jptmadya": "jpt_madya", "jptutama": "jpt_utama"}  # fmt: skip
BOOL_SPELLINGS = {"1": "true", "ya": "true", "y": "true", "true": "true", "yes": "true", "benar": "true",
         "0": "false", "tidak": "false", "t": "false", "false": "false", "no": "false", "n": "false"}  # fmt: skip


# Month names in dates written out ("12 Agustus 2020", "12-Agt-2020"): Indonesian full and short forms,
# the older spellings Pebruari and Nopember, and the English forms Excel writes in an English locale.
MONTH_SPELLINGS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agt": 8, "agu": 8, "ags": 8, "agust": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
"""Month name (lower case, without a trailing full stop) -> month number."""


def golongan_spellings() -> dict[str, str]:
    out = {normalize_header(g): g for g in GOLONGAN_PNS}  # "III/a" -> "iiia"
    out.update({normalize_header(g): g for g in GOLONGAN_PPPK})
    arabic = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
    for g in GOLONGAN_PNS:
        roman, ruang = g.split("/")
        out[arabic[roman.lower()] + ruang.lower()] = g  # "3a" -> "III/a"
    return out


def normalize_header(text: object) -> str:
    """Lower-case a header or value and drop everything but letters and digits.

    >>> normalize_header("Tgl. Lahir")
    'tgllahir'
    >>> normalize_header("Gol/Ruang")
    'golruang'
    """
    return re.sub(r"[^0-9a-z]", "", str(text).lower())
