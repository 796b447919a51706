"""Turn columns of text into typed values, vectorised, saying which cells could not be read.

Each parser takes a ``str`` Series (missing where the cell was empty) and returns a :class:`Parsed`:
the typed values (missing where the text was missing or unreadable), a boolean mask of the cells
that were present but unreadable, the reason of each (a template in which ``{value}`` stands for
the cell's text) and, where reading the column was a choice, a note saying which was made.
Dates are read by :mod:`.dates`, numbers by :mod:`.numbers`; enumerations and yes/no answers here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kinerja_analysis.data.dates import DATE_RANGE, parse_date
from kinerja_analysis.data.numbers import parse_float, parse_int
from kinerja_analysis.data.parsed import Parsed
from kinerja_analysis.data.schema import ColumnSpec, canonical_values
from kinerja_analysis.data.schema.headers import suggest_value

__all__ = ["Parsed", "parse_int", "parse_float", "parse_date", "parse_category", "parse_bool", "DATE_RANGE"]

_MAX_SUGGESTED = 1000  # distinct unrecognised texts given a "did you mean"; the rest get the plain reason


def _lookup(spec: ColumnSpec, text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index]:
    """Canonical spelling of each cell, looked up once per distinct text (millions of rows, few values)."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    mapped, bad = canonical_values(spec, pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    mapped_u = np.append(mapped.to_numpy(dtype=object), None)  # index -1 (missing) -> None
    bad_u = np.append(bad.to_numpy(dtype=bool), False)
    return mapped_u, bad_u, codes, uniques


def parse_category(spec: ColumnSpec, text: pd.Series, dtype: pd.CategoricalDtype) -> Parsed:
    """Enumerated values mapped onto their canonical spelling, in any case and spacing, as a categorical.

    ``"Laki-laki"`` is ``L``; ``"BAIK"``, ``" baik "`` and ``"Sangat  Baik"`` are ``Baik`` and
    ``Sangat Baik`` (matching ignores case, spaces and punctuation). An unknown value is rejected with
    the allowed values, and the closest of them where one is close (``"Sangat Baek"``).

    >>> from kinerja_analysis.data.schema import TABLES, category_dtype
    >>> spec = TABLES["kinerja"].column("predikat")
    >>> text = pd.Series(["BAIK", "Sangat  Baik", "Sangat Baek"])
    >>> p = parse_category(spec, text, category_dtype("kinerja", "predikat"))
    >>> p.values.tolist(), p.bad.tolist()
    (['Baik', 'Sangat Baik', nan], [False, False, True])
    >>> why = p.reasons()[0][1]
    >>> for part in why.split("; "):
    ...     print(part)
    '{value}' is not an allowed value
    allowed: Sangat Kurang, Kurang, Butuh Perbaikan, Baik, Sangat Baik
    did you mean Sangat Baik?
    """
    mapped_u, bad_u, codes, uniques = _lookup(spec, text)
    cat_codes_u = pd.Categorical(mapped_u[:-1], dtype=dtype).codes
    values = pd.Series(pd.Categorical.from_codes(np.append(cat_codes_u, -1)[codes], dtype=dtype), index=text.index)
    reason = "'{value}' is not an allowed value; allowed: " + ", ".join(spec.categories)
    why_u = np.zeros(len(bad_u), dtype=np.int8)
    others: list[str] = []
    for pos in np.flatnonzero(bad_u)[:_MAX_SUGGESTED]:
        close = suggest_value(spec, uniques[pos])
        if close is not None:
            template = f"{reason}; did you mean {close}?"
            if template not in others:
                others.append(template)
            why_u[pos] = 1 + others.index(template)
    why = why_u[codes] if others else None
    return Parsed(values, bad_u[codes], reason, why, tuple(others))


def parse_bool(spec: ColumnSpec, text: pd.Series) -> Parsed:
    """Yes/no answers (``ya``/``tidak``, ``1``/``0``, ``true``/``false``, ...) as ``boolean``."""
    mapped_u, bad_u, codes, _ = _lookup(spec, text)
    mapped = mapped_u[codes]
    values = pd.array(np.where(mapped == "true", True, False), dtype="boolean")
    values[pd.isna(mapped)] = pd.NA
    yes = sorted(k for k, v in spec.value_aliases.items() if v == "true")
    no = sorted(k for k, v in spec.value_aliases.items() if v == "false")
    reason = f"'{{value}}' is not yes/no; allowed: {', '.join(yes)} / {', '.join(no)}"
    return Parsed(pd.Series(values, index=text.index), bad_u[codes], reason)
