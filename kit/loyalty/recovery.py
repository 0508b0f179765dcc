"""Service recovery: do customers whose complaint was fixed fast keep buying?

The seeds claim that 95 % of dissatisfied customers stay when their problem is solved fast, and
that the golden window is 24 hours.  This module links every complaining customer's complaint to
his later purchases so a team can test that claim on its own data, for the whole chain at once
(``by=("store_id",)``) with ``merge_asof`` and ``groupby`` -- no loop over rows.

Groups
------
Each customer is counted once, by his *first* complaint in the period [``start``, ``end``] (the
index event; later complaints of the same customer are outcomes, not new starts):

``golden``      resolved within ``golden_hours`` (24 h) of being received;
``late``        resolved, but later than that;
``unresolved``  not resolved by ``as_of`` (the end of the data);
``never``       bought in the period (in the same group of ``by``) and never complained in the
                complaints table passed in -- the comparison group.

Reference dates (the choice, documented)
-----------------------------------------
For complainers the clock starts on the day the complaint was *received* (not resolved: the
unresolved have no resolution, and starting at resolution would give slow fixes a head start).
A customer who never complained has no such day, and using e.g. his first purchase would compare
new customers with established ones.  So each never-complained customer gets a *matched*
reference date: a target day is drawn at random (fixed ``seed``) from the complaint days of the
complainers of the same group of ``by``, and his purchase in the period nearest to that day
(``merge_asof(direction="nearest")``) becomes his reference.  The calendar spread of the
reference dates (seasons, promotions) is then about the same in every group.  Without any
complainer in a group, the target day is the middle of the period.

Outcomes
--------
repurchase
    Bought again within ``window_days`` (default 90) *after* the reference day: a purchase on a
    later day than the reference and at most ``window_days`` days after it (same-day purchases
    are the visit the complaint was about, so they do not count).  Only customers whose whole
    window is observed (reference + ``window_days`` ≤ ``as_of``) are counted; the others are
    reported as ``censored``.
retention
    Still a customer at the end of the data: bought after the reference day and his last
    purchase is at most ``inactive_days`` (default 90, as :func:`kit.loyalty.retention.churn_status`)
    before ``as_of``.  Counted over the same observed customers.

Statistics
----------
Proportions get the Wilson score interval (Wilson 1927, "Probable inference, the law of
succession, and statistical inference", *JASA* 22(158); recommended by Brown, Cai & DasGupta
2001, *Statistical Science* 16(2)).  Each group is compared with the golden group: difference in
points with Newcombe's hybrid score interval (Newcombe 1998, "Interval estimation for the
difference between independent proportions", *Statistics in Medicine* 17, method 10) and the
two-sided p-value of Fisher's exact test.  :func:`claim_check` tests the seeds' claim with an
exact one-sided binomial test of H0: rate ≥ claim.

This is observational data: customers whose complaint could be fixed quickly may differ from the
others (simpler problems, more loyal to begin with).  A difference shows association, not proof
that speed causes loyalty.

Examples
--------
>>> import pandas as pd
>>> complaints = pd.DataFrame({"customer_id": ["a", "b"],
...     "created_at": pd.to_datetime(["2026-01-10 10:00", "2026-01-10 11:00"]),
...     "resolved_at": pd.to_datetime(["2026-01-10 15:00", None])})
>>> tx = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
...     "date": pd.to_datetime(["2026-01-10", "2026-02-01", "2026-01-10", "2026-01-12", "2026-02-20"])})
>>> one = recovery_customers(complaints, tx, start="2026-01-01", end="2026-01-31", as_of="2026-06-30")
>>> one[["customer_id", "group", "repurchased"]]
  customer_id       group  repurchased
0           a      golden         True
1           b  unresolved        False
2           c       never         True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from kit.core.display import format_p, md_text
from kit.core.errors import DataError, ParameterError
from kit.core.frames import by_list, examples, require_column, safe_div, z_value
from kit.core.i18n import label_of, t
from kit.loyalty.survey import MIN_N

__all__ = [
    "CUSTOMER_COLUMNS",
    "GROUPS",
    "RECOVERY_COMPARE_COLUMNS",
    "RECOVERY_METRICS",
    "SEED_CLAIM",
    "SUMMARY_COLUMNS",
    "claim_check",
    "compare_groups",
    "describe_recovery",
    "newcombe_interval",
    "recovery_customers",
    "recovery_summary",
    "wilson_interval",
]

GROUPS = ("golden", "late", "unresolved", "never")
RECOVERY_METRICS = ("repurchase", "retention")
#: The seeds' claim: share of dissatisfied customers who stay when the problem is solved fast.
SEED_CLAIM = 95.0

CUSTOMER_COLUMNS = [
    "group",
    "complaint_time",
    "reference",
    "resolution_hours",
    "next_purchase",
    "days_to_next",
    "observed",
    "repurchased",
    "retained",
]
SUMMARY_COLUMNS = [
    "group",
    "customers",
    "observed",
    "censored",
    "repurchased",
    "repurchase_rate",
    "repurchase_low",
    "repurchase_high",
    "retained",
    "retention_rate",
    "retention_low",
    "retention_high",
    "small_sample",
]
RECOVERY_COMPARE_COLUMNS = [
    "group",
    "baseline",
    "metric",
    "n",
    "rate",
    "n_baseline",
    "rate_baseline",
    "difference",
    "diff_low",
    "diff_high",
    "p_value",
    "significant",
    "test",
]


# --------------------------------------------------------------------------------------------
# intervals
# --------------------------------------------------------------------------------------------
def wilson_interval(successes: Any, trials: Any, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion, vectorised (bounds as shares 0–1).

    ``(p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`` (Wilson 1927).  ``trials = 0``
    gives NaN.

    Examples
    --------
    >>> low, high = wilson_interval(8, 10)
    >>> round(float(low), 4), round(float(high), 4)  # Newcombe (1998) table I: 0.4902, 0.9433
    (0.4902, 0.9433)
    """
    k = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    z = z_value(conf)
    p = safe_div(k, n)
    safe_n = np.where(n > 0, n, 1.0)
    centre = (p + z**2 / (2 * safe_n)) / (1 + z**2 / safe_n)
    half = z * np.sqrt(p * (1 - p) / safe_n + z**2 / (4 * safe_n**2)) / (1 + z**2 / safe_n)
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def newcombe_interval(k1: Any, n1: Any, k2: Any, n2: Any, conf: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval for p1 − p2 (method 10 of Newcombe 1998), as shares.

    Examples
    --------
    >>> low, high = newcombe_interval(56, 70, 48, 80)  # Newcombe (1998), example (a): 0.0524, 0.3339
    >>> round(float(low), 4), round(float(high), 4)
    (0.0524, 0.3339)
    """
    p1, p2 = safe_div(k1, n1), safe_div(k2, n2)
    l1, u1 = wilson_interval(k1, n1, conf)
    l2, u2 = wilson_interval(k2, n2, conf)
    d = p1 - p2
    return d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


# --------------------------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------------------------
def _positive_number(name: str, value: Any, integer: bool = False) -> float:
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if ok:
        ok = np.isfinite(value) and value > 0 and (not integer or float(value).is_integer())
    if not ok:
        raise ParameterError.from_key(
            "recovery.error.bad_parameter",
            hint="recovery.hint.bad_parameter",
            column=name,
            name=name,
            value=repr(value),
        )
    return float(value)


def _check_conf(conf: float) -> float:
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0 < conf < 1:
        raise ParameterError.from_key(
            "recovery.error.bad_parameter",
            hint="recovery.hint.bad_parameter",
            column="conf",
            name="conf",
            value=repr(conf),
        )
    return float(conf)


def _times(frame: pd.DataFrame, col: str, allow_missing: bool) -> pd.Series:
    require_column(frame, col, "recovery")
    raw = frame[col]
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        parsed = raw
    else:
        parsed = pd.to_datetime(raw, format="ISO8601", errors="coerce")
    bad = (parsed.isna() & raw.notna()).to_numpy() if allow_missing else parsed.isna().to_numpy()
    if bad.any():
        raise DataError.from_key(
            "recovery.error.bad_dates", column=col, count=int(bad.sum()), examples=examples(raw, bad)
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _day(value: Any, name: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        ts = pd.NaT
    if pd.isna(ts):
        raise ParameterError.from_key(
            "recovery.error.bad_parameter",
            hint="recovery.hint.bad_parameter",
            column=name,
            name=name,
            value=repr(value),
        )
    return ts.normalize()


# --------------------------------------------------------------------------------------------
# per customer
# --------------------------------------------------------------------------------------------
def recovery_customers(
    complaints: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    start: Any = None,
    end: Any = None,
    as_of: Any = None,
    by: Sequence[str] = (),
    window_days: int = 90,
    golden_hours: float = 24.0,
    inactive_days: int = 90,
    seed: int = 0,
    customer_col: str = "customer_id",
    created_col: str = "created_at",
    resolved_col: str = "resolved_at",
    date_col: str = "date",
) -> pd.DataFrame:
    """One row per customer: recovery group, reference day and whether he bought again.

    Parameters
    ----------
    complaints : DataFrame
        The complaints log (it may cover more than the period: a customer with *any* complaint
        in it is never in the ``never`` group).
    transactions : DataFrame
        Purchases, including those after the period (they are the outcome).
    start, end : date-like, optional
        The period whose complaints (and, for the ``never`` group, purchases) start the clock;
        default: the first and last complaint day.
    as_of : date-like, optional
        The last day of the data; default: the latest purchase.
    by : sequence of str
        Grouping columns present in both tables, e.g. ``("store_id",)``: a customer is then
        followed in each store separately, and only his purchases in that store count.
    window_days : int
        N of "bought again within N days".
    golden_hours : float
        The golden window (24 h in the seeds).
    inactive_days : int
        Retention: last purchase at most this many days before ``as_of``.
    seed : int
        Seed of the random draw of matched reference dates for never-complained customers.
    customer_col, created_col, resolved_col, date_col : str
        Column names.

    Returns
    -------
    DataFrame
        ``by`` columns, ``customer_col``, ``group`` (golden / late / unresolved / never),
        ``complaint_time``, ``reference`` (day), ``resolution_hours``, ``next_purchase``,
        ``days_to_next``, ``observed`` (window fully inside the data), ``repurchased`` and
        ``retained`` (booleans; NA when not observed).

    Examples
    --------
    See the module docstring.
    """
    window = int(_positive_number("window_days", window_days, integer=True))
    golden = _positive_number("golden_hours", golden_hours)
    inactive = int(_positive_number("inactive_days", inactive_days, integer=True))
    keys = by_list(complaints, by, "recovery")
    by_list(transactions, by, "recovery")
    for frame in (complaints, transactions):
        require_column(frame, customer_col, "recovery")
    created = _times(complaints, created_col, allow_missing=False)
    resolved = _times(complaints, resolved_col, allow_missing=True)
    tx_day = _times(transactions, date_col, allow_missing=False).dt.normalize()

    start_day = created.min().normalize() if start is None else _day(start, "start")
    end_day = created.max().normalize() if end is None else _day(end, "end")
    as_of_day = tx_day.max() if as_of is None else _day(as_of, "as_of")
    if pd.isna(as_of_day):
        as_of_day = end_day
    ids = keys + [customer_col]

    # ---- complainers: first complaint of the period per (by, customer)
    comp = pd.DataFrame({k: complaints[k] for k in ids})
    comp["complaint_time"] = created
    comp["_resolved"] = resolved.where(resolved.dt.normalize() <= as_of_day)
    comp = comp[comp[customer_col].notna()]
    ever = comp[ids].drop_duplicates()
    day = comp["complaint_time"].dt.normalize()
    first = (
        comp[(day >= start_day) & (day <= end_day)].sort_values("complaint_time", kind="stable").drop_duplicates(ids)
    )
    hours = (first["_resolved"] - first["complaint_time"]).dt.total_seconds() / 3600
    first = first.assign(
        resolution_hours=hours.where(hours >= 0, 0.0),
        group=np.where(hours.isna(), "unresolved", np.where(hours <= golden, "golden", "late")),
        reference=first["complaint_time"].dt.normalize(),
    ).drop(columns="_resolved")

    # ---- purchases
    tx = pd.DataFrame({k: transactions[k] for k in ids})
    tx["_day"] = tx_day
    tx = tx[tx[customer_col].notna() & (tx["_day"] <= as_of_day)]

    # ---- never complained: bought in the period, no complaint at all; matched reference day
    in_period = tx[(tx["_day"] >= start_day) & (tx["_day"] <= end_day)]
    never = in_period[ids].drop_duplicates()
    never = never.merge(ever.assign(_complained=True), on=ids, how="left")
    never = never[never["_complained"].isna()].drop(columns="_complained").reset_index(drop=True)
    rng = np.random.default_rng(seed)
    u = rng.random(len(never))
    middle = (start_day + (end_day - start_day) / 2).normalize()
    if keys:
        pool = first[keys + ["reference"]].sort_values(keys + ["reference"], kind="stable").reset_index(drop=True)
        bounds = (
            pool.assign(_pos=np.arange(len(pool)))
            .groupby(keys, sort=False, observed=True, dropna=False)
            .agg(_first=("_pos", "min"), _count=("_pos", "size"))
            .reset_index()
        )
        never = never.merge(bounds, on=keys, how="left")
        count = never["_count"].fillna(0).to_numpy(dtype="int64")
        pos = never["_first"].fillna(0).to_numpy(dtype="int64") + np.floor(u * np.maximum(count, 1)).astype("int64")
        pool_days = np.append(pool["reference"].to_numpy(dtype="datetime64[ns]"), middle.to_datetime64())
        target = np.where(count > 0, pool_days[np.where(count > 0, pos, len(pool_days) - 1)], middle.to_datetime64())
        never = never.drop(columns=["_first", "_count"])
    else:
        pool_days = np.sort(first["reference"].to_numpy())
        if len(pool_days):
            target = pool_days[np.floor(u * len(pool_days)).astype("int64")]
        else:
            target = np.full(len(never), middle.to_datetime64())
    never["_target"] = (
        pd.to_datetime(target).astype("datetime64[ns]") if len(never) else pd.Series([], dtype="datetime64[ns]")
    )
    if len(never):
        left = never.sort_values("_target", kind="stable")
        right = in_period[ids + ["_day"]].drop_duplicates().sort_values("_day", kind="stable")
        matched = pd.merge_asof(left, right, left_on="_target", right_on="_day", by=ids, direction="nearest")
        never = matched.rename(columns={"_day": "reference"}).drop(columns="_target")
    else:
        never = never.drop(columns="_target").assign(reference=pd.Series([], dtype="datetime64[ns]"))
    never = never.assign(group="never", complaint_time=pd.NaT, resolution_hours=np.nan)

    people = pd.concat([first[ids + CUSTOMER_COLUMNS[:4]], never[ids + CUSTOMER_COLUMNS[:4]]], ignore_index=True)
    people["reference"] = people["reference"].astype("datetime64[ns]")
    people["complaint_time"] = people["complaint_time"].astype("datetime64[ns]")

    # ---- next purchase strictly after the reference day
    if len(people):
        left = (
            people.assign(_after=people["reference"] + pd.Timedelta(days=1))
            .reset_index()
            .sort_values("_after", kind="stable")
        )
        right = tx[ids + ["_day"]].drop_duplicates().sort_values("_day", kind="stable")
        nxt = pd.merge_asof(left, right, left_on="_after", right_on="_day", by=ids, direction="forward")
        people["next_purchase"] = nxt.set_index("index")["_day"].reindex(people.index)
    else:
        people["next_purchase"] = pd.Series([], dtype="datetime64[ns]")
    last = tx.groupby(ids, sort=False, observed=True, dropna=False)["_day"].max().rename("_last").reset_index()
    people = people.merge(last, on=ids, how="left")
    people["days_to_next"] = (people["next_purchase"] - people["reference"]).dt.days
    observed = (people["reference"] + pd.Timedelta(days=window)) <= as_of_day
    bought = people["days_to_next"].le(window).to_numpy()
    retained = (people["_last"] > people["reference"]) & (people["_last"] >= as_of_day - pd.Timedelta(days=inactive))
    people["observed"] = observed.to_numpy()
    people["repurchased"] = pd.array(np.where(observed, bought, False), dtype="boolean")
    people.loc[~observed, "repurchased"] = pd.NA
    people["retained"] = pd.array(retained.to_numpy(dtype=bool), dtype="boolean")
    people.loc[~observed, "retained"] = pd.NA
    order = pd.Categorical(people["group"], categories=GROUPS, ordered=True)
    people = (
        people.assign(_o=order).sort_values(keys + ["_o", customer_col], kind="stable").drop(columns=["_o", "_last"])
    )
    return people[ids + CUSTOMER_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# per group
# --------------------------------------------------------------------------------------------
def recovery_summary(
    customers: pd.DataFrame, by: Sequence[str] = (), conf: float = 0.95, min_n: int = MIN_N
) -> pd.DataFrame:
    """Repurchase and retention per recovery group, with Wilson intervals.

    Parameters
    ----------
    customers : DataFrame
        Output of :func:`recovery_customers`.
    by : sequence of str
        Grouping columns (e.g. ``("store_id",)``); the four recovery groups are always listed.
    conf : float
        Confidence level of the intervals.
    min_n : int
        Groups with fewer observed customers get ``small_sample = True``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``group``, ``customers``, ``observed``, ``censored``, ``repurchased``,
        ``repurchase_rate`` (%), ``repurchase_low``, ``repurchase_high``, ``retained``,
        ``retention_rate`` (%), ``retention_low``, ``retention_high``, ``small_sample``.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"group": ["golden"] * 4 + ["late"] * 2, "observed": True,
    ...                        "repurchased": [True, True, True, False, True, False], "retained": True})
    >>> recovery_summary(people)[["group", "observed", "repurchase_rate"]]
            group  observed  repurchase_rate
    0      golden         4             75.0
    1        late         2             50.0
    2  unresolved         0              NaN
    3       never         0              NaN
    """
    conf = _check_conf(conf)
    keys = by_list(customers, by, "recovery")
    for col in ("group", "observed", "repurchased", "retained"):
        require_column(customers, col, "recovery")
    obs = customers["observed"].astype(bool).to_numpy()
    flags = pd.DataFrame({k: customers[k] for k in keys})
    flags["group"] = pd.Categorical(customers["group"], categories=GROUPS)
    flags["customers"] = 1
    flags["observed"] = obs.astype("int64")
    flags["repurchased"] = (customers["repurchased"].fillna(False).astype(bool).to_numpy() & obs).astype("int64")
    flags["retained"] = (customers["retained"].fillna(False).astype(bool).to_numpy() & obs).astype("int64")
    sums = (
        flags.groupby(keys + ["group"], observed=False, sort=True)[["customers", "observed", "repurchased", "retained"]]
        .sum()
        .reset_index()
    )
    if keys:  # keep only by-combinations that exist
        present = flags[keys].drop_duplicates()
        sums = sums.merge(present, on=keys, how="inner")
    sums["group"] = sums["group"].astype(str)
    n = sums["observed"].to_numpy(dtype="float64")
    out = sums.copy()
    out["censored"] = out["customers"] - out["observed"]
    for metric, col in (("repurchase", "repurchased"), ("retention", "retained")):
        k = out[col].to_numpy(dtype="float64")
        low, high = wilson_interval(k, n, conf)
        out[f"{metric}_rate"] = 100 * safe_div(k, n)
        out[f"{metric}_low"] = 100 * low
        out[f"{metric}_high"] = 100 * high
    out["small_sample"] = n < min_n
    return out[keys + SUMMARY_COLUMNS].reset_index(drop=True)


def compare_groups(
    summary: pd.DataFrame,
    metric: str = "repurchase",
    baseline: str = "golden",
    by: Sequence[str] = (),
    conf: float = 0.95,
) -> pd.DataFrame:
    """Each recovery group against ``baseline`` (default: resolved within the golden window).

    Difference of rates in points with Newcombe's hybrid score interval and the two-sided
    p-value of Fisher's exact test on the 2×2 table (bought again / not × group / baseline).

    Parameters
    ----------
    summary : DataFrame
        Output of :func:`recovery_summary`.
    metric : {"repurchase", "retention"}
    baseline : str
        The group the others are compared with.
    by : sequence of str
        The ``by`` columns of ``summary``.
    conf : float
        Confidence level; ``significant`` means ``p_value < 1 − conf``.

    Returns
    -------
    DataFrame
        ``by`` columns, then ``group, baseline, metric, n, rate, n_baseline, rate_baseline,
        difference, diff_low, diff_high, p_value, significant, test``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"group": ["golden", "late"], "observed": [70, 80], "repurchased": [56, 48], "retained": [0, 0]})
    >>> row = compare_groups(s).iloc[0]  # late 48/80 against golden 56/70: Newcombe (1998) example (a)
    >>> round(float(row["difference"]), 1), round(float(row["diff_low"]), 2), round(float(row["diff_high"]), 2)
    (-20.0, -33.39, -5.24)
    """
    conf = _check_conf(conf)
    if metric not in RECOVERY_METRICS:
        raise ParameterError.from_key(
            "recovery.error.bad_parameter",
            hint="recovery.hint.bad_parameter",
            column="metric",
            name="metric",
            value=repr(metric),
        )
    keys = by_list(summary, by, "recovery")
    col = "repurchased" if metric == "repurchase" else "retained"
    base = summary[summary["group"] == baseline][keys + ["observed", col]].rename(
        columns={"observed": "n_baseline", col: "k_baseline"}
    )
    rest = summary[summary["group"] != baseline][keys + ["group", "observed", col]].rename(
        columns={"observed": "n", col: "k"}
    )
    pairs = (
        rest.merge(base, on=keys, how="left")
        if keys
        else rest.assign(
            n_baseline=base["n_baseline"].sum() if len(base) else 0,
            k_baseline=base["k_baseline"].sum() if len(base) else 0,
        )
    )
    n1, k1 = pairs["n"].to_numpy(dtype="float64"), pairs["k"].to_numpy(dtype="float64")
    n0 = pairs["n_baseline"].fillna(0).to_numpy(dtype="float64")
    k0 = pairs["k_baseline"].fillna(0).to_numpy(dtype="float64")
    low, high = newcombe_interval(k1, n1, k0, n0, conf)
    # Fisher's exact test per comparison: a handful of 2x2 tables (groups x stores), not rows
    pvals = np.array(
        [
            stats.fisher_exact([[a, b - a], [c, d - c]]).pvalue if b > 0 and d > 0 else np.nan
            for a, b, c, d in zip(k1, n1, k0, n0)
        ],
        dtype="float64",
    )
    out = pairs[keys + ["group"]].copy().reset_index(drop=True)
    out["baseline"] = baseline
    out["metric"] = metric
    out["n"] = n1.astype("int64")
    out["rate"] = 100 * safe_div(k1, n1)
    out["n_baseline"] = n0.astype("int64")
    out["rate_baseline"] = 100 * safe_div(k0, n0)
    out["difference"] = out["rate"] - out["rate_baseline"]
    out["diff_low"] = 100 * low
    out["diff_high"] = 100 * high
    out["p_value"] = pvals
    out["significant"] = out["p_value"].lt(1 - conf).to_numpy()
    out["test"] = "fisher_exact"
    return out[keys + RECOVERY_COMPARE_COLUMNS]


def claim_check(
    summary: pd.DataFrame,
    claim: float = SEED_CLAIM,
    group: str = "golden",
    metric: str = "repurchase",
    by: Sequence[str] = (),
    conf: float = 0.95,
) -> pd.DataFrame:
    """Test the seeds' claim "``claim`` % stay when the problem is solved fast" on the data.

    Exact one-sided binomial test of H0: rate ≥ claim against H1: rate < claim (a small
    p-value means the data contradict the claim), plus whether the claim lies inside the
    group's Wilson interval.

    Returns
    -------
    DataFrame
        ``by`` columns, then ``group, metric, n, rate, low, high, claim, p_value, verdict`` with
        verdict ``below`` (claim rejected), ``consistent`` or ``no_data``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"group": ["golden"], "observed": [100], "repurchased": [80], "retained": [0]})
    >>> row = claim_check(s).iloc[0]
    >>> float(row["rate"]), row["verdict"]
    (80.0, 'below')
    """
    conf = _check_conf(conf)
    if metric not in RECOVERY_METRICS:
        raise ParameterError.from_key(
            "recovery.error.bad_parameter",
            hint="recovery.hint.bad_parameter",
            column="metric",
            name="metric",
            value=repr(metric),
        )
    claim = float(claim)
    if not 0 < claim < 100:
        raise ParameterError.from_key(
            "recovery.error.bad_parameter",
            hint="recovery.hint.bad_parameter",
            column="claim",
            name="claim",
            value=repr(claim),
        )
    keys = by_list(summary, by, "recovery")
    col = "repurchased" if metric == "repurchase" else "retained"
    rows = summary[summary["group"] == group]
    n = rows["observed"].to_numpy(dtype="float64")
    k = rows[col].to_numpy(dtype="float64")
    low, high = wilson_interval(k, n, conf)
    pval = np.where(n > 0, stats.binom.cdf(k, np.maximum(n, 1), claim / 100), np.nan)
    out = rows[keys].copy().reset_index(drop=True)
    out["group"] = group
    out["metric"] = metric
    out["n"] = n.astype("int64")
    out["rate"] = 100 * safe_div(k, n)
    out["low"] = 100 * low
    out["high"] = 100 * high
    out["claim"] = claim
    out["p_value"] = pval
    out["verdict"] = np.where(n == 0, "no_data", np.where(pval < 1 - conf, "below", "consistent"))
    return out


# --------------------------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------------------------
def _pct(v: float) -> str:
    return "—" if pd.isna(v) else f"{v:.0f}%"


def describe_recovery(
    summary: pd.DataFrame,
    comparisons: pd.DataFrame,
    claim: pd.DataFrame,
    lang: str,
    window_days: int = 90,
    link: str = "",
    who: str = "",
) -> str:
    """A short finding on service recovery in ``lang`` (for one store or the chain: no ``by``).

    Parameters
    ----------
    summary, comparisons, claim : DataFrame
        Outputs of :func:`recovery_summary`, :func:`compare_groups` and :func:`claim_check`
        for one unit.
    lang : {"zh", "en"}
    window_days : int
        The window used (for the wording).
    link : str
        A playbook link appended to the text.
    who : str
        Whom the finding is about (a store's name, "whole chain"), shown in bold first; text from
        the data, so shown as written (:func:`kit.core.display.md_text`).
    """
    rates = summary.set_index("group")
    parts = []
    names = {g: label_of("recovery.group", g, lang) for g in GROUPS}
    sep = "；" if lang == "zh" else "; "
    shown = [
        t(
            "recovery.text.group_rate",
            lang,
            group=names[g],
            rate=_pct(rates.loc[g, "repurchase_rate"]),
            n=int(rates.loc[g, "observed"]),
        )
        for g in GROUPS
        if g in rates.index
    ]
    parts.append(t("recovery.text.rates", lang, days=window_days, rates=sep.join(shown)))
    if len(claim):
        row = claim.iloc[0]
        key = {"below": "claim_below", "consistent": "claim_consistent"}.get(str(row["verdict"]), "claim_no_data")
        parts.append(
            t(
                f"recovery.text.{key}",
                lang,
                rate=_pct(row["rate"]),
                low=_pct(row["low"]),
                high=_pct(row["high"]),
                claim=_pct(row["claim"]),
                n=int(row["n"]),
            )
        )
    sig = comparisons[comparisons["significant"] & comparisons["difference"].lt(0)]
    if len(sig):
        worst = sig.sort_values("difference").iloc[0]
        parts.append(
            t(
                "recovery.text.gap",
                lang,
                group=names[str(worst["group"])],
                diff=f"{-worst['difference']:.0f}",
                p=format_p(worst["p_value"]),
            )
        )
    elif len(comparisons):
        parts.append(t("recovery.text.no_gap", lang))
    small = summary["small_sample"].any()
    if small:
        parts.append(t("recovery.text.small", lang))
    parts.append(t("recovery.text.caveat", lang))
    if link:
        parts.append(link)
    if who:
        parts.insert(0, f"**{md_text(who)}**")
    return " ".join(parts)
