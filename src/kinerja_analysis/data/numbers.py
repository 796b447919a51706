"""Numbers as offices write them: the decimal and thousands separators decided per column.

An Indonesian export writes ``1.250,75`` (thousands point, decimal comma), an English one ``1,250.75``;
a column stacked from both writes ``87,5`` and ``87.5``. Which reading a column uses is decided from
all its values at once, because one value often cannot tell: ``1.250`` is 1250 with a thousands point
and 1.25 with a decimal point. Three readings are possible:

1. *decimal comma, thousands point* (Indonesian): ``87,5``, ``1.250``, ``1.250.000``, ``1.250,75``;
2. *decimal point, thousands comma* (English): ``87.5``, ``1,250``, ``1,250,000``, ``1,250.75``;
3. *decimal point or comma, no thousands separator* (mixed exports): ``87,5`` and ``87.5``.

Spaces between groups of three digits (``1 250``, ``1 250,75``, with the no-break spaces spreadsheets
write too) are thousands separators under every reading, since a space is never a decimal one.

The reading under which most rows are numbers is used, and the rows that are numbers only under
another reading are rejected, naming the column's reading. Ties go to the Indonesian reading, then
the English one. A column whose values never show which separator is the decimal one (every
separator stands alone before exactly three digits, ``1.250``) is read the Indonesian way, so
``1.250`` is 1250, unless both separators occur (``1.250`` and ``2,500``): then both are read as
decimal separators, since taking either for a thousands separator would put its values a thousand
times above the others, or unless the column has an allowed range that more of its values meet as
decimals (a score of 0-100 written ``85.125``). The reading is stated in the result's ``note``.

Each distinct text of a column is read once, with pyarrow kernels; nothing runs per row in Python.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.data.parsed import Parsed, distinct, np_mask, spread

__all__ = ["parse_int", "parse_float", "READINGS"]

READINGS = (
    "decimal comma, thousands point",
    "decimal point, thousands comma",
    "decimal point or comma, no thousands separator",
)
"""The three readings of a number column, in the order ties are broken."""

_POINT = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)$"  # 87.5, 87, .5 (and 87.)
_COMMA = r"^[+-]?(?:[0-9]+,?[0-9]*|,[0-9]+)$"
_GROUPED_POINT = r"^[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]*)?$"  # 1.250, 1.250.000, 1.250,75
_GROUPED_COMMA = r"^[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]*)?$"
_SPACES = r"[ \x{00a0}\x{202f}]"  # space, no-break space, narrow no-break space
_GROUPED_SPACE = rf"^[+-]?[1-9][0-9]{{0,2}}(?:{_SPACES}[0-9]{{3}})+(?:[.,][0-9]*)?$"  # 1 250, 1 250,75

_UNSHOWN = (
    "no value shows which separator is the decimal one: 1,250 is read as 1.25, as Indonesian exports write it",
    "no value shows which separator is the decimal one: 1.250 is read as 1250, as Indonesian exports write it",
    "no value shows which separator is the decimal one, and both occur: both are read as decimal separators",
)
NOT_A_NUMBER = "'{value}' is not a number (write 87,5 or 87.5; thousands as in 1.250,75 or 1,250.75)"
NOT_WHOLE = "'{value}' is not a whole number"


def parse_float(text: pd.Series, *, bounds: tuple[float | None, float | None] | None = None) -> Parsed:
    """Numbers as ``Float64``, with the decimal and thousands separators the column uses.

    ``bounds``: the column's allowed range (min, max; either may be None). When no value shows which
    separator is the decimal one and only points occur (``85.125``, ``78.500``), the range settles it:
    read as thousands (85125) more values would fall outside it than read as decimals (85.125), so the
    point is the decimal one, and the note says why. Scores written with three decimals, as the
    competency and CAT results are, are read right this way.

    >>> p = parse_float(pd.Series(["87,5", "1.250", "1.250,75", "x"], dtype="str"))
    >>> p.values.tolist(), p.bad.tolist(), p.note
    ([87.5, 1250.0, 1250.75, <NA>], [False, False, False, True], 'decimal comma, thousands point')
    >>> parse_float(pd.Series(["87.5", "1,250.75", "1.250"], dtype="str")).values.tolist()
    [87.5, 1250.75, 1.25]
    >>> p = parse_float(pd.Series(["85.125", "78.500"], dtype="str"), bounds=(0, 100))
    >>> p.values.tolist(), p.note.split(" (")[0]
    ([85.125, 78.5], 'decimal point, thousands comma')
    """
    return _parse(text, whole=False, bounds=bounds)


def parse_int(text: pd.Series) -> Parsed:
    """Whole numbers as ``Int64``, read like :func:`parse_float`; ``"20,0"`` is 20, ``"20,5"`` is rejected.

    >>> p = parse_int(pd.Series(["1.250", "20,0", "20,5", "tiga", None], dtype="str"))
    >>> p.values.tolist(), p.bad.tolist()
    ([1250, 20, <NA>, <NA>, <NA>], [False, False, True, True, False])
    """
    return _parse(text, whole=True)


def _parse(text: pd.Series, *, whole: bool, bounds: tuple[float | None, float | None] | None = None) -> Parsed:
    codes, uniques, counts = distinct(text)
    uniques, spaced = _without_group_spaces(uniques)
    has_point = np_mask(pc.match_substring(uniques, "."))
    has_comma = np_mask(pc.match_substring(uniques, ","))
    fits = _fits(uniques, has_point, has_comma)
    rows = np.array([int(counts[f].sum()) for f in fits])
    reading = int(np.argmax(rows))  # the first of the best: Indonesian, then English
    shown = rows.max() > rows.min()
    if not shown and has_point.any() and has_comma.any():
        reading = 2
    by_range = not shown and reading == 0 and has_point.any() and bounds is not None
    if by_range and _rows_in(uniques, counts, fits, 1, bounds) > _rows_in(uniques, counts, fits, 0, bounds):
        reading = 1
    else:
        by_range = False
    canonical = _canonical(uniques, reading)
    ok = fits[reading] & _at_most_15_digits(canonical)
    why = (fits.any(axis=0) & ~fits[reading]).astype(np.int8)
    if whole:
        ok &= ~_matches(canonical, ok & np_mask(pc.match_substring(canonical, ".")), r"\.0*[1-9]")
    n_other = int(counts[why == 1].sum())
    other = (
        f"'{{value}}' does not fit the column's numbers, read with {READINGS[reading]} "
        f"(as {int(rows[reading]):,} of its {int(counts.sum()):,} values are)"
    )
    note = None
    if has_point.any() or has_comma.any():
        note = READINGS[reading]
        if by_range:
            note += f" ({_by_range(bounds)})"
        elif not shown:
            note += f" ({_UNSHOWN[reading if reading == 2 else int(has_point.any())]})"
        if n_other:
            note += f"; {n_other:,} value{'s' if n_other > 1 else ''} written otherwise rejected"
    if spaced:
        note = (note + "; " if note else "") + "spaces between groups of three digits read as thousands separators"
    good = spread(ok, codes, False)
    values = _numbers(canonical, ok, whole, codes, good, text.index)
    reason = NOT_WHOLE if whole else NOT_A_NUMBER
    if not n_other:
        return Parsed(values, (codes >= 0) & ~good, reason, note=note)
    return Parsed(values, (codes >= 0) & ~good, reason, spread(why, codes, 0), (other,), note)


def _without_group_spaces(uniques: pa.Array) -> tuple[pa.Array, bool]:
    """Texts grouped with spaces (``1 250``, ``1 250,75``; also no-break and narrow spaces) without them.

    A space is never a decimal separator, so this grouping is read whatever the column's reading.
    """
    if not len(uniques) or not np_mask(pc.match_substring_regex(uniques, f"[0-9]{_SPACES}[0-9]")).any():
        return uniques, False
    grouped = pc.match_substring_regex(uniques, _GROUPED_SPACE)
    if not np_mask(grouped).any():
        return uniques, False
    removed = pc.replace_substring_regex(uniques, _SPACES, "")
    return pc.if_else(grouped, removed, uniques), True


def _rows_in(uniques: pa.Array, counts: np.ndarray, fits: np.ndarray, reading: int, bounds) -> int:
    """Rows whose value under ``reading`` lies within ``bounds`` (min, max; None for no limit)."""
    canonical = _canonical(uniques, reading)
    ok = fits[reading] & _at_most_15_digits(canonical)
    kept = pc.if_else(pa.array(ok), canonical, pa.scalar(None, canonical.type))
    values = pc.cast(kept, pa.float64()).to_numpy(zero_copy_only=False)
    low, high = (-np.inf if bounds[0] is None else bounds[0]), (np.inf if bounds[1] is None else bounds[1])
    with np.errstate(invalid="ignore"):
        inside = ok & (values >= low) & (values <= high)
    return int(counts[inside].sum())


def _by_range(bounds) -> str:
    low = "" if bounds[0] is None else f"{bounds[0]:g}"
    high = "" if bounds[1] is None else f"{bounds[1]:g}"
    return (
        "no value shows which separator is the decimal one: 1.250 is read as 1.25, because read as "
        f"thousands more values would fall outside the column's range {low}-{high}"
    )


def _fits(uniques: pa.Array, has_point: np.ndarray, has_comma: np.ndarray) -> np.ndarray:
    """Which distinct texts are numbers under each of the three readings (one row per reading)."""
    if has_point.any():
        point = np_mask(pc.match_substring_regex(uniques, _POINT))
        comma = _matches(uniques, ~has_point, _COMMA) if has_comma.any() else point & ~has_point
    else:
        comma = np_mask(pc.match_substring_regex(uniques, _COMMA))
        point = comma & ~has_comma
    grouped_point = _matches(uniques, has_point & ~comma, _GROUPED_POINT)
    grouped_comma = _matches(uniques, has_comma & ~point, _GROUPED_COMMA)
    return np.stack([comma | grouped_point, point | grouped_comma, point | comma])


def _matches(arr: pa.Array, candidates: np.ndarray, pattern: str) -> np.ndarray:
    """Which texts match ``pattern``, testing only ``candidates`` (the others do not match)."""
    idx = np.flatnonzero(candidates)
    out = np.zeros(len(arr), dtype=bool)
    if 2 * idx.size > len(arr):
        return candidates & np_mask(pc.match_substring_regex(arr, pattern))
    if idx.size:
        out[idx] = np_mask(pc.match_substring_regex(arr.take(pa.array(idx)), pattern))
    return out


def _canonical(uniques: pa.Array, reading: int) -> pa.Array:
    """The texts with ``.`` as the decimal separator and no thousands separator, without a leading ``+``."""
    if reading == 0:
        out = pc.replace_substring(pc.replace_substring(uniques, ".", ""), ",", ".")
    elif reading == 1:
        out = pc.replace_substring(uniques, ",", "")
    else:
        out = pc.replace_substring(uniques, ",", ".")
    if np_mask(pc.starts_with(out, "+")).any():
        out = pc.replace_substring_regex(out, r"^\+", "")
    return out


def _at_most_15_digits(canonical: pa.Array) -> np.ndarray:
    """At most 15 digits before the decimal separator, as before: beyond, float64 loses digits."""
    dot = pc.fill_null(pc.find_substring(canonical, "."), -1).to_numpy(zero_copy_only=False)
    length = pc.fill_null(pc.binary_length(canonical), 0).to_numpy(zero_copy_only=False)
    sign = np_mask(pc.starts_with(canonical, "-"))
    return np.where(dot < 0, length, dot) - sign <= 15


def _numbers(canonical: pa.Array, ok: np.ndarray, whole: bool, codes, good, index) -> pd.Series:
    """The number of each row: of its distinct text where ``ok``, missing elsewhere."""
    kept = pc.if_else(pa.array(ok), canonical, pa.scalar(None, canonical.type))
    if whole:
        kept = pc.replace_substring_regex(kept, r"\.0*$", "")
        kept = pc.replace_substring_regex(kept, r"^-?$", "0")  # ".0" and "-.0" are zero
    dtype, pd_dtype = (pa.int64(), pd.Int64Dtype()) if whole else (pa.float64(), pd.Float64Dtype())
    per_text = pc.cast(kept, dtype)
    if len(per_text) != len(codes):  # identical lengths: each row is its own entry (see distinct)
        per_text = per_text.take(pa.array(np.where(codes >= 0, codes, 0))) if len(per_text) else None
    arrow = pa.nulls(len(codes), dtype) if per_text is None else per_text
    arrow = pc.if_else(pa.array(good), arrow, pa.scalar(None, dtype))
    return pd.Series(arrow.to_pandas(types_mapper={dtype: pd_dtype}.get), index=index)
