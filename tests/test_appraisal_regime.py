"""Which regime a year belongs to, the guard against comparing across 2021/2022, and the crosswalk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kinerja_analysis import appraisal_regime, schema
from kinerja_analysis.errors import InvalidOptionError, KinerjaDataError


@pytest.mark.parametrize(
    ("tahun", "expected"),
    [(2014, "pp46_2011"), (2021, "pp46_2011"), (2022, "permenpanrb_6_2022"), (2025, "permenpanrb_6_2022")],
)
def test_regime_of_a_year(tahun, expected):
    assert appraisal_regime.regime(tahun) == expected
    assert appraisal_regime.regime(np.int64(tahun)) == expected


@pytest.mark.parametrize("bad", [2013, "2022", 2022.0, True])
def test_regime_refuses_what_is_not_a_supported_year(bad):
    with pytest.raises(KinerjaDataError):
        appraisal_regime.regime(bad)


def test_comparisons_across_2021_and_2022_need_a_named_crosswalk():
    assert appraisal_regime.ensure_same_regime([2019, 2021, 2021]) == "pp46_2011"
    assert appraisal_regime.ensure_same_regime(pd.Series([2022, 2024], dtype="Int64")) == "permenpanrb_6_2022"
    with pytest.raises(KinerjaDataError, match="crosswalk='kategori_to_predikat'"):
        appraisal_regime.ensure_same_regime([2021, 2022])
    method = appraisal_regime.ensure_same_regime([2021, 2022], crosswalk="kategori_to_predikat")
    assert "[open]" in method and "Cukup -> Butuh Perbaikan" in method and "Buruk -> Sangat Kurang" in method
    with pytest.raises(InvalidOptionError):
        appraisal_regime.ensure_same_regime([2021, 2022], crosswalk="nilai_to_predikat")
    with pytest.raises(KinerjaDataError, match="at least one year"):
        appraisal_regime.ensure_same_regime([])


def test_the_crosswalk_maps_each_category():
    out = appraisal_regime.apply_crosswalk(["Sangat Baik", "baik", "CUKUP", "Kurang", "Buruk", None])
    assert out.tolist()[:5] == ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
    assert pd.isna(out.iloc[5])
    assert out.dtype == schema.category_dtype("kinerja", "predikat")
    with pytest.raises(KinerjaDataError, match="'Istimewa'"):
        appraisal_regime.apply_crosswalk(["Istimewa"])
