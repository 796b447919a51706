"""Topics of the free-text saran: the keyword rules by hand, counting per group, custom lists, the demo data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kinerja_analysis import paths
from kinerja_analysis.common.errors import InvalidOptionError, MissingColumnError
from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.feedback.saran import SARAN_TOPICS, match_topics, saran_topics

# Each text and the topics a reader assigns it by the keyword table in the module docstring.
CASES = {
    "Pelayanan sudah baik, pertahankan.": {"apresiasi"},
    "Waktu penyelesaian surat agar dipercepat.": {"waktu_pelayanan"},
    "Petugas agar lebih ramah.": {"perilaku_petugas"},
    "Ruang tunggu perlu ditambah kursi.": {"sarana_prasarana"},  # a waiting room is not waiting time
    "Persyaratan agar ditempel di papan pengumuman.": {"persyaratan"},
    "Antrean terlalu lama.": {"waktu_pelayanan"},
    "Mohon disediakan layanan daring.": {"prosedur"},
    "Toilet kurang bersih.": {"sarana_prasarana"},
    "Petugas sering tidak ada di tempat.": {"perilaku_petugas"},
    "Terima kasih, pelayanan cepat.": {"waktu_pelayanan", "apresiasi"},
    "Layanan gratis, terima kasih.": {"biaya", "apresiasi"},
    "Perlu kotak saran yang mudah dijangkau.": {"pengaduan"},
    "ADA PUNGLI di loket": {"biaya"},
    "Harus menunggu lama, petugas judes": {"waktu_pelayanan", "perilaku_petugas"},
    "Jaminan persalinan": set(),  # 'jam' is matched whole, not inside 'jaminan'
    "Selamat pagi": set(),  # 'lama' only at a word start
}


@pytest.mark.parametrize(("text", "expected"), list(CASES.items()))
def test_topics_by_hand(text, expected):
    row = match_topics([text]).iloc[0]
    assert row["is_saran"]
    assert {t for t in SARAN_TOPICS if row[t]} == expected


@pytest.mark.parametrize("text", ["-", "Tidak ada", "tidak ada saran", "  ", "nihil", "..."])
def test_empty_answers_are_not_suggestions(text):
    row = match_topics([text]).iloc[0]
    assert not row["is_saran"] and not row[list(SARAN_TOPICS)].any()


def test_counts_per_group_and_wilson():
    s = pd.DataFrame({
        "unit_id": ["A"] * 5 + ["B"] * 3,
        "saran": ["Antrean terlalu lama.", "Petugas agar lebih ramah.", "Waktu dipercepat", None, "-",
                  "Toilet kurang bersih.", None, "Antrean lama"],
    })  # fmt: skip
    r = saran_topics(s, by="unit_id").set_index(["unit_id", "topic"])
    a = r.loc[("A", "waktu_pelayanan")]
    assert (a["responses"], a["n"], a["mentions"], a["item"]) == (5, 3, 2, "u3")
    assert a["estimate"] == pytest.approx(2 / 3)
    p, n, z = 2 / 3, 3, stats.norm.ppf(0.975)
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert (a["ci_low"], a["ci_high"]) == pytest.approx((centre - half, centre + half))
    assert r.loc[("B", "sarana_prasarana"), "mentions"] == 1 and r.loc[("B", "waktu_pelayanan"), "n"] == 2
    assert r.loc[("A", "apresiasi"), "mentions"] == 0
    assert len(r) == 2 * len(SARAN_TOPICS)


def test_custom_topics_and_bad_patterns():
    s = pd.DataFrame({"saran": ["Obat sering kosong", "Dokter datang terlambat", None]})
    r = saran_topics(s, topics={"obat": [r"obat\w*"], "dokter": [r"dokter"]}).set_index("topic")
    assert r.loc["obat", "mentions"] == 1 and r.loc["dokter", "mentions"] == 1 and r.loc["obat", "item"] == ""
    with pytest.raises(InvalidOptionError, match="regular expression"):
        saran_topics(s, topics={"x": ["(unclosed"]})
    with pytest.raises(MissingColumnError):
        saran_topics(s.rename(columns={"saran": "komentar"}))


def test_demo_drop_year_has_more_suggestions_and_more_about_staff():
    # In the drop year the generator makes more respondents write (45% instead of 30%) and tilts what
    # they write towards time and staff; staff behaviour stands out clearly from the other years.
    survei = load_dataset(paths.demo_data_dir()).survei
    before = survei.copy()
    r = saran_topics(survei.loc[survei["unit_id"] == "KEL-TBB"], by="tahun")
    staff = r.loc[r["topic"] == "perilaku_petugas"].set_index("tahun")
    others = staff.drop(index=2024)
    assert staff.loc[2024, "ci_low"] > others["mentions"].sum() / others["n"].sum()
    writing = staff["n"] / staff["responses"]
    assert writing.idxmax() == 2024 and writing.drop(index=2024).max() < 0.4 < writing.loc[2024]
    pd.testing.assert_frame_equal(survei, before)
