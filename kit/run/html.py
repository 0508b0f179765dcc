"""Turning executed notebooks into deliverables: HTML reports and the run's index page.

HTML is produced with nbconvert's Python API (no command-line start-up cost), with code cells
and prompts hidden so a store manager sees only the narrative, tables and charts.  Charts are
PNG images embedded in the page, so the report displays without a network connection.

Examples
--------
>>> html = index_html([{"store_id": "001", "notebook": "03_complaint_audit", "status": "ok",
...                     "duration_s": 3.2, "html": "001/03_complaint_audit.html"}], "en", title="Run")
>>> "001/03_complaint_audit.html" in html
True
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kit.core.files import write_text
from kit.core.i18n import t

__all__ = ["CHAIN_ID", "export_html", "external_refs", "index_html", "make_offline", "write_index"]

# Script tags that load from a CDN do nothing offline; what a report shows never depends on them.
#: ``store_id`` of chain-level jobs in the manifest.
CHAIN_ID = "chain"

_CDN_SCRIPT = re.compile(r'<script[^>]+src=["\']?(?:https?:)?//[^>]*>\s*</script>\s*', re.IGNORECASE)
# Style sheets and fonts from a CDN (``<link href=...>``, CSS ``@import``) are dropped too.
_CDN_LINK = re.compile(r'<link[^>]+href=["\']?(?:https?:)?//[^>]*>\s*', re.IGNORECASE)
_CDN_IMPORT = re.compile(r'@import\s+(?:url\()?["\']?(?:https?:)?//[^;]*;', re.IGNORECASE)
# External references left in a page: ``src=`` / ``href=`` pointing at another host.
_EXTERNAL_REF = re.compile(r'(?:src|href)\s*=\s*["\']?((?:https?:)?//[^"\'\s>]+)', re.IGNORECASE)
# Printed pages: A4 (Chromium prints Letter otherwise), code and prompts never shown.
_PRINT_CSS = """<style>
@page { size: A4; margin: 14mm 12mm; }
@media print { .jp-Cell { break-inside: avoid; } img { max-width: 100% !important; } }
body { font-family: "DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; }
</style>
"""


def external_refs(html: str) -> list[str]:
    """The URLs of other hosts a page loads or links (``src=`` / ``href=``); empty = fully offline.

    Examples
    --------
    >>> external_refs('<img src="data:image/png;base64,AA"><script src="https://cdn.x/require.js"></script>')
    ['https://cdn.x/require.js']
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
    """Write an HTML version of an executed notebook with all code hidden.

    The exporter is built once per language and process and reused (same page as a new one).

    Parameters
    ----------
    notebook_path : path of the executed ``.ipynb``
    html_path : where to write the ``.html`` (atomically)
    lang : ``"zh"`` or ``"en"``: the page's language attribute
    title : the page title (default: the notebook's file name)
    """
    import nbformat

    nb = nbformat.read(str(notebook_path), as_version=4)
    resources = {"metadata": {"name": title or Path(notebook_path).stem}}
    with _EXPORTERS_LOCK:
        body, _ = _exporter(lang).from_notebook_node(nb, resources=resources)
    body = make_offline(body).replace("</head>", _PRINT_CSS + "</head>", 1)
    return write_text(html_path, body)


def _order_key(row: Mapping[str, Any]) -> tuple[int, str, str]:
    """Chain-level reports (the overview) first, then stores in id order, notebooks in order."""
    chain = str(row.get("store_id")) == CHAIN_ID or str(row.get("notebook", "")).startswith("00_")
    return (0 if chain else 1, str(row.get("store_id", "")), str(row.get("notebook", "")))


def _error_text(error: Mapping[str, Any] | None, lang: str) -> str:
    if not error:
        return ""
    cell = error.get("cell")
    where = t("report.index.cell", lang, cell=cell) if cell is not None else ""
    return f"{where} {error.get('ename', '')}: {error.get('evalue', '')}".strip()


#: Longest excerpt of a failing cell's source shown on the index page.
_SOURCE_MAX = 120


def _error_source(error: Mapping[str, Any] | None) -> str:
    """The first non-blank line of the failing cell's source (``error["source"]``), shortened.

    Examples
    --------
    >>> _error_source({"source": "\\n  df = load(x)  # <all>\\nmore"})
    'df = load(x)  # <all>'
    """
    if not error or not error.get("source"):
        return ""
    for line in str(error["source"]).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= _SOURCE_MAX else line[: _SOURCE_MAX - 1] + "…"
    return ""


def index_html(
    rows: Iterable[Mapping[str, Any]], lang: str, *, title: str, deliverables: Mapping[str, Any] | None = None
) -> str:
    """The run's ``index.html``: the workbook, then one line per report, chain overview first.

    Each line links the HTML report and, when one was printed, its PDF; a failed report is
    marked and shows the failing cell, the error message and the first line of the cell's
    source (HTML-escaped).  The page is self-contained
    (inline style, no script, no external font).

    Parameters
    ----------
    rows : job dicts of the manifest (``store_id``, ``notebook``, ``status``, ``duration_s``,
        ``html``, ``error``)
    lang : ``"zh"`` or ``"en"``
    title : the page title
    deliverables : the dict returned by :func:`kit.chain.deliverables.finish_run` (optional): its
        ``excel`` file is linked and its ``pdf.files`` give each report's PDF.

    Examples
    --------
    >>> rows = [{"store_id": "001", "notebook": "03_complaint_audit", "status": "ok", "html": "001/03.html"},
    ...         {"store_id": "chain", "notebook": "00_chain_overview", "status": "ok", "html": "chain/00.html"}]
    >>> page = index_html(rows, "en", title="Run", deliverables={"excel": "kpis.xlsx", "pdf": {"files": {"001/03.html": "001/03.pdf"}}})
    >>> page.index("chain/00.html") < page.index("001/03.html"), '<a href="001/03.pdf">' in page, 'href="kpis.xlsx"' in page
    (True, True, True)
    """
    esc = html_lib.escape
    rows = sorted(rows, key=_order_key)
    deliverables = deliverables or {}
    pdf_info = deliverables.get("pdf") or {}
    pdfs = pdf_info.get("files") or {}
    lines = []
    for row in rows:
        ok = row.get("status") == "ok"
        status = t("text.status_ok" if ok else "text.status_failed", lang)
        html = row.get("html")
        name = esc(str(row.get("notebook", "")))
        link = f'<a href="{esc(str(html))}">{name}</a>' if html else name
        pdf = pdfs.get(str(html)) if html else None
        pdf_link = f'<a href="{esc(str(pdf))}">PDF</a>' if pdf else ""
        store = str(row.get("store_id", ""))
        store_text = t("report.index.chain", lang) if store == CHAIN_ID else store
        detail = esc(_error_text(row.get("error"), lang))
        source = _error_source(row.get("error"))
        if source:
            detail += f"<br><code>{esc(source)}</code>"
        lines.append(
            f'<tr class="{"ok" if ok else "failed"}"><td>{esc(store_text)}</td><td>{link}</td><td>{pdf_link}</td>'
            f"<td>{esc(status)}</td><td>{float(row.get('duration_s') or 0):.1f}</td><td>{detail}</td></tr>"
        )
    head = [t(f"report.index.column.{c}", lang) for c in ("store", "report", "pdf", "status", "seconds", "error")]
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    failed = sum(r.get("status") != "ok" for r in rows)
    summary = t("report.index.summary", lang, total=len(rows), ok=len(rows) - failed, failed=failed)
    extras = []
    if deliverables.get("excel"):
        extras.append(
            f'<li><a href="{esc(str(deliverables["excel"]))}">{esc(t("report.index.excel", lang))}</a>'
            f" ({esc(str(deliverables['excel']))})</li>"
        )
    if deliverables.get("playbook"):
        extras.append(
            f'<li><a href="{esc(str(deliverables["playbook"]))}">{esc(t("report.index.playbook", lang))}</a></li>'
        )
    for card in deliverables.get("cards") or []:
        extras.append(f'<li><a href="{esc(str(card))}">{esc(t("report.index.card", lang))}</a> ({esc(str(card))})</li>')
    if pdf_info.get("message"):
        extras.append(f"<li>{esc(t('report.index.pdf', lang))}: {esc(str(pdf_info['message']))}</li>")
    for err in deliverables.get("errors") or []:
        extras.append(f'<li class="failed">{esc(str(err.get("step", "")))}: {esc(str(err.get("message", "")))}</li>')
    extra_html = f"<ul>{''.join(extras)}</ul>" if extras else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: "Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 4px 10px; text-align: left; }}
tr.failed td, li.failed {{ background: #f6dcd5; font-weight: bold; }}
tr.failed td:first-child::before {{ content: "✗ "; }}
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
