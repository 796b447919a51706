"""Strict mode, ``Dataset.require`` and ``Dataset.summary``. Each case writes its files under ``tmp_path``."""

from __future__ import annotations

import numpy as np
import pytest

from kinerja_analysis.common.errors import (
    InvalidOptionError,
    KinerjaDataError,
    MissingTableError,
)
from kinerja_analysis.data.io import load_dataset
from tests.data.test_io_support import balanced, clean_tables, write_tables

# --- Strict mode, require, summary ----------------------------------------------------------------


def test_strict_mode_raises_with_the_summary_and_the_rejected_rows(tmp_path):
    tables = clean_tables()
    tables["pegawai"].loc[2, "jenis_kelamin"] = "X"
    write_tables(tmp_path, tables)
    with pytest.raises(KinerjaDataError) as err:
        load_dataset(tmp_path, strict=True)
    assert "pegawai.jenis_kelamin [type]: 1 row(s), e.g. pegawai.csv row 4" in str(err.value)
    assert err.value.rejected[["table", "row", "column"]].values.tolist()[0] == ["pegawai", 4, "jenis_kelamin"]
    # The employee's rows elsewhere are rejected as references to a rejected pegawai row.
    assert set(err.value.rejected["check"]) == {"type", "reference"}


def test_strict_mode_passes_clean_data(tmp_path):
    ds = load_dataset(write_tables(tmp_path, clean_tables()), strict=True)
    assert ds.n_rejected == 0


def test_require_names_the_analysis_and_the_missing_tables(tmp_path):
    write_tables(tmp_path, {t: clean_tables()[t] for t in ("unit_kerja", "pegawai")})
    ds = load_dataset(tmp_path)
    ds.require("pegawai", analysis="komposisi pegawai")
    with pytest.raises(MissingTableError) as err:
        ds.require("pegawai", "kinerja", "pelatihan", analysis="dampak pelatihan")
    msg = str(err.value)
    assert msg.startswith("dampak pelatihan needs the tables kinerja, pelatihan")
    assert "kinerja.csv (one row per employee x appraisal period; columns nip, tahun, periode)" in msg
    with pytest.raises(InvalidOptionError, match="table='kinerjaa'"):
        ds.require("kinerjaa", analysis="x")


def test_require_refuses_a_table_without_accepted_rows(tmp_path):
    (tmp_path / "disiplin.csv").write_text("nip,tanggal,tingkat\n")
    with pytest.raises(MissingTableError, match="hukuman needs rows in disiplin, but no row was accepted"):
        load_dataset(tmp_path).require("disiplin", analysis="hukuman")


def test_summary_reports_counts_reasons_and_example_rows(tmp_path):
    tables = clean_tables()
    tables["pegawai"].loc[0, "nip"] = "19860926201505100"
    tables["survei"].loc[1, "u1"] = "7"
    write_tables(tmp_path, tables)
    ds = load_dataset(tmp_path)
    text = ds.summary()
    read = sum(len(t) for t in tables.values())
    assert f"{read} rows read, {read - ds.n_rejected} accepted, {ds.n_rejected} rejected." in text
    assert "pegawai.nip [nip]: 1 row(s), e.g. pegawai.csv row 2" in text
    assert "invalid NIP: 17 digits, expected 18" in text
    assert "survei.u1 [range]: 1 row(s), e.g. survei.csv row 3" in text
    assert "kinerja.nip [reference]: 2 row(s), e.g. kinerja.csv row 2, kinerja.csv row 3" in text
    assert ds.n_rejected == 1 + 1 + 2 + 1 + 1 + 1  # pegawai, survei, kinerja x2, pelatihan, seleksi, layanan
    assert balanced(ds)


def test_summary_of_clean_data_says_nothing_was_rejected(tmp_path):
    text = load_dataset(write_tables(tmp_path, clean_tables())).summary()
    assert text.rstrip().endswith("No row was rejected.") and "Warnings" not in text


def test_dataset_is_frozen(tmp_path):
    ds = load_dataset(write_tables(tmp_path, clean_tables()))
    with pytest.raises(AttributeError):
        ds.pegawai = None
    assert isinstance(ds.warnings, tuple) and ds.source == str(tmp_path)
    assert np.issubdtype(ds.accounting["rows_read"].dtype, np.integer)
