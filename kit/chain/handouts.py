"""What a run folder needs besides the reports: the playbook as offline HTML and the standards card.

Reports link to the remedies of the facilitator's playbook (``../playbook/<chapter>.<lang>.md#…``,
see :func:`kit.audit.findings.remedy_link`).  That path works in JupyterLab, next to ``notebooks/``;
in a run folder (``<run>/<store>/<notebook>.html``) it would point nowhere.  After a run,
:func:`write_playbook` renders the chapters of the run's language to ``<run>/playbook/*.html``
(Markdown with its ``<a id>`` anchors, a small print-friendly style, no external resources) and
:func:`link_reports_to_playbook` turns the reports' ``.md`` links into links to those pages, so
a manager who opens a report from ``index.html`` reaches the remedy with one click, offline.
:func:`export_run_cards` writes the printable standards card of notebook 02 next to its report.

Examples
--------
>>> import tempfile, pathlib
>>> run = pathlib.Path(tempfile.mkdtemp())
>>> pages = write_playbook(run, "en")
>>> sorted(p.name for p in pages)[:2]
['00_engagement_overview.en.html', '00_engagement_overview.zh.html']
>>> relink('<a href="../playbook/03_complaint_audit.en.md#remedy-four-steps">')
'<a href="../playbook/03_complaint_audit.en.html#remedy-four-steps">'
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import mistune

from kit.core.files import write_text
from kit.core.i18n import check_lang

__all__ = [
    "PLAYBOOK_DIR",
    "RUN_PLAYBOOK",
    "export_run_cards",
    "link_reports_to_playbook",
    "relink",
    "render_chapter",
    "write_playbook",
]

#: The playbook shipped with the project (next to the ``kit`` package).
PLAYBOOK_DIR = Path(__file__).resolve().parents[2] / "playbook"

#: Folder of the rendered chapters inside a run folder.
RUN_PLAYBOOK = "playbook"

# A link to a playbook chapter in Markdown form: "<name>.md" optionally followed by "#anchor".
_MD_LINK = re.compile(r'(href="(?:\.\./playbook/)?[\w.-]+?)\.md(#[\w-]*)?"')
# The same, in a report: only links into the playbook folder.
_REPORT_LINK = re.compile(r'(href="\.\./playbook/[\w.-]+?)\.md(#[\w-]*)?"')

_STYLE = """
body { font-family: "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; max-width: 46em;
       margin: 2em auto; padding: 0 1em; line-height: 1.6; color: #222; }
table { border-collapse: collapse; margin: 1em 0; } th, td { border: 1px solid #bbb; padding: .3em .6em; }
th { background: #f0f0f0; } code { background: #f5f5f5; padding: 0 .2em; }
pre { background: #f5f5f5; padding: .6em; overflow-x: auto; } a { color: #0b5cad; }
@media print { a { color: inherit; text-decoration: none; } body { margin: 0; max-width: none; } }
"""

_markdown = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def relink(page: str, pattern: re.Pattern[str] = _MD_LINK) -> str:
    """Turn ``href="…/chapter.md#anchor"`` links into ``…/chapter.html#anchor``.

    Examples
    --------
    >>> relink('<a href="02_service_standards.zh.md">02</a>')
    '<a href="02_service_standards.zh.html">02</a>'
    """
    return pattern.sub(lambda m: f'{m.group(1)}.html{m.group(2) or ""}"', page)


def render_chapter(markdown_text: str, title: str, lang: str) -> str:
    """One chapter as a standalone HTML page (anchors kept, links to other chapters as ``.html``)."""
    body = relink(_markdown(markdown_text))
    html_lang = "zh-CN" if check_lang(lang) == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _title(markdown_text: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+)$", markdown_text, flags=re.MULTILINE)
    return match.group(1).strip() if match else fallback


def write_playbook(out_dir: str | Path, lang: str, *, source: str | Path | None = None) -> list[Path]:
    """Render the playbook (every chapter in both languages and its index) to ``<out_dir>/playbook/``.

    Parameters
    ----------
    out_dir : path
        The run folder.
    lang : {"zh", "en"}
        The run's language, used for pages whose name carries none (the index, ``README``).
    source : path, optional
        The playbook folder (default :data:`PLAYBOOK_DIR`).  When it does not exist (a kit
        installed without its project folder) nothing is written and the list is empty.

    Returns
    -------
    list of Path
        The pages written.
    """
    folder = Path(source) if source is not None else PLAYBOOK_DIR
    if not folder.is_dir():
        return []
    target = Path(out_dir) / RUN_PLAYBOOK
    check_lang(lang)
    written = []
    for chapter in sorted(folder.glob("*.md")):
        text = chapter.read_text(encoding="utf-8")
        suffix = Path(chapter.stem).suffix.lstrip(".")
        page = render_chapter(text, _title(text, chapter.stem), suffix if suffix in ("zh", "en") else lang)
        written.append(write_text(target / f"{chapter.stem}.html", page))
    return written


def link_reports_to_playbook(out_dir: str | Path, html_files: Iterable[str | Path]) -> list[Path]:
    """Rewrite the playbook links of the run's report pages to the rendered chapters.

    Parameters
    ----------
    out_dir : path
        The run folder; ``html_files`` are relative to it (as in the manifest) or absolute.
    html_files : iterable of path

    Returns
    -------
    list of Path
        The pages that changed (a page already linked is left as it is).
    """
    changed = []
    for name in html_files:
        path = Path(out_dir) / name
        if not path.is_file():
            continue
        page = path.read_text(encoding="utf-8")
        new = relink(page, _REPORT_LINK)
        if new != page:
            changed.append(write_text(path, new))
    return changed


def export_run_cards(out_dir: str | Path, results: Iterable[Mapping[str, Any]]) -> list[Path]:
    """Write the standards card shown by each successful ``02_service_standards`` job next to it.

    Returns the card files written (``<run>/chain/standards_card.<lang>.html``).
    """
    from kit.workshop.card import export_cards

    written: list[Path] = []
    for job in results:
        if job.get("status") == "ok" and job.get("output") and str(job.get("notebook", "")).startswith("02_"):
            notebook = Path(out_dir) / str(job["output"])
            if notebook.is_file():
                written += export_cards(notebook)
    return written
