"""Where things live: the one place that knows the project's folders.

The project root is found from this file when the package is installed editable from a checkout
(the usual case, ``make setup``). ``KINERJA_HOME`` overrides it, for an installed package used
beside a copy of the repository's ``data/`` and ``notebooks/`` folders.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["project_root", "demo_data_dir", "dirty_data_dir", "notebooks_dir", "reports_dir"]


def project_root() -> Path:
    """The repository root: ``$KINERJA_HOME`` if set, else the checkout this package sits in."""
    env = os.environ.get("KINERJA_HOME")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "kinerja_analysis").is_dir():
            return parent
    return Path.cwd().resolve()


def demo_data_dir() -> Path:
    """The committed synthetic Plaju dataset (``data/demo``)."""
    return project_root() / "data" / "demo"


def dirty_data_dir() -> Path:
    """Copies of the demo tables with known defects, for loader tests (``data/demo_dirty``)."""
    return project_root() / "data" / "demo_dirty"


def notebooks_dir() -> Path:
    """The narrative notebooks (``notebooks``)."""
    return project_root() / "notebooks"


def reports_dir() -> Path:
    """Where ``kinerja report`` writes by default (``reports``)."""
    return project_root() / "reports"
