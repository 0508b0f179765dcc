"""Every indicator of the registry, for every store of the chain at once: value, target, verdict.

:func:`indicator_table` measures each indicator of :data:`kit.workshop.indicators.INDICATORS` for
every store and for the whole chain in one pass per period (each measure is one grouped
computation over the chain's table, never a loop over stores), for the period and for the
previous period of equal length.  The result is the one table every report reads: the chain
overview and ``kpis.xlsx`` all of it, the store reports (03, 04), their findings and the
nine-goals scorecard the store's slice.  One indicator has one value, one target and one verdict
everywhere for the same store and period.

Each row has a ``verdict``:

* ``met`` / ``not_met`` -- the value against the target (only these count in "x of N on target");
* ``too_few`` -- fewer than the indicator's minimum ``n`` (the value is shown with its n, no verdict);
* ``no_data`` -- nothing to measure: the input column is not in the export (``reason`` =
  ``absent_column``, ``reason_column`` names it), the file is missing or empty, or the store has
  no rows for it in the period (``none_in_period``); never 0 %, never met;
* ``not_measurable`` -- the data cannot answer the question, e.g. a response target shorter than
  a day on timestamps without a time of day (``times_missing``).

``gap`` is signed so that a positive gap is better than the target; ``impact`` is the shortfall
in whole tickets (answers, customers …) of a share below its target (:func:`kit.workshop.indicators.shortfall`),
NaN for indicators measured in points, currency or a ratio (their gap says it).

Examples
--------
>>> import pandas as pd
>>> from datetime import date
>>> c = pd.DataFrame({"complaint_id": list("abcd"), "store_id": ["001"] * 2 + ["002"] * 2, "channel": ["phone"] * 4,
...     "tier": ["normal"] * 4, "created_at": pd.to_datetime(["2026-01-05 10:00"] * 4),
...     "first_response_at": pd.to_datetime(["2026-01-05 10:30", "2026-01-05 11:00", "2026-01-05 15:00", None]),
...     "resolved_at": pd.to_datetime(["2026-01-05 12:00"] * 4), "contacts_to_resolve": [1, 1, 2, 1],
...     "reopened": [0, 0, 0, 0]})
>>> t = indicator_table(c, pd.DataFrame(), pd.DataFrame(), period=(date(2026, 1, 1), date(2026, 1, 31)),
...                     previous=False, min_n={"first_response_sla": 1})
>>> t.query("indicator == 'first_response_sla'").set_index("store_id")[["value", "verdict"]].values.tolist()
[[100.0, 'met'], [0.0, 'not_met'], [50.0, 'not_met']]
>>> t.query("indicator == 'follow_up_rate' and store_id == '001'")[["verdict", "reason", "reason_column"]].values.tolist()
[['no_data', 'absent_column', 'follow_up_at']]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kit.audit import measures as audit
from kit.core.errors import DataError
from kit.core.periods import filter_period, previous_period
from kit.loyalty.retention import repeat_purchase_rate
from kit.loyalty.servqual import servqual_gaps
from kit.loyalty.survey import ces_table, csat_table, nps_table
from kit.workshop.goals import QualityGoals, default_goals
from kit.workshop.indicators import INDICATORS, SKILL_CATEGORIES, Indicator, shortfall
from kit.workshop.standards import ROLES, ServiceStandards, Standards, default_service_standards, required_approver

__all__ = [
    "CHAIN",
    "PERIODS",
    "TABLE_COLUMNS",
    "indicator_table",
    "indicator_targets",
    "indicator_wide",
    "on_target",
    "store_slice",
    "targets_for",
    "unmeasured",
]

#: Pseudo store id of the whole chain's rows.
CHAIN = "chain"
PERIODS = ("current", "previous")
TABLE_COLUMNS = [
    "period",
    "period_start",
    "period_end",
    "store_id",
    "indicator",
    "goal",
    "value",
    "n",
    "unit",
    "direction",
    "target",
    "target_source",
    "gap",
    "met",
    "verdict",
    "reason",
    "reason_column",
    "impact",
]


# --------------------------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------------------------
def targets_for(
    standards: Standards | None = None,
    goals: QualityGoals | None = None,
    goals_source: str = "defaults",
    targets: Mapping[str, float] | None = None,
) -> dict[str, tuple[float, str]]:
    """``{indicator: (target, source)}`` from the one place each indicator's target comes from.

    ``source``: ``standards`` / ``goals`` (the defaults), ``workspace`` (a workspace file set it),
    ``explicit`` (``targets``), or ``chain`` with a NaN target that :func:`indicator_table` fills
    with the chain's value of the period.

    Examples
    --------
    >>> targets_for()["fcr"], targets_for(targets={"fcr": 80})["fcr"], targets_for()["complaints_per_1000"][1]
    ((70.0, 'goals'), (80.0, 'explicit'), 'chain')
    """
    from kit.workshop.standards import default_standards

    std = standards if standards is not None else default_standards()
    model = goals if goals is not None else default_goals()
    custom_std = getattr(std, "source", "") not in ("seed-defaults", "")
    custom_goals = goals_source == "workspace"
    out: dict[str, tuple[float, str]] = {}
    for code, ind in INDICATORS.items():
        value, source = (np.nan if ind.default is None else float(ind.default)), ind.target_from
        if ind.target_from == "standards":
            metric = "first_response" if code == "first_response_sla" else "resolution"
            required = [r.required_attainment for r in std.sla if r.metric == metric]
            if required:
                value = 100.0 * max(required)
                source = "workspace" if custom_std else "standards"
        elif code in model.targets:
            value = float(model.targets[code])
            if custom_goals and (ind.default is None or value != float(ind.default)):
                source = "workspace"
        if targets and code in targets:
            value, source = float(targets[code]), "explicit"
        out[code] = (value, source)
    return out


# --------------------------------------------------------------------------------------------
# measuring: each function returns [*by, value, n] for the whole chain's rows at once
# --------------------------------------------------------------------------------------------
def _as_table(frame: pd.DataFrame, by: list[str], value: Any, n: Any) -> pd.DataFrame:
    out = frame[by].copy() if by else pd.DataFrame(index=range(len(frame)))
    out["value"] = np.asarray(value, dtype="float64")
    out["n"] = np.asarray(n, dtype="float64")
    return out.reset_index(drop=True)


def _share(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return _as_table(table, by, table["share"].astype("float64") * 100.0, table["n"])


def _ratio(frame: pd.DataFrame, by: list[str], num: Any, den: Any, scale: float) -> pd.DataFrame:
    """``scale × Σ num ÷ Σ den`` per group; ``n`` = Σ den."""
    work = pd.DataFrame(
        {"num": np.asarray(num, dtype="float64"), "den": np.asarray(den, dtype="float64")}, index=frame.index
    )
    if by:
        work[by] = frame[by]
        sums = work.groupby(by, observed=True, dropna=False)[["num", "den"]].sum().reset_index()
    else:
        sums = pd.DataFrame({"num": [work["num"].sum()], "den": [work["den"].sum()]})
    value = (scale * sums["num"] / sums["den"]).where(sums["den"] > 0)
    return _as_table(sums, by, value, sums["den"])


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce").astype("float64")


@dataclass(frozen=True)
class _Inputs:
    complaints: pd.DataFrame
    surveys: pd.DataFrame
    transactions: pd.DataFrame
    status: Mapping[str, pd.DataFrame | None]
    standards: ServiceStandards
    as_of: pd.Timestamp


def _sla(status: pd.DataFrame | None, by: list[str]) -> pd.DataFrame:
    if status is None or status.empty:
        return pd.DataFrame(columns=[*by, "value", "n"])
    table = audit.sla_attainment(status, by=by)
    return _as_table(table, by, table["attainment"].astype("float64") * 100, table["met"] + table["breached"])


def _measures(x: _Inputs) -> dict[str, Callable[[list[str]], pd.DataFrame]]:
    c, s, tx, std = x.complaints, x.surveys, x.transactions, x.standards
    resolved = (c["resolved_at"].notna() & (c["resolved_at"] <= x.as_of)) if "resolved_at" in c else None
    every = pd.Series(1.0, index=c.index)

    def channels(by: list[str]) -> pd.DataFrame:
        if by:
            g = c.groupby(by, observed=True, dropna=False)["channel"]
            table = pd.DataFrame({"value": g.nunique(), "n": g.size()}).reset_index()
            return _as_table(table, by, table["value"], table["n"])
        return pd.DataFrame({"value": [float(c["channel"].nunique())], "n": [float(len(c))]})

    def reopen(by: list[str]) -> pd.DataFrame:
        flag = _num(c, "reopened")
        base = resolved & flag.notna()
        return _ratio(c, by, (flag == 1) & base, base, 100.0)

    def servqual(dim: str | None) -> Callable[[list[str]], pd.DataFrame]:
        def measure(by: list[str]) -> pd.DataFrame:
            res = servqual_gaps(s, by=by, importance_prefix=None)
            if dim is None:
                table = res.scores
                return _as_table(table, by, table["unweighted"], table["n"])
            table = res.dimensions.loc[res.dimensions["dimension"] == dim]
            return _as_table(table, by, table["gap"], table["n"])

        return measure

    def nps(by: list[str]) -> pd.DataFrame:
        table = nps_table(s, by=by)
        return _as_table(table, by, table["nps"], table["n"])

    def csat(by: list[str]) -> pd.DataFrame:
        table = csat_table(s, by=by)
        return _as_table(table, by, table["csat"], table["n"])

    def ces(by: list[str]) -> pd.DataFrame:
        table = ces_table(s, scale="ces2", by=by)
        return _as_table(table, by, table["easy_share"], table["n"])

    def per_1000(by: list[str]) -> pd.DataFrame:
        both = pd.concat([c[by].assign(num=1.0, den=0.0), tx[by].assign(num=0.0, den=1.0)], ignore_index=True)
        return _ratio(both, by, both["num"], both["den"], 1000.0)

    def repeat_purchase(by: list[str]) -> pd.DataFrame:
        table = repeat_purchase_rate(tx, by=by)
        return _as_table(table, by, table["repeat_rate"], table["customers"])

    def fcr(by: list[str]) -> pd.DataFrame:
        known = resolved & _num(c, "contacts_to_resolve").notna()
        table = audit.first_contact_resolution(c.loc[known], by=by)
        return _share(table, by)

    def contacts(by: list[str]) -> pd.DataFrame:
        n = _num(c, "contacts_to_resolve")
        known = resolved & n.notna()
        return _ratio(c, by, n.where(known, 0.0), known, 1.0)

    def compensation(by: list[str]) -> pd.DataFrame:
        return _ratio(c, by, _num(c, "compensation_amount").fillna(0.0), every, 1.0)

    def authority(by: list[str]) -> pd.DataFrame:
        amount = _num(c, "compensation_amount")
        needed = required_approver(amount, std)
        rank = {role: k for k, role in enumerate(ROLES)}
        have = c["approver_role"].map(rank).astype("float64")
        need = needed.map(rank).astype("float64")
        paid = amount.fillna(0) > 0
        ok = have.notna() & need.notna() & (have >= need)
        return _ratio(c, by, ok & paid, paid, 100.0)

    def follow_up(by: list[str]) -> pd.DataFrame:
        exempt = sorted(set(c["tier"].dropna()) - set(std.follow_up.tiers)) if "tier" in c else []
        table = audit.follow_up_compliance(
            c, as_of=x.as_of, window_hours=std.follow_up.window_hours, by=by, exempt_tiers=exempt
        )
        return _share(table, by)

    def responses(by: list[str]) -> pd.DataFrame:
        table = nps_table(s, by=by)
        return _as_table(table, by, table["n"], table["n"])

    return {
        "ces_easy_share": ces,
        "channels_used": channels,
        "first_response_sla": lambda by: _sla(x.status.get("first_response"), by),
        "reopen_rate": reopen,
        "assurance_gap": servqual("assurance"),
        "complaints_per_1000": per_1000,
        "nps": nps,
        "csat": csat,
        "repeat_purchase_rate": repeat_purchase,
        "servqual_gap": servqual(None),
        "resolution_sla": lambda by: _sla(x.status.get("resolution"), by),
        "fcr": fcr,
        "resolution_satisfaction": lambda by: _share(audit.resolution_satisfaction(c, by=by), by),
        "repeat_complaint_rate": lambda by: _share(audit.repeat_complaints(c, by=by), by),
        "compensation_per_complaint": compensation,
        "contacts_per_resolution": contacts,
        "skill_complaint_share": lambda by: _ratio(c, by, c["category_en"].isin(SKILL_CATEGORIES), every, 100.0),
        "authority_compliance": authority,
        "follow_up_rate": follow_up,
        "survey_responses": responses,
    }


# --------------------------------------------------------------------------------------------
# what the data can answer
# --------------------------------------------------------------------------------------------
def _availability(
    ind: Indicator,
    tables: Mapping[str, pd.DataFrame],
    absent: Collection[tuple[str, str]] | Collection[str],
    missing: Collection[str],
) -> tuple[str, str] | None:
    """``(reason, column or kind)`` when the export cannot give the indicator at all, else None."""
    for kind, col in ind.inputs:
        frame = tables[kind]
        if kind in missing:
            return "missing_file", kind
        if frame.empty and len(frame.columns) == 0:
            return "missing_file", kind
        if frame.empty:
            return "empty_file", kind
        if (kind, col) in absent or col in absent or col not in frame.columns or frame[col].isna().all():
            return "absent_column", col
    if ind.id == "skill_complaint_share" and "category_en" not in tables["complaints"]:
        return "absent_column", "category_en"
    return None


def _measurable_rules(standards: Standards, metric: str, date_only: Collection[str], end_col: str) -> set[int]:
    """The ids (positions, as :func:`kit.workshop.standards.rules_table`) of the SLA rules of ``metric``
    the data can measure.

    On timestamps without a time of day (``date_only``) only whole-day targets on the calendar
    clock can be measured ("within 3 days" is a difference of dates; "within 2 hours" is not).
    """
    rules = [(i, r) for i, r in enumerate(standards.sla) if r.metric == metric]
    if not ({"created_at", end_col} & set(date_only)):
        return {i for i, _ in rules}
    return {i for i, r in rules if r.clock == "calendar" and float(r.target_minutes) % 1440 == 0}


# --------------------------------------------------------------------------------------------
# the table
# --------------------------------------------------------------------------------------------
def _measure_period(
    tables: Mapping[str, pd.DataFrame],
    start: date,
    end: date,
    store_ids: list[str],
    standards: Standards,
    full: ServiceStandards,
    calendars: Mapping[str, Any] | None,
    unavailable: Mapping[str, tuple[str, str]],
    date_only: Collection[str],
) -> pd.DataFrame:
    """Values and denominators of every indicator, per store and for the chain, in one period."""
    c = filter_period(tables["complaints"], start, end)
    s = filter_period(tables["surveys"], start, end, time_col="date")
    tx = filter_period(tables["transactions"], start, end, time_col="date")
    end_ts = pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    times = tables["complaints"].select_dtypes("datetime")
    extracted = times.max().max() if not times.empty else pd.NaT
    as_of = min(end_ts, extracted) if pd.notna(extracted) else end_ts
    status: dict[str, pd.DataFrame | None] = {}
    lost_tickets: dict[str, pd.Series] = {}  # per store: decided tickets under rules the data cannot measure
    for metric, code, end_col in (
        ("first_response", "first_response_sla", "first_response_at"),
        ("resolution", "resolution_sla", "resolved_at"),
    ):
        if code in unavailable or not len(c):
            status[metric] = None
            continue
        keep = _measurable_rules(standards, metric, date_only, end_col)
        st = audit.sla_status(c, standards, metric, as_of=as_of, calendars=calendars)
        inside = st["rule_id"].isin(keep)
        status[metric] = st.loc[inside]
        lost = st.loc[~inside & st["status"].isin(["met", "breached"])]
        counts = lost.groupby("store_id", observed=True).size().reindex(store_ids, fill_value=0)
        counts[CHAIN] = len(lost)
        lost_tickets[code] = counts
    inputs = _Inputs(c, s, tx, status, full, as_of)
    frames = []
    for code, fn in _measures(inputs).items():
        if code in unavailable:
            per_store = pd.DataFrame({"store_id": store_ids, "value": np.nan, "n": 0.0})
            chain = pd.DataFrame({"value": [np.nan], "n": [0.0]})
        else:
            try:
                per_store, chain = fn(["store_id"]), fn([])
            except (DataError, KeyError):  # an input the availability check could not see: no data
                per_store = pd.DataFrame({"store_id": store_ids, "value": np.nan, "n": 0.0})
                chain = pd.DataFrame({"value": [np.nan], "n": [0.0]})
        per_store = (
            per_store.astype({"store_id": "str"})
            .drop_duplicates("store_id")
            .set_index("store_id")
            .reindex(store_ids)
            .rename_axis("store_id")
            .reset_index()
        )
        chain = (
            chain.iloc[:1].assign(store_id=CHAIN)
            if len(chain)
            else pd.DataFrame({"store_id": [CHAIN], "value": [np.nan], "n": [0.0]})
        )
        part = pd.concat([per_store[["store_id", "value", "n"]], chain[["store_id", "value", "n"]]], ignore_index=True)
        frames.append(part.assign(indicator=code))
    out = pd.concat(frames, ignore_index=True)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["n"] = pd.to_numeric(out["n"], errors="coerce").fillna(0).astype("int64")
    out["unmeasured"] = 0
    for code, counts in lost_tickets.items():
        rows = out["indicator"].eq(code)
        out.loc[rows, "unmeasured"] = out.loc[rows, "store_id"].map(counts).fillna(0).astype("int64").to_numpy()
    out["period_start"], out["period_end"] = pd.Timestamp(start), pd.Timestamp(end)
    return out


def _ensure(frame: pd.DataFrame | None, time_col: str) -> pd.DataFrame:
    """The frame, or an empty one with the columns a period filter needs (for a table that is missing)."""
    if frame is None:
        frame = pd.DataFrame()
    if time_col in frame.columns and "store_id" in frame.columns:
        return frame
    if len(frame):
        return frame
    base = {time_col: pd.Series(dtype="datetime64[us]"), "store_id": pd.Series(dtype="str")}
    return pd.DataFrame(base | {c: frame[c] for c in frame.columns if c not in base})


def indicator_table(
    complaints: pd.DataFrame | None,
    surveys: pd.DataFrame | None,
    transactions: pd.DataFrame | None,
    *,
    period: tuple[date, date],
    standards: Standards | None = None,
    goals: QualityGoals | None = None,
    goals_source: str = "defaults",
    targets: Mapping[str, float] | None = None,
    calendars: Mapping[str, Any] | None = None,
    stores: Sequence[str] | None = None,
    previous: bool = True,
    date_only: Collection[str] = (),
    absent: Collection[Any] = (),
    missing: Collection[str] = (),
    min_n: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Every indicator of every store (and of the whole chain), for the period and the previous one.

    Parameters
    ----------
    complaints, surveys, transactions : DataFrame or None
        The whole chain's tables (as loaded by :func:`kit.intake.load.load_chain`); they are
        filtered to each period here (complaints by ``created_at``, the others by ``date``).
        None or an empty frame for a file the client does not have.
    period : (date, date)
        First and last day of the period (inclusive).
    standards : Standards or ServiceStandards, optional
        Response-time rules (targets of the two SLA indicators); a ServiceStandards also gives the
        call-back window and the authority limits.  Seed defaults when None.
    goals, goals_source :
        The quality goals' targets (``goals.yaml``) and whether they came from a workspace.
    targets : {indicator: target}, optional
        Targets that override all others.
    calendars : {store_id: StoreCalendar}, optional
        For rules on the business-hours clock.
    stores : list of str, optional
        The store ids to report (every store gets a row even without data).
    previous : bool
        Also measure the previous period of equal length (``period == "previous"``).
    date_only : collection of str
        Complaint time columns whose values carry no time of day (see the intake's detection).
    absent : collection of column names or (kind, column)
        Columns the export does not have (they are "no data", never 0).
    missing : collection of str
        Kinds of file the client does not have (``"surveys"`` …).
    min_n : {indicator: n}, optional
        Override of the registry's minimum samples (tests, small pilots).

    Returns
    -------
    DataFrame
        :data:`TABLE_COLUMNS`, stores in the order given and the chain last, indicators in registry
        order; ``met`` is a nullable boolean (NA unless the verdict is ``met`` or ``not_met``).
    """
    start, end = period
    from kit.workshop.standards import default_standards

    std = standards if standards is not None else default_standards()
    full = std if isinstance(std, ServiceStandards) else default_service_standards().model_copy(update={"sla": std.sla})
    tables = {
        "complaints": _ensure(complaints, "created_at"),
        "surveys": _ensure(surveys, "date"),
        "transactions": _ensure(transactions, "date"),
    }
    if stores is None:
        ids = pd.concat([f["store_id"].astype("str") for f in tables.values() if "store_id" in f.columns])
        stores = sorted(ids.dropna().unique().tolist())
    store_ids = [str(s) for s in stores]
    unavailable: dict[str, tuple[str, str]] = {}
    for code, ind in INDICATORS.items():
        why = _availability(ind, tables, absent, missing)
        if why is None and ind.id in ("first_response_sla", "resolution_sla"):
            metric = "first_response" if ind.id == "first_response_sla" else "resolution"
            end_col = "first_response_at" if metric == "first_response" else "resolved_at"
            rules = [r for r in std.sla if r.metric == metric]
            if not rules:
                why = ("no_rule", metric)
            elif not _measurable_rules(std, metric, date_only, end_col):
                why = ("times_missing", end_col if end_col in date_only else "created_at")
        if why is None and ind.time_columns and ind.id == "follow_up_rate" and set(ind.time_columns) & set(date_only):
            hours = float(full.follow_up.window_hours)
            if hours % 24:
                why = ("times_missing", next(c for c in ind.time_columns if c in date_only))
        if why is not None:
            unavailable[code] = why
    windows = [("current", start, end)]
    if previous:
        windows.append(("previous", *previous_period(start, end)))
    parts = [
        _measure_period(tables, a, b, store_ids, std, full, calendars, unavailable, date_only).assign(period=name)
        for name, a, b in windows
    ]
    out = pd.concat(parts, ignore_index=True)
    chosen = targets_for(std, goals, goals_source, targets)
    meta = pd.DataFrame(
        {
            "indicator": list(INDICATORS),
            "goal": [i.goal for i in INDICATORS.values()],
            "unit": [i.unit for i in INDICATORS.values()],
            "direction": [i.direction for i in INDICATORS.values()],
            "target": [chosen[c][0] for c in INDICATORS],
            "target_source": [chosen[c][1] for c in INDICATORS],
            "_min_n": [(min_n or {}).get(c, i.min_n) for c, i in INDICATORS.items()],
        }
    )
    out = out.merge(meta, on="indicator", how="left")
    # indicators without a target: the chain's own value of the same period is the reference
    chain_value = out.loc[out["store_id"] == CHAIN].set_index(["period", "indicator"])["value"]
    keyed = pd.MultiIndex.from_frame(out[["period", "indicator"]])
    fill = out["target"].isna().to_numpy()
    out.loc[fill, "target"] = chain_value.reindex(keyed).to_numpy()[fill]
    higher = out["direction"].eq(">=")
    out["gap"] = np.where(higher, out["value"] - out["target"], out["target"] - out["value"])
    # verdicts
    reason = pd.Series("", index=out.index, dtype="object")
    column = pd.Series("", index=out.index, dtype="object")
    for code, (why, col) in unavailable.items():
        rows = out["indicator"].eq(code)
        reason[rows], column[rows] = why, col
    no_value = reason.eq("") & (out["n"].eq(0) | out["value"].isna())
    times = no_value & out["unmeasured"].gt(0)  # every ticket of the store falls under an unmeasurable rule
    reason[times] = "times_missing"
    column[times] = np.where(out.loc[times, "indicator"].eq("first_response_sla"), "first_response_at", "resolved_at")
    reason[no_value & ~times] = "none_in_period"
    few = reason.eq("") & (out["n"] < out["_min_n"])
    reason[few] = "too_few"
    verdict = np.select(
        [
            reason.isin(["absent_column", "missing_file", "empty_file", "none_in_period", "no_rule"]),
            reason.eq("times_missing"),
            reason.eq("too_few"),
        ],
        ["no_data", "not_measurable", "too_few"],
        default="",
    ).astype(object)
    judge = verdict == ""
    ok = np.where(higher, out["value"] >= out["target"] - 1e-9, out["value"] <= out["target"] + 1e-9)
    verdict[judge & ok] = "met"
    verdict[judge & ~ok] = "not_met"
    verdict[judge & out["target"].isna().to_numpy()] = "no_data"  # no target and no chain value
    out["verdict"] = verdict
    out["reason"] = reason.to_numpy()
    out["reason_column"] = column.to_numpy()
    out["met"] = pd.array(np.where(np.isin(verdict, ["met", "not_met"]), verdict == "met", None), dtype="boolean")
    out.loc[~out["verdict"].isin(["met", "not_met", "too_few"]), ["value", "gap"]] = np.nan
    out["impact"] = [
        np.nan
        if v != "not_met"
        else (lambda s: np.nan if s is None else float(s))(shortfall(INDICATORS[i], value=val, target=tg, n=n))
        for i, v, val, tg, n in zip(out["indicator"], out["verdict"], out["value"], out["target"], out["n"])
    ]
    order = {code: k for k, code in enumerate(INDICATORS)}
    rank = {sid: k for k, sid in enumerate([*store_ids, CHAIN])}
    out = out.assign(
        _p=out["period"].map({p: k for k, p in enumerate(PERIODS)}),
        _s=out["store_id"].map(rank),
        _k=out["indicator"].map(order),
    ).sort_values(["_p", "_s", "_k"], kind="stable")
    out["store_id"] = out["store_id"].astype("str")
    return out[TABLE_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# views of the table
# --------------------------------------------------------------------------------------------
def store_slice(table: pd.DataFrame, store_id: str, *, period: str = "current") -> pd.DataFrame:
    """The rows of one store (or ``"chain"``) and period, in registry order."""
    return table.loc[(table["store_id"] == str(store_id)) & (table["period"] == period)].reset_index(drop=True)


def on_target(rows: pd.DataFrame) -> tuple[int, int]:
    """``(met, judged)`` of a slice: only ``met`` and ``not_met`` verdicts count.

    Examples
    --------
    >>> on_target(pd.DataFrame({"verdict": ["met", "not_met", "no_data", "too_few", "met"]}))
    (2, 3)
    """
    return int(rows["verdict"].eq("met").sum()), int(rows["verdict"].isin(["met", "not_met"]).sum())


def unmeasured(rows: pd.DataFrame) -> pd.DataFrame:
    """Indicators of a slice with no verdict because the data cannot give one, and what would fill it.

    Returns
    -------
    DataFrame ``indicator, verdict, reason, reason_column`` (``no_data`` for a missing column, file
    or rule, ``not_measurable`` for missing times); stores' own empty periods and small samples are
    not listed (they are said next to the figure).
    """
    keep = rows["reason"].isin(["absent_column", "missing_file", "empty_file", "times_missing", "no_rule"])
    return rows.loc[keep, ["indicator", "verdict", "reason", "reason_column"]].reset_index(drop=True)


def indicator_wide(
    table: pd.DataFrame, *, period: str = "current", value: str = "value", chain: bool = True
) -> pd.DataFrame:
    """Stores × indicators (one row per store, one column per indicator) for one period.

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current"] * 2, "store_id": ["001", "001"], "indicator": ["nps", "csat"],
    ...                      "value": [10.0, 90.0]})
    >>> indicator_wide(long).columns.tolist()
    ['store_id', 'nps', 'csat']
    """
    part = table.loc[table["period"] == period]
    if not chain:
        part = part.loc[part["store_id"] != CHAIN]
    wide = part.pivot(index="store_id", columns="indicator", values=value)
    codes = [k for k in dict.fromkeys(part["indicator"]) if k in wide.columns]
    stores = list(dict.fromkeys(part["store_id"]))
    wide = wide.reindex(index=stores, columns=codes)
    wide.columns.name = None
    return wide.reset_index()


def indicator_targets(table: pd.DataFrame, *, period: str = "current") -> pd.DataFrame:
    """One row per indicator: unit, direction, target, its source, the chain's value and verdict, stores meeting it.

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current"] * 3, "store_id": ["001", "002", "chain"], "indicator": ["nps"] * 3,
    ...     "value": [10.0, 50.0, 30.0], "unit": ["points"] * 3, "direction": [">="] * 3, "target": [30.0] * 3,
    ...     "target_source": ["goals"] * 3, "verdict": ["not_met", "met", "met"]})
    >>> indicator_targets(long)[["indicator", "stores_met", "stores_judged", "chain_value"]].values.tolist()
    [['nps', 1, 2, 30.0]]
    """
    part = table.loc[table["period"] == period]
    stores = part.loc[part["store_id"] != CHAIN]
    counted = stores.assign(_met=stores["verdict"].eq("met"), _judged=stores["verdict"].isin(["met", "not_met"]))
    summary = counted.groupby("indicator", sort=False).agg(stores_met=("_met", "sum"), stores_judged=("_judged", "sum"))
    meta = part.drop_duplicates("indicator").set_index("indicator")[["unit", "direction", "target", "target_source"]]
    chain = part.loc[part["store_id"] == CHAIN].set_index("indicator")
    out = meta.join(chain["value"].rename("chain_value")).join(chain["verdict"].rename("chain_verdict")).join(summary)
    out = out.reset_index()
    out[["stores_met", "stores_judged"]] = out[["stores_met", "stores_judged"]].fillna(0).astype("int64")
    out["stores_met_share"] = (100.0 * out["stores_met"] / out["stores_judged"]).where(out["stores_judged"] > 0)
    return out[
        [
            "indicator",
            "unit",
            "direction",
            "target",
            "target_source",
            "chain_value",
            "chain_verdict",
            "stores_met",
            "stores_judged",
            "stores_met_share",
        ]
    ]
