"""Merit against seniority in selection: nested conditional logits, likelihood-ratio tests and the share
of the explained log-likelihood that each block carries (general dominance, Shapley).

Everything here is observational: a seniority coefficient says that, among the candidates of one
selection, the more senior were chosen more often than equally scored juniors, not why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.merit.choice_sets import Winners
from kinerja_analysis.merit.design import MERIT_TERMS, SENIORITY_TERMS
from kinerja_analysis.merit.model import (
    Choices,
    ConditionalFit,
    clogit_newton,
    coefficient_table,
    fit_choices,
    prepare_choices,
)

__all__ = ["MeritSeniority", "merit_vs_seniority"]

_MODELS = ("merit_only", "seniority_only", "both")


@dataclass(frozen=True)
class MeritSeniority:
    """Merit against seniority in selection: three nested conditional logits and what they say.

    Attributes
    ----------
    models
        One row per model (``merit_only``, ``seniority_only``, ``both``): ``terms`` (estimable ones),
        ``df``, ``log_likelihood``, ``null_log_likelihood`` (no terms: every candidate equally likely),
        ``mcfadden_r2`` = 1 - LL / LL0, ``aic``, ``n_selections``, ``n_candidates``.
    tests
        Likelihood-ratio tests: ``comparison``, ``lr_stat`` = 2 (LL_big - LL_small), ``df``, ``p_value``
        (chi-square), ``method``.
    shares
        One row per block: ``alone`` (log-likelihood gained over no terms with the block alone),
        ``added_last`` (gained when added to the other block), ``shapley`` (the block's general dominance:
        the mean of the two, see :func:`merit_vs_seniority`), ``share`` (shapley / gain of both blocks),
        with ``ci_low`` / ``ci_high`` for the share (percentile bootstrap over selections) and ``method``.
    coefficients
        The coefficient table of each model (:func:`~kinerja_analysis.merit.model.selection_model`
        columns) with a ``model`` column.
    """

    models: pd.DataFrame
    tests: pd.DataFrame
    shares: pd.DataFrame
    coefficients: pd.DataFrame

    def table(self) -> pd.DataFrame:
        """The coefficients of the full model (both blocks)."""
        return self.coefficients.loc[self.coefficients["model"] == "both"].reset_index(drop=True)

    def summary(self) -> str:
        """The result in plain words, with the numbers behind them."""
        sh = self.shares.set_index("block")
        tests = self.tests.set_index("comparison")
        both = self.models.set_index("model").loc["both"]
        lines = [
            f"Across {int(both['n_selections'])} selections ({int(both['n_candidates'])} candidates), merit and "
            f"seniority together explain {both['mcfadden_r2']:.1%} of the uncertainty about who is chosen "
            "(McFadden R2 over picking at random).",
        ]
        for block in ("merit", "seniority"):
            s = sh.loc[block]
            lines.append(
                f"{block.capitalize()} accounts for {s['share']:.0%} of what the model explains "
                f"(95% bootstrap interval {s['ci_low']:.0%} to {s['ci_high']:.0%})."
                if np.isfinite(s["ci_low"])
                else f"{block.capitalize()} accounts for {s['share']:.0%} of what the model explains."
            )
        claims = (
            ("seniority beyond merit", "Seniority still matters once merit is accounted for"),
            ("merit beyond seniority", "Merit still matters once seniority is accounted for"),
        )
        for name, words in claims:
            p = tests.loc[name, "p_value"]
            verdict = words if p < 0.05 else words.replace("still matters", "adds no clear evidence")
            lines.append(f"{verdict} (likelihood-ratio test p = {p:.2g}).")
        lines.append("This is observational evidence about past decisions, not proof of why they were made.")
        return "\n".join(lines)


def _gain_shares(ll: dict[str, float], ll0: float) -> dict[str, tuple[float, float, float, float]]:
    total = ll["both"] - ll0
    out = {}
    for block, alone_key, other_key in (("merit", "merit_only", "seniority_only"),
                                        ("seniority", "seniority_only", "merit_only")):  # fmt: skip
        alone = ll[alone_key] - ll0
        last = ll["both"] - ll[other_key]
        shapley = (alone + last) / 2
        out[block] = (alone, last, shapley, shapley / total if total > 0 else np.nan)
    return out


def _bootstrap_shares(choices: Choices, blocks: dict[str, list[int]], *, n_boot: int, seed: int) -> np.ndarray:
    """Shares of merit in ``n_boot`` resamples of whole selections (one-winner designs: fast Newton fits)."""
    rng = np.random.default_rng(seed)
    sizes = np.diff(np.append(choices.starts, len(choices.y)))
    shares = np.full(n_boot, np.nan)
    for b in range(n_boot):
        pick = rng.integers(0, choices.n_selections, choices.n_selections)
        rows = np.concatenate([np.arange(choices.starts[g], choices.starts[g] + sizes[g]) for g in pick])
        starts = np.r_[0, np.cumsum(sizes[pick])[:-1]]
        y = choices.y[rows]
        ll0 = -float(np.log(sizes[pick]).sum())
        ll = {}
        for model, cols in blocks.items():
            x = choices.x[rows][:, cols]
            x = x[:, np.abs(x).max(axis=0) > 1e-12]
            try:
                ll[model] = clogit_newton(y, x, starts)[1] if x.shape[1] else ll0
            except np.linalg.LinAlgError:  # a resample where the terms are collinear: skip it
                break
        else:
            shares[b] = _gain_shares(ll, ll0)["merit"][3]
    return shares


def merit_vs_seniority(
    design: pd.DataFrame,
    *,
    merit: Sequence[str] = MERIT_TERMS,
    seniority: Sequence[str] = SENIORITY_TERMS,
    winners: Winners = "one",
    alpha: float = 0.05,
    n_boot: int = 200,
    seed: int = 0,
) -> MeritSeniority:
    """Does selection follow merit or seniority? Nested conditional logits, LR tests and shares.

    Three conditional logits within selection (:mod:`~kinerja_analysis.merit.model`) on the same
    selections: merit terms only, seniority terms only, and both. Likelihood-ratio tests ask whether
    seniority adds anything once merit is in the model (the question of the seed: promotion should follow
    performance and skills, not seniority) and the reverse.

    The plain-language share: merit and seniority are correlated (senior staff also tend to score
    higher), so the log-likelihood each block gains alone and the gain it adds last do not add up to the
    gain of both. The share reported is the Shapley value of the two blocks, which with two blocks is
    Budescu's general dominance: each block's gain averaged over the two orders of entry,
    ``shapley_merit = ((LL_merit - LL0) + (LL_both - LL_seniority)) / 2``; the two add up exactly to
    ``LL_both - LL0`` and so give shares of what the model explains that sum to 1 and do not depend on an
    arbitrary order (Budescu 1993; Grömping 2007). The interval is a percentile bootstrap over whole
    selections (``n_boot`` resamples, seeded; ``n_boot=0`` skips it).

    Parameters
    ----------
    design
        From :func:`~kinerja_analysis.merit.design.selection_design` (not modified).
    merit, seniority
        The two blocks of terms (design columns); they must not overlap.
    winners, alpha
        As in :func:`~kinerja_analysis.merit.model.selection_model`.
    n_boot, seed
        Bootstrap resamples for the share interval and the seed of its generator.

    Returns
    -------
    MeritSeniority
        ``models``, ``tests``, ``shares``, ``coefficients``; ``summary()`` says it in words.
    """
    merit, seniority = tuple(merit), tuple(seniority)
    if not merit or not seniority or set(merit) & set(seniority):
        raise InvalidOptionError("merit and seniority must each name at least one term, and no term in both.")
    if isinstance(n_boot, bool) or not isinstance(n_boot, int) or n_boot < 0:
        raise InvalidOptionError(
            f"n_boot={n_boot!r} is not allowed; choose a whole number >= 0 (0 skips the bootstrap)."
        )
    choices = prepare_choices(design, terms=merit + seniority, winners=winners)
    terms = {"merit_only": merit, "seniority_only": seniority, "both": merit + seniority}
    fits: dict[str, ConditionalFit] = {m: fit_choices(choices, terms=terms[m]) for m in _MODELS}
    ll0 = choices.ll_null
    models = pd.DataFrame({
        "model": list(_MODELS),
        "terms": [", ".join(fits[m].params) for m in _MODELS],
        "df": [len(fits[m].params) for m in _MODELS],
        "log_likelihood": [fits[m].llf for m in _MODELS],
        "null_log_likelihood": ll0,
        "mcfadden_r2": [1 - fits[m].llf / ll0 for m in _MODELS],
        "aic": [2 * len(fits[m].params) - 2 * fits[m].llf for m in _MODELS],
        "n_selections": choices.n_selections,
        "n_candidates": len(choices.y),
    })  # fmt: skip
    comparisons = (
        ("seniority beyond merit", "both", "merit_only"),
        ("merit beyond seniority", "both", "seniority_only"),
        ("merit vs none", "merit_only", None),
        ("seniority vs none", "seniority_only", None),
    )
    rows = []
    for name, big, small in comparisons:
        ll_small = ll0 if small is None else fits[small].llf
        df = len(fits[big].params) - (0 if small is None else len(fits[small].params))
        lr = 2 * (fits[big].llf - ll_small)
        p = float(stats.chi2.sf(lr, df)) if df > 0 else np.nan
        rows.append(
            (name, lr, df, p, f"likelihood-ratio test, chi-square with {df} df, {big} vs {small or 'no terms'}")
        )
    tests = pd.DataFrame(rows, columns=["comparison", "lr_stat", "df", "p_value", "method"])
    gains = _gain_shares({m: fits[m].llf for m in _MODELS}, ll0)
    low = high = (np.nan, np.nan)
    method = "Shapley value (general dominance) of the log-likelihood gain over no terms, two blocks"
    if n_boot and choices.one_winner:
        cols = {m: [choices.terms.index(t) for t in terms[m]] for m in _MODELS}
        boot = _bootstrap_shares(choices, cols, n_boot=n_boot, seed=seed)
        ok = boot[np.isfinite(boot)]
        if len(ok) >= 0.9 * n_boot:
            q = np.quantile(ok, [alpha / 2, 1 - alpha / 2])
            low, high = (float(q[0]), float(1 - q[1])), (float(q[1]), float(1 - q[0]))
            method += (
                f"; {1 - alpha:.0%} percentile bootstrap over selections ({len(ok)} of {n_boot} resamples, seed {seed})"
            )
    elif n_boot:
        method += "; no interval: the bootstrap needs one winner per selection"
    shares = pd.DataFrame({
        "block": ["merit", "seniority"],
        "alone": [gains[b][0] for b in ("merit", "seniority")],
        "added_last": [gains[b][1] for b in ("merit", "seniority")],
        "shapley": [gains[b][2] for b in ("merit", "seniority")],
        "share": [gains[b][3] for b in ("merit", "seniority")],
        "ci_low": list(low),
        "ci_high": list(high),
        "method": method,
    })  # fmt: skip
    coefficients = pd.concat(
        [coefficient_table(fits[m], alpha=alpha).assign(model=m) for m in _MODELS], ignore_index=True
    )
    return MeritSeniority(models=models, tests=tests, shares=shares, coefficients=coefficients)
