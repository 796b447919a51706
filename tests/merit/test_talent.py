"""Talent 9-box: the PermenPANRB 3/2020 grid, cut-offs at their bounds, pools, and suppressed counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError
from kinerja_analysis.merit.talent import nine_box, nine_box_counts, talent_scores

# DOMAIN.md 4, rows kinerja di atas / sesuai / di bawah, columns potensial rendah / menengah / tinggi.
GRID = {"di_atas": (4, 7, 9), "sesuai": (2, 5, 8), "di_bawah": (1, 3, 6)}


def test_grid_matches_the_regulation_table() -> None:
    rows = [(k, p) for k in GRID for p in ("rendah", "menengah", "tinggi")]
    d = pd.DataFrame(rows, columns=["kinerja", "potensial"])
    out = nine_box(d)
    expected = [GRID[k][i] for k in GRID for i in range(3)]
    assert out["box"].tolist() == expected
    assert out.loc[out["box"] == 9, "rekomendasi"].item() == "promote and retain"
    assert out.loc[out["box"] == 1, "rekomendasi"].item() == "handle under the regulations"
    assert sorted(out.loc[out["pool_instansi"], "box"]) == [7, 8, 9]
    assert out.loc[out["pool_nasional"], "box"].tolist() == [9]


@pytest.mark.parametrize(
    ("score", "level"),
    [(59.99, "rendah"), (60.0, "menengah"), (74.99, "menengah"), (75.0, "tinggi"), (100.0, "tinggi"), (0.0, "rendah")],
)
def test_potential_cutoffs_at_their_bounds(score: float, level: str) -> None:
    out = nine_box(pd.DataFrame({"kinerja": ["sesuai"], "potensial": [score]}))
    assert out["potensial_level"].tolist() == [level]


def test_numeric_kinerja_with_its_own_cutoffs() -> None:
    d = pd.DataFrame({"kinerja": [75.99, 76.0, 90.99, 91.0], "potensial": [80.0] * 4})
    out = nine_box(d, kinerja_cutoffs=(76.0, 91.0))
    assert out["kinerja_level"].tolist() == ["di_bawah", "sesuai", "sesuai", "di_atas"]
    assert out["box"].tolist() == [6, 8, 8, 9]


def test_missing_levels_give_no_box_and_no_pool() -> None:
    d = pd.DataFrame({"kinerja": ["di_atas", None], "potensial": [np.nan, 80.0]})
    out = nine_box(d)
    assert out["box"].isna().all()
    assert not out["pool_instansi"].any() and not out["pool_nasional"].any()


def test_input_unchanged_and_bad_options() -> None:
    d = pd.DataFrame({"kinerja": ["sesuai"], "potensial": [70.0]})
    before = d.copy()
    nine_box(d)
    pd.testing.assert_frame_equal(d, before)
    with pytest.raises(InvalidOptionError, match="below the second"):
        nine_box(d, potensial_cutoffs=(80.0, 60.0))
    with pytest.raises(InvalidOptionError, match="kinerja_cutoffs"):
        nine_box(pd.DataFrame({"kinerja": [80.0], "potensial": [70.0]}))
    with pytest.raises(MissingColumnError, match="potensi"):
        nine_box(d, potensial="potensi")


def test_counts_per_unit_with_small_cells_suppressed() -> None:
    boxes = pd.DataFrame(
        {
            "unit_id": ["A"] * 15 + ["B"] * 4 + ["C"] * 25,
            "box": [5] * 12 + [9] * 3 + [5] * 4 + [5] * 12 + [8] * 10 + [9] * 3,
        }
    )
    out = nine_box_counts(boxes, min_n=10).set_index(["unit_id", "box"])
    assert len(out) == 27  # every box of every unit, empty ones included
    assert out.loc[("A", 9), "suppressed"] and pd.isna(out.loc[("A", 9), "n"])
    # A's share of box 5 (12 / 15) would give its total away and with it box 9 (15 - 12 = 3): box 5 is
    # withheld too. In C the hidden 3 joins the smallest shown box (10), 13 >= 10, and box 5 stays.
    assert out.loc[("A", 5), "suppressed"]
    assert out.loc[("C", 5), "n"] == 12 and out.loc[("C", 5), "share"] == pytest.approx(12 / 25)
    assert out.loc[("C", 8), "suppressed"] and out.loc[("C", 9), "suppressed"]
    assert out.loc[("B", 5), "suppressed"] and pd.isna(out.loc[("B", 5), "share"])
    assert out.loc[("A", 1), "suppressed"]  # a count of 0 is below 10 too


def test_talent_scores_on_demo_data() -> None:
    ds = load_dataset(paths.demo_data_dir())
    scores = talent_scores(ds, as_of="2024-12-31")
    sel = ds.seleksi
    window = sel.loc[(sel["tanggal"] <= "2024-12-31") & (sel["tanggal"] > "2021-12-31")]
    last = window.sort_values("tanggal").groupby("nip")["skor_potensi"].last().astype("float64")
    got = scores.dropna(subset=["potensial"]).set_index("nip")["potensial"]
    assert set(got.index) <= set(last.index)
    pd.testing.assert_series_equal(got.sort_index(), last.loc[got.index].sort_index(), check_names=False)
    assert set(scores["kinerja"].dropna()) <= {"di_bawah", "sesuai", "di_atas"}
    boxed = nine_box(scores)
    assert boxed["box"].notna().sum() == (scores["kinerja"].notna() & scores["potensial"].notna()).sum()


def test_box_numbering_and_actions_are_parameters() -> None:
    d = pd.DataFrame({"kinerja": ["di_atas"], "potensial": ["tinggi"]})
    actions = {b: f"aksi {b}" for b in range(1, 10)}
    assert nine_box(d, rekomendasi=actions)["rekomendasi"].tolist() == ["aksi 9"]
    broken = {pair: 1 for pair in [(k, p) for k in GRID for p in ("rendah", "menengah", "tinggi")]}
    with pytest.raises(InvalidOptionError, match="nine"):
        nine_box(d, boxes=broken)
