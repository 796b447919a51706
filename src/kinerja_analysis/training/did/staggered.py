"""Staggered difference-in-differences: Callaway & Sant'Anna (2021) group-time ATT, aggregations, inference.

When employees are trained in different years and the effect grows with time since training, two-way
fixed effects compares the newly trained with the earlier trained and is biased. Callaway & Sant'Anna
estimate one ATT(g,t) per cohort g (first treated period) and period t against a clean comparison group,
then average them. This is a vectorised implementation that reproduces R's ``did`` package (``att_gt`` +
``aggte``, version 2.5, with its defaults ``base_period = "varying"``, ``est_method = "dr"``) to 1e-6 on
``mpdta``; tests pin it to R's published numbers and to the ``csdid`` Python port.

Choices that differ from R's defaults, on purpose:

- Inference is analytic by default (R's ``bstrap = FALSE``); ``bootstrap=B`` gives R's multiplier
  bootstrap (seeded, optionally clustered, pointwise or uniform bands).
- Incomplete data is refused with the units named unless ``incomplete="drop"`` (R drops such units with
  a warning); the number left out is written into the result's ``method``. Unbalanced panels are not
  estimated as repeated cross-sections (R's ``allow_unbalanced_panel = TRUE``).
- Cells that cannot be estimated (no overlap, singular design) are NaN with a ``note`` and left out of
  the aggregations (R's ``na.rm = TRUE``). No anticipation periods, no sampling weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.training.did.aggregate import Aggregate, aggregate_cells
from kinerja_analysis.training.did.cells import BasePeriod, Cells, Control, group_time_cells
from kinerja_analysis.training.did.estimators import Method
from kinerja_analysis.training.did.inference import analytic_se, bootstrap, wald_pretest
from kinerja_analysis.training.did.inputs import Incomplete, panel_arrays

__all__ = ["StaggeredDiD", "staggered_did", "staggered_att"]

Band = Literal["pointwise", "uniform"]
_METHOD_TEXT = {
    "dr": "doubly robust (Sant'Anna & Zhao 2020)",
    "ipw": "inverse probability weighting (normalised)",
    "reg": "outcome regression",
}
_CONTROL_TEXT = {"never_treated": "never-treated units", "not_yet_treated": "not-yet-treated and never-treated units"}
_AGGREGATES = ("simple", "group", "dynamic", "calendar")
_THIN = 10  # treated units below which a pre-trend cell is flagged [decided here; DOMAIN.md's minimum cell size]
COLUMNS = (
    "aggregation", "overall", "group", "time", "event_time", "estimate", "std_error", "ci_low", "ci_high",
    "p_value", "n_treated", "note", "method",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class StaggeredDiD:
    """A fitted staggered DiD: the ATT(g,t) cells and their influence functions, with several views.

    Use :meth:`table` for ATT(g,t) or an aggregation, :meth:`pretrend_test` for the Wald test of the
    pre-treatment cells and :meth:`summary` for a few lines of text.
    """

    cells: Cells
    cohort: np.ndarray
    cluster: np.ndarray | None
    periods: np.ndarray
    description: str
    n_units: int

    def _interval(
        self, estimate: np.ndarray, influence: np.ndarray, overall: np.ndarray, *, alpha: float,
        bootstrap_iterations: int | None, band: Band, seed: int,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:  # fmt: skip
        z = stats.norm.ppf(1 - alpha / 2)
        crit = np.full(len(estimate), z)
        if bootstrap_iterations is None:
            se = analytic_se(influence, self.cluster)
            words = "analytic influence-function standard errors"
        else:
            se, uniform = bootstrap(
                influence, self.cluster, iterations=bootstrap_iterations, seed=seed, alpha=alpha, band=~overall
            )
            if band == "uniform" and np.isfinite(uniform):
                crit[~overall] = max(uniform, z)  # as R, never narrower than the pointwise band
            words = f"multiplier bootstrap standard errors ({bootstrap_iterations} Mammen draws, seed {seed})"
        if self.cluster is not None:
            words += f", clustered ({int(self.cluster.max()) + 1} clusters)"
        words += f"; {'uniform' if band == 'uniform' else 'pointwise'} {100 * (1 - alpha):g}% intervals"
        with np.errstate(invalid="ignore"):
            p = 2 * stats.norm.sf(np.abs(estimate / se))
        return se, crit, p, words

    def table(
        self,
        aggregate: Aggregate | None = None,
        *,
        alpha: float = 0.05,
        bootstrap: int | None = None,
        band: Band = "pointwise",
        seed: int = 0,
    ) -> pd.DataFrame:
        """ATT(g,t) (``aggregate=None``) or one aggregation as a tidy table.

        Parameters
        ----------
        aggregate
            None for every ATT(g,t), else ``"simple"``, ``"group"``, ``"dynamic"`` or ``"calendar"``
            (see :mod:`kinerja_analysis.training.did.aggregate`).
        alpha
            1 - confidence level of the intervals.
        bootstrap
            Number of multiplier-bootstrap draws, or None for analytic standard errors.
        band
            ``"pointwise"`` or ``"uniform"`` (simultaneous over the non-overall rows; needs bootstrap).
        seed
            Seed of the bootstrap draws.

        Returns
        -------
        DataFrame
            ``aggregation`` (``group_time`` or the aggregation), ``overall`` (True for the overall row),
            ``group`` (cohort), ``time`` (period), ``event_time`` (t - g), ``estimate``, ``std_error``,
            ``ci_low``, ``ci_high``, ``p_value`` (two-sided, normal), ``n_treated`` (units in the cohorts
            behind the row), ``note`` (why a cell is missing) and ``method``.
        """
        if aggregate is not None:
            check_option("aggregate", aggregate, _AGGREGATES)
        check_option("band", band, ("pointwise", "uniform"))
        if not 0 < alpha < 1:
            raise InvalidOptionError(f"alpha={alpha!r} must lie strictly between 0 and 1 (e.g. 0.05).")
        if bootstrap is not None and (isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 100):
            raise InvalidOptionError(f"bootstrap={bootstrap!r}: give a number of draws of at least 100, or None.")
        if band == "uniform" and bootstrap is None:
            raise InvalidOptionError("band='uniform' needs bootstrap draws: pass bootstrap=999 (for example).")
        c = self.cells
        size = {int(g): int(n) for g, n in zip(c.group, c.n_treated, strict=True)}
        if aggregate is None:
            n_rows = len(c.estimate)
            frame = pd.DataFrame({
                "aggregation": "group_time", "overall": np.zeros(n_rows, dtype=bool),
                "group": c.group, "time": c.time, "event_time": c.time - c.group,
            })  # fmt: skip
            estimate, influence, overall = c.estimate, c.influence, np.zeros(n_rows, dtype=bool)
            n_treated, notes = c.n_treated, list(c.note)
        else:
            agg = aggregate_cells(
                aggregate, group=c.group, time=c.time, estimate=c.estimate, influence=c.influence, cohort=self.cohort
            )
            n_rows = len(agg.estimate)
            label = pd.array(np.where(agg.overall, 0, agg.label), dtype="Int64")
            label[agg.overall] = pd.NA
            missing = pd.array([pd.NA] * n_rows, dtype="Int64")
            frame = pd.DataFrame({
                "aggregation": aggregate, "overall": agg.overall,
                "group": label if aggregate == "group" else missing,
                "time": label if aggregate == "calendar" else missing,
                "event_time": label if aggregate == "dynamic" else missing,
            })  # fmt: skip
            estimate, influence, overall = agg.estimate, agg.influence, agg.overall
            n_treated = np.array([sum(size[int(g)] for g in np.unique(c.group[idx])) for idx in agg.cells])
            notes = [""] * n_rows
        se, crit, p, words = self._interval(
            estimate, influence, overall, alpha=alpha, bootstrap_iterations=bootstrap, band=band, seed=seed
        )
        for column in ("group", "time", "event_time"):
            frame[column] = frame[column].astype("Int64")
        frame["estimate"] = estimate
        frame["std_error"] = se
        frame["ci_low"] = estimate - crit * se
        frame["ci_high"] = estimate + crit * se
        frame["p_value"] = p
        frame["n_treated"] = np.asarray(n_treated, dtype=np.int64)
        frame["note"] = pd.array(notes, dtype="str")
        frame["method"] = f"{self.description}; {words}"
        return frame.loc[:, list(COLUMNS)]

    def pretrend_test(self) -> pd.DataFrame:
        """Wald test that every pre-treatment ATT(g,t) (t < g) is zero: evidence on parallel trends.

        Returns one row: ``statistic`` (chi-square), ``df`` (number of cells tested), ``p_value``,
        ``note`` and ``method``. As R's ``att_gt`` (``W``, ``Wpval``), always from the analytic
        covariance of the influence functions (clustered when a cluster was given). A large p-value is
        no proof of parallel trends: the test has little power with few units; and cells with fewer than
        10 treated units make the covariance, hence the statistic, erratic (``note`` says how many).
        """
        c = self.cells
        pre = (c.time < c.group) & np.isfinite(c.estimate)
        stat, df, note = wald_pretest(c.estimate[pre], c.influence[:, pre], self.cluster)
        p = float(stats.chi2.sf(stat, df)) if df and np.isfinite(stat) else float("nan")
        thin = int((c.n_treated[pre] < _THIN).sum())
        if thin:  # a covariance estimated from a handful of treated units makes the statistic erratic
            warning = f"{thin} of the cells rest on fewer than {_THIN} treated units: the test is unreliable"
            note = f"{note}; {warning}" if note else warning
        return pd.DataFrame({
            "statistic": [stat], "df": [df], "p_value": [p], "note": pd.array([note], dtype="str"),
            "method": [f"Wald chi-square test that all pre-treatment ATT(g,t) are 0; {self.description}"],
        })  # fmt: skip

    def summary(self) -> str:
        """A few lines: the overall simple ATT with its interval, and the pre-trend test."""
        simple = self.table("simple").iloc[0]
        pre = self.pretrend_test().iloc[0]
        return (
            f"{self.description}\n"
            f"overall ATT (simple) {simple['estimate']:.4g} (SE {simple['std_error']:.3g}, "
            f"95% CI {simple['ci_low']:.4g} to {simple['ci_high']:.4g})\n"
            f"pre-trend Wald test: chi2 = {pre['statistic']:.3f}, df = {pre['df']}, p = {pre['p_value']:.4f}"
        )


def staggered_did(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] | None = None,
    control: Control = "never_treated",
    method: Method = "dr",
    base_period: BasePeriod = "varying",
    cluster: str | None = None,
    incomplete: Incomplete = "refuse",
) -> StaggeredDiD:
    """Estimate every group-time ATT(g,t) of Callaway & Sant'Anna (2021).

    Parameters
    ----------
    data
        A long panel: one row per unit and period; not modified.
    outcome, unit, time
        Column names. Periods are whole numbers (years).
    cohort
        Column with the first treated period of the unit (the same in all its rows), 0 for never treated.
    covariates
        Columns to condition parallel trends on (their values in the base period); text and categories
        are dummy-coded. None for unconditional parallel trends.
    control
        ``"never_treated"`` (R's ``"nevertreated"``) or ``"not_yet_treated"`` (``"notyettreated"``).
        Without never-treated units, ``"not_yet_treated"`` drops the periods from the last cohort on and
        uses that cohort as the comparison, as R does.
    method
        ``"dr"`` (default, as R), ``"ipw"`` or ``"reg"``; identical without covariates.
    base_period
        ``"varying"`` (R's default: pre-treatment cells compare consecutive periods) or ``"universal"``.
    cluster
        Column (constant within unit) to cluster standard errors and bootstrap draws on.
    incomplete
        ``"refuse"`` (default) or ``"drop"``: units with missing values, missing periods or treated in
        the first period are left out and counted in ``method``.

    Returns
    -------
    StaggeredDiD
        Call ``.table(aggregate)``, ``.pretrend_test()`` or ``.summary()``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> units = np.repeat(np.arange(300), 4)
    >>> years = np.tile([2020, 2021, 2022, 2023], 300)
    >>> first = np.repeat(rng.choice([0, 2021, 2022], size=300), 4)
    >>> y = rng.normal(size=1200) + np.where((first > 0) & (years >= first), 1.0, 0.0)
    >>> panel = pd.DataFrame({"nip": units, "tahun": years, "cohort": first, "y": y})
    >>> fit = staggered_did(panel, outcome="y", unit="nip", time="tahun", cohort="cohort")
    >>> row = fit.table("simple").iloc[0]
    >>> bool(row["ci_low"] < 1.0 < row["ci_high"])
    True
    """
    check_option("control", control, tuple(_CONTROL_TEXT))
    check_option("method", method, tuple(_METHOD_TEXT))
    check_option("base_period", base_period, ("varying", "universal"))
    if isinstance(covariates, str):
        covariates = [covariates]
    arrays = panel_arrays(
        data, outcome=outcome, unit=unit, time=time, cohort=cohort, covariates=tuple(covariates or ()),
        cluster=cluster, incomplete=incomplete,
    )  # fmt: skip
    y, x, periods, cohorts = arrays.y, arrays.x, arrays.periods, arrays.cohort
    notes = list(arrays.dropped)
    if not (cohorts > 0).any():
        raise KinerjaDataError(f"staggered_did: no unit is ever treated (column {cohort!r} is 0 everywhere).")
    if not (cohorts == 0).any():
        if control == "never_treated":
            raise KinerjaDataError(
                f"staggered_did: every unit is treated at some point (no {cohort!r} = 0), so there is no "
                "never-treated comparison group; use control='not_yet_treated'."
            )
        last = int(cohorts.max())
        keep = periods < last
        y, periods = y[:, keep], periods[keep]
        x = x[:, keep, :] if x is not None else None
        cohorts = np.where(cohorts == last, 0, cohorts)
        notes.append(f"no never-treated units: periods from {last} on dropped and cohort {last} used as comparison")
        if len(periods) < 2 or not (cohorts > 0).any():
            raise KinerjaDataError("staggered_did: too few periods or cohorts remain without never-treated units.")
    cells = group_time_cells(y, x, periods, cohorts, control=control, method=method, base_period=base_period)
    covariate_words = f"covariates {', '.join(arrays.x_names)}" if arrays.x_names else "no covariates"
    description = (
        f"Callaway & Sant'Anna (2021) ATT(g,t), {_METHOD_TEXT[method]}, {covariate_words}; comparison: "
        f"{_CONTROL_TEXT[control]}; {base_period} base period; {len(cohorts)} units, periods "
        f"{int(periods[0])}-{int(periods[-1])}"
    )
    if notes:
        description += "; left out: " + "; ".join(notes)
    return StaggeredDiD(
        cells=cells, cohort=cohorts, cluster=arrays.cluster, periods=periods, description=description,
        n_units=len(cohorts),
    )  # fmt: skip


def staggered_att(
    data: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] | None = None,
    control: Control = "never_treated",
    method: Method = "dr",
    aggregate: Aggregate | None = "simple",
    base_period: BasePeriod = "varying",
    alpha: float = 0.05,
    cluster: str | None = None,
    bootstrap: int | None = None,
    band: Band = "pointwise",
    seed: int = 0,
    incomplete: Incomplete = "refuse",
) -> pd.DataFrame:
    """Callaway & Sant'Anna ATT(g,t) or one aggregation as a tidy table, in one call.

    ``staggered_did(data, ...).table(aggregate, ...)``; see :func:`staggered_did` for the estimation
    options and :meth:`StaggeredDiD.table` for the inference options and the columns. Use
    :func:`staggered_did` directly to get several tables and the pre-trend test from one fit.
    """
    fit = staggered_did(
        data, outcome=outcome, unit=unit, time=time, cohort=cohort, covariates=covariates, control=control,
        method=method, base_period=base_period, cluster=cluster, incomplete=incomplete,
    )  # fmt: skip
    return fit.table(aggregate, alpha=alpha, bootstrap=bootstrap, band=band, seed=seed)
