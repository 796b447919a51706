"""Sentences of the executive summary: the :class:`Finding`, the number formats, and the findings on appraisal
and service (predikat compression, SLA, accuracy of files).

A builder takes an already computed result (a row or a small table) and returns a :class:`Finding`: the
Bahasa Indonesia sentence with the number it rests on and its unit. Wording (faster or slower, higher or
lower, compressed or not) follows where the 95% interval lies against a reference, so no sentence can say
more than its numbers. The findings on people (merit, training, JP, partners) are in
:mod:`.sentences_people`, those on citizens (IKM, complaints) in :mod:`.sentences_citizens`;
:mod:`kinerja_analysis.delivery.summary` runs the analyses and gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kinerja_analysis import service
from kinerja_analysis.appraisal.inflation import predikat_distribution
from kinerja_analysis.common.inference import proportion_interval


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
    satuan: str
    """The unit of ``estimate`` as the reports write it ("porsi berkas", "hari kerja per berkas", "rasio odds")."""
    lingkup: str = ""
    """Where the finding holds, when narrower than the whole data (the sectors in which an effect was measured)."""


def format_number(value: float, digits: int = 1) -> str:
    """A number as Bahasa Indonesia writes it: decimal comma, thousands point.

    >>> format_number(1234.567, 2), format_number(-0.5), format_number(float("nan"))
    ('1.234,57', '-0,5', 't/a')
    """
    if value is None or not np.isfinite(value):
        return "t/a"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent(value: float, digits: int = 0) -> str:
    """A share as a percentage the Indonesian way: ``percent(0.512)`` is ``'51%'``."""
    return f"{format_number(100 * value, digits)}%"


def interval(low: float, high: float, *, pct: bool = False, digits: int = 1) -> str:
    """The words for a 95% interval, as shares in percent or as numbers."""
    if pct:
        return f"selang 95% {percent(low, digits)} sampai {percent(high, digits)}"
    return f"selang 95% {format_number(low, digits)} sampai {format_number(high, digits)}"


def side(low: float, high: float, reference: float) -> str:
    """Where an interval lies against a reference: "above", "below" or "spans" (the evidence is unclear)."""
    if low > reference:
        return "above"
    if high < reference:
        return "below"
    return "spans"


def predikat_finding(rows: pd.DataFrame, year: int, *, bound: float) -> Finding:
    """Compression: the modal predikat's share of the year's annual appraisals, Wilson interval, against ``bound``."""
    dist = predikat_distribution(rows[rows["tahun"] == year], by="tahun")
    modal = dist.loc[dist["n"].idxmax()]
    top = dist.loc[dist["predikat"].astype(str) == "Sangat Baik", "share"].iloc[0]
    (low,), (high,) = proportion_interval(np.array([modal.n]), np.array([modal.total]))
    name, share, ci = str(modal.predikat), float(modal.share), interval(low, high, pct=True)
    where = side(low, high, bound)
    if where == "above":
        text = (
            f"Pada {year}, predikat terkompresi: {percent(share)} pegawai mendapat predikat {name} ({ci}), di atas "
            f"batas {percent(bound)}; Sangat Baik {percent(top)}. Predikat belum dapat membedakan kinerja antarpegawai."
        )
    elif where == "below":
        text = (
            f"Pada {year}, predikat tidak terkompresi: predikat terbanyak, {name}, mencakup {percent(share)} pegawai "
            f"({ci}), di bawah batas {percent(bound)}; Sangat Baik {percent(top)}."
        )
    else:
        text = (
            f"Pada {year}, predikat terbanyak, {name}, mencakup {percent(share)} pegawai ({ci}); belum jelas apakah "
            f"sebaran predikat melewati batas kompresi {percent(bound)}. Sangat Baik {percent(top)}."
        )
    method = f"share of the modal predikat ({name}); Wilson score interval 95%; compression bound {bound:g} [open]"
    return Finding(
        "predikat_kompresi", "Penilaian kinerja", text, share, float(low), float(high), method, "02", "porsi pegawai"
    )


def sla_findings(layanan: pd.DataFrame, year: int) -> tuple[Finding, Finding]:
    cases = layanan[layanan["tanggal_masuk"].dt.year == year]
    units = service.sla_compliance(cases, by=("unit_id",)).sort_values("estimate")
    overall = service.sla_compliance(cases.assign(_semua="semua"), by=("_semua",)).iloc[0]
    worst = units.iloc[0]
    first = Finding(
        "sla_keseluruhan",
        "Kecepatan layanan",
        f"Pada {year}, {percent(overall.estimate)} berkas layanan selesai dalam standar waktunya "
        f"({interval(overall.ci_low, overall.ci_high, pct=True)}).",
        float(overall.estimate),
        float(overall.ci_low),
        float(overall.ci_high),
        str(overall.method),
        "02",
        "porsi berkas",
    )
    after = f"; unit berikutnya {units.iloc[1].unit_id} {percent(units.iloc[1].estimate)}" if len(units) > 1 else ""
    second = Finding(
        "sla_unit_terendah",
        "Kecepatan layanan",
        f"Unit dengan kepatuhan standar terendah adalah {worst.unit_id}: {percent(worst.estimate)} "
        f"({interval(worst.ci_low, worst.ci_high, pct=True)}), terendah dari {len(units)} unit{after}.",
        float(worst.estimate),
        float(worst.ci_low),
        float(worst.ci_high),
        str(worst.method),
        "02",
        "porsi berkas",
    )
    return first, second


def accuracy_finding(layanan: pd.DataFrame, year: int) -> Finding:
    """The least accurate unit: the highest share of files returned to the citizen for correction."""
    cases = layanan[layanan["tanggal_masuk"].dt.year == year]
    units = service.return_rate(cases, by=("unit_id",)).sort_values("estimate", ascending=False)
    overall = service.return_rate(cases.assign(_semua="semua"), by=("_semua",)).iloc[0]
    worst = units.iloc[0]
    # the worst unit is called least accurate only when its interval lies above the pooled share
    where = side(worst.ci_low, worst.ci_high, float(overall.estimate))
    verdict = (
        "lebih sering daripada gabungan semua unit secara meyakinkan"
        if where == "above"
        else "tetapi selangnya memuat porsi gabungan, sehingga belum pasti berbeda"
    )
    text = (
        f"Pada {year}, {percent(overall.estimate, 1)} berkas dikembalikan kepada warga untuk diperbaiki; paling "
        f"sering di {worst.unit_id}: {percent(worst.estimate, 1)} "
        f"({interval(worst.ci_low, worst.ci_high, pct=True)}), {verdict}."
    )
    values = (float(worst.estimate), float(worst.ci_low), float(worst.ci_high))
    return Finding("ketepatan_unit", "Ketepatan layanan", text, *values, str(worst.method), "02", "porsi berkas")
