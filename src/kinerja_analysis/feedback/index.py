"""The satisfaction index (IKM, PermenPANRB 14/2017) per group, with its interval and grade."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.inference import t_interval
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.feedback.rules import (
    REGIMES,
    Regime,
    Weight,
    check_cutoffs,
    ikm_grade,
    item_weight,
    krejcie_morgan,
)
from kinerja_analysis.feedback.survey_frame import SurveiInput, aggregate_items, as_by, survey_scan

__all__ = ["ikm"]

_WEIGHT_LABEL = {"exact": None, "0.111": "0.111", "0.11": "0.11", "0.071": "0.071"}


def _population(
    population: float | pd.DataFrame | None, groups: pd.DataFrame, by: tuple[str, ...]
) -> np.ndarray | None:
    if population is None:
        return None
    if isinstance(population, pd.DataFrame):
        need = [*by, "populasi"]
        missing = [c for c in need if c not in population.columns]
        if not by or missing:
            raise MissingColumnError(
                "population: a table of service users needs the grouping columns and 'populasi' "
                f"(missing: {', '.join(missing) or 'grouping columns; with by=None give a number'})."
            )
        if population.duplicated(list(by)).any():
            raise KinerjaDataError(
                f"population: more than one 'populasi' for some {', '.join(by)}; give one per group."
            )
        keys = population[list(by)].copy()
        for c in by:  # align key dtypes with the groups so that the merge matches 2024 with 2024
            if keys[c].dtype != groups[c].dtype:
                keys[c] = keys[c].astype(groups[c].dtype)
        keyed = keys.assign(populasi=pd.to_numeric(population["populasi"], errors="coerce").to_numpy())
        values = groups[list(by)].merge(keyed, on=list(by), how="left")["populasi"].to_numpy(dtype=float)
    elif isinstance(population, (int, float, np.integer, np.floating)) and not isinstance(population, bool):
        values = np.full(len(groups), float(population))
    else:
        raise InvalidOptionError("population must be a number of service users or a DataFrame with 'populasi'.")
    known = ~np.isnan(values)
    if (values[known] < 1).any() or (values[known] != np.floor(values[known])).any():
        raise KinerjaDataError("population: 'populasi' must be whole numbers of service users, at least 1.")
    too_small = known & (values < groups["n"].to_numpy())
    if too_small.any():
        first = groups.loc[too_small].head(3)
        raise KinerjaDataError(
            f"population: {int(too_small.sum())} group(s) have more complete responses than service users "
            f"(e.g. {first[list(by)].to_dict('records') if by else 'the whole table'}); check 'populasi'."
        )
    return values


def _grade_certain(low: pd.Series, high: pd.Series, regime: Regime, cutoffs: Sequence[float] | None) -> pd.array:
    """Whether both ends of each interval fall in one grade (missing where there is no interval)."""
    grade = {"regime": regime, "cutoffs": None if regime == "permenpanrb_14_2017" else cutoffs}
    low_grade, high_grade = (ikm_grade(v.to_numpy(), **grade)["mutu"].to_numpy() for v in (low, high))
    same = low_grade == high_grade
    return pd.array(np.where(low.isna() | high.isna(), None, same), dtype="boolean")


def ikm(
    survei: SurveiInput,
    *,
    by: str | Sequence[str] | None = None,
    weight: Weight = "exact",
    population: float | pd.DataFrame | None = None,
    alpha: float = 0.05,
    regime: Regime = "permenpanrb_14_2017",
    cutoffs: Sequence[float] | None = None,
    date_column: str = "tanggal",
) -> pd.DataFrame:
    """Indeks Kepuasan Masyarakat per group: item NRR, the index, its interval, mutu and kinerja unit.

    NRR of an item = mean answer (1-4); IKM = sum over items of NRR x weight x 25 (PermenPANRB 14/2017).
    With exact weights the IKM equals the mean of the per-respondent index (mean of a respondent's
    answers x 25), so its interval is a Student t interval for that mean; with the rounded weights every
    per-respondent value is scaled by k x weight and so is the interval. The grade is read from the
    value rounded half up to two decimals, as published (64.99999999999999 is 65.00, grade C).

    Parameters
    ----------
    survei
        The ``survei`` table: u1..u9 answered 1-4 (u1..u14 for the 2004 regime), blanks allowed. A pandas
        frame, a DuckDB relation, or the path (``str`` or ``os.PathLike``) of a Parquet file or of a folder of
        ``*.parquet`` files: the fastest route for national files (read in record batches, never whole; same
        result as ``duckdb.read_parquet(path)``). Not modified.
    by
        Grouping columns, e.g. ``("unit_id", "tahun")``; ``tahun``, ``semester``, ``triwulan`` and ``bulan``
        are derived from ``date_column`` when the table has no such column. None: one row for the table.
    weight
        ``"exact"`` (1/9, the default), ``"0.111"`` or ``"0.11"`` as reports print it (2004 regime:
        ``"exact"`` = 1/14 or ``"0.071"``). With 0.11 the maximum is 99, not 100.
    population
        Number of service users behind the sample (a number, or a DataFrame with the ``by`` columns and
        ``populasi``). When known, the interval has the finite-population correction and the sample is
        checked against Krejcie & Morgan.
    alpha
        1 - confidence level of the interval.
    regime
        ``"permenpanrb_14_2017"`` or, explicitly, ``"kepmenpan_25_2004"`` for 14-item data.
    cutoffs
        Only with the 2004 regime, where they are required: lowest converted value of grades C, B, A.
    date_column
        Date of the response, for derived period keys.

    Returns
    -------
    One row per group, sorted by the keys:

    - the ``by`` columns;
    - ``n``: complete responses used; ``n_incomplete``: responses left out for a blank item (see below);
    - ``nrr_u1`` .. ``nrr_u9``: mean answer per item over the complete responses;
    - ``estimate``: the IKM (25-100); ``ci_low``, ``ci_high``: its interval, kept within the scale;
      missing for a group with one response (``note`` says so);
    - ``ikm_rounded``, ``mutu`` (ordered D < C < B < A), ``kinerja_unit``: the published grade;
    - ``mutu_pasti``: True when both ends of the interval get the same mutu, False when the interval crosses
      a grade boundary (the grade is uncertain: a C whose interval reaches 76.61 may be a B), missing
      without an interval;
    - ``weight`` ("1/9", "0.111", "0.11", "1/14", "0.071") and ``regime``: how the figure was made;
    - ``method``: the interval's method; ``note``: why an interval is missing;
    - with ``population``: ``population``, ``n_required`` (Krejcie & Morgan) and ``sample_adequate``.

    Notes
    -----
    Blanks: a response with any blank item is left out entirely and counted in ``n_incomplete`` (the
    regulation averages each item over "unsur yang terisi"; dropping whole responses instead keeps the
    index equal to the mean of complete per-respondent indices, which the interval needs).
    14-item data is refused unless ``regime="kepmenpan_25_2004"``; the two regimes never share a table.

    Examples
    --------
    >>> s = pd.DataFrame({f"u{i}": [4, 3] for i in range(1, 10)} | {"unit_id": ["A", "A"]})
    >>> r = ikm(s, by="unit_id")
    >>> r[["unit_id", "n", "estimate", "mutu", "kinerja_unit", "weight"]]
      unit_id  n  estimate mutu kinerja_unit weight
    0       A  2      87.5    B         Baik    1/9
    >>> float(ikm(s, weight="0.11")["estimate"].iloc[0])
    86.625
    """
    check_option("regime", regime, REGIMES)
    w = item_weight(regime, weight)
    grade_cutoffs = check_cutoffs(regime, cutoffs)
    alpha = check_alpha(alpha)
    keys = as_by(by)
    with survey_scan(survei, regime=regime) as scan:
        agg = aggregate_items(scan, by=keys, date_column=date_column)
        items = scan.items
    k = len(items)
    scale = 25 * w  # per-respondent index = scale x (sum of answers)
    n = agg["n"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = {f"nrr_{c}": agg[f"sum_{c}"].to_numpy() / np.where(n > 0, n, np.nan) for c in items}
    estimate = agg["mean_total"].to_numpy(dtype=float) * scale
    var = agg["var_total"].to_numpy(dtype=float) * scale**2
    big_n = _population(population, agg, keys)
    _, low, high = t_interval(estimate, var, n, alpha=alpha, population=big_n)
    lowest, highest = k * scale, 4 * k * scale
    out = agg[list(keys)].copy()
    out["n"] = n
    out["n_incomplete"] = agg["n_rows"].to_numpy() - n
    for name, values in nrr.items():
        out[name] = values
    out["estimate"] = estimate
    out["ci_low"] = np.clip(low, lowest, highest)
    out["ci_high"] = np.clip(high, lowest, highest)
    grades = ikm_grade(estimate, regime=regime, cutoffs=None if regime == "permenpanrb_14_2017" else grade_cutoffs)
    for col in grades.columns:
        out[col] = grades[col].to_numpy()
    out["mutu_pasti"] = _grade_certain(out["ci_low"], out["ci_high"], regime, grade_cutoffs)
    out["weight"] = _WEIGHT_LABEL[weight] or f"1/{k}"
    out["regime"] = regime
    fpc = big_n is not None and ~np.isnan(big_n)
    conf = f"{1 - alpha:.0%}"
    out["method"] = np.where(fpc, f"t {conf} on per-respondent indices, finite-population corrected",
                             f"t {conf} on per-respondent indices")  # fmt: skip
    out["note"] = np.select([n == 0, n == 1], ["no complete response", "one complete response: no interval"], "")
    if big_n is not None:
        known = ~np.isnan(big_n)
        required = np.zeros(len(out), dtype=np.int64)
        if known.any():
            required[known] = krejcie_morgan(big_n[known])
        out["population"] = pd.array(np.where(known, big_n, 0).astype(np.int64), dtype="Int64")
        out["n_required"] = pd.array(required, dtype="Int64")
        out["sample_adequate"] = pd.array(n >= required, dtype="boolean")
        out.loc[~known, ["population", "n_required", "sample_adequate"]] = pd.NA
    return out
