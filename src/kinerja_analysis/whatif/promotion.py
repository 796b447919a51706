"""What-if for promotion rules: a linear score of the candidates, the winner of each past selection.

:func:`promotion_inputs` does the expensive part once (the candidate design as numpy arrays, the group
codes); :func:`promotion_scenario` is then cheap enough to rerun each time a slider moves.

The rule: score = w_kompetensi x kompetensi + w_potensi x potensi + w_kinerja x kinerja + w_senioritas
x senioritas, where kinerja is +1 for a top appraisal (Sangat Baik in either regime), -1 for one below
Baik, 0 otherwise (Baik, or no appraisal), and senioritas is years since TMT CPNS. With
``standardize=True`` each feature is first turned into a z-score over all candidates, so the weights
compare like with like. In each selection the eligible candidate with the highest score wins (a tie goes
to the first candidate in ``seleksi_id``, ``nip`` order). Eligibility: skor_kompetensi and skor_potensi at
or above the cut-offs (e.g. the 9-box potensial cut-off between rendah and menengah, 60 [open]); a
selection where no candidate is eligible stays unfilled.

"How much seniority still decides" is measured as the share of selections whose winner changes when the
seniority weight is set to zero and the other weights are kept (selections unfilled under either rule
are left out). It answers "would the outcome differ if seniority did not count", which the share of
score variance would not: a large variance share can leave every winner unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.privacy import suppress_small_cells

__all__ = ["FEATURES", "PromotionInputs", "PromotionScenario", "promotion_inputs", "promotion_scenario"]

FEATURES: tuple[str, ...] = ("kompetensi", "potensi", "kinerja", "senioritas")
"""The four features of the promotion rule, in the order of :attr:`PromotionInputs.raw`'s columns."""

_TOP = ("predikat_sangat_baik", "pp46_sangat_baik")
_BELOW = ("predikat_di_bawah_baik", "pp46_di_bawah_baik")
_NEEDED = ("seleksi_id", "terpilih", "skor_kompetensi", "skor_potensi", "masa_kerja_tahun")


@dataclass(frozen=True, eq=False)
class PromotionInputs:
    """The candidate design as arrays, sorted by selection (built by :func:`promotion_inputs`)."""

    seleksi_id: np.ndarray
    group: np.ndarray
    starts: np.ndarray
    raw: np.ndarray
    standardized: np.ndarray
    kompetensi: np.ndarray
    potensi: np.ndarray
    actual: np.ndarray
    group_columns: tuple[str, ...]
    group_codes: dict[str, np.ndarray]
    group_labels: dict[str, list[str]]
    min_n: int

    @property
    def n_selections(self) -> int:
        """Number of selections."""
        return len(self.starts)


@dataclass(frozen=True, eq=False)
class PromotionScenario:
    """The result of one rule: who wins, how groups fare, how much seniority decides.

    Attributes
    ----------
    winner
        Row (into the inputs' arrays) of each selection's winner, -1 where no candidate is eligible.
    selected
        True for each candidate who wins under the rule.
    impact
        One row per group column and group: ``by``, ``group``, ``n``, ``selected_actual``,
        ``rate_actual``, ``impact_ratio_actual``, ``selected_rule``, ``rate_rule``, ``impact_ratio_rule``.
        Impact ratio = the group's selection rate / the highest rate among groups with at least ``min_n``
        candidates (as :func:`kinerja_analysis.merit.fairness.adverse_impact` with ``reference="highest"``);
        missing when that highest rate is 0. Not for publication as is: small groups are shown in full;
        use :meth:`publishable_impact`.
    changed_share
        Share of selections whose winner under the rule differs from the actual decision.
    seniority_decides
        Share of selections whose winner changes when the seniority weight goes to zero.
    n_unfilled
        Selections with no eligible candidate.
    """

    winner: np.ndarray
    selected: np.ndarray
    impact: pd.DataFrame
    changed_share: float
    seniority_decides: float
    n_unfilled: int

    def publishable_impact(self, *, min_n: int = 10) -> pd.DataFrame:
        """:attr:`impact` ready to show: the numbers of groups under ``min_n`` candidates withheld.

        Applies :func:`kinerja_analysis.common.privacy.suppress_small_cells` with complementary suppression
        within each ``by`` column: the groups of one column add up to all candidates, so one hidden group
        could be worked out from the others; a second group is hidden with it. Adds ``suppressed``.

        Examples
        --------
        >>> d = pd.DataFrame({"seleksi_id": ["S1", "S1", "S2", "S2"], "terpilih": [True, False, False, True],
        ...                   "skor_kompetensi": [70.0, 80, 60, 65], "skor_potensi": [70.0, 60, 70, 70],
        ...                   "masa_kerja_tahun": [20.0, 5, 10, 12], "jenis_kelamin": ["L", "P", "P", "L"]})
        >>> r = promotion_scenario(promotion_inputs(d, group_columns=["jenis_kelamin"]), weights={})
        >>> r.publishable_impact(min_n=2)["suppressed"].tolist(), bool(r.publishable_impact()["n"].isna().all())
        ([False, False], True)
        """
        if self.impact.empty:
            return self.impact.assign(suppressed=pd.Series(dtype=bool))
        return suppress_small_cells(self.impact, n="n", min_n=min_n, complement=["by"])


def _kinerja(design: pd.DataFrame) -> np.ndarray:
    """+1 for a top appraisal, -1 for one below Baik, 0 otherwise (a missing indicator counts as 0)."""
    out = np.zeros(len(design))
    for col in _TOP:
        if col in design.columns:
            out += np.nan_to_num(design[col].to_numpy(dtype="float64", na_value=np.nan))
    for col in _BELOW:
        if col in design.columns:
            out -= np.nan_to_num(design[col].to_numpy(dtype="float64", na_value=np.nan))
    return out


def promotion_inputs(
    design: pd.DataFrame,
    *,
    group_columns: Sequence[str] = ("jenis_kelamin", "kelompok_usia", "instansi"),
    min_n: int = 5,
) -> PromotionInputs:
    """Precompute the arrays a promotion scenario needs from the candidate design (``selection_design``).

    Parameters
    ----------
    design
        One row per candidate (not modified); needs ``seleksi_id``, ``terpilih``, ``skor_kompetensi``,
        ``skor_potensi``, ``masa_kerja_tahun`` and the group columns; the appraisal indicators are used
        when present.
    group_columns
        Columns whose groups get impact ratios (a missing value leaves the candidate out of that column's
        groups).
    min_n
        Groups smaller than this are never the reference of the impact ratios.

    Returns
    -------
    PromotionInputs

    Examples
    --------
    >>> d = pd.DataFrame({"seleksi_id": ["S1", "S1", "S2", "S2"], "terpilih": [True, False, False, True],
    ...                   "skor_kompetensi": [70.0, 80, 60, 65], "skor_potensi": [70.0, 60, 70, 70],
    ...                   "masa_kerja_tahun": [20.0, 5, 10, 12], "jenis_kelamin": ["L", "P", "P", "L"]})
    >>> promotion_inputs(d, group_columns=["jenis_kelamin"]).n_selections
    2
    """
    missing = [c for c in (*_NEEDED, *group_columns) if c not in design.columns]
    if missing:
        raise MissingColumnError(
            f"promotion_inputs: the design lacks column(s) {missing}; build it with selection_design(dataset)."
        )
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1:
        raise InvalidOptionError(f"min_n={min_n!r} is not allowed; choose a whole number >= 1.")
    order = np.argsort(design["seleksi_id"].to_numpy(dtype=object).astype(str), kind="stable")
    d = design.iloc[order]
    raw = np.column_stack([
        d["skor_kompetensi"].to_numpy(dtype="float64", na_value=np.nan),
        d["skor_potensi"].to_numpy(dtype="float64", na_value=np.nan),
        _kinerja(d),
        d["masa_kerja_tahun"].to_numpy(dtype="float64", na_value=np.nan),
    ])  # fmt: skip
    if np.isnan(raw).any():
        rows = d.index[np.isnan(raw).any(axis=1)].tolist()[:10]
        raise KinerjaDataError(
            f"promotion_inputs: the design has missing scores or masa_kerja_tahun in rows {rows}; "
            "fill them in seleksi/pegawai or leave those selections out."
        )
    sd = raw.std(axis=0)
    # a constant feature (e.g. no candidate has a top appraisal) contributes nothing rather than NaN
    standardized = (raw - raw.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    ids = d["seleksi_id"].to_numpy(dtype=object).astype(str)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(ids)]))
    codes, labels = {}, {}
    for col in group_columns:
        values = d[col]
        cats = sorted(values.dropna().astype(str).unique().tolist())
        if isinstance(values.dtype, pd.CategoricalDtype):
            cats = [str(c) for c in values.cat.categories if str(c) in set(cats)]
        lookup = {c: i for i, c in enumerate(cats)}
        codes[col] = np.array([lookup.get(str(v), -1) if pd.notna(v) else -1 for v in values], dtype=np.int64)
        labels[col] = cats
    actual = d["terpilih"].to_numpy(dtype=bool)
    return PromotionInputs(
        seleksi_id=ids[starts], group=group, starts=starts, raw=raw, standardized=standardized,
        kompetensi=raw[:, 0].copy(), potensi=raw[:, 1].copy(), actual=actual, group_columns=tuple(group_columns),
        group_codes=codes, group_labels=labels, min_n=min_n,
    )  # fmt: skip


def _winners(inputs: PromotionInputs, score: np.ndarray) -> np.ndarray:
    """Row of the highest score in each selection (first on ties), -1 where every score is -inf."""
    best = np.maximum.reduceat(score, inputs.starts)
    at_best = np.flatnonzero(score == best[inputs.group])
    first = at_best[np.r_[True, inputs.group[at_best][1:] != inputs.group[at_best][:-1]]]
    winner = np.full(inputs.n_selections, -1, dtype=np.int64)
    winner[inputs.group[first]] = first
    winner[np.isneginf(best)] = -1
    return winner


def _rates(codes: np.ndarray, k: int, selected: np.ndarray, min_n: int) -> tuple[np.ndarray, ...]:
    """n, selections, rate and impact ratio per group code 0..k-1."""
    ok = codes >= 0
    n = np.bincount(codes[ok], minlength=k)
    s = np.bincount(codes[ok], weights=selected[ok].astype("float64"), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = s / n
        eligible = rate[n >= min_n]
        ref = eligible.max() if eligible.size else np.nan
        ratio = rate / ref if ref > 0 else np.full(k, np.nan)
    return n, s, rate, ratio


def promotion_scenario(
    inputs: PromotionInputs,
    *,
    weights: Mapping[str, float],
    standardize: bool = True,
    min_kompetensi: float | None = None,
    min_potensi: float | None = None,
) -> PromotionScenario:
    """Who would win each past selection under a promotion rule, and what follows for groups.

    Parameters
    ----------
    inputs
        From :func:`promotion_inputs`.
    weights
        Weight per feature of :data:`FEATURES` (a feature left out weighs 0).
    standardize
        Weigh z-scores (default) or the raw features.
    min_kompetensi, min_potensi
        Eligibility cut-offs on the raw scores (None: no cut-off).

    Returns
    -------
    PromotionScenario

    Examples
    --------
    >>> d = pd.DataFrame({"seleksi_id": ["S1", "S1", "S2", "S2"], "terpilih": [True, False, False, True],
    ...                   "skor_kompetensi": [70.0, 80, 60, 65], "skor_potensi": [70.0, 60, 70, 70],
    ...                   "masa_kerja_tahun": [20.0, 5, 10, 12], "jenis_kelamin": ["L", "P", "P", "L"]})
    >>> inputs = promotion_inputs(d, group_columns=["jenis_kelamin"], min_n=1)
    >>> r = promotion_scenario(inputs, weights={"kompetensi": 1.0}, standardize=False)
    >>> r.winner.tolist(), r.changed_share
    ([1, 3], 0.5)
    """
    unknown = sorted(set(weights) - set(FEATURES))
    if unknown:
        raise InvalidOptionError(f"weights has unknown feature(s) {unknown}; choose among {list(FEATURES)}.")
    w = np.array([float(weights.get(f, 0.0)) for f in FEATURES])
    if not np.isfinite(w).all():
        raise InvalidOptionError(f"weights must be finite numbers; got {dict(weights)}.")
    x = inputs.standardized if standardize else inputs.raw
    eligible = np.ones(len(x), dtype=bool)
    if min_kompetensi is not None:
        eligible &= inputs.kompetensi >= min_kompetensi
    if min_potensi is not None:
        eligible &= inputs.potensi >= min_potensi
    base = x[:, :3] @ w[:3]
    score = np.where(eligible, base + x[:, 3] * w[3], -np.inf)
    winner = _winners(inputs, score)
    no_seniority = _winners(inputs, np.where(eligible, base, -np.inf))
    both = (winner >= 0) & (no_seniority >= 0)
    seniority_decides = float(np.mean(winner[both] != no_seniority[both])) if both.any() else float("nan")
    selected = np.zeros(len(x), dtype=bool)
    selected[winner[winner >= 0]] = True
    actual_winner_changed = ~inputs.actual[np.where(winner >= 0, winner, 0)] | (winner < 0)
    # a selection counts as changed when its rule winner is not an actually chosen candidate
    changed_share = float(np.mean(actual_winner_changed))
    frames = []
    for col in inputs.group_columns:
        k = len(inputs.group_labels[col])
        codes = inputs.group_codes[col]
        n, s_a, rate_a, ratio_a = _rates(codes, k, inputs.actual, inputs.min_n)
        _, s_r, rate_r, ratio_r = _rates(codes, k, selected, inputs.min_n)
        frames.append(pd.DataFrame({
            "by": col, "group": inputs.group_labels[col], "n": n, "selected_actual": s_a.astype(np.int64),
            "rate_actual": rate_a, "impact_ratio_actual": ratio_a, "selected_rule": s_r.astype(np.int64),
            "rate_rule": rate_r, "impact_ratio_rule": ratio_r,
        }))  # fmt: skip
    impact = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return PromotionScenario(winner=winner, selected=selected, impact=impact, changed_share=changed_share,
                             seniority_decides=seniority_decides, n_unfilled=int((winner < 0).sum()))  # fmt: skip
