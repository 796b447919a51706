"""Training: the staggered programme (planted effect 1) and everyday training records (pelatihan).

The programme (``PROGRAMME_NAME``, 40 JP) is adopted in different years 2020-2024: each year, everyone
in post since before that year and not yet trained joins with a probability that depends only on fixed
characteristics (sector, being under 40, ability), never on how their outcomes move. About half are
never trained. Everyday training (seminars, workshops, technical and functional courses) adds JP that
often stay below the 20 JP a year PP 17/2020 asks for.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from . import _params as P
from ._calendar import CALENDAR, add_working_days, random_working_days

__all__ = ["assign_programme", "programme_dates", "build_pelatihan"]

_PROVIDER_CODE: Final = {"BKN": "BKN", "BPSDM Sumsel": "BPSDM", "LAN": "LAN"}


def programme_dates(year: int, provider: str) -> tuple[np.datetime64, np.datetime64]:
    """First and last day of a provider's five-day batch in ``year``.

    >>> [str(d) for d in programme_dates(2021, "BKN")]  # 12 February 2021 is Imlek
    ['2021-02-10', '2021-02-17']
    """
    first = np.busday_offset(
        np.datetime64(f"{year}-{P.PROVIDER_START[provider]}"), 0, roll="forward", busdaycal=CALENDAR
    )
    return first, add_working_days(first, 4)


def assign_programme(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    """Who joins the programme, when and with which provider.

    Returns one row per person (same order as ``people``): ``cohort`` (year, 0 if never),
    ``provider`` (None if never), ``mulai``/``selesai`` (dates, NaT if never) and ``multiplier``
    (sector x provider factor on the effect).
    """
    n = len(people)
    birth = people["tanggal_lahir"].to_numpy().astype("datetime64[D]")
    tmt = people["tmt_cpns"].to_numpy().astype("datetime64[D]")
    exit_date = people["tanggal_keluar"].to_numpy().astype("datetime64[D]")
    young = (P.REFERENCE_DATE - birth).astype(np.int64) < 40 * 365.2425
    sector = people["sektor"].cat.codes.to_numpy()
    hazard = np.array([P.ADOPTION_HAZARD[s] for s in people["sektor"].cat.categories])[sector]
    hazard = (
        hazard
        * np.where(young, P.ADOPTION_YOUNG_FACTOR, 1.0)
        * np.exp(P.ADOPTION_ABILITY_SLOPE * people["ability"].to_numpy())
    )
    hazard = np.minimum(hazard, 0.9)
    provider = rng.choice(len(P.PROVIDERS), size=n, p=P.PROVIDER_SHARE)
    cohort = np.zeros(n, dtype=np.int64)
    start = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    end = start.copy()
    for year in P.COHORTS:
        dates = [programme_dates(year, p) for p in P.PROVIDERS]
        first = np.array([d[0] for d in dates])[provider]
        last = np.array([d[1] for d in dates])[provider]
        in_post = (tmt < np.datetime64(f"{year}-01-01")) & (np.isnat(exit_date) | (exit_date > last))
        joins = (cohort == 0) & in_post & (rng.random(n) < hazard)
        cohort[joins] = year
        start[joins] = first[joins]
        end[joins] = last[joins]
    names = np.asarray(P.PROVIDERS, dtype=object)[provider]
    multiplier = (
        np.array([P.SECTOR_MULTIPLIER[s] for s in people["sektor"].cat.categories])[sector]
        * np.array([P.PROVIDER_MULTIPLIER[p] for p in P.PROVIDERS])[provider]
    )
    trained = cohort > 0
    return pd.DataFrame(
        {
            "cohort": cohort,
            "provider": np.where(trained, names, None),
            "mulai": start,
            "selesai": end,
            "multiplier": np.where(trained, multiplier, 0.0),
        }
    )


# Everyday training: (audience, title pattern, jenis, providers, JP range, working days).
_TEMPLATES: Final = (
    ("umum", "Webinar {}", "seminar", ("BKN", "LAN", "BPSDM Sumsel"), (2, 4), 1),
    ("umum", "Seminar {}", "seminar", ("BPSDM Sumsel", "BKN"), (3, 6), 1),
    ("umum", "Workshop {}", "workshop", ("BPSDM Sumsel", "LAN"), (8, 16), 2),
    ("umum", "Pelatihan Teknis {}", "diklat_teknis", ("BPSDM Sumsel", "BKN", "LAN"), (16, 30), 4),
    ("umum", "Kursus {}", "kursus", ("LAN", "BPSDM Sumsel"), (10, 24), 3),
    ("pendidikan", "Workshop {}", "workshop", ("Dinas Pendidikan Kota Palembang",), (8, 16), 2),
    (
        "pendidikan",
        "Diklat Fungsional Guru: {}",
        "diklat_fungsional",
        ("Dinas Pendidikan Kota Palembang",),
        (32, 60),
        5,
    ),
    ("pendidikan", "Seminar {}", "seminar", ("Dinas Pendidikan Kota Palembang",), (3, 6), 1),
    ("kesehatan", "Pelatihan Teknis {}", "diklat_teknis", ("Dinas Kesehatan Kota Palembang",), (16, 30), 4),
    (
        "kesehatan",
        "Diklat Fungsional Tenaga Kesehatan: {}",
        "diklat_fungsional",
        ("Dinas Kesehatan Kota Palembang",),
        (32, 50),
        5,
    ),
    ("kesehatan", "Magang {}", "magang", ("Dinas Kesehatan Kota Palembang",), (20, 40), 5),
    ("pemerintahan", "Pelatihan Teknis {}", "diklat_teknis", ("BPSDM Sumsel",), (16, 30), 4),
    ("pemerintahan", "Workshop {}", "workshop", ("BPSDM Sumsel", "BKN"), (8, 16), 2),
)
_TOPICS: Final = {
    "umum": (
        "manajemen waktu",
        "pelayanan publik",
        "teknologi informasi",
        "BerAKHLAK dan budaya kerja",
        "SKP dan manajemen kinerja",
        "anti korupsi dan integritas",
        "tata naskah dinas",
        "kearsipan digital",
        "keterbukaan informasi publik",
        "moderasi beragama",
    ),
    "pendidikan": (
        "kurikulum merdeka",
        "pembelajaran berdiferensiasi",
        "asesmen pembelajaran",
        "literasi dan numerasi",
        "pendidikan inklusif",
        "teknologi informasi dalam pembelajaran",
    ),
    "kesehatan": (
        "pelayanan kesehatan primer",
        "pencegahan dan pengendalian infeksi",
        "gizi masyarakat",
        "kesehatan ibu dan anak",
        "manajemen puskesmas",
        "sistem informasi kesehatan",
    ),
    "pemerintahan": (
        "administrasi kependudukan",
        "pelayanan administrasi terpadu kecamatan",
        "pengelolaan keuangan kelurahan",
        "pemberdayaan masyarakat",
        "teknologi informasi",
    ),
}
EVENTS_PER_YEAR: Final = {"umum": 14, "pendidikan": 10, "kesehatan": 8, "pemerintahan": 6}
ATTENDANCE_RATE: Final = {"pendidikan": 1.5, "kesehatan": 1.7, "pemerintahan": 1.3}
"""Mean everyday trainings per employee and year (Poisson), before removing repeats of one event."""


def _catalogue(rng: np.random.Generator) -> pd.DataFrame:
    """Everyday training events of every year, with ``audience`` and dates."""
    rows = []
    for year in P.YEARS:
        for audience, count in EVENTS_PER_YEAR.items():
            templates = [t for t in _TEMPLATES if t[0] == audience]
            for _ in range(count):
                _, pattern, jenis, providers, (jp_lo, jp_hi), days = templates[rng.integers(len(templates))]
                topic = _TOPICS[audience][rng.integers(len(_TOPICS[audience]))]
                first = random_working_days(rng, np.datetime64(f"{year}-01-08"), np.datetime64(f"{year}-12-10"), 1)[0]
                rows.append(
                    (
                        year,
                        audience,
                        pattern.format(topic),
                        jenis,
                        topic,
                        providers[rng.integers(len(providers))],
                        first,
                        add_working_days(first, days - 1),
                        float(rng.integers(jp_lo, jp_hi + 1)),
                    )
                )
    events = pd.DataFrame(
        rows,
        columns=[
            "tahun",
            "audience",
            "nama_pelatihan",
            "jenis",
            "topik",
            "penyelenggara",
            "tanggal_mulai",
            "tanggal_selesai",
            "jp",
        ],
    )
    events = events.sort_values(["tahun", "tanggal_mulai", "nama_pelatihan"], kind="stable").reset_index(drop=True)
    events["pelatihan_id"] = (
        "PLT-" + events["tahun"].astype("str") + "-" + (events.groupby("tahun").cumcount() + 1).map("{:03d}".format)
    )
    return events


_LEADERSHIP: Final = {
    "pengawas": ("PKP", "Pelatihan Kepemimpinan Pengawas", 300.0),
    "administrator": ("PKA", "Pelatihan Kepemimpinan Administrator", 400.0),
}
"""Leadership courses by post: code, name and JP (the JP are assumptions of the synthetic data)."""


def _leadership(rng: np.random.Generator, people: pd.DataFrame) -> pd.DataFrame:
    """Half of the managerial staff attend their leadership course once, in a year they are in post."""
    jenis = people["jenis_jabatan"].astype("str").to_numpy()
    tmt_year = people["tmt_cpns"].dt.year.to_numpy()
    parts = []
    for level, (code, name, jp) in _LEADERSHIP.items():
        who = np.flatnonzero((jenis == level) & (rng.random(len(people)) < 0.5))
        first_year = np.maximum(tmt_year[who] + 1, P.YEARS[0])
        year = first_year + np.floor(rng.random(who.size) * (P.YEARS[-1] - first_year + 1)).astype(np.int64)
        start = np.array(
            [np.busday_offset(np.datetime64(f"{y}-06-03"), 0, roll="forward", busdaycal=CALENDAR) for y in year],
            dtype="datetime64[D]",
        )
        parts.append(
            pd.DataFrame(
                {
                    "person": who,
                    "pelatihan_id": [f"{code}-{y}-BPSDM" for y in year],
                    "nama_pelatihan": name,
                    "jenis": "diklat_kepemimpinan",
                    "topik": "kepemimpinan",
                    "penyelenggara": "BPSDM Sumsel",
                    "tanggal_mulai": start,
                    "tanggal_selesai": add_working_days(start, 39),
                    "jp": jp,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def build_pelatihan(rng: np.random.Generator, people: pd.DataFrame, programme: pd.DataFrame) -> pd.DataFrame:
    """The ``pelatihan`` table: everyday training plus the programme, one row per person and event."""
    events = _catalogue(rng)
    tmt = people["tmt_cpns"].to_numpy().astype("datetime64[D]")
    exit_date = people["tanggal_keluar"].to_numpy().astype("datetime64[D]")
    sector = people["sektor"].to_numpy(dtype=object)
    picks = []
    for year in P.YEARS:
        in_year = (tmt <= np.datetime64(f"{year}-12-31")) & (
            np.isnat(exit_date) | (exit_date > np.datetime64(f"{year}-01-01"))
        )
        who = np.flatnonzero(in_year)
        counts = rng.poisson(pd.Series(sector[who]).map(ATTENDANCE_RATE).to_numpy(dtype=float))
        person = np.repeat(who, counts)
        own = rng.random(person.size) < 0.6  # a sector event, else one open to all
        audience = np.where(own, sector[person], "umum")
        chosen = np.empty(person.size, dtype=np.int64)
        for name in EVENTS_PER_YEAR:
            pool = np.flatnonzero((events["tahun"].to_numpy() == year) & (events["audience"].to_numpy() == name))
            mask = audience == name
            chosen[mask] = pool[rng.integers(0, pool.size, size=int(mask.sum()))]
        picks.append(pd.DataFrame({"person": person, "event": chosen}))
    taken = pd.concat(picks, ignore_index=True).drop_duplicates()
    rows = events.iloc[taken["event"].to_numpy()].reset_index(drop=True)
    rows["person"] = taken["person"].to_numpy()
    start = rows["tanggal_mulai"].to_numpy().astype("datetime64[D]")
    active = (tmt[rows["person"]] <= start) & (
        np.isnat(exit_date[rows["person"]]) | (exit_date[rows["person"]] > start)
    )
    rows = rows.loc[active]

    trained = np.flatnonzero(programme["cohort"].to_numpy() > 0)
    prog = pd.DataFrame(
        {
            "person": trained,
            "pelatihan_id": [
                f"{P.PROGRAMME_CODE}-{c}-{_PROVIDER_CODE[p]}"
                for c, p in zip(
                    programme["cohort"].to_numpy()[trained], programme["provider"].to_numpy()[trained], strict=True
                )
            ],
            "nama_pelatihan": P.PROGRAMME_NAME,
            "jenis": "diklat_teknis",
            "topik": "pelayanan publik",
            "penyelenggara": programme["provider"].to_numpy()[trained],
            "tanggal_mulai": programme["mulai"].to_numpy()[trained],
            "tanggal_selesai": programme["selesai"].to_numpy()[trained],
            "jp": float(P.PROGRAMME_JP),
        }
    )
    out = pd.concat(
        [rows.drop(columns=["tahun", "audience", "event"], errors="ignore"), prog, _leadership(rng, people)],
        ignore_index=True,
    )
    out["nip"] = people["nip"].to_numpy()[out["person"].to_numpy()]
    return out.drop(columns="person")
