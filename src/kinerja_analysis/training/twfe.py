"""Two-way fixed effects and the dynamic (event-study) TWFE regression, with pyfixest, for contrast.

With staggered adoption and effects that grow with time since treatment, the static TWFE coefficient is
a weighted average of 2x2 comparisons some of which use already-treated units as controls (Goodman-Bacon
2021), and event-study TWFE leads and lags are contaminated by other periods' effects (Sun & Abraham
2021). They are here to be shown beside :func:`kinerja_analysis.training.did.staggered_att`, so readers see the
bias; they are not the recommended estimate.

Inference: standard errors clustered by unit (CRV1, or by ``cluster``) with the small-sample and
fixed-effect settings stated, not left to defaults: ``pyfixest.ssc(k_adj=True, k_fixef=..., G_adj=True,
G_df="min")``, i.e. the factor (G / (G - 1)) ((N - 1) / (N - K)), where K counts the slope(s) and, with
``k_fixef="nested"`` (fixest's default), the fixed effects not nested in the clusters (the period
effects; unit effects are nested in unit clusters); ``"full"`` counts all of them, ``"none"`` none.
Intervals use Student t with G - 1 degrees of freedom.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd
import pyfixest as pf

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option

__all__ = ["FixefK", "twfe_att", "twfe_event_study"]

FixefK = Literal["nonnested", "full", "none"]
_COLUMNS = ("term", "event_time", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "method")


def _frame(data: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str, cluster: str | None) -> pd.DataFrame:
    """A private copy with the columns the regression needs, complete rows only, under safe names."""
    needed = list(dict.fromkeys([outcome, unit, time, cohort, *([cluster] if cluster else [])]))
    absent = [c for c in needed if c not in data.columns]
    if absent:
        raise MissingColumnError(f"twfe: column(s) {absent} are not in the data; it has {list(data.columns)}.")
    frame = pd.DataFrame({
        "y_": pd.to_numeric(data[outcome], errors="coerce").astype("float64"),
        "unit_": pd.factorize(data[unit])[0], "time_": pd.to_numeric(data[time], errors="coerce"),
        "cohort_": pd.to_numeric(data[cohort], errors="coerce"),
        "cluster_": pd.factorize(data[cluster])[0] if cluster else pd.factorize(data[unit])[0],
    })  # fmt: skip
    frame = frame.loc[frame.notna().all(axis=1) & (frame["unit_"] >= 0) & (frame["cluster_"] >= 0)]
    if frame.empty:
        raise KinerjaDataError(f"twfe: no row has {outcome!r}, {time!r} and {cohort!r} all present.")
    frame = frame.astype({"time_": "int64", "cohort_": "int64"})
    return frame.reset_index(drop=True)


def _fit(formula: str, frame: pd.DataFrame, k_fixef: FixefK, alpha: float) -> pd.DataFrame:
    check_option("k_fixef", k_fixef, ("nonnested", "full", "none"))
    if not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} must lie strictly between 0 and 1 (e.g. 0.05).")
    with warnings.catch_warnings():
        # pyfixest 0.60 calls reset_index(inplace=True), which pandas 3.1 deprecates; not ours to fix
        warnings.filterwarnings("ignore", message="The inplace keyword", category=pd.errors.Pandas4Warning)
        model = pf.feols(
            formula, data=frame, vcov={"CRV1": "cluster_"},
            ssc=pf.ssc(k_adj=True, k_fixef=k_fixef, G_adj=True, G_df="min"), fixef_rm="none",
        )  # fmt: skip
        return model.tidy(alpha=alpha)


def _method(kind: str, k_fixef: FixefK, alpha: float, n_clusters: int, extra: str = "") -> str:
    return (
        f"{kind} with unit and period fixed effects (pyfixest feols){extra}; SE clustered CRV1 on {n_clusters} "
        f"clusters, ssc(k_adj=True, k_fixef='{k_fixef}', G_adj=True, G_df='min'); {100 * (1 - alpha):g}% "
        "t(G-1) intervals; biased under staggered adoption with dynamic effects (compare staggered_att)"
    )


def twfe_att(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    cluster: str | None = None,
    k_fixef: FixefK = "nonnested",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Static TWFE: y_it = a_i + l_t + b D_it + e_it with D_it = 1 from the unit's cohort on.

    Parameters
    ----------
    data
        Long panel, one row per unit and period (unbalanced allowed; rows with missing values are left out).
    outcome, unit, time, cohort
        Column names; ``cohort`` is the first treated period, 0 for never treated (as for ``staggered_att``).
    cluster
        Column to cluster on (default the unit).
    k_fixef
        How fixed effects enter the small-sample factor (module docstring).
    alpha
        1 - confidence level.

    Returns
    -------
    DataFrame, one row
        ``term`` ("treated"), ``event_time`` (missing), ``estimate``, ``std_error``, ``ci_low``,
        ``ci_high``, ``p_value``, ``n`` (rows used) and ``method``.
    """
    frame = _frame(data, outcome, unit, time, cohort, cluster)
    frame["treated_"] = ((frame["cohort_"] > 0) & (frame["time_"] >= frame["cohort_"])).astype("float64")
    if frame["treated_"].nunique() < 2:
        raise KinerjaDataError("twfe_att: no variation in treatment (every row treated, or none).")
    tidy = _fit("y_ ~ treated_ | unit_ + time_", frame, k_fixef, alpha)
    row = tidy.loc["treated_"]
    return pd.DataFrame({
        "term": ["treated"], "event_time": pd.array([pd.NA], dtype="Int64"), "estimate": [row["Estimate"]],
        "std_error": [row["Std. Error"]], "ci_low": [row.iloc[4]], "ci_high": [row.iloc[5]],
        "p_value": [row["Pr(>|t|)"]], "n": [len(frame)],
        "method": [_method("static TWFE", k_fixef, alpha, int(frame["cluster_"].nunique()))],
    }).loc[:, list(_COLUMNS)]  # fmt: skip


def twfe_event_study(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    reference: int = -1,
    cluster: str | None = None,
    k_fixef: FixefK = "nonnested",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Dynamic TWFE: y_it = a_i + l_t + sum_{e != reference} b_e 1{t - cohort_i = e} + e_it.

    Never-treated units have every indicator 0; every observed event time but ``reference`` gets a
    coefficient (no binning). Options as :func:`twfe_att`.

    Returns
    -------
    DataFrame, one row per event time
        ``term`` (``"event"``), ``event_time``, ``estimate``, ``std_error``, ``ci_low``, ``ci_high``,
        ``p_value``, ``n`` (treated rows at that event time) and ``method``; the reference row has
        estimate 0 and no standard error.
    """
    frame = _frame(data, outcome, unit, time, cohort, cluster)
    treated = frame["cohort_"] > 0
    event = np.where(treated, frame["time_"] - frame["cohort_"], np.iinfo(np.int64).min)
    times = np.unique(event[treated.to_numpy()])
    if reference not in times:
        raise KinerjaDataError(f"twfe_event_study: no treated row has event time {reference} (the reference).")
    names = {}
    for e in times[times != reference]:
        name = f"e_{'m' if e < 0 else 'p'}{abs(int(e))}_"
        frame[name] = (event == e).astype("float64")
        names[int(e)] = name
    if not names:
        raise KinerjaDataError("twfe_event_study: only the reference event time is observed.")
    tidy = _fit(f"y_ ~ {' + '.join(names.values())} | unit_ + time_", frame, k_fixef, alpha)
    counts = pd.Series(event[treated.to_numpy()]).value_counts()
    rows = []
    for e in times:
        if e == reference:
            rows.append((int(e), 0.0, np.nan, np.nan, np.nan, np.nan))
            continue
        r = tidy.loc[names[int(e)]]
        rows.append((int(e), r["Estimate"], r["Std. Error"], r.iloc[4], r.iloc[5], r["Pr(>|t|)"]))
    out = pd.DataFrame(rows, columns=["event_time", "estimate", "std_error", "ci_low", "ci_high", "p_value"])
    out.insert(0, "term", "event")
    out["event_time"] = out["event_time"].astype("Int64")
    out["n"] = counts.reindex(times).to_numpy().astype(np.int64)
    extra = f", event-time indicators relative to {reference}"
    out["method"] = _method("event-study TWFE", k_fixef, alpha, int(frame["cluster_"].nunique()), extra)
    return out.loc[:, list(_COLUMNS)]
