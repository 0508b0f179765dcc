"""Findings in plain language, ranked by impact, each pointing to its remedy in the playbook.

A *finding* is one measure of a store (or of the whole chain) that falls short of its reference:

* each **response-time standard** (one SLA rule, e.g. "e-mail, normal complaint: first reply
  within 24 h, 95 % of tickets") whose attainment is below the required attainment.  Rules
  partition the tickets, so no ticket is counted in two SLA findings;
* each **measure with a target** (resolution satisfaction, call-backs, authority compliance)
  below its target;
* each **measure without a target** (first-contact resolution, golden window, repeat
  complaints) worse than the chain as a whole -- the chain is the reference (store reports only);
* the **open tickets already past their first-reply deadline** at the end of the period (they are
  also inside the first-response shortfall, but they are a to-do list for today).

**Impact** is the number of complaints that would have had to be handled right for the measure
to reach its reference:

* higher-is-better measures: ``max(0, reference x n - successes)`` -- for an SLA rule this is
  the shortfall ``sum(required) - met`` of :func:`kit.audit.attainment.attainment_table`, i.e. the
  gap in points x decided tickets / 100 ("breached tickets beyond what the target allows");
* lower-is-better measures: ``max(0, failures - reference x n)`` (authority: every violation);
* open overdue tickets: their number.

Findings on fewer than ``min_n`` (5) complaints are left out, except authority violations (each
one is a breach of a rule).  Findings are ranked by impact (largest first; ties by the order above).  Each carries the anchor
of its remedy in ``playbook/03_complaint_audit.<lang>.md`` (:data:`REMEDY_OF`), and the SLA
findings add the chain comparison (store report: the chain's value; chain report: the worst
store) and the trend of :func:`kit.audit.attainment.attainment_table` (improving / declining since the
start of the recent window, or no clear change).

Examples
--------
>>> remedy_link("four-steps", "en")
'../playbook/03_complaint_audit.en.md#remedy-four-steps'
>>> REMEDY_OF["resolution_satisfaction"]
'four-steps'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kit.audit import measures as audit
from kit.audit.attainment import attainment_table
from kit.core.i18n import check_lang, label_of, t
from kit.workshop.calendar import StoreCalendar
from kit.workshop.standards import ANY, Standards, rules_table

__all__ = [
    "COLUMNS",
    "LOWER_IS_BETTER",
    "REMEDIES",
    "REMEDY_OF",
    "audit_findings",
    "describe_findings",
    "measure_findings",
    "remedy_link",
    "sla_findings",
]

#: Remedy anchors of the playbook chapter (``<a id="remedy-...">``).
REMEDIES = (
    "four-steps",
    "empowerment",
    "tiered-response",
    "golden-window",
    "follow-up",
    "root-cause",
    "early-warning",
    "authority",
)

#: Which remedy a shortfall on each measure points to.
REMEDY_OF = {
    "first_response_sla": "tiered-response",
    "resolution_sla": "golden-window",
    "golden_window_24h": "golden-window",
    "fcr": "empowerment",
    "resolution_satisfaction": "four-steps",
    "follow_up_on_time": "follow-up",
    "repeat_30d": "root-cause",
    "authority_violations": "authority",
    "open_overdue": "early-warning",
}
LOWER_IS_BETTER = ("repeat_30d", "authority_violations")
#: Order of the kinds of finding when impacts tie.
_ORDER = {m: i for i, m in enumerate(REMEDY_OF)}
COLUMNS = [
    "rank",
    "measure",
    "rule_id",
    "value",
    "target",
    "n",
    "impact",
    "reference",
    "trend",
    "change",
    "remedy",
    "link",
    "text",
]


def remedy_link(remedy: str, lang: str, *, base: str = "../playbook") -> str:
    """The link to a remedy of the complaint-audit chapter in ``lang``.

    The default base, ``../playbook``, resolves both from ``notebooks/`` (JupyterLab) and from a
    run's ``<run>/<store>/`` folder, where :mod:`kit.chain.handouts` puts the chapters as HTML.
    """
    return f"{base}/03_complaint_audit.{check_lang(lang)}.md#remedy-{remedy}"


def _pct(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.1%}"


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
    text = t("findings.scope.sep", lang).join(parts) if parts else t("findings.scope.all", lang)
    return text[:1].upper() + text[1:] if lang == "en" else text


def _trend_text(row: pd.Series, lang: str, window: int) -> str:
    trend = row.get("trend")
    if trend is None or pd.isna(trend):
        return ""
    month = pd.Period(str(row["recent_from"]), "M")
    since = month.strftime("%b %Y") if lang == "en" else f"{month.year} 年 {month.month} 月"
    return t(f"findings.trend.{trend}", lang, since=since, window=window, change=f"{row['change']:+.1f}")


def sla_findings(
    store_status: pd.DataFrame,
    chain_status: pd.DataFrame | None,
    standards: Standards,
    metric: str,
    *,
    chain_mode: bool = False,
    window: int = 3,
    min_n: int = 5,
) -> pd.DataFrame:
    """One candidate finding per SLA rule of ``metric`` that is short of its required attainment.

    Parameters
    ----------
    store_status, chain_status : DataFrame
        :func:`kit.audit.measures.sla_status` of the store (or the chain) and of the chain (comparison).
    chain_mode : bool
        The findings are about the chain: compare with the worst store instead of the chain.
    min_n : int
        Rules with fewer decided tickets are left out (too few to say anything).

    Returns
    -------
    DataFrame with the rule's scope, attainment, required, decided, shortfall (= impact),
    trend columns and ``chain_value`` / ``worst_store`` / ``worst_value``.
    """
    table = attainment_table(store_status.loc[store_status["status"] != "no_standard"], ["rule_id"], window=window)
    rules = rules_table(standards)[["rule_id", "channel", "tier", "target_minutes"]]
    table = table.merge(rules, on="rule_id", how="left")
    table["chain_value"] = np.nan
    table["worst_store"] = pd.Series(pd.NA, index=table.index, dtype="string")
    table["worst_value"] = np.nan
    if chain_status is not None and len(chain_status):
        decided = chain_status.loc[chain_status["status"].isin(["met", "breached"])]
        if chain_mode:
            per = (
                decided.groupby(["rule_id", "store_id"], observed=True)["status"]
                .agg(met=lambda s: (s == "met").sum(), n="size")
                .reset_index()
            )
            per = per.loc[per["n"] >= min_n].assign(value=lambda f: f["met"] / f["n"])
            worst = per.sort_values(["value", "store_id"]).drop_duplicates("rule_id")
            table = table.drop(columns=["worst_store", "worst_value"]).merge(
                worst[["rule_id", "store_id", "value"]].rename(
                    columns={"store_id": "worst_store", "value": "worst_value"}
                ),
                on="rule_id",
                how="left",
            )
        else:
            whole = decided.groupby("rule_id", observed=True)["status"].agg(lambda s: (s == "met").mean())
            table["chain_value"] = table["rule_id"].map(whole)
    short = (table["decided"] >= min_n) & (table["shortfall"] > 0)
    out = table.loc[short].copy()
    out["measure"] = f"{metric}_sla"
    out["metric"] = metric
    return out.reset_index(drop=True)


def _measure_values(
    complaints: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    by: Sequence[str],
    follow_up_hours: float,
    authority_limits: Mapping[str, float] | None,
    fcr_definition: str,
) -> pd.DataFrame:
    """Long table ``[*by, measure, n, hits, value]`` of the non-SLA measures (vectorised per measure)."""
    keys = list(by)
    have = set(complaints.columns)
    parts = []
    if {"contacts_to_resolve", "reopened", "resolved_at"} <= have:
        parts.append(("fcr", audit.first_contact_resolution(complaints, definition=fcr_definition, by=keys), "fcr"))
    if "resolved_at" in have:
        parts.append(("golden_window_24h", audit.golden_window(complaints, as_of=as_of, by=keys), "within"))
    if "resolution_satisfaction" in have:
        parts.append(("resolution_satisfaction", audit.resolution_satisfaction(complaints, by=keys), "satisfied"))
    if {"resolved_at", "follow_up_at", "tier"} <= have:
        parts.append(
            (
                "follow_up_on_time",
                audit.follow_up_compliance(complaints, as_of=as_of, window_hours=follow_up_hours, by=keys),
                "on_time",
            )
        )
    if "customer_id" in have:
        parts.append(("repeat_30d", audit.repeat_complaints(complaints, by=keys), "repeated"))
    if {"compensation_amount", "approver_role"} <= have:
        auth = audit.authority_check(complaints, limits=authority_limits).rename(columns={"checked": "counted"})
        auth = pd.concat([auth, complaints[keys]], axis=1)
        parts.append(("authority_violations", audit._share_table(auth, keys, "violation", "counted"), "violation"))
    if not parts:
        return pd.DataFrame(columns=[*keys, "n", "hits", "value", "measure"])
    frames = []
    for measure, table, hits in parts:
        frames.append(
            table.rename(columns={hits: "hits", "share": "value"})[[*keys, "n", "hits", "value"]].assign(
                measure=measure
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["hits"] = out["hits"].astype(float)
    out["n"] = out["n"].astype(float)
    return out


def measure_findings(
    complaints: pd.DataFrame,
    chain_complaints: pd.DataFrame | None,
    *,
    as_of: pd.Timestamp,
    targets: Mapping[str, float],
    follow_up_hours: float = 48,
    authority_limits: Mapping[str, float] | None = None,
    fcr_definition: str = "one_contact",
    min_n: int = 5,
) -> pd.DataFrame:
    """Candidate findings for the measures other than the SLAs (see the module docstring).

    ``targets`` maps a measure to its target share (e.g. ``{"resolution_satisfaction": 0.95,
    "follow_up_on_time": 0.95, "authority_violations": 0.0}``); the others are compared with
    ``chain_complaints`` when given.
    """
    opts = dict(
        as_of=as_of, follow_up_hours=follow_up_hours, authority_limits=authority_limits, fcr_definition=fcr_definition
    )
    mine = _measure_values(complaints, by=(), **opts)
    mine["target"] = mine["measure"].map(dict(targets)).astype(float)
    if chain_complaints is not None:
        chain = _measure_values(chain_complaints, by=(), **opts).set_index("measure")["value"]
        mine["chain_value"] = mine["measure"].map(chain)
    else:
        mine["chain_value"] = np.nan
    mine["reference"] = mine["target"].fillna(mine["chain_value"])
    lower = mine["measure"].isin(LOWER_IS_BETTER)
    expected = mine["reference"] * mine["n"]
    impact = np.where(lower, mine["hits"] - expected, expected - mine["hits"])
    mine["impact"] = pd.Series(impact, index=mine.index).clip(lower=0).round(6)
    enough = (mine["n"] >= min_n) | (mine["measure"] == "authority_violations")  # every violation counts
    keep = enough & (mine["impact"] > 0) & mine["reference"].notna()
    return mine.loc[keep].reset_index(drop=True)


def audit_findings(
    complaints: pd.DataFrame,
    standards: Standards,
    *,
    as_of: pd.Timestamp,
    lang: str,
    chain_complaints: pd.DataFrame | None = None,
    calendars: Mapping[str, StoreCalendar] | None = None,
    follow_up_hours: float = 48,
    authority_limits: Mapping[str, float] | None = None,
    satisfaction_target: float = 0.95,
    follow_up_target: float = 0.95,
    fcr_definition: str = "one_contact",
    window: int = 3,
    min_n: int = 5,
    top: int | None = None,
    playbook_base: str = "../playbook",
) -> pd.DataFrame:
    """The ranked findings of one store (or of the chain) against the standards, in ``lang``.

    Parameters
    ----------
    complaints : DataFrame
        The complaints audited: one store's period, or the whole chain's.
    standards : Standards
        The response-time rules (the workspace's, or the seed defaults).
    chain_complaints : DataFrame, optional
        The chain's complaints of the same period, for the comparison.  When ``complaints``
        holds several stores and this is omitted, the findings are about the chain and name the
        worst store.
    top : int, optional
        Keep the ``top`` largest findings.

    Returns
    -------
    DataFrame ``rank, measure, rule_id, value, target, n, impact, reference, trend, change,
    remedy, link, text`` sorted by impact; empty (with these columns) when nothing falls short.

    Examples
    --------
    >>> from kit.workshop.standards import default_standards
    >>> log = pd.DataFrame({"store_id": "001", "channel": "email", "tier": "normal", "category": "a",
    ...     "customer_id": list("abcdefghij"),
    ...     "created_at": pd.Timestamp("2026-03-02 10:00"),
    ...     "first_response_at": pd.to_datetime(["2026-03-02 11:00"] * 7 + ["2026-03-04 10:00"] * 3),
    ...     "resolved_at": pd.Timestamp("2026-03-02 12:00")})
    >>> f = audit_findings(log, default_standards(), as_of=pd.Timestamp("2026-03-31"), lang="en")
    >>> f.loc[0, "text"]
    'E-mail, normal complaint — first reply: 70.0% within 24 h against a 95.0% target'
    >>> float(f.loc[0, "impact"]), f.loc[0, "remedy"]
    (2.5, 'tiered-response')
    """
    check_lang(lang)
    chain_mode = chain_complaints is None and complaints["store_id"].nunique() > 1
    reference = complaints if chain_mode else chain_complaints
    rows = []
    metrics = [m for m in ("first_response", "resolution") if any(rule.metric == m for rule in standards.sla)]
    first_status = None
    for metric in metrics:
        mine = audit.sla_status(complaints, standards, metric, as_of=as_of, calendars=calendars)
        if metric == "first_response":
            first_status = mine
        other = (
            mine
            if chain_mode
            else audit.sla_status(reference, standards, metric, as_of=as_of, calendars=calendars)
            if reference is not None
            else None
        )
        sla = sla_findings(mine, other, standards, metric, chain_mode=chain_mode, window=window, min_n=min_n)
        for _, r in sla.iterrows():  # one row per rule short of its target: a handful, not per ticket
            text = t(
                f"findings.sla.{metric}",
                lang,
                scope=_scope(r["channel"], r["tier"], lang),
                value=_pct(r["attainment"]),
                target_time=_duration(r["target_minutes"], lang),
                required=_pct(r["required"]),
            )
            if chain_mode and pd.notna(r["worst_value"]):
                text += t("findings.compare.worst_store", lang, store=r["worst_store"], value=_pct(r["worst_value"]))
            elif pd.notna(r["chain_value"]):
                text += t("findings.compare.chain", lang, value=_pct(r["chain_value"]))
            text += _trend_text(r, lang, window)
            rows.append(
                dict(
                    measure=r["measure"],
                    rule_id=r["rule_id"],
                    value=r["attainment"],
                    target=r["required"],
                    n=r["decided"],
                    impact=r["shortfall"],
                    reference=r["required"],
                    trend=r["trend"],
                    change=r["change"],
                    text=text,
                )
            )
    targets = {
        "resolution_satisfaction": satisfaction_target,
        "follow_up_on_time": follow_up_target,
        "authority_violations": 0.0,
    }
    measures = measure_findings(
        complaints,
        None if chain_mode else chain_complaints,
        as_of=as_of,
        targets=targets,
        follow_up_hours=follow_up_hours,
        authority_limits=authority_limits,
        fcr_definition=fcr_definition,
        min_n=min_n,
    )
    for _, r in measures.iterrows():  # at most six rows
        label = label_of("measure", r["measure"], lang)
        if r["measure"] == "authority_violations":
            text = t("findings.measure.authority", lang, label=label, count=int(r["hits"]), n=int(r["n"]))
        elif pd.notna(r["target"]):
            text = t(
                "findings.measure.with_target", lang, label=label, value=_pct(r["value"]), target=_pct(r["target"])
            )
        else:
            key = "vs_chain_lower" if r["measure"] in LOWER_IS_BETTER else "vs_chain"
            text = t(f"findings.measure.{key}", lang, label=label, value=_pct(r["value"]), chain=_pct(r["chain_value"]))
        rows.append(
            dict(
                measure=r["measure"],
                rule_id=np.nan,
                value=r["value"],
                target=r["target"],
                n=r["n"],
                impact=r["impact"],
                reference=r["reference"],
                trend=pd.NA,
                change=np.nan,
                text=text,
            )
        )
    if first_status is not None:
        overdue = int((first_status["open"] & (first_status["status"] == "breached")).sum())
        if overdue:
            rows.append(
                dict(
                    measure="open_overdue",
                    rule_id=np.nan,
                    value=float(overdue),
                    target=0.0,
                    n=overdue,
                    impact=float(overdue),
                    reference=0.0,
                    trend=pd.NA,
                    change=np.nan,
                    text=t("findings.measure.open_overdue", lang, count=overdue),
                )
            )
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.DataFrame(rows)
    out["_order"] = out["measure"].map(_ORDER)
    out = out.sort_values(
        ["impact", "_order", "rule_id"], ascending=[False, True, True], kind="stable", ignore_index=True
    )
    if top is not None:
        out = out.head(top)
    out["rank"] = np.arange(1, len(out) + 1)
    out["remedy"] = out["measure"].map(REMEDY_OF)
    out["link"] = out["remedy"].map(lambda r: remedy_link(r, lang, base=playbook_base))
    out["trend"] = out["trend"].astype("string")
    return out[COLUMNS]


def describe_findings(findings: pd.DataFrame, lang: str) -> str:
    """The findings as a numbered Markdown list with the remedy links (the executive summary)."""
    if findings.empty:
        return t("findings.none", lang)
    lines = [t("findings.intro", lang), ""]
    for rank, text, impact, remedy, link in findings[["rank", "text", "impact", "remedy", "link"]].itertuples(
        index=False
    ):
        text = text[:1].upper() + text[1:] if lang == "en" else text
        body = text + t("findings.impact.tickets", lang, impact=f"{impact:,.0f}")
        lines.append(
            t("findings.item", lang, rank=rank, text=body, remedy=t(f"findings.remedy.{remedy}", lang), link=link)
        )
    return "\n".join(lines)
