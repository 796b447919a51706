"""Shared helpers every analysis may use: errors, option checks, intervals and tests, privacy,
quantiles, survival curves, the Indonesian working-day calendar, and Parquet files read in record
batches (:mod:`~kinerja_analysis.common.parquet_batches`). Nothing here knows a table.
"""

from __future__ import annotations

from kinerja_analysis.common.errors import (
    FileFormatError,
    InvalidOptionError,
    KinerjaDataError,
    MissingColumnError,
    MissingTableError,
    ReportError,
    UnknownTableError,
)
from kinerja_analysis.common.inference import (
    CORRECTIONS,
    INTERVAL_TEXT,
    Correction,
    IntervalMethod,
    adjust,
    adjusted_alpha,
    proportion_interval,
    t_interval,
    welch,
)
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.common.privacy import (
    KEY_ENV_VAR,
    find_personal_data,
    load_pseudonym_key,
    pseudonym_key_path,
    pseudonymize,
    suppress_small_cells,
)
from kinerja_analysis.common.quantiles import (
    QUANTILE_METHOD,
    grouped_quantiles,
    minimum_n,
    order_statistic_ranks,
    quantile_interval,
)
from kinerja_analysis.common.survival import aalen_johansen, kaplan_meier, km_median
from kinerja_analysis.common.workdays import (
    WEEKMASK,
    calendar_text,
    holiday_dates,
    working_day_index,
    working_days_between,
)

__all__ = [
    "KinerjaDataError",
    "FileFormatError",
    "MissingColumnError",
    "MissingTableError",
    "UnknownTableError",
    "InvalidOptionError",
    "ReportError",
    "check_option",
    "check_alpha",
    "Correction",
    "CORRECTIONS",
    "IntervalMethod",
    "INTERVAL_TEXT",
    "proportion_interval",
    "t_interval",
    "welch",
    "adjust",
    "adjusted_alpha",
    "KEY_ENV_VAR",
    "pseudonym_key_path",
    "load_pseudonym_key",
    "pseudonymize",
    "suppress_small_cells",
    "find_personal_data",
    "QUANTILE_METHOD",
    "order_statistic_ranks",
    "grouped_quantiles",
    "quantile_interval",
    "minimum_n",
    "kaplan_meier",
    "km_median",
    "aalen_johansen",
    "WEEKMASK",
    "holiday_dates",
    "calendar_text",
    "working_days_between",
    "working_day_index",
]
