"""SLA attainment broken down by store, tier, channel, category and month, with its trend.

Attainment is ``met / (met + breached)`` (the helpdesk definition of an SLA's achievement rate,
e.g. Zendesk's "SLA achievement"); tickets still open and not yet due ("at risk") are left out
and open tickets past their target count as breached, never as met -- the statuses come from
:func:`kit.audit.measures.sla_status`.  Everything here is a ``groupby`` over the whole status table, so
the same call serves one store's report and the whole chain.

Besides the rate, each group gets

* ``required`` -- the strictest required attainment of the rules behind the group's tickets, and
  ``gap = (attainment - required) x 100`` in percentage points (negative = short);
* ``shortfall`` -- the tickets that would have had to be met to reach the requirement:
  ``max(0, sum(required_i) - met)`` over the decided tickets (= ``-gap x decided / 100`` when one
  rule applies).  This is the *impact* used to rank findings (:mod:`kit.audit.findings`);
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

__all__ = [
    "DIMENSIONS",
    "TRENDS",
    "attainment_breakdowns",
    "attainment_table",
    "monthly_attainment",
    "with_month",
]

#: The breakdowns the audit reports, in this order.
DIMENSIONS = ("store_id", "tier", "channel", "category", "month")
TRENDS = ("improving", "stable", "declining")
_NAT_MONTH = np.iinfo(np.int64).min


def _month_numbers(times: pd.Series) -> np.ndarray:
    """Months since 1970-01 of each timestamp (int64; NaT -> a sentinel), without formatting text."""
    values = times.to_numpy(dtype="datetime64[ns]")
    months = values.astype("datetime64[M]").astype(np.int64)
    return np.where(np.isnat(values), _NAT_MONTH, months)


def _month_text(numbers: np.ndarray) -> np.ndarray:
    """``YYYY-MM`` for month numbers (only the distinct ones are formatted)."""
    uniq, inverse = np.unique(numbers, return_inverse=True)
    text = np.array([str(np.datetime64(int(u), "M")) if u != _NAT_MONTH else "" for u in uniq], dtype=object)
    return text[inverse]


def with_month(status: pd.DataFrame, *, time_col: str = "created_at", month_col: str = "month") -> pd.DataFrame:
    """``status`` plus a ``month`` column (``YYYY-MM`` of the creation time) unless it has one."""
    if month_col in status.columns:
        return status
    return status.assign(**{month_col: _month_text(_month_numbers(status[time_col]))})


def _key_codes(status: pd.DataFrame, key: str, month: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted integer codes of one grouping column and its distinct values (month derived if absent)."""
    if key == "month" and key not in status.columns:
        uniq, codes = np.unique(month, return_inverse=True)
        return codes.astype(np.int64), _month_text(uniq)
    codes, uniques = pd.factorize(status[key], sort=True, use_na_sentinel=False)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _groups(status: pd.DataFrame, keys: list[str], month: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    """Per row the id of its group (0..G-1, groups in key order) and the keys of every group."""
    n = len(status)
    if not keys:
        return np.zeros(n, dtype=np.int64), pd.DataFrame(index=range(1))
    combined = np.zeros(n, dtype=np.int64)
    values = []
    for key in keys:  # a mixed-radix number over the keys' codes: one np.unique for all of them
        codes, uniques = _key_codes(status, key, month)
        combined = combined * max(len(uniques), 1) + codes
        values.append((key, codes, uniques))
    if len(values) == 1:  # one key: its sorted codes already number the groups
        key, codes, uniques = values[0]
        used = np.bincount(codes, minlength=len(uniques)) > 0
        if used.all():
            return codes, pd.DataFrame({key: uniques})
    present, ids = np.unique(combined, return_inverse=True)
    first = np.zeros(len(present), dtype=np.int64)
    first[ids[::-1]] = np.arange(n - 1, -1, -1)  # a row of each group
    frame = pd.DataFrame({key: uniques[codes[first]] for key, codes, uniques in values})
    return ids.astype(np.int64), frame


def _counts(status: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per row: met / breached / at_risk (0-1), the required share of decided rows, the requirement."""
    state = status["status"]
    if isinstance(state.dtype, pd.CategoricalDtype):  # compare small integer codes, not text
        codes = state.cat.codes.to_numpy()
        cats = list(state.cat.categories)
        met, breached, at_risk = (
            (codes == cats.index(s)) if s in cats else np.zeros(len(codes), bool)
            for s in ("met", "breached", "at_risk")
        )
    else:
        values = state.to_numpy(dtype=object)
        met, breached, at_risk = values == "met", values == "breached", values == "at_risk"
    required = status["required_attainment"].to_numpy(dtype=float)
    decided = met | breached
    return {
        "met": met,
        "breached": breached,
        "at_risk": at_risk,
        "expected": np.where(decided, np.nan_to_num(required), 0.0),
        "required": np.where(decided | at_risk, required, np.nan),
    }


def _sum(ids: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(ids, weights=weights, minlength=size)


def _table(counts: dict[str, np.ndarray], ids: np.ndarray, keys: pd.DataFrame) -> pd.DataFrame:
    size = len(keys)
    out = keys.copy()
    for col in ("met", "breached", "at_risk"):
        out[col] = _sum(ids, counts[col], size).astype(np.int64)
    out["expected"] = _sum(ids, counts["expected"], size)
    out["required"] = pd.Series(counts["required"]).groupby(ids).max().reindex(range(size)).to_numpy() if size else []
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
    ids, groups = _groups(status, keys, _month_numbers(status[time_col]))
    out = _table(_counts(status), ids, groups)
    return out[[*keys, "met", "breached", "at_risk", "decided", "attainment", "required", "gap", "shortfall"]]


def _trend(
    counts: dict[str, np.ndarray], ids: np.ndarray, size: int, month: np.ndarray, window: int, min_change: float
) -> pd.DataFrame:
    """Slope and recent-vs-previous comparison per group: a (group x month) grid of counts, no loop."""
    valid = month != _NAT_MONTH
    nan = np.full(size, np.nan)
    if not valid.any():
        return pd.DataFrame(
            {
                "slope": nan,
                "recent": nan,
                "previous": nan,
                "change": nan,
                "p_value": nan,
                "trend": pd.array([pd.NA] * size, dtype="string"),
                "recent_from": pd.array([pd.NA] * size, dtype="string"),
                "previous_from": pd.array([pd.NA] * size, dtype="string"),
            }
        )
    last = int(month[valid].max())
    first = int(month[valid].min())
    width = last - first + 1
    cell = ids[valid] * width + (month[valid] - first)
    met = _sum(cell, counts["met"][valid], size * width).reshape(size, width)
    dec = met + _sum(cell, counts["breached"][valid], size * width).reshape(size, width)
    x = np.arange(first, last + 1, dtype=float) - last  # 0 for the last month, -1 before, ...
    has = dec > 0
    y = np.divide(met, dec, out=np.zeros_like(met), where=has) * 100
    k = has.sum(axis=1).astype(float)
    sx, sy = (has * x).sum(axis=1), (has * y).sum(axis=1)
    sxy, sxx = (has * x * y).sum(axis=1), (has * x * x).sum(axis=1)
    denom = k * sxx - sx**2
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where((k >= 3) & (denom > 0), (k * sxy - sx * sy) / denom, np.nan)
        age = -x
        rec, prev = age < window, (age >= window) & (age < 2 * window)
        rm, rn = met[:, rec].sum(axis=1), dec[:, rec].sum(axis=1)
        pm, pn = met[:, prev].sum(axis=1), dec[:, prev].sum(axis=1)
        recent = np.where(rn > 0, rm / rn, np.nan)
        previous = np.where(pn > 0, pm / pn, np.nan)
        pooled = (rm + pm) / (rn + pn)
        se = np.sqrt(pooled * (1 - pooled) * (1 / rn + 1 / pn))
        z = np.where(se > 0, (recent - previous) / se, 0.0)
    change = (recent - previous) * 100
    p = np.where(np.isnan(change), np.nan, 2 * norm.sf(np.abs(np.nan_to_num(z))))
    moved = (np.abs(change) >= min_change) & (p < 0.05)
    trend = np.where(moved & (change > 0), "improving", np.where(moved & (change < 0), "declining", "stable"))
    trend = pd.array(np.where(np.isnan(change), None, trend), dtype="string")
    return pd.DataFrame(
        {
            "slope": slope,
            "recent": recent,
            "previous": previous,
            "change": change,
            "p_value": p,
            "trend": trend,
            "recent_from": pd.array([str(np.datetime64(last - window + 1, "M"))] * size, dtype="string"),
            "previous_from": pd.array([str(np.datetime64(last - 2 * window + 1, "M"))] * size, dtype="string"),
        }
    )


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
        Output of :func:`kit.audit.measures.sla_status` (one store or the whole chain).
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
    month = _month_numbers(status[time_col])
    return _attainment(status, list(by), _counts(status), month, window, min_change)


def _attainment(
    status: pd.DataFrame,
    keys: list[str],
    counts: dict[str, np.ndarray],
    month: np.ndarray,
    window: int,
    min_change: float,
) -> pd.DataFrame:
    ids, groups = _groups(status, keys, month)
    out = _table(counts, ids, groups)
    trend = _trend(counts, ids, len(out), month, window, min_change)
    if "month" in keys:  # a month has no trend of its own
        for col in ("slope", "recent", "previous", "change", "p_value"):
            trend[col] = np.nan
        for col in ("trend", "recent_from", "previous_from"):
            trend[col] = pd.array([pd.NA] * len(out), dtype="string")
    out = pd.concat([out.reset_index(drop=True), trend], axis=1)
    return out[
        [
            *keys,
            "met",
            "breached",
            "at_risk",
            "decided",
            "attainment",
            "required",
            "gap",
            "shortfall",
            "slope",
            "recent",
            "previous",
            "change",
            "p_value",
            "trend",
            "recent_from",
            "previous_from",
        ]
    ]


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
        E.g. ``{"first_response": ..., "resolution": ...}`` from :func:`kit.audit.measures.sla_status`.
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
        counts, month = _counts(status), _month_numbers(status[time_col])  # once per metric
        for dim in dimensions:  # a handful of group sums, each over the whole table
            if dim not in status.columns and dim != "month":
                continue
            table = _attainment(status, [dim], counts, month, window, min_change)
            table = table.rename(columns={dim: "group"})
            table["group"] = table["group"].astype("string")
            table.insert(0, "dimension", dim)
            table.insert(0, "metric", metric)
            parts.append(table)
    if not parts:
        return pd.DataFrame(columns=["metric", "dimension", "group"])
    return pd.concat(parts, ignore_index=True)
