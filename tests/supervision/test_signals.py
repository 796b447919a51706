"""unit_year_signals on the committed (synthetic) demo data, checked against pandas group-bys of the raw tables."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError, MissingTableError
from kinerja_analysis.supervision import SIGNAL_COLUMNS, feedback_to_appraisal, unit_year_signals

ITEMS = [f"u{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def demo():
    return load_dataset(paths.demo_data_dir())


@pytest.fixture(scope="module")
def signals(demo) -> pd.DataFrame:
    return unit_year_signals(demo)


@pytest.fixture(scope="module")
def raw(demo) -> pd.DataFrame:
    """Signals without withholding (min_n=1), for comparison with the raw tables."""
    return unit_year_signals(demo, min_n=1).set_index(["unit_id", "tahun"])


def test_one_row_per_unit_year_from_2022(signals):
    assert not signals.duplicated(["unit_id", "tahun"]).any()
    assert sorted(signals["tahun"].unique()) == [2022, 2023, 2024, 2025]
    assert "2022-2025" in signals["method"].iloc[0] and "PP 46/2011" in signals["method"].iloc[0]
    for column in SIGNAL_COLUMNS:
        assert column in signals.columns


def test_values_are_in_range(signals):
    ikm = signals["ikm"].dropna()
    assert len(ikm) == 44 and ikm.between(25, 100).all()
    share = signals["top_share"].dropna()
    assert len(share) > 100 and share.between(0, 1).all()
    assert signals["sla_share"].dropna().between(0, 1).all()
    assert (signals["complaints_per_1000"].dropna() >= 0).all()


def test_appraised_employees_match_a_groupby_of_kinerja_and_pegawai(demo, raw):
    k = demo.kinerja
    annual = k.loc[(k["periode"] == "tahunan") & (k["tahun"] >= 2022) & k["predikat"].notna()]
    annual = annual.merge(demo.pegawai[["nip", "unit_id"]], on="nip")
    expected = annual.groupby(["unit_id", "tahun"])["nip"].nunique()
    got = raw["n_pegawai"]
    assert got[got > 0].sort_index().to_dict() == {(str(u), int(t)): int(v) for (u, t), v in expected.items()}
    top = annual.assign(sb=annual["predikat"] == "Sangat Baik").groupby(["unit_id", "tahun"])["sb"].mean()
    for (u, t), share in top.items():
        assert raw.loc[(u, t), "top_share"] == pytest.approx(share, abs=1e-12)


def test_survey_responses_and_ikm_match_the_raw_answers(demo, raw):
    s = demo.survei.loc[demo.survei[ITEMS].notna().all(axis=1)]
    s = s.assign(tahun=s["tanggal"].dt.year, index=s[ITEMS].astype(float).sum(axis=1) / 9 * 25)
    s = s.loc[s["tahun"] >= 2022]
    grouped = s.groupby(["unit_id", "tahun"])
    for (u, t), n in grouped.size().items():
        assert raw.loc[(u, t), "ikm_n"] == n
    for (u, t), value in grouped["index"].mean().items():
        assert raw.loc[(u, t), "ikm"] == pytest.approx(value, abs=1e-9)


def test_files_and_complaints_match_counts_of_layanan_and_pengaduan(demo, raw):
    files = demo.layanan.groupby(["unit_id", demo.layanan["tanggal_masuk"].dt.year]).size()
    complaints = demo.pengaduan.groupby(["unit_id", demo.pengaduan["tanggal_masuk"].dt.year]).size()
    for (u, t), n in files.items():
        if t >= 2022:
            c = complaints.get((u, t), 0)
            assert raw.loc[(u, t), "files"] == n and raw.loc[(u, t), "complaints"] == c
            assert raw.loc[(u, t), "complaints_per_1000"] == pytest.approx(1000 * c / n)
    # units without any service (schools) have zero counts and no service figure
    schools = raw.loc[raw.index.get_level_values("unit_id").str.startswith("SDN")]
    assert (schools["files"] == 0).all() and schools["ikm"].isna().all()


def test_small_units_are_withheld_with_a_note(signals, raw):
    small = signals["n_pegawai"].between(1, 9)
    assert small.any()
    assert signals.loc[small, "top_share"].isna().all()
    assert signals.loc[small, "note"].str.contains("top_share withheld").all()
    big = signals["n_pegawai"] >= 10
    assert signals.loc[big, "top_share"].notna().all()
    assert raw["top_share"].notna().sum() > signals["top_share"].notna().sum()


def test_years_option(demo):
    two = unit_year_signals(demo, years=[2023, 2024])
    assert sorted(two["tahun"].unique()) == [2023, 2024] and "2023-2024" in two["method"].iloc[0]
    with pytest.raises(KinerjaDataError, match="PP 46/2011"):
        unit_year_signals(demo, years=[2021, 2022])
    with pytest.raises(KinerjaDataError, match="no row in 2030"):
        unit_year_signals(demo, years=[2030])
    with pytest.raises(InvalidOptionError, match="weight"):
        unit_year_signals(demo, weight="0.071")
    with pytest.raises(InvalidOptionError, match="min_n"):
        unit_year_signals(demo, min_n=0)


def test_weight_changes_the_ikm_only(demo, raw):
    rounded = unit_year_signals(demo, weight="0.11", min_n=1).set_index(["unit_id", "tahun"])
    both = raw["ikm"].dropna().index
    assert np.allclose(rounded.loc[both, "ikm"], raw.loc[both, "ikm"] * 9 * 0.11)
    pd.testing.assert_series_equal(rounded["top_share"], raw["top_share"])


def test_missing_table_and_column_are_named(demo):
    with pytest.raises(MissingTableError, match="pengaduan"):
        unit_year_signals(dataclasses.replace(demo, pengaduan=None))
    with pytest.raises(MissingColumnError, match=r"tanggal.*survei"):
        unit_year_signals(dataclasses.replace(demo, survei=demo.survei.drop(columns="tanggal")))


def test_demo_associations_run_on_the_signals(signals):
    out = feedback_to_appraisal(signals, signal=["ikm", "complaints_per_1000"], response=["top_share", "sla_share"])
    assert len(out) == 4 and (out["note"] == "").all()
    sla = out.loc[out["response"] == "sla_share"]
    assert (sla["n_units"] == 11).all() and (sla["n"] == 44).all()
    assert out["ci_low"].lt(out["estimate"]).all() and out["estimate"].lt(out["ci_high"]).all()
