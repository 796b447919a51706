"""Fixed settings and planted effects of the synthetic Plaju, kept in one place.

The ground-truth file reads every generating value from here, so it always states what the generator
actually used. Calibration targets come from DOMAIN.md section 9; unit sizes from DOMAIN.md section 8
are assumptions and are labelled so in the ground-truth file.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

import numpy as np

DEFAULT_SEED: Final = 20241127
"""Seed of the committed ``data/demo``."""

YEARS: Final = tuple(range(2019, 2026))
START: Final = np.datetime64("2019-01-01", "D")
END: Final = np.datetime64("2025-12-31", "D")
REFERENCE_DATE: Final = np.datetime64("2023-06-30", "D")
"""The workforce on this date is calibrated to the national marginals (BKN, June/December 2023)."""

NATIONAL_EMPLOYEES: Final = 4_300_000
"""ASN in post on the reference date for ``scale="national"`` (BKN: 4.25 M Dec 2022, 4.47 M Dec 2023)."""

# --- Workforce calibration (DOMAIN.md section 9) -------------------------------------------------

AGE_BANDS: Final = ((18, 30), (31, 40), (41, 50), (51, 60))
TENURE_BANDS: Final = ((0, 10), (11, 20), (21, 30), (31, 38))
# Joint share of PNS by age band (rows) and tenure band (columns) at the reference date. The margins
# are BKN's (age 10/24/33/33 %, tenure 32/52/15/1 %); the inside encodes that many older PNS were
# appointed late (former honorer), so tenure runs well below age minus 22.
AGE_TENURE_JOINT: Final = np.array(
    [
        [0.10, 0.00, 0.00, 0.00],
        [0.14, 0.10, 0.00, 0.00],
        [0.06, 0.24, 0.03, 0.00],
        [0.02, 0.18, 0.12, 0.01],
    ]
)
PPPK_AGE_RANGE: Final = (24, 55)

# Share of PPPK among those in post at the reference date, by sector (waves of 2021-2023).
PPPK_SHARE: Final = MappingProxyType({"pemerintahan": 0.08, "kesehatan": 0.22, "pendidikan": 0.27})
# Share of women by status and sector, tuned so that Plaju's mix gives about 53 % of PNS, 65 % of PPPK.
WOMEN_SHARE: Final = MappingProxyType(
    {
        ("pns", "pemerintahan"): 0.38,
        ("pns", "kesehatan"): 0.74,
        ("pns", "pendidikan"): 0.55,
        ("pppk", "pemerintahan"): 0.45,
        ("pppk", "kesehatan"): 0.75,
        ("pppk", "pendidikan"): 0.66,
    }
)

EDUCATION_LEVELS: Final = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
# Highest education by role, tuned so that Plaju's PNS are near BKN's December 2023 shares
# (S1 56 %, S2 12 %, S3 1 %, D3 11 %, D1/D2/D4 4 %, SMA 14 %, SD/SMP 1 %).
EDUCATION_BY_ROLE: Final = MappingProxyType({
    #              SD     SMP    SMA    D1     D2     D3     D4     S1     S2     S3
    "guru":      (0.000, 0.000, 0.080, 0.000, 0.040, 0.050, 0.020, 0.680, 0.125, 0.005),
    "nakes":     (0.000, 0.000, 0.030, 0.000, 0.000, 0.520, 0.080, 0.320, 0.045, 0.005),
    "staf":      (0.015, 0.030, 0.470, 0.020, 0.000, 0.120, 0.020, 0.280, 0.045, 0.000),
    "pamong":    (0.000, 0.000, 0.150, 0.000, 0.000, 0.080, 0.020, 0.530, 0.200, 0.020),
})  # fmt: skip

# Role mix of each kind of unit (guru = teacher, nakes = health professional, staf = support staff in
# schools and health units, pamong = staff of the kecamatan and kelurahan offices).
ROLE_MIX: Final = MappingProxyType(
    {
        "sd": {"guru": 0.88, "staf": 0.12},
        "smp": {"guru": 0.86, "staf": 0.14},
        "puskesmas": {"nakes": 0.80, "staf": 0.20},
        "puskesmas_pembantu": {"nakes": 1.00},
        "kantor_camat": {"pamong": 1.00},
        "kelurahan": {"pamong": 1.00},
    }
)

# Exits and entries around the reference date (yearly rates are assumptions).
OTHER_EXIT_RATE: Final = 0.015
"""Yearly hazard of leaving for reasons other than retirement (transfer, resignation, death)."""
PRE_REFERENCE_LEAVER_RATE: Final = 0.11
"""Share of the reference-date workforce added as people who left between 2019-01-01 and 2023-06-30."""
LATE_ENTRY_RATE: Final = MappingProxyType(
    {
        ("pns", "pemerintahan"): 0.03,
        ("pns", "kesehatan"): 0.03,
        ("pns", "pendidikan"): 0.02,
        ("pppk", "pemerintahan"): 0.06,
        ("pppk", "kesehatan"): 0.08,
        ("pppk", "pendidikan"): 0.10,
    }
)
"""Joiners after the reference date, as a share of the unit's workforce (CPNS 2024, PPPK 2024-2025)."""

# --- Planted effect 1: the training programme ----------------------------------------------------

PROGRAMME_NAME: Final = "Pelatihan Pelayanan Publik Prima dan Manajemen Waktu"
PROGRAMME_CODE: Final = "PPP"
PROGRAMME_JP: Final = 40
COHORTS: Final = (2020, 2021, 2022, 2023, 2024)
PROVIDERS: Final = ("BKN", "BPSDM Sumsel", "LAN")
PROVIDER_SHARE: Final = (0.30, 0.50, 0.20)
PROVIDER_START: Final = MappingProxyType({"BKN": "02-10", "BPSDM Sumsel": "03-02", "LAN": "02-24"})
"""Month-day of each provider's yearly batch; the course runs five working days."""
ADOPTION_HAZARD: Final = MappingProxyType({"pemerintahan": 0.17, "kesehatan": 0.15, "pendidikan": 0.13})
"""Yearly probability of joining the programme for those not yet trained (fixed characteristics only)."""
ADOPTION_YOUNG_FACTOR: Final = 1.4
"""Hazard multiplier for employees under 40 at the reference date."""
ADOPTION_ABILITY_SLOPE: Final = 0.2
"""Hazard multiplier exp(slope x ability): abler staff are sent more often (selection on levels)."""

DURATION_SHIFT: Final = (-0.30, -0.50, -0.70)
"""Shift of a case's processing time (working days) by event time 0, 1, 2+ after the programme."""
APPRAISAL_SHIFT: Final = (0.20, 0.35, 0.45)
"""Shift of the latent appraisal score (SD units) by event time 0, 1, 2+."""
SECTOR_MULTIPLIER: Final = MappingProxyType({"pemerintahan": 1.0, "kesehatan": 0.6, "pendidikan": 0.8})
PROVIDER_MULTIPLIER: Final = MappingProxyType({"BKN": 1.25, "BPSDM Sumsel": 1.0, "LAN": 0.75})

# --- Appraisal model ------------------------------------------------------------------------------

ABILITY_WEIGHT: Final = 0.7
"""Weight of the fixed ability in the yearly latent score s = w a + sqrt(1 - w^2) e."""
RATING_NOISE: Final = 0.6
"""SD of the item-specific noise of hasil kerja and perilaku kerja around the yearly latent score."""
RATING_ABOVE: Final = 1.17
"""Latent cut-off for di_atas ekspektasi; gives about 11 % Sangat Baik in 2022-2025 (BKN: 11.3 %)."""
RATING_BELOW: Final = -3.4
"""Latent cut-off for di_bawah ekspektasi; makes the three lowest predikat rare (BKN: 0.27 %)."""
QUARTERLY_YEARS: Final = (2024, 2025)
QUARTERLY_SECTOR: Final = "pemerintahan"
"""Quarterly appraisal rows (periode Q1..Q4) exist for this sector's staff in these years."""
QUARTER_NOISE: Final = 0.5
"""SD of a quarter's own shift of the latent score around the year's."""
SKP_MEAN, SKP_SLOPE, SKP_NOISE = 85.0, 3.6, 2.0
PERILAKU_MEAN, PERILAKU_SLOPE, PERILAKU_NOISE = 84.0, 3.0, 2.0

# --- Planted effect 2: selections -----------------------------------------------------------------

SELECTIONS_PER_YEAR: Final = (34, 44)
CANDIDATES_PER_SELECTION: Final = (3, 6)
SELECTION_COEFFICIENTS: Final = MappingProxyType(
    {
        "skor_kompetensi": 0.08,
        "skor_potensi": 0.05,
        "masa_kerja_tahun": 0.10,
        "perempuan_dinas_pendidikan": float(np.log(0.5)),
    }
)
"""Conditional-logit utility of being chosen, per point of score, per year of service, and for a woman
candidate in a Dinas Pendidikan selection (odds x 0.5)."""
SELECTION_INSTANSI_SHARE: Final = MappingProxyType({"pemerintahan": 0.30, "kesehatan": 0.15, "pendidikan": 0.55})

# --- Planted effect 3: a satisfaction drop ---------------------------------------------------------

DROP_UNIT: Final = "KEL-TBB"
DROP_YEAR: Final = 2024
DROP_SHIFT: Final = MappingProxyType({"u3": -0.55, "u7": -0.45})
"""Shift of the latent answer (scale 1-4) of the dropped items in that unit and year."""
DROP_COMPLAINT_FACTOR: Final = 4.0
"""Complaints in that unit and year arrive at this multiple of the usual rate."""
ITEM_LATENT_MEAN: Final = (3.14, 3.12, 2.92, 3.32, 3.14, 3.16, 3.20, 3.04, 3.08)
"""Latent mean of U1..U9; U3 (waktu penyelesaian) lowest, U4 (biaya) highest, as in published reports."""
RESPONDENT_SD: Final = 0.45
ITEM_SD: Final = 0.50

# --- Service cases (layanan) ----------------------------------------------------------------------

SERVICE_VOLUME: Final = MappingProxyType(
    {
        "kantor_camat": (1500, 1900),
        "kelurahan": (700, 1100),
        "puskesmas": (900, 1100),
        "puskesmas_pembantu": (200, 300),
    }
)
"""Range of a unit's usual yearly number of cases (its level is drawn once)."""
SERVICE_VOLUME_FACTOR: Final = MappingProxyType(
    {2019: 1.0, 2020: 0.75, 2021: 0.85, 2022: 1.0, 2023: 1.05, 2024: 1.08, 2025: 1.10}
)
SERVICE_YEAR_EFFECT: Final = MappingProxyType(
    {2019: 0.0, 2020: 0.20, 2021: 0.10, 2022: 0.05, 2023: 0.0, 2024: -0.05, 2025: -0.10}
)
"""Common shift of processing time by year (working days), the same for every unit and officer."""
DURATION_INTERCEPT, DURATION_PER_STANDARD_DAY = 0.15, 0.55
OFFICER_SD, OFFICER_ABILITY_SLOPE, UNIT_SD = 0.35, -0.10, 0.15
OFFICER_YEAR_SD: Final = 0.10
"""SD of an officer's own yearly shock to processing time (working days)."""
REVISION_DAYS: Final = 0.8
"""Extra working days per revision of a returned file."""
RETURN_RATE: Final = (0.04, 0.02)
"""Probability that a file is returned for correction: intercept and per standard day."""
REJECT_RATE, WITHDRAW_RATE = 0.03, 0.015
