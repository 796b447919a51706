"""Sentences of the executive summary about people: merit and seniority in selection, the gender gap,
the training effect (speed and accuracy, each with its baseline), JP compliance and partners' reach."""

from __future__ import annotations

import pandas as pd

from kinerja_analysis.delivery.sentences import Finding, format_number, interval, percent, side

__all__ = [
    "seniority_finding",
    "tenure_finding",
    "women_finding",
    "effect_finding",
    "accuracy_effect_finding",
    "jp_finding",
    "partner_findings",
]


def seniority_finding(share: pd.Series) -> Finding:
    """The Shapley share of seniority in what the selection model explains (merit.merit_vs_seniority)."""
    text = (
        f"Senioritas menyumbang {percent(share.share)} dari yang dijelaskan model seleksi "
        f"({interval(share.ci_low, share.ci_high, pct=True)}; bagian Shapley atas kenaikan log-likelihood); "
        "sisanya disumbang skor merit. Ini bukan bagian dari seluruh keputusan seleksi: yang tidak dijelaskan "
        "model tidak dihitung."
    )
    values = (float(share.share), float(share.ci_low), float(share.ci_high))
    return Finding(
        "senioritas_shapley",
        "Sistem merit",
        text,
        *values,
        str(share.method),
        "03",
        "bagian log-likelihood yang dijelaskan",
    )


def tenure_finding(both: pd.Series) -> Finding:
    """Odds ratio per year of masa kerja at equal merit scores; the verb follows the interval against 1."""
    ratio = f"rasio odds {format_number(both.odds_ratio, 2)}, {interval(both.or_ci_low, both.or_ci_high, digits=2)}"
    where = side(both.or_ci_low, both.or_ci_high, 1.0)
    lead = "Pada skor kompetensi dan potensi yang sama, setiap tahun masa kerja"
    if where == "above":
        text = f"{lead} menaikkan odds terpilih {percent(both.odds_ratio - 1)} ({ratio})."
    elif where == "below":
        text = f"{lead} menurunkan odds terpilih {percent(1 - both.odds_ratio)} ({ratio})."
    else:
        text = f"{lead} tidak jelas mengubah odds terpilih ({ratio}, memuat 1)."
    values = (float(both.odds_ratio), float(both.or_ci_low), float(both.or_ci_high))
    return Finding(
        "masa_kerja_or", "Sistem merit", text, *values, str(both.method), "03", "rasio odds per tahun masa kerja"
    )


def women_finding(gap: pd.Series, instansi: str) -> Finding:
    """Conditional odds ratio women / men within the instansi; higher, lower or no clear difference."""
    ci = interval(gap.or_ci_low, gap.or_ci_high, digits=2)
    where = side(gap.or_ci_low, gap.or_ci_high, 1.0)
    lead = f"Di {instansi}, perempuan dengan merit dan senioritas yang sama"
    if where == "spans":
        ratio = format_number(gap.odds_ratio, 2)
        text = f"{lead} tidak jelas berbeda dari laki-laki dalam odds terpilih (rasio odds {ratio}, {ci}, memuat 1)."
    else:
        word = "lebih rendah" if where == "below" else "lebih tinggi"
        text = f"{lead} memiliki odds terpilih {word}: {format_number(gap.odds_ratio, 2)} kali odds laki-laki ({ci})."
    values = (float(gap.odds_ratio), float(gap.or_ci_low), float(gap.or_ci_high))
    return Finding(
        "gender_or", "Keadilan seleksi", text, *values, str(gap.method), "03", "rasio odds perempuan/laki-laki"
    )


def effect_finding(att: pd.Series, programme: str, *, baseline: float, sectors: tuple[str, ...] = ()) -> Finding:
    """The training ATT on days per case, with its baseline: faster (interval below 0), slower or no clear effect.

    ``baseline`` is the mean of the outcome over employee-years not yet trained, so a reader sees the effect
    against what it changes ("0,48 hari lebih cepat, dari rata-rata 1,11 pada yang belum dilatih");
    ``sectors`` are the sectors in which a per-sector effect was measured and shown, the scope of the
    recommendation.
    """
    where = side(att.ci_low, att.ci_high, 0.0)
    tail = "Callaway-Sant'Anna, adopsi bertahap"
    base = f"dari rata-rata {format_number(baseline, 2)} hari kerja pada petugas yang belum dilatih"
    scope = f" Efek per sektor terukur di sektor {', '.join(sectors)}." if sectors else ""
    if where == "below":
        text = (
            f'Program "{programme}" mempercepat penyelesaian berkas rata-rata {format_number(-att.estimate, 2)} '
            f"hari kerja per berkas, {base} ({interval(-att.ci_high, -att.ci_low, digits=2)}; {tail}).{scope}"
        )
    elif where == "above":
        text = (
            f'Program "{programme}" memperlambat penyelesaian berkas rata-rata {format_number(att.estimate, 2)} '
            f"hari kerja per berkas, {base} ({interval(att.ci_low, att.ci_high, digits=2)}; {tail}).{scope}"
        )
    else:
        text = (
            f'Program "{programme}" belum terbukti mengubah lama penyelesaian berkas: perubahan rata-rata '
            f"{format_number(att.estimate, 2)} hari kerja per berkas, {base} "
            f"({interval(att.ci_low, att.ci_high, digits=2)}, memuat nol; {tail})."
        )
    values = (float(att.estimate), float(att.ci_low), float(att.ci_high))
    return Finding(
        "pelatihan_att", "Dampak pelatihan", text, *values, str(att.method), "04", "hari kerja per berkas",
        ", ".join(sectors),
    )  # fmt: skip


def accuracy_effect_finding(att: pd.Series, programme: str, *, baseline: float) -> Finding:
    """The training ATT on the share of an officer's files returned for correction, with its baseline."""
    where = side(att.ci_low, att.ci_high, 0.0)
    points = f"{format_number(100 * abs(att.estimate), 1)} poin persen"
    base = f"dari rata-rata {percent(baseline, 1)} pada petugas yang belum dilatih"
    ci = f"{interval(100 * att.ci_low, 100 * att.ci_high, digits=2)} poin persen"
    if where == "below":
        text = f'Program "{programme}" menurunkan porsi berkas yang dikembalikan sebesar {points}, {base} ({ci}).'
    elif where == "above":
        text = f'Program "{programme}" menaikkan porsi berkas yang dikembalikan sebesar {points}, {base} ({ci}).'
    else:
        text = (
            f'Program "{programme}" belum terbukti mengubah ketepatan berkas (porsi yang dikembalikan berubah '
            f"{format_number(100 * att.estimate, 1)} poin persen, {base}; {ci}, memuat nol)."
        )
    values = (float(att.estimate), float(att.ci_low), float(att.ci_high))
    return Finding(
        "pelatihan_ketepatan", "Dampak pelatihan", text, *values, str(att.method), "04", "porsi berkas dikembalikan"
    )


def jp_finding(pns: pd.Series, *, target: float) -> Finding:
    """Share of PNS reaching 20 JP in the year against the working target."""
    head = f"Pada {int(pns.tahun)}"
    share, ci, goal = percent(pns.estimate), interval(pns.ci_low, pns.ci_high, pct=True), percent(target)
    where = side(pns.ci_low, pns.ci_high, target)
    if where == "below":
        text = (
            f"{head}, hanya {share} PNS mencapai 20 JP pelatihan setahun ({ci}), di bawah target kerja {goal}; "
            "kewajiban itu berlaku untuk setiap PNS."
        )
    elif where == "above":
        text = f"{head}, {share} PNS mencapai 20 JP pelatihan setahun ({ci}), di atas target kerja {goal}."
    else:
        text = (
            f"{head}, {share} PNS mencapai 20 JP pelatihan setahun ({ci}); belum jelas apakah target {goal} tercapai."
        )
    values = (float(pns.estimate), float(pns.ci_low), float(pns.ci_high))
    method = f"{pns.method}; working target {target:g} [open]"
    return Finding("jp_kepatuhan", "Pengembangan kompetensi", text, *values, method, "04", "porsi PNS")


def partner_findings(coverage: pd.DataFrame, unit_kerja: pd.DataFrame) -> list[Finding]:
    """Reach of each sector's own instansi (from unit_kerja) as a training provider for that sector's staff."""
    own = unit_kerja.loc[:, ["instansi", "sektor"]].drop_duplicates().astype(str)
    rows = coverage.assign(penyelenggara=coverage["penyelenggara"].astype(str), sektor=coverage["sektor"].astype(str))
    rows = rows.merge(own, left_on=["penyelenggara", "sektor"], right_on=["instansi", "sektor"], how="inner")
    out = []
    for row in rows.sort_values(["sektor", "penyelenggara"]).itertuples():
        text = (
            f"Pada {row.tahun}, pelatihan {row.penyelenggara} menjangkau {percent(row.estimate)} pegawai sektor "
            f"{row.sektor} ({row.participants} dari {row.n} pegawai; {interval(row.ci_low, row.ci_high, pct=True)})."
        )
        values = (float(row.estimate), float(row.ci_low), float(row.ci_high))
        out.append(
            Finding(
                "mitra_jangkauan",
                "Kolaborasi instansi",
                text,
                *values,
                str(row.method),
                "06",
                "porsi pegawai sektor",
                str(row.sektor),
            )  # fmt: skip
        )
    return out
