"""Re-execute notebooks in place, leaving only what a reader needs in the file.

Usage: ``python scripts/execute_notebooks.py [NB ...]`` (default: every ``notebooks/*.ipynb``).

Each notebook runs top to bottom with kernel ``python3`` from its own folder (as nbval and the reports
run it). Then the file is cleaned of what changes from run to run, so that two runs in a row give
identical files and git diffs show only real changes: execution timestamps (``metadata.execution``),
widget state, random widget model ids (replaced by ids derived from the cell's position), papermill
metadata; the kernelspec is set to ``python3`` so the notebook runs on any machine. A notebook that
fails is left untouched and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError
from traitlets.config import Config

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_VOLATILE_CELL_METADATA = ("execution", "papermill", "ExecuteTime")
_VOLATILE_NOTEBOOK_METADATA = ("widgets", "papermill", "execution")
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute(path: Path, *, timeout: int) -> nbformat.NotebookNode:
    """Run the notebook at ``path`` from its folder and return it, cleaned (the file is not written)."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kinerja-nb-") as tmp:
        # IPC sockets in a private folder: the kernel's traffic stays off TCP (and ipykernel does not
        # print its warning about unencrypted TCP into our output).
        config = Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(tmp, "kernel")}})
        client = NotebookClient(
            nb,
            kernel_name="python3",
            timeout=timeout,
            record_timing=False,
            resources={"metadata": {"path": str(path.parent)}},
            config=config,
        )
        client.execute()
    return clean(nb)


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop run-to-run noise from an executed notebook, in place, and return it."""
    for key in _VOLATILE_NOTEBOOK_METADATA:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = nbformat.from_dict(KERNELSPEC)
    for i, cell in enumerate(nb.cells):
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        for j, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is not None and "model_id" in view:
                view["model_id"] = hashlib.sha256(f"{i}:{j}".encode()).hexdigest()[:32]
    return nb


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds allowed per cell (default 1200)")
    args = parser.parse_args(argv)
    targets = args.notebooks or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not targets:
        print(f"No notebooks in {NOTEBOOKS}.", file=sys.stderr)
        return 1
    failed = 0
    for path in targets:
        print(f"Executing {path} ...", file=sys.stderr, flush=True)
        try:
            nb = execute(path.resolve(), timeout=args.timeout)
        except (CellExecutionError, DeadKernelError) as err:
            failed += 1
            print(f"{path} failed and was left unchanged:\n{err}", file=sys.stderr)
            continue
        nbformat.validate(nb)
        nbformat.write(nb, path)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
