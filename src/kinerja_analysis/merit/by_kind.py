"""Merit against seniority for each kind of selection: posts (jabatan), kenaikan pangkat and rotasi apart.

Pooling a promotion to Lurah with a kenaikan pangkat pilihan and a rotation assumes that merit and
seniority weigh the same in all three. :func:`merit_by_kind` fits the merit-versus-seniority
comparison (:func:`~kinerja_analysis.merit.shares.merit_vs_seniority`) on each kind's selections alone,
and on all of them together (``semua``), and says how many selections and candidates each rests on.

The kind comes from ``jenis`` (:func:`selection_kind`); the title in ``jabatan_target`` is not read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.options import check_alpha, check_option
from kinerja_analysis.merit.choice_sets import Winners, check_choice_sets
from kinerja_analysis.merit.design import MERIT_TERMS, SENIORITY_TERMS
from kinerja_analysis.merit.shares import merit_vs_seniority

__all__ = ["SelectionKind", "SELECTION_KINDS", "KIND_OF_JENIS", "selection_kind", "merit_by_kind"]

SelectionKind = Literal["jabatan", "kenaikan_pangkat", "rotasi", "semua"]
SELECTION_KINDS: tuple[str, ...] = ("jabatan", "kenaikan_pangkat", "rotasi")
"""The kinds of :func:`selection_kind`; :func:`merit_by_kind` also knows ``semua`` (all kinds pooled)."""

KIND_OF_JENIS: dict[str, str] = {"promosi": "jabatan", "kenaikan_pangkat": "kenaikan_pangkat", "rotasi": "rotasi"}
"""The rule of :func:`selection_kind`: ``seleksi.jenis`` -> kind."""

_POOLED = "semua"
_PER = {"skor_kompetensi": "per 1 point of skor_kompetensi (0-100)", "skor_potensi": "per 1 point of skor_potensi",
        "masa_kerja_tahun": "per year of masa kerja (since TMT CPNS)", "usia_tahun": "per year of age",
        "peringkat_golongan": "per golongan step", "jp_setahun": "per JP of training in the year before"}  # fmt: skip
_COLUMNS = ("kind", "term", "odds_ratio", "ci_low", "ci_high", "p_value", "n_selections", "n_candidates",
            "seniority_share", "seniority_share_ci_low", "seniority_share_ci_high", "p_seniority_beyond_merit",
            "method", "note")  # fmt: skip


def selection_kind(frame: pd.DataFrame) -> pd.Series:
    """The kind of each selection, from ``jenis``: ``jabatan``, ``kenaikan_pangkat`` or ``rotasi``.

    The rule (:data:`KIND_OF_JENIS`): ``jenis == "promosi"`` is a selection for a post (``jabatan``: in the
    demo data Lurah, Sekretaris Camat, Kepala Seksi, Kepala Puskesmas, Kepala Sekolah, Sekretaris Lurah,
    Kepala Subbagian, and also Wakil Kepala Sekolah, Pengawas Sekolah and Koordinator Pelayanan);
    ``kenaikan_pangkat`` is kenaikan pangkat pilihan; ``rotasi`` (the loader also reads "mutasi" as
    rotasi) is a move at the same level. ``jenis`` is authoritative: a ``jabatan_target`` such as
    "Lurah (rotasi)" is a rotation in the demo data because its ``jenis`` is ``rotasi``, and a title is
    never used to overrule ``jenis``.

    Parameters
    ----------
    frame
        The ``seleksi`` table or a design from :func:`~kinerja_analysis.merit.design.selection_design`:
        needs ``jenis``; when ``seleksi_id`` is present, each selection must have one ``jenis``.

    Returns
    -------
    Series
        Named ``kind``, aligned with ``frame``'s index, categorical with the categories of
        :data:`SELECTION_KINDS`.

    Examples
    --------
    >>> frame = pd.DataFrame({"seleksi_id": ["S1", "S1", "S2"], "jenis": ["promosi", "promosi", "rotasi"],
    ...                       "jabatan_target": ["Lurah", "Lurah", "Lurah (rotasi)"]})
    >>> selection_kind(frame).tolist()
    ['jabatan', 'jabatan', 'rotasi']
    """
    if "jenis" not in frame.columns:
        raise MissingColumnError("the selection table has no column 'jenis'; selection_kind reads the kind from it.")
    jenis = frame["jenis"].astype("object")
    kind = jenis.map(KIND_OF_JENIS)
    bad = kind.isna().to_numpy()
    if bad.any():
        values = sorted({str(v) for v in jenis[bad]})
        raise KinerjaDataError(
            f"seleksi.jenis has value(s) {values} at rows {frame.index[bad].tolist()[:10]}; "
            f"each selection needs one of {list(KIND_OF_JENIS)}."
        )
    if "seleksi_id" in frame.columns:
        per = jenis.groupby(frame["seleksi_id"]).nunique()
        mixed = per.index[per > 1].astype("str").tolist()
        if mixed:
            raise KinerjaDataError(
                f"selections {sorted(mixed)[:10]} mix several jenis across their candidates; one selection is one "
                "kind: correct seleksi.jenis."
            )
    return kind.astype(pd.CategoricalDtype(list(SELECTION_KINDS))).rename("kind")


def _separating_terms(frame: pd.DataFrame, terms: Sequence[str]) -> dict[str, str]:
    """Terms whose maximum likelihood estimate is infinite on their own: in every selection where the term
    varies, the chosen all have the highest values (or all the lowest). Such a term is dropped with a note."""
    chosen = frame["terpilih"].astype(bool).to_numpy()
    out = {}
    for term in terms:
        x = frame[term].astype("float64")
        win = x[chosen].groupby(frame["seleksi_id"][chosen]).agg(["min", "max"])
        lose = x[~chosen].groupby(frame["seleksi_id"][~chosen]).agg(["min", "max"])
        both = win.add_suffix("_w").join(lose.add_suffix("_l"), how="inner")
        varies = (both[["max_w", "max_l"]].max(axis=1) > both[["min_w", "min_l"]].min(axis=1)).to_numpy()
        if not varies.any():
            continue  # no variation: the model reports it as not estimable
        top = (both["min_w"] >= both["max_l"]).to_numpy()[varies]
        bottom = (both["max_w"] <= both["min_l"]).to_numpy()[varies]
        if top.all() or bottom.all():
            side = "highest" if top.all() else "lowest"
            out[term] = f"{term} dropped: in every selection where it varies the chosen had the {side} value"
    return out


def _empty_rows(kind: str, report: Sequence[str], n_sel: int, n_cand: int, note: str) -> list[dict]:
    return [{"kind": kind, "term": t, "n_selections": n_sel, "n_candidates": n_cand,
             "method": "not estimated", "note": note} for t in report]  # fmt: skip


def _fit_kind(kind: str, frame: pd.DataFrame, *, merit: tuple[str, ...], seniority: tuple[str, ...],
              report: Sequence[str], min_selections: int, winners: Winners, alpha: float, n_boot: int,
              seed: int) -> list[dict]:  # fmt: skip
    n_sel, n_cand = int(frame["seleksi_id"].nunique()), len(frame)
    if n_sel < min_selections:
        reason = f"only {n_sel} selection(s) of kind {kind}; at least min_selections={min_selections} are needed"
        return _empty_rows(kind, report, n_sel, n_cand, reason)
    dropped = _separating_terms(frame, merit + seniority)
    merit_k = tuple(t for t in merit if t not in dropped)
    seniority_k = tuple(t for t in seniority if t not in dropped)
    notes = list(dropped.values())
    if not merit_k or not seniority_k:
        return _empty_rows(kind, report, n_sel, n_cand, "; ".join([*notes, "a block has no term left"]))
    try:
        result = merit_vs_seniority(frame, merit=merit_k, seniority=seniority_k, winners=winners, alpha=alpha,
                                    n_boot=n_boot, seed=seed)  # fmt: skip
    except KinerjaDataError as err:
        return _empty_rows(kind, report, n_sel, n_cand, "; ".join([*notes, f"not estimated: {err}"]))
    both = result.models.set_index("model").loc["both"]
    coef = result.table().set_index("term")
    share = result.shares.set_index("block").loc["seniority"]
    p_sen = float(result.tests.set_index("comparison").loc["seniority beyond merit", "p_value"])
    n_sel_fit, n_cand_fit = int(both["n_selections"]), int(both["n_candidates"])
    if n_sel_fit < n_sel:
        notes.append(f"{n_sel - n_sel_fit} selection(s) without both chosen and passed-over candidates left out")
    rows = []
    for term in report:
        row = {"kind": kind, "term": term, "n_selections": n_sel_fit, "n_candidates": n_cand_fit,
               "seniority_share": float(share["share"]), "seniority_share_ci_low": float(share["ci_low"]),
               "seniority_share_ci_high": float(share["ci_high"]), "p_seniority_beyond_merit": p_sen}  # fmt: skip
        have = term in coef.index and np.isfinite(coef.loc[term, "odds_ratio"])
        if have:
            c = coef.loc[term]
            row |= {"odds_ratio": float(c["odds_ratio"]), "ci_low": float(c["or_ci_low"]),
                    "ci_high": float(c["or_ci_high"]), "p_value": float(c["p_value"])}  # fmt: skip
            row["method"] = (
                f"odds ratio (not a probability) of being chosen {_PER.get(term, f'per unit of {term}')}, other "
                f"terms equal, within the same selection; {c['method']}; seniority_share: "
                f"{result.shares['method'].iloc[0]}"
            )
        else:
            row["method"] = "not estimated"
        term_note = dropped.get(term) or ("" if have else f"{term} is not among the estimable terms of this kind")
        row["note"] = "; ".join(n for n in dict.fromkeys([term_note, *notes]) if n)
        rows.append(row)
    return rows


def merit_by_kind(
    design: pd.DataFrame,
    *,
    kinds: Sequence[SelectionKind] = ("jabatan", "kenaikan_pangkat", "rotasi", "semua"),
    merit: Sequence[str] = MERIT_TERMS,
    seniority: Sequence[str] = SENIORITY_TERMS,
    report: Sequence[str] = ("skor_kompetensi", "masa_kerja_tahun"),
    min_selections: int = 20,
    winners: Winners = "one",
    alpha: float = 0.05,
    n_boot: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """Merit against seniority within each kind of selection, and pooled, with what each rests on.

    For each kind (:func:`selection_kind`: ``jabatan`` = jenis promosi, ``kenaikan_pangkat``, ``rotasi``;
    ``semua`` = every selection of the design), :func:`~kinerja_analysis.merit.shares.merit_vs_seniority`
    is fitted on that kind's selections alone: a conditional logit within ``seleksi_id`` with the merit
    and seniority blocks, whose coefficients are log odds ratios of being chosen, exp(beta) per unit of
    the term, other terms equal, against the other candidates of the same selection. A term that
    separates the chosen in a kind (a rare indicator whose holders were never chosen there, which has no
    finite estimate) is dropped for that kind and the ``note`` says so; the other kinds keep it.

    Parameters
    ----------
    design
        From :func:`~kinerja_analysis.merit.design.selection_design` (needs ``jenis``); not modified.
    kinds
        Which kinds to fit, in this order; ``semua`` pools all kinds of the design.
    merit, seniority
        The two blocks of terms, as in :func:`~kinerja_analysis.merit.shares.merit_vs_seniority`.
    report
        Terms whose odds ratios are reported (one row each per kind); each must be in a block.
    min_selections
        A kind with fewer selections gets rows with missing numbers and the reason in ``note``.
    winners, alpha, n_boot, seed
        As in :func:`~kinerja_analysis.merit.shares.merit_vs_seniority` (``n_boot`` bootstrap resamples of
        selections for the share interval, 0 to skip).

    Returns
    -------
    DataFrame
        One row per kind and reported term: ``kind``, ``term``, ``odds_ratio`` (per 1 point of
        ``skor_kompetensi``, per year of ``masa_kerja_tahun``: an odds ratio, not a probability),
        ``ci_low`` / ``ci_high`` (the Wald interval **of the odds ratio**, exp of the log-odds interval;
        in :func:`~kinerja_analysis.merit.model.selection_model` these are ``or_ci_low`` / ``or_ci_high``),
        ``p_value`` (Wald test of odds ratio 1), ``n_selections`` and ``n_candidates`` the fit rests on
        (for a kind not fitted: the kind's selections and candidates in the design),
        ``seniority_share`` (the seniority block's Shapley share of the explained log-likelihood) with
        ``seniority_share_ci_low`` / ``seniority_share_ci_high`` (percentile bootstrap; missing when
        ``n_boot=0``), ``p_seniority_beyond_merit`` (likelihood-ratio test), ``method`` and ``note``
        (terms dropped, selections left out, or why a kind was not fitted; empty when nothing to add).

    Examples
    --------
    >>> from kinerja_analysis import load_dataset, paths
    >>> from kinerja_analysis.merit import selection_design
    >>> table = merit_by_kind(selection_design(load_dataset(paths.demo_data_dir())), n_boot=0)
    >>> table.groupby("kind", sort=False)["n_selections"].first().to_dict()
    {'jabatan': 112, 'kenaikan_pangkat': 94, 'rotasi': 72, 'semua': 278}
    """
    kinds, merit, seniority, report = tuple(kinds), tuple(merit), tuple(seniority), tuple(report)
    if not kinds or len(set(kinds)) != len(kinds):
        raise InvalidOptionError(f"kinds={kinds!r}: name at least one kind, each once.")
    for k in kinds:
        check_option("kinds", k, (*SELECTION_KINDS, _POOLED))
    if not report or any(t not in merit + seniority for t in report):
        raise InvalidOptionError(f"report={report!r}: name at least one term, each in merit or seniority.")
    if isinstance(min_selections, bool) or not isinstance(min_selections, int) or min_selections < 1:
        raise InvalidOptionError(f"min_selections={min_selections!r} is not allowed; choose a whole number >= 1.")
    check_alpha(alpha)
    check_choice_sets(design, winners=winners, terms=merit + seniority)  # data problems raise, not notes
    kind = selection_kind(design)
    rows: list[dict] = []
    for k in kinds:
        frame = design if k == _POOLED else design.loc[(kind == k).to_numpy()]
        rows += _fit_kind(k, frame, merit=merit, seniority=seniority, report=report, min_selections=min_selections,
                          winners=winners, alpha=alpha, n_boot=n_boot, seed=seed)  # fmt: skip
    out = pd.DataFrame(rows).reindex(columns=list(_COLUMNS))
    counts = ["n_selections", "n_candidates"]
    numbers = [c for c in _COLUMNS[2:12] if c not in counts]
    out[numbers], out[counts] = out[numbers].astype("float64"), out[counts].astype("int64")
    out["note"] = out["note"].fillna("").astype("str")
    return out
