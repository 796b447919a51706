"""The package's layout rules (src/kinerja_analysis/README.md), read from the imports themselves.

Each module's ``import`` and ``from ... import`` statements are parsed (no module is imported), resolved
to the subpackage they reach, and checked against the rules. A failure names the file, the line, the
import and the rule it breaks.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "kinerja_analysis"
NAME = "kinerja_analysis"

SHARED = {"common"}
ANALYSES = {"appraisal", "service", "merit", "training", "feedback", "workforce", "supervision"}

# What each part may import besides itself. Analyses build on data/ and common/, and on the few other
# analyses named here: merit uses predikat and the workforce's age bands, training uses the per-officer
# service KPIs, supervision reads appraisal, service and feedback together. None reaches plots/,
# whatif/, delivery/ or synthetic/.
ALLOWED: dict[str, set[str]] = {
    "common": set(),
    "data": {"common", "paths"},
    "appraisal": {"common", "data"},
    "service": {"common", "data"},
    "feedback": {"common", "data"},
    "workforce": {"common", "data"},
    "merit": {"common", "data", "appraisal", "workforce"},
    "training": {"common", "data", "appraisal", "service"},
    "supervision": {"common", "data", "appraisal", "service", "feedback"},
    "plots": {"common", "data"},
    "whatif": {"common", "data", *ANALYSES},
    "synthetic": {"common", "data", "paths", "appraisal"},
    "delivery": {"common", "data", "paths", "plots", "synthetic", "whatif", "(package)", *ANALYSES},
    "paths": set(),
    "(package)": {"common", "data", "paths"},
    "__main__": {"delivery"},
}
# Libraries that compute statistics: plots/ draws what it is given and imports none of them.
STATISTICS_LIBRARIES = {"scipy", "statsmodels", "duckdb", "pyfixest", "lifelines", "sklearn", "polars"}


@dataclass(frozen=True)
class Arrow:
    source: Path
    line: int
    target: str  # dotted module name, absolute

    def __str__(self) -> str:
        return f"{self.source.relative_to(PACKAGE.parents[1])}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([NAME, *parts])


def part_of(module: str) -> str:
    """The layer of a dotted module: its subpackage, ``paths``, ``__main__`` or ``(package)``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(package)"


def arrows(path: Path) -> list[Arrow]:
    """Every import in ``path``, relative ones resolved against the module's own package."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Arrow(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == NAME:  # "from kinerja_analysis import merit": the arrow goes to merit
                found += [Arrow(path, node.lineno, _submodule_or_package(alias.name)) for alias in node.names]
            else:
                found.append(Arrow(path, node.lineno, target))
    return found


def _submodule_or_package(name: str) -> str:
    is_module = (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()
    return f"{NAME}.{name}" if is_module else NAME


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def breaches(paths: list[Path]) -> list[str]:
    """Each import that breaks a rule, as 'file:line imports X: rule'."""
    out = []
    for path in paths:
        source = part_of(module_name(path))
        for arrow in arrows(path):
            top = arrow.target.split(".")[0]
            if source == "plots" and top in STATISTICS_LIBRARIES:
                out.append(f"{arrow}: plots/ draws; it never computes statistics (no {top})")
            if top != NAME:
                continue
            target = part_of(arrow.target)
            if target == source:
                continue
            if target == "delivery" and source != "__main__":
                out.append(f"{arrow}: only the command line (kinerja_analysis.__main__) imports delivery/")
            elif target not in ALLOWED[source]:
                allowed = ", ".join(sorted(ALLOWED[source])) or "nothing else in the package"
                out.append(f"{arrow}: {source}/ may import only {allowed}")
    return out


def test_every_module_belongs_to_a_known_part():
    unknown = {part_of(module_name(p)) for p in modules()} - set(ALLOWED)
    assert not unknown, f"parts with no import rule: {sorted(unknown)}; add them to ALLOWED and the README"


def test_imports_follow_the_layout_rules():
    found = breaches(modules())
    assert not found, "imports that break the layout rules:\n" + "\n".join(found)


def test_the_rules_catch_a_breach(tmp_path, monkeypatch):
    """The checker itself: an analysis importing plots and data importing an analysis are both named."""
    fake = tmp_path / NAME
    (fake / "merit").mkdir(parents=True)
    (fake / "data").mkdir()
    (fake / "plots").mkdir()
    (fake / "merit" / "bad.py").write_text("from kinerja_analysis.plots import plot_trend\n")
    (fake / "data" / "bad.py").write_text("from ..merit import selection_design\n")
    (fake / "plots" / "bad.py").write_text("import numpy as np\nfrom scipy import stats\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    found = breaches(sorted(fake.rglob("*.py")))
    assert any("merit/bad.py:1 imports kinerja_analysis.plots: merit/ may import only" in f for f in found), found
    assert any("data/bad.py:1 imports kinerja_analysis.merit: data/ may import only" in f for f in found), found
    assert any("plots/bad.py:2 imports scipy: plots/ draws" in f for f in found), found
    assert len(found) == 3


@pytest.mark.parametrize("init", sorted(PACKAGE.glob("*/__init__.py")), ids=lambda p: p.parent.name)
def test_each_subpackage_names_its_public_api(init):
    """Every subpackage has a docstring; those that gather functions list them in ``__all__``."""
    tree = ast.parse(init.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{init} has no docstring saying what the subpackage answers"
    imports = [n for n in tree.body if isinstance(n, ast.ImportFrom)]
    exported = [n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "__all__"]
    if [n for n in imports if n.module != "__future__"]:
        assert exported, f"{init} imports names but has no __all__"


def test_every_subpackage_is_described_in_the_package_readme():
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    missing = [p.parent.name for p in PACKAGE.glob("*/__init__.py") if f"`{p.parent.name}/`" not in readme]
    assert not missing, f"src/kinerja_analysis/README.md does not describe: {missing}"


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in modules() if (n := len(p.read_text().splitlines())) > 400}
    assert not long, f"modules over 400 lines (split them by job): {long}"
