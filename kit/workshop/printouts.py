"""Printable hand-outs for the workshop and the review sessions: one self-contained A4 page per file.

:func:`write_handouts` writes, for one language, into a folder:

* ``kano_questionnaire.<lang>.html`` -- the KANO question pair for every service feature of the
  team (Kano et al. 1984): a *functional* question ("if the store offers X, how do you feel?")
  and a *dysfunctional* one ("... does not offer X ..."), each with the five answers I like it /
  I expect it / I am neutral / I can live with it / I dislike it, coded 1–5 as
  :mod:`kit.workshop.kano` reads them;
* ``servqual_questionnaire.<lang>.html`` -- the 22 SERVQUAL items (Parasuraman, Zeithaml & Berry
  1988, revised 1991) with an expectation (E) and a perception (P) score 1–7 each, in the
  published order and dimensions: items 1–4 tangibles, 5–9 reliability, 10–13 responsiveness,
  14–17 assurance, 18–22 empathy -- and the 100-point importance question of the 1991 revision.
  The item wording is the kit's own, written for a retail store, one sentence per published item;
  :data:`SERVQUAL_ITEMS` maps each item to its dimension;
* ``action_plan.<lang>.html`` -- the "plan" sheet of the PDCA cycle: finding, action, owner,
  stores, start, due, indicator, baseline, target and check date, one row per action;
* ``standards_card.<lang>.html`` -- the standards card of the workspace
  (:func:`kit.workshop.card.standards_card_html`, unchanged).

Every page has inline CSS and no script, font or image from the network, asks the printer for A4
(the action plan in landscape), and holds the texts of one language only; every string that
comes from the workspace or the data (feature names, workspace name, store, pre-filled actions)
is HTML-escaped.

Examples
--------
>>> import tempfile
>>> paths = write_handouts(tempfile.mkdtemp(), None, "en", features=["fast_response"])
>>> [p.name for p in paths]
['kano_questionnaire.en.html', 'servqual_questionnaire.en.html', 'action_plan.en.html', 'standards_card.en.html']
>>> "If the store offers “fast response”" in paths[0].read_text(encoding="utf-8")
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from kit.core.files import write_text
from kit.core.i18n import check_lang, label_of, labels, t
from kit.workshop.card import card_filename, standards_card_html
from kit.workshop.customer_types import CustomerTypes, default_customer_types
from kit.workshop.kano import feature_label
from kit.workshop.standards import SERVQUAL_DIMENSIONS, ServiceStandards, default_service_standards
from kit.workshop.workspace import Workspace, load_customer_types, load_standards

__all__ = [
    "ACTION_COLUMNS",
    "HANDOUTS",
    "SERVQUAL_ITEMS",
    "action_plan_html",
    "handout_features",
    "handout_filename",
    "kano_questionnaire_html",
    "servqual_questionnaire_html",
    "write_handouts",
]

#: The hand-outs :func:`write_handouts` writes, in order (file stem of each).
HANDOUTS: tuple[str, ...] = ("kano_questionnaire", "servqual_questionnaire", "action_plan", "standards_card")

#: SERVQUAL item number (1–22) -> dimension, as published (Parasuraman, Zeithaml & Berry 1988, 1991).
SERVQUAL_ITEMS: dict[int, str] = {
    **dict.fromkeys(range(1, 5), "tangibles"),
    **dict.fromkeys(range(5, 10), "reliability"),
    **dict.fromkeys(range(10, 14), "responsiveness"),
    **dict.fromkeys(range(14, 18), "assurance"),
    **dict.fromkeys(range(18, 23), "empathy"),
}

#: Columns of the action-plan worksheet (the PDCA "plan" sheet).
ACTION_COLUMNS: tuple[str, ...] = (
    "finding",
    "action",
    "owner",
    "stores",
    "start",
    "due",
    "indicator",
    "baseline",
    "target",
    "check_date",
)

_FONTS = (
    '"Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"WenQuanYi Zen Hei", "DejaVu Sans", Arial, sans-serif'
)

_CSS = """
@page { size: A4 %(orientation)s; margin: 12mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: %(fonts)s; font-size: 10pt; line-height: 1.35; color: #111; }
.sheet { width: %(width)s; margin: 0 auto; padding: 4mm 0; }
header { border-bottom: 1.5pt solid #1f3b5c; margin-bottom: 3mm; padding-bottom: 2mm; display: flex;
         justify-content: space-between; align-items: flex-end; gap: 6mm; }
h1 { font-size: 17pt; margin: 0; }
h2 { font-size: 11.5pt; margin: 4mm 0 1.5mm; padding: 0.6mm 2mm; background: #e8eef4;
     border-left: 3pt solid #1f3b5c; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sub { font-size: 9.5pt; color: #333; text-align: right; white-space: nowrap; }
.intro { margin: 0 0 2mm; }
.note { font-size: 9pt; color: #333; }
table { border-collapse: collapse; width: 100%%; }
th, td { border: 0.6pt solid #777; padding: 1mm 1.6mm; text-align: left; vertical-align: middle; }
th { background: #f0f0f0; font-weight: bold; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.box { display: inline-block; width: 3.4mm; height: 3.4mm; border: 0.8pt solid #222; vertical-align: middle;
       margin-right: 1.2mm; }
.scale span { display: inline-block; width: 5.2mm; height: 5.2mm; line-height: 5mm; border: 0.6pt solid #555;
              border-radius: 50%%; text-align: center; font-size: 8pt; margin: 0 0.3mm; }
.scale { white-space: nowrap; width: 46mm; }
.num { width: 9mm; text-align: center; }
.fill th:nth-child(1), .fill th:nth-child(2) { width: 18%%; }
.fill th:nth-child(3), .fill th:nth-child(4), .fill th:nth-child(7) { width: 9%%; }
.feature { break-inside: avoid; page-break-inside: avoid; margin-bottom: 2.5mm; }
.feature h2 { margin-top: 2.5mm; }
.answers td { font-size: 9.5pt; white-space: nowrap; }
.answers td.q { white-space: normal; width: 34%%; }
.fill td { height: 15mm; }
.points td { height: 9mm; }
footer { margin-top: 4mm; border-top: 1pt solid #1f3b5c; padding-top: 1.5mm; font-size: 8.5pt; color: #333; }
tr, section { break-inside: avoid; page-break-inside: avoid; }
"""


def handout_filename(name: str, lang: str, store_id: str | None = None) -> str:
    """File name of a hand-out: ``<name>.<lang>.html`` (the card: :func:`kit.workshop.card.card_filename`).

    Examples
    --------
    >>> handout_filename("action_plan", "zh"), handout_filename("standards_card", "en", "002")
    ('action_plan.zh.html', 'standards_card.002.en.html')
    """
    check_lang(lang)
    if name == "standards_card":
        return card_filename(lang, store_id)
    return f"{name}.{lang}.html"


def _page(title: str, subtitle: str, body: str, footer: str, lang: str, *, landscape: bool = False) -> str:
    css = _CSS % {
        "orientation": "landscape" if landscape else "portrait",
        "width": "273mm" if landscape else "186mm",
        "fonts": _FONTS,
    }
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<div class="sheet">\n'
        f'<header><h1>{escape(title)}</h1><div class="sub">{subtitle}</div></header>\n'
        f"{body}\n<footer>{escape(footer)}</footer>\n</div>\n</body>\n</html>\n"
    )


def _subtitle(lang: str, workspace_name: str | None, store_id: str | None) -> str:
    parts = []
    if workspace_name:
        parts.append(escape(t("printouts.common.workspace", lang, name=workspace_name)))
    if store_id:
        parts.append(escape(t("printouts.common.store", lang, store=store_id)))
    parts.append(escape(t("printouts.common.date_line", lang)))
    return "<br>".join(parts)


def handout_features(
    types: CustomerTypes | None = None,
    standards: ServiceStandards | None = None,
    survey_features: Iterable[str] | None = None,
) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The features a KANO questionnaire asks about, and names for those the catalogue does not know.

    The survey's features when given; else the features the workspace links (key needs of the
    customer types, then the ``kano_need`` of the standards), in order; else the catalogue's.
    The names come from the key needs: ``{feature: {"zh": need_zh, "en": need_en}}``.

    Examples
    --------
    >>> handout_features(default_customer_types())[0][:2]
    ['fast_response', 'clear_compensation_policy']
    """
    names: dict[str, dict[str, str]] = {}
    linked: list[str] = []
    for ct in types.types if types is not None else []:
        for need in ct.key_needs:
            if need.feature:
                linked.append(need.feature)
                names.setdefault(need.feature, {"zh": need.need_zh, "en": need.need_en or need.need_zh})
    for s in standards.smart if standards is not None else []:
        if s.kano_need:
            linked.append(s.kano_need)
    if survey_features is not None:
        features = [str(f) for f in survey_features]
    elif linked:
        features = list(linked)
    else:
        features = list(labels("kano.feature", "en"))
    return list(dict.fromkeys(features)), names


def _feature_name(feature: str, lang: str, names: Mapping[str, Any] | None) -> str:
    known = labels("kano.feature", lang)
    if feature in known:
        return known[feature]
    entry = (names or {}).get(feature)
    if isinstance(entry, Mapping) and entry.get(lang):
        return str(entry[lang])
    if isinstance(entry, str) and entry:
        return entry
    return feature_label(feature, lang).replace("_", " ")


def kano_questionnaire_html(
    features: Sequence[str],
    lang: str,
    *,
    names: Mapping[str, Any] | None = None,
    workspace_name: str | None = None,
    store_id: str | None = None,
) -> str:
    """The KANO questionnaire page: the functional and dysfunctional question of every feature.

    Parameters
    ----------
    features : sequence of str
        Feature codes (``fast_response``); shown with their catalogue name, else ``names``.
    lang : {"zh", "en"}
    names : mapping, optional
        Feature code -> name, either one string or ``{"zh": ..., "en": ...}``.
    workspace_name, store_id : str, optional
        Printed in the header.

    Examples
    --------
    >>> page = kano_questionnaire_html(["x_y"], "en", names={"x_y": "<free> parking"})
    >>> "&lt;free&gt; parking" in page and "<free>" not in page and "I can live with it" in page
    True
    """
    check_lang(lang)
    answers = labels("kano.answer", lang)
    head = "".join(f"<th>{escape(answers[str(code)])}</th>" for code in range(1, 6))
    blocks = []
    for n, feature in enumerate(features, start=1):
        name = _feature_name(str(feature), lang, names)
        rows = "".join(
            f'<tr><td class="q">{escape(t(f"printouts.kano.{kind}", lang, feature=name))}</td>'
            + "".join(f'<td><span class="box"></span>{code}</td>' for code in range(1, 6))
            + "</tr>"
            for kind in ("functional", "dysfunctional")
        )
        blocks.append(
            f'<section class="feature"><h2>{escape(t("printouts.kano.feature_no", lang, n=n))} · {escape(name)}</h2>'
            f'<table class="answers"><thead><tr><th>{escape(t("printouts.kano.question", lang))}</th>{head}</tr>'
            f"</thead><tbody>{rows}</tbody></table></section>"
        )
    body = (
        f'<p class="intro">{escape(t("printouts.kano.intro", lang))}</p>'
        f'<p class="note">{escape(t("printouts.common.no_names", lang))}</p>' + "".join(blocks)
    )
    return _page(
        t("printouts.kano.title", lang),
        _subtitle(lang, workspace_name, store_id),
        body,
        t("printouts.kano.source", lang),
        lang,
    )


def _scale() -> str:
    return '<td class="scale">' + "".join(f"<span>{k}</span>" for k in range(1, 8)) + "</td>"


def servqual_questionnaire_html(lang: str, *, workspace_name: str | None = None, store_id: str | None = None) -> str:
    """The SERVQUAL questionnaire page: 22 items with an E and a P score 1–7, and the importance points.

    Examples
    --------
    >>> page = servqual_questionnaire_html("en")
    >>> page.count('<td class="num">'), "items 18–22" in page
    (22, True)
    """
    check_lang(lang)
    dimension = labels("servqual.dimension", lang)
    head = (
        f'<tr><th class="num">{escape(t("printouts.servqual.number", lang))}</th>'
        f"<th>{escape(t('printouts.servqual.statement', lang))}</th>"
        f"<th>{escape(t('printouts.servqual.expectation', lang))}</th>"
        f"<th>{escape(t('printouts.servqual.perception', lang))}</th></tr>"
    )
    sections = []
    for dim in SERVQUAL_DIMENSIONS:
        items = [i for i, d in SERVQUAL_ITEMS.items() if d == dim]
        rows = "".join(
            f'<tr><td class="num">{i}</td><td>{escape(t(f"printouts.servqual.item.{i}", lang))}</td>'
            f"{_scale()}{_scale()}</tr>"
            for i in items
        )
        span = t("printouts.servqual.items_range", lang, first=items[0], last=items[-1])
        title = dimension[dim].capitalize() if lang == "en" else dimension[dim]
        sections.append(
            f"<section><h2>{escape(title)} · {escape(span)}</h2><table><thead>{head}</thead><tbody>{rows}</tbody></table>"
            "</section>"
        )
    points = "".join(
        f"<tr><td>{escape(dimension[d].capitalize() if lang == 'en' else dimension[d])}</td>"
        f"<td>{escape(t(f'printouts.servqual.about.{d}', lang))}</td><td></td></tr>"
        for d in SERVQUAL_DIMENSIONS
    )
    importance = (
        f"<section><h2>{escape(t('printouts.servqual.importance_title', lang))}</h2>"
        f'<p class="intro">{escape(t("printouts.servqual.importance_intro", lang))}</p>'
        f'<table class="points"><tbody>{points}<tr><th colspan="2">{escape(t("printouts.servqual.total", lang))}</th>'
        f"<th>100</th></tr></tbody></table></section>"
    )
    body = (
        f'<p class="intro">{escape(t("printouts.servqual.intro", lang))}</p>'
        f'<p class="note">{escape(t("printouts.common.no_names", lang))}</p>' + "".join(sections) + importance
    )
    return _page(
        t("printouts.servqual.title", lang),
        _subtitle(lang, workspace_name, store_id),
        body,
        t("printouts.servqual.source", lang),
        lang,
    )


def action_plan_html(
    lang: str,
    *,
    actions: Iterable[Mapping[str, Any]] = (),
    blank_rows: int = 8,
    workspace_name: str | None = None,
    store_id: str | None = None,
) -> str:
    """The action-plan worksheet (PDCA "plan"): one row per action, pre-filled rows first, then blank ones.

    Parameters
    ----------
    lang : {"zh", "en"}
    actions : iterable of mapping, optional
        Rows to print filled in, keyed by :data:`ACTION_COLUMNS` (missing keys stay empty).
    blank_rows : int, default 8
        Empty rows to fill in by hand after the pre-filled ones.

    Examples
    --------
    >>> page = action_plan_html("en", actions=[{"finding": "slow <e-mail> replies", "owner": "Li"}], blank_rows=2)
    >>> "slow &lt;e-mail&gt; replies" in page, page.count("<tr>"), "size: A4 landscape" in page
    (True, 4, True)
    """
    check_lang(lang)
    head = "".join(f"<th>{escape(label_of('printouts.action.column', c, lang))}</th>" for c in ACTION_COLUMNS)
    rows = [
        "<tr>" + "".join(f"<td>{escape(str(a.get(c) or ''))}</td>" for c in ACTION_COLUMNS) + "</tr>" for a in actions
    ]
    rows += ["<tr>" + "<td></td>" * len(ACTION_COLUMNS) + "</tr>"] * max(int(blank_rows), 0)
    body = (
        f'<p class="intro">{escape(t("printouts.action.intro", lang))}</p>'
        f'<p class="note">{escape(t("printouts.action.team", lang))}</p>'
        f'<table class="fill"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    return _page(
        t("printouts.action.title", lang),
        _subtitle(lang, workspace_name, store_id),
        body,
        t("printouts.action.cycle", lang),
        lang,
        landscape=True,
    )


def _open(workspace: Workspace | str | Path | None) -> tuple[str | None, CustomerTypes, ServiceStandards]:
    if workspace is None or str(workspace) == "":
        return None, default_customer_types(), default_service_standards()
    folder = workspace.path if isinstance(workspace, Workspace) else Path(workspace)
    types = load_customer_types(folder, default_if_missing=True)
    standards = load_standards(folder, default_if_missing=True)
    return folder.name, types, standards


def write_handouts(
    folder: str | Path,
    workspace: Workspace | str | Path | None,
    lang: str,
    *,
    features: Iterable[str] | None = None,
    names: Mapping[str, Any] | None = None,
    store_id: str | None = None,
    actions: Iterable[Mapping[str, Any]] = (),
    blank_rows: int = 8,
) -> list[Path]:
    """Write the printable hand-outs of one language into ``folder`` (created if missing).

    Parameters
    ----------
    folder : path
        Where the files go, e.g. ``<workspace>/handouts`` or a run folder.
    workspace : Workspace, path or None
        The client workspace: its customer types and standards give the KANO features and the
        card; None (or ``""``) uses the seed defaults.
    lang : {"zh", "en"}
    features : iterable of str, optional
        The survey's KANO features (:func:`kit.workshop.kano.kano_features`); default: the
        features the workspace links (see :func:`handout_features`).
    names : mapping, optional
        Names of features the catalogue does not know (code -> text or ``{"zh", "en"}``).
    store_id : str, optional
        Printed on every sheet; the card then shows that store's opening hours.
    actions : iterable of mapping, optional
        Rows printed filled in on the action-plan worksheet.
    blank_rows : int, default 8
        Empty rows of the action-plan worksheet.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`HANDOUTS` (each overwritten atomically).
    """
    check_lang(lang)
    name, types, standards = _open(workspace)
    chosen, linked_names = handout_features(types, standards, features)
    all_names: dict[str, Any] = {**linked_names, **dict(names or {})}
    store = store_id or None
    target = Path(folder)
    pages = {
        "kano_questionnaire": kano_questionnaire_html(
            chosen, lang, names=all_names, workspace_name=name, store_id=store
        ),
        "servqual_questionnaire": servqual_questionnaire_html(lang, workspace_name=name, store_id=store),
        "action_plan": action_plan_html(
            lang, actions=actions, blank_rows=blank_rows, workspace_name=name, store_id=store
        ),
        "standards_card": standards_card_html(standards, lang, store_id=store),
    }
    return [write_text(target / handout_filename(key, lang, store), pages[key]) for key in HANDOUTS]
