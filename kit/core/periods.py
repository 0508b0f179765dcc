"""Periods: the rows of a period, and the previous period of equal length."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

__all__ = ["filter_period", "previous_period"]


def filter_period(
    frame: pd.DataFrame,
    start: pd.Timestamp | str,
    end: pd.Timestamp | str,
    *,
    time_col: str = "created_at",
    store_id: str | None = None,
    store_col: str = "store_id",
) -> pd.DataFrame:
    """Rows whose ``time_col`` falls on a day from ``start`` to ``end`` (both inclusive).

    Optionally only the rows of one store.

    Examples
    --------
    >>> f = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-31 23:59", "2026-02-01 00:00"]), "store_id": ["001", "001"]})
    >>> len(filter_period(f, "2026-01-01", "2026-01-31"))
    1
    """
    lo = pd.Timestamp(start).normalize()
    hi = pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
    mask = (frame[time_col] >= lo) & (frame[time_col] < hi)
    if store_id is not None:
        mask &= frame[store_col] == store_id
    return frame.loc[mask]


def previous_period(start: Any, end: Any) -> tuple[date, date]:
    """The period of equal length that ends the day before ``start`` (dates or ISO text).

    Examples
    --------
    >>> previous_period(date(2026, 3, 1), date(2026, 3, 31))
    (datetime.date(2026, 1, 29), datetime.date(2026, 2, 28))
    >>> previous_period("2026-01-01", "2026-12-31")
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    """
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    prev_end = s - pd.Timedelta(days=1)
    return (prev_end - (e - s)).date(), prev_end.date()
