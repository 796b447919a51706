"""Matching a file's headers and values onto the canonical tables: aliases, suggestions, categories."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from kinerja_analysis.data.schema.specs import ColumnSpec, TableSpec
from kinerja_analysis.data.schema.tables_people import PEOPLE_TABLES
from kinerja_analysis.data.schema.tables_services import SERVICE_TABLES
from kinerja_analysis.data.schema.vocabulary import normalize_header

TABLES: dict[str, TableSpec] = {t.name: t for t in (*PEOPLE_TABLES, *SERVICE_TABLES)}
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
    for spec in TABLES.values():
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
    lookup = _value_lookup(spec)
    present = values.notna() & (values.astype("str").str.strip() != "")
    keys = values.astype("str").map(normalize_header)
    mapped = keys.map(lookup).where(present)
    bad = present & mapped.isna()
    return mapped.astype("object"), bad


def _value_lookup(spec: ColumnSpec) -> dict[str, str]:
    """Each accepted spelling of an enumerated column, normalised, -> its canonical value."""
    lookup = {normalize_header(c): c for c in spec.categories}
    lookup.update(spec.value_aliases)
    return lookup


def suggest_value(spec: ColumnSpec, value: object) -> str | None:
    """The canonical value an unrecognised spelling is closest to (difflib ratio at least 0.8), or None.

    Called once per distinct unrecognised text, to word the reason of its rejection.

    >>> suggest_value(TABLES["kinerja"].column("predikat"), "Sangat Baek"), suggest_value(
    ...     TABLES["pegawai"].column("jenis_kelamin"), "X")
    ('Sangat Baik', None)
    """
    lookup = _value_lookup(spec)
    close = difflib.get_close_matches(normalize_header(value), list(lookup), n=1, cutoff=0.8)
    return lookup[close[0]] if close else None


def category_dtype(table: str, column: str) -> pd.CategoricalDtype:
    """The categorical dtype of an enumerated column, ordered where the regulation orders it."""
    spec = TABLES[table].column(column)
    if spec.kind != "category":
        raise KeyError(f"{table}.{column} is not an enumerated column")
    return pd.CategoricalDtype(list(spec.categories), ordered=spec.ordered)
