"""Comparisons within strata: is a group selected less often than comparable others (same golongan, predikat)?

A raw gap in selection rates can come from differences in rank or rating between the groups. The
Mantel-Haenszel common odds ratio compares the focal group with the reference group only within strata
(for example the same golongan, the same last predikat, or the same selection), and pools the strata:

    OR_MH = sum_k (a_k d_k / n_k) / sum_k (b_k c_k / n_k),

with a_k / b_k the focal group's selected / not selected and c_k / d_k the reference group's in stratum k.
The test of OR = 1 is the Cochran-Mantel-Haenszel test, the interval Robins-Breslow-Greenland's, and
Breslow-Day tests whether the odds ratio is the same in every stratum (statsmodels ``StratifiedTable``).
Strata with only one of the two groups, or where everyone or no one was selected, carry no information
and are left out (and counted). Across years, strata can be pooled (each year-stratum its own table,
one common odds ratio) or kept apart (one result per year).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.stats.contingency_tables import StratifiedTable

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option

__all__ = ["mantel_haenszel"]

_COLUMNS = ("focal", "reference", "n_strata", "n_strata_used", "n_focal", "n_reference", "estimate", "ci_low",
            "ci_high", "p_value", "p_homogeneity", "method")  # fmt: skip


def _one(frame: pd.DataFrame, strata: list[str], alpha: float, focal: str, reference: str) -> dict[str, object]:
    is_focal = frame["_g"] == focal
    cells = frame.assign(_f=is_focal).groupby(strata + ["_f"], observed=True)["_y"].agg(["sum", "size"])
    wide = cells.unstack("_f", fill_value=0)
    a = wide.get(("sum", True), pd.Series(0, index=wide.index))
    n1 = wide.get(("size", True), pd.Series(0, index=wide.index))
    c = wide.get(("sum", False), pd.Series(0, index=wide.index))
    n0 = wide.get(("size", False), pd.Series(0, index=wide.index))
    a, n1, c, n0 = (v.to_numpy(dtype="int64") for v in (a, n1, c, n0))
    b, d = n1 - a, n0 - c
    used = (n1 > 0) & (n0 > 0) & (a + c > 0) & (b + d > 0)
    row: dict[str, object] = {"focal": focal, "reference": reference, "n_strata": len(a),
                              "n_strata_used": int(used.sum()), "n_focal": int(n1[used].sum()),
                              "n_reference": int(n0[used].sum())}  # fmt: skip
    nan = {"estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan, "p_homogeneity": np.nan}
    if not used.any():
        return {**row, **nan, "method": "not estimable: no stratum holds both groups with both outcomes"}
    tables = np.stack([np.array([[a[k], b[k]], [c[k], d[k]]], dtype="float64") for k in np.flatnonzero(used)], axis=2)
    num = (tables[0, 0] * tables[1, 1] / tables.sum(axis=(0, 1))).sum()
    den = (tables[0, 1] * tables[1, 0] / tables.sum(axis=(0, 1))).sum()
    if num == 0 or den == 0:
        return {**row, **nan, "method": "not estimable: the pooled odds ratio is 0 or infinite (no discordant cells)"}
    st = StratifiedTable(tables)
    low, high = st.oddsratio_pooled_confint(alpha=alpha)
    # Breslow-Day is a large-stratum test: with small strata (a selection of five candidates) its
    # chi-square reference does not hold, so it is withheld unless every expected cell count is at least 5.
    totals = tables.sum(axis=(0, 1))
    expected = tables.sum(axis=1)[:, None, :] * tables.sum(axis=0)[None, :, :] / totals
    sparse = bool((expected < 5).any())
    homogeneity = st.test_equal_odds().pvalue if used.sum() >= 2 and not sparse else np.nan
    bd_text = (
        "Breslow-Day homogeneity test withheld (sparse strata: an expected cell count below 5)"
        if sparse
        else "Breslow-Day homogeneity test (statsmodels StratifiedTable)"
    )
    method = (f"Mantel-Haenszel common odds ratio within strata of {', '.join(strata)}; Robins-Breslow-Greenland "
              f"{1 - alpha:.0%} interval; Cochran-Mantel-Haenszel test (no continuity correction); "
              f"{bd_text}")  # fmt: skip
    return {**row, "estimate": float(st.oddsratio_pooled), "ci_low": float(low), "ci_high": float(high),
            "p_value": float(st.test_null_odds(correction=False).pvalue), "p_homogeneity": float(homogeneity),
            "method": method}  # fmt: skip


def mantel_haenszel(
    data: pd.DataFrame,
    *,
    group: str,
    selected: str,
    focal: str,
    reference: str,
    strata: str | Sequence[str],
    year: str | None = None,
    years: Literal["pool", "separate"] = "pool",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Odds of selection of ``focal`` against ``reference`` within strata, pooled by Mantel-Haenszel.

    Parameters
    ----------
    data
        One row per candidate (not modified); rows of other groups are ignored.
    group, focal, reference
        The group column and the two groups compared (for example ``jenis_kelamin``, ``"P"``, ``"L"``).
    selected
        The true/false (or 1/0) outcome column.
    strata
        Column(s) within which the groups are compared: ``golongan``, ``penilaian_terakhir``, or
        ``seleksi_id`` (within each selection). Missing stratum values are an error.
    year, years
        With a ``year`` column: ``"pool"`` (default) adds the year to the strata and gives one common odds
        ratio across years; ``"separate"`` gives one row per year.

    Returns
    -------
    DataFrame
        ``focal``, ``reference``, ``n_strata``, ``n_strata_used``, ``n_focal`` and ``n_reference`` (candidates in
        the strata used), ``estimate`` (OR_MH: below 1, the focal group is selected less often than comparable
        reference candidates), ``ci_low``, ``ci_high``, ``p_value`` (CMH), ``p_homogeneity`` (Breslow-Day;
        missing when a stratum has an expected cell count below 5, where the test does not hold), ``method``;
        with ``years="separate"`` a leading ``year`` column, one row per year.

    Examples
    --------
    >>> d = pd.DataFrame({"jk": list("PPLL") * 2, "g": ["a"] * 4 + ["b"] * 4, "y": [1, 0, 1, 1, 1, 0, 0, 1]})
    >>> t = mantel_haenszel(d, group="jk", selected="y", focal="P", reference="L", strata="g")
    >>> round(float(t.estimate.iloc[0]), 4)  # (1*0/4 + 1*1/4) / (1*2/4 + 1*1/4) = 1/3
    0.3333
    """
    check_option("years", years, ("pool", "separate"))
    if isinstance(alpha, bool) or not isinstance(alpha, float | int) or not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} is not allowed; choose a number between 0 and 1.")
    strata = [strata] if isinstance(strata, str) else list(strata)
    needed = [group, selected, *strata, *([year] if year else [])]
    missing = [c for c in needed if c not in data.columns]
    if missing:
        raise MissingColumnError(f"the table has no column(s) {missing}.")
    if focal == reference:
        raise InvalidOptionError("focal and reference must be different groups.")
    known = set(data[group].dropna().astype("str"))
    for name, value in (("focal", focal), ("reference", reference)):
        if value not in known:
            raise InvalidOptionError(f"{name}={value!r} is not a value of {group!r}; choose one of {sorted(known)}.")
    frame = data.loc[data[group].astype("str").isin([focal, reference]), needed]
    absent = frame[[c for c in needed if c != group]].isna().any(axis=1).to_numpy()
    if absent.any():
        rows = frame.index[absent].tolist()[:10]
        raise KinerjaDataError(
            f"rows {rows} lack a value in {[c for c in needed if c != group]}; fill or drop them before comparing."
        )
    outcome = frame[selected]
    if not (pd.api.types.is_bool_dtype(outcome.dtype) or set(pd.unique(outcome)) <= {0, 1}):
        raise KinerjaDataError(f"column {selected!r} must be true/false or 1/0.")
    frame = frame.assign(_g=frame[group].astype("str"), _y=outcome.astype(bool).astype("int64"))
    if year is None or years == "pool":
        keys = strata + ([year] if year else [])
        return pd.DataFrame([_one(frame, keys, alpha, focal, reference)], columns=list(_COLUMNS))
    rows = []
    for value, part in frame.groupby(year, sort=True):
        rows.append({"year": value, **_one(part, strata, alpha, focal, reference)})
    return pd.DataFrame(rows, columns=["year", *_COLUMNS])
