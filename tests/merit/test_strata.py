"""Mantel-Haenszel within strata: against the textbook formulas computed here, and year pooling."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.merit.strata import mantel_haenszel

# Per stratum: (focal selected, focal not, reference selected, reference not).
CELLS = {("III/a", 2023): (3, 9, 6, 6), ("III/b", 2023): (2, 8, 5, 7), ("III/a", 2024): (4, 6, 7, 5),
         ("IV/a", 2024): (1, 5, 3, 3)}  # fmt: skip


def candidates(cells: dict) -> pd.DataFrame:
    rows = []
    for (gol, year), (a, b, c, d) in cells.items():
        rows += [("P", gol, year, True)] * a + [("P", gol, year, False)] * b
        rows += [("L", gol, year, True)] * c + [("L", gol, year, False)] * d
    return pd.DataFrame(rows, columns=["jk", "golongan", "tahun", "terpilih"])


def by_hand(tables: list[tuple[int, int, int, int]]) -> tuple[float, float]:
    """OR_MH = sum(a d / n) / sum(b c / n); CMH = (sum(a - E a))^2 / sum Var a, chi-square with 1 df."""
    num = sum(a * d / (a + b + c + d) for a, b, c, d in tables)
    den = sum(b * c / (a + b + c + d) for a, b, c, d in tables)
    dev = var = 0.0
    for a, b, c, d in tables:
        n, n1, n0, m1, m0 = a + b + c + d, a + b, c + d, a + c, b + d
        dev += a - n1 * m1 / n
        var += n1 * n0 * m1 * m0 / (n * n * (n - 1))
    return num / den, float(stats.chi2.sf(dev * dev / var, 1))


def test_pooled_across_years_by_hand() -> None:
    out = mantel_haenszel(candidates(CELLS), group="jk", selected="terpilih", focal="P", reference="L",
                          strata="golongan", year="tahun")  # fmt: skip
    est, p = by_hand(list(CELLS.values()))
    row = out.iloc[0]
    assert row["estimate"] == pytest.approx(est) and row["p_value"] == pytest.approx(p)
    assert row["ci_low"] < est < row["ci_high"]
    assert (row["n_strata"], row["n_strata_used"], row["n_focal"], row["n_reference"]) == (4, 4, 38, 42)
    # strata of about 20 have expected cells below 5: Breslow-Day's chi-square does not hold, so it is withheld
    assert np.isnan(row["p_homogeneity"]) and "withheld (sparse strata" in row["method"]


def test_breslow_day_on_large_strata_equals_statsmodels() -> None:
    from statsmodels.stats.contingency_tables import StratifiedTable

    big = {key: tuple(10 * v for v in cell) for key, cell in CELLS.items()}
    out = mantel_haenszel(candidates(big), group="jk", selected="terpilih", focal="P", reference="L",
                          strata="golongan", year="tahun")  # fmt: skip
    tables = np.stack([np.array([[a, b], [c, d]], dtype=float) for a, b, c, d in big.values()], axis=2)
    expected = tables.sum(axis=1)[:, None, :] * tables.sum(axis=0)[None, :, :] / tables.sum(axis=(0, 1))
    assert (expected >= 5).all()
    assert out["p_homogeneity"].iloc[0] == pytest.approx(StratifiedTable(tables).test_equal_odds().pvalue)


def test_separate_years_and_strata_merged_across_years() -> None:
    data = candidates(CELLS)
    out = mantel_haenszel(data, group="jk", selected="terpilih", focal="P", reference="L", strata="golongan",
                          year="tahun", years="separate").set_index("year")  # fmt: skip
    assert out.loc[2023, "estimate"] == pytest.approx(by_hand([CELLS[("III/a", 2023)], CELLS[("III/b", 2023)]])[0])
    assert out.loc[2024, "estimate"] == pytest.approx(by_hand([CELLS[("III/a", 2024)], CELLS[("IV/a", 2024)]])[0])
    # Without a year column, III/a of both years is one stratum.
    merged = [
        tuple(np.add(CELLS[("III/a", 2023)], CELLS[("III/a", 2024)])),
        CELLS[("III/b", 2023)],
        CELLS[("IV/a", 2024)],
    ]
    plain = mantel_haenszel(data, group="jk", selected="terpilih", focal="P", reference="L", strata="golongan")
    assert plain["estimate"].iloc[0] == pytest.approx(by_hand(merged)[0])


def test_uninformative_strata_are_left_out_and_counted() -> None:
    cells = dict(CELLS)
    cells[("II/a", 2023)] = (0, 4, 0, 0)  # no reference candidate
    cells[("IV/b", 2023)] = (2, 0, 3, 0)  # everyone selected
    out = mantel_haenszel(candidates(cells), group="jk", selected="terpilih", focal="P", reference="L",
                          strata=["golongan", "tahun"]).iloc[0]  # fmt: skip
    assert (out["n_strata"], out["n_strata_used"]) == (6, 4)
    assert out["estimate"] == pytest.approx(by_hand(list(CELLS.values()))[0])


def test_no_informative_stratum() -> None:
    data = candidates({("II/a", 2023): (1, 3, 0, 0), ("II/b", 2023): (0, 0, 2, 2)})  # never in one stratum
    out = mantel_haenszel(data, group="jk", selected="terpilih", focal="P", reference="L", strata="golongan").iloc[0]
    assert np.isnan(out["estimate"]) and out["method"].startswith("not estimable")


def test_bad_input() -> None:
    data = candidates(CELLS)
    with pytest.raises(InvalidOptionError, match="focal='W'"):
        mantel_haenszel(data, group="jk", selected="terpilih", focal="W", reference="L", strata="golongan")
    data.loc[4, "golongan"] = None
    with pytest.raises(KinerjaDataError, match=r"rows \[4\] lack a value"):
        mantel_haenszel(data, group="jk", selected="terpilih", focal="P", reference="L", strata="golongan")
    with pytest.raises(InvalidOptionError, match="years"):
        mantel_haenszel(data, group="jk", selected="terpilih", focal="P", reference="L", strata="jk", years="both")
