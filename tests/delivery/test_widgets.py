"""Widget wiring: moving a control calls the scenario function and shows what it computes."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from kinerja_analysis import feedback, load_dataset, paths, whatif
from kinerja_analysis.delivery import widgets
from kinerja_analysis.merit.design import selection_design


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(paths.demo_data_dir())


def _text(panel: widgets.Panel) -> str:
    return panel.output.outputs[0]["data"]["text/plain"]


def test_promotion_slider_calls_the_function_and_updates(dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = whatif.promotion_inputs(selection_design(dataset))
    panel = widgets.promotion_panel(inputs)
    calls = []
    real = whatif.promotion_scenario

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(whatif, "promotion_scenario", spy)
    panel.controls["senioritas"].value = 0.0
    assert len(calls) == 1 and calls[0]["weights"]["senioritas"] == 0.0
    expected = real(inputs, weights={"kompetensi": 1.0, "potensi": 1.0, "kinerja": 0.5, "senioritas": 0.0})
    assert f"keputusan nyata: {widgets.percent(expected.changed_share)} dari 278 seleksi" in _text(panel)
    # no seniority weight: seniority decides no selection
    assert "menentukan pemenang di 0,0% seleksi" in _text(panel)
    assert "image/png" in panel.output.outputs[1]["data"]
    panel.controls["min_potensi"].value = 60.0
    assert calls[-1]["min_potensi"] == 60.0
    panel.controls["min_kompetensi"].value = 70.0
    assert calls[-1]["min_kompetensi"] == 70.0 and calls[-1]["min_potensi"] == 60.0
    cut = real(inputs, weights={"kompetensi": 1.0, "potensi": 1.0, "kinerja": 0.5, "senioritas": 0.0},
               min_kompetensi=70.0, min_potensi=60.0)  # fmt: skip
    assert f"tanpa kandidat yang memenuhi syarat: {cut.n_unfilled}." in _text(panel)


def test_promotion_panel_withholds_small_groups(dataset) -> None:
    inputs = whatif.promotion_inputs(selection_design(dataset))
    sizes = whatif.promotion_scenario(inputs, weights={}).impact.set_index(["by", "group"])["n"]
    # kelompok_usia <=30 has 38 candidates in the demo: above 10, but not above 40
    assert 10 <= sizes[("kelompok_usia", "<=30")] < 40
    panel = widgets.promotion_panel(inputs, min_cell=40)
    panel.controls["by"].value = "kelompok_usia"
    assert "kurang dari 40 kandidat" in _text(panel)
    html = panel.output.outputs[0]["data"]["text/html"]
    shown = pd.read_html(io.StringIO(html))[0].set_index("group")
    # the small group and its complement (the next smallest, 31-40) are withheld; the others are shown
    assert shown.loc["<=30", "suppressed"] and shown.loc["31-40", "suppressed"]
    assert shown.loc[["<=30", "31-40"], "n"].isna().all()
    assert shown.loc["41-50", "n"] == sizes[("kelompok_usia", "41-50")]


def test_training_slider_updates_projection(dataset) -> None:
    effects = pd.DataFrame({"sektor": ["S"], "outcome": ["hari_mean"], "reach": [0.5], "baseline": [2.0],
                            "att": [-0.4], "att_std_error": [0.1]})  # fmt: skip
    panel = widgets.training_panel(effects)
    panel.controls["reach"].value = 0.75
    # 2.0 + 0.25 x -0.4 = 1.9
    assert "Jangkauan 75%: hari_mean: 2,000 menjadi 1,900" in _text(panel)


def test_ikm_dropdowns_update_targets(dataset) -> None:
    nrr = feedback.ikm(dataset.survei[dataset.survei.tanggal.dt.year == 2024], by="unit_id")
    panel = widgets.ikm_panel(nrr)
    unit = nrr["unit_id"].astype(str).iloc[-1]
    panel.controls["unit"].value = unit
    panel.controls["mutu"].value = "B"
    row = nrr.set_index(nrr["unit_id"].astype(str)).loc[unit]
    expected = whatif.ikm_target(row, mutu="B")
    assert f"harus naik {expected.total_increase:.4f}".replace(".", ",") in _text(panel)
    # today's interval is shown beside the target's cut-off
    assert f"selang 95% {row.ci_low:.2f} sampai {row.ci_high:.2f}".replace(".", ",") in _text(panel)
    assert "(batas 76,61)" in _text(panel)
    # the lowest unit of 2024 (KEC-PLJ, 75.73, interval up to 76.93) may already be B within noise
    kec = nrr.set_index("unit_id").loc["KEC-PLJ"]
    assert kec["mutu"] == "C" and kec["ci_high"] >= 76.61
    panel.controls["unit"].value = "KEC-PLJ"
    assert "mungkin sudah mutu B" in _text(panel)
    panel.controls["mutu"].value = "A"
    assert "mungkin sudah" not in _text(panel)


def test_distribution_sliders_update_verdict() -> None:
    panel = widgets.distribution_panel()
    assert _text(panel).startswith("Sesuai")  # 2 SB, 6 B, 1 BP, 1 K under Baik
    panel.controls["Baik"].value = 30  # Baik 30/34 = 88% > 70%
    assert _text(panel).startswith("Tidak sesuai")
    assert "image/png" in panel.output.outputs[1]["data"]


def _pool_by_hand(inputs: whatif.PromotionInputs, weights: dict[str, float], low: float, high: float) -> str:
    # boxes 7-9: di_atas with potensial >= low (menengah or tinggi), or sesuai with potensial >= high (tinggi)
    won = whatif.promotion_scenario(inputs, weights=weights).winner
    won = won[won >= 0]
    kin, pot = inputs.raw[won, 2], inputs.potensi[won]
    pooled = int((((kin > 0) & (pot >= low)) | ((kin == 0) & (pot >= high))).sum())
    return f"{pooled} dari {len(won)}."


def test_promotion_nine_box_cutoffs_feed_the_pool_readout(dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = whatif.promotion_inputs(selection_design(dataset))
    weights = {"kompetensi": 1.0, "potensi": 1.0, "kinerja": 0.5, "senioritas": 1.0}
    panel = widgets.promotion_panel(inputs)
    assert panel.controls["potensial_cutoffs"].value == (60.0, 75.0)
    assert "kotak 7-9 (kelompok suksesi; potensial rendah < 60 <= menengah < 75 <= tinggi): " in _text(panel)
    assert _text(panel).endswith(_pool_by_hand(inputs, weights, 60.0, 75.0))
    calls = []
    real = whatif.winners_nine_box
    monkeypatch.setattr(whatif, "winners_nine_box", lambda *a, **k: calls.append(k) or real(*a, **k))
    panel.controls["potensial_cutoffs"].value = (50.0, 90.0)
    assert calls == [{"potensial_cutoffs": (50.0, 90.0)}]
    assert _text(panel).endswith(_pool_by_hand(inputs, weights, 50.0, 90.0))
    assert _pool_by_hand(inputs, weights, 50.0, 90.0) != _pool_by_hand(inputs, weights, 60.0, 75.0)
    panel.controls["potensial_cutoffs"].value = (70.0, 70.0)
    assert "batas bawah harus di bawah batas atas" in _text(panel)


def test_jp_panel_shows_compliance_and_speed() -> None:
    # 4 PNS in S: a trained (30 JP), b 10, c 0, d 25; reaching half of them more with 16 JP: 50% -> 66.7%
    pan = pd.DataFrame({"nip": list("abcd"), "tahun": 2024, "full_year": True, "status": "pns", "sektor": "S",
                        "treated": [True, False, False, False], "jp": [30.0, 10, None, 25]})  # fmt: skip
    effects = pd.DataFrame({"sektor": ["S"], "outcome": ["hari_mean"], "reach": [0.5], "baseline": [2.0],
                            "att": [-0.4], "att_std_error": [0.1]})  # fmt: skip
    panel = widgets.jp_panel(pan, effects, programme_jp=16.0)
    panel.controls["added_reach"].value = 0.5
    # speed: reach 0.5 -> 1.0, 2.0 + 0.5 x -0.4 = 1.8
    assert "PNS dengan >= 20 JP 50,0% menjadi 66,7%" in _text(panel)
    assert "hari_mean: 2,000 menjadi 1,800" in _text(panel)
