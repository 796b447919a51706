"""Sentences of the executive summary: one builder per finding, each choosing its wording from the interval.

A builder takes an already computed result (a row or a small table) and returns a :class:`Finding`: the
Bahasa Indonesia sentence with the number it rests on. Wording (faster or slower, higher or lower,
compressed or not) follows where the 95% interval lies against a reference, so no sentence can say
more than its numbers. :mod:`kinerja_analysis.delivery.summary` runs the analyses and gathers the findings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kinerja_analysis import feedback
from kinerja_analysis.appraisal.inflation import predikat_distribution
from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.common.inference import proportion_interval
from kinerja_analysis.service import kpi

COMPLAINT_LIMIT_DAYS = 14  # the usual SP4N-LAPOR! handling limit in working days (DOMAIN.md 9)


@dataclass(frozen=True)
class Finding:
    """One finding: its key, the sentence, the number it rests on, and where it comes from."""

    kode: str
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


def _side(low: float, high: float, reference: float) -> str:
    """Where an interval lies against a reference: "above", "below" or "spans" (the evidence is unclear)."""
    if low > reference:
        return "above"
    if high < reference:
        return "below"
    return "spans"


def _check_share(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise InvalidOptionError(f"{name}={value!r} is not allowed; give a share strictly between 0 and 1 (e.g. 0.8).")
    return float(value)


def _predikat(rows: pd.DataFrame, year: int, *, bound: float) -> Finding:
    """Compression: the modal predikat's share of the year's annual appraisals, Wilson interval, against ``bound``."""
    dist = predikat_distribution(rows[rows["tahun"] == year], by="tahun")
    modal = dist.loc[dist["n"].idxmax()]
    top = dist.loc[dist["predikat"].astype(str) == "Sangat Baik", "share"].iloc[0]
    (low,), (high,) = proportion_interval(np.array([modal.n]), np.array([modal.total]))
    name, share, ci = str(modal.predikat), float(modal.share), _interval(low, high, pct=True)
    side = _side(low, high, bound)
    if side == "above":
        text = (
            f"Pada {year}, predikat terkompresi: {_pct(share)} pegawai mendapat predikat {name} ({ci}), di atas "
            f"batas {_pct(bound)}; Sangat Baik {_pct(top)}. Predikat belum dapat membedakan kinerja antarpegawai."
        )
    elif side == "below":
        text = (
            f"Pada {year}, predikat tidak terkompresi: predikat terbanyak, {name}, mencakup {_pct(share)} pegawai "
            f"({ci}), di bawah batas {_pct(bound)}; Sangat Baik {_pct(top)}."
        )
    else:
        text = (
            f"Pada {year}, predikat terbanyak, {name}, mencakup {_pct(share)} pegawai ({ci}); belum jelas apakah "
            f"sebaran predikat melewati batas kompresi {_pct(bound)}. Sangat Baik {_pct(top)}."
        )
    method = f"share of the modal predikat ({name}); Wilson score interval 95%; compression bound {bound:g} [open]"
    return Finding("predikat_kompresi", "Penilaian kinerja", text, share, float(low), float(high), method, "02")


def _sla(layanan: pd.DataFrame, year: int) -> tuple[Finding, Finding]:
    cases = layanan[layanan["tanggal_masuk"].dt.year == year]
    units = kpi.sla_compliance(cases, by=("unit_id",)).sort_values("estimate")
    overall = kpi.sla_compliance(cases.assign(_semua="semua"), by=("_semua",)).iloc[0]
    worst = units.iloc[0]
    first = Finding(
        "sla_keseluruhan",
        "Kecepatan layanan",
        f"Pada {year}, {_pct(overall.estimate)} berkas layanan selesai dalam standar waktunya "
        f"({_interval(overall.ci_low, overall.ci_high, pct=True)}).",
        float(overall.estimate),
        float(overall.ci_low),
        float(overall.ci_high),
        str(overall.method),
        "02",
    )
    after = f"; unit berikutnya {units.iloc[1].unit_id} {_pct(units.iloc[1].estimate)}" if len(units) > 1 else ""
    second = Finding(
        "sla_unit_terendah",
        "Kecepatan layanan",
        f"Unit dengan kepatuhan standar terendah adalah {worst.unit_id}: {_pct(worst.estimate)} "
        f"({_interval(worst.ci_low, worst.ci_high, pct=True)}), terendah dari {len(units)} unit{after}.",
        float(worst.estimate),
        float(worst.ci_low),
        float(worst.ci_high),
        str(worst.method),
        "02",
    )
    return first, second


def _seniority(share: pd.Series) -> Finding:
    """The Shapley share of seniority in what the selection model explains (merit.merit_vs_seniority)."""
    text = (
        f"Senioritas menyumbang {_pct(share.share)} dari yang dijelaskan model seleksi "
        f"({_interval(share.ci_low, share.ci_high, pct=True)}; bagian Shapley atas kenaikan log-likelihood); "
        "sisanya disumbang skor merit. Ini bukan bagian dari seluruh keputusan seleksi: yang tidak dijelaskan "
        "model tidak dihitung."
    )
    values = (float(share.share), float(share.ci_low), float(share.ci_high))
    return Finding("senioritas_shapley", "Sistem merit", text, *values, str(share.method), "03")


def _tenure(both: pd.Series) -> Finding:
    """Odds ratio per year of masa kerja at equal merit scores; the verb follows the interval against 1."""
    ratio = f"rasio odds {format_number(both.odds_ratio, 2)}, {_interval(both.or_ci_low, both.or_ci_high, digits=2)}"
    side = _side(both.or_ci_low, both.or_ci_high, 1.0)
    lead = "Pada skor kompetensi dan potensi yang sama, setiap tahun masa kerja"
    if side == "above":
        text = f"{lead} menaikkan odds terpilih {_pct(both.odds_ratio - 1)} ({ratio})."
    elif side == "below":
        text = f"{lead} menurunkan odds terpilih {_pct(1 - both.odds_ratio)} ({ratio})."
    else:
        text = f"{lead} tidak jelas mengubah odds terpilih ({ratio}, memuat 1)."
    values = (float(both.odds_ratio), float(both.or_ci_low), float(both.or_ci_high))
    return Finding("masa_kerja_or", "Sistem merit", text, *values, str(both.method), "03")


def _women(gap: pd.Series, instansi: str) -> Finding:
    """Conditional odds ratio women / men within the instansi; higher, lower or no clear difference."""
    ci = _interval(gap.or_ci_low, gap.or_ci_high, digits=2)
    side = _side(gap.or_ci_low, gap.or_ci_high, 1.0)
    lead = f"Di {instansi}, perempuan dengan merit dan senioritas yang sama"
    if side == "spans":
        ratio = format_number(gap.odds_ratio, 2)
        text = f"{lead} tidak jelas berbeda dari laki-laki dalam odds terpilih (rasio odds {ratio}, {ci}, memuat 1)."
    else:
        word = "lebih rendah" if side == "below" else "lebih tinggi"
        text = f"{lead} memiliki odds terpilih {word}: {format_number(gap.odds_ratio, 2)} kali odds laki-laki ({ci})."
    values = (float(gap.odds_ratio), float(gap.or_ci_low), float(gap.or_ci_high))
    return Finding("gender_or", "Keadilan seleksi", text, *values, str(gap.method), "03")


def _effect(att: pd.Series, programme: str) -> Finding:
    """The training ATT on days per case: faster (interval below 0), slower (above 0) or no clear effect."""
    side = _side(att.ci_low, att.ci_high, 0.0)
    tail = "Callaway-Sant'Anna, adopsi bertahap"
    if side == "below":
        text = (
            f'Program "{programme}" mempercepat penyelesaian berkas rata-rata {format_number(-att.estimate, 2)} '
            f"hari kerja per berkas ({_interval(-att.ci_high, -att.ci_low, digits=2)}; {tail})."
        )
    elif side == "above":
        text = (
            f'Program "{programme}" memperlambat penyelesaian berkas rata-rata {format_number(att.estimate, 2)} '
            f"hari kerja per berkas ({_interval(att.ci_low, att.ci_high, digits=2)}; {tail})."
        )
    else:
        text = (
            f'Program "{programme}" belum terbukti mengubah lama penyelesaian berkas: perubahan rata-rata '
            f"{format_number(att.estimate, 2)} hari kerja per berkas ({_interval(att.ci_low, att.ci_high, digits=2)}, "
            f"memuat nol; {tail})."
        )
    values = (float(att.estimate), float(att.ci_low), float(att.ci_high))
    return Finding("pelatihan_att", "Dampak pelatihan", text, *values, str(att.method), "04")


def _jp(pns: pd.Series, *, target: float) -> Finding:
    """Share of PNS reaching 20 JP in the year against the working target."""
    head = f"Pada {int(pns.tahun)}"
    share, ci, goal = _pct(pns.estimate), _interval(pns.ci_low, pns.ci_high, pct=True), _pct(target)
    side = _side(pns.ci_low, pns.ci_high, target)
    if side == "below":
        text = (
            f"{head}, hanya {share} PNS mencapai 20 JP pelatihan setahun ({ci}), di bawah target kerja {goal}; "
            "kewajiban itu berlaku untuk setiap PNS."
        )
    elif side == "above":
        text = f"{head}, {share} PNS mencapai 20 JP pelatihan setahun ({ci}), di atas target kerja {goal}."
    else:
        text = (
            f"{head}, {share} PNS mencapai 20 JP pelatihan setahun ({ci}); belum jelas apakah target {goal} tercapai."
        )
    values = (float(pns.estimate), float(pns.ci_low), float(pns.ci_high))
    method = f"{pns.method}; working target {target:g} [open]"
    return Finding("jp_kepatuhan", "Pengembangan kompetensi", text, *values, method, "04")


def _satisfaction(survey: pd.DataFrame, year: int, base_year: int) -> list[Finding]:
    index = feedback.ikm(survey[survey["tanggal"].dt.year == year], by="unit_id")
    below_b = index[index["mutu"].astype(str).isin(["C", "D"])]
    lowest = index.sort_values("estimate").iloc[0]
    grades = Finding(
        "ikm_terendah",
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
    # only drops whose multiplicity-corrected interval excludes 0 are reported
    drops = items[items["significant"] & (items["estimate"] < 0)].sort_values("estimate")
    if drops.empty:
        return [grades]
    unit = drops.iloc[0]["unit_id"]
    unit_drops = drops[drops["unit_id"] == unit]
    first = unit_drops.iloc[0]
    names = ", ".join(str(i).upper() for i in unit_drops["item"])
    drop = Finding(
        "ikm_unsur_turun",
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
    return [grades, drop]


def _partners(coverage: pd.DataFrame, unit_kerja: pd.DataFrame) -> list[Finding]:
    """Reach of each sector's own instansi (from unit_kerja) as a training provider for that sector's staff."""
    own = unit_kerja.loc[:, ["instansi", "sektor"]].drop_duplicates().astype(str)
    rows = coverage.assign(penyelenggara=coverage["penyelenggara"].astype(str), sektor=coverage["sektor"].astype(str))
    rows = rows.merge(own, left_on=["penyelenggara", "sektor"], right_on=["instansi", "sektor"], how="inner")
    out = []
    for row in rows.sort_values(["sektor", "penyelenggara"]).itertuples():
        text = (
            f"Pada {row.tahun}, pelatihan {row.penyelenggara} menjangkau {_pct(row.estimate)} pegawai sektor "
            f"{row.sektor} ({row.participants} dari {row.n} pegawai; {_interval(row.ci_low, row.ci_high, pct=True)})."
        )
        values = (float(row.estimate), float(row.ci_low), float(row.ci_high))
        out.append(Finding("mitra_jangkauan", "Kolaborasi instansi", text, *values, str(row.method), "06"))
    return out


def _complaints(pengaduan: pd.DataFrame, year: int, as_of: object | None) -> Finding | None:
    """Share of the year's complaints resolved within 14 working days (Kaplan-Meier, open ones censored)."""
    received = pengaduan[pengaduan["tanggal_masuk"].dt.year == year]
    if received.empty:
        return None
    # without an extraction date, the last date the table records is the latest date known to hold
    stamp = pd.Timestamp(as_of) if as_of is not None else pengaduan[["tanggal_masuk", "tanggal_selesai"]].max().max()
    row = feedback.complaint_resolution(received, as_of=stamp, limit_days=COMPLAINT_LIMIT_DAYS).iloc[0]
    late = f"; {row.open_over_limit} masih terbuka melewati batas" if row.open_over_limit else ""
    text = (
        f"Dari {row.n} pengaduan yang masuk pada {year}, {_pct(row.share_within_limit)} selesai dalam "
        f"{COMPLAINT_LIMIT_DAYS} hari kerja ({_interval(row.share_ci_low, row.share_ci_high, pct=True)}; "
        f"Kaplan-Meier, pengaduan terbuka disensor pada {stamp:%Y-%m-%d}){late}."
    )
    values = (float(row.share_within_limit), float(row.share_ci_low), float(row.share_ci_high))
    return Finding("pengaduan_14_hari", "Pengaduan masyarakat", text, *values, str(row.method), "05")
