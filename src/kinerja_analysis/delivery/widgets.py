"""ipywidgets panels over the what-if scenarios: controls in, a scenario function called, the result shown.

The panels hold no analysis: each control change calls a function of :mod:`kinerja_analysis.whatif` and
draws with :mod:`kinerja_analysis.plots`. The result goes into the panel's ``Output`` as display data
(text, HTML and a PNG figure) set directly on the widget, so it works the same in JupyterLab, in Voila and
without a kernel (tests). Figures are matplotlib ``Figure`` objects outside pyplot, so moving a slider
a hundred times does not pile up open figures.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kinerja_analysis import plots, whatif
from kinerja_analysis.data.schema import PREDIKAT
from kinerja_analysis.merit.talent import POTENSIAL_CUTOFFS

__all__ = [
    "Panel",
    "percent",
    "promotion_panel",
    "training_panel",
    "jp_panel",
    "ikm_panel",
    "distribution_panel",
]

_FEATURE_LABELS = {"kompetensi": "Kompetensi", "potensi": "Potensi", "kinerja": "Kinerja", "senioritas": "Senioritas"}
_ORG = ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")


@dataclass(eq=False)
class Panel:
    """A panel: its layout, its named controls and its output (shown as the layout in a notebook)."""

    box: w.Box
    controls: dict[str, w.Widget]
    output: w.Output
    update: Callable[[], None] = field(repr=False)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)


def percent(value: float, digits: int = 1) -> str:
    """A share as an Indonesian percentage (decimal comma): ``percent(0.234) == '23,4%'``.

    >>> percent(0.2346), percent(float("nan"))
    ('23,5%', '-')
    """
    if value != value:  # NaN
        return "-"
    return f"{100 * value:.{digits}f}%".replace(".", ",")


def _number(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _png(draw: Callable[[Axes], object], size: tuple[float, float]) -> str:
    fig = Figure(figsize=size, dpi=80)
    ax = fig.subplots()
    draw(ax)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _show(output: w.Output, text: str, table: pd.DataFrame | None = None, png: str | None = None) -> None:
    """Replace the output with a summary line, a table and a figure."""
    body = f'<p class="kinerja-hasil">{html.escape(text)}</p>'
    if table is not None:
        body += table.to_html(index=False, float_format=lambda v: f"{v:.3f}", na_rep="-")
    items: list[dict[str, Any]] = [
        {"output_type": "display_data", "data": {"text/plain": text, "text/html": body}, "metadata": {}}
    ]
    if png is not None:
        items.append({"output_type": "display_data", "data": {"image/png": png, "text/plain": "<Figure>"},
                      "metadata": {}})  # fmt: skip
    output.outputs = tuple(items)


def _wire(controls: Mapping[str, w.Widget], update: Callable[[], None]) -> None:
    for control in controls.values():
        control.observe(lambda _change: update(), names="value")


def promotion_panel(
    inputs: whatif.PromotionInputs,
    *,
    weights: Mapping[str, float] | None = None,
    min_kompetensi: float = 0.0,
    min_potensi: float = 0.0,
    min_cell: int = 10,
    potensial_cutoffs: tuple[float, float] = POTENSIAL_CUTOFFS,
) -> Panel:
    """Sliders for the four weights and the two cut-offs; shows winners changed, seniority, impact ratios.

    A range slider sets the 9-box potensial cut-offs (default (60, 75) [open]) and the summary says how many
    winners under the rule are in the succession pool (boxes 7-9, :func:`~kinerja_analysis.whatif.winners_nine_box`).

    ``weights`` sets the starting position (default kompetensi 1, potensi 1, kinerja 0.5, senioritas 1).
    A cut-off of 0 means none. Groups under ``min_cell`` candidates are withheld from the table and the
    figure (:meth:`~kinerja_analysis.whatif.PromotionScenario.publishable_impact`).
    """
    start = {"kompetensi": 1.0, "potensi": 1.0, "kinerja": 0.5, "senioritas": 1.0} | dict(weights or {})
    controls: dict[str, w.Widget] = {
        f: w.FloatSlider(
            value=start[f], min=0.0, max=2.0, step=0.1, description=_FEATURE_LABELS[f], continuous_update=False
        )  # fmt: skip
        for f in whatif.FEATURES
    }
    controls["min_kompetensi"] = w.FloatSlider(value=min_kompetensi, min=0.0, max=90.0, step=5.0,
                                               description="Batas kompetensi", continuous_update=False)  # fmt: skip
    controls["min_potensi"] = w.FloatSlider(value=min_potensi, min=0.0, max=90.0, step=5.0,
                                            description="Batas potensi", continuous_update=False)  # fmt: skip
    controls["by"] = w.Dropdown(options=list(inputs.group_columns), description="Kelompok")
    controls["potensial_cutoffs"] = w.FloatRangeSlider(
        value=potensial_cutoffs, min=0.0, max=100.0, step=1.0, description="Batas 9-kotak", continuous_update=False
    )
    output = w.Output()

    def update() -> None:
        cuts = {c: (controls[c].value if controls[c].value > 0 else None) for c in ("min_kompetensi", "min_potensi")}
        r = whatif.promotion_scenario(inputs, weights={f: controls[f].value for f in whatif.FEATURES}, **cuts)
        text = (f"Pemenang berubah dibanding keputusan nyata: {percent(r.changed_share)} dari "
                f"{inputs.n_selections} seleksi; senioritas menentukan pemenang di {percent(r.seniority_decides)} "
                f"seleksi; tanpa kandidat yang memenuhi syarat: {r.n_unfilled}.")  # fmt: skip
        low, high = controls["potensial_cutoffs"].value
        if low < high:  # the range slider allows low == high, which nine_box rejects
            boxes = whatif.winners_nine_box(inputs, r, potensial_cutoffs=(low, high))
            pooled = int(boxes["pool_instansi"].sum())
            text += (f" Pemenang di kotak 7-9 (kelompok suksesi; potensial rendah < {_number(low, 0)} <= menengah"
                     f" < {_number(high, 0)} <= tinggi): {pooled} dari {len(boxes)}.")  # fmt: skip
        else:
            text += " Batas 9-kotak: batas bawah harus di bawah batas atas."
        by = controls["by"].value
        impact = r.publishable_impact(min_n=min_cell)
        if impact.loc[impact["by"] == by, "suppressed"].any():
            text += f" Kelompok dengan kurang dari {min_cell} kandidat (dan pelengkapnya) disembunyikan."
        table = impact.loc[impact["by"] == by].drop(columns="by")
        _show(output, text, table, _png(lambda ax: plots.plot_impact_ratios(impact, by=by, ax=ax), (6, 3)))

    _wire(controls, update)
    update()
    box = w.VBox([w.HBox([w.VBox(list(controls.values())[:4]), w.VBox(list(controls.values())[4:])]), output])
    return Panel(box=box, controls=controls, output=output, update=update)


def training_panel(effects: pd.DataFrame, *, by: str = "sektor", alpha: float = 0.05) -> Panel:
    """A sector dropdown and a reach slider; shows the projected case speed and SLA with intervals."""
    levels = sorted(effects[by].astype(str).unique().tolist())
    controls: dict[str, w.Widget] = {
        "level": w.Dropdown(options=levels, description="Sektor"),
        "reach": w.FloatSlider(
            value=1.0, min=0.0, max=1.0, step=0.05, description="Jangkauan", continuous_update=False
        ),  # fmt: skip
    }
    output = w.Output()

    def update() -> None:
        t = whatif.training_scenario(effects, level=controls["level"].value, reach=controls["reach"].value, by=by,
                                     alpha=alpha)  # fmt: skip
        parts = [f"{row.outcome}: {_number(row.baseline, 3)} menjadi {_number(row.projected, 3)} "
                 f"({_number(row.projected_low, 3)} sampai {_number(row.projected_high, 3)})"
                 for row in t.itertuples()]  # fmt: skip
        text = f"Jangkauan {percent(controls['reach'].value, 0)}: " + "; ".join(parts) + "."
        _show(output, text, t.drop(columns=["method"]))

    _wire(controls, update)
    update()
    return Panel(box=w.VBox([w.HBox(list(controls.values())), output]), controls=controls, output=output,
                 update=update)  # fmt: skip


def jp_panel(
    panel: pd.DataFrame, effects: pd.DataFrame, *, programme_jp: float, by: str = "sektor", alpha: float = 0.05
) -> Panel:
    """A sector dropdown and an added-reach slider; shows the projected 20 JP share and case speed and SLA.

    Compliance from :func:`~kinerja_analysis.whatif.jp_scenario` (PNS in post all year), speed and SLA from
    :func:`~kinerja_analysis.whatif.jp_speed_scenario` for the same added reach.
    """
    levels = sorted(set(effects[by].astype(str)) & set(panel[by].dropna().astype(str)))
    controls: dict[str, w.Widget] = {
        "level": w.Dropdown(options=levels, description="Sektor"),
        "added_reach": w.FloatSlider(
            value=0.2, min=0.0, max=1.0, step=0.05, description="Tambahan jangkauan", continuous_update=False
        ),  # fmt: skip
    }
    output = w.Output()

    def update() -> None:
        level, added = controls["level"].value, controls["added_reach"].value
        jp = whatif.jp_scenario(panel, level=level, added_reach=added, programme_jp=programme_jp, by=by,
                                alpha=alpha).iloc[0]  # fmt: skip
        speed = whatif.jp_speed_scenario(effects, level=level, added_reach=added, by=by, alpha=alpha)
        parts = [f"{row.outcome}: {_number(row.baseline, 3)} menjadi {_number(row.projected, 3)} "
                 f"({_number(row.projected_low, 3)} sampai {_number(row.projected_high, 3)})"
                 for row in speed.itertuples()]  # fmt: skip
        text = (f"Program {programme_jp:g} JP menjangkau {percent(added, 0)} PNS lagi: PNS dengan >= 20 JP "
                f"{percent(jp['share_now'])} menjadi {percent(jp['estimate'])} ({percent(jp['ci_low'])} sampai "
                f"{percent(jp['ci_high'])}); " + "; ".join(parts) + ".")  # fmt: skip
        _show(output, text, speed.drop(columns=["method"]))

    _wire(controls, update)
    update()
    return Panel(box=w.VBox([w.HBox(list(controls.values())), output]), controls=controls, output=output,
                 update=update)  # fmt: skip


def ikm_panel(nrr: pd.DataFrame, *, unit: str = "unit_id") -> Panel:
    """Unit, target grade and weight dropdowns; shows the NRR increases per item (rows of ``feedback.ikm``)."""
    units = nrr[unit].astype(str).tolist()
    controls: dict[str, w.Widget] = {
        "unit": w.Dropdown(options=units, description="Unit"),
        "mutu": w.Dropdown(options=["B", "A"], value="A", description="Target mutu"),
        "weight": w.Dropdown(options=["exact", "0.111", "0.11"], description="Bobot"),
    }
    output = w.Output()
    rows = nrr.set_index(nrr[unit].astype(str))

    def update() -> None:
        t = whatif.ikm_target(rows.loc[controls["unit"].value], mutu=controls["mutu"].value,
                              weight=controls["weight"].value)  # fmt: skip
        interval = "" if t.ci_low != t.ci_low else f", selang 95% {_number(t.ci_low)} sampai {_number(t.ci_high)}"
        text = (f"IKM sekarang {_number(t.ikm_now)} (mutu {t.mutu_now}{interval}); untuk mutu {t.mutu_target} "
                f"(batas {_number(t.cutoff)}) jumlah NRR harus naik {_number(t.total_increase, 4)}.")  # fmt: skip
        if t.within_interval:
            text += f" Selang 95% memuat batas itu: dalam galat sampling unit ini mungkin sudah mutu {t.mutu_target}."
        _show(output, text, t.items, _png(lambda ax: plots.plot_ikm_target(t.items, ax=ax), (6, 3)))

    _wire(controls, update)
    update()
    return Panel(box=w.VBox([w.HBox(list(controls.values())), output]), controls=controls, output=output,
                 update=update)  # fmt: skip


def distribution_panel(*, predikat_organisasi: str = "Baik", counts: Mapping[str, int] | None = None) -> Panel:
    """The org predikat and one count per predikat; shows whether the distribution follows the guidance.

    The shares are of a proposed distribution, not of people, so no cell is suppressed.
    """
    start = {"Sangat Baik": 2, "Baik": 6, "Butuh Perbaikan": 1, "Kurang": 1, "Sangat Kurang": 0} | dict(counts or {})
    controls: dict[str, w.Widget] = {"org": w.Dropdown(options=list(_ORG), value=predikat_organisasi,
                                                       description="Predikat org.")}  # fmt: skip
    for p in reversed(PREDIKAT):  # Sangat Baik first, as forms list them
        controls[p] = w.IntSlider(value=int(start.get(p, 0)), min=0, max=100, description=p, continuous_update=False)
    output = w.Output()

    def update() -> None:
        ok, table = whatif.distribution_scenario({p: controls[p].value for p in PREDIKAT},
                                                 predikat_organisasi=controls["org"].value)  # fmt: skip
        text = "Sesuai pedoman SE MenPANRB 3/2023." if ok else "Tidak sesuai pedoman SE MenPANRB 3/2023."
        _show(output, text, table[["rule", "observed", "operator", "bound", "ok", "message"]],
              _png(lambda ax: plots.plot_distribution_check(table, ax=ax), (6, 2.5)))  # fmt: skip

    _wire(controls, update)
    update()
    return Panel(box=w.VBox([*controls.values(), output]), controls=controls, output=output, update=update)
