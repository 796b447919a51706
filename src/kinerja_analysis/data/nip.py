"""NIP (PNS) and NI PPPK: parse, validate, and turn into an integer join key.

Composing one from its parts is :mod:`kinerja_analysis.data.nip_format`; the field checks are
:mod:`kinerja_analysis.data.nip_checks`.

The 18-digit identifiers follow DOMAIN.md section 1:

- **NIP, PNS** [firm]: ``YYYYMMDD`` birth date, ``YYYYMM`` TMT CPNS, one sex digit (1 laki-laki,
  2 perempuan), ``NNN`` serial. ``198609262015051001``: born 1986-09-26, CPNS from 2015-05, male, 001.
- **NI PPPK** [likely]: ``YYYYMMDD`` birth date, ``YYYY`` year first appointed, the digit ``2`` (PPPK
  marker), the contract count 1-9, sex digit, ``NNN`` serial. Digits 13-14 read as a "month" are
  therefore 21-29. ``24`` also appears for PPPK paruh waktu (2025) [open]: accepted and flagged.

Parsing is vectorised. Pyarrow string kernels clean and check the text. Numpy integer
arithmetic on the int64 value of each 18-digit NIP checks the fields. No Python code runs per row.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kinerja_analysis.data.nip_checks import (
    MIN_AGE,
    MIN_BIRTH_YEAR,
    SEX_DTYPE,
    STATUS_DTYPE,
    as_dates,
    as_int64,
    check_values,
    reasons,
)

__all__ = ["parse_nip", "nip_key", "MIN_BIRTH_YEAR", "MIN_AGE"]


def parse_nip(values, *, min_birth_year: int = MIN_BIRTH_YEAR, today: dt.date | None = None) -> pd.DataFrame:
    """Parse and validate NIPs (PNS) and NI PPPKs, one row per input.

    Parameters
    ----------
    values
        A str, a list, tuple or one-dimensional array of values, or a Series. Values may be strings,
        ints, floats or a mix, with missing values.
    min_birth_year
        Birth years before this are invalid (default 1940, the project's own plausibility bound).
    today
        The date that birth dates must not be after (default: today).

    Returns
    -------
    pandas.DataFrame
        One row per input, in input order, indexed 0..n-1 or by the Series' own index, with columns:

        ``nip``
            The input as text, as given (``str``; missing stays missing; ints are written in
            digits, floats in Python's ``repr``).
        ``valid``
            ``bool``: all rules below hold.
        ``reason``
            ``str``, missing when valid. Otherwise every rule broken, joined by ``"; "``, e.g.
            ``"17 digits, expected 18"``, ``"birth date 19860931 is not a date"``.
        ``status``
            ``pns`` or ``pppk`` (categorical).
        ``tanggal_lahir``
            Birth date (``datetime64[s]``).
        ``tmt_cpns``
            PNS only: TMT CPNS, the first of the appointment month.
        ``tahun_pengangkatan``
            PPPK only: year first appointed (``Int64``).
        ``jenis_kelamin``
            ``L`` or ``P`` (categorical).
        ``nomor_urut``
            Serial number (``Int64``).
        ``paruh_waktu``
            ``bool``: a PPPK with ``24`` in digits 13-14. DOMAIN.md: [open], accept and flag.
        ``kontrak_ke``
            PPPK only: contract count, digit 14 (``Int64``) [likely]. It is missing where
            ``paruh_waktu`` is set, because there the digit's meaning is not known.

        Derived columns are missing (``paruh_waktu`` False) where ``valid`` is False.

    Notes
    -----
    Normalisation happens before the checks. The ``nip`` column keeps the original text.

    - Whitespace is removed wherever it is: surrounding, and internal as in the printed form
      ``19860926 201505 1 001``. Whitespace here includes no-break spaces, a byte-order mark and
      zero-width characters.
    - One leading apostrophe (``'``, also ``‘ ’ ` ``) is removed, as Excel exports text that way.
    - Empty text and the tokens ``-``, ``--``, ``nan``, ``none``, ``null``, ``na``, ``n/a``, ``<na>``,
      ``nat`` (any case) count as missing (reason ``"missing"``).
    - Text that looks like a spreadsheet number is reported as mangled, and no digits are guessed
      back. That covers scientific notation (``1.98609262015051E+17``, also with a decimal comma),
      a decimal part (``198609262015051000.0``) and thousands separators. A Python float input is
      such text.

    Rules, applied to the 18 digits (DOMAIN.md section 1):

    - Exactly 18 ASCII digits, else ``"contains non-digits (...)"`` or ``"N digits, expected 18"``.
    - Birth date ``YYYYMMDD``: a real date (leap years included), year at least ``min_birth_year``,
      not after ``today``.
    - Digits 13-14 are 01-12 (PNS, the TMT CPNS month) or 21-29 (PPPK: the marker ``2`` and a
      contract count 1-9). Anything else is invalid, so 00, 13-20 and 30-99 are. Only for PPPK is
      ``20`` a possible reading, and there it would mean contract count 0.
    - Appointment not before birth, and at age at least 18. For PNS the age is taken on the first
      of the TMT month. For PPPK only the year is known, so the check is that the appointment
      year is at least birth year + 18. An appointment after today is *not* invalid, because data
      may hold planned appointments.
    - Sex digit 1 (``L``) or 2 (``P``).
    - Serial 001-999. ``000`` is invalid because serials are numbered from 001; the project chose
      this rule.

    Examples
    --------
    >>> df = parse_nip(["198609262015051001", "19860926 201505 2 002", 1.98609262015051e17, None])
    >>> df[["valid", "status", "jenis_kelamin", "nomor_urut"]]
       valid status jenis_kelamin  nomor_urut
    0   True    pns             L           1
    1   True    pns             P           2
    2  False    NaN           NaN        <NA>
    3  False    NaN           NaN        <NA>
    >>> df.loc[0, "tanggal_lahir"], df.loc[0, "tmt_cpns"]
    (Timestamp('1986-09-26 00:00:00'), Timestamp('2015-05-01 00:00:00'))
    >>> df.loc[2, "reason"]
    'NIP looks like a spreadsheet float (1.98609262015051e+17): digits were lost; export the column as text'
    >>> parse_nip("199001152021221001")[["status", "tahun_pengangkatan", "kontrak_ke", "paruh_waktu"]]
      status  tahun_pengangkatan  kontrak_ke  paruh_waktu
    0   pppk                2021           2        False
    """
    c = check_values(values, min_birth_year=min_birth_year, today=today)
    ok = c.valid
    f = c.fields
    pns = ok & (f["app_month"] <= 12)
    pppk = ok & (f["app_month"] >= 21)
    paruh = pppk & (f["app_month"] == 24)
    kind = np.where(pppk, STATUS_DTYPE.categories.get_loc("pppk"), STATUS_DTYPE.categories.get_loc("pns"))
    status = pd.Categorical.from_codes(np.where(ok, kind, -1), dtype=STATUS_DTYPE)
    sex = pd.Categorical.from_codes(np.where(ok, f["sex"] - 1, -1), dtype=SEX_DTYPE)  # digit 1 is L, 2 is P
    reason = reasons(c, min_birth_year=min_birth_year).to_pandas().array
    columns = {
        "nip": c.text.array,
        "valid": ok,
        "reason": reason,
        "status": status,
        "tanggal_lahir": as_dates(f["year"], f["month"], f["day"], ok),
        "tmt_cpns": as_dates(f["app_year"], f["app_month"], 1, pns),
        "tahun_pengangkatan": as_int64(f["app_year"], pppk),
        "jenis_kelamin": sex,
        "nomor_urut": as_int64(f["serial"], ok),
        "paruh_waktu": paruh,
        "kontrak_ke": as_int64(f["app_month"] - 20, pppk & ~paruh),
    }
    return pd.DataFrame(columns, index=c.index, copy=False)


def nip_key(values, *, min_birth_year: int = MIN_BIRTH_YEAR, today: dt.date | None = None) -> pd.Series:
    """The NIP as an ``Int64`` key for fast joins, missing where the NIP is invalid.

    DESIGN.md section 5: when pandas joined 21.5 million appraisals to 4.3 million employees, the
    join on the 18-character string took 10 of the 12 s. Keep this key beside the string and join
    on it. It takes the same input, normalisation and validity as :func:`parse_nip`, and keeps the
    same index.

    >>> nip_key(["198609262015051001", "'19860926 201505 1 001", "123"]).tolist()
    [198609262015051001, 198609262015051001, <NA>]
    """
    c = check_values(values, min_birth_year=min_birth_year, today=today)
    return pd.Series(as_int64(c.value, c.valid), index=c.index, name="nip_key", copy=False)
