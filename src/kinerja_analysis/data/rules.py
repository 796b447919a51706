"""Rules particular to one table, and references between tables (DOMAIN.md sections 1, 3.1 and 6).

- pegawai: the NIP agrees with jenis_kelamin, tanggal_lahir, status and (PNS) the month of tmt_cpns;
  tmt_cpns after tanggal_lahir; tanggal_keluar after tmt_cpns.
- kinerja: from 2022 the two ratings are required and a given predikat must follow the matrix of
  PermenPANRB 6/2022; before 2022 nilai_skp and nilai_perilaku are required (PP 46/2011).
- pelatihan: tanggal_selesai not before tanggal_mulai.
- layanan and pengaduan: tanggal_selesai not before tanggal_masuk; status ``proses`` if and only if
  tanggal_selesai is empty.
- references (``schema.REFERENCES``): a nip must be in pegawai and a unit_id in unit_kerja, checked
  against the *accepted* rows of the referenced table, so that accepted tables join without loss.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kinerja_analysis.data.schema import (
    MATRIX,  # the PermenPANRB 6/2022 matrix, kept in one place
    PREDIKAT,
    RATING,
    REFERENCES,
)
from kinerja_analysis.data.validate import Rejections

__all__ = ["apply_rules", "check_references"]

_FIRST_2022_YEAR = 2022


def apply_rules(table: str, typed: pd.DataFrame, raw: pd.DataFrame, nips: dict, rej: Rejections) -> None:
    """Apply the rules of ``table`` (see the module docstring), adding rejections to ``rej``."""
    if table == "pegawai":
        _nip_agreement(typed, nips["nip"], rej)
        _order(typed, rej, "tmt_cpns", "tanggal_lahir", strict=True)
        _order(typed, rej, "tanggal_keluar", "tmt_cpns", strict=True)
    elif table == "kinerja":
        _regime(typed, raw, rej)
    elif table == "pelatihan":
        _order(typed, rej, "tanggal_selesai", "tanggal_mulai", strict=False)
    elif table in ("layanan", "pengaduan"):
        _order(typed, rej, "tanggal_selesai", "tanggal_masuk", strict=False)
        _open_cases(typed, raw, rej)


def _iso(values: pd.Series, idx: np.ndarray) -> pd.Series:
    return values.iloc[idx].dt.strftime("%Y-%m-%d").reset_index(drop=True)


def _order(typed: pd.DataFrame, rej: Rejections, later: str, earlier: str, *, strict: bool) -> None:
    a, b = typed[later].to_numpy(), typed[earlier].to_numpy()
    both = ~np.isnat(a) & ~np.isnat(b)
    bad = both & ((a <= b) if strict else (a < b))
    word = "is not after" if strict else "is before"

    def reason(idx: np.ndarray):
        return (f"{later} " + _iso(typed[later], idx) + f" {word} {earlier} " + _iso(typed[earlier], idx)).to_numpy()

    rej.add(bad, column=later, check="date_order", values=typed[later], reason=reason)


def _nip_agreement(typed: pd.DataFrame, parsed: pd.DataFrame, rej: Rejections) -> None:
    valid = parsed["valid"].to_numpy(dtype=bool)
    for col, what in (("jenis_kelamin", "sex digit"), ("status", "kind (PNS NIP or NI PPPK)")):
        given = typed[col]
        # Compare category codes on one set of categories: formatting millions of cells would cost seconds.
        from_nip = parsed[col].cat.set_categories(given.cat.categories)
        g, f = given.cat.codes.to_numpy(), from_nip.cat.codes.to_numpy()
        bad = valid & (g >= 0) & (g != f)
        rej.add(
            bad,
            column=col,
            check="nip_agreement",
            values=given,
            reason=lambda idx, g=given, f=from_nip, c=col, w=what: (
                f"{c} "
                + g.iloc[idx].astype("str").reset_index(drop=True)
                + f" disagrees with the NIP's {w}: "
                + f.iloc[idx].astype("str").reset_index(drop=True)
            ).to_numpy(),
        )
    given = typed["tanggal_lahir"]
    born = parsed["tanggal_lahir"]
    bad = valid & given.notna().to_numpy() & (given.to_numpy() != born.to_numpy())
    rej.add(
        bad,
        column="tanggal_lahir",
        check="nip_agreement",
        values=given,
        reason=lambda idx: (
            "tanggal_lahir " + _iso(given, idx) + " disagrees with the NIP's birth date " + _iso(born, idx)
        ).to_numpy(),
    )
    # A PNS NIP encodes the year and month of TMT CPNS (DOMAIN.md 1); the day is not encoded.
    given = typed["tmt_cpns"]
    tmt = parsed["tmt_cpns"]
    month = given.to_numpy().astype("datetime64[M]")
    bad = valid & given.notna().to_numpy() & tmt.notna().to_numpy() & (month != tmt.to_numpy().astype("datetime64[M]"))
    rej.add(
        bad,
        column="tmt_cpns",
        check="nip_agreement",
        values=given,
        reason=lambda idx: (
            "tmt_cpns "
            + _iso(given, idx)
            + " disagrees with the NIP's TMT CPNS month "
            + tmt.iloc[idx].dt.strftime("%Y-%m").reset_index(drop=True)
        ).to_numpy(),
    )


def _regime(typed: pd.DataFrame, raw: pd.DataFrame, rej: Rejections) -> None:
    tahun = typed["tahun"].to_numpy(dtype=float, na_value=np.nan)
    new, old = tahun >= _FIRST_2022_YEAR, tahun < _FIRST_2022_YEAR

    def absent(col: str) -> np.ndarray:
        # Only cells left empty: a cell with an unreadable value is already rejected as such.
        return raw[col].isna().to_numpy() if col in raw.columns else np.ones(len(typed), dtype=bool)

    for col in ("rating_hasil_kerja", "rating_perilaku_kerja"):
        rej.add(
            new & absent(col),
            column=col,
            check="regime",
            values=typed["tahun"],
            reason=f"tahun {{value}} falls under PermenPANRB 6/2022, which needs {col} (di_bawah, sesuai or di_atas)",
        )
    for col in ("nilai_skp", "nilai_perilaku"):
        rej.add(
            old & absent(col),
            column=col,
            check="regime",
            values=typed["tahun"],
            reason=f"tahun {{value}} falls under PP 46/2011, which needs {col}",
        )
    hk = typed["rating_hasil_kerja"].cat.codes.to_numpy()
    pk = typed["rating_perilaku_kerja"].cat.codes.to_numpy()
    given = typed["predikat"].cat.codes.to_numpy()
    expected_by_pair = np.array([PREDIKAT.index(MATRIX[(h, p)]) for h in RATING for p in RATING])
    expected = np.where((hk >= 0) & (pk >= 0), expected_by_pair[np.clip(hk, 0, None) * 3 + np.clip(pk, 0, None)], -1)
    bad = new & (given >= 0) & (expected >= 0) & (given != expected)

    def reason(idx: np.ndarray):
        return [
            f"predikat {PREDIKAT[given[i]]} does not follow PermenPANRB 6/2022: hasil kerja {RATING[hk[i]]} and "
            f"perilaku kerja {RATING[pk[i]]} give {PREDIKAT[expected[i]]}"
            for i in idx
        ]

    rej.add(bad, column="predikat", check="regime", values=typed["predikat"], reason=reason)


def _open_cases(typed: pd.DataFrame, raw: pd.DataFrame, rej: Rejections) -> None:
    status = typed["status"]
    codes = status.cat.codes.to_numpy()
    known = codes >= 0
    open_ = codes == list(status.cat.categories).index("proses")
    has_end = typed["tanggal_selesai"].notna().to_numpy()
    end_empty = raw["tanggal_selesai"].isna().to_numpy() if "tanggal_selesai" in raw.columns else ~has_end
    ends = typed["tanggal_selesai"]
    rej.add(
        open_ & has_end,
        column="tanggal_selesai",
        check="status",
        values=ends,
        reason="status is proses (still open) but tanggal_selesai {value} is given; "
        "set the final status or clear the date",
    )
    rej.add(
        known & ~open_ & end_empty,
        column="tanggal_selesai",
        check="status",
        values=status,
        reason="status is {value} but tanggal_selesai is empty; a case without an end date has status proses",
    )


def check_references(
    table: str, typed: pd.DataFrame, rej: Rejections, done: dict[str, tuple[pd.DataFrame, np.ndarray]]
) -> list[str]:
    """Reject rows whose nip or unit_id is not among the accepted rows of the table it refers to.

    ``done`` maps each table already checked to its typed frame and rejected-row mask. Returns
    warnings for references that could not be checked because the referenced table is absent.
    """
    warnings = []
    for (source, col), (target, target_col) in REFERENCES.items():
        if source != table:
            continue
        if target not in done:
            warnings.append(f"{table}.{col} was not checked against {target}: the dataset has no {target} table.")
            continue
        target_typed, target_rejected = done[target]
        keys = target_typed[target_col]
        accepted = keys[~target_rejected]
        values = typed[col]
        present = values.notna().to_numpy()
        in_any = values.isin(keys).to_numpy()
        # A second pass over the rows only when the referenced table had rejections.
        in_accepted = values.isin(accepted).to_numpy() if target_rejected.any() else in_any
        rej.add(
            present & ~in_any,
            column=col,
            check="reference",
            values=values,
            reason=f"{col} {{value}} is not in {target}.{target_col}; add it to {target} or correct it",
        )
        rej.add(
            present & in_any & ~in_accepted,
            column=col,
            check="reference",
            values=values,
            reason=f"{col} {{value}} is in {target}, but its {target} row was rejected (see that row's reasons)",
        )
    return warnings
