"""Supervision (pengawasan): does citizen feedback reach appraisal? Each unit's IKM, complaints per 1,000
service files and service KPIs are set beside the share of its employees rated Sangat Baik, year by year
(:func:`unit_year_signals`); a two-way fixed-effects regression asks whether a unit's predikat or service
KPIs move when its IKM or complaints move (:func:`feedback_to_appraisal`, an observational, ecological
association); and disciplinary sanctions are set beside the predikat of the same year
(:func:`discipline_beside_appraisal`), to show whether a sanctioned employee can still be rated Sangat
Baik. Only PermenPANRB 6/2022 years (from 2022) are compared: PP 46/2011 scores are another measurement.
"""

from __future__ import annotations

from kinerja_analysis.supervision.association import ASSOCIATION_COLUMNS, Lag, feedback_to_appraisal
from kinerja_analysis.supervision.discipline import DISCIPLINE_MEASURES, discipline_beside_appraisal
from kinerja_analysis.supervision.signals import SIGNAL_COLUMNS, SignalWeight, unit_year_signals

__all__ = [
    "unit_year_signals",
    "SIGNAL_COLUMNS",
    "SignalWeight",
    "feedback_to_appraisal",
    "ASSOCIATION_COLUMNS",
    "Lag",
    "discipline_beside_appraisal",
    "DISCIPLINE_MEASURES",
]
