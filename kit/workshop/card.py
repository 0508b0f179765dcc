"""The printable one-page "service standards card" for the wall of every store.

:func:`standards_card_html` turns a workspace's :class:`~kit.workshop.standards.ServiceStandards` into one
self-contained HTML page (inline CSS, no scripts, no fonts or images from the network) laid out
for A4 portrait: the SMART standards in the seeds' three groups, the response-time targets per
channel and tier, the follow-up call-back window, who approves compensation up to which amount,
the opening hours and the review date.  Print it from any browser, or to PDF with
``chromium --headless --print-to-pdf`` (the ``@page`` rule asks for A4, not Letter).

In a notebook the card is shown through :class:`StandardsCard`: a preview in an ``<iframe>`` (so
the card's page styles never leak into JupyterLab) with a print button, plus the whole card page
under the MIME type :data:`CARD_MIME`; the exported report shows a link to the card's file instead.  After a headless run,
:func:`export_cards` copies that page out of the executed notebook into a file
``standards_card.<lang>.html`` next to it (the run folder), ready to print.

Examples
--------
>>> from kit.workshop.standards import default_service_standards
>>> html = standards_card_html(default_service_standards(), "en")
>>> "rings before the phone is answered ≤ 3 rings (95% of cases)" in html and "size: A4 portrait" in html
True
"""

from __future__ import annotations

import json
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from kit.core.files import write_text
from kit.core.i18n import check_lang, label_of, t
from kit.workshop.smart import standard_note, standard_wording
from kit.workshop.standards import ANY, GROUPS, ServiceStandards, SmartStandard

__all__ = [
    "CARD_MIME",
    "StandardsCard",
    "card_filename",
    "export_cards",
    "standards_card_html",
    "write_standards_card",
]

_CSS = """
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Zen Hei", "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #111; }
.card { width: 186mm; margin: 0 auto; border: 2pt solid #1f3b5c; padding: 6mm 7mm; }
header { border-bottom: 1.5pt solid #1f3b5c; margin-bottom: 3mm; padding-bottom: 2mm; }
h1 { font-size: 20pt; margin: 0; letter-spacing: 0.05em; }
.sub { font-size: 11pt; color: #333; margin-top: 1mm; }
h2 { font-size: 12.5pt; margin: 3.5mm 0 1.5mm; padding: 0.8mm 2mm; background: #e8eef4; border-left: 3pt solid #1f3b5c;
     -webkit-print-color-adjust: exact; print-color-adjust: exact; }
ol { margin: 0; padding-left: 6mm; }
li { margin: 0.6mm 0; }
.target { font-weight: bold; white-space: nowrap; }
.att { color: #444; font-size: 9pt; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 0.6pt solid #777; padding: 0.8mm 2mm; text-align: left; vertical-align: top; }
th { background: #f0f0f0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.cols { display: flex; gap: 5mm; }
.cols > section { flex: 1; }
footer { margin-top: 4mm; border-top: 1pt solid #1f3b5c; padding-top: 2mm; font-size: 9.5pt; display: flex;
         justify-content: space-between; gap: 4mm; }
.steps { font-weight: bold; }
section, table, li { break-inside: avoid; page-break-inside: avoid; }
"""


def _minutes_text(minutes: float, lang: str) -> str:
    if minutes < 60 or minutes % 60:
        value, unit = (minutes, "minutes") if minutes < 60 else (minutes / 60, "hours")
    else:
        value, unit = minutes / 60, "hours"
    number = f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{number}{'' if lang == 'zh' else ' '}{label_of('standards.unit', unit, lang)}"


def _standard_item(s: SmartStandard, standards: ServiceStandards, lang: str) -> str:
    """One standard on the card: its wording generated from the rule, the team's note beside it."""
    note = standard_note(s, lang)
    note_html = (
        f' <span class="att">— {escape(note)}</span>' if note and note != standard_wording(s, None, lang) else ""
    )
    return f"<li>{escape(standard_wording(s, standards, lang))}{note_html}</li>"


def _sla_rows(standards: ServiceStandards, lang: str) -> str:
    rows = []
    for rule in standards.sla:
        channel = t("standards.card.all", lang) if rule.channel == ANY else label_of("channel", rule.channel, lang)
        tier = t("standards.card.all", lang) if rule.tier == ANY else label_of("tier", rule.tier, lang)
        metric = t(f"standards.card.{rule.metric}", lang)
        clock = t("standards.card.business_clock", lang) if rule.clock == "business" else ""
        share = f"{rule.required_attainment * 100:.1f}".rstrip("0").rstrip(".") + "%"
        rows.append(
            f"<tr><td>{escape(tier)}</td><td>{escape(channel)}</td><td>{escape(metric)}</td>"
            f'<td><span class="target">≤ {escape(_minutes_text(rule.target_minutes, lang))}</span>{escape(clock)}</td>'
            f"<td>≥ {escape(share)}</td></tr>"
        )
    return "".join(rows)


def _authority(standards: ServiceStandards, lang: str) -> str:
    items = []
    lower = None
    for limit in standards.authority:
        role = label_of("approver_role", limit.role, lang)
        if limit.up_to is not None:
            text = t("standards.card.up_to", lang, amount=f"{limit.up_to:,.0f}")
        elif lower is not None:
            text = t("standards.card.above", lang, amount=f"{lower:,.0f}")
        else:
            text = t("standards.card.any_amount", lang)
        items.append(
            f"<li><b>{escape(role)}</b>：{escape(text)}</li>"
            if lang == "zh"
            else f"<li><b>{escape(role)}</b>: {escape(text)}</li>"
        )
        lower = limit.up_to if limit.up_to is not None else lower
    return "".join(items)


def _hours(standards: ServiceStandards, lang: str, store_id: str | None) -> str:
    entries = standards.calendar.hours
    if store_id is not None:
        own = standards.calendar.hours_for(store_id)
        entries = [own] if own is not None else []
    weekday_names = {"zh": "一二三四五六日", "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}[lang]
    items = []
    for h in entries:
        who = t("standards.card.all", lang) if h.store_id == ANY else t("standards.card.store", lang, store=h.store_id)
        if h.weekdays == [1, 2, 3, 4, 5, 6, 7]:
            days = t("standards.card.daily", lang)
        else:
            days = ("周" if lang == "zh" else "") + ("、" if lang == "zh" else ", ").join(
                weekday_names[d - 1] for d in h.weekdays
            )
        text = f"{who}: {days} {h.open}–{h.close}" if lang == "en" else f"{who}：{days} {h.open}–{h.close}"
        if h.lunch_start:
            text += ("，" if lang == "zh" else ", ") + t(
                "standards.card.lunch", lang, start=h.lunch_start, end=h.lunch_end
            )
        items.append(f"<li>{escape(text)}</li>")
    return "".join(items)


def standards_card_html(
    standards: ServiceStandards,
    lang: str = "zh",
    *,
    store_id: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    version_date: date | None = None,
) -> str:
    """The service standards card as one self-contained HTML page (A4 portrait when printed).

    Parameters
    ----------
    standards : ServiceStandards
        Usually ``kit.workshop.workspace.load_standards(workspace)``.
    lang : {"zh", "en"}
    store_id : str, optional
        Print this store's opening hours only (and its id under the title).
    title, subtitle : str, optional
        Override the title ("服务标准卡" / "Service standards card") and the subtitle
        (default: ``standards.name``).
    version_date : date, optional
        Printed in the footer (default: none).
    """
    check_lang(lang)
    head_title = title or t("standards.card.title", lang)
    sub_parts = [
        p
        for p in (
            subtitle if subtitle is not None else standards.name,
            t("standards.card.store", lang, store=store_id) if store_id else "",
        )
        if p
    ]
    groups = []
    for group in GROUPS:
        items = standards.by_group(group)
        if not items:
            continue
        body = "".join(_standard_item(s, standards, lang) for s in items)
        groups.append(f"<section><h2>{escape(label_of('standards.group', group, lang))}</h2><ol>{body}</ol></section>")
    headers = [
        label_of("column", "tier", lang),
        label_of("column", "channel", lang),
        t("standards.card.metric", lang),
        t("standards.card.target", lang),
        label_of("column", "required", lang),
    ]
    sla = (
        f"<section><h2>{escape(t('standards.card.response_title', lang))}</h2><table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in headers)
        + f"</tr></thead><tbody>{_sla_rows(standards, lang)}</tbody></table></section>"
    )
    hours_num = f"{standards.follow_up.window_hours:.1f}".rstrip("0").rstrip(".")
    follow = f"<section><h2>{escape(t('standards.card.follow_up_title', lang))}</h2><p>{escape(t('standards.card.follow_up', lang, hours=hours_num))}</p></section>"
    authority = f"<section><h2>{escape(t('standards.card.authority_title', lang))}</h2><ul>{_authority(standards, lang)}</ul></section>"
    hours_html = _hours(standards, lang, store_id)
    hours = (
        f"<section><h2>{escape(t('standards.card.hours_title', lang))}</h2><ul>{hours_html}</ul></section>"
        if hours_html
        else ""
    )
    reviews = sorted({s.review_date for s in standards.smart if s.review_date is not None})
    review = escape(t("standards.card.review", lang, date=reviews[0].isoformat())) if reviews else ""
    version = escape(t("standards.card.printed", lang, date=version_date.isoformat())) if version_date else ""
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(head_title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<div class="card">\n<header><h1>{escape(head_title)}</h1>'
        + (f'<div class="sub">{escape(" · ".join(sub_parts))}</div>' if sub_parts else "")
        + "</header>\n"
        + "\n".join(groups)
        + "\n"
        + sla
        + f'\n<div class="cols">{follow}{authority}</div>\n'
        + hours
        + f'\n<footer><span class="steps">{escape(t("standards.card.footer", lang))}</span><span>{review}'
        + (f"<br>{version}" if version else "")
        + "</span></footer>\n</div>\n</body>\n</html>\n"
    )


def write_standards_card(path: str | Path, standards: ServiceStandards, lang: str = "zh", **kwargs) -> Path:
    """Write :func:`standards_card_html` to ``path`` (UTF-8, atomically) and return the path."""
    return write_text(path, standards_card_html(standards, lang, **kwargs))


#: MIME type under which a notebook output carries the whole card page (see :class:`StandardsCard`).
CARD_MIME = "text/x-kit-standards-card"


def card_filename(lang: str, store_id: str | None = None) -> str:
    """File name of a printed card: ``standards_card.<lang>.html`` (``standards_card.<store>.<lang>.html`` for one store).

    Examples
    --------
    >>> card_filename("zh"), card_filename("en", "002")
    ('standards_card.zh.html', 'standards_card.002.en.html')
    """
    check_lang(lang)
    return f"standards_card.{store_id}.{lang}.html" if store_id else f"standards_card.{lang}.html"


class StandardsCard:
    """The card as a notebook output: a framed preview with a print button, and the page itself.

    Parameters
    ----------
    html : str
        The card page (:func:`standards_card_html`).
    lang : {"zh", "en"}
    store_id : str, optional
        Recorded with the output, so :func:`export_cards` names the file after the store.
    height : str, default "1150px"
        Height of the preview frame (about one A4 page).
    path : Path, optional
        Where the card was also written as a file (see :func:`kit.workshop.session.write_card`).

    Examples
    --------
    >>> from kit.workshop.standards import default_service_standards
    >>> card = StandardsCard(standards_card_html(default_service_standards(), "en"), "en")
    >>> data, meta = card._repr_mimebundle_()
    >>> sorted(data), meta[CARD_MIME]["file"]
    (['text/html', 'text/plain', 'text/x-kit-standards-card'], 'standards_card.en.html')
    """

    def __init__(
        self, html: str, lang: str, *, store_id: str | None = None, height: str = "1150px", path: Path | None = None
    ) -> None:
        self.html = html
        self.path = path
        self.lang = check_lang(lang)
        self.store_id = store_id or None
        self.height = height

    def frame(self) -> str:
        """The preview: a print button and an ``<iframe srcdoc>`` holding the card page."""
        label = escape(t("card.print", self.lang))
        title = escape(t("card.frame_title", self.lang))
        return (
            '<div class="kit-standards-card">'
            '<button type="button" style="margin:0 0 6px 0;padding:4px 12px" '
            "onclick=\"this.parentNode.querySelector('iframe').contentWindow.print()\">"
            f"🖨 {label}</button>"
            f'<iframe title="{title}" srcdoc="{escape(self.html, quote=True)}" '
            f'style="width:100%;max-width:820px;height:{escape(self.height)};border:1px solid #bbb;background:#fff"></iframe>'
            "</div>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> tuple[dict[str, str], dict[str, Any]]:
        data = {"text/html": self.frame(), CARD_MIME: self.html, "text/plain": t("card.frame_title", self.lang)}
        file = card_filename(self.lang, self.store_id)
        meta = {
            CARD_MIME: {"lang": self.lang, "store_id": self.store_id, "file": file},
            # the exported report links the card's file (written next to it by export_cards)
            "kit": {"export_html": f'<p><a href="{escape(file)}">{escape(t("card.open", self.lang))}</a></p>'},
        }
        return data, meta


def export_cards(notebook: str | Path, folder: str | Path | None = None) -> list[Path]:
    """Write every card shown in an executed notebook to ``folder`` (default: the notebook's folder).

    Parameters
    ----------
    notebook : path
        An executed ``.ipynb`` (e.g. ``<run>/chain/02_service_standards.ipynb`` from ``kit run``).
    folder : path, optional
        Where the files go; default next to the notebook.

    Returns
    -------
    list of Path
        The files written, ``standards_card.<lang>.html`` (empty when the notebook shows no card).
    """
    notebook = Path(notebook)
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    target = Path(folder) if folder is not None else notebook.parent
    written = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            page = output.get("data", {}).get(CARD_MIME)
            if page is None:
                continue
            page = "".join(page) if isinstance(page, list) else str(page)
            meta = output.get("metadata", {}).get(CARD_MIME, {})
            name = meta.get("file") or card_filename(meta.get("lang", "zh"), meta.get("store_id"))
            written.append(write_text(target / Path(name).name, page))
    return written
