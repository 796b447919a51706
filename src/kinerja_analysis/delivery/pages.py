"""The report pages: an executed notebook as one HTML page, the index page, and a page printed to PDF.

A page is nbconvert's ``lab`` template without code, prompts, or any script: RequireJS, MathJax, Mermaid
and the widget loader are left out (nothing is fetched from a CDN, and widgets do not render offline),
so the page carries no script of nbconvert's own either. Users' data reach a page only as text:

- nbconvert's documented option ``HTMLExporter.sanitize_html`` is on, so every HTML and Markdown output
  (and Markdown cell) passes the ``clean_html`` filter, which is replaced by
  :func:`kinerja_analysis.delivery.escape.clean_html` (an allow-list that fits the reports' tables and
  text), and JavaScript outputs are dropped;
- the finished page then goes through :func:`kinerja_analysis.delivery.escape.neutralise_page`, which
  removes any script, event handler or ``javascript:`` link that still got through.

:mod:`kinerja_analysis.delivery.reports` runs the notebooks and calls these.
"""

from __future__ import annotations

import copy
import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat

from kinerja_analysis.common.errors import ReportError
from kinerja_analysis.delivery.escape import clean_html, neutralise_page

__all__ = ["REMOVED_TAGS", "page_html", "index_html", "find_chromium", "print_pdf"]

REMOVED_TAGS = ("interactive-only", "injected-parameters")
"""Cells with these tags are left out of the HTML (widgets do not render offline; parameters are code)."""

# The blocks emptied here are every <script> the lab template writes, outputs' JavaScript aside (which
# sanitize_html drops): the loaders in the head and the widget views' scripts.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block data_widget_view -%}{%- endblock data_widget_view -%}
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


def page_html(nb: nbformat.NotebookNode, *, title: str, header: str) -> str:
    """An executed notebook as one self-contained page: outputs only, ``header`` (an HTML fragment) on top."""
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
        sanitize_html=True,
        filters={"clean_html": clean_html},
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS)), enabled=True)
    resources = {"metadata": {"name": title}, "kinerja_css": _CSS, "kinerja_header": header}
    # The saved widget state (random 32-hex model ids and the widgets' data) cannot render offline and
    # has no place in a report: an id's digits can even read as an 18-digit NIP to the leak scan.
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return neutralise_page(body)[0]


def index_html(pages: Sequence[tuple[Path, str]], *, header: str) -> str:
    """The index page: ``header`` (an HTML fragment), then a numbered link to each (page, title)."""
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
{header}
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
