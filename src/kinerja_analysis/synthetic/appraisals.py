"""Annual appraisals (kinerja): PP 46/2011 scores for 2019-2021, PermenPANRB 6/2022 ratings from 2022.

Each employee-year has a latent score s = w a + sqrt(1 - w^2) e (a: fixed ability, e: the year's
luck). Hasil kerja and perilaku kerja add their own noise. From 2022 a latent above ``RATING_ABOVE`` is
di_atas ekspektasi and below ``RATING_BELOW`` di_bawah, and the predikat follows the 2022 matrix
(DOMAIN.md section 3.1); the cut-offs reproduce the published compression (about 11 % Sangat Baik,
88 % Baik). Before 2022, nilai SKP and nilai perilaku are linear in the same latent score.

The programme shifts the latent score by ``APPRAISAL_SHIFT`` x sector x provider factor from the year
of the programme on. Both potential outcomes are kept (same random draws, with and without the shift)
so that the ground truth can state the realised effect on the treated.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from kinerja_analysis.data.schema import MATRIX, PREDIKAT, RATING

from . import _params as P
from ._tables import text_from_codes

__all__ = ["PREDIKAT_MATRIX", "predikat_from_ratings", "build_kinerja"]

PREDIKAT_MATRIX: Final = MATRIX
"""PermenPANRB 6/2022: (rating hasil kerja, rating perilaku kerja) -> predikat; the one copy in appraisal.py."""

_CODE = np.array([[PREDIKAT.index(PREDIKAT_MATRIX[(RATING[h], RATING[p])]) for p in range(3)] for h in range(3)])


def predikat_from_ratings(hk: np.ndarray, pk: np.ndarray) -> np.ndarray:
    """Predikat codes (index into ``schema.PREDIKAT``) from rating codes (index into ``schema.RATING``).

    >>> [PREDIKAT[c] for c in predikat_from_ratings(np.array([2, 2, 0]), np.array([2, 1, 0]))]
    ['Sangat Baik', 'Baik', 'Sangat Kurang']
    """
    return _CODE[hk, pk]


def _rating(latent: np.ndarray) -> np.ndarray:
    return np.where(latent > P.RATING_ABOVE, 2, np.where(latent < P.RATING_BELOW, 0, 1))


def appraisal_shift(event_time: np.ndarray, multiplier: np.ndarray) -> np.ndarray:
    """Latent shift by event time (negative: not yet trained, or never)."""
    shifts = np.asarray(P.APPRAISAL_SHIFT)
    return np.where(event_time >= 0, shifts[np.clip(event_time, 0, 2)] * multiplier, 0.0)


def build_kinerja(
    rng: np.random.Generator, people: pd.DataFrame, programme: pd.DataFrame, *, potential: bool = True
) -> pd.DataFrame:
    """Annual rows for every employee in post at the end of the year and appointed by 30 September,
    plus quarterly rows for a subset in 2024-2025.

    Rows come in the order of ``people``, then year and periode (the table's key order when ``people``
    is sorted by NIP). Besides the ``kinerja`` columns: ``person``, ``annual``, ``event_time`` (years
    since the programme, -1 if not trained by then), ``sb0``/``sb1`` (annual Sangat Baik without/with
    the programme), ``skp0``/``skp1``. ``potential=False`` leaves out the outcomes without the
    programme and these internal columns (national-size benchmarks need neither, and they cost memory).
    """
    tmt = people["tmt_cpns"].to_numpy().astype("datetime64[D]")
    exit_date = people["tanggal_keluar"].to_numpy().astype("datetime64[D]")
    ability = people["ability"].to_numpy()
    cohort = programme["cohort"].to_numpy()
    multiplier = programme["multiplier"].to_numpy()
    # Rows in (person, year) order, which is the table's key order since people are sorted by NIP.
    years = np.asarray(P.YEARS)
    year_end = np.array([f"{y}-12-31" for y in years], dtype="datetime64[D]")
    appointed_by = np.array([f"{y}-09-30" for y in years], dtype="datetime64[D]")
    rated = (tmt[:, None] <= appointed_by[None, :]) & (
        np.isnat(exit_date)[:, None] | (exit_date[:, None] > year_end[None, :])
    )
    person, year_index = np.nonzero(rated)
    rows = pd.DataFrame({"person": person, "tahun": years[year_index]})
    person = rows["person"].to_numpy()
    year = rows["tahun"].to_numpy()
    n = len(rows)
    w = P.ABILITY_WEIGHT
    latent = w * ability[person] + np.sqrt(1 - w**2) * rng.standard_normal(n)
    noise_hk = P.RATING_NOISE * rng.standard_normal(n)
    noise_pk = P.RATING_NOISE * rng.standard_normal(n)
    event_time = np.where((cohort[person] > 0) & (year >= cohort[person]), year - cohort[person], -1)
    shift = appraisal_shift(event_time, multiplier[person])

    new = year >= 2022
    hk1, pk1 = _rating(latent + shift + noise_hk), _rating(latent + shift + noise_pk)
    sangat_baik = PREDIKAT.index("Sangat Baik")
    if potential:
        sb0 = predikat_from_ratings(_rating(latent + noise_hk), _rating(latent + noise_pk)) == sangat_baik
        sb1 = predikat_from_ratings(hk1, pk1) == sangat_baik

    def skp(s: np.ndarray) -> np.ndarray:
        return np.clip(np.round(P.SKP_MEAN + P.SKP_SLOPE * s + P.SKP_NOISE * noise_hk / P.RATING_NOISE, 2), 0, 100)

    perilaku = np.clip(
        np.round(
            P.PERILAKU_MEAN + P.PERILAKU_SLOPE * (latent + shift) + P.PERILAKU_NOISE * noise_pk / P.RATING_NOISE, 2
        ),
        0,
        100,
    )
    skp1 = skp(latent + shift)
    skp0 = skp(latent) if potential else None

    # Quarterly rows (2024-2025, kecamatan and kelurahan staff): the year's latent score plus a
    # quarter's own luck. How they add up to the annual predikat is an organisation's choice
    # (DOMAIN.md 3.1 [open]), so the annual row is drawn on its own.
    sector = people["sektor"].cat.codes.to_numpy()[person]
    in_sector = sector == people["sektor"].cat.categories.get_loc(P.QUARTERLY_SECTOR)
    quarterly = np.flatnonzero(np.isin(year, P.QUARTERLY_YEARS) & in_sector)
    q_row = np.repeat(quarterly, 4)
    q_latent = latent[q_row] + shift[q_row] + P.QUARTER_NOISE * rng.standard_normal(q_row.size)
    q_hk = _rating(q_latent + P.RATING_NOISE * rng.standard_normal(q_row.size))
    q_pk = _rating(q_latent + P.RATING_NOISE * rng.standard_normal(q_row.size))

    all_row = np.concatenate([np.arange(n), q_row])
    periode = np.concatenate([np.full(n, 4), np.tile(np.arange(4), quarterly.size)])  # Q1..Q4, tahunan
    annual = periode == 4
    order = np.lexsort((periode, year[all_row], person[all_row]))  # key order: nip, tahun, periode
    all_row, periode, annual = all_row[order], periode[order], annual[order]
    hk = np.concatenate([hk1, q_hk])[order]
    pk = np.concatenate([pk1, q_pk])[order]
    rated_new = new[all_row]
    missing = np.int8(-1)
    out = pd.DataFrame(
        {
            "nip": pd.Series(people["nip"].array.take(person[all_row])),
            "tahun": year[all_row],
            "periode": text_from_codes(["Q1", "Q2", "Q3", "Q4", "tahunan"], periode),
            "rating_hasil_kerja": pd.Categorical.from_codes(
                np.where(rated_new, hk, missing), categories=list(RATING), ordered=True
            ),
            "rating_perilaku_kerja": pd.Categorical.from_codes(
                np.where(rated_new, pk, missing), categories=list(RATING), ordered=True
            ),
            "predikat": pd.Categorical.from_codes(
                np.where(rated_new, predikat_from_ratings(hk, pk), missing), categories=list(PREDIKAT), ordered=True
            ),
            "nilai_skp": np.where(rated_new, np.nan, skp1[all_row]),
            "nilai_perilaku": np.where(rated_new, np.nan, perilaku[all_row]),
        }
    )
    if potential:
        out["person"] = person[all_row]
        out["annual"] = annual
        out["event_time"] = event_time[all_row]
        out["sb0"] = np.where(rated_new & annual, sb0[all_row], False)
        out["sb1"] = np.where(rated_new & annual, sb1[all_row], False)
        out["skp0"] = np.where(rated_new, np.nan, skp0[all_row])
        out["skp1"] = np.where(rated_new, np.nan, skp1[all_row])
    return out
