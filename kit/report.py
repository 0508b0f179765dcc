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
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kit.files import write_text
from kit.i18n import t

# Script tags that load from a CDN do nothing offline; what a report shows never depends on them.
_CDN_SCRIPT = re.compile(r'<script[^>]+src="https?://[^"]+"[^>]*>\s*</script>\s*', re.IGNORECASE)


def export_html(notebook_path: str | Path, html_path: str | Path, *, lang: str = "zh", title: str | None = None) -> Path:
    """Write an HTML version of an executed notebook with all code hidden.

    Parameters
    ----------
    notebook_path : path of the executed ``.ipynb``
    html_path : where to write the ``.html`` (atomically)
    lang : ``"zh"`` or ``"en"``: the page's language attribute
    title : the page title (default: the notebook's file name)
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook_path), as_version=4)
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=lang,
    )
    resources = {"metadata": {"name": title or Path(notebook_path).stem}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body = _CDN_SCRIPT.sub("", body)
    return write_text(html_path, body)


def index_html(rows: Iterable[Mapping[str, Any]], lang: str, *, title: str) -> str:
    """The run's ``index.html``: one line per report, failed ones marked with cell and error."""
    esc = html_lib.escape
    lines = []
    for row in rows:
        ok = row.get("status") == "ok"
        status = t("text.status_ok" if ok else "text.status_failed", lang)
        link = f'<a href="{esc(str(row["html"]))}">{esc(row["notebook"])}</a>' if row.get("html") else esc(row["notebook"])
        error = row.get("error") or {}
        detail = ""
        if error:
            cell = error.get("cell")
            where = (f"单元格 {cell}" if lang == "zh" else f"cell {cell}") if cell is not None else ""
            detail = esc(f"{where} {error.get('ename', '')}: {error.get('evalue', '')}".strip())
        lines.append(
            f'<tr class="{"ok" if ok else "failed"}"><td>{esc(str(row["store_id"]))}</td><td>{link}</td>'
            f'<td>{esc(status)}</td><td>{row.get("duration_s", 0):.1f}</td><td>{detail}</td></tr>'
        )
    head = ("门店", "报告", "状态", "用时（秒）", "错误") if lang == "zh" else ("store", "report", "status", "seconds", "error")
    header = "".join(f"<th>{h}</th>" for h in head)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>
body {{ font-family: "Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #999; padding: 4px 10px; text-align: left; }}
tr.failed td {{ background: #f6dcd5; font-weight: bold; }}
</style></head>
<body><h1>{esc(title)}</h1>
<table><thead><tr>{header}</tr></thead><tbody>
{chr(10).join(lines)}
</tbody></table></body></html>
"""


def write_index(rows: Iterable[Mapping[str, Any]], path: str | Path, lang: str, *, title: str | None = None) -> Path:
    """Write :func:`index_html` to ``path`` atomically."""
    return write_text(path, index_html(list(rows), lang, title=title or t("text.index_title", lang)))
