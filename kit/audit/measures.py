"""Complaint audit metrics, computed for the whole chain's table at once.

The measures follow the seed documents and the helpdesk definitions cited on each function:
complaints per month, the root-cause Pareto with its "vital few", the first-response status of
every complaint against the standard that applies to it, and SLA attainment
``met / (met + breached)``.  A ticket still open is never "met": it is "breached" once its
target has passed, otherwise "at risk" (not yet due) and left out of the attainment.

Examples
--------
>>> import pandas as pd
>>> from kit.workshop.standards import default_standards
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
[1.0, 1.0, 1.0, 0.5]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kit.core.display import md_text
from kit.core.errors import ParameterError
from kit.core.i18n import code_for, label_of, t
from kit.workshop.calendar import StoreCalendar, deadlines, elapsed_minutes
from kit.workshop.standards import Standards, assign_targets

__all__ = [
    "DEFAULT_AUTHORITY",
    "END_COLUMNS",
    "STATUSES",
    "STATUS_CATEGORIES",
    "authority_check",
    "category_pareto",
    "complaints_per_month",
    "describe_attainment",
    "describe_pareto",
    "early_warning",
    "first_contact_resolution",
    "first_response_status",
    "follow_up_compliance",
    "golden_window",
    "repeat_complaints",
    "resolution_satisfaction",
    "response_time_summary",
    "sla_attainment",
    "sla_status",
]

STATUSES = ("met", "breached", "at_risk")
#: Categories of the ``status`` column of :func:`sla_status` (a pandas categorical).
STATUS_CATEGORIES = ["met", "breached", "at_risk", "no_standard"]


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


def category_pareto(
    frame: pd.DataFrame, *, category_col: str = "category", cutoff: float = 0.8, codes: str | None = None
) -> pd.DataFrame:
    """The root-cause Pareto table: categories by count, with the "vital few" marked.

    Juran's Pareto principle as used in quality management: sort categories by frequency and
    accumulate their share; the *vital few* are the categories needed to reach ``cutoff``
    (80 % by default) of all complaints -- the category that crosses the cutoff included.

    ``codes`` names a label group (e.g. ``"category"``): categories written as a Chinese or an
    English label are then counted under their code, so a report can show them in either language.

    Returns
    -------
    DataFrame
        ``category, count, share, cum_share, vital_few`` sorted by count (ties by name).
    """
    values = frame[category_col] if codes is None else code_for(codes, frame[category_col])
    counts = values.value_counts(dropna=False).rename_axis("category").reset_index(name="count")
    counts = counts.sort_values(["count", "category"], ascending=[False, True], ignore_index=True)
    total = counts["count"].sum()
    counts["share"] = counts["count"] / total if total else np.nan
    counts["cum_share"] = counts["share"].cumsum()
    before = counts["cum_share"] - counts["share"]
    counts["vital_few"] = before < cutoff - 1e-12
    return counts


#: Which timestamp ends the clock of each metric.
END_COLUMNS = {"first_response": "first_response_at", "resolution": "resolved_at"}


def _clock_arg(business: pd.Series) -> str | np.ndarray:
    """The ``clock`` argument of :mod:`kit.workshop.calendar`: one word when every row agrees (cheaper)."""
    flags = business.to_numpy(dtype=bool)
    if flags.all():
        return "business"
    if not flags.any():
        return "calendar"
    return np.where(flags, "business", "calendar")


def _minutes_between(
    frame: pd.DataFrame,
    start_col: str,
    end: pd.Series,
    clock: pd.Series,
    calendars: Mapping[str, StoreCalendar] | None,
    store_col: str,
) -> pd.Series:
    """Minutes from ``start_col`` to ``end`` per row, on each row's clock (vectorised)."""
    calendar = (end - frame[start_col]).dt.total_seconds() / 60.0
    business = clock.eq("business")
    if not business.any():
        return calendar
    if calendars is None:
        raise ParameterError.from_key("audit.error.no_calendars", column="clock")
    work = pd.DataFrame({store_col: frame[store_col], "_start": frame[start_col], "_end": end}, index=frame.index)
    on_clock = elapsed_minutes(
        work, "_start", "_end", calendars=calendars, store_col=store_col, clock=_clock_arg(business)
    )
    return on_clock.where(business, calendar)


def sla_status(
    frame: pd.DataFrame,
    standards: Standards,
    metric: str = "first_response",
    *,
    as_of: pd.Timestamp,
    calendars: Mapping[str, StoreCalendar] | None = None,
    created_col: str = "created_at",
    end_col: str | None = None,
    channel_col: str = "channel",
    tier_col: str = "tier",
    store_col: str = "store_id",
) -> pd.DataFrame:
    """The status of every complaint against the standard that applies to it.

    Definition (as helpdesks such as Zendesk define first-reply and resolution SLAs): the
    clock runs from creation to the first response (``metric="first_response"``) or to the
    resolution (``"resolution"``), in calendar minutes or in the store's business minutes as the
    rule says; a response exactly at the target is *met*.  A ticket not answered yet is
    *breached* once ``as_of - created`` exceeds the target, otherwise *at risk* (it can still be
    met) and it is left out of the attainment.

    Parameters
    ----------
    frame : DataFrame
        Complaints with channel, tier, store, the creation time and the end time.
    standards : Standards
        The rules; see :func:`kit.workshop.standards.assign_targets` for how a rule is chosen.
    metric : {"first_response", "resolution"}
    as_of : Timestamp
        The moment the data was extracted (usually the end of the period); the clock of a
        ticket with no end time runs to it.  A recorded end time is used as it is, even when
        it falls after ``as_of`` (a report on a past period keeps what is known).
    calendars : mapping store id -> :class:`kit.workshop.calendar.StoreCalendar`, optional
        Needed when a rule uses the business clock.

    Returns
    -------
    DataFrame
        ``frame`` plus ``rule_id``, ``target_minutes``, ``clock``, ``required_attainment``,
        ``elapsed_minutes`` (to the end, or to ``as_of`` while open), ``open``, ``status``
        (categorical: ``met``, ``breached``, ``at_risk`` or ``no_standard``), ``deadline`` and
        ``minutes_left`` (for open tickets: business or calendar minutes until the deadline,
        negative when overdue).
    """
    end_col = end_col or END_COLUMNS[metric]
    targets = assign_targets(frame, standards, metric, channel_col=channel_col, tier_col=tier_col)
    as_of = pd.Timestamp(as_of)
    is_open = frame[end_col].isna()
    end = frame[end_col].where(~is_open, as_of)
    clock = targets["clock"].fillna("calendar")
    elapsed = _minutes_between(frame, created_col, end, clock, calendars, store_col)
    target = targets["target_minutes"]
    within = (elapsed <= target).to_numpy()
    opened = is_open.to_numpy()
    # codes into STATUS_CATEGORIES; a categorical column is light on a chain's million rows
    codes = np.where(within, np.where(opened, 2, 0), 1)
    codes = np.where(target.isna().to_numpy(), 3, codes)
    status = pd.Categorical.from_codes(codes, categories=STATUS_CATEGORIES)
    out = frame.copy()
    out["rule_id"] = targets["rule_id"]
    out["target_minutes"] = target
    out["clock"] = clock
    out["required_attainment"] = targets["required_attainment"]
    out["elapsed_minutes"] = elapsed
    out["open"] = is_open
    out["status"] = status
    out["minutes_left"] = (target - elapsed).where(is_open)
    if clock.eq("business").any():
        due = deadlines(
            frame.assign(_target=target.fillna(-1)),
            created_col,
            "_target",
            calendars=calendars,
            store_col=store_col,
            clock=_clock_arg(clock.eq("business")),
        )
    else:
        due = frame[created_col] + pd.to_timedelta(target, unit="min")
    out["deadline"] = due
    return out


def first_response_status(
    frame: pd.DataFrame, standards: Standards, *, as_of: pd.Timestamp, **options: Any
) -> pd.DataFrame:
    """:func:`sla_status` for the first response (kept for the notebooks' readability)."""
    return sla_status(frame, standards, "first_response", as_of=as_of, **options)


def sla_attainment(status: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    """SLA attainment ``met / (met + breached)`` per group, with the gap to the requirement.

    Parameters
    ----------
    status : DataFrame
        Output of :func:`sla_status`.
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
        out = (
            flags.groupby(keys, observed=True, dropna=False)
            .agg(
                met=("met", "sum"),
                breached=("breached", "sum"),
                at_risk=("at_risk", "sum"),
                required=("required", "max"),
            )
            .reset_index()
        )
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


def _share_table(flags: pd.DataFrame, by: Sequence[str], value: str, counted: str) -> pd.DataFrame:
    """Group sums of boolean ``value`` over rows where ``counted`` is True; share = value / n."""
    keys = list(by)
    work = flags.loc[flags[counted], [*keys, value]]
    if keys:
        out = work.groupby(keys, observed=True, dropna=False)[value].agg(["sum", "size"]).reset_index()
    else:
        out = pd.DataFrame({"sum": [int(work[value].sum())], "size": [len(work)]})
    out = out.rename(columns={"sum": value, "size": "n"})
    out["share"] = (out[value] / out["n"]).where(out["n"] > 0)
    return out[[*keys, "n", value, "share"]]


def first_contact_resolution(
    frame: pd.DataFrame,
    *,
    definition: str = "one_contact",
    reopen_days: int = 7,
    by: Sequence[str] = (),
    contacts_col: str = "contacts_to_resolve",
    reopened_col: str = "reopened",
    resolved_col: str = "resolved_at",
    reopened_at_col: str = "reopened_at",
) -> pd.DataFrame:
    """First-contact resolution (FCR): the share of resolved complaints solved "first time".

    Two definitions are in use (SQM Group; ISO 18295-1 leaves the choice to the operator):

    * ``"one_contact"``: the customer needed one contact (``contacts_to_resolve == 1``) and the
      ticket was not reopened;
    * ``"not_reopened"``: the ticket was not reopened within ``reopen_days`` of its resolution
      (uses ``reopened_at`` when the log has it, otherwise the ``reopened`` flag).

    Only resolved complaints count (an open one cannot have been resolved at first contact).

    Returns
    -------
    DataFrame ``[*by, n, fcr, share]``: resolved complaints, of which resolved first time, share.

    Examples
    --------
    >>> f = pd.DataFrame({"contacts_to_resolve": [1, 2, 1, None], "reopened": [0, 0, 1, None],
    ...                   "resolved_at": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-01-02", None])})
    >>> first_contact_resolution(f)[["n", "fcr", "share"]].iloc[0].tolist()
    [3.0, 1.0, 0.3333333333333333]
    """
    resolved = frame[resolved_col].notna()
    reopened = frame[reopened_col].fillna(0).astype(bool)
    if definition == "one_contact":
        ok = frame[contacts_col].eq(1) & ~reopened
    elif definition == "not_reopened":
        if reopened_at_col in frame.columns:
            late = frame[reopened_at_col] - frame[resolved_col] > pd.Timedelta(days=reopen_days)
            ok = frame[reopened_at_col].isna() | late
        else:
            ok = ~reopened
    else:
        raise ParameterError.from_key("audit.error.bad_fcr_definition", column="fcr_definition", value=repr(definition))
    flags = pd.DataFrame({"fcr": ok & resolved, "counted": resolved}, index=frame.index)
    for key in by:
        flags[key] = frame[key]
    return _share_table(flags, by, "fcr", "counted")


def golden_window(
    frame: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    hours: float = 24,
    by: Sequence[str] = (),
    created_col: str = "created_at",
    resolved_col: str = "resolved_at",
) -> pd.DataFrame:
    """Share of complaints resolved within the golden window (24 hours by default).

    The seed guide's rule: a complaint should be handled within 24 hours of being received.
    A complaint resolved within ``hours`` of creation counts as *within*; one resolved later, or
    still open after ``hours``, counts as *not within*; one still open and younger than ``hours``
    at ``as_of`` is not decided yet and left out.

    Returns
    -------
    DataFrame ``[*by, n, within, share]``.
    """
    limit = pd.Timedelta(hours=hours)
    took = frame[resolved_col] - frame[created_col]
    open_age = pd.Timestamp(as_of) - frame[created_col]
    decided = frame[resolved_col].notna() | (open_age > limit)
    flags = pd.DataFrame(
        {"within": frame[resolved_col].notna() & (took <= limit), "counted": decided}, index=frame.index
    )
    for key in by:
        flags[key] = frame[key]
    return _share_table(flags, by, "within", "counted")


def resolution_satisfaction(
    frame: pd.DataFrame,
    *,
    target: float = 0.95,
    by: Sequence[str] = (),
    score_col: str = "resolution_satisfaction",
) -> pd.DataFrame:
    """Satisfaction with the resolution: the share of 4-5 answers on the 1-5 scale (top-2-box).

    The seeds set the standard "complaint-resolution satisfaction >= 95 %"; like CSAT it is the
    top-2-box share (ACSI / CSAT convention), not the mean.  Unanswered ratings are left out.

    Returns
    -------
    DataFrame ``[*by, n, satisfied, share, target, gap]`` (gap in percentage points).
    """
    score = frame[score_col]
    flags = pd.DataFrame({"satisfied": score >= 4, "counted": score.notna()}, index=frame.index)
    for key in by:
        flags[key] = frame[key]
    out = _share_table(flags, by, "satisfied", "counted")
    out["target"] = target
    out["gap"] = (out["share"] - target) * 100
    return out


def follow_up_compliance(
    frame: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    window_hours: float = 48,
    by: Sequence[str] = (),
    resolved_col: str = "resolved_at",
    follow_up_col: str = "follow_up_at",
    tier_col: str = "tier",
    exempt_tiers: Sequence[str] = ("inquiry",),
) -> pd.DataFrame:
    """Share of resolved complaints followed up by a call-back within ``window_hours``.

    Step four of the seeds' complaint handling ("act and follow up: call back to confirm the
    customer is satisfied").  Counted: resolved complaints whose window has closed by
    ``as_of`` or that have been followed up; inquiries are exempt by default.

    Returns
    -------
    DataFrame ``[*by, n, on_time, share]``.
    """
    window = pd.Timedelta(hours=window_hours)
    resolved = frame[resolved_col]
    followed = frame[follow_up_col]
    due_passed = resolved.notna() & (resolved + window <= pd.Timestamp(as_of))
    counted = (due_passed | followed.notna()) & resolved.notna() & ~frame[tier_col].isin(list(exempt_tiers))
    on_time = followed.notna() & (followed - resolved <= window)
    flags = pd.DataFrame({"on_time": on_time, "counted": counted}, index=frame.index)
    for key in by:
        flags[key] = frame[key]
    return _share_table(flags, by, "on_time", "counted")


def repeat_complaints(
    frame: pd.DataFrame,
    *,
    days: int = 30,
    by: Sequence[str] = (),
    customer_col: str = "customer_id",
    created_col: str = "created_at",
) -> pd.DataFrame:
    """Share of complaints followed by another complaint of the same customer within ``days``.

    A repeat complaint signals that the first one was not really solved (root cause not fixed).
    Each complaint is flagged when the same customer complains again within ``days`` after it
    (sorted by time; computed for the whole table at once).

    Returns
    -------
    DataFrame ``[*by, n, repeated, share]``.
    """
    order = frame.sort_values([customer_col, created_col], kind="stable")
    nxt = order.groupby(customer_col, sort=False)[created_col].shift(-1)
    repeated = (nxt - order[created_col] <= pd.Timedelta(days=days)).reindex(frame.index)
    flags = pd.DataFrame(
        {"repeated": repeated.fillna(False).astype(bool), "counted": frame[customer_col].notna()}, index=frame.index
    )
    for key in by:
        flags[key] = frame[key]
    return _share_table(flags, by, "repeated", "counted")


#: Default authority limits in yuan: front line up to 500 (the seed deck's example), supervisor
#: up to 2,000, manager without limit.
DEFAULT_AUTHORITY = {"frontline": 500.0, "supervisor": 2000.0, "manager": float("inf")}


def authority_check(
    frame: pd.DataFrame,
    *,
    limits: Mapping[str, float] | None = None,
    amount_col: str = "compensation_amount",
    role_col: str = "approver_role",
) -> pd.DataFrame:
    """Flag compensation approved by a role whose limit it exceeds (or by no known role).

    The seed deck's "clear authority" rule: an agent may approve compensation up to 500 yuan;
    above that a supervisor must approve.  Rows without compensation are not checked.

    Returns
    -------
    DataFrame indexed like ``frame``: ``checked`` (compensation > 0), ``limit`` of the approver
    role (NaN for an unknown or missing role) and ``violation``.

    Examples
    --------
    >>> f = pd.DataFrame({"compensation_amount": [0, 300, 800, 800, 50], "approver_role": ["", "frontline", "frontline", "supervisor", None]})
    >>> authority_check(f)["violation"].tolist()
    [False, False, True, False, True]
    """
    limits = dict(DEFAULT_AUTHORITY if limits is None else limits)
    amount = frame[amount_col].fillna(0)
    limit = frame[role_col].map(limits).astype(float)
    checked = amount > 0
    violation = checked & ~(amount <= limit)
    return pd.DataFrame({"checked": checked, "limit": limit, "violation": violation}, index=frame.index)


def early_warning(status: pd.DataFrame, *, horizon_minutes: float = 60, columns: Sequence[str] = ()) -> pd.DataFrame:
    """Open tickets that will breach within ``horizon_minutes`` (or already have), soonest first.

    The seed deck's live board: warn *before* a ticket breaches so that backup staff can take
    it.  ``status`` is the output of :func:`sla_status`; ``minutes_left`` is on the rule's clock.

    Returns
    -------
    DataFrame with ``columns`` plus ``tier``, ``channel``, ``deadline``, ``minutes_left``.
    """
    warn = status.loc[status["open"] & (status["minutes_left"] <= horizon_minutes)]
    keep = [c for c in [*columns, "tier", "channel", "deadline", "minutes_left"] if c in warn.columns]
    return warn.sort_values("minutes_left", kind="stable")[keep]


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
    return t(
        "text.attainment_summary",
        lang,
        attainment=_pct(row["attainment"]),
        target=_pct(row["required"]),
        verdict=verdict,
        met=int(row["met"]),
        breached=int(row["breached"]),
        at_risk=int(row["at_risk"]),
    )


def describe_pareto(pareto: pd.DataFrame, lang: str, *, label_group: str = "category") -> str:
    """One sentence naming the vital few categories of a Pareto table in ``lang``."""
    if pareto.empty:
        return t("text.no_complaints", lang)
    few = pareto.loc[pareto["vital_few"]]
    sep = "、" if lang == "zh" else ", "
    names = sep.join(md_text(label_of(label_group, c, lang)) for c in few["category"])
    return t("text.pareto_summary", lang, n=len(few), share=_pct(few["share"].sum()), names=names)
