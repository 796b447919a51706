"""Rating inflation: the share of top predikat per unit and year, with a binomial interval.

Ratings are strongly compressed (nationally, 2022-2024, about 11.3% Sangat Baik and 88.5% Baik;
DOMAIN.md 9) [likely]. Before predikat are read as a measure of merit, their spread has to be shown,
and a share in a unit of twelve people needs its interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.appraisal.crosswalk import CROSSWALKS, Crosswalk, apply_crosswalk, ensure_same_regime
from kinerja_analysis.appraisal.pp46 import kategori_pp46, nilai_prestasi_kerja
from kinerja_analysis.appraisal.predikat_2022 import AnnualRule, _canonical, _normalized, _rows, predikat_tahunan
from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.common.inference import INTERVAL_TEXT, IntervalMethod, proportion_interval
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data import schema
from kinerja_analysis.data.regimes import regime

__all__ = ["top_predikat_share", "predikat_distribution"]

_PREDIKAT = schema.TABLES["kinerja"].column("predikat")


def _bridged(rows: pd.DataFrame, values: pd.Series, *, crosswalk: Crosswalk) -> pd.Series:
    """Predikat for pre-2022 rows: kategori of 0.6 nilai_skp + 0.4 nilai_perilaku, through the crosswalk."""
    needed = [c for c in ("nilai_skp", "nilai_perilaku") if c not in rows.columns]
    if needed:
        raise MissingColumnError(f"table kinerja lacks column(s) {needed}, needed to bridge pre-2022 rows.")
    old = (rows["tahun"] < 2022).to_numpy()
    nilai = nilai_prestasi_kerja(rows.loc[old, "nilai_skp"], rows.loc[old, "nilai_perilaku"])
    bridged = apply_crosswalk(kategori_pp46(nilai), crosswalk=crosswalk)
    result = values.to_numpy(dtype=object, copy=True)  # positional: the index may repeat labels
    result[old] = bridged.astype(object).to_numpy()
    return pd.Series(result, index=values.index, dtype=object)


def _annual_from_periodic(kinerja: pd.DataFrame, keys: list[str], rule: AnnualRule) -> pd.DataFrame:
    """One row per nip and tahun with the annual predikat formed from periodic rows by ``rule``.

    The ``keys`` columns (unit, sector, ...) are taken from the employee's first periodic row of the year.
    """
    needed = [c for c in dict.fromkeys(["nip", "tahun", "periode", *keys]) if c not in kinerja.columns]
    if needed:
        raise MissingColumnError(f"table kinerja lacks column(s) {needed}, needed for the annual predikat.")
    periodic = kinerja.loc[_normalized(kinerja["periode"]) != "tahunan"]
    annual = predikat_tahunan(periodic, rule=rule)
    extra = [k for k in keys if k not in ("nip", "tahun")]
    labels = periodic.drop_duplicates(["nip", "tahun"])[["nip", "tahun", *extra]]
    return annual.merge(labels, on=["nip", "tahun"], how="left", validate="one_to_one")


def _predikat_rows(
    kinerja: pd.DataFrame,
    keys: list[str],
    *,
    periode: str | None,
    crosswalk: Crosswalk | None,
    purpose: str,
    annual_rule: AnnualRule | None = None,
) -> tuple[pd.DataFrame, pd.Series, str]:
    """The rows of one period type, their canonical predikat, and the bridge text (regime-checked)."""
    if crosswalk is not None:
        check_option("crosswalk", crosswalk, CROSSWALKS)
    if annual_rule is not None:
        rows, values, bridge = _predikat_rows(
            _annual_from_periodic(kinerja, keys, annual_rule),
            keys,
            periode=None,
            crosswalk=crosswalk,
            purpose=purpose,
        )
        return rows, values, f"{bridge}; annual predikat from periodic rows, rule {annual_rule!r} [open]"
    needed = [c for c in dict.fromkeys(["tahun", "predikat", *keys]) if c not in kinerja.columns]
    if needed:
        raise MissingColumnError(f"table kinerja lacks column(s) {needed}, needed for {purpose}.")
    rows = kinerja
    if periode is not None and "periode" in kinerja.columns:
        rows = kinerja.loc[_normalized(kinerja["periode"]) == schema.normalize_header(periode)]
        if rows.empty and not kinerja.empty:
            raise KinerjaDataError(
                f"kinerja has no rows with periode {periode!r}; form annual predikat with "
                "appraisal.predikat_tahunan, or pass periode=None to count every row."
            )
    if rows["tahun"].isna().any() or rows[keys].isna().any(axis=None):
        missing = rows["tahun"].isna() | rows[keys].isna().any(axis=1)
        raise KinerjaDataError(f"kinerja rows {_rows(missing)} lack tahun or a by column; complete or remove them.")
    years = sorted(int(y) for y in pd.unique(rows["tahun"]))
    old_years = [y for y in years if regime(y) != "permenpanrb_6_2022"]
    if old_years and crosswalk is None:
        raise KinerjaDataError(
            f"kinerja has rows from {old_years}: before 2022 appraisals are PP 46/2011 scores and have no "
            "predikat. Filter tahun >= 2022, or pass crosswalk='kategori_to_predikat' [open] to bridge them."
        )
    values = _canonical(rows["predikat"], _PREDIKAT)
    bridge = ""
    if old_years:
        values = _bridged(rows, values, crosswalk=crosswalk)
        bridge = f"; {ensure_same_regime(years, crosswalk=crosswalk)}"
    return rows, values, bridge


def predikat_distribution(
    kinerja: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("tahun",),
    periode: str | None = "tahunan",
    crosswalk: Crosswalk | None = None,
    annual_rule: AnnualRule | None = None,
) -> pd.DataFrame:
    """How employees' predikat are spread, per group: counts and shares of each of the five predikat.

    The distribution comes before any use of predikat as a measure: nationally about 88% are "Baik"
    (DOMAIN.md 9), and a measure on which nearly everyone scores the same cannot rank people. Rows
    are selected and regime-checked as in :func:`top_predikat_share`.

    The options are those of :func:`top_predikat_share`, ``annual_rule`` included (an annual predikat
    formed from periodic rows by a stated rule [open]).

    Returns
    -------
    DataFrame
        The ``by`` columns, ``predikat`` (ordered, all five levels in every group), ``n`` (rows with that
        predikat), ``total`` (rows with a predikat in the group), ``share`` (n / total) and ``method``.

    Examples
    --------
    >>> k = pd.DataFrame({"tahun": [2023] * 4, "predikat": ["Baik", "Baik", "Sangat Baik", "BAIK"]})
    >>> predikat_distribution(k)[["predikat", "n", "share"]].values.tolist()[2:]
    [['Butuh Perbaikan', 0, 0.0], ['Baik', 3, 0.75], ['Sangat Baik', 1, 0.25]]
    """
    keys = [by] if isinstance(by, str) else list(by)
    rows, values, bridge = _predikat_rows(
        kinerja,
        keys,
        periode=periode,
        crosswalk=crosswalk,
        purpose="the predikat distribution",
        annual_rule=annual_rule,
    )
    dtype = schema.category_dtype("kinerja", "predikat")
    work = rows[keys].assign(predikat=values.astype(dtype)).dropna(subset=["predikat"])
    out = work.groupby([*keys, "predikat"], observed=False, sort=True).size().rename("n").reset_index()
    present = work[keys].drop_duplicates()
    out = out.merge(present, on=keys, how="inner")
    out["total"] = out.groupby(keys, observed=True)["n"].transform("sum")
    out["share"] = out["n"] / out["total"]
    out["method"] = f"annual predikat (PermenPANRB 6/2022), periode={periode}{bridge}"
    return out.reset_index(drop=True)


def top_predikat_share(
    kinerja: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("unit_id", "tahun"),
    top: Sequence[str] = ("Sangat Baik",),
    method: IntervalMethod = "wilson",
    alpha: float = 0.05,
    periode: str | None = "tahunan",
    crosswalk: Crosswalk | None = None,
    annual_rule: AnnualRule | None = None,
) -> pd.DataFrame:
    """Share of employees whose predikat is among ``top``, per group, with a binomial interval.

    Only PermenPANRB 6/2022 years (from 2022) have predikat; rows from earlier years are refused
    rather than silently mixed, since PP 46/2011 categories are a different measurement, unless
    ``crosswalk`` names an explicit bridge.

    Parameters
    ----------
    kinerja
        Appraisal rows with ``tahun``, ``predikat`` and the ``by`` columns.
    by
        Grouping columns; the groups are the combinations present in the data.
    top
        The predikat counted as "top" (any spelling), e.g. ``("Sangat Baik",)`` or
        ``("Sangat Baik", "Baik")``.
    method
        ``"wilson"`` (default) or ``"clopper_pearson"`` (statsmodels' ``"beta"``); see
        :func:`proportion_interval`.
    alpha
        1 - confidence level of the interval.
    periode
        Keep rows whose ``periode`` is this (default the annual ``"tahunan"``, so monthly or quarterly
        rows do not count an employee several times); None keeps all rows. Ignored without a
        ``periode`` column.
    crosswalk
        None (default) refuses pre-2022 rows. ``"kategori_to_predikat"`` [open] gives them the predikat
        of their PP 46/2011 kategori (from ``nilai_skp`` and ``nilai_perilaku``; see
        :func:`kinerja_analysis.appraisal.crosswalk.apply_crosswalk`) and names the bridge in ``method``.
    annual_rule
        None (default) counts the rows selected by ``periode``. ``"mode"``, ``"last"``, ``"worst"`` or
        ``"median"`` [open] first forms each employee's annual predikat from the monthly or quarterly rows
        (:func:`kinerja_analysis.appraisal.predikat_2022.predikat_tahunan`; the ``by`` columns come from the employee's
        first periodic row of the year), then counts those; ``periode`` is then ignored. The rule is
        named in ``method``.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n`` (rows with a predikat), ``k`` (rows with a top predikat), ``estimate``
        (k / n), ``ci_low``, ``ci_high`` and ``method``. Rows without a predikat are left out of n; a
        group whose rows all lack one is kept as an explicit row with n = 0 and a missing estimate and
        interval, never dropped.

    Examples
    --------
    >>> k = pd.DataFrame({"unit_id": ["K1"] * 12, "tahun": [2023] * 12,
    ...                   "predikat": ["Sangat Baik"] * 3 + ["Baik"] * 9})
    >>> top_predikat_share(k)[["unit_id", "n", "k", "estimate", "ci_low"]].round(4).values.tolist()
    [['K1', 12, 3, 0.25, 0.0889]]
    """
    check_option("method", method, INTERVAL_TEXT)
    keys = [by] if isinstance(by, str) else list(by)
    rows, values, bridge = _predikat_rows(
        kinerja,
        keys,
        periode=periode,
        crosswalk=crosswalk,
        purpose="the top predikat share",
        annual_rule=annual_rule,
    )
    top_set = _canonical(pd.Series(list(top), dtype=object), _PREDIKAT)
    if top_set.empty or top_set.isna().any():
        raise KinerjaDataError(f"top must name at least one predikat of {list(schema.PREDIKAT)}; got {list(top)}.")
    work = rows[keys].assign(_n=values.notna(), _k=values.isin(set(top_set)))
    out = work.groupby(keys, sort=True, observed=True)[["_n", "_k"]].sum().reset_index()
    n, k = out.pop("_n").to_numpy(dtype="float64"), out.pop("_k").to_numpy(dtype="float64")
    low, high = proportion_interval(k, n, method=method, alpha=alpha)
    out["n"], out["k"] = n.astype("int64"), k.astype("int64")
    out["estimate"] = np.divide(k, n, out=np.full(len(n), np.nan), where=n > 0)
    out["ci_low"], out["ci_high"] = low, high
    left_out = int(values.isna().sum())
    note = f"; {left_out} rows without predikat left out" if left_out else ""
    out["method"] = (
        f"share of {' / '.join(top_set)} (PermenPANRB 6/2022); {INTERVAL_TEXT[method]} "
        f"{100 * (1 - alpha):g}%; periode={periode}{note}{bridge}"
    )
    return out
