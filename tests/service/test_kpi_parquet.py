"""Service KPIs from a Parquet path (numpy batch scan) against the pandas and DuckDB-relation routes and by hand.

The files are written here with several row groups whose ``unit_id`` dictionaries differ in content and
order, as a folder of two files, with open cases, a bad row, and units with a single case. Every result must
equal the frame's (same columns, dtypes, categories, order); the quantiles also equal ``numpy.quantile`` of
``numpy.busday_count`` durations.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.common.workdays import holiday_dates
from kinerja_analysis.service import cases_parquet, cell_sums
from kinerja_analysis.service.completion import completion_curve
from kinerja_analysis.service.kpi import processing_time, return_rate, service_kpis, sla_compliance
from tests.service.test_kpi import AS_OF, hand_table, random_table


def _arrow(frame: pd.DataFrame, *, dates: str = "ms", sort: bool = False) -> pa.Table:
    """The frame as Arrow, text columns dictionary-encoded in order of appearance (or sorted, as a writer of
    categoricals does; then the scan moves no cells)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    columns = {}
    for name in table.column_names:
        column = table.column(name).combine_chunks()
        if name in ("unit_id", "status", "jenis_layanan"):
            column = column.cast(pa.string()).dictionary_encode()
            if sort:
                values = column.dictionary.to_pylist()
                order = sorted(range(len(values)), key=values.__getitem__)
                rank = np.argsort(order).astype(np.int32)
                indices = pa.array(rank[column.indices.fill_null(0).to_numpy()], mask=column.is_null().to_numpy(False))
                column = pa.DictionaryArray.from_arrays(indices, pa.array([values[i] for i in order]))
        elif name.startswith("tanggal"):
            column = column.cast(pa.timestamp(dates)) if dates != "date32" else column.cast(pa.date32())
        columns[name] = column
    return pa.table(columns)


def write_groups(frame: pd.DataFrame, path, *, parts: int = 4, dates: str = "ms", sort: bool = False) -> None:
    """One file, ``parts`` row groups, each written with its own dictionaries (different contents and order)."""
    writer = None
    for chunk in np.array_split(np.arange(len(frame)), parts):
        table = _arrow(frame.iloc[chunk[::-1]], dates=dates, sort=sort)  # reversed: first appearances differ per group
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table)
    writer.close()


def _all_routes(frame: pd.DataFrame, path, function=service_kpis, **options) -> pd.DataFrame:
    from_frame = function(frame, **options)
    from_path = function(path, **options)
    con = duckdb.connect()
    try:
        from_relation = function(con.read_parquet(str(path)), **options)
    finally:
        con.close()
    pd.testing.assert_frame_equal(from_path, from_frame)
    pd.testing.assert_frame_equal(from_relation, from_frame)
    return from_path


def test_row_groups_with_different_dictionaries(tmp_path) -> None:
    table, as_of = random_table(11, n=4000), "2024-06-30"  # open cases and cases after as_of
    path = tmp_path / "layanan.parquet"
    write_groups(table, path, parts=5)
    assert pq.ParquetFile(path).metadata.num_row_groups == 5
    out = _all_routes(table, path, as_of=as_of)
    assert set(out["kpi"].cat.categories) == {"sla", "q50", "q90", "return_rate", "revisions"}
    for by in (("bulan", "unit_id"), "unit_id", "tahun", (), ("unit_id", "tahun", "bulan")):
        _all_routes(table, path, by=by, as_of=as_of)
    _all_routes(table, str(path), function=sla_compliance, day_basis="calendar", as_of=as_of)
    _all_routes(table, path, function=processing_time, quantiles=(0.25, 0.5, 0.75), as_of=as_of)
    _all_routes(table, path, function=return_rate, as_of=as_of)
    _all_routes(table, path, function=completion_curve, as_of=as_of)  # every status and duration


def test_folder_of_two_files_and_date_types(tmp_path) -> None:
    table, as_of = random_table(12, n=3000), "2024-12-31"
    folder = tmp_path / "layanan"
    folder.mkdir()
    half = len(table) // 2
    write_groups(table.iloc[:half], folder / "part-0.parquet", parts=2, dates="date32", sort=True)
    write_groups(table.iloc[half:], folder / "part-1.parquet", parts=3, dates="us", sort=True)
    pd.testing.assert_frame_equal(service_kpis(folder, as_of=as_of), service_kpis(table, as_of=as_of))
    one = tmp_path / "sorted.parquet"  # sorted dictionaries, one file: the cells stay where they were counted
    write_groups(table, one, parts=3, sort=True)
    assert pq.read_table(one).column("unit_id").chunk(0).dictionary.to_pylist() == ["U1", "U2", "U3", "U4"]
    _all_routes(table, one, as_of=as_of)
    (tmp_path / "empty").mkdir()
    with pytest.raises(KinerjaDataError, match="no .parquet file"):
        service_kpis(tmp_path / "empty")


def test_quantiles_by_hand_and_units_with_one_case(tmp_path) -> None:
    table, as_of = random_table(13, n=2500), "2024-09-30"
    lonely = table.iloc[:3].assign(unit_id=pd.array(["Z1", "Z2", "Z3"], dtype="str"),
                                   berkas_id=pd.array(["L1", "L2", "L3"], dtype="str"))  # fmt: skip
    table = pd.concat([table, lonely], ignore_index=True)
    path = tmp_path / "layanan.parquet"
    write_groups(table, path, parts=3)
    out = _all_routes(table, path, by="unit_id", as_of=as_of)
    rows = table[table["tanggal_masuk"] <= pd.Timestamp(as_of)]
    end = rows["tanggal_selesai"].to_numpy().astype("datetime64[D]")
    done = rows[rows["status"].isin(["selesai", "ditolak"]).to_numpy() & (end <= np.datetime64(as_of))]
    days = np.busday_count(done["tanggal_masuk"].to_numpy().astype("datetime64[D]"),
                           done["tanggal_selesai"].to_numpy().astype("datetime64[D]"),
                           holidays=holiday_dates(2023, 2025))  # fmt: skip
    checked = 0
    for unit, durations in pd.Series(days, index=done["unit_id"].to_numpy()).groupby(level=0):
        for kpi, p in (("q50", 0.5), ("q90", 0.9)):
            mine = out[(out["unit_id"] == unit) & (out["kpi"] == kpi)]
            assert mine["estimate"].item() == pytest.approx(np.quantile(durations.to_numpy(), p))
            assert mine["n"].item() == len(durations)
            checked += 1
    assert checked >= 2 * 6  # the four random units and the three single-case units, where closed
    assert out.loc[(out["unit_id"] == "Z1") & (out["kpi"] == "return_rate"), "n"].item() == 1


def test_missing_unit_and_long_durations(tmp_path, monkeypatch) -> None:
    table, as_of = random_table(14, n=3000), "2024-09-30"
    table.loc[::97, "unit_id"] = None  # a missing key: its own group, last
    slow = table.index[(table["status"] != "proses").to_numpy()][::50]
    table.loc[slow, "tanggal_selesai"] = table.loc[slow, "tanggal_masuk"] + pd.Timedelta(days=60)
    path = tmp_path / "layanan.parquet"
    write_groups(table, path, parts=4)
    monkeypatch.setattr(cases_parquet, "MAX_CELLS", 8)  # dense slots end at 8: long durations go aside
    out = _all_routes(table, path, by=("unit_id", "bulan"), as_of=as_of)
    assert out["unit_id"].isna().any()
    _all_routes(table, path, function=completion_curve, by="unit_id", as_of=as_of)


def test_durations_longer_than_the_first_batch_widen_the_table(tmp_path, monkeypatch) -> None:
    """The dense table is sized by the first batch; later, longer durations are added to it at the end."""
    table, as_of = random_table(15, n=3000), "2024-09-30"
    closed = (table["status"] != "proses").to_numpy()
    late = table.index[closed & (np.arange(len(table)) >= 1500)][::40]  # in the second row group only
    table.loc[late, "tanggal_selesai"] = table.loc[late, "tanggal_masuk"] + pd.Timedelta(days=120)
    path = tmp_path / "layanan.parquet"
    write_groups(table, path, parts=2)  # written reversed: the first row group holds the short durations
    shapes = []
    original = cell_sums.CellSums.finish

    def finish(self, groups, *, max_cells):
        before = self.slots
        original(self, groups, max_cells=max_cells)
        shapes.append((before, self.slots, len(self._aside)))

    monkeypatch.setattr(cell_sums.CellSums, "finish", finish)
    _all_routes(table, path, by=("unit_id", "bulan"), as_of=as_of)
    assert shapes and all(after > before and aside == 0 for before, after, aside in shapes)


def test_units_met_row_group_by_row_group_grow_the_table(tmp_path, monkeypatch) -> None:
    """A file sorted by unit brings new units in every row group: the dense table grows as they come."""
    table, as_of = random_table(16, n=4000), "2024-09-30"
    table = table.assign(unit_id=[f"U{i // 200:03d}" for i in range(len(table))])  # 20 units, 200 rows each
    path = tmp_path / "layanan.parquet"
    pq.write_table(_arrow(table), path, row_group_size=500)  # in unit order: each row group holds new units
    sizes = []
    original = cell_sums.CellSums.add

    def add(self, *args):
        original(self, *args)
        sizes.append(self.groups)

    monkeypatch.setattr(cell_sums.CellSums, "add", add)
    _all_routes(table, path, by=("unit_id", "bulan"), as_of=as_of)
    assert len(set(sizes)) > 2 and sizes == sorted(sizes)  # grown several times, never shrunk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tanggal_selesai": ("a", "2023-08-10")}, r"1 row\(s\) \(berkas_id a\): tanggal_selesai before tanggal_masuk"),
        ({"standar_hari": ("b", -1)}, r"\(berkas_id b\): missing or negative standar_hari"),
        ({"status": ("e", "selesai")}, r"\(berkas_id e\): closed .* without tanggal_selesai"),
        ({"dikembalikan": ("c", None)}, r"\(berkas_id c\): missing dikembalikan"),
        ({"status": ("d", "hilang")}, r"\(berkas_id d\): status outside"),
    ],
)
def test_bad_row_is_named_as_for_a_frame(tmp_path, change: dict, message: str) -> None:
    table = hand_table()
    ((column, (berkas, value)),) = change.items()
    value = pd.Timestamp(value) if column.startswith("tanggal") else value
    if column == "status":  # a status outside the categories, as a text column of an export holds it
        table["status"] = table["status"].astype("str")
    table.loc[table["berkas_id"] == berkas, column] = pd.NA if value is None else value
    path = tmp_path / "layanan.parquet"
    write_groups(table, path, parts=2)
    with pytest.raises(KinerjaDataError, match=message) as from_frame:
        service_kpis(table, as_of=AS_OF)
    with pytest.raises(KinerjaDataError, match=message) as from_path:
        service_kpis(path, as_of=AS_OF)
    assert str(from_path.value) == str(from_frame.value)


def test_unserved_column_types_fall_back_to_duckdb(tmp_path) -> None:
    table, as_of = random_table(15, n=1000), "2024-06-30"
    table["unit_no"] = table["unit_id"].str[1:].astype("int64")  # an integer key: counted by DuckDB
    path = tmp_path / "layanan.parquet"
    write_groups(table, path, parts=2)
    assert cases_parquet._served([pq.read_schema(path)], ("unit_no",), set()) is False
    _all_routes(table, path, by=("unit_no", "bulan"), as_of=as_of)
    with pytest.raises(KinerjaDataError, match="neither a Parquet file nor a folder"):
        service_kpis(tmp_path / "missing.parquet")
