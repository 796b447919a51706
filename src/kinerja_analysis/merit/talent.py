"""Talent 9-box (PermenPANRB 3/2020) [likely]: kinerja x potensial, box numbers, actions and succession pools.

| kinerja \\ potensial | rendah | menengah | tinggi |
|---|---|---|---|
| di atas  | 4 | 7 | 9 |
| sesuai   | 2 | 5 | 8 |
| di bawah | 1 | 3 | 6 |

Boxes 7, 8 and 9 form the agency succession pool and box 9 the national pool [firm]. The cut-offs that
turn scores into rendah / menengah / tinggi are not in the regulation: they are parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_option
from kinerja_analysis.common.privacy import suppress_small_cells
from kinerja_analysis.data import schema
from kinerja_analysis.data.dataset import Dataset

__all__ = ["nine_box", "nine_box_counts", "talent_scores", "BOX", "REKOMENDASI", "KINERJA_LEVELS",
           "POTENSIAL_LEVELS", "POTENSIAL_CUTOFFS", "PREDIKAT_TO_KINERJA"]  # fmt: skip

KINERJA_LEVELS: tuple[str, ...] = schema.RATING
"""di_bawah, sesuai, di_atas (ekspektasi), lowest first."""
POTENSIAL_LEVELS: tuple[str, ...] = ("rendah", "menengah", "tinggi")

BOX: dict[tuple[str, str], int] = {
    ("di_atas", "rendah"): 4, ("di_atas", "menengah"): 7, ("di_atas", "tinggi"): 9,
    ("sesuai", "rendah"): 2, ("sesuai", "menengah"): 5, ("sesuai", "tinggi"): 8,
    ("di_bawah", "rendah"): 1, ("di_bawah", "menengah"): 3, ("di_bawah", "tinggi"): 6,
}  # fmt: skip
"""(kinerja, potensial) -> box number [likely]."""

REKOMENDASI: dict[int, str] = {
    9: "promote and retain",
    8: "retain, rotate/enlarge",
    7: "retain, enrich, develop",
    6: "place, coach, counsel",
    5: "place, coach, develop",
    4: "rotate, develop",
    3: "coach, counsel, develop, place",
    2: "coach, develop, place",
    1: "handle under the regulations",
}
"""Recommended action per box (DOMAIN.md 4) [likely]."""

POTENSIAL_CUTOFFS: tuple[float, float] = (60.0, 75.0)
"""Default potential score cut-offs (0-100 scale): below 60 rendah, 60 to below 75 menengah, 75 and above
tinggi [open: not in the regulation; in the synthetic Plaju data about 15% of candidates score tinggi and
30% rendah]."""

PREDIKAT_TO_KINERJA: dict[str, str] = {"Sangat Baik": "di_atas", "Baik": "sesuai", "Butuh Perbaikan": "di_bawah",
                        "Kurang": "di_bawah", "Sangat Kurang": "di_bawah"}  # fmt: skip
"""Kinerja level of a predikat for the 9-box when it is formed from the predikat [open]."""


def _levels(values: pd.Series, *, name: str, labels: tuple[str, ...], cutoffs: tuple[float, float] | None) -> pd.Series:
    dtype = pd.CategoricalDtype(list(labels), ordered=True)
    text = values.astype("object")
    present = values.notna()
    if present.any() and text[present].isin(labels).all():
        return pd.Series(text.where(present), index=values.index).astype(dtype)
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    if (present & numbers.isna()).any():
        bad = values.index[(present & numbers.isna()).to_numpy()].tolist()[:10]
        raise KinerjaDataError(
            f"column {name!r} has values that are neither levels {list(labels)} nor numbers (rows {bad}); correct them."
        )
    if cutoffs is None:
        raise InvalidOptionError(f"column {name!r} holds scores: give its cut-offs as ({name}_cutoffs=(low, high)).")
    low, high = (float(c) for c in cutoffs)
    if not low < high:
        raise InvalidOptionError(f"{name}_cutoffs={cutoffs!r}: the first cut-off must be below the second.")
    # Lower-inclusive: a score equal to a cut-off belongs to the band above it.
    code = np.where(numbers >= high, 2, np.where(numbers >= low, 1, 0))
    return pd.Series(np.array(labels, dtype=object)[code], index=values.index).where(numbers.notna()).astype(dtype)


def nine_box(
    data: pd.DataFrame,
    *,
    kinerja: str = "kinerja",
    potensial: str = "potensial",
    kinerja_cutoffs: tuple[float, float] | None = None,
    potensial_cutoffs: tuple[float, float] | None = POTENSIAL_CUTOFFS,
    boxes: Mapping[tuple[str, str], int] = BOX,
    rekomendasi: Mapping[int, str] = REKOMENDASI,
) -> pd.DataFrame:
    """Place each employee in the talent 9-box, with the recommended action and the succession pools.

    Parameters
    ----------
    data
        One row per employee (not modified).
    kinerja, potensial
        Columns holding either levels (``di_bawah``/``sesuai``/``di_atas``; ``rendah``/``menengah``/``tinggi``)
        or scores, which the cut-offs band.
    kinerja_cutoffs, potensial_cutoffs
        (low, high): a score below ``low`` is the lowest level, from ``low`` to below ``high`` the middle one,
        from ``high`` up the top one (a score on a cut-off goes up) [open: not in the regulation].
    boxes, rekomendasi
        The box number of each (kinerja, potensial) pair and the action per box [likely]: default :data:`BOX`
        and :data:`REKOMENDASI`. The pools follow the numbers (7-9 agency, 9 national) [firm].

    Returns
    -------
    DataFrame
        ``data`` plus ``kinerja_level``, ``potensial_level`` (ordered categoricals), ``box`` (1-9, ``Int64``),
        ``rekomendasi``, ``pool_instansi`` (box 7, 8 or 9) and ``pool_nasional`` (box 9). A missing level
        gives a missing box, outside both pools.

    Examples
    --------
    >>> d = pd.DataFrame({"kinerja": ["di_atas", "sesuai"], "potensial": [75.0, 74.9]})
    >>> nine_box(d)[["box", "pool_nasional"]].to_numpy().tolist()
    [[9, True], [5, False]]
    """
    for col in (kinerja, potensial):
        if col not in data.columns:
            raise MissingColumnError(f"nine_box: the table has no column {col!r}.")
    k = _levels(data[kinerja], name="kinerja", labels=KINERJA_LEVELS, cutoffs=kinerja_cutoffs)
    p = _levels(data[potensial], name="potensial", labels=POTENSIAL_LEVELS, cutoffs=potensial_cutoffs)
    pairs = [(kl, pl) for kl in KINERJA_LEVELS for pl in POTENSIAL_LEVELS]
    if sorted(boxes.get(pair, 0) for pair in pairs) != list(range(1, 10)) or set(rekomendasi) != set(range(1, 10)):
        raise InvalidOptionError(
            "boxes must number the nine (kinerja, potensial) pairs 1-9, and rekomendasi cover 1-9."
        )
    grid = np.array([[boxes[(kl, pl)] for pl in POTENSIAL_LEVELS] for kl in KINERJA_LEVELS])
    kc, pc = k.cat.codes.to_numpy(), p.cat.codes.to_numpy()
    known = (kc >= 0) & (pc >= 0)
    box = pd.array(np.where(known, grid[kc.clip(0), pc.clip(0)], 0), dtype="Int64")
    box[~known] = pd.NA
    out = data.copy()
    out["kinerja_level"], out["potensial_level"], out["box"] = k, p, box
    out["rekomendasi"] = pd.Series(box, index=data.index).map(dict(rekomendasi)).astype("str")
    out["pool_instansi"] = pd.Series(box, index=data.index).isin([7, 8, 9]).to_numpy()
    out["pool_nasional"] = (pd.Series(box, index=data.index) == 9).fillna(False).to_numpy(dtype=bool)
    return out


def talent_scores(
    dataset: Dataset,
    *,
    as_of: str | pd.Timestamp,
    kinerja_source: Literal["rating_hasil_kerja", "predikat"] = "rating_hasil_kerja",
    appraisal_lag: int = 1,
    max_appraisal_age: int = 2,
    potensi_max_age_years: int = 3,
    predikat_levels: Mapping[str, str] = PREDIKAT_TO_KINERJA,
) -> pd.DataFrame:
    """Kinerja level and potential score of each employee in post on ``as_of``, ready for :func:`nine_box`.

    ``kinerja`` is the level from the last annual appraisal from 2022 of a year in [Y - max_appraisal_age,
    Y - appraisal_lag] (Y the year of ``as_of``): the rating hasil kerja itself (default), or the predikat
    mapped by ``predikat_levels`` (default Sangat Baik -> di_atas, Baik -> sesuai, below Baik -> di_bawah)
    [open]. ``potensial`` is the latest ``skor_potensi`` the employee received as a candidate in ``seleksi`` within
    ``potensi_max_age_years`` before ``as_of``: the only potential score the canonical tables hold, so
    only past candidates get a box. Columns: ``nip``, ``unit_id``, ``kinerja``, ``potensial``.
    """
    check_option("kinerja_source", kinerja_source, ("rating_hasil_kerja", "predikat"))
    dataset.require("pegawai", "kinerja", "seleksi", analysis="talent_scores")
    as_of = pd.Timestamp(as_of)
    peg = dataset.pegawai
    gone = peg["tanggal_keluar"] if "tanggal_keluar" in peg.columns else pd.Series(pd.NaT, index=peg.index)
    staff = peg.loc[(peg["tmt_cpns"] <= as_of) & (gone.isna() | (gone > as_of)), ["nip", "unit_id"]]
    kin = dataset.kinerja
    if kinerja_source not in kin.columns:
        raise MissingColumnError(f"table kinerja has no column {kinerja_source!r}; choose the other kinerja_source.")
    annual = kin.loc[(kin["periode"].astype("str").str.lower() == "tahunan") & kin[kinerja_source].notna()]
    annual = annual.loc[annual["tahun"].between(max(2022, as_of.year - max_appraisal_age), as_of.year - appraisal_lag)]
    last = annual.sort_values(["nip", "tahun"]).drop_duplicates("nip", keep="last").set_index("nip")[kinerja_source]
    level = last.astype("object")
    if kinerja_source == "predikat":
        level = level.map(dict(predikat_levels))
    sel = dataset.seleksi
    recent = sel.loc[(sel["tanggal"] <= as_of) & (sel["tanggal"] > as_of - pd.DateOffset(years=potensi_max_age_years))]
    pot = recent.sort_values(["nip", "tanggal"]).drop_duplicates("nip", keep="last").set_index("nip")["skor_potensi"]
    out = staff.reset_index(drop=True)
    out["kinerja"] = out["nip"].map(level).astype("object")
    out["potensial"] = out["nip"].map(pot.astype("float64")).astype("float64")
    return out


def nine_box_counts(boxes: pd.DataFrame, *, by: str = "unit_id", min_n: int = 10) -> pd.DataFrame:
    """People per box and group, with small cells suppressed for publication.

    Every group gets all nine boxes (an empty box is a count of 0), so the grid is complete. ``share`` is
    the box's share of the group's boxed employees. Cells with fewer than ``min_n`` people have ``n`` and
    ``share`` withheld by :func:`kinerja_analysis.common.privacy.suppress_small_cells` (rows are kept, and a
    ``suppressed`` column says which).

    Returns
    -------
    DataFrame
        ``by``, ``box``, ``n``, ``share``, ``suppressed``.
    """
    for col in (by, "box"):
        if col not in boxes.columns:
            raise MissingColumnError(f"nine_box_counts: the table has no column {col!r}; run nine_box() first.")
    boxed = boxes.loc[boxes["box"].notna() & boxes[by].notna(), [by, "box"]]
    groups = sorted(boxed[by].astype("str").unique())
    grid = pd.MultiIndex.from_product([groups, range(1, 10)], names=[by, "box"])
    counts = boxed.assign(**{by: boxed[by].astype("str")}).groupby([by, "box"]).size().reindex(grid, fill_value=0)
    out = counts.rename("n").reset_index()
    out["box"] = out["box"].astype("int64")
    totals = out.groupby(by)["n"].transform("sum")
    out["share"] = out["n"] / totals
    return suppress_small_cells(out, n="n", min_n=min_n, columns=["n", "share"], complement=[by])
