"""The nine quality goals scorecard: each goal's indicators measured and judged against its target.

Examples
--------
>>> import pandas as pd
>>> card = scorecard(pd.DataFrame({"indicator": ["nps", "fcr"], "value": [35.0, 60.0], "n": [120, 80]}))
>>> card.set_index("indicator").loc[["nps", "fcr", "csat"], "status"].tolist()
['met', 'not_met', 'no_data']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from kit.audit.measures import first_response_status, sla_attainment
from kit.core.errors import DataError, ParameterError
from kit.core.i18n import label_of, t
from kit.loyalty.servqual import servqual_gaps
from kit.loyalty.survey import ces_table, csat_table, nps_table
from kit.workshop.goals import FAMILIES, INDICATORS, SKILL_CATEGORIES, QualityGoals, default_goals, default_targets
from kit.workshop.standards import ROLES, ServiceStandards, Standards, default_service_standards, required_approver

__all__ = ["SCORECARD_COLUMNS", "describe_scorecard", "measure_indicators", "scorecard", "scorecard_table"]


SCORECARD_COLUMNS = [
    "goal",
    "family",
    "indicator",
    "value",
    "n",
    "direction",
    "target",
    "unit",
    "status",
    "target_source",
]


# --------------------------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------------------------
def _share(hit: np.ndarray, base: np.ndarray) -> tuple[float, int]:
    n = int(base.sum())
    return (100.0 * float((hit & base).sum()) / n if n else float("nan")), n


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    if col not in frame.columns:
        raise DataError.from_key("goals.error.missing_column", column=col)
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
        Response-time rules for G2; a :class:`~kit.workshop.standards.ServiceStandards` also gives the
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
    from kit.workshop.standards import default_standards

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
    attempt(
        "channels_used",
        lambda: (
            (float(comp["channel"].nunique()) if n_comp else float("nan"), n_comp)
            if "channel" in comp.columns
            else _missing("channel")
        ),
    )

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
    rows = [
        {"indicator": code, "goal": ind.goal, "value": results[code][0], "n": results[code][1]}
        for code, ind in INDICATORS.items()
    ]
    return pd.DataFrame(rows)


def _missing(col: str) -> tuple[float, int]:
    raise DataError.from_key("goals.error.missing_column", column=col)


# --------------------------------------------------------------------------------------------
# the scorecard
# --------------------------------------------------------------------------------------------
def scorecard(
    measured: pd.DataFrame,
    goals: QualityGoals | Mapping[str, float] | None = None,
    indicator_col: str = "indicator",
    value_col: str = "value",
    n_col: str = "n",
) -> pd.DataFrame:
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
            raise ParameterError.from_key(
                "goals.error.unknown_indicator", column="targets", names=", ".join(unknown), known=", ".join(INDICATORS)
            )
        model, custom = QualityGoals(targets=default_targets() | {k: float(v) for k, v in goals.items()}), dict(goals)
    values = measured.set_index(indicator_col)[value_col] if len(measured) else pd.Series(dtype="float64")
    counts = (
        measured.set_index(indicator_col)[n_col]
        if n_col in measured.columns and len(measured)
        else pd.Series(dtype="float64")
    )
    codes = list(INDICATORS)
    out = pd.DataFrame(
        {
            "goal": [INDICATORS[c].goal for c in codes],
            "family": [FAMILIES[INDICATORS[c].goal] for c in codes],
            "indicator": codes,
            "value": pd.to_numeric(values.reindex(codes), errors="coerce").to_numpy(dtype="float64", na_value=np.nan),
            "n": counts.reindex(codes).to_numpy(dtype="float64", na_value=np.nan),
            "direction": [INDICATORS[c].direction for c in codes],
            "target": [model.target(c) for c in codes],
            "unit": [INDICATORS[c].unit for c in codes],
        }
    )
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
    out = pd.DataFrame(
        {
            "goal": [f"{g} {label_of('goals.goal', g, lang)}" for g in card["goal"]],
            "indicator": [label_of("goals.indicator", c, lang) for c in card["indicator"]],
            "value": [_fmt(v, u, lang) for v, u in zip(card["value"], card["unit"])],
            "target": [
                f"{arrows[d]} {_fmt(x, u, lang)}" for d, x, u in zip(card["direction"], card["target"], card["unit"])
            ],
            "n": ["—" if pd.isna(n) else f"{int(n)}" for n in card["n"]],
            "status": [f"{symbols[s]} {label_of('goals.status', s, lang)}" for s in card["status"]],
            "target_source": [label_of("goals.source", s, lang) for s in card["target_source"]],
        }
    )
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
        items = sep.join(
            t(
                "goals.text.item",
                lang,
                goal=g,
                indicator=label_of("goals.indicator", c, lang),
                value=_fmt(v, u, lang),
                target=f"{arrows[d]} {_fmt(x, u, lang)}",
            )
            for g, c, v, u, d, x in zip(
                short["goal"], short["indicator"], short["value"], short["unit"], short["direction"], short["target"]
            )
        )
        text += " " + t("goals.text.short", lang, items=items)
    else:
        text += " " + t("goals.text.all_met", lang)
    if link:
        text += " " + link
    return text
