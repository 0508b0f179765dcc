"""Charts of the satisfaction-and-loyalty report: one function per chart, each returning a Figure.

They follow :mod:`kit.audit.charts`: fonts set up by :func:`kit.core.charts.setup_fonts` (Chinese without
"Glyph missing" warnings), its dark / mid / light blues plus hatching and dashed lines so a
chart stays readable printed in grey, and every text from the catalogue
(``kit/locale/charts_loyalty.yaml``) in the report's language.

Examples
--------
>>> import pandas as pd
>>> dims = pd.DataFrame({"dimension": ["tangibles", "reliability"], "expectation": [6.0, 6.5],
...                      "perception": [5.5, 5.0], "gap": [-0.5, -1.5]})
>>> fig = servqual_chart(dims, "en", store="001")
>>> fig.axes[0].get_title()
'SERVQUAL: expectation and perception — store 001'
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kit.core.charts import ALERT, DARK, LIGHT, MID, new_figure, slant_labels
from kit.core.i18n import label_of, t
from kit.loyalty.retention import cohort_matrix

__all__ = [
    "GREY_TEXT",
    "cohort_heatmap",
    "drivers_chart",
    "membership_survival_chart",
    "nps_mix_chart",
    "nps_trend_chart",
    "recovery_chart",
    "servqual_chart",
]

GREY_TEXT = "#333333"


def _title(ax, key: str, lang: str, store: str, **values) -> None:
    ax.set_title(t(f"charts_loyalty.{key}.title", lang, store=store, **values))


def nps_trend_chart(monthly: pd.DataFrame, lang: str, *, store: str = "") -> plt.Figure:
    """NPS per month of the store with its 95 % interval band, and the chain's NPS dashed.

    Parameters
    ----------
    monthly : DataFrame
        Output of :func:`kit.loyalty.report.monthly_nps` (``unit`` = ``store`` / ``chain``,
        ``month``, ``nps``, ``ci_low``, ``ci_high``, ``small_sample``).
    """
    fig, ax = new_figure(8.0, 3.8)
    own = monthly[monthly["unit"] == "store"].sort_values("month")
    chain = monthly[monthly["unit"] == "chain"].sort_values("month")
    months = sorted(set(monthly["month"].astype(str)))
    pos = {m: k for k, m in enumerate(months)}
    x = own["month"].map(pos).to_numpy(dtype=float)
    ax.fill_between(
        x,
        own["ci_low"],
        own["ci_high"],
        color=LIGHT,
        alpha=0.8,
        linewidth=0,
        label=t("charts_loyalty.nps_trend.band", lang),
    )
    ax.plot(
        x, own["nps"], color=DARK, marker="o", linewidth=2, label=t("charts_loyalty.nps_trend.store", lang, store=store)
    )
    small = own["small_sample"].to_numpy(dtype=bool)
    if small.any():
        ax.plot(
            x[small],
            own["nps"].to_numpy()[small],
            linestyle="none",
            marker="o",
            markersize=9,
            markerfacecolor="white",
            markeredgecolor=DARK,
            label=t("charts_loyalty.nps_trend.small", lang),
        )
    ax.plot(
        chain["month"].map(pos),
        chain["nps"],
        color="black",
        linestyle="--",
        linewidth=1.5,
        label=t("charts_loyalty.nps_trend.chain", lang),
    )
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(range(len(months)), months)
    ax.set_ylim(-100, 100)
    ax.set_ylabel(t("charts_loyalty.nps_trend.ylabel", lang))
    slant_labels(ax)
    ax.legend(loc="lower left", frameon=False, fontsize=8, ncol=2)
    _title(ax, "nps_trend", lang, store)
    return fig


def nps_mix_chart(table: pd.DataFrame, lang: str, *, x: str = "month", store: str = "") -> plt.Figure:
    """Stacked bars of promoters, passives and detractors (%) per ``x`` (e.g. month).

    Parameters
    ----------
    table : DataFrame
        :func:`kit.loyalty.survey.nps_table` grouped by ``x``.
    """
    fig, ax = new_figure(8.0, 3.8)
    labels = table[x].astype(str).to_numpy()
    pro = table["pct_promoters"].fillna(0).to_numpy()
    pas = table["pct_passives"].fillna(0).to_numpy()
    det = table["pct_detractors"].fillna(0).to_numpy()
    ax.bar(labels, det, color=ALERT, edgecolor="black", hatch="///", label=t("charts_loyalty.nps_mix.detractors", lang))
    ax.bar(labels, pas, bottom=det, color=LIGHT, edgecolor="black", label=t("charts_loyalty.nps_mix.passives", lang))
    ax.bar(
        labels, pro, bottom=det + pas, color=DARK, edgecolor="black", label=t("charts_loyalty.nps_mix.promoters", lang)
    )
    for k, (d, p, n) in enumerate(zip(det, pro, table["n"])):
        if n:
            ax.annotate(f"{p - d:+.0f}", (k, 101), ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, 112)
    ax.set_ylabel(t("charts_loyalty.nps_mix.ylabel", lang))
    slant_labels(ax)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, frameon=False, fontsize=8)
    _title(ax, "nps_mix", lang, store)
    return fig


def servqual_chart(dimensions: pd.DataFrame, lang: str, *, store: str = "") -> plt.Figure:
    """Paired bars of expectation (light) and perception (dark) per dimension, gap written above.

    The dimension with the largest (most negative) gap is hatched and its gap framed.

    Parameters
    ----------
    dimensions : DataFrame
        ``ServqualResult.dimensions`` of one group.
    """
    fig, ax = new_figure(8.0, 3.8)
    names = [label_of("servqual.dimension", d, lang) for d in dimensions["dimension"]]
    pos = np.arange(len(names))
    width = 0.38
    gaps = dimensions["gap"].to_numpy(dtype=float)
    worst = int(np.nanargmin(gaps)) if np.isfinite(gaps).any() else -1
    ax.bar(
        pos - width / 2,
        dimensions["expectation"],
        width,
        color=LIGHT,
        edgecolor=DARK,
        label=t("charts_loyalty.servqual.expectation", lang),
    )
    bars = ax.bar(
        pos + width / 2,
        dimensions["perception"],
        width,
        color=DARK,
        edgecolor=DARK,
        label=t("charts_loyalty.servqual.perception", lang),
    )
    if worst >= 0:
        bars[worst].set_hatch("xx")
        bars[worst].set_facecolor(MID)
    for k, (e, p, g) in enumerate(zip(dimensions["expectation"], dimensions["perception"], gaps)):
        if np.isfinite(g):
            top = np.nanmax([e, p])
            box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": ALERT} if k == worst else None
            ax.annotate(
                f"{g:+.2f}".replace("-", "−"),
                (k, top + 0.1),
                ha="center",
                va="bottom",
                fontsize=9,
                color=ALERT if k == worst else GREY_TEXT,
                bbox=box,
            )
    ax.set_xticks(pos, names)
    ax.set_ylim(1, 7.8)
    ax.set_ylabel(t("charts_loyalty.servqual.ylabel", lang))
    ax.legend(loc="lower right", frameon=True, fontsize=8)
    _title(ax, "servqual", lang, store)
    return fig


def cohort_heatmap(retention: pd.DataFrame, lang: str, *, store: str = "", max_months: int | None = 12) -> plt.Figure:
    """Cohort retention heat map: cohorts down, months since first purchase across, % in every cell.

    Grey scale (darker = more customers kept), the number printed in each cell (white on dark),
    so it reads the same printed in black and white.

    Parameters
    ----------
    retention : DataFrame
        :func:`kit.loyalty.retention.cohort_retention` of one group.
    """
    matrix = cohort_matrix(retention) if len(retention) else pd.DataFrame()
    if max_months is not None and len(matrix.columns):
        matrix = matrix.loc[:, [c for c in matrix.columns if c <= max_months]]
    rows, cols = matrix.shape
    fig, ax = new_figure(max(6.0, 0.6 * cols + 2.5), max(3.0, 0.38 * rows + 1.6))
    if rows and cols:
        values = matrix.to_numpy(dtype=float)
        ax.imshow(np.ma.masked_invalid(values), cmap="Greys", vmin=0, vmax=100, aspect="auto")
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7, color="white" if v >= 55 else "black")
        sizes = retention[retention["months_since"] == 0].set_index("cohort")["cohort_size"].reindex(matrix.index)
        ax.set_yticks(range(rows), [f"{c} (n={int(s)})" for c, s in zip(matrix.index, sizes)])
        ax.set_xticks(range(cols), [str(c) for c in matrix.columns])
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.set_xlabel(t("charts_loyalty.cohort.xlabel", lang))
    ax.set_ylabel(t("charts_loyalty.cohort.ylabel", lang))
    _title(ax, "cohort", lang, store)
    return fig


def recovery_chart(
    summary: pd.DataFrame,
    lang: str,
    *,
    metric: str = "repurchase",
    claim: float | None = 95.0,
    window_days: int = 90,
    store: str = "",
) -> plt.Figure:
    """Repurchase (or retention) rate per recovery group with 95 % interval error bars.

    Parameters
    ----------
    summary : DataFrame
        :func:`kit.loyalty.recovery.recovery_summary` of one unit.
    metric : {"repurchase", "retention"}
    claim : float, optional
        The seeds' claim in %, drawn as a dashed line (None: no line).
    """
    fig, ax = new_figure(8.0, 3.8)
    rate, low, high = (
        summary[f"{metric}_rate"].to_numpy(dtype=float),
        summary[f"{metric}_low"].to_numpy(dtype=float),
        summary[f"{metric}_high"].to_numpy(dtype=float),
    )
    names = [
        f"{label_of('recovery.group', g, lang)}\n(n={int(n)})" for g, n in zip(summary["group"], summary["observed"])
    ]
    pos = np.arange(len(names))
    shown = np.isfinite(rate)
    markers = ["o", "s", "^", "D"]
    for k in pos[shown]:
        ax.errorbar(
            [k],
            [rate[k]],
            yerr=[[rate[k] - low[k]], [high[k] - rate[k]]],
            fmt=markers[k % 4],
            color=DARK,
            ecolor=DARK,
            capsize=5,
            markersize=8,
            linewidth=1.5,
        )
        ax.annotate(
            f"{rate[k]:.0f}%",
            (k, high[k]),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 3),
            textcoords="offset points",
        )
    for k in pos[~shown]:
        ax.annotate(
            t("charts_loyalty.recovery.no_data", lang), (k, 50), ha="center", va="center", fontsize=8, color="grey"
        )
    if claim is not None:
        ax.axhline(claim, color=ALERT, linestyle="--", linewidth=1.5)
        ax.annotate(
            t("charts_loyalty.recovery.claim", lang, claim=f"{claim:.0f}"),
            (len(names) - 0.5, claim),
            ha="right",
            va="bottom",
            fontsize=8,
            color=ALERT,
        )
    ax.set_xticks(pos, names)
    ax.set_xlim(-0.5, len(names) - 0.5)
    ax.set_ylim(0, 105)
    ax.set_ylabel(t(f"charts_loyalty.recovery.ylabel_{metric}", lang, days=window_days))
    _title(ax, "recovery", lang, store)
    return fig


def drivers_chart(
    table: pd.DataFrame,
    lang: str,
    *,
    label_group: str | None = None,
    r2: float | None = None,
    store: str = "",
    kind: str = "servqual",
) -> plt.Figure:
    """Horizontal bars of each driver's share of R² (%) with bootstrap interval whiskers.

    Parameters
    ----------
    table : DataFrame
        ``DriverResult.table``.
    label_group : str, optional
        Catalogue group translating the predictor codes (``"servqual.dimension"``, ``"category"``).
    r2 : float, optional
        The model's R², written in the title.
    kind : {"servqual", "complaints"}
        Which title to use.
    """
    fig, ax = new_figure(8.0, max(2.6, 0.45 * len(table) + 1.4))
    ordered = table.sort_values("share", ascending=True, kind="stable")
    names = [label_of(label_group, p, lang) if label_group else str(p) for p in ordered["predictor"]]
    share = ordered["share"].to_numpy(dtype=float)
    colours = [DARK if r >= 0 else LIGHT for r in ordered["r"]]
    bars = ax.barh(names, share, color=colours, edgecolor=DARK)
    for bar, r in zip(bars, ordered["r"]):
        if r < 0:
            bar.set_hatch("///")
    low, high = ordered["share_low"].to_numpy(dtype=float), ordered["share_high"].to_numpy(dtype=float)
    if np.isfinite(low).any():
        ok = np.isfinite(low)
        ax.errorbar(
            share[ok],
            np.arange(len(names))[ok],
            xerr=[np.clip(share[ok] - low[ok], 0, None), np.clip(high[ok] - share[ok], 0, None)],
            fmt="none",
            ecolor="black",
            capsize=3,
            linewidth=1,
        )
    ax.set_xlabel(t("charts_loyalty.drivers.xlabel", lang))
    r2_text = "" if r2 is None else f"{r2:.0%}"
    _title(ax, f"drivers_{kind}", lang, store, r2=r2_text)
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=DARK, edgecolor=DARK, label=t("charts_loyalty.drivers.positive", lang)),
        Patch(facecolor=LIGHT, edgecolor=DARK, hatch="///", label=t("charts_loyalty.drivers.negative", lang)),
    ]
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=8)
    return fig


def membership_survival_chart(result: Any, lang: str, *, store: str = "") -> plt.Figure | None:
    """Members still in the programme by years since joining: observed (pooled) and the fitted sBG curve.

    Observed values are dark dots joined by a solid line, the model a black dashed line that
    goes on beyond the years observed over a light band marked as projection, so it reads the
    same printed in grey.

    Parameters
    ----------
    result : MembershipRetention, DataFrame or None
        :func:`kit.loyalty.report.membership_retention` of the store (or its ``table``).

    Returns
    -------
    Figure or None
        None when ``result`` is None (the store has no membership data): the report shows
        nothing.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"period": [0, 1, 2, 3], "observed_survival": [100.0, 62.0, 47.0, None],
    ...                       "fitted_survival": [100.0, 62.7, 44.4, 34.7]})
    >>> membership_survival_chart(table, "en", store="003").axes[0].get_ylabel()
    'still a member (%)'
    >>> membership_survival_chart(None, "en") is None
    True
    """
    if result is None:
        return None
    table = getattr(result, "table", result)
    fig, ax = new_figure(8.0, 3.8)
    period = table["period"].to_numpy(dtype=float)
    fitted = table["fitted_survival"].to_numpy(dtype=float)
    observed = table["observed_survival"].to_numpy(dtype=float)
    seen = np.isfinite(observed)
    last_seen = float(period[seen].max()) if seen.any() else 0.0
    if period.max() > last_seen:
        ax.axvspan(last_seen, period.max(), color=LIGHT, alpha=0.5, linewidth=0)
        ax.annotate(
            t("contractual.chart.projection", lang),
            ((last_seen + period.max()) / 2, 102),
            ha="center",
            va="bottom",
            fontsize=8,
            color=GREY_TEXT,
        )
    ax.plot(period, fitted, color="black", linestyle="--", linewidth=1.5, label=t("contractual.chart.fitted", lang))
    ax.plot(
        period[seen],
        observed[seen],
        color=DARK,
        marker="o",
        linewidth=2,
        label=t("contractual.chart.observed", lang),
    )
    for x, y in zip(period[seen], observed[seen]):
        if x > 0:
            ax.annotate(f"{y:.0f}", (x, y), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7)
    ax.set_xticks(period, [f"{int(p)}" for p in period])
    ax.set_xlim(period.min() - 0.2, period.max() + 0.2)
    ax.set_ylim(0, 110)
    ax.set_xlabel(t("contractual.chart.xlabel", lang))
    ax.set_ylabel(t("contractual.chart.ylabel", lang))
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    ax.set_title(t("contractual.chart.title", lang, store=store))
    return fig
