"""The shared option checks: closed sets, interval levels and shares, at and beyond their bounds."""

from __future__ import annotations

import pytest

from kinerja_analysis.common.errors import InvalidOptionError
from kinerja_analysis.common.options import check_alpha, check_option, check_share


def test_check_option_names_the_allowed_values():
    assert check_option("weight", "exact", ("exact", "0.11")) == "exact"
    with pytest.raises(InvalidOptionError, match="choose one of 'exact', '0.11'"):
        check_option("weight", "0.1", ("exact", "0.11"))


@pytest.mark.parametrize("good", [0.01, 0.05, 0.1, 0.49])
def test_alpha_strictly_between_0_and_half(good):
    assert check_alpha(good) == good


@pytest.mark.parametrize("bad", [0, 0.5, 1, -0.05, True, "0.05", None])
def test_alpha_outside_is_refused(bad):
    with pytest.raises(InvalidOptionError, match="alpha"):
        check_alpha(bad)


def test_shares_open_and_closed():
    assert check_share("jp_target", 0.8) == 0.8
    assert check_share("reach", 0, closed=True) == 0.0 and check_share("reach", 1, closed=True) == 1.0
    for bad in (0, 1, 1.5, -0.1, True, "0.8"):
        with pytest.raises(InvalidOptionError, match="strictly between 0 and 1"):
            check_share("jp_target", bad)
    with pytest.raises(InvalidOptionError, match="between 0 and 1, both included"):
        check_share("reach", 1.01, closed=True)
