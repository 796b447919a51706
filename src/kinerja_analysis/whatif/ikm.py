"""What-if for satisfaction targets: which IKM items a unit must raise, and by how much, for grade B or A.

Under PermenPANRB 14/2017 IKM = 25 x w x (NRR_1 + ... + NRR_9) with one weight w for every item, and the
value rounded half up to two decimals is graded. So the index reaches a grade's cut-off c exactly when
the NRR sum reaches (c - 0.005) / (25 w): the smallest total increase is that sum minus today's, whichever
items carry it. It is allocated to the lowest items first ("water filling"): the lowest NRRs are raised
to one common level, never above 4 (the top answer), which is also the allocation with the smallest
largest single increase.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.feedback.rules import CUTOFFS_2017, REGIME_ITEMS, Weight, ikm_grade, item_weight

__all__ = ["IkmTarget", "ikm_target"]

_ITEMS = REGIME_ITEMS["permenpanrb_14_2017"]
_CUTOFF = {"C": CUTOFFS_2017[0], "B": CUTOFFS_2017[1], "A": CUTOFFS_2017[2]}
_GRADES = ("D", "C", "B", "A")


@dataclass(frozen=True)
class IkmTarget:
    """The increases one unit needs for a grade.

    Attributes
    ----------
    items
        One row per item u1..u9: ``item``, ``nrr`` (today), ``increase``, ``nrr_target`` (= nrr + increase).
    ikm_now, ikm_target
        The converted IKM today and after the increases (unrounded).
    mutu_now, mutu_target
        Today's grade and the grade asked for.
    total_increase
        Sum of the NRR increases: the exact minimum for the grade.
    ci_low, ci_high
        The 95% interval of today's IKM when ``nrr`` carries one (a row of
        :func:`kinerja_analysis.feedback.ikm`), else NaN.
    """

    items: pd.DataFrame
    ikm_now: float
    ikm_target: float
    mutu_now: str
    mutu_target: str
    total_increase: float
    ci_low: float = float("nan")
    ci_high: float = float("nan")

    @property
    def cutoff(self) -> float:
        """The lowest published IKM of the target grade (76.61 for B, 88.31 for A, 65.00 for C)."""
        return _CUTOFF[self.mutu_target]

    @property
    def within_interval(self) -> bool:
        """True when today's interval reaches the target's cut-off: the unit may already be there within noise.

        Grades the interval's upper end as a published value (rounded half up to two decimals); False
        without an interval or when today's value itself has the grade (then there is nothing to reach).
        """
        if self.total_increase == 0 or self.ci_high != self.ci_high:
            return False
        return _GRADES.index(str(ikm_grade([self.ci_high])["mutu"].iloc[0])) >= _GRADES.index(self.mutu_target)


def _water_fill(values: np.ndarray, total: float) -> np.ndarray:
    """Increases that raise the lowest values to one level, summing to ``total`` (<= sum of 4 - values)."""
    if total <= 0:
        return np.zeros_like(values)
    v = np.sort(values)
    cum = np.cumsum(v)
    k = len(v)
    level = 4.0
    for j in range(1, k + 1):
        candidate = (total + cum[j - 1]) / j
        if j == k or candidate <= v[j]:
            level = candidate
            break
    return np.maximum(level - values, 0.0)


def ikm_target(
    nrr: Mapping[str, float] | pd.Series,
    *,
    mutu: Literal["C", "B", "A"] = "B",
    weight: Weight = "exact",
) -> IkmTarget:
    """The smallest NRR increases, lowest items first, that lift a unit's IKM to grade ``mutu``.

    Parameters
    ----------
    nrr
        NRR (mean answer, 1-4) of items ``u1``..``u9`` (keys may also be ``nrr_u1``.., as in the output of
        :func:`kinerja_analysis.feedback.ikm`).
    mutu
        The grade to reach: ``"B"`` (76.61) or ``"A"`` (88.31); ``"C"`` (65.00) too.
    weight
        Item weight as in :func:`kinerja_analysis.feedback.rules.item_weight` (``"exact"`` 1/9, ``"0.111"``,
        ``"0.11"``).

    Returns
    -------
    IkmTarget
        A unit already at or above the grade gets zero increases. Keys ``ci_low``/``ci_high`` in ``nrr``
        (today's interval) are carried over; :attr:`IkmTarget.within_interval` then says whether the
        target's cut-off lies within reach of sampling noise.

    Examples
    --------
    >>> t = ikm_target({f"u{i}": 3.0 for i in range(1, 9)} | {"u9": 2.5}, mutu="B")
    >>> round(t.total_increase, 4), t.items.increase.round(4).tolist()[-1]
    (1.0778, 0.5642)
    """
    check_option("mutu", mutu, tuple(_CUTOFF))
    w = item_weight("permenpanrb_14_2017", weight)
    values = []
    for item in _ITEMS:
        key = item if item in nrr else f"nrr_{item}"
        if key not in nrr:
            raise InvalidOptionError(f"nrr lacks item {item!r}; give the NRR of u1..u9 (1-4).")
        values.append(float(nrr[key]))
    v = np.array(values)
    if not (np.isfinite(v).all() and ((v >= 1) & (v <= 4)).all()):
        raise InvalidOptionError(f"every NRR must lie between 1 and 4; got {dict(zip(_ITEMS, values, strict=True))}.")
    now = 25 * w * v.sum()
    # the smallest unrounded value that the published half-up rounding lifts to the cut-off
    needed_sum = (_CUTOFF[mutu] - 0.005) / (25 * w)
    total = max(0.0, needed_sum - v.sum())
    room = float((4 - v).sum())
    if total > room + 1e-12:
        raise InvalidOptionError(
            f"grade {mutu} needs an NRR sum of {needed_sum:.4f}, above the 36 that top answers give with weight "
            f"{weight!r}; choose a lower grade or another weight."
        )
    inc = _water_fill(v, min(total, room))
    items = pd.DataFrame({"item": list(_ITEMS), "nrr": v, "increase": inc, "nrr_target": v + inc})
    grade_now = str(ikm_grade([now])["mutu"].iloc[0])
    # the interval of today's index, when the row of feedback.ikm carries one
    ci = [float(nrr[k]) if k in nrr and pd.notna(nrr[k]) else float("nan") for k in ("ci_low", "ci_high")]
    return IkmTarget(items=items, ikm_now=float(now), ikm_target=float(25 * w * (v + inc).sum()), mutu_now=grade_now,
                     mutu_target=mutu, total_increase=float(inc.sum()), ci_low=ci[0], ci_high=ci[1])  # fmt: skip
