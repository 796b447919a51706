"""What-if for the talent 9-box of a promotion rule's winners: how many come from the succession pool?

Each candidate is placed in the 9-box (:func:`kinerja_analysis.merit.talent.nine_box`) from the two features the
promotion rule already holds: kinerja from the appraisal feature (+1 di_atas for a top appraisal, -1
di_bawah for one below Baik, 0 sesuai, which includes a candidate with no appraisal [decided here]) and
potensial from ``skor_potensi`` banded by the cut-offs, which are not in the regulation [open] and so are
a control of the panel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kinerja_analysis.merit.talent import POTENSIAL_CUTOFFS, nine_box
from kinerja_analysis.whatif.promotion import PromotionInputs, PromotionScenario

__all__ = ["winners_nine_box"]


def winners_nine_box(
    inputs: PromotionInputs,
    scenario: PromotionScenario,
    *,
    potensial_cutoffs: tuple[float, float] = POTENSIAL_CUTOFFS,
) -> pd.DataFrame:
    """The 9-box of each selection's winner under the rule (unfilled selections left out).

    Parameters
    ----------
    inputs, scenario
        From :func:`~kinerja_analysis.whatif.promotion.promotion_inputs` and
        :func:`~kinerja_analysis.whatif.promotion.promotion_scenario`.
    potensial_cutoffs
        (low, high) on ``skor_potensi``: below low rendah, from high up tinggi (default (60, 75)) [open].

    Returns
    -------
    DataFrame, one row per filled selection
        ``seleksi_id``, ``kinerja``, ``potensial`` and the columns :func:`~kinerja_analysis.merit.talent.nine_box`
        adds (``box``, ``pool_instansi`` for boxes 7-9, ``pool_nasional`` for box 9, ...).

    Examples
    --------
    >>> from kinerja_analysis.whatif.promotion import promotion_inputs, promotion_scenario
    >>> d = pd.DataFrame({"seleksi_id": ["S1", "S1", "S2", "S2"], "terpilih": [True, False, False, True],
    ...                   "skor_kompetensi": [70.0, 80, 60, 65], "skor_potensi": [70.0, 60, 70, 80],
    ...                   "masa_kerja_tahun": [20.0, 5, 10, 12], "predikat_sangat_baik": [0, 1, 0, 0],
    ...                   "jenis_kelamin": ["L", "P", "P", "L"]})
    >>> inputs = promotion_inputs(d, group_columns=["jenis_kelamin"])
    >>> r = promotion_scenario(inputs, weights={"kompetensi": 1.0}, standardize=False)
    >>> winners_nine_box(inputs, r)["box"].tolist()
    [7, 8]
    """
    won = scenario.winner[scenario.winner >= 0]
    level = np.array(["di_bawah", "sesuai", "di_atas"], dtype=object)[np.sign(inputs.raw[won, 2]).astype(int) + 1]
    frame = pd.DataFrame({"seleksi_id": inputs.seleksi_id[scenario.winner >= 0], "kinerja": level,
                          "potensial": inputs.potensi[won]})  # fmt: skip
    return nine_box(frame, potensial_cutoffs=potensial_cutoffs)
