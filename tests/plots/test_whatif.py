"""The what-if figures draw the numbers they are given."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from kinerja_analysis import plots, whatif


def test_distribution_check_draws_observed_shares_and_bounds() -> None:
    # Baik 8 of 10 under an org predikat Baik: > 50% holds, <= 70% fails; no Butuh Perbaikan or Kurang: fails
    _, table = whatif.distribution_scenario({"Baik": 8, "Sangat Baik": 2}, predikat_organisasi="Baik")
    ax = Figure().subplots()
    assert plots.plot_distribution_check(table, ax=ax) is ax
    bars = sorted(ax.patches, key=lambda p: -p.get_y())  # top bar = first rule
    np.testing.assert_allclose([b.get_width() for b in bars], [80.0, 80.0, 0.0])
    assert [b.get_facecolor() for b in bars] == [to_rgba("tab:green"), to_rgba("firebrick"), to_rgba("firebrick")]
    ticks = ax.collections[0].get_offsets()
    np.testing.assert_allclose(np.asarray(ticks)[:, 0], [50.0, 70.0, 0.0])
    assert [t.get_text() for t in ax.texts] == ["> 50%", "80,0%", "<= 70%", "80,0%", "> 0%", "0,0%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "baik mayoritas", "baik maks 70", "butuh perbaikan atau kurang ada"]  # fmt: skip


def test_distribution_check_draws_any_table() -> None:
    table = pd.DataFrame({"rule": ["r1"], "observed": [0.25], "operator": [">="], "bound": [0.6], "ok": [False]})
    ax = plots.plot_distribution_check(table, ax=Figure().subplots())
    assert ax.patches[0].get_width() == 25.0 and np.asarray(ax.collections[0].get_offsets())[0, 0] == 60.0
