"""The executive summary: each main finding as a sentence in Bahasa Indonesia, generated from the results.

Every sentence is written from a computed estimate and its interval, never typed by hand, and its wording
(faster or slower, higher or lower, compressed or not) is chosen from where the interval lies, so the
summary cannot drift from the analyses (notebooks 02-06) when the data change. Recommendations are
attached only where the evidence behind them clears its own, stated bar.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from kinerja_analysis import merit, training
from kinerja_analysis.common.options import check_share
from kinerja_analysis.common.privacy import withhold_small_effects
from kinerja_analysis.data import views
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.delivery.escape import markdown_text
from kinerja_analysis.delivery.sentences import (
    Finding,
    accuracy_finding,
    format_number,
    predikat_finding,
    sla_findings,
)
from kinerja_analysis.delivery.sentences_citizens import complaint_finding, satisfaction_findings
from kinerja_analysis.delivery.sentences_people import (
    accuracy_effect_finding,
    effect_finding,
    jp_finding,
    partner_findings,
    seniority_finding,
    tenure_finding,
    women_finding,
)

__all__ = [
    "TITLES",
    "COMPRESSION_BOUND",
    "JP_TARGET_SHARE",
    "Finding",
    "findings",
    "recommendations",
    "as_markdown",
    "format_number",
]

TITLES: dict[str, str] = {
    "predikat_kompresi": "Pegawai dengan predikat terbanyak",
    "sla_keseluruhan": "Berkas selesai dalam standar waktu",
    "sla_unit_terendah": "Berkas selesai dalam standar, unit terendah",
    "ketepatan_unit": "Berkas dikembalikan, unit tertinggi",
    "senioritas_shapley": "Bagian senioritas dalam yang dijelaskan model seleksi",
    "masa_kerja_or": "Rasio odds terpilih per tahun masa kerja",
    "gender_or": "Rasio odds terpilih perempuan/laki-laki",
    "pelatihan_att": "Efek pelatihan pada waktu proses",
    "pelatihan_ketepatan": "Efek pelatihan pada porsi berkas dikembalikan",
    "jp_kepatuhan": "PNS mencapai 20 JP",
    "ikm_terendah": "IKM unit terendah",
    "ikm_unsur_turun": "Penurunan unsur IKM terbesar",
    "pengaduan_14_hari": "Pengaduan selesai dalam 14 hari kerja",
    "mitra_jangkauan": "Pegawai terjangkau pelatihan dinas sektor",
}
"""A short plain title per kind of finding, for the summary's chart and closing table."""

COMPRESSION_BOUND = 0.8
"""[open] Predikat count as compressed when the modal predikat's share is clearly above this (its 95% lower
bound). Nationally about 88.5% are Baik (DOMAIN.md 9); no regulation sets the bound."""

JP_TARGET_SHARE = 0.8
"""[open] Share of PNS reaching 20 JP a year below which coordination is recommended. The obligation applies
to every PNS; 0.8 is a working target for a kecamatan, not a regulation."""


def findings(
    dataset: Dataset,
    *,
    year: int,
    base_year: int,
    focal_instansi: str,
    programme: str,
    as_of: object | None = None,
    compression_bound: float = COMPRESSION_BOUND,
    jp_target: float = JP_TARGET_SHARE,
    min_n: int = 10,
) -> pd.DataFrame:
    """The main findings of notebooks 02-06 as sentences with their numbers.

    Parameters
    ----------
    dataset
        A loaded dataset with the tables unit_kerja, pegawai, kinerja, pelatihan, seleksi, layanan, survei and
        pengaduan.
    year, base_year
        The report year, and the year satisfaction changes are measured from.
    focal_instansi
        The instansi whose conditional gender gap in selection is reported.
    programme
        ``nama_pelatihan`` of the training whose effect is reported (staggered adoption).
    as_of
        Extraction date of ``pengaduan``: complaints still open are censored there. None (default) takes the
        latest date the table records.
    compression_bound
        [open] Predikat are called compressed when the 95% lower bound of the modal predikat's share is above
        this; not compressed when the upper bound is below it; otherwise the sentence says it is unclear.
    jp_target
        [open] Working target for the share of PNS reaching 20 JP; the sentence says below, above or unclear.
        Pass the same values to :func:`recommendations`.
    min_n
        Per-sector training effects resting on fewer treated employees are withheld (the rule of every report,
        :func:`kinerja_analysis.common.privacy.withhold_small_effects`); the others bound the recommendation.

    Returns
    -------
    DataFrame
        ``kode`` (a stable key per kind of finding), ``topik``, ``kalimat`` (the sentence), ``estimate``,
        ``ci_low``, ``ci_high``, ``method``, ``buku`` (the notebook with the full analysis), ``satuan`` (the
        unit of ``estimate``), ``lingkup`` (the sectors a training effect was measured in, or a partner's
        sector, else empty) and ``judul`` (a short plain title, :data:`TITLES`). Each
        sentence's wording (faster or slower, higher or lower, compressed or not) follows its interval. Partner reach is
        one row per sector whose own instansi ran trainings in ``year``; the complaint row is left out when
        no complaint was received in ``year``.
    """
    bound, target = check_share("compression_bound", compression_bound), check_share("jp_target", jp_target)
    tables = ("unit_kerja", "pegawai", "kinerja", "pelatihan", "seleksi", "layanan", "survei", "pengaduan")
    dataset.require(*tables, analysis="The executive summary")
    design = merit.selection_design(dataset)
    result = merit.merit_vs_seniority(design)
    coefficients = result.coefficients[result.coefficients["model"] == "both"].set_index("term")
    gap = merit.gender_gap(design, instansi=focal_instansi).set_index("term")
    panel = training.employee_year_panel(dataset, treatment={"nama_pelatihan": programme})
    did = {"unit": "nip", "time": "tahun", "cohort": "cohort", "incomplete": "drop"}
    att = training.staggered_att(panel, outcome="hari_mean", **did).iloc[0]
    returned = training.staggered_att(panel, outcome="return_rate", **did).iloc[0]
    base = training.baseline_means(panel, outcomes=("hari_mean", "return_rate")).set_index("outcome")["baseline"]
    # the sectors whose own effect is shown (same withholding rule as notebook 04) and clearly faster
    sectors = withhold_small_effects(training.att_by_group(panel, by="sektor", outcome="hari_mean", **did), min_n=min_n)
    faster = tuple(str(r.level) for r in sectors.itertuples() if not r.suppressed and r.ci_high < 0)
    compliance = training.jp_compliance(dataset.pelatihan, dataset.pegawai, by=("tahun",))
    pns = compliance[(compliance["status"] == "pns") & (compliance["tahun"] == year)].iloc[0]
    coverage = training.training_coverage(
        dataset.pelatihan,
        dataset.pegawai,
        unit_kerja=dataset.unit_kerja,
        by=("penyelenggara", "sektor"),
        years=(year, year),
    )
    complaint = complaint_finding(dataset.pengaduan, year, as_of)
    rows: list[Finding] = [
        predikat_finding(views.kinerja_units(dataset), year, bound=bound),
        *sla_findings(dataset.layanan, year),
        accuracy_finding(dataset.layanan, year),
        seniority_finding(result.shares.set_index("block").loc["seniority"]),
        tenure_finding(coefficients.loc["masa_kerja_tahun"]),
        women_finding(gap.loc["perempuan_dalam_instansi"], focal_instansi),
        effect_finding(att, programme, baseline=float(base["hari_mean"]), sectors=faster),
        accuracy_effect_finding(returned, programme, baseline=float(base["return_rate"])),
        jp_finding(pns, target=target),
        *satisfaction_findings(dataset.survei, year, base_year),
        *([complaint] if complaint is not None else []),
        *partner_findings(coverage, dataset.unit_kerja),
    ]
    table = pd.DataFrame([asdict(f) for f in rows])
    scope = table["lingkup"].where(table["kode"] == "mitra_jangkauan", "")
    table["judul"] = table["kode"].map(TITLES) + scope.map(lambda s: f" ({s})" if s else "")
    return table


def recommendations(
    table: pd.DataFrame, *, compression_bound: float = COMPRESSION_BOUND, jp_target: float = JP_TARGET_SHARE
) -> list[str]:
    """Recommendations that the findings support, each tied to a finding whose interval clears its bar.

    The gates, by ``kode``: ``predikat_kompresi`` (calibrate appraisal) when the modal predikat's share has
    its lower bound above ``compression_bound`` [open, 0.8]; ``masa_kerja_or`` (review selection rules) when
    the tenure odds ratio's lower bound is above 1; ``gender_or`` (audit the selection) when the gender odds
    ratio's upper bound is below 1; ``pelatihan_att`` (extend the training) when the effect's upper bound is
    below 0 days (faster); ``jp_kepatuhan`` (coordinate JP) when compliance's upper bound is below
    ``jp_target`` [open, 0.8]; ``ikm_unsur_turun`` (follow up the unit) when the corrected upper bound of the
    drop is below 0. Other findings carry no recommendation.

    >>> t = pd.DataFrame({"kode": ["pelatihan_att"], "ci_low": [-0.6], "ci_high": [-0.1]})
    >>> len(recommendations(t)), len(recommendations(t.assign(ci_high=0.1)))
    (1, 0)
    """
    bound, target = check_share("compression_bound", compression_bound), check_share("jp_target", jp_target)
    gates = {
        "predikat_kompresi": (
            lambda r: r.ci_low > bound,
            "Kalibrasi penilaian di tingkat unit sebelum predikat dipakai untuk keputusan merit; lengkapi dengan "
            "ukuran kinerja layanan yang terukur (kecepatan dan ketepatan berkas).",
        ),
        "masa_kerja_or": (
            lambda r: r.ci_low > 1,
            "Tinjau aturan seleksi: masa kerja menentukan di luar merit; bila pengalaman memang penting, ukur dan "
            "catat sebagai kompetensi, bukan sebagai lama bekerja.",
        ),
        "gender_or": (
            lambda r: r.ci_high < 1,
            "Periksa proses seleksi di instansi itu (panel, kriteria, dokumentasi): kesenjangan gender yang tidak "
            "dijelaskan merit adalah alasan untuk audit, bukan putusan.",
        ),
        "pelatihan_att": (
            lambda r: r.ci_high < 0,
            "Perluas program pelatihan pelayanan publik ke petugas layanan yang belum mengikutinya{scope}, secara "
            "bertahap agar dampaknya tetap dapat diukur.",
        ),
        "jp_kepatuhan": (
            lambda r: r.ci_high < target,
            "Koordinasikan pelatihan BKN, BPSDM dan dinas sektor agar setiap PNS mencapai 20 JP setahun.",
        ),
        "ikm_unsur_turun": (
            lambda r: r.ci_high < 0,
            "Tindak lanjuti unit yang kepuasannya turun pada unsur yang disebut, bersama pengaduan yang masuk "
            "dari unit itu.",
        ),
    }
    out: list[str] = []
    for row in table.itertuples():
        gate = gates.get(row.kode)
        if gate is not None and gate[0](row):
            # a training recommendation reaches only as far as the sectors the effect was measured in
            where = getattr(row, "lingkup", "") or ""
            scope = f" di sektor tempat efeknya terukur ({where})" if where else ""
            out.append(gate[1].format(scope=scope))
    return out


def as_markdown(table: pd.DataFrame, recommendations: list[str] | None = None) -> str:
    """The findings as a Markdown list grouped by topic (and the recommendations, numbered), for reports.

    Every topic, sentence, notebook number and recommendation is written as text
    (:func:`kinerja_analysis.delivery.escape.markdown_text`): the sentences carry unit ids, instansi,
    programme and sector names from the user's data, and Markdown would render any HTML or link in them.

    >>> t = pd.DataFrame({"topik": ["A", "A"], "kalimat": ["Satu.", "Dua <b>x</b>."], "buku": ["02", "03"]})
    >>> print(as_markdown(t, ["Lakukan X."]))
    **A**
    <BLANKLINE>
    - Satu. *(buku 02)*
    - Dua &lt;b&gt;x&lt;/b&gt;. *(buku 03)*
    <BLANKLINE>
    **Rekomendasi**
    <BLANKLINE>
    1. Lakukan X.
    """
    lines: list[str] = []
    for topic, rows in table.groupby("topik", sort=False):
        items = [f"- {markdown_text(row.kalimat)} *(buku {markdown_text(row.buku)})*" for row in rows.itertuples()]
        lines += [f"**{markdown_text(topic)}**", "", *items, ""]
    if recommendations:
        lines += ["**Rekomendasi**", ""] + [f"{i}. {markdown_text(text)}" for i, text in enumerate(recommendations, 1)]
    return "\n".join(lines).rstrip()
