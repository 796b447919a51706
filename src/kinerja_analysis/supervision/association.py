"""Does a unit's appraisal (or service) move when what its citizens say moves? A slope within units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.feedback import ECOLOGICAL_NOTE
from kinerja_analysis.supervision._inputs import require_columns, years_text
from kinerja_analysis.supervision._twfe import MIN_UNITS, within_slope

__all__ = ["Lag", "ASSOCIATION_COLUMNS", "feedback_to_appraisal"]

Lag = Literal[0, 1]
_LAGS = (0, 1)
_ANALYSIS = "feedback_to_appraisal"

ASSOCIATION_COLUMNS = ("signal", "response", "lag", "n", "n_units", "n_years", "estimate", "std_error", "ci_low",
                       "ci_high", "p_value", "response_mean", "signal_within_sd", "note", "method")  # fmt: skip


def _names(value: str | Sequence[str], option: str) -> list[str]:
    names = [value] if isinstance(value, str) else list(value)
    if not names or not all(isinstance(v, str) for v in names):
        raise InvalidOptionError(f"{option}={value!r} is not allowed; name one column or a list of columns.")
    return list(dict.fromkeys(names))


def _lags(lag: Lag | Sequence[Lag]) -> list[int]:
    lags = [lag] if isinstance(lag, int | np.integer) else list(lag)
    for value in lags:
        if isinstance(value, bool):
            raise InvalidOptionError(f"lag={value!r} is not allowed; choose one of 0, 1.")
        check_option("lag", value, _LAGS)
    if not lags:
        raise InvalidOptionError("lag is empty; choose 0, 1 or both.")
    return [int(v) for v in dict.fromkeys(lags)]


def _panel(signals: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """unit_id, tahun (int64) and the value columns (float64), one row per unit-year."""
    for column in columns:
        values = signals[column]
        if not (pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)):
            raise KinerjaDataError(f"{_ANALYSIS}: column {column!r} of the signals table is not numeric.")
    panel = signals[["unit_id", "tahun", *columns]].copy()
    panel = panel.loc[panel["unit_id"].notna() & panel["tahun"].notna()]
    years = pd.to_numeric(panel["tahun"], errors="coerce")
    if years.isna().any() or (years != np.floor(years)).any():
        raise KinerjaDataError(f"{_ANALYSIS}: tahun must hold whole years in every row of the signals table.")
    panel["tahun"] = years.astype("int64")
    if panel.duplicated(["unit_id", "tahun"]).any():
        raise KinerjaDataError(
            f"{_ANALYSIS}: the signals table has more than one row per unit_id and tahun; pass the output of "
            "unit_year_signals (one row per unit and year)."
        )
    return panel.astype(dict.fromkeys(columns, "float64")).reset_index(drop=True)


def _method(signal: str, response: str, lag: int, years: Sequence[int], n_units: int, alpha: float) -> str:
    when = "the previous year's " if lag else "the same year's "
    df = f"t({n_units - 1})" if n_units >= MIN_UNITS else "t(G - 1)"
    return (
        f"OLS of {response} on {when}{signal} with unit and year fixed effects (dummies, statsmodels), unit-years "
        f"{years_text(years)} unweighted (PermenPANRB 6/2022 predikat years only); SE clustered by unit (CR1, "
        f"G/(G-1) x (N-1)/(N-K)), {100 * (1 - alpha):g}% {df} interval; observational within-unit association, "
        f"not an effect of feedback on appraisal. {ECOLOGICAL_NOTE}"
    )


def feedback_to_appraisal(
    signals: pd.DataFrame,
    *,
    signal: str | Sequence[str] = "ikm",
    response: str | Sequence[str] = "top_share",
    lag: Lag | Sequence[Lag] = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Whether a unit's response (its share of Sangat Baik, its SLA share) moves when its signal moves.

    For each signal and response, a two-way fixed-effects regression on the unit-years of
    :func:`kinerja_analysis.supervision.unit_year_signals`:

        response[u, t] = a[u] + b[t] + beta x signal[u, t - lag] + e[u, t]

    The unit effects a[u] take out everything fixed about a unit (its services, size, clientele, how
    leniently it rates), the year effects b[t] what changed for all units at once (a new regulation, a
    city-wide push), so beta says how much the response moves, within a unit, with a one-point move of
    the signal beyond the year's common change. ``lag=1`` relates this year's response to last year's
    signal (an appraisal written after the year's survey). Standard errors are clustered by unit (CR1,
    statsmodels, factor G / (G - 1) x (N - 1) / (N - K), K counting every dummy; the same as Stata's
    ``regress y x i.unit i.year, vce(cluster unit)`` or R's ``lm`` with ``sandwich::vcovCL(type="HC1")``),
    with Student t on G - 1 degrees of freedom. Each unit-year counts once (unweighted).

    This is an observational association between units' figures (ecological, see
    :data:`kinerja_analysis.feedback.ECOLOGICAL_NOTE`): a slope says neither that feedback changed any
    rating nor anything about one employee. With several rows, p-values are not adjusted for multiplicity.

    Parameters
    ----------
    signals
        One row per ``unit_id`` and ``tahun`` with the signal and response columns (the output of
        :func:`unit_year_signals`). Rows where a value is missing (withheld) are left out. Not modified.
    signal, response
        Column names, or lists of them: ``ikm``, ``complaints_per_1000``, ``sla_share``, ``hari_median``,
        ``top_share`` or any other numeric column. One row per pair; a pair naming the same column
        twice is skipped.
    lag
        0 (default: the same year), 1 (the previous year's signal), or a list of both.
    alpha
        1 - confidence level of the interval.

    Returns
    -------
    DataFrame
        One row per signal, response and lag, in that order:

        - ``signal``, ``response``, ``lag``;
        - ``n`` (unit-years used), ``n_units`` (clusters), ``n_years``;
        - ``estimate``: change in the response per 1 unit of the signal (per IKM point; per complaint per
          1,000 files; per 1.0 of a share, so 0.1 of SLA share moves the response by estimate / 10);
        - ``std_error``, ``ci_low``, ``ci_high``, ``p_value`` (two-sided, t on G - 1 df);
        - ``response_mean``: the response's mean over the rows used, to read "x out of a mean of y";
        - ``signal_within_sd``: the typical movement of the signal within a unit (standard deviation of
          its residual from unit and year effects), so estimate x signal_within_sd is a typical move;
        - ``note``: why the estimate is missing ("" when it is not): fewer than 3 units, one year, or
          no within-unit variation of the signal;
        - ``method``: model, clustering, years and the caveat.

    Raises
    ------
    MissingColumnError
        When ``signals`` lacks ``unit_id``, ``tahun`` or a named column.
    KinerjaDataError
        When a named column is not numeric, or a unit and year appear twice.

    Examples
    --------
    >>> s = pd.DataFrame({"unit_id": list("AAABBBCCC"), "tahun": [2022, 2023, 2024] * 3,
    ...                   "ikm": [70, 75, 80, 60, 62, 70, 80, 78, 85],
    ...                   "top_share": [0.10, 0.16, 0.20, 0.00, 0.02, 0.10, 0.20, 0.18, 0.25]})
    >>> r = feedback_to_appraisal(s)
    >>> r[["signal", "response", "n", "n_units"]].values.tolist()
    [['ikm', 'top_share', 9, 3]]
    >>> round(float(r["estimate"].iloc[0]), 4)
    0.0111
    """
    alpha = check_alpha(alpha)
    signal_names, response_names, lags = _names(signal, "signal"), _names(response, "response"), _lags(lag)
    columns = list(dict.fromkeys([*signal_names, *response_names]))
    require_columns(signals, "signals", ["unit_id", "tahun", *columns], analysis=_ANALYSIS)
    panel = _panel(signals, columns)
    rows = []
    for s in signal_names:
        for r in response_names:
            if s == r:
                continue
            for k in lags:
                x = panel[["unit_id", "tahun", s]]
                if k:
                    x = x.assign(tahun=x["tahun"] + k)
                data = panel[["unit_id", "tahun", r]].merge(x, on=["unit_id", "tahun"], how="left")
                fit = within_slope(data[r], data[s], data["unit_id"], data["tahun"], alpha=alpha)
                rows.append({
                    "signal": s, "response": r, "lag": k, "n": fit.n, "n_units": fit.n_units, "n_years": fit.n_years,
                    "estimate": fit.estimate, "std_error": fit.std_error, "ci_low": fit.ci_low, "ci_high": fit.ci_high,
                    "p_value": fit.p_value, "response_mean": fit.response_mean,
                    "signal_within_sd": fit.signal_within_sd, "note": fit.note,
                    "method": _method(s, r, k, fit.years, fit.n_units, alpha),
                })  # fmt: skip
    if not rows:
        raise KinerjaDataError(f"{_ANALYSIS}: every signal/response pair names the same column twice.")
    out = pd.DataFrame(rows, columns=list(ASSOCIATION_COLUMNS))
    out = out.astype({"n": "int64", "n_units": "int64", "n_years": "int64", "lag": "int64"})
    return out.astype({c: "str" for c in ("signal", "response", "note", "method")})
