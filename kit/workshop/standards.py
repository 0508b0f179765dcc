"""Service standards: response-time targets per channel and priority tier.

A standard says, for one metric (``first_response`` or ``resolution``), which complaints it covers
(a channel, a tier, or ``"*"`` for all), the target in minutes, whether the clock runs in calendar
or business time, and the share of complaints that must meet it (the required attainment).

When a complaint matches several rules the most specific wins: channel and tier named >
tier named > channel named > neither.  The seed documents' defaults are
:func:`default_standards`: urgent complaint first response <= 30 min, normal complaint and
inquiry <= 2 h, e-mail reply <= 24 h, each to be met by >= 95 % of complaints; resolution within
the 24-hour "golden window".

:class:`ServiceStandards` is the whole content of a workspace's ``standards.yaml``: these rules
plus the SMART standards of the seeds' three groups (attitude and skills; service process;
performance evaluation -- checked by :mod:`kit.workshop.smart`), the store calendar for business-hours
clocks, the follow-up call-back window and the authority limits for compensation
(:func:`default_service_standards`, :func:`required_approver`).  It is a :class:`Standards`, so
:func:`assign_targets` accepts it unchanged.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"channel": ["email", "phone"], "tier": ["normal", "urgent"]})
>>> assign_targets(frame, default_standards(), "first_response")["target_minutes"].tolist()
[1440.0, 30.0]
"""

from __future__ import annotations

import re as _re
from dataclasses import dataclass
from datetime import date as _date
from typing import Any, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kit.core.errors import ParameterError
from kit.core.validation import invalid

__all__ = [
    "ANY",
    "AuthorityLimit",
    "CalendarSettings",
    "FollowUp",
    "GROUPS",
    "Group",
    "Holiday",
    "Metric",
    "OpeningHours",
    "ROLES",
    "RuleRef",
    "SERVQUAL_DIMENSIONS",
    "ServiceStandards",
    "Stated",
    "ServqualDimension",
    "SlaRule",
    "SmartStandard",
    "Standards",
    "UNITS",
    "assign_targets",
    "default_service_standards",
    "default_standards",
    "required_approver",
    "rules_table",
    "store_calendars",
]

Metric = Literal["first_response", "resolution"]
ANY = "*"


class SlaRule(BaseModel):
    """One response-time standard (see the module docstring for how rules are matched)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: Metric
    target_minutes: float = Field(gt=0)
    channel: str = ANY
    tier: str = ANY
    clock: Literal["calendar", "business"] = "calendar"
    required_attainment: float = Field(default=0.95, gt=0, le=1)

    @property
    def specificity(self) -> int:
        """3 = channel and tier named, 2 = tier only, 1 = channel only, 0 = neither."""
        return 2 * (self.tier != ANY) + (self.channel != ANY)


class Standards(BaseModel):
    """The set of response-time standards a team measures itself against."""

    model_config = ConfigDict(extra="forbid")

    sla: list[SlaRule]
    source: str = "custom"


def default_standards() -> Standards:
    """The seed documents' default tiers (used when a workspace has no ``standards.yaml``).

    Sources: the service-awareness deck ("normal inquiry <= 2 hours, urgent complaint
    <= 30 minutes, SLA attainment above 95 %") and the service guide ("reply to e-mail within
    24 hours"; "the golden window is 24 hours").
    """
    rules = [
        SlaRule(metric="first_response", tier="urgent", target_minutes=30),
        SlaRule(metric="first_response", tier="normal", target_minutes=120),
        SlaRule(metric="first_response", tier="inquiry", target_minutes=120),
        SlaRule(metric="first_response", channel="email", tier="normal", target_minutes=24 * 60),
        SlaRule(metric="first_response", channel="email", tier="inquiry", target_minutes=24 * 60),
        SlaRule(metric="resolution", target_minutes=24 * 60),
    ]
    return Standards(sla=rules, source="seed-defaults")


def rules_table(standards: Standards) -> pd.DataFrame:
    """The rules as a DataFrame with a ``rule_id`` (position) and ``specificity`` column."""
    rows = [dict(rule.model_dump(), rule_id=i, specificity=rule.specificity) for i, rule in enumerate(standards.sla)]
    return pd.DataFrame(rows)


def assign_targets(
    frame: pd.DataFrame,
    standards: Standards,
    metric: Metric,
    *,
    channel_col: str = "channel",
    tier_col: str = "tier",
) -> pd.DataFrame:
    """Find the rule that applies to every row of ``frame`` for ``metric``.

    Matching is done once per distinct (channel, tier) pair and joined back, so the cost does
    not grow with the number of rules times rows.

    Returns
    -------
    DataFrame
        Indexed like ``frame``, with ``rule_id``, ``target_minutes``, ``clock`` and
        ``required_attainment``; rows no rule covers get NaN / missing values.
    """
    rules = rules_table(standards)
    if rules.empty or not (rules["metric"] == metric).any():
        raise ParameterError.from_key("standards.error.no_rule", column="sla", metric=metric)
    rules = rules[rules["metric"] == metric]
    pairs = frame[[channel_col, tier_col]].drop_duplicates().rename(columns={channel_col: "_ch", tier_col: "_tier"})
    cand = pairs.merge(rules, how="cross")
    ok = ((cand["channel"] == ANY) | (cand["channel"] == cand["_ch"])) & (
        (cand["tier"] == ANY) | (cand["tier"] == cand["_tier"])
    )
    best = (
        cand[ok]
        .sort_values(["specificity", "rule_id"], ascending=[False, True], kind="stable")
        .drop_duplicates(["_ch", "_tier"])
    )
    cols = ["rule_id", "target_minutes", "clock", "required_attainment"]
    keyed = frame[[channel_col, tier_col]].rename(columns={channel_col: "_ch", tier_col: "_tier"})
    out = keyed.merge(best[["_ch", "_tier", *cols]], on=["_ch", "_tier"], how="left")
    out.index = frame.index
    return out[cols]


# ============================================================================================
# The full content of ``standards.yaml``: SMART standards, calendar, follow-up, authority limits
# ============================================================================================
#
# Everything below adds to the response-time rules above without changing them: a
# :class:`ServiceStandards` *is a* :class:`Standards` (same ``sla`` list, same ``source``), so
# :func:`assign_targets` and the complaint audit accept it unchanged.

#: The seeds' three groups of service standards.
GROUPS = ("attitude_skills", "service_process", "performance")
Group = Literal["attitude_skills", "service_process", "performance"]
#: SERVQUAL dimensions (Parasuraman, Zeithaml & Berry 1988).
SERVQUAL_DIMENSIONS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
ServqualDimension = Literal["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
#: Units with labels in the catalogue (others are allowed and shown as typed).
UNITS = ("rings", "seconds", "minutes", "hours", "days", "percent", "points", "yuan", "count")
#: Approval roles from the lowest to the highest authority.
ROLES = ("frontline", "supervisor", "manager")
_SLUG = r"^[a-z0-9][a-z0-9_]*$"
_HHMM = _re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class RuleRef(BaseModel):
    """Which rule of the standards gives a SMART standard its number (so the number is written once).

    ``metric`` ``first_response`` / ``resolution`` with ``channel`` and ``tier``: the SLA rule of
    that scope (``part="target"``: its time; ``part="attainment"``: the strictest required
    attainment of the metric's rules); ``follow_up``: the call-back window.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    metric: Literal["first_response", "resolution", "follow_up"]
    channel: str = ANY
    tier: str = ANY
    part: Literal["target", "attainment"] = "target"


@dataclass(frozen=True)
class Stated:
    """A standard's number as the rules state it: ``operator target unit`` and the required attainment."""

    operator: str
    target: float | None
    unit: str
    required_attainment: float | None
    from_rule: bool


class SmartStandard(BaseModel):
    """One service standard as a team writes it down, checked against SMART by :mod:`kit.workshop.smart`.

    Attributes
    ----------
    id : str
        Short code (lower-case letters, digits, ``_``).
    group : {"attitude_skills", "service_process", "performance"}
        The seeds' three areas: professional attitude and skills; service process;
        performance evaluation.
    title_zh, title_en : str
        The standard in one line, as printed on the card.
    metric : str
        What is measured ("rings until the phone is answered").  Empty = not specific.
    scope : str
        Who or where it applies ("all stores, hotline").  Empty = not specific.
    operator, target, unit : str, float, str
        The number: ``metric <operator> target unit`` ("<= 3 rings").
    required_attainment : float, optional
        Share of cases that must meet the target (0.95 = 95 %); None for standards that are
        themselves a rate ("resolution satisfaction >= 95 percent").
    servqual : str, optional
        The SERVQUAL dimension the standard serves.
    kano_need : str, optional
        The KANO must-be need (survey feature code, e.g. ``fast_response``) it protects.
    review_date : date, optional
        When the team reviews the standard.
    owner : str
        Who answers for it.
    rule : RuleRef, optional
        The rule of the standards that states its number (an SLA rule, the call-back window):
        the card, the SMART table and the reports then take the number from that rule, and the
        standard's own ``target``/``unit``/``required_attainment`` are not used.  The seed
        standards that restate a rule are linked by their id when the file does not say.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_SLUG, max_length=60)
    group: Group
    title_zh: str = Field(min_length=1)
    title_en: str = ""
    metric: str = ""
    scope: str = ""
    operator: Literal["<=", ">="] = "<="
    target: float | None = None
    unit: str = ""
    required_attainment: float | None = Field(default=None, gt=0, le=1)
    servqual: ServqualDimension | None = None
    kano_need: str | None = None
    review_date: _date | None = None
    owner: str = ""
    rule: RuleRef | None = None

    def title(self, lang: str) -> str:
        """The title in ``lang`` (the Chinese one when no English title was written)."""
        return self.title_en or self.title_zh if lang == "en" else self.title_zh


def _time_text(value: object) -> object:
    """YAML 1.1 reads an unquoted ``10:00`` as the base-60 integer 600: turn it back into text."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return value


class OpeningHours(BaseModel):
    """Business hours of one store (or of every store, ``store_id="*"``).

    ``weekdays`` are ISO day numbers (1 = Monday … 7 = Sunday) on which the store is open;
    ``lunch_start``/``lunch_end`` is an optional break during which the business clock stops.
    Times are ``"HH:MM"`` text (quote them in YAML: ``"09:00"``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    store_id: str = ANY
    open: str = "10:00"
    close: str = "22:00"
    lunch_start: str | None = None
    lunch_end: str | None = None
    weekdays: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7])

    @field_validator("store_id", mode="before")
    @classmethod
    def _store_text(cls, v: object) -> object:
        if isinstance(v, int) and not isinstance(v, bool):
            raise invalid("standards.invalid.store_id_text")
        return v

    @field_validator("open", "close", "lunch_start", "lunch_end", mode="before")
    @classmethod
    def _time(cls, v: object) -> object:
        v = _time_text(v)
        if v is not None and (not isinstance(v, str) or not _HHMM.match(v)):
            raise invalid("standards.invalid.time_format", value=repr(v))
        return v

    @field_validator("weekdays")
    @classmethod
    def _days(cls, v: list[int]) -> list[int]:
        if not v or any(d < 1 or d > 7 for d in v) or len(set(v)) != len(v):
            raise invalid("standards.invalid.weekdays")
        return sorted(v)

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.close <= self.open:
            raise invalid("standards.invalid.close_after_open", close=self.close, open=self.open)
        if (self.lunch_start is None) != (self.lunch_end is None):
            raise invalid("standards.invalid.lunch_pair")
        if self.lunch_start is not None and not (self.open <= self.lunch_start < self.lunch_end <= self.close):  # type: ignore[operator]
            raise invalid("standards.invalid.lunch_inside")
        return self


class Holiday(BaseModel):
    """A public holiday (a day off; in China the State Council publishes them every year)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: _date
    name: str = ""


class CalendarSettings(BaseModel):
    """Store calendar for business-hours clocks (only the data; :mod:`kit.workshop.calendar` computes with it).

    * ``hours``: one entry per store, plus an optional ``"*"`` entry for all other stores;
      stores without an entry use the ``opening_hours`` of the stores file.
    * ``public_holidays``: days off; whether the business clock stops on them is
      ``closed_on_public_holidays`` (retail stores usually open on holidays, so False).
    * ``adjusted_workdays``: China's 调休 days -- weekend days that are official working days
      to make up for a long holiday; they count as open days even if their weekday is not in
      ``weekdays``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = "Asia/Shanghai"
    hours: list[OpeningHours] = Field(default_factory=lambda: [OpeningHours()])
    public_holidays: list[Holiday] = Field(default_factory=list)
    adjusted_workdays: list[_date] = Field(default_factory=list)
    closed_on_public_holidays: bool = False

    @model_validator(mode="after")
    def _check(self) -> CalendarSettings:
        ids = [h.store_id for h in self.hours]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise invalid("standards.invalid.hours_twice", stores=", ".join(dup))
        both = sorted({h.date for h in self.public_holidays} & set(self.adjusted_workdays))
        if both:
            raise invalid("standards.invalid.holiday_and_workday", day=both[0].isoformat())
        return self

    def hours_for(self, store_id: str) -> OpeningHours | None:
        """The opening hours of ``store_id`` (its own entry, else the ``"*"`` entry, else None)."""
        own = {h.store_id: h for h in self.hours}
        return own.get(str(store_id), own.get(ANY))


class FollowUp(BaseModel):
    """The follow-up call-back: within ``window_hours`` after resolution, for the listed tiers.

    The default of 48 hours is the kit's suggestion (the seeds ask for a call-back to confirm
    satisfaction but give no number); the team sets its own.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_hours: float = Field(default=48, gt=0, le=24 * 30)
    tiers: list[str] = Field(default_factory=lambda: ["urgent", "normal"])
    clock: Literal["calendar", "business"] = "calendar"
    required_attainment: float = Field(default=0.95, gt=0, le=1)


class AuthorityLimit(BaseModel):
    """Up to which compensation amount (yuan) a role may decide alone; ``up_to=None`` = no limit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["frontline", "supervisor", "manager"]
    up_to: float | None = Field(default=None, gt=0)


def _default_authority() -> list[AuthorityLimit]:
    return [
        AuthorityLimit(role="frontline", up_to=500),
        AuthorityLimit(role="supervisor", up_to=2000),
        AuthorityLimit(role="manager", up_to=None),
    ]


class ServiceStandards(Standards):
    """The full content of a workspace's ``standards.yaml``.

    It extends :class:`Standards` (``sla`` and ``source`` keep their meaning) with the SMART
    standards of the three groups, the store calendar, the follow-up call-back window and the
    authority limits for compensation.
    """

    model_config = ConfigDict(extra="forbid")

    sla: list[SlaRule] = Field(default_factory=lambda: list(default_standards().sla))
    version: int = 1
    name: str = ""
    smart: list[SmartStandard] = Field(default_factory=list)
    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    follow_up: FollowUp = Field(default_factory=FollowUp)
    authority: list[AuthorityLimit] = Field(default_factory=_default_authority)

    #: Key order of the YAML file (people read it top-down).
    yaml_order: ClassVar[tuple[str, ...]] = (
        "version",
        "name",
        "source",
        "smart",
        "sla",
        "follow_up",
        "authority",
        "calendar",
    )

    @model_validator(mode="after")
    def _link_seed_standards(self) -> ServiceStandards:
        """Seed standards that restate a rule get their link when the file does not give one."""
        linked = []
        changed = False
        for std in self.smart:
            ref = _SEED_RULES.get(std.id)
            if std.rule is None and ref is not None and self._rule_exists(ref):
                std = std.model_copy(update={"rule": ref})
                changed = True
            linked.append(std)
        if changed:
            object.__setattr__(self, "smart", linked)
        return self

    def _rule_exists(self, ref: RuleRef) -> bool:
        if ref.metric == "follow_up":
            return True
        if ref.part == "attainment":
            return any(r.metric == ref.metric for r in self.sla)
        return self.sla_rule(ref) is not None

    def sla_rule(self, ref: RuleRef) -> SlaRule | None:
        """The SLA rule of exactly ``ref``'s metric, channel and tier, if there is one."""
        return next((r for r in self.sla if (r.metric, r.channel, r.tier) == (ref.metric, ref.channel, ref.tier)), None)

    def stated(self, std: SmartStandard) -> Stated:
        """``std``'s number as the rules state it (its own fields when it is not linked to a rule).

        Examples
        --------
        >>> s = default_service_standards()
        >>> urgent = next(x for x in s.smart if x.id == "urgent_30min")
        >>> st = s.stated(urgent); (st.operator, st.target, st.unit, st.required_attainment, st.from_rule)
        ('<=', 30.0, 'minutes', 0.95, True)
        """
        own = Stated(std.operator, std.target, std.unit, std.required_attainment, False)
        ref = std.rule
        if ref is None:
            return own
        if ref.metric == "follow_up":
            return Stated("<=", float(self.follow_up.window_hours), "hours", self.follow_up.required_attainment, True)
        if ref.part == "attainment":
            required = [r.required_attainment for r in self.sla if r.metric == ref.metric]
            return Stated(">=", 100.0 * max(required), "percent", None, True) if required else own
        rule = self.sla_rule(ref)
        if rule is None:
            return own
        minutes = float(rule.target_minutes)
        value, unit = (minutes / 60, "hours") if minutes >= 60 and minutes % 60 == 0 else (minutes, "minutes")
        return Stated("<=", value, unit, rule.required_attainment, True)

    @model_validator(mode="after")
    def _check(self) -> ServiceStandards:
        ids = [s.id for s in self.smart]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise invalid("standards.invalid.duplicate_ids", ids=", ".join(dup))
        roles = [a.role for a in self.authority]
        if len(set(roles)) != len(roles) or roles != sorted(roles, key=ROLES.index):
            raise invalid("standards.invalid.authority_order")
        limits = [a.up_to for a in self.authority]
        if any(v is None for v in limits[:-1]):
            raise invalid("standards.invalid.authority_unlimited")
        finite = [v for v in limits if v is not None]
        if any(b <= a for a, b in zip(finite, finite[1:])):
            raise invalid("standards.invalid.authority_increase")
        return self

    def by_group(self, group: str) -> list[SmartStandard]:
        """The SMART standards of one group, in their order."""
        return [s for s in self.smart if s.group == group]


def default_service_standards(review_date: _date | None = None) -> ServiceStandards:
    """The seed documents' standards as a starting point for the workshop.

    Figures from the seeds: phone answered within three rings; e-mail answered within 24 hours;
    urgent complaint first response <= 30 minutes, normal inquiry <= 2 hours; the 24-hour golden
    window; SLA attainment above 95 %; complaint-resolution satisfaction >= 95 %; front line
    approves compensation up to 500 yuan.  The supervisor limit of 2000 yuan, the 48-hour
    call-back window and the 7-second greeting check (from "first impressions form in about 7
    seconds") are the kit's suggestions.  ``review_date`` is set on every standard (None leaves
    them without one, which the SMART check reports).

    Examples
    --------
    >>> std = default_service_standards()
    >>> [s.id for s in std.by_group("service_process")][:2]
    ['phone_three_rings', 'email_24h']
    >>> std.authority[0].up_to
    500.0
    """
    rd = review_date
    smart = [
        SmartStandard(
            id="greeting_7s",
            group="attitude_skills",
            title_zh="顾客进店 7 秒内微笑问候",
            title_en="Greet every customer with a smile within 7 seconds",
            metric="进店到问候的秒数（神秘顾客检查）",
            scope="所有门店，卖场与服务台",
            operator="<=",
            target=7,
            unit="seconds",
            required_attainment=0.9,
            servqual="assurance",
            review_date=rd,
        ),
        SmartStandard(
            id="record_accuracy",
            group="attitude_skills",
            title_zh="投诉记录完整准确",
            title_en="Complaint records complete and accurate",
            metric="抽查合格的投诉记录占比",
            scope="所有门店，每月每店抽查 20 条",
            operator=">=",
            target=98,
            unit="percent",
            servqual="reliability",
            review_date=rd,
        ),
        SmartStandard(
            id="service_training",
            group="attitude_skills",
            title_zh="一线员工每季度服务培训不少于 8 小时",
            title_en="At least 8 hours of service training per front-line employee per quarter",
            metric="每人每季度服务培训小时数",
            scope="所有一线员工",
            operator=">=",
            target=8,
            unit="hours",
            required_attainment=0.95,
            servqual="assurance",
            review_date=rd,
        ),
        SmartStandard(
            id="phone_three_rings",
            group="service_process",
            title_zh="电话响铃三声内接听",
            title_en="Answer the phone within three rings",
            metric="接听前的响铃次数",
            scope="所有门店及客服热线",
            operator="<=",
            target=3,
            unit="rings",
            required_attainment=0.95,
            servqual="responsiveness",
            kano_need="fast_response",
            review_date=rd,
        ),
        SmartStandard(
            id="email_24h",
            group="service_process",
            title_zh="电子邮件 24 小时内回复",
            title_en="Reply to e-mail within 24 hours",
            metric="电子邮件首次回复时间",
            scope="所有电子邮件咨询与投诉",
            operator="<=",
            target=24,
            unit="hours",
            required_attainment=0.95,
            servqual="responsiveness",
            kano_need="fast_response",
            review_date=rd,
        ),
        SmartStandard(
            id="urgent_30min",
            group="service_process",
            title_zh="紧急投诉 30 分钟内首次响应",
            title_en="First response to urgent complaints within 30 minutes",
            metric="紧急投诉首次响应时间",
            scope="所有渠道的紧急投诉",
            operator="<=",
            target=30,
            unit="minutes",
            required_attainment=0.95,
            servqual="responsiveness",
            kano_need="fast_response",
            review_date=rd,
        ),
        SmartStandard(
            id="normal_2h",
            group="service_process",
            title_zh="一般投诉和咨询 2 小时内首次响应",
            title_en="First response to normal complaints and inquiries within 2 hours",
            metric="一般投诉和咨询首次响应时间",
            scope="电话、在线、门店、App、社交媒体渠道",
            operator="<=",
            target=2,
            unit="hours",
            required_attainment=0.95,
            servqual="responsiveness",
            kano_need="fast_response",
            review_date=rd,
        ),
        SmartStandard(
            id="resolve_24h",
            group="service_process",
            title_zh="投诉 24 小时内解决（黄金 24 小时）",
            title_en="Resolve complaints within 24 hours (the golden window)",
            metric="从受理到解决的时间",
            scope="所有投诉",
            operator="<=",
            target=24,
            unit="hours",
            required_attainment=0.95,
            servqual="reliability",
            review_date=rd,
        ),
        SmartStandard(
            id="callback_48h",
            group="service_process",
            title_zh="解决后 48 小时内回访确认满意",
            title_en="Call back within 48 hours of the fix to confirm satisfaction",
            metric="解决到回访的时间",
            scope="紧急投诉和一般投诉",
            operator="<=",
            target=48,
            unit="hours",
            required_attainment=0.95,
            servqual="empathy",
            review_date=rd,
        ),
        SmartStandard(
            id="sla_attainment",
            group="performance",
            title_zh="响应时限达标率不低于 95%",
            title_en="Response-time attainment of at least 95 %",
            metric="在时限内首次响应的投诉占比",
            scope="每家门店，按月统计",
            operator=">=",
            target=95,
            unit="percent",
            servqual="responsiveness",
            kano_need="fast_response",
            review_date=rd,
        ),
        SmartStandard(
            id="resolution_satisfaction",
            group="performance",
            title_zh="投诉处理满意度不低于 95%",
            title_en="Complaint-resolution satisfaction of at least 95 %",
            metric="对处理结果满意（4–5 分）的回访占比",
            scope="每家门店，按月统计",
            operator=">=",
            target=95,
            unit="percent",
            servqual="reliability",
            review_date=rd,
        ),
    ]
    return ServiceStandards(smart=smart, source="seed-defaults")


#: Seed standards that restate a rule of the standards (linked when a file does not say).
_SEED_RULES = {
    "urgent_30min": RuleRef(metric="first_response", tier="urgent"),
    "normal_2h": RuleRef(metric="first_response", tier="normal"),
    "email_24h": RuleRef(metric="first_response", channel="email", tier="normal"),
    "resolve_24h": RuleRef(metric="resolution"),
    "callback_48h": RuleRef(metric="follow_up"),
    "sla_attainment": RuleRef(metric="first_response", part="attainment"),
}


def required_approver(amounts: pd.Series, standards: ServiceStandards) -> pd.Series:
    """The lowest role allowed to approve each compensation amount (vectorised).

    Amounts of 0 or missing need no approval (missing result); an amount above every finite limit
    when the top role also has a limit is missing too (nobody may approve it alone).

    Examples
    --------
    >>> import pandas as pd
    >>> required_approver(pd.Series([0, 120, 500, 501, 2500]), default_service_standards()).tolist()
    [<NA>, 'frontline', 'frontline', 'supervisor', 'manager']
    """
    values = pd.to_numeric(amounts, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    limits = np.array([a.up_to if a.up_to is not None else np.inf for a in standards.authority])
    roles = np.array([a.role for a in standards.authority] + [""], dtype=object)
    pos = np.searchsorted(limits, values, side="left")
    out = pd.array(roles[np.minimum(pos, len(limits))], dtype="string")
    out[np.isnan(values) | (values <= 0) | (pos >= len(limits))] = pd.NA
    return pd.Series(out, index=amounts.index if isinstance(amounts, pd.Series) else None, name="required_role")


def store_calendars(
    stores: pd.DataFrame,
    settings: CalendarSettings | None = None,
    *,
    store_col: str = "store_id",
    hours_col: str = "opening_hours",
) -> dict[str, Any]:
    """One :class:`kit.workshop.calendar.StoreCalendar` per store, from the workspace's calendar settings.

    A store's own entry in ``settings.hours`` wins, then the ``"*"`` entry, then the store's
    ``opening_hours`` column.  Public holidays close the store only when
    ``closed_on_public_holidays`` is set (then China's official days off and adjusted working
    days are used too); ``adjusted_workdays`` always open the store.

    Examples
    --------
    >>> stores = pd.DataFrame({"store_id": ["001"], "opening_hours": ["09:00-21:00"]})
    >>> store_calendars(stores)["001"].hours[0]
    '09:00-21:00'
    """
    from kit.workshop.calendar import StoreCalendar

    settings = settings or CalendarSettings(hours=[])
    out: dict[str, Any] = {}
    fallback = dict(zip(stores[store_col].astype(str), stores[hours_col])) if hours_col in stores.columns else {}
    for store_id in stores[store_col].astype(str).unique():  # a handful of stores, not rows
        entry = settings.hours_for(store_id)
        if entry is not None:
            hours: Any = {day - 1: f"{entry.open}-{entry.close}" for day in entry.weekdays}
            lunch = f"{entry.lunch_start}-{entry.lunch_end}" if entry.lunch_start and entry.lunch_end else None
        else:
            hours, lunch = fallback.get(store_id) or "10:00-22:00", None
        closed = settings.closed_on_public_holidays
        out[store_id] = StoreCalendar(
            hours=hours,
            lunch=lunch,
            timezone=settings.timezone,
            holidays=tuple(h.date for h in settings.public_holidays) if closed else (),
            workdays=tuple(settings.adjusted_workdays),
            official="CN" if closed else None,
        )
    return out
