"""Glue and findings for the satisfaction-and-loyalty report (notebook 04).

The metrics live in :mod:`kit.loyalty.survey`, :mod:`kit.loyalty.servqual`, :mod:`kit.loyalty`, :mod:`kit.loyalty.clv`,
:mod:`kit.loyalty.recovery`, :mod:`kit.loyalty.drivers` and :mod:`kit.workshop.goals`; this module puts them together the
way the notebook shows them (one store against its previous period and against the rest of the
chain) and writes the findings in Chinese or English, each with a link to the playbook chapter
``playbook/04_satisfaction_loyalty.<lang>.md``.

The simple CLV follows Gupta & Lehmann (2003): ``CLV = m · r / (1 + i − r)`` with ``m`` the
margin per active customer per period (spend × ``margin``), ``r`` the period-to-period
retention (share of the customers buying in one period who buy again in the next, pooled over
the consecutive periods fully inside the report period) and ``i`` the discount rate per period.
Quarters are used when the period holds at least two full quarters, months otherwise.

Examples
--------
>>> previous_period("2026-04-01", "2026-06-30")
(datetime.date(2025, 12, 31), datetime.date(2026, 3, 31))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kit.core.display import format_p
from kit.core.errors import DataError, ParameterError, Text
from kit.core.i18n import label_of, t
from kit.core.periods import previous_period
from kit.loyalty.clv import (
    BgNbd,
    GammaGamma,
    fit_bgnbd,
    fit_gamma_gamma,
    frequency_recency_summary,
    margin_multiple_clv,
    model_clv,
)
from kit.loyalty.contractual import SbgModel, membership_survival, pooled_survival, sbg_fit_counts
from kit.loyalty.servqual import ServqualResult
from kit.loyalty.survey import CI_METHODS, MIN_N, ces_table, compare, compare_to_rest, csat_table, nps_table

__all__ = [
    "MembershipRetention",
    "PLAYBOOK",
    "StoreClv",
    "describe_clv",
    "describe_loyalty",
    "describe_membership",
    "describe_scores",
    "describe_servqual",
    "drivers_or_none",
    "labelled",
    "largest_gap",
    "membership_retention",
    "method_note",
    "model_clv_for_store",
    "model_parameters",
    "monthly_nps",
    "period_retention",
    "playbook_link",
    "score_changes",
    "score_summary",
    "simple_clv",
    "store_clv",
]

PLAYBOOK = "../playbook/04_satisfaction_loyalty.{lang}.md"


def playbook_link(anchor: str, lang: str) -> str:
    """A Markdown link to a section of the playbook chapter in ``lang``.

    Examples
    --------
    >>> playbook_link("reading-scores", "en")
    '[→ playbook](../playbook/04_satisfaction_loyalty.en.md#reading-scores)'
    """
    return f"[{t('loyalty_report.text.link', lang)}]({PLAYBOOK.format(lang=lang)}#{anchor})"


def _between(frame: pd.DataFrame, col: str, start: Any, end: Any) -> pd.DataFrame:
    lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
    when = pd.to_datetime(frame[col])
    return frame.loc[(when >= lo) & (when < hi)]


# --------------------------------------------------------------------------------------------
# survey scores
# --------------------------------------------------------------------------------------------
def score_summary(
    surveys: pd.DataFrame, conf: float = 0.95, min_n: int = MIN_N, ces_scale: str = "ces2"
) -> pd.DataFrame:
    """NPS, CSAT and CES of one sample in one table: value, interval, n, small-sample flag.

    Returns
    -------
    DataFrame
        ``metric`` (nps / csat / ces), ``n``, ``value``, ``ci_low``, ``ci_high``, ``se``,
        ``detail`` (NPS: promoters − detractors in %; CSAT: the mean 1–5; CES: the low-effort
        share) and ``small_sample``.
    """
    nps = nps_table(surveys, conf=conf, min_n=min_n).iloc[0]
    csat = csat_table(surveys, conf=conf, min_n=min_n).iloc[0]
    ces = ces_table(surveys, scale=ces_scale, conf=conf, min_n=min_n).iloc[0]
    rows = [
        (
            "nps",
            nps["n"],
            nps["nps"],
            nps["ci_low"],
            nps["ci_high"],
            nps["se"],
            f"{nps['pct_promoters']:.0f}% − {nps['pct_detractors']:.0f}%" if nps["n"] else "—",
            nps["small_sample"],
        ),
        (
            "csat",
            csat["n"],
            csat["csat"],
            csat["ci_low"],
            csat["ci_high"],
            np.nan,
            f"{csat['mean']:.2f} / 5" if csat["n"] else "—",
            csat["small_sample"],
        ),
        (
            "ces",
            ces["n"],
            ces["ces"],
            ces["ci_low"],
            ces["ci_high"],
            ces["se"],
            f"{ces['easy_share']:.0f}%" if ces["n"] else "—",
            ces["small_sample"],
        ),
    ]
    return pd.DataFrame(rows, columns=["metric", "n", "value", "ci_low", "ci_high", "se", "detail", "small_sample"])


def score_changes(
    chain_surveys: pd.DataFrame,
    store_id: str,
    start: Any,
    end: Any,
    conf: float = 0.95,
    min_n: int = MIN_N,
    store_col: str = "store_id",
    date_col: str = "date",
) -> pd.DataFrame:
    """Each metric of the store against its previous period and against the rest of the chain.

    The previous period has the same length and ends the day before ``start``.  When the store
    has no answer at all in it (e.g. the data start with the period), the last three months of
    the period are compared with the three months before them instead, and ``against`` says so
    (``"last_quarter"``).

    Returns
    -------
    DataFrame
        ``against`` (``previous``, ``last_quarter`` or ``rest``), ``current``, ``baseline`` (the
        two periods or samples, as text) and the columns of :func:`kit.loyalty.survey.compare`.
    """
    now = _between(chain_surveys, date_col, start, end)
    store_now = now[now[store_col] == store_id]
    p_start, p_end = previous_period(start, end)
    store_before = _between(chain_surveys[chain_surveys[store_col] == store_id], date_col, p_start, p_end)
    against, cur_text, base_text = (
        "previous",
        f"{pd.Timestamp(start).date()}..{pd.Timestamp(end).date()}",
        f"{p_start}..{p_end}",
    )
    if store_before.empty:
        e = pd.Timestamp(end).normalize()
        q_start = (e + pd.Timedelta(days=1) - pd.DateOffset(months=3)).normalize()
        b_start = (q_start - pd.DateOffset(months=3)).normalize()
        if b_start >= pd.Timestamp(start).normalize():
            store_before = _between(store_now, date_col, b_start, q_start - pd.Timedelta(days=1))
            store_now = _between(store_now, date_col, q_start, e)
            against = "last_quarter"
            cur_text = f"{q_start.date()}..{e.date()}"
            base_text = f"{b_start.date()}..{(q_start - pd.Timedelta(days=1)).date()}"
    parts = []
    for metric in ("nps", "csat", "ces"):
        prev = compare(store_now, store_before, metric=metric, conf=conf, min_n=min_n)
        rest = compare_to_rest(now, metric=metric, unit_col=store_col, conf=conf, min_n=min_n)
        rest = rest[rest[store_col] == store_id].drop(columns=store_col)
        parts += [
            prev.assign(against=against, current=cur_text, baseline=base_text),
            rest.assign(against="rest", current=store_id, baseline="chain"),
        ]
    out = pd.concat(parts, ignore_index=True)
    lead = ["against", "current", "baseline"]
    return out[lead + [c for c in out.columns if c not in lead]]


def monthly_nps(
    chain_surveys: pd.DataFrame,
    store_id: str,
    start: Any,
    end: Any,
    conf: float = 0.95,
    min_n: int = MIN_N,
    store_col: str = "store_id",
    date_col: str = "date",
) -> pd.DataFrame:
    """NPS per month for the store and for the whole chain (``unit`` = ``store`` or ``chain``)."""
    now = _between(chain_surveys, date_col, start, end)
    now = now.assign(month=pd.to_datetime(now[date_col]).dt.strftime("%Y-%m"))
    store = nps_table(now[now[store_col] == store_id], by=("month",), conf=conf, min_n=min_n).assign(unit="store")
    chain = nps_table(now, by=("month",), conf=conf, min_n=min_n).assign(unit="chain")
    return pd.concat([store, chain], ignore_index=True)


def _fmt_metric(metric: str, value: float) -> str:
    if pd.isna(value):
        return "—"
    return f"{value:+.0f}" if metric == "nps" else (f"{value:.0f}%" if metric == "csat" else f"{value:.2f}")


def describe_scores(summary: pd.DataFrame, changes: pd.DataFrame, lang: str) -> str:
    """Findings on the survey scores: values with intervals, significant changes, small samples."""
    lines = []
    rows = summary.set_index("metric")
    for metric in ("nps", "csat", "ces"):
        r = rows.loc[metric]
        if not r["n"]:
            lines.append(
                t("loyalty_report.text.no_answers", lang, metric=label_of("loyalty_report.metric", metric, lang))
            )
            continue
        key = "loyalty_report.text.score_small" if r["small_sample"] else "loyalty_report.text.score"
        lines.append(
            t(
                key,
                lang,
                metric=label_of("loyalty_report.metric", metric, lang),
                value=_fmt_metric(metric, r["value"]),
                low=_fmt_metric(metric, r["ci_low"]),
                high=_fmt_metric(metric, r["ci_high"]),
                n=int(r["n"]),
            )
        )
    for _, c in changes.iterrows():
        name = label_of("loyalty_report.metric", c["metric"], lang)
        against = label_of("loyalty_report.against", c["against"], lang)
        if pd.isna(c["p_value"]):
            continue
        if c["significant"] and not c["small_sample"]:
            key = "loyalty_report.text.change_up" if c["difference"] > 0 else "loyalty_report.text.change_down"
            diff = abs(c["difference"])
            lines.append(
                t(
                    key,
                    lang,
                    metric=name,
                    against=against,
                    diff=f"{diff:.1f}" if c["metric"] != "ces" else f"{diff:.2f}",
                    p=format_p(c["p_value"]),
                )
            )
    sig = changes["significant"] & ~changes["small_sample"]
    if not sig.any():
        lines.append(t("loyalty_report.text.no_change", lang))
    lines.append(playbook_link("reading-scores", lang))
    return " ".join(lines)


# --------------------------------------------------------------------------------------------
# SERVQUAL
# --------------------------------------------------------------------------------------------
def largest_gap(result: ServqualResult) -> pd.Series | None:
    """The dimension with the most negative gap (None when nobody answered the block)."""
    dims = result.dimensions.dropna(subset=["gap"])
    if dims.empty:
        return None
    return dims.sort_values("gap", kind="stable").iloc[0]


def describe_servqual(result: ServqualResult, lang: str) -> str:
    """The largest SERVQUAL gap with its remedy in the playbook, and the two overall scores."""
    top = largest_gap(result)
    if top is None:
        return t("loyalty_report.text.no_servqual", lang)
    scores = result.scores.iloc[0]
    name = label_of("servqual.dimension", top["dimension"], lang)
    text = t(
        "loyalty_report.text.servqual",
        lang,
        dimension=name,
        gap=f"{top['gap']:+.2f}".replace("-", "−"),
        e=f"{top['expectation']:.2f}",
        p=f"{top['perception']:.2f}",
        unweighted=f"{scores['unweighted']:+.2f}".replace("-", "−"),
        weighted="—" if pd.isna(scores["weighted"]) else f"{scores['weighted']:+.2f}".replace("-", "−"),
        n=int(scores["n"]),
    )
    if scores["small_sample"]:
        text += " " + t("loyalty_report.text.servqual_small", lang, n=int(scores["n"]))
    text += (
        " "
        + t("loyalty_report.text.remedy", lang, dimension=name)
        + " "
        + playbook_link(f"remedy-{top['dimension']}", lang)
    )
    return text


# --------------------------------------------------------------------------------------------
# loyalty and CLV
# --------------------------------------------------------------------------------------------
def _resolve_freq(start: Any, end: Any, freq: str) -> str:
    """``"Q"`` or ``"M"``; ``"auto"`` = quarters when the period holds two full quarters."""
    if freq in ("Q", "M"):
        return freq
    if freq != "auto":
        raise ParameterError.from_key("loyalty_report.error.bad_freq", column="freq", value=repr(freq))
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    full_q = [q for q in pd.period_range(s, e, freq="Q") if q.start_time >= s and q.end_time.normalize() <= e]
    return "Q" if len(full_q) >= 2 else "M"


def period_retention(
    transactions: pd.DataFrame,
    start: Any,
    end: Any,
    freq: str = "auto",
    customer_col: str = "customer_id",
    date_col: str = "date",
) -> pd.DataFrame:
    """Period-to-period retention: of the customers buying in a period, the share buying in the next.

    Only periods fully inside [start, end] are used.  ``freq`` is ``"Q"``, ``"M"`` or ``"auto"``
    (quarters when there are at least two full quarters, else months).

    Returns
    -------
    DataFrame
        One row per pair of consecutive periods: ``period``, ``customers``, ``retained``,
        ``retention`` (%).

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": ["a", "b", "a"], "date": ["2026-01-05", "2026-01-09", "2026-02-03"]})
    >>> period_retention(tx, "2026-01-01", "2026-02-28")[["period", "customers", "retained", "retention"]]
        period  customers  retained  retention
    0  2026-01          2         1       50.0
    """
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    freq = _resolve_freq(s, e, freq)
    periods = pd.period_range(s, e, freq=freq)
    full = [p for p in periods if p.start_time >= s and p.end_time.normalize() <= e]
    when = pd.to_datetime(transactions[date_col])
    frame = pd.DataFrame({"c": transactions[customer_col].to_numpy(), "p": when.dt.to_period(freq).to_numpy()})
    frame = frame[frame["p"].isin(full)].drop_duplicates()
    if len(full) < 2 or frame.empty:
        return pd.DataFrame(
            {
                "period": pd.Series([], dtype=str),
                "customers": pd.Series([], dtype="int64"),
                "retained": pd.Series([], dtype="int64"),
                "retention": pd.Series([], dtype="float64"),
            }
        )
    nxt = frame.assign(p=frame["p"] - 1, next_=True)  # a purchase in p+1, aligned to p
    both = frame.merge(nxt, on=["c", "p"], how="left")
    both["next_"] = both["next_"].fillna(False).astype(bool)
    both = both[both["p"] != full[-1]]
    out = both.groupby("p", sort=True).agg(customers=("c", "size"), retained=("next_", "sum")).reset_index()
    out["period"] = out["p"].astype(str)
    out["retention"] = 100 * out["retained"] / out["customers"]
    return out[["period", "customers", "retained", "retention"]].reset_index(drop=True)


def simple_clv(
    transactions: pd.DataFrame,
    start: Any,
    end: Any,
    margin: float = 0.3,
    annual_discount: float = 0.10,
    freq: str = "auto",
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> pd.DataFrame:
    """The margin-multiple CLV (Gupta & Lehmann 2003) of the customers of ``transactions``.

    Returns
    -------
    DataFrame
        One row: ``freq``, ``periods``, ``spend_per_period`` (mean spend of a customer active in
        a period), ``margin``, ``margin_per_period``, ``retention`` (pooled, 0–1),
        ``discount_per_period``, ``multiple`` (``r / (1 + i − r)``) and ``clv`` (yuan).
    """
    use = _resolve_freq(start, end, freq)
    ret = period_retention(transactions, start, end, use, customer_col, date_col)
    per_year = 4 if use == "Q" else 12
    when = pd.to_datetime(transactions[date_col])
    frame = pd.DataFrame(
        {
            "c": transactions[customer_col].to_numpy(),
            "p": when.dt.to_period(use).to_numpy(),
            "a": pd.to_numeric(transactions[amount_col], errors="coerce").to_numpy(),
        }
    )
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    full = [p for p in pd.period_range(s, e, freq=use) if p.start_time >= s and p.end_time.normalize() <= e]
    frame = frame[frame["p"].isin(full)]
    spend = frame.groupby(["p", "c"])["a"].sum().mean() if len(frame) else float("nan")
    r = float(ret["retained"].sum() / ret["customers"].sum()) if len(ret) and ret["customers"].sum() else float("nan")
    i = (1 + annual_discount) ** (1 / per_year) - 1
    m = spend * margin
    if np.isfinite(r) and np.isfinite(m):
        r_used = min(r, 0.999)
        clv = float(margin_multiple_clv(m, r_used, i))
        multiple = r_used / (1 + i - r_used)
    else:
        clv = multiple = float("nan")
    return pd.DataFrame(
        [
            {
                "freq": use,
                "periods": len(ret),
                "spend_per_period": spend,
                "margin": margin,
                "margin_per_period": m,
                "period_retention": r,
                "discount_per_period": i,
                "multiple": multiple,
                "clv": clv,
            }
        ]
    )


def model_clv_for_store(
    chain_transactions: pd.DataFrame,
    store_customers: Any,
    observation_end: Any,
    margin: float = 0.3,
    horizon_weeks: float = 52,
    annual_discount: float = 0.10,
    customer_col: str = "customer_id",
    date_col: str = "date",
    amount_col: str = "amount",
) -> tuple[BgNbd, GammaGamma, pd.DataFrame]:
    """Fit BG/NBD and Gamma-Gamma on the whole chain, then predict for the store's customers.

    The models are fitted on every customer of the chain up to ``observation_end`` (weeks as the
    time unit, as in the CDNOW papers) -- one store alone is often too few customers for stable
    parameters -- and applied to the customers in ``store_customers``.  CLV over the next
    ``horizon_weeks`` is expected purchases × expected spend × ``margin``, discounted per
    quarter at ``annual_discount``.

    Returns
    -------
    (BgNbd, GammaGamma, DataFrame)
        The two fitted models and the store customers' summary with ``p_alive``,
        ``expected_purchases``, ``expected_spend`` and ``clv``.
    """
    tx = chain_transactions[pd.to_datetime(chain_transactions[date_col]) <= pd.Timestamp(observation_end)]
    summary = frequency_recency_summary(
        tx,
        customer_col=customer_col,
        date_col=date_col,
        amount_col=amount_col,
        observation_end=observation_end,
        time_unit="W",
    )
    purchases = fit_bgnbd(summary)
    spend = fit_gamma_gamma(summary)
    mine = summary[summary[customer_col].isin(set(pd.Series(store_customers).astype(str)))].reset_index(drop=True)
    if mine.empty:
        raise DataError.from_key("loyalty_report.error.no_customers")
    periods = max(int(round(horizon_weeks / 13)), 1)
    quarter_rate = (1 + annual_discount) ** (1 / 4) - 1
    out = model_clv(
        mine, purchases, spend, horizon=horizon_weeks, margin=margin, discount_rate=quarter_rate, periods=periods
    )
    return purchases, spend, out


def describe_loyalty(
    repeat: pd.Series, churn: pd.Series, chain_repeat: pd.Series, chain_churn: pd.Series, inactive_days: int, lang: str
) -> str:
    """Repeat-purchase and churn rates of the store next to the chain's."""
    return (
        t(
            "loyalty_report.text.loyalty",
            lang,
            repeat=f"{repeat['repeat_rate']:.0f}%",
            customers=int(repeat["customers"]),
            chain_repeat=f"{chain_repeat['repeat_rate']:.0f}%",
            churn=f"{churn['churn_rate']:.0f}%",
            chain_churn=f"{chain_churn['churn_rate']:.0f}%",
            days=inactive_days,
        )
        + " "
        + playbook_link("loyalty-conversation", lang)
    )


def describe_clv(simple: pd.Series, predicted: pd.DataFrame, horizon_weeks: float, lang: str) -> str:
    """The two CLV figures side by side, with what each assumes."""
    unit = label_of("loyalty_report.period", simple["freq"], lang)
    return (
        t(
            "loyalty_report.text.clv",
            lang,
            clv=f"{simple['clv']:,.0f}",
            margin=f"{simple['margin']:.0%}",
            spend=f"{simple['spend_per_period']:,.0f}",
            unit=unit,
            r=f"{simple['period_retention']:.0%}",
            multiple=f"{simple['multiple']:.2f}",
            model=f"{predicted['clv'].mean():,.0f}",
            weeks=f"{horizon_weeks:.0f}",
            alive=f"{predicted['p_alive'].mean():.0%}",
            n=len(predicted),
        )
        + " "
        + playbook_link("clv", lang)
    )


# --------------------------------------------------------------------------------------------
# notebook helpers
# --------------------------------------------------------------------------------------------
def labelled(
    frame: pd.DataFrame, lang: str, group: str, *, percent: Any = (), decimals: Any = None, codes: Any = None
) -> pd.DataFrame:
    """A display copy of ``frame`` with headers from the label group ``group`` (e.g. ``"recovery.column"``).

    Formatting as :func:`kit.core.display.table` (``percent``, ``decimals``, ``codes``); headers
    not in ``group`` fall back to the shared ``column`` labels.  Booleans are shown as 是/否 or
    yes/no, a ``p_value`` column as ``0.031`` or ``< 0.001`` (:func:`kit.core.display.format_p`).

    Examples
    --------
    >>> import pandas as pd
    >>> labelled(pd.DataFrame({"n": [3], "small_sample": [True]}), "en", "loyalty_report.column").columns.tolist()
    ['responses', 'small sample']
    """
    from kit.core.display import format_values
    from kit.core.i18n import labels

    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col].dtype):
            out[col] = out[col].map(lambda v: label_of("loyalty_report.yesno", str(bool(v)), lang))
    if "p_value" in out.columns:  # "< 0.001", never "0.000"
        out["p_value"] = out["p_value"].map(lambda p: format_p(p).removeprefix("p = ").removeprefix("p "))
    out = format_values(out, lang, percent=percent, decimals=decimals, codes=codes)
    names = labels(group, lang)
    shared = labels("column", lang)
    return out.rename(columns={c: names.get(c, shared.get(c, c)) for c in out.columns})


def model_parameters(bgnbd: BgNbd, gg: GammaGamma) -> pd.DataFrame:
    """The fitted parameters of the two CLV models as one table: ``model``, ``parameter``, ``value``.

    Examples
    --------
    >>> m = model_parameters(BgNbd(0.243, 4.414, 0.793, 2.426), GammaGamma(6.25, 3.74, 15.44))
    >>> m["model"].tolist().count("BG/NBD"), m["model"].tolist().count("Gamma-Gamma")
    (4, 3)
    """
    rows = [("BG/NBD", k, v) for k, v in bgnbd.params.items()] + [("Gamma-Gamma", k, v) for k, v in gg.params.items()]
    return pd.DataFrame(rows, columns=["model", "parameter", "value"])


def drivers_or_none(frame: pd.DataFrame, target: str = "nps", **options: Any) -> Any:
    """:func:`kit.loyalty.drivers.key_drivers` on ``frame``, or None when there is too little data for it.

    Too little means no predictor column, or fewer complete rows than predictors + 2.
    """
    from kit.loyalty.drivers import key_drivers

    predictors = [
        c for c in frame.columns if c != target and frame[c].notna().any() and frame[c].nunique(dropna=True) > 1
    ]
    if not predictors:
        return None
    try:
        return key_drivers(frame, target=target, predictors=predictors, **options)
    except (DataError, ParameterError):
        return None


@dataclass(frozen=True)
class StoreClv:
    """What the lifetime-value section shows for one store: the simple formula and the two models."""

    simple: pd.DataFrame
    bgnbd: BgNbd
    gg: GammaGamma
    predicted: pd.DataFrame


def store_clv(
    store_transactions: pd.DataFrame,
    chain_transactions: pd.DataFrame,
    start: Any,
    end: Any,
    *,
    margin: float = 0.3,
    horizon_weeks: float = 52,
) -> StoreClv | None:
    """:func:`simple_clv` and :func:`model_clv_for_store` for a store, or None when it has no purchases.

    The models need repeat buyers in the chain; a chain or store without them gets None too (the
    report then says which data would fill the section), never a traceback.
    """
    if store_transactions.empty or chain_transactions.empty:
        return None
    try:
        simple = simple_clv(store_transactions, start, end, margin=margin)
        bgnbd, gg, predicted = model_clv_for_store(
            chain_transactions,
            store_transactions["customer_id"].unique(),
            end,
            margin=margin,
            horizon_weeks=horizon_weeks,
        )
    except DataError:
        return None
    return StoreClv(simple=simple, bgnbd=bgnbd, gg=gg, predicted=predicted)


# --------------------------------------------------------------------------------------------
# contractual retention (membership programme) and method notes
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MembershipRetention:
    """The membership programme of one store with its fitted shifted-beta-geometric model.

    Attributes
    ----------
    store_id : str
    model : SbgModel
        Fitted on every joining year of the store together (Fader & Hardie 2007).
    cohorts : DataFrame
        :func:`kit.loyalty.contractual.membership_survival` of the store.
    table : DataFrame
        One row per year since joining (0 … the longer of ``horizon`` and the years observed):
        ``period``, ``at_risk`` (members up for renewal, all joining years), ``observed_survival``,
        ``fitted_survival``, ``observed_retention``, ``fitted_retention`` (all in %; observed
        values NaN beyond the years observed).
    horizon : int
        Years over which the expected lifetime is given.
    next_year_retention : float
        Share (0–1) of today's members expected to renew at their next anniversary: each
        joining year's members still in, weighted by the model's retention rate at their tenure.
    """

    store_id: str
    model: SbgModel
    cohorts: pd.DataFrame
    table: pd.DataFrame
    horizon: int
    next_year_retention: float

    @property
    def members(self) -> int:
        """Members who joined, all joining years together."""
        return int(self.cohorts.loc[self.cohorts["period"] == 0, "cohort_size"].sum())

    @property
    def years_observed(self) -> int:
        """The longest number of renewal years observed."""
        return int(self.cohorts["period"].max())


def membership_retention(
    memberships: Any,
    store_id: str,
    as_of: Any = None,
    horizon: int = 10,
    store_col: str = "store_id",
) -> MembershipRetention | None:
    """Fit the sBG model to one store's membership renewals; None when there is nothing to fit.

    Parameters
    ----------
    memberships : DataFrame, LoadResult or None
        The chain's memberships table (``Chain.memberships`` or its ``data``); None when the
        data folder has no ``memberships`` file.
    store_id : str
    as_of : date-like, optional
        End of observation, usually the end of the report period (see
        :func:`kit.loyalty.contractual.membership_survival`).
    horizon : int
        Years shown and used for the expected lifetime.
    store_col : str
        The store column of ``memberships``.

    Returns
    -------
    MembershipRetention or None
        None when there are no memberships, none for the store, no renewal year observed yet,
        or a history the model cannot be fitted to (nobody left, or everybody left at once) --
        the report then says nothing about memberships.

    Examples
    --------
    >>> import pandas as pd
    >>> membership_retention(None, "001") is None
    True
    >>> m = pd.DataFrame({"store_id": ["001"] * 4,
    ...                   "joined_on": ["2024-02-01", "2024-05-01", "2024-07-01", "2025-03-01"],
    ...                   "ended_on": ["2025-02-01", "", "2026-07-01", ""]})
    >>> res = membership_retention(m, "001", as_of="2026-12-31", horizon=5)
    >>> # year 1: 3 of 4 renewed (both joining years); year 2: 1 of the 2 of 2024 -> 75 % x 50 %
    >>> res.members, res.years_observed, res.table["observed_survival"].round(1).tolist()[:3]
    (4, 2, [100.0, 75.0, 37.5])
    """
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ParameterError.from_key(
            "contractual.error.bad_parameter",
            column="horizon",
            name="horizon",
            value=repr(horizon),
            rule=Text("contractual.rule.positive_int"),
        )
    data = getattr(memberships, "data", memberships)
    if data is None or not isinstance(data, pd.DataFrame) or store_col not in data.columns or data.empty:
        return None
    mine = data[data[store_col].astype("str") == str(store_id)]
    if mine.empty:
        return None
    cohorts = membership_survival(mine, as_of=as_of)
    if cohorts.empty or int(cohorts["period"].max()) < 1:
        return None
    try:
        model = sbg_fit_counts(cohorts)
    except DataError:
        return None
    pooled = pooled_survival(cohorts)
    span = max(int(horizon), len(pooled) - 1)
    observed = pooled.set_index("period").reindex(range(span + 1))
    table = pd.DataFrame(
        {
            "period": np.arange(span + 1),
            "at_risk": observed["at_risk"].to_numpy(),
            "observed_survival": 100 * observed["survival"].to_numpy(),
            "fitted_survival": 100 * model.survival(span),
            "observed_retention": 100 * observed["retention"].to_numpy(),
            "fitted_retention": 100 * np.concatenate([[np.nan], model.retention(span)]),
        }
    )
    last = cohorts.groupby("cohort", sort=True)[["period", "alive"]].last()
    tenure = last["period"].to_numpy(dtype="float64") + 1  # the renewal each joining year faces next
    r_next = (model.beta + tenure - 1) / (model.alpha + model.beta + tenure - 1)
    alive = last["alive"].to_numpy(dtype="float64")
    next_year = float((alive * r_next).sum() / alive.sum()) if alive.sum() > 0 else float("nan")
    return MembershipRetention(str(store_id), model, cohorts, table, int(horizon), next_year)


def describe_membership(result: MembershipRetention | None, lang: str) -> str | None:
    """Expected lifetime and next year's renewals of the store's members, in ``lang`` (None without data).

    Examples
    --------
    >>> describe_membership(None, "en") is None
    True
    """
    if result is None:
        return None
    m = result.model
    table = result.table
    seen = table["observed_survival"].notna()
    gap = float((table.loc[seen, "observed_survival"] - table.loc[seen, "fitted_survival"]).abs().max())
    t_late = min(5, max(result.horizon, 2))
    median = m.median_lifetime()
    first, last = int(result.cohorts["cohort"].min()), int(result.cohorts["cohort"].max())
    return t(
        "contractual.text.summary",
        lang,
        members=f"{result.members:,}",
        cohorts=result.cohorts["cohort"].nunique(),
        first=first,
        last=last,
        periods=result.years_observed,
        alpha=f"{m.alpha:.3f}",
        beta=f"{m.beta:.3f}",
        gap=f"{gap:.1f}",
        r1=f"{m.retention(1)[0]:.0%}",
        r_late=f"{m.retention(t_late)[-1]:.0%}",
        t_late=t_late,
        horizon=result.horizon,
        lifetime=f"{m.expected_lifetime(result.horizon):.1f}",
        median=t("contractual.text.no_median", lang) if np.isnan(median) else f"{median:.0f}",
        next_year=f"{result.next_year_retention:.0%}",
    )


#: Figure kinds of :func:`method_note` -> (catalogue key pattern, methods, the default first).
_NOTE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "nps": ("survey.method_note.nps_{method}", CI_METHODS["nps"]),
    "csat": ("survey.method_note.csat_{method}", CI_METHODS["csat"]),
    "ces": ("survey.method_note.ces_{method}", CI_METHODS["ces"]),
    "drivers": ("survey.method_note.drivers_{method}", ("shapley", "relative_weights")),
    "clv": ("clv.method_note.{method}", ("bgnbd_gamma_gamma",)),
    "sbg": ("contractual.method_note.{method}", ("sbg",)),
}


def method_note(kind: str, lang: str, method: str | None = None, conf: float = 0.95) -> str:
    """One short line naming the method behind a figure with an interval or a model, from the catalogue.

    Parameters
    ----------
    kind : {"nps", "csat", "ces", "drivers", "clv", "sbg"}
        The figure: an NPS, CSAT or CES interval, the key-driver shares, the model CLV
        (BG/NBD + Gamma-Gamma) or the membership retention model (sBG).
    lang : {"zh", "en"}
    method : str, optional
        The method used, as in the ``ci_method`` column of the survey tables (``"wald"``,
        ``"wilson"``, …) or the ``method`` of :func:`kit.loyalty.drivers.key_drivers`;
        default: the kit's default for ``kind``.
    conf : float
        Confidence level of the interval, written into the note.

    Examples
    --------
    >>> method_note("nps", "en")
    'NPS interval: adjusted Wald (Rocks 2016, 3 pseudo-respondents added), 95 %.'
    >>> method_note("csat", "en", method="wilson")
    'CSAT interval: Wilson score interval (Wilson 1927), 95 %.'
    """
    if kind not in _NOTE_KINDS:
        raise ParameterError.from_key(
            "survey.error.bad_note_kind",
            hint="survey.hint.bad_parameter",
            column="kind",
            value=repr(kind),
            allowed=", ".join(_NOTE_KINDS),
        )
    pattern, methods = _NOTE_KINDS[kind]
    chosen = methods[0] if method is None else method
    if chosen not in methods:
        raise ParameterError.from_key(
            "survey.error.bad_method",
            hint="survey.hint.bad_parameter",
            column="method",
            metric=kind,
            value=repr(method),
            allowed=", ".join(methods),
        )
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0 < conf < 1:
        raise ParameterError.from_key(
            "survey.error.bad_conf", hint="survey.hint.bad_parameter", column="conf", value=repr(conf)
        )
    level = f"{100 * conf:g}"
    return t(pattern.format(method=chosen), lang, conf=f"{level}%" if lang == "zh" else f"{level} %")
