"""The one registry of the kit's indicators: what each KPI is, what it needs, and how it is judged.

Every figure a report, the chain overview, the nine-goals scorecard, the findings, the standards
card and ``kpis.xlsx`` show about a store's service is one of these indicators.  Each is defined
here once: its id, the quality goal (G1–G9 of the seeds) and playbook section it serves, the
input columns it needs, its unit and direction, where its target comes from, the minimum sample
below which it gets no verdict, and how its shortfall is counted.  How it is *measured* from the
chain's tables is :mod:`kit.chain.indicators` (one vectorised pass over every store); the team's
targets are ``goals.yaml`` (:mod:`kit.workshop.goals`) and ``standards.yaml``.

==============================  ====  ==========  ===  =======  ============  =====================================
indicator                       goal  unit        dir  default  target from   definition (source)
==============================  ====  ==========  ===  =======  ============  =====================================
``ces_easy_share``              G1    %           ≥    70       goals         CES 2.0 answers 5–7 (Dixon et al. 2013)
``channels_used``               G1    count       ≥    4        goals         contact channels customers used
``first_response_sla``          G2    %           ≥    95       standards     first reply met ÷ (met + breached) on
                                                                              the standards' clocks (Zendesk-style)
``reopen_rate``                 G3    %           ≤    5        goals         resolved tickets reopened
``assurance_gap``               G3    scale       ≥    −0.5     goals         SERVQUAL assurance P − E (PZB 1988)
``complaints_per_1000``         G3    ‰           ≤    chain    chain|goals   complaints ÷ transactions × 1,000
``nps``                         G4    points      ≥    30       goals         Reichheld (2003)
``csat``                        G4    %           ≥    90       goals         top-2-box of 1–5
``repeat_purchase_rate``        G4    %           ≥    chain    chain|goals   customers with ≥ 2 purchases
``servqual_gap``                G5    scale       ≥    −0.5     goals         SERVQUAL unweighted P − E
``resolution_sla``              G5    %           ≥    95       standards     resolution met ÷ (met + breached): the
                                                                              standards' resolution rule, by default the
                                                                              seeds' 24-hour golden window
``fcr``                         G6    %           ≥    70       goals         resolved with one contact, not reopened
``resolution_satisfaction``     G6    %           ≥    95       goals         resolution rated 4–5 of 5 (top-2-box)
``repeat_complaint_rate``       G6    %           ≤    10       goals         same customer again within 30 days
``compensation_per_complaint``  G7    currency    ≤    50       goals         compensation paid ÷ complaints
``contacts_per_resolution``     G7    ratio       ≤    1.5      goals         mean contacts of resolved tickets
``skill_complaint_share``       G8    %           ≤    15       goals         attitude and product-knowledge complaints
``authority_compliance``        G8    %           ≥    100      goals         compensation approved within the limits
``follow_up_rate``              G9    %           ≥    95       goals         call-back within the standards' window
``survey_responses``            G9    count       ≥    30       goals         survey answers in the period
==============================  ====  ==========  ===  =======  ============  =====================================

Target sources: ``standards`` = the strictest required attainment of the standards' rules
(``standards.yaml``, else the seeds' "SLA attainment above 95 %"); ``goals`` = ``goals.yaml``,
else the default above (the seeds' figure where they give one — 24-hour window, resolution
satisfaction ≥ 95 %, authority limits — else the kit's starting suggestion); ``chain`` = no
published figure exists, so the chain's own value of the same period is the reference until the
team sets a target in ``goals.yaml``.  Below ``min_n`` a value is shown with its n and "too few
to judge"; an indicator whose input column is absent is "no data — <column> is not in the
export"; never 0 %, never met.

Examples
--------
>>> INDICATORS["fcr"].goal, INDICATORS["fcr"].direction, INDICATORS["fcr"].target_from
('G6', '>=', 'goals')
>>> judged(">=", 96.0, 95.0), judged("<=", 12.0, 10.0)
(True, False)
>>> shortfall(INDICATORS["fcr"], value=60.0, target=70.0, n=250)
25
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kit.core.i18n import t

__all__ = [
    "FAMILIES",
    "GOAL_IDS",
    "INDICATORS",
    "Indicator",
    "RETIRED",
    "SKILL_CATEGORIES",
    "Unit",
    "VERDICTS",
    "indicator_header",
    "indicator_label",
    "indicator_rows_table",
    "indicators_for_goal",
    "judged",
    "shortfall",
    "value_text",
    "verdict_reason",
    "verdict_text",
]

GOAL_IDS = tuple(f"G{k}" for k in range(1, 10))
#: The seeds' goal families.
FAMILIES = {
    "G1": "experience",
    "G2": "experience",
    "G3": "experience",
    "G4": "emotion",
    "G5": "emotion",
    "G6": "business",
    "G7": "business",
    "G8": "capability",
    "G9": "capability",
}
#: Complaint categories that point at staff skill (G8).
SKILL_CATEGORIES = ("service_attitude", "staff_knowledge")
#: Verdicts of an indicator for one store and period.  Only ``met`` and ``not_met`` count in
#: "x of N on target"; the others say why there is no verdict.
VERDICTS = ("met", "not_met", "too_few", "no_data", "not_measurable")

Unit = Literal["percent", "points", "currency", "per_mille", "count", "ratio", "scale"]


@dataclass(frozen=True)
class Indicator:
    """One indicator of the registry (see the module table).

    Attributes
    ----------
    id : str
        The code used in ``goals.yaml``, the workbook and every report.
    goal : str
        The seeds' quality goal it measures (``G1`` … ``G9``).
    unit, direction :
        How the value reads; ``">="`` = higher is better.
    default : float or None
        Default target; None = the chain's own value of the period.
    target_from : ``"standards"``, ``"goals"`` or ``"chain"``
        Where the target comes from (``chain`` indicators may get a target in ``goals.yaml``).
    inputs : tuple of (kind, column)
        The input columns it needs; a missing one makes it "no data".
    min_n : int
        Smallest denominator with a verdict (1 for a rule where every breach counts: authority).
    statistic : ``"proportion"``, ``"nps"``, ``"mean"``, ``"ratio"`` or ``"count"``
        What kind of figure it is (decides the test of a change, and the impact).
    remedy : (chapter, anchor) or None
        The playbook section to start with when it falls short.
    time_columns : tuple of str
        Time columns whose time of day it needs (it is "not measurable" on date-only data,
        except whole-day targets).
    """

    id: str
    goal: str
    unit: Unit
    direction: Literal[">=", "<="]
    default: float | None
    target_from: Literal["standards", "goals", "chain"]
    inputs: tuple[tuple[str, str], ...]
    min_n: int
    statistic: Literal["proportion", "nps", "mean", "ratio", "count"]
    remedy: tuple[str, str] | None = None
    time_columns: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        return FAMILIES[self.goal]

    @property
    def label_key(self) -> str:
        """Catalogue key of the indicator's name (``indicators.label.<id>``)."""
        return f"indicators.label.{self.id}"


_CX = "complaints"
_SV = "surveys"
_TX = "transactions"
_AUDIT = "03_complaint_audit"
_LOYALTY = "04_satisfaction_loyalty"

#: The registry, in report order (goal by goal).
INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        Indicator(
            "ces_easy_share",
            "G1",
            "percent",
            ">=",
            70,
            "goals",
            ((_SV, "ces"),),
            30,
            "proportion",
            (_LOYALTY, "reading-scores"),
        ),
        Indicator(
            "channels_used",
            "G1",
            "count",
            ">=",
            4,
            "goals",
            ((_CX, "channel"),),
            20,
            "count",
            (_AUDIT, "remedy-tiered-response"),
        ),
        Indicator(
            "first_response_sla",
            "G2",
            "percent",
            ">=",
            95,
            "standards",
            ((_CX, "created_at"), (_CX, "first_response_at")),
            20,
            "proportion",
            (_AUDIT, "remedy-tiered-response"),
            ("created_at", "first_response_at"),
        ),
        Indicator(
            "reopen_rate",
            "G3",
            "percent",
            "<=",
            5,
            "goals",
            ((_CX, "reopened"), (_CX, "resolved_at")),
            20,
            "proportion",
            (_AUDIT, "remedy-root-cause"),
        ),
        Indicator(
            "assurance_gap",
            "G3",
            "scale",
            ">=",
            -0.5,
            "goals",
            ((_SV, "servqual_p14"), (_SV, "servqual_e14")),
            30,
            "mean",
            (_LOYALTY, "remedy-assurance"),
        ),
        Indicator(
            "complaints_per_1000",
            "G3",
            "per_mille",
            "<=",
            None,
            "chain",
            ((_CX, "created_at"), (_TX, "date")),
            200,
            "ratio",
            (_AUDIT, "remedy-root-cause"),
        ),
        Indicator("nps", "G4", "points", ">=", 30, "goals", ((_SV, "nps"),), 30, "nps", (_LOYALTY, "reading-scores")),
        Indicator(
            "csat", "G4", "percent", ">=", 90, "goals", ((_SV, "csat"),), 30, "proportion", (_LOYALTY, "reading-scores")
        ),
        Indicator(
            "repeat_purchase_rate",
            "G4",
            "percent",
            ">=",
            None,
            "chain",
            ((_TX, "customer_id"),),
            30,
            "proportion",
            (_LOYALTY, "loyalty-conversation"),
        ),
        Indicator(
            "servqual_gap",
            "G5",
            "scale",
            ">=",
            -0.5,
            "goals",
            ((_SV, "servqual_p01"), (_SV, "servqual_e01")),
            30,
            "mean",
            (_LOYALTY, "servqual"),
        ),
        Indicator(
            "resolution_sla",
            "G5",
            "percent",
            ">=",
            95,
            "standards",
            ((_CX, "created_at"), (_CX, "resolved_at")),
            20,
            "proportion",
            (_AUDIT, "remedy-golden-window"),
            ("created_at", "resolved_at"),
        ),
        Indicator(
            "fcr",
            "G6",
            "percent",
            ">=",
            70,
            "goals",
            ((_CX, "contacts_to_resolve"), (_CX, "resolved_at")),
            20,
            "proportion",
            (_AUDIT, "remedy-empowerment"),
        ),
        Indicator(
            "resolution_satisfaction",
            "G6",
            "percent",
            ">=",
            95,
            "goals",
            ((_CX, "resolution_satisfaction"),),
            20,
            "proportion",
            (_AUDIT, "remedy-four-steps"),
        ),
        Indicator(
            "repeat_complaint_rate",
            "G6",
            "percent",
            "<=",
            10,
            "goals",
            ((_CX, "customer_id"),),
            20,
            "proportion",
            (_AUDIT, "remedy-root-cause"),
        ),
        Indicator(
            "compensation_per_complaint",
            "G7",
            "currency",
            "<=",
            50,
            "goals",
            ((_CX, "compensation_amount"),),
            20,
            "mean",
            (_AUDIT, "remedy-authority"),
        ),
        Indicator(
            "contacts_per_resolution",
            "G7",
            "ratio",
            "<=",
            1.5,
            "goals",
            ((_CX, "contacts_to_resolve"), (_CX, "resolved_at")),
            20,
            "mean",
            (_AUDIT, "remedy-empowerment"),
        ),
        Indicator(
            "skill_complaint_share",
            "G8",
            "percent",
            "<=",
            15,
            "goals",
            ((_CX, "category_en"),),
            20,
            "proportion",
            (_AUDIT, "remedy-four-steps"),
        ),
        Indicator(
            "authority_compliance",
            "G8",
            "percent",
            ">=",
            100,
            "goals",
            ((_CX, "compensation_amount"), (_CX, "approver_role")),
            1,
            "proportion",
            (_AUDIT, "remedy-authority"),
        ),
        Indicator(
            "follow_up_rate",
            "G9",
            "percent",
            ">=",
            95,
            "goals",
            ((_CX, "follow_up_at"), (_CX, "resolved_at")),
            20,
            "proportion",
            (_AUDIT, "remedy-follow-up"),
            ("follow_up_at", "resolved_at"),
        ),
        Indicator(
            "survey_responses",
            "G9",
            "count",
            ">=",
            30,
            "goals",
            ((_SV, "nps"),),
            0,
            "count",
            (_LOYALTY, "reading-scores"),
        ),
    )
}

#: Indicator codes of earlier versions, still accepted in ``goals.yaml``: old code -> current one.
RETIRED = {"resolved_24h": "resolution_sla", "golden_window": "resolution_sla"}


def indicators_for_goal(goal: str) -> list[Indicator]:
    """The indicators of one quality goal, in registry order.

    Examples
    --------
    >>> [i.id for i in indicators_for_goal("G4")]
    ['nps', 'csat', 'repeat_purchase_rate']
    """
    return [i for i in INDICATORS.values() if i.goal == goal]


def judged(direction: str, value: float, target: float) -> bool:
    """Whether ``value`` meets ``target`` in the indicator's direction (equal counts as met)."""
    return value >= target - 1e-9 if direction == ">=" else value <= target + 1e-9


def shortfall(indicator: Indicator, *, value: float, target: float, n: float) -> int | None:
    """The shortfall in whole tickets (answers, customers …) of a proportion below its target.

    For a higher-is-better share: the successes missing to reach the target,
    ``ceil(target% × n − value% × n)``; for a lower-is-better share: the failures beyond what the
    target allows, ``ceil(value% × n − target% × n)``.  0 when the target is met; None for
    indicators that are not shares of a count (their gap is in points, currency or a ratio).
    """
    if indicator.statistic != "proportion" or any(math.isnan(float(x)) for x in (value, target, n)):
        return None
    gap = (target - value) if indicator.direction == ">=" else (value - target)
    return max(0, math.ceil(round(gap * n / 100.0, 9)))


# --------------------------------------------------------------------------------------------
# how an indicator reads
# --------------------------------------------------------------------------------------------
def indicator_label(code: str, lang: str) -> str:
    """The indicator's name in ``lang`` (``indicators.label.<code>``)."""
    return t(f"indicators.label.{code}", lang)


def indicator_header(code: str, lang: str) -> str:
    """A table header for the indicator: its short name and its unit ("NPS（分）", "1st reply (%)").

    Examples
    --------
    >>> indicator_header("first_response_sla", "en"), indicator_header("nps", "zh")
    ('1st reply (%)', 'NPS（分）')
    """
    short = t(f"indicators.short.{code}", lang)
    unit = t(f"indicators.unit.{INDICATORS[code].unit}", lang) if code in INDICATORS else ""
    if not unit:
        return short
    return f"{short}（{unit}）" if lang == "zh" else f"{short} ({unit})"


def verdict_reason(reason: str, lang: str, *, column: str = "", n: int = 0, min_n: int = 0) -> str:
    """Why an indicator has no verdict, in ``lang`` ("no data — follow_up_at is not in the export").

    Examples
    --------
    >>> verdict_reason("absent_column", "en", column="follow_up_at")
    'no data — follow_up_at is not in the export'
    """
    if not reason:
        return ""
    kind_label = t(f"indicators.kind.{column}", lang) if column in ("complaints", "surveys", "transactions") else column
    return t(f"indicators.reason.{reason}", lang, column=column, kind=kind_label, n=n, min_n=min_n)


def value_text(value: float, unit: str, lang: str, *, currency: str = "¥") -> str:
    """A value in its unit for people: ``87.5%``, ``+32``, ``¥42``, ``3.1‰``, ``1.4``; ``—`` when missing.

    Examples
    --------
    >>> value_text(87.54, "percent", "en"), value_text(32.0, "points", "en"), value_text(42.4, "currency", "zh")
    ('87.5%', '32', '¥42')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "points":
        return f"{value:.0f}"
    if unit == "currency":
        return f"{currency}{value:,.0f}"
    if unit == "per_mille":
        return f"{value:.1f}‰"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:.2f}" if unit == "scale" else f"{value:.1f}"


def verdict_text(row: Mapping[str, Any], lang: str) -> str:
    """The verdict of one row for people: ``✓``, ``✗``, or why there is none.

    Examples
    --------
    >>> verdict_text({"verdict": "too_few", "reason": "too_few", "reason_column": "", "n": 3, "indicator": "fcr"}, "en")
    'too few to judge (n = 3, at least 20 needed)'
    """
    verdict = row["verdict"]
    if verdict == "met":
        return "✓"
    if verdict == "not_met":
        return "✗"
    ind = INDICATORS.get(str(row.get("indicator", "")))
    return verdict_reason(
        str(row["reason"]),
        lang,
        column=str(row.get("reason_column", "")),
        n=int(row.get("n", 0) or 0),
        min_n=ind.min_n if ind else 0,
    )


def indicator_rows_table(rows: Any, lang: str, *, currency: str = "¥") -> Any:
    """Rows of the indicator table for people: indicator, value, target, n and the verdict (or why none).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"indicator": ["fcr", "follow_up_rate"], "value": [60.0, None], "target": [70.0, 95.0],
    ...     "n": [250, 0], "unit": ["percent"] * 2, "direction": [">="] * 2, "verdict": ["not_met", "no_data"],
    ...     "reason": ["", "absent_column"], "reason_column": ["", "follow_up_at"]})
    >>> indicator_rows_table(rows, "en").iloc[:, -1].tolist()
    ['✗ short', 'no data — follow_up_at is not in the export']
    """
    import pandas as pd

    arrows = {">=": "≥", "<=": "≤"}
    symbols = {"met": "✓", "not_met": "✗"}
    records = rows.to_dict("records")
    out = pd.DataFrame(
        {
            "indicator": [indicator_label(r["indicator"], lang) for r in records],
            "value": [value_text(r["value"], r["unit"], lang, currency=currency) for r in records],
            "target": [
                f"{arrows[r['direction']]} {value_text(r['target'], r['unit'], lang, currency=currency)}"
                for r in records
            ],
            "n": [f"{int(r['n']):,}" if r["n"] and not math.isnan(float(r["n"])) else "—" for r in records],
            "verdict": [
                symbols[r["verdict"]] + " " + t("indicators.verdict." + r["verdict"], lang)
                if r["verdict"] in symbols
                else verdict_text(r, lang)
                for r in records
            ],
        }
    )
    return out.rename(columns={c: t(f"indicators.column.{c}", lang) for c in out.columns})
