"""Pure what-if scenario models behind the widgets of notebook 07 and the Voila app.

Each scenario has a precompute step, run once (the selection design, the training ATT, the IKM NRRs),
and a cheap function that reruns every time a control moves:

- promotion rules (:mod:`kinerja_analysis.whatif.promotion`): :func:`promotion_inputs`, :func:`promotion_scenario`;
- training coverage (:mod:`kinerja_analysis.whatif.training`): :func:`training_effects`, :func:`training_scenario`;
- JP compliance via a programme's reach (:mod:`kinerja_analysis.whatif.jp`): :func:`programme_jp`,
  :func:`jp_scenario`, :func:`jp_speed_scenario`;
- the 9-box of a rule's winners (:mod:`kinerja_analysis.whatif.talent`): :func:`winners_nine_box`;
- satisfaction targets (:mod:`kinerja_analysis.whatif.ikm`): :func:`ikm_target`;
- predikat distribution (:mod:`kinerja_analysis.whatif.distribution`): :func:`distribution_scenario`.

The widgets over them are :mod:`kinerja_analysis.delivery.widgets`.
"""

from __future__ import annotations

from kinerja_analysis.whatif.distribution import distribution_scenario
from kinerja_analysis.whatif.ikm import IkmTarget, ikm_target
from kinerja_analysis.whatif.jp import jp_scenario, jp_speed_scenario, programme_jp
from kinerja_analysis.whatif.promotion import (
    FEATURES,
    PromotionInputs,
    PromotionScenario,
    promotion_inputs,
    promotion_scenario,
)
from kinerja_analysis.whatif.talent import winners_nine_box
from kinerja_analysis.whatif.training import SHARE_OUTCOMES, training_effects, training_scenario

__all__ = [
    "FEATURES",
    "PromotionInputs",
    "PromotionScenario",
    "promotion_inputs",
    "promotion_scenario",
    "SHARE_OUTCOMES",
    "training_effects",
    "training_scenario",
    "jp_scenario",
    "jp_speed_scenario",
    "programme_jp",
    "winners_nine_box",
    "IkmTarget",
    "ikm_target",
    "distribution_scenario",
]
