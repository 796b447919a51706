"""Which appraisal regime a year belongs to (DOMAIN.md 3.4): PP 46/2011 from 2014 to 2021, PermenPANRB 6/2022 after."""

from __future__ import annotations

import numpy as np
import pytest

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.data.regimes import regime


@pytest.mark.parametrize(
    ("tahun", "expected"),
    [(2014, "pp46_2011"), (2021, "pp46_2011"), (2022, "permenpanrb_6_2022"), (2025, "permenpanrb_6_2022")],
)
def test_regime_of_a_year(tahun, expected):
    assert regime(tahun) == expected
    assert regime(np.int64(tahun)) == expected


@pytest.mark.parametrize("bad", [2013, "2022", 2022.0, True])
def test_regime_refuses_what_is_not_a_supported_year(bad):
    with pytest.raises(KinerjaDataError):
        regime(bad)
