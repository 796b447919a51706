"""Complaints: rates with exact Poisson intervals, u-charts, mix over time, Kaplan-Meier against lifelines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times
from scipy import stats

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.feedback.complaints import complaint_mix, complaint_rates, u_chart
from kinerja_analysis.feedback.resolution import complaint_resolution, complaint_survival, resolution_times

D = pd.to_datetime


def table(unit_ids, dates, **extra) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"unit_id": pd.array(unit_ids, dtype="str"), "tanggal_masuk": D(dates).astype("datetime64[s]")}
    )
    for name, values in extra.items():
        frame[name] = values
    return frame


@pytest.fixture
def small():
    adu = table(["A", "A", "A", "B"], ["2023-02-01", "2024-03-01", "2024-07-01", "2024-05-05"])
    files = table(
        ["A"] * 500 + ["B"] * 300 + ["C"] * 10, ["2023-01-10"] * 200 + ["2024-01-10"] * 600 + ["2024-02-02"] * 10
    )
    return adu, files


def test_rates_by_hand_and_exact_poisson_bounds(small):
    adu, files = small
    r = complaint_rates(adu, files, by=("unit_id", "tahun")).set_index(["unit_id", "tahun"])
    # A 2024: 2 complaints over 300 files = 6.667 per 1000; B 2024: 1 over 300; C 2024: 0 over 10; A 2023: 1 over 200
    assert r.loc[("A", 2024), "estimate"] == pytest.approx(2 / 300 * 1000)
    assert r.loc[("A", 2023), "estimate"] == pytest.approx(5.0)
    assert r.loc[("C", 2024), "complaints"] == 0 and r.loc[("C", 2024), "estimate"] == 0
    # the exact bounds are the means at which the observed count sits in a 2.5% tail
    low, high = r.loc[("A", 2024), ["ci_low", "ci_high"]] * 300 / 1000
    assert stats.poisson.sf(2 - 1, low) == pytest.approx(0.025)
    assert stats.poisson.cdf(2, high) == pytest.approx(0.025)
    # zero complaints: upper bound -ln(0.025) = 3.689 complaints, over 10 files
    assert r.loc[("C", 2024), "ci_high"] == pytest.approx(-np.log(0.025) / 10 * 1000)
    assert r.loc[("C", 2024), "ci_low"] == 0


def test_complaints_without_files_have_no_rate(small):
    adu, files = small
    r = complaint_rates(adu, files.loc[files["unit_id"] != "B"], by="unit_id").set_index("unit_id")
    assert r.loc["B", "files"] == 0 and np.isnan(r.loc["B", "estimate"])
    assert r.loc["B", "note"] == "no service files in the group: no rate"


def test_u_chart_by_hand():
    # one unit, three years of 1000 files: 2, 2, 14 complaints -> u-bar = 18 / 3000 = 0.006
    # limits 0.006 +- 3 sqrt(0.006 / 1000) = 0.006 +- 0.0073485 -> (0, 13.35) per 1000; 14 is above
    adu = table(["A"] * 18, ["2022-03-01"] * 2 + ["2023-03-01"] * 2 + ["2024-03-01"] * 14)
    files = table(["A"] * 3000, ["2022-01-03"] * 1000 + ["2023-01-03"] * 1000 + ["2024-01-03"] * 1000)
    r = u_chart(adu, files)
    assert r["center"].tolist() == pytest.approx([6.0] * 3)
    assert r["ucl"].iloc[0] == pytest.approx((0.006 + 3 * np.sqrt(0.006 / 1000)) * 1000)
    assert r["lcl"].tolist() == [0.0] * 3
    assert r["signal"].tolist() == ["", "", "above"]


def test_u_chart_across_units_within_a_year(small):
    adu, files = small
    r = u_chart(adu, files, by="tahun", subgroup="unit_id")
    y = r.loc[r["tahun"] == 2024].set_index("unit_id")
    # 2024: A 2 / 300, B 1 / 300, C 0 / 10 -> centre 3 / 610
    assert y["center"].tolist() == pytest.approx([3 / 610 * 1000] * 3)
    assert y.loc["C", "ucl"] == pytest.approx((3 / 610 + 3 * np.sqrt(3 / 610 / 10)) * 1000)


def test_complaint_mix_counts_shares_and_wilson():
    adu = table(
        ["A"] * 5, ["2023-01-05", "2023-02-05", "2023-03-05", "2024-01-05", "2024-01-06"],
        kategori=["Waktu pelayanan", "Waktu pelayanan", "Sikap petugas", "Sikap petugas", None],
    )  # fmt: skip
    r = complaint_mix(adu).set_index(["tahun", "kategori"])
    assert r.loc[(2023, "Waktu pelayanan"), "n"] == 2 and r.loc[(2023, "Waktu pelayanan"), "total"] == 3
    assert r.loc[(2024, "Waktu pelayanan"), "n"] == 0  # listed with 0 in a period where it did not occur
    assert r.loc[(2024, "(kosong)"), "n"] == 1
    # Wilson interval for 2 of 3, by its formula
    p, n, z = 2 / 3, 3, stats.norm.ppf(0.975)
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    assert r.loc[(2023, "Waktu pelayanan"), "ci_low"] == pytest.approx(centre - half)
    assert r.loc[(2023, "Waktu pelayanan"), "ci_high"] == pytest.approx(centre + half)


def test_resolution_times_rules():
    adu = table(
        ["A"] * 5, ["2023-08-16", "2023-08-16", "2023-08-16", "2023-08-30", "2023-09-10"],
        tanggal_selesai=D(["2023-08-21", None, "2023-09-05", None, None]),
        status=["selesai", "proses", "selesai", "proses", "proses"],
    )  # fmt: skip
    holidays = [pd.Timestamp("2023-08-17").date()]
    r = resolution_times(adu, as_of="2023-08-31", holidays=holidays)
    # received after as_of: left out; resolved after as_of: open (censored) on as_of
    assert r.index.tolist() == [0, 1, 2, 3]
    # 16 Aug -> 21 Aug: 16, 18 (17 is a holiday) = 2; open on 31 Aug: 16, 18, 21-25, 28-30 = 10 working days
    assert r["days"].tolist() == [2, 10, 10, 1]
    assert r["resolved"].tolist() == [True, False, False, False]
    bad = adu.assign(tanggal_selesai=D([None] * 5), status=["selesai"] + ["proses"] * 4)
    with pytest.raises(KinerjaDataError, match="without tanggal_selesai"):
        resolution_times(bad, as_of="2023-08-31")
    with pytest.raises(InvalidOptionError):
        resolution_times(adu, as_of=None)


def random_complaints(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    received = np.datetime64("2024-01-02") + rng.integers(0, 300, n).astype("timedelta64[D]")
    took = rng.negative_binomial(3, 0.25, n).astype("timedelta64[D]")
    done = (received + took).astype("datetime64[s]")
    still_open = rng.random(n) < 0.15
    return pd.DataFrame({
        "unit_id": rng.choice(["A", "B"], n),
        "tanggal_masuk": received.astype("datetime64[s]"),
        "tanggal_selesai": np.where(still_open, np.datetime64("NaT"), done),
        "status": np.where(still_open, "proses", "selesai"),
    })  # fmt: skip


def test_kaplan_meier_matches_lifelines():
    adu = random_complaints(7, 300)
    as_of = "2024-11-15"
    times = resolution_times(adu, as_of=as_of)
    curve = complaint_survival(adu, as_of=as_of, by="unit_id")
    summary = complaint_resolution(adu, as_of=as_of, by="unit_id", limit_days=14).set_index("unit_id")
    for unit in ("A", "B"):
        part = times.loc[times["unit_id"] == unit]
        kmf = KaplanMeierFitter(alpha=0.05).fit(part["days"], part["resolved"])
        ours = curve.loc[curve["unit_id"] == unit].set_index("days")
        ref = kmf.survival_function_.iloc[:, 0].reindex(ours.index)
        bands = kmf.confidence_interval_.reindex(ours.index)
        assert ours["estimate"].to_numpy() == pytest.approx(ref.to_numpy(), abs=1e-12)
        assert ours["ci_low"].to_numpy() == pytest.approx(bands.iloc[:, 0].to_numpy(), abs=1e-9)
        assert ours["ci_high"].to_numpy() == pytest.approx(bands.iloc[:, 1].to_numpy(), abs=1e-9)
        assert ours["n_at_risk"].to_numpy() == pytest.approx(kmf.event_table["at_risk"].reindex(ours.index).to_numpy())
        row = summary.loc[unit]
        assert row["median_days"] == kmf.median_survival_time_
        med_ci = median_survival_times(kmf.confidence_interval_)
        assert (row["median_ci_low"], row["median_ci_high"]) == tuple(med_ci.iloc[0])
        assert row["share_within_limit"] == pytest.approx(1 - kmf.predict(14), abs=1e-12)
        assert row["n"] == len(part) and row["open"] == int((~part["resolved"]).sum())


def test_share_within_limit_by_hand():
    # four complaints received Monday 4 March 2024: answered after 1, 4 and 19 working days; one still open
    adu = table(["A"] * 4, ["2024-03-04"] * 4, tanggal_selesai=D(["2024-03-05", "2024-03-08", "2024-03-29", None]))
    r = complaint_resolution(adu, as_of="2024-04-30", holidays=[]).iloc[0]
    # S(14) = (3/4) (2/3) = 1/2, so half are resolved within 14 working days; the median is 4 days
    assert r["share_within_limit"] == pytest.approx(0.5)
    assert r["median_days"] == 4
    assert r["open"] == 1 and r["open_over_limit"] == 1  # open 41 working days on 30 April
    assert complaint_resolution(adu, as_of="2024-04-30", holidays=[], limit_days=0).iloc[0]["share_within_limit"] == 0


def test_bad_input(small):
    adu, files = small
    with pytest.raises(MissingColumnError):
        complaint_rates(adu.drop(columns="tanggal_masuk"), files)
    with pytest.raises(InvalidOptionError):
        complaint_mix(adu.assign(kategori="x"), dimension="status")
    with pytest.raises(InvalidOptionError):
        complaint_resolution(adu.assign(tanggal_selesai=pd.NaT), as_of="2024-12-31", limit_days=-1)
    before = adu.copy()
    complaint_rates(adu, files)
    pd.testing.assert_frame_equal(adu, before)


def test_service_users_count_files_per_unit_and_year_by_hand():
    from kinerja_analysis.feedback import service_users

    files = pd.DataFrame(
        {
            "unit_id": ["A", "A", "A", "B"],
            "tanggal_masuk": pd.to_datetime(["2023-12-31", "2024-01-01", "2024-06-30", "2024-02-02"]),
        }
    )
    out = service_users(files)
    assert out[["unit_id", "tahun", "populasi"]].values.tolist() == [["A", 2023, 1], ["A", 2024, 2], ["B", 2024, 1]]
