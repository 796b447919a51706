"""The employees: who is in post on the reference date, who left before it, who joined after it.

The workforce in post on 2023-06-30 is drawn to match BKN's national marginals (DOMAIN.md section 9:
sex, age and tenure jointly, education). Around it: people who were in post on 2019-01-01 but left
before the reference date (retirement at the pension age, BUP, or other exits), and CPNS/PPPK who
joined after it. Everything works on integer codes and arrays, so national-size workforces take
seconds; text columns are built at the end with Arrow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kinerja_analysis.data.schema import JENIS_JABATAN, JENIS_UNIT, PENDIDIKAN, SEKTOR

from . import _params as P
from ._nip import build_nips
from ._tables import text_from_codes
from .names import draw_names
from .positions import (
    FUNGSIONAL,
    PELAKSANA,
    STEP_YEARS,
    TITLE_GROUPS,
    assign_managerial,
    draw_titles,
    golongan_index,
    golongan_labels,
    pppk_golongan_index,
    title_code,
    title_labels,
)

__all__ = ["build_people", "YEAR_DAYS", "ROLES"]

YEAR_DAYS = 365.2425
ROLES = ("guru", "nakes", "staf", "pamong")
"""guru: teacher; nakes: health professional; staf: support staff of schools and health units; pamong:
staff of the kecamatan and kelurahan offices."""
_EDU = {name: i for i, name in enumerate(PENDIDIKAN)}
_MIN_ENTRY_AGE = np.array([19, 19, 19, 20, 20, 21, 22, 22, 24, 27])  # by PENDIDIKAN code
_FUNGSIONAL_SHARE = np.array([1.0, 1.0, 0.15, 0.30])  # by role
_OFFICER_TITLES = ("Pengadministrasi Umum", "Pengadministrasi Pelayanan Pasien", "Perekam Medis")
"""Puskesmas staff who register and hand out letters (every non-managerial staff member does so in the
kelurahan, the kantor camat and the pustu)."""
_KIND = {name: i for i, name in enumerate(JENIS_UNIT)}
_SECTOR = {name: i for i, name in enumerate(SEKTOR)}


def _days(years: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(years) * YEAR_DAYS).astype("timedelta64[D]")


def _month_start(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[M]").astype("datetime64[D]")


def _random_months(rng: np.random.Generator, first: str, last: str, size: int) -> np.ndarray:
    """First days of months drawn uniformly from ``first`` to ``last`` (YYYY-MM, inclusive)."""
    lo, hi = np.datetime64(first, "M").astype(np.int64), np.datetime64(last, "M").astype(np.int64)
    return rng.integers(lo, hi + 1, size=size).astype("datetime64[M]").astype("datetime64[D]")


def _years_between(first: np.ndarray, last: np.ndarray | np.datetime64) -> np.ndarray:
    return (last - first).astype(np.int64) / YEAR_DAYS


def _draw_rows(rng: np.random.Generator, keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """For each key, a column index drawn from row ``table[key]`` (rows are probabilities)."""
    cdf = np.cumsum(table, axis=1)
    cdf = cdf / cdf[:, -1:]
    u = rng.random(keys.size)
    return np.minimum((u[:, None] >= cdf[keys]).sum(axis=1), table.shape[1] - 1)


def build_people(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    """Everyone employed at some time from 2019-01-01 to 2025-12-31, sorted by NIP, with internal columns.

    Besides the ``pegawai`` columns the frame has ``unit`` (row of ``units``), ``sektor``,
    ``jenis_unit``, ``instansi``, ``role``, ``ability`` (standard normal, fixed), ``officer`` (handles
    service cases) and ``group`` (0 in post on the reference date, 1 left before it, 2 joined after it).
    """
    sizes = units["size"].to_numpy()
    unit_sector = units["sektor"].map(_SECTOR).to_numpy(dtype=np.int64)
    unit_kind = units["jenis_unit"].map(_KIND).to_numpy(dtype=np.int64)
    n_units = len(units)

    # Who: the reference-date workforce, earlier leavers (all PNS: PPPK only began in 2021), and
    # later joiners by status.
    rate = {
        s: np.array([P.LATE_ENTRY_RATE[(s, SEKTOR[k])] for k in range(len(SEKTOR))])[unit_sector]
        for s in ("pns", "pppk")
    }
    counts = [
        sizes,
        rng.binomial(sizes, P.PRE_REFERENCE_LEAVER_RATE),
        rng.binomial(sizes, rate["pns"]),
        rng.binomial(sizes, rate["pppk"]),
    ]
    unit = np.concatenate([np.repeat(np.arange(n_units), c) for c in counts])
    totals = [int(c.sum()) for c in counts]
    group = np.repeat([0, 1, 2, 2], totals)
    fixed = np.repeat([-1, 0, 0, 1], totals)  # -1: status drawn; 0: pns; 1: pppk
    n = unit.size
    sector = unit_sector[unit]
    kind = unit_kind[unit]
    drawn = rng.random(n) < np.array([P.PPPK_SHARE[s] for s in SEKTOR])[sector]
    pppk = np.where(fixed < 0, drawn, fixed == 1)

    # What: role, sex, education, fungsional or pelaksana.
    role_table = np.array([[P.ROLE_MIX.get(k, {}).get(r, 0.0) for r in ROLES] for k in JENIS_UNIT])
    role_table[role_table.sum(axis=1) == 0, ROLES.index("staf")] = 1.0  # kinds without a mix (none in Plaju)
    role = _draw_rows(rng, kind, role_table)
    women = np.array([[P.WOMEN_SHARE[(st, s)] for s in SEKTOR] for st in ("pns", "pppk")])
    woman = rng.random(n) < women[pppk.astype(np.int64), sector]
    edu = _draw_rows(rng, role, np.array([P.EDUCATION_BY_ROLE[r] for r in ROLES]))
    fungsional = rng.random(n) < _FUNGSIONAL_SHARE[role]
    bup = np.where(fungsional, 60, 58)  # batas usia pensiun: 60 for fungsional, 58 otherwise
    min_entry = _MIN_ENTRY_AGE[edu]

    # When: age and tenure on the reference date (PNS jointly, BKN margins), then dates.
    cell = rng.choice(P.AGE_TENURE_JOINT.size, size=n, p=P.AGE_TENURE_JOINT.ravel() / P.AGE_TENURE_JOINT.sum())
    age_lo = np.array([max(lo, 21) for lo, _ in P.AGE_BANDS])[cell // 4]
    age_hi = np.array([hi for _, hi in P.AGE_BANDS])[cell // 4]
    ten_lo = np.array([lo for lo, _ in P.TENURE_BANDS])[cell % 4]
    ten_hi = np.array([hi for _, hi in P.TENURE_BANDS])[cell % 4]
    age = rng.integers(age_lo, age_hi + 1)
    # A year of slack between the entry age and the tenure keeps every appointment after the entry age.
    age = np.minimum(np.maximum(age, min_entry + ten_lo + 1), bup - 1)
    tenure = ten_lo + np.floor(
        rng.random(n) * (np.maximum(np.minimum(ten_hi, age - min_entry - 1), ten_lo) - ten_lo + 1)
    )
    pppk_age = rng.integers(P.PPPK_AGE_RANGE[0], P.PPPK_AGE_RANGE[1] + 1, size=n)
    age = np.where(pppk, np.minimum(np.maximum(pppk_age, min_entry + 3), bup - 1), age)
    birth = P.REFERENCE_DATE - _days(age + rng.uniform(0.02, 0.98, n))
    tmt = _month_start(P.REFERENCE_DATE - _days(tenure + rng.uniform(0.05, 0.9, n)))
    tmt = np.where(pppk, _random_months(rng, "2021-03", "2023-06", n), tmt)

    # Later joiners: appointed after the reference date, young CPNS or PPPK of any working age.
    late = group == 2
    late_tmt = _random_months(rng, "2023-08", "2025-10", n)
    entry_age = np.where(pppk, rng.integers(24, 56, n), np.maximum(rng.integers(22, 36, n), min_entry))
    tmt = np.where(late, late_tmt, tmt)
    birth = np.where(late, late_tmt - _days(entry_age + rng.uniform(0.02, 0.98, n)), birth)

    # Exits. Earlier leavers retire (55 %) or leave for other reasons between 2019 and mid-2023.
    exit_date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    left = group == 1
    retire_early = left & (rng.random(n) < 0.55)
    retire_month = _random_months(rng, "2019-02", "2023-06", n)
    born_month = (retire_month.astype("datetime64[M]") - 1 - bup * 12).astype("datetime64[D]")
    retire_birth = born_month + rng.integers(0, 28, n).astype("timedelta64[D]")
    old_tenure = rng.choice(4, size=n, p=[0.06, 0.55, 0.36, 0.03]) * 10 + rng.integers(1, 10, n)
    birth = np.where(retire_early, retire_birth, birth)
    tmt = np.where(retire_early, _month_start(retire_month - _days(old_tenure + 0.5)), tmt)
    exit_date = np.where(retire_early, retire_month, exit_date)
    other_early = left & ~retire_early
    span = int((P.REFERENCE_DATE - P.START).astype(np.int64))
    other_exit = P.START + rng.integers(1, span, n).astype("timedelta64[D]")
    too_recent = other_early & (tmt > other_exit - np.timedelta64(180, "D"))
    tmt = np.where(too_recent, _month_start(P.START - _days(rng.uniform(0.5, 6.0, n))), tmt)
    birth = np.where(too_recent, np.minimum(birth, tmt - _days(min_entry + rng.uniform(0, 5, n))), birth)
    exit_date = np.where(other_early, other_exit, exit_date)
    # No one is appointed before the entry age of their education.
    earliest = (birth + _days(min_entry)).astype("datetime64[M]") + 1
    tmt = np.maximum(tmt, earliest.astype("datetime64[D]"))
    # Those in post on the reference date or later: pension at BUP (first day of the month after the
    # birthday) or another exit at a constant hazard.
    pension = (birth.astype("datetime64[M]") + (bup * 12 + 1)).astype("datetime64[D]")
    other = (
        np.maximum(tmt, P.REFERENCE_DATE) + np.timedelta64(1, "D") + _days(rng.exponential(1.0 / P.OTHER_EXIT_RATE, n))
    )
    later_exit = np.minimum(pension, other)
    exit_date = np.where(~left & (later_exit <= P.END), later_exit, exit_date)

    # Rank and post.
    ability = rng.standard_normal(n)
    phase = rng.uniform(0.0, STEP_YEARS, n)
    cap_kind = np.where(fungsional, 1, 0)
    gol_ref = golongan_index(edu, _years_between(tmt, P.REFERENCE_DATE), phase, cap_kind)
    age_end = _years_between(birth, P.END)
    staff_role = (role == ROLES.index("pamong")) | ((role == ROLES.index("staf")) & (kind == _KIND["puskesmas"]))
    eligible = (
        (group == 0) & ~pppk & np.isnat(exit_date) & (edu >= _EDU["D3"]) & (gol_ref >= 9) & (age_end < 57) & staff_role
    )
    seniority = gol_ref + 0.3 * ability + rng.uniform(0, 0.1, n)
    mgr_title, mgr_jenis = assign_managerial(unit, kind, eligible, seniority)
    managerial = mgr_jenis >= 0
    cap_kind = np.where(managerial, np.where(mgr_jenis == JENIS_JABATAN.index("pengawas"), 2, 3), cap_kind)
    last_day = np.where(np.isnat(exit_date), P.END, exit_date - np.timedelta64(1, "D"))
    gol = np.where(pppk, pppk_golongan_index(edu), golongan_index(edu, _years_between(tmt, last_day), phase, cap_kind))
    staf_group = np.where(
        sector == _SECTOR["pendidikan"], TITLE_GROUPS.index("staf_sekolah"), TITLE_GROUPS.index("staf_kesehatan")
    )
    group_of_role = np.array([TITLE_GROUPS.index(r) if r in TITLE_GROUPS else -1 for r in ROLES])
    title_group = np.where(role == ROLES.index("staf"), staf_group, group_of_role[role])
    title = draw_titles(rng, group=title_group, fungsional=fungsional, edu=edu, gol=gol, pppk=pppk)
    title = np.where(managerial, mgr_title, title)
    jenis = np.where(managerial, mgr_jenis, np.where(fungsional, FUNGSIONAL, PELAKSANA))
    counter = np.isin(kind, [_KIND["kantor_camat"], _KIND["kelurahan"], _KIND["puskesmas_pembantu"]])
    desk = (kind == _KIND["puskesmas"]) & np.isin(title, [title_code(t) for t in _OFFICER_TITLES])
    officer = ~managerial & (counter | desk)

    nip_text, nip_value = build_nips(rng, birth=birth, tmt=tmt, woman=woman, pppk=pppk)
    order = np.argsort(nip_value, kind="stable")  # NIP order: the table's key, and fixed-width digits sort alike
    instansi_labels, instansi_code = np.unique(units["instansi"].to_numpy(dtype=str), return_inverse=True)
    columns = {
        "nip": nip_text,
        "nama": draw_names(rng, woman),
        "status": pd.Categorical.from_codes(pppk.astype(np.int8), categories=["pns", "pppk"]),
        "jenis_kelamin": pd.Categorical.from_codes(woman.astype(np.int8), categories=["L", "P"]),
        "tanggal_lahir": birth,
        "tmt_cpns": tmt,
        "golongan": golongan_labels(gol, pppk),
        "jenis_jabatan": pd.Categorical.from_codes(jenis, categories=list(JENIS_JABATAN), ordered=True),
        "jabatan": text_from_codes(title_labels(), title),
        "pendidikan": pd.Categorical.from_codes(edu, categories=list(PENDIDIKAN), ordered=True),
        "unit_id": text_from_codes(units["unit_id"].tolist(), unit),
        "tanggal_keluar": exit_date,
        "unit": unit,
        "sektor": pd.Categorical.from_codes(sector, categories=list(SEKTOR)),
        "jenis_unit": pd.Categorical.from_codes(kind, categories=list(JENIS_UNIT)),
        "instansi": pd.Categorical.from_codes(instansi_code[unit], categories=list(instansi_labels)),
        "role": pd.Categorical.from_codes(role, categories=list(ROLES)),
        "ability": ability,
        "officer": officer,
        "group": group,
    }
    taken = {
        name: (col.take(order) if isinstance(col, pd.Series | pd.Categorical) else col[order])
        for name, col in columns.items()
    }
    return pd.DataFrame(
        {name: (col.reset_index(drop=True) if isinstance(col, pd.Series) else col) for name, col in taken.items()}
    )
