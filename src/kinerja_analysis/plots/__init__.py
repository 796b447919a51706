"""Axes-level plots: tidy results in, an Axes out. They draw; they never compute statistics, show
or save. Labels are in Bahasa Indonesia, as the reports are.
"""

from __future__ import annotations

from ._common import label_synthetic
from .appraisal import plot_predikat_distribution
from .control import plot_funnel, plot_xmr
from .estimates import plot_estimates
from .event_study import plot_event_study
from .findings import plot_findings
from .survival import plot_completion
from .trend import plot_trend
from .whatif import plot_distribution_check, plot_ikm_target, plot_impact_ratios, plot_projection
from .workforce import plot_composition, plot_national_comparison

__all__ = [
    "label_synthetic",
    "plot_composition",
    "plot_national_comparison",
    "plot_estimates",
    "plot_event_study",
    "plot_findings",
    "plot_predikat_distribution",
    "plot_xmr",
    "plot_funnel",
    "plot_completion",
    "plot_trend",
    "plot_impact_ratios",
    "plot_ikm_target",
    "plot_projection",
    "plot_distribution_check",
]
