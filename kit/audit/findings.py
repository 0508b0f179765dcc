"""Findings a manager can act on: one per indicator short of its target, ranked, each with its remedy.

A *finding* is an indicator of the registry whose verdict for the store (or the chain) is
``not_met`` in the indicator table (:mod:`kit.chain.indicators`) -- so a finding always agrees
with the report's tables, the scorecard and the chain overview, and an indicator without data or
with too few answers is never a finding.  There is one finding per indicator; for the two SLA
indicators it names the worst scope (the rule, e.g. "e-mail, normal complaint: first reply within
24 h", with the largest shortfall).

**Impact** is the shortfall in whole tickets (answers, customers …) of an indicator that is a
share: for a higher-is-better share the successes missing to reach the target,
``ceil(target × n − successes)``; for a lower-is-better share the failures beyond what the target
allows (:func:`kit.workshop.indicators.shortfall`).  Indicators in points, currency or a ratio
have no ticket impact: their gap says it.  Findings are ranked by impact (largest first), then
those without a ticket impact by their gap relative to the target.

A **change** since the previous period is said only when it is clear: for a share, a two-proportion
z test (p < 0.05) and at least 2 points; a large change that is not significant says why ("+19
points, but only 14 answers").

The executive summary (:func:`describe_findings`) shows at most three findings -- number, target,
gap, change and the one remedy to start with (a link into the playbook); the rest follow in
:func:`findings_view`.

Examples
--------
>>> rows = pd.DataFrame({"indicator": ["fcr", "nps", "csat"], "value": [60.0, 20.0, 95.0], "target": [70.0, 30.0, 90.0],
...     "n": [250, 80, 80], "unit": ["percent", "points", "percent"], "direction": [">="] * 3,
...     "gap": [-10.0, -10.0, 5.0], "verdict": ["not_met", "not_met", "met"], "impact": [25.0, None, None]})
>>> f = indicator_findings(rows, "en")
>>> f[["rank", "indicator", "impact"]].values.tolist()
[[1, 'fcr', 25.0], [2, 'nps', nan]]
>>> f.loc[0, "text"]
'First-contact resolution (FCR): 60.0% against a target of ≥ 70.0% — 25 complaints short'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from kit.audit.attainment import attainment_table
from kit.core.i18n import check_lang, label_of, t
from kit.workshop.indicators import INDICATORS, indicator_label, value_text
from kit.workshop.standards import ANY, Standards, rules_table

__all__ = [
    "COLUMNS",
    "change_note",
    "describe_findings",
    "findings_view",
    "indicator_findings",
    "open_overdue",
    "remedy_link",
    "worst_rules",
]

COLUMNS = [
    "rank",
    "indicator",
    "value",
    "target",
    "n",
    "gap",
    "impact",
    "change",
    "worst_scope",
    "remedy",
    "link",
    "text",
]
_ARROWS = {">=": "≥", "<=": "≤"}
#: What the shortfall of an indicator is counted in (its denominator), by input kind.
_UNIT_OF = {"complaints": "complaints", "surveys": "answers", "transactions": "customers"}


def remedy_link(chapter: str, anchor: str, lang: str, *, base: str = "../playbook") -> str:
    """The link to a section of a playbook chapter in ``lang``.

    The default base, ``../playbook``, resolves both from ``notebooks/`` (JupyterLab) and from a
    run's ``<run>/<store>/`` folder, where :mod:`kit.chain.handouts` puts the chapters as HTML.

    Examples
    --------
    >>> remedy_link("03_complaint_audit", "remedy-four-steps", "en")
    '../playbook/03_complaint_audit.en.md#remedy-four-steps'
    """
    return f"{base}/{chapter}.{check_lang(lang)}.md#{anchor}"


def _duration(minutes: float, lang: str) -> str:
    if minutes >= 60 and minutes % 60 == 0:
        return t("findings.duration.hours", lang, n=f"{minutes / 60:.0f}")
    return t("findings.duration.minutes", lang, n=f"{minutes:.0f}")


def _scope(channel: str, tier: str, lang: str) -> str:
    parts = []
    if channel != ANY:
        parts.append(label_of("channel", channel, lang))
    if tier != ANY:
        parts.append(label_of("tier", tier, lang))
    return t("findings.scope.sep", lang).join(parts) if parts else t("findings.scope.all", lang)


def worst_rules(status: pd.DataFrame, standards: Standards, *, min_n: int = 5) -> pd.DataFrame:
    """Per SLA rule of one store (or the chain): attainment, required, decided tickets and shortfall.

    ``status`` is :func:`kit.audit.measures.sla_status`; rules with fewer than ``min_n`` decided
    tickets are left out.  Sorted by shortfall, the worst first.

    Returns
    -------
    DataFrame ``rule_id, channel, tier, target_minutes, attainment, required, decided, shortfall``.
    """
    known = status.loc[status["status"] != "no_standard"]
    if known.empty:
        return pd.DataFrame(
            columns=["rule_id", "channel", "tier", "target_minutes", "attainment", "required", "decided", "shortfall"]
        )
    table = attainment_table(known, ["rule_id"])
    rules = rules_table(standards)[["rule_id", "channel", "tier", "target_minutes"]]
    table = table.merge(rules, on="rule_id", how="left")
    table = table.loc[table["decided"] >= min_n].sort_values(["shortfall", "rule_id"], ascending=[False, True])
    return table[
        ["rule_id", "channel", "tier", "target_minutes", "attainment", "required", "decided", "shortfall"]
    ].reset_index(drop=True)


def _two_proportions(p1: float, n1: float, p0: float, n0: float) -> float:
    """Two-sided p-value of the two-proportion z test (pooled standard error)."""
    pooled = (p1 * n1 + p0 * n0) / (n1 + n0)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    return float(2 * norm.sf(abs(p1 - p0) / se)) if se > 0 else (0.0 if p1 != p0 else 1.0)


def change_note(row: Mapping, previous: Mapping | None, lang: str, *, min_change: float = 2.0) -> tuple[float, str]:
    """``(change in the indicator's direction, text)`` since the previous period; ``(nan, "")`` without one.

    Shares are tested with the two-proportion z test: a change of at least ``min_change`` points
    with p < 0.05 is "improving" / "declining"; a larger change that is not significant says it
    rests on few answers; otherwise "no clear change".

    Examples
    --------
    >>> cur = {"indicator": "csat", "value": 90.0, "n": 14, "direction": ">="}
    >>> change_note(cur, {"value": 71.0, "n": 14}, "en")[1]
    '+19.0 points since the previous period, but on only 14 answers: no clear change yet'
    """
    if previous is None or pd.isna(previous.get("value")) or pd.isna(row.get("value")) or not previous.get("n"):
        return float("nan"), ""
    ind = INDICATORS[str(row["indicator"])]
    sign = 1.0 if ind.direction == ">=" else -1.0
    diff = float(row["value"]) - float(previous["value"])
    change = sign * diff
    if ind.statistic != "proportion":
        text = t(
            "findings.change.moved",
            lang,
            previous=value_text(float(previous["value"]), ind.unit, lang),
            change=f"{diff:+.1f}",
        )
        return change, text
    n1, n0 = float(row["n"]), float(previous["n"])
    p = _two_proportions(float(row["value"]) / 100, n1, float(previous["value"]) / 100, n0)
    unit = t(f"findings.unit.{_UNIT_OF.get(ind.inputs[0][0], 'complaints')}", lang)
    if p < 0.05 and abs(diff) >= min_change:
        key = "improving" if change > 0 else "declining"
        return change, t(f"findings.change.{key}", lang, change=f"{diff:+.1f}")
    if abs(diff) >= 5:
        return change, t("findings.change.not_significant", lang, change=f"{diff:+.1f}", n=int(min(n1, n0)), unit=unit)
    return change, t("findings.change.stable", lang)


def indicator_findings(
    rows: pd.DataFrame,
    lang: str,
    *,
    previous: pd.DataFrame | None = None,
    sla: Mapping[str, pd.DataFrame] | None = None,
    codes: Sequence[str] | None = None,
    currency: str = "¥",
    playbook_base: str = "../playbook",
) -> pd.DataFrame:
    """The findings of one store (or the chain): its indicators short of target, ranked.

    Parameters
    ----------
    rows : DataFrame
        The store's slice of the indicator table for the period
        (:func:`kit.chain.indicators.store_slice`).
    previous : DataFrame, optional
        The same slice for the previous period (for the change).
    sla : {indicator: DataFrame}, optional
        :func:`worst_rules` of the store for ``first_response_sla`` / ``resolution_sla``: names the
        worst scope of an SLA finding.
    codes : list of str, optional
        Only these indicators (e.g. the complaint indicators in the complaint audit).

    Returns
    -------
    DataFrame :data:`COLUMNS`, ranked; empty (with these columns) when nothing falls short.
    """
    check_lang(lang)
    short = rows.loc[rows["verdict"].eq("not_met")]
    if codes is not None:
        short = short.loc[short["indicator"].isin(list(codes))]
    if short.empty:
        return pd.DataFrame(columns=COLUMNS)
    before = previous.set_index("indicator") if previous is not None and len(previous) else None
    out = []
    for r in short.to_dict("records"):  # a few indicators, not rows of data
        ind = INDICATORS[r["indicator"]]
        value = value_text(r["value"], ind.unit, lang, currency=currency)
        target = f"{_ARROWS[ind.direction]} {value_text(r['target'], ind.unit, lang, currency=currency)}"
        label = indicator_label(ind.id, lang)
        label = label[:1].upper() + label[1:]
        text = t("findings.text.value", lang, label=label, value=value, target=target)
        impact = r.get("impact")
        if impact is not None and pd.notna(impact) and impact > 0:
            unit = t(f"findings.unit.{_UNIT_OF.get(ind.inputs[0][0], 'complaints')}", lang)
            text += t("findings.text.short_by", lang, impact=f"{int(impact):,}", unit=unit)
        scope = ""
        detail = (sla or {}).get(ind.id)
        if detail is not None and len(detail) and detail["shortfall"].iloc[0] > 0:
            w = detail.iloc[0]
            scope = t(
                "findings.text.worst_scope",
                lang,
                scope=_scope(w["channel"], w["tier"], lang),
                value=f"{w['attainment']:.1%}",
                target_time=_duration(w["target_minutes"], lang),
                tickets=f"{int(np.ceil(round(w['shortfall'], 9))):,}",
            )
            text += scope
        prev = before.loc[ind.id].to_dict() if before is not None and ind.id in before.index else None
        change, note = change_note(r, prev, lang)
        if note:
            text += t("findings.text.change", lang, note=note)
        chapter, anchor = ind.remedy or ("03_complaint_audit", "remedies")
        relative = abs(r["gap"]) / max(abs(r["target"]), 1.0) if pd.notna(r["gap"]) else 0.0
        out.append(
            dict(
                indicator=ind.id,
                value=r["value"],
                target=r["target"],
                n=r["n"],
                gap=r["gap"],
                impact=impact if impact is not None and pd.notna(impact) else np.nan,
                change=change,
                worst_scope=scope,
                remedy=anchor,
                link=remedy_link(chapter, anchor, lang, base=playbook_base),
                text=text,
                _relative=relative,
            )
        )
    frame = pd.DataFrame(out)
    frame["_has_impact"] = frame["impact"].notna()
    frame = frame.sort_values(
        ["_has_impact", "impact", "_relative"], ascending=[False, False, False], kind="stable", ignore_index=True
    )
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame[COLUMNS]


def open_overdue(status: pd.DataFrame) -> int:
    """Open tickets already past their first-reply deadline at the end of the period (today's to-do list)."""
    return int((status["open"] & (status["status"] == "breached")).sum())


def describe_findings(findings: pd.DataFrame, lang: str, *, top: int = 3, overdue: int = 0) -> str:
    """The executive summary: at most ``top`` findings as a numbered list with their remedy, then what follows.

    ``overdue`` open tickets past their deadline are added as today's to-do line.
    """
    lines = []
    if findings.empty:
        lines.append(t("findings.none", lang))
    else:
        lines += [t("findings.intro", lang), ""]
        for r in findings.head(top).to_dict("records"):
            remedy = t(f"findings.remedy.{r['remedy']}", lang)
            lines.append(t("findings.item", lang, rank=r["rank"], text=r["text"], remedy=remedy, link=r["link"]))
        more = len(findings) - top
        if more > 0:
            lines += ["", t("findings.more_one" if more == 1 else "findings.more", lang, n=more)]
    if overdue:
        lines += ["", t("findings.overdue", lang, count=overdue)]
    return "\n".join(lines)


def findings_view(findings: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The findings as a table (rank, finding, impact, remedy) -- e.g. those after the summary's three."""
    return pd.DataFrame(
        {
            t("findings.column.rank", lang): findings["rank"].astype(int).astype(str),
            t("findings.column.finding", lang): findings["text"],
            t("findings.column.remedy", lang): findings["remedy"].map(lambda r: t(f"findings.remedy.{r}", lang)),
        }
    ).reset_index(drop=True)
