"""What-if for the predikat distribution: given a unit's counts per predikat, which readings of
SE MenPANRB 3/2023 it passes.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kinerja_analysis.appraisal.distribution import Reading, check_distribution

__all__ = ["distribution_scenario"]


def distribution_scenario(
    counts: Mapping[str, int],
    *,
    predikat_organisasi: str,
    reading: Reading = "mayoritas_50",
) -> tuple[bool, pd.DataFrame]:
    """Whether a proposed predikat distribution follows the SE MenPANRB 3/2023 guidance [likely].

    Parameters
    ----------
    counts
        Proposed number of employees per predikat (Sangat Baik ... Sangat Kurang; missing ones count 0).
    predikat_organisasi
        The organisation's own predikat (Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang).
    reading
        How "most (at most 70%)" is read, as in :func:`kinerja_analysis.appraisal.distribution.check_distribution`.

    Returns
    -------
    (follows, table)
        ``follows`` is True when every rule holds; ``table`` has one row per rule (``rule``, ``observed``,
        ``operator``, ``bound``, ``ok``, ``message``, ...).

    Examples
    --------
    >>> ok, table = distribution_scenario({"Baik": 8, "Sangat Baik": 2}, predikat_organisasi="Baik")
    >>> ok, table.loc[~table.ok, "rule"].tolist()
    (False, ['baik_maks_70', 'butuh_perbaikan_atau_kurang_ada'])
    """
    table = check_distribution(dict(counts), predikat_organisasi=predikat_organisasi, reading=reading)
    return bool(table["ok"].all()), table
