"""A synthetic Kecamatan Plaju with planted, documented effects (DESIGN.md section 6).

SYNTHETIC DATA: not real people. The generator builds the nine canonical tables for 2019-2025 from
one seed: the kantor camat, seven kelurahan offices, Puskesmas Plaju and two pustu, and SD and SMP
negeri; a workforce calibrated to BKN's national marginals; appraisals compressed as published;
training with a staggered programme; selections; service cases; satisfaction surveys; complaints and
sanctions. Three effects are planted and their true values returned in ``truth``:

1. the programme shortens case processing and raises appraisals, growing with time since training and
   differing by sector and provider;
2. selections reward years of service beyond merit, and halve women's odds in Dinas Pendidikan;
3. one kelurahan's satisfaction drops on U3 and U7 in 2024.

``scale="national"`` (or a number of employees) builds only the large tables (unit_kerja, pegawai and
optionally kinerja) for benchmarks.

Examples
--------
>>> data = generate(scale=2000, tables=("pegawai",))
>>> data["pegawai"]["nip"].str.len().eq(18).all()
np.True_
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.data.schema import TABLE_ORDER

from . import truth as _truth
from ._params import DEFAULT_SEED, NATIONAL_EMPLOYEES, YEARS
from ._tables import canonical_frame, write_csv
from .appraisals import build_kinerja
from .incidents import build_disiplin, build_pengaduan
from .people import build_people
from .selections import build_seleksi
from .services import build_layanan
from .surveys import build_survei
from .training import assign_programme, build_pelatihan
from .units import build_units

__all__ = ["generate", "write_demo", "SyntheticData", "DEFAULT_SEED", "YEARS", "LARGE_SCALE_TABLES"]

Scale = Literal["plaju", "national"] | int
LARGE_SCALE_TABLES: tuple[str, ...] = ("unit_kerja", "pegawai", "kinerja")
"""Tables a scale other than "plaju" can build (the others need per-unit loops)."""

# One independent random stream per part, so changing one part leaves the others' draws unchanged.
_STREAM = {
    "units": 1,
    "people": 2,
    "programme": 3,
    "kinerja": 4,
    "pelatihan": 5,
    "layanan": 6,
    "seleksi": 7,
    "survei": 8,
    "pengaduan": 9,
    "disiplin": 10,
}


@dataclass(frozen=True)
class SyntheticData:
    """The generated tables (canonical columns and dtypes) and the ground truth (plain JSON types)."""

    tables: Mapping[str, pd.DataFrame]
    truth: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def _employees(scale: Scale) -> int | None:
    if isinstance(scale, bool) or not isinstance(scale, (str, int, np.integer)):
        raise InvalidOptionError(f"scale={scale!r} is not allowed; use 'plaju', 'national' or a number of employees.")
    if isinstance(scale, str):
        if scale not in ("plaju", "national"):
            raise InvalidOptionError(
                f"scale={scale!r} is not allowed; choose 'plaju', 'national' or a number of employees."
            )
        return None if scale == "plaju" else NATIONAL_EMPLOYEES
    if scale < 100:
        raise InvalidOptionError(f"scale={scale} is too small; ask for at least 100 employees or use 'plaju'.")
    return int(scale)


def _wanted(tables: Sequence[str] | None, large: bool) -> tuple[str, ...]:
    allowed = LARGE_SCALE_TABLES if large else TABLE_ORDER
    if tables is None:
        return ("unit_kerja", "pegawai") if large else TABLE_ORDER
    if isinstance(tables, str):
        tables = (tables,)
    unknown = [t for t in tables if t not in allowed]
    if unknown:
        where = "at this scale " if large else ""
        raise InvalidOptionError(f"tables={unknown!r} cannot be generated {where}; choose from {', '.join(allowed)}.")
    return tuple(t for t in TABLE_ORDER if t in tables)


def generate(*, seed: int = DEFAULT_SEED, scale: Scale = "plaju", tables: Sequence[str] | None = None) -> SyntheticData:
    """Generate the synthetic dataset.

    Parameters
    ----------
    seed
        Seed of ``numpy.random.default_rng``; the committed ``data/demo`` uses :data:`DEFAULT_SEED`.
    scale
        ``"plaju"`` (about 820 ASN in post mid-2023, about 1,000 over 2019-2025), ``"national"``
        (4.3 million in post on the reference date) or a number of employees in post then.
    tables
        Which tables to build; default all nine for Plaju, ``unit_kerja`` and ``pegawai`` otherwise
        (larger scales can also build ``kinerja``).

    Returns
    -------
    SyntheticData
        ``tables`` by name (canonical columns, loader dtypes, sorted by key) and ``truth`` (the
        ground-truth document; for larger scales only its general part).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidOptionError(f"seed={seed!r} is not allowed; use a non-negative integer.")
    employees = _employees(scale)
    large = employees is not None
    wanted = _wanted(tables, large)

    def rng(part: str) -> np.random.Generator:
        return np.random.default_rng([int(seed), _STREAM[part]])

    units = build_units(rng("units"), employees=employees)
    people = build_people(rng("people"), units)
    programme = assign_programme(rng("programme"), people)
    raw: dict[str, pd.DataFrame] = {"unit_kerja": units, "pegawai": people}
    parts: dict[str, Any] = {}
    if "kinerja" in wanted or not large:
        raw["kinerja"] = build_kinerja(rng("kinerja"), people, programme, potential=not large)
    if not large:  # the other tables, and the truth about them, exist at Plaju size only
        raw["pelatihan"] = build_pelatihan(rng("pelatihan"), people, programme)
        layanan = build_layanan(rng("layanan"), units, people, programme)
        raw["layanan"] = layanan
        raw["seleksi"] = build_seleksi(rng("seleksi"), people)
        counts = layanan.groupby(["unit_id", "tahun"]).size().rename("n").reset_index()
        raw["survei"], design = build_survei(rng("survei"), units, counts)
        raw["pengaduan"] = build_pengaduan(rng("pengaduan"), units)
        raw["disiplin"] = build_disiplin(rng("disiplin"), people)
        parts = {
            "training_effect": _truth.training_truth(people, programme, raw["kinerja"], layanan),
            "selection_effect": _truth.selection_truth(raw["seleksi"]),
            "satisfaction_drop": _truth.survey_truth(design),
        }
    presorted = {"pegawai", "kinerja"}  # built in NIP order
    out = {name: canonical_frame(name, raw[name], presorted=name in presorted) for name in wanted}
    truth = _truth.assemble(
        seed=int(seed), scale=scale if isinstance(scale, str) else int(scale), units=units, tables=out, parts=parts
    )
    return SyntheticData(tables=MappingProxyType(out), truth=MappingProxyType(truth))


def write_demo(out_dir: str | Path, *, seed: int = DEFAULT_SEED, scale: Scale = "plaju") -> list[Path]:
    """Generate and write ``<table>.csv`` for each table and ``ground_truth.json`` into ``out_dir``.

    Returns the paths written. The same seed gives byte-identical files; the committed ``data/demo`` is
    ``write_demo(paths.demo_data_dir())``. Meant for Plaju: larger scales work, but benchmarks write
    their own Parquet faster.
    """
    data = generate(seed=seed, scale=scale)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(frame, out / f"{name}.csv") for name, frame in data.tables.items()]
    truth_path = out / "ground_truth.json"
    truth_path.write_text(json.dumps(dict(data.truth), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [*written, truth_path]
