"""Appraisal: predikat of PermenPANRB 6/2022 and the PP 46/2011 scores before it, the guard across the two
regimes, the SE MenPANRB 3/2023 distribution check, rating inflation and angka kredit.
"""

from __future__ import annotations

from kinerja_analysis.appraisal.credit import KOEFISIEN, PERSENTASE, angka_kredit
from kinerja_analysis.appraisal.crosswalk import (
    CROSSWALKS,
    Crosswalk,
    apply_crosswalk,
    crosswalk_text,
    ensure_same_regime,
)
from kinerja_analysis.appraisal.distribution import check_distribution, check_distributions, summarize_checks
from kinerja_analysis.appraisal.inflation import predikat_distribution, top_predikat_share
from kinerja_analysis.appraisal.pp46 import (
    KEGIATAN_COLUMNS,
    aspek_biaya,
    aspek_kualitas,
    aspek_kuantitas,
    aspek_waktu,
    kategori_pp46,
    nilai_kegiatan,
    nilai_prestasi_kerja,
    nilai_skp,
)
from kinerja_analysis.appraisal.predikat_2022 import (
    HASIL_KERJA_PIMPINAN,
    PREDIKAT_ORGANISASI,
    hasil_kerja_pimpinan,
    predikat,
    predikat_tahunan,
)

__all__ = [
    "predikat",
    "predikat_tahunan",
    "hasil_kerja_pimpinan",
    "PREDIKAT_ORGANISASI",
    "HASIL_KERJA_PIMPINAN",
    "aspek_kuantitas",
    "aspek_kualitas",
    "aspek_waktu",
    "aspek_biaya",
    "nilai_kegiatan",
    "nilai_skp",
    "nilai_prestasi_kerja",
    "kategori_pp46",
    "KEGIATAN_COLUMNS",
    "CROSSWALKS",
    "Crosswalk",
    "ensure_same_regime",
    "apply_crosswalk",
    "crosswalk_text",
    "check_distribution",
    "check_distributions",
    "summarize_checks",
    "top_predikat_share",
    "predikat_distribution",
    "angka_kredit",
    "KOEFISIEN",
    "PERSENTASE",
]
