"""Service KPIs on the ``layanan`` table: SLA compliance and processing time with intervals, accuracy
(returns, revisions), completion curves with open cases censored, the per-officer panel, and the
monitoring charts (XmR, p-chart, funnel). Every KPI is one scan (:mod:`.cases`): DuckDB for a frame or relation,
numpy record batches for a Parquet path (:mod:`.cases_parquet`).
"""

from __future__ import annotations

from kinerja_analysis.service.accuracy import return_rate, revisions_per_file
from kinerja_analysis.service.completion import completion_curve, completion_median, outcome_incidence
from kinerja_analysis.service.control_charts import XMR_CONSTANTS, funnel, funnel_curve, p_chart, xmr_chart
from kinerja_analysis.service.employee import employee_kpi
from kinerja_analysis.service.kpi import processing_time, service_kpis, sla_compliance
from kinerja_analysis.service.monitoring import signal_summary, xmr_by_group

__all__ = [
    "sla_compliance",
    "processing_time",
    "service_kpis",
    "return_rate",
    "revisions_per_file",
    "completion_curve",
    "completion_median",
    "outcome_incidence",
    "employee_kpi",
    "XMR_CONSTANTS",
    "xmr_chart",
    "p_chart",
    "funnel",
    "funnel_curve",
    "xmr_by_group",
    "signal_summary",
]
