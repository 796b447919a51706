"""Reports: executed notebooks as HTML without code, with provenance, banner, index, and no personal data."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

import kinerja_analysis
from kinerja_analysis.common.errors import InvalidOptionError, ReportError
from kinerja_analysis.common.privacy import find_personal_data
from kinerja_analysis.data.io import load_dataset
from kinerja_analysis.delivery.reports import build_reports, narrative_notebooks, notebook_title

REPO = Path(__file__).resolve().parents[2]

PARAMS = ("code", 'data_dir = ""', ["parameters"])
# The sources hold markers that must not reach the HTML; the outputs hold values that must.
REPORT_CELLS = [
    ("md", "# Laporan Uji Satu\n\nData sintetis untuk pengujian."),
    PARAMS,
    ("code", "from pathlib import Path\nKODE_SUMBER_RAHASIA = 6 * 7 * 1001\nprint('hasil', KODE_SUMBER_RAHASIA)"),
    ("code", "print('folder data:', Path(data_dir).name if data_dir else 'demo')"),
    (
        "code",
        "import matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n%matplotlib inline\n"
        "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([1, 2, 3]);",
    ),  # fmt: skip
    ("code", "print('HANYA_INTERAKTIF')", ["interactive-only"]),
]


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.slow
def test_pages_have_outputs_but_no_code_and_carry_provenance_and_banner(tiny_project, make_notebook, jupyter_env):
    nb1 = make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", REPORT_CELLS)
    nb2 = make_notebook(
        tiny_project / "notebooks" / "02_dua.ipynb",
        [("md", "Pengantar tanpa judul.\n\n## Laporan Uji Dua ##"), PARAMS, ("code", "print(2 ** 10)")],
    )
    out = tiny_project / "laporan"
    pages = build_reports(data_dir=None, out_dir=out, progress=False)
    assert pages == [out / "01_satu.html", out / "02_dua.html", out / "index.html"]

    page = _html(out / "01_satu.html")
    text = _text_of(page)
    assert "hasil 42042" in text and "folder data: demo" in text
    assert "KODE_SUMBER_RAHASIA" not in page and "6 * 7" not in page  # no code input
    assert "HANYA_INTERAKTIF" not in page  # interactive-only cell removed
    assert "data_dir = " not in page  # parameters and injected-parameters cells show no code
    code_cells = re.findall(r'class="(jp-Cell jp-CodeCell[^"]*)"', page)
    assert len(code_cells) == 4 and all("jp-mod-noInput" in c for c in code_cells), code_cells
    assert not re.search(r'class="[^"]*(jp-InputPrompt|jp-OutputPrompt|jp-CodeMirrorEditor)', page)
    assert re.search(r'<img [^>]*src="data:image/png;base64,', page)  # the figure is embedded
    assert not re.search(r"<(script|link|img)\b[^>]*(src|href)=\"https?://", page)  # nothing from a CDN
    assert "<title>Laporan Uji Satu</title>" in page

    demo_hash = load_dataset(tiny_project / "data" / "demo").content_hash
    for name in ("01_satu.html", "02_dua.html", "index.html"):
        html = _html(out / name)
        assert "DATA SINTETIS" in html, name
        assert "<code>data/demo</code>" in html, name  # relative to the project, not absolute
        assert f"<code>{demo_hash[:16]}</code>" in html, name
        assert f"kinerja-analysis: {kinerja_analysis.__version__}" in html, name
        assert f"Dibuat: {dt.date.today().isoformat()}" in html, name
        assert str(tiny_project) not in html, name

    index = _html(out / "index.html")
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', index)
    assert links == [("01_satu.html", "Laporan Uji Satu"), ("02_dua.html", "Laporan Uji Dua")]
    assert nb1.is_file() and nb2.is_file()


@pytest.mark.slow
def test_users_data_has_no_banner_and_shows_only_the_folder_name(tiny_project, tiny_export, make_notebook, jupyter_env):
    make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", REPORT_CELLS[:4])
    out = tiny_project / "laporan"
    build_reports(data_dir=tiny_export, out_dir=out, progress=False)
    page = _html(out / "01_satu.html")
    assert "folder data: ekspor_plaju" in _text_of(page)  # the notebook got the data folder
    assert "DATA SINTETIS" not in page
    assert "<code>ekspor_plaju</code>" in page
    assert str(tiny_export.parent) not in page and str(tiny_export.parent) not in _html(out / "index.html")

    # a copy of the demo data elsewhere is still the demo data
    copy = shutil.copytree(tiny_project / "data" / "demo", tiny_export.parent / "salinan_demo")
    build_reports(data_dir=copy, out_dir=out, progress=False)
    assert "DATA SINTETIS" in _html(out / "01_satu.html")


@pytest.mark.slow
def test_a_failing_notebook_is_named_with_its_cell_and_the_others_are_built(tiny_project, make_notebook, jupyter_env):
    make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", REPORT_CELLS[:3])
    make_notebook(
        tiny_project / "notebooks" / "02_gagal.ipynb",
        [("md", "# Gagal"), PARAMS, ("code", "x = 1"), ("code", "y = x / 0"), ("code", "print('never')")],
    )
    out = tiny_project / "laporan"
    out.mkdir()
    (out / "02_gagal.html").write_text("old page from an earlier run", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        build_reports(data_dir=None, out_dir=out, progress=False)
    # cell 4 as JupyterLab counts it, although papermill injected a cell before it
    assert "02_gagal.ipynb, cell 4: ZeroDivisionError: division by zero" in str(info.value)
    assert "01_satu" not in str(info.value)
    assert (out / "01_satu.html").is_file()
    assert not (out / "02_gagal.html").exists()  # no stale page
    assert re.findall(r'href="([^"]+)"', _html(out / "index.html")) == ["01_satu.html"]


def test_bad_arguments(tiny_project, make_notebook):
    with pytest.raises(InvalidOptionError, match="none match"):
        build_reports(data_dir=None, out_dir=tiny_project / "out", progress=False)
    nb = make_notebook(tiny_project / "notebooks" / "01_satu.ipynb", REPORT_CELLS[:2])
    with pytest.raises(InvalidOptionError, match="data_dir"):
        build_reports(data_dir=None, out_dir=tiny_project / "out", parameters={"data_dir": "x"})
    with pytest.raises(InvalidOptionError, match="not found"):
        build_reports(data_dir=None, out_dir=tiny_project / "out", notebooks=[nb.with_name("03_tidak_ada.ipynb")])
    assert not (tiny_project / "out").exists()


def test_narrative_notebooks_and_titles(tiny_project, make_notebook):
    for name in ("02_b.ipynb", "01_a.ipynb", "catatan.ipynb", "1_x.ipynb"):
        make_notebook(tiny_project / "notebooks" / name, [("md", "x")])
    assert [p.name for p in narrative_notebooks()] == ["01_a.ipynb", "02_b.ipynb"]
    nb = new_notebook(cells=[new_markdown_cell("Teks.\n\n### Judul *tiga* ###"), new_markdown_cell("# Nanti")])
    assert notebook_title(nb) == "Judul tiga"  # emphasis marks dropped: the title is plain text
    assert notebook_title(new_notebook(cells=[new_markdown_cell("#tanpa spasi")]), default="x") == "x"


# --- the privacy requirement, on the real notebooks and the demo data --------------------


@pytest.fixture(scope="module")
def real_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    """The committed notebooks built once on the demo data: (notebooks, pages), shared by the HTML and PDF checks."""
    notebooks = narrative_notebooks(REPO / "notebooks")
    assert notebooks, "no committed notebooks/NN_*.ipynb to build reports from"
    root = tmp_path_factory.mktemp("real-reports")
    # the conftest's jupyter_env is per test; the same private Jupyter folders, for this one build
    with pytest.MonkeyPatch.context() as mp:
        for var, sub in (
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("JUPYTER_CONFIG_DIR", "config"),
            ("IPYTHONDIR", "ipython"),
        ):
            (root / "jupyter-home" / sub).mkdir(parents=True)
            mp.setenv(var, str(root / "jupyter-home" / sub))
        mp.delenv("KINERJA_HOME", raising=False)
        pages = build_reports(data_dir=None, out_dir=root / "reports", notebooks=notebooks, progress=False)
    return notebooks, pages


def _demo_places() -> list[str]:
    """Published place names (units, kelurahan): words in them are not a person's name there."""
    units = pd.read_csv(REPO / "data" / "demo" / "unit_kerja.csv", dtype="str")
    return sorted(set(units["nama_unit"].dropna()) | set(units["kelurahan"].dropna()))


def _demo_names() -> pd.Series:
    names = pd.read_csv(REPO / "data" / "demo" / "pegawai.csv", dtype="str")["nama"].dropna()
    assert len(names) > 100
    return names


@pytest.mark.slow
def test_real_reports_show_no_nip_and_no_name(real_reports):
    notebooks, pages = real_reports
    names = _demo_names()
    assert len(pages) == len(notebooks) + 1
    leaks = {page.name: find_personal_data(_html(page), names=names, public=_demo_places()) for page in pages}
    assert not any(leaks.values()), {k: v[:5] for k, v in leaks.items() if v}
    assert all("DATA SINTETIS" in _html(page) for page in pages)
    index = _html(pages[0].parent / "index.html")
    for nb_path, page in zip(notebooks, pages, strict=False):
        title = notebook_title(nbformat.read(nb_path, as_version=4), default=nb_path.stem)
        assert f'<a href="{page.name}">' in index, title


@pytest.mark.slow
def test_real_summary_pdf_shows_no_nip_and_no_name(request, tmp_path, monkeypatch):
    from pypdf import PdfReader

    from kinerja_analysis.delivery.reports import print_pdf

    monkeypatch.delenv("KINERJA_CHROMIUM", raising=False)
    _need_chromium()  # before the build, so a machine without Chromium does not build for nothing
    _, pages = request.getfixturevalue("real_reports")
    summary = [page for page in pages if page.name.startswith("00_")]
    assert len(summary) == 1, [page.name for page in pages]
    # what `kinerja report --pdf` prints: the 00 page, beside it
    pdf = print_pdf(summary[0], tmp_path / f"{summary[0].stem}.pdf")
    # NFKC: Chromium sets "fi" and "fl" as ligatures (U+FB01, U+FB02), which would hide "Safitri" from the scan
    text = unicodedata.normalize("NFKC", "\n".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "DATA SINTETIS" in text  # the text was extracted, so an empty scan cannot pass
    leaks = find_personal_data(text, names=_demo_names(), public=_demo_places())
    assert not leaks, leaks[:5]


@pytest.mark.slow
def test_a_dying_kernel_is_reported_by_notebook(tiny_project, make_notebook, jupyter_env):
    make_notebook(
        tiny_project / "notebooks" / "03_mati.ipynb", [("md", "# Mati"), PARAMS, ("code", "import os\nos._exit(1)")]
    )
    with pytest.raises(ReportError, match=r"03_mati.ipynb: the kernel died"):
        build_reports(data_dir=None, out_dir=tiny_project / "laporan", progress=False)


@pytest.mark.slow
def test_the_kernels_own_output_stays_off_the_terminal_and_names_a_death(
    tiny_project, make_notebook, jupyter_env, capfd
):
    # os.write goes to the kernel process's descriptors, past IOPub: where ipykernel's shutdown traceback goes
    noise = "import os\nos.write(1, b'KEBISINGAN_STDOUT\\n')\nos.write(2, b'Traceback (most recent call last): X\\n')"
    make_notebook(tiny_project / "notebooks" / "01_bising.ipynb", [("md", "# Bising"), PARAMS, ("code", noise)])
    build_reports(data_dir=None, out_dir=tiny_project / "laporan", progress=False)
    seen = capfd.readouterr()
    assert "KEBISINGAN_STDOUT" not in seen.out and "Traceback" not in seen.err
    assert (tiny_project / "laporan" / "01_bising.html").is_file()

    last_words = "import os\nos.write(2, b'MemoryError: 9 GiB\\n')\nos._exit(1)"
    make_notebook(tiny_project / "notebooks" / "02_mati.ipynb", [("md", "# Mati"), PARAMS, ("code", last_words)])
    with pytest.raises(ReportError, match=r"02_mati.ipynb: the kernel died .*last words: MemoryError: 9 GiB;"):
        build_reports(data_dir=None, out_dir=tiny_project / "laporan", progress=False)
    assert "MemoryError" not in capfd.readouterr().err


# --- PDF ------------------------------------------------------------------------------------------


def _need_chromium() -> None:
    if shutil.which("chromium") is None and shutil.which("chromium-browser") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PDF printing needs Chromium; in CI a missing browser is a failure.")
        pytest.skip("PDF printing needs Chromium (apt-get install -y chromium)")


def test_print_pdf_keeps_the_banner_text(tmp_path, monkeypatch):
    from pypdf import PdfReader

    from kinerja_analysis.delivery.reports import print_pdf

    monkeypatch.delenv("KINERJA_CHROMIUM", raising=False)
    _need_chromium()
    page = tmp_path / "r.html"
    page.write_text('<html><body><div class="kinerja-sintetis">DATA SINTETIS: contoh</div><p>Ringkasan IKM 76,61</p>'
                    "</body></html>", encoding="utf-8")  # fmt: skip
    pdf = print_pdf(page, tmp_path / "out" / "r.pdf")
    assert pdf.read_bytes()[:4] == b"%PDF"
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "DATA SINTETIS" in text and "76,61" in text


def test_print_pdf_errors_name_what_to_do(tmp_path, monkeypatch):
    from kinerja_analysis.delivery.reports import print_pdf

    page = tmp_path / "r.html"
    with pytest.raises(ReportError, match="build it first"):
        print_pdf(page, tmp_path / "r.pdf")
    page.write_text("<p>x</p>", encoding="utf-8")
    monkeypatch.setenv("KINERJA_CHROMIUM", str(tmp_path / "tidak_ada"))
    with pytest.raises(ReportError, match="KINERJA_CHROMIUM"):
        print_pdf(page, tmp_path / "r.pdf")
