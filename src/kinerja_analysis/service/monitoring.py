"""Control charts for many units at once: one XmR chart per unit, and which units signal.

A unit "out of control" is one whose series leaves the limits its own history sets, which is a
different question from whether it is below a target (funnel plot, :func:`control_charts.funnel`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from kinerja_analysis.common.errors import MissingColumnError
from kinerja_analysis.service.control_charts import XmrMethod, xmr_chart

__all__ = ["xmr_by_group", "signal_summary"]


def xmr_by_group(
    table: pd.DataFrame,
    *,
    by: str | Sequence[str],
    time: str,
    value: str = "estimate",
    method: XmrMethod = "median_mr",
    baseline_until: object = None,
) -> pd.DataFrame:
    """An XmR chart (``control_charts.xmr_chart``) per group of a tidy time series.

    Parameters
    ----------
    table
        One row per group and time point (e.g. ``kpi.service_kpis(..., by=("unit_id", "bulan"))``
        filtered to one KPI).
    by, time, value
        Grouping column(s), the time column (sorted within each group) and the plotted value.
    method
        ``"median_mr"`` (default, robust: one wild month does not widen the limits it should break) or
        ``"mean_mr"`` (Wheeler's usual limits).
    baseline_until
        Points up to and including this time label set the limits (e.g. ``pd.Period("2022-12", "M")``,
        so later months are judged against earlier ones); None uses every point.

    Points whose value is missing (a month with no judged case) are left out of their group's chart.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``time``, and the ``xmr_chart`` columns (``value``, ``moving_range``,
        ``in_baseline``, ``centre``, ``lcl``, ``ucl``, ``signal``, ..., ``method``).
    """
    keys = [by] if isinstance(by, str) else list(by)
    missing = [c for c in [*keys, time, value] if c not in table.columns]
    if missing:
        raise MissingColumnError(f"the series table lacks column(s) {missing}; it has {list(table.columns)}.")
    charts = []
    # A period with nothing to measure (no judged case that month) has a missing value: it is left out of
    # its unit's chart rather than stopping every chart; ``points`` in signal_summary shows what was charted.
    table = table.loc[table[value].notna()]
    for group, rows in table.sort_values([*keys, time]).groupby(keys, sort=True, observed=True):
        series = pd.Series(rows[value].to_numpy(), index=pd.Index(rows[time]))
        baseline = None if baseline_until is None else pd.Series(series.index <= baseline_until, index=series.index)
        chart = xmr_chart(series, baseline=baseline, method=method).drop(columns="t")
        chart.insert(0, time, rows[time].to_numpy())
        for key, level in zip(keys, group if isinstance(group, tuple) else (group,), strict=True):
            chart.insert(0, key, level)
        charts.append(chart)
    return pd.concat(charts, ignore_index=True)


def signal_summary(charts: pd.DataFrame, *, by: str | Sequence[str], time: str) -> pd.DataFrame:
    """Per group: points charted, points outside the limits, and the first and last signalling time.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``points``, ``signals`` (points outside the limits), ``above``, ``below``,
        ``first_signal``, ``last_signal``, ``centre``, ``lcl``, ``ucl``, sorted by the number of signals
        (most first).
    """
    keys = [by] if isinstance(by, str) else list(by)
    side = charts["signal"].astype(str)
    signalled = charts[time].where(side != "")
    out = (
        charts.assign(_signal_time=signalled, _above=side == "above", _below=side == "below")
        .groupby(keys, sort=True, observed=True)
        .agg(
            points=("value", "size"),
            above=("_above", "sum"),
            below=("_below", "sum"),
            first_signal=("_signal_time", "min"),
            last_signal=("_signal_time", "max"),
            centre=("centre", "first"),
            lcl=("lcl", "first"),
            ucl=("ucl", "first"),
        )
        .reset_index()
    )
    out.insert(len(keys) + 1, "signals", (out["above"] + out["below"]).astype(int))
    return out.sort_values(["signals", *keys], ascending=[False] + [True] * len(keys), kind="stable").reset_index(
        drop=True
    )
