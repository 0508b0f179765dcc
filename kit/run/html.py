"""Turning executed notebooks into deliverables: HTML reports and the run's index page.

HTML is produced with nbconvert's Python API (no command-line start-up cost), with code cells
and prompts hidden so a store manager sees only the narrative, tables and charts.  Charts are
PNG images embedded in the page, so the report displays without a network connection.

A report shows data -- store names, categories, messages -- and data is text, never markup that
acts: every page is passed through :func:`neutralise_html`, which leaves no script in it (the
template's own do nothing offline), and shows as plain text any tag of the body that would run
code or load something from another host (``<script>``, ``on…=`` handlers, ``javascript:``
links, ``<img src=http://…>``, ``<iframe>``, CSS ``url(http…)``).  The index page is built from
escaped text alone, and links only files inside the run folder.

Examples
--------
>>> html = index_html([{"store_id": "001", "notebook": "03_complaint_audit", "status": "ok",
...                     "duration_s": 3.2, "html": "001/03_complaint_audit.html"}], "en", title="Run")
>>> "001/03_complaint_audit.html" in html
True
"""

from __future__ import annotations

import copy
import html as html_lib
import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from kit.core.errors import KitError
from kit.core.files import write_text
from kit.core.i18n import t

__all__ = [
    "CHAIN_ID",
    "DEFAULT_PAGE",
    "export_html",
    "external_refs",
    "failure_text",
    "index_html",
    "make_offline",
    "neutralise_html",
    "page_title",
    "period_label",
    "report_cells",
    "report_title",
    "write_index",
]

# Script tags that load from a CDN do nothing offline; what a report shows never depends on them.
#: ``store_id`` of chain-level jobs in the manifest.
CHAIN_ID = "chain"

_CDN_SCRIPT = re.compile(r'<script[^>]+src=["\']?(?:https?:)?//[^>]*>\s*</script>\s*', re.IGNORECASE)
# Style sheets and fonts from a CDN (``<link href=...>``, CSS ``@import``) are dropped too.
_CDN_LINK = re.compile(r'<link[^>]+href=["\']?(?:https?:)?//[^>]*>\s*', re.IGNORECASE)
_CDN_IMPORT = re.compile(r'@import\s+(?:url\()?["\']?(?:https?:)?//[^;]*;', re.IGNORECASE)
# External references left in a page: ``src=`` / ``href=`` / CSS ``url()`` / ``@import`` / a script's
# ``import()`` pointing at another host.
_EXTERNAL_REF = re.compile(
    r'(?:(?:src|href|srcset|poster|action|data)\s*=\s*["\']?|url\(\s*["\']?|@import\s+["\']|import\(\s*["\'])'
    r'((?:https?:)?//[^"\'\s>)]+)',
    re.IGNORECASE,
)
# Printed pages: A4 portrait (a notebook's metadata ``kit.page`` may ask for "A4 landscape"); code
# and prompts never shown; a heading stays with what follows it; wide tables wrap instead of
# scrolling; a Chinese name never breaks one character per line.
_PRINT_CSS = """<style>
@page { size: PAGE_SIZE; margin: 12mm 10mm; }
body { font-family: "DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; }
.jp-RenderedHTMLCommon table { font-size: 11px; border-collapse: collapse; margin: 0.4em 0 1em; }
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { padding: 3px 6px; word-break: keep-all; }
.jp-RenderedHTMLCommon th { white-space: normal; vertical-align: bottom; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon, .jp-RenderedHTML { overflow: visible !important; }
img { max-width: 100% !important; height: auto; }
@media print {
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child { display: block !important; }
  /* JupyterLab keeps a whole output on one page: a long table would leave most of a page blank */
  .jp-Cell, .jp-Cell-outputWrapper, .jp-Cell-inputWrapper, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output { break-inside: auto !important; }
  h1, h2, h3, h4, .jp-MarkdownCell { break-after: avoid; page-break-after: avoid; }
  .jp-OutputArea-output img { max-height: 170mm; width: auto !important; break-inside: avoid; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
}
</style>
"""
#: Page size of a report unless its notebook's metadata says otherwise (``{"kit": {"page": ...}}``).
DEFAULT_PAGE = "A4"
_PAGE_SIZE = re.compile(r"A4(?: (?:portrait|landscape))?")


def external_refs(html: str) -> list[str]:
    """The URLs of other hosts a page loads or links (``src=`` / ``href=``); empty = fully offline.

    Examples
    --------
    >>> external_refs('<img src="data:image/png;base64,AA"><script src="https://cdn.x/require.js"></script>')
    ['https://cdn.x/require.js']
    >>> external_refs('<p style="background: url(//x.example/a.png)">')
    ['//x.example/a.png']
    """
    return _EXTERNAL_REF.findall(html)


def make_offline(html: str) -> str:
    """Remove what a page would fetch from a CDN: script tags, style-sheet links, CSS imports.

    Examples
    --------
    >>> make_offline('<head><link rel="stylesheet" href="https://fonts.x/css"><script src="//cdn.x/a.js"></script></head>')
    '<head></head>'
    """
    html = _CDN_SCRIPT.sub("", html)
    html = _CDN_LINK.sub("", html)
    return _CDN_IMPORT.sub("", html)


# --------------------------------------------------------------------------------------------
# Data is text: nothing in a page runs or loads from elsewhere
# --------------------------------------------------------------------------------------------

#: Elements that run code, embed another page or change where the page's links go.
_ACTIVE_TAGS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta", "link", "portal"}
)
#: Attributes holding a URL.  In ``href`` of a link (``a``, ``area``) a web address is a link, not a
#: load; in every other one it would be fetched when the page opens.
_URL_ATTRS = frozenset(
    {
        "href",
        "src",
        "srcset",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
        "data",
        "lowsrc",
        "dynsrc",
        "ping",
        "codebase",
        "cite",
        "longdesc",
        "manifest",
        "icon",
    }
)
_LINK_TAGS = frozenset({"a", "area"})
_SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "mocha"})
_SAFE_DATA = re.compile(r"data:image/(?:png|jpe?g|gif|webp|bmp|svg\+xml)[;,]", re.IGNORECASE)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_BAD_CSS = re.compile(
    r"url\s*\((?!\s*[\"']?\s*data:image/)|@import|expression\s*\(|javascript:|behaviou?r\s*:|-moz-binding", re.I
)


def _unsafe_url(value: str, *, link: bool) -> bool:
    """True for a URL that runs code (``javascript:``) or, outside a link, loads from another host."""
    url = _CONTROL.sub("", html_lib.unescape(value)).lower()
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1) in _SCRIPT_SCHEMES:
        return True
    if url.startswith("data:"):
        return link or not _SAFE_DATA.match(url)
    remote = url.startswith("//") or (scheme is not None and scheme.group(1) not in ("mailto", "tel"))
    return remote and not link


def _unsafe_attrs(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        value = value or ""
        if name.startswith("on") or name in ("srcdoc", "formaction"):
            return True
        if name in _URL_ATTRS and _unsafe_url(value, link=tag in _LINK_TAGS and name == "href"):
            return True
        if name == "style" and _BAD_CSS.search(html_lib.unescape(value)):
            return True
    return False


class _Neutraliser(HTMLParser):
    """Finds what must change in a page; :func:`neutralise_html` applies the edits to the original text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=False)
        self.page = page
        self.lines = [0] + [m.end() for m in re.finditer("\n", page)]
        self.edits: list[tuple[int, int, str]] = []
        self.in_body = False
        self.raw: tuple[str, int, str] | None = None  # (tag, start, "drop" | "text" | "check") of <script>/<style>

    def _at(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _as_text(self, start: int, end: int) -> None:
        self.edits.append((start, end, html_lib.escape(self.page[start:end], quote=False)))

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        start = self._at()
        end = start + len(self.get_starttag_text() or "")
        if tag == "body":
            self.in_body = True
        if tag in ("script", "style") and not closed:
            if tag == "script":
                mode = "text" if self.in_body else "drop"
            else:
                mode = "check" if self.in_body else "keep"
            self.raw = (tag, start, mode)
            return
        if self.in_body and (tag in _ACTIVE_TAGS or _unsafe_attrs(tag, attrs)):
            self._as_text(start, end)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self.raw is None or tag != self.raw[0]:
            return
        name, start, mode = self.raw
        self.raw = None
        end = self.page.find(">", self._at())
        end = len(self.page) if end < 0 else end + 1
        if mode == "drop":
            self.edits.append((start, end, ""))
        elif mode == "text" or (mode == "check" and _BAD_CSS.search(self.page[start:end])):
            self._as_text(start, end)

    def handle_comment(self, data: str) -> None:
        if self.in_body:  # a comment in the body comes from data: drop it (parsers disagree on its end)
            start = self._at()
            opening = 4 if self.page.startswith("<!--", start) else 2
            end = self.page.find(">", start + opening + len(data))
            self.edits.append((start, len(self.page) if end < 0 else end + 1, ""))

    def close(self) -> None:
        super().close()
        if self.raw is not None and self.raw[2] != "keep":  # an element left open to the end
            self._as_text(self.raw[1], len(self.page))


def neutralise_html(page: str) -> str:
    """``page`` with no script, and with every tag of its body that would act shown as text.

    Removed: the ``<script>`` elements of the head (nbconvert's MathJax settings and Mermaid
    loader, idle offline).  Shown as text, exactly as written: in the body, a ``<script>``, an
    element that embeds or redirects (``iframe``, ``object``, ``embed``, ``form``, ``base``,
    ``meta``, ``link``), and any tag with an ``on…=`` handler, a ``javascript:`` URL, a resource
    loaded from another host (``src=http://…``; a plain link ``<a href="https://…">`` stays a
    link) or CSS that loads or runs something; a ``<style>`` of the body that loads from another
    host.  Comments in the body are dropped.  A page with none of these comes back unchanged.

    Examples
    --------
    >>> neutralise_html("<body><p>Store <script>alert(1)</script> ok</p></body>")
    '<body><p>Store &lt;script&gt;alert(1)&lt;/script&gt; ok</p></body>'
    >>> neutralise_html('<body><img src=http://x.example/a.png onerror=alert(2)></body>')
    '<body>&lt;img src=http://x.example/a.png onerror=alert(2)&gt;</body>'
    >>> neutralise_html('<head><script>init()</script></head><body><a href="javascript:go()">x</a> <b>ok</b></body>')
    '<head></head><body>&lt;a href="javascript:go()"&gt;x</a> <b>ok</b></body>'
    >>> page = '<body><a href="https://example.org/">docs</a><img src="data:image/png;base64,AA"></body>'
    >>> neutralise_html(page) == page
    True
    """
    parser = _Neutraliser(page)
    parser.feed(page)
    parser.close()
    if not parser.edits:
        return page
    out, last = [], 0
    for start, end, text in sorted(parser.edits):
        if start < last:  # inside a range already changed
            continue
        out += [page[last:start], text]
        last = end
    out.append(page[last:])
    return "".join(out)


def _page(body: str, page: str = DEFAULT_PAGE) -> str:
    """An exported page made offline, inert and ready to print on ``page`` (``A4`` or ``A4 landscape``)."""
    size = page if _PAGE_SIZE.fullmatch(str(page)) else DEFAULT_PAGE
    return neutralise_html(make_offline(body)).replace("</head>", _PRINT_CSS.replace("PAGE_SIZE", size) + "</head>", 1)


def report_cells(nb: Any, lang: str) -> Any:
    """``nb`` as a reader in ``lang`` sees it: without the other language's and the author's cells.

    A notebook writes its prose once per language, in markdown cells tagged ``lang-zh`` and
    ``lang-en``, and its instructions for whoever edits it in cells tagged ``author``; a report
    keeps the untagged cells and those of its language.  JupyterLab shows all of them.  An output
    that is interactive in JupyterLab may name what a report shows instead (``kit.export_html`` in
    its metadata, e.g. a link to the standards card's file for its print button and preview); the
    forms' widget state is left out.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(s, metadata={"tags": t})
    ...     for s, t in (("# 审计", ["lang-zh"]), ("# Audit", ["lang-en"]), ("Run it", ["author"]), ("x", []))])
    >>> [c.source for c in report_cells(nb, "en").cells]
    ['# Audit', 'x']
    """
    drop = {"author"} | {f"lang-{other}" for other in ("zh", "en") if other != lang}
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if not drop & set(c.get("metadata", {}).get("tags", []))]
    out.metadata.pop("widgets", None)  # the forms' state: nothing a printed report can show
    for cell in out.cells:
        for output in cell.get("outputs", []):
            alternative = (output.get("metadata", {}).get("kit") or {}).get("export_html")
            if alternative and "text/html" in output.get("data", {}):
                output["data"]["text/html"] = alternative
    return out


#: nbconvert's alternative text of an image without one (English whatever the page's language).
_NO_ALT = 'alt="No description has been provided for this image"'


def _with_alt_texts(body: str, nb: Any, lang: str) -> str:
    """Give every chart of the page its title as alternative text, in the page's language.

    :func:`kit.core.charts.show` records a chart's title in its output's ``kit.alt`` metadata;
    the images appear in the page in the order of the outputs.  A chart without a title (or a
    page whose images cannot be matched to outputs) gets the word "chart" in ``lang``.
    """
    alts = [
        (out.get("metadata", {}).get("kit") or {}).get("alt") or t("report.page.chart", lang)
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    pieces = body.split(_NO_ALT)
    if len(pieces) - 1 != len(alts):
        alts = [t("report.page.chart", lang)] * (len(pieces) - 1)
    out = [pieces[0]]
    for alt, piece in zip(alts, pieces[1:]):
        out += [f'alt="{html_lib.escape(" ".join(str(alt).split()))}"', piece]
    return "".join(out)


# One HTML exporter per page language, built on first use and reused for every report the process
# exports (building one compiles its templates: about 0.25 s).  An exporter keeps no state from
# one page to the next; the lock keeps two threads of a worker from using one at the same time.
_EXPORTERS: dict[tuple[str, ...], Any] = {}
_EXPORTERS_LOCK = threading.Lock()


def _exporter(lang: str) -> Any:
    """The cached ``HTMLExporter`` (code and prompts hidden) for pages in ``lang``."""
    key = (lang,)
    exporter = _EXPORTERS.get(key)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            language_code=lang,
        )
        _EXPORTERS[key] = exporter
    return exporter


def export_html(
    notebook_path: str | Path, html_path: str | Path, *, lang: str = "zh", title: str | None = None
) -> Path:
    """Write an HTML version of an executed notebook with all code hidden, in one language.

    Only the cells of the report's language and the untagged ones are exported
    (:func:`report_cells`); the page prints on the size of the notebook's ``kit.page`` metadata
    (``A4`` by default, ``A4 landscape`` for the chain overview).  The exporter is built once per language and process and reused (same page as a new one).

    Parameters
    ----------
    notebook_path : path of the executed ``.ipynb``
    html_path : where to write the ``.html`` (atomically)
    lang : ``"zh"`` or ``"en"``: the page's language attribute
    title : the page title (default: the notebook's file name)
    """
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    page = (nb.metadata.get("kit") or {}).get("page", DEFAULT_PAGE)
    resources = {"metadata": {"name": title or Path(notebook_path).stem}}
    shown = report_cells(nb, lang)
    with _EXPORTERS_LOCK:
        body, _ = _exporter(lang).from_notebook_node(shown, resources=resources)
    return write_text(html_path, _page(_with_alt_texts(body, shown, lang), page))


def _local_href(path: Any) -> str | None:
    """``path`` as a link target when it is a relative path inside the run folder, else ``None``.

    Examples
    --------
    >>> _local_href("001/03.html"), _local_href("javascript:alert(1)"), _local_href("../x.html"), _local_href("/etc/x")
    ('001/03.html', None, None, None)
    """
    if not path:
        return None
    text = str(path)
    parts = text.split("/")
    if _SCHEME.match(text.lower()) or text.startswith("/") or "\\" in text or ".." in parts or "" in parts:
        return None
    if _CONTROL.search(text.replace(" ", "")):
        return None
    return text


def _order_key(row: Mapping[str, Any]) -> tuple[int, str, str]:
    """Chain-level reports (the overview) first, then stores in id order, notebooks in order."""
    chain = str(row.get("store_id")) == CHAIN_ID or str(row.get("notebook", "")).startswith("00_")
    return (0 if chain else 1, str(row.get("store_id", "")), str(row.get("notebook", "")))


_HEADING = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)


@lru_cache(maxsize=64)
def _title_of(path: str, mtime: float, lang: str) -> str | None:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.cell_type == "markdown" and f"lang-{lang}" in tags:
            found = _HEADING.search(cell.source)
            if found:
                return found.group(1)
    return None


def report_title(notebook: str | Path, lang: str) -> str:
    """A report's name in ``lang``: the first heading of the notebook's ``lang-<lang>`` cells.

    ``notebook`` is a notebook's path or name (``03_complaint_audit``, looked up in the kit's
    notebooks); the name itself is returned when no heading is found.

    Examples
    --------
    >>> report_title("03_complaint_audit", "zh"), report_title("03_complaint_audit", "en")
    ('投诉审计', 'Complaint audit')
    """
    from kit.run.jobs import resolve_notebook

    try:
        path = Path(notebook) if Path(notebook).is_file() else resolve_notebook(str(notebook))
        return _title_of(str(path), path.stat().st_mtime, lang) or Path(notebook).stem
    except (KitError, OSError, ValueError):
        return Path(str(notebook)).stem


def period_label(start: Any, end: Any) -> str:
    """A period as a title says it: ``2026`` for a calendar year, ``2025–2026`` for whole years, else the dates.

    Examples
    --------
    >>> period_label("2026-01-01", "2026-12-31"), period_label("2025-01-01", "2026-12-31")
    ('2026', '2025–2026')
    >>> period_label("2026-10-01", "2026-12-31")
    '2026-10-01 – 2026-12-31'
    """
    first, last = str(start)[:10], str(end)[:10]
    if first[5:] == "01-01" and last[5:] == "12-31":
        return first[:4] if first[:4] == last[:4] else f"{first[:4]}–{last[:4]}"
    return f"{first} – {last}"


def page_title(*parts: Any) -> str:
    """A page title from its non-empty parts: ``上海徐汇店 · 投诉审计 · 2026``.

    Examples
    --------
    >>> page_title("上海徐汇店", "投诉审计", "2026"), page_title("", "Chain overview", "2026")
    ('上海徐汇店 · 投诉审计 · 2026', 'Chain overview · 2026')
    """
    return " · ".join(" ".join(str(p).split()) for p in parts if p and str(p).strip())


#: Catalogue keys of the hand-outs' titles (kit.workshop.printouts.HANDOUTS) on the index page.
_HANDOUT_TITLES = {
    "kano_questionnaire": "printouts.kano.title",
    "servqual_questionnaire": "printouts.servqual.title",
    "action_plan": "printouts.action.title",
    "standards_card": "report.index.card",
}

#: Error classes whose message is written for the report's reader (kit.core.errors).
_READER_ERRORS = frozenset({"KitError", "DataError", "ParameterError", "WorkspaceError", "RunError"})


def failure_text(error: Mapping[str, Any] | None, lang: str) -> str:
    """Why a report is missing, in plain words for the index page (the details stay in the manifest).

    A data, parameter or workspace problem shows the kit's own message (written for the reader,
    in the report's language); a time-out, an interrupted run or a stopped batch says so and what
    to do; any other error is a program error to send to the maintainers -- its cell's source
    is in ``manifest.json``, never on the page.

    Examples
    --------
    >>> failure_text({"kind": "error", "ename": "DataError", "evalue": "complaints.csv is empty"}, "en")
    'not finished: complaints.csv is empty'
    >>> failure_text({"kind": "error", "ename": "KeyError", "evalue": "'nps'", "cell": 7}, "en")[:40]
    'not finished: a program error (KeyError,'
    """
    if not error:
        return ""
    kind, ename, evalue = error.get("kind", "error"), str(error.get("ename", "")), str(error.get("evalue", ""))
    if kind == "timeout":
        return t("report.index.failed_timeout", lang, detail=evalue)
    if kind in ("kernel_died", "worker_died"):
        return t("report.index.failed_kernel", lang)
    if kind == "cancelled":
        return t("report.index.failed_cancelled", lang)
    if kind == "export":
        return t("report.index.failed_export", lang, message=evalue)
    if ename in _READER_ERRORS:
        return t("report.index.failed_kit", lang, message=evalue)
    return t("report.index.failed_bug", lang, ename=ename or "?", cell=error.get("cell", "?"))


def index_html(
    rows: Iterable[Mapping[str, Any]], lang: str, *, title: str, deliverables: Mapping[str, Any] | None = None
) -> str:
    """The run's ``index.html``: what a manager opens first -- one line per store, the chain first.

    Each line names the store (id and name), its headline for the period ("11 of 16 KPIs on
    target", the finding to fix first) and its reports by title, each linked with its PDF when one
    was printed; a report that did not finish says why in plain words (:func:`failure_text`).
    The workbook, the playbook and the standards cards are listed above.  The page is built from
    escaped text, links only files inside the run folder and is self-contained (inline style, no
    script, no external font).

    Parameters
    ----------
    rows : job dicts of the manifest (``store_id``, ``notebook``, ``status``, ``html``, ``error``)
    lang : ``"zh"`` or ``"en"``
    title : the page title
    deliverables : the dict returned by :func:`kit.chain.deliverables.finish_run` (optional): its
        ``excel`` file is linked, its ``pdf.files`` give each report's PDF, ``store_names`` and
        ``headlines`` (``{store_id: text}``) fill the store column and the headline.

    Examples
    --------
    >>> rows = [{"store_id": "001", "notebook": "03_complaint_audit", "status": "ok", "html": "001/03.html"},
    ...         {"store_id": "chain", "notebook": "00_chain_overview", "status": "ok", "html": "chain/00.html"}]
    >>> page = index_html(rows, "en", title="Run", deliverables={"excel": "kpis.xlsx",
    ...     "pdf": {"files": {"001/03.html": "001/03.pdf"}}, "store_names": {"001": "Shanghai Xuhui"}})
    >>> page.index("chain/00.html") < page.index("001/03.html"), '<a href="001/03.pdf">' in page
    (True, True)
    >>> ">Complaint audit</a>" in page and "001 · Shanghai Xuhui" in page
    True
    """
    esc = html_lib.escape
    rows = sorted(rows, key=_order_key)
    deliverables = deliverables or {}
    pdf_info = deliverables.get("pdf") or {}
    pdfs = pdf_info.get("files") or {}
    names = deliverables.get("store_names") or {}
    headlines = deliverables.get("headlines") or {}
    stores: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        store = CHAIN_ID if str(row.get("notebook", "")).startswith("00_") else str(row.get("store_id", ""))
        stores.setdefault(store, []).append(row)
    lines = []
    for store, jobs in stores.items():
        label = t("report.index.chain", lang) if store == CHAIN_ID else page_title(store, names.get(store, ""))
        links, problems = [], []
        for row in jobs:
            name = esc(report_title(str(row.get("notebook", "")), lang))
            html = _local_href(row.get("html"))
            ok = row.get("status") == "ok"
            link = f'<a href="{esc(html)}">{name}</a>' if html and ok else name
            pdf = _local_href(pdfs.get(html)) if html else None
            if pdf and ok:
                link += f' (<a href="{esc(pdf)}">PDF</a>)'
            if not ok:
                link = f'<span class="failed">✗ {link}</span>'
                problems.append(f"<li>{name} — {esc(failure_text(row.get('error'), lang))}</li>")
            links.append(link)
        headline = esc(str(headlines.get(store, "")))
        detail = f"<ul>{''.join(problems)}</ul>" if problems else ""
        css = ' class="failed"' if problems else ""
        lines.append(f"<tr{css}><th>{esc(label)}</th><td>{headline}</td><td>{' · '.join(links)}{detail}</td></tr>")
    head = [t(f"report.index.column.{c}", lang) for c in ("store", "headline", "reports")]
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    failed = sum(r.get("status") != "ok" for r in rows)
    summary = t("report.index.summary", lang, total=len(rows), ok=len(rows) - failed, failed=failed)
    extras = []
    excel = _local_href(deliverables.get("excel"))
    if excel:
        extras.append(f'<li><a href="{esc(excel)}">{esc(t("report.index.excel", lang))}</a></li>')
    playbook = _local_href(deliverables.get("playbook"))
    if playbook:
        extras.append(f'<li><a href="{esc(playbook)}">{esc(t("report.index.playbook", lang))}</a></li>')
    for card in filter(None, map(_local_href, deliverables.get("cards") or [])):
        extras.append(f'<li><a href="{esc(card)}">{esc(t("report.index.card", lang))}</a></li>')
    sheets = [
        f'<a href="{esc(href)}">{esc(t(_HANDOUT_TITLES[name], lang))}</a>'
        for name, href in (deliverables.get("handouts") or {}).items()
        if _local_href(href) and name in _HANDOUT_TITLES
    ]
    if sheets:
        extras.append(f"<li>{esc(t('report.index.handouts', lang))} {' · '.join(sheets)}</li>")
    if pdf_info.get("message"):
        extras.append(f"<li>{esc(t('report.index.pdf_line', lang, message=str(pdf_info['message'])))}</li>")
    for err in deliverables.get("errors") or []:
        extras.append(f'<li class="failed">{esc(str(err.get("step", "")))}: {esc(str(err.get("message", "")))}</li>')
    extra_html = f"<ul>{''.join(extras)}</ul>" if extras else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: "Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 6px 10px; text-align: left; vertical-align: top; }}
tbody th {{ white-space: nowrap; }}
tr.failed td, li.failed, span.failed {{ background: #f6dcd5; }}
td ul {{ margin: 0.3em 0 0; padding-left: 1.2em; }}
@page {{ size: A4; margin: 14mm 12mm; }}
</style></head>
<body><h1>{esc(title)}</h1>
<p>{esc(summary)}</p>
{extra_html}
<table><thead><tr>{header}</tr></thead><tbody>
{chr(10).join(lines)}
</tbody></table></body></html>
"""


def write_index(
    rows: Iterable[Mapping[str, Any]],
    path: str | Path,
    lang: str,
    *,
    title: str | None = None,
    deliverables: Mapping[str, Any] | None = None,
) -> Path:
    """Write :func:`index_html` to ``path`` atomically (``deliverables`` as in :func:`index_html`)."""
    return write_text(
        path, index_html(list(rows), lang, title=title or t("text.index_title", lang), deliverables=deliverables)
    )
