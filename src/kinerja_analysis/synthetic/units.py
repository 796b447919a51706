"""The service units: Kecamatan Plaju's offices, Puskesmas Plaju and its network, SD and SMP negeri.

The seven kelurahan, the kantor camat and Puskesmas Plaju are real names (DOMAIN.md section 8); the
puskesmas pembantu and schools are synthetic. Unit sizes are assumptions (DOMAIN.md section 8). For a
larger ``scale`` the Plaju set of units is cloned, one clone per synthetic kecamatan.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

__all__ = ["UNIT_SIZE_RANGES", "KELURAHAN", "SERVICE_UNIT_KINDS", "build_units"]

KELURAHAN: Final = (
    ("PLD", "Plaju Darat"),
    ("TPT", "Talang Putri"),
    ("KPT", "Komperta"),
    ("PLI", "Plaju Ilir"),
    ("TBB", "Talang Bubuk"),
    ("PLU", "Plaju Ulu"),
    ("BGK", "Bagus Kuning"),
)

UNIT_SIZE_RANGES: Final = {
    "kantor_camat": (25, 40),
    "kelurahan": (8, 15),
    "puskesmas": (40, 70),
    "puskesmas_pembantu": (4, 8),
    "sd": (10, 20),
    "smp": (30, 50),
}
"""ASN per unit at the reference date (assumptions of DOMAIN.md section 8; pustu size is ours)."""

SERVICE_UNIT_KINDS: Final = ("kantor_camat", "kelurahan", "puskesmas", "puskesmas_pembantu")
"""Units that receive service cases (layanan), run the satisfaction survey and take complaints."""

N_SD: Final = 26
N_SMP: Final = 6
_SECTOR = {
    "kantor_camat": "pemerintahan",
    "kelurahan": "pemerintahan",
    "puskesmas": "kesehatan",
    "puskesmas_pembantu": "kesehatan",
    "sd": "pendidikan",
    "smp": "pendidikan",
}


def _plaju_template() -> pd.DataFrame:
    """One kecamatan's units: code, name, kind and kelurahan (None where the location is not known)."""
    rows: list[tuple[str, str, str, str | None]] = [("KEC-PLJ", "Kantor Camat Plaju", "kantor_camat", None)]
    rows += [(f"KEL-{code}", f"Kantor Lurah {name}", "kelurahan", name) for code, name in KELURAHAN]
    rows.append(("PKM-PLJ", "Puskesmas Plaju", "puskesmas", None))
    rows += [
        ("PST-TBB", "Puskesmas Pembantu Talang Bubuk", "puskesmas_pembantu", "Talang Bubuk"),
        ("PST-BGK", "Puskesmas Pembantu Bagus Kuning", "puskesmas_pembantu", "Bagus Kuning"),
    ]
    names = [name for _, name in KELURAHAN]
    rows += [(f"SDN-{i:03d}", f"SD Negeri {i:03d} Plaju", "sd", names[(i - 1) % 7]) for i in range(1, N_SD + 1)]
    rows += [(f"SMPN-{i:03d}", f"SMP Negeri {i:03d} Plaju", "smp", names[(3 * i) % 7]) for i in range(1, N_SMP + 1)]
    return pd.DataFrame(rows, columns=["code", "nama_unit", "jenis_unit", "kelurahan"])


def _instansi(kind: str, city: str, kecamatan: str) -> str:
    if _SECTOR[kind] == "kesehatan":
        return f"Dinas Kesehatan {city}"
    if _SECTOR[kind] == "pendidikan":
        return f"Dinas Pendidikan {city}"
    return f"Pemerintah {city} - Kecamatan {kecamatan}"


def build_units(rng: np.random.Generator, *, employees: int | None) -> pd.DataFrame:
    """The unit table plus internal columns ``code`` (Plaju code), ``clone`` and ``size``.

    ``employees=None`` builds Plaju itself with sizes drawn from :data:`UNIT_SIZE_RANGES`; a number
    clones the Plaju units (about 800 ASN each, twelve kecamatan per synthetic city) and scales the
    drawn sizes so that they sum to exactly that number.
    """
    template = _plaju_template()
    lo = template["jenis_unit"].map(lambda k: UNIT_SIZE_RANGES[k][0]).to_numpy()
    hi = template["jenis_unit"].map(lambda k: UNIT_SIZE_RANGES[k][1]).to_numpy()
    if employees is None:
        units = template.assign(clone=0)
        units["unit_id"] = units["code"]
        units["instansi"] = [_instansi(k, "Kota Palembang", "Plaju") for k in units["jenis_unit"]]
        units["size"] = rng.integers(lo, hi + 1)
    else:
        n_clones = max(1, round(employees / float(np.mean(lo + hi) / 2 * len(template))))
        clone = np.repeat(np.arange(n_clones), len(template))
        units = pd.concat([template] * n_clones, ignore_index=True)
        units["clone"] = clone
        tag = pd.Series(clone + 1).map("{:05d}".format)
        city = pd.Series(clone // 12 + 1).map("Kota Sintetis {:04d}".format)
        units["unit_id"] = tag + "-" + units["code"]
        units["nama_unit"] = units["nama_unit"] + " " + tag
        units["kelurahan"] = np.where(units["kelurahan"].isna(), None, units["kelurahan"] + " " + tag)
        kind = units["jenis_unit"].map(_SECTOR)
        units["instansi"] = np.where(
            kind == "kesehatan",
            "Dinas Kesehatan " + city,
            np.where(kind == "pendidikan", "Dinas Pendidikan " + city, "Pemerintah " + city + " - Kecamatan " + tag),
        )
        raw = rng.integers(np.tile(lo, n_clones), np.tile(hi, n_clones) + 1).astype(float)
        units["size"] = _scale_to_total(raw, employees)
    units["sektor"] = units["jenis_unit"].map(_SECTOR)
    columns = ["unit_id", "nama_unit", "jenis_unit", "instansi", "sektor", "kelurahan", "code", "clone", "size"]
    return units[columns].reset_index(drop=True)


def _scale_to_total(raw: np.ndarray, total: int) -> np.ndarray:
    """Integer sizes proportional to ``raw`` summing to ``total`` (largest remainders get the rest)."""
    exact = raw * total / raw.sum()
    sizes = np.floor(exact).astype(np.int64)
    short = total - int(sizes.sum())
    if short:
        order = np.argsort(-(exact - sizes), kind="stable")
        sizes[order[:short]] += 1
    return sizes
