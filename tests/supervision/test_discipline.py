"""discipline_beside_appraisal on tiny hand-made datasets: shares, Wilson intervals, Fisher p and suppression."""

from __future__ import annotations

from math import comb

import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from kinerja_analysis import Dataset
from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError, MissingTableError
from kinerja_analysis.supervision import discipline_beside_appraisal


def people(year: int, prefix: str, predikat: list[str]) -> list[dict]:
    return [
        {"nip": f"{prefix}{i:03d}", "tahun": year, "periode": "tahunan", "predikat": p} for i, p in enumerate(predikat)
    ]


def dataset() -> Dataset:
    """2023: 12 sanctioned (3 SB, 8 Baik, 1 Butuh Perbaikan) and 20 others (2 SB, 18 Baik).
    2024: the same 32 people; 2 sanctioned (1 SB), 30 others (3 SB)."""
    k = people(2023, "S", ["Sangat Baik"] * 3 + ["Baik"] * 8 + ["Butuh Perbaikan"])
    k += people(2023, "T", ["Sangat Baik"] * 2 + ["Baik"] * 18)
    k += people(2024, "S", ["Sangat Baik"] + ["Baik"] * 11)
    k += people(2024, "T", ["Sangat Baik"] * 3 + ["Baik"] * 17)
    kinerja = pd.DataFrame(k)
    # a quarterly row must not count: S000 would otherwise appear twice in 2023
    kinerja = pd.concat([kinerja, pd.DataFrame([{"nip": "S000", "tahun": 2023, "periode": "Q1", "predikat": "Baik"}])])
    sanctioned_2023 = [f"S{i:03d}" for i in range(12)]
    disiplin = pd.DataFrame({
        "nip": [*sanctioned_2023, "S000", "S000", "S001"],
        "tanggal": pd.to_datetime(["2023-03-01"] * 12 + ["2023-09-01", "2024-02-01", "2024-05-05"]),
        "tingkat": ["ringan"] * 15,
    })  # fmt: skip
    return Dataset(kinerja=kinerja, disiplin=disiplin, source="test")


def fisher_by_hand(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher p: the hypergeometric probabilities no larger than the observed one, summed."""
    row, col, n = a + b, a + c, a + b + c + d
    prob = [
        comb(col, x) * comb(n - col, row - x) / comb(n, row) for x in range(max(0, row + col - n), min(row, col) + 1)
    ]
    observed = comb(col, a) * comb(n - col, row - a) / comb(n, row)
    return sum(p for p in prob if p <= observed * (1 + 1e-7))


def cell(out: pd.DataFrame, label: str, ukuran: str, kelompok: str) -> pd.Series:
    rows = out.loc[(out["tahun_label"] == label) & (out["ukuran"] == ukuran) & (out["kelompok"] == kelompok)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_shares_intervals_and_fisher_by_hand():
    out = discipline_beside_appraisal(dataset(), min_n=1, pooled=False)
    s = cell(out, "2023", "sangat_baik", "disanksi")
    t = cell(out, "2023", "sangat_baik", "tidak_disanksi")
    assert (s["n"], s["k"], t["n"], t["k"]) == (12, 3, 20, 2)
    assert s["estimate"] == 0.25 and t["estimate"] == 0.1
    low, high = proportion_confint(3, 12, alpha=0.05, method="wilson")
    assert s["ci_low"] == pytest.approx(low, abs=1e-12) and s["ci_high"] == pytest.approx(high, abs=1e-12)
    p = fisher_by_hand(3, 9, 2, 18)
    assert p == pytest.approx(stats.fisher_exact([[3, 9], [2, 18]]).pvalue, rel=1e-9)
    assert s["p_value"] == pytest.approx(p, rel=1e-9) and t["p_value"] == s["p_value"]
    b = cell(out, "2023", "baik_atau_lebih", "disanksi")
    assert (b["n"], b["k"]) == (12, 11) and b["estimate"] == pytest.approx(11 / 12)
    assert b["p_value"] == pytest.approx(fisher_by_hand(11, 1, 20, 0), rel=1e-9)
    # 2024: sanctions dated 2024 count in 2024 only (S000 and S001), each employee once
    s24 = cell(out, "2024", "sangat_baik", "disanksi")
    assert (s24["n"], s24["k"]) == (2, 1)
    assert cell(out, "2024", "sangat_baik", "tidak_disanksi")["n"] == 30
    assert not out["suppressed"].any()


def test_small_groups_are_withheld_with_their_complement():
    out = discipline_beside_appraisal(dataset(), min_n=10, pooled=False)
    y23, y24 = out.loc[out["tahun_label"] == "2023"], out.loc[out["tahun_label"] == "2024"]
    assert not y23["suppressed"].any() and y23["n"].notna().all()
    # 2 sanctioned in 2024: their row, and the others' row (total - 2 would give them away), are withheld
    assert y24["suppressed"].all() and y24["n"].isna().all() and y24["estimate"].isna().all()
    assert y24["p_value"].isna().all() and y24["note"].str.contains("withheld").all()
    assert (y24["tahun"] == 2024).all()  # the year stays readable


def test_pooled_rows_are_withheld_when_they_would_reveal_a_withheld_year():
    out = discipline_beside_appraisal(dataset(), min_n=10)
    pooled = out.loc[out["tahun_label"] == "2023-2024 (pooled)"]
    assert len(pooled) == 4 and pooled["tahun"].isna().all()
    # pooled sanctioned (14) minus 2023 shown (12) would give the 2 withheld people of 2024
    assert pooled["suppressed"].all() and pooled["note"].str.contains("give away").all()


def test_pooled_rows_are_shown_when_every_year_is_withheld_and_the_sum_is_large():
    out = discipline_beside_appraisal(dataset(), min_n=13)
    pooled = out.loc[out["tahun_label"].str.contains("pooled")]
    assert out.loc[~out["tahun_label"].str.contains("pooled"), "suppressed"].all()
    assert not pooled["suppressed"].any()
    s = cell(out, "2023-2024 (pooled)", "sangat_baik", "disanksi")
    assert (s["n"], s["k"]) == (14, 4)  # 12 + 2 employee-years, 3 + 1 Sangat Baik
    assert s["p_value"] == pytest.approx(fisher_by_hand(4, 10, 5, 45), rel=1e-9)


def test_years_before_2022_are_refused_and_tables_checked():
    data = dataset()
    with pytest.raises(KinerjaDataError, match="PP 46/2011"):
        discipline_beside_appraisal(data, years=[2021, 2023])
    with pytest.raises(MissingTableError, match="disiplin"):
        discipline_beside_appraisal(Dataset(kinerja=data.kinerja, source="test"))
    with pytest.raises(MissingColumnError, match="tanggal"):
        discipline_beside_appraisal(Dataset(kinerja=data.kinerja, disiplin=data.disiplin.drop(columns="tanggal")))
    with pytest.raises(KinerjaDataError, match="no row in 2025"):
        discipline_beside_appraisal(data, years=[2025])
    only = discipline_beside_appraisal(data, years=[2023], min_n=1)
    assert set(only["tahun_label"]) == {"2023"}


def test_demo_data_run():
    from kinerja_analysis import load_dataset, paths

    demo = load_dataset(paths.demo_data_dir())
    out = discipline_beside_appraisal(demo)
    assert set(out.loc[out["tahun"].notna(), "tahun"]) == {2022, 2023, 2024, 2025}
    assert out.loc[out["tahun"].notna(), "suppressed"].all()  # at most 5 sanctions a year
    # independent count: sanctioned employee-years from 2022 with an annual predikat
    d = demo.disiplin.assign(tahun=demo.disiplin["tanggal"].dt.year).drop_duplicates(["nip", "tahun"])
    annual = demo.kinerja.loc[(demo.kinerja["periode"] == "tahunan") & demo.kinerja["predikat"].notna()]
    both = d.loc[d["tahun"] >= 2022].merge(annual, on=["nip", "tahun"])
    s = cell(out, "2022-2025 (pooled)", "sangat_baik", "disanksi")
    assert not s["suppressed"] and s["n"] == len(both) >= 10
    assert s["k"] == (both["predikat"] == "Sangat Baik").sum()
