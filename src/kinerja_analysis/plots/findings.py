"""The executive summary's key findings that are shares, on one percent axis with their intervals."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from .estimates import plot_estimates


def plot_findings(findings: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Each finding measured as a share (``satuan`` starting with "porsi") as a point and interval in percent.

    Findings in other units (days, odds ratios, IKM points) are left out: one axis must carry one unit,
    and the closing table of notebook 00 gives those with their own. Labels are the findings' ``judul``
    with the unit.
    """
    shares = findings[findings["satuan"].astype(str).str.startswith("porsi")]
    shown = pd.DataFrame({
        "temuan": shares["judul"].astype(str) + " (" + shares["satuan"].astype(str) + ")",
        "estimate": 100 * shares["estimate"].astype("float64"),
        "ci_low": 100 * shares["ci_low"].astype("float64"),
        "ci_high": 100 * shares["ci_high"].astype("float64"),
    })  # fmt: skip
    ax = plot_estimates(shown, y="temuan", xlabel="Persen, dengan selang kepercayaan 95%", ax=ax)
    ax.set_ylabel("")
    ax.set_xlim(0, 100)
    return ax
