"""Who works here: the workforce at a reference date, its composition, and the national comparison."""

from __future__ import annotations

from kinerja_analysis.workforce.national import national_workforce
from kinerja_analysis.workforce.snapshot import (
    AGE_BANDS,
    TENURE_BANDS,
    compare_with_national,
    composition,
    workforce_snapshot,
)

__all__ = [
    "workforce_snapshot",
    "composition",
    "compare_with_national",
    "AGE_BANDS",
    "TENURE_BANDS",
    "national_workforce",
]
