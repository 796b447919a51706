"""The digits of NIP and NI PPPK, built for whole arrays at once (DOMAIN.md section 1).

NIP (PNS): birth date YYYYMMDD, TMT CPNS YYYYMM, sex digit (1 = L, 2 = P), serial NNN.
NI PPPK: birth date YYYYMMDD, year of appointment YYYY, the PPPK marker 2, contract count, sex digit,
serial NNN. Serials count up from a small random start within each shared 15-digit prefix, so every
number is unique.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.common.errors import InvalidOptionError

__all__ = ["build_nips"]


def _ymd(dates: np.ndarray) -> np.ndarray:
    """YYYYMMDD as int64."""
    index = pd.DatetimeIndex(dates)
    return index.year.to_numpy(np.int64) * 10000 + index.month.to_numpy(np.int64) * 100 + index.day.to_numpy(np.int64)


def build_nips(
    rng: np.random.Generator,
    *,
    birth: np.ndarray,
    tmt: np.ndarray,
    woman: np.ndarray,
    pppk: np.ndarray,
    contract: int = 1,
) -> tuple[pd.Series, np.ndarray]:
    """18-digit identifiers as text and as int64, unique across the arrays given.

    >>> text, value = build_nips(np.random.default_rng(0), birth=np.array(["1986-09-26"], dtype="datetime64[D]"),
    ...                          tmt=np.array(["2015-05-01"], dtype="datetime64[D]"), woman=np.array([False]),
    ...                          pppk=np.array([False]))
    >>> text.str.slice(0, 15).tolist(), value // 1000
    (['198609262015051'], array([198609262015051]))
    """
    born = _ymd(birth)
    sex = np.where(woman, 2, 1)
    tmt_ym = _ymd(tmt) // 100
    tmt_year = tmt_ym // 100
    prefix = np.where(
        pppk, born * 10**7 + tmt_year * 1000 + 200 + contract * 10 + sex, born * 10**7 + tmt_ym * 10 + sex
    )
    order = np.argsort(prefix, kind="stable")
    ranked = prefix[order]
    first = np.r_[True, ranked[1:] != ranked[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(order.size), 0))
    serial_sorted = rng.integers(1, 4, size=order.size)[start] + np.arange(order.size) - start
    if serial_sorted.size and serial_sorted.max() > 999:
        raise InvalidOptionError("scale: more than 999 synthetic people share a NIP prefix; choose a smaller scale.")
    serial = np.empty_like(serial_sorted)
    serial[order] = serial_sorted
    value = prefix * 1000 + serial
    return pd.Series(pd.array(pc.cast(pa.array(value), pa.string()), dtype="str")), value
