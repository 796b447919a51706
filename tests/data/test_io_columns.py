"""Repeated columns and the header map: two "NIP" columns, two spellings of one column, in CSV and in a
real workbook; and the map of each file's headers onto the canonical columns that validate prints.
"""

from __future__ import annotations

import openpyxl
import pytest

from kinerja_analysis.common.errors import FileFormatError
from kinerja_analysis.data.io import load_dataset
from tests.data.test_io_support import balanced, clean_tables

P0, P2 = "198609262015051001", "198201012010011003"


def write_rows(path, rows: list[list[object]]) -> None:
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        path.write_text("".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_two_nip_columns_with_the_same_values_keep_one_and_warn(tmp_path, suffix):
    path = tmp_path / f"disiplin{suffix}"
    write_rows(
        path, [["NIP", "Tanggal", "Tingkat", "NIP"], [P2, "2023-11-20", "ringan", P2], [P0, "2024-01-05", "berat", P0]]
    )
    ds = load_dataset(path)
    assert balanced(ds), ds.accounting
    assert ds.rejected.empty and ds.disiplin["nip"].tolist() == [P2, P0]
    assert "NIP.1" not in ds.disiplin.columns
    assert any(
        "the columns 'NIP' and 'NIP' both mean nip; 'NIP.1' is a copy with the same values, so it was dropped" in w
        for w in ds.warnings
    )
    hm = ds.header_map
    assert hm.loc[hm["header"] == "NIP.1", ["column", "status", "suggestion"]].values.tolist() == [
        ["nip", "dropped", "same values as NIP"]
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_two_columns_meaning_nip_that_differ_stop_naming_both(tmp_path, suffix):
    path = tmp_path / f"disiplin{suffix}"
    rows = [
        ["NIP Baru", "Tanggal", "Tingkat", "NIP"],
        [P2, "2023-11-20", "ringan", P2],
        [P0, "2024-01-05", "berat", "1986092620150510"],
    ]
    write_rows(path, rows)
    with pytest.raises(FileFormatError) as err:
        load_dataset(path)
    msg = str(err.value)
    assert msg.startswith(
        f"disiplin{suffix}: the columns 'NIP Baru' and 'NIP' both mean nip (table disiplin) but hold different "
        "values on 1 row (row 3)."
    )
    assert "delete or rename the other" in msg and "duplicate_columns='first'" in msg


def test_duplicate_columns_first_uses_the_first_and_keeps_the_other_as_text(tmp_path):
    path = tmp_path / "disiplin.csv"
    write_rows(path, [["NIP Baru", "Tanggal", "Tingkat", "NIP"], [P2, "2023-11-20", "ringan", "x"]])
    ds = load_dataset(path, duplicate_columns="first")
    assert balanced(ds), ds.accounting
    assert ds.disiplin["nip"].tolist() == [P2] and ds.disiplin["NIP"].tolist() == ["x"]
    assert any("'NIP Baru' and 'NIP' both mean 'nip'; the first is used" in w for w in ds.warnings)
    hm = ds.header_map.set_index("header")
    assert hm.loc["NIP", "status"] == "duplicate" and hm.loc["NIP Baru", "column"] == "nip"


def test_an_empty_copy_is_dropped_and_the_filled_one_used(tmp_path):
    path = tmp_path / "disiplin.csv"
    write_rows(path, [["NIP", "NIP Baru", "Tanggal", "Tingkat"], ["", P2, "2023-11-20", "ringan"]])
    ds = load_dataset(path)
    assert balanced(ds), ds.accounting
    assert ds.rejected.empty and ds.disiplin["nip"].tolist() == [P2]
    assert any("'NIP' is empty, so it was dropped and 'NIP Baru' used" in w for w in ds.warnings)


def test_repeated_extra_headers_are_kept_as_before(tmp_path):
    path = tmp_path / "disiplin.csv"
    write_rows(path, [["NIP", "Tanggal", "Tingkat", "Catatan", "Catatan"], [P2, "2023-11-20", "ringan", "a", "b"]])
    ds = load_dataset(path)
    assert ds.disiplin[["Catatan", "Catatan.1"]].values.tolist() == [["a", "b"]]
    assert any("header 'Catatan' appears 2 times; the copies are kept as Catatan.1" in w for w in ds.warnings)


def test_header_map_lists_matched_extra_and_missing_columns(tmp_path):
    df = clean_tables()["pegawai"].rename(columns={"nip": "NIP Baru", "tanggal_keluar": "Tangal Keluar"})
    df = df.drop(columns=["golongan"]).assign(Catatan="")
    (tmp_path / "pegawai.csv").write_text(df.to_csv(index=False), encoding="utf-8")
    ds = load_dataset(tmp_path)
    hm = ds.header_map
    assert list(hm.columns) == ["table", "file", "header_row", "header", "column", "status", "suggestion"]
    got = {h: (c if isinstance(c, str) else None, s, g if isinstance(g, str) else "") for h, c, s, g in
           hm[["header", "column", "status", "suggestion"]].itertuples(index=False)}  # fmt: skip
    assert got["NIP Baru"] == ("nip", "matched", "")
    assert got["Tangal Keluar"] == (None, "extra", "tanggal_keluar")
    assert got["Catatan"] == (None, "extra", "")
    assert got[""] == ("golongan", "missing", "required")
    assert set(hm["table"]) == {"pegawai"} and set(hm["file"]) == {"pegawai.csv"} and set(hm["header_row"]) == {"1"}
    text = ds.header_summary()
    assert "  pegawai: pegawai.csv (header on row 1)" in text
    assert "NIP Baru" in text and "-> nip" in text
    assert "Tangal Keluar -> (not used, kept as text; closest: tanggal_keluar?)" in text
    assert "(none)        -> golongan  MISSING: required, no header fills it" in text


def test_header_search_matches_headers_as_match_headers_does():
    # layout.canonical finds the header row; match_headers maps it: the two must agree on every alias.
    from kinerja_analysis.data.layout import canonical
    from kinerja_analysis.data.schema import TABLES, match_headers

    for table, spec in TABLES.items():
        for col in spec.columns:
            for text in (col.name, *col.aliases, col.name.upper().replace("_", " ")):
                assert canonical(table, text) == match_headers(table, [text]).mapping[text], (table, text)
        assert (
            canonical(table, "Catatan Lain") is None and "Catatan Lain" in match_headers(table, ["Catatan Lain"]).extra
        )
