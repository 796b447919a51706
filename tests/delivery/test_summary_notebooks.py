"""Every figure of the executive summary appears in the notebook it cites, for the same report year.

The summary (notebook 00) writes each finding with "(buku NN)". A reader who opens notebook NN must find
the same number there: this test computes the findings with notebook 00's own parameters and searches the
committed outputs of the cited notebook for each estimate, at the precision the notebook prints it (a
share of 0.8995 is found as 0.9, 0.899 or 89.9, never as a bare 1). The notebooks that take a report year
must take notebook 00's.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import pytest

from kinerja_analysis import load_dataset, paths
from kinerja_analysis.delivery import summary

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NUMBER = re.compile(r"(?<![\w.,])-?\d+(?:[.,]\d+)?")


def notebook(code: str) -> dict:
    (path,) = NOTEBOOKS.glob(f"{code}_*.ipynb")
    return json.loads(path.read_text(encoding="utf-8"))


def parameters(nb: dict) -> dict[str, object]:
    """The literal assignments of the cell tagged ``parameters``."""
    (cell,) = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    out = {}
    for node in ast.parse("".join(cell["source"])).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def printed_numbers(nb: dict) -> list[tuple[float, int]]:
    """Every number in the notebook's outputs with its printed decimals (decimal point or comma)."""
    texts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for kind in ("text/plain", "text/markdown"):
                texts.append("".join(data.get(kind, "")))
            texts.append("".join(output.get("text", "")))
    out = []
    for match in NUMBER.finditer("\n".join(texts)):
        token = match.group(0).replace(",", ".")
        decimals = len(token.split(".")[1]) if "." in token else 0
        out.append((float(token), decimals))
    return out


def shown(value: float, numbers: list[tuple[float, int]]) -> bool:
    """Whether ``value`` is printed as itself or as a percentage, to at least two significant decimals."""
    for printed, decimals in numbers:
        for scale, least in ((1.0, 2), (100.0, 1)):
            if decimals >= least and math.isclose(printed, round(value * scale, decimals), abs_tol=1e-9):
                return True
    return False


@pytest.fixture(scope="module")
def findings():
    params = parameters(notebook("00"))
    dataset = load_dataset(paths.demo_data_dir())
    return params, summary.findings(
        dataset,
        year=params["tahun_laporan"],
        base_year=params["tahun_banding"],
        focal_instansi=params["instansi_fokus"],
        programme=params["program"],
    )


def test_every_cited_notebook_takes_the_summarys_report_year(findings):
    params, table = findings
    for code in sorted(set(table["buku"])):
        theirs = parameters(notebook(code))
        if "tahun_laporan" in theirs:
            assert theirs["tahun_laporan"] == params["tahun_laporan"], f"buku {code} reports another year"
    for code in ("02", "04", "05", "06"):
        assert "tahun_laporan" in parameters(notebook(code)), f"buku {code} has no tahun_laporan parameter"


def test_every_summary_figure_appears_in_the_notebook_it_cites(findings):
    _, table = findings
    missing = []
    for row in table.itertuples():
        numbers = printed_numbers(notebook(row.buku))
        if not shown(row.estimate, numbers):
            missing.append(f"{row.kode}: {row.estimate:.4f} ({row.satuan}) not shown in buku {row.buku}")
    assert not missing, "summary figures their notebooks do not show:\n" + "\n".join(missing)


def test_the_matcher_needs_the_precision_it_claims():
    numbers = [(0.9, 1), (89.95, 2), (1.0, 0)]
    assert shown(0.8995, numbers)  # as 89.95 (%)
    assert not shown(0.95, [(1.0, 0), (0.9, 1)])  # a bare 1 or one decimal is not evidence
    assert shown(0.512, [(0.51, 2)]) and not shown(0.512, [(0.52, 2)])
