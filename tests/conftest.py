"""Shared fixtures: a private Jupyter environment and a small-notebook factory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


@pytest.fixture
def jupyter_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point Jupyter's and IPython's runtime and profile folders into ``tmp_path``.

    Kernels started by the test (papermill, nbclient, Voila, JupyterLab) then write their connection
    files, history and settings there instead of the user's home folder. Returns the folder.
    """
    home = tmp_path / "jupyter-home"
    for var, sub in (
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("IPYTHONDIR", "ipython"),
    ):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    return home


Cell = tuple[str, str] | tuple[str, str, Sequence[str]]
"""A cell for :func:`make_notebook`: (``"md"`` or ``"code"``, source[, tags])."""


@pytest.fixture
def make_notebook() -> Callable[..., Path]:
    """Write a notebook made of ``cells`` to ``path`` (kernel ``python3``) and return the path.

    ``make_notebook(path, [("md", "# Judul"), ("code", 'data_dir = ""', ["parameters"])])``
    """

    def make(path: Path, cells: Sequence[Cell], *, kernel: str = "python3") -> Path:
        nb = new_notebook(metadata={"kernelspec": {**KERNELSPEC, "name": kernel}})
        for kind, source, *rest in cells:
            cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
            if rest:
                cell.metadata["tags"] = list(rest[0])
            nb.cells.append(cell)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        return path

    return make


UNIT_KERJA_CSV = (
    "unit_id,nama_unit,jenis_unit,instansi,sektor,kelurahan\n"
    "KEL01,Kelurahan Plaju Ulu,kelurahan,Pemerintah Kota Palembang,pemerintahan,Plaju Ulu\n"
    "PKM01,Puskesmas Plaju,puskesmas,Dinas Kesehatan Kota Palembang,kesehatan,Plaju Ulu\n"
)


@pytest.fixture
def tiny_export(tmp_path: Path) -> Path:
    """A folder ``ekspor_plaju`` holding one valid two-row table (``unit_kerja.csv``)."""
    folder = tmp_path / "ekspor_plaju"
    folder.mkdir()
    (folder / "unit_kerja.csv").write_text(UNIT_KERJA_CSV, encoding="utf-8")
    return folder


@pytest.fixture
def tiny_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root in ``tmp_path`` (``KINERJA_HOME``) with a tiny ``data/demo`` and empty ``notebooks``.

    ``paths.demo_data_dir()``, ``notebooks_dir()`` and ``reports_dir()`` then point here, so report and
    CLI tests control which notebooks exist and what counts as the demo data.
    """
    root = tmp_path / "proyek"
    (root / "data" / "demo").mkdir(parents=True)
    # one unit more than tiny_export, so that the two are different data
    demo = UNIT_KERJA_CSV + "SD001,SD Negeri 1 Plaju,sd,Dinas Pendidikan Kota Palembang,pendidikan,Plaju Darat\n"
    (root / "data" / "demo" / "unit_kerja.csv").write_text(demo, encoding="utf-8")
    (root / "notebooks").mkdir()
    monkeypatch.setenv("KINERJA_HOME", str(root))
    return root
