"""data/demo_dirty: the loader rejects exactly the planted defects, for the documented reasons, and
accepts every other row with the same values as in data/demo.

The expectation (``expected_rejections.csv``) comes from what ``defects.make_dirty_copies`` planted,
not from running the loader.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.data.defects import EXPECTED_COLUMNS, make_dirty_copies
from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.schema import TABLES, pandera_schema
from kinerja_analysis.paths import demo_data_dir, dirty_data_dir
from tests.data.test_io_support import clean_tables, write_tables

KEY = ["table", "row", "column", "check"]


@pytest.fixture(scope="module")
def dirty():
    return load_dataset(dirty_data_dir())


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(dirty_data_dir() / "expected_rejections.csv", dtype={"row": "int64"}, keep_default_na=False)


def as_set(frame: pd.DataFrame) -> set[tuple]:
    return set(frame[KEY].astype({"row": "int64"}).itertuples(index=False, name=None))


def test_exactly_the_expected_rows_are_rejected(dirty, expected):
    assert list(expected.columns) == list(EXPECTED_COLUMNS)
    assert as_set(dirty.rejected) == as_set(expected)
    assert len(dirty.rejected) == len(expected)  # no reason reported twice


def test_every_reason_says_what_the_defect_is(dirty, expected):
    got = dirty.rejected.set_index(KEY)["reason"]
    for row in expected.itertuples(index=False):
        reason = got.loc[(row.table, row.row, row.column, row.check)]
        assert row.reason_keyword in reason, (row, reason)


def test_every_kind_of_check_is_exercised(expected):
    kinds = {"type", "required", "range", "nip", "nip_agreement", "duplicate", "date_order", "regime", "status",
             "reference"}  # fmt: skip
    assert kinds <= set(expected["check"])
    assert set(TABLES) == set(expected["table"])


def test_accounting_balances(dirty, expected):
    acc = dirty.accounting
    assert (acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all()
    per_table = expected.groupby("table")["row"].nunique()
    assert acc.set_index("table")["rows_rejected"].to_dict() == per_table.to_dict()
    for name, df in dirty.tables.items():
        assert len(df) == acc.loc[acc["table"] == name, "rows_accepted"].sum()
        pandera_schema(name).validate(df)


def test_other_rows_are_accepted_with_their_clean_values(dirty, expected):
    clean = load_dataset(demo_data_dir())
    assert clean.rejected.empty
    for name, clean_df in clean.tables.items():
        bad = set(expected.loc[expected["table"] == name, "row"])
        keep = [i for i in range(len(clean_df)) if i + 2 not in bad]  # appended rows are all rejected
        got = dirty.tables[name][list(clean_df.columns)].reset_index(drop=True)
        want = clean_df.iloc[keep].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, obj=name)


def test_the_variations_are_read_and_the_extra_column_is_reported(dirty):
    assert "pegawai.csv: extra columns kept as text: catatan." in dirty.warnings
    assert "catatan" in dirty.pegawai.columns
    text = (dirty_data_dir() / "DEFECTS.md").read_text()
    assert "## Variations that must be accepted" in text and "SYNTHETIC DATA" in text


def test_the_dirty_copies_are_current(tmp_path):
    # Regenerating from data/demo must give the committed files byte for byte.
    make_dirty_copies(demo_data_dir(), tmp_path)
    committed = sorted(p.name for p in dirty_data_dir().iterdir() if p.is_file())
    assert committed == sorted(p.name for p in tmp_path.iterdir())
    for name in committed:
        assert (tmp_path / name).read_bytes() == (dirty_data_dir() / name).read_bytes(), name


def test_make_dirty_copies_on_small_hand_made_tables(tmp_path):
    write_tables(tmp_path / "clean", clean_tables())
    expected = make_dirty_copies(tmp_path / "clean", tmp_path / "dirty", seed=7)
    ds = load_dataset(tmp_path / "dirty")
    assert as_set(ds.rejected) == as_set(expected)
    assert len(expected) > 10
    acc = ds.accounting
    assert (acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all()
