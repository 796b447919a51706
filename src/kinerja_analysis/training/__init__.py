"""Training impact: JP compliance, the employee-year panel, staggered DiD, TWFE for contrast, heterogeneity.

Each analysis lives in its own module (``from kinerja_analysis import training`` gives them all):

- :mod:`kinerja_analysis.training.jp`: :func:`jp_compliance` (20 JP a year, PP 17/2020) and
  :func:`training_coverage` (reach by topic, provider, sector);
- :mod:`kinerja_analysis.training.panel`: :func:`employee_year_panel`, :func:`restrict_years`, :data:`PROGRAMME`;
- :mod:`kinerja_analysis.training.did`: :func:`staggered_att`, :func:`staggered_did` (Callaway & Sant'Anna 2021);
- :mod:`kinerja_analysis.training.twfe`: :func:`twfe_att`, :func:`twfe_event_study` (pyfixest);
- :mod:`kinerja_analysis.training.heterogeneity`: :func:`att_by_group`;
- :mod:`kinerja_analysis.training.topics`: :func:`att_by_topic` (which training topics work);
- :mod:`kinerja_analysis.training.gaps`: :func:`coverage_gaps`, the units clearly short of 20 JP.

:func:`compare_estimators` (:mod:`.compare`) puts the naive comparison, TWFE and Callaway & Sant'Anna side by side,
so that a reader sees how far the first two are from the third.
"""

from __future__ import annotations

from kinerja_analysis.training.compare import baseline_means, compare_estimators
from kinerja_analysis.training.did import StaggeredDiD, staggered_att, staggered_did
from kinerja_analysis.training.gaps import GAP_THRESHOLD, coverage_gaps
from kinerja_analysis.training.heterogeneity import att_by_group
from kinerja_analysis.training.jp import JP_TARGET, jp_compliance, training_coverage
from kinerja_analysis.training.panel import PROGRAMME, employee_year_panel, restrict_years
from kinerja_analysis.training.topics import PanelOutcome, att_by_topic
from kinerja_analysis.training.twfe import twfe_att, twfe_event_study

__all__ = [
    "JP_TARGET",
    "jp_compliance",
    "training_coverage",
    "GAP_THRESHOLD",
    "coverage_gaps",
    "PROGRAMME",
    "employee_year_panel",
    "restrict_years",
    "StaggeredDiD",
    "staggered_att",
    "staggered_did",
    "twfe_att",
    "twfe_event_study",
    "att_by_group",
    "PanelOutcome",
    "att_by_topic",
    "compare_estimators",
    "baseline_means",
]
