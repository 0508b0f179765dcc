"""Every KPI the reports show, for every store of the chain at once, against its target.

:func:`store_kpis` measures the chain's stores in one pass per period (each metric is one
grouped computation over the whole chain's table, never a loop over stores or rows), for the
requested period and for the previous period of equal length (so that movers can be found).  The
result is a long, tidy table -- one row per (period, store, KPI) plus one ``chain`` row per KPI
for the whole chain -- that :func:`kpi_wide` pivots into a stores × KPIs table and
:func:`kpi_targets` summarises into the targets in force.

==========================  =====  ===  ==============================================  ======
KPI                         unit   dir  definition (source)                             target
==========================  =====  ===  ==============================================  ======
``first_response_sla``      %      ≥    met ÷ (met + breached) on the standards' clocks  95 std
                                        (:func:`kit.audit.measures.sla_status`, Zendesk-style)
``resolution_sla``          %      ≥    the same for the resolution time                 95 std
``fcr``                     %      ≥    resolved with one contact and not reopened       70 goal
                                        (:func:`kit.audit.measures.first_contact_resolution`)
``golden_window``           %      ≥    resolved within 24 h (:func:`kit.audit.measures.golden_window`)  95 goal
``resolution_satisfaction`` %      ≥    resolution rated 4–5 of 5 (top-2-box)            95 goal
``follow_up_rate``          %      ≥    call-back within the standards' window           95 goal
``repeat_complaint_rate``   %      ≤    same customer complains again within 30 days     10 kit
``authority_compliance``    %      ≥    compensation approved within the authority       100 goal
                                        limits = 100 − violations (:func:`kit.audit.measures.authority_check`)
``reopen_rate``             %      ≤    resolved tickets reopened                        5 goal
``compensation_per_complaint`` yuan ≤   compensation paid ÷ complaints                   50 goal
``skill_complaint_share``   %      ≤    attitude and product-knowledge complaints        15 goal
``nps``                     points ≥    Reichheld (2003), :func:`kit.loyalty.survey.nps_table`   30 goal
``csat``                    %      ≥    top-2-box of 1–5, :func:`kit.loyalty.survey.csat_table`  90 goal
``ces_easy_share``          %      ≥    CES 2.0 answers 5–7 (Dixon et al. 2013)          70 goal
``complaints_per_1000``     ‰      ≤    complaints ÷ transactions × 1,000                chain
``repeat_purchase_rate``    %      ≥    customers with ≥ 2 purchases in the period       chain
                                        (:func:`kit.loyalty.retention.repeat_purchase_rate`)
==========================  =====  ===  ==============================================  ======

Targets: "std" = the strictest required attainment of the standards' rules (workspace
``standards.yaml``, else the seed defaults: SLA attainment above 95 %); "goal" = the quality-goal
target of :mod:`kit.workshop.goals` (workspace ``goals.yaml``, else the documented defaults); "kit" = the
kit's suggestion; "chain" = no published figure exists, so the chain's own value of the same
period is the reference until the team sets a target (``targets={"complaints_per_1000": 20}``).

A KPI whose input column is missing from an export (e.g. no CES question in the survey) has
no value (NaN, ``n`` = 0) rather than stopping the overview, as in :func:`kit.chain.goals_scorecard.measure_indicators`.

``gap`` is signed so that a positive gap is always better than the target (``value − target``
for "higher is better", ``target − value`` otherwise); ``met`` is NA when there is no value.

Examples
--------
>>> import pandas as pd
>>> from datetime import date
>>> c = pd.DataFrame({"complaint_id": ["a", "b"], "store_id": ["001", "002"], "channel": ["phone", "phone"],
...     "tier": ["normal", "normal"], "created_at": pd.to_datetime(["2026-01-05 10:00", "2026-01-05 10:00"]),
...     "first_response_at": pd.to_datetime(["2026-01-05 10:30", "2026-01-05 15:00"]),
...     "resolved_at": pd.to_datetime(["2026-01-05 12:00", "2026-01-07 12:00"]), "contacts_to_resolve": [1, 2],
...     "reopened": [0, 0]})
>>> k = store_kpis(c, pd.DataFrame(), pd.DataFrame(), period=(date(2026, 1, 1), date(2026, 1, 31)), previous=False)
>>> k.query("kpi == 'first_response_sla'").set_index("store_id")["value"].to_dict()
{'001': 100.0, '002': 0.0, 'chain': 50.0}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from kit.audit import measures as audit
from kit.core.errors import DataError
from kit.core.i18n import t
from kit.core.periods import filter_period, previous_period
from kit.loyalty.retention import repeat_purchase_rate
from kit.loyalty.survey import ces_table, csat_table, nps_table
from kit.workshop.goals import SKILL_CATEGORIES, QualityGoals, default_goals
from kit.workshop.standards import ServiceStandards, Standards, default_service_standards, default_standards

__all__ = [
    "CHAIN",
    "KPIS",
    "Kpi",
    "LONG_COLUMNS",
    "PERIODS",
    "kpi_label",
    "kpi_targets",
    "kpi_wide",
    "store_kpis",
    "targets_for",
]

#: Pseudo store id of the whole chain's rows in the long table.
CHAIN = "chain"
PERIODS = ("current", "previous")
LONG_COLUMNS = [
    "period",
    "period_start",
    "period_end",
    "store_id",
    "kpi",
    "value",
    "n",
    "unit",
    "direction",
    "target",
    "target_source",
    "gap",
    "met",
]


@dataclass(frozen=True)
class Kpi:
    """A KPI of the chain overview: unit, direction, default target and where that comes from."""

    code: str
    unit: str
    direction: Literal[">=", "<="]
    default: float | None
    source: Literal["standards", "goals", "kit", "chain"]
    goal_indicator: str | None = None


KPIS: dict[str, Kpi] = {
    k.code: k
    for k in (
        Kpi("first_response_sla", "percent", ">=", 95, "standards"),
        Kpi("resolution_sla", "percent", ">=", 95, "standards"),
        Kpi("fcr", "percent", ">=", 70, "goals", "fcr"),
        Kpi("golden_window", "percent", ">=", 95, "goals", "resolved_24h"),
        Kpi("resolution_satisfaction", "percent", ">=", 95, "goals", "resolution_satisfaction"),
        Kpi("follow_up_rate", "percent", ">=", 95, "goals", "follow_up_rate"),
        Kpi("repeat_complaint_rate", "percent", "<=", 10, "kit"),
        Kpi("authority_compliance", "percent", ">=", 100, "goals", "authority_compliance"),
        Kpi("reopen_rate", "percent", "<=", 5, "goals", "reopen_rate"),
        Kpi("compensation_per_complaint", "yuan", "<=", 50, "goals", "compensation_per_complaint"),
        Kpi("skill_complaint_share", "percent", "<=", 15, "goals", "skill_complaint_share"),
        Kpi("nps", "points", ">=", 30, "goals", "nps"),
        Kpi("csat", "percent", ">=", 90, "goals", "csat"),
        Kpi("ces_easy_share", "percent", ">=", 70, "goals", "ces_easy_share"),
        Kpi("complaints_per_1000", "per_mille", "<=", None, "chain"),
        Kpi("repeat_purchase_rate", "percent", ">=", None, "chain"),
    )
}


def kpi_label(code: str, lang: str) -> str:
    """The KPI's name in ``lang`` (``kpis.kpi.<code>`` in ``kit/locale/kpis.yaml``)."""
    return t(f"kpis.kpi.{code}", lang)


def targets_for(
    standards: Standards | None = None,
    goals: QualityGoals | None = None,
    targets: Mapping[str, float] | None = None,
    goals_source: str = "defaults",
) -> dict[str, tuple[float, str]]:
    """``{kpi: (target, source)}``: explicit ``targets`` win, then goals / standards, then defaults.

    ``source`` is ``workspace`` when a workspace file set it, ``explicit`` for ``targets``,
    otherwise the KPI's default source (``standards``, ``goals``, ``kit``, or ``chain`` with a
    NaN target that :func:`store_kpis` fills with the chain's value).

    Examples
    --------
    >>> targets_for()["fcr"], targets_for(targets={"fcr": 80})["fcr"]
    ((70.0, 'goals'), (80.0, 'explicit'))
    """
    std = standards if standards is not None else default_standards()
    goal_model = goals if goals is not None else default_goals()
    custom_goals = goals_source == "workspace"
    custom_std = getattr(std, "source", "") not in ("seed-defaults", "")
    out: dict[str, tuple[float, str]] = {}
    for code, kpi in KPIS.items():
        value, source = (np.nan if kpi.default is None else float(kpi.default)), kpi.source
        if kpi.source == "standards":
            metric = "first_response" if code == "first_response_sla" else "resolution"
            required = [r.required_attainment for r in std.sla if r.metric == metric]
            if required:
                value = 100.0 * max(required)
                source = "workspace" if custom_std else "standards"
        elif kpi.goal_indicator is not None:
            value = goal_model.target(kpi.goal_indicator)
            default = kpi.default
            if custom_goals and default is not None and value != float(default):
                source = "workspace"
        if targets and code in targets:
            value, source = float(targets[code]), "explicit"
        out[code] = (value, source)
    return out


# --------------------------------------------------------------------------------------------
# measuring: each function returns [*by, value, n] for the whole chain's rows at once
# --------------------------------------------------------------------------------------------
def _as_table(
    frame: pd.DataFrame, by: list[str], value: pd.Series | np.ndarray, n: pd.Series | np.ndarray
) -> pd.DataFrame:
    out = frame[by].copy() if by else pd.DataFrame(index=range(len(frame)))
    out["value"] = np.asarray(value, dtype="float64")
    out["n"] = np.asarray(n, dtype="float64")
    return out.reset_index(drop=True)


def _share(table: pd.DataFrame, by: list[str], scale: float = 100.0) -> pd.DataFrame:
    return _as_table(table, by, table["share"].astype("float64") * scale, table["n"])


def _grouped_ratio(frame: pd.DataFrame, by: list[str], num: pd.Series, den: pd.Series, scale: float) -> pd.DataFrame:
    work = pd.DataFrame({"num": num.astype("float64"), "den": den.astype("float64")}, index=frame.index)
    if by:
        work[by] = frame[by]
        sums = work.groupby(by, observed=True, dropna=False)[["num", "den"]].sum().reset_index()
    else:
        sums = pd.DataFrame({"num": [work["num"].sum()], "den": [work["den"].sum()]})
    value = (scale * sums["num"] / sums["den"]).where(sums["den"] > 0)
    return _as_table(sums, by, value, sums["den"])


@dataclass(frozen=True)
class _Inputs:
    complaints: pd.DataFrame
    surveys: pd.DataFrame
    transactions: pd.DataFrame
    first_status: pd.DataFrame | None
    resolution_status: pd.DataFrame | None
    standards: ServiceStandards
    as_of: pd.Timestamp


def _sla(status: pd.DataFrame | None, by: list[str]) -> pd.DataFrame:
    if status is None or status.empty:
        return pd.DataFrame(columns=[*by, "value", "n"])
    table = audit.sla_attainment(status, by=by)
    return _as_table(table, by, table["attainment"].astype("float64") * 100, table["met"] + table["breached"])


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    return pd.to_numeric(frame[col], errors="coerce").astype("float64")


def _measures(x: _Inputs) -> dict[str, Callable[[list[str]], pd.DataFrame]]:
    c, s, tx, std = x.complaints, x.surveys, x.transactions, x.standards
    limits = {a.role: float("inf") if a.up_to is None else float(a.up_to) for a in std.authority}
    resolved = c["resolved_at"].notna() & (c["resolved_at"] <= x.as_of) if "resolved_at" in c else None

    def authority(by: list[str]) -> pd.DataFrame:
        flags = audit.authority_check(c, limits=limits)
        return _grouped_ratio(c, by, flags["checked"] & ~flags["violation"], flags["checked"], 100.0)

    def reopen(by: list[str]) -> pd.DataFrame:
        flag = _num(c, "reopened")
        base = resolved & flag.notna()
        return _grouped_ratio(c, by, (flag == 1) & base, base, 100.0)

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
        return _grouped_ratio(both, by, both["num"], both["den"], 1000.0)

    def repeat_purchase(by: list[str]) -> pd.DataFrame:
        table = repeat_purchase_rate(tx, by=by)
        return _as_table(table, by, table["repeat_rate"], table["customers"])

    return {
        "first_response_sla": lambda by: _sla(x.first_status, by),
        "resolution_sla": lambda by: _sla(x.resolution_status, by),
        "fcr": lambda by: _share(audit.first_contact_resolution(c, by=by), by),
        "golden_window": lambda by: _share(audit.golden_window(c, as_of=x.as_of, by=by), by),
        "resolution_satisfaction": lambda by: _share(audit.resolution_satisfaction(c, by=by), by),
        "follow_up_rate": lambda by: _share(
            audit.follow_up_compliance(
                c,
                as_of=x.as_of,
                window_hours=std.follow_up.window_hours,
                by=by,
                exempt_tiers=sorted(set(c["tier"].dropna()) - set(std.follow_up.tiers)),
            ),
            by,
        ),
        "repeat_complaint_rate": lambda by: _share(audit.repeat_complaints(c, by=by), by),
        "authority_compliance": authority,
        "reopen_rate": reopen,
        "compensation_per_complaint": lambda by: _grouped_ratio(
            c, by, _num(c, "compensation_amount").fillna(0), pd.Series(1.0, index=c.index), 1.0
        ),
        "skill_complaint_share": lambda by: _grouped_ratio(
            c, by, c["category_en"].isin(SKILL_CATEGORIES), pd.Series(1.0, index=c.index), 100.0
        ),
        "nps": nps,
        "csat": csat,
        "ces_easy_share": ces,
        "complaints_per_1000": per_1000,
        "repeat_purchase_rate": repeat_purchase,
    }


def _measure_period(
    complaints: pd.DataFrame,
    surveys: pd.DataFrame,
    transactions: pd.DataFrame,
    start: date,
    end: date,
    store_ids: list[str],
    standards: Standards,
    full: ServiceStandards,
    calendars: Mapping[str, Any] | None,
    store_col: str,
) -> pd.DataFrame:
    """Values and denominators of every KPI, per store and for the chain, in one period."""
    c = filter_period(complaints, start, end)
    s = filter_period(surveys, start, end, time_col="date") if "date" in surveys else surveys.iloc[0:0]
    tx = filter_period(transactions, start, end, time_col="date") if "date" in transactions else transactions.iloc[0:0]
    if store_col != "store_id":
        c, s, tx = (f.rename(columns={store_col: "store_id"}) for f in (c, s, tx))
    end_ts = pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    times = complaints.select_dtypes("datetime")
    extracted = times.max().max() if not times.empty else pd.NaT
    as_of = min(end_ts, extracted) if pd.notna(extracted) else end_ts
    options = dict(as_of=as_of, calendars=calendars)
    first = audit.sla_status(c, standards, "first_response", **options) if len(c) else None
    has_resolution = any(r.metric == "resolution" for r in standards.sla)
    res = audit.sla_status(c, standards, "resolution", **options) if len(c) and has_resolution else None
    inputs = _Inputs(c, s, tx, first, res, full, as_of)
    frames = []
    for code, fn in _measures(inputs).items():
        try:
            per_store = fn(["store_id"])
            chain = fn([])
        except (DataError, KeyError):  # a column the KPI needs is missing: no data (as kit.workshop.goals does)
            per_store, chain = (
                pd.DataFrame(columns=["store_id", "value", "n"]),
                pd.DataFrame({"value": [np.nan], "n": [0.0]}),
            )
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
        frames.append(pd.concat([per_store, chain[["store_id", "value", "n"]]], ignore_index=True).assign(kpi=code))
    out = pd.concat(frames, ignore_index=True)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["n"] = pd.to_numeric(out["n"], errors="coerce").fillna(0).astype("int64")
    out["period_start"], out["period_end"] = pd.Timestamp(start), pd.Timestamp(end)
    return out


def store_kpis(
    complaints: pd.DataFrame,
    surveys: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    period: tuple[date, date],
    standards: Standards | None = None,
    goals: QualityGoals | None = None,
    goals_source: str = "defaults",
    targets: Mapping[str, float] | None = None,
    calendars: Mapping[str, Any] | None = None,
    stores: Sequence[str] | None = None,
    previous: bool = True,
    store_col: str = "store_id",
) -> pd.DataFrame:
    """Every KPI of every store, for the period and the previous period of equal length.

    Parameters
    ----------
    complaints, surveys, transactions : DataFrame
        The whole chain's tables (as loaded by :func:`kit.intake.load.load_chain`); they are filtered
        to each period here (complaints by ``created_at``, the others by ``date``).
    period : (date, date)
        First and last day of the period (inclusive).
    standards : Standards or ServiceStandards, optional
        Response-time rules (targets of the two SLA KPIs); a :class:`ServiceStandards` also
        gives the call-back window and authority limits.  Seed defaults when None.
    goals : QualityGoals, optional
        Targets of the goal-bound KPIs (see the module table); defaults when None.
    goals_source : str
        ``"workspace"`` when ``goals`` came from a workspace file (marks targets it changed).
    targets : {kpi: target}, optional
        Targets that override all others (e.g. for ``complaints_per_1000``).
    calendars : {store_id: StoreCalendar}, optional
        For rules on the business-hours clock (:func:`kit.workshop.standards.store_calendars`).
    stores : list of str, optional
        The store ids to report (every store gets a row even without data); default: the ids
        present in the tables.
    previous : bool
        Also measure the previous period (rows with ``period == "previous"``).
    store_col : str
        The store column of the three tables.

    Returns
    -------
    DataFrame
        :data:`LONG_COLUMNS`: ``period`` (``current``/``previous``), ``period_start``,
        ``period_end``, ``store_id`` (text; ``"chain"`` = the whole chain), ``kpi``, ``value``,
        ``n`` (the denominator), ``unit``, ``direction``, ``target``, ``target_source``,
        ``gap`` (positive = better than the target) and ``met`` (boolean, NA without value).
        Stores in the order given, KPIs in :data:`KPIS` order.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"store_id": ["001", "001", "002"], "date": pd.to_datetime(["2026-01-02"] * 3), "nps": [10, 0, 9]})
    >>> k = store_kpis(pd.DataFrame(), s, pd.DataFrame(), period=(date(2026, 1, 1), date(2026, 1, 31)), previous=False)
    >>> k.query("kpi == 'nps'")[["store_id", "value", "met"]].values.tolist()
    [['001', 0.0, False], ['002', 100.0, True], ['chain', 33.33333333333333, True]]
    """
    start, end = period
    std = standards if standards is not None else default_standards()
    full = std if isinstance(std, ServiceStandards) else default_service_standards().model_copy(update={"sla": std.sla})
    complaints, surveys, transactions = (
        _ensure(f, cols)
        for f, cols in (
            (complaints, {"created_at": "datetime64[us]", store_col: "str"}),
            (surveys, {"date": "datetime64[us]", store_col: "str"}),
            (transactions, {"date": "datetime64[us]", store_col: "str"}),
        )
    )
    if stores is None:
        ids = pd.concat([f[store_col].astype("str") for f in (complaints, surveys, transactions)])
        stores = sorted(ids.dropna().unique().tolist())
    store_ids = [str(s) for s in stores]
    windows = [("current", start, end)]
    if previous:
        windows.append(("previous", *previous_period(start, end)))
    parts = [
        _measure_period(complaints, surveys, transactions, a, b, store_ids, std, full, calendars, store_col).assign(
            period=name
        )
        for name, a, b in windows
    ]
    out = pd.concat(parts, ignore_index=True)
    goal_targets = targets_for(std, goals, targets, goals_source)
    meta = pd.DataFrame(
        {
            "kpi": list(KPIS),
            "unit": [k.unit for k in KPIS.values()],
            "direction": [k.direction for k in KPIS.values()],
            "target": [goal_targets[c][0] for c in KPIS],
            "target_source": [goal_targets[c][1] for c in KPIS],
        }
    )
    out = out.merge(meta, on="kpi", how="left")
    # KPIs without a published target: the chain's own value of the same period is the reference
    chain_value = out.loc[out["store_id"] == CHAIN].set_index(["period", "kpi"])["value"]
    keyed = pd.MultiIndex.from_frame(out[["period", "kpi"]])
    fill = out["target"].isna()
    out.loc[fill, "target"] = chain_value.reindex(keyed).to_numpy()[fill.to_numpy()]
    higher = out["direction"].eq(">=")
    out["gap"] = np.where(higher, out["value"] - out["target"], out["target"] - out["value"])
    met = out["gap"] >= -1e-9
    out["met"] = pd.array(np.where(out["gap"].isna(), None, met), dtype="boolean")
    order = {code: k for k, code in enumerate(KPIS)}
    rank = {sid: k for k, sid in enumerate([*store_ids, CHAIN])}
    out = out.assign(
        _p=out["period"].map({p: k for k, p in enumerate(PERIODS)}),
        _s=out["store_id"].map(rank),
        _k=out["kpi"].map(order),
    ).sort_values(["_p", "_s", "_k"], kind="stable")
    out["store_id"] = out["store_id"].astype("str")
    return out[LONG_COLUMNS].reset_index(drop=True)


def _ensure(frame: pd.DataFrame, cols: Mapping[str, str]) -> pd.DataFrame:
    """An empty frame with the columns a period filter needs (for tables that are missing)."""
    if all(c in frame.columns for c in cols):
        return frame
    if len(frame):
        return frame  # a real table without those columns: the KPIs that need them fail clearly
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in cols.items()} | {c: frame[c] for c in frame.columns})


def kpi_wide(long: pd.DataFrame, *, period: str = "current", value: str = "value", chain: bool = True) -> pd.DataFrame:
    """Stores × KPIs (one row per store, one column per KPI) for one period.

    Parameters
    ----------
    long : output of :func:`store_kpis`
    period : ``"current"`` or ``"previous"``
    value : the column to spread (``value``, ``gap``, ``met`` ...)
    chain : keep the ``chain`` row (last)

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current"] * 2, "store_id": ["001", "001"], "kpi": ["nps", "csat"], "value": [10.0, 90.0]})
    >>> kpi_wide(long).columns.tolist()
    ['store_id', 'nps', 'csat']
    """
    part = long.loc[long["period"] == period]
    if not chain:
        part = part.loc[part["store_id"] != CHAIN]
    wide = part.pivot(index="store_id", columns="kpi", values=value)
    kpis = [k for k in dict.fromkeys(part["kpi"]) if k in wide.columns]
    stores = list(dict.fromkeys(part["store_id"]))
    wide = wide.reindex(index=stores, columns=kpis)
    wide.columns.name = None
    return wide.reset_index()


def kpi_targets(long: pd.DataFrame, *, period: str = "current") -> pd.DataFrame:
    """One row per KPI: unit, direction, target, its source, the chain's value and stores meeting it.

    Examples
    --------
    >>> long = pd.DataFrame({"period": ["current"] * 3, "store_id": ["001", "002", "chain"], "kpi": ["nps"] * 3,
    ...     "value": [10.0, 50.0, 30.0], "unit": ["points"] * 3, "direction": [">="] * 3, "target": [30.0] * 3,
    ...     "target_source": ["goals"] * 3, "met": pd.array([False, True, True], dtype="boolean")})
    >>> kpi_targets(long)[["kpi", "stores_met", "stores_measured", "chain_value"]].values.tolist()
    [['nps', 1, 2, 30.0]]
    """
    part = long.loc[long["period"] == period]
    stores = part.loc[part["store_id"] != CHAIN]
    counted = stores.assign(_met=stores["met"].fillna(False).astype(bool), _measured=stores["met"].notna())
    summary = counted.groupby("kpi", sort=False).agg(stores_met=("_met", "sum"), stores_measured=("_measured", "sum"))
    meta = part.drop_duplicates("kpi").set_index("kpi")[["unit", "direction", "target", "target_source"]]
    chain_value = part.loc[part["store_id"] == CHAIN].set_index("kpi")["value"].rename("chain_value")
    out = meta.join(chain_value).join(summary).reset_index()
    out[["stores_met", "stores_measured"]] = out[["stores_met", "stores_measured"]].fillna(0).astype("int64")
    out["stores_met_share"] = (100.0 * out["stores_met"] / out["stores_measured"]).where(out["stores_measured"] > 0)
    return out[
        [
            "kpi",
            "unit",
            "direction",
            "target",
            "target_source",
            "chain_value",
            "stores_met",
            "stores_measured",
            "stores_met_share",
        ]
    ]
