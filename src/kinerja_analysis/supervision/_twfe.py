"""The one regression behind :func:`~kinerja_analysis.supervision.feedback_to_appraisal`: a slope within units.

OLS of y on x with unit and year dummies, errors clustered by unit (statsmodels ``cov_type="cluster"``:
CR1 with the factor G / (G - 1) x (N - 1) / (N - K), K counting the slope, the intercept and every
dummy, as Stata's ``regress y x i.unit i.year, vce(cluster unit)``), and Student t with G - 1 degrees
of freedom, as few clusters need. Cases that cannot be estimated return a reason instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

__all__ = ["MIN_UNITS", "Slope", "within_slope"]

MIN_UNITS = 3
"""Fewest units (clusters) with complete rows for which a slope and its clustered error are reported."""
_TOLERANCE = 1e-10


@dataclass(frozen=True)
class Slope:
    """The slope of y on x within units and years, with its sample; NaN and a ``note`` when not estimable."""

    n: int
    n_units: int
    n_years: int
    years: tuple[int, ...]
    estimate: float = np.nan
    std_error: float = np.nan
    ci_low: float = np.nan
    ci_high: float = np.nan
    p_value: float = np.nan
    response_mean: float = np.nan
    signal_within_sd: float = np.nan
    note: str = ""


def _fixed_effects(unit: pd.Series, year: pd.Series) -> np.ndarray:
    """Intercept plus unit and year dummies (first level of each dropped), as a float matrix."""
    keys = pd.DataFrame({"unit": unit.astype("str").to_numpy(), "year": year.astype("str").to_numpy()})
    dummies = pd.get_dummies(keys, columns=["unit", "year"], drop_first=True, dtype="float64")
    return np.column_stack([np.ones(len(keys)), dummies.to_numpy()])


def within_slope(y: pd.Series, x: pd.Series, unit: pd.Series, year: pd.Series, *, alpha: float) -> Slope:
    """Two-way fixed-effects OLS slope of ``y`` on ``x`` (rows with any value missing are left out)."""
    frame = pd.DataFrame({
        "y": pd.to_numeric(y, errors="coerce").astype("float64").to_numpy(),
        "x": pd.to_numeric(x, errors="coerce").astype("float64").to_numpy(),
        "unit": unit.to_numpy(), "year": year.to_numpy(),
    })  # fmt: skip
    frame = frame.loc[frame.notna().all(axis=1)].reset_index(drop=True)
    years = tuple(sorted(int(t) for t in frame["year"].unique()))
    n, n_units = len(frame), int(frame["unit"].nunique())
    sample = {"n": n, "n_units": n_units, "n_years": len(years), "years": years}
    if n_units < MIN_UNITS:
        return Slope(**sample, note=f"{n_units} unit(s) with both values; at least {MIN_UNITS} are needed for a "
                     "slope within units with errors clustered by unit")  # fmt: skip
    mean = float(frame["y"].mean())
    if len(years) < 2:
        return Slope(**sample, response_mean=mean, note="one year only: no change within units to relate")
    fe = _fixed_effects(frame["unit"], frame["year"])
    xv, yv = frame["x"].to_numpy(), frame["y"].to_numpy()
    rank = np.linalg.matrix_rank(fe)
    residual_x = xv - fe @ np.linalg.lstsq(fe, xv, rcond=None)[0]
    within_ss = float(residual_x @ residual_x)
    total_ss = float(((xv - xv.mean()) ** 2).sum())
    if within_ss <= _TOLERANCE * max(total_ss, 1.0):
        return Slope(**sample, response_mean=mean, signal_within_sd=0.0,
                     note="no within-unit variation of the signal once unit and year effects are removed")  # fmt: skip
    within_sd = float(np.sqrt(within_ss / (n - rank)))
    if n - rank - 1 < 1:
        return Slope(**sample, response_mean=mean, signal_within_sd=within_sd,
                     note="no residual degrees of freedom: as many parameters as unit-years")  # fmt: skip
    groups = pd.factorize(frame["unit"])[0]
    model = sm.OLS(yv, np.column_stack([xv, fe]))
    with np.errstate(divide="ignore", invalid="ignore"):
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        low, high = fit.conf_int(alpha=alpha)[0]
        return Slope(
            **sample, estimate=float(fit.params[0]), std_error=float(fit.bse[0]), ci_low=float(low),
            ci_high=float(high), p_value=float(fit.pvalues[0]), response_mean=mean, signal_within_sd=within_sd,
        )  # fmt: skip
