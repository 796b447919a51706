"""Build the evaluation reports: run each narrative notebook on a dataset and write HTML without code.

Each notebook is executed by papermill (kernel ``python3``, from the notebook's own folder, with the
parameter ``data_dir``) into a temporary folder, then converted by nbconvert to one self-contained
HTML page: no code cells, no prompts, no cells tagged ``interactive-only`` or ``injected-parameters``,
figures embedded as PNG and no script at all (none fetched from a CDN, and none from the data: text
in users' files reaches a page only as text, see :mod:`.pages` and :mod:`.escape`). Every page starts
with its provenance (data source, content hash, package version, build date) and, for the bundled
synthetic data, a "DATA SINTETIS" banner. ``index.html`` links the pages. The pages themselves, and
printing one to PDF, are in :mod:`kinerja_analysis.delivery.pages`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from kinerja_analysis import paths
from kinerja_analysis.common.errors import InvalidOptionError, ReportError
from kinerja_analysis.delivery.pages import REMOVED_TAGS, find_chromium, index_html, page_html, print_pdf

__all__ = [
    "NOTEBOOK_PATTERN",
    "REMOVED_TAGS",
    "Provenance",
    "narrative_notebooks",
    "notebook_title",
    "data_provenance",
    "build_reports",
    "find_chromium",
    "print_pdf",
]

NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
"""Narrative notebooks are named ``NN_topic.ipynb``; one report page each."""


@dataclass(frozen=True)
class Provenance:
    """Where a report's numbers come from, as printed at the top of every page.

    ``source`` is the data folder relative to the project root, or only its name when it lies elsewhere
    (an absolute path would show a user's home folder). ``content_hash`` is the loader's hash of the
    data; ``synthetic`` is true for the bundled demo data.
    """

    source: str
    content_hash: str
    version: str
    built: dt.date
    synthetic: bool

    def header_html(self, *, index_link: bool) -> str:
        """The banner (for synthetic data) and the provenance line, as an HTML fragment."""
        parts = []
        if self.synthetic:
            parts.append(
                '<div class="kinerja-sintetis">DATA SINTETIS: angka-angka dalam laporan ini berasal dari data '
                "contoh buatan (Kecamatan Plaju sintetis), bukan dari data pegawai yang sebenarnya.</div>"
            )
        # 16 hex digits identify a dataset version, and unlike the full hash they can never contain
        # an 18-digit run that the personal-data scan would take for a NIP.
        items = [
            f"Sumber data: <code>{html.escape(self.source)}</code>",
            f"Hash isi data: <code>{html.escape(self.content_hash[:16])}</code>",
            f"Versi kinerja-analysis: {html.escape(self.version)}",
            f"Dibuat: {self.built.isoformat()}",
        ]
        if index_link:
            items.append('<a href="index.html">Daftar laporan</a>')
        spans = "".join(f"<span>{item}</span>" for item in items)
        parts.append(f'<header class="kinerja-provenance">{spans}</header>')
        return "\n".join(parts)


def narrative_notebooks(folder: str | Path | None = None) -> list[Path]:
    """The narrative notebooks (``NN_*.ipynb``) in ``folder`` (default the project's ``notebooks``), sorted."""
    base = Path(folder) if folder is not None else paths.notebooks_dir()
    return sorted(base.glob(NOTEBOOK_PATTERN))


def notebook_title(nb: nbformat.NotebookNode, *, default: str = "") -> str:
    """The first Markdown heading of a notebook as plain text: no ``#`` marks, emphasis or code ticks.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 07 · Simulasi *what-if* `ka`")])
    >>> notebook_title(nb)
    '07 · Simulasi what-if ka'
    """
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                return re.sub(r"(\*{1,2}|_{2}|`)", "", match.group(1))
    return default


def build_reports(
    *,
    data_dir: str | Path | None,
    out_dir: str | Path,
    notebooks: Sequence[str | Path] | None = None,
    parameters: Mapping[str, object] | None = None,
    progress: bool = True,
) -> list[Path]:
    """Execute the notebooks on ``data_dir`` and write one HTML page each, plus ``index.html``.

    Parameters
    ----------
    data_dir
        The dataset (a folder or a single file) passed to every notebook as the parameter ``data_dir``;
        ``None`` means the bundled demo data (the notebooks read ``data_dir = ""`` as the demo data).
    out_dir
        Where the pages go (created if needed). A page ``NN_topic.html`` per notebook and ``index.html``.
    notebooks
        The notebooks to run; by default every ``notebooks/NN_*.ipynb``.
    parameters
        Further papermill parameters (for example years or units); ``data_dir`` is set by its argument.
    progress
        Show a progress bar over the notebooks (on stderr).

    Returns
    -------
    The pages written, in notebook order, ``index.html`` last.

    Raises
    ------
    ReportError
        If a notebook fails: the message names each failed notebook, the cell (counted from 1 as in
        JupyterLab) and the error's last line. The other notebooks are still built and indexed, and a
        stale page of a failed notebook is removed so that it cannot pass for a current one.
    KinerjaDataError
        If the data cannot be loaded at all (from :func:`kinerja_analysis.data.io.load_dataset`).
    """
    import papermill
    from nbclient.exceptions import DeadKernelError
    from tqdm import tqdm
    from traitlets.config import Config

    from kinerja_analysis.delivery.kernel_log import LoggedKernelManager, log_tail

    params = dict(parameters or {})
    if "data_dir" in params:
        raise InvalidOptionError("parameters must not contain 'data_dir'; pass it as build_reports(data_dir=...).")
    paths_in = [Path(p).resolve() for p in notebooks] if notebooks is not None else narrative_notebooks()
    if not paths_in:
        raise InvalidOptionError(f"No notebooks to run: none match {NOTEBOOK_PATTERN} in {paths.notebooks_dir()}.")
    missing = [str(p) for p in paths_in if not p.is_file()]
    if missing:
        raise InvalidOptionError(f"Notebook(s) not found: {', '.join(missing)}.")
    data_path = Path(data_dir).resolve() if data_dir else paths.demo_data_dir()
    params["data_dir"] = str(data_path) if data_dir else ""
    provenance = data_provenance(data_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    written: list[tuple[Path, str]] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kinerja-report-") as tmp:
        # IPC sockets in the private temporary folder: the kernel's traffic stays off TCP (and
        # ipykernel does not print its warning about unencrypted TCP once per notebook).
        ipc = {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}
        for nb_path in tqdm(paths_in, desc="Laporan", unit="notebook", disable=not progress):
            page = out / f"{nb_path.stem}.html"
            executed = Path(tmp) / nb_path.name
            kernel_log = Path(tmp) / f"{nb_path.stem}.kernel.log"  # see kernel_log: not the notebook's output
            kernel_config = Config({"KernelManager": ipc, "LoggedKernelManager": {"log_path": str(kernel_log)}})
            try:
                papermill.execute_notebook(
                    str(nb_path),
                    str(executed),
                    parameters=params,
                    kernel_name="python3",
                    cwd=str(nb_path.parent),  # as nbval runs them, so relative paths mean the same
                    progress_bar=False,
                    config=kernel_config,
                    kernel_manager_class=LoggedKernelManager,
                )
            except papermill.PapermillExecutionError as err:
                failures.append(_describe_failure(nb_path, executed, err))
                page.unlink(missing_ok=True)
                continue
            except DeadKernelError as err:  # out of memory, most often, on large data
                said = log_tail(kernel_log)
                said = f"; the kernel's last words: {said}" if said else ""
                failures.append(f"{nb_path.name}: the kernel died ({err}){said}; is the machine out of memory?")
                page.unlink(missing_ok=True)
                continue
            nb = nbformat.read(executed, as_version=4)
            title = notebook_title(nb, default=nb_path.stem)
            page.write_text(
                page_html(nb, title=title, header=provenance.header_html(index_link=True)), encoding="utf-8"
            )
            written.append((page, title))
    index = out / "index.html"
    index.write_text(index_html(written, header=provenance.header_html(index_link=False)), encoding="utf-8")
    if failures:
        raise ReportError(
            "These notebooks failed, so their reports were not written:\n  "
            + "\n  ".join(failures)
            + "\nOpen the notebook in JupyterLab (make lab) with the same data to see the whole traceback."
        )
    return [page for page, _ in written] + [index]


def data_provenance(data_path: Path) -> Provenance:
    """Load the data once (so a file-level error stops the build before any notebook runs) and describe it."""
    from kinerja_analysis import __version__
    from kinerja_analysis.data.io import load_dataset

    content_hash = load_dataset(data_path).content_hash
    demo = paths.demo_data_dir()
    if data_path.resolve() == demo.resolve():
        synthetic = True
    else:
        synthetic = demo.is_dir() and load_dataset(demo).content_hash == content_hash  # a copy of the demo data
    return Provenance(
        source=_display_source(data_path),
        content_hash=content_hash,
        version=__version__,
        built=dt.date.today(),
        synthetic=synthetic,
    )


def _display_source(path: Path) -> str:
    try:
        return path.resolve().relative_to(paths.project_root()).as_posix()
    except ValueError:
        return path.name


def _describe_failure(nb_path: Path, executed: Path, err: Exception) -> str:
    last_line = f"{getattr(err, 'ename', type(err).__name__)}: {getattr(err, 'evalue', err)}".strip().rstrip(":")
    cell = _failed_cell_number(nb_path, executed, getattr(err, "source", None))
    where = f"cell {cell}" if cell is not None else f"In [{getattr(err, 'exec_count', '?')}]"
    return f"{nb_path.name}, {where}: {last_line}"


def _failed_cell_number(nb_path: Path, executed: Path, source: str | None) -> int | None:
    """The failed cell's position (from 1) in the original notebook, as the user sees it in JupyterLab.

    papermill's own index counts the cell it injected, so the failed cell is found by its id in the
    executed copy, falling back to its source text.
    """
    original = nbformat.read(nb_path, as_version=4)
    failed_id = None
    if executed.is_file():
        run = nbformat.read(executed, as_version=4)
        for cell in run.cells:
            if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                failed_id = cell.get("id")
                source = cell.source
                break
    for number, cell in enumerate(original.cells, start=1):
        if failed_id is not None and cell.get("id") == failed_id:
            return number
    for number, cell in enumerate(original.cells, start=1):
        if source is not None and cell.cell_type == "code" and cell.source == source:
            return number
    return None
