"""Composing a NIP or NI PPPK from its parts (DOMAIN.md section 1), checked by parsing it back."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.data.nip import parse_nip
from kinerja_analysis.data.nip_checks import as_int
from kinerja_analysis.data.schema import JENIS_KELAMIN

__all__ = ["format_nip", "format_ni_pppk"]


def _as_date(name: str, value) -> dt.date:
    if isinstance(value, str) or value is None:
        raise KinerjaDataError(f"{name}={value!r}: expected a date (datetime, date or Timestamp).")
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise KinerjaDataError(f"{name}={value!r}: expected a date (datetime, date or Timestamp).") from exc
    if pd.isna(ts):
        raise KinerjaDataError(f"{name} is missing: a NIP needs a date.")
    if not 1000 <= ts.year <= 9999:
        raise KinerjaDataError(f"{name}={value!r}: the year must have four digits.")
    return ts.date()


def _sex_digit(jenis_kelamin) -> int:
    if jenis_kelamin not in JENIS_KELAMIN:
        raise KinerjaDataError(f"jenis_kelamin={jenis_kelamin!r}: expected 'L' (laki-laki) or 'P' (perempuan).")
    return JENIS_KELAMIN.index(jenis_kelamin) + 1


def _checked(nip: str, what: str) -> str:
    row = parse_nip(nip).iloc[0]
    if not row["valid"]:
        raise KinerjaDataError(f"cannot build {what} {nip}: {row['reason']}.")
    return nip


def format_nip(tanggal_lahir, tmt_cpns, jenis_kelamin, nomor_urut) -> str:
    """The 18-digit NIP of a PNS.

    Parameters
    ----------
    tanggal_lahir, tmt_cpns
        Dates (datetime, date or Timestamp). Only the year and month of ``tmt_cpns`` are encoded.
    jenis_kelamin
        ``"L"`` or ``"P"``.
    nomor_urut
        Serial number, 1-999.

    Raises
    ------
    KinerjaDataError
        When an argument has the wrong type or range, or the NIP would break a rule of
        :func:`parse_nip`, e.g. an appointment before age 18.

    >>> import datetime as dt
    >>> format_nip(dt.date(1986, 9, 26), dt.date(2015, 5, 1), "L", 1)
    '198609262015051001'
    """
    born = _as_date("tanggal_lahir", tanggal_lahir)
    tmt = _as_date("tmt_cpns", tmt_cpns)
    sex = _sex_digit(jenis_kelamin)
    serial = as_int("nomor_urut", nomor_urut, 1, 999)
    return _checked(f"{born:%Y%m%d}{tmt:%Y%m}{sex}{serial:03d}", "a NIP")


def format_ni_pppk(tanggal_lahir, tahun_pengangkatan, jenis_kelamin, nomor_urut, *, kontrak_ke=1) -> str:
    """The 18-digit NI PPPK [likely]: birth date, year appointed, ``2``, contract count, sex, serial.

    ``kontrak_ke=4`` gives ``24`` in digits 13-14, which :func:`parse_nip` flags as paruh waktu.

    >>> import datetime as dt
    >>> format_ni_pppk(dt.date(1990, 1, 15), 2021, "P", 7)
    '199001152021212007'
    """
    born = _as_date("tanggal_lahir", tanggal_lahir)
    year = as_int("tahun_pengangkatan", tahun_pengangkatan, 1000, 9999)
    sex = _sex_digit(jenis_kelamin)
    serial = as_int("nomor_urut", nomor_urut, 1, 999)
    contract = as_int("kontrak_ke", kontrak_ke, 1, 9)
    return _checked(f"{born:%Y%m%d}{year:04d}2{contract}{sex}{serial:03d}", "an NI PPPK")
