"""The executive summary's sentences carry the numbers the analyses computed, their wording follows the
intervals, the recommendations fire only past their stated bars, and the planted effects are found."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.delivery import sentences, sentences_citizens, sentences_people, summary
from kinerja_analysis.delivery.summary import format_number

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
    assert set(table["buku"]) == {"02", "03", "04", "05", "06"}


def test_sentences_carry_the_computed_numbers(table):
    gap = table[table.kode == "gender_or"].iloc[0]
    assert format_number(gap.estimate, 2) in gap.kalimat
    assert f"{format_number(gap.ci_low, 2)} sampai {format_number(gap.ci_high, 2)}" in gap.kalimat
    effect = table[table.kode == "pelatihan_att"].iloc[0]
    assert format_number(-effect.estimate, 2) in effect.kalimat


def test_the_planted_effects_are_what_the_summary_reports(table):
    truth = json.loads((paths.demo_data_dir() / "ground_truth.json").read_text(encoding="utf-8"))
    drop = table[table.kode == "ikm_unsur_turun"].iloc[0]
    assert "KEL-TBB" in drop.kalimat and "U3" in drop.kalimat and "U7" in drop.kalimat
    gap = table[table.kode == "gender_or"].iloc[0]
    assert gap.ci_low <= truth["selection_effect"]["odds_ratios"]["perempuan_dinas_pendidikan"] <= gap.ci_high
    assert "lebih rendah" in gap.kalimat
    effect = table[table.kode == "pelatihan_att"].iloc[0]
    assert effect.ci_low <= truth["training_effect"]["case_processing_time"]["overall"]["att"] <= effect.ci_high
    assert "mempercepat" in effect.kalimat


# --- wording follows the sign and the interval -------------------------------------------------------


def _att(estimate: float, low: float, high: float) -> pd.Series:
    return pd.Series({"estimate": estimate, "ci_low": low, "ci_high": high, "method": "csdid"})


BASELINE = ", dari rata-rata 1,00 hari kerja pada petugas yang belum dilatih (selang"


@pytest.mark.parametrize(
    ("att", "word", "numbers"),
    [
        (
            _att(-0.5, -0.7, -0.3),
            "mempercepat",
            "rata-rata 0,50 hari kerja per berkas" + BASELINE + " 95% 0,30 sampai 0,70",
        ),
        (
            _att(0.5, 0.3, 0.7),
            "memperlambat",
            "rata-rata 0,50 hari kerja per berkas" + BASELINE + " 95% 0,30 sampai 0,70",
        ),
        (
            _att(0.1, -0.2, 0.4),
            "belum terbukti mengubah",
            "rata-rata 0,10 hari kerja per berkas" + BASELINE + " 95% -0,20 sampai 0,40, memuat nol",
        ),
    ],
)
def test_training_wording_follows_the_interval(att, word, numbers):
    text = sentences_people.effect_finding(att, "P", baseline=1.0).kalimat
    assert word in text and numbers in text
    words = ["mempercepat", "memperlambat", "belum terbukti mengubah"]
    assert [w for w in words if w in text] == [word]


def _ratio(estimate: float, low: float, high: float) -> pd.Series:
    return pd.Series({"odds_ratio": estimate, "or_ci_low": low, "or_ci_high": high, "method": "logit"})


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (_ratio(1.2, 1.1, 1.3), "menaikkan odds terpilih 20% (rasio odds 1,20, selang 95% 1,10 sampai 1,30)"),
        (_ratio(0.75, 0.6, 0.9), "menurunkan odds terpilih 25% (rasio odds 0,75, selang 95% 0,60 sampai 0,90)"),
        (
            _ratio(1.05, 0.9, 1.2),
            "tidak jelas mengubah odds terpilih (rasio odds 1,05, selang 95% 0,90 sampai 1,20, memuat 1)",
        ),
    ],
)
def test_tenure_wording_follows_the_interval(ratio, text):
    assert text in sentences_people.tenure_finding(ratio).kalimat


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (_ratio(0.5, 0.3, 0.8), "odds terpilih lebih rendah: 0,50 kali odds laki-laki"),
        (_ratio(1.8, 1.2, 2.7), "odds terpilih lebih tinggi: 1,80 kali odds laki-laki"),
        (_ratio(0.9, 0.6, 1.4), "tidak jelas berbeda dari laki-laki"),
    ],
)
def test_gender_wording_follows_the_interval(ratio, text):
    assert text in sentences_people.women_finding(ratio, "Dinas X").kalimat


def _jp(estimate: float, low: float, high: float) -> pd.Series:
    return pd.Series({"tahun": 2024, "estimate": estimate, "ci_low": low, "ci_high": high, "method": "Wilson"})


@pytest.mark.parametrize(
    ("row", "text"),
    [
        (
            _jp(0.5, 0.45, 0.55),
            "hanya 50% PNS mencapai 20 JP pelatihan setahun (selang 95% 45,0% sampai 55,0%), di bawah target kerja 80%",
        ),
        (
            _jp(0.9, 0.85, 0.94),
            "2024, 90% PNS mencapai 20 JP pelatihan setahun (selang 95% 85,0% sampai 94,0%), di atas target kerja 80%",
        ),
        (_jp(0.78, 0.7, 0.85), "belum jelas apakah target 80% tercapai"),
    ],
)
def test_jp_wording_follows_the_target(row, text):
    finding = sentences_people.jp_finding(row, target=0.8)
    assert text in finding.kalimat
    assert ("hanya" in finding.kalimat) == (row.ci_high < 0.8)


def _kinerja(**counts: int) -> pd.DataFrame:
    names = {"baik": "Baik", "sangat_baik": "Sangat Baik", "butuh_perbaikan": "Butuh Perbaikan"}
    predikat = [names[key] for key, count in counts.items() for _ in range(count)]
    return pd.DataFrame({"tahun": [2024] * len(predikat), "predikat": predikat})


@pytest.mark.parametrize(
    ("rows", "k", "n", "share", "word"),
    [
        (_kinerja(baik=95, sangat_baik=5), 95, 100, "95%", "predikat terkompresi"),
        (_kinerja(baik=40, sangat_baik=35, butuh_perbaikan=25), 40, 100, "40%", "predikat tidak terkompresi"),
        (_kinerja(baik=16, sangat_baik=4), 16, 20, "80%", "belum jelas apakah sebaran predikat melewati"),
    ],
)
def test_compression_wording_follows_the_modal_share(rows, k, n, share, word):
    finding = sentences.predikat_finding(rows, 2024, bound=0.8)
    low, high = proportion_confint(k, n, method="wilson")  # independent reference
    assert finding.estimate == pytest.approx(k / n)
    assert (finding.ci_low, finding.ci_high) == pytest.approx((low, high))
    assert word in finding.kalimat and f"{share} pegawai" in finding.kalimat and "Baik" in finding.kalimat
    assert ("belum dapat membedakan" in finding.kalimat) == (low > 0.8)


def test_the_seniority_share_is_called_a_share_of_what_the_model_explains(table):
    row = table[table.kode == "senioritas_shapley"].iloc[0]
    assert f"menyumbang {round(100 * row.estimate)}% dari yang dijelaskan model" in row.kalimat
    assert "Shapley" in row.kalimat


# --- the partner-programme and complaint findings -----------------------------------------------------


def test_partner_reach_names_each_sectors_own_instansi():
    coverage = pd.DataFrame(
        {
            "penyelenggara": ["BKN", "Dinas Pendidikan", "Dinas Pendidikan"],
            "sektor": ["pendidikan", "pendidikan", "kesehatan"],
            "tahun": [2024] * 3,
            "participants": [10, 30, 2],
            "n": [100, 100, 50],
            "estimate": [0.1, 0.3, 0.04],
            "ci_low": [0.05, 0.22, 0.01],
            "ci_high": [0.17, 0.4, 0.13],
            "method": ["Wilson"] * 3,
        }
    )
    units = pd.DataFrame({"instansi": ["Dinas Pendidikan", "Dinas Kesehatan"], "sektor": ["pendidikan", "kesehatan"]})
    (only,) = sentences_people.partner_findings(coverage, units)
    assert only.kalimat == (
        "Pada 2024, pelatihan Dinas Pendidikan menjangkau 30% pegawai sektor pendidikan "
        "(30 dari 100 pegawai; selang 95% 22,0% sampai 40,0%)."
    )


def test_partner_reach_on_the_demo_data_matches_the_coverage_table(table):
    data = load_dataset(paths.demo_data_dir())
    rows = table[table.kode == "mitra_jangkauan"]
    assert len(rows) == 2  # Dinas Kesehatan for kesehatan, Dinas Pendidikan for pendidikan
    for row in rows.itertuples():
        instansi = "Dinas Kesehatan" if "kesehatan" in row.kalimat else "Dinas Pendidikan"
        sektor = "kesehatan" if instansi == "Dinas Kesehatan" else "pendidikan"
        # independent: employees in post in the sector's units in 2024 who started a training by that instansi
        units = data.unit_kerja.loc[data.unit_kerja["sektor"] == sektor, "unit_id"]
        staff = data.pegawai[data.pegawai["unit_id"].isin(units)]
        trained = data.pelatihan[
            data.pelatihan["penyelenggara"].astype(str).str.startswith(instansi)
            & (data.pelatihan["tanggal_mulai"].dt.year == 2024)
        ]
        k = trained["nip"][trained["nip"].isin(staff["nip"])].nunique()
        assert f"({k} dari " in row.kalimat and format_number(100 * row.estimate, 0) + "%" in row.kalimat
        assert f"{format_number(100 * row.ci_low, 1)}% sampai {format_number(100 * row.ci_high, 1)}%" in row.kalimat


def test_complaint_share_within_14_working_days_by_hand():
    # Monday 1 July 2024; resolved after 1, 4 and 22 working days (no holiday in July 2024 falls on a weekday),
    # one still open on 30 August; a 2023 complaint is not counted. Kaplan-Meier S(14) = 1 - 2/4.
    adu = pd.DataFrame(
        {
            "tanggal_masuk": pd.to_datetime(["2024-07-01"] * 4 + ["2023-07-03"]),
            "tanggal_selesai": pd.to_datetime(["2024-07-02", "2024-07-05", "2024-07-31", None, "2023-07-04"]),
            "status": ["selesai", "selesai", "selesai", "proses", "selesai"],
        }
    )
    finding = sentences_citizens.complaint_finding(adu, 2024, "2024-08-30")
    assert finding.estimate == pytest.approx(0.5)
    assert finding.kalimat.startswith(
        "Dari 4 pengaduan yang masuk pada 2024, 50% selesai dalam 14 hari kerja (selang 95% "
    )
    assert "disensor pada 2024-08-30); 1 masih terbuka melewati batas." in finding.kalimat
    assert sentences_citizens.complaint_finding(adu, 2022, None) is None


def test_complaint_finding_carries_the_computed_share(table):
    row = table[table.kode == "pengaduan_14_hari"].iloc[0]
    assert f"{format_number(100 * row.estimate, 0)}% selesai dalam 14 hari kerja" in row.kalimat
    assert f"{format_number(100 * row.ci_low, 1)}% sampai {format_number(100 * row.ci_high, 1)}%" in row.kalimat
    assert 0 < row.ci_low < row.estimate < row.ci_high <= 1


# --- recommendation gates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kode", "fires", "holds", "start"),
    [
        ("predikat_kompresi", (0.81, 0.95), (0.79, 0.95), "Kalibrasi penilaian"),
        ("masa_kerja_or", (1.01, 1.2), (0.99, 1.2), "Tinjau aturan seleksi"),
        ("gender_or", (0.3, 0.99), (0.3, 1.01), "Periksa proses seleksi"),
        ("pelatihan_att", (-0.6, -0.01), (-0.6, 0.01), "Perluas program pelatihan"),
        ("jp_kepatuhan", (0.6, 0.79), (0.6, 0.81), "Koordinasikan pelatihan"),
        ("ikm_unsur_turun", (-0.7, -0.01), (-0.7, 0.01), "Tindak lanjuti unit"),
    ],
)
def test_each_recommendation_fires_only_past_its_bar(kode, fires, holds, start):
    def rows(bounds: tuple[float, float]) -> pd.DataFrame:
        return pd.DataFrame({"kode": [kode], "ci_low": [bounds[0]], "ci_high": [bounds[1]]})

    (text,) = summary.recommendations(rows(fires))
    assert text.startswith(start)
    assert summary.recommendations(rows(holds)) == []


def test_compression_gate_ignores_a_low_sangat_baik_share():
    # 10% Sangat Baik alone is no compression: a modal share of 0.6-0.75 does not call for calibration
    rows = pd.DataFrame({"kode": ["predikat_kompresi"], "estimate": [0.68], "ci_low": [0.6], "ci_high": [0.75]})
    assert summary.recommendations(rows) == []
    assert len(summary.recommendations(rows, compression_bound=0.5)) == 1


def test_jp_gate_uses_the_stated_target():
    rows = pd.DataFrame({"kode": ["jp_kepatuhan"], "ci_low": [0.82], "ci_high": [0.86]})
    assert summary.recommendations(rows) == []
    assert len(summary.recommendations(rows, jp_target=0.9)) == 1
    with pytest.raises(InvalidOptionError, match="jp_target"):
        summary.recommendations(rows, jp_target=80)


def test_recommendations_follow_only_clear_evidence(table):
    assert len(summary.recommendations(table)) == 6
    weak = table.assign(ci_low=-1.0, ci_high=2.0)  # every interval spans every bar
    assert summary.recommendations(weak) == []


def test_least_accurate_unit_is_the_highest_return_share_by_hand():
    """Independent of the KPI code: pandas' own mean of ``dikembalikan`` per unit over the year's files."""
    layanan = load_dataset(paths.demo_data_dir()).layanan
    year = layanan[layanan["tanggal_masuk"].dt.year == 2024]
    by_hand = year.groupby("unit_id", observed=True)["dikembalikan"].mean().sort_values(ascending=False)
    finding = sentences.accuracy_finding(layanan, 2024)
    assert by_hand.index[0] in finding.kalimat
    assert finding.estimate == pytest.approx(by_hand.iloc[0])
    assert finding.ci_low < finding.estimate < finding.ci_high and finding.satuan == "porsi berkas"


def test_training_effect_on_accuracy_wording_follows_the_interval():
    lower = sentences_people.accuracy_effect_finding(_att(-0.02, -0.03, -0.01), "P", baseline=0.067)
    unclear = sentences_people.accuracy_effect_finding(_att(-0.01, -0.03, 0.01), "P", baseline=0.067)
    assert "menurunkan porsi berkas yang dikembalikan sebesar 2,0 poin persen, dari rata-rata 6,7%" in lower.kalimat
    assert "belum terbukti mengubah ketepatan berkas" in unclear.kalimat and "memuat nol" in unclear.kalimat


def test_an_uncertain_grade_is_said_to_be_uncertain(table):
    """KEC-PLJ's 2024 IKM is graded C with an interval reaching past 76.61 (B): the sentence must say so."""
    row = table.set_index("kode").loc["ikm_terendah"]
    assert row.ci_low < 76.61 < row.ci_high
    assert "belum pasti" in row.kalimat


def test_the_training_recommendation_names_the_sectors_it_was_measured_in(table):
    (text,) = [r for r in summary.recommendations(table) if "pelatihan pelayanan publik" in r]
    scope = table.set_index("kode").loc["pelatihan_att", "lingkup"]
    assert scope and f"({scope})" in text


def test_every_finding_has_a_title_and_a_unit(table):
    assert table["judul"].notna().all() and (table["judul"].str.len() > 0).all()
    assert table["satuan"].str.len().gt(0).all()
    partners = table[table["kode"] == "mitra_jangkauan"]
    assert all(f"({s})" in j for s, j in zip(partners["lingkup"], partners["judul"], strict=True))
