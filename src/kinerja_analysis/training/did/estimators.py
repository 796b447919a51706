"""The two-group, two-period difference-in-differences estimators behind each ATT(g,t), with influence functions.

For one cell the sample is the units of cohort g (D = 1) and their comparison units (D = 0), the outcome
is the change ``dy`` between the base period and period t, and ``x`` holds the covariates of the earlier
of the two periods with a leading intercept column. Each estimator returns the ATT and its influence
function on that sample (the ``att.inf.func`` of R's DRDID package), so that the caller can rescale and
stack them. Formulas follow Sant'Anna & Zhao (2020) as implemented in DRDID 1.2 (``drdid_panel``,
``std_ipw_did_panel``, ``reg_did_panel``) with its propensity trimming: scores capped at 1 - 1e-6,
comparison units with a score above 0.995 given no weight, and (as R's ``did`` 2.5) a cell refused when
the highest score reaches 0.999 (no overlap).

>>> import numpy as np
>>> dy = np.array([1.0, 2.0, 0.0, 1.0]); d = np.array([True, True, False, False])
>>> att, inf = two_by_two(dy, d, None, method="dr")
>>> float(att), [float(v) for v in inf]
(1.0, [-1.0, 1.0, 1.0, -1.0])
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy.special import expit

__all__ = ["Method", "CellFailure", "PropensityScore", "propensity_score", "two_by_two"]

PropensityScore = tuple[np.ndarray, np.ndarray, "_LinearRep"]
"""Capped scores, trimming indicator and the score's linear representation."""

Method = Literal["dr", "reg", "ipw"]
_PS_CAP = 1 - 1e-6
_TRIM = 0.995
_OVERLAP = 0.999


class CellFailure(Exception):
    """One ATT(g,t) cannot be estimated; the message says why (it becomes the cell's ``note``)."""


def _logit(x: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Fitted probabilities of a maximum-likelihood logit of d on x (Newton with step halving)."""
    p_bar = d.mean()
    beta = np.zeros(x.shape[1])
    beta[0] = np.log(p_bar / (1 - p_bar))
    target = d.astype(float)

    def loglik(b: np.ndarray) -> float:
        eta = x @ b
        return float(np.sum(target * eta - np.logaddexp(0.0, eta)))

    current = loglik(beta)
    for _ in range(100):
        p = expit(x @ beta)
        info = x.T @ ((p * (1 - p))[:, None] * x)
        try:
            step = np.linalg.solve(info, x.T @ (target - p))
        except np.linalg.LinAlgError as error:
            raise CellFailure(
                "the propensity-score design is singular (a covariate is constant or collinear)"
            ) from error
        size = 1.0
        while size > 1e-8:
            trial = beta + size * step
            value = loglik(trial)
            if value >= current - 1e-12 * abs(current):
                break
            size /= 2
        beta, current = trial, value
        if np.max(np.abs(size * step)) < 1e-11 * (1 + np.max(np.abs(beta))):
            return expit(x @ beta)
    raise CellFailure("the propensity-score logit did not converge (covariates separate treated from comparison units)")


class _LinearRep:
    """The influence of estimated coefficients, psi_i = r_i x_i' A (n x k), applied to k-vectors without forming it.

    For OLS r is the comparison units' residual and A = (X_c'X_c / n)^-1; for the logit r = d - p and
    A = n (X'WX)^-1. The estimators only need psi @ m for a few k-vectors m, which is r * (x @ (A m)).
    """

    def __init__(self, x: np.ndarray, r: np.ndarray, a: np.ndarray) -> None:
        self.x, self.r, self.a = x, r, a

    def times(self, m: np.ndarray) -> np.ndarray:
        return self.r * (self.x @ (self.a @ m))


def _ols_rep(x: np.ndarray, dy: np.ndarray, control: np.ndarray) -> tuple[np.ndarray, _LinearRep]:
    """Outcome regression of dy on x among comparison units: fitted values for all, and its linear representation."""
    weights = control.astype(float)
    gram = x.T @ (weights[:, None] * x)
    if np.linalg.cond(gram) > 1 / np.finfo(float).eps:
        raise CellFailure("the outcome-regression design of the comparison units is singular")
    beta = np.linalg.solve(gram, x.T @ (weights * dy))
    fitted = x @ beta
    return fitted, _LinearRep(x, weights * (dy - fitted), np.linalg.inv(gram / len(dy)))


def propensity_score(x: np.ndarray, d: np.ndarray) -> PropensityScore:
    """Logit propensity score of one cell's sample; depends on the sample and covariates, not on the outcome.

    Cells of one cohort often share both (never-treated comparison, time-invariant covariates), so the
    caller may fit it once and pass it to :func:`two_by_two`.
    """
    raw = _logit(x, d)
    if raw.max() >= _OVERLAP:
        raise CellFailure(f"overlap fails: a propensity score reaches {_OVERLAP}")
    ps = np.minimum(raw, _PS_CAP)
    keep = np.where(d, ps < 1.01, ps < _TRIM)
    info = x.T @ ((ps * (1 - ps))[:, None] * x)
    return ps, keep, _LinearRep(x, d - ps, np.linalg.inv(info) * len(d))


def _no_covariates(dy: np.ndarray, d: np.ndarray) -> tuple[float, np.ndarray]:
    """Closed form when x is the intercept alone: every method reduces to a difference of means."""
    n = len(dy)
    n1 = int(d.sum())
    m1 = dy[d].mean()
    m0 = dy[~d].mean()
    inf = np.where(d, (dy - m1) * (n / n1), -(dy - m0) * (n / (n - n1)))
    return float(m1 - m0), inf


def two_by_two(
    dy: np.ndarray, d: np.ndarray, x: np.ndarray | None, *, method: Method, pscore: PropensityScore | None = None
) -> tuple[float, np.ndarray]:
    """ATT and influence function of one 2x2 comparison.

    Parameters
    ----------
    dy
        Outcome change of each unit in the cell's sample.
    d
        True for units of the treated cohort, False for comparison units; both must occur.
    x
        Covariates with a leading column of ones, or None for none.
    method
        ``"dr"`` (doubly robust, improved locally efficient), ``"ipw"`` (normalised inverse probability
        weighting) or ``"reg"`` (outcome regression).
    pscore
        :func:`propensity_score` of (x, d) if already fitted.
    """
    d = np.asarray(d, dtype=bool)
    n_treated = int(d.sum())
    if n_treated == 0 or n_treated == len(d):
        raise CellFailure("the cell has no treated or no comparison units")
    if x is None or x.shape[1] == 1:
        return _no_covariates(dy, d)
    if n_treated < 2 or len(d) - n_treated <= x.shape[1]:
        raise CellFailure("too few units for the covariates")
    control = ~d
    df = d.astype(float)
    if method == "reg":
        fitted, ols_rep = _ols_rep(x, dy, control)
        p1 = df.mean()
        att_treat = np.mean(df * dy) / p1
        att_cont = np.mean(df * fitted) / p1
        inf_treat = df * (dy - att_treat) / p1
        inf_control = (df * (fitted - att_cont) + ols_rep.times(df @ x / len(df))) / p1
        return float(att_treat - att_cont), inf_treat - inf_control

    ps, keep, ps_rep = pscore if pscore is not None else propensity_score(x, d)
    w_treat = keep * df
    w_cont = keep * ps * (1 - df) / (1 - ps)
    if method == "ipw":
        eta_treat = np.mean(w_treat * dy) / np.mean(w_treat)
        eta_cont = np.mean(w_cont * dy) / np.mean(w_cont)
        inf_treat = w_treat * (dy - eta_treat) / np.mean(w_treat)
        m2 = (w_cont * (dy - eta_cont)) @ x / len(dy)
        inf_control = (w_cont * (dy - eta_cont) + ps_rep.times(m2)) / np.mean(w_cont)
        return float(eta_treat - eta_cont), inf_treat - inf_control

    fitted, ols_rep = _ols_rep(x, dy, control)
    resid = dy - fitted
    eta_treat = np.mean(w_treat * resid) / np.mean(w_treat)
    eta_cont = np.mean(w_cont * resid) / np.mean(w_cont)
    n = len(dy)
    inf_treat = (w_treat * (resid - eta_treat) - ols_rep.times(w_treat @ x / n)) / np.mean(w_treat)
    m2 = (w_cont * (resid - eta_cont)) @ x / n
    inf_control = (w_cont * (resid - eta_cont) + ps_rep.times(m2) - ols_rep.times(w_cont @ x / n)) / np.mean(w_cont)
    return float(eta_treat - eta_cont), inf_treat - inf_control
