"""RFM segments of the customers (recency, frequency, monetary value) as candidate customer types."""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from kit.core.errors import DataError, ParameterError
from kit.core.i18n import check_lang, label_of, t
from kit.workshop.customer_types import SEED_NEEDS, CustomerType, Priority

__all__ = ["SEGMENTS", "rfm_scores", "rfm_segment", "rfm_summary", "rfm_table", "segment_to_customer_type"]


# --------------------------------------------------------------------------------------------
# RFM
# --------------------------------------------------------------------------------------------
#: Segment rules, first match wins; ``fm`` is the rounded mean of the F and M scores.
SEGMENTS: tuple[str, ...] = (
    "champions",
    "loyal",
    "new",
    "potential_loyalist",
    "need_attention",
    "about_to_sleep",
    "cant_lose",
    "at_risk",
    "hibernating",
    "lost",
)


_SEGMENT_PRIORITY: dict[str, Priority] = {
    "champions": "high",
    "loyal": "high",
    "new": "medium",
    "potential_loyalist": "medium",
    "need_attention": "medium",
    "about_to_sleep": "medium",
    "cant_lose": "high",
    "at_risk": "high",
    "hibernating": "low",
    "lost": "low",
}


_SEGMENT_NEEDS: dict[str, list[str]] = {  # segment -> feature codes of SEED_NEEDS
    "champions": ["remember_preferences", "proactive_follow_up"],
    "loyal": ["remember_preferences", "personalised_solution"],
    "new": ["fast_response", "progress_updates"],
    "potential_loyalist": ["personalised_solution", "proactive_follow_up"],
    "need_attention": ["progress_updates", "proactive_follow_up"],
    "about_to_sleep": ["proactive_follow_up", "fast_response"],
    "cant_lose": ["personalised_solution", "clear_compensation_policy"],
    "at_risk": ["clear_compensation_policy", "proactive_follow_up"],
    "hibernating": ["fast_response"],
    "lost": ["clear_compensation_policy"],
}


def _scores(values: pd.Series, groups: pd.Series | None, bins: int) -> np.ndarray:
    """Quantile score 1..bins of the mid-rank percentile; ties share a score; higher value, higher score."""
    if groups is None:
        rank = values.rank(method="average")
        size = pd.Series(len(values), index=values.index, dtype="float64")
    else:
        rank = values.groupby(groups, sort=False).rank(method="average")
        size = values.groupby(groups, sort=False).transform("size").astype("float64")
    pct = (rank - 0.5) / size
    return (np.floor(pct.to_numpy() * bins) + 1).clip(1, bins).astype(np.int64)


def rfm_scores(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
    group_col: str | None = None,
    as_of: str | date | pd.Timestamp | None = None,
    bins: int = 5,
) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer, scored 1–5 by quintile, and a segment.

    * recency = days from the customer's last purchase to ``as_of`` (default: the day after the
      last transaction in the table); frequency = number of transactions; monetary = total amount.
    * Each is scored by the quantile of its *mid-rank percentile*:
      ``score = floor(bins · (rank − 0.5) / n) + 1`` with ``rank`` the average rank among the ``n``
      customers (fewer days since the last purchase rank higher).  Customers with equal values
      share the score -- ``pd.qcut`` would fail on repeated bin edges, which are common because
      many customers buy once -- and with very few customers the scores stay central (a single
      customer scores 3, not 5).  With many distinct values this equals quintiles.
    * ``group_col`` (e.g. ``"store_id"``) scores customers within each group.
    * ``segment`` follows :data:`SEGMENTS` (first match wins), with ``fm = round((F + M) / 2)``:
      champions R≥4 & FM≥4; loyal R=3 & FM≥4; new R≥4 & F=1; potential loyalist R≥4 (other);
      need attention R=3 & FM 2–3; about to sleep R=3 & FM=1; can't lose them R=1 & FM≥4;
      at risk R≤2 & FM≥3; hibernating R=2 & FM≤2; lost R=1 & FM≤2.

    Returns
    -------
    DataFrame
        One row per customer (and group): ``last_purchase``, ``recency_days``, ``frequency``,
        ``monetary``, ``r_score``, ``f_score``, ``m_score``, ``rfm`` (e.g. ``"545"``), ``segment``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "b"], "date": ["2026-01-05", "2026-02-01", "2026-01-02"],
    ...                    "amount": [100.0, 50.0, 20.0]})
    >>> rfm_scores(tx)[["customer_id", "recency_days", "frequency", "monetary", "rfm"]].values.tolist()
    [['a', 1, 2, 150.0, '444'], ['b', 31, 1, 20.0, '222']]
    """
    if not 2 <= bins <= 10:
        raise ParameterError.from_key("customers.error.bad_bins", column="bins")
    keys = [customer_col] if group_col is None else [group_col, customer_col]
    for col in [*keys, date_col, amount_col]:
        if col not in transactions.columns:
            raise DataError.from_key("customers.error.missing_column", column=col)
    when = pd.to_datetime(transactions[date_col], errors="coerce", format="mixed")
    amount = pd.to_numeric(transactions[amount_col], errors="coerce")
    bad = (when.isna() & transactions[date_col].notna()) | (amount.isna() & transactions[amount_col].notna())
    if bad.any():
        col = date_col if (when.isna() & transactions[date_col].notna()).any() else amount_col
        raise DataError.from_key("customers.error.bad_values", column=col, count=int(bad.sum()))
    frame = transactions[keys].assign(_when=when, _amount=amount).dropna(subset=["_when", *keys])
    if frame.empty:
        raise DataError.from_key("customers.error.no_rows", column=date_col)
    ref = pd.Timestamp(as_of) if as_of is not None else frame["_when"].max().normalize() + pd.Timedelta(days=1)
    agg = (
        frame.groupby(keys, sort=True)
        .agg(last_purchase=("_when", "max"), frequency=("_when", "size"), monetary=("_amount", "sum"))
        .reset_index()
    )
    agg["recency_days"] = (ref - agg["last_purchase"]).dt.days.astype(np.int64)
    groups = agg[group_col] if group_col is not None else None
    agg["r_score"] = _scores(-agg["recency_days"].astype("float64"), groups, bins)
    agg["f_score"] = _scores(agg["frequency"].astype("float64"), groups, bins)
    agg["m_score"] = _scores(agg["monetary"].astype("float64"), groups, bins)
    agg["rfm"] = agg["r_score"].astype(str) + agg["f_score"].astype(str) + agg["m_score"].astype(str)
    agg["segment"] = rfm_segment(agg["r_score"], agg["f_score"], agg["m_score"], bins=bins)
    agg["monetary"] = agg["monetary"].round(2)
    cols = [
        *keys,
        "last_purchase",
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "rfm",
        "segment",
    ]
    return agg[cols]


def rfm_segment(r: pd.Series, f: pd.Series, m: pd.Series, *, bins: int = 5) -> pd.Series:
    """Segment names from R, F, M scores (rules in :func:`rfm_scores`); scores on other scales are rescaled to 1–5."""
    r5, f5, m5 = (np.ceil(np.asarray(s, dtype="float64") * 5 / bins) for s in (r, f, m))
    fm = np.floor((f5 + m5) / 2 + 0.5)
    conditions = [
        (r5 >= 4) & (fm >= 4),
        (r5 == 3) & (fm >= 4),
        (r5 >= 4) & (f5 == 1),
        r5 >= 4,
        (r5 == 3) & (fm >= 2),
        r5 == 3,
        (r5 <= 1) & (fm >= 4),
        (r5 <= 2) & (fm >= 3),
        r5 == 2,
        r5 <= 1,
    ]
    out = np.select(conditions, list(SEGMENTS), default="lost")
    index = r.index if isinstance(r, pd.Series) else None
    return pd.Series(pd.Categorical(out, categories=list(SEGMENTS)), index=index, name="segment")


def rfm_summary(scores: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Per segment: customers, share of customers, revenue, share of revenue, mean R/F/M.

    With ``lang`` the table gets a ``name`` column with the segment's label.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("aab"), "date": ["2026-01-05", "2026-02-01", "2026-01-02"], "amount": [100.0, 50, 20]})
    >>> int(rfm_summary(rfm_scores(tx)).loc["champions", "customers"])
    1
    """
    g = scores.groupby("segment", observed=False)
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "revenue": g["monetary"].sum(),
            "mean_recency_days": g["recency_days"].mean(),
            "mean_frequency": g["frequency"].mean(),
            "mean_monetary": g["monetary"].mean(),
        }
    )
    out = out.reindex(list(SEGMENTS), fill_value=0)
    out.index.name = "segment"
    total_c, total_r = out["customers"].sum(), out["revenue"].sum()
    out.insert(1, "customer_share", out["customers"] / total_c if total_c else np.nan)
    out.insert(3, "revenue_share", out["revenue"] / total_r if total_r else np.nan)
    if lang is not None:
        check_lang(lang)
        out.insert(0, "name", [label_of("customers.segment", s, lang) for s in out.index])
    return out


def rfm_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`rfm_summary` for display: segment names, shares in %, money rounded, headers in ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": list("aab"), "date": ["2026-01-05", "2026-02-01", "2026-01-02"], "amount": [100.0, 50, 20]})
    >>> rfm_table(rfm_summary(rfm_scores(tx)), "en").columns[:3].tolist()
    ['segment', 'customers', 'share of customers']
    """
    check_lang(lang)
    out = summary.copy()
    out.insert(0, "segment", [label_of("customers.segment", s, lang) for s in out.index])
    out = out.drop(columns=["name"], errors="ignore").reset_index(drop=True)
    for col in ("customer_share", "revenue_share"):
        out[col] = out[col].map(lambda v: "—" if pd.isna(v) else f"{v:.1%}")
    for col, digits in (("revenue", 0), ("mean_recency_days", 0), ("mean_frequency", 1), ("mean_monetary", 0)):
        out[col] = out[col].map(lambda v, d=digits: "—" if pd.isna(v) else f"{v:,.{d}f}")
    return out.rename(columns={c: label_of("customers.column", c, lang) for c in out.columns})


def segment_to_customer_type(
    segment: str,
    summary: pd.DataFrame | None = None,
    *,
    share_basis: Literal["volume", "revenue"] = "revenue",
    type_id: str | None = None,
) -> CustomerType:
    """Turn an RFM segment into a customer type the team can adopt (and edit) in the workshop.

    Parameters
    ----------
    segment : str
        One of :data:`SEGMENTS`.
    summary : DataFrame, optional
        :func:`rfm_summary` output; gives the share (revenue share, or customer share for
        ``share_basis="volume"``).
    type_id : str, optional
        Id of the new type; default ``rfm_<segment>``.

    Examples
    --------
    >>> ct = segment_to_customer_type("at_risk")
    >>> ct.id, ct.name_en, ct.priority, ct.source
    ('rfm_at_risk', 'at-risk customers', 'high', 'rfm')
    """
    if segment not in SEGMENTS:
        raise ParameterError.from_key(
            "customers.error.unknown_segment", column="segment", segment=repr(segment), known=", ".join(SEGMENTS)
        )
    share = None
    if summary is not None and segment in summary.index:
        col = "revenue_share" if share_basis == "revenue" else "customer_share"
        value = summary.loc[segment, col]
        share = None if pd.isna(value) else round(float(value), 4)
    return CustomerType(
        id=type_id or f"rfm_{segment}",
        name_zh=label_of("customers.segment", segment, "zh"),
        name_en=label_of("customers.segment", segment, "en"),
        relation="external",
        directness="direct",
        description_zh=t(f"customers.segment_description.{segment}", "zh"),
        description_en=t(f"customers.segment_description.{segment}", "en"),
        key_needs=[SEED_NEEDS[code] for code in _SEGMENT_NEEDS[segment]],
        share=share,
        share_basis=share_basis,
        priority=_SEGMENT_PRIORITY[segment],
        source="rfm",
    )
