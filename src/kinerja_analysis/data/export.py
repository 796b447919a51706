"""Write tables as CSV that is safe to open in Excel: no cell of the user's data runs as a formula.

A rejected row holds a cell exactly as the user's file had it, and a file may hold
``=HYPERLINK("http://x","klik")``. Opened in Excel or LibreOffice, a CSV cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is read as a formula (OWASP, "CSV Injection"). Such
text cells get a leading single quote, which Excel shows as text; cells that are plain numbers
("-5", "+62", "-1,5") are left alone so that they stay numbers.
"""

from __future__ import annotations

import os

import pandas as pd

__all__ = ["excel_safe", "write_csv_for_excel", "FORMULA_STARTS"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""
_NUMBER = r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?"


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as formulas: ``'`` before ``=``, ``+``, ``-``, ``@``, tab, CR.

    Numbers, and text that is exactly a number ("-5", "+62"), are unchanged; missing stays missing.

    >>> excel_safe(pd.DataFrame({"v": ['=HYPERLINK("http://x","klik")', "-5", "@SUM(A1)", "Andi", None]}))["v"].tolist()
    ['\\'=HYPERLINK("http://x","klik")', '-5', "'@SUM(A1)", 'Andi', nan]
    """
    out = frame.copy()
    for name in out.columns:
        col = out[name]
        if not (pd.api.types.is_string_dtype(col) or col.dtype == object):
            continue
        text = col.astype("str")
        risky = text.str.startswith(FORMULA_STARTS, na=False) & ~text.str.fullmatch(_NUMBER, na=False)
        if risky.any():
            out[name] = text.mask(risky, "'" + text)
    return out


def write_csv_for_excel(frame: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write ``frame`` as UTF-8 CSV (no index) after :func:`excel_safe`."""
    excel_safe(frame).to_csv(path, index=False)
