"""What-if for training coverage: raise a programme's reach in a sector, project case speed and SLA.

:func:`training_effects` does the expensive part once: the programme's ATT per sector (Callaway &
Sant'Anna, :func:`kinerja_analysis.training.att_by_group`) on each outcome, and each sector's baseline in
one year (the share of case-handling employees already trained, the mean outcome). Then
:func:`training_scenario` is arithmetic:

    projected = baseline + (reach - reach_now) x ATT,   interval = baseline + (reach - reach_now) x (ATT -+ z SE)

The interval is the ATT's normal interval scaled by the change in reach: exact for a linear projection,
so no simulation is needed. Assumptions, which a reader must weigh [open]: the effect estimated on those
trained so far transports to the newly trained (who may differ: units often send their best officers
first); every employee handles the same number of cases (the outcome is a mean over employees); the
baseline year is a census, so its own sampling noise is ignored; a projected share is clipped to [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_alpha, check_share
from kinerja_analysis.common.privacy import withhold_small_effects
from kinerja_analysis.training.did.cells import Control
from kinerja_analysis.training.heterogeneity import att_by_group

__all__ = ["SHARE_OUTCOMES", "training_effects", "training_scenario"]

SHARE_OUTCOMES: tuple[str, ...] = ("sla_share", "return_rate", "sangat_baik")
"""Outcomes that are shares: their projections are clipped to [0, 1]."""


def training_effects(
    panel: pd.DataFrame,
    *,
    outcomes: Sequence[str] = ("hari_mean", "sla_share"),
    by: str = "sektor",
    year: int | None = None,
    control: Control = "never_treated",
    alpha: float = 0.05,
    min_n: int = 10,
) -> pd.DataFrame:
    """ATT per sector and outcome with its standard error, and each sector's baseline reach and mean.

    Parameters
    ----------
    panel
        From :func:`kinerja_analysis.training.employee_year_panel` (not modified): ``nip``, ``tahun``,
        ``cohort``, ``treated``, ``n_berkas``, ``by`` and the outcomes.
    outcomes
        Outcome columns (default the mean working days per case and the share within the standard).
    by
        Grouping column, constant within an employee (default ``sektor``).
    year
        Baseline year (default the panel's last).
    control
        Comparison group of the DiD (``"never_treated"`` or ``"not_yet_treated"``).
    alpha
        1 - confidence level of ``ci_low``/``ci_high``.
    min_n
        Effects resting on fewer treated employees are withheld, by the rule every report uses
        (:func:`kinerja_analysis.common.privacy.withhold_small_effects`): notebook 04 and this scenario
        publish the same estimates.

    Returns
    -------
    DataFrame, one row per level and outcome with an estimate
        ``by`` level (column named after ``by``), ``outcome``, ``tahun`` (baseline year), ``n`` (employees
        handling cases that year), ``reach`` (share of them trained), ``baseline`` (their mean outcome),
        ``att``, ``att_std_error``, ``ci_low``/``ci_high`` (the ATT's normal interval, ATT -+ z SE, one
        sector at a time: the interval :func:`training_scenario` scales; narrower than the simultaneous
        intervals of ``att_by_group``), ``n_treated``, ``suppressed`` (the ATT columns are missing when
        True), ``method``. Levels without an estimate (no cases, no treated) are left out.
    """
    check_alpha(alpha)
    z = float(norm.ppf(1 - alpha / 2))
    needed = ["nip", "tahun", "cohort", "treated", "n_berkas", by, *outcomes]
    missing = [c for c in needed if c not in panel.columns]
    if missing:
        raise MissingColumnError(f"training_effects: the panel lacks column(s) {missing}; use employee_year_panel.")
    last = int(panel["tahun"].max()) if year is None else int(year)
    now = panel.loc[(panel["tahun"] == last) & (panel["n_berkas"].fillna(0) > 0)]
    if now.empty:
        raise KinerjaDataError(f"training_effects: no employee handled cases in {last}; choose another year.")
    rows = []
    for outcome in outcomes:
        att = att_by_group(panel, by=by, outcome=outcome, unit="nip", time="tahun", cohort="cohort",
                           control=control, incomplete="drop")  # fmt: skip
        for _, r in att.dropna(subset=["estimate", "std_error"]).iterrows():
            here = now.loc[now[by] == r["level"]]
            if here.empty:
                continue
            rows.append({by: r["level"], "outcome": outcome, "tahun": last, "n": len(here),
                         "reach": float(here["treated"].astype("float64").mean()),
                         "baseline": float(here[outcome].astype("float64").mean()),
                         "n_treated": int(r["n_treated"]),
                         "att": float(r["estimate"]), "att_std_error": float(r["std_error"]),
                         "ci_low": float(r["estimate"] - z * r["std_error"]),
                         "ci_high": float(r["estimate"] + z * r["std_error"]),
                         "method": f"{r['method']}; ci: normal {100 * (1 - alpha):g}% interval per level"})  # fmt: skip
    if not rows:
        raise KinerjaDataError(f"training_effects: no level of {by!r} has an estimated effect.")
    return withhold_small_effects(pd.DataFrame(rows), min_n=min_n)


def training_scenario(
    effects: pd.DataFrame,
    *,
    level: str,
    reach: float,
    by: str = "sektor",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Projected outcomes of one sector when the programme reaches a share ``reach`` of its case handlers.

    Parameters
    ----------
    effects
        From :func:`training_effects` (or a frame with its columns).
    level
        The sector (value of ``by``).
    reach
        The share of case-handling employees trained, 0-1.
    by
        The grouping column of ``effects``.
    alpha
        1 - confidence level of the projection's interval.

    Returns
    -------
    DataFrame, one row per outcome
        ``by``, ``outcome``, ``reach_now``, ``reach``, ``baseline``, ``change`` = (reach - reach_now) x ATT,
        ``ci_low``/``ci_high`` of the change, ``projected`` = baseline + change with ``projected_low`` /
        ``projected_high`` (clipped to [0, 1] for shares), and ``method``. An effect withheld by
        :func:`training_effects` gives missing numbers and says so in ``method``.

    Examples
    --------
    >>> eff = pd.DataFrame({"sektor": ["S"], "outcome": ["hari_mean"], "reach": [0.5], "baseline": [2.0],
    ...                     "att": [-0.4], "att_std_error": [0.1]})
    >>> t = training_scenario(eff, level="S", reach=0.75)
    >>> t[["change", "ci_low", "ci_high", "projected"]].round(4).to_numpy().tolist()
    [[-0.1, -0.149, -0.051, 1.9]]
    """
    check_alpha(alpha)
    check_share("reach", reach, closed=True)
    mine = effects.loc[effects[by] == level]
    if mine.empty:
        known = sorted(effects[by].astype(str).unique().tolist())
        raise InvalidOptionError(f"level={level!r} has no estimated effect; choose one of {known}.")
    reach_now = mine["reach"].to_numpy(dtype="float64")
    withheld = mine["suppressed"].to_numpy(dtype=bool) if "suppressed" in mine.columns else np.zeros(len(mine), bool)
    delta = reach - reach_now
    att = mine["att"].to_numpy(dtype="float64")
    se = mine["att_std_error"].to_numpy(dtype="float64")
    z = norm.ppf(1 - alpha / 2)
    change = delta * att
    ends = np.vstack([delta * (att - z * se), delta * (att + z * se)])
    low, high = ends.min(axis=0), ends.max(axis=0)
    base = mine["baseline"].to_numpy(dtype="float64")
    share = mine["outcome"].isin(SHARE_OUTCOMES).to_numpy()
    projected = np.column_stack([base + change, base + low, base + high])
    projected = np.where(share[:, None], np.clip(projected, 0.0, 1.0), projected)
    return pd.DataFrame({
        by: level, "outcome": mine["outcome"].to_numpy(), "reach_now": reach_now, "reach": float(reach),
        "baseline": base, "change": change, "ci_low": low, "ci_high": high, "projected": projected[:, 0],
        "projected_low": projected[:, 1], "projected_high": projected[:, 2],
        "method": np.where(withheld, "withheld: the effect rests on fewer than min_n treated employees",
                           f"(reach - reach_now) x ATT, normal {100 * (1 - alpha):g}% interval of the ATT scaled"),
    })  # fmt: skip
