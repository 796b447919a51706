"""The canonical tables: columns, types, allowed values, header aliases and pandera models.

Column names are Indonesian snake_case (the users' own terms); they appear in reports. Each column is
described once here, and everything else is derived from that description: the loader's header
matching and type checks (``io``), the ordered categoricals (so sorting golongan or predikat follows
the regulation, not the alphabet), the pandera models, and the data dictionary in ``data/README.md``.

Enumerated values are stored in one canonical spelling. Common spellings found in real exports
("Laki-laki", "III/A", "S-1", "DI ATAS EKSPEKTASI") are mapped onto it by :func:`canonical_values`.

The schema is split by job: :mod:`.vocabulary` (enumerations, the predikat matrix, export spellings),
:mod:`.specs` (what a column and a table are), :mod:`.tables_people` and :mod:`.tables_services` (the
nine tables), :mod:`.headers` (matching headers and values) and :mod:`.dictionary` (pandera models and
the data dictionary). Import from here: ``from kinerja_analysis.data import schema``.
"""

from __future__ import annotations

from kinerja_analysis.data.schema.dictionary import data_dictionary, pandera_schema
from kinerja_analysis.data.schema.headers import (
    REFERENCES,
    TABLE_ORDER,
    TABLES,
    HeaderMatch,
    canonical_values,
    category_dtype,
    match_headers,
    table_for_name,
)
from kinerja_analysis.data.schema.specs import SURVEY_ITEMS, ColumnSpec, TableSpec
from kinerja_analysis.data.schema.vocabulary import (
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    JENIS_JABATAN,
    JENIS_KELAMIN,
    JENIS_PELATIHAN,
    JENIS_SELEKSI,
    JENIS_UNIT,
    KATEGORI_PP46,
    MATRIX,
    MUTU,
    PENDIDIKAN,
    PREDIKAT,
    RATING,
    SEKTOR,
    STATUS_LAYANAN,
    STATUS_PEGAWAI,
    STATUS_PENGADUAN,
    TINGKAT_DISIPLIN,
    normalize_header,
)

__all__ = [
    "ColumnSpec",
    "TableSpec",
    "TABLES",
    "TABLE_ORDER",
    "REFERENCES",
    "SURVEY_ITEMS",
    "GOLONGAN_PNS",
    "GOLONGAN_PPPK",
    "PREDIKAT",
    "RATING",
    "MATRIX",
    "KATEGORI_PP46",
    "MUTU",
    "PENDIDIKAN",
    "JENIS_JABATAN",
    "JENIS_KELAMIN",
    "JENIS_PELATIHAN",
    "JENIS_SELEKSI",
    "JENIS_UNIT",
    "SEKTOR",
    "STATUS_LAYANAN",
    "STATUS_PEGAWAI",
    "STATUS_PENGADUAN",
    "TINGKAT_DISIPLIN",
    "normalize_header",
    "match_headers",
    "table_for_name",
    "HeaderMatch",
    "canonical_values",
    "category_dtype",
    "pandera_schema",
    "data_dictionary",
]
