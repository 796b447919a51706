"""Text from users' data in the reports: shown as text, never run as HTML or script.

Names, unit ids, instansi, programmes, saran and complaint topics come from users' files and may hold
text that looks like HTML (``<img src=x onerror=...>``) or Markdown (``[klik](javascript:...)``). Three
lines keep it text:

1. :func:`markdown_text` escapes data-derived text before it is put into Markdown (nbconvert renders raw
   HTML in Markdown as HTML, and links with any protocol); :func:`kinerja_analysis.delivery.summary.as_markdown`
   uses it for every sentence.
2. :func:`clean_html` is the filter nbconvert applies to HTML and Markdown outputs and Markdown cells
   when its documented option ``HTMLExporter.sanitize_html`` is on: an allow-list of the tags and
   attributes the reports use (tables, headings, lists, links, images), with anything else shown as
   text and no event handler, script or ``javascript:`` link left.
3. :func:`neutralise_page` goes over the finished page and removes whatever a browser would still run:
   ``<script>`` elements (inert JSON data blocks aside), ``on...`` attributes, ``javascript:`` URLs,
   frames and plugin elements. The report template keeps none of nbconvert's own scripts (no RequireJS,
   MathJax, Mermaid or widget code: see :mod:`kinerja_analysis.delivery.pages`), so nothing the page
   needs is lost, and on a page the first two lines made safe it changes nothing.
"""

from __future__ import annotations

import re

__all__ = ["markdown_text", "clean_html", "neutralise_page", "ALLOWED_TAGS", "ALLOWED_ATTRIBUTES"]

# Inline Markdown syntax (emphasis, code, links and images, strikethrough, tables, math, escapes).
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]~|$])")
# What opens a block at the start of a line: heading, list item, setext underline, ordered list item.
_MARKDOWN_BLOCK_START = re.compile(r"^(\s*)(?:([#+\-=])|(\d+)([.)]))")
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def markdown_text(value: object) -> str:
    r"""``value`` as Markdown that renders as exactly that text, on one line.

    ``&``, ``<`` and ``>`` become character references (so no HTML tag and no autolink can start);
    Markdown's inline marks (``\ ` * _ [ ] ~ | $``) and the colon of ``://`` (a bare URL would become a
    link) are backslash-escaped; a leading block mark (``#``, ``-``, ``+``, ``=``, ``1.``) is escaped; line
    breaks become spaces, so the text cannot open a block of its own. Text with none of these characters
    is returned unchanged.

    >>> print(markdown_text("PKM<img src=x onerror=alert(1)>"))
    PKM&lt;img src=x onerror=alert(1)&gt;
    >>> print(markdown_text("[klik](javascript:alert(1)) *tebal* a_b"))
    \[klik\](javascript:alert(1)) \*tebal\* a\_b
    >>> print(markdown_text("1. judul\n# bukan judul"))
    1\. judul # bukan judul
    """
    text = _LINE_BREAKS.sub(" ", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_INLINE.sub(r"\\\1", text).replace("://", "\\://")  # no autolink either
    return _MARKDOWN_BLOCK_START.sub(_escape_block_start, text, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    space, mark, digits, dot = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{digits}\\{dot}"


ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "kbd", "li", "ol", "p", "pre", "s", "small", "span", "strong", "style", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
"""Tags the report pages use in outputs and Markdown (pandas tables and their ``<style>``, headings, lists)."""

_CELL = ["colspan", "rowspan", "halign", "valign", "align", "style"]
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "*": ["class", "id", "title", "lang", "dir"],
    "a": ["href"],
    "img": ["src", "alt", "width", "height"],
    "table": ["border"],
    "tr": ["style"],
    "th": _CELL,
    "td": _CELL,
    "style": ["scoped", "type"],
    "ol": ["start"],
    "col": ["span"],
    "colgroup": ["span"],
}
"""Attributes kept per tag: no event handler (``on...``) is ever among them."""

_PROTOCOLS = frozenset({"http", "https", "mailto", "data"})
_IMAGE_DATA = re.compile(r"^\s*data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()) and name not in ALLOWED_ATTRIBUTES["*"]:
        return False
    if tag == "img" and name == "src":  # embedded pictures only: a page fetches nothing
        return _IMAGE_DATA.match(value) is not None
    return not re.match(r"^\s*data:", value, re.IGNORECASE)  # never a link to a data: page


def clean_html(html: object) -> str:
    """HTML reduced to :data:`ALLOWED_TAGS` and :data:`ALLOWED_ATTRIBUTES`; other tags are shown as text.

    Used as nbconvert's ``clean_html`` filter (its own keeps too few tags for the reports: no ``<p>``,
    heading or table header). Links may point to http(s), mailto or an anchor; images only to an embedded
    picture (``data:image/...``), so a page fetches nothing. Inline styles pass bleach's CSS sanitizer.

    >>> clean_html('<p onclick="x()">a <img src=x onerror=alert(1)> <script>alert(2)</script></p>')
    '<p>a <img> &lt;script&gt;alert(2)&lt;/script&gt;</p>'
    >>> clean_html('<a href="javascript:alert(1)">klik</a> <a href="data:text/html,x">data</a>')
    '<a>klik</a> <a>data</a>'
    """
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = html.decode() if isinstance(html, bytes) else str(html)
    return bleach.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=_PROTOCOLS,
        css_sanitizer=CSSSanitizer(),
        strip=False,
        strip_comments=True,
    )


# Script types a browser does not run: data blocks. Every other type (or none) is script.
_INERT_SCRIPT = re.compile(r"^\s*application/([\w.+-]+\+)?json\s*$", re.IGNORECASE)
_EMBEDDING_TAGS = ("iframe", "frame", "frameset", "object", "embed", "applet", "base")
_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster"})
# a script protocol, or a data: URL that is not a picture (a data: page can hold script)
_SCRIPT_URL = re.compile(r"^((java|vb|live)script:|data:(?!image/))", re.IGNORECASE)


def neutralise_page(page: str) -> tuple[str, int]:
    """The page without anything a browser would run, and how many things were removed.

    Removed: ``<script>`` elements other than inert JSON data blocks (``type="application/json"`` or
    ``application/...+json``), frames and plugin elements (``iframe``, ``object``, ``embed``...) and
    ``<base>``, ``<meta http-equiv>`` (a refresh can navigate), every ``on...`` event attribute,
    ``srcdoc``, and URLs with a script protocol (``javascript:``, also with entities or spaces inside)
    or a ``data:`` URL that is not a picture. An unchanged page is returned as given, byte for byte.

    >>> neutralise_page('<p onmouseover="x()">a</p><script>alert(1)</script>'
    ...                 '<script type="application/json">{}</script><a href=" java&#9;script:x()">b</a>')
    ('<p>a</p><script type="application/json">{}</script><a>b</a>', 3)
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")  # the parser nbconvert itself re-reads pages with
    removed = 0
    for element in soup.find_all(["script", "meta", *_EMBEDDING_TAGS]):
        if element.decomposed:  # inside an element removed before
            continue
        if element.name == "script" and _INERT_SCRIPT.match(str(element.get("type", ""))):
            continue
        if element.name == "meta" and not element.has_attr("http-equiv"):
            continue
        element.decompose()
        removed += 1
    for element in soup.find_all(True):
        for name in list(element.attrs):
            value = element.attrs[name]
            url = re.sub(r"[\x00-\x20]+", "", " ".join(value) if isinstance(value, list) else str(value))
            key = name.lower()
            if key.startswith("on") or key == "srcdoc" or (key in _URL_ATTRIBUTES and _SCRIPT_URL.match(url)):
                del element.attrs[name]
                removed += 1
    return (str(soup), removed) if removed else (page, 0)
