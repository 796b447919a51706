"""The checks behind :func:`kinerja_analysis.data.nip.parse_nip`: cleaning the text and checking each field.

Pyarrow string kernels clean and check the text; numpy integer arithmetic on the int64 value of each
18-digit NIP checks the fields (DOMAIN.md section 1). No Python code runs per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.common.errors import KinerjaDataError
from kinerja_analysis.data.schema import JENIS_KELAMIN, STATUS_PEGAWAI

__all__ = [
    "MIN_BIRTH_YEAR",
    "MIN_AGE",
    "SEX_DTYPE",
    "STATUS_DTYPE",
    "as_dates",
    "as_int",
    "as_int64",
    "check_values",
    "reasons",
]

MIN_BIRTH_YEAR = 1940
"""Earliest plausible birth year. This bound is the project's own choice, not a regulation."""

MIN_AGE = 18
"""Minimum age at first appointment. DOMAIN.md: 'appointment before age 18' is invalid."""

STATUS_DTYPE = pd.CategoricalDtype(list(STATUS_PEGAWAI))
SEX_DTYPE = pd.CategoricalDtype(list(JENIS_KELAMIN))
# Blanks, wherever they are: ASCII whitespace, Unicode separators (no-break spaces) and invisible format
# characters (byte-order mark, zero-width space, direction marks) that text copied from the web carries.
_BLANKS = r"[\s\p{Z}\p{Cf}]+"
_APOSTROPHE = r"^['\x{2018}\x{2019}`]"
_MISSING_TOKENS = ("", "-", "--", "nan", "none", "null", "na", "n/a", "<na>", "nat")
# What a spreadsheet makes of a long number: scientific notation, a decimal part, or thousands
# separators (the decimal mark is "," in an Indonesian locale, "." elsewhere).
_FLOAT_LIKE = (
    r"^[+-]?(?:[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+"
    r"|[0-9]*[.,][0-9]+"
    r"|[0-9]+[.,]"
    r"|[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]+)?)$"
)
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_TEXT = pa.large_string()
_STR = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype
_FLOAT_REASON = ("NIP looks like a spreadsheet float (", "): digits were lost; export the column as text")


@dataclass(frozen=True)
class _Checked:
    """Everything ``parse_nip`` and ``nip_key`` need: arrays aligned with the input rows."""

    index: pd.Index
    text: pd.Series  # the input as text, as given
    norm: pa.Array  # the text after normalisation (what the checks read)
    missing: np.ndarray
    float_like: np.ndarray
    non_digit: np.ndarray
    n_digits: np.ndarray  # for all-digit rows, else 0
    ok18: np.ndarray  # exactly 18 digits after normalisation
    value: np.ndarray  # int64 value of the 18 digits (0 elsewhere)
    fields: dict[str, np.ndarray]  # value split into its fields, see _fields
    checks: dict[str, np.ndarray]  # name -> rows failing that check (only where ok18)
    valid: np.ndarray


def _as_text(values) -> pd.Series:
    """The input as a ``str`` Series (missing stays missing), with the output's index."""
    if isinstance(values, pd.DataFrame):
        raise KinerjaDataError("parse_nip takes one column of NIPs (a Series), not a DataFrame; pass df['nip'].")
    if isinstance(values, pd.Series):
        s = values
    elif isinstance(values, str | bytes) or not np.iterable(values):
        s = pd.Series([values], dtype=object)
    elif isinstance(values, np.ndarray | pd.Index | pd.api.extensions.ExtensionArray):
        if np.ndim(values) != 1:
            raise KinerjaDataError(f"parse_nip takes a one-dimensional array of NIPs, got shape {np.shape(values)}.")
        s = pd.Series(values, copy=False)
    else:
        # dtype=object keeps Python ints as ints: a list of ints with a None would otherwise become float64
        # and lose digits before we ever see them.
        s = pd.Series(list(values), dtype=object)
    if s.dtype == _STR:
        return s
    if pd.api.types.is_integer_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        as_str = pc.cast(pa.array(s), _TEXT)  # C++ cast, several times faster than astype
        return pd.Series(as_str.to_pandas().array, index=s.index, copy=False)
    # Python floats become their repr ("1.986092620150511e+17"), which the float check then reports.
    try:
        return s.astype(_STR)
    except UnicodeEncodeError as exc:
        raise KinerjaDataError(f"NIP text is not valid Unicode ({exc.reason}); check the file's encoding.") from None


def _arrow(text: pd.Series) -> pa.Array:
    arr = pa.array(text.array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _np(a) -> np.ndarray:
    """A boolean pyarrow array as numpy, nulls read as False."""
    return pc.fill_null(a, False).to_numpy(zero_copy_only=False)


def check_values(values, *, min_birth_year: int, today: dt.date | None) -> _Checked:
    """Normalise the input and apply every rule, vectorised."""
    min_birth_year = as_int("min_birth_year", min_birth_year, 1000, 9999)
    text = _as_text(values)
    n = len(text)
    raw = _arrow(text)
    today = dt.date.today() if today is None else today
    today_int = today.year * 10000 + today.month * 100 + today.day

    # Fast path: already exactly 18 ASCII digits (the usual case for a clean export).
    fast = _np(pc.and_(pc.equal(pc.binary_length(raw), 18), pc.ascii_is_decimal(raw)))
    norm = raw
    missing = text.isna().to_numpy(dtype=bool, copy=True)
    float_like = np.zeros(n, dtype=bool)
    non_digit = np.zeros(n, dtype=bool)
    n_digits = np.where(fast, 18, 0)
    slow = ~fast & ~missing
    if slow.any():
        idx = np.flatnonzero(slow)
        clean = pc.replace_substring_regex(raw.take(idx), _BLANKS, "")
        clean = pc.replace_substring_regex(clean, _APOSTROPHE, "", max_replacements=1)
        is_missing = _np(pc.is_in(pc.utf8_lower(clean), pa.array(_MISSING_TOKENS)))
        is_float = ~is_missing & _np(pc.match_substring_regex(clean, _FLOAT_LIKE))
        is_digits = _np(pc.match_substring_regex(clean, "^[0-9]+$"))
        missing[idx] = is_missing
        float_like[idx] = is_float
        non_digit[idx] = ~is_missing & ~is_float & ~is_digits
        n_digits[idx] = np.where(is_digits, pc.binary_length(clean).to_numpy(zero_copy_only=False), 0)
        norm = pc.replace_with_mask(raw, pa.array(slow), clean)
    ok18 = n_digits == 18
    value = np.zeros(n, dtype=np.int64)
    value[ok18] = pc.cast(norm.filter(pa.array(ok18)), pa.int64()).to_numpy()
    fields = _fields(value)
    checks = _field_checks(fields, ok18, min_birth_year=min_birth_year, today=today_int)
    valid = ok18.copy()
    for failed in checks.values():
        valid &= ~failed
    return _Checked(
        text.index, text, norm, missing, float_like, non_digit, n_digits, ok18, value, fields, checks, valid
    )


def _fields(value: np.ndarray) -> dict[str, np.ndarray]:
    """Split 18-digit int64 NIPs into their numeric fields.

    Years and dates stay int32 (``year * 10000`` must not overflow); the small fields are int16. Narrow
    types halve the memory a national-size call touches, which is most of its time.
    """
    birth, rest = np.divmod(value, 10**10)
    birth = birth.astype(np.int32)
    code, tail = np.divmod(rest, 10**4)  # code: YYYYMM (PNS) or YYYY2K (PPPK)
    del rest
    year, md = np.divmod(birth, 10000)
    month, day = np.divmod(md.astype(np.int16), 100)
    app_year, app_month = np.divmod(code.astype(np.int32), 100)
    sex, serial = np.divmod(tail.astype(np.int16), 1000)
    return {
        "birth": birth,
        "year": year,
        "month": month,
        "day": day,
        "app_year": app_year,
        "app_month": app_month.astype(np.int16),
        "sex": sex,
        "serial": serial,
    }


def _field_checks(
    f: dict[str, np.ndarray], ok18: np.ndarray, *, min_birth_year: int, today: int
) -> dict[str, np.ndarray]:
    """Rows of 18 digits failing each rule. A rule that needs a valid date is only applied when it has one."""
    y, m, d = f["year"], f["month"], f["day"]
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    dim = _DAYS_IN_MONTH[np.clip(m, 0, 12)] + (leap & (m == 2))
    birth_ok = (m >= 1) & (m <= 12) & (d >= 1) & (d <= dim)
    pns = (f["app_month"] >= 1) & (f["app_month"] <= 12)
    pppk = (f["app_month"] >= 21) & (f["app_month"] <= 29)
    dated = ok18 & birth_ok & (pns | pppk)
    # PNS: compare YYYYMMDD integers, TMT CPNS being the first of its month. PPPK: only the year is
    # known, so an appointment is too early only if its year is before the year of the 18th birthday.
    tmt = f["app_year"] * 10000 + f["app_month"] * 100 + 1
    before_birth = dated & np.where(pns, tmt < f["birth"], f["app_year"] < y)
    too_young = dated & ~before_birth & np.where(pns, tmt < f["birth"] + MIN_AGE * 10000, f["app_year"] < y + MIN_AGE)
    return {
        "birth_date": ok18 & ~birth_ok,
        "birth_year": ok18 & birth_ok & (y < min_birth_year),
        "birth_future": ok18 & birth_ok & (f["birth"] > today),
        "appointment_code": ok18 & ~pns & ~pppk,
        "before_birth": before_birth,
        "too_young": too_young,
        "sex": ok18 & (f["sex"] != 1) & (f["sex"] != 2),
        "serial": ok18 & (f["serial"] == 0),
    }


def _join(*parts, sep: str = "", skip_nulls: bool = False) -> pa.Array:
    """Element-wise concatenation of text arrays and constants (a null part gives null unless skipped)."""
    parts = [pa.scalar(p, _TEXT) if isinstance(p, str) else pc.cast(p, _TEXT) for p in parts]
    nulls = "skip" if skip_nulls else "emit_null"
    return pc.binary_join_element_wise(*parts, pa.scalar(sep, _TEXT), null_handling=nulls)


def reasons(c: _Checked, *, min_birth_year: int) -> pa.Array:
    """One reason per row (null where valid), built only for the invalid rows."""
    bad = np.flatnonzero(~c.valid)
    out = pa.nulls(len(c.valid), _TEXT)
    if bad.size == 0:
        return out
    norm = c.norm.take(bad)
    chk = {k: v[bad] for k, v in c.checks.items()}
    n_digits = c.n_digits[bad]

    def digits(start: int, stop: int) -> pa.Array:
        return pc.utf8_slice_codeunits(norm, start, stop)

    def where(mask: np.ndarray, *parts) -> pa.Array:
        return pc.if_else(pa.array(mask), _join(*parts), pa.scalar(None, _TEXT))

    born = _join(digits(0, 4), digits(4, 6), digits(6, 8), sep="-")
    pppk = pa.array(c.fields["app_month"][bad] >= 21)
    appointed = pc.if_else(pppk, digits(8, 12), _join(digits(8, 12), digits(12, 14), sep="-"))
    plural = pa.array(np.where(n_digits == 1, " digit", " digits"))
    first_other = pd.Series(pc.struct_field(pc.extract_regex(norm, r"(?P<c>[^0-9])"), [0]).to_pandas())
    labels = first_other.map({ch: _char_label(ch) for ch in first_other.dropna().unique()})
    parts = [
        where(c.missing[bad], "missing"),
        where(c.float_like[bad], _FLOAT_REASON[0], norm, _FLOAT_REASON[1]),
        where(c.non_digit[bad], "contains non-digits (", pa.array(labels.astype(object), _TEXT), ")"),
        where((n_digits > 0) & ~c.ok18[bad], pa.array(n_digits).cast(_TEXT), plural, ", expected 18"),
        where(chk["birth_date"], "birth date ", digits(0, 8), " is not a date"),
        where(chk["birth_year"], "birth year ", digits(0, 4), f" is before {min_birth_year}"),
        where(chk["birth_future"], "birth date ", born, " is in the future"),
        where(
            chk["appointment_code"],
            "appointment month ",
            digits(12, 14),
            " is neither a month 01-12 (PNS) nor a PPPK code 21-29",
        ),
        where(chk["before_birth"], "appointment before birth (appointed ", appointed, ", born ", born, ")"),
        where(chk["too_young"], f"appointed before age {MIN_AGE} (appointed ", appointed, ", born ", born, ")"),
        where(chk["sex"], "sex digit is ", digits(14, 15), ", expected 1 or 2"),
        where(chk["serial"], "serial number is 000, expected 001-999"),
    ]
    return pc.replace_with_mask(out, pa.array(~c.valid), _join(*parts, sep="; ", skip_nulls=True))


def _char_label(ch: str) -> str:
    """How a non-digit is named in a reason: the character itself, or its code point if invisible."""
    return repr(ch) if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"


def as_int64(values: np.ndarray, present: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values.astype(np.int64), ~present)


def as_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray | int, present: np.ndarray) -> np.ndarray:
    """``datetime64[s]`` from valid year, month and day arrays, NaT where not ``present``."""
    months = (year - 1970) * 12 + (month - 1)  # garbage where not present, overwritten below
    seconds = months.astype("datetime64[M]").astype("datetime64[D]").view(np.int64)
    seconds += day - 1
    seconds *= 86400
    seconds[~present] = np.datetime64("NaT").view(np.int64)
    return seconds.view("datetime64[s]")


def as_int(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise KinerjaDataError(f"{name}={value!r}: expected an integer from {low} to {high}.")
    if not low <= value <= high:
        raise KinerjaDataError(f"{name}={value!r} is out of range: expected {low} to {high}.")
    return int(value)
