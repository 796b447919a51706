"""Build the evaluation reports: run each narrative notebook on a dataset and write HTML without code.

Each notebook is executed by papermill (kernel ``python3``, from the notebook's own folder, with the
parameter ``data_dir``) into a temporary folder, then converted by nbconvert to one self-contained
HTML page: no code cells, no prompts, no cells tagged ``interactive-only`` or ``injected-parameters``,
figures embedded as PNG and no script fetched from a CDN. Every page starts with its provenance (data
source, content hash, package version, build date) and, for the bundled synthetic data, a
"DATA SINTETIS" banner. ``index.html`` links the pages.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from kinerja_analysis import paths
from kinerja_analysis.common.errors import InvalidOptionError, ReportError

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

REMOVED_TAGS = ("interactive-only", "injected-parameters")
"""Cells with these tags are left out of the HTML (widgets do not render offline; parameters are code)."""

_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}<style type="text/css">{{ resources.kinerja_css }}</style>{%- endblock extra_css -%}
{%- block body_header -%}{{ super() }}{{ resources.kinerja_header }}{%- endblock body_header -%}
"""

_CSS = """
.kinerja-sintetis { background: #b00020; color: #fff; font-weight: bold; padding: 0.6em 1em;
  margin: 0 0 0.5em 0; font-family: sans-serif; letter-spacing: 0.02em; }
.kinerja-provenance { font-family: sans-serif; font-size: 0.85em; color: #333; border-bottom: 1px solid #ccc;
  padding: 0.4em 1em 0.6em 1em; margin-bottom: 1em; }
.kinerja-provenance span { margin-right: 1.5em; white-space: nowrap; }
.kinerja-index { font-family: sans-serif; max-width: 50em; margin: 0 auto; padding: 0 1em 2em 1em; }
"""


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
        kernel_config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(tmp) / "kernel")}})
        for nb_path in tqdm(paths_in, desc="Laporan", unit="notebook", disable=not progress):
            page = out / f"{nb_path.stem}.html"
            executed = Path(tmp) / nb_path.name
            try:
                papermill.execute_notebook(
                    str(nb_path),
                    str(executed),
                    parameters=params,
                    kernel_name="python3",
                    cwd=str(nb_path.parent),  # as nbval runs them, so relative paths mean the same
                    progress_bar=False,
                    config=kernel_config,
                )
            except papermill.PapermillExecutionError as err:
                failures.append(_describe_failure(nb_path, executed, err))
                page.unlink(missing_ok=True)
                continue
            except DeadKernelError as err:  # out of memory, most often, on large data
                failures.append(f"{nb_path.name}: the kernel died ({err}); is the machine out of memory?")
                page.unlink(missing_ok=True)
                continue
            nb = nbformat.read(executed, as_version=4)
            title = notebook_title(nb, default=nb_path.stem)
            page.write_text(_page_html(nb, title=title, provenance=provenance), encoding="utf-8")
            written.append((page, title))
    index = out / "index.html"
    index.write_text(_index_html(written, provenance), encoding="utf-8")
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


def _page_html(nb: nbformat.NotebookNode, *, title: str, provenance: Provenance) -> str:
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        extra_loaders=[DictLoader({"kinerja_report.html.j2": _TEMPLATE})],
        template_file="kinerja_report.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="id",
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS)), enabled=True)
    resources = {
        "metadata": {"name": title},
        "kinerja_css": _CSS,
        "kinerja_header": provenance.header_html(index_link=True),
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def _index_html(pages: Sequence[tuple[Path, str]], provenance: Provenance) -> str:
    items = "\n".join(f'<li><a href="{html.escape(page.name)}">{html.escape(title)}</a></li>' for page, title in pages)
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Laporan evaluasi manajemen kinerja ASN</title>
<style type="text/css">{_CSS}</style>
</head>
<body>
{provenance.header_html(index_link=False)}
<main class="kinerja-index">
<h1>Laporan evaluasi manajemen kinerja ASN</h1>
<ol>
{items}
</ol>
</main>
</body>
</html>
"""


def find_chromium() -> str:
    """The Chromium (or Chrome) executable: ``$KINERJA_CHROMIUM``, else the first of chromium,
    chromium-browser, google-chrome on the PATH.

    Raises
    ------
    ReportError
        If none is found (on Debian/Ubuntu: ``apt-get install -y chromium``).
    """
    given = os.environ.get("KINERJA_CHROMIUM")
    if given:
        found = shutil.which(given)
        if found is None:
            raise ReportError(f"KINERJA_CHROMIUM={given!r} is not an executable; point it at Chromium or unset it.")
        return found
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found is not None:
            return found
    raise ReportError("PDF printing needs Chromium: install it (apt-get install -y chromium) or set KINERJA_CHROMIUM.")


def print_pdf(html_page: str | Path, pdf: str | Path, *, timeout: float = 120) -> Path:
    """Print an HTML report page to PDF with headless Chromium (nbconvert's webpdf needs a downloaded browser).

    Runs ``chromium --headless --no-sandbox --print-to-pdf=PDF file:///...html`` with a throw-away profile
    folder, so nothing is written outside ``pdf``'s folder and the system's temporary folder; the page's
    own header (banner, provenance) is printed, Chromium's date/URL header and footer are not.

    Returns
    -------
    The PDF's path.

    Raises
    ------
    ReportError
        If Chromium is missing, fails, or writes no PDF.
    """
    page = Path(html_page).resolve()
    if not page.is_file():
        raise ReportError(f"No HTML page at {page} to print; build it first (kinerja report).")
    out = Path(pdf).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="kinerja-chromium-") as profile:
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                   "--no-pdf-header-footer", f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                   page.as_uri()]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            raise ReportError(f"Chromium took more than {timeout:g} s to print {page.name}.") from err
    if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise ReportError(f"Chromium could not print {page.name} to PDF (exit {done.returncode}): {' | '.join(tail)}")
    return out
