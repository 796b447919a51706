"""Each unit's satisfaction, service KPIs and complaints side by side, with the ecological caveat attached."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.feedback.survey_frame import as_by

__all__ = ["unit_links", "ECOLOGICAL_NOTE"]

ECOLOGICAL_NOTE = (
    "Unit-level association only (ecological): units whose citizens are more satisfied may differ from others in "
    "many ways, and no statement about individual employees or cases follows from these rows."
)

_SKIP = {"method", "note", "day_basis", "suppressed"}


def _unique(table: pd.DataFrame, name: str, on: tuple[str, ...]) -> None:
    missing = [c for c in on if c not in table.columns]
    if missing:
        raise MissingColumnError(f"unit_links: the {name} table has no column(s) {', '.join(missing)} to join on.")
    if table.duplicated(list(on)).any():
        raise KinerjaDataError(
            f"unit_links: the {name} table has more than one row per {', '.join(on)}; give one row per unit and period "
            "(for a long KPI table, a 'kpi' column and an 'estimate' column)."
        )


def _wide(table: pd.DataFrame, name: str, prefix: str, on: tuple[str, ...]) -> pd.DataFrame:
    """One row per key: a long table (``kpi`` + ``estimate``) is pivoted, a wide one has its columns prefixed."""
    if "kpi" in table.columns and "estimate" in table.columns:
        long = table[[*on, "kpi", "estimate"]]
        _unique(long, name, (*on, "kpi"))
        wide = long.pivot(index=list(on), columns="kpi", values="estimate")
        wide.columns = [f"{prefix}{c}" for c in wide.columns]
        return wide.reset_index()
    _unique(table, name, on)
    values = [c for c in table.columns if c not in on and c not in _SKIP]
    renamed = {c: c if str(c).startswith(prefix) else f"{prefix}{c}" for c in values}
    return table[[*on, *values]].rename(columns=renamed)


def unit_links(
    ikm_table: pd.DataFrame,
    *,
    kpi: pd.DataFrame | None = None,
    training: pd.DataFrame | None = None,
    on: str | Sequence[str] = ("unit_id", "tahun"),
) -> pd.DataFrame:
    """Each unit's satisfaction beside its service KPIs and training coverage, from tables already computed.

    Nothing is recomputed: pass the output of :func:`ikm` (by the same keys), of
    :func:`kinerja_analysis.service.kpi.service_kpis` or another KPI table, and a training-coverage table.
    Caveat (ecological inference): these are associations between *units*. A unit with better KPIs and
    happier citizens says nothing about whether any one employee's training or speed made a citizen
    happier; units differ in services, staff and clientele. The ``note`` column carries this caveat so
    that it travels with the table.

    Parameters
    ----------
    ikm_table
        Output of :func:`ikm` with the ``on`` columns (``estimate``, ``ci_low``, ``ci_high``, ``n``, ``mutu``).
    kpi
        Service KPIs keyed by ``on``: long (columns ``kpi`` and ``estimate``, pivoted to ``kpi_<name>``) or
        wide (its columns prefixed ``kpi_``).
    training
        Training coverage keyed by ``on`` (wide; columns prefixed ``training_``).
    on
        The join keys (default unit and year).

    Returns
    -------
    One row per row of ``ikm_table``: the keys, ``ikm``, ``ikm_ci_low``, ``ikm_ci_high``, ``ikm_n``,
    ``mutu``, then the KPI and training columns (missing where a table has no row for the unit and
    period), and ``note``.

    Examples
    --------
    >>> from kinerja_analysis.feedback import ikm
    >>> s = pd.DataFrame({f"u{i}": [4, 3] for i in range(1, 10)} | {"unit_id": ["A", "A"], "tahun": [2024, 2024]})
    >>> kpis = pd.DataFrame({"unit_id": ["A", "A"], "tahun": [2024, 2024], "kpi": ["sla", "q50"],
    ...                      "estimate": [0.9, 2.0]})
    >>> unit_links(ikm(s, by=("unit_id", "tahun")), kpi=kpis)[["unit_id", "ikm", "kpi_q50", "kpi_sla"]]
      unit_id   ikm  kpi_q50  kpi_sla
    0       A  87.5      2.0      0.9
    """
    keys = as_by(on)
    if not keys:
        raise KinerjaDataError("unit_links: give the join keys, e.g. on=('unit_id', 'tahun').")
    _unique(ikm_table, "ikm", keys)
    wanted = {"estimate": "ikm", "ci_low": "ikm_ci_low", "ci_high": "ikm_ci_high", "n": "ikm_n", "mutu": "mutu"}
    missing = [c for c in wanted if c not in ikm_table.columns]
    if missing:
        raise MissingColumnError(f"unit_links: the ikm table lacks {', '.join(missing)}; pass the output of ikm().")
    out = ikm_table[[*keys, *wanted]].rename(columns=wanted)
    for table, name, prefix in ((kpi, "kpi", "kpi_"), (training, "training", "training_")):
        if table is not None:
            part = _wide(table, name, prefix, keys)
            for c in keys:  # align key dtypes (e.g. a year read as text) so that the join matches
                if part[c].dtype != out[c].dtype:
                    part[c] = part[c].astype(out[c].dtype)
            out = out.merge(part, on=list(keys), how="left", validate="1:1")
    out["note"] = ECOLOGICAL_NOTE
    return out
