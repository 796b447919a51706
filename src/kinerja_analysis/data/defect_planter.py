"""The planter behind :func:`kinerja_analysis.data.defects.make_dirty_copies`: one method per kind of defect.

Each method edits cells of the clean tables in place (or appends rows at the end) and records the
rejection that DOMAIN.md's rules require, so the expectation never comes from running the loader.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kinerja_analysis.data.schema import REFERENCES

__all__ = ["Planter", "EXPECTED_COLUMNS"]

EXPECTED_COLUMNS = ("table", "row", "column", "check", "reason_keyword", "defect")
_MISSING_UNIT = "UNIT-HILANG"
_NIP_COLUMNS = {(t, c) for (t, c), (target, _) in REFERENCES.items() if target == "pegawai"}


class Planter:
    """Edits text tables in place and records what each edit must make the loader reject."""

    def __init__(self, tables: dict[str, pd.DataFrame], seed: int) -> None:
        self.t = tables
        self.rng = np.random.default_rng(seed)
        self.used: dict[str, set[int]] = {name: set() for name in tables}
        self.tainted: set[str] = set()  # NIPs (as written in other tables) of rejected pegawai rows
        self.expected: list[tuple] = []
        self.notes: list[str] = []

    # -- choosing rows --------------------------------------------------------------------------

    def pick(self, table: str, eligible: np.ndarray | None = None, *, order: np.ndarray | None = None) -> int | None:
        """An unused row of ``table`` that is eligible and does not refer to a rejected employee."""
        df = self.t[table]
        ok = np.ones(len(df), dtype=bool)
        if eligible is not None:  # rows appended after the mask was made are not eligible
            ok[:] = False
            ok[: len(eligible)] = np.asarray(eligible, dtype=bool)
        ok[list(self.used[table])] = False
        for t, col in _NIP_COLUMNS:
            if t == table and col in df.columns:
                ok &= ~df[col].isin(self.tainted).to_numpy()
        candidates = np.flatnonzero(ok)
        if candidates.size == 0:
            return None
        if order is not None:  # prefer the first candidates in this order (fewest dependent rows)
            ranked = candidates[np.argsort(order[candidates], kind="stable")]
            pos = int(ranked[self.rng.integers(0, min(5, ranked.size))])
        else:
            pos = int(self.rng.choice(candidates))
        self.used[table].add(pos)
        return pos

    def edit(self, defect: str, table: str, pos: int | None, column: str, value: str | None, *,
             check: str, keyword: str, expect_column: str | None = None) -> bool:  # fmt: skip
        if pos is None:
            return False
        df = self.t[table]
        before = df.at[pos, column] if column in df.columns else None
        df.loc[pos, column] = value
        self.record(defect, table, pos, expect_column or column, check, keyword)
        self.notes.append(
            f"| {defect} | {table} | {pos + 2} | {column} | {_show(before)} -> {_show(value)} | {check} |"
        )
        return True

    def append_copy(self, defect: str, table: str, pos: int | None, column: str, *, check: str, keyword: str) -> bool:
        """Append a copy of row ``pos``: both rows then share their key."""
        if pos is None:
            return False
        df = self.t[table]
        self.t[table] = pd.concat([df, df.iloc[[pos]]], ignore_index=True)
        new = len(df)
        self.used[table].add(new)
        if table == "pegawai":
            self.original_nip = np.append(self.original_nip, self.original_nip[pos])
        for p in (pos, new):
            self.record(defect, table, p, column, check, keyword)
        rows = f"{pos + 2}, {new + 2}"
        self.notes.append(f"| {defect} | {table} | {rows} | (row) | row {pos + 2} copied to row {new + 2} | {check} |")
        return True

    def record(self, defect: str, table: str, pos: int, column: str, check: str, keyword: str) -> None:
        self.expected.append((table, pos + 2, column, check, keyword, defect))
        if table == "pegawai":
            self.tainted.add(str(self.original_nip[pos]))

    # -- the defects ----------------------------------------------------------------------------

    def unit_kerja(self) -> None:
        df = self.t["unit_kerja"]
        extra = df.iloc[[0]].copy()
        extra["unit_id"], extra["nama_unit"], extra["sektor"] = "UNIT-X", "Unit Tambahan", "keuangan"
        self.t["unit_kerja"] = pd.concat([df, extra], ignore_index=True)
        pos = len(df)
        self.used["unit_kerja"].add(pos)
        self.expected.append(("unit_kerja", pos + 2, "sektor", "type", "not an allowed value", "U1"))
        self.notes.append(f"| U1 | unit_kerja | {pos + 2} | sektor | new unit UNIT-X with sektor keuangan | type |")

    def pegawai(self) -> None:
        df = self.t["pegawai"]
        self.original_nip = df["nip"].to_numpy(dtype=object).copy()
        refs = pd.concat([self.t[t][c] for t, c in _NIP_COLUMNS if t in self.t and c in self.t[t].columns])
        order = df["nip"].map(refs.value_counts()).fillna(0).to_numpy()
        nip = df["nip"].astype(str)
        pns = (nip.str.slice(12, 14).astype(int) <= 12).to_numpy()
        active = df["tanggal_keluar"].isna().to_numpy() if "tanggal_keluar" in df.columns else np.ones(len(df), bool)

        def pick(eligible=None):
            return self.pick("pegawai", eligible, order=order)

        p = pick()
        self.edit("P1", "pegawai", p, "nip", _as_float(nip[p]) if p is not None else None, check="nip",
                  keyword="spreadsheet float")  # fmt: skip
        p = pick()
        self.edit("P2", "pegawai", p, "nip", nip.get(p, "")[:17], check="nip", keyword="17 digits")
        p = pick()
        self.edit("P3", "pegawai", p, "nip", nip.get(p, "") + "7", check="nip", keyword="19 digits")
        p = pick()
        self.edit("P4", "pegawai", p, "nip", _digits(nip.get(p, ""), 4, "13"), check="nip", keyword="is not a date")
        p = pick()
        self.edit("P5", "pegawai", p, "nip", _digits(nip.get(p, ""), 14, "3"), check="nip", keyword="sex digit is 3")
        p = pick()
        if p is not None:
            self.edit("P6", "pegawai", p, "jenis_kelamin", "P" if nip[p][14] == "1" else "L", check="nip_agreement",
                      keyword="sex digit")  # fmt: skip
        p = pick()
        if p is not None:
            born = dt.date.fromisoformat(df.at[p, "tanggal_lahir"])
            later = _iso(born.replace(year=born.year + 1, day=min(born.day, 28)))
            self.edit("P7", "pegawai", p, "tanggal_lahir", later, check="nip_agreement", keyword="birth date")
        p = pick(pns & active)
        if p is not None:
            tmt = dt.date.fromisoformat(df.at[p, "tmt_cpns"])
            later = (tmt.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            self.edit("P8", "pegawai", p, "tmt_cpns", _iso(later), check="nip_agreement", keyword="TMT CPNS month")
        p = pick()
        if p is not None:
            self.edit("P9", "pegawai", p, "tanggal_lahir", f"30/02/{df.at[p, 'tanggal_lahir'][:4]}", check="type",
                      keyword="is not a date")  # fmt: skip
        self.edit("P10", "pegawai", pick(), "golongan", "III/e", check="type", keyword="not an allowed value")
        self.edit("P11", "pegawai", pick(), "jabatan", None, check="required", keyword="missing value")
        self.edit("P12", "pegawai", pick(), "unit_id", _MISSING_UNIT, check="reference", keyword="not in unit_kerja")
        p = pick(active)
        if p is not None:
            before = dt.date.fromisoformat(df.at[p, "tmt_cpns"]) - dt.timedelta(days=1)
            self.edit("P13", "pegawai", p, "tanggal_keluar", _iso(before), check="date_order", keyword="is not after")
        p = pick(pns)
        self.edit("P14", "pegawai", p, "status", "pppk", check="nip_agreement", keyword="kind")
        self.append_copy("P15", "pegawai", pick(), "nip", check="duplicate", keyword="duplicate key")

    def kinerja(self) -> None:
        df = self.t["kinerja"]
        tahun = pd.to_numeric(df["tahun"]).to_numpy()
        new, old = tahun >= 2022, tahun < 2022
        self.edit("K2", "kinerja", self.pick("kinerja", new), "rating_hasil_kerja", None, check="regime",
                  keyword="PermenPANRB 6/2022")  # fmt: skip
        rated = df[["rating_hasil_kerja", "rating_perilaku_kerja", "predikat"]].notna().all(axis=1).to_numpy()
        p = self.pick("kinerja", new & rated)
        if p is not None:
            wrong = "Sangat Kurang" if df.at[p, "predikat"] != "Sangat Kurang" else "Sangat Baik"
            self.edit("K3", "kinerja", p, "predikat", wrong, check="regime", keyword="does not follow")
        self.edit("K4", "kinerja", self.pick("kinerja", old), "nilai_skp", None, check="regime", keyword="PP 46/2011")
        self.edit("K5", "kinerja", self.pick("kinerja", old), "nilai_skp", "130", check="range",
                  keyword="above the maximum")  # fmt: skip
        p = self.pick("kinerja")
        if p is not None:
            known = set(self.t["pegawai"]["nip"])
            nobody = next(df.at[p, "nip"][:15] + f"{s:03d}" for s in range(999, 0, -1)
                          if df.at[p, "nip"][:15] + f"{s:03d}" not in known)  # fmt: skip
            self.edit("K6", "kinerja", p, "nip", nobody, check="reference", keyword="not in pegawai")
        self.edit("K7", "kinerja", self.pick("kinerja"), "tahun", "20x3", check="type", keyword="not a whole number")
        self.append_copy("K1", "kinerja", self.pick("kinerja"), "nip+tahun+periode", check="duplicate",
                         keyword="duplicate key")  # fmt: skip

    def pelatihan(self) -> None:
        self.edit("L1", "pelatihan", self.pick("pelatihan"), "jp", "0", check="range", keyword="greater than 0")
        self.edit("L2", "pelatihan", self.pick("pelatihan"), "jp", "-4", check="range", keyword="greater than 0")
        p = self.pick("pelatihan")
        if p is not None:
            start = dt.date.fromisoformat(self.t["pelatihan"].at[p, "tanggal_mulai"])
            self.edit("L3", "pelatihan", p, "tanggal_selesai", _iso(start - dt.timedelta(days=1)), check="date_order",
                      keyword="is before")  # fmt: skip
        p = self.pick("pelatihan")
        if p is not None:
            self.edit("L4", "pelatihan", p, "nip", _as_float(self.t["pelatihan"].at[p, "nip"]), check="nip",
                      keyword="export the column as text")  # fmt: skip

    def seleksi(self) -> None:
        self.edit(
            "S1", "seleksi", self.pick("seleksi"), "skor_kompetensi", "105", check="range", keyword="above the maximum"
        )
        self.edit("S2", "seleksi", self.pick("seleksi"), "terpilih", "mungkin", check="type", keyword="not yes/no")

    def layanan(self) -> None:
        df = self.t["layanan"]
        done = (df["status"] == "selesai").to_numpy() & df["tanggal_selesai"].notna().to_numpy()
        self.edit("Y1", "layanan", self.pick("layanan", done), "status", "proses", check="status", keyword="still open",
                  expect_column="tanggal_selesai")  # fmt: skip
        self.edit("Y2", "layanan", self.pick("layanan", done), "tanggal_selesai", None, check="status",
                  keyword="tanggal_selesai is empty")  # fmt: skip
        p = self.pick("layanan", done)
        if p is not None:
            received = dt.date.fromisoformat(df.at[p, "tanggal_masuk"])
            self.edit("Y3", "layanan", p, "tanggal_selesai", _iso(received - dt.timedelta(days=2)), check="date_order",
                      keyword="is before")  # fmt: skip
        self.edit("Y4", "layanan", self.pick("layanan"), "unit_id", _MISSING_UNIT, check="reference",
                  keyword="not in unit_kerja")  # fmt: skip
        self.edit(
            "Y5", "layanan", self.pick("layanan"), "standar_hari", "tiga", check="type", keyword="not a whole number"
        )

    def survei(self) -> None:
        self.edit("V1", "survei", self.pick("survei"), "u3", "5", check="range", keyword="above the maximum")
        self.edit("V2", "survei", self.pick("survei"), "u7", "0", check="range", keyword="below the minimum")
        self.edit("V3", "survei", self.pick("survei"), "u1", "2.5", check="type", keyword="not a whole number")
        a, b = self.pick("survei"), self.pick("survei")
        if a is not None and b is not None:
            self.edit("V4", "survei", b, "responden_id", self.t["survei"].at[a, "responden_id"], check="duplicate",
                      keyword="duplicate key")  # fmt: skip
            self.record("V4", "survei", a, "responden_id", "duplicate", "duplicate key")

    def pengaduan(self) -> None:
        df = self.t["pengaduan"]
        done = (df["status"] == "selesai").to_numpy() & df["tanggal_selesai"].notna().to_numpy()
        self.edit("A1", "pengaduan", self.pick("pengaduan", done), "tanggal_selesai", None, check="status",
                  keyword="tanggal_selesai is empty")  # fmt: skip

    def disiplin(self) -> None:
        self.edit(
            "D1", "disiplin", self.pick("disiplin"), "tingkat", "parah", check="type", keyword="not an allowed value"
        )
        p = self.pick("disiplin")
        if p is not None:
            self.edit("D2", "disiplin", p, "tanggal", "2023-02-29", check="type", keyword="is not a date")

    def cascade(self) -> None:
        """Rows that refer to a rejected employee are rejected too (their nip no longer joins)."""
        for table, col in sorted(_NIP_COLUMNS):
            if table not in self.t or col not in self.t[table].columns:
                continue
            hit = np.flatnonzero(self.t[table][col].isin(self.tainted).to_numpy())
            for pos in hit:
                self.expected.append((table, pos + 2, col, "reference", "pegawai", "cascade"))
            if hit.size:
                self.notes.append(f"| cascade | {table} | {hit.size} rows | {col} | refers to a rejected pegawai row | "
                                  f"reference |")  # fmt: skip

    def variations(self) -> list[str]:
        """Spellings real exports use, planted in clean rows: the loader must accept them unchanged."""
        done = []
        peg = self.t["pegawai"]
        p = self.pick("pegawai")
        if p is not None:
            peg.loc[p, "jenis_kelamin"] = {"L": "Laki-laki", "P": "Perempuan"}[peg.at[p, "jenis_kelamin"]]
            done.append(f"pegawai row {p + 2}: jenis_kelamin written `{peg.at[p, 'jenis_kelamin']}`")
        p = self.pick("pegawai")
        if p is not None:
            peg.loc[p, "tanggal_lahir"] = dt.date.fromisoformat(peg.at[p, "tanggal_lahir"]).strftime("%d/%m/%Y")
            done.append(f"pegawai row {p + 2}: tanggal_lahir written day-first `{peg.at[p, 'tanggal_lahir']}`")
        sel = self.t.get("seleksi")
        p = (
            self.pick("seleksi", sel["skor_kompetensi"].str.contains(".", regex=False).to_numpy())
            if sel is not None
            else None
        )
        if p is not None:
            sel.loc[p, "skor_kompetensi"] = sel.at[p, "skor_kompetensi"].replace(".", ",")
            done.append(f"seleksi row {p + 2}: skor_kompetensi with a decimal comma `{sel.at[p, 'skor_kompetensi']}`")
        lay = self.t.get("layanan")
        p = self.pick("layanan", (lay["dikembalikan"] == "false").to_numpy()) if lay is not None else None
        if p is not None:
            lay.loc[p, "dikembalikan"] = "tidak"
            done.append(f"layanan row {p + 2}: dikembalikan written `tidak`")
        peg["catatan"] = None
        peg.loc[sorted(self.used["pegawai"])[:3], "catatan"] = "diperiksa"
        self.t["pegawai"] = peg.rename(columns={"tanggal_lahir": "Tgl. Lahir", "nip": "NIP Baru"})
        done += ["pegawai.csv: headers `NIP Baru` and `Tgl. Lahir` (export spellings of nip and tanggal_lahir)",
                 "pegawai.csv: an extra column `catatan`, kept as text and listed in the warnings",
                 "layanan.csv: separated by semicolons"]  # fmt: skip
        return done


def _show(value) -> str:
    return "(empty)" if value is None or (isinstance(value, float) and np.isnan(value)) else f"`{value}`"


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _digits(nip: str, start: int, new: str) -> str:
    return nip[:start] + new + nip[start + len(new) :]


def _as_float(nip: str) -> str:
    """How a spreadsheet shows an 18-digit number: 15 significant digits, scientific notation."""
    return f"{float(nip):.14E}"
