"""Loyalty from transactions: cohort retention, repeat-purchase rate and churn.

All three work on a transactions table (one row per purchase: customer, date, optionally store)
for the whole chain at once, with ``by`` columns (e.g. ``("store_id",)``) to split the result.

Definitions
-----------
Cohort retention
    A customer's cohort is the calendar month of his first purchase (within the group of
    ``by``).  Retention in month k is the share of the cohort buying at least once in the k-th
    calendar month after the cohort month (k = 0 is the cohort month itself, always 100 %).
    This is the classic acquisition-cohort table (e.g. Fader & Hardie 2007, "How to project
    customer retention", *Journal of Interactive Marketing* 21(1), for the contractual case;
    Gupta et al. 2006, "Modeling customer lifetime value", *Journal of Service Research* 9(2)).
    Months after ``period_end`` are not shown; the month containing ``period_end`` may be
    incomplete.
Repeat-purchase rate
    Share (%) of the customers buying in the period who bought at least twice in it.
Churn
    A customer who bought on or before ``period_end`` has churned when his last purchase is
    *more than* ``inactive_days`` days before ``period_end`` (exactly ``inactive_days`` days is
    still active).  The churn rate is the share (%) of churned customers.

Examples
--------
>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-05", "2026-02-10", "2026-01-20"]})
>>> cohort_retention(tx)[["cohort", "months_since", "cohort_size", "active", "retention"]]
    cohort  months_since  cohort_size  active  retention
0  2026-01             0            2       2      100.0
1  2026-01             1            2       1       50.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kit.core.errors import ParameterError, Text
from kit.core.frames import as_timestamp, by_list, parse_dates, require_column, safe_div

__all__ = ["churn_rate", "churn_status", "cohort_matrix", "cohort_retention", "repeat_purchase_rate"]


def _bad_param(name: str, value: Any, rule: str) -> ParameterError:
    return ParameterError.from_key(
        "loyalty.error.bad_parameter", column=name, name=name, value=repr(value), rule=Text(f"loyalty.rule.{rule}")
    )


def _prepare(
    transactions: pd.DataFrame, customer_col: str, date_col: str, by: Sequence[str]
) -> tuple[list[str], pd.DataFrame]:
    keys = by_list(transactions, by, "loyalty")
    require_column(transactions, customer_col, "loyalty")
    require_column(transactions, date_col, "loyalty")
    frame = pd.DataFrame({k: transactions[k] for k in keys} | {customer_col: transactions[customer_col]})
    frame["_day"] = parse_dates(transactions[date_col], date_col, "loyalty").dt.normalize()
    return keys, frame


def _month_index(days: pd.Series) -> np.ndarray:
    return (days.dt.year * 12 + days.dt.month - 1).to_numpy(dtype="int64")


def _month_label(index: np.ndarray) -> np.ndarray:
    if len(index) == 0:
        return np.array([], dtype=str)
    years, months = np.divmod(index, 12)
    return np.char.add(np.char.add(years.astype(str), "-"), np.char.zfill((months + 1).astype(str), 2))


def _end(value: Any, days: pd.Series, name: str = "period_end") -> pd.Timestamp:
    if value is None:
        return days.max() if len(days) else pd.NaT
    return _timestamp_loyalty(value, name)


def _timestamp_loyalty(value: Any, name: str) -> pd.Timestamp:
    try:
        return as_timestamp(value, name).normalize()
    except ParameterError:
        raise _bad_param(name, value, "date") from None


def cohort_retention(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    by: Sequence[str] = (),
    period_end: Any = None,
    max_months: int | None = None,
) -> pd.DataFrame:
    """Retention by monthly acquisition cohort, as a tidy table.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer_col, date_col : str
        Column names (dates as ``YYYY-MM-DD`` text or datetimes).
    by : sequence of str
        Grouping, e.g. ``("store_id",)``: cohorts and purchases are then counted per store.
    period_end : date-like, optional
        Last day observed (later purchases are ignored); defaults to the latest purchase.
    max_months : int, optional
        Show months since first purchase up to this k only.

    Returns
    -------
    DataFrame
        ``by`` columns, ``cohort`` ("YYYY-MM"), ``months_since`` (k = 0, 1, …), ``cohort_size``,
        ``active`` (cohort customers buying in month k) and ``retention`` (%).  Every month from
        the cohort month to the month of ``period_end`` is listed, with 0 where nobody bought.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "date": ["2026-01-03", "2026-01-09", "2026-03-01"]})
    >>> cohort_retention(tx)["retention"].tolist()
    [100.0, 0.0, 50.0]
    """
    if max_months is not None and (
        isinstance(max_months, bool) or not isinstance(max_months, (int, np.integer)) or max_months < 0
    ):
        raise _bad_param("max_months", max_months, "months")
    keys, frame = _prepare(transactions, customer_col, date_col, by)
    end = _end(period_end, frame["_day"])
    frame = frame[frame["_day"] <= end] if pd.notna(end) else frame.iloc[:0]
    frame = frame.assign(_month=_month_index(frame["_day"]))
    ids = keys + [customer_col]
    frame["_cohort"] = frame.groupby(ids, sort=False, observed=True, dropna=False)["_month"].transform("min")
    frame["_k"] = frame["_month"] - frame["_cohort"]
    buyers = frame[ids + ["_cohort", "_k"]].drop_duplicates()
    active = (
        buyers.groupby(keys + ["_cohort", "_k"], sort=True, observed=True, dropna=False)
        .size()
        .rename("active")
        .reset_index()
    )
    sizes = active[active["_k"] == 0].rename(columns={"active": "cohort_size"}).drop(columns="_k")
    last = int(_month_index(pd.Series([end]))[0]) if pd.notna(end) else 0
    span = last - sizes["_cohort"].to_numpy(dtype="int64") + 1
    if max_months is not None:
        span = np.minimum(span, max_months + 1)
    grid = sizes.loc[sizes.index.repeat(span)].reset_index(drop=True)
    grid["_k"] = np.arange(len(grid)) - np.repeat(np.cumsum(span) - span, span)
    out = grid.merge(active, on=keys + ["_cohort", "_k"], how="left")
    out["active"] = out["active"].fillna(0).astype("int64")
    out["cohort"] = _month_label(out["_cohort"].to_numpy(dtype="int64"))
    out["months_since"] = out["_k"].astype("int64")
    out["cohort_size"] = out["cohort_size"].astype("int64")
    out["retention"] = 100 * safe_div(out["active"], out["cohort_size"])
    return out[keys + ["cohort", "months_since", "cohort_size", "active", "retention"]].reset_index(drop=True)


def cohort_matrix(retention: pd.DataFrame, value: str = "retention", by: Sequence[str] = ()) -> pd.DataFrame:
    """Pivot a :func:`cohort_retention` table into the usual triangle (cohorts × months since).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "date": ["2026-01-03", "2026-02-09", "2026-02-01"]})
    >>> cohort_matrix(cohort_retention(tx))  # doctest: +NORMALIZE_WHITESPACE
    months_since      0      1
    cohort
    2026-01       100.0  100.0
    2026-02       100.0    NaN
    """
    index = list(by) + ["cohort"]
    return retention.pivot(index=index, columns="months_since", values=value)


def repeat_purchase_rate(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    by: Sequence[str] = (),
    start: Any = None,
    end: Any = None,
    distinct_days: bool = False,
) -> pd.DataFrame:
    """Share of customers with at least two purchases in the period [start, end].

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    customer_col, date_col : str
        Column names.
    by : sequence of str
        Grouping, e.g. ``("store_id",)``.
    start, end : date-like, optional
        First and last day of the period (inclusive); default: all transactions.
    distinct_days : bool
        Count purchase days instead of transactions (two receipts on one day = one purchase).

    Returns
    -------
    DataFrame
        ``by`` columns, ``customers`` (buying in the period), ``repeat_customers`` (≥ 2
        purchases) and ``repeat_rate`` (%).  No customer → ``customers = 0``, NaN rate.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c"], "date": ["2026-01-01", "2026-01-20", "2026-01-05", "2026-01-06"]})
    >>> repeat_purchase_rate(tx).round(1)
       customers  repeat_customers  repeat_rate
    0          3                 1         33.3
    """
    keys, frame = _prepare(transactions, customer_col, date_col, by)
    if start is not None:
        frame = frame[frame["_day"] >= _timestamp_loyalty(start, "start")]
    if end is not None:
        frame = frame[frame["_day"] <= _timestamp_loyalty(end, "end")]
    ids = keys + [customer_col]
    if distinct_days:
        frame = frame.drop_duplicates(ids + ["_day"])
    per_customer = frame.groupby(ids, sort=True, observed=True, dropna=False).size().rename("_n").reset_index()
    per_customer["_repeat"] = (per_customer["_n"] >= 2).astype("int64")
    per_customer["_one"] = 1
    if keys:
        out = (
            per_customer.groupby(keys, sort=True, observed=True, dropna=False)[["_one", "_repeat"]].sum().reset_index()
        )
    else:
        out = pd.DataFrame({"_one": [int(per_customer["_one"].sum())], "_repeat": [int(per_customer["_repeat"].sum())]})
    out = out.rename(columns={"_one": "customers", "_repeat": "repeat_customers"})
    out["repeat_rate"] = 100 * safe_div(out["repeat_customers"], out["customers"])
    return out[keys + ["customers", "repeat_customers", "repeat_rate"]]


def churn_status(
    transactions: pd.DataFrame,
    period_end: Any = None,
    inactive_days: int = 90,
    customer_col: str = "customer_id",
    date_col: str = "date",
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Per customer: last purchase, days since it at ``period_end``, and whether he has churned.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase.
    period_end : date-like, optional
        The reference day; later purchases are ignored.  Defaults to the latest purchase.
    inactive_days : int
        N: a customer has churned when his last purchase is more than N days before
        ``period_end``.
    customer_col, date_col, by
        As in :func:`cohort_retention`.

    Returns
    -------
    DataFrame
        ``by`` columns, ``customer_col``, ``last_purchase``, ``days_since``, ``churned``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2026-01-01", "2026-03-01"]})
    >>> churn_status(tx, period_end="2026-03-31", inactive_days=30)[["customer_id", "days_since", "churned"]]
      customer_id  days_since  churned
    0           a          89     True
    1           b          30    False
    """
    if isinstance(inactive_days, bool) or not isinstance(inactive_days, (int, np.integer)) or inactive_days < 0:
        raise _bad_param("inactive_days", inactive_days, "days")
    keys, frame = _prepare(transactions, customer_col, date_col, by)
    end = _end(period_end, frame["_day"])
    frame = frame[frame["_day"] <= end] if pd.notna(end) else frame.iloc[:0]
    ids = keys + [customer_col]
    out = frame.groupby(ids, sort=True, observed=True, dropna=False)["_day"].max().rename("last_purchase").reset_index()
    out["days_since"] = (
        (end - out["last_purchase"]).dt.days.to_numpy(dtype="int64") if len(out) else np.array([], dtype="int64")
    )
    out["churned"] = out["days_since"] > inactive_days
    return out


def churn_rate(
    transactions: pd.DataFrame,
    period_end: Any = None,
    inactive_days: int = 90,
    customer_col: str = "customer_id",
    date_col: str = "date",
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Churned customers and churn rate (%) per group (see :func:`churn_status`).

    Returns
    -------
    DataFrame
        ``by`` columns, ``customers``, ``churned``, ``churn_rate`` (%).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "b"], "date": ["2026-01-01", "2026-03-01"]})
    >>> churn_rate(tx, period_end="2026-03-31", inactive_days=30)
       customers  churned  churn_rate
    0          2        1        50.0
    """
    keys = by_list(transactions, by, "loyalty")
    status = churn_status(transactions, period_end, inactive_days, customer_col, date_col, keys)
    status["_one"] = 1
    status["_churned"] = status["churned"].astype("int64")
    if keys:
        out = status.groupby(keys, sort=True, observed=True, dropna=False)[["_one", "_churned"]].sum().reset_index()
    else:
        out = pd.DataFrame({"_one": [int(status["_one"].sum())], "_churned": [int(status["_churned"].sum())]})
    out = out.rename(columns={"_one": "customers", "_churned": "churned"})
    out["churn_rate"] = 100 * safe_div(out["churned"], out["customers"])
    return out[keys + ["customers", "churned", "churn_rate"]]
