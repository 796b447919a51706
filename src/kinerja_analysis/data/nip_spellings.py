"""NIP spellings that offices write and :func:`~kinerja_analysis.data.nip.parse_nip` does not read itself.

``parse_nip`` removes blanks and one leading apostrophe. Printed forms also group the 18 digits with
dashes, ``19860926-201505-1-001`` (birth date, TMT CPNS, sex digit, serial); the loader turns those
dashes into spaces before parsing. Only that exact grouping is changed: any other text with dashes
(``1986-09-26``) still reaches ``parse_nip`` as written and is rejected there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kinerja_analysis.data.parsed import as_arrow, np_mask

__all__ = ["undash"]

# Blanks and a leading apostrophe around the grouping are parse_nip's to remove.
_DASHED_NIP = r"^[\s'\x{2018}\x{2019}`]*[0-9]{8}[- ]+[0-9]{6}[- ]+[0-9][- ]+[0-9]{3}\s*$"


def undash(text: pd.Series) -> pd.Series:
    """NIPs written in the printed grouping with dashes, with spaces instead (which parse_nip reads).

    >>> undash(pd.Series(["19860926-201505-1-001", "1986-09-26", None], dtype="str")).tolist()
    ['19860926 201505 1 001', '1986-09-26', nan]
    """
    arr = as_arrow(text)
    idx = np.flatnonzero(np_mask(pc.match_substring(arr, "-")))  # few rows: test the grouping only there
    sub = arr.take(pa.array(idx, type=pa.int64()))
    grouped = np_mask(pc.match_substring_regex(sub, _DASHED_NIP))
    if not grouped.any():
        return text
    out = text.copy()
    out.iloc[idx[grouped]] = pc.replace_substring(sub.filter(pa.array(grouped)), "-", " ").to_pylist()
    return out
