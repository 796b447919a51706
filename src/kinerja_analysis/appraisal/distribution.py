"""Whether a unit's employee predikat follow the SE MenPANRB 3/2023 distribution guidance.

The organisation's own predikat bounds the distribution of its employees' predikat (DOMAIN.md 3.2)
[likely]. The checks only report: they never rewrite a predikat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.appraisal.predikat_2022 import _ORGANISASI, PREDIKAT_ORGANISASI, _canonical, _rows
from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data import schema

__all__ = ["check_distribution", "check_distributions", "summarize_checks"]

Reading = Literal["mayoritas_50", "modus", "batas_atas"]
Rounding = Literal["exact", "ceil_count"]

_PREDIKAT = schema.TABLES["kinerja"].column("predikat")
_OUTPUT = ["predikat_organisasi", "n", "n_missing", "rule", "count", "observed", "operator", "bound", "bound_count",
           "ok", "message", "method"]  # fmt: skip


@dataclass(frozen=True)
class _Rule:
    """One bound: the share of ``categories`` compared with ``percent`` by ``op`` ("modus": most frequent)."""

    name: str
    categories: tuple[str, ...]
    op: Literal[">", ">=", "<=", "modus"]
    percent: int = 0


def _rules(org: str, reading: Reading) -> list[_Rule]:
    """The SE MenPANRB 3/2023 guidance for one org predikat, under a reading of "most (at most 70%)"."""

    def most(category: str) -> list[_Rule]:
        slug = category.lower().replace(" ", "_")
        if reading == "mayoritas_50":
            return [_Rule(f"{slug}_mayoritas", (category,), ">", 50)]
        if reading == "modus":
            return [_Rule(f"{slug}_modus", (category,), "modus")]
        return []  # batas_atas: only the 70% cap

    return {
        "Istimewa": [*most("Sangat Baik"), _Rule("sangat_baik_maks_70", ("Sangat Baik",), "<=", 70)],
        "Baik": [*most("Baik"), _Rule("baik_maks_70", ("Baik",), "<=", 70),
                 _Rule("butuh_perbaikan_atau_kurang_ada", ("Butuh Perbaikan", "Kurang"), ">", 0)],
        "Butuh Perbaikan": [_Rule("butuh_perbaikan_min_60", ("Butuh Perbaikan",), ">=", 60),
                            _Rule("sangat_baik_maks_10", ("Sangat Baik",), "<=", 10)],
        "Kurang": [_Rule("kurang_min_60", ("Kurang",), ">=", 60),
                   _Rule("butuh_perbaikan_min_10", ("Butuh Perbaikan",), ">=", 10),
                   _Rule("sangat_baik_maks_10", ("Sangat Baik",), "<=", 10)],
        "Sangat Kurang": [_Rule("sangat_kurang_min_60", ("Sangat Kurang",), ">=", 60),
                          _Rule("kurang_atau_butuh_perbaikan_min_10", ("Kurang", "Butuh Perbaikan"), ">=", 10),
                          _Rule("tanpa_sangat_baik", ("Sangat Baik",), "<=", 0)],
    }[org]  # fmt: skip


def _pct(x: float) -> str:
    return f"{x * 100:.1f}".replace(".", ",") + "%"


def _evaluate(counts: pd.DataFrame, rule: _Rule, *, rounding: Rounding) -> pd.DataFrame:
    """Apply one rule to a units x predikat count table; exact integer arithmetic, no float boundaries."""
    n = counts.sum(axis=1).to_numpy()
    k = counts[list(rule.categories)].sum(axis=1).to_numpy()
    p = rule.percent
    if rule.op == "modus":
        others = counts.drop(columns=list(rule.categories)).max(axis=1).to_numpy()
        ok, bound_count, bound = k > others, others + 1, np.divide(others, n, where=n > 0, out=np.full(len(n), np.nan))
    elif rule.op == ">":
        ok, bound_count, bound = k * 100 > p * n, (p * n) // 100 + 1, np.full(len(n), p / 100)
    elif rule.op == ">=":
        ok, bound_count, bound = k * 100 >= p * n, -((-p * n) // 100), np.full(len(n), p / 100)
    else:  # "<=": ceil_count lets e.g. 70% of 7 people (4.9) be 5 people
        bound_count = -((-p * n) // 100) if rounding == "ceil_count" else (p * n) // 100
        ok, bound = k <= bound_count, np.full(len(n), p / 100)
    label = " + ".join(rule.categories)
    messages = []
    for ki, ni, oki, bc in zip(k, n, ok, bound_count, strict=True):
        share = f"{label} {_pct(ki / ni) if ni else '-'} ({ki} dari {ni})"
        need = {
            ">": f"harus lebih dari {p}% (paling sedikit {bc} orang)",
            ">=": f"harus paling sedikit {p}% ({bc} orang)",
            "<=": f"paling banyak {p}% ({bc} orang)" if p else "tidak boleh ada",
            "modus": f"harus predikat terbanyak (paling sedikit {bc} orang)",
        }[rule.op]
        messages.append(f"{'Memenuhi' if oki else 'Tidak memenuhi'}: {share}; {need}.")
    observed = np.divide(k, n, where=n > 0, out=np.full(len(n), np.nan))
    return pd.DataFrame({"rule": rule.name, "count": k, "observed": observed, "operator": rule.op, "bound": bound,
                         "bound_count": bound_count, "ok": pd.array(ok, dtype="boolean"), "message": messages},
                        index=counts.index)  # fmt: skip


def check_distributions(
    frame: pd.DataFrame,
    *,
    unit: str = "unit_id",
    predikat: str = "predikat",
    predikat_organisasi: str | Mapping[str, str] | pd.Series = "predikat_organisasi",
    reading: Reading = "mayoritas_50",
    rounding: Rounding = "exact",
    min_n: int = 1,
) -> pd.DataFrame:
    """Check each unit's employee predikat against the SE MenPANRB 3/2023 guidance [likely].

    ===============  ===================================================================================
    org predikat     guidance
    ===============  ===================================================================================
    Istimewa         most Sangat Baik, at most 70%
    Baik             most Baik, at most 70%; some Butuh Perbaikan and/or Kurang must exist
    Butuh Perbaikan  at least 60% Butuh Perbaikan; Sangat Baik at most 10%
    Kurang           at least 60% Kurang; at least 10% Butuh Perbaikan; Sangat Baik at most 10%
    Sangat Kurang    at least 60% Sangat Kurang; at least 10% Kurang and/or Butuh Perbaikan; no Sangat Baik
    ===============  ===================================================================================

    Parameters
    ----------
    frame
        One row per employee with the ``unit`` and ``predikat`` columns. Rows without a predikat are
        left out and counted in ``n_missing``.
    predikat_organisasi
        A column of ``frame`` (constant within a unit), a mapping / Series from unit to org predikat, or
        one org predikat (e.g. ``"Baik"``) applied to every unit.
    reading
        What "most (at most 70%)" means [open]: ``"mayoritas_50"`` (default) more than 50%;
        ``"modus"`` strictly more people than any other predikat (a tie is not "most"); ``"batas_atas"``
        only the 70% cap (Indonesian "paling banyak" also means "at most").
    rounding
        Small units [open]: ``"exact"`` (default) compares shares exactly; ``"ceil_count"`` turns an
        upper bound into people rounded up (70% of 7 = 4.9 allows 5). Lower bounds need whole people
        either way (at least 10% of 7 = 0.7 needs 1).
    min_n
        Units with fewer employees with a predikat get ``ok`` missing ("tidak diperiksa").

    Returns
    -------
    DataFrame
        One row per unit and rule: ``unit``, ``predikat_organisasi``, ``n``, ``n_missing``, ``rule``,
        ``count`` (employees in the rule's predikat), ``observed`` (count / n), ``operator`` (>, >=, <=,
        modus), ``bound`` (share; for modus the largest other share), ``bound_count`` (people needed or
        allowed), ``ok`` (nullable boolean), ``message`` (Bahasa Indonesia, for reports) and ``method``.

    Examples
    --------
    >>> staff = pd.DataFrame({"unit_id": ["K1"] * 10, "predikat": ["Sangat Baik"] * 8 + ["Baik"] * 2})
    >>> out = check_distributions(staff, predikat_organisasi={"K1": "Istimewa"})
    >>> out[["rule", "ok"]].values.tolist()
    [['sangat_baik_mayoritas', True], ['sangat_baik_maks_70', False]]
    """
    _check_options(reading, rounding, min_n)
    needed = [c for c in (unit, predikat) if c not in frame.columns]
    if isinstance(predikat_organisasi, str) and predikat_organisasi not in frame.columns:
        known = {schema.normalize_header(v) for v in PREDIKAT_ORGANISASI}
        if schema.normalize_header(predikat_organisasi) in known:  # one org predikat for every unit
            predikat_organisasi = dict.fromkeys(pd.unique(frame[unit]), predikat_organisasi)
        else:  # neither a column nor an org predikat: most likely a misspelt column name
            needed.append(predikat_organisasi)
    if needed:
        raise MissingColumnError(f"the employee table lacks column(s) {needed}, needed for the distribution check.")
    if frame[unit].isna().any():
        raise KinerjaDataError(f"{unit} is missing at rows {_rows(frame[unit].isna())}; complete or remove them.")
    org = _org_by_unit(frame, unit, predikat_organisasi)
    values = _canonical(frame[predikat], _PREDIKAT)
    # Count with bincount over (unit, predikat) codes: crosstab takes a slow Python path on many units.
    unit_codes, units = pd.factorize(frame[unit], sort=True)
    codes = values.cat.codes.to_numpy().astype("int64")
    has = codes >= 0
    width = len(schema.PREDIKAT)
    table = np.bincount(unit_codes[has] * width + codes[has], minlength=len(units) * width).reshape(-1, width)
    units = pd.Index(units, name=unit)
    counts = pd.DataFrame(table, index=units, columns=list(schema.PREDIKAT))
    n_missing = pd.Series(np.bincount(unit_codes[~has], minlength=len(units)), index=units)
    out = _check_counts(counts, org.reindex(units), n_missing, reading=reading, rounding=rounding, min_n=min_n)
    return out.rename(columns={"_unit": unit})


def _check_options(reading: str, rounding: str, min_n: int) -> None:
    check_option("reading", reading, ("mayoritas_50", "modus", "batas_atas"))
    check_option("rounding", rounding, ("exact", "ceil_count"))
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise KinerjaDataError(f"min_n must be a whole number of at least 1, got {min_n!r}.")


def _check_counts(
    counts: pd.DataFrame, org: pd.Series, n_missing: pd.Series, *, reading: Reading, rounding: Rounding, min_n: int
) -> pd.DataFrame:
    """The rule rows for a units x predikat count table (columns in ``schema.PREDIKAT`` order)."""
    counts = counts.astype("int64")
    parts = []
    for org_value in PREDIKAT_ORGANISASI:
        members = counts.index[org.to_numpy() == org_value]
        if members.empty:
            continue
        for order, rule in enumerate(_rules(org_value, reading)):
            part = _evaluate(counts.loc[members], rule, rounding=rounding)
            parts.append(part.assign(predikat_organisasi=org_value, _order=order))
    if not parts:  # no units: an empty table with the usual columns
        empty = _evaluate(counts.iloc[:0], _Rule("", (), "<="), rounding=rounding)
        parts = [empty.assign(predikat_organisasi=pd.Series(dtype=object), _order=0)]
    out = pd.concat(parts).rename_axis("_unit").reset_index()
    out["n"] = counts.sum(axis=1).reindex(out["_unit"]).to_numpy()
    out["n_missing"] = n_missing.reindex(out["_unit"]).to_numpy().astype("int64")
    small = out["n"] < min_n
    out["ok"] = out["ok"].mask(small)
    out.loc[small, "message"] = [f"Tidak diperiksa: n = {n} < min_n = {min_n}." for n in out.loc[small, "n"]]
    out["method"] = f"SE MenPANRB 3/2023 [likely]; reading={reading} [open]; rounding={rounding} [open]; min_n={min_n}"
    out = out.astype({"count": "int64", "message": "str"}).sort_values(
        ["_unit", "_order"], kind="stable", ignore_index=True
    )
    return out[["_unit", *_OUTPUT]]


def _org_by_unit(frame: pd.DataFrame, unit: str, source: str | Mapping[str, str] | pd.Series) -> pd.Series:
    """Canonical org predikat per unit, from a constant column or a unit -> predikat mapping."""
    if isinstance(source, str):
        per_row = _canonical(frame[source], _ORGANISASI, table="unit")
        varies = per_row.groupby(frame[unit]).nunique(dropna=False) > 1
        if varies.any():
            raise KinerjaDataError(
                f"{source} differs within unit(s) {varies[varies].index.tolist()[:10]}; one per unit."
            )
        org = per_row.groupby(frame[unit]).first()
    else:
        mapping = source if isinstance(source, pd.Series) else pd.Series(dict(source), dtype=object)
        org = _canonical(mapping, _ORGANISASI, table="unit").reindex(pd.unique(frame[unit]))
    lacking = org.index[org.isna()].tolist()
    if lacking:
        raise KinerjaDataError(f"unit(s) {lacking[:10]} have no predikat_organisasi; give one for every unit checked.")
    return org


def check_distribution(
    counts_or_frame: Mapping[str, int] | pd.Series | pd.DataFrame,
    *,
    predikat_organisasi: str,
    reading: Reading = "mayoritas_50",
    rounding: Rounding = "exact",
    min_n: int = 1,
    predikat: str = "predikat",
) -> pd.DataFrame:
    """Check one unit's predikat distribution; see :func:`check_distributions` for the rules and options.

    ``counts_or_frame`` is a mapping or numeric Series of counts by predikat, a Series of predikat (one
    per employee), or a DataFrame with a ``predikat`` column. Returns the rows of
    :func:`check_distributions` without the unit column.

    >>> check_distribution({"Baik": 7, "Sangat Baik": 2, "Kurang": 1}, predikat_organisasi="Baik").ok.tolist()
    [True, True, True]
    """
    _check_options(reading, rounding, min_n)
    source = counts_or_frame
    if isinstance(source, Mapping) or (isinstance(source, pd.Series) and pd.api.types.is_numeric_dtype(source)):
        given = pd.Series(dict(source)) if isinstance(source, Mapping) else source
        number = pd.to_numeric(given, errors="coerce")
        if number.isna().any() or (number < 0).any() or (number % 1 != 0).any():
            raise KinerjaDataError(f"counts must be whole numbers of at least 0; got {dict(given)}.")
        labels = _canonical(pd.Series(given.index, dtype=object), _PREDIKAT)
        if labels.isna().any():
            raise KinerjaDataError(f"counts need a predikat label for every count; got {list(given.index)}.")
        per_label = pd.Series(number.to_numpy(), index=labels.to_numpy()).groupby(level=0).sum()
        n_missing = 0
    else:
        if isinstance(source, pd.DataFrame):
            if predikat not in source.columns:
                raise MissingColumnError(f"the employee table lacks column {predikat!r}.")
            source = source[predikat]
        if not isinstance(source, pd.Series):
            raise KinerjaDataError("counts_or_frame must be a mapping or Series of counts, a Series or a DataFrame.")
        values = _canonical(source, _PREDIKAT)
        per_label, n_missing = values.value_counts(), int(values.isna().sum())
    counts = per_label.reindex(list(schema.PREDIKAT), fill_value=0).to_frame().T.set_axis(["unit"])
    org = _canonical(pd.Series([predikat_organisasi], index=["unit"], dtype=object), _ORGANISASI, table="unit")
    out = _check_counts(counts, org, pd.Series([n_missing], index=["unit"]), reading=reading, rounding=rounding,
                        min_n=min_n)  # fmt: skip
    return out.drop(columns="_unit")


def summarize_checks(result: pd.DataFrame) -> pd.DataFrame:
    """Per rule: how many units were checked, followed the guidance, or did not (from check_distributions).

    Returns
    -------
    DataFrame
        ``predikat_organisasi``, ``rule``, ``units`` (units with the rule), ``checked`` (units with at
        least ``min_n`` employees), ``ok``, ``violations`` and ``method``.

    >>> staff = pd.DataFrame({"unit_id": ["K1"] * 10, "predikat": ["Sangat Baik"] * 8 + ["Baik"] * 2})
    >>> summarize_checks(check_distributions(staff, predikat_organisasi="Istimewa"))[["rule", "ok"]].values.tolist()
    [['sangat_baik_mayoritas', 1], ['sangat_baik_maks_70', 0]]
    """
    ok = result["ok"]
    out = (
        result.assign(_checked=ok.notna(), _ok=ok.fillna(False).astype(bool), _bad=(~ok.fillna(True)).astype(bool))
        .groupby(["predikat_organisasi", "rule"], sort=False, observed=True)
        .agg(
            units=("rule", "size"),
            checked=("_checked", "sum"),
            ok=("_ok", "sum"),
            violations=("_bad", "sum"),
            method=("method", "first"),
        )
        .reset_index()
    )
    return out.astype({"units": int, "checked": int, "ok": int, "violations": int})
