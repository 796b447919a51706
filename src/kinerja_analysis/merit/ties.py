"""Personal ties between candidates and assessors: what the data can measure, and the model when it can.

Whether selection favours people close to those who decide (kedekatan personal) cannot be read from
names: family names are not a valid proxy (they are shared by chance, many Indonesians have a single
name, and relatives need not share one), so this package never uses them. Ties are measured from who
decided and how each candidate is linked to them: the assessor's NIP on each selection
(``seleksi.nip_penilai``, optional) and, from ``pegawai``, whether the candidate works in the
assessor's unit. :func:`tie_terms` adds that link to the candidate design and :func:`ties_model` asks
whether it raises the odds of being chosen among equally qualified, equally senior candidates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_alpha
from kinerja_analysis.data.dataset import Dataset
from kinerja_analysis.merit.choice_sets import Winners
from kinerja_analysis.merit.design import MERIT_TERMS, SENIORITY_TERMS
from kinerja_analysis.merit.model import coefficient_table, fit_choices, prepare_choices

__all__ = ["has_assessors", "TIES_NOTE", "TIE_TERM", "tie_terms", "ties_model"]

TIE_TERM = "satu_unit_penilai"
"""The design column of a candidate-assessor tie: 1.0 if the candidate works in the assessor's unit."""

TIES_NOTE = (
    "Personal ties (kedekatan personal) between candidates and those who choose them cannot be measured from "
    "these tables without the optional seleksi column nip_penilai (the NIP of the panel chair or assessor of "
    "each selection). Family names are not a valid proxy and are never used. What would measure ties: who sat "
    "on the selection panel (the assessors' NIPs: seleksi.nip_penilai, or a panel table with every member), "
    "and the links between each candidate and those assessors: working in the same unit on the selection date "
    "(pegawai.unit_id, better a dated history of postings), having the same direct superior, or having "
    "reported to the assessor (a nip_atasan field, which the tables do not have). With nip_penilai, "
    "merit.tie_terms adds satu_unit_penilai (candidate in the assessor's unit) and merit.ties_model estimates "
    "its odds ratio given merit and seniority."
)
"""Why personal ties are not measured without ``nip_penilai``, and which fields would measure them."""

_CAVEAT = (
    "pegawai.unit_id is the unit at the export, not on the selection date: a winner who moved into the "
    "assessor's unit because of the selection counts as tied, so the odds ratio can overstate the tie"
)


def has_assessors(seleksi: pd.DataFrame) -> bool:
    """Whether ``seleksi`` names an assessor for at least one selection (the optional ``nip_penilai``).

    The loader keeps an optional column that a file lacks as an empty column, so its presence alone
    says nothing; ties can be measured only where values were given.

    >>> has_assessors(pd.DataFrame({"seleksi_id": ["S1"], "nip_penilai": [None]}))
    False
    """
    return "nip_penilai" in seleksi.columns and bool(seleksi["nip_penilai"].notna().any())


def tie_terms(design: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """Add the candidate-assessor link to a candidate design (when ``seleksi.nip_penilai`` is given).

    Parameters
    ----------
    design
        From :func:`~kinerja_analysis.merit.design.selection_design` (``seleksi_id``, ``nip``,
        ``unit_id``); not modified.
    dataset
        Needs ``seleksi`` with ``nip_penilai`` filled for at least one selection, and ``pegawai``.

    Returns
    -------
    DataFrame
        A copy of ``design`` with ``nip_penilai`` (the selection's assessor), ``unit_id_penilai`` (the
        assessor's ``pegawai.unit_id``) and ``satu_unit_penilai``: 1.0 if the candidate's ``unit_id``
        equals the assessor's, 0.0 if not, missing when the selection has no assessor or the assessor (or
        the candidate's unit) is not in ``pegawai``, for example a panel chair from another agency.
        Both units are those in ``pegawai`` (the export date); the tables keep no history of postings.

    Raises
    ------
    KinerjaDataError
        ``nip_penilai`` absent or empty (the message is :data:`TIES_NOTE`); a selection with two
        different assessors; an assessor who is a candidate of the same selection.
    """
    dataset.require("seleksi", "pegawai", analysis="tie_terms")
    missing = [c for c in ("seleksi_id", "nip", "unit_id") if c not in design.columns]
    if missing:
        raise MissingColumnError(f"the design lacks column(s) {missing}; build it with selection_design().")
    seleksi = dataset.seleksi
    if "nip_penilai" not in seleksi.columns or seleksi["nip_penilai"].isna().all():
        raise KinerjaDataError(f"seleksi has no nip_penilai values, so ties cannot be measured. {TIES_NOTE}")
    given = seleksi.loc[seleksi["nip_penilai"].notna(), ["seleksi_id", "nip_penilai"]].astype("str")
    per = given.drop_duplicates()
    clash = per["seleksi_id"][per["seleksi_id"].duplicated()].unique().tolist()
    if clash:
        raise KinerjaDataError(
            f"selections {sorted(clash)[:10]} name more than one nip_penilai; give one assessor (the panel chair) "
            "per selection, repeated on each candidate row."
        )
    assessor = per.set_index("seleksi_id")["nip_penilai"]
    out = design.copy()
    out["nip_penilai"] = out["seleksi_id"].astype("str").map(assessor).astype("str")
    self_judged = (out["nip_penilai"] == out["nip"].astype("str")).to_numpy(dtype=bool, na_value=False)
    if self_judged.any():
        ids = sorted(set(out.loc[self_judged, "seleksi_id"].astype("str")))[:10]
        raise KinerjaDataError(f"in selections {ids} the assessor (nip_penilai) is also a candidate; correct it.")
    unit_of = dataset.pegawai.set_index("nip")["unit_id"].astype("str")
    out["unit_id_penilai"] = out["nip_penilai"].map(unit_of).astype("str")
    known = (out["unit_id_penilai"].notna() & out["unit_id"].notna()).to_numpy()
    same = (out["unit_id"].astype("str") == out["unit_id_penilai"]).to_numpy(dtype=bool, na_value=False)
    out[TIE_TERM] = np.where(known, same.astype("float64"), np.nan)
    return out


def ties_model(
    design: pd.DataFrame,
    *,
    terms: Sequence[str] = MERIT_TERMS + SENIORITY_TERMS,
    winners: Winners = "one",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Does sharing the assessor's unit raise a candidate's odds of being chosen, merit and seniority equal?

    A conditional logit within ``seleksi_id`` (:mod:`~kinerja_analysis.merit.model`, statsmodels
    ``ConditionalLogit``) with ``terms`` and ``satu_unit_penilai``: its odds ratio compares a candidate in
    the assessor's unit with an equally scored, equally senior candidate of the same selection from
    another unit. Selections where the tie is unknown for some candidate are left out, and counted in
    ``note``. The result is observational: a tie can go with knowledge of the work that the scores miss.

    Parameters
    ----------
    design
        From :func:`tie_terms` (needs ``satu_unit_penilai``); not modified.
    terms
        The merit and seniority terms beside the tie (default: the merit and seniority blocks).
    winners, alpha
        As in :func:`~kinerja_analysis.merit.model.selection_model`.

    Returns
    -------
    DataFrame
        One row per term, ``satu_unit_penilai`` first: ``term``, ``odds_ratio`` (exp of the coefficient:
        an odds ratio, not a probability), ``ci_low`` / ``ci_high`` (the Wald interval of the odds ratio),
        ``p_value``, ``n_selections``, ``n_candidates``, ``method``, ``note`` (selections left out, and
        for the tie the caveat that units are those of the export date).

    Raises
    ------
    KinerjaDataError
        The design has no ``satu_unit_penilai`` (no ``nip_penilai`` in the data: the message is
        :data:`TIES_NOTE`), or no selection has a known tie.

    Examples
    --------
    >>> from kinerja_analysis import load_dataset, paths
    >>> from kinerja_analysis.merit import selection_design
    >>> ties_model(selection_design(load_dataset(paths.demo_data_dir())))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kinerja_analysis.common.errors.KinerjaDataError: the design has no satu_unit_penilai column ... nip_penilai ...
    """
    check_alpha(alpha)
    if TIE_TERM not in design.columns:
        raise KinerjaDataError(
            f"the design has no {TIE_TERM} column (add it with merit.tie_terms, which needs seleksi.nip_penilai). "
            f"{TIES_NOTE}"
        )
    terms = tuple(terms)
    if TIE_TERM in terms:
        raise InvalidOptionError(f"terms must not include {TIE_TERM!r}: ties_model adds it itself.")
    unknown = design[TIE_TERM].isna().groupby(design["seleksi_id"]).any()
    if unknown.all():
        raise KinerjaDataError(
            f"{TIE_TERM} is unknown in every selection: no assessor (nip_penilai) was found in pegawai. {TIES_NOTE}"
        )
    keep = ~design["seleksi_id"].map(unknown).to_numpy(dtype=bool)
    fit = fit_choices(prepare_choices(design.loc[keep], terms=(TIE_TERM, *terms), winners=winners))
    table = coefficient_table(fit, alpha=alpha)
    notes = [f"{int(unknown.sum())} selection(s) with an unknown tie left out"] if unknown.any() else []
    if fit.n_dropped:
        notes.append(f"{fit.n_dropped} selection(s) without both chosen and passed-over candidates left out")
    tie_note = "; ".join([_CAVEAT, *notes])
    prefix = "odds ratio (not a probability) of being chosen per unit of the term, other terms equal; "
    return pd.DataFrame({
        "term": table["term"], "odds_ratio": table["odds_ratio"], "ci_low": table["or_ci_low"],
        "ci_high": table["or_ci_high"], "p_value": table["p_value"], "n_selections": table["n_selections"],
        "n_candidates": table["n_candidates"],
        "method": [m if m.startswith("not estimable") else prefix + m for m in table["method"]],
        "note": [tie_note if t == TIE_TERM else "; ".join(notes) for t in table["term"]],
    })  # fmt: skip
