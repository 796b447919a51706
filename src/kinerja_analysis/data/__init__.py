"""Reading and checking a user's exports: the canonical schema, NIP parsing, readers for CSV/XLSX/Parquet,
typed parsing, the validation rules, the loaded :class:`Dataset` and its joined views, and the dirty
copies of the demo data. It imports no analysis.
"""

from __future__ import annotations

from kinerja_analysis.data.coverage import appraisal_years, table_coverage
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.nip import MIN_AGE, MIN_BIRTH_YEAR, nip_key, parse_nip
from kinerja_analysis.data.nip_format import format_ni_pppk, format_nip
from kinerja_analysis.data.regimes import Regime, regime
from kinerja_analysis.data.views import kinerja_units

__all__ = [
    "load_dataset",
    "Dataset",
    "parse_nip",
    "nip_key",
    "format_nip",
    "format_ni_pppk",
    "MIN_BIRTH_YEAR",
    "MIN_AGE",
    "Regime",
    "regime",
    "table_coverage",
    "appraisal_years",
    "kinerja_units",
]
