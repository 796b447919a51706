"""Row-level checks of load_dataset: each defect is planted by hand in the clean tables of
``test_io_support`` and must be rejected at its spreadsheet row (data row i is row i + 2), in the
right column, for the right reason, with nothing else rejected and the account balanced.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.data.schema import pandera_schema
from tests.data.test_io_support import clean_tables, write_tables

P0, P1, P2, P3, P4 = (
    "198609262015051001",
    "197512312000032002",
    "198201012010011003",
    "199505052019022001",
    "199001152021212007",
)


def load(tmp_path, edits=None, *, only=None):
    """Load the clean tables after ``edits`` (table -> function editing a copy of the text frame)."""
    tables = clean_tables()
    for name, edit in (edits or {}).items():
        tables[name] = edit(tables[name].copy())
    if only is not None:
        tables = {t: tables[t] for t in only}
    ds = load_dataset(write_tables(tmp_path / "data", tables))
    acc = ds.accounting
    assert (acc["rows_read"] == acc["rows_accepted"] + acc["rows_rejected"]).all()
    for name, df in ds.tables.items():
        assert len(df) == acc.loc[acc["table"] == name, "rows_accepted"].sum()
        pandera_schema(name).validate(df)
    return ds


def found(ds) -> set[tuple[str, int, str, str]]:
    return set(ds.rejected[["table", "row", "column", "check"]].itertuples(index=False, name=None))


def reason(ds, table: str, row: int, column: str) -> str:
    r = ds.rejected
    hit = r[(r["table"] == table) & (r["row"] == row) & (r["column"] == column)]
    assert len(hit) == 1, r
    return hit["reason"].iloc[0]


def setcell(table_row_col_value):
    def edit(df):
        for row, col, value in table_row_col_value:
            df.loc[row, col] = value
        return df

    return edit


PEGAWAI_ONLY = ("unit_kerja", "pegawai")


@pytest.mark.parametrize(
    ("nip", "words"),
    [
        ("1.98609262015051E+17", "spreadsheet float"),
        ("198609262015051001.0", "spreadsheet float"),
        ("1,98609262015051E+17", "spreadsheet float"),
        ("19860926201505100", "17 digits, expected 18"),
        ("1986092620150510011", "19 digits, expected 18"),
        ("198602302015051001", "birth date 19860230 is not a date"),
        ("198609262015131001", "appointment month 13"),
        ("198609262000051001", "appointed before age 18"),
        ("198609262015053001", "sex digit is 3"),
    ],
)
def test_invalid_nip_is_rejected_with_the_parsers_reason(tmp_path, nip, words):
    ds = load(tmp_path, {"pegawai": setcell([(0, "nip", nip)])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 2, "nip", "nip")}
    why = reason(ds, "pegawai", 2, "nip")
    assert words in why and why.startswith("invalid NIP")
    assert ds.rejected["value"].iloc[0] == nip
    assert len(ds.pegawai) == 4


def test_nip_as_float_says_export_as_text(tmp_path):
    ds = load(tmp_path, {"pegawai": setcell([(0, "nip", "1.98609262015051E+17")])}, only=PEGAWAI_ONLY)
    assert "export the column as text" in reason(ds, "pegawai", 2, "nip")


def test_nip_written_with_spaces_is_accepted_as_its_18_digits(tmp_path):
    ds = load(tmp_path, {"pegawai": setcell([(0, "nip", "19860926 201505 1 001")])}, only=PEGAWAI_ONLY)
    assert ds.rejected.empty
    assert ds.pegawai["nip"].iloc[0] == P0


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("jenis_kelamin", "P", "jenis_kelamin P disagrees with the NIP's sex digit: L"),
        ("tanggal_lahir", "1986-09-27", "tanggal_lahir 1986-09-27 disagrees with the NIP's birth date 1986-09-26"),
        ("tmt_cpns", "2015-06-01", "tmt_cpns 2015-06-01 disagrees with the NIP's TMT CPNS month 2015-05"),
        ("status", "pppk", "status pppk disagrees with the NIP's kind (PNS NIP or NI PPPK): pns"),
    ],
)
def test_nip_disagreeing_with_the_row_is_rejected(tmp_path, column, value, words):
    ds = load(tmp_path, {"pegawai": setcell([(0, column, value)])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 2, column, "nip_agreement")}
    assert reason(ds, "pegawai", 2, column) == words


def test_agreement_accepts_other_spellings_and_date_formats(tmp_path):
    # "Laki-laki", "26/09/1986" and "02-05-2015" are the same values as the NIP's: nothing to reject.
    edit = setcell(
        [(0, "jenis_kelamin", "Laki-laki"), (0, "tanggal_lahir", "26/09/1986"), (0, "tmt_cpns", "02-05-2015")]
    )
    ds = load(tmp_path, {"pegawai": edit}, only=PEGAWAI_ONLY)
    assert ds.rejected.empty
    assert ds.pegawai["tanggal_lahir"].iloc[0] == pd.Timestamp("1986-09-26")
    assert ds.pegawai["tmt_cpns"].iloc[0] == pd.Timestamp("2015-05-02")


def test_pns_status_on_a_ni_pppk_is_rejected(tmp_path):
    ds = load(tmp_path, {"pegawai": setcell([(4, "status", "PNS")])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 6, "status", "nip_agreement")}


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("tanggal_lahir", "1986-02-30", "'1986-02-30' is not a date"),
        ("tanggal_lahir", "0986-09-26", "is not a date between 1900 and 2100"),
        ("tmt_cpns", "2015-13-01", "'2015-13-01' is not a date"),
    ],
)
def test_impossible_dates_are_rejected(tmp_path, column, value, words):
    ds = load(tmp_path, {"pegawai": setcell([(0, column, value)])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 2, column, "type")}
    assert words in reason(ds, "pegawai", 2, column)


def test_appointment_before_birth(tmp_path):
    # Row 6 is a PPPK: its NI PPPK holds only the year of appointment, so only the date order catches this.
    ds = load(tmp_path, {"pegawai": setcell([(4, "tmt_cpns", "1989-01-01")])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 6, "tmt_cpns", "date_order")}
    assert reason(ds, "pegawai", 6, "tmt_cpns") == "tmt_cpns 1989-01-01 is not after tanggal_lahir 1990-01-15"


def test_leaving_before_appointment(tmp_path):
    ds = load(tmp_path, {"pegawai": setcell([(2, "tanggal_keluar", "2009-12-31")])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 4, "tanggal_keluar", "date_order")}
    assert reason(ds, "pegawai", 4, "tanggal_keluar") == "tanggal_keluar 2009-12-31 is not after tmt_cpns 2010-01-15"


def test_unknown_enumeration_value_names_the_allowed_values(tmp_path):
    ds = load(tmp_path, {"pegawai": setcell([(1, "jenis_kelamin", "X"), (2, "golongan", "III/e")])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 3, "jenis_kelamin", "type"), ("pegawai", 4, "golongan", "type")}
    assert reason(ds, "pegawai", 3, "jenis_kelamin") == "'X' is not an allowed value; allowed: L, P"
    assert "allowed: I/a, I/b" in reason(ds, "pegawai", 4, "golongan")


def test_missing_required_value(tmp_path):
    ds = load(tmp_path, {"pegawai": setcell([(3, "jabatan", "")])}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 5, "jabatan", "required")}
    assert reason(ds, "pegawai", 5, "jabatan").startswith("missing value: jabatan is required")


def test_duplicate_nip_in_pegawai_rejects_every_copy(tmp_path):
    def edit(df):
        return pd.concat([df, df.iloc[[1]]], ignore_index=True)  # a copy of row 3 becomes row 7

    ds = load(tmp_path, {"pegawai": edit}, only=PEGAWAI_ONLY)
    assert found(ds) == {("pegawai", 3, "nip", "duplicate"), ("pegawai", 7, "nip", "duplicate")}
    assert reason(ds, "pegawai", 3, "nip") == f"duplicate key (nip={P1}) also on rows [7]"
    assert reason(ds, "pegawai", 7, "nip") == f"duplicate key (nip={P1}) also on rows [3]"
    assert P1 not in set(ds.pegawai["nip"])


def test_duplicate_nip_and_period_in_kinerja(tmp_path):
    def edit(df):
        extra = df.iloc[[2]].copy()  # same nip, tahun and periode, another predikat
        extra["rating_hasil_kerja"], extra["predikat"] = "di_atas", "Baik"
        return pd.concat([df, extra], ignore_index=True)

    ds = load(tmp_path, {"kinerja": edit}, only=("unit_kerja", "pegawai", "kinerja"))
    key = "nip+tahun+periode"
    assert found(ds) == {("kinerja", 4, key, "duplicate"), ("kinerja", 7, key, "duplicate")}
    assert reason(ds, "kinerja", 4, key) == f"duplicate key (nip={P1}, tahun=2023, periode=tahunan) also on rows [7]"


def test_same_nip_in_other_periods_is_not_a_duplicate(tmp_path):
    ds = load(tmp_path, only=("unit_kerja", "pegawai", "kinerja"))
    assert ds.rejected.empty and (ds.kinerja["nip"] == P0).sum() == 2


@pytest.mark.parametrize(
    ("value", "check", "words"),
    [
        ("5", "range", "5 is above the maximum 4 for u3"),
        ("0", "range", "0 is below the minimum 1 for u3"),
        ("2.5", "type", "'2.5' is not a whole number"),
    ],
)
def test_survey_answer_outside_1_to_4(tmp_path, value, check, words):
    ds = load(tmp_path, {"survei": setcell([(1, "u3", value)])}, only=("unit_kerja", "survei"))
    assert found(ds) == {("survei", 3, "u3", check)}
    assert reason(ds, "survei", 3, "u3") == words


@pytest.mark.parametrize("jp", ["0", "-8", "0,0"])
def test_zero_or_negative_jp_is_rejected(tmp_path, jp):
    ds = load(tmp_path, {"pelatihan": setcell([(2, "jp", jp)])}, only=("unit_kerja", "pegawai", "pelatihan"))
    assert found(ds) == {("pelatihan", 4, "jp", "range")}
    assert reason(ds, "pelatihan", 4, "jp") == f"jp must be greater than 0, got {jp}"


def test_training_that_finishes_before_it_starts(tmp_path):
    ds = load(tmp_path, {"pelatihan": setcell([(0, "tanggal_selesai", "2023-02-28")])},
              only=("unit_kerja", "pegawai", "pelatihan"))  # fmt: skip
    assert found(ds) == {("pelatihan", 2, "tanggal_selesai", "date_order")}
    assert (
        reason(ds, "pelatihan", 2, "tanggal_selesai") == "tanggal_selesai 2023-02-28 is before tanggal_mulai 2023-03-01"
    )


def test_one_day_training_is_accepted(tmp_path):
    ds = load(tmp_path, only=("unit_kerja", "pegawai", "pelatihan"))
    assert ds.rejected.empty and ds.pelatihan["tanggal_mulai"].iloc[2] == ds.pelatihan["tanggal_selesai"].iloc[2]


def test_case_closed_before_it_was_received(tmp_path):
    ds = load(tmp_path, {"layanan": setcell([(2, "tanggal_selesai", "2024-01-03")])})
    assert found(ds) == {("layanan", 4, "tanggal_selesai", "date_order")}


def test_unknown_unit_is_rejected(tmp_path):
    ds = load(tmp_path, {"pegawai": setcell([(1, "unit_id", "U99")]), "layanan": setcell([(0, "unit_id", "U77")])},
              only=("unit_kerja", "pegawai", "layanan"))  # fmt: skip
    # P1's pegawai row is rejected, so the case P1 handled (layanan row 4) is rejected with it.
    assert found(ds) == {
        ("pegawai", 3, "unit_id", "reference"),
        ("layanan", 2, "unit_id", "reference"),
        ("layanan", 4, "nip_petugas", "reference"),
    }
    assert (
        reason(ds, "pegawai", 3, "unit_id")
        == "unit_id U99 is not in unit_kerja.unit_id; add it to unit_kerja or correct it"
    )


def test_reference_to_a_rejected_employee_says_so(tmp_path):
    # P1's pegawai row is rejected (bad date), so its kinerja row (row 4) cannot join and is rejected too.
    ds = load(tmp_path, {"pegawai": setcell([(1, "tanggal_lahir", "31/02/1975")])},
              only=("unit_kerja", "pegawai", "kinerja"))  # fmt: skip
    assert found(ds) == {("pegawai", 3, "tanggal_lahir", "type"), ("kinerja", 4, "nip", "reference")}
    assert (
        reason(ds, "kinerja", 4, "nip")
        == f"nip {P1} is in pegawai, but its pegawai row was rejected (see that row's reasons)"
    )


def test_unknown_nip_in_other_tables(tmp_path):
    other = "199912312022012001"  # a valid NIP of nobody in pegawai
    ds = load(tmp_path, {"disiplin": setcell([(0, "nip", other)]), "layanan": setcell([(2, "nip_petugas", other)])})
    assert found(ds) == {("disiplin", 2, "nip", "reference"), ("layanan", 4, "nip_petugas", "reference")}


def test_references_are_not_checked_without_the_referenced_table(tmp_path):
    ds = load(tmp_path, {"disiplin": setcell([(0, "nip", "199912312022012001")])}, only=("disiplin",))
    assert ds.rejected.empty
    assert any("disiplin.nip was not checked against pegawai" in w for w in ds.warnings)


@pytest.mark.parametrize(
    ("row", "column", "value", "words"),
    [
        (1, "rating_hasil_kerja", "", "tahun 2023 falls under PermenPANRB 6/2022, which needs rating_hasil_kerja"),
        (0, "nilai_skp", "", "tahun 2021 falls under PP 46/2011, which needs nilai_skp"),
        (
            3,
            "predikat",
            "Baik",
            "predikat Baik does not follow PermenPANRB 6/2022: hasil kerja di_bawah and "
            "perilaku kerja sesuai give Butuh Perbaikan",
        ),  # fmt: skip
    ],
)
def test_kinerja_regime(tmp_path, row, column, value, words):
    ds = load(tmp_path, {"kinerja": setcell([(row, column, value)])}, only=("unit_kerja", "pegawai", "kinerja"))
    assert found(ds) == {("kinerja", row + 2, column, "regime")}
    assert words in reason(ds, "kinerja", row + 2, column)


def test_kinerja_predikat_may_be_left_empty_and_ratings_take_other_spellings(tmp_path):
    edit = setcell(
        [(1, "predikat", ""), (2, "rating_hasil_kerja", "Sesuai Ekspektasi"), (4, "predikat", "Kurang/Misconduct")]
    )
    ds = load(tmp_path, {"kinerja": edit}, only=("unit_kerja", "pegawai", "kinerja"))
    assert ds.rejected.empty
    assert ds.kinerja["predikat"].isna().tolist() == [True, True, False, False, False]


@pytest.mark.parametrize(
    ("row", "column", "value"),
    [(1, "tanggal_selesai", "2024-01-05"), (0, "tanggal_selesai", "")],
)
def test_layanan_status_proses_if_and_only_if_no_end_date(tmp_path, row, column, value):
    ds = load(tmp_path, {"layanan": setcell([(row, column, value)])})
    assert found(ds) == {("layanan", row + 2, "tanggal_selesai", "status")}


def test_several_reasons_for_one_row_count_once(tmp_path):
    edit = setcell([(2, "jenis_kelamin", "X"), (2, "jabatan", ""), (2, "pendidikan", "S9")])
    ds = load(tmp_path, {"pegawai": edit}, only=PEGAWAI_ONLY)
    assert len(ds.rejected) == 3 and set(ds.rejected["row"]) == {4}
    acc = ds.accounting.set_index("table").loc["pegawai"]
    assert (acc["rows_read"], acc["rows_accepted"], acc["rows_rejected"]) == (5, 4, 1)


def test_na_text_is_a_value_not_a_missing_cell(tmp_path):
    # "NA" is a name here, not a missing value: read_csv's default would have turned it into NaN.
    ds = load(tmp_path, {"pegawai": setcell([(0, "nama", "NA")])}, only=PEGAWAI_ONLY)
    assert ds.rejected.empty and ds.pegawai["nama"].iloc[0] == "NA"


def test_the_input_tables_are_not_changed(tmp_path):
    tables = clean_tables()
    before = {k: v.copy() for k, v in tables.items()}
    write_tables(tmp_path, tables)
    load_dataset(tmp_path)
    for k in tables:
        pd.testing.assert_frame_equal(tables[k], before[k])
