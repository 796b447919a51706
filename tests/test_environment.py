"""The ways to set up and run the project agree: pyproject.toml, environment.yml, Makefile, CI, README."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
MAKE_TARGETS = ("help", "setup", "report", "test", "lab", "app", "data", "notebooks", "bench", "lint", "clean")


def _extras_of(spec: str) -> set[str]:
    """The extras in ``-e .[a,b]`` or ``.[a]``."""
    match = re.search(r"\[([^\]]*)\]", spec)
    return {e.strip() for e in match.group(1).split(",")} if match else set()


def test_environment_yml_is_python_pip_and_the_editable_package_only():
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    pythons = [d for d in deps if isinstance(d, str) and re.match(r"python\b", d)]
    assert len(pythons) == 1, deps
    assert "pip" in deps
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict)]
    assert pip_sections == [["-e .[dev]"]]
    assert len(deps) == 3, f"pyproject.toml is the one list of dependencies; environment.yml adds {deps}"


def test_environment_yml_python_bound_is_pyprojects():
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    (python,) = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    conda_spec = SpecifierSet(python.removeprefix("python").replace(" ", ""))
    assert conda_spec == SpecifierSet(PROJECT["requires-python"])


def test_the_extras_that_are_installed_exist():
    extras = PROJECT["optional-dependencies"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    wanted = _extras_of(env["dependencies"][-1]["pip"][0])
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    (install,) = re.findall(r'pip install [^\n]*-e "?(\.\[[^\]]*\])', makefile)
    assert _extras_of(install) == wanted == {"dev"}
    assert wanted <= set(extras)
    # extras that pull in other extras of the package name ones that exist
    for requirements in extras.values():
        for req in map(Requirement, requirements):
            if req.name == PROJECT["name"]:
                assert req.extras <= set(extras), req


def test_tools_the_makefile_and_tests_rely_on_are_dev_dependencies():
    dev = {Requirement(r).name for r in PROJECT["optional-dependencies"]["dev"]}
    lab = {Requirement(r).name for r in PROJECT["optional-dependencies"]["lab"]}
    core = {Requirement(r).name for r in PROJECT["dependencies"]}
    assert {"pytest", "nbval", "ruff", "pyyaml", "hypothesis"} <= dev
    assert {"jupyterlab", "voila"} <= lab
    assert {"papermill", "nbconvert", "nbformat", "ipykernel", "tqdm"} <= core


def test_kinerja_entry_point():
    assert PROJECT["scripts"] == {"kinerja": "kinerja_analysis.delivery.cli:main"}


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```\n(.*?)```", readme, flags=re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make report", "make test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test( |$)", ci, flags=re.M)
    assert ci.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in ci
    assert os.access(REPO / ".ci" / "run", os.X_OK)
    # every make target the README mentions exists
    for target in set(re.findall(r"`make (\w+)`", readme)):
        assert target in MAKE_TARGETS, target


def test_make_test_runs_strict_nbval_with_the_sanitize_file():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    nbval = re.search(r"^NBVAL := (.*)$", makefile, flags=re.M).group(1).split()
    assert "--nbval" in nbval and "--nbval-lax" not in nbval
    assert "--nbval-current-env" in nbval
    sanitize = nbval[nbval.index("--nbval-sanitize-with") + 1]
    assert (REPO / sanitize).is_file()
    assert re.search(r"^test: setup .*\n\t\$\(BIN\)/pytest \$\(NBVAL\)$", makefile, flags=re.M)
    assert "notebooks" in PYPROJECT["tool"]["pytest"]["ini_options"]["testpaths"]


def test_make_alone_lists_every_target():
    out = subprocess.run(["make", "-s"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    listed = re.findall(r"^\s+([a-z]+)\s+\S", out, flags=re.M)
    assert sorted(listed) == sorted(MAKE_TARGETS)


def test_setup_installs_once_per_pyproject_content(tmp_path):
    # A copy of the Makefile with a stand-in for python3 that records what it is asked to do.
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    log = tmp_path / "calls.log"
    fake = tmp_path / "fake-python3"
    fake.write_text(
        f"""#!{sys.executable}
import os, sys
from pathlib import Path
with open({str(log)!r}, "a") as fh:
    fh.write(" ".join(sys.argv[1:]) + "\\n")
if sys.argv[1:3] == ["-m", "venv"]:
    target = Path(sys.argv[3]) / "bin" / "python"
    target.parent.mkdir(parents=True)
    target.write_text(Path(__file__).read_text())
    target.chmod(0o755)
""",
        encoding="utf-8",
    )
    fake.chmod(0o755)

    def make_setup() -> list[str]:
        before = log.read_text().splitlines() if log.exists() else []
        subprocess.run(["make", "-s", "setup", f"PYTHON={fake}"], cwd=tmp_path, check=True, capture_output=True)
        after = log.read_text().splitlines() if log.exists() else []
        return after[len(before) :]

    first = make_setup()
    assert first == ["-m venv .venv", "-m pip install --disable-pip-version-check -q -e .[dev]"]
    assert make_setup() == []  # nothing changed: nothing done
    os.utime(tmp_path / "pyproject.toml")  # a newer date alone changes nothing
    assert make_setup() == []
    with open(tmp_path / "pyproject.toml", "a", encoding="utf-8") as fh:
        fh.write("\n# a changed dependency list\n")
    assert make_setup() == ["-m pip install --disable-pip-version-check -q -e .[dev]"]
    assert len(list((tmp_path / ".venv").glob(".setup-*"))) == 1
