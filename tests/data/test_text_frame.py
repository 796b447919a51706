"""Text columns from a CSV or Parquet read: trimmed, empty cells missing, one chunk, and the trim skipped safely."""

from __future__ import annotations

import pyarrow as pa
import pytest

from kinerja_analysis.data.parquet import _may_need_trim, text_frame

# Every whitespace that utf8_trim_whitespace removes at an edge must make the check say "maybe".
EDGE_BLANKS = [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\xa0", "\u2003", "\u3000", "\u202f", "\u2028", "\x85"]


@pytest.mark.parametrize("blank", EDGE_BLANKS)
@pytest.mark.parametrize("where", ["start", "end"])
def test_any_edge_blank_is_seen(blank, where):
    cell = blank + "Budi" if where == "start" else "Budi" + blank
    arr = pa.array(["Siti", cell, "Ani"], pa.large_string())
    assert _may_need_trim(arr)
    assert pa.compute.utf8_trim_whitespace(arr).to_pylist() == ["Siti", "Budi", "Ani"]


def test_clean_column_is_not_trimmed_and_blanks_inside_are_kept():
    arr = pa.array(["Budi Santoso", "U001", None, "Kel. 15 Ulu"], pa.large_string())
    assert not _may_need_trim(arr)
    frame = text_frame(pa.table({"c0": arr}), ["nama"])
    assert frame["nama"].tolist()[:2] == ["Budi Santoso", "U001"]
    assert frame["nama"].isna().tolist() == [False, False, True, False]


def test_slices_look_only_at_their_own_cells():
    # The first cell has a trailing blank; a slice without it is clean, a slice with it is not.
    arr = pa.array(["a ", "b", "c"], pa.large_string())
    assert not _may_need_trim(arr.slice(1))
    assert _may_need_trim(arr.slice(0, 1))


def test_text_frame_trims_and_makes_blank_cells_missing_in_one_chunk():
    chunked = pa.chunked_array([pa.array([" x ", "  "]), pa.array(["", None, "y\xa0", "z"])])
    table = pa.table({"c0": chunked, "c1": pa.array(["1", "2", "3", "4", "5", "6"])})
    frame = text_frame(table, ["nama", "nama"])
    assert list(frame.columns) == ["nama", "nama.1"]
    first = frame.iloc[:, 0]
    assert first.tolist()[0] == "x" and first.tolist()[4:] == ["y", "z"]
    assert first.isna().tolist() == [False, True, True, True, False, False]
    assert str(first.dtype) == "str"
    assert first.array._pa_array.num_chunks == 1
