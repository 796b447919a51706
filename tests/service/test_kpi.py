"""Service KPIs on a tiny layanan table worked by hand, and on a random one against a second computation.

The hand table, August 2023 (Thursday 17 August is Independence Day), as_of Friday 25 August:

| berkas | unit | masuk | selesai | status | std | working days | calendar days | SLA (working) |
|---|---|---|---|---|---|---|---|---|
| a | K1 | Mon 14 | Wed 16 | selesai | 2 | 2 (Mon, Tue) | 2 | on time |
| b | K1 | Wed 16 | Fri 18 | selesai | 1 | 1 (Wed) | 2 | on time |
| c | K1 | Tue 15 | Mon 21 | ditolak | 3 | 3 (Tue, Wed, Fri) | 6 | on time |
| d | K1 | Mon 14 | Tue 22 | dicabut | 1 | 5 | 8 | left out (withdrawn) |
| e | K1 | Fri 18 | open | proses | 2 | age 5 (18, 21-24) | age 7 | late (open, overdue) |
| f | K1 | Thu 24 | open | proses | 3 | age 1 | age 1 | left out (not yet due) |
| g | K1 | Mon 21 | Mon 28 | selesai | 5 | age 4 on as_of | age 4 | left out (open on as_of, not due) |
| h | K1 | Mon 28 | Mon 28 | selesai | 1 | - | - | received after as_of |
| i | K2 | Mon 14 | Mon 14 | selesai | 0 | 0 | 0 | on time |
| j | K2 | Fri 18 | Mon 21 | selesai | 0 | 1 (Fri) | 3 | late |
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.common.workdays import holiday_dates
from kinerja_analysis.data import schema
from kinerja_analysis.service.employee import employee_kpi
from kinerja_analysis.service.kpi import processing_time, return_rate, revisions_per_file, service_kpis, sla_compliance

AS_OF = "2023-08-25"
NIP_A, NIP_B = "198609262015051001", "199001012019032002"


MASUK = ["2023-08-14", "2023-08-16", "2023-08-15", "2023-08-14", "2023-08-18",
         "2023-08-24", "2023-08-21", "2023-08-28", "2023-08-14", "2023-08-18"]  # fmt: skip
SELESAI = ["2023-08-16", "2023-08-18", "2023-08-21", "2023-08-22", None,
           None, "2023-08-28", "2023-08-28", "2023-08-14", "2023-08-21"]  # fmt: skip
STATUS = ["selesai", "selesai", "ditolak", "dicabut", "proses", "proses", "selesai", "selesai", "selesai", "selesai"]


def hand_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "berkas_id": pd.array(list("abcdefghij"), dtype="str"),
            "unit_id": pd.array(["K1"] * 8 + ["K2"] * 2, dtype="str"),
            "jenis_layanan": pd.array(["Surat Keterangan Domisili"] * 10, dtype="str"),
            "nip_petugas": pd.array([NIP_A] * 4 + [NIP_B] * 4 + [None, NIP_A], dtype="str"),
            "tanggal_masuk": pd.to_datetime(MASUK).astype("datetime64[s]"),
            "tanggal_selesai": pd.to_datetime(SELESAI).astype("datetime64[s]"),
            "standar_hari": pd.array([2, 1, 3, 1, 2, 3, 5, 1, 0, 0], dtype="Int64"),
            "status": pd.Categorical(STATUS, categories=schema.STATUS_LAYANAN),
            "dikembalikan": pd.array([1, 0, 1, 0, 0, 0, 0, 1, 0, 1], dtype="boolean"),
            "jumlah_revisi": pd.array([1, 0, 2, 0, 0, 0, 0, 3, 0, 1], dtype="Int64"),
        }
    )


def _by_unit(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("unit_id")


def test_sla_by_hand_working_days() -> None:
    out = _by_unit(sla_compliance(hand_table(), as_of=AS_OF))
    assert out.loc["K1", ["n", "k", "n_open_late", "n_open_pending", "n_left_out"]].tolist() == [4, 3, 1, 2, 1]
    assert out.loc["K2", ["n", "k", "n_open_late", "n_open_pending", "n_left_out"]].tolist() == [2, 1, 0, 0, 0]
    assert out.loc["K1", "estimate"] == 0.75
    assert (out["day_basis"] == "working").all()
    assert "1 cases received after as_of left out" in out.loc["K1", "method"]
    for unit, (k, n) in {"K1": (3, 4), "K2": (1, 2)}.items():
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert (out.loc[unit, "ci_low"], out.loc[unit, "ci_high"]) == pytest.approx((low, high), abs=1e-12)


def test_sla_calendar_days_and_options() -> None:
    table = hand_table()
    calendar = _by_unit(sla_compliance(table, as_of=AS_OF, day_basis="calendar"))
    assert calendar.loc["K1", ["n", "k"]].tolist() == [4, 1]  # only a within 2 calendar days
    assert calendar.loc["K2", ["n", "k"]].tolist() == [2, 1]
    assert (calendar["day_basis"] == "calendar").all()
    excluded = _by_unit(sla_compliance(table, as_of=AS_OF, open_cases="exclude"))
    assert excluded.loc["K1", ["n", "k", "n_open_late", "n_open_pending"]].tolist() == [3, 3, 0, 3]
    withdrawn = _by_unit(sla_compliance(table, as_of=AS_OF, finished=("selesai", "ditolak", "dicabut")))
    assert withdrawn.loc["K1", ["n", "k", "n_left_out"]].tolist() == [5, 3, 0]  # d: 5 working days > 1
    exact = _by_unit(sla_compliance(table, as_of=AS_OF, method="clopper_pearson", alpha=0.1))
    low, high = proportion_confint(3, 4, alpha=0.1, method="beta")
    assert (exact.loc["K1", "ci_low"], exact.loc["K1", "ci_high"]) == pytest.approx((low, high), abs=1e-10)


def test_as_of_defaults_to_the_latest_date() -> None:
    # Latest date is Monday 28 August: g closes in time (Mon 21 -> Mon 28 is 5 working days) and h counts
    # (same day, 0 <= 1): on time a, b, c, g, h; e (age 6 > 2) stays overdue and f (age 2 <= 3) pending.
    out = _by_unit(sla_compliance(hand_table()))
    assert out.loc["K1", ["n", "k", "n_open_late", "n_open_pending"]].tolist() == [6, 5, 1, 1]
    assert "as_of 2023-08-28" in out.loc["K1", "method"]


def test_cuti_bersama_and_own_holidays_change_the_count() -> None:
    no_holidays = _by_unit(sla_compliance(hand_table(), as_of=AS_OF, holidays=[]))
    # Without 17 August, b takes 2 working days (> 1) and c takes 4 (> 3): K1 on time only a.
    assert no_holidays.loc["K1", ["n", "k"]].tolist() == [4, 1]
    assert "0 given holidays" in no_holidays.loc["K1", "method"]


def test_cuti_bersama_option_reaches_the_count() -> None:
    # Thursday 27 March -> Tuesday 8 April 2025, standard 5: 6 working days on libur nasional alone (late);
    # with cuti bersama (28 March, 2-4 and 7 April) only Thursday 27 remains: 1 day (on time).
    case = (
        hand_table()
        .iloc[[0]]
        .assign(tanggal_masuk=pd.Timestamp("2025-03-27"), tanggal_selesai=pd.Timestamp("2025-04-08"), standar_hari=5)
    )
    assert sla_compliance(case)["k"].tolist() == [0]
    with_leave = sla_compliance(case, cuti_bersama=True)
    assert with_leave["k"].tolist() == [1]
    assert "cuti bersama" in with_leave["method"][0]
    assert processing_time(case, quantiles=[0.5], cuti_bersama=True)["estimate"].tolist() == [1.0]


def test_grouping_by_month_and_service() -> None:
    out = sla_compliance(hand_table(), as_of=AS_OF, by=("unit_id", "bulan", "jenis_layanan"))
    assert isinstance(out["bulan"].dtype, pd.PeriodDtype)
    assert out["bulan"].astype("str").tolist() == ["2023-08", "2023-08"]
    overall = sla_compliance(hand_table(), as_of=AS_OF, by=())
    assert overall[["n", "k"]].values.tolist() == [[6, 4]]


def test_empty_group_is_kept_with_n_zero() -> None:
    table = hand_table()
    only_withdrawn = table.iloc[[3]].assign(unit_id="K3", berkas_id="z")
    out = _by_unit(sla_compliance(pd.concat([table, only_withdrawn], ignore_index=True), as_of=AS_OF))
    assert out.loc["K3", ["n", "k", "n_left_out"]].tolist() == [0, 0, 1]
    assert np.isnan(out.loc["K3", "estimate"]) and np.isnan(out.loc["K3", "ci_low"])


def test_empty_table_gives_an_empty_frame() -> None:
    out = sla_compliance(hand_table().iloc[0:0])
    assert len(out) == 0 and {"unit_id", "n", "estimate", "ci_low", "method"} <= set(out.columns)
    assert len(processing_time(hand_table().iloc[0:0])) == 0


def test_processing_time_by_hand() -> None:
    out = processing_time(hand_table(), as_of=AS_OF).set_index(["unit_id", "quantile"])
    # K1 closed selesai/ditolak by as_of: a 2, b 1, c 3 working days; K2: i 0, j 1.
    assert out.loc[("K1", 0.5), ["n", "estimate"]].tolist() == [3, 2.0]
    assert out.loc[("K1", 0.9), "estimate"] == pytest.approx(2.8)  # h = 1.8: 2 + 0.8 (3 - 2)
    assert out.loc[("K2", 0.5), "estimate"] == 0.5
    assert np.isnan(out.loc[("K1", 0.5), "ci_low"])
    assert out.loc[("K1", 0.5), "note"] == "too few cases for a 95% interval (needs 6)"
    assert "type 7" in out["method"].iloc[0]
    calendar = processing_time(hand_table(), as_of=AS_OF, day_basis="calendar", quantiles=[0.5])
    assert _by_unit(calendar).loc["K1", "estimate"] == 2.0  # 2, 2, 6


def test_returns_and_revisions_by_hand() -> None:
    returns = _by_unit(return_rate(hand_table(), as_of=AS_OF))
    assert returns.loc["K1", ["n", "k"]].tolist() == [7, 2]  # a..g received by as_of; a and c returned
    assert returns.loc["K2", ["n", "k"]].tolist() == [2, 1]
    low, high = proportion_confint(2, 7, method="wilson")
    assert (returns.loc["K1", "ci_low"], returns.loc["K1", "ci_high"]) == pytest.approx((low, high), abs=1e-12)
    revisions = _by_unit(revisions_per_file(hand_table(), as_of=AS_OF))
    values = np.array([1, 0, 2, 0, 0, 0, 0.0])
    half = stats.t.ppf(0.975, 6) * values.std(ddof=1) / np.sqrt(7)
    assert revisions.loc["K1", ["n", "total"]].tolist() == [7, 3]
    assert revisions.loc["K1", "estimate"] == pytest.approx(3 / 7)
    assert revisions.loc["K1", "ci_high"] == pytest.approx(3 / 7 + half)
    assert revisions.loc["K1", "ci_low"] == pytest.approx(max(0.0, 3 / 7 - half))
    poisson = _by_unit(revisions_per_file(hand_table(), as_of=AS_OF, interval="poisson"))
    assert poisson.loc["K1", "ci_high"] == pytest.approx(stats.chi2.ppf(0.975, 8) / 2 / 7)
    assert poisson.loc["K1", "ci_low"] == pytest.approx(stats.chi2.ppf(0.025, 6) / 2 / 7)


def test_service_kpis_equal_the_single_functions() -> None:
    table = hand_table()
    out = service_kpis(table, by="unit_id", as_of=AS_OF).set_index(["unit_id", "kpi"])
    assert set(out.index.get_level_values("kpi")) == {"sla", "q50", "q90", "return_rate", "revisions"}
    sla = _by_unit(sla_compliance(table, as_of=AS_OF))
    times = processing_time(table, as_of=AS_OF).set_index(["unit_id", "quantile"])
    returns = _by_unit(return_rate(table, as_of=AS_OF))
    for unit in ("K1", "K2"):
        assert out.loc[(unit, "sla"), "estimate"] == sla.loc[unit, "estimate"]
        assert out.loc[(unit, "q90"), "estimate"] == times.loc[(unit, 0.9), "estimate"]
        assert out.loc[(unit, "return_rate"), "ci_low"] == returns.loc[unit, "ci_low"]


def test_employee_kpi_by_hand() -> None:
    out = employee_kpi(hand_table(), as_of=AS_OF).set_index("nip")
    assert list(out.index) == [NIP_A, NIP_B] and (out["tahun"] == 2023).all()
    a = out.loc[NIP_A]
    # A: a, b, c, d (K1) and j (K2); SLA a, b, c on time, j late, d withdrawn; durations 2, 1, 3, 1.
    assert [a["n_berkas"], a["sla_n"], a["hari_n"]] == [5, 4, 4]
    assert (a["sla_estimate"], a["hari_mean"], a["hari_median"]) == pytest.approx((0.75, 1.75, 1.5))
    assert (a["return_rate"], a["revisions_per_file"]) == pytest.approx((3 / 5, 4 / 5))
    b = out.loc[NIP_B]  # e (late, open), f and g pending; h received after as_of
    assert [b["n_berkas"], b["sla_n"], b["hari_n"]] == [3, 1, 0] and b["sla_estimate"] == 0
    assert np.isnan(b["hari_mean"])
    assert "1 cases without nip_petugas left out" in out["method"].iloc[0]
    monthly = employee_kpi(hand_table(), as_of=AS_OF, period="month")
    assert {"nip", "tahun", "bulan"} <= set(monthly.columns)


def test_input_is_not_modified() -> None:
    table = hand_table()
    before = table.copy()
    sla_compliance(table, as_of=AS_OF, by=("unit_id", "bulan"))
    employee_kpi(table)
    pd.testing.assert_frame_equal(table, before)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"tanggal_selesai": ("a", "2023-08-10")},
            r"1 row\(s\) \(berkas_id a\): tanggal_selesai before tanggal_masuk; correct",
        ),
        ({"standar_hari": ("b", -1)}, r"\(berkas_id b\): missing or negative standar_hari"),
        ({"status": ("e", "selesai")}, r"\(berkas_id e\): closed .* without tanggal_selesai"),
    ],
)
def test_bad_rows_are_named(change: dict, message: str) -> None:
    table = hand_table()
    ((column, (berkas, value)),) = change.items()
    table.loc[table["berkas_id"] == berkas, column] = pd.Timestamp(value) if column.startswith("tanggal") else value
    with pytest.raises(KinerjaDataError, match=message):
        sla_compliance(table, as_of=AS_OF)


def test_missing_return_flag_is_named() -> None:
    table = hand_table()
    table.loc[table["berkas_id"] == "c", "dikembalikan"] = pd.NA
    with pytest.raises(KinerjaDataError, match=r"\(berkas_id c\): missing dikembalikan"):
        return_rate(table)
    assert sla_compliance(table, as_of=AS_OF)["n"].sum() == 6  # the SLA does not need the flag


def test_unknown_status_spelling_and_text_dates() -> None:
    table = hand_table().assign(status=lambda f: f["status"].astype("str").str.upper())
    with pytest.raises(KinerjaDataError, match="status outside"):
        sla_compliance(table)
    table = hand_table().assign(tanggal_masuk=lambda f: f["tanggal_masuk"].dt.strftime("%d/%m/%Y"))
    with pytest.raises(KinerjaDataError, match="tanggal_masuk has type VARCHAR"):
        sla_compliance(table)


def test_unknown_by_column_and_options() -> None:
    with pytest.raises(MissingColumnError, match=r"\['kecamatan'\].*derived bulan, tahun"):
        sla_compliance(hand_table(), by=("unit_id", "kecamatan"))
    with pytest.raises(MissingColumnError, match="standar_hari"):
        sla_compliance(hand_table().drop(columns="standar_hari"))
    with pytest.raises(InvalidOptionError, match="'working', 'calendar'"):
        sla_compliance(hand_table(), day_basis="hari_kerja")
    with pytest.raises(InvalidOptionError, match="'late_if_overdue', 'exclude'"):
        sla_compliance(hand_table(), open_cases="late")
    with pytest.raises(InvalidOptionError, match="finished"):
        sla_compliance(hand_table(), finished=("proses",))
    with pytest.raises(InvalidOptionError, match="'t', 'poisson'"):
        revisions_per_file(hand_table(), interval="bootstrap")
    with pytest.raises(InvalidOptionError, match="as_of"):
        sla_compliance(hand_table(), as_of="kemarin")
    with pytest.raises(KinerjaDataError, match="DataFrame or a DuckDB relation"):
        sla_compliance(hand_table().to_dict())


# --- A random table against a second, independent computation ----------------------------------


def random_table(seed: int, n: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-02") + rng.integers(0, 700, n).astype("timedelta64[D]")
    closed = rng.random(n) < 0.9
    end = start + rng.poisson(4, n).astype("timedelta64[D]")
    status = np.where(closed, rng.choice(["selesai", "ditolak", "dicabut"], n, p=[0.9, 0.07, 0.03]), "proses")
    return pd.DataFrame(
        {
            "berkas_id": pd.array([f"B{i:05d}" for i in range(n)], dtype="str"),
            "unit_id": pd.array(rng.choice(["U1", "U2", "U3", "U4"], n), dtype="str"),
            "tanggal_masuk": start.astype("datetime64[s]"),
            "tanggal_selesai": np.where(closed, end, np.datetime64("NaT")).astype("datetime64[s]"),
            "standar_hari": pd.array(rng.integers(0, 6, n), dtype="Int64"),
            "status": pd.Categorical(status, categories=schema.STATUS_LAYANAN),
            "dikembalikan": pd.array(rng.random(n) < 0.1, dtype="boolean"),
            "jumlah_revisi": pd.array(rng.poisson(0.2, n), dtype="Int64"),
        }
    )


def _reference(table: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Durations and SLA flags per row, by numpy and pandas directly."""
    as_of_day = np.datetime64(as_of, "D")
    rows = table[table["tanggal_masuk"] <= pd.Timestamp(as_of)].copy()
    start = rows["tanggal_masuk"].to_numpy().astype("datetime64[D]")
    end = rows["tanggal_selesai"].to_numpy().astype("datetime64[D]")
    is_closed = (rows["status"].astype("str") != "proses").to_numpy() & (end <= as_of_day)
    stop = np.where(is_closed, end, as_of_day)
    days_off = holiday_dates(2023, 2025)
    rows["dur"] = np.busday_count(start, stop, holidays=days_off)
    rows["is_closed"] = is_closed
    rows["finished"] = is_closed & rows["status"].isin(["selesai", "ditolak"]).to_numpy()
    std = rows["standar_hari"].to_numpy(dtype="int64")
    rows["judged"] = rows["finished"] | (~is_closed & (rows["dur"].to_numpy() > std))
    rows["on_time"] = rows["finished"] & (rows["dur"].to_numpy() <= std)
    return rows


def test_random_table_against_pandas_numpy_and_scipy() -> None:
    table, as_of = random_table(7), "2024-09-30"
    ref = _reference(table, as_of)
    sla = _by_unit(sla_compliance(table, as_of=as_of))
    expected = ref.groupby("unit_id")[["judged", "on_time"]].sum()
    assert sla[["n", "k"]].values.tolist() == expected.values.tolist()
    times = processing_time(table, as_of=as_of).set_index(["unit_id", "quantile"])
    for unit, rows in ref[ref["finished"]].groupby("unit_id"):
        x = rows["dur"].to_numpy()
        for p in (0.5, 0.9):
            assert times.loc[(unit, p), "estimate"] == pytest.approx(np.quantile(x, p))
            ci = stats.quantile_test(x, q=0, p=p).confidence_interval(0.95)
            assert (times.loc[(unit, p), "ci_low"], times.loc[(unit, p), "ci_high"]) == (ci.low, ci.high)


def test_duckdb_relation_from_parquet_gives_the_same_numbers(tmp_path) -> None:
    table, as_of = random_table(8), "2024-06-30"
    path = tmp_path / "layanan.parquet"
    table.to_parquet(path)
    con = duckdb.connect()
    try:
        relation = con.read_parquet(str(path))
        from_parquet = service_kpis(relation, as_of=as_of)
        # DuckDB's exact quantile_cont over the same rows, as a check of the count-table quantiles.
        ref = _reference(table, as_of)
        con.register("ref", ref.loc[ref["finished"], ["unit_id", "tanggal_masuk", "dur"]])
        direct = con.sql(
            "SELECT unit_id, date_trunc('month', tanggal_masuk::DATE) AS bulan, quantile_cont(dur, [0.5, 0.9]) AS q "
            "FROM ref GROUP BY ALL ORDER BY ALL"
        ).df()
    finally:
        con.close()
    from_frame = service_kpis(table, as_of=as_of)
    pd.testing.assert_frame_equal(from_parquet, from_frame)
    mine = from_frame[from_frame["kpi"].isin(["q50", "q90"])].pivot_table(
        index=["unit_id", "bulan"], columns="kpi", values="estimate", observed=True
    )
    direct["bulan"] = pd.PeriodIndex(direct["bulan"], freq="M")
    direct = direct.set_index(["unit_id", "bulan"])
    np.testing.assert_allclose(mine["q50"], [q[0] for q in direct.loc[mine.index, "q"]])
    np.testing.assert_allclose(mine["q90"], [q[1] for q in direct.loc[mine.index, "q"]])
