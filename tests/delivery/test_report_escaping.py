"""Hostile text in users' data (names, unit ids, instansi, saran, complaint topics) never becomes live HTML.

The fast tests check each line of defence on its own (Markdown escaping through nbconvert's own Markdown
renderer, the HTML allow-list, the page pass); the slow one builds real reports (notebooks 00 and 05)
on a copy of the demo data whose cells hold HTML, script and spreadsheet formulas.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbconvert.filters import markdown2html
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kinerja_analysis.common.privacy import find_personal_data
from kinerja_analysis.delivery import summary
from kinerja_analysis.delivery.escape import clean_html, markdown_text, neutralise_page
from kinerja_analysis.delivery.pages import page_html
from kinerja_analysis.delivery.reports import build_reports

REPO = Path(__file__).resolve().parents[2]

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[klik](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<!-- komentar --> &lt;b&gt; &#60;i&#62; &amp;",
    "**tebal** _miring_ `kode` ~~coret~~ a|b $x$ $$y$$ \\*",
    "# judul\n\n<script>alert(2)</script>\n- butir",
    "1. satu",
    '=HYPERLINK("http://contoh.invalid/x","klik")',
    "www.contoh.invalid dan https://contoh.invalid/",
]


def _live(soup: BeautifulSoup) -> list[str]:
    """Everything in a parsed page that a browser would run, load or follow as script."""
    found = []
    for tag in soup.find_all(True):
        inert_data = tag.name == "script" and re.fullmatch(r"application/([\w.+-]+\+)?json", str(tag.get("type", "")))
        if tag.name in ("script", "svg", "iframe", "object", "embed", "base") and not inert_data:
            found.append(str(tag)[:80])
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or re.match(r"\s*(javascript|vbscript):", text, re.IGNORECASE):
                found.append(f"{tag.name}[{name}={text[:40]}]")
        if tag.name == "img" and tag.has_attr("src") and not str(tag["src"]).startswith("data:image/"):
            found.append(str(tag)[:80])  # a picture fetched from elsewhere
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_renders_as_exactly_the_text(text):
    # nbconvert's own Markdown renderer (it passes raw HTML through and links any protocol)
    rendered = BeautifulSoup(markdown2html(f"- Unit {markdown_text(text)} *(buku 02)*"), "html.parser")
    assert _words(rendered.get_text()) == _words(f"Unit {text} (buku 02)")
    assert sorted({t.name for t in rendered.find_all(True)}) == ["em", "li", "ul"]  # no tag, link or math
    alone = BeautifulSoup(markdown2html(markdown_text(text)), "html.parser")  # at the start of a line
    assert _words(alone.get_text()) == _words(text) and {t.name for t in alone.find_all(True)} <= {"p"}


def test_markdown_text_leaves_plain_sentences_unchanged():
    plain = 'Pada 2024, 89% berkas (selang 95% 88,8% sampai 90,0%); Callaway-Sant\'Anna, "Program" -0,50.'
    assert markdown_text(plain) == plain


def test_as_markdown_escapes_sentences_topics_and_recommendations():
    table = pd.DataFrame(
        {
            "topik": ["Kecepatan <b>layanan</b>"],
            "kalimat": ["Unit terendah adalah PKM<img src=x onerror=alert(1)>: 63%."],
            "buku": ["02"],
        }
    )
    text = summary.as_markdown(table, ["Perluas ke sektor [klik](javascript:alert(2))."])
    soup = BeautifulSoup(markdown2html(text), "html.parser")
    assert not _live(soup) and not soup.find_all(["img", "a", "b"])
    shown = soup.get_text()
    assert "PKM<img src=x onerror=alert(1)>: 63%." in shown and "Kecepatan <b>layanan</b>" in shown
    assert "[klik](javascript:alert(2))" in shown
    assert [t.name for t in soup.find_all(["strong", "em", "ol", "ul"])].count("strong") == 2  # own marks kept


def test_clean_html_keeps_report_tables_and_shows_other_tags_as_text():
    frame = pd.DataFrame({"unit_id": ["<script>alert(1)</script>"], "estimate": [0.5]})
    table = frame._repr_html_()
    cleaned = BeautifulSoup(clean_html(table), "html.parser")
    assert cleaned.find("table", class_="dataframe") and cleaned.find("style") and cleaned.find("th")
    assert "<script>alert(1)</script>" in cleaned.get_text()
    raw = (
        '<p onclick="x()">a</p><img src="https://contoh.invalid/p.png"><iframe src="x"></iframe>'
        '<a href="javascript:x()">k</a>'
    )
    soup = BeautifulSoup(clean_html(raw), "html.parser")
    assert not _live(soup), soup
    assert "<iframe" in soup.get_text()  # not allowed, so shown as text


def test_neutralise_page_removes_what_would_run_and_keeps_data_blocks():
    page = (
        '<html><head><meta http-equiv="refresh" content="0;url=javascript:x()"><base href="http://x/"></head>'
        '<body><p onmouseover="x()">a</p><script>alert(1)</script><script type="application/json">{"a": 1}'
        '</script><iframe srcdoc="&lt;script&gt;x()&lt;/script&gt;"></iframe><a href="JaVa&#x09;Script:x()">k</a>'
        '<img src="data:image/png;base64,iVBO"></body></html>'
    )
    out, removed = neutralise_page(page)
    soup = BeautifulSoup(out, "html.parser")
    assert removed == 6 and soup.find("script", type="application/json") and soup.find("img")
    assert not [s for s in soup.find_all("script") if s.get("type") != "application/json"]
    assert not _live(soup) and not soup.find("meta") and "a" in soup.get_text()
    clean = "<html><body><p>aman</p></body></html>"
    assert neutralise_page(clean) == (clean, 0)


def test_a_page_shows_hostile_outputs_and_markdown_as_text():
    hostile = "<img src=x onerror=alert(1)>"
    cell_html = f"<table><tr><td>{hostile}</td></tr></table>"
    outputs = [
        new_output("display_data", data={"text/markdown": f"- PKM{hostile}", "text/plain": "m"}),
        new_output("display_data", data={"text/html": cell_html, "text/plain": "h"}),
        new_output("display_data", data={"application/javascript": "alert(3)", "text/plain": "j"}),
        new_output("stream", name="stdout", text=f"cetak {hostile}\n"),
    ]
    nb = new_notebook(cells=[new_markdown_cell(f"# Judul\n\nsel {hostile}"), new_code_cell("x", outputs=outputs)])
    page = page_html(nb, title="Uji <b>judul</b>", header='<header class="kinerja-provenance">h</header>')
    soup = BeautifulSoup(page, "html.parser")
    assert not _live(soup), _live(soup)
    assert "<script" not in page and "alert(3)" not in page  # JavaScript outputs are dropped, not run
    assert soup.title.get_text() == "Uji <b>judul</b>" and soup.find("h1")  # own Markdown still renders
    assert soup.find("table") and soup.find("header", class_="kinerja-provenance")
    assert "cetak <img src=x onerror=alert(1)>" in soup.get_text()
    # raw HTML that a notebook itself writes keeps its allowed tags, stripped to inert attributes
    assert all(set(img.attrs) <= {"alt"} for img in soup.find_all("img"))


# --- real reports on hostile data ---------------------------------------------------------------

UNIT_IDS = {"PKM-PLJ": "PKM<script>alert('unit')</script>", "KEC-PLJ": 'KEC"><img src=x onerror=alert(2)>'}
INSTANSI = {"Dinas Kesehatan Kota Palembang": 'Dinkes "><svg onload=alert(3)>'}
NAMA_UNIT = "<img src=x onerror=alert('nama_unit')>"
JABATAN = "<script>alert('jabatan')</script>"
NAMA = "Siti <b onmouseover=alert(4)>Aminah</b>"
SARAN = ("antrian <script>alert('saran')</script> lama", '=HYPERLINK("http://contoh.invalid","klik")')
KATEGORI = ("<img src=x onerror=alert('kategori')>", "=1+2")


def _edit(folder: Path, table: str, change) -> None:
    path = folder / f"{table}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(frame)
    frame.to_csv(path, index=False)


def _hostile_copy(folder: Path) -> Path:
    data = Path(shutil.copytree(REPO / "data" / "demo", folder))
    for table in ("unit_kerja", "pegawai", "layanan", "survei", "pengaduan"):
        # the units the summary names (lowest SLA compliance, most returned files) and notebook 05 tabulates
        _edit(data, table, lambda t: t.__setitem__("unit_id", t["unit_id"].replace(UNIT_IDS)))

    def units(t: pd.DataFrame) -> None:
        t.loc[t.index[:3], "nama_unit"] = NAMA_UNIT
        t["instansi"] = t["instansi"].replace(INSTANSI)  # the partner sentence names the provider

    def people(t: pd.DataFrame) -> None:
        t.loc[t.index[:20], "jabatan"] = JABATAN
        t.loc[t.index[:5], "nama"] = NAMA

    def survey(t: pd.DataFrame) -> None:
        t.loc[t.index[:300], "saran"] = [SARAN[i % 2] for i in range(300)]

    def complaints(t: pd.DataFrame) -> None:
        t["kategori"] = [KATEGORI[i % 3] if i % 3 < 2 else k for i, k in enumerate(t["kategori"])]

    _edit(data, "unit_kerja", units)
    _edit(data, "pegawai", people)
    _edit(data, "survei", survey)
    _edit(data, "pengaduan", complaints)
    _edit(data, "pelatihan", lambda t: t.__setitem__("penyelenggara", t["penyelenggara"].replace(INSTANSI)))
    return data


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Notebooks 00 and 05 built once on the hostile copy: (data folder, page name -> HTML)."""
    root = tmp_path_factory.mktemp("hostile-reports")
    data = _hostile_copy(root / "ekspor_jahil")
    notebooks = [REPO / "notebooks" / f"{nb}.ipynb" for nb in ("00_ringkasan_eksekutif", "05_umpan_balik_masyarakat")]
    folders = (("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"), ("IPYTHONDIR", "ipython"))
    with pytest.MonkeyPatch.context() as mp:  # the private Jupyter folders of the conftest's jupyter_env
        for var, sub in folders:
            (root / "jupyter-home" / sub).mkdir(parents=True)
            mp.setenv(var, str(root / "jupyter-home" / sub))
        mp.delenv("KINERJA_HOME", raising=False)
        pages = build_reports(data_dir=data, out_dir=root / "laporan", notebooks=notebooks, progress=False)
    return data, {page.name: page.read_text(encoding="utf-8") for page in pages}


@pytest.mark.slow
def test_real_reports_on_hostile_data_run_no_script(hostile_reports):
    _, pages = hostile_reports
    assert sorted(pages) == ["00_ringkasan_eksekutif.html", "05_umpan_balik_masyarakat.html", "index.html"]
    for name, page in pages.items():
        # the template keeps none of nbconvert's scripts, so any <script> at all would be the data's
        assert not re.search(r"<script\b", page, re.IGNORECASE), name
        assert not re.search(r"<[a-z][^<>]*\son[a-z]+\s*=", page, re.IGNORECASE), name
        assert not _live(BeautifulSoup(page, "html.parser")), (name, _live(BeautifulSoup(page, "html.parser"))[:5])
        assert neutralise_page(page)[1] == 0, name  # escaping and the allow-list did it: the last pass had nothing


@pytest.mark.slow
def test_real_reports_show_hostile_text_as_text(hostile_reports):
    _, pages = hostile_reports
    summary_page = BeautifulSoup(pages["00_ringkasan_eksekutif.html"], "html.parser")
    findings = "\n".join(d.get_text() for d in summary_page.find_all("div", attrs={"data-mime-type": "text/markdown"}))
    # the executive summary's Markdown names the units and the training provider from the data
    assert f"terendah adalah {UNIT_IDS['PKM-PLJ']}: " in findings
    assert f"paling sering di {UNIT_IDS['KEC-PLJ']}: " in findings
    assert f"pelatihan {INSTANSI['Dinas Kesehatan Kota Palembang']} menjangkau" in findings
    assert summary_page.find("strong") and summary_page.find("ol")  # the summary's own Markdown still renders
    feedback = BeautifulSoup(pages["05_umpan_balik_masyarakat.html"], "html.parser").get_text()
    for text in (*UNIT_IDS.values(), KATEGORI[0], KATEGORI[1]):
        assert text in feedback, text
    for name, page in pages.items():  # whatever hostile text a page shows, it shows as escaped text
        raw = BeautifulSoup(page, "html.parser").get_text()
        for text in (*UNIT_IDS.values(), *INSTANSI.values(), NAMA_UNIT, JABATAN, *SARAN, KATEGORI[0]):
            if text in raw:
                assert html.escape(text, quote=False) in page or html.escape(text) in page, (name, text)


@pytest.mark.slow
def test_real_reports_on_hostile_data_still_pass_the_personal_data_scan(hostile_reports):
    data, pages = hostile_reports
    names = pd.read_csv(data / "pegawai.csv", dtype="str")["nama"].dropna()
    units = pd.read_csv(data / "unit_kerja.csv", dtype="str")
    public = sorted(set(units["nama_unit"].dropna()) | set(units["kelurahan"].dropna()))
    assert NAMA in set(names)
    # the embedded pictures' base64 holds no text to find, and is most of a page: scanning it quadruples the time
    texts = {name: re.sub(r'data:image/[^"]+', "data:image/png;base64,", page) for name, page in pages.items()}
    leaks = {name: find_personal_data(text, names=names, public=public) for name, text in texts.items()}
    assert not any(leaks.values()), {k: v[:5] for k, v in leaks.items() if v}
    # the scan reads escaped text: a hostile name shown as text would be found
    assert find_personal_data(f"<td>{html.escape(NAMA)}</td>", names=[NAMA]) == [NAMA]


def test_a_page_carries_no_saved_widget_state():
    """Widgets do not render offline; their saved state (random hex model ids) must not reach a report page,
    where an id's digits can read as an 18-digit NIP."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from kinerja_analysis.delivery.pages import page_html

    nb = new_notebook(cells=[new_code_cell("1", outputs=[new_output("execute_result", {"text/plain": "1"})])])
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {"838895641638523487aaaabbbbccccdddd": {"model_name": "IntSliderModel", "state": {}}},
            "version_major": 2,
            "version_minor": 0,
        }
    }
    html = page_html(nb, title="t", header="")
    assert "widget-state" not in html and "838895641638523487" not in html
    assert "widgets" in nb.metadata  # the caller's notebook is not modified
    nbformat.validate(nb)
