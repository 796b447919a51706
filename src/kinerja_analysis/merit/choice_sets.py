"""Checks on choice sets (candidates per ``seleksi_id``) before a selection model sees them.

A bad choice set does not fail loudly in a conditional logit: a selection with no winner simply
drops out, a candidate listed twice doubles their weight, a score of 850 on a 0-100 scale becomes a
huge coefficient. These checks turn each of those into an error naming the selections and rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option

__all__ = ["Winners", "WINNERS", "check_choice_sets", "SCORE_RANGES"]

Winners = Literal["one", "any"]
WINNERS = ("one", "any")

SCORE_RANGES: dict[str, tuple[float, float]] = {"skor_kompetensi": (0.0, 100.0), "skor_potensi": (0.0, 100.0)}
"""Allowed ranges of the scores in ``seleksi`` (the schema: 0-100)."""


def _rows(mask: np.ndarray, index: pd.Index, limit: int = 10) -> str:
    labels = index[mask].tolist()
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return f"{labels[:limit]}{more}"


def _ids(values: pd.Series, limit: int = 10) -> str:
    ids = sorted(set(values.astype("str")))
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"{ids[:limit]}{more}"


def check_choice_sets(frame: pd.DataFrame, *, winners: Winners = "one", terms: Sequence[str] = ()) -> None:
    """Raise :class:`~kinerja_analysis.common.errors.KinerjaDataError` unless the choice sets can be modelled.

    Checks, naming the selections and rows at fault: the columns ``seleksi_id``, ``nip``, ``terpilih``
    and ``terms`` exist; no ``seleksi_id`` or ``nip`` is missing; no candidate appears twice in one
    selection; ``terpilih`` is true/false with no missing value; every selection has exactly one chosen
    candidate (``winners="one"``) or at least one (``"any"``); each term is a finite number, and the
    scores lie within :data:`SCORE_RANGES`.

    Examples
    --------
    >>> frame = pd.DataFrame({"seleksi_id": ["S1", "S1"], "nip": ["a", "b"], "terpilih": [True, True]})
    >>> check_choice_sets(frame)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kinerja_analysis.common.errors.KinerjaDataError: ... more than one chosen candidate: ['S1']...
    """
    check_option("winners", winners, WINNERS)
    needed = ["seleksi_id", "nip", "terpilih", *terms]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise MissingColumnError(f"the selection table lacks column(s) {missing}; see selection_design().")
    if frame.empty:
        raise KinerjaDataError("the selection table has no rows.")
    no_key = frame[["seleksi_id", "nip"]].isna().any(axis=1).to_numpy()
    if no_key.any():
        raise KinerjaDataError(
            f"seleksi rows {_rows(no_key, frame.index)} lack seleksi_id or nip; complete or remove them."
        )
    twice = frame.duplicated(["seleksi_id", "nip"], keep=False).to_numpy()
    if twice.any():
        raise KinerjaDataError(
            f"a candidate appears twice in one selection at seleksi rows {_rows(twice, frame.index)} "
            f"(selections {_ids(frame.loc[twice, 'seleksi_id'])}); keep one row per candidate and selection."
        )
    chosen = frame["terpilih"]
    if chosen.isna().any():
        bad = chosen.isna().to_numpy()
        raise KinerjaDataError(f"seleksi.terpilih is missing at rows {_rows(bad, frame.index)}; say true or false.")
    if not (pd.api.types.is_bool_dtype(chosen.dtype) or set(pd.unique(chosen)) <= {0, 1}):
        raise KinerjaDataError("seleksi.terpilih must be true/false (or 1/0); convert the column first.")
    count = chosen.astype(bool).groupby(frame["seleksi_id"]).sum()
    none, several = count.index[count == 0], count.index[count > 1]
    problems = []
    if len(none):
        problems.append(f"no chosen candidate: {_ids(pd.Series(none))}")
    if winners == "one" and len(several):
        problems.append(f"more than one chosen candidate: {_ids(pd.Series(several))}")
    if problems:
        hint = "" if winners == "any" else " If a selection fills several posts, pass winners='any'."
        raise KinerjaDataError(
            f"seleksi: selections with {'; '.join(problems)}. Each selection needs "
            f"{'exactly one' if winners == 'one' else 'at least one'} row with terpilih true.{hint}"
        )
    for term in terms:
        values = pd.to_numeric(frame[term], errors="coerce").astype("float64")
        bad = ~np.isfinite(values.to_numpy())
        if bad.any():
            raise KinerjaDataError(
                f"term {term!r} is missing or not a finite number at rows {_rows(bad, frame.index)} "
                f"(selections {_ids(frame.loc[bad, 'seleksi_id'])}); complete those candidates, drop the "
                "selections or drop the term."
            )
        if term in SCORE_RANGES:
            low, high = SCORE_RANGES[term]
            outside = ((values < low) | (values > high)).to_numpy()
            if outside.any():
                raise KinerjaDataError(
                    f"seleksi.{term} must lie in {low:g}-{high:g}; rows {_rows(outside, frame.index)} do not "
                    f"(selections {_ids(frame.loc[outside, 'seleksi_id'])}). Correct the scores."
                )
