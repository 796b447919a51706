"""The executive summary: each main finding as a sentence in Bahasa Indonesia, generated from the results.

Every sentence is written from a computed estimate and its interval, never typed by hand, so the
summary cannot drift from the analyses (notebooks 02-06) when the data change. Recommendations are
attached only where the evidence behind them clears its own bar (an interval that excludes no effect).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import feedback, kpi, merit, selection_design, selection_model, training, views
from .appraisal_inflation import top_predikat_share
from .dataset import Dataset

__all__ = ["Finding", "findings", "recommendations", "as_markdown", "format_number"]


@dataclass(frozen=True)
class Finding:
    """One finding: the sentence, the number it rests on, and where it comes from."""

    topik: str
    kalimat: str
    estimate: float
    ci_low: float
    ci_high: float
    method: str
    buku: str


def format_number(value: float, digits: int = 1) -> str:
    """A number as Bahasa Indonesia writes it: decimal comma, thousands point.

    >>> format_number(1234.567, 2), format_number(-0.5), format_number(float("nan"))
    ('1.234,57', '-0,5', 't/a')
    """
    if value is None or not np.isfinite(value):
        return "t/a"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _pct(value: float, digits: int = 0) -> str:
    return f"{format_number(100 * value, digits)}%"


def _interval(low: float, high: float, *, pct: bool = False, digits: int = 1) -> str:
    if pct:
        return f"selang 95% {_pct(low, digits)} sampai {_pct(high, digits)}"
    return f"selang 95% {format_number(low, digits)} sampai {format_number(high, digits)}"


def _predikat(dataset: Dataset, year: int) -> Finding:
    rows = views.kinerja_units(dataset)
    share = top_predikat_share(rows[rows["tahun"] == year], by="tahun").iloc[0]
    return Finding(
        "Penilaian kinerja",
        f"Pada {year}, hanya {_pct(share.estimate)} pegawai mendapat predikat Sangat Baik "
        f"({_interval(share.ci_low, share.ci_high, pct=True)}) dan hampir semua sisanya Baik: predikat belum "
        "dapat membedakan kinerja antarpegawai.",
        float(share.estimate),
        float(share.ci_low),
        float(share.ci_high),
        str(share.method),
        "02",
    )


def _sla(dataset: Dataset, year: int) -> tuple[Finding, Finding]:
    cases = dataset.layanan[dataset.layanan["tanggal_masuk"].dt.year == year]
    units = kpi.sla_compliance(cases, by=("unit_id",)).sort_values("estimate")
    overall = kpi.sla_compliance(cases.assign(_semua="semua"), by=("_semua",)).iloc[0]
    worst, next_worst = units.iloc[0], units.iloc[min(1, len(units) - 1)]
    first = Finding(
        "Kecepatan layanan",
        f"Pada {year}, {_pct(overall.estimate)} berkas layanan selesai dalam standar waktunya "
        f"({_interval(overall.ci_low, overall.ci_high, pct=True)}).",
        float(overall.estimate),
        float(overall.ci_low),
        float(overall.ci_high),
        str(overall.method),
        "02",
    )
    second = Finding(
        "Kecepatan layanan",
        f"Unit dengan kepatuhan standar terendah adalah {worst.unit_id}: {_pct(worst.estimate)} "
        f"({_interval(worst.ci_low, worst.ci_high, pct=True)}), terendah dari {len(units)} unit; unit berikutnya "
        f"{next_worst.unit_id} {_pct(next_worst.estimate)}.",
        float(worst.estimate),
        float(worst.ci_low),
        float(worst.ci_high),
        str(worst.method),
        "02",
    )
    return first, second


def _merit(dataset: Dataset, focal_instansi: str) -> tuple[Finding, Finding, Finding]:
    design = selection_design.selection_design(dataset)
    result = merit.merit_vs_seniority(design)
    seniority = result.shares.set_index("block").loc["seniority"]
    both = result.coefficients[result.coefficients["model"] == "both"].set_index("term").loc["masa_kerja_tahun"]
    gap = selection_model.gender_gap(design, instansi=focal_instansi).set_index("term").loc["perempuan_dalam_instansi"]
    share = Finding(
        "Sistem merit",
        f"Senioritas menjelaskan {_pct(seniority.share)} dari apa yang menentukan keterpilihan dalam seleksi "
        f"({_interval(seniority.ci_low, seniority.ci_high, pct=True)}); sisanya merit.",
        float(seniority.share),
        float(seniority.ci_low),
        float(seniority.ci_high),
        str(seniority.method),
        "03",
    )
    tenure = Finding(
        "Sistem merit",
        f"Pada skor kompetensi dan potensi yang sama, setiap tahun masa kerja menaikkan odds terpilih "
        f"{_pct(both.odds_ratio - 1)} (rasio odds {format_number(both.odds_ratio, 2)}, "
        f"{_interval(both.or_ci_low, both.or_ci_high, digits=2)}).",
        float(both.odds_ratio),
        float(both.or_ci_low),
        float(both.or_ci_high),
        str(both.method),
        "03",
    )
    women = Finding(
        "Keadilan seleksi",
        f"Di {focal_instansi}, perempuan dengan merit dan senioritas yang sama memiliki odds terpilih "
        f"{format_number(gap.odds_ratio, 2)} kali odds laki-laki "
        f"({_interval(gap.or_ci_low, gap.or_ci_high, digits=2)}).",
        float(gap.odds_ratio),
        float(gap.or_ci_low),
        float(gap.or_ci_high),
        str(gap.method),
        "03",
    )
    return share, tenure, women


def _training(dataset: Dataset, programme: str, year: int) -> tuple[Finding, Finding]:
    panel = training.employee_year_panel(dataset, treatment={"nama_pelatihan": programme})
    att = training.staggered_att(
        panel, outcome="hari_mean", unit="nip", time="tahun", cohort="cohort", incomplete="drop"
    ).iloc[0]
    compliance = training.jp_compliance(dataset.pelatihan, dataset.pegawai, by=("tahun",))
    pns = compliance[(compliance["status"] == "pns") & (compliance["tahun"] == year)].iloc[0]
    effect = Finding(
        "Dampak pelatihan",
        f'Program "{programme}" mempercepat penyelesaian berkas rata-rata {format_number(-att.estimate, 2)} '
        f"hari kerja per berkas ({_interval(-att.ci_high, -att.ci_low, digits=2)}; Callaway-Sant'Anna, adopsi "
        "bertahap).",
        float(att.estimate),
        float(att.ci_low),
        float(att.ci_high),
        str(att.method),
        "04",
    )
    jp = Finding(
        "Pengembangan kompetensi",
        f"Pada {int(pns.tahun)}, hanya {_pct(pns.estimate)} PNS mencapai 20 JP pelatihan setahun "
        f"({_interval(pns.ci_low, pns.ci_high, pct=True)}), padahal kewajiban itu berlaku untuk setiap PNS.",
        float(pns.estimate),
        float(pns.ci_low),
        float(pns.ci_high),
        str(pns.method),
        "04",
    )
    return effect, jp


def _satisfaction(dataset: Dataset, year: int, base_year: int) -> tuple[Finding, Finding | None]:
    survey = dataset.survei
    index = feedback.ikm(survey[survey["tanggal"].dt.year == year], by="unit_id")
    below_b = index[index["mutu"].astype(str).isin(["C", "D"])]
    lowest = index.sort_values("estimate").iloc[0]
    grades = Finding(
        "Kepuasan masyarakat",
        f"Pada {year}, {len(index) - len(below_b)} dari {len(index)} unit bermutu pelayanan B atau lebih; "
        f"IKM terendah di {lowest.unit_id}: {format_number(lowest.estimate, 2)} "
        f"({_interval(lowest.ci_low, lowest.ci_high, digits=2)}, bobot {lowest.weight}).",
        float(lowest.estimate),
        float(lowest.ci_low),
        float(lowest.ci_high),
        str(lowest.method),
        "05",
    )
    items = feedback.item_change(survey, periods=(base_year, year))
    drops = items[items["significant"] & (items["estimate"] < 0)].sort_values("estimate")
    if drops.empty:
        return grades, None
    unit = drops.iloc[0]["unit_id"]
    unit_drops = drops[drops["unit_id"] == unit]
    first = unit_drops.iloc[0]
    names = ", ".join(str(i).upper() for i in unit_drops["item"])
    drop = Finding(
        "Kepuasan masyarakat",
        f"Kepuasan di {unit} turun dari {base_year} ke {year} pada unsur {names}; penurunan terbesar "
        f"{str(first['item']).upper()} {format_number(first.estimate, 2)} poin pada skala 1-4 "
        f"(selang 95% terkoreksi {format_number(first.ci_low_adjusted, 2)} sampai "
        f"{format_number(first.ci_high_adjusted, 2)}).",
        float(first.estimate),
        float(first.ci_low_adjusted),
        float(first.ci_high_adjusted),
        str(first.method),
        "05",
    )
    return grades, drop


def findings(dataset: Dataset, *, year: int, base_year: int, focal_instansi: str, programme: str) -> pd.DataFrame:
    """The main findings of notebooks 02-06 as sentences with their numbers.

    Parameters
    ----------
    dataset
        A loaded dataset with all nine tables (each analysis says which table it lacks otherwise).
    year, base_year
        The report year, and the year satisfaction changes are measured from.
    focal_instansi
        The instansi whose conditional gender gap in selection is reported.
    programme
        ``nama_pelatihan`` of the training whose effect is reported (staggered adoption).

    Returns
    -------
    DataFrame
        ``topik``, ``kalimat`` (the sentence), ``estimate``, ``ci_low``, ``ci_high``, ``method``, ``buku``
        (the notebook with the full analysis).
    """
    dataset.require(
        "unit_kerja",
        "pegawai",
        "kinerja",
        "pelatihan",
        "seleksi",
        "layanan",
        "survei",
        analysis="The executive summary",
    )
    rows: list[Finding] = [
        _predikat(dataset, year),
        *_sla(dataset, year),
        *_merit(dataset, focal_instansi),
        *_training(dataset, programme, year),
    ]
    grades, drop = _satisfaction(dataset, year, base_year)
    rows += [grades] + ([drop] if drop is not None else [])
    return pd.DataFrame([f.__dict__ for f in rows])


def recommendations(table: pd.DataFrame) -> list[str]:
    """Recommendations that the findings support, each tied to a finding whose interval clears its bar.

    A recommendation is made only when its evidence is clear: the top-predikat share's interval below
    one half, the tenure odds ratio's interval above 1, the gender odds ratio's interval below 1, the
    training effect's interval below 0 (faster), JP compliance's interval below 1, a satisfaction
    item's corrected interval below 0.

    >>> t = pd.DataFrame({"topik": ["Dampak pelatihan"], "kalimat": ["x"], "ci_low": [-0.6], "ci_high": [-0.1]})
    >>> len(recommendations(t)), len(recommendations(t.assign(ci_high=0.1)))
    (1, 0)
    """
    out: list[str] = []
    for row in table.itertuples():
        if row.topik == "Penilaian kinerja" and row.ci_high < 0.5:
            out.append(
                "Kalibrasi penilaian di tingkat unit sebelum predikat dipakai untuk keputusan merit; "
                "lengkapi dengan ukuran kinerja layanan yang terukur (kecepatan dan ketepatan berkas)."
            )
        elif row.topik == "Sistem merit" and row.kalimat.startswith("Pada skor") and row.ci_low > 1:
            out.append(
                "Tinjau aturan seleksi: masa kerja menentukan di luar merit; bila pengalaman memang penting, "
                "ukur dan catat sebagai kompetensi, bukan sebagai lama bekerja."
            )
        elif row.topik == "Keadilan seleksi" and row.ci_high < 1:
            out.append(
                "Periksa proses seleksi di instansi itu (panel, kriteria, dokumentasi): kesenjangan gender "
                "yang tidak dijelaskan merit adalah alasan untuk audit, bukan putusan."
            )
        elif row.topik == "Dampak pelatihan" and row.ci_high < 0:
            out.append(
                "Perluas program pelatihan pelayanan publik ke petugas layanan yang belum mengikutinya, "
                "secara bertahap agar dampaknya tetap dapat diukur."
            )
        elif row.topik == "Pengembangan kompetensi" and row.ci_high < 1:
            out.append("Koordinasikan pelatihan BKN, BPSDM dan dinas sektor agar setiap PNS mencapai 20 JP setahun.")
        elif row.topik == "Kepuasan masyarakat" and row.kalimat.startswith("Kepuasan di") and row.ci_high < 0:
            out.append(
                "Tindak lanjuti unit yang kepuasannya turun pada unsur yang disebut, bersama pengaduan "
                "yang masuk dari unit itu."
            )
    return out


def as_markdown(table: pd.DataFrame, recommendations: list[str] | None = None) -> str:
    """The findings as a Markdown list grouped by topic (and the recommendations, numbered), for reports.

    >>> t = pd.DataFrame({"topik": ["A", "A"], "kalimat": ["Satu.", "Dua."], "buku": ["02", "03"]})
    >>> print(as_markdown(t, ["Lakukan X."]))
    **A**
    <BLANKLINE>
    - Satu. *(buku 02)*
    - Dua. *(buku 03)*
    <BLANKLINE>
    **Rekomendasi**
    <BLANKLINE>
    1. Lakukan X.
    """
    lines: list[str] = []
    for topic, rows in table.groupby("topik", sort=False):
        lines += [f"**{topic}**", ""] + [f"- {row.kalimat} *(buku {row.buku})*" for row in rows.itertuples()] + [""]
    if recommendations:
        lines += ["**Rekomendasi**", ""] + [f"{i}. {text}" for i, text in enumerate(recommendations, start=1)]
    return "\n".join(lines).rstrip()
