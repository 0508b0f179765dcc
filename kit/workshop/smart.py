"""SMART verdicts for service standards: specific, measurable, achievable, relevant, time-bound.

The seed guide asks that every service standard be SMART (Doran 1981, "There's a S.M.A.R.T. way
to write management's goals and objectives", *Management Review* 70(11)).  The kit makes each
letter a check that can be explained to the team:

* **specific** -- the standard names its *metric* and its *scope* (both non-empty);
* **measurable** -- it has a *number* (``target``) and a *unit*;
* **achievable** -- compared with the attainment measured in history (passed in by the caller,
  a share 0–1 per standard id).  The goal is the standard's ``required_attainment`` or, for a
  rate standard (unit ``percent``, operator ``>=``), its target.  Already met, or a gap of at
  most ``max_gain_points`` percentage points (default 25), is achievable; a larger jump is not,
  and the note proposes an intermediate target.  Without a measurement, or when the standard
  has no share to compare with, the verdict is unknown (missing);
* **relevant** -- it serves a SERVQUAL dimension, or protects a KANO must-be need.  When the
  caller passes the set of must-be needs found by the KANO analysis, a linked need that is not
  among them does not count;
* **time-bound** -- it has a review date (a date already past is noted as overdue).

``smart`` is True only when all five are True.

Examples
--------
>>> from datetime import date
>>> from kit.workshop.standards import default_service_standards
>>> std = default_service_standards(review_date=date(2026, 6, 30))
>>> v = smart_verdicts(std, {"urgent_30min": 0.62}, lang="en").set_index("id")
>>> v.loc["urgent_30min", "note_achievable"]
'today 62 %, target 95 %: +33 points — more than 25 points in one step; consider an intermediate target of 87 %'
>>> bool(v.loc["urgent_30min", "achievable"])
False
"""

from __future__ import annotations

import re as _re
from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
import pandas as pd

from kit.core.errors import ParameterError
from kit.core.i18n import check_lang, label_of, t
from kit.workshop.standards import ServiceStandards, SmartStandard, Stated

__all__ = [
    "CRITERIA",
    "MAX_GAIN_POINTS",
    "format_target",
    "smart_display",
    "smart_verdict",
    "smart_verdicts",
    "standard_note",
    "standard_wording",
]

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")
#: Default largest gain (percentage points) still called achievable in one review period.
MAX_GAIN_POINTS = 25.0


def _pct(share: float) -> str:
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_target(standard: SmartStandard | Stated, lang: str) -> str:
    """``"≤ 3 rings"`` / ``"≤ 3 声"``: the number with its unit in ``lang`` ('' if incomplete).

    Pass :meth:`ServiceStandards.stated` of a standard to get the number its rule states.
    """
    if standard.target is None:
        return ""
    sign = "≤" if standard.operator == "<=" else "≥"
    unit = label_of("standards.unit", standard.unit, lang) if standard.unit else ""
    if standard.unit == "percent":
        return f"{sign} {_num(standard.target)}%"
    sep = "" if lang == "zh" else " "
    return f"{sign} {_num(standard.target)}{sep}{unit}".rstrip()


def _subject(standard: SmartStandard, lang: str) -> str:
    """What the standard is about, in ``lang``: from its rule's scope, the seed's wording, or the team's metric."""
    from kit.core.i18n import has_text

    ref = standard.rule
    if ref is not None:
        if ref.metric == "follow_up":
            return t("standards.subject.follow_up", lang)
        if ref.part == "attainment":
            return t(f"standards.subject.{ref.metric}_attainment", lang)
        scope = [label_of("tier", ref.tier, lang)] if ref.tier != "*" else []
        scope += [label_of("channel", ref.channel, lang)] if ref.channel != "*" else []
        sep = "、" if lang == "zh" else ", "
        key = f"standards.subject.{ref.metric}" + ("_scoped" if scope else "")
        return t(key, lang, scope=sep.join(scope))
    if has_text(f"standards.subject.seed.{standard.id}"):
        return t(f"standards.subject.seed.{standard.id}", lang)
    return standard.metric or _re.sub(r"\s*\d[\d.,]*\s*", " ", standard.title(lang)).strip()


def standard_wording(standard: SmartStandard, standards: ServiceStandards | None, lang: str) -> str:
    """The standard in one line, generated from the rule that states its number.

    ``subject operator target unit`` and, when it applies to a share of cases, the required
    attainment -- so changing the rule changes every text that shows it (card, SMART table,
    reports).  The team's own title is :func:`standard_note`, never a second number.

    Examples
    --------
    >>> from kit.workshop.standards import SlaRule, default_service_standards
    >>> s = default_service_standards()
    >>> urgent = next(x for x in s.smart if x.id == "urgent_30min")
    >>> standard_wording(urgent, s, "en")
    'first response to urgent complaint ≤ 30 minutes (95% of cases)'
    >>> rules = [r if r.tier != "urgent" else r.model_copy(update={"target_minutes": 20}) for r in s.sla]
    >>> standard_wording(urgent, s.model_copy(update={"sla": rules}), "zh")
    '紧急投诉的首次响应 ≤ 20分钟（95% 的情况做到）'
    """
    stated = (
        standards.stated(standard)
        if standards is not None
        else Stated(standard.operator, standard.target, standard.unit, standard.required_attainment, False)
    )
    text = _subject(standard, lang)
    number = format_target(stated, lang)
    if number:
        text += f" {number}"
    if stated.required_attainment is not None:
        share = f"{stated.required_attainment * 100:.1f}".rstrip("0").rstrip(".") + "%"
        text += t("standards.wording.attainment", lang, share=share)
    return text


#: Digits, Chinese numerals and English number words: a note holding one would be a second number.
_NUMBER = _re.compile(
    r"\d|[零一二两三四五六七八九十百千万]|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|hundred)\b",
    _re.IGNORECASE,
)


def standard_note(standard: SmartStandard, lang: str) -> str:
    """The team's own title, kept as a note beside the generated wording -- only when it holds no number.

    Examples
    --------
    >>> from kit.workshop.standards import default_service_standards
    >>> s = default_service_standards()
    >>> standard_note(s.smart[0], "en"), standard_note(s.smart[1], "en")
    ('', 'Complaint records complete and accurate')
    """
    title = standard.title(lang).strip()
    return "" if _NUMBER.search(title) else title


def _history(history: Mapping[str, float] | pd.Series | None) -> dict[str, float]:
    if history is None:
        return {}
    items = dict(history.items()) if isinstance(history, pd.Series) else dict(history)
    out = {}
    for key, value in items.items():
        if value is None or pd.isna(value):
            continue
        v = float(value)
        if not 0 <= v <= 1:
            raise ParameterError.from_key("standards.error.bad_history", column="history", key=key, value=value)
        out[str(key)] = v
    return out


def smart_verdicts(
    standards: ServiceStandards | Iterable[SmartStandard],
    history: Mapping[str, float] | pd.Series | None = None,
    *,
    must_be: Iterable[str] | None = None,
    today: date | None = None,
    max_gain_points: float = MAX_GAIN_POINTS,
    lang: str = "zh",
) -> pd.DataFrame:
    """The SMART verdict of every standard, with a one-line explanation per letter in ``lang``.

    Parameters
    ----------
    standards : ServiceStandards or iterable of SmartStandard
    history : mapping or Series, optional
        Standard id -> attainment measured in the loaded history, as a share 0–1.
    must_be : iterable of str, optional
        KANO must-be needs (feature codes), e.g. ``KanoResult.must_be()`` or
        :func:`kit.workshop.customer_types.must_be_needs`.  None = accept any linked need.
    today : date, optional
        Used only to flag review dates that have passed.
    max_gain_points : float, default 25
        Largest improvement (percentage points) called achievable.
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        One row per standard: ``id``, ``group``, ``title``, the five criteria (boolean;
        ``achievable`` may be missing = unknown), ``smart``, ``today``, ``goal``, ``gap_points``,
        ``note_<criterion>`` for each criterion and ``summary``.
    """
    check_lang(lang)
    whole = standards if isinstance(standards, ServiceStandards) else None
    items = list(standards.smart if isinstance(standards, ServiceStandards) else standards)
    hist = _history(history)
    must = None if must_be is None else {str(m) for m in must_be}
    columns = [
        "id",
        "group",
        "title",
        *CRITERIA,
        "smart",
        "today",
        "goal",
        "gap_points",
        *(f"note_{c}" for c in CRITERIA),
        "summary",
    ]
    if not items:
        return pd.DataFrame(columns=columns)

    frame = pd.DataFrame([s.model_dump() for s in items])
    if whole is not None:  # the number as the rules state it
        stated = [whole.stated(s) for s in items]
        frame["operator"] = [x.operator for x in stated]
        frame["target"] = [x.target for x in stated]
        frame["unit"] = [x.unit for x in stated]
        frame["required_attainment"] = [x.required_attainment for x in stated]
    blank = lambda col: frame[col].fillna("").astype(str).str.strip().eq("")  # noqa: E731
    specific = ~blank("metric") & ~blank("scope")
    measurable = frame["target"].notna() & ~blank("unit")

    rate = frame["unit"].eq("percent") & frame["operator"].eq(">=") & frame["target"].notna()
    goal = (
        frame["required_attainment"]
        .astype("float64")
        .where(frame["required_attainment"].notna(), frame["target"].astype("float64") / 100.0)
    )
    goal = goal.where(frame["required_attainment"].notna() | rate)
    measured = frame["id"].map(hist).astype("float64")
    gap = ((goal - measured) * 100.0).round(1)
    achievable = pd.array(np.where(gap.isna(), False, gap <= max_gain_points + 1e-9), dtype="boolean")
    achievable[gap.isna().to_numpy()] = pd.NA

    servqual = frame["servqual"].notna()
    need = frame["kano_need"].notna()
    need_ok = need if must is None else need & frame["kano_need"].isin(must)
    relevant = servqual | need_ok
    time_bound = frame["review_date"].notna()

    out = pd.DataFrame(
        {
            "id": frame["id"],
            "group": frame["group"],
            "title": [standard_wording(s, whole, lang) for s in items],
            "specific": specific.astype("boolean"),
            "measurable": measurable.astype("boolean"),
            "achievable": achievable,
            "relevant": relevant.astype("boolean"),
            "time_bound": time_bound.astype("boolean"),
        }
    )
    out["smart"] = (
        out["specific"] & out["measurable"] & out["achievable"].fillna(False) & out["relevant"] & out["time_bound"]
    ).astype("boolean")
    out["today"] = measured
    out["goal"] = goal
    out["gap_points"] = gap
    # The explanations are short texts composed per standard (a workshop has tens of standards).
    out["note_specific"] = [_note_specific(s, lang) for s in items]
    out["note_measurable"] = [_note_measurable(s, lang) for s in items]
    out["note_achievable"] = [_note_achievable(m, g, d, max_gain_points, lang) for m, g, d in zip(measured, goal, gap)]
    out["note_relevant"] = [_note_relevant(s, must, lang) for s in items]
    out["note_time_bound"] = [_note_time(s, today, lang) for s in items]
    out["summary"] = [_summary(row, lang) for row in out[list(CRITERIA)].itertuples(index=False)]
    return out[columns]


def smart_verdict(standard: SmartStandard, history_attainment: float | None = None, **kwargs) -> pd.Series:
    """The verdict of one standard (one row of :func:`smart_verdicts`)."""
    hist = None if history_attainment is None else {standard.id: history_attainment}
    return smart_verdicts([standard], hist, **kwargs).iloc[0]


def smart_display(verdicts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The verdicts as a table for people: ✓ / ✗ / ? per letter, headers and group names in ``lang``."""
    check_lang(lang)
    mark = lambda s: np.where(s.isna(), "?", np.where(s.fillna(False), "✓", "✗"))  # noqa: E731
    out = pd.DataFrame(
        {"group": verdicts["group"].map(lambda g: label_of("standards.group", g, lang)), "title": verdicts["title"]}
    )
    for c in (*CRITERIA, "smart"):
        out[c] = mark(verdicts[c])
    out["summary"] = verdicts["summary"]
    return out.rename(columns={c: label_of("standards.column", c, lang) for c in out.columns}).reset_index(drop=True)


def _note_specific(s: SmartStandard, lang: str) -> str:
    missing = [
        label_of("standards.field", f, lang) for f in ("metric", "scope") if not str(getattr(s, f) or "").strip()
    ]
    if missing:
        return t("standards.smart.specific_no", lang, missing=("、" if lang == "zh" else ", ").join(missing))
    return t("standards.smart.specific_ok", lang, metric=s.metric, scope=s.scope)


def _note_measurable(s: SmartStandard, lang: str) -> str:
    if s.target is None or not s.unit.strip():
        missing = [
            label_of("standards.field", f, lang)
            for f, bad in (("target", s.target is None), ("unit", not s.unit.strip()))
            if bad
        ]
        return t("standards.smart.measurable_no", lang, missing=("、" if lang == "zh" else ", ").join(missing))
    return t("standards.smart.measurable_ok", lang, target=format_target(s, lang))


def _note_achievable(measured: float, goal: float, gap: float, max_gain: float, lang: str) -> str:
    if pd.isna(goal):
        return t("standards.smart.achievable_no_goal", lang)
    if pd.isna(measured):
        return t("standards.smart.achievable_no_history", lang, goal=_pct(goal))
    if gap <= 0:
        return t("standards.smart.achievable_met", lang, today=_pct(measured), goal=_pct(goal))
    if gap <= max_gain + 1e-9:
        return t("standards.smart.achievable_ok", lang, today=_pct(measured), goal=_pct(goal), gap=_num(gap))
    return t(
        "standards.smart.achievable_no",
        lang,
        today=_pct(measured),
        goal=_pct(goal),
        gap=_num(gap),
        max=_num(max_gain),
        step=_pct(min(measured + max_gain / 100.0, goal)),
    )


def _note_relevant(s: SmartStandard, must: set[str] | None, lang: str) -> str:
    from kit.workshop.kano import feature_label

    parts = []
    if s.servqual:
        parts.append(
            t("standards.smart.relevant_servqual", lang, dimension=label_of("standards.servqual", s.servqual, lang))
        )
    if s.kano_need:
        need = feature_label(s.kano_need, lang)
        if must is None or s.kano_need in must:
            parts.append(t("standards.smart.relevant_kano", lang, need=need))
        else:
            parts.append(t("standards.smart.relevant_kano_not_must", lang, need=need))
    if not parts:
        return t("standards.smart.relevant_no", lang)
    return ("；" if lang == "zh" else "; ").join(parts)


def _note_time(s: SmartStandard, today: date | None, lang: str) -> str:
    if s.review_date is None:
        return t("standards.smart.time_no", lang)
    text = t("standards.smart.time_ok", lang, date=s.review_date.isoformat())
    if today is not None and s.review_date < today:
        text += t("standards.smart.time_overdue", lang)
    return text


def _summary(row: tuple, lang: str) -> str:
    values = dict(zip(CRITERIA, row))
    failed = [label_of("standards.criterion", c, lang) for c, v in values.items() if v is not pd.NA and not bool(v)]
    unknown = [label_of("standards.criterion", c, lang) for c, v in values.items() if v is pd.NA]
    sep = "、" if lang == "zh" else ", "
    if not failed and not unknown:
        return t("standards.smart.summary_ok", lang)
    text = t("standards.smart.summary_fail", lang, failed=sep.join(failed)) if failed else ""
    if unknown:
        text += t("standards.smart.summary_unknown", lang, unknown=sep.join(unknown))
    return text.strip()
