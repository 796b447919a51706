"""The Parquet-path route of the survey scan: same frame as a DuckDB relation and as a pandas frame."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kinerja_analysis.common.errors import KinerjaDataError, MissingColumnError
from kinerja_analysis.feedback import group_keys, survey_parquet
from kinerja_analysis.feedback.change import ikm_change
from kinerja_analysis.feedback.group_sums import group_sums
from kinerja_analysis.feedback.index import ikm
from kinerja_analysis.feedback.survey_frame import aggregate_items, survey_scan

ITEMS = [f"u{i}" for i in range(1, 10)]
HAND = [  # unit A, as in test_index.py: NRR 3.5, 3.0, 3.0, 3.5, 3.25, 3.5, 3.5, 3.25, 3.5; totals 36, 27, 28, 29
    [4, 4, 4, 4, 4, 4, 4, 4, 4],
    [3, 3, 3, 3, 3, 3, 3, 3, 3],
    [3, 2, 3, 4, 3, 3, 4, 3, 3],
    [4, 3, 2, 3, 3, 4, 3, 3, 4],
]


def write(path, frame: pd.DataFrame, **kwargs) -> str:
    """Write with int8 answers (as a national export would be) and return the path as text."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, **kwargs)
    return str(path)


def hand_frame() -> pd.DataFrame:
    s = pd.DataFrame(HAND + [[2] * 9, [1, 2, 3, 4, 1, 2, 3, 4, 1]], columns=ITEMS).astype("int8")
    s.insert(0, "unit_id", ["A", "A", "A", "A", "B", "B"])
    s["tanggal"] = pd.to_datetime(["2024-01-05", "2024-02-10", "2024-07-01", "2025-03-03", "2024-01-09", "2024-12-31"])
    return s


def random_frame(rows: int, seed: int, units: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    s = pd.DataFrame(rng.integers(1, 5, (rows, 9)), columns=ITEMS).astype("int8")
    s.insert(0, "unit_id", rng.choice([f"U{i:03d}" for i in range(units)], rows))
    s["tanggal"] = pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 700, rows), unit="D")
    return s


def relation_result(path, **kwargs) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        return ikm(con.read_parquet(path), **kwargs)
    finally:
        con.close()


def test_hand_computed_values_and_the_same_frame_as_both_other_routes(tmp_path):
    s = hand_frame()
    path = write(tmp_path / "s.parquet", s)
    got = ikm(path, by="unit_id")
    a = got.set_index("unit_id").loc["A"]
    assert a["n"] == 4 and a["n_incomplete"] == 0
    assert [a[f"nrr_{c}"] for c in ITEMS] == [3.5, 3.0, 3.0, 3.5, 3.25, 3.5, 3.5, 3.25, 3.5]
    assert a["estimate"] == pytest.approx(30 / 9 * 25)  # mean of the item means x 25
    totals = np.array([36, 27, 28, 29]) * 25 / 9  # per-respondent indices
    half = 3.182446305284263 * totals.std(ddof=1) / 2  # t(0.975, 3 df) x s / sqrt(4)
    assert (a["ci_low"], a["ci_high"]) == pytest.approx((totals.mean() - half, 100.0))  # clipped to the scale
    assert got.set_index("unit_id").loc["B", "estimate"] == pytest.approx((18 + 21) / 2 / 9 * 25)
    pd.testing.assert_frame_equal(got, relation_result(path, by="unit_id"), check_exact=True)
    pd.testing.assert_frame_equal(got, ikm(s, by="unit_id"), check_dtype=False, check_exact=True)
    assert ikm(tmp_path / "s.parquet", by="unit_id").equals(got)  # a pathlib.Path too
    whole = ikm(path)
    pd.testing.assert_frame_equal(whole, ikm(s), check_dtype=False, check_exact=True)
    assert whole["n"].iloc[0] == 6


def test_blank_items_are_counted_as_incomplete_and_left_out(tmp_path):
    s = random_frame(500, seed=1).astype({c: "Int8" for c in ITEMS})
    s.loc[[3, 40, 41, 300], "u2"] = pd.NA
    s.loc[[41, 77], "u9"] = pd.NA
    s.loc[s["unit_id"] == "U007", "u5"] = pd.NA  # a unit with no complete response
    path = write(tmp_path / "blank.parquet", s)
    got = ikm(path, by="unit_id")
    assert got["n_incomplete"].sum() == 5 + (s["unit_id"] == "U007").sum() - 0
    u7 = got.set_index("unit_id").loc["U007"]
    assert u7["n"] == 0 and u7["note"] == "no complete response"
    pd.testing.assert_frame_equal(got, relation_result(path, by="unit_id"), check_exact=True)
    pd.testing.assert_frame_equal(got, ikm(s, by="unit_id"), check_dtype=False, check_exact=True)
    complete = s.dropna()
    expected = (complete[ITEMS].astype(float).mean(axis=1) * 25).groupby(complete["unit_id"]).mean()
    np.testing.assert_allclose(got.set_index("unit_id")["estimate"].reindex(expected.index), expected, rtol=1e-13)


def test_bad_answers_raise_the_same_errors(tmp_path):
    s = hand_frame()
    path = write(tmp_path / "bad.parquet", s.assign(u4=s["u4"].where(s.index != 2, 7)))
    with pytest.raises(KinerjaDataError, match=r"survei\.u4: 1 answer\(s\) are not 1, 2, 3 or 4 \(values 7") as e:
        ikm(path, by="unit_id")
    assert "find the rows with WHERE u4 NOT IN (1, 2, 3, 4)" in str(e.value)
    text = write(tmp_path / "text.parquet", s.astype({"u3": str}))
    with pytest.raises(KinerjaDataError, match=r"survei\.u3: answers must be numbers 1-4"):
        ikm(text)
    fourteen = s.assign(**{f"u{i}": s["u1"] for i in range(10, 15)})
    with pytest.raises(KinerjaDataError, match="KepMenPAN 25/2004"):
        ikm(write(tmp_path / "fourteen.parquet", fourteen))
    with pytest.raises(MissingColumnError, match="no column 'kantor'"):
        ikm(write(tmp_path / "good.parquet", s), by="kantor")
    with pytest.raises(MissingColumnError, match="item column"):
        ikm(write(tmp_path / "short.parquet", s.drop(columns="u9")))
    with pytest.raises(KinerjaDataError, match="neither a Parquet file nor a folder"):
        ikm(tmp_path / "nowhere.parquet")
    (tmp_path / "empty").mkdir()
    with pytest.raises(KinerjaDataError, match="holds no .parquet files"):
        ikm(tmp_path / "empty")


def test_row_groups_whose_dictionaries_differ(tmp_path):
    s = random_frame(3000, seed=2)
    path = write(tmp_path / "groups.parquet", s, row_group_size=250)
    f = pq.ParquetFile(path, read_dictionary=["unit_id"])
    first, second = (f.read_row_group(i, columns=["unit_id"]).column(0).chunk(0).dictionary for i in (0, 1))
    assert f.num_row_groups == 12 and not first.equals(second)  # what this test is about: codes mean other units
    got = ikm(path, by="unit_id")
    assert got["n"].sum() == 3000 and len(got) == 40
    pd.testing.assert_frame_equal(got, relation_result(path, by="unit_id"), check_exact=True)
    pd.testing.assert_frame_equal(got, ikm(s, by="unit_id"), check_dtype=False, check_exact=True)


def test_a_folder_of_two_files(tmp_path):
    s = random_frame(1200, seed=4)
    folder = tmp_path / "survei"
    (folder / "2025").mkdir(parents=True)
    write(folder / "a.parquet", s.iloc[:700])
    write(folder / "2025" / "b.parquet", s.iloc[700:], row_group_size=100)
    (folder / "_SUCCESS").write_text("")
    assert survey_parquet.parquet_files(folder) == (str(folder / "2025" / "b.parquet"), str(folder / "a.parquet"))
    got = ikm(folder, by="unit_id")
    pd.testing.assert_frame_equal(got, ikm(s, by="unit_id"), check_dtype=False, check_exact=True)
    con = duckdb.connect()
    both = con.read_parquet([str(folder / "a.parquet"), str(folder / "2025" / "b.parquet")])
    pd.testing.assert_frame_equal(got, ikm(both, by="unit_id"), check_exact=True)
    con.close()


@pytest.mark.parametrize("by", [("unit_id", "tahun"), ("semester",), ("unit_id", "bulan"), ("triwulan", "unit_id")])
def test_derived_period_keys(tmp_path, by):
    s = random_frame(2000, seed=5).astype({c: "Int8" for c in ITEMS})
    s.loc[[10, 11], "u1"] = pd.NA
    path = write(tmp_path / "periods.parquet", s, row_group_size=300)
    got = ikm(path, by=by)
    pd.testing.assert_frame_equal(got, relation_result(path, by=by), check_exact=True)
    pd.testing.assert_frame_equal(got, ikm(s, by=by), check_dtype=False, check_exact=True)
    if "bulan" in by:
        assert isinstance(got["bulan"].dtype, pd.PeriodDtype)


def test_missing_and_non_text_keys_and_item_variance(tmp_path, monkeypatch):
    s = random_frame(900, seed=6)
    s["loket"] = np.arange(900) % 7
    s["unit_id"] = s["unit_id"].where(s.index % 50 != 0, None)  # a missing unit: one group, listed last
    path = write(tmp_path / "keys.parquet", s, row_group_size=128)
    monkeypatch.setattr(group_keys, "_DENSE_BINS", 0)  # several keys: numbered by np.unique ...
    monkeypatch.setattr(group_keys, "_MERGE_AFTER", 2)  # ... and merged while reading
    monkeypatch.setattr(survey_parquet, "BATCH_ROWS", 50)  # row groups read in several batches
    for by in (("unit_id",), ("loket", "unit_id", "tahun")):
        got = ikm(path, by=by)
        pd.testing.assert_frame_equal(got, relation_result(path, by=by), check_exact=True)
    one = ikm(path, by="unit_id")
    assert pd.isna(one["unit_id"]).sum() == 1 and pd.isna(one["unit_id"].iloc[-1]) and one["n"].iloc[-1] == 18
    con = duckdb.connect()
    rel = con.read_parquet(path)
    for by in (("unit_id", "semester"), ()):
        with survey_scan(path, regime="permenpanrb_14_2017") as scan:
            fast = aggregate_items(scan, by=by, item_variance=True)
        with survey_scan(rel, regime="permenpanrb_14_2017") as scan:
            slow = aggregate_items(scan, by=by, item_variance=True)
        pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    pd.testing.assert_frame_equal(ikm_change(path, by="unit_id"), ikm_change(rel, by="unit_id"), check_exact=True)
    con.close()


def test_group_sums_are_exact_when_one_group_has_every_row():
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 5, 100_000)
    codes[:60_000] = 3  # 60,000 rows x 1296 needs a 32-bit field, 60,000 x 4 a 32-bit one too
    columns = [(rng.integers(1, 5, 100_000).astype(np.uint8), 4) for _ in range(9)]
    columns.append((rng.integers(9, 37, 100_000).astype(np.uint16) ** 2, 1296))
    got = group_sums(codes, 5, columns)
    for row, (values, _) in zip(got, columns, strict=True):
        np.testing.assert_array_equal(row, np.bincount(codes, weights=values, minlength=5).astype(np.int64))
    small = group_sums(np.array([0, 0, 1]), 2, [(np.array([255, 255, 1], dtype=np.uint8), 255)])
    assert small.tolist() == [[510, 1]]  # 510 does not fit the byte each value does
