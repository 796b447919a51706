"""The rare events: complaints (pengaduan) and disciplinary sanctions (disiplin).

Complaints are few relative to services (DOMAIN.md section 9: Kota Palembang logged 171 through
SP4N-LAPOR! in nine months of 2019); handling takes a median of about a week against a usual limit of
14 working days, and a few stay open. In the unit and year of the satisfaction drop they arrive at
``DROP_COMPLAINT_FACTOR`` times the usual rate, mostly about waiting time and staff.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from . import _params as P
from ._calendar import add_working_days, random_working_days

__all__ = ["COMPLAINT_RATE", "build_pengaduan", "build_disiplin"]

COMPLAINT_RATE: Final = {"kantor_camat": 3.0, "kelurahan": 1.5, "puskesmas": 4.0, "puskesmas_pembantu": 0.5}
"""Expected complaints per unit and year."""
KANAL: Final = (("SP4N-LAPOR!", 0.45), ("langsung", 0.25), ("media sosial", 0.20), ("telepon", 0.10))
KATEGORI: Final = {
    "pemerintahan": (
        ("Pelayanan KTP/KK", 0.25),
        ("Pertanahan", 0.15),
        ("Perizinan", 0.15),
        ("Sikap petugas", 0.15),
        ("Waktu pelayanan", 0.15),
        ("Pungutan biaya", 0.05),
        ("Sarana dan prasarana", 0.10),
    ),
    "kesehatan": (
        ("Waktu pelayanan", 0.30),
        ("Sikap petugas", 0.20),
        ("Obat dan alat kesehatan", 0.15),
        ("Kebersihan", 0.10),
        ("BPJS Kesehatan", 0.15),
        ("Sarana dan prasarana", 0.10),
    ),
}
_DROP_KATEGORI: Final = (("Waktu pelayanan", 0.5), ("Sikap petugas", 0.4), ("Pelayanan KTP/KK", 0.1))
STUCK_RATE: Final = 0.03
"""Share of complaints never closed within the data."""
SANCTIONS_PER_YEAR: Final = 2.5
TINGKAT_SHARE: Final = (("ringan", 0.6), ("sedang", 0.3), ("berat", 0.1))


def _pick(rng: np.random.Generator, options, size: int) -> np.ndarray:
    names = np.array([o for o, _ in options], dtype=object)
    weights = np.array([w for _, w in options])
    return names[rng.choice(names.size, size=size, p=weights / weights.sum())]


def build_pengaduan(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    """The ``pengaduan`` table."""
    parts = []
    for _, unit in units.loc[units["jenis_unit"].isin(list(COMPLAINT_RATE))].iterrows():
        for year in P.YEARS:
            dropped = unit["code"] == P.DROP_UNIT and year == P.DROP_YEAR
            rate = COMPLAINT_RATE[unit["jenis_unit"]] * (P.DROP_COMPLAINT_FACTOR if dropped else 1.0)
            n = rng.poisson(rate)
            if n == 0:
                continue
            received = random_working_days(rng, np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31"), n)
            done = add_working_days(received, 1 + rng.negative_binomial(3, 0.3, n))
            still_open = (done > P.END) | (rng.random(n) < STUCK_RATE)
            parts.append(
                pd.DataFrame(
                    {
                        "unit_id": unit["unit_id"],
                        "tanggal_masuk": received,
                        "kanal": _pick(rng, KANAL, n),
                        "kategori": _pick(rng, _DROP_KATEGORI if dropped else KATEGORI[unit["sektor"]], n),
                        "tanggal_selesai": np.where(still_open, np.datetime64("NaT"), done),
                        "status": np.where(still_open, "proses", "selesai"),
                    }
                )
            )
    out = pd.concat(parts, ignore_index=True).sort_values(["tanggal_masuk", "unit_id"], kind="stable")
    year = out["tanggal_masuk"].dt.year
    out["pengaduan_id"] = "ADU-" + year.astype("str") + "-" + (out.groupby(year).cumcount() + 1).map("{:04d}".format)
    return out.reset_index(drop=True)


def build_disiplin(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    """The ``disiplin`` table: a handful of sanctions, more likely for low-ability employees."""
    tmt = people["tmt_cpns"].to_numpy().astype("datetime64[D]")
    exit_date = people["tanggal_keluar"].to_numpy().astype("datetime64[D]")
    weight = np.exp(-0.8 * people["ability"].to_numpy())
    rows = []
    for year in P.YEARS:
        n = rng.poisson(SANCTIONS_PER_YEAR)
        dates = random_working_days(rng, np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31"), n)
        for date in dates:
            in_post = np.flatnonzero((tmt <= date) & (np.isnat(exit_date) | (exit_date > date)))
            w = weight[in_post]
            rows.append((people["nip"].to_numpy()[rng.choice(in_post, p=w / w.sum())], date))
    out = pd.DataFrame(rows, columns=["nip", "tanggal"])
    out["tingkat"] = _pick(rng, TINGKAT_SHARE, len(out))
    return out
