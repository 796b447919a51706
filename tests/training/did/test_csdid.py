"""Every option combination on mpdta against a second implementation: csdid, the Python port of R's did.

csdid 0.4 follows R ``did`` 2.5 line by line (statsmodels GLM for the propensity score, per-cell loops);
ours is vectorised with its own logit. Both must give the same ATT(g,t), aggregations and analytic standard
errors (``bstrap=False``) to 1e-6, for both comparison groups, all three estimators, with and without the
covariate ``lpop``, and for both base periods; clustered analytic standard errors too (R 2.5 semantics).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from csdid import att_gt as csdid_att_gt  # dev extra; a missing csdid must fail, not skip

from kinerja_analysis.training.did.staggered import staggered_did

MPDTA = Path(__file__).resolve().parents[2] / "fixtures" / "mpdta.csv"
TOL = 1e-6
CONTROL = {"never_treated": "nevertreated", "not_yet_treated": "notyettreated"}


def _csdid(data: pd.DataFrame, *, covariate: bool, control: str, method: str, base: str, cluster: str | None = None):
    """csdid's ATT(g,t) and aggregations (att, se), silenced: it prints tables and warns about its inputs."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        model = csdid_att_gt.ATTgt(
            yname="lemp", tname="year", idname="countyreal", gname="first.treat", data=data,
            control_group=CONTROL[control], xformla="lemp~lpop" if covariate else None, clustervar=cluster,
        )  # fmt: skip
        model.fit(est_method=method, base_period=base, bstrap=False)
        out = {"gt": (np.asarray(model.results["att"], float), np.asarray(model.results["se"], float))}
        for kind in ("simple", "group", "dynamic", "calendar"):
            model.aggte(typec=kind, bstrap=False)
            agg = model.atte
            rows = None
            if kind != "simple":
                rows = (np.asarray(agg["egt"], float), np.asarray(agg["att_egt"], float),
                        np.asarray(agg["se_egt"], float).ravel())  # fmt: skip
            out[kind] = (agg["overall_att"], agg["overall_se"], rows)
    return out


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return pd.read_csv(MPDTA)


@pytest.mark.parametrize("base", ["varying", "universal"])
@pytest.mark.parametrize("method", ["dr", "reg", "ipw"])
@pytest.mark.parametrize("control", ["never_treated", "not_yet_treated"])
@pytest.mark.parametrize("covariate", [False, True])
def test_matches_csdid(mpdta: pd.DataFrame, covariate: bool, control: str, method: str, base: str) -> None:
    ref = _csdid(mpdta, covariate=covariate, control=control, method=method, base=base)
    fit = staggered_did(
        mpdta, outcome="lemp", unit="countyreal", time="year", cohort="first.treat",
        covariates=["lpop"] if covariate else None, control=control, method=method, base_period=base,
    )  # fmt: skip
    cells = fit.table()
    np.testing.assert_allclose(cells["estimate"], ref["gt"][0], rtol=0, atol=TOL)
    # the universal base cell has no standard error in both (NaN)
    np.testing.assert_allclose(cells["std_error"], ref["gt"][1], rtol=0, atol=TOL, equal_nan=True)
    for kind in ("simple", "group", "dynamic", "calendar"):
        table = fit.table(kind)
        overall = table.loc[table["overall"]].iloc[0]
        att, se, rows = ref[kind]
        assert overall["estimate"] == pytest.approx(att, abs=TOL), kind
        assert overall["std_error"] == pytest.approx(se, abs=TOL), kind
        if rows is not None:
            body = table.loc[~table["overall"]]
            label = {"group": "group", "dynamic": "event_time", "calendar": "time"}[kind]
            np.testing.assert_array_equal(body[label].to_numpy(dtype=float), rows[0])
            np.testing.assert_allclose(body["estimate"], rows[1], rtol=0, atol=TOL)
            np.testing.assert_allclose(body["std_error"], rows[2], rtol=0, atol=TOL)


def test_clustered_analytic_se_matches_csdid(mpdta: pd.DataFrame) -> None:
    data = mpdta.assign(state=mpdta["countyreal"] // 1000)  # county FIPS codes start with the state's
    ref = _csdid(data, covariate=False, control="never_treated", method="dr", base="varying", cluster="state")
    fit = staggered_did(data, outcome="lemp", unit="countyreal", time="year", cohort="first.treat", cluster="state")
    np.testing.assert_allclose(fit.table()["std_error"], ref["gt"][1], rtol=0, atol=TOL)
    assert fit.table("simple")["std_error"].iloc[0] == pytest.approx(ref["simple"][1], abs=TOL)
    unclustered = staggered_did(data, outcome="lemp", unit="countyreal", time="year", cohort="first.treat")
    assert not np.allclose(fit.table()["std_error"], unclustered.table()["std_error"])
