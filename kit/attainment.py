"""SLA attainment broken down by store, tier, channel, category and month, with its trend.

Attainment is ``met / (met + breached)`` (the helpdesk definition of an SLA's achievement rate,
e.g. Zendesk's "SLA achievement"); tickets still open and not yet due ("at risk") are left out
and open tickets past their target count as breached, never as met -- the statuses come from
:func:`kit.audit.sla_status`.  Everything here is a ``groupby`` over the whole status table, so
the same call serves one store's report and the whole chain.

Besides the rate, each group gets

* ``required`` -- the strictest required attainment of the rules behind the group's tickets, and
  ``gap = (attainment - required) x 100`` in percentage points (negative = short);
* ``shortfall`` -- the tickets that would have had to be met to reach the requirement:
  ``max(0, sum(required_i) - met)`` over the decided tickets (= ``-gap x decided / 100`` when one
  rule applies).  This is the *impact* used to rank findings (:mod:`kit.findings`);
* the **trend**: ``slope`` of the monthly attainment (ordinary least squares on the month
  number, in points per month, months with at least one decided ticket, three months or more),
  and ``recent`` vs ``previous`` -- the pooled attainment of the last ``window`` months of the
  table against the ``window`` months before (the same calendar months for every group), their
  ``change`` in points, and ``trend`` = ``improving`` / ``declining`` when the change is at least
  ``min_change`` points *and* a two-proportion z-test gives p < 0.05, ``stable`` otherwise,
  missing when either window has no decided ticket.

Examples
--------
>>> import pandas as pd
>>> status = pd.DataFrame({
...     "store_id": ["001"] * 4 + ["002"] * 2,
...     "created_at": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05", "2026-03-06",
...                                   "2026-01-05", "2026-03-05"]),
...     "status": ["breached", "met", "met", "at_risk", "met", "breached"],
...     "required_attainment": 0.95,
... })
>>> table = attainment_table(status, by=["store_id"], window=1)
>>> table[["store_id", "met", "breached", "attainment", "shortfall"]].to_dict("records")[0]
{'store_id': '001', 'met': 2, 'breached': 1, 'attainment': 0.6666666666666666, 'shortfall': 0.85}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

#: The breakdowns the audit reports, in this order.
DIMENSIONS = ("store_id", "tier", "channel", "category", "month")
TRENDS = ("improving", "stable", "declining")


def with_month(status: pd.DataFrame, *, time_col: str = "created_at", month_col: str = "month") -> pd.DataFrame:
    """``status`` plus a ``month`` column (``YYYY-MM`` of the creation time) unless it has one."""
    if month_col in status.columns:
        return status
    return status.assign(**{month_col: status[time_col].dt.strftime("%Y-%m")})


def _flags(status: pd.DataFrame, keys: list[str], month_col: str | None) -> pd.DataFrame:
    """Per row: met / breached / at_risk as 0-1 and the required share counted on decided rows."""
    state = status["status"].to_numpy()
    met = state == "met"
    breached = state == "breached"
    required = status["required_attainment"].to_numpy(dtype=float)
    decided = met | breached
    cols = {
        "met": met.astype(np.int64),
        "breached": breached.astype(np.int64),
        "at_risk": (state == "at_risk").astype(np.int64),
        "expected": np.where(decided, np.nan_to_num(required), 0.0),
        "required": np.where(np.isin(state, ("met", "breached", "at_risk")), required, np.nan),
    }
    flags = pd.DataFrame(cols, index=status.index)
    for key in keys:
        flags[key] = status[key].to_numpy()
    if month_col is not None and month_col not in keys:
        flags[month_col] = status[month_col].to_numpy()
    return flags


def _totals(flags: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    sums = {"met": ("met", "sum"), "breached": ("breached", "sum"), "at_risk": ("at_risk", "sum"),
            "expected": ("expected", "sum"), "required": ("required", "max")}
    if keys:
        return flags.groupby(keys, observed=True, dropna=False, sort=True).agg(**sums).reset_index()
    return pd.DataFrame({name: [getattr(flags[col], how)()] for name, (col, how) in sums.items()})


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    out["decided"] = out["met"] + out["breached"]
    out["attainment"] = (out["met"] / out["decided"]).where(out["decided"] > 0)
    out["gap"] = (out["attainment"] - out["required"]) * 100
    out["shortfall"] = (out["expected"] - out["met"]).clip(lower=0).round(6)
    return out


def monthly_attainment(status: pd.DataFrame, by: Sequence[str] = (), *, time_col: str = "created_at") -> pd.DataFrame:
    """Attainment per ``by`` group and creation month (``YYYY-MM``), months in order.

    Returns
    -------
    DataFrame ``[*by, month, met, breached, at_risk, decided, attainment, required, gap, shortfall]``.
    """
    keys = [*by, "month"]
    flags = _flags(with_month(status, time_col=time_col), keys, None)
    out = _finish(_totals(flags, keys))
    return out[[*keys, "met", "breached", "at_risk", "decided", "attainment", "required", "gap", "shortfall"]]


def _trend(flags: pd.DataFrame, keys: list[str], month_col: str, window: int, min_change: float) -> pd.DataFrame:
    """Slope and recent-vs-previous comparison per group (one groupby, no loop over groups)."""
    per_month = _totals(flags, [*keys, month_col])
    per_month = per_month[per_month["met"] + per_month["breached"] > 0]
    months = pd.PeriodIndex(per_month[month_col].astype(str), freq="M")
    per_month = per_month.assign(
        _x=(months.year * 12 + months.month).to_numpy(dtype=float),  # shifted below for precision
        _y=(per_month["met"] / (per_month["met"] + per_month["breached"])).to_numpy() * 100,
    )
    every = flags[month_col].dropna().astype(str)
    last = pd.Period(every.max(), "M") if len(every) else None
    last_x = float(last.year * 12 + last.month) if last is not None else 0.0
    per_month["_x"] = per_month["_x"] - last_x  # months before the last one: 0, -1, -2, ...
    per_month["_xy"] = per_month["_x"] * per_month["_y"]
    per_month["_xx"] = per_month["_x"] ** 2
    if last is not None:
        age = -per_month["_x"]
        per_month["_win"] = np.select([age < window, age < 2 * window], ["recent", "previous"], "")
    else:
        per_month["_win"] = ""
    for name in ("recent", "previous"):
        inside = per_month["_win"] == name
        per_month[f"_{name}_met"] = np.where(inside, per_month["met"], 0)
        per_month[f"_{name}_n"] = np.where(inside, per_month["met"] + per_month["breached"], 0)
    agg = {c: (c, "sum") for c in ("_x", "_y", "_xy", "_xx", "_recent_met", "_recent_n", "_previous_met", "_previous_n")}
    agg["_k"] = ("_x", "size")
    if keys:
        g = per_month.groupby(keys, observed=True, dropna=False).agg(**agg).reset_index()
    else:
        g = pd.DataFrame({name: [per_month[col].sum() if how == "sum" else len(per_month)] for name, (col, how) in agg.items()})
    k = g["_k"].astype(float)
    denom = k * g["_xx"] - g["_x"] ** 2
    g["slope"] = ((k * g["_xy"] - g["_x"] * g["_y"]) / denom).where((k >= 3) & (denom > 0))
    rn, pn = g["_recent_n"].astype(float), g["_previous_n"].astype(float)
    recent = (g["_recent_met"] / rn).where(rn > 0)
    previous = (g["_previous_met"] / pn).where(pn > 0)
    pooled = (g["_recent_met"] + g["_previous_met"]) / (rn + pn)
    se = np.sqrt(pooled * (1 - pooled) * (1 / rn + 1 / pn))
    change = (recent - previous) * 100
    with np.errstate(divide="ignore", invalid="ignore"):
        z = ((recent - previous) / se).where(se > 0, 0.0)
    p = pd.Series(2 * norm.sf(np.abs(z.to_numpy(dtype=float))), index=g.index)
    moved = (change.abs() >= min_change) & (p < 0.05)
    trend = np.where(moved & (change > 0), "improving", np.where(moved & (change < 0), "declining", "stable"))
    g["recent"], g["previous"], g["change"], g["p_value"] = recent, previous, change, p.where(change.notna())
    g["trend"] = pd.Series(trend, index=g.index, dtype="string").where(change.notna())
    if last is not None:
        g["recent_from"] = str(last - (window - 1))
        g["previous_from"] = str(last - (2 * window - 1))
    else:
        g["recent_from"] = g["previous_from"] = pd.NA
    return g[[*keys, "slope", "recent", "previous", "change", "p_value", "trend", "recent_from", "previous_from"]]


def attainment_table(
    status: pd.DataFrame,
    by: Sequence[str] = (),
    *,
    time_col: str = "created_at",
    window: int = 3,
    min_change: float = 2.0,
) -> pd.DataFrame:
    """SLA attainment per group with the gap to the requirement, the shortfall and the trend.

    Parameters
    ----------
    status : DataFrame
        Output of :func:`kit.audit.sla_status` (one store or the whole chain).
    by : sequence of str
        Grouping columns, e.g. ``("store_id", "channel")``; ``"month"`` is derived from
        ``time_col`` when asked for.  Empty for one overall row.
    window : int
        Months in the "recent" and the "previous" windows of the trend (3 = last quarter
        against the one before).
    min_change : float
        Smallest change in points called a trend (it must also be significant, p < 0.05).

    Returns
    -------
    DataFrame
        ``[*by, met, breached, at_risk, decided, attainment, required, gap, shortfall, slope,
        recent, previous, change, p_value, trend, recent_from, previous_from]`` -- see the module
        docstring.  Groups by month get no trend of their own (NaN).

    Examples
    --------
    >>> s = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-01", "2026-01-02"]),
    ...                   "status": ["met", "breached"], "required_attainment": [0.9, 0.9]})
    >>> attainment_table(s)[["attainment", "gap", "shortfall"]].iloc[0].round(2).tolist()
    [0.5, -40.0, 0.8]
    """
    keys = list(by)
    status = with_month(status, time_col=time_col)
    flags = _flags(status, keys, "month")
    out = _finish(_totals(flags, keys))
    if "month" in keys:  # a month has no trend of its own
        for col in ("slope", "recent", "previous", "change", "p_value"):
            out[col] = np.nan
        for col in ("trend", "recent_from", "previous_from"):
            out[col] = pd.Series(pd.NA, index=out.index, dtype="string")
    elif keys:
        out = out.merge(_trend(flags, keys, "month", window, min_change), on=keys, how="left")
    else:
        out = pd.concat([out, _trend(flags, keys, "month", window, min_change)], axis=1)
    return out[[*keys, "met", "breached", "at_risk", "decided", "attainment", "required", "gap", "shortfall", "slope",
                "recent", "previous", "change", "p_value", "trend", "recent_from", "previous_from"]]


def attainment_breakdowns(
    statuses: Mapping[str, pd.DataFrame],
    dimensions: Sequence[str] = DIMENSIONS,
    *,
    time_col: str = "created_at",
    window: int = 3,
    min_change: float = 2.0,
) -> pd.DataFrame:
    """Attainment of every metric broken down by each dimension, stacked in one long table.

    Parameters
    ----------
    statuses : mapping metric -> status table
        E.g. ``{"first_response": ..., "resolution": ...}`` from :func:`kit.audit.sla_status`.
    dimensions : sequence of str
        One breakdown per dimension (default store, tier, channel, category and month); a
        dimension missing from a status table is skipped.

    Returns
    -------
    DataFrame ``[metric, dimension, group, ...]`` with the columns of :func:`attainment_table`,
    ``group`` holding the code (store id, tier, ...) as text.

    Examples
    --------
    >>> s = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-01", "2026-01-02"]), "tier": ["urgent", "normal"],
    ...                   "status": ["met", "breached"], "required_attainment": [0.95, 0.95]})
    >>> b = attainment_breakdowns({"first_response": s}, ["tier"])
    >>> b[["dimension", "group", "attainment"]].values.tolist()
    [['tier', 'normal', 0.0], ['tier', 'urgent', 1.0]]
    """
    parts = []
    for metric, status in statuses.items():
        status = with_month(status, time_col=time_col)
        for dim in dimensions:  # a handful of groupbys, each over the whole table
            if dim not in status.columns:
                continue
            table = attainment_table(status, [dim], time_col=time_col, window=window, min_change=min_change)
            table = table.rename(columns={dim: "group"})
            table["group"] = table["group"].astype("string")
            table.insert(0, "dimension", dim)
            table.insert(0, "metric", metric)
            parts.append(table)
    if not parts:
        return pd.DataFrame(columns=["metric", "dimension", "group"])
    return pd.concat(parts, ignore_index=True)
