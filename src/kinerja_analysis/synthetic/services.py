"""Service cases (layanan) of the kelurahan, the kantor camat, the puskesmas and its pustu.

A case arrives on a working day and goes to an officer of the unit who is in post that day. Its
processing time in working days is ``round(max(0, x))`` with
x = 0.15 + 0.55 standar_hari + officer + officer-year + unit + year + 0.8 revisions + skewed noise, minus the
programme's shift once the officer has finished the programme (planted effect 1). The untreated time
is kept beside the observed one, so the ground truth can state the realised effect on the treated.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from . import _params as P
from ._calendar import add_working_days, random_working_days

__all__ = ["CATALOGUE", "build_layanan", "duration_shift"]

CATALOGUE: Final = {
    "kelurahan": (
        ("Surat Pengantar KTP-el", 1, 0.19),
        ("Surat Pengantar Kartu Keluarga", 1, 0.17),
        ("Surat Keterangan Domisili", 1, 0.14),
        ("Surat Keterangan Tidak Mampu", 1, 0.11),
        ("Surat Keterangan Usaha", 2, 0.10),
        ("Surat Pengantar Nikah", 1, 0.07),
        ("Surat Keterangan Kematian", 1, 0.05),
        ("Surat Keterangan Pindah", 2, 0.06),
        ("Surat Keterangan Ahli Waris", 5, 0.04),
        ("Legalisasi Dokumen", 0, 0.07),
    ),
    "kantor_camat": (
        ("Perekaman KTP-el", 0, 0.20),
        ("Legalisasi Dokumen", 0, 0.15),
        ("Rekomendasi Izin Usaha Mikro", 3, 0.15),
        ("Surat Pengantar Pindah Datang", 2, 0.10),
        ("Legalisasi Surat Keterangan Ahli Waris", 5, 0.10),
        ("Surat Keterangan Tanah", 5, 0.08),
        ("Rekomendasi Izin Keramaian", 2, 0.08),
        ("Dispensasi Nikah", 2, 0.07),
        ("Rekomendasi Persetujuan Bangunan Gedung", 5, 0.07),
    ),
    "puskesmas": (
        ("Surat Keterangan Sehat", 0, 0.45),
        ("Surat Keterangan Buta Warna", 0, 0.15),
        ("Surat Keterangan Bebas Narkoba", 1, 0.15),
        ("Salinan Rekam Medis", 2, 0.10),
        ("Surat Keterangan Kematian", 1, 0.05),
        ("Surat Rujukan", 0, 0.10),
    ),
    "puskesmas_pembantu": (("Surat Keterangan Sehat", 0, 0.7), ("Surat Rujukan", 0, 0.3)),
}
"""Services per kind of unit: name, service standard (working days, 0 = same day), share of cases."""


def duration_shift(event_time: np.ndarray, multiplier: np.ndarray) -> np.ndarray:
    """Shift of processing time (working days) by event time; zero where ``event_time`` < 0."""
    shifts = np.asarray(P.DURATION_SHIFT)
    return np.where(event_time >= 0, shifts[np.clip(event_time, 0, 2)] * multiplier, 0.0)


def _officers_for(
    rng: np.random.Generator, dates: np.ndarray, pool: np.ndarray, tmt: np.ndarray, exit_date: np.ndarray
) -> np.ndarray:
    """For each date, an officer from ``pool`` in post that day (-1 if none): repeated uniform draws."""
    chosen = np.full(dates.size, -1, dtype=np.int64)
    if pool.size == 0:
        return chosen
    todo = np.arange(dates.size)
    for _ in range(200):
        if todo.size == 0:
            break
        cand = pool[rng.integers(0, pool.size, size=todo.size)]
        ok = (tmt[cand] <= dates[todo]) & (np.isnat(exit_date[cand]) | (exit_date[cand] > dates[todo]))
        chosen[todo[ok]] = cand[ok]
        todo = todo[~ok]
    return chosen


def build_layanan(
    rng: np.random.Generator, units: pd.DataFrame, people: pd.DataFrame, programme: pd.DataFrame
) -> pd.DataFrame:
    """The ``layanan`` table plus internal ``person`` (officer row), ``event_time``, ``hari``, ``hari0``.

    ``hari`` is the observed processing time in working days and ``hari0`` the time the same case
    would have taken without the programme.
    """
    tmt = people["tmt_cpns"].to_numpy().astype("datetime64[D]")
    exit_date = people["tanggal_keluar"].to_numpy().astype("datetime64[D]")
    officer_unit = people["unit"].to_numpy()
    officer_effect = (
        P.OFFICER_SD * rng.standard_normal(len(people)) + P.OFFICER_ABILITY_SLOPE * people["ability"].to_numpy()
    )
    cohort = programme["cohort"].to_numpy()
    finished = programme["selesai"].to_numpy().astype("datetime64[D]")
    multiplier = programme["multiplier"].to_numpy()
    parts = []
    for u, unit in units.iterrows():
        kind = unit["jenis_unit"]
        if kind not in P.SERVICE_VOLUME:
            continue
        services = CATALOGUE[kind]
        weights = np.array([w for _, _, w in services])
        level = rng.uniform(*P.SERVICE_VOLUME[kind])
        unit_effect = P.UNIT_SD * rng.standard_normal()
        pool = np.flatnonzero(people["officer"].to_numpy() & (officer_unit == u))
        for year in P.YEARS:
            n = rng.poisson(level * P.SERVICE_VOLUME_FACTOR[year])
            dates = np.sort(random_working_days(rng, np.datetime64(f"{year}-01-01"), np.datetime64(f"{year}-12-31"), n))
            service = rng.choice(len(services), size=n, p=weights / weights.sum())
            standard = np.array([s for _, s, _ in services])[service]
            officer = _officers_for(rng, dates, pool, tmt, exit_date)
            returned = rng.random(n) < P.RETURN_RATE[0] + P.RETURN_RATE[1] * standard
            revisions = np.where(returned, 1 + rng.poisson(0.3, n), 0)
            noise = rng.gamma(2.0, 0.3, n) - 0.6
            year_shock = P.OFFICER_YEAR_SD * rng.standard_normal(len(people))  # one per officer this year
            has_officer = officer >= 0
            x0 = (
                P.DURATION_INTERCEPT
                + P.DURATION_PER_STANDARD_DAY * standard
                + np.where(has_officer, officer_effect[officer] + year_shock[officer], 0.0)
                + unit_effect
                + P.SERVICE_YEAR_EFFECT[year]
                + P.REVISION_DAYS * revisions
                + noise
            )
            treated = has_officer & (cohort[officer] > 0) & (dates > finished[officer])
            event_time = np.where(treated, year - cohort[officer], -1)
            shift = duration_shift(event_time, np.where(has_officer, multiplier[officer], 0.0))
            days0 = np.maximum(0, np.round(x0)).astype(np.int64)
            days = np.maximum(0, np.round(x0 + shift)).astype(np.int64)
            outcome = rng.random(n)
            status = np.where(
                outcome < P.REJECT_RATE,
                "ditolak",
                np.where(outcome < P.REJECT_RATE + P.WITHDRAW_RATE, "dicabut", "selesai"),
            )
            done = add_working_days(dates, days)
            still_open = done > P.END
            parts.append(
                pd.DataFrame(
                    {
                        "unit_id": unit["unit_id"],
                        "tahun": year,
                        "jenis_layanan": np.array([s for s, _, _ in services], dtype=object)[service],
                        "person": officer,
                        "tanggal_masuk": dates,
                        "tanggal_selesai": np.where(still_open, np.datetime64("NaT"), done),
                        "standar_hari": standard,
                        "status": np.where(still_open, "proses", status),
                        "dikembalikan": returned,
                        "jumlah_revisi": revisions,
                        "event_time": event_time,
                        "hari": days,
                        "hari0": days0,
                    }
                )
            )
    cases = pd.concat(parts, ignore_index=True)
    cases["berkas_id"] = (
        cases["unit_id"]
        + "-"
        + cases["tahun"].astype("str")
        + "-"
        + (cases.groupby(["unit_id", "tahun"]).cumcount() + 1).map("{:05d}".format)
    )
    nips = people["nip"].to_numpy()
    cases["nip_petugas"] = np.where(
        cases["person"].to_numpy() >= 0, nips[np.maximum(cases["person"].to_numpy(), 0)], None
    )
    return cases
