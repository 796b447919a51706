"""Standard errors from influence functions: analytic (by unit or cluster), multiplier bootstrap, Wald pre-test.

With psi the n-unit influence function of an estimate (R's convention, mean zero), the analytic standard
error is sqrt(sum_i psi_i^2) / n; with clusters it is sqrt(sum_c S_c^2) / n, S_c the sum of psi over the
units of cluster c (R ``did`` 2.5 with ``clustervars`` and ``bstrap = FALSE``).

The multiplier bootstrap (R's ``mboot``) draws one Mammen weight v per cluster (per unit without
clusters) and takes (1/n) sum_c v_c S_c as a draw of the estimate's error; its standard error is the
interquartile range of the draws over that of the standard normal, and a uniform band over the rows of a
table uses the 1 - alpha quantile of max_k |draw_k / se_k|. Draws are made in chunks of units, so
memory stays near B x 20,000 numbers whatever n is.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["cluster_sums", "analytic_se", "bootstrap", "wald_pretest"]

_SQRT5 = np.sqrt(5.0)
_MAMMEN = np.array([-(_SQRT5 - 1) / 2, (_SQRT5 + 1) / 2])
_MAMMEN_P = (_SQRT5 + 1) / (2 * _SQRT5)  # probability of the first value
_CHUNK = 20_000_000  # draws x units per chunk
_TINY = np.sqrt(np.finfo(float).eps) * 10  # R: a standard error at or below this is reported missing


def cluster_sums(influence: np.ndarray, cluster: np.ndarray | None) -> np.ndarray:
    """Sum the influence functions (n x k) within clusters; unchanged when clustering is by unit."""
    if cluster is None:
        return influence
    n_clusters = int(cluster.max()) + 1
    return np.column_stack(
        [np.bincount(cluster, weights=influence[:, j], minlength=n_clusters) for j in range(influence.shape[1])]
    )


def analytic_se(influence: np.ndarray, cluster: np.ndarray | None) -> np.ndarray:
    """Analytic standard error of each column; NaN where the column is NaN or has no variance."""
    n = influence.shape[0]
    sums = cluster_sums(influence, cluster)
    se = np.sqrt(np.einsum("ij,ij->j", sums, sums)) / n
    return np.where(se > _TINY, se, np.nan)


def bootstrap(
    influence: np.ndarray,
    cluster: np.ndarray | None,
    *,
    iterations: int,
    seed: int,
    alpha: float,
    band: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Multiplier-bootstrap standard errors of each column and the uniform-band critical value.

    The band covers the columns where ``band`` is True (all columns when None).
    """
    n = influence.shape[0]
    sums = np.nan_to_num(cluster_sums(influence, cluster))
    rng = np.random.default_rng(seed)
    draws = np.zeros((iterations, sums.shape[1]))
    step = max(1, _CHUNK // iterations)
    for start in range(0, sums.shape[0], step):
        block = sums[start : start + step]
        # v = a + (b - a) B with B ~ Bernoulli(1 - p): one float32 uniform per draw, the product as 0/1
        ones = (rng.random((iterations, len(block)), dtype=np.float32) >= _MAMMEN_P).astype(np.float64)
        draws += _MAMMEN[0] * block.sum(axis=0) + (_MAMMEN[1] - _MAMMEN[0]) * (ones @ block)
    draws /= n
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
    se = (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    se = np.where(se > _TINY, se, np.nan)
    usable = np.isfinite(se) & (True if band is None else band)
    if not usable.any():
        return se, float("nan")
    sup = np.max(np.abs(draws[:, usable] / se[usable]), axis=1)
    return se, float(np.quantile(sup, 1 - alpha, method="inverted_cdf"))


def wald_pretest(estimate: np.ndarray, influence: np.ndarray, cluster: np.ndarray | None) -> tuple[float, int, str]:
    """Wald statistic that all given (pre-treatment) ATT(g,t) are zero, its degrees of freedom and a note.

    W = n att' V^-1 att with V = S'S / n (S the influence functions, summed within clusters), as R's
    ``att_gt`` (``W``, ``Wpval``). Cells with no variance are left out; a singular V gives NaN.
    """
    n = influence.shape[0]
    se = analytic_se(influence, cluster)
    use = np.isfinite(estimate) & np.isfinite(se)
    if not use.any():
        return float("nan"), 0, "no pre-treatment cell to test"
    sums = cluster_sums(influence[:, use], cluster)
    v = sums.T @ sums / n
    if 1 / np.linalg.cond(v, 1) <= np.finfo(float).eps:
        return float("nan"), int(use.sum()), "singular covariance of the pre-treatment cells"
    att = estimate[use]
    return float(n * att @ np.linalg.solve(v, att)), int(use.sum()), ""
