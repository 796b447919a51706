"""JP compliance what-if: hand-computed projections on tiny tables."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import norm

from kinerja_analysis import whatif
from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError


def _panel() -> pd.DataFrame:
    # Sector S in 2024: 6 PNS in post all year, 1 PPPK, 1 PNS who left mid-year, and a 2023 row and a T row.
    return pd.DataFrame({
        "nip": ["a", "b", "c", "d", "e", "f", "g", "h", "a", "z"],
        "tahun": [2024] * 8 + [2023, 2024],
        "full_year": [True, True, True, True, True, True, True, False, True, True],
        "status": ["pns"] * 6 + ["pppk", "pns", "pns", "pns"],
        "sektor": ["S"] * 9 + ["T"],
        "treated": [True, True, False, False, False, False, False, False, False, False],
        "jp": [40.0, 5.0, 12.0, None, 20.0, 4.0, 0.0, 0.0, 0.0, 0.0],
    })  # fmt: skip


def test_jp_scenario_by_hand() -> None:
    # PNS all year in S, 2024: a(trained, 40), b(trained, 5), c 12, d 0, e 20, f 4 -> n 6, compliant a, e.
    # Pool (not trained): c, d, e, f. A 10 JP programme lifts c (22) only: d 10, f 14 stay below; e already in.
    r = whatif.jp_scenario(_panel(), level="S", added_reach=1 / 3, programme_jp=10.0).iloc[0]
    assert (r["n"], r["pool"], r["n_reached_now"]) == (6, 4, 2)
    assert r["reach_now"] == pytest.approx(2 / 6)
    assert r["n_new"] == pytest.approx(2.0) and r["reach"] == pytest.approx(4 / 6)
    assert r["pool_gain"] == pytest.approx(1 / 4)
    assert r["n_reached"] == pytest.approx(2.5) and r["estimate"] == pytest.approx(2.5 / 6)
    # Wilson for 2 of 6, by the formula
    z, p, n = norm.ppf(0.975), 2 / 6, 6
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * (p * (1 - p) / n + z**2 / (4 * n**2)) ** 0.5
    assert r["ci_low_now"] == pytest.approx(centre - half) and r["ci_high_now"] == pytest.approx(centre + half)
    assert r["ci_low"] == pytest.approx(centre - half + 0.5 / 6)
    assert r["ci_high"] == pytest.approx(centre + half + 0.5 / 6)


def test_jp_scenario_caps_at_the_pool_and_a_40_jp_programme_lifts_everyone_below() -> None:
    r = whatif.jp_scenario(_panel(), level="S", added_reach=1.0, programme_jp=40.0).iloc[0]
    # pool c, d, e, f: all but e are below 20 and 40 JP lifts them: 3/4; newly reached capped at 4
    assert r["n_new"] == pytest.approx(4.0) and r["reach"] == pytest.approx(1.0)
    assert r["pool_gain"] == pytest.approx(3 / 4) and r["estimate"] == pytest.approx(5 / 6)
    zero = whatif.jp_scenario(_panel(), level="S", added_reach=0.0, programme_jp=40.0).iloc[0]
    assert zero["estimate"] == pytest.approx(2 / 6) and zero["ci_high"] == pytest.approx(zero["ci_high_now"])


def test_jp_scenario_base_year_and_errors() -> None:
    r = whatif.jp_scenario(_panel(), level="S", added_reach=0.0, programme_jp=40.0, year=2023).iloc[0]
    assert (r["n"], r["n_reached_now"]) == (1, 0)
    with pytest.raises(InvalidOptionError, match="added_reach"):
        whatif.jp_scenario(_panel(), level="S", added_reach=1.5, programme_jp=40.0)
    with pytest.raises(InvalidOptionError, match="choose one of"):
        whatif.jp_scenario(_panel(), level="X", added_reach=0.1, programme_jp=40.0)
    with pytest.raises(MissingColumnError, match="treated"):
        whatif.jp_scenario(_panel().drop(columns="treated"), level="S", added_reach=0.1, programme_jp=40.0)


def test_speed_uses_the_same_reach_change() -> None:
    eff = pd.DataFrame({"sektor": ["S", "S"], "outcome": ["hari_mean", "sla_share"], "reach": [0.6, 0.6],
                        "baseline": [2.0, 0.9], "att": [-0.5, 0.2], "att_std_error": [0.1, 0.05]})  # fmt: skip
    t = whatif.jp_speed_scenario(eff, level="S", added_reach=0.3)
    # 2.0 + 0.3 x -0.5 = 1.85; 0.9 + 0.3 x 0.2 = 0.96
    assert t["projected"].tolist() == pytest.approx([1.85, 0.96])
    # reach is capped at 1: 0.6 + 0.7 -> 1.0, change 0.4 x ATT
    capped = whatif.jp_speed_scenario(eff, level="S", added_reach=0.7)
    assert capped["reach"].iloc[0] == 1.0 and capped["change"].tolist() == pytest.approx([-0.2, 0.08])


def test_programme_jp_reads_the_programme_rows() -> None:
    pel = pd.DataFrame({"nip": ["a", "b", "c", "c"], "nama_pelatihan": ["P", "P", "P", "Q"], "jenis": "teknis",
                        "topik": "t", "penyelenggara": "BKN", "jp": [40.0, 30.0, 40.0, 99.0],
                        "tanggal_mulai": pd.to_datetime(["2023-01-01", "2023-02-01", "2024-01-01",
                                                         "2022-01-01"])})  # fmt: skip
    assert whatif.programme_jp(pel, treatment={"nama_pelatihan": "P"}) == 40.0
