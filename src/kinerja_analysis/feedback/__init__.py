"""Community feedback (issue 6): the satisfaction index and what citizens tell each unit, in one namespace.

The work is split into small modules, gathered here:

- :mod:`~kinerja_analysis.feedback.rules`: regimes, weights, grades (:func:`ikm_grade`), :func:`krejcie_morgan`;
- :mod:`~kinerja_analysis.feedback.index`: :func:`ikm`, the index per group with interval, mutu and sample adequacy;
- :mod:`~kinerja_analysis.feedback.reliability`: :func:`cronbach_alpha`, :func:`item_total`;
- :mod:`~kinerja_analysis.feedback.change`: :func:`ikm_change`, :func:`item_change` (which items moved);
- :mod:`~kinerja_analysis.feedback.drivers`: :func:`ikm_drivers`;
- :mod:`~kinerja_analysis.feedback.segments`: :func:`ikm_segments` (sex, education, occupation; suppressed);
- :mod:`~kinerja_analysis.feedback.complaints`: :func:`complaint_rates`, :func:`u_chart`, :func:`complaint_mix`;
- :mod:`~kinerja_analysis.feedback.resolution`: :func:`resolution_times`, :func:`complaint_survival`,
  :func:`complaint_resolution`;
- :mod:`~kinerja_analysis.feedback.saran`: :func:`saran_topics`, :func:`match_topics`;
- :mod:`~kinerja_analysis.feedback.links`: :func:`unit_links`, each unit's tables side by side.

Rules shared by all (PermenPANRB 14/2017, DOMAIN.md section 6): a response with a blank item is left
out whole; 14-item (KepMenPAN 25/2004) data is refused unless that regime is chosen, and regimes never
mix; the weighting is printed with every index.
"""

from __future__ import annotations

from kinerja_analysis.feedback.change import ikm_change, item_change
from kinerja_analysis.feedback.complaints import complaint_mix, complaint_rates, service_users, u_chart
from kinerja_analysis.feedback.drivers import ikm_drivers
from kinerja_analysis.feedback.index import ikm
from kinerja_analysis.feedback.links import ECOLOGICAL_NOTE, unit_links
from kinerja_analysis.feedback.reliability import cronbach_alpha, item_total
from kinerja_analysis.feedback.resolution import complaint_resolution, complaint_survival, resolution_times
from kinerja_analysis.feedback.rules import ikm_grade, krejcie_morgan, round_published
from kinerja_analysis.feedback.saran import SARAN_TOPICS, match_topics, saran_topics
from kinerja_analysis.feedback.segments import ikm_segments

__all__ = [
    "ikm",
    "ikm_grade",
    "round_published",
    "krejcie_morgan",
    "cronbach_alpha",
    "item_total",
    "ikm_change",
    "item_change",
    "ikm_drivers",
    "ikm_segments",
    "complaint_rates",
    "u_chart",
    "complaint_mix",
    "service_users",
    "resolution_times",
    "complaint_survival",
    "complaint_resolution",
    "SARAN_TOPICS",
    "match_topics",
    "saran_topics",
    "unit_links",
    "ECOLOGICAL_NOTE",
]
