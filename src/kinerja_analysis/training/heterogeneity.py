"""For whom does training work? Callaway & Sant'Anna ATT by subgroup, with multiple-comparison control.

Two kinds of subgroup [decided here]:

- an attribute of the *unit* (sector, golongan, unit, sex): every level is its own experiment, with
  treated and comparison employees of that level only (parallel trends within the level);
- an attribute of the *treatment* (provider, topic of the training): defined only for the treated, so a
  level's treated employees are compared with the never-treated employees (and, with
  ``control="not_yet_treated"``, with the level's own later cohorts); treated employees of other levels
  are left out, never used as comparisons.

Each level's overall ATT is the simple aggregation of :mod:`kinerja_analysis.training.did`. With several levels
some intervals miss by chance, so p-values are adjusted (Holm for the family-wise error rate, or
Benjamini-Hochberg for the false discovery rate) and the intervals use the matching level: Bonferroni's
alpha/m for Holm, Benjamini & Yekutieli's R alpha/m for BH (:mod:`kinerja_analysis.common.inference`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.inference import CORRECTIONS, Correction, adjust, adjusted_alpha
from kinerja_analysis.common.options import check_option
from kinerja_analysis.training.did.cells import Control
from kinerja_analysis.training.did.estimators import Method
from kinerja_analysis.training.did.inputs import Incomplete
from kinerja_analysis.training.did.staggered import staggered_did

__all__ = ["AttributeOf", "att_by_group"]

AttributeOf = Literal["unit", "treatment"]
_COLUMNS = (
    "by", "level", "n_units", "n_treated", "estimate", "std_error", "ci_low", "ci_high", "p_value", "p_adjusted",
    "note", "method",
)  # fmt: skip


def att_by_group(
    data: pd.DataFrame,
    *,
    by: str,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    attribute_of: AttributeOf = "unit",
    covariates: Sequence[str] | None = None,
    control: Control = "never_treated",
    method: Method = "dr",
    correction: Correction = "holm",
    alpha: float = 0.05,
    incomplete: Incomplete = "refuse",
) -> pd.DataFrame:
    """Overall ATT of training in each level of ``by``, with adjusted p-values and intervals.

    Parameters
    ----------
    data
        Long panel as for :func:`kinerja_analysis.training.did.staggered_att`; not modified.
    by
        Column whose levels define the subgroups; constant within a unit. For a treatment attribute it is
        missing for never-treated units.
    outcome, unit, time, cohort, covariates, control, method, incomplete
        As for :func:`kinerja_analysis.training.did.staggered_did`.
    attribute_of
        ``"unit"`` or ``"treatment"`` (see the module docstring).
    correction
        ``"holm"`` or ``"fdr_bh"``.
    alpha
        Family-wise (Holm) or false-coverage (BH) level of the intervals.

    Returns
    -------
    DataFrame, one row per level
        ``by``, ``level``, ``n_units`` (units in the level's estimation), ``n_treated``, ``estimate``,
        ``std_error`` (analytic), ``ci_low``, ``ci_high`` (adjusted level), ``p_value`` (unadjusted, two
        sided), ``p_adjusted``, ``note`` (why a level has no estimate) and ``method``. A level with few
        treated employees nearly reveals their own outcomes: publish through
        :func:`kinerja_analysis.common.privacy.suppress_small_cells` on ``n_treated``.
    """
    check_option("attribute_of", attribute_of, ("unit", "treatment"))
    check_option("correction", correction, CORRECTIONS)
    if not 0 < alpha < 1:
        raise InvalidOptionError(f"alpha={alpha!r} must lie strictly between 0 and 1 (e.g. 0.05).")
    for column in (by, unit, cohort):
        if column not in data.columns:
            raise MissingColumnError(f"att_by_group: column {column!r} is not in the data.")
    per_unit = data.groupby(unit, sort=False)[by].nunique(dropna=False)
    if (per_unit > 1).any():
        units = per_unit.index[per_unit > 1][:5].tolist()
        raise KinerjaDataError(f"att_by_group: column {by!r} must be constant within a unit; it varies for {units}.")
    never = pd.to_numeric(data[cohort], errors="coerce").to_numpy() == 0
    values = data[by]
    levels = sorted(values.loc[~never if attribute_of == "treatment" else slice(None)].dropna().unique().tolist())
    if not levels:
        raise KinerjaDataError(f"att_by_group: column {by!r} has no value to group by.")
    rows = []
    description = ""
    for level in levels:
        in_level = (values == level).to_numpy()
        subset = data.loc[in_level | never] if attribute_of == "treatment" else data.loc[in_level]
        try:
            fit = staggered_did(
                subset, outcome=outcome, unit=unit, time=time, cohort=cohort, covariates=covariates,
                control=control, method=method, incomplete=incomplete,
            )  # fmt: skip
        except KinerjaDataError as error:
            rows.append((level, subset[unit].nunique(), 0, np.nan, np.nan, str(error)))
            continue
        simple = fit.table("simple").iloc[0]
        description = fit.description
        rows.append((level, fit.n_units, int(simple["n_treated"]), simple["estimate"], simple["std_error"], ""))
    out = pd.DataFrame(rows, columns=["level", "n_units", "n_treated", "estimate", "std_error", "note"])
    out.insert(0, "by", by)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["p_value"] = 2 * stats.norm.sf(np.abs(out["estimate"] / out["std_error"]))
    p = out["p_value"].to_numpy()
    out["p_adjusted"] = adjust(p, method=correction, alpha=alpha)
    level_alpha = adjusted_alpha(p, method=correction, alpha=alpha)
    z = stats.norm.ppf(1 - level_alpha / 2)
    out["ci_low"] = out["estimate"] - z * out["std_error"]
    out["ci_high"] = out["estimate"] + z * out["std_error"]
    words = "Holm (family-wise)" if correction == "holm" else "Benjamini-Hochberg (false discovery rate)"
    compared = "never-treated units" if attribute_of == "treatment" else "units of the same level"
    out["method"] = (
        f"simple ATT per level of {by} ({attribute_of} attribute; treated compared with {compared}); "
        f"{words} adjusted p-values; intervals at level {level_alpha:.4g} for {100 * (1 - alpha):g}% "
        f"{'simultaneous' if correction == 'holm' else 'false-coverage'} coverage; {description}"
    )
    out["note"] = out["note"].astype("str")
    return out.loc[:, list(_COLUMNS)]
