"""Sentences of the executive summary about citizens: satisfaction (IKM, with an uncertain grade said to be
uncertain), the items that dropped, and complaints resolved within the handling limit."""

from __future__ import annotations

import pandas as pd

from kinerja_analysis import feedback
from kinerja_analysis.delivery.sentences import Finding, format_number, interval, percent

__all__ = ["COMPLAINT_LIMIT_DAYS", "satisfaction_findings", "complaint_finding"]

COMPLAINT_LIMIT_DAYS = 14  # the usual SP4N-LAPOR! handling limit in working days (DOMAIN.md 9)


def satisfaction_findings(survey: pd.DataFrame, year: int, base_year: int) -> list[Finding]:
    index = feedback.ikm(survey[survey["tanggal"].dt.year == year], by="unit_id")
    below_b = index[index["mutu"].astype(str).isin(["C", "D"])]
    lowest = index.sort_values("estimate").iloc[0]
    uncertain = index[index["mutu_pasti"].eq(False)]
    certain = lowest.mutu_pasti
    doubt = (
        f"; mutunya ({lowest.mutu}) belum pasti karena selangnya melewati batas mutu"
        if pd.notna(certain) and not certain
        else ""
    )
    also = f" Mutu {len(uncertain)} unit belum pasti: selangnya melewati batas mutu." if len(uncertain) else ""
    grades = Finding(
        "ikm_terendah",
        "Kepuasan masyarakat",
        f"Pada {year}, {len(index) - len(below_b)} dari {len(index)} unit bermutu pelayanan B atau lebih; "
        f"IKM terendah di {lowest.unit_id}: {format_number(lowest.estimate, 2)} "
        f"({interval(lowest.ci_low, lowest.ci_high, digits=2)}, bobot {lowest.weight}){doubt}.{also}",
        float(lowest.estimate),
        float(lowest.ci_low),
        float(lowest.ci_high),
        str(lowest.method),
        "05",
        "poin IKM (25-100)",
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
        "poin pada skala 1-4",
    )
    return [grades, drop]


def complaint_finding(pengaduan: pd.DataFrame, year: int, as_of: object | None) -> Finding | None:
    """Share of the year's complaints resolved within 14 working days (Kaplan-Meier, open ones censored)."""
    received = pengaduan[pengaduan["tanggal_masuk"].dt.year == year]
    if received.empty:
        return None
    # without an extraction date, the last date the table records is the latest date known to hold
    stamp = pd.Timestamp(as_of) if as_of is not None else pengaduan[["tanggal_masuk", "tanggal_selesai"]].max().max()
    row = feedback.complaint_resolution(received, as_of=stamp, limit_days=COMPLAINT_LIMIT_DAYS).iloc[0]
    late = f"; {row.open_over_limit} masih terbuka melewati batas" if row.open_over_limit else ""
    text = (
        f"Dari {row.n} pengaduan yang masuk pada {year}, {percent(row.share_within_limit)} selesai dalam "
        f"{COMPLAINT_LIMIT_DAYS} hari kerja ({interval(row.share_ci_low, row.share_ci_high, pct=True)}; "
        f"Kaplan-Meier, pengaduan terbuka disensor pada {stamp:%Y-%m-%d}){late}."
    )
    values = (float(row.share_within_limit), float(row.share_ci_low), float(row.share_ci_high))
    return Finding("pengaduan_14_hari", "Pengaduan masyarakat", text, *values, str(row.method), "05", "porsi pengaduan")
