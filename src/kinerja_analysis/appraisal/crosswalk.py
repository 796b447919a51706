"""The guard against comparing appraisals across regimes, and the named bridges between them.

Which regime a year belongs to is :func:`kinerja_analysis.data.regimes.regime`.

Appraisals from 2014 to 2021 are PP 46/2011 scores (nilai SKP, nilai perilaku kerja, kategori; see
:mod:`kinerja_analysis.appraisal.pp46`); from 2022 they are PermenPANRB 6/2022 predikat from two
ratings (:mod:`kinerja_analysis.appraisal.predikat_2022`). A 2021 "Baik" and a 2023 "Baik" are different
measurements (DOMAIN.md 3.4), so a comparison across 2021/2022 must say how it bridges them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd

from kinerja_analysis.appraisal.predikat_2022 import Values, _as_series, _canonical, _lookup
from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data import schema
from kinerja_analysis.data.regimes import regime

__all__ = ["CROSSWALKS", "Crosswalk", "ensure_same_regime", "apply_crosswalk", "crosswalk_text"]

Crosswalk = Literal["kategori_to_predikat"]


CROSSWALKS: dict[str, dict[str, str]] = {
    "kategori_to_predikat": {
        "Sangat Baik": "Sangat Baik",
        "Baik": "Baik",
        "Cukup": "Butuh Perbaikan",
        "Kurang": "Kurang",
        "Buruk": "Sangat Kurang",
    },
}
"""Named bridges from PP 46/2011 categories to 2022 predikat [open: no regulation defines one]."""

_KATEGORI = schema.ColumnSpec("kategori", "category", "kategori PP 46/2011", categories=schema.KATEGORI_PP46,
                              ordered=True)  # fmt: skip


def ensure_same_regime(years: Iterable[int], *, crosswalk: Crosswalk | None = None) -> str:
    """Check that a comparison stays within one appraisal regime, or name the bridge it uses.

    A 2021 "Baik" (PP 46/2011 score band) and a 2023 "Baik" (PermenPANRB 6/2022 predikat) are different
    measurements (DOMAIN.md 3.4). Spanning both is refused unless ``crosswalk`` names an explicit
    bridge; the only one offered, ``"kategori_to_predikat"`` (Sangat Baik -> Sangat Baik, Baik -> Baik,
    Cukup -> Butuh Perbaikan, Kurang -> Kurang, Buruk -> Sangat Kurang), is [open]: no regulation
    defines it. Apply it with :func:`apply_crosswalk`.

    Returns
    -------
    str
        The regime's name when all years share one, otherwise a method text naming both regimes and the
        crosswalk, to be carried into the result's ``method`` column.

    Examples
    --------
    >>> ensure_same_regime([2022, 2023])
    'permenpanrb_6_2022'
    >>> ensure_same_regime([2021, 2022], crosswalk="kategori_to_predikat")[:40]
    'pp46_2011 + permenpanrb_6_2022 bridged b'
    """
    if crosswalk is not None:
        check_option("crosswalk", crosswalk, CROSSWALKS)
    values = pd.Series(list(years), dtype=object)
    if values.empty or values.isna().any():
        raise KinerjaDataError("ensure_same_regime needs at least one year and no missing years.")
    distinct = sorted({int(y) if isinstance(y, float) and float(y).is_integer() else y for y in values})
    by_regime: dict[str, list[int]] = {}
    for year in distinct:
        by_regime.setdefault(regime(year), []).append(year)
    if len(by_regime) == 1:
        return next(iter(by_regime))
    if crosswalk is None:
        raise KinerjaDataError(
            f"years {distinct} span two appraisal regimes: PP 46/2011 scores ({by_regime['pp46_2011']}) and "
            f"PermenPANRB 6/2022 predikat ({by_regime['permenpanrb_6_2022']}), which measure different things. "
            "Compare within one regime, or pass crosswalk='kategori_to_predikat' [open] and report its method text."
        )
    return f"pp46_2011 + permenpanrb_6_2022 bridged by {crosswalk_text(crosswalk)}"


def crosswalk_text(crosswalk: Crosswalk) -> str:
    """The crosswalk spelled out for a result's ``method`` column.

    >>> crosswalk_text("kategori_to_predikat")[:47]
    'crosswalk kategori_to_predikat [open]: Sangat B'
    """
    check_option("crosswalk", crosswalk, CROSSWALKS)
    pairs = ", ".join(f"{k} -> {v}" for k, v in CROSSWALKS[crosswalk].items())
    return f"crosswalk {crosswalk} [open]: {pairs}"


def apply_crosswalk(kategori: Values, *, crosswalk: Crosswalk = "kategori_to_predikat") -> pd.Series:
    """Map PP 46/2011 categories onto 2022 predikat with a named crosswalk [open].

    Returns
    -------
    Series
        Ordered categorical ``schema.category_dtype("kinerja", "predikat")`` named ``predikat``.

    Examples
    --------
    >>> apply_crosswalk(["Cukup", "Buruk"]).tolist()
    ['Butuh Perbaikan', 'Sangat Kurang']
    """
    check_option("crosswalk", crosswalk, CROSSWALKS)
    values = _canonical(_as_series(kategori, name=_KATEGORI.name), _KATEGORI)
    dtype = schema.category_dtype("kinerja", "predikat")
    return _lookup(values, CROSSWALKS[crosswalk]).astype(dtype).rename("predikat")
