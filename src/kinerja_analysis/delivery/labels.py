"""Result tables as a reader of the reports sees them: headers and values in Bahasa Indonesia.

The package's results keep one English vocabulary (``estimate``, ``ci_low``, ``suppressed``...) so that code
and tests read the same everywhere; the notebooks show them through :func:`tabel`, which renames the
shared columns, writes True/False and the pass/fail words in Indonesian, and translates the confidence
tags of DOMAIN.md the same way in every report ([firm] = [pasti], [likely] = [kemungkinan],
[open] = [terbuka]). Columns it does not know keep their names (they are already the users' own terms:
``unit_id``, ``tahun``, ``predikat``...).
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["COLUMN_NAMES", "CONFIDENCE_TAGS", "tabel", "tag"]

COLUMN_NAMES: dict[str, str] = {
    "estimate": "estimasi",
    "std_error": "galat_baku",
    "ci_low": "batas_bawah_95",
    "ci_high": "batas_atas_95",
    "p_value": "nilai_p",
    "p_adjusted": "nilai_p_terkoreksi",
    "odds_ratio": "rasio_odds",
    "or_ci_low": "rasio_odds_bawah_95",
    "or_ci_high": "rasio_odds_atas_95",
    "n_treated": "n_dilatih",
    "n_units": "n_unit",
    "n_selections": "n_seleksi",
    "n_candidates": "n_kandidat",
    "n_reached": "n_mencapai",
    "share": "porsi",
    "baseline": "rata_rata_dasar",
    "suppressed": "disembunyikan",
    "withheld": "ditahan",
    "reason": "alasan",
    "note": "catatan",
    "method": "metode",
    "level": "kelompok",
    "term": "istilah",
    "estimator": "penaksir",
    "signal": "sinyal",
    "target": "sasaran",
    "rule": "aturan",
    "observed": "teramati",
    "bound": "batas",
    "ok": "sesuai",
    "outcome": "hasil",
    "kind": "jenis_seleksi",
    "quantile": "kuantil",
    "reach": "jangkauan",
    "participants": "peserta",
    "trainings": "pelatihan",
    "jp_per_participant": "jp_per_peserta",
    "median_reached": "median_tercapai",
    "n_open": "n_terbuka",
    "mutu_pasti": "mutu_pasti",
    "att": "efek_att",
    "att_std_error": "galat_baku_att",
    "threshold": "ambang",
    "response": "respons",
    "response_mean": "rata_rata_respons",
    "lag": "jeda_tahun",
    "n_cohorts": "n_kohort",
    "overlap_programme": "porsi_peserta_program",
    "seniority_share": "bagian_senioritas",
    "seniority_share_ci_low": "bagian_senioritas_bawah_95",
    "seniority_share_ci_high": "bagian_senioritas_atas_95",
    "hazard_ratio": "rasio_hazard",
    "hr_ci_low": "rasio_hazard_bawah_95",
    "hr_ci_high": "rasio_hazard_atas_95",
    "selection_rate": "tingkat_terpilih",
    "impact_ratio": "rasio_dampak",
    "four_fifths": "aturan_empat_perlima",
    "share_within_limit": "porsi_dalam_batas",
    "share_ci_low": "porsi_dalam_batas_bawah_95",
    "share_ci_high": "porsi_dalam_batas_atas_95",
    "median_days": "median_hari",
    "open_over_limit": "terbuka_melewati_batas",
}
"""English result columns and their headers in the reports."""

VALUE_WORDS: dict[str, str] = {
    "passes": "lolos",
    "fails": "gagal",
    "withheld": "ditahan",
    "above": "di atas",
    "below": "di bawah",
    "none": "tidak ada",
    "never_treated": "tidak pernah dilatih",
    "not_yet_treated": "belum dilatih",
    "pooled": "gabungan",
    "above_95": "di atas batas 95%",
    "below_95": "di bawah batas 95%",
    "above_99_8": "di atas batas 99,8%",
    "below_99_8": "di bawah batas 99,8%",
}
"""Words in result values that the reports show in Bahasa Indonesia."""

CONFIDENCE_TAGS: dict[str, str] = {"firm": "pasti", "likely": "kemungkinan", "open": "terbuka"}
"""DOMAIN.md's confidence tags, translated once for every report."""

_TAG = re.compile(r"\[(firm|likely|open)\]")


def tag(text: str) -> str:
    """Translate the confidence tags in a text.

    >>> tag("bobot 1/9 [likely]; batas 0,8 [open]")
    'bobot 1/9 [kemungkinan]; batas 0,8 [terbuka]'
    """
    return _TAG.sub(lambda m: f"[{CONFIDENCE_TAGS[m.group(1)]}]", text)


def _value(value: object) -> object:
    """One value in Indonesian: booleans as ya/tidak, known words translated, confidence tags in any text."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, str):
        words = VALUE_WORDS.get(value, value)
        return tag(re.sub(r"\(pooled\)", "(gabungan)", words))
    return value


def tabel(table: pd.DataFrame, *, digits: int | None = 3) -> pd.DataFrame:
    """A copy of ``table`` for display: Indonesian headers and values, numbers rounded to ``digits``.

    Boolean columns read ``ya``/``tidak``; ``passes``/``fails`` and the other :data:`VALUE_WORDS` are
    translated in text columns, and confidence tags in every text. The input is not modified.

    >>> t = pd.DataFrame({"unit_id": ["A"], "estimate": [0.12345], "suppressed": [False], "note": ["x [open]"]})
    >>> tabel(t)
      unit_id  estimasi disembunyikan      catatan
    0       A     0.123         tidak  x [terbuka]
    """
    out = table.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values.map(lambda v: pd.NA if pd.isna(v) else ("ya" if v else "tidak"))
        elif values.dtype == object or pd.api.types.is_string_dtype(values):
            out[column] = values.map(_value)
        elif isinstance(values.dtype, pd.CategoricalDtype):
            out[column] = values.cat.rename_categories(lambda c: _value(c) if isinstance(c, str) else c)
    if digits is not None:
        # only float columns: rounding a frame with a period or date column warns
        floats = [c for c in out.columns if pd.api.types.is_float_dtype(out[c])]
        out[floats] = out[floats].round(digits)
    return out.rename(columns=COLUMN_NAMES)
