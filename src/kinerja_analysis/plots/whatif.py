"""Pictures of the what-if scenarios: impact ratios under two rules, IKM item targets, projections, predikat bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ._common import label, new_axes


def plot_impact_ratios(impact: pd.DataFrame, *, by: str, threshold: float = 0.8, ax: Axes | None = None) -> Axes:
    """Impact ratios of the groups of ``by``: the actual decisions beside the rule (from ``promotion_scenario``).

    Draws two horizontal bars per group (``impact_ratio_actual``, ``impact_ratio_rule``) and a dashed line
    at the four-fifths ``threshold``.
    """
    rows = impact.loc[impact["by"] == by]
    ax = new_axes(ax, size=(7, max(2.5, 0.45 * len(rows) + 1)))
    pos = np.arange(len(rows))[::-1].astype(float)
    ax.barh(pos + 0.2, rows["impact_ratio_actual"].astype("float64"), height=0.4, color="tab:gray",
            label="Keputusan nyata")  # fmt: skip
    ax.barh(pos - 0.2, rows["impact_ratio_rule"].astype("float64"), height=0.4, color="tab:blue",
            label="Aturan skenario")  # fmt: skip
    ax.axvline(threshold, color="firebrick", linestyle="--", linewidth=1)
    ax.set_yticks(pos, rows["group"].astype(str).tolist())
    ax.set_ylabel(label(by))
    ax.set_xlabel(f"Rasio dampak (garis: {threshold:g}, aturan empat per lima)")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_ikm_target(items: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """NRR per item today and the increase a target needs (``IkmTarget.items``), stacked, with the cap 4."""
    ax = new_axes(ax, size=(7, 3.5))
    pos = np.arange(len(items))[::-1]
    ax.barh(pos, items["nrr"].astype("float64"), color="tab:gray", label="NRR sekarang")
    ax.barh(pos, items["increase"].astype("float64"), left=items["nrr"].astype("float64"), color="tab:orange",
            label="Kenaikan yang diperlukan")  # fmt: skip
    ax.axvline(4.0, color="grey", linestyle=":", linewidth=1)
    ax.set_yticks(pos, [str(i).upper() for i in items["item"]])
    ax.set_xlim(1, 4.1)
    ax.set_xlabel("Nilai rata-rata unsur (NRR, 1-4)")
    ax.legend(loc="lower left", fontsize=8)
    return ax


def plot_projection(
    table: pd.DataFrame,
    *,
    x: str = "reach",
    y: str = "projected",
    band: tuple[str, str] = ("projected_low", "projected_high"),
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A projected outcome against a control (rows of ``training_scenario`` over a grid), with its band."""
    ax = new_axes(ax)
    data = table.sort_values(x)
    xs = data[x].astype("float64").to_numpy()
    ax.fill_between(xs, data[band[0]].astype("float64"), data[band[1]].astype("float64"), alpha=0.25,
                    color="tab:blue", label="Selang 95%")  # fmt: skip
    ax.plot(xs, data[y].astype("float64"), color="tab:blue", label="Proyeksi")
    ax.set_xlabel("Jangkauan pelatihan (porsi petugas yang sudah dilatih)" if x == "reach" else label(x))
    ax.set_ylabel(ylabel or label(y))
    ax.legend(loc="best", fontsize=8)
    return ax


def plot_distribution_check(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Observed shares against the guidance's bounds, one row per rule (``distribution_scenario``'s table).

    A bar per rule at its ``observed`` share (green where ``ok``, red where not; the share also written
    beside it) and a black tick at its ``bound``, labelled with the ``operator`` (``<=`` a ceiling,
    ``>=``/``>`` a floor).
    """
    ax = new_axes(ax, size=(7, max(2.5, 0.55 * len(table) + 1)))
    pos = np.arange(len(table))[::-1].astype(float)
    observed = 100 * table["observed"].astype("float64").to_numpy()
    bound = 100 * table["bound"].astype("float64").to_numpy()
    colors = ["tab:green" if ok else "firebrick" for ok in table["ok"].astype(bool)]
    ax.barh(pos, observed, height=0.5, color=colors, label="Porsi (hijau: memenuhi, merah: tidak)")
    ax.scatter(bound, pos, marker="|", s=900, color="black", zorder=3, label="Batas pedoman")
    for y, o, b, op in zip(pos, observed, bound, table["operator"].astype(str), strict=True):
        ax.annotate(f"{op} {b:g}%", (b, y + 0.3), ha="center", va="bottom", fontsize=8)
        # the observed share in words too: a share of 0.1% draws no visible bar
        ax.annotate(f"{o:.1f}%".replace(".", ","), (o, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)  # fmt: skip
    ax.set_yticks(pos, [str(r).replace("_", " ") for r in table["rule"]])
    ax.set_xlim(0, 110)
    # room below the last rule for the legend
    ax.set_ylim(pos.min() - 1.6, pos.max() + 0.9)
    ax.set_xlabel("Porsi pegawai (%) menurut predikat, SE MenPANRB 3/2023 [kemungkinan]")
    ax.legend(loc="lower right", fontsize=8)
    return ax
