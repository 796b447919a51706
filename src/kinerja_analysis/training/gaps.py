"""Coverage gaps: the units where clearly too few PNS reach 20 JP a year, named rather than charted.

A unit is a gap when the upper end of its interval for the share of PNS reaching the target lies below the
threshold: even the most favourable reading of its sample says it falls short. The threshold is a working
choice [open: no regulation sets one; the duty itself is 20 JP for every PNS], so it is an option and the
result says which was used.
"""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.common.errors import MissingColumnError
from kinerja_analysis.common.options import check_share

__all__ = ["GAP_THRESHOLD", "coverage_gaps"]

GAP_THRESHOLD = 0.8
"""[open] Share of PNS reaching 20 JP below which a unit is listed as a coverage gap (its whole interval): the
same working target as the executive summary's (``delivery.summary.JP_TARGET_SHARE``), not a regulation."""


def coverage_gaps(
    compliance: pd.DataFrame, unit_kerja: pd.DataFrame, *, threshold: float = GAP_THRESHOLD
) -> pd.DataFrame:
    """The units whose whole interval for JP compliance lies below ``threshold``, worst first.

    Parameters
    ----------
    compliance
        From :func:`kinerja_analysis.training.jp_compliance` with ``by=("unit_id",)`` (PNS rows, optionally
        passed through small-cell suppression: suppressed rows have no interval and are never listed).
    unit_kerja
        The ``unit_kerja`` table, for the unit's name and sector.
    threshold
        The share below which a unit is a gap [open], strictly between 0 and 1.

    Returns
    -------
    DataFrame
        One row per gap: ``unit_id``, ``nama_unit``, ``sektor``, ``n`` (PNS in post the whole year),
        ``estimate``, ``ci_low``, ``ci_high``, ``threshold``; sorted by ``ci_high``. Empty (same columns)
        when no unit is clearly below the threshold.

    >>> c = pd.DataFrame({"unit_id": ["A", "B", "C"], "status": "pns", "n": [20, 30, 12],
    ...                   "estimate": [0.2, 0.6, 0.3], "ci_low": [0.08, 0.42, 0.1], "ci_high": [0.42, 0.75, 0.6]})
    >>> u = pd.DataFrame({"unit_id": ["A", "B", "C"], "nama_unit": ["a", "b", "c"], "sektor": "x"})
    >>> coverage_gaps(c, u, threshold=0.5)[["unit_id", "ci_high"]]
      unit_id  ci_high
    0       A     0.42
    """
    threshold = check_share("threshold", threshold)
    needed = ["unit_id", "n", "estimate", "ci_low", "ci_high"]
    missing = [c for c in needed if c not in compliance.columns]
    if missing:
        raise MissingColumnError(
            f"coverage_gaps: the compliance table lacks {missing}; pass jp_compliance(..., by=('unit_id',))."
        )
    rows = compliance
    if "status" in rows.columns:
        rows = rows[rows["status"].astype(str) == "pns"]
    gaps = rows.loc[rows["ci_high"] < threshold, needed].sort_values(["ci_high", "unit_id"])
    names = unit_kerja.loc[:, ["unit_id", "nama_unit", "sektor"]].astype({"unit_id": str})
    out = gaps.astype({"unit_id": str}).merge(names, on="unit_id", how="left")
    out["threshold"] = float(threshold)
    return out[["unit_id", "nama_unit", "sektor", *needed[1:], "threshold"]].reset_index(drop=True)
