"""Parquet batches read ahead on a second thread: order, batch sizes, whole row groups, ``prepare``, ``convert``
and errors."""

from __future__ import annotations

import threading

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kinerja_analysis.common.parquet_batches import DictionaryCodes, parquet_files, read_batches


def _file(path, sizes: list[int], start: int = 0) -> list[int]:
    """A file whose row groups have ``sizes`` rows; column ``i`` numbers the rows from ``start``."""
    writer, at = None, start
    for size in sizes:
        table = pa.table({"i": np.arange(at, at + size), "u": pa.array([f"u{k % 7}" for k in range(size)])})
        writer = writer or pq.ParquetWriter(path, table.schema)
        writer.write_table(table, row_group_size=size)
        at += size
    writer.close()
    return list(range(start, at))


def test_every_row_once_in_file_order(tmp_path) -> None:
    """Row groups at most ``whole_rows`` are read whole and sliced; larger ones batch by batch; files by name;
    the same rows whether pyarrow decodes on one thread or on its pool."""
    want = _file(tmp_path / "a.parquet", [10, 25, 3]) + _file(tmp_path / "b.parquet", [40, 7], start=38)
    assert [pq.ParquetFile(tmp_path / "a.parquet").metadata.row_group(i).num_rows for i in range(3)] == [10, 25, 3]
    for whole_rows, memory_map, threads in ((0, True, False), (12, False, False), (1 << 20, True, False),
                                            (0, True, True), (12, False, True)):  # fmt: skip
        batches = list(read_batches(parquet_files(tmp_path), ["i", "u"], dictionary=["u"], batch_size=8,
                                    whole_rows=whole_rows, memory_map=memory_map, threads=threads))  # fmt: skip
        assert [v for b in batches for v in b.column("i").to_pylist()] == want
        assert [v for b in batches for v in b.column("u").to_pylist()] == [
            f"u{k % 7}" for size in (10, 25, 3, 40, 7) for k in range(size)
        ]
        assert all(0 < b.num_rows <= 8 for b in batches)
        assert all(pa.types.is_dictionary(b.column("u").type) for b in batches)


def test_prepare_runs_on_the_reading_thread_in_order(tmp_path) -> None:
    want = _file(tmp_path / "a.parquet", [10, 25, 3])
    threads = set()

    def prepare(batch: pa.RecordBatch) -> np.ndarray:
        threads.add(threading.get_ident())
        return batch.column("i").to_numpy() * 2

    got = list(read_batches([str(tmp_path / "a.parquet")], ["i"], batch_size=4, prepare=prepare))
    assert np.concatenate(got).tolist() == [2 * v for v in want]
    assert threads and threading.get_ident() not in threads


def _read_slowly(path, slow: str, convert):
    """Column ``i`` of ``path`` in batches of 4 through ``convert``, the ``slow`` thread waiting 10 ms a batch."""
    wait = threading.Event()

    def prepare(batch: pa.RecordBatch) -> np.ndarray:
        if slow == "reader":
            wait.wait(0.01)
        return batch.column("i").to_numpy()

    for values in read_batches([str(path)], ["i"], batch_size=4, ahead=4, prepare=prepare, convert=convert):
        if slow == "consumer":
            wait.wait(0.01)
        yield values


@pytest.mark.parametrize("slow", ["consumer", "reader"])
def test_convert_runs_once_per_batch_on_the_thread_with_time(tmp_path, slow: str) -> None:
    """With a slow consumer, batches wait in the queue and the reading thread converts them; with a slow
    reader, the consumer converts each itself. Either way every batch is converted once, in file order."""
    want = _file(tmp_path / "a.parquet", [60])
    where: list[bool] = []  # per conversion: on the reading thread
    consumer = threading.get_ident()

    def convert(values: np.ndarray) -> np.ndarray:
        where.append(threading.get_ident() != consumer)
        return values * 3

    got = list(_read_slowly(tmp_path / "a.parquet", slow, convert))
    assert np.concatenate(got).tolist() == [3 * v for v in want] and len(where) == 15
    on_reader = sum(where)
    assert on_reader >= 10 if slow == "consumer" else on_reader <= 3  # a consumer held up by the machine: a few


@pytest.mark.parametrize("slow", ["consumer", "reader"])
def test_an_error_in_convert_reaches_the_consumer_on_either_thread(tmp_path, slow: str) -> None:
    _file(tmp_path / "a.parquet", [60])

    def convert(values: np.ndarray) -> np.ndarray:
        if values[0] >= 40:
            raise ValueError("row 40 reached")
        return values

    seen = []
    with pytest.raises(ValueError, match="row 40 reached"):
        for values in _read_slowly(tmp_path / "a.parquet", slow, convert):
            seen.append(values)
    assert np.concatenate(seen).tolist() == list(range(40))  # every batch before the bad one, in order


def test_an_error_in_prepare_reaches_the_consumer_and_stopping_early_ends_the_reader(tmp_path) -> None:
    _file(tmp_path / "a.parquet", [50, 50])
    files = [str(tmp_path / "a.parquet")]

    def prepare(batch: pa.RecordBatch) -> pa.RecordBatch:
        if batch.column("i")[0].as_py() >= 20:
            raise ValueError("row 20 reached")
        return batch

    with pytest.raises(ValueError, match="row 20 reached"):
        for _ in read_batches(files, ["i"], batch_size=10, ahead=1, prepare=prepare):
            pass
    before = threading.active_count()
    for _ in read_batches(files, ["i"], batch_size=1, ahead=1):
        break  # the reader waits on a full queue; closing the generator must unblock and join it
    assert threading.active_count() == before


def test_dictionary_codes_seeded_and_across_types() -> None:
    """Seeded values keep their codes; large_string dictionaries match string ones by value; nulls are -1."""
    codes = DictionaryCodes(pa.array(["selesai", "ditolak"]))
    column = pa.array(["ditolak", None, "baru", "selesai"], type=pa.large_string()).dictionary_encode()
    assert codes.codes(column).tolist() == [1, -1, 2, 0]
    assert codes.values.to_pylist() == ["selesai", "ditolak", "baru"]
    assert codes.codes(pa.array(["baru", "selesai"])).tolist() == [2, 0]  # plain (not dictionary) text too
