"""ATT(g,t) and every aggregation on mpdta against R's ``did`` package (analytic standard errors).

R's numbers below were computed by R ``did`` (``att_gt(..., bstrap = FALSE, cband = FALSE)`` then
``aggte(type, bstrap = FALSE)``, defaults otherwise: ``base_period = "varying"``) and published with the
csdid project's parity tests (``csdid/test_csdid/r_ref/generate_reference.R``, files ``ref_attgt.csv``,
``ref_aggte.csv``, ``ref_pretest.csv``). R's ``est_method = "ipw"`` without covariates printed the same
numbers as ``"dr"`` there (both reduce to a difference of means), so the ipw scenario reuses them.
Where no full-precision R output exists (doubly robust with ``lpop``) the test uses the numbers R prints in
the did documentation (4 decimals); :mod:`tests.test_did_csdid` adds the csdid port at 1e-6 for every
combination.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis.training.did.staggered import staggered_did

MPDTA = Path(__file__).resolve().parents[2] / "fixtures" / "mpdta.csv"


def load_mpdta() -> pd.DataFrame:
    """The did package's mpdta (500 counties, 2003-2007), copied into tests/fixtures."""
    if not MPDTA.is_file():
        raise FileNotFoundError(f"{MPDTA} is missing: the R reference data lives in ../shared/reference/.")
    return pd.read_csv(MPDTA)


R_ATT_GT = """\
scenario,group,t,att,se
mpdta_nev_dr,2004,2004,-0.0105032462209624,0.0232510363681664
mpdta_nev_dr,2004,2005,-0.0704231581031467,0.0309847667572767
mpdta_nev_dr,2004,2006,-0.137258738889403,0.0364356642876865
mpdta_nev_dr,2004,2007,-0.100811363085404,0.0343592258346732
mpdta_nev_dr,2006,2004,0.00652011242423301,0.0233268051418047
mpdta_nev_dr,2006,2005,-0.00275081875051882,0.0195585610358817
mpdta_nev_dr,2006,2006,-0.00459460695286304,0.0177551966592763
mpdta_nev_dr,2006,2007,-0.0412244715462175,0.0202291807041068
mpdta_nev_dr,2007,2004,0.0305066555832928,0.01503356028013
mpdta_nev_dr,2007,2005,-0.00272589288611625,0.0163958328955344
mpdta_nev_dr,2007,2006,-0.0310871193896889,0.0178775113133435
mpdta_nev_dr,2007,2007,-0.0260544107191966,0.0166554353492522
mpdta_nyt_dr,2004,2004,-0.0193723636759221,0.0223101128836806
mpdta_nyt_dr,2004,2005,-0.0783190990620607,0.0303902285433973
mpdta_nyt_dr,2004,2006,-0.136274346328678,0.03540338496891
mpdta_nyt_dr,2004,2007,-0.100811363085404,0.0343592258346732
mpdta_nyt_dr,2006,2004,-0.00256255094261098,0.0225302351453388
mpdta_nyt_dr,2006,2005,-0.00193924609578875,0.019042158605819
mpdta_nyt_dr,2006,2006,0.00466087631997615,0.0163355842468236
mpdta_nyt_dr,2006,2007,-0.0412244715462175,0.0202291807041068
mpdta_nyt_dr,2007,2004,0.0297593647610311,0.0145335416386514
mpdta_nyt_dr,2007,2005,-0.0024106128000969,0.0160312963755178
mpdta_nyt_dr,2007,2006,-0.0310871193896889,0.0178775113133435
mpdta_nyt_dr,2007,2007,-0.0260544107191966,0.0166554353492522
mpdta_nev_reg_cov,2004,2004,-0.014911237790361,0.0220556930763195
mpdta_nev_reg_cov,2004,2005,-0.0769963229660512,0.0283597455101496
mpdta_nev_reg_cov,2004,2006,-0.141080104628588,0.0348362869536185
mpdta_nev_reg_cov,2004,2007,-0.107544274673046,0.0327376926434119
mpdta_nev_reg_cov,2006,2004,-0.0020660581184395,0.022122286483578
mpdta_nev_reg_cov,2006,2005,-0.00696828306727072,0.0183457856293695
mpdta_nev_reg_cov,2006,2006,0.000765525026395888,0.0191959070328785
mpdta_nev_reg_cov,2006,2007,-0.0415356365293253,0.0197168736453729
mpdta_nev_reg_cov,2007,2004,0.0263658317469803,0.0140189493226751
mpdta_nev_reg_cov,2007,2005,-0.00475983533866949,0.0156699660373289
mpdta_nev_reg_cov,2007,2006,-0.028502106413859,0.0181320658924703
mpdta_nev_reg_cov,2007,2007,-0.0287894881938243,0.0161678672536918
"""

R_AGGTE = """\
scenario,type,egt,att_egt,se_egt,overall_att,overall_se
mpdta_nev_dr,simple,NA,NA,NA,-0.0399512751551763,0.0120340127701854
mpdta_nev_dr,group,2004,-0.0797491265747291,0.0263677994350273,-0.0310182822287484,0.0124460593209979
mpdta_nev_dr,group,2006,-0.0229095392495403,0.0167033302551619,-0.0310182822287484,0.0124460593209979
mpdta_nev_dr,group,2007,-0.0260544107191966,0.0166554353492522,-0.0310182822287484,0.0124460593209979
mpdta_nev_dr,dynamic,-3,0.0305066555832928,0.01503356028013,-0.0772398214573151,0.0199649890618494
mpdta_nev_dr,dynamic,-2,-0.000563084626385429,0.01329164473655,-0.0772398214573151,0.0199649890618494
mpdta_nev_dr,dynamic,-1,-0.0244587449711696,0.0142364022105193,-0.0772398214573151,0.0199649890618494
mpdta_nev_dr,dynamic,0,-0.0199318167892593,0.0118263640580582,-0.0772398214573151,0.0199649890618494
mpdta_nev_dr,dynamic,1,-0.0509573670651939,0.016893476268678,-0.0772398214573151,0.0199649890618494
mpdta_nev_dr,dynamic,2,-0.137258738889403,0.0364356642876865,-0.0772398214573151,0.0199649890618494
mpdta_nev_dr,dynamic,3,-0.100811363085404,0.0343592258346733,-0.0772398214573151,0.0199649890618494
mpdta_nev_dr,calendar,2004,-0.0105032462209624,0.0232510363681664,-0.0417004321312822,0.01597185188456
mpdta_nev_dr,calendar,2005,-0.0704231581031467,0.0309847667572767,-0.0417004321312822,0.01597185188456
mpdta_nev_dr,calendar,2006,-0.0488159842650431,0.0201258612605003,-0.0417004321312822,0.01597185188456
mpdta_nev_dr,calendar,2007,-0.0370593399359766,0.0137470791411185,-0.0417004321312822,0.01597185188456
mpdta_nyt_dr,simple,NA,NA,NA,-0.0397636256230437,0.0120524247873419
mpdta_nyt_dr,group,2004,-0.0836942930380162,0.0257015997680069,-0.030462228112565,0.0125751201316818
mpdta_nyt_dr,group,2006,-0.0182817976131207,0.0159222358245001,-0.030462228112565,0.0125751201316818
mpdta_nyt_dr,group,2007,-0.0260544107191966,0.0166554353492522,-0.030462228112565,0.0125751201316818
mpdta_nyt_dr,dynamic,-3,0.0297593647610311,0.0145335416386514,-0.0773993139705847,0.0195601769463944
mpdta_nyt_dr,dynamic,-2,-0.00244615388606511,0.0131203504342708,-0.0773993139705847,0.0195601769463944
mpdta_nyt_dr,dynamic,-1,-0.0242689034145076,0.0144636816758019,-0.0773993139705847,0.0195601769463944
mpdta_nyt_dr,dynamic,0,-0.0189221990834249,0.0120445686892691,-0.0773993139705847,0.0195601769463944
mpdta_nyt_dr,dynamic,1,-0.0535893473848319,0.016946385539125,-0.0773993139705847,0.0195601769463944
mpdta_nyt_dr,dynamic,2,-0.136274346328678,0.03540338496891,-0.0773993139705847,0.0195601769463944
mpdta_nyt_dr,dynamic,3,-0.100811363085404,0.0343592258346733,-0.0773993139705847,0.0195601769463944
mpdta_nyt_dr,calendar,2004,-0.0193723636759221,0.0223101128836806,-0.0442670834758837,0.0155709044211449
mpdta_nyt_dr,calendar,2005,-0.0783190990620607,0.0303902285433972,-0.0442670834758837,0.0155709044211449
mpdta_nyt_dr,calendar,2006,-0.0423175312295752,0.0190562576431668,-0.0442670834758837,0.0155709044211449
mpdta_nyt_dr,calendar,2007,-0.0370593399359766,0.0137470791411185,-0.0442670834758837,0.0155709044211449
mpdta_nev_reg_cov,simple,NA,NA,NA,-0.0419686124215432,0.0114448297682151
mpdta_nev_reg_cov,group,2004,-0.0851329850145115,0.0242512163971128,-0.0329292402290042,0.0118603087662617
mpdta_nev_reg_cov,group,2006,-0.0203850557514647,0.0174025032538199,-0.0329292402290042,0.0118603087662617
mpdta_nev_reg_cov,group,2007,-0.0287894881938243,0.0161678672536918,-0.0329292402290042,0.0118603087662617
mpdta_nev_reg_cov,dynamic,-3,0.0263658317469803,0.0140189493226751,-0.0807817453337615,0.0187458547114755
mpdta_nev_reg_cov,dynamic,-2,-0.00412971201229991,0.0129174707430671,-0.0807817453337615,0.0187458547114755
mpdta_nev_reg_cov,dynamic,-1,-0.0234649547538384,0.0144416499564523,-0.0807817453337615,0.0187458547114755
mpdta_nev_reg_cov,dynamic,0,-0.0211467366918448,0.0114810443929097,-0.0807817453337615,0.0187458547114755
mpdta_nev_reg_cov,dynamic,1,-0.0533558653415673,0.0162930738253423,-0.0807817453337615,0.0187458547114755
mpdta_nev_reg_cov,dynamic,2,-0.141080104628588,0.0348362869536185,-0.0807817453337615,0.0187458547114755
mpdta_nev_reg_cov,dynamic,3,-0.107544274673046,0.032737692643412,-0.0807817453337615,0.0187458547114755
mpdta_nev_reg_cov,calendar,2004,-0.014911237790361,0.0220556930763196,-0.0445323313531745,0.0148850278130483
mpdta_nev_reg_cov,calendar,2005,-0.0769963229660512,0.0283597455101496,-0.0445323313531745,0.0148850278130483
mpdta_nev_reg_cov,calendar,2006,-0.0465163515252653,0.020998373312028,-0.0445323313531745,0.0148850278130483
mpdta_nev_reg_cov,calendar,2007,-0.0397054131310205,0.0128658596749845,-0.0445323313531745,0.0148850278130483
"""

# R's Wald pre-test statistic W and its p-value (R rounds the p-value to 5 decimals).
R_PRETEST = {
    "mpdta_nev_dr": (7.79123662720035, 0.16812),
    "mpdta_nyt_dr": (7.79092771882739, 0.16814),
    "mpdta_nev_reg_cov": (6.8612749537136, 0.23116),
}

SCENARIOS = {
    "mpdta_nev_dr": dict(control="never_treated", method="dr", covariates=None),
    "mpdta_nev_ipw": dict(control="never_treated", method="ipw", covariates=None),
    "mpdta_nyt_dr": dict(control="not_yet_treated", method="dr", covariates=None),
    "mpdta_nev_reg_cov": dict(control="never_treated", method="reg", covariates=["lpop"]),
}
REFERENCE = {"mpdta_nev_ipw": "mpdta_nev_dr"}  # identical R output, see the module docstring
TOL = 1e-9  # far inside the 1e-6 asked for: the arithmetic is the same, only rounding differs


def _fit(scenario: str):
    return staggered_did(
        load_mpdta(), outcome="lemp", unit="countyreal", time="year", cohort="first.treat", **SCENARIOS[scenario]
    )


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_group_time_att_and_se_match_r(scenario: str) -> None:
    ref = pd.read_csv(io.StringIO(R_ATT_GT))
    ref = ref.loc[ref["scenario"] == REFERENCE.get(scenario, scenario)]
    table = _fit(scenario).table()
    assert list(table["group"]) == list(ref["group"]) and list(table["time"]) == list(ref["t"])
    np.testing.assert_allclose(table["estimate"], ref["att"], rtol=0, atol=TOL)
    np.testing.assert_allclose(table["std_error"], ref["se"], rtol=0, atol=TOL)


@pytest.mark.parametrize("scenario", list(SCENARIOS))
@pytest.mark.parametrize("kind", ["simple", "group", "dynamic", "calendar"])
def test_aggregations_match_r(scenario: str, kind: str) -> None:
    ref = pd.read_csv(io.StringIO(R_AGGTE), na_values="NA")
    ref = ref.loc[(ref["scenario"] == REFERENCE.get(scenario, scenario)) & (ref["type"] == kind)]
    table = _fit(scenario).table(kind)
    overall = table.loc[table["overall"]].iloc[0]
    assert overall["estimate"] == pytest.approx(ref["overall_att"].iloc[0], abs=TOL)
    assert overall["std_error"] == pytest.approx(ref["overall_se"].iloc[0], abs=TOL)
    rows = table.loc[~table["overall"]]
    if kind == "simple":
        assert rows.empty
        return
    label = {"group": "group", "dynamic": "event_time", "calendar": "time"}[kind]
    assert list(rows[label]) == list(ref["egt"].astype(int))
    np.testing.assert_allclose(rows["estimate"], ref["att_egt"], rtol=0, atol=TOL)
    np.testing.assert_allclose(rows["std_error"], ref["se_egt"], rtol=0, atol=TOL)


@pytest.mark.parametrize("scenario", list(R_PRETEST))
def test_pretrend_wald_test_matches_r(scenario: str) -> None:
    statistic, p_value = R_PRETEST[scenario]
    row = _fit(scenario).pretrend_test().iloc[0]
    assert row["statistic"] == pytest.approx(statistic, abs=1e-8)
    assert row["df"] == 5  # placebo cells: 2006 in 2004-2005, 2007 in 2004-2006
    assert row["p_value"] == pytest.approx(p_value, abs=5e-6)


# R's did documentation, att_gt(xformla = ~lpop) with the default doubly robust method, printed to 4
# decimals (standard errors there are bootstrapped, so only the point estimates and the analytic pre-test
# are comparable): the "did-basics" example as reproduced in the ddml article "Diff-in-Diff with
# Double/Debiased Machine Learning".
PUBLISHED_DR_LPOP = {
    (2004, 2004): -0.0145, (2004, 2005): -0.0764, (2004, 2006): -0.1404, (2004, 2007): -0.1069,
    (2006, 2004): -0.0005, (2006, 2005): -0.0062, (2006, 2006): 0.0010, (2006, 2007): -0.0413,
    (2007, 2004): 0.0267, (2007, 2005): -0.0046, (2007, 2006): -0.0284, (2007, 2007): -0.0288,
}  # fmt: skip
PUBLISHED_DR_LPOP_DYNAMIC = {-3: 0.0267, -2: -0.0036, -1: -0.0232, 0: -0.0211, 1: -0.0530, 2: -0.1404, 3: -0.1069}


def test_doubly_robust_with_lpop_matches_published_numbers() -> None:
    fit = staggered_did(
        load_mpdta(), outcome="lemp", unit="countyreal", time="year", cohort="first.treat", covariates=["lpop"]
    )
    table = fit.table()
    for (g, t), value in PUBLISHED_DR_LPOP.items():
        row = table.loc[(table["group"] == g) & (table["time"] == t)].iloc[0]
        assert row["estimate"] == pytest.approx(value, abs=5e-5 + 1e-12), (g, t)
    dynamic = fit.table("dynamic")
    for e, value in PUBLISHED_DR_LPOP_DYNAMIC.items():
        assert dynamic.loc[dynamic["event_time"] == e, "estimate"].iloc[0] == pytest.approx(value, abs=5e-5 + 1e-12)
    assert dynamic.loc[dynamic["overall"], "estimate"].iloc[0] == pytest.approx(-0.0804, abs=5e-5)
    assert fit.pretrend_test()["p_value"].iloc[0] == pytest.approx(0.23267, abs=5e-6)


def test_simple_att_without_covariates_is_the_readme_value() -> None:
    # The did README: "Overall ATT: -0.04" (simple aggregation, never-treated comparison).
    table = _fit("mpdta_nev_dr").table("simple")
    assert round(float(table["estimate"].iloc[0]), 2) == -0.04
