"""Disciplinary sanctions beside appraisal: can an employee sanctioned in a year still be rated Sangat Baik?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from kinerja_analysis.appraisal import top_predikat_share
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.common.options import check_alpha
from kinerja_analysis.common.privacy import suppress_small_cells
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.supervision._inputs import (
    check_min_n,
    require_columns,
    require_rows,
    resolve_years,
    years_text,
)

__all__ = ["DISCIPLINE_MEASURES", "DISCIPLINE_GROUPS", "discipline_beside_appraisal"]

DISCIPLINE_MEASURES: dict[str, tuple[str, ...]] = {
    "sangat_baik": ("Sangat Baik",),
    "baik_atau_lebih": ("Sangat Baik", "Baik"),
}
"""The ``ukuran`` of :func:`discipline_beside_appraisal` and the predikat each counts."""
DISCIPLINE_GROUPS = ("disanksi", "tidak_disanksi")
_ANALYSIS = "discipline_beside_appraisal"
_STATS = ["n", "k", "estimate", "ci_low", "ci_high", "p_value"]
_COLUMNS = ["tahun_label", "tahun", "ukuran", "kelompok", *_STATS, "suppressed", "note", "method"]


def _shares(rows: pd.DataFrame, keys: list[str], alpha: float) -> pd.DataFrame:
    """n, k, share and Wilson interval per ``keys`` x kelompok x ukuran, every group present (n = 0 if empty)."""
    parts = []
    for ukuran, top in DISCIPLINE_MEASURES.items():
        share = top_predikat_share(rows, by=[*keys, "kelompok"], top=top, alpha=alpha)
        parts.append(share.drop(columns="method").assign(ukuran=ukuran))
    found = pd.concat(parts, ignore_index=True)
    levels = [rows[k].drop_duplicates().sort_values().tolist() for k in keys]
    grid = pd.MultiIndex.from_product([*levels, list(DISCIPLINE_MEASURES), list(DISCIPLINE_GROUPS)],
                                      names=[*keys, "ukuran", "kelompok"]).to_frame(index=False)  # fmt: skip
    out = grid.merge(found, on=[*keys, "ukuran", "kelompok"], how="left")
    out[["n", "k"]] = out[["n", "k"]].fillna(0).astype("int64")
    return out


def _fisher(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Fisher's exact two-sided p of sanctioned against not, per keys x ukuran, on both rows of the pair."""
    p_values = []
    for _, pair in table.groupby([*keys, "ukuran"], sort=False):
        by_group = pair.set_index("kelompok")
        n, k = by_group["n"], by_group["k"]
        if (n == 0).any():
            p = np.nan
        else:
            cells = [[k["disanksi"], n["disanksi"] - k["disanksi"]],
                     [k["tidak_disanksi"], n["tidak_disanksi"] - k["tidak_disanksi"]]]  # fmt: skip
            p = float(stats.fisher_exact(cells, alternative="two-sided").pvalue)
        p_values.append(pd.Series(p, index=pair.index))
    return table.assign(p_value=pd.concat(p_values))


def _sanctioned(disiplin: pd.DataFrame) -> pd.DataFrame:
    dates = pd.to_datetime(disiplin["tanggal"], errors="coerce")
    if dates.isna().any():
        rows = ", ".join(str(i) for i in disiplin.index[dates.isna()][:10])
        raise KinerjaDataError(
            f"{_ANALYSIS}: table disiplin has rows without a valid tanggal (rows {rows}); a sanction cannot be placed "
            "in a year without its date. Complete or remove those rows."
        )
    out = pd.DataFrame({"nip": disiplin["nip"].astype("str").to_numpy(), "tahun": dates.dt.year.astype("int64")})
    return out.drop_duplicates().assign(_sanksi=True)


def _reveals_withheld(yearly: pd.DataFrame, pooled: pd.DataFrame, min_n: int) -> bool:
    """Whether pooled counts minus the years shown give away a group of 1 to min_n - 1 withheld employees."""
    first = yearly["ukuran"] == "sangat_baik"
    if not yearly.loc[first, "suppressed"].any():
        return False
    shown = yearly.loc[first & ~yearly["suppressed"]].groupby("kelompok")["n"].sum()
    total = pooled.loc[pooled["ukuran"] == "sangat_baik"].set_index("kelompok")["n"]
    withheld = total - shown.reindex(total.index, fill_value=0).astype("int64")
    return bool(((withheld > 0) & (withheld < min_n)).any())


def discipline_beside_appraisal(
    dataset: Dataset,
    *,
    years: Sequence[int] | None = None,
    alpha: float = 0.05,
    min_n: int = 10,
    pooled: bool = True,
) -> pd.DataFrame:
    """Share rated Sangat Baik (and Baik or better) among employees sanctioned in a year and among the rest.

    An employee is *disanksi* in a year when a ``disiplin`` decision of any tingkat (ringan, sedang,
    berat; PP 94/2021) is dated in that calendar year, and *tidak_disanksi* otherwise; both groups are the
    employees with an annual predikat (PermenPANRB 6/2022, ``periode`` tahunan) that year. Shares carry
    Wilson intervals (:func:`kinerja_analysis.common.inference.proportion_interval`, through
    :func:`kinerja_analysis.appraisal.top_predikat_share`); the two groups are compared by Fisher's exact
    test (two-sided, ``scipy.stats.fisher_exact``) on the 2 x 2 table of group by top predikat or not.
    A sanctioned employee rated Sangat Baik is not by itself a breach (the sanction may concern another
    period or conduct outside the SKP), but a share near that of everyone else asks how the behaviour
    rating (perilaku kerja) was given.

    Privacy (DOMAIN.md 7): sanctions are personal data. A group with fewer than ``min_n`` employees has
    its count and statistics withheld (:func:`kinerja_analysis.common.privacy.suppress_small_cells`); since
    a year's total of appraised employees and of Sangat Baik are published elsewhere, the other group of
    the year is withheld with it (complementary suppression). The pooled rows are withheld too when,
    beside the years shown, they would give away fewer than ``min_n`` employees of the withheld years.
    Suppression is by count only: a group shown with a share of 0 or 1 still tells the predikat of each
    of its members to anyone who knows one was sanctioned; weigh that before publishing such a row.

    Parameters
    ----------
    dataset
        A loaded dataset with ``kinerja`` (nip, tahun, predikat) and ``disiplin`` (nip, tanggal). Not modified.
    years
        Years from 2022 (PermenPANRB 6/2022); None (default) takes every year from 2022 in ``kinerja``.
        Earlier years are PP 46/2011 scores without predikat and are refused.
    alpha
        1 - confidence level of the Wilson intervals.
    min_n
        The smallest group shown (default 10).
    pooled
        Also compare employee-years pooled over all chosen years (an employee counts once per year), the
        only comparison large enough to show where sanctions are rare. Ignored for a single year.

    Returns
    -------
    DataFrame
        Two rows (``kelompok`` disanksi, tidak_disanksi) per year (and for the pooled years) and ``ukuran``
        (``"sangat_baik"``: share Sangat Baik; ``"baik_atau_lebih"``: Baik or Sangat Baik), with
        ``tahun_label`` ("2024", or "2022-2025 (pooled)"), ``tahun`` (missing for pooled rows), ``n``
        (employees with an annual predikat), ``k`` (of them with the ukuran's predikat), ``estimate``
        (k / n), ``ci_low``, ``ci_high``, ``p_value`` (Fisher, the same on both rows of a pair; missing
        when a group is empty), ``suppressed``, ``note`` (why a row is withheld) and ``method``.

    Raises
    ------
    MissingTableError
        When ``kinerja`` or ``disiplin`` is absent or has no accepted row.
    MissingColumnError
        When a column above is absent.
    KinerjaDataError
        When a year before 2022 is asked for, or a sanction has no date.
    """
    alpha = check_alpha(alpha)
    min_n = check_min_n(min_n)
    if not isinstance(pooled, bool):
        raise InvalidOptionError(f"pooled={pooled!r} is not allowed; choose True or False.")
    dataset.require("kinerja", "disiplin", analysis=_ANALYSIS)
    require_columns(dataset.kinerja, "kinerja", ["nip", "tahun", "predikat"], analysis=_ANALYSIS)
    require_columns(dataset.disiplin, "disiplin", ["nip", "tanggal"], analysis=_ANALYSIS)
    kinerja = dataset.kinerja
    chosen = resolve_years(years, kinerja["tahun"], analysis=_ANALYSIS)
    rows = kinerja.loc[kinerja["tahun"].isin(chosen).fillna(False).to_numpy()].copy()
    require_rows(rows, chosen, kinerja["tahun"], analysis=_ANALYSIS)
    rows["nip"] = rows["nip"].astype("str")
    rows["tahun"] = rows["tahun"].astype("int64")
    flags = rows[["nip", "tahun"]].merge(_sanctioned(dataset.disiplin), on=["nip", "tahun"], how="left")
    rows["kelompok"] = np.where(flags["_sanksi"].fillna(False).to_numpy(dtype=bool), *DISCIPLINE_GROUPS)
    conf = f"{100 * (1 - alpha):g}%"
    base = (
        "annual predikat (PermenPANRB 6/2022, periode tahunan) of employees with a disiplin decision dated in the "
        f"year (disanksi, any tingkat) and without; Wilson {conf} interval; Fisher's exact test, two-sided (scipy); "
        f"groups under {min_n} employees withheld with the other group of the year (suppress_small_cells)"
    )
    by = ["tahun_label"]
    yearly = _fisher(_shares(rows.assign(tahun_label=rows["tahun"].astype("str")), by, alpha), by)
    yearly["tahun"] = pd.array(yearly["tahun_label"].astype("int64"), dtype="Int64")
    yearly = suppress_small_cells(yearly, n="n", min_n=min_n, columns=_STATS, complement=["tahun_label", "ukuran"])
    yearly["note"] = np.where(yearly["suppressed"], f"a group under {min_n} employees: both groups withheld", "")
    yearly["method"] = base
    parts = [yearly]
    if pooled and len(chosen) > 1:
        label = f"{years_text(chosen)} (pooled)"
        table = _fisher(_shares(rows.assign(tahun_label=label), by, alpha), by)
        table["tahun"] = pd.array([pd.NA] * len(table), dtype="Int64")
        revealing = _reveals_withheld(yearly, table, min_n)
        gate = table["n"] * 0 if revealing else table["n"]  # a zero gate withholds every row
        table = suppress_small_cells(table.assign(_gate=gate), n="_gate", min_n=min_n, columns=_STATS,
                                     complement=["tahun_label", "ukuran"]).drop(columns="_gate")  # fmt: skip
        note = ("withheld: beside the years shown it would give away fewer than "
                f"{min_n} employees of the withheld years" if revealing
                else f"a group under {min_n} employees: both groups withheld")  # fmt: skip
        table["note"] = np.where(table["suppressed"], note, "")
        table["method"] = f"{base}; employee-years pooled over {years_text(chosen)}, an employee counted once per year"
        parts.append(table)
    out = pd.concat(parts, ignore_index=True)
    out["tahun_label"] = out["tahun_label"].astype("str")
    out["note"] = out["note"].astype("str")
    return out[_COLUMNS]
