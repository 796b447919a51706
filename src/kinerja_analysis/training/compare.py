"""The naive comparison, TWFE and Callaway & Sant'Anna side by side, so that a reader sees how far the
first two are from the third.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.common.inference import welch
from kinerja_analysis.training.did.cells import Control
from kinerja_analysis.training.did.inputs import Incomplete
from kinerja_analysis.training.did.staggered import staggered_did
from kinerja_analysis.training.twfe import twfe_att

__all__ = ["compare_estimators", "baseline_means"]

_COLUMNS = ("estimator", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "method")


def compare_estimators(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    control: Control = "never_treated",
    alpha: float = 0.05,
    incomplete: Incomplete = "drop",
) -> pd.DataFrame:
    """The effect of training estimated three ways: naive, two-way fixed effects, Callaway & Sant'Anna.

    - ``naive``: mean outcome of treated employee-years (from the cohort on) minus that of all other
      employee-years, Welch's t interval; ignores who gets trained and repeated measures of a person.
    - ``twfe``: :func:`twfe_att` (unit and period fixed effects, SE clustered by unit).
    - ``callaway_santanna``: :func:`staggered_att`, simple aggregation, analytic SE, doubly robust.

    The first two use every row with the outcome; Callaway & Sant'Anna needs a balanced panel and by
    default (``incomplete="drop"``) leaves out incomplete employees, so ``n`` (rows used) differs.

    Returns
    -------
    DataFrame, three rows
        ``estimator``, ``estimate``, ``std_error``, ``ci_low``, ``ci_high``, ``p_value``, ``n``, ``method``.
    """
    for column in (outcome, time, cohort):
        if column not in data.columns:
            raise MissingColumnError(f"compare_estimators: column {column!r} is not in the data.")
    y = pd.to_numeric(data[outcome], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    g = pd.to_numeric(data[cohort], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    t = pd.to_numeric(data[time], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    usable = np.isfinite(y) & np.isfinite(g) & np.isfinite(t)
    treated = (g > 0) & (t >= g)
    a, b = y[usable & treated], y[usable & ~treated]
    if len(a) < 2 or len(b) < 2:
        raise KinerjaDataError("compare_estimators: fewer than two treated or untreated rows with the outcome.")
    naive = welch(
        np.array([b.mean()]), np.array([b.var(ddof=1)]), np.array([len(b)]),
        np.array([a.mean()]), np.array([a.var(ddof=1)]), np.array([len(a)]), alpha=alpha,
    )  # fmt: skip
    rows = [
        {
            "estimator": "naive", "estimate": naive["estimate"][0], "std_error": naive["se"][0],
            "ci_low": naive["ci_low"][0], "ci_high": naive["ci_high"][0], "p_value": naive["p_value"][0],
            "n": int(usable.sum()),
            "method": "difference of mean outcome, treated employee-years minus all others; Welch t interval; "
            "ignores selection into training and repeated measures",
        }
    ]  # fmt: skip
    twfe = twfe_att(data, outcome=outcome, unit=unit, time=time, cohort=cohort, alpha=alpha).iloc[0]
    rows.append({"estimator": "twfe", **{c: twfe[c] for c in _COLUMNS[1:]}})
    fit = staggered_did(
        data, outcome=outcome, unit=unit, time=time, cohort=cohort, control=control, incomplete=incomplete
    )
    cs = fit.table("simple", alpha=alpha).iloc[0]
    rows.append({"estimator": "callaway_santanna", **{c: cs[c] for c in _COLUMNS[1:6]},
                 "n": fit.n_units * len(fit.periods), "method": cs["method"]})  # fmt: skip
    out = pd.DataFrame(rows).loc[:, list(_COLUMNS)]
    out["n"] = out["n"].astype("int64")
    return out


def baseline_means(data: pd.DataFrame, *, outcomes: Sequence[str], treated: str = "treated") -> pd.DataFrame:
    """The mean of each outcome over the rows not (yet) treated: the baseline an effect is read against.

    An effect of -0.48 days means little without the level it changes; this is that level, over every
    employee-year before training (and the never trained), so "0.48 days faster, from a mean of 1.11".

    Returns
    -------
    DataFrame
        One row per outcome: ``outcome``, ``n`` (untreated rows with a value), ``baseline`` (their mean).

    >>> p = pd.DataFrame({"treated": [0, 0, 1], "y": [1.0, 2.0, 9.0]})
    >>> baseline_means(p, outcomes=["y"])
      outcome  n  baseline
    0       y  2       1.5
    """
    missing = [c for c in (treated, *outcomes) if c not in data.columns]
    if missing:
        raise MissingColumnError(f"baseline_means: the panel lacks column(s) {missing}; use employee_year_panel.")
    untreated = data[data[treated] == 0]
    rows = [
        {"outcome": o, "n": int(untreated[o].notna().sum()), "baseline": float(untreated[o].astype("float64").mean())}
        for o in outcomes
    ]
    return pd.DataFrame(rows)
