"""The employee-year panel on the committed demo data, checked against the ground truth and by hand."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.training.panel import PROGRAMME, employee_year_panel, restrict_years, treatment_cohorts


@pytest.fixture(scope="module")
def demo():
    return load_dataset(paths.demo_data_dir())


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((paths.demo_data_dir() / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def panel(demo) -> pd.DataFrame:
    return employee_year_panel(demo, treatment=PROGRAMME)


def test_cohorts_are_the_planted_ones(panel: pd.DataFrame, truth: dict) -> None:
    adoption = truth["training_effect"]["adoption"]
    per_nip = panel.groupby("nip")["cohort"].first()
    counts = per_nip.value_counts().to_dict()
    assert {str(k): v for k, v in counts.items() if k > 0} == adoption["trained_by_cohort"]
    assert counts[0] == adoption["never_trained"]
    treated = panel.loc[panel["cohort"] > 0]
    assert set(treated["penyelenggara"].unique()) == set(truth["training_effect"]["programme"]["providers"])
    assert (panel["treated"] == ((panel["cohort"] > 0) & (panel["tahun"] >= panel["cohort"]))).all()
    assert panel["event_time"].isna().eq(panel["cohort"] == 0).all()


def test_rows_are_employee_years_in_post(panel: pd.DataFrame, demo) -> None:
    assert not panel.duplicated(["nip", "tahun"]).any()
    assert panel["tahun"].min() == 2019 and panel["tahun"].max() == 2025
    peg = demo.pegawai.set_index("nip")
    # by hand for every employee: years from the appointment year to the exit year, within 2019-2025
    expected = 0
    for nip, row in peg.iterrows():
        last = 2025 if pd.isna(row["tanggal_keluar"]) else min(2025, row["tanggal_keluar"].year)
        first = max(2019, row["tmt_cpns"].year)
        expected += max(0, last - first + 1)
        if nip == peg.index[0]:
            years = panel.loc[panel["nip"] == nip, "tahun"].tolist()
            assert years == list(range(first, last + 1))
    assert len(panel) == expected


def test_jp_and_case_outcomes_by_hand(panel: pd.DataFrame, demo, truth: dict) -> None:
    trainings = demo.pelatihan
    nip = trainings["nip"].value_counts().index[0]
    for _, row in panel.loc[panel["nip"] == nip].iterrows():
        mine = trainings.loc[(trainings["nip"] == nip) & (trainings["tanggal_mulai"].dt.year == row["tahun"]), "jp"]
        assert row["jp"] == pytest.approx(float(mine.sum()))
    cases = demo.layanan
    holidays = np.array(truth["calendar"]["holidays"], dtype="datetime64[D]")
    officer = cases["nip_petugas"].value_counts().index[0]
    for year in (2019, 2023):
        done = cases.loc[(cases["nip_petugas"] == officer) & (cases["tanggal_masuk"].dt.year == year)
                         & (cases["status"] == "selesai")]  # fmt: skip
        days = np.busday_count(
            done["tanggal_masuk"].to_numpy(dtype="datetime64[D]"),
            done["tanggal_selesai"].to_numpy(dtype="datetime64[D]"),
            holidays=holidays,
        )
        row = panel.loc[(panel["nip"] == officer) & (panel["tahun"] == year)].iloc[0]
        assert row["hari_mean"] == pytest.approx(days.mean(), abs=1e-12)
        received = (cases["nip_petugas"] == officer) & (cases["tanggal_masuk"].dt.year == year)
        assert row["n_berkas"] == int(received.sum())


def test_appraisal_outcomes_stay_within_their_regime(panel: pd.DataFrame, demo) -> None:
    old = panel["tahun"] < 2022
    assert panel.loc[old, "sangat_baik"].isna().all() and panel.loc[~old, "nilai_skp"].isna().all()
    assert (panel.loc[old, "regime"] == "pp46_2011").all() and (panel.loc[~old, "regime"] == "permenpanrb_6_2022").all()
    annual = demo.kinerja.loc[(demo.kinerja["periode"] == "tahunan") & (demo.kinerja["tahun"] >= 2022)]
    merged = panel.merge(annual, on=["nip", "tahun"])
    assert len(merged) == panel["sangat_baik"].notna().sum()
    np.testing.assert_array_equal(merged["sangat_baik"], (merged["predikat"] == "Sangat Baik").astype(float))
    assert set(np.unique(panel["sangat_baik"].dropna())) == {0.0, 1.0}


def test_restrict_years_recodes_later_cohorts(panel: pd.DataFrame) -> None:
    window = restrict_years(panel, 2019, 2021)
    assert window["tahun"].max() == 2021
    assert set(window["cohort"].unique()) == {0, 2020, 2021}
    moved = panel.loc[panel["cohort"] > 2021, "nip"].unique()
    assert window.loc[window["nip"].isin(moved), "event_time"].isna().all()
    assert (panel["cohort"] > 2021).any()  # the input is untouched
    with pytest.raises(KinerjaDataError, match="comes after"):
        restrict_years(panel, 2022, 2021)


def test_treatment_definition_errors(demo) -> None:
    with pytest.raises(KinerjaDataError, match="no pelatihan row matches"):
        treatment_cohorts(demo.pelatihan, treatment={"nama_pelatihan": "Diklat yang tidak ada"})
    with pytest.raises(MissingColumnError, match="'kode'"):
        treatment_cohorts(demo.pelatihan, treatment={"kode": "PPP"})
    by_topic = treatment_cohorts(demo.pelatihan, treatment={"topik": ["pelayanan publik", "manajemen waktu"]})
    assert by_topic["cohort"].min() == 2019  # everyday courses on these topics exist from 2019
