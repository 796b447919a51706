"""Which training topics work? One staggered difference-in-differences per ``pelatihan.topik``.

For each topic the treatment is an employee's first training on that topic; everyone else in post
(including employees trained on other topics) is a comparison unit. Each topic is then estimated with
Callaway & Sant'Anna (2021) through :func:`kinerja_analysis.training.did.staggered_did`, on the
employee-year panel of :func:`kinerja_analysis.training.panel.employee_year_panel`.

Two cautions are part of the result [decided here]. A topic's effect may be another training's: in the
synthetic data the evaluated programme (:data:`~kinerja_analysis.training.panel.PROGRAMME`) is a
pelayanan publik training that also teaches manajemen waktu, so ``overlap_programme`` says how many of a
topic's treated also attended it. And several topics are several tests: ``p_adjusted`` is Holm's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import (
    InvalidOptionError,
    KinerjaDataError,
    MissingColumnError,
    MissingTableError,
)
from kinerja_analysis.common.inference import adjust
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.training.did.cells import Control
from kinerja_analysis.training.did.staggered import staggered_did
from kinerja_analysis.training.panel import PROGRAMME, employee_year_panel, restrict_years

__all__ = ["PanelOutcome", "att_by_topic"]

PanelOutcome = Literal["hari_mean", "sla_share", "return_rate", "nilai_skp", "sangat_baik"]
_OUTCOMES: dict[str, str] = {
    "hari_mean": "layanan", "sla_share": "layanan", "return_rate": "layanan",
    "nilai_skp": "kinerja", "sangat_baik": "kinerja",
}  # fmt: skip
_CONTROLS: dict[str, str] = {
    "never_treated": "employees never trained on the topic",
    "not_yet_treated": "employees not yet (or never) trained on the topic",
}
_COLUMNS = (
    "topik", "matched", "n_treated", "n_cohorts", "n_units", "estimate", "std_error", "ci_low", "ci_high",
    "p_value", "p_adjusted", "baseline", "overlap_programme", "withheld", "reason", "method",
)  # fmt: skip
_ESTIMATES = ("estimate", "std_error", "ci_low", "ci_high", "p_value")


def _normal(text: str) -> str:
    """Case- and space-insensitive form of a topik: lower case, single inner spaces, no outer spaces."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _programme_nips(pelatihan: pd.DataFrame) -> set[str] | None:
    """NIPs of the employees who attended :data:`PROGRAMME` (None when pelatihan lacks its columns)."""
    if any(column not in pelatihan.columns for column in PROGRAMME):
        return None
    match = np.ones(len(pelatihan), dtype=bool)
    for column, value in PROGRAMME.items():
        match &= (pelatihan[column] == value).fillna(False).to_numpy(dtype=bool)
    return set(pelatihan.loc[match, "nip"])


def _sample(panel: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Per nip: its cohort and whether it enters the estimate (the rule of ``incomplete="drop"``)."""
    n_periods = panel["tahun"].nunique()
    first = int(panel["tahun"].min())
    grouped = panel.groupby("nip", sort=False)
    units = pd.DataFrame({
        "cohort": grouped["cohort"].first(),
        "complete": panel[outcome].notna().groupby(panel["nip"], sort=False).all(),
        "rows": grouped.size(),
    })  # fmt: skip
    early = (units["cohort"] > 0) & (units["cohort"] <= first)
    units["kept"] = units["complete"] & (units["rows"] == n_periods) & ~early
    return units


def _one_topic(
    data: Dataset, topic: str, matched: list[str], *, outcome: str, control: str, min_treated: int,
    alpha: float, years: tuple[int, int] | None, programme: set[str] | None,
) -> dict[str, object]:  # fmt: skip
    row: dict[str, object] = {"n_treated": 0, "n_cohorts": 0, "n_units": 0, "baseline": np.nan,
                              "overlap_programme": np.nan}  # fmt: skip
    if not matched:
        return {**row, "reason": "no training with this topik in the data"}
    try:
        panel = employee_year_panel(data, treatment={"topik": matched}, years=years)
        observed = panel.loc[panel[outcome].notna(), "tahun"]
        if observed.empty:
            return {**row, "reason": f"no employee-year has a value of {outcome}"}
        panel = restrict_years(panel, int(observed.min()), int(observed.max()))
        units = _sample(panel, outcome)
        kept = units.loc[units["kept"]]
        row["n_units"] = len(kept)
        rows = panel.loc[panel["nip"].isin(kept.index)]
        untreated = (rows["cohort"] == 0) | (rows["tahun"] < rows["cohort"])
        row["baseline"] = float(rows.loc[untreated, outcome].mean()) if untreated.any() else np.nan
        # without never-trained employees, "not_yet_treated" compares with the last cohort (as R's did)
        if control == "never_treated" and not (units["cohort"] == 0).any():
            return {**row, "reason": "no comparison group: every employee was trained on this topic"}
        if control == "never_treated" and not (kept["cohort"] == 0).any():
            return {**row, "reason": "no comparison group: every employee who enters the estimate was "
                                     "trained on this topic"}  # fmt: skip
        treated = kept.loc[kept["cohort"] > 0]
        if len(treated) < min_treated:
            return {**row, "n_treated": len(treated), "n_cohorts": treated["cohort"].nunique(),
                    "reason": f"only {len(treated)} treated employees enter the estimate (fewer than "
                              f"min_treated={min_treated})"}  # fmt: skip
        fit = staggered_did(
            panel, outcome=outcome, unit="nip", time="tahun", cohort="cohort", control=control, incomplete="drop"
        )
    except (MissingTableError, MissingColumnError):
        raise
    except KinerjaDataError as error:
        return {**row, "reason": str(error)}
    cohorts = fit.cohort[fit.cohort > 0]
    estimated = treated.loc[treated["cohort"].isin(cohorts)]
    row.update(n_treated=len(cohorts), n_cohorts=len(np.unique(cohorts)), n_units=fit.n_units)
    if programme is not None and len(estimated):
        row["overlap_programme"] = float(estimated.index.isin(list(programme)).mean())
    if len(cohorts) < min_treated:
        return {**row, "reason": f"only {len(cohorts)} treated employees enter the estimate (fewer than "
                                 f"min_treated={min_treated})"}  # fmt: skip
    simple = fit.table("simple", alpha=alpha).iloc[0]
    if not (np.isfinite(simple["estimate"]) and np.isfinite(simple["std_error"])):
        return {**row, "reason": "no group-time ATT could be estimated (no overlap in any cohort and year)"}
    row.update({column: float(simple[column]) for column in _ESTIMATES}, reason="", fit=fit.description)
    return row


def att_by_topic(
    dataset: Dataset,
    *,
    topics: Sequence[str] = ("manajemen waktu", "pelayanan publik", "teknologi informasi"),
    outcome: PanelOutcome = "hari_mean",
    control: Control = "never_treated",
    min_treated: int = 10,
    alpha: float = 0.05,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Overall ATT of the first training on each topik, one Callaway & Sant'Anna estimate per topic.

    For topic T, an employee's cohort is the year of the first ``pelatihan`` row whose ``topik`` equals T
    ignoring case and spacing; employees never trained on T are the comparison. The employee-year panel is
    :func:`~kinerja_analysis.training.panel.employee_year_panel` with ``treatment={"topik": [...]}``,
    limited to the years in which ``outcome`` is observed (so ``nilai_skp`` uses 2019-2021 and
    ``sangat_baik`` 2022 onwards); cohorts after the window count as never trained in it
    (:func:`~kinerja_analysis.training.panel.restrict_years`). The estimate is the simple aggregation
    of ATT(g,t) (Callaway & Sant'Anna 2021; R ``did::aggte(type = "simple")``), doubly robust without
    covariates, analytic standard errors; units with a missing outcome in some year, not in post every
    year, or trained in the first year are left out (``incomplete="drop"``). Trainings on other topics
    are not controlled for: employees trained on another effective topic sit in the comparison group.

    Parameters
    ----------
    dataset
        A loaded :class:`~kinerja_analysis.data.dataset.Dataset` with ``pegawai``, ``pelatihan`` and the
        outcome's table (``layanan`` for service outcomes, ``kinerja`` for appraisal outcomes).
    topics
        The topik values to evaluate, each matched case- and space-insensitively.
    outcome
        ``"hari_mean"`` (mean working days to a granted service), ``"sla_share"``, ``"return_rate"``
        (share of files returned for correction), ``"nilai_skp"`` or ``"sangat_baik"``.
    control
        ``"never_treated"`` or ``"not_yet_treated"``, as in :func:`~kinerja_analysis.training.did.staggered_did`.
    min_treated
        Fewest treated employees in the estimate for a topic to be shown; fewer are withheld.
    alpha
        1 - confidence level of the (pointwise, per-topic) intervals, and the level of Holm's procedure.
    years
        (first, last) calendar years of the panel; default all years the data cover.

    Returns
    -------
    DataFrame, one row per topic in the order given
        ``topik`` (as asked), ``matched`` (the exact topik spellings found, ``"; "``-separated),
        ``n_treated`` (treated employees in the estimate), ``n_cohorts``, ``n_units`` (employees in the
        estimate), ``estimate`` (ATT in outcome units), ``std_error``, ``ci_low``, ``ci_high``,
        ``p_value`` (two-sided, normal), ``p_adjusted`` (Holm over the shown topics), ``baseline`` (mean
        outcome of the untreated employee-years in the estimate: never or not yet trained),
        ``overlap_programme`` (share of the topic's treated in the estimate who also attended
        :data:`~kinerja_analysis.training.panel.PROGRAMME`), ``withheld``, ``reason`` (why withheld,
        empty when shown) and ``method``. Withheld rows have NaN estimates. The estimates rest on
        personal data: publish small ``n_treated`` through :mod:`kinerja_analysis.common.privacy`.

    Raises
    ------
    InvalidOptionError
        For an option outside its allowed values.
    MissingTableError, MissingColumnError
        When a needed table, or ``pelatihan.topik``, is absent.

    Examples
    --------
    A topic absent from the data is a withheld row, not an error:

    >>> nip = "198609262015051001"
    >>> pelatihan = pd.DataFrame({"nip": [nip], "topik": ["Manajemen  Waktu"],
    ...                           "tanggal_mulai": pd.to_datetime(["2021-03-01"])})
    >>> tiny = Dataset(pegawai=pd.DataFrame({"nip": [nip]}), pelatihan=pelatihan,
    ...                layanan=pd.DataFrame({"nip_petugas": [nip]}))
    >>> row = att_by_topic(tiny, topics=["kearsipan"]).iloc[0]
    >>> bool(row["withheld"]), row["reason"]
    (True, 'no training with this topik in the data')

    On the demo data (a few seconds):

    >>> from kinerja_analysis import load_dataset, paths
    >>> table = att_by_topic(load_dataset(paths.demo_data_dir()), topics=["Pelayanan  Publik"])  # doctest: +SKIP
    >>> table.loc[0, ["topik", "matched", "withheld"]].tolist()  # doctest: +SKIP
    ['Pelayanan  Publik', 'pelayanan publik', False]
    """
    check_option("outcome", outcome, tuple(_OUTCOMES))
    check_option("control", control, tuple(_CONTROLS))
    check_alpha(alpha)
    if isinstance(min_treated, bool) or not isinstance(min_treated, int | np.integer) or min_treated < 1:
        raise InvalidOptionError(f"min_treated={min_treated!r} is not allowed; give a whole number of at least 1.")
    if isinstance(topics, str):
        topics = [topics]
    topics = list(dict.fromkeys(topics))
    if not topics or not all(isinstance(t, str) and t.strip() for t in topics):
        raise InvalidOptionError(f"topics={topics!r}: give one or more non-empty topik names.")
    dataset.require("pegawai", "pelatihan", _OUTCOMES[outcome], analysis="att_by_topic")
    pelatihan = dataset.pelatihan
    for column in ("nip", "topik", "tanggal_mulai"):
        if column not in pelatihan.columns:
            raise MissingColumnError(f"att_by_topic needs column {column!r} in table pelatihan; it is absent.")
    spellings = pd.Series(pelatihan["topik"].dropna().unique(), dtype=object)
    normal = spellings.map(_normal)
    programme = _programme_nips(pelatihan)
    rows = []
    for topic in topics:
        matched = sorted(spellings.loc[normal == _normal(topic)].tolist())
        row = _one_topic(
            dataset, topic, matched, outcome=outcome, control=control, min_treated=int(min_treated),
            alpha=alpha, years=years, programme=programme,
        )  # fmt: skip
        rows.append({"topik": topic, "matched": "; ".join(matched), **row})
    out = pd.DataFrame(rows)
    for column in (*_ESTIMATES, "fit"):
        if column not in out.columns:
            out[column] = np.nan if column != "fit" else ""
    out["withheld"] = out["reason"] != ""
    out.loc[out["withheld"], list(_ESTIMATES)] = np.nan
    out["p_adjusted"] = adjust(out["p_value"].to_numpy(dtype=float), method="holm", alpha=alpha)
    shown = int((~out["withheld"]).sum())
    head = (
        f"Callaway & Sant'Anna (2021) simple ATT of the first training on the topik, outcome {outcome}; "
        f"comparison: {_CONTROLS[control]}; {100 * (1 - alpha):g}% pointwise intervals (alpha {alpha:g}); "
        f"Holm-adjusted p over {shown} shown topic{'s' if shown != 1 else ''}"
    )
    out["method"] = [head + (f"; {fit}" if isinstance(fit, str) and fit else "") for fit in out["fit"]]
    for column in ("n_treated", "n_cohorts", "n_units"):
        out[column] = out[column].astype("int64")
    for column in ("topik", "matched", "reason", "method"):
        out[column] = out[column].astype("str")
    return out.loc[:, list(_COLUMNS)]
