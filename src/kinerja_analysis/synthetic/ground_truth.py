"""The effects planted in the synthetic data, and whether an analysis recovered them.

``data/demo/ground_truth.json`` records every effect the generator planted (``kinerja demo-data``).
Notebooks run on the demo data set their estimates beside those values, so a reader can see the
method work where the truth is known before trusting it where it is not. A user's own data has no
ground truth; these functions are for the synthetic data only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.paths import demo_data_dir

__all__ = ["load_ground_truth", "check_recovery"]


def load_ground_truth(data_dir: str | Path | None = None) -> dict:
    """The planted effects of a synthetic dataset (default: the committed ``data/demo``)."""
    path = Path(data_dir or demo_data_dir()) / "ground_truth.json"
    if not path.is_file():
        raise KinerjaDataError(
            f"no ground_truth.json in {path.parent.name!r}: only synthetic data made by `kinerja demo-data` has one."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def check_recovery(estimates: pd.DataFrame, planted: Mapping[str, float], *, key: str = "term") -> pd.DataFrame:
    """Planted values beside their estimates: is each inside its interval?

    Parameters
    ----------
    estimates
        A tidy result with ``key``, ``estimate``, ``ci_low`` and ``ci_high``.
    planted
        The true value of each ``key`` level (levels without an estimate are an error).

    Returns
    -------
    DataFrame
        ``key``, ``planted``, ``estimate``, ``ci_low``, ``ci_high``, ``covered`` (planted within the
        interval, ends included) and ``error`` (estimate minus planted).

    >>> est = pd.DataFrame({"term": ["a", "b"], "estimate": [1.1, 0.2], "ci_low": [0.9, 0.1], "ci_high": [1.3, 0.3]})
    >>> check_recovery(est, {"a": 1.0, "b": 0.5})["covered"].tolist()
    [True, False]
    """
    missing = [c for c in (key, "estimate", "ci_low", "ci_high") if c not in estimates.columns]
    if missing:
        raise MissingColumnError(f"the estimates lack column(s) {missing}.")
    rows = estimates.set_index(key)
    absent = [name for name in planted if name not in rows.index]
    if absent:
        raise KinerjaDataError(f"no estimate for planted {key}(s) {absent}; estimated: {rows.index.tolist()}.")
    out = pd.DataFrame({key: list(planted), "planted": [float(v) for v in planted.values()]})
    for column in ("estimate", "ci_low", "ci_high"):
        out[column] = [float(rows.loc[name, column]) for name in planted]
    out["covered"] = (out["ci_low"] <= out["planted"]) & (out["planted"] <= out["ci_high"])
    out["error"] = out["estimate"] - out["planted"]
    return out
