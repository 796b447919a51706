"""The guard against comparing across 2021/2022, and the crosswalk."""

from __future__ import annotations

import pandas as pd
import pytest

from kinerja_analysis.appraisal import crosswalk
from kinerja_analysis.common.errors import InvalidOptionError, KinerjaDataError
from kinerja_analysis.data import schema


def test_comparisons_across_2021_and_2022_need_a_named_crosswalk():
    assert crosswalk.ensure_same_regime([2019, 2021, 2021]) == "pp46_2011"
    assert crosswalk.ensure_same_regime(pd.Series([2022, 2024], dtype="Int64")) == "permenpanrb_6_2022"
    with pytest.raises(KinerjaDataError, match="crosswalk='kategori_to_predikat'"):
        crosswalk.ensure_same_regime([2021, 2022])
    method = crosswalk.ensure_same_regime([2021, 2022], crosswalk="kategori_to_predikat")
    assert "[open]" in method and "Cukup -> Butuh Perbaikan" in method and "Buruk -> Sangat Kurang" in method
    with pytest.raises(InvalidOptionError):
        crosswalk.ensure_same_regime([2021, 2022], crosswalk="nilai_to_predikat")
    with pytest.raises(KinerjaDataError, match="at least one year"):
        crosswalk.ensure_same_regime([])


def test_the_crosswalk_maps_each_category():
    out = crosswalk.apply_crosswalk(["Sangat Baik", "baik", "CUKUP", "Kurang", "Buruk", None])
    assert out.tolist()[:5] == ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
    assert pd.isna(out.iloc[5])
    assert out.dtype == schema.category_dtype("kinerja", "predikat")
    with pytest.raises(KinerjaDataError, match="'Istimewa'"):
        crosswalk.apply_crosswalk(["Istimewa"])
