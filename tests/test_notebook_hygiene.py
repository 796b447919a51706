"""The committed notebooks are executed, clean and covered by nbval (NOTEBOOKS.md, STYLE.md).

nbval passes a cell that has never run, so a notebook whose outputs were stripped would pass strict
``--nbval`` without testing anything: these checks make sure every code cell ran, in order, without
errors, and that the notebook is collected by nbval at all. The checks themselves are tested on small
notebooks that break each rule, and ``scripts/execute_notebooks.py`` on a notebook with a widget.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbval.plugin import get_sanitize_patterns
from papermill.translators import PythonTranslator

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
SCRIPT = REPO / "scripts" / "execute_notebooks.py"
SANITIZE = REPO / "tests" / "nbval_sanitize.cfg"

Check = Callable[[nbformat.NotebookNode], list[str]]


def _code_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def kernel_problems(nb: nbformat.NotebookNode) -> list[str]:
    name = nb.metadata.get("kernelspec", {}).get("name")
    return [] if name == "python3" else [f"kernel is {name!r}, not 'python3' (NoSuchKernel elsewhere)"]


def execution_problems(nb: nbformat.NotebookNode) -> list[str]:
    counts = [c.get("execution_count") for c in _code_cells(nb)]
    expected = list(range(1, len(counts) + 1))
    if counts != expected:
        return [f"code cells ran as {counts}, not 1..{len(counts)} in order: re-run with make notebooks"]
    return []


def error_problems(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"cell {i} has an error output ({o.get('ename')}: {o.get('evalue')})"
        for i, cell in enumerate(nb.cells, start=1)
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def stderr_problems(nb: nbformat.NotebookNode) -> list[str]:
    """A stored warning carries this machine's paths, so nbval fails on every other machine: fix its cause."""
    return [
        f"cell {i} stored a stderr output ({''.join(o.get('text', ''))[:80].strip()!r})"
        for i, cell in enumerate(nb.cells, start=1)
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    ]


_FORBIDDEN = (
    (re.compile(r"^\s*(async\s+)?def\s+\w+", re.M), "defines a function (put it in the package, with a test)"),
    (re.compile(r"^\s*class\s+\w+", re.M), "defines a class (put it in the package, with a test)"),
    (re.compile(r"^\s*(import\s+sys\b|from\s+sys\s+import)", re.M), "imports sys"),
    (re.compile(r"\bsys\.path\b"), "edits sys.path (install the package instead: make setup)"),
)


def code_problems(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"cell {i} {why}"
        for i, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code"
        for pattern, why in _FORBIDDEN
        if pattern.search(cell.source)
    ]


def parameters_problems(nb: nbformat.NotebookNode) -> list[str]:
    cells = [c for c in _code_cells(nb) if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        return [f"{len(cells)} cells are tagged 'parameters'; the reports need exactly one"]
    if not re.search(r"^data_dir\s*=", cells[0].source, flags=re.M):
        return ["the 'parameters' cell does not set data_dir (kinerja report --data sets it)"]
    # papermill reads the cell line by line; a line it cannot parse (an '=' inside the comment, say)
    # prints "Unable to parse line" on every report and "Passed unknown parameter" when that parameter
    # is given, although the value is still injected. Every name the cell sets must be read.
    assigned = {
        target.id
        for node in ast.parse(cells[0].source).body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    unread = sorted(assigned - {p.name for p in PythonTranslator.inspect(cells[0])})
    if unread:
        return [
            f"papermill cannot read the line of {', '.join(unread)} in the 'parameters' cell (no '=' in its comment)"
        ]
    return []


def synthetic_problems(nb: nbformat.NotebookNode) -> list[str]:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return [] if re.search(r"sintetis", text, flags=re.I) else ["the Markdown never says the data is 'sintetis'"]


CHECKS: tuple[Check, ...] = (
    kernel_problems,
    execution_problems,
    error_problems,
    stderr_problems,
    code_problems,
    parameters_problems,
    synthetic_problems,
)


def _committed_notebooks() -> list[Path]:
    found = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not found:
        pytest.fail(f"no notebooks in {NOTEBOOKS}: the checks below would pass vacuously")
    return found


# --- the committed notebooks ----------------------------------------------------------------------


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_committed_notebooks(check: Check):
    problems = [
        f"{path.name}: {problem}"
        for path in _committed_notebooks()
        for problem in check(nbformat.read(path, as_version=4))
    ]
    assert not problems, "\n".join(problems)


def test_every_notebook_is_collected_by_nbval():
    notebooks = _committed_notebooks()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "--nbval"]
        + ["--nbval-current-env", "--nbval-sanitize-with", str(SANITIZE), "notebooks"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    missing = [p.name for p in notebooks if p.relative_to(REPO).as_posix() not in collected]
    assert not missing, f"not collected by nbval: {missing}"


# --- the checks catch what they should ------------------------------------------------------------

GOOD = [
    ("md", "# Judul\n\nData **sintetis** Kecamatan Plaju."),
    ("code", 'data_dir = ""', ["parameters"]),
    ("code", "import kinerja_analysis as ka\nx = [1, 2]\nx"),
    ("code", "print(len(x))"),
]


def _executed(make_notebook, path: Path, cells, counts=None) -> nbformat.NotebookNode:
    nb = nbformat.read(make_notebook(path, cells), as_version=4)
    for n, cell in enumerate(_code_cells(nb), start=1):
        cell.execution_count = n if counts is None else counts[n - 1]
    return nb


def test_a_clean_notebook_passes_every_check(tmp_path, make_notebook):
    nb = _executed(make_notebook, tmp_path / "a.ipynb", GOOD)
    assert [p for check in CHECKS for p in check(nb)] == []


@pytest.mark.parametrize(
    ("check", "cells", "counts", "message"),
    [
        (execution_problems, GOOD, [None, None, None], "not 1..3"),
        (execution_problems, GOOD, [1, 3, 2], "not 1..3"),
        (execution_problems, GOOD, [2, 3, 4], "not 1..3"),
        (code_problems, [*GOOD, ("code", "def f(x):\n    return x")], None, "defines a function"),
        (code_problems, [*GOOD, ("code", "x = 1\nclass A:\n    pass")], None, "defines a class"),
        (code_problems, [*GOOD, ("code", "import sys")], None, "imports sys"),
        (code_problems, [*GOOD, ("code", "import os, sys\nsys.path.insert(0, '..')")], None, "sys.path"),
        (parameters_problems, [GOOD[0], GOOD[2]], None, "0 cells are tagged"),
        (parameters_problems, [GOOD[0], ("code", "tahun = 2024", ["parameters"])], None, "does not set data_dir"),
        (parameters_problems, [GOOD[0], ("code", 'data_dir = ""  # "" = demo', ["parameters"])], None, "cannot read"),
        (
            parameters_problems,
            [GOOD[0], ("code", 'data_dir = ""\nk = 0.8  # x = y', ["parameters"])],
            None,
            "line of k",
        ),
        (synthetic_problems, [("md", "# Judul\n\nData Plaju."), *GOOD[1:]], None, "sintetis"),
    ],
)
def test_each_check_catches_its_problem(tmp_path, make_notebook, check, cells, counts, message):
    nb = _executed(make_notebook, tmp_path / "b.ipynb", cells, counts)
    assert any(message in p for p in check(nb)), check(nb)


def test_kernel_and_error_checks(tmp_path, make_notebook):
    nb = _executed(make_notebook, tmp_path / "c.ipynb", GOOD)
    nb.metadata.kernelspec.name = "kinerja-venv"
    nb.cells[3].outputs = [nbformat.v4.new_output("error", ename="KeyError", evalue="'nip'", traceback=[])]
    assert kernel_problems(nb) == ["kernel is 'kinerja-venv', not 'python3' (NoSuchKernel elsewhere)"]
    assert error_problems(nb) == ["cell 4 has an error output (KeyError: 'nip')"]


# --- the sanitize rules ---------------------------------------------------------------------------


def _sanitized(text: str) -> str:
    for regex, replace in get_sanitize_patterns(SANITIZE.read_text(encoding="utf-8")):
        text = re.sub(regex, replace, text)
    return text


@pytest.mark.parametrize(
    ("stored", "fresh"),
    [
        ("<Figure at 0x7f3a2b1c9d00>", "<Figure at 0x7f00aabbccdd>"),
        ("dibuat 2026-05-01T10:22:33.123456+07:00", "dibuat 2026-05-02 08:00:01"),
        ("/tmp/ipykernel_4242/1234567.py:3: UserWarning", "/tmp/ipykernel_77/99.py:3: UserWarning"),
        ("IKM 78.12345678", "IKM 78.12345691"),
        ('<table id="T_1a2b3">', '<table id="T_ff09c">'),
    ],
)
def test_sanitize_rules_remove_run_to_run_noise(stored, fresh):
    assert stored != fresh
    assert _sanitized(stored) == _sanitized(fresh)


@pytest.mark.parametrize(
    ("stored", "fresh"),
    [
        ("IKM 78.1234", "IKM 78.1235"),
        ("tanggal 2024-03-01", "tanggal 2024-03-02"),
        ("n = 1234567", "n = 1234568"),
    ],
)
def test_sanitize_rules_keep_real_changes(stored, fresh):
    assert _sanitized(stored) != _sanitized(fresh)


# --- scripts/execute_notebooks.py -----------------------------------------------------------------

WIDGET_NOTEBOOK = [
    ("md", "# Uji skrip\n\nData sintetis."),
    ("code", 'data_dir = ""', ["parameters"]),
    ("code", "import ipywidgets as widgets\nwidgets.IntSlider(value=3)"),
    ("code", "print(sum(range(10)))"),
]


@pytest.mark.slow
def test_execute_script_gives_identical_clean_files(tmp_path, make_notebook, jupyter_env):
    path = make_notebook(tmp_path / "nb" / "01_uji.ipynb", WIDGET_NOTEBOOK, kernel="kinerja-venv")

    def run() -> bytes:
        subprocess.run([sys.executable, str(SCRIPT), str(path)], check=True, capture_output=True)
        return path.read_bytes()

    first, second = run(), run()
    assert first == second
    nb = nbformat.read(path, as_version=4)
    assert [p for check in CHECKS for p in check(nb)] == []
    assert "widgets" not in nb.metadata and "papermill" not in nb.metadata
    assert all("execution" not in c.metadata for c in nb.cells)
    assert nb.cells[3].outputs[0]["text"] == "45\n"
    view = nb.cells[2].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert re.fullmatch(r"[0-9a-f]{32}", view["model_id"])


@pytest.mark.slow
def test_execute_script_leaves_a_failing_notebook_unchanged(tmp_path, make_notebook, jupyter_env):
    path = make_notebook(tmp_path / "02_gagal.ipynb", [*WIDGET_NOTEBOOK[:2], ("code", "1 / 0")])
    before = path.read_bytes()
    result = subprocess.run([sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr
    assert path.read_bytes() == before


def test_a_stored_warning_is_caught(tmp_path, make_notebook):
    nb = _executed(make_notebook, tmp_path / "w.ipynb", GOOD)
    nb.cells[-1].outputs = [nbformat.v4.new_output("stream", name="stderr", text="/work/x.py:1: UserWarning: y\n")]
    assert any("stderr" in p for p in stderr_problems(nb))
    assert stderr_problems(_executed(make_notebook, tmp_path / "ok.ipynb", GOOD)) == []
