"""Complaint audit metrics, computed for the whole chain's table at once.

The measures follow the seed documents and the helpdesk definitions cited on each function:
complaints per month, the root-cause Pareto with its "vital few", the first-response status of
every complaint against the standard that applies to it, and SLA attainment
``met / (met + breached)``.  A ticket still open is never "met": it is "breached" once its
target has passed, otherwise "at risk" (not yet due) and left out of the attainment.

Examples
--------
>>> import pandas as pd
>>> from kit.standards import default_standards
>>> log = pd.DataFrame({
...     "store_id": ["001", "001", "001"], "channel": ["phone", "phone", "email"],
...     "tier": ["urgent", "urgent", "normal"], "category": ["a", "b", "a"],
...     "created_at": pd.to_datetime(["2026-01-01 10:00", "2026-01-01 10:00", "2026-01-01 10:00"]),
...     "first_response_at": pd.to_datetime(["2026-01-01 10:30", "2026-01-01 10:31", None]),
... })
>>> status = first_response_status(log, default_standards(), as_of=pd.Timestamp("2026-01-01 12:00"))
>>> status["status"].tolist()
['met', 'breached', 'at_risk']
>>> sla_attainment(status)[["met", "breached", "at_risk", "attainment"]].iloc[0].tolist()
[1, 1, 1, 0.5]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kit.i18n import label_of, t
from kit.standards import Standards, assign_targets

STATUSES = ("met", "breached", "at_risk")


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
    """
    lo = pd.Timestamp(start).normalize()
    hi = pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
    mask = (frame[time_col] >= lo) & (frame[time_col] < hi)
    if store_id is not None:
        mask &= frame[store_col] == store_id
    return frame.loc[mask]


def complaints_per_month(
    frame: pd.DataFrame,
    *,
    time_col: str = "created_at",
    by: Sequence[str] = (),
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Number of complaints per calendar month (months with none included as 0).

    Parameters
    ----------
    frame : DataFrame
        The complaints log.
    time_col : str
        Column with the creation time.
    by : sequence of str
        Extra grouping columns (e.g. ``("store_id",)``).
    start, end : optional
        Months to show even when empty; default the first and last month present.

    Returns
    -------
    DataFrame
        ``[*by, "month", "complaints"]`` with ``month`` as ``YYYY-MM`` text.
    """
    months = frame[time_col].dt.to_period("M")
    lo = pd.Period(start, "M") if start is not None else (months.min() if len(frame) else None)
    hi = pd.Period(end, "M") if end is not None else (months.max() if len(frame) else None)
    counts = frame.assign(month=months).groupby([*by, "month"], observed=True).size().rename("complaints")
    if lo is None or hi is None:
        return pd.DataFrame(columns=[*by, "month", "complaints"])
    full_months = pd.period_range(lo, hi, freq="M")
    if by:
        keys = frame[list(by)].drop_duplicates()
        grid = keys.merge(pd.DataFrame({"month": full_months}), how="cross")
        out = grid.merge(counts.reset_index(), on=[*by, "month"], how="left")
    else:
        out = pd.DataFrame({"month": full_months}).merge(counts.reset_index(), on="month", how="left")
    out["complaints"] = out["complaints"].fillna(0).astype(int)
    out["month"] = out["month"].astype(str)
    return out.sort_values([*by, "month"], ignore_index=True)


def category_pareto(frame: pd.DataFrame, *, category_col: str = "category", cutoff: float = 0.8) -> pd.DataFrame:
    """The root-cause Pareto table: categories by count, with the "vital few" marked.

    Juran's Pareto principle as used in quality management: sort categories by frequency and
    accumulate their share; the *vital few* are the categories needed to reach ``cutoff``
    (80 % by default) of all complaints -- the category that crosses the cutoff included.

    Returns
    -------
    DataFrame
        ``category, count, share, cum_share, vital_few`` sorted by count (ties by name).
    """
    counts = frame[category_col].value_counts(dropna=False).rename_axis("category").reset_index(name="count")
    counts = counts.sort_values(["count", "category"], ascending=[False, True], ignore_index=True)
    total = counts["count"].sum()
    counts["share"] = counts["count"] / total if total else np.nan
    counts["cum_share"] = counts["share"].cumsum()
    before = counts["cum_share"] - counts["share"]
    counts["vital_few"] = before < cutoff - 1e-12
    return counts


def first_response_status(
    frame: pd.DataFrame,
    standards: Standards,
    *,
    as_of: pd.Timestamp,
    created_col: str = "created_at",
    response_col: str = "first_response_at",
    metric: str = "first_response",
    channel_col: str = "channel",
    tier_col: str = "tier",
) -> pd.DataFrame:
    """The status of every complaint against its response-time standard (calendar clock).

    Definition (as helpdesks such as Zendesk define first-reply SLAs): the elapsed time runs from
    creation to the first response; a response exactly at the target is *met*.  A ticket with
    no response yet is *breached* once ``as_of - created`` exceeds the target, otherwise
    *at risk* (it can still be met) and it is left out of the attainment.

    Parameters
    ----------
    frame : DataFrame
        Complaints with ``channel``, ``tier``, the creation and the response time.
    standards : Standards
        The rules; see :func:`kit.standards.assign_targets` for how a rule is chosen.
    as_of : Timestamp
        The moment the data was extracted (usually the end of the period).

    Returns
    -------
    DataFrame
        ``frame`` plus ``rule_id``, ``target_minutes``, ``required_attainment``,
        ``elapsed_minutes`` (to the response, or to ``as_of`` while open), ``open`` and ``status``.
    """
    targets = assign_targets(frame, standards, metric, channel_col=channel_col, tier_col=tier_col)
    created = frame[created_col]
    responded = frame[response_col]
    is_open = responded.isna()
    end = responded.where(~is_open, pd.Timestamp(as_of))
    elapsed = (end - created).dt.total_seconds() / 60.0
    target = targets["target_minutes"]
    within = elapsed <= target
    status = np.where(within, np.where(is_open, "at_risk", "met"), "breached")
    status = np.where(target.isna(), "no_standard", status)
    out = frame.copy()
    out["rule_id"] = targets["rule_id"]
    out["target_minutes"] = target
    out["required_attainment"] = targets["required_attainment"]
    out["elapsed_minutes"] = elapsed
    out["open"] = is_open
    out["status"] = status
    return out


def sla_attainment(status: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """SLA attainment ``met / (met + breached)`` per group, with the gap to the requirement.

    Parameters
    ----------
    status : DataFrame
        Output of :func:`first_response_status`.
    by : sequence of str
        Grouping columns, e.g. ``("store_id", "tier")``; empty for one overall row.

    Returns
    -------
    DataFrame
        ``[*by, met, breached, at_risk, attainment, required, gap]``; ``required`` is the
        strictest required attainment among the group's rules and ``gap`` is
        ``attainment - required`` in percentage points (negative = short of the standard).
    """
    keys = list(by)
    flags = pd.DataFrame({s: (status["status"] == s).astype(int) for s in STATUSES}, index=status.index)
    flags["required"] = status["required_attainment"]
    if keys:
        flags[keys] = status[keys]
        out = flags.groupby(keys, observed=True, dropna=False).agg(
            met=("met", "sum"), breached=("breached", "sum"), at_risk=("at_risk", "sum"), required=("required", "max")
        ).reset_index()
    else:
        out = pd.DataFrame(
            {
                "met": [int(flags["met"].sum())],
                "breached": [int(flags["breached"].sum())],
                "at_risk": [int(flags["at_risk"].sum())],
                "required": [flags["required"].max()],
            }
        )
    decided = out["met"] + out["breached"]
    out["attainment"] = (out["met"] / decided).where(decided > 0)
    out["gap"] = (out["attainment"] - out["required"]) * 100
    return out[[*keys, "met", "breached", "at_risk", "attainment", "required", "gap"]]


def response_time_summary(status: pd.DataFrame, by: Sequence[str] = ("tier",)) -> pd.DataFrame:
    """Median and 90th percentile of the first-response time (answered tickets only), per group."""
    answered = status.loc[~status["open"]]
    grouped = answered.groupby(list(by), observed=True)["elapsed_minutes"]
    out = pd.DataFrame(
        {
            "complaints": grouped.size(),
            "target_minutes": answered.groupby(list(by), observed=True)["target_minutes"].max(),
            "median_minutes": grouped.median(),
            "p90_minutes": grouped.quantile(0.9),
        }
    )
    return out.reset_index()


def _pct(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:.1%}"


def describe_attainment(row: pd.Series, lang: str) -> str:
    """One sentence on an attainment row (output of :func:`sla_attainment`) in ``lang``."""
    if pd.isna(row["attainment"]):
        verdict = "—"
    elif row["gap"] >= 0:
        verdict = t("text.verdict_ok", lang)
    else:
        verdict = t("text.verdict_gap", lang, gap=f"{-row['gap']:.1f}")
    return t("text.attainment_summary", lang, attainment=_pct(row["attainment"]), target=_pct(row["required"]),
             verdict=verdict, met=int(row["met"]), breached=int(row["breached"]), at_risk=int(row["at_risk"]))


def describe_pareto(pareto: pd.DataFrame, lang: str, *, label_group: str = "category") -> str:
    """One sentence naming the vital few categories of a Pareto table in ``lang``."""
    if pareto.empty:
        return t("text.no_complaints", lang)
    few = pareto.loc[pareto["vital_few"]]
    sep = "、" if lang == "zh" else ", "
    names = sep.join(label_of(label_group, c, lang) for c in few["category"])
    return t("text.pareto_summary", lang, n=len(few), share=_pct(few["share"].sum()), names=names)
