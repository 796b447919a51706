"""Dirty copies of the demo tables with known, documented defects (``data/demo_dirty``).

:func:`make_dirty_copies` plants one or a few defects of every kind the loader checks into copies of
the clean tables, writes them with ``DEFECTS.md`` (what each defect is) and
``expected_rejections.csv`` (table, row, column, check, reason keyword), and returns the expected
rejections. The expectation is derived from what was planted and from the rules of DOMAIN.md, never
from running the loader, so ``tests/data/test_defects.py`` can hold the loader to it. Rows of the clean
tables keep their row numbers: defects edit cells in place, and extra rows are appended at the end.

A rejected employee takes the rows that refer to it (kinerja, pelatihan, seleksi, layanan,
disiplin) with it; such cascades are listed as well. Employees with few such rows are chosen, so
that the cascade stays small.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from kinerja_analysis.data.defect_planter import EXPECTED_COLUMNS, Planter
from kinerja_analysis.data.readers import read_file
from kinerja_analysis.data.schema import TABLE_ORDER

__all__ = ["make_dirty_copies", "EXPECTED_COLUMNS"]

DEFAULT_SEED = 20240517


def make_dirty_copies(clean_dir: str | Path, out_dir: str | Path, *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Write copies of the clean tables with documented defects; return the rejections they must cause.

    Parameters
    ----------
    clean_dir
        A folder with the clean ``<table>.csv`` files (``data/demo``).
    out_dir
        Where to write the dirty ``<table>.csv`` files, ``DEFECTS.md`` and ``expected_rejections.csv``.
    seed
        Which rows receive the defects.

    Returns
    -------
    pandas.DataFrame
        One row per expected rejection: ``table``, ``row`` (spreadsheet row, header = 1), ``column``,
        ``check`` (as in ``Dataset.rejected``), ``reason_keyword`` (a phrase the reason contains) and
        ``defect`` (the id in ``DEFECTS.md``, or ``cascade``).
    """
    clean_dir, out_dir = Path(clean_dir), Path(out_dir)
    tables = {}
    for name in TABLE_ORDER:
        path = clean_dir / f"{name}.csv"
        if path.is_file():
            tables[name] = read_file(path, label=path.name)[0].frame.copy()
    planter = Planter(tables, seed)
    planter.original_nip = np.array([], dtype=object)
    for name in TABLE_ORDER:
        if name in tables:
            getattr(planter, name)()
    planter.cascade()
    variations = planter.variations() if "pegawai" in tables else []
    expected = pd.DataFrame(planter.expected, columns=list(EXPECTED_COLUMNS))
    expected = expected.sort_values(["table", "row", "column"], key=_table_order, kind="stable").reset_index(drop=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, df in planter.t.items():
        sep = ";" if name == "layanan" else ","
        df.to_csv(out_dir / f"{name}.csv", index=False, sep=sep, lineterminator="\n", encoding="utf-8")
    expected.to_csv(out_dir / "expected_rejections.csv", index=False, lineterminator="\n")
    (out_dir / "DEFECTS.md").write_text(_defects_md(planter.notes, variations, expected, seed), encoding="utf-8")
    return expected


def _table_order(column: pd.Series) -> pd.Series:
    return column.map(TABLE_ORDER.index) if column.name == "table" else column


def _defects_md(notes: list[str], variations: list[str], expected: pd.DataFrame, seed: int) -> str:
    counts = expected.groupby("table", sort=False)["row"].nunique()
    per_table = ", ".join(f"{t} {n}" for t, n in counts.items())
    return "\n".join([
        "# data/demo_dirty: the demo tables with known defects",
        "",
        "SYNTHETIC DATA. Copies of `data/demo` with defects planted by",
        f"`kinerja_analysis.data.defects.make_dirty_copies` (seed {seed}), to show and test what `kinerja validate`",
        "reports. Do not edit by hand: regenerate with",
        "`python -m kinerja_analysis.data.defects`.",
        "",
        "Rows are numbered as a spreadsheet shows them (header = row 1). Defects edit cells in place, so every",
        "other row keeps its number and its clean value; copied rows are appended at the end of their table.",
        "`expected_rejections.csv` lists every rejection the loader must report (table, row, column, check, a",
        "phrase of the reason, defect id); `tests/data/test_defects.py` holds the loader to it.",
        "",
        f"Rows that must be rejected: {expected[['table', 'row']].drop_duplicates().shape[0]} ({per_table}).",
        "",
        "| defect | table | row | column | change | check |",
        "|---|---|---|---|---|---|",
        *notes,
        "",
        "A rejected pegawai row also rejects the rows that refer to its NIP in other tables (`cascade`): the",
        "loader checks references against accepted rows, so that accepted tables always join.",
        "",
        "## Variations that must be accepted",
        "",
        "Spellings found in real exports, planted in clean rows; the loader must read them as the clean values:",
        "",
        *(f"- {v}" for v in variations),
        "",
        "File-level problems (wrong type, empty file, wrong delimiter, missing column, cp1252) stop or change",
        "the loading of a whole file; they are tested in `tests/data/test_io_files.py`, not planted here.",
        "",
    ])  # fmt: skip


if __name__ == "__main__":  # python -m kinerja_analysis.data.defects [clean_dir] [out_dir]
    import sys

    from kinerja_analysis.paths import demo_data_dir, dirty_data_dir

    args = sys.argv[1:]
    src = Path(args[0]) if args else demo_data_dir()
    dst = Path(args[1]) if len(args) > 1 else dirty_data_dir()
    result = make_dirty_copies(src, dst)
    print(
        f"wrote {dst}: {len(result)} expected rejections in {result[['table', 'row']].drop_duplicates().shape[0]} rows"
    )
