"""Predikat kinerja of the current regime, PermenPANRB 6/2022 (from 2022).

An employee gets two ratings, hasil kerja (HK) and perilaku kerja (PK), each ``di_bawah``, ``sesuai``
or ``di_atas`` ekspektasi, and the predikat follows from a 3x3 matrix (DOMAIN.md 3.1). Earlier years
are PP 46/2011 scores (:mod:`kinerja_analysis.appraisal.pp46`); :mod:`kinerja_analysis.appraisal.crosswalk`
guards comparisons across the two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.data import schema
from kinerja_analysis.data.schema import MATRIX

__all__ = [
    "MATRIX",
    "Values",
    "PREDIKAT_ORGANISASI",
    "HASIL_KERJA_PIMPINAN",
    "predikat",
    "hasil_kerja_pimpinan",
    "predikat_tahunan",
]

AnnualRule = Literal["mode", "last", "worst", "median"]
Values: TypeAlias = pd.Series | np.ndarray | Sequence[Any] | str | float | None
"""One value per row (Series, array, list) or a single value; a Series keeps its index."""

PREDIKAT_ORGANISASI: tuple[str, ...] = ("Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Istimewa")
"""Predikat kinerja organisasi (of a unit or agency), worst to best."""

HASIL_KERJA_PIMPINAN: dict[str, str] = {
    "Istimewa": "di_atas",
    "Baik": "sesuai",
    "Butuh Perbaikan": "di_bawah",
    "Kurang": "di_bawah",
    "Sangat Kurang": "di_bawah",
}
"""Rating hasil kerja of a head of unit from the unit's predikat [likely: the reading of the
PermenPANRB 6/2022 annex; the rule that the unit's predikat decides is firm]."""

_HK = schema.TABLES["kinerja"].column("rating_hasil_kerja")
_PK = schema.TABLES["kinerja"].column("rating_perilaku_kerja")
_PREDIKAT = schema.TABLES["kinerja"].column("predikat")
_ORGANISASI = schema.ColumnSpec("predikat_organisasi", "category", "predikat kinerja organisasi",
                                categories=PREDIKAT_ORGANISASI, ordered=True)  # fmt: skip
# The matrix as codes into schema.RATING (rows HK, columns PK) and schema.PREDIKAT, for vectorised lookup.
_MATRIX_CODES = np.array(
    [[schema.PREDIKAT.index(MATRIX[(hk, pk)]) for pk in schema.RATING] for hk in schema.RATING], dtype=np.int8
)


def _as_series(values: object, *, name: str) -> pd.Series:
    """Wrap a Series, array, list or single value as a Series (a Series keeps its index)."""
    if isinstance(values, pd.DataFrame):
        raise KinerjaDataError(f"{name}: expected one column of values, got a DataFrame; pass frame['{name}'].")
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, str) or np.ndim(values) == 0:
        return pd.Series([values], dtype=object, name=name)
    if isinstance(values, np.ndarray | pd.Index | pd.api.extensions.ExtensionArray):
        return pd.Series(values, name=name)
    return pd.Series(list(values), dtype=object, name=name)


def _paired(
    first: pd.Series, second: pd.Series, raw: tuple[object, object], names: tuple[str, str]
) -> tuple[pd.Series, pd.Series]:
    """Give two same-length inputs one index: a Series' own, or both indexes when they agree."""
    if len(first) != len(second):
        raise KinerjaDataError(
            f"{names[0]} has {len(first)} values but {names[1]} has {len(second)}; pass one pair per row."
        )
    if isinstance(raw[0], pd.Series) and isinstance(raw[1], pd.Series) and not first.index.equals(second.index):
        raise KinerjaDataError(f"{names[0]} and {names[1]} have different indexes; align them first.")
    index = second.index if isinstance(raw[1], pd.Series) and not isinstance(raw[0], pd.Series) else first.index
    return first.set_axis(index), second.set_axis(index)


def _rows(mask: pd.Series, limit: int = 10) -> str:
    """The index labels where ``mask`` holds, for error messages (at most ``limit`` shown)."""
    labels = mask.index[mask.to_numpy(dtype=bool)].tolist()
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return f"{labels[:limit]}{more}"


def _canonical(values: pd.Series, spec: schema.ColumnSpec, *, table: str = "kinerja") -> pd.Series:
    """Map spellings onto ``spec``'s categories via :func:`schema.canonical_values`; raise on unknown ones.

    Returns a categorical Series over ``spec.categories`` with the input's index. Spellings are resolved
    once per distinct value (factorize first), so long columns cost little.
    """
    dtype = pd.CategoricalDtype(list(spec.categories), ordered=spec.ordered)
    if isinstance(values.dtype, pd.CategoricalDtype) and set(values.cat.categories) <= set(spec.categories):
        return values.astype(dtype)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    mapped, bad = schema.canonical_values(spec, distinct)
    if bad.any():
        unknown = distinct[bad].tolist()
        where = pd.Series(np.isin(codes, np.flatnonzero(bad.to_numpy())), index=values.index)
        spellings = ", ".join(sorted(spec.value_aliases))
        also = f"; also read: {spellings}" if spellings else ""
        raise KinerjaDataError(
            f"{table}.{spec.name} has {int(where.sum())} unrecognised value(s) {unknown[:10]} at rows "
            f"{_rows(where)}. Allowed: {', '.join(spec.categories)} (case, spaces and punctuation are "
            f"ignored{also}). Correct or blank these values."
        )
    recode = np.append(pd.Categorical(mapped, dtype=dtype).codes, -1)  # code -1 (missing) stays -1
    return pd.Series(pd.Categorical.from_codes(recode[codes], dtype=dtype), index=values.index, name=values.name)


def _lookup(values: pd.Series, mapping: Mapping[str, object]) -> pd.Series:
    """Map a categorical Series from :func:`_canonical` through ``mapping``, once per category."""
    table = np.array([mapping[c] for c in values.cat.categories] + [None], dtype=object)
    return pd.Series(table[values.cat.codes.to_numpy()], index=values.index, dtype=object)


def _normalized(values: pd.Series) -> pd.Series:
    """:func:`schema.normalize_header` of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=True)
    table = np.array([schema.normalize_header(u) for u in uniques] + [""], dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)


def _codes(values: pd.Series, categories: tuple[str, ...]) -> np.ndarray:
    """Integer positions of canonical values in ``categories`` (-1 for missing)."""
    return pd.Categorical(values, categories=list(categories)).codes


def predikat(hasil_kerja: Values, perilaku_kerja: Values) -> pd.Series:
    """Predikat kinerja from the two ratings, by the PermenPANRB 6/2022 matrix [firm].

    ========  ===============  ===============  =============
    HK \\ PK  di atas          sesuai           di bawah
    ========  ===============  ===============  =============
    di atas   Sangat Baik      Baik             Kurang
    sesuai    Baik             Baik             Kurang
    di bawah  Butuh Perbaikan  Butuh Perbaikan  Sangat Kurang
    ========  ===============  ===============  =============

    The matrix is monotone: raising either rating never lowers the predikat. It is not symmetric:
    behaviour weighs more at the bottom, since PK di bawah caps the predikat at Kurang while HK di bawah
    caps it at Butuh Perbaikan (HK di bawah + PK di atas = Butuh Perbaikan ranks above HK di atas + PK di
    bawah = Kurang).

    Parameters
    ----------
    hasil_kerja, perilaku_kerja
        Ratings (Series, array, list or one value) in any spelling that :func:`schema.canonical_values`
        reads for ``kinerja.rating_hasil_kerja``: "di_atas", "Di Atas Ekspektasi", "DIATAS", ...
        Of equal length; when both are Series their indexes must be equal.

    Returns
    -------
    Series
        Ordered categorical ``schema.category_dtype("kinerja", "predikat")`` named ``predikat``, with the
        index of the input Series; missing where either rating is missing.

    Raises
    ------
    KinerjaDataError
        On an unknown rating (naming the values, their rows and the allowed spellings) or unequal inputs.

    Examples
    --------
    >>> predikat(["Di Atas Ekspektasi", "sesuai", "di_bawah"], ["DIATAS", "di_bawah", "di_atas"]).tolist()
    ['Sangat Baik', 'Kurang', 'Butuh Perbaikan']
    """
    hk = _canonical(_as_series(hasil_kerja, name=_HK.name), _HK)
    pk = _canonical(_as_series(perilaku_kerja, name=_PK.name), _PK)
    hk, pk = _paired(hk, pk, (hasil_kerja, perilaku_kerja), (_HK.name, _PK.name))
    index = hk.index
    hk_codes, pk_codes = _codes(hk, schema.RATING), _codes(pk, schema.RATING)
    known = (hk_codes >= 0) & (pk_codes >= 0)
    codes = np.full(len(hk), -1, dtype=np.int8)
    codes[known] = _MATRIX_CODES[hk_codes[known], pk_codes[known]]
    dtype = schema.category_dtype("kinerja", "predikat")
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=index, name="predikat")


def hasil_kerja_pimpinan(predikat_organisasi: Values, *, mapping: Mapping[str, str] | None = None) -> pd.Series:
    """Rating hasil kerja of an employee who heads a unit, from the unit's own predikat.

    PermenPANRB 6/2022: for a head of unit, the unit's predikat kinerja organisasi becomes the
    employee's HK rating [firm]. The default mapping (Istimewa -> di_atas, Baik -> sesuai, Butuh
    Perbaikan / Kurang / Sangat Kurang -> di_bawah) is the reading of the regulation's annex [likely];
    pass ``mapping`` to use another.

    Parameters
    ----------
    predikat_organisasi
        Unit predikat (Series, array, list or one value): Istimewa, Baik, Butuh Perbaikan, Kurang or
        Sangat Kurang, case and spacing ignored.
    mapping
        Org predikat -> rating for all five org predikat; default :data:`HASIL_KERJA_PIMPINAN`.

    Returns
    -------
    Series
        Ordered categorical over ``schema.RATING`` named ``rating_hasil_kerja``; missing stays missing.

    Examples
    --------
    >>> hasil_kerja_pimpinan(["Istimewa", "baik", "KURANG"]).tolist()
    ['di_atas', 'sesuai', 'di_bawah']
    """
    table = dict(HASIL_KERJA_PIMPINAN if mapping is None else mapping)
    if set(table) != set(PREDIKAT_ORGANISASI) or not set(table.values()) <= set(schema.RATING):
        raise KinerjaDataError(
            f"mapping must give each of {list(PREDIKAT_ORGANISASI)} one rating of {list(schema.RATING)}; got {table!r}."
        )
    org = _canonical(_as_series(predikat_organisasi, name=_ORGANISASI.name), _ORGANISASI, table="unit")
    dtype = schema.category_dtype("kinerja", "rating_hasil_kerja")
    return _lookup(org, table).astype(dtype).rename("rating_hasil_kerja")


def _period_order(periode: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Kind ('bulan' or 'triwulan') and end month of each periodic row; raise on unknown labels."""
    keys = _normalized(periode)
    month = pd.to_numeric(keys.where(keys.str.fullmatch(r"\d{1,2}")), errors="coerce")
    quarter = pd.to_numeric(keys.str.extract(r"^(?:q|tw|triwulan)([1-4])$", expand=False), errors="coerce")
    is_month = month.between(1, 12)
    bad = ~is_month & quarter.isna()
    if bad.any():
        raise KinerjaDataError(
            f"kinerja.periode has unknown labels {sorted(set(periode[bad].astype('str')))[:10]} at rows "
            f"{_rows(bad)}. Use 'tahunan', a month '01'..'12' or a quarter 'Q1'..'Q4'."
        )
    kind = pd.Series(np.where(is_month, "bulan", "triwulan"), index=periode.index)
    return kind, month.where(is_month, quarter * 3)


_RULE_TEXT = {
    "mode": "most frequent periodic predikat, ties to the lower",
    "last": "predikat of the last period",
    "worst": "lowest periodic predikat",
    "median": "ordered median of the periodic predikat, lower middle for an even count",
}


def predikat_tahunan(kinerja: pd.DataFrame, *, rule: AnnualRule = "mode") -> pd.DataFrame:
    """Annual predikat formed from monthly or quarterly appraisals.

    PermenPANRB 6/2022 makes evaluation periodic and annual but does not say how periodic predikat
    add up to the annual one [open], hence ``rule``:

    - ``"mode"`` (default): the most frequent predikat; a tie goes to the lower one.
    - ``"last"``: the predikat of the latest period (month, or quarter end).
    - ``"worst"``: the lowest predikat of the year.
    - ``"median"``: the ordered median; with an even count, the lower of the two middle ones.

    Parameters
    ----------
    kinerja
        Rows with ``nip``, ``tahun``, ``periode`` ('01'..'12' or 'Q1'..'Q4'; 'tahunan' rows are left
        out) and ``predikat``, or, without ``predikat``, the two ratings (see :func:`predikat`).
        Periods missing a predikat are skipped. One employee-year cannot mix months and quarters.
    rule
        How the annual predikat is formed [open].

    Returns
    -------
    DataFrame
        One row per ``nip`` and ``tahun``: ``predikat`` (ordered categorical, missing when no period
        has one), ``n_periode`` (periods with a predikat) and ``method``.

    Examples
    --------
    >>> k = pd.DataFrame({"nip": ["198609262015051001"] * 4, "tahun": [2023] * 4,
    ...     "periode": ["Q1", "Q2", "Q3", "Q4"], "predikat": ["Baik", "Sangat Baik", "Sangat Baik", "Baik"]})
    >>> predikat_tahunan(k).predikat.tolist(), predikat_tahunan(k, rule="last").predikat.tolist()
    (['Baik'], ['Baik'])
    """
    check_option("rule", rule, _RULE_TEXT)
    missing = [c for c in ("nip", "tahun", "periode") if c not in kinerja.columns]
    has_ratings = {"rating_hasil_kerja", "rating_perilaku_kerja"} <= set(kinerja.columns)
    if "predikat" not in kinerja.columns and not has_ratings:
        missing.append("predikat (or rating_hasil_kerja and rating_perilaku_kerja)")
    if missing:
        raise MissingColumnError(f"table kinerja lacks column(s) {missing}, needed for the annual predikat.")
    periodic = kinerja.loc[_normalized(kinerja["periode"]) != "tahunan"]
    keys = ["nip", "tahun"]
    no_key = periodic[keys].isna().any(axis=1)
    if no_key.any():
        raise KinerjaDataError(f"kinerja rows {_rows(no_key)} lack nip or tahun; complete or remove them.")
    if "predikat" in periodic.columns:
        values = _canonical(periodic["predikat"], _PREDIKAT)
    else:
        values = predikat(periodic["rating_hasil_kerja"], periodic["rating_perilaku_kerja"])
    kind, order = _period_order(periodic["periode"])
    df = pd.DataFrame({"nip": periodic["nip"], "tahun": periodic["tahun"], "kind": kind, "order": order,
                       "code": _codes(values, schema.PREDIKAT)})  # fmt: skip
    duplicated = df.duplicated(keys + ["kind", "order"], keep=False)
    if duplicated.any():
        raise KinerjaDataError(f"kinerja has the same nip, tahun and periode twice at rows {_rows(duplicated)}.")
    mixed = df.groupby(keys)["kind"].transform("nunique") > 1
    if mixed.any():
        raise KinerjaDataError(
            f"kinerja rows {_rows(mixed)} mix monthly and quarterly periods within one employee-year; "
            "keep one kind of period per employee and year."
        )
    groups = df[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
    valid = df.loc[df["code"] >= 0]
    grouped = valid.groupby(keys)["code"]
    if rule == "worst":
        code = grouped.min()
    elif rule == "last":
        code = valid.sort_values(keys + ["order"]).groupby(keys)["code"].last()
    elif rule == "median":
        code = grouped.quantile(0.5, interpolation="lower")
    else:
        counts = valid.groupby(keys + ["code"]).size().rename("count").reset_index()
        counts = counts.sort_values(keys + ["count", "code"], ascending=[True, True, False, True])
        code = counts.drop_duplicates(keys).set_index(keys)["code"]
    out = groups.merge(code.rename("code").reset_index(), on=keys, how="left")
    out = out.merge(grouped.size().rename("n_periode").reset_index(), on=keys, how="left")
    codes = out["code"].fillna(-1).astype(np.int8).to_numpy()
    out["predikat"] = pd.Categorical.from_codes(codes, dtype=schema.category_dtype("kinerja", "predikat"))
    out["n_periode"] = out["n_periode"].fillna(0).astype("int64")
    out["method"] = f"predikat_tahunan rule={rule}: {_RULE_TEXT[rule]} [open]"
    return out[["nip", "tahun", "predikat", "n_periode", "method"]]
