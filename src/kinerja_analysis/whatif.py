"""Pure what-if scenario models behind the widgets of notebook 07 and the Voila app.

Each scenario has a precompute step, run once (the selection design, the training ATT, the IKM NRRs),
and a cheap function that reruns every time a control moves:

- promotion rules (:mod:`kinerja_analysis.whatif_promotion`): :func:`promotion_inputs`, :func:`promotion_scenario`;
- training coverage (:mod:`kinerja_analysis.whatif_training`): :func:`training_effects`, :func:`training_scenario`;
- JP compliance via a programme's reach (:mod:`kinerja_analysis.whatif_jp`): :func:`programme_jp`,
  :func:`jp_scenario`, :func:`jp_speed_scenario`;
- the 9-box of a rule's winners (:mod:`kinerja_analysis.whatif_talent`): :func:`winners_nine_box`;
- satisfaction targets (:mod:`kinerja_analysis.whatif_ikm`): :func:`ikm_target`;
- predikat distribution: :func:`distribution_scenario` below.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .distribution import Reading, check_distribution
from .whatif_ikm import IkmTarget, ikm_target
from .whatif_jp import jp_scenario, jp_speed_scenario, programme_jp
from .whatif_promotion import FEATURES, PromotionInputs, PromotionScenario, promotion_inputs, promotion_scenario
from .whatif_talent import winners_nine_box
from .whatif_training import SHARE_OUTCOMES, training_effects, training_scenario

__all__ = [
    "FEATURES",
    "SHARE_OUTCOMES",
    "IkmTarget",
    "PromotionInputs",
    "PromotionScenario",
    "distribution_scenario",
    "ikm_target",
    "jp_scenario",
    "jp_speed_scenario",
    "programme_jp",
    "promotion_inputs",
    "promotion_scenario",
    "training_effects",
    "training_scenario",
    "winners_nine_box",
]


def distribution_scenario(
    counts: Mapping[str, int],
    *,
    predikat_organisasi: str,
    reading: Reading = "mayoritas_50",
) -> tuple[bool, pd.DataFrame]:
    """Whether a proposed predikat distribution follows the SE MenPANRB 3/2023 guidance [likely].

    Parameters
    ----------
    counts
        Proposed number of employees per predikat (Sangat Baik ... Sangat Kurang; missing ones count 0).
    predikat_organisasi
        The organisation's own predikat (Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang).
    reading
        How "most (at most 70%)" is read, as in :func:`kinerja_analysis.distribution.check_distribution`.

    Returns
    -------
    (follows, table)
        ``follows`` is True when every rule holds; ``table`` has one row per rule (``rule``, ``observed``,
        ``operator``, ``bound``, ``ok``, ``message``, ...).

    Examples
    --------
    >>> ok, table = distribution_scenario({"Baik": 8, "Sangat Baik": 2}, predikat_organisasi="Baik")
    >>> ok, table.loc[~table.ok, "rule"].tolist()
    (False, ['baik_maks_70', 'butuh_perbaikan_atau_kurang_ada'])
    """
    table = check_distribution(dict(counts), predikat_organisasi=predikat_organisasi, reading=reading)
    return bool(table["ok"].all()), table
