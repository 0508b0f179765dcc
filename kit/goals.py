"""The seeds' nine service-quality goals as a scorecard: each goal, its indicators, target and actual.

The seeds group nine goals in four families (customer experience G1–G3, customer emotion G4–G5,
business effectiveness G6–G7, internal capability G8–G9).  A goal only steers a team when it is
measured, so every goal is bound here to one or two indicators computed from the four tables the
kit reads (complaints, surveys, transactions; the SLA through :mod:`kit.audit`), each with a
direction and a target:

====  ==================================  ==========================================  ========  ======
goal  meaning                             indicator                                   target    source
====  ==================================  ==========================================  ========  ======
G1    convenience and accessibility       ``ces_easy_share`` CES 2.0 answers 5–7 (%)   ≥ 70      kit
G1                                        ``channels_used`` contact channels used      ≥ 4       kit
G2    timely and proactive response       ``first_response_sla`` attainment (%)        ≥ 95      seeds
G3    professional and accurate service   ``reopen_rate`` tickets reopened (%)         ≤ 5       kit
G3                                        ``assurance_gap`` SERVQUAL P − E             ≥ −0.5    kit
G4    satisfaction and loyalty            ``nps`` (points)                             ≥ 30      kit
G4                                        ``csat`` top-2-box (%)                       ≥ 90      kit
G5    expectations vs perceptions         ``servqual_gap`` unweighted P − E            ≥ −0.5    kit
G5                                        ``resolved_24h`` within the golden window (%) ≥ 95     seeds
G6    first-contact / effective fix       ``fcr`` first-contact resolution (%)         ≥ 70      kit
G6                                        ``resolution_satisfaction`` rated 4–5 (%)    ≥ 95      seeds
G7    cost and resource efficiency        ``compensation_per_complaint`` (yuan)        ≤ 50      kit
G7                                        ``contacts_per_resolution``                  ≤ 1.5     kit
G8    staff skill                         ``skill_complaint_share`` attitude and       ≤ 15      kit
                                          product-knowledge complaints (%)
G8                                        ``authority_compliance`` compensation        ≥ 100     seeds
                                          approved within the authority limits (%)
G9    monitoring and improvement          ``follow_up_rate`` call-back in time (%)     ≥ 95      kit
G9                                        ``survey_responses`` answers in the period   ≥ 30      kit
====  ==================================  ==========================================  ========  ======

"seeds" targets are figures of the seed documents (SLA attainment above 95 %, the 24-hour golden
window, complaint-resolution satisfaction ≥ 95 %, the 500-yuan front-line authority); "kit"
targets are the kit's starting suggestions (the seeds name the goal but give no number, e.g.
FCR), to be set by each team in its workshop.  First-contact resolution is the share of resolved
complaints with ``contacts_to_resolve == 1`` that were not reopened (as helpdesks define FCR).

Targets live in the workspace file ``goals.yaml`` (saved atomically, with history, through
:func:`kit.workspace.save_yaml_model`), or come from a plain ``{indicator: target}`` dict;
without either, the defaults above apply.  Status is ``met``, ``not_met`` or ``no_data``
(no measurement, e.g. no SERVQUAL answers in the period).

Examples
--------
>>> card = scorecard(pd.DataFrame({"indicator": ["nps", "fcr"], "value": [35.0, 60.0], "n": [120, 80]}))
>>> card.set_index("indicator").loc[["nps", "fcr", "csat"], "status"].tolist()
['met', 'not_met', 'no_data']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kit.audit import first_response_status, sla_attainment
from kit.errors import DataError, ParameterError
from kit.i18n import label_of, t
from kit.loyalty import repeat_purchase_rate
from kit.servqual import servqual_gaps
from kit.standards import ROLES, ServiceStandards, Standards, default_service_standards, required_approver
from kit.survey import ces_table, csat_table, nps_table

GOALS_FILE = "goals.yaml"
GOAL_IDS = tuple(f"G{k}" for k in range(1, 10))
#: Goal families of the seeds.
FAMILIES = {"G1": "experience", "G2": "experience", "G3": "experience", "G4": "emotion", "G5": "emotion",
            "G6": "business", "G7": "business", "G8": "capability", "G9": "capability"}


@dataclass(frozen=True)
class Indicator:
    """An indicator bound to a goal: its direction, unit, default target and where that comes from."""

    code: str
    goal: str
    direction: Literal[">=", "<="]
    unit: str
    default: float
    source: Literal["seeds", "kit"]


INDICATORS: dict[str, Indicator] = {i.code: i for i in (
    Indicator("ces_easy_share", "G1", ">=", "percent", 70, "kit"),
    Indicator("channels_used", "G1", ">=", "count", 4, "kit"),
    Indicator("first_response_sla", "G2", ">=", "percent", 95, "seeds"),
    Indicator("reopen_rate", "G3", "<=", "percent", 5, "kit"),
    Indicator("assurance_gap", "G3", ">=", "scale", -0.5, "kit"),
    Indicator("nps", "G4", ">=", "points", 30, "kit"),
    Indicator("csat", "G4", ">=", "percent", 90, "kit"),
    Indicator("servqual_gap", "G5", ">=", "scale", -0.5, "kit"),
    Indicator("resolved_24h", "G5", ">=", "percent", 95, "seeds"),
    Indicator("fcr", "G6", ">=", "percent", 70, "kit"),
    Indicator("resolution_satisfaction", "G6", ">=", "percent", 95, "seeds"),
    Indicator("compensation_per_complaint", "G7", "<=", "yuan", 50, "kit"),
    Indicator("contacts_per_resolution", "G7", "<=", "ratio", 1.5, "kit"),
    Indicator("skill_complaint_share", "G8", "<=", "percent", 15, "kit"),
    Indicator("authority_compliance", "G8", ">=", "percent", 100, "seeds"),
    Indicator("follow_up_rate", "G9", ">=", "percent", 95, "kit"),
    Indicator("survey_responses", "G9", ">=", "count", 30, "kit"),
)}
#: Complaint categories that point at staff skill (G8).
SKILL_CATEGORIES = ("service_attitude", "staff_knowledge")
SCORECARD_COLUMNS = ["goal", "family", "indicator", "value", "n", "direction", "target", "unit", "status", "target_source"]


def default_targets() -> dict[str, float]:
    """The default target of every indicator (see the module table)."""
    return {code: float(ind.default) for code, ind in INDICATORS.items()}


class QualityGoals(BaseModel):
    """The content of a workspace's ``goals.yaml``: a target per indicator.

    Indicators left out keep their default target.  Unknown indicator names are an error (a typo
    would otherwise silently keep the default).
    """

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    source: str = "seed-defaults"
    targets: dict[str, float] = Field(default_factory=default_targets)

    @field_validator("targets")
    @classmethod
    def _known(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(INDICATORS))
        if unknown:
            raise ValueError(f"unknown indicator(s) {', '.join(unknown)}; known: {', '.join(INDICATORS)}")
        bad = [k for k, v in value.items() if not np.isfinite(v)]
        if bad:
            raise ValueError(f"targets must be numbers: {', '.join(bad)}")
        return value

    def target(self, code: str) -> float:
        """The target of ``code`` (its default when the file does not set it)."""
        return float(self.targets.get(code, INDICATORS[code].default))


def default_goals() -> QualityGoals:
    """The documented defaults as a :class:`QualityGoals`."""
    return QualityGoals()


def _folder(workspace: Any) -> Path:
    return Path(getattr(workspace, "path", workspace)).expanduser()


def load_goals(workspace: Any = None) -> tuple[QualityGoals, str]:
    """The workspace's goals (``goals.yaml``) or the defaults, with a note on which.

    Parameters
    ----------
    workspace : str, Path, :class:`kit.workspace.Workspace` or None
        The workspace folder; ``None`` or ``""`` = defaults.

    Returns
    -------
    (QualityGoals, str)
        The goals and an English/Chinese-neutral source code: ``"defaults"``, ``"no_file"`` or
        ``"workspace"`` (see :func:`goals_note`).

    Raises
    ------
    WorkspaceError
        ``goals.yaml`` exists but is invalid (the message names the line).
    """
    from kit.workspace import load_yaml_model

    if workspace in (None, ""):
        return default_goals(), "defaults"
    path = _folder(workspace) / GOALS_FILE
    if not path.exists():
        return default_goals(), "no_file"
    return load_yaml_model(path, QualityGoals), "workspace"


def save_goals(workspace: Any, goals: QualityGoals | Mapping[str, float]) -> Path:
    """Save the goals to ``<workspace>/goals.yaml`` atomically, keeping the previous version in ``.history/``."""
    from kit.workspace import save_yaml_model

    model = goals if isinstance(goals, QualityGoals) else QualityGoals(source="workshop", targets=default_targets() | dict(goals))
    header = "\n".join([t("goals.header.file", "zh"), t("goals.header.file", "en")])
    return save_yaml_model(_folder(workspace) / GOALS_FILE, model, header=header)


def goals_note(source: str, lang: str) -> str:
    """One line saying where the targets come from."""
    return t(f"goals.note.{source}", lang)


# --------------------------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------------------------
def _share(hit: np.ndarray, base: np.ndarray) -> tuple[float, int]:
    n = int(base.sum())
    return (100.0 * float((hit & base).sum()) / n if n else float("nan")), n


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        raise DataError(t("goals.error.missing_column", "zh", column=col), t("goals.error.missing_column", "en", column=col), column=col)
    return pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def measure_indicators(
    complaints: pd.DataFrame,
    surveys: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    as_of: Any,
    standards: Standards | None = None,
    calendars: Mapping[str, Any] | None = None,
    golden_hours: float = 24.0,
    category_col: str = "category_en",
) -> pd.DataFrame:
    """Every scorecard indicator for one unit (a store's period, or the chain's).

    Parameters
    ----------
    complaints, surveys, transactions : DataFrame
        The unit's rows of the period (as in :class:`kit.notebook.StoreReport`).
    as_of : Timestamp
        End of the data (open tickets younger than a target are not counted against it).
    standards : Standards or ServiceStandards, optional
        Response-time rules for G2; a :class:`~kit.standards.ServiceStandards` also gives the
        call-back window and the authority limits (defaults otherwise).
    calendars : mapping, optional
        Store calendars for business-hours rules (:attr:`StoreReport.calendars`).
    golden_hours : float
        The golden window of ``resolved_24h``.
    category_col : str
        Complaint category codes (for G8).

    Returns
    -------
    DataFrame
        ``indicator``, ``goal``, ``value``, ``n`` (the denominator), one row per indicator in
        :data:`INDICATORS` order.  An indicator whose column is missing or whose denominator is
        empty has ``value`` NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"channel": ["phone"], "tier": ["normal"], "store_id": ["001"],
    ...     "created_at": pd.to_datetime(["2026-01-01 10:00"]), "first_response_at": pd.to_datetime(["2026-01-01 10:20"]),
    ...     "resolved_at": pd.to_datetime(["2026-01-01 12:00"]), "contacts_to_resolve": [1], "reopened": [0]})
    >>> m = measure_indicators(c, pd.DataFrame(), pd.DataFrame(), as_of=pd.Timestamp("2026-01-31"))
    >>> m.set_index("indicator").loc[["fcr", "first_response_sla"], "value"].tolist()
    [100.0, 100.0]
    """
    from kit.standards import default_standards

    as_of = pd.Timestamp(as_of)
    std = standards if standards is not None else default_standards()
    full = std if isinstance(std, ServiceStandards) else default_service_standards()
    results: dict[str, tuple[float, int]] = {}

    def attempt(code: str, fn: Any) -> None:
        try:
            results[code] = fn()
        except (DataError, KeyError):  # a column the indicator needs is missing: no data
            results[code] = (float("nan"), 0)

    comp = complaints
    n_comp = len(comp)
    created = comp["created_at"] if "created_at" in comp.columns else pd.Series(pd.NaT, index=comp.index)
    resolved_at = comp["resolved_at"] if "resolved_at" in comp.columns else pd.Series(pd.NaT, index=comp.index)
    resolved = (resolved_at.notna() & (resolved_at <= as_of)).to_numpy()

    # G1
    def ces_easy() -> tuple[float, int]:
        row = ces_table(surveys, scale="ces2").iloc[0]
        return float(row["easy_share"]), int(row["n"])

    attempt("ces_easy_share", ces_easy)
    attempt("channels_used", lambda: (float(comp["channel"].nunique()) if n_comp else float("nan"), n_comp) if "channel" in comp.columns else _missing("channel"))

    # G2
    def sla() -> tuple[float, int]:
        if n_comp == 0:
            return float("nan"), 0
        status = first_response_status(comp, std, as_of=as_of, calendars=calendars)
        row = sla_attainment(status).iloc[0]
        n = int(row["met"] + row["breached"])
        return (100.0 * float(row["attainment"]) if n else float("nan")), n

    attempt("first_response_sla", sla)

    # G3
    def reopen() -> tuple[float, int]:
        flag = _num(comp, "reopened")
        return _share(flag == 1, resolved & ~np.isnan(flag))

    attempt("reopen_rate", reopen)
    servqual = None
    try:
        if len(surveys):
            servqual = servqual_gaps(surveys, importance_prefix=None)
    except DataError:
        servqual = None

    def dim_gap(dim: str | None) -> tuple[float, int]:
        if servqual is None or servqual.scores.empty or int(servqual.scores["n"].iloc[0]) == 0:
            return float("nan"), 0
        if dim is None:
            return float(servqual.scores["unweighted"].iloc[0]), int(servqual.scores["n"].iloc[0])
        row = servqual.dimensions.set_index("dimension").loc[dim]
        return float(row["gap"]), int(row["n"])

    attempt("assurance_gap", lambda: dim_gap("assurance"))

    # G4
    def nps() -> tuple[float, int]:
        row = nps_table(surveys).iloc[0]
        return float(row["nps"]), int(row["n"])

    def csat() -> tuple[float, int]:
        row = csat_table(surveys).iloc[0]
        return float(row["csat"]), int(row["n"])

    attempt("nps", nps)
    attempt("csat", csat)

    # G5
    attempt("servqual_gap", lambda: dim_gap(None))

    def golden() -> tuple[float, int]:
        hours = ((resolved_at - created).dt.total_seconds() / 3600).to_numpy(dtype="float64", na_value=np.nan)
        age = ((as_of - created).dt.total_seconds() / 3600).to_numpy(dtype="float64", na_value=np.nan)
        decided = resolved | (age > golden_hours)  # open tickets still inside the window are not counted
        return _share(resolved & (hours <= golden_hours), decided)

    attempt("resolved_24h", golden)

    # G6
    def fcr() -> tuple[float, int]:
        contacts, reopened = _num(comp, "contacts_to_resolve"), _num(comp, "reopened")
        known = resolved & ~np.isnan(contacts)
        return _share((contacts == 1) & (np.nan_to_num(reopened) == 0), known)

    def res_sat() -> tuple[float, int]:
        score = _num(comp, "resolution_satisfaction")
        return _share(score >= 4, ~np.isnan(score))

    attempt("fcr", fcr)
    attempt("resolution_satisfaction", res_sat)

    # G7
    def comp_per() -> tuple[float, int]:
        amount = np.nan_to_num(_num(comp, "compensation_amount"))
        return (float(amount.sum()) / n_comp if n_comp else float("nan")), n_comp

    def contacts_per() -> tuple[float, int]:
        contacts = _num(comp, "contacts_to_resolve")
        known = resolved & ~np.isnan(contacts)
        return (float(contacts[known].mean()) if known.any() else float("nan")), int(known.sum())

    attempt("compensation_per_complaint", comp_per)
    attempt("contacts_per_resolution", contacts_per)

    # G8
    def skill() -> tuple[float, int]:
        if category_col not in comp.columns:
            return _missing(category_col)
        return _share(comp[category_col].isin(SKILL_CATEGORIES).to_numpy(), np.ones(n_comp, dtype=bool))

    def authority() -> tuple[float, int]:
        amount = _num(comp, "compensation_amount")
        if "approver_role" not in comp.columns:
            return _missing("approver_role")
        needed = required_approver(pd.Series(amount, index=comp.index), full)
        rank = {role: k for k, role in enumerate(ROLES)}
        have = comp["approver_role"].map(rank).to_numpy(dtype="float64", na_value=np.nan)
        need = needed.map(rank).to_numpy(dtype="float64", na_value=np.nan)
        paid = np.nan_to_num(amount) > 0
        ok = ~np.isnan(have) & ~np.isnan(need) & (have >= need)
        return _share(ok, paid)

    attempt("skill_complaint_share", skill)
    attempt("authority_compliance", authority)

    # G9
    def follow_up() -> tuple[float, int]:
        if "follow_up_at" not in comp.columns or "tier" not in comp.columns:
            return _missing("follow_up_at")
        window = pd.Timedelta(hours=full.follow_up.window_hours)
        due = resolved & comp["tier"].isin(full.follow_up.tiers).to_numpy()
        follow = comp["follow_up_at"]
        in_time = (follow.notna() & (follow <= resolved_at + window)).to_numpy()
        decided = due & ((resolved_at + window <= as_of).to_numpy() | in_time)
        return _share(in_time, decided)

    def responses() -> tuple[float, int]:
        n = int(nps_table(surveys).iloc[0]["n"]) if len(surveys) else 0
        return float(n), n

    attempt("follow_up_rate", follow_up)
    attempt("survey_responses", responses)
    _ = transactions  # repeat purchase is reported in the notebook's loyalty section, not scored here
    rows = [{"indicator": code, "goal": ind.goal, "value": results[code][0], "n": results[code][1]} for code, ind in INDICATORS.items()]
    return pd.DataFrame(rows)


def _missing(col: str) -> tuple[float, int]:
    raise DataError(t("goals.error.missing_column", "zh", column=col), t("goals.error.missing_column", "en", column=col), column=col)


# --------------------------------------------------------------------------------------------
# the scorecard
# --------------------------------------------------------------------------------------------
def scorecard(measured: pd.DataFrame, goals: QualityGoals | Mapping[str, float] | None = None,
              indicator_col: str = "indicator", value_col: str = "value", n_col: str = "n") -> pd.DataFrame:
    """Targets against actuals, one row per indicator, grouped by goal G1–G9.

    Parameters
    ----------
    measured : DataFrame
        ``indicator``, ``value`` and optionally ``n`` (from :func:`measure_indicators`, or
        typed in).  Indicators not measured get ``no_data``.
    goals : QualityGoals or {indicator: target}, optional
        Targets; defaults for every indicator not given.
    indicator_col, value_col, n_col : str
        Column names of ``measured``.

    Returns
    -------
    DataFrame
        ``goal, family, indicator, value, n, direction, target, unit, status, target_source``;
        status ``met`` / ``not_met`` / ``no_data``; ``target_source`` is ``seeds``, ``kit`` or
        ``workspace`` (a target set by the team).

    Raises
    ------
    ParameterError
        A target dict naming an unknown indicator.
    """
    if goals is None:
        model, custom = default_goals(), {}
    elif isinstance(goals, QualityGoals):
        model, custom = goals, {k: v for k, v in goals.targets.items() if v != INDICATORS[k].default}
    else:
        unknown = sorted(set(goals) - set(INDICATORS))
        if unknown:
            raise ParameterError(t("goals.error.unknown_indicator", "zh", names=", ".join(unknown)),
                                 t("goals.error.unknown_indicator", "en", names=", ".join(unknown)), column="targets",
                                 hint_zh=t("goals.hint.unknown_indicator", "zh", known=", ".join(INDICATORS)),
                                 hint_en=t("goals.hint.unknown_indicator", "en", known=", ".join(INDICATORS)))
        model, custom = QualityGoals(targets=default_targets() | {k: float(v) for k, v in goals.items()}), dict(goals)
    values = measured.set_index(indicator_col)[value_col] if len(measured) else pd.Series(dtype="float64")
    counts = measured.set_index(indicator_col)[n_col] if n_col in measured.columns and len(measured) else pd.Series(dtype="float64")
    codes = list(INDICATORS)
    out = pd.DataFrame({
        "goal": [INDICATORS[c].goal for c in codes],
        "family": [FAMILIES[INDICATORS[c].goal] for c in codes],
        "indicator": codes,
        "value": pd.to_numeric(values.reindex(codes), errors="coerce").to_numpy(dtype="float64", na_value=np.nan),
        "n": counts.reindex(codes).to_numpy(dtype="float64", na_value=np.nan),
        "direction": [INDICATORS[c].direction for c in codes],
        "target": [model.target(c) for c in codes],
        "unit": [INDICATORS[c].unit for c in codes],
    })
    v, target = out["value"].to_numpy(), out["target"].to_numpy()
    higher = out["direction"].eq(">=").to_numpy()
    with np.errstate(invalid="ignore"):
        met = np.where(higher, v >= target - 1e-9, v <= target + 1e-9)
    out["status"] = np.where(np.isnan(v), "no_data", np.where(met, "met", "not_met"))
    out["target_source"] = [("workspace" if c in custom else INDICATORS[c].source) for c in codes]
    return out[SCORECARD_COLUMNS]


def _fmt(value: float, unit: str, lang: str) -> str:
    if pd.isna(value):
        return "—"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "yuan":
        return f"{value:,.1f} 元" if lang == "zh" else f"¥{value:,.1f}"
    if unit == "count":
        return f"{value:.0f}"
    if unit == "points":
        return f"{value:+.1f}"
    return f"{value:+.2f}" if unit == "scale" else f"{value:.2f}"


def scorecard_table(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A display copy of :func:`scorecard` in ``lang``: goal names, indicator names, formatted values.

    Status is shown as a word and a symbol that survive grey printing (✓ met, ✗ not met, – no data).
    """
    symbols = {"met": "✓", "not_met": "✗", "no_data": "–"}
    arrows = {">=": "≥", "<=": "≤"}
    out = pd.DataFrame({
        "goal": [f"{g} {label_of('goals.goal', g, lang)}" for g in card["goal"]],
        "indicator": [label_of("goals.indicator", c, lang) for c in card["indicator"]],
        "value": [_fmt(v, u, lang) for v, u in zip(card["value"], card["unit"])],
        "target": [f"{arrows[d]} {_fmt(x, u, lang)}" for d, x, u in zip(card["direction"], card["target"], card["unit"])],
        "n": ["—" if pd.isna(n) else f"{int(n)}" for n in card["n"]],
        "status": [f"{symbols[s]} {label_of('goals.status', s, lang)}" for s in card["status"]],
        "target_source": [label_of("goals.source", s, lang) for s in card["target_source"]],
    })
    return out.rename(columns={c: label_of("goals.column", c, lang) for c in out.columns})


def describe_scorecard(card: pd.DataFrame, lang: str, link: str = "") -> str:
    """One paragraph: how many indicators meet their target, and which goals fall short."""
    decided = card[card["status"] != "no_data"]
    met = int((decided["status"] == "met").sum())
    text = t("goals.text.summary", lang, met=met, total=len(decided), no_data=int((card["status"] == "no_data").sum()))
    short = card[card["status"] == "not_met"]
    if len(short):
        sep = "；" if lang == "zh" else "; "
        arrows = {">=": "≥", "<=": "≤"}
        items = sep.join(t("goals.text.item", lang, goal=g, indicator=label_of("goals.indicator", c, lang), value=_fmt(v, u, lang),
                           target=f"{arrows[d]} {_fmt(x, u, lang)}")
                         for g, c, v, u, d, x in zip(short["goal"], short["indicator"], short["value"], short["unit"], short["direction"], short["target"]))
        text += " " + t("goals.text.short", lang, items=items)
    else:
        text += " " + t("goals.text.all_met", lang)
    if link:
        text += " " + link
    return text
