"""Conditional logit within selection: against a direct maximum-likelihood fit, and bad choice sets."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.special import logsumexp

from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError, MissingColumnError
from kinerja_analysis.merit.choice_sets import check_choice_sets
from kinerja_analysis.merit.model import clogit_newton, fit_choices, gender_gap, prepare_choices, selection_model

# Eight selections of 2-4 candidates; the better-scored candidate usually, but not always, wins.
TINY = pd.DataFrame(
    {
        "seleksi_id": ["A"] * 3 + ["B"] * 2 + ["C"] * 4 + ["D"] * 3 + ["E"] * 2 + ["F"] * 3 + ["G"] * 2 + ["H"] * 4,
        "nip": [f"n{i:02d}" for i in range(23)],
        "terpilih": [1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0],
        "skor": [80, 70, 75, 60, 72, 65, 90, 70, 80, 55, 66, 70, 71, 69, 77, 70, 82, 75, 76, 60, 85, 64, 62],
        "tahun_kerja": [10, 12, 5, 20, 8, 15, 4, 9, 11, 30, 6, 7, 3, 14, 9, 10, 18, 7, 6, 25, 12, 8, 10],
    }
)


def _direct_negloglik(beta: np.ndarray, data: pd.DataFrame, terms: list[str]) -> float:
    """Minus Chamberlain's conditional log-likelihood, summing over every k-subset of each selection."""
    total = 0.0
    for _, g in data.groupby("seleksi_id"):
        x, y = g[terms].to_numpy(float), g["terpilih"].to_numpy(bool)
        k = int(y.sum())
        subsets = [x[list(c)].sum(axis=0) @ beta for c in itertools.combinations(range(len(g)), k)]
        total += x[y].sum(axis=0) @ beta - logsumexp(subsets)
    return -total


def _direct_fit(data: pd.DataFrame, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    res = optimize.minimize(_direct_negloglik, np.zeros(len(terms)), args=(data, terms), method="BFGS",
                            options={"gtol": 1e-10})  # fmt: skip
    # Standard errors from a central-difference Hessian of the direct likelihood.
    h, k = 1e-4, len(terms)
    hess = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.eye(k)[i] * h, np.eye(k)[j] * h
            f = _direct_negloglik
            x = res.x
            corners = f(x + ei + ej, data, terms) - f(x + ei - ej, data, terms)
            corners += f(x - ei - ej, data, terms) - f(x - ei + ej, data, terms)
            hess[i, j] = corners / (4 * h * h)
    return res.x, np.sqrt(np.diag(np.linalg.inv(hess)))


def test_matches_direct_maximum_likelihood_one_winner() -> None:
    terms = ["skor", "tahun_kerja"]
    est, se = _direct_fit(TINY, terms)
    table = selection_model(TINY, terms=terms)
    np.testing.assert_allclose(table["estimate"], est, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(table["std_error"], se, rtol=1e-3)
    np.testing.assert_allclose(table["odds_ratio"], np.exp(est), rtol=1e-5)
    z = 1.959963984540054
    np.testing.assert_allclose(table["ci_low"], est - z * se, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(table["or_ci_high"], np.exp(est + z * se), rtol=1e-3)
    assert table["n_selections"].eq(8).all() and table["n_candidates"].eq(23).all()


def test_matches_direct_maximum_likelihood_with_two_winners() -> None:
    data = TINY.copy()
    data.loc[data["nip"] == "n08", "terpilih"] = 1  # selection C now fills two posts
    terms = ["skor", "tahun_kerja"]
    est, se = _direct_fit(data, terms)
    table = selection_model(data, terms=terms, winners="any")
    np.testing.assert_allclose(table["estimate"], est, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(table["std_error"], se, rtol=1e-3)
    with pytest.raises(KinerjaDataError, match=r"more than one chosen candidate: \['C'\]"):
        selection_model(data, terms=terms)


def test_log_likelihoods_and_fast_newton_agree_with_statsmodels() -> None:
    choices = prepare_choices(TINY, terms=["skor", "tahun_kerja"])
    fit = fit_choices(choices)
    beta, ll = clogit_newton(choices.y, choices.x, choices.starts)
    np.testing.assert_allclose(beta, list(fit.params.values()), rtol=1e-6)
    assert ll == pytest.approx(fit.llf, rel=1e-9)
    assert fit.llf == pytest.approx(-_direct_negloglik(beta, TINY, ["skor", "tahun_kerja"]), rel=1e-9)
    sizes = TINY.groupby("seleksi_id").size().to_numpy()
    assert choices.ll_null == pytest.approx(-np.log(sizes).sum())


def test_selections_without_information_are_dropped_and_counted() -> None:
    extra = pd.DataFrame({"seleksi_id": ["Z"], "nip": ["z1"], "terpilih": [1], "skor": [50], "tahun_kerja": [3]})
    table = selection_model(pd.concat([TINY, extra], ignore_index=True), terms=["skor"])
    assert table["n_selections"].iloc[0] == 8
    assert "1 selection(s) without both chosen and passed-over candidates dropped" in table["method"].iloc[0]


def test_term_without_variation_is_reported_not_estimable() -> None:
    data = TINY.assign(sama=TINY.groupby("seleksi_id")["skor"].transform("mean"))  # constant within each selection
    table = selection_model(data, terms=["skor", "sama"]).set_index("term")
    assert np.isnan(table.loc["sama", "estimate"])
    assert table.loc["sama", "method"] == "not estimable: no variation within any selection"
    assert np.isfinite(table.loc["skor", "estimate"])


def test_input_is_not_modified() -> None:
    before = TINY.copy(deep=True)
    selection_model(TINY, terms=["skor"])
    pd.testing.assert_frame_equal(TINY, before)


def _set(column: str, nip: str, value: object):
    return lambda d: d.assign(**{column: d[column].where(d["nip"] != nip, value)})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.assign(terpilih=d["terpilih"].where(d["seleksi_id"] != "A", 0)), r"no chosen candidate: \['A'\]"),
        (_set("terpilih", "n01", 1), r"more than one chosen candidate: \['A'\]"),
        (lambda d: pd.concat([d, d.iloc[[3]]]), r"appears twice in one selection .*\['B'\]"),
        (_set("skor_kompetensi", "n05", 101.0), r"skor_kompetensi must lie in 0-100"),
        (_set("skor_kompetensi", "n05", -0.5), r"skor_kompetensi must lie in 0-100"),
        (_set("skor_kompetensi", "n05", np.nan), r"missing or not a finite number"),
        (lambda d: d.assign(terpilih=d["terpilih"].astype("Int64").where(d["nip"] != "n02")), r"terpilih is missing"),
    ],
)  # fmt: skip
def test_bad_choice_sets_are_errors(change, message) -> None:
    data = change(TINY.assign(skor_kompetensi=TINY["skor"].astype(float)))
    with pytest.raises(KinerjaDataError, match=message):
        selection_model(data, terms=["skor_kompetensi"])


def test_missing_term_column_names_its_table() -> None:
    with pytest.raises(MissingColumnError, match=r"jp_setahun \(needs the pelatihan table\)"):
        selection_model(TINY, terms=["skor", "jp_setahun"])


def test_separation_is_an_error_not_a_huge_estimate() -> None:
    data = TINY.assign(langka=0.0)
    data.loc[data["nip"].isin(["n01", "n03"]), "langka"] = 1.0  # both holders passed over
    with pytest.raises(KinerjaDataError, match="did not converge"):
        selection_model(data, terms=["skor", "langka"])


def test_collinear_terms_are_an_error() -> None:
    data = TINY.assign(dua_kali=TINY["skor"] * 2.0)
    with pytest.raises(KinerjaDataError, match="collinear"):
        selection_model(data, terms=["skor", "dua_kali"])


def test_options_are_checked() -> None:
    with pytest.raises(InvalidOptionError, match="winners"):
        check_choice_sets(TINY, winners="some")
    with pytest.raises(InvalidOptionError, match="alpha"):
        selection_model(TINY, terms=["skor"], alpha=1.5)
    with pytest.raises(InvalidOptionError, match="each once"):
        selection_model(TINY, terms=["skor", "skor"])
    data = TINY.assign(perempuan=0.0, instansi="X")
    with pytest.raises(InvalidOptionError, match="not in the design"):
        gender_gap(data, instansi="Y", terms=["skor"])
