"""What-if for JP compliance: a programme of X JP reaches more of a sector's PNS; who then has 20 JP?

Why not "raise JP compliance" directly: the effect of *reaching 20 JP* on case speed is not identified
from these data. Compliance is not a programme anyone was assigned to: it is the sum of whatever
trainings an employee chose or was sent to, so its timing and dose follow the same unit and personal
factors that drive case speed, and no comparison group is defined for it. What is estimated is the ATT of
one programme (:func:`kinerja_analysis.whatif.training.training_effects`). So the lever is the
programme's reach, and compliance and speed both follow from it:

- :func:`jp_scenario` is arithmetic on the base year's per-employee JP. Of the sector's PNS in post the
  whole base year (``n``), those not yet reached by the programme form the pool; a share ``added_reach``
  of ``n`` is newly reached, drawn evenly from the pool, and each gains ``programme_jp`` JP that year.
  Expected newly compliant = newly reached x (share of the pool below ``target_jp`` who would reach it
  with the extra JP). The interval is the base year's Wilson interval moved by that arithmetic change:
  the projection adds no uncertainty of its own, and assumes the newly reached keep their other JP.
- :func:`jp_speed_scenario` feeds the same reach change (in percentage points, applied to the case
  handlers' reach) to :func:`~kinerja_analysis.whatif.training.training_scenario` for case speed and SLA,
  with the ATT's interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.inference import proportion_interval
from kinerja_analysis.common.options import check_alpha, check_share
from kinerja_analysis.training.jp import JP_TARGET
from kinerja_analysis.training.panel import treatment_cohorts
from kinerja_analysis.whatif.training import training_scenario

__all__ = ["jp_scenario", "jp_speed_scenario", "programme_jp"]


def programme_jp(pelatihan: pd.DataFrame, *, treatment: Mapping[str, str | Sequence[str]]) -> float:
    """JP of the programme under evaluation, read from ``pelatihan`` (the median over its participants).

    ``treatment`` selects the programme's rows as in :func:`kinerja_analysis.training.panel.treatment_cohorts`
    (``training.PROGRAMME`` for the demo); each participant's first programme training counts once.

    Examples
    --------
    >>> pel = pd.DataFrame({"nip": ["a", "b", "b"], "nama_pelatihan": ["P", "P", "Q"], "jenis": "teknis",
    ...     "topik": "t", "penyelenggara": "BKN", "jp": [40.0, 40.0, 8.0],
    ...     "tanggal_mulai": pd.to_datetime(["2023-03-01", "2024-05-01", "2023-01-01"])})
    >>> programme_jp(pel, treatment={"nama_pelatihan": "P"})
    40.0
    """
    jp = treatment_cohorts(pelatihan, treatment=treatment)["jp"].astype("float64").dropna()
    if jp.empty:
        raise KinerjaDataError(f"pelatihan: the rows matching treatment={dict(treatment)!r} have no jp; fill it in.")
    return float(jp.median())


def jp_scenario(
    panel: pd.DataFrame,
    *,
    level: str,
    added_reach: float,
    programme_jp: float,
    by: str = "sektor",
    year: int | None = None,
    target_jp: float = JP_TARGET,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Projected share of a sector's PNS with ``target_jp`` JP when the programme reaches ``added_reach`` more.

    Parameters
    ----------
    panel
        From :func:`kinerja_analysis.training.employee_year_panel` (not modified): ``nip``, ``tahun``,
        ``full_year``, ``status``, ``treated``, ``jp`` and ``by``.
    level
        The sector (value of ``by``).
    added_reach
        Newly reached employees as a share of the sector's PNS (percentage points of reach, 0-1); capped
        at the pool not yet reached.
    programme_jp
        JP each newly reached employee gains (e.g. :func:`programme_jp`).
    by, year
        Grouping column; base year (default the panel's last).
    target_jp
        JP a year to reach (default 20, PP 17/2020).
    alpha
        1 - confidence level.

    Returns
    -------
    DataFrame, one row
        ``by``, ``tahun``, ``n`` (PNS in post all year), ``reach_now`` (share already reached by the
        programme), ``pool``, ``n_new`` (newly reached, expected), ``reach``, ``n_reached_now``,
        ``share_now`` with Wilson ``ci_low_now``/``ci_high_now``, ``pool_gain`` (share of the pool the
        extra JP lifts over the target), ``n_reached`` (expected), ``estimate`` (projected share) with
        ``ci_low``/``ci_high`` (the Wilson interval moved by the change, clipped to [0, 1]), ``method``.

    Examples
    --------
    Four PNS: a (trained, 30 JP), b (10 JP), c (0 JP), d (25 JP). A 16 JP programme reaching half of
    them more (2 of the pool b, c, d) lifts b (10 + 16 >= 20) but not c; d already complies. The pool gain
    is 1/3, so 2 x 1/3 more comply: (2 + 2/3) / 4.

    >>> p = pd.DataFrame({"nip": list("abcd"), "tahun": 2024, "full_year": True, "status": "pns",
    ...                   "sektor": "S", "treated": [True, False, False, False], "jp": [30.0, 10, None, 25]})
    >>> r = jp_scenario(p, level="S", added_reach=0.5, programme_jp=16.0).iloc[0]
    >>> float(r["share_now"]), round(float(r["estimate"]), 4), float(r["reach"])
    (0.5, 0.6667, 0.75)
    """
    check_alpha(alpha)
    check_share("added_reach", added_reach, closed=True)
    if not programme_jp > 0 or not target_jp > 0:
        raise InvalidOptionError(f"programme_jp={programme_jp!r} and target_jp={target_jp!r} must be positive JP.")
    needed = ["nip", "tahun", "full_year", "status", "treated", "jp", by]
    missing = [c for c in needed if c not in panel.columns]
    if missing:
        raise MissingColumnError(f"jp_scenario: the panel lacks column(s) {missing}; use employee_year_panel.")
    base = int(panel["tahun"].max()) if year is None else int(year)
    rows = panel.loc[(panel["tahun"] == base) & panel["full_year"].astype(bool) & (panel["status"] == "pns")
                     & (panel[by] == level)]  # fmt: skip
    if rows.empty:
        known = sorted(panel[by].dropna().astype(str).unique().tolist())
        raise InvalidOptionError(f"level={level!r} has no PNS in post all of {base}; choose one of {known}.")
    jp = rows["jp"].to_numpy(dtype="float64", na_value=np.nan)
    jp = np.nan_to_num(jp, nan=0.0)  # no training starting that year: 0 JP
    trained = rows["treated"].to_numpy(dtype=bool, na_value=False)
    n, pool = len(rows), int((~trained).sum())
    reached_now = int((jp >= target_jp).sum())
    lifted = (jp < target_jp) & (jp + programme_jp >= target_jp) & ~trained
    pool_gain = float(lifted.sum() / pool) if pool else 0.0
    n_new = min(added_reach * n, float(pool))
    n_reached = reached_now + n_new * pool_gain
    low, high = proportion_interval(np.array([reached_now]), np.array([n]), method="wilson", alpha=alpha)
    share_now, change = reached_now / n, n_new * pool_gain / n
    return pd.DataFrame({
        by: [level], "tahun": base, "n": n, "reach_now": float(trained.mean()), "pool": pool, "n_new": n_new,
        "reach": float(trained.mean()) + n_new / n, "n_reached_now": reached_now, "share_now": share_now,
        "ci_low_now": float(low[0]), "ci_high_now": float(high[0]), "pool_gain": pool_gain,
        "n_reached": n_reached, "estimate": n_reached / n,
        "ci_low": min(1.0, max(0.0, float(low[0]) + change)), "ci_high": min(1.0, float(high[0]) + change),
        "method": (f"PNS in post all of {base}; newly reached drawn evenly from those not yet reached, each "
                   f"+{programme_jp:g} JP; share with >= {target_jp:g} JP, Wilson {100 * (1 - alpha):g}% "
                   "interval of the base year moved by the change"),
    })  # fmt: skip


def jp_speed_scenario(
    effects: pd.DataFrame,
    *,
    level: str,
    added_reach: float,
    by: str = "sektor",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Case speed and SLA when the programme's reach among case handlers rises by ``added_reach``.

    The reach is ``reach_now + added_reach`` capped at 1, passed to
    :func:`~kinerja_analysis.whatif.training.training_scenario` (same columns); the same percentage
    points as in :func:`jp_scenario`, assuming case handlers are reached like the sector's other PNS.

    Examples
    --------
    >>> eff = pd.DataFrame({"sektor": ["S"], "outcome": ["hari_mean"], "reach": [0.5], "baseline": [2.0],
    ...                     "att": [-0.4], "att_std_error": [0.1]})
    >>> float(jp_speed_scenario(eff, level="S", added_reach=0.25)["projected"].iloc[0])
    1.9
    """
    check_share("added_reach", added_reach, closed=True)
    mine = effects.loc[effects[by] == level, "reach"]
    if mine.empty:
        known = sorted(effects[by].astype(str).unique().tolist())
        raise InvalidOptionError(f"level={level!r} has no estimated effect; choose one of {known}.")
    reach = min(1.0, float(mine.iloc[0]) + float(added_reach))
    return training_scenario(effects, level=level, reach=reach, by=by, alpha=alpha)
