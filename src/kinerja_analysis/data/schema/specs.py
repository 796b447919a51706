"""What a column and a table of the canonical schema are, and the columns several tables share."""

from __future__ import annotations

from dataclasses import dataclass, field

from kinerja_analysis.data.schema.vocabulary import Kind


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a canonical table.

    ``kind`` is how the loader reads the column: ``nip`` is an 18-digit identifier checked by
    :mod:`kinerja_analysis.data.nip`; ``category`` takes one of ``categories`` (after mapping the spellings
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


def column(name: str, kind: Kind, description: str, **kw) -> ColumnSpec:
    return ColumnSpec(name=name, kind=kind, description=description, **kw)


# Columns shared by several tables: one definition, so their aliases and checks never drift.
def nip_column() -> ColumnSpec:
    aliases = ("NIP Baru", "NIP 18", "NI PPPK", "NIP/NI PPPK", "Nomor Induk Pegawai", "NIP Pegawai")
    return column("nip", "nip", "NIP or NI PPPK (18 digits), see nip.parse_nip", aliases=aliases)


def unit_id_column(**kw) -> ColumnSpec:
    aliases = ("Unit Kerja", "Kode Unit", "ID Unit", "Kode Unit Kerja", "Unit", "Satuan Kerja", "Unor")
    return column("unit_id", "str", "identifier of the service unit (unit_kerja.unit_id)", aliases=aliases, **kw)


def tahun_column(**kw) -> ColumnSpec:
    return column("tahun", "int", "year", min=1950, max=2100, aliases=("Tahun Penilaian", "Thn"), **kw)


SURVEY_ITEM_COLUMNS = tuple(
    column(f"u{i}", "int", f"answer to survey item U{i} (PermenPANRB 14/2017), 1-4", min=1, max=4,
         aliases=(f"Unsur {i}", f"U {i}", f"Unsur{i}", f"Q{i}"))
    for i in range(1, 10)
)  # fmt: skip
SURVEY_ITEMS: tuple[str, ...] = tuple(c.name for c in SURVEY_ITEM_COLUMNS)
