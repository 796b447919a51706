"""Enumerated values in any case and spacing (issue 12): they map onto the canonical value, and an
unknown one is rejected with a reason that lists the allowed values (and the closest, where one is close).

The kinerja rows below keep the PermenPANRB 6/2022 matrix (vocabulary.MATRIX): di atas / di atas is
Sangat Baik, sesuai / sesuai is Baik, di bawah / sesuai is Butuh Perbaikan, sesuai / di bawah is Kurang.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis import load_dataset
from kinerja_analysis.data.parsing import parse_category
from kinerja_analysis.data.schema import TABLES, canonical_values, category_dtype
from tests.data.test_io_support import clean_tables, write_tables

PREDIKAT_ALLOWED = "allowed: Sangat Kurang, Kurang, Butuh Perbaikan, Baik, Sangat Baik"


@pytest.mark.parametrize(
    ("table", "column", "text", "canonical"),
    [
        ("kinerja", "predikat", "BAIK", "Baik"),
        ("kinerja", "predikat", " baik ", "Baik"),
        ("kinerja", "predikat", "Sangat  Baik", "Sangat Baik"),
        ("kinerja", "predikat", "SANGAT BAIK", "Sangat Baik"),
        ("kinerja", "predikat", "sangat_baik", "Sangat Baik"),
        ("kinerja", "predikat", "Butuh-Perbaikan", "Butuh Perbaikan"),
        ("kinerja", "predikat", "Kurang/Misconduct", "Kurang"),
        ("kinerja", "rating_hasil_kerja", "di Atas Ekspektasi", "di_atas"),
        ("kinerja", "rating_hasil_kerja", "DI ATAS EKSPEKTASI", "di_atas"),
        ("kinerja", "rating_hasil_kerja", "Diatas", "di_atas"),
        ("kinerja", "rating_perilaku_kerja", "Sesuai Ekspektasi", "sesuai"),
        ("kinerja", "rating_perilaku_kerja", "di bawah ekspektasi", "di_bawah"),
        ("pegawai", "jenis_kelamin", "Laki-Laki", "L"),
        ("pegawai", "jenis_kelamin", "PEREMPUAN", "P"),
        ("pegawai", "golongan", "III / b", "III/b"),
        ("pegawai", "golongan", "3b", "III/b"),
        ("pegawai", "pendidikan", "S-1", "S1"),
        ("pegawai", "status", " P3K ", "pppk"),
        ("disiplin", "tingkat", "RINGAN", "ringan"),
    ],
)
def test_spellings_in_any_case_and_spacing_map_to_the_canonical_value(table, column, text, canonical):
    spec = TABLES[table].column(column)
    mapped, bad = canonical_values(spec, pd.Series([text]))
    assert mapped.tolist() == [canonical] and not bad.any()
    parsed = parse_category(spec, pd.Series([text], dtype="str"), category_dtype(table, column))
    assert parsed.values.tolist() == [canonical] and not parsed.bad.any()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Bagus", f"'{{value}}' is not an allowed value; {PREDIKAT_ALLOWED}"),
        ("Sangat Baek", f"'{{value}}' is not an allowed value; {PREDIKAT_ALLOWED}; did you mean Sangat Baik?"),
        ("Kurng", f"'{{value}}' is not an allowed value; {PREDIKAT_ALLOWED}; did you mean Kurang?"),
    ],
)
def test_an_unknown_value_is_rejected_listing_the_allowed_values(text, reason):
    spec = TABLES["kinerja"].column("predikat")
    parsed = parse_category(spec, pd.Series(["Baik", text], dtype="str"), category_dtype("kinerja", "predikat"))
    assert parsed.bad.tolist() == [False, True]
    assert [(m.tolist(), t) for m, t in parsed.reasons()] == [([False, True], reason)]


def test_reasons_are_grouped_per_suggestion():
    spec = TABLES["kinerja"].column("predikat")
    texts = ["Sangat Baek", "Bagus", "sangat baek", "Kurng", None]
    parsed = parse_category(spec, pd.Series(texts, dtype="str"), category_dtype("kinerja", "predikat"))
    got = {t.rsplit("; ", 1)[-1]: m.tolist() for m, t in parsed.reasons()}
    assert got == {
        PREDIKAT_ALLOWED: [False, True, False, False, False],
        "did you mean Sangat Baik?": [True, False, True, False, False],
        "did you mean Kurang?": [False, False, False, True, False],
    }


def load(tmp_path, kinerja: pd.DataFrame):
    t = clean_tables()
    tables = {"unit_kerja": t["unit_kerja"], "pegawai": t["pegawai"], "kinerja": kinerja}
    ds = load_dataset(write_tables(tmp_path / "data", tables))
    acc = ds.accounting.set_index("table").loc["kinerja"]
    assert acc["rows_read"] == len(kinerja) == acc["rows_accepted"] + acc["rows_rejected"]
    return ds


def test_loader_maps_export_spellings_of_ratings_and_predikat(tmp_path):
    kin = clean_tables()["kinerja"]
    kin["rating_hasil_kerja"] = ["", "di Atas Ekspektasi", " Sesuai ", "DI BAWAH EKSPEKTASI", "sesuai ekspektasi"]
    kin["rating_perilaku_kerja"] = ["", "DI ATAS", "Sesuai Ekspektasi", "sesuai", "Di Bawah Ekspektasi"]
    kin["predikat"] = ["", "Sangat  Baik", "BAIK", "butuh perbaikan", " kurang "]
    ds = load(tmp_path, kin)
    assert ds.rejected.empty, ds.rejected
    got = ds.kinerja
    assert got["rating_hasil_kerja"].tolist()[1:] == ["di_atas", "sesuai", "di_bawah", "sesuai"]
    assert got["rating_perilaku_kerja"].tolist()[1:] == ["di_atas", "sesuai", "sesuai", "di_bawah"]
    assert got["predikat"].tolist()[1:] == ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang"]
    assert got["predikat"].cat.ordered


def test_loader_rejects_an_unknown_predikat_naming_the_allowed_values(tmp_path):
    kin = clean_tables()["kinerja"]
    kin.loc[2, "predikat"] = "Bagus"
    ds = load(tmp_path, kin)
    r = ds.rejected
    assert r[["row", "column", "check"]].values.tolist() == [[4, "predikat", "type"]]
    assert r["reason"].iloc[0] == f"'Bagus' is not an allowed value; {PREDIKAT_ALLOWED}"
    assert len(ds.kinerja) == 4
