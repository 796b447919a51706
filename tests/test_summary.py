"""The executive summary's sentences carry the numbers the analyses computed, and find the planted effects."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis import load_dataset, paths, summary
from kinerja_analysis.summary import format_number

PROGRAMME = "Pelatihan Pelayanan Publik Prima dan Manajemen Waktu"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    data = load_dataset(paths.demo_data_dir())
    return summary.findings(
        data, year=2024, base_year=2023, focal_instansi="Dinas Pendidikan Kota Palembang", programme=PROGRAMME
    )


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(0.5, 1, "0,5"), (1234.5, 0, "1.234"), (-0.25, 2, "-0,25"), (88.305, 2, "88,31"), (float("nan"), 1, "t/a")],
)
def test_numbers_are_written_the_indonesian_way(value, digits, text):
    assert format_number(value, digits) == text


def test_every_sentence_shows_its_interval(table):
    assert (table["ci_low"] <= table["estimate"]).all() and (table["estimate"] <= table["ci_high"]).all()
    assert table["kalimat"].str.contains("selang 95%").all()
    assert set(table["buku"]) == {"02", "03", "04", "05"}


def test_sentences_carry_the_computed_numbers(table):
    gap = table[table.topik == "Keadilan seleksi"].iloc[0]
    assert format_number(gap.estimate, 2) in gap.kalimat
    assert f"{format_number(gap.ci_low, 2)} sampai {format_number(gap.ci_high, 2)}" in gap.kalimat
    effect = table[table.topik == "Dampak pelatihan"].iloc[0]
    assert format_number(-effect.estimate, 2) in effect.kalimat


def test_the_planted_effects_are_what_the_summary_reports(table):
    truth = __import__("json").loads((paths.demo_data_dir() / "ground_truth.json").read_text(encoding="utf-8"))
    drop = table[table.kalimat.str.startswith("Kepuasan di")].iloc[0]
    assert "KEL-TBB" in drop.kalimat and "U3" in drop.kalimat and "U7" in drop.kalimat
    gap = table[table.topik == "Keadilan seleksi"].iloc[0]
    assert gap.ci_low <= truth["selection_effect"]["odds_ratios"]["perempuan_dinas_pendidikan"] <= gap.ci_high
    effect = table[table.topik == "Dampak pelatihan"].iloc[0]
    assert effect.ci_low <= truth["training_effect"]["case_processing_time"]["overall"]["att"] <= effect.ci_high


def test_recommendations_follow_only_clear_evidence(table):
    recs = summary.recommendations(table)
    assert len(recs) == 6
    weak = table.assign(ci_low=-1.0, ci_high=2.0)  # every interval spans every bar
    assert summary.recommendations(weak) == []
