"""Staggered difference-in-differences of Callaway & Sant'Anna (2021): the panel checks (:mod:`.inputs`),
the two-by-two estimators (:mod:`.estimators`), every ATT(g,t) (:mod:`.cells`), aggregations
(:mod:`.aggregate`), influence-function inference (:mod:`.inference`) and the result (:mod:`.staggered`).
"""

from __future__ import annotations

from kinerja_analysis.training.did.staggered import StaggeredDiD, staggered_att, staggered_did

__all__ = ["StaggeredDiD", "staggered_did", "staggered_att"]
