"""Small helpers over pandas tables shared by every stage: column checks, grouped sums, safe division."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from kit.core.errors import DataError, ParameterError, Text

__all__ = ["as_timestamp", "by_list", "examples", "group_sums", "parse_dates", "require_column", "safe_div", "z_value"]


def _missing(module: str, col: str) -> DataError:
    return DataError.from_key(f"{module}.error.missing_column", hint=f"{module}.hint.missing_column", column=col)


def by_list(frame: pd.DataFrame, by: Sequence[str] | str | None, module: str = "survey") -> list[str]:
    """``by`` as a list of columns of ``frame`` (a missing one raises, with ``<module>``'s wording).

    Examples
    --------
    >>> by_list(pd.DataFrame({"a": [1]}), "a")
    ['a']
    """
    if by is None:
        return []
    cols = [by] if isinstance(by, str) else list(by)
    for col in cols:
        if col not in frame.columns:
            raise _missing(module, col)
    return cols


def require_column(frame: pd.DataFrame, col: str, module: str = "survey") -> None:
    """Raise :class:`DataError` (``<module>.error.missing_column``) when ``frame`` has no ``col``."""
    if col not in frame.columns:
        raise _missing(module, col)


def examples(series: pd.Series, mask: np.ndarray, k: int = 3) -> str:
    """The first ``k`` values of ``series`` where ``mask`` holds, with their index, for a message.

    Examples
    --------
    >>> examples(pd.Series(["a", "b"]), np.array([False, True]))
    "'b' [1]"
    """
    bad = series[mask]
    return ", ".join(f"{v!r} [{i!r}]" for i, v in list(bad.items())[:k])


def group_sums(keys: pd.DataFrame, sums: dict[str, np.ndarray], by: list[str]) -> pd.DataFrame:
    """Sum the arrays in ``sums`` per group of ``by`` (one row, no key columns, when ``by`` is empty)."""
    data = pd.DataFrame(sums, index=keys.index)
    if not by:
        return pd.DataFrame({name: [data[name].sum()] for name in sums})
    data = pd.concat([keys[by], data], axis=1)
    return data.groupby(by, sort=True, dropna=False, observed=True)[list(sums)].sum().reset_index()


def z_value(conf: float) -> float:
    """The two-sided normal quantile of confidence ``conf`` (1.96 for 0.95).

    Examples
    --------
    >>> round(z_value(0.95), 3)
    1.96
    """
    return float(ndtri(1 - (1 - conf) / 2))


def safe_div(num: Any, den: Any) -> np.ndarray:
    """``num / den`` element-wise, NaN where ``den`` is not positive (no warnings).

    Examples
    --------
    >>> safe_div([1, 2], [2, 0]).tolist()
    [0.5, nan]
    """
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def parse_dates(series: pd.Series, column: str, module: str = "clv") -> pd.Series:
    """``series`` as naive timestamps (ISO text or datetimes); an unreadable value raises ``<module>.error.bad_dates``."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
    else:
        parsed = pd.to_datetime(series, format="ISO8601", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        raise DataError.from_key(
            f"{module}.error.bad_dates",
            hint=f"{module}.hint.bad_dates",
            column=column,
            count=int(bad.sum()),
            examples=examples(series, bad),
        )
    return parsed.dt.tz_localize(None) if getattr(parsed.dt, "tz", None) is not None else parsed


def as_timestamp(value: Any, name: str, module: str = "clv") -> pd.Timestamp:
    """``value`` as a timestamp; anything else raises ``<module>.error.bad_parameter`` for parameter ``name``."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ParameterError.from_key(
            f"{module}.error.bad_parameter",
            hint=f"{module}.hint.bad_parameter",
            column=name,
            name=name,
            value=repr(value),
            rule=Text("core.rule.date"),
        )
    return ts
