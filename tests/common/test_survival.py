"""Kaplan-Meier and Aalen-Johansen from count tables against lifelines and statsmodels.

Data: lifelines' bundled Waltons (163 flies, two groups, tied times) and Rossi (432 released prisoners,
52 weeks, 114 arrests: the survival curve never reaches 0.5, so the median is never reached). Nothing
is downloaded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from lifelines.datasets import load_rossi, load_waltons
from lifelines.utils import median_survival_times
from statsmodels.duration.survfunc import CumIncidenceRight

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.common.survival import aalen_johansen, kaplan_meier, km_median


def _table(frame: pd.DataFrame, time: str, event: str, group: str | None = None) -> pd.DataFrame:
    keys = [group, time] if group else [time]
    out = frame.groupby(keys, sort=True)[event].agg(d="sum", total="size").reset_index()
    out["c"] = out["total"] - out["d"]
    out["g"] = out[group].astype("category").cat.codes if group else 0
    return out


@pytest.mark.parametrize(("loader", "time", "event"), [(load_waltons, "T", "E"), (load_rossi, "week", "arrest")])
def test_kaplan_meier_matches_lifelines(loader, time: str, event: str) -> None:
    data = loader()
    fitted = KaplanMeierFitter().fit(data[time], data[event])
    tab = _table(data, time, event)
    out = kaplan_meier(tab["g"], tab[time], tab["d"], tab["c"])
    t = tab[time].to_numpy()
    np.testing.assert_allclose(out["survival"], fitted.survival_function_.loc[t].iloc[:, 0], rtol=0, atol=1e-12)
    band = fitted.confidence_interval_.loc[t].to_numpy()
    np.testing.assert_allclose(out["ci_low"], band[:, 0], atol=1e-12)
    np.testing.assert_allclose(out["ci_high"], band[:, 1], atol=1e-12)
    at_risk = fitted.event_table.loc[t, "at_risk"].to_numpy()
    np.testing.assert_array_equal(out["n_at_risk"], at_risk)


def test_groups_are_estimated_separately() -> None:
    data = load_waltons()
    tab = _table(data, "T", "E", group="group")
    out = kaplan_meier(tab["g"], tab["T"], tab["d"], tab["c"])
    medians = km_median(tab["g"], tab["T"], out["survival"], out["ci_low"], out["ci_high"], n_groups=2)
    for code, name in enumerate(tab["group"].astype("category").cat.categories):
        rows = data["group"] == name
        fitted = KaplanMeierFitter().fit(data.loc[rows, "T"], data.loc[rows, "E"])
        mine = tab["g"].to_numpy() == code
        t = tab.loc[mine, "T"].to_numpy()
        np.testing.assert_allclose(out["survival"][mine], fitted.survival_function_.loc[t].iloc[:, 0], atol=1e-12)
        band = median_survival_times(fitted.confidence_interval_).iloc[0].to_numpy()
        assert medians["estimate"][code] == fitted.median_survival_time_
        np.testing.assert_array_equal([medians["ci_low"][code], medians["ci_high"][code]], band)


def test_median_never_reached_is_not_a_number() -> None:
    data = load_rossi()
    fitted = KaplanMeierFitter().fit(data["week"], data["arrest"])
    assert np.isinf(fitted.median_survival_time_)  # lifelines agrees: S(52) is about 0.74
    tab = _table(data, "week", "arrest")
    out = kaplan_meier(tab["g"], tab["week"], tab["d"], tab["c"])
    median = km_median(tab["g"], tab["week"], out["survival"], out["ci_low"], out["ci_high"], n_groups=1)
    assert not median["reached"][0]
    assert np.isnan(median["estimate"][0]) and np.isnan(median["ci_low"][0]) and np.isnan(median["ci_high"][0])


def _competing(seed: int, n: int, *, ties: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = rng.integers(1, 12, n).astype(float) if ties else np.round(rng.exponential(10, n), 6)
    return t, rng.integers(0, 3, n)  # cause 0 = censored, 1 and 2 competing


def _cause_table(t: np.ndarray, cause: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame({"t": t, "d1": cause == 1, "d2": cause == 2, "c": cause == 0})
    return frame.groupby("t", sort=True)[["d1", "d2", "c"]].sum().reset_index()


def test_aalen_johansen_matches_lifelines_without_ties() -> None:
    t, cause = _competing(5, 80, ties=False)
    assert np.unique(t).size == t.size  # lifelines would jitter tied times
    tab = _cause_table(t, cause)
    out = aalen_johansen(np.zeros(len(tab), dtype=int), tab["t"], tab[["d1", "d2"]].to_numpy(float), tab["c"])
    times = tab["t"].to_numpy()
    for k, cause_code in enumerate((1, 2)):
        fitted = AalenJohansenFitter(calculate_variance=True).fit(t, cause, event_of_interest=cause_code)
        np.testing.assert_allclose(out["incidence"][:, k], fitted.cumulative_density_.loc[times].iloc[:, 0], atol=1e-12)
        np.testing.assert_allclose(out["variance"][:, k], fitted.variance_.loc[times], atol=1e-12)
        band = fitted.confidence_interval_.loc[times].to_numpy()  # lifelines' two columns, in either order
        low, high = np.fmin(band[:, 0], band[:, 1]), np.fmax(band[:, 0], band[:, 1])
        zero = out["incidence"][:, k] == 0  # lifelines gives NaN where the incidence is still 0
        np.testing.assert_allclose(out["ci_low"][~zero, k], low[~zero], atol=1e-12)
        np.testing.assert_allclose(out["ci_high"][~zero, k], high[~zero], atol=1e-12)


def test_aalen_johansen_with_ties_matches_statsmodels() -> None:
    t, cause = _competing(0, 60, ties=True)
    tab = _cause_table(t, cause)
    out = aalen_johansen(np.zeros(len(tab), dtype=int), tab["t"], tab[["d1", "d2"]].to_numpy(float), tab["c"])
    reference = CumIncidenceRight(t, cause)
    rows = np.searchsorted(tab["t"].to_numpy(), reference.times)
    for k in range(2):
        np.testing.assert_allclose(out["incidence"][rows, k], reference.cinc[k], atol=1e-12)
        np.testing.assert_allclose(np.sqrt(out["variance"][rows, k]), reference.cinc_se[k], atol=1e-12)
    # Every case is in exactly one state: still open (S), or closed by cause 1 or 2.
    km = kaplan_meier(np.zeros(len(tab), dtype=int), tab["t"], tab[["d1", "d2"]].sum(axis=1), tab["c"])
    np.testing.assert_allclose(km["survival"] + out["incidence"].sum(axis=1), 1.0, atol=1e-12)


def test_two_groups_equal_two_separate_fits() -> None:
    t1, c1 = _competing(1, 40, ties=True)
    t2, c2 = _competing(2, 55, ties=True)
    a, b = _cause_table(t1, c1), _cause_table(t2, c2)
    both = pd.concat([a.assign(g=0), b.assign(g=1)], ignore_index=True)
    out = aalen_johansen(both["g"], both["t"], both[["d1", "d2"]].to_numpy(float), both["c"])
    alone = aalen_johansen(np.zeros(len(b), dtype=int), b["t"], b[["d1", "d2"]].to_numpy(float), b["c"])
    np.testing.assert_allclose(out["incidence"][len(a) :], alone["incidence"], atol=1e-14)
    np.testing.assert_allclose(out["variance"][len(a) :], alone["variance"], atol=1e-14)


def test_unsorted_or_negative_input_is_refused() -> None:
    with pytest.raises(KinerjaDataError, match="sorted"):
        kaplan_meier(np.array([0, 0]), np.array([2.0, 1.0]), np.array([1.0, 1.0]), np.array([0.0, 0.0]))
    with pytest.raises(KinerjaDataError, match="0 or more"):
        kaplan_meier(np.array([0]), np.array([1.0]), np.array([-1.0]), np.array([0.0]))


def test_median_where_the_curve_lands_exactly_on_one_half():
    # Six cases closed at days 1..6: S(3) = 3/6 = 0.5 exactly, so the median (first t with S <= 0.5) is 3.
    # exp(sum(log)) gives 0.5000000000000001 there; without a tolerance the median would slip to 4.
    t = np.arange(1, 7.0)
    g = np.zeros(6, dtype=int)
    km = kaplan_meier(g, t, np.ones(6), np.zeros(6))
    out = km_median(g, t, km["survival"], km["ci_low"], km["ci_high"], n_groups=1)
    assert out["estimate"].tolist() == [3.0] and out["reached"].tolist() == [True]
