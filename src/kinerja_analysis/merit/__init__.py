"""Merit system: IP ASN, the talent 9-box, and whether selection follows merit or seniority.

The pieces live in small modules:

- :func:`~kinerja_analysis.merit.professionalism.ip_asn`: Indeks Profesionalitas ASN per employee (DOMAIN.md 4);
- :func:`~kinerja_analysis.merit.talent.nine_box` and friends: the PermenPANRB 3/2020 talent box;
- :func:`~kinerja_analysis.merit.design.selection_design`: one row per candidate with merit and
  seniority terms; :func:`~kinerja_analysis.merit.model.selection_model` and
  :func:`~kinerja_analysis.merit.model.gender_gap`: conditional logits within selection;
- :func:`merit_vs_seniority` (:mod:`.shares`): nested models, likelihood-ratio tests and the share of the
  explained log-likelihood that each block carries;
- :func:`merit_by_kind` (:mod:`.by_kind`): the same comparison for posts (``jabatan``), kenaikan pangkat and
  rotasi apart, and pooled, with the selections and candidates each rests on; :func:`selection_kind`;
- :func:`tie_terms` and :func:`ties_model` (:mod:`.ties`): candidate-assessor ties when ``seleksi.nip_penilai``
  is given; :data:`TIES_NOTE` says why ties are not measured otherwise;
- :func:`~kinerja_analysis.merit.timing.promotion_timing`: time to promotion with ratings that change.

Everything here is observational: a seniority coefficient says that, among the candidates of one
selection, the more senior were chosen more often than equally scored juniors, not why.
"""

from __future__ import annotations

from kinerja_analysis.merit.by_kind import SELECTION_KINDS, merit_by_kind, selection_kind
from kinerja_analysis.merit.design import MERIT_TERMS, SENIORITY_TERMS, selection_design
from kinerja_analysis.merit.fairness import FOUR_FIFTHS, adverse_impact, intersectional_impact, publishable
from kinerja_analysis.merit.model import gender_gap, selection_model
from kinerja_analysis.merit.professionalism import IP_ASN_BANDS, ip_asn, ip_asn_kategori
from kinerja_analysis.merit.shares import MeritSeniority, merit_vs_seniority
from kinerja_analysis.merit.strata import mantel_haenszel
from kinerja_analysis.merit.talent import nine_box, nine_box_counts, talent_scores
from kinerja_analysis.merit.ties import TIES_NOTE, has_assessors, tie_terms, ties_model
from kinerja_analysis.merit.timing import promotion_intervals, promotion_timing

__all__ = [
    "selection_design",
    "MERIT_TERMS",
    "SENIORITY_TERMS",
    "selection_model",
    "gender_gap",
    "MeritSeniority",
    "merit_vs_seniority",
    "selection_kind",
    "SELECTION_KINDS",
    "merit_by_kind",
    "tie_terms",
    "ties_model",
    "has_assessors",
    "TIES_NOTE",
    "promotion_intervals",
    "promotion_timing",
    "adverse_impact",
    "intersectional_impact",
    "publishable",
    "FOUR_FIFTHS",
    "mantel_haenszel",
    "nine_box",
    "nine_box_counts",
    "talent_scores",
    "ip_asn",
    "ip_asn_kategori",
    "IP_ASN_BANDS",
]
