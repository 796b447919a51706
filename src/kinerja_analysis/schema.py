"""The canonical tables: columns, types, allowed values, header aliases and pandera models.

Column names are Indonesian snake_case (the users' own terms); they appear in reports. Each column is
described once here, and everything else is derived from that description: the loader's header
matching and type checks (``io``), the ordered categoricals (so sorting golongan or predikat follows
the regulation, not the alphabet), the pandera models, and the data dictionary in ``data/README.md``.

Enumerated values are stored in one canonical spelling. Common spellings found in real exports
("Laki-laki", "III/A", "S-1", "DI ATAS EKSPEKTASI") are mapped onto it by :func:`canonical_values`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

__all__ = [
    "ColumnSpec",
    "TableSpec",
    "TABLES",
    "TABLE_ORDER",
    "GOLONGAN_PNS",
    "GOLONGAN_PPPK",
    "PREDIKAT",
    "RATING",
    "KATEGORI_PP46",
    "MUTU",
    "PENDIDIKAN",
    "JENIS_JABATAN",
    "normalize_header",
    "match_headers",
    "HeaderMatch",
    "canonical_values",
    "category_dtype",
    "pandera_schema",
    "data_dictionary",
]

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


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a canonical table.

    ``kind`` is how the loader reads the column: ``nip`` is an 18-digit identifier checked by
    :mod:`kinerja_analysis.nip`; ``category`` takes one of ``categories`` (after mapping the spellings
    in ``value_aliases``); ``ordered`` says whether the order of ``categories`` is meaningful.
    """

    name: str
    kind: Kind
    description: str
    required: bool = True
    nullable: bool = False
    categories: tuple[str, ...] = ()
    ordered: bool = False
    min: float | None = None
    max: float | None = None
    aliases: tuple[str, ...] = ()
    value_aliases: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its columns, the key that must be unique, and what one row is."""

    name: str
    row: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnSpec:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"table {self.name!r} has no column {name!r}")


# --- Spellings found in exports -------------------------------------------------------------------

_SEX = {"l": "L", "lakilaki": "L", "laki": "L", "pria": "L", "male": "L", "m": "L", "1": "L",
        "p": "P", "perempuan": "P", "wanita": "P", "female": "P", "f": "P", "2": "P"}  # fmt: skip
_STATUS = {"pns": "pns", "cpns": "pns", "pegawainegerisipil": "pns",
           "pppk": "pppk", "p3k": "pppk", "pppkparuhwaktu": "pppk"}  # fmt: skip
_PREDIKAT = {"sangatbaik": "Sangat Baik", "baik": "Baik", "butuhperbaikan": "Butuh Perbaikan",
             "kurang": "Kurang", "kurangmisconduct": "Kurang", "misconduct": "Kurang",
             "sangatkurang": "Sangat Kurang"}  # fmt: skip
_RATING = {"diatas": "di_atas", "diatasekspektasi": "di_atas", "atas": "di_atas",
           "sesuai": "sesuai", "sesuaiekspektasi": "sesuai",
           "dibawah": "di_bawah", "dibawahekspektasi": "di_bawah", "bawah": "di_bawah"}  # fmt: skip
_PENDIDIKAN = {"sd": "SD", "smp": "SMP", "sltp": "SMP", "mts": "SMP",
               "sma": "SMA", "smk": "SMA", "slta": "SMA", "ma": "SMA",
               "d1": "D1", "di": "D1", "d2": "D2", "dii": "D2", "d3": "D3", "diii": "D3",
               "d4": "D4", "div": "D4", "s1": "S1", "sarjana": "S1", "s2": "S2", "magister": "S2",
               "s3": "S3", "doktor": "S3"}  # fmt: skip
_JENIS_JABATAN = {"pelaksana": "pelaksana", "jabatanpelaksana": "pelaksana", "jfu": "pelaksana",
                  "fungsional": "fungsional", "jabatanfungsional": "fungsional", "jft": "fungsional",
                  "pengawas": "pengawas", "jabatanpengawas": "pengawas",
                  "administrator": "administrator", "jabatanadministrator": "administrator",
                  "jptpratama": "jpt_pratama", "jptmadya": "jpt_madya", "jptutama": "jpt_utama"}  # fmt: skip
_BOOL = {"1": "true", "ya": "true", "y": "true", "true": "true", "yes": "true", "benar": "true",
         "0": "false", "tidak": "false", "t": "false", "false": "false", "no": "false", "n": "false"}  # fmt: skip


def _golongan_aliases() -> dict[str, str]:
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


def _col(name: str, kind: Kind, description: str, **kw) -> ColumnSpec:
    return ColumnSpec(name=name, kind=kind, description=description, **kw)


# Columns shared by several tables: one definition, so their aliases and checks never drift.
def _nip() -> ColumnSpec:
    aliases = ("NIP Baru", "NIP 18", "NI PPPK", "NIP/NI PPPK", "Nomor Induk Pegawai", "NIP Pegawai")
    return _col("nip", "nip", "NIP or NI PPPK (18 digits), see nip.parse_nip", aliases=aliases)


def _unit_id(**kw) -> ColumnSpec:
    aliases = ("Unit Kerja", "Kode Unit", "ID Unit", "Kode Unit Kerja", "Unit", "Satuan Kerja", "Unor")
    return _col("unit_id", "str", "identifier of the service unit (unit_kerja.unit_id)", aliases=aliases, **kw)


def _tahun(**kw) -> ColumnSpec:
    return _col("tahun", "int", "year", min=1950, max=2100, aliases=("Tahun Penilaian", "Thn"), **kw)


_ITEMS = tuple(
    _col(f"u{i}", "int", f"answer to survey item U{i} (PermenPANRB 14/2017), 1-4", min=1, max=4,
         aliases=(f"Unsur {i}", f"U {i}", f"Unsur{i}", f"Q{i}"))
    for i in range(1, 10)
)  # fmt: skip
SURVEY_ITEMS: tuple[str, ...] = tuple(c.name for c in _ITEMS)

# --- The nine tables ------------------------------------------------------------------------------

_TABLE_LIST: tuple[TableSpec, ...] = (
    TableSpec(
        name="unit_kerja",
        row="service unit",
        key=("unit_id",),
        aliases=("unit", "unor", "satuan_kerja"),
        columns=(
            _col(
                "unit_id", "str", "identifier of the service unit", aliases=("Kode Unit", "ID Unit", "Kode Unit Kerja")
            ),
            _col("nama_unit", "str", "name of the unit", aliases=("Nama Unit", "Nama Unit Kerja", "Unit Kerja")),
            _col(
                "jenis_unit",
                "category",
                "kind of unit",
                categories=JENIS_UNIT,
                aliases=("Jenis Unit",),
                value_aliases={
                    "kantorcamat": "kantor_camat",
                    "kecamatan": "kantor_camat",
                    "kantorlurah": "kelurahan",
                    "pustu": "puskesmas_pembantu",
                    "puskesmaspembantu": "puskesmas_pembantu",
                    "sdnegeri": "sd",
                    "smpnegeri": "smp",
                },
            ),
            _col(
                "instansi",
                "str",
                "agency the unit belongs to (e.g. Pemerintah Kota Palembang, Dinas Kesehatan)",
                aliases=("Instansi", "Instansi Induk", "OPD"),
            ),
            _col("sektor", "category", "sector", categories=SEKTOR, aliases=("Sektor", "Bidang")),
            _col(
                "kelurahan",
                "str",
                "kelurahan where the unit is",
                required=False,
                nullable=True,
                aliases=("Kelurahan", "Desa/Kelurahan"),
            ),
        ),
    ),
    TableSpec(
        name="pegawai",
        row="employee",
        key=("nip",),
        aliases=("asn", "employee", "data_pegawai", "siasn"),
        columns=(
            _nip(),
            _col(
                "nama",
                "str",
                "name (personal data: never shown in reports)",
                required=False,
                nullable=True,
                aliases=("Nama Pegawai", "Nama Lengkap"),
            ),
            _col(
                "status",
                "category",
                "pns or pppk",
                categories=STATUS_PEGAWAI,
                value_aliases=_STATUS,
                aliases=("Status Pegawai", "Jenis Pegawai", "Status ASN", "Jenis ASN"),
            ),
            _col(
                "jenis_kelamin",
                "category",
                "sex, L (laki-laki) or P (perempuan)",
                categories=JENIS_KELAMIN,
                value_aliases=_SEX,
                aliases=("JK", "L/P", "Sex", "Gender", "Kelamin"),
            ),
            _col("tanggal_lahir", "date", "date of birth", aliases=("Tgl Lahir", "Tgl. Lahir", "Tanggal Lahir", "TTL")),
            _col(
                "tmt_cpns",
                "date",
                "date of first appointment (TMT CPNS; for PPPK, TMT of the first contract)",
                aliases=("TMT CPNS", "TMT Pengangkatan", "TMT PPPK", "TMT Pengangkatan Pertama"),
            ),
            _col(
                "golongan",
                "category",
                "golongan/ruang (PNS I/a..IV/e, PPPK I..XVII)",
                categories=GOLONGAN_PNS + GOLONGAN_PPPK,
                ordered=True,
                value_aliases=_golongan_aliases(),
                aliases=("Gol/Ruang", "Gol", "Golongan Ruang", "Gol. Ruang", "Golongan/Ruang", "Gol Akhir"),
            ),
            _col(
                "jenis_jabatan",
                "category",
                "kind of position",
                categories=JENIS_JABATAN,
                ordered=True,
                value_aliases=_JENIS_JABATAN,
                aliases=("Jenis Jabatan", "Kelompok Jabatan"),
            ),
            _col("jabatan", "str", "position title", aliases=("Nama Jabatan", "Jabatan Terakhir")),
            _col(
                "pendidikan",
                "category",
                "highest education",
                categories=PENDIDIKAN,
                ordered=True,
                value_aliases=_PENDIDIKAN,
                aliases=("Pendidikan Terakhir", "Tingkat Pendidikan", "Jenjang Pendidikan", "Tk Pendidikan"),
            ),
            _unit_id(),
            _col(
                "tanggal_keluar",
                "date",
                "date the employee left (retired, moved, resigned); empty if active",
                required=False,
                nullable=True,
                aliases=("Tgl Keluar", "TMT Pensiun", "TMT Berhenti", "Tanggal Berhenti"),
            ),
        ),
    ),
    TableSpec(
        name="kinerja",
        row="employee x appraisal period",
        key=("nip", "tahun", "periode"),
        aliases=("skp", "penilaian_kinerja", "ekinerja", "e_kinerja", "appraisal"),
        columns=(
            _nip(),
            _tahun(),
            _col(
                "periode",
                "str",
                "'tahunan' for the annual appraisal, or the month ('01'..'12') or quarter ('Q1'..'Q4')",
                aliases=("Periode Penilaian",),
            ),
            _col(
                "rating_hasil_kerja",
                "category",
                "rating hasil kerja from 2022 (di_bawah, sesuai, di_atas)",
                categories=RATING,
                ordered=True,
                value_aliases=_RATING,
                required=False,
                nullable=True,
                aliases=("Hasil Kerja", "Rating HK", "HK"),
            ),
            _col(
                "rating_perilaku_kerja",
                "category",
                "rating perilaku kerja from 2022 (di_bawah, sesuai, di_atas)",
                categories=RATING,
                ordered=True,
                value_aliases=_RATING,
                required=False,
                nullable=True,
                aliases=("Perilaku Kerja", "Rating PK", "PK"),
            ),
            _col(
                "predikat",
                "category",
                "predikat kinerja from 2022 (PermenPANRB 6/2022)",
                categories=PREDIKAT,
                ordered=True,
                value_aliases=_PREDIKAT,
                required=False,
                nullable=True,
                aliases=("Predikat Kinerja", "Predikat Kinerja Pegawai"),
            ),
            _col(
                "nilai_skp",
                "float",
                "nilai SKP before 2022 (PP 46/2011), 0-120",
                min=0,
                max=120,
                required=False,
                nullable=True,
                aliases=("Nilai SKP", "SKP"),
            ),
            _col(
                "nilai_perilaku",
                "float",
                "nilai perilaku kerja before 2022 (PP 46/2011), 0-100",
                min=0,
                max=100,
                required=False,
                nullable=True,
                aliases=("Nilai Perilaku Kerja", "Perilaku"),
            ),
        ),
    ),
    TableSpec(
        name="pelatihan",
        row="training attended",
        key=("nip", "pelatihan_id"),
        aliases=("diklat", "training", "pengembangan_kompetensi"),
        columns=(
            _nip(),
            _col(
                "pelatihan_id",
                "str",
                "identifier of the training event",
                aliases=("ID Pelatihan", "Kode Diklat", "ID Diklat"),
            ),
            _col("nama_pelatihan", "str", "title of the training", aliases=("Nama Diklat", "Judul Pelatihan")),
            _col(
                "jenis",
                "category",
                "kind of training",
                categories=JENIS_PELATIHAN,
                aliases=("Jenis Pelatihan", "Jenis Diklat"),
                value_aliases={
                    "kepemimpinan": "diklat_kepemimpinan",
                    "fungsional": "diklat_fungsional",
                    "teknis": "diklat_teknis",
                    "diklatpim": "diklat_kepemimpinan",
                },
            ),
            _col(
                "topik",
                "str",
                "topic (e.g. manajemen waktu, pelayanan publik, teknologi informasi)",
                aliases=("Topik", "Tema", "Bidang Pelatihan"),
            ),
            _col(
                "penyelenggara",
                "str",
                "provider (BKN, BPSDM, LAN, Dinas Pendidikan, Dinas Kesehatan, ...)",
                aliases=("Penyelenggara", "Instansi Penyelenggara", "Lembaga"),
            ),
            _col("tanggal_mulai", "date", "first day", aliases=("Tgl Mulai", "Tanggal Mulai", "Mulai")),
            _col("tanggal_selesai", "date", "last day (not before tanggal_mulai)", aliases=("Tgl Selesai", "Selesai")),
            _col(
                "jp",
                "float",
                "jam pelajaran (1 JP = 45 minutes), positive",
                min=0,
                aliases=("JP", "Jumlah JP", "Jam Pelajaran"),
            ),
        ),
    ),
    TableSpec(
        name="seleksi",
        row="candidate in a selection",
        key=("seleksi_id", "nip"),
        aliases=("selection", "promosi", "seleksi_jabatan"),
        columns=(
            _col("seleksi_id", "str", "identifier of the selection", aliases=("ID Seleksi", "Kode Seleksi")),
            _col("tanggal", "date", "date of the decision", aliases=("Tgl Seleksi", "Tanggal Seleksi")),
            _col(
                "jabatan_target",
                "str",
                "the position being filled",
                aliases=("Jabatan Target", "Jabatan Dituju", "Formasi"),
            ),
            _col(
                "jenis",
                "category",
                "promosi, rotasi or kenaikan_pangkat",
                categories=JENIS_SELEKSI,
                aliases=("Jenis Seleksi",),
                value_aliases={"kenaikanpangkat": "kenaikan_pangkat", "mutasi": "rotasi"},
            ),
            _nip(),
            _col(
                "skor_kompetensi",
                "float",
                "competency score, 0-100",
                min=0,
                max=100,
                aliases=("Skor Kompetensi", "Nilai Kompetensi"),
            ),
            _col(
                "skor_potensi",
                "float",
                "potential score, 0-100",
                min=0,
                max=100,
                aliases=("Skor Potensi", "Nilai Potensi"),
            ),
            _col(
                "terpilih",
                "bool",
                "whether the candidate was selected",
                value_aliases=_BOOL,
                aliases=("Terpilih", "Lulus", "Hasil", "Dipilih"),
            ),
        ),
    ),
    TableSpec(
        name="layanan",
        row="service case (berkas)",
        key=("berkas_id",),
        aliases=("berkas", "service", "log_layanan", "pelayanan"),
        columns=(
            _col(
                "berkas_id",
                "str",
                "identifier of the case",
                aliases=("ID Berkas", "No Berkas", "Nomor Berkas", "No Registrasi"),
            ),
            _unit_id(),
            _col(
                "jenis_layanan",
                "str",
                "kind of service (e.g. surat pengantar KTP, izin usaha)",
                aliases=("Jenis Layanan", "Layanan", "Nama Layanan"),
            ),
            _col(
                "nip_petugas",
                "nip",
                "NIP of the officer who handled the case",
                required=False,
                nullable=True,
                aliases=("NIP Petugas", "Petugas", "NIP Operator"),
            ),
            _col(
                "tanggal_masuk",
                "date",
                "date the file was received",
                aliases=("Tgl Masuk", "Tanggal Masuk", "Tgl Terima", "Tanggal Diterima"),
            ),
            _col(
                "tanggal_selesai",
                "date",
                "date it was finished; empty while open",
                required=False,
                nullable=True,
                aliases=("Tgl Selesai", "Tanggal Selesai"),
            ),
            _col(
                "standar_hari",
                "int",
                "service standard in working days (0 = same day)",
                min=0,
                max=365,
                aliases=("Standar Hari", "Standar Waktu", "SLA", "Standar Pelayanan"),
            ),
            _col(
                "status",
                "category",
                "selesai, ditolak, dicabut or proses",
                categories=STATUS_LAYANAN,
                aliases=("Status Berkas", "Status Layanan"),
                value_aliases={"diproses": "proses", "dalamproses": "proses"},
            ),
            _col(
                "dikembalikan",
                "bool",
                "whether the file was returned for correction",
                value_aliases=_BOOL,
                aliases=("Dikembalikan", "Berkas Dikembalikan"),
            ),
            _col("jumlah_revisi", "int", "number of revisions", min=0, aliases=("Jumlah Revisi", "Revisi")),
        ),
    ),
    TableSpec(
        name="survei",
        row="survey response (Survei Kepuasan Masyarakat)",
        key=("responden_id",),
        aliases=("skm", "survey", "kuesioner", "survei_kepuasan"),
        columns=(
            _col(
                "responden_id",
                "str",
                "identifier of the response",
                aliases=("ID Responden", "No Responden", "Responden"),
            ),
            _unit_id(),
            _col("jenis_layanan", "str", "service the respondent used", aliases=("Jenis Layanan", "Layanan")),
            _col(
                "tanggal", "date", "date of the response", aliases=("Tgl Survei", "Tanggal Survei", "Tanggal Pengisian")
            ),
            *_ITEMS,
            _col(
                "jenis_kelamin",
                "category",
                "respondent's sex",
                categories=JENIS_KELAMIN,
                value_aliases=_SEX,
                required=False,
                nullable=True,
                aliases=("JK", "L/P", "Kelamin"),
            ),
            _col(
                "usia",
                "int",
                "respondent's age in years",
                min=10,
                max=110,
                required=False,
                nullable=True,
                aliases=("Umur",),
            ),
            _col(
                "pendidikan",
                "category",
                "respondent's education",
                categories=PENDIDIKAN,
                ordered=True,
                value_aliases=_PENDIDIKAN,
                required=False,
                nullable=True,
                aliases=("Pendidikan Terakhir",),
            ),
            _col(
                "pekerjaan",
                "str",
                "respondent's occupation",
                required=False,
                nullable=True,
                aliases=("Pekerjaan Utama",),
            ),
            _col(
                "saran",
                "str",
                "free-text suggestion",
                required=False,
                nullable=True,
                aliases=("Saran", "Masukan", "Kritik dan Saran"),
            ),
        ),
    ),
    TableSpec(
        name="pengaduan",
        row="complaint",
        key=("pengaduan_id",),
        aliases=("complaint", "lapor", "aduan"),
        columns=(
            _col(
                "pengaduan_id",
                "str",
                "identifier of the complaint",
                aliases=("ID Pengaduan", "No Tiket", "Nomor Laporan", "ID Laporan"),
            ),
            _unit_id(),
            _col("tanggal_masuk", "date", "date received", aliases=("Tgl Masuk", "Tanggal Laporan", "Tgl Laporan")),
            _col(
                "kanal",
                "str",
                "channel (SP4N-LAPOR!, langsung, telepon, media sosial, ...)",
                aliases=("Kanal", "Media", "Sumber"),
            ),
            _col("kategori", "str", "topic of the complaint", aliases=("Kategori", "Topik")),
            _col(
                "tanggal_selesai",
                "date",
                "date resolved; empty while open",
                required=False,
                nullable=True,
                aliases=("Tgl Selesai", "Tanggal Selesai"),
            ),
            _col(
                "status",
                "category",
                "selesai or proses",
                categories=STATUS_PENGADUAN,
                aliases=("Status Pengaduan", "Status Laporan"),
                value_aliases={"diproses": "proses", "tindaklanjut": "proses"},
            ),
        ),
    ),
    TableSpec(
        name="disiplin",
        row="disciplinary sanction",
        key=(),
        aliases=("hukuman_disiplin", "hukdis", "sanksi"),
        columns=(
            _nip(),
            _col("tanggal", "date", "date of the decision", aliases=("Tgl SK", "Tanggal SK", "TMT Hukuman")),
            _col(
                "tingkat",
                "category",
                "ringan, sedang or berat (PP 94/2021)",
                categories=TINGKAT_DISIPLIN,
                ordered=True,
                aliases=("Tingkat Hukuman", "Jenis Hukuman", "Tingkat Hukdis"),
            ),
        ),
    ),
)

TABLES: dict[str, TableSpec] = {t.name: t for t in _TABLE_LIST}
"""The nine canonical tables by name."""

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
"""Tables in dependency order: a table only refers to tables before it."""

# Which column of which table another table's column refers to.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("pegawai", "unit_id"): ("unit_kerja", "unit_id"),
    ("kinerja", "nip"): ("pegawai", "nip"),
    ("pelatihan", "nip"): ("pegawai", "nip"),
    ("seleksi", "nip"): ("pegawai", "nip"),
    ("layanan", "unit_id"): ("unit_kerja", "unit_id"),
    ("layanan", "nip_petugas"): ("pegawai", "nip"),
    ("survei", "unit_id"): ("unit_kerja", "unit_id"),
    ("pengaduan", "unit_id"): ("unit_kerja", "unit_id"),
    ("disiplin", "nip"): ("pegawai", "nip"),
}


# --- Header matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderMatch:
    """How a file's headers map onto a table's columns.

    ``mapping`` maps each original header to its canonical name (headers that match nothing map to
    themselves and are listed in ``extra``); ``missing`` lists required columns that no header
    matched; ``suggestions`` gives, for an unmatched header, the canonical column it is closest to.
    """

    table: str
    mapping: dict[str, str]
    extra: tuple[str, ...]
    missing: tuple[str, ...]
    duplicated: tuple[str, ...]
    suggestions: dict[str, str]


def _alias_index(spec: TableSpec) -> dict[str, str]:
    index: dict[str, str] = {}
    for col in spec.columns:
        for text in (col.name, *col.aliases):
            index.setdefault(normalize_header(text), col.name)
    return index


def match_headers(table: str, headers: list[str] | tuple[str, ...]) -> HeaderMatch:
    """Map a file's headers onto ``table``'s canonical columns.

    Matching ignores case, spaces and punctuation, so "Tgl. Lahir", "TGL_LAHIR" and "tgl lahir" all
    become ``tanggal_lahir``. An unknown header close to an unmatched canonical column (difflib
    ratio at least 0.75) is offered as a "did you mean".

    >>> m = match_headers("pegawai", ["NIP Baru", "Tgl. Lahir", "Gol/Ruang", "Catatan"])
    >>> m.mapping["Tgl. Lahir"], m.extra
    ('tanggal_lahir', ('Catatan',))
    """
    spec = TABLES[table]
    index = _alias_index(spec)
    mapping: dict[str, str] = {}
    seen: dict[str, str] = {}
    duplicated: list[str] = []
    extra: list[str] = []
    for header in headers:
        canonical = index.get(normalize_header(header))
        if canonical is None:
            mapping[header] = str(header)
            extra.append(str(header))
        elif canonical in seen:
            duplicated.append(f"{seen[canonical]!r} and {header!r} both mean {canonical!r}")
            mapping[header] = str(header)
            extra.append(str(header))
        else:
            seen[canonical] = header
            mapping[header] = canonical
    unmatched = [c for c in spec.names if c not in seen]
    missing = tuple(c for c in spec.required if c not in seen)
    suggestions: dict[str, str] = {}
    candidates = {
        normalize_header(t): c.name for c in spec.columns if c.name in unmatched for t in (c.name, *c.aliases)
    }
    for header in extra:
        close = difflib.get_close_matches(normalize_header(header), list(candidates), n=1, cutoff=0.75)
        if close:
            suggestions[header] = candidates[close[0]]
    return HeaderMatch(table, mapping, tuple(extra), missing, tuple(duplicated), suggestions)


def table_for_name(name: str) -> str | None:
    """The canonical table a file or sheet name refers to, or None.

    The name is split into words (digits dropped); a table matches when its name or an alias equals
    a run of consecutive words, so "Data Pegawai 2024" is ``pegawai`` but "laporan_keuangan" is nothing.

    >>> table_for_name("Data Pegawai 2024"), table_for_name("e-Kinerja_2023"), table_for_name("rekap")
    ('pegawai', 'kinerja', None)
    """
    words = re.findall(r"[a-z]+", str(name).lower())
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    for spec in _TABLE_LIST:
        if any(normalize_header(text) in runs for text in (spec.name, *spec.aliases)):
            return spec.name
    return None


# --- Values ---------------------------------------------------------------------------------------


def canonical_values(spec: ColumnSpec, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Map the spellings of an enumerated column onto its canonical values.

    Returns the canonical values (missing where the input was missing or not recognised) and a
    boolean mask of the inputs that were present but not recognised.

    >>> spec = TABLES["pegawai"].column("jenis_kelamin")
    >>> vals, bad = canonical_values(spec, pd.Series(["Laki-laki", "P", "x", None]))
    >>> vals.tolist(), bad.tolist()
    (['L', 'P', nan, nan], [False, False, True, False])
    """
    lookup = {normalize_header(c): c for c in spec.categories}
    lookup.update(spec.value_aliases)
    present = values.notna() & (values.astype("str").str.strip() != "")
    keys = values.astype("str").map(normalize_header)
    mapped = keys.map(lookup).where(present)
    bad = present & mapped.isna()
    return mapped.astype("object"), bad


def category_dtype(table: str, column: str) -> pd.CategoricalDtype:
    """The categorical dtype of an enumerated column, ordered where the regulation orders it."""
    spec = TABLES[table].column(column)
    if spec.kind != "category":
        raise KeyError(f"{table}.{column} is not an enumerated column")
    return pd.CategoricalDtype(list(spec.categories), ordered=spec.ordered)


# --- pandera models -------------------------------------------------------------------------------


def pandera_schema(table: str):
    """A pandera ``DataFrameSchema`` for a table as the loader returns it (after mapping and typing).

    It is the contract of the accepted rows: every test that loads data can check it, and users can
    validate frames they built themselves. Extra columns are allowed (they are kept).
    """
    import pandera.pandas as pa

    spec = TABLES[table]
    columns = {}
    for col in spec.columns:
        checks = []
        if col.kind == "category":
            dtype = pd.CategoricalDtype(list(col.categories), ordered=col.ordered)
        elif col.kind in ("str", "nip"):
            dtype = None
            if col.kind == "nip":
                checks.append(pa.Check.str_matches(r"^\d{18}$", error="nip is 18 digits"))
        elif col.kind == "int":
            dtype = "Int64"
        elif col.kind == "float":
            dtype = "Float64"
        elif col.kind == "date":
            dtype = "datetime64[s]"
        else:
            dtype = "boolean"
        if col.min is not None:
            checks.append(pa.Check.ge(col.min))
        if col.max is not None:
            checks.append(pa.Check.le(col.max))
        columns[col.name] = pa.Column(dtype, checks=checks, nullable=col.nullable, required=col.required, coerce=False)
    unique = list(spec.key) if spec.key else None
    return pa.DataFrameSchema(columns, strict=False, unique=unique, name=table)


# --- Data dictionary ------------------------------------------------------------------------------


def data_dictionary() -> str:
    """The data dictionary as Markdown, one section per table (used for ``data/README.md``)."""
    lines: list[str] = []
    for spec in _TABLE_LIST:
        key = ", ".join(spec.key) if spec.key else "(none)"
        lines += [
            f"### `{spec.name}`: one row per {spec.row}",
            "",
            f"Unique key: {key}.",
            "",
            "| column | type | required | meaning | allowed values | also read from headers |",
            "|---|---|---|---|---|---|",
        ]
        for c in spec.columns:
            allowed = ", ".join(c.categories) if c.categories else ""
            if c.min is not None or c.max is not None:
                lo = "" if c.min is None else f"{c.min:g}"
                hi = "" if c.max is None else f"{c.max:g}"
                allowed = f"{lo} to {hi}".strip()
            req = "yes" if c.required else "no"
            aliases = ", ".join(f'"{a}"' for a in c.aliases)
            lines.append(f"| `{c.name}` | {c.kind} | {req} | {c.description} | {allowed} | {aliases} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m kinerja_analysis.schema > section of data/README.md
    print(data_dictionary())
