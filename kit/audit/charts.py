"""Charts for the reports: one function per chart, each returning a matplotlib Figure.

Chinese renders on any machine set up by ``make``: :func:`setup_fonts` registers Noto Sans SC
(SIL Open Font License 1.1), shipped by the PyPI package ``pylopdf-fonts-zh-cn``, and puts it
after DejaVu Sans in ``font.family`` so matplotlib falls back to it glyph by glyph (Latin text
keeps DejaVu Sans, Chinese uses Noto Sans SC, no "Glyph missing" warning).  A system CJK font is
used instead when the package is absent.

Colours are chosen to stay distinguishable when printed in grey: a dark and a light tone plus
hatching for "breached" bars and dashed reference lines.

Examples
--------
>>> import pandas as pd
>>> fig = monthly_complaints_chart(pd.DataFrame({"month": ["2026-01", "2026-02"], "complaints": [3, 5]}), "zh", store="001")
>>> fig.axes[0].get_title()
'每月投诉量 —— 门店 001'
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator, PercentFormatter

from kit.core.charts import ALERT, DARK, LIGHT, MID, new_figure, slant_labels
from kit.core.i18n import label_of, t

__all__ = [
    "attainment_chart",
    "attainment_trend_chart",
    "monthly_complaints_chart",
    "pareto_chart",
    "response_time_chart",
]


def monthly_complaints_chart(monthly: pd.DataFrame, lang: str, *, store: str = "") -> plt.Figure:
    """Bar chart of complaints per month (output of :func:`kit.audit.measures.complaints_per_month`)."""
    fig, ax = new_figure()
    ax.bar(monthly["month"], monthly["complaints"], color=MID, edgecolor=DARK)
    for x, y in zip(monthly["month"], monthly["complaints"]):
        ax.annotate(
            f"{int(y)}", (x, y), ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points"
        )
    ax.set_title(t("chart.monthly.title", lang, store=store))
    ax.set_xlabel(t("chart.monthly.xlabel", lang))
    ax.set_ylabel(t("chart.monthly.ylabel", lang))
    slant_labels(ax)
    return fig


def pareto_chart(pareto: pd.DataFrame, lang: str, *, store: str = "", label_group: str | None = None) -> plt.Figure:
    """Pareto chart: bars by category (vital few dark), cumulative share line, 80 % line."""
    fig, ax = new_figure(8.5, 4.2)
    names = pareto["category"].astype(str)
    if label_group:
        names = names.map(lambda c: label_of(label_group, c, lang))
    colours = np.where(pareto["vital_few"], DARK, LIGHT)
    ax.bar(names, pareto["count"], color=colours, edgecolor=DARK)
    ax.set_ylabel(t("chart.pareto.ylabel", lang))
    slant_labels(ax)
    ax2 = ax.twinx()
    ax2.plot(names, pareto["cum_share"], color="black", marker="o", linewidth=1.5)
    ax2.axhline(0.8, color="black", linestyle="--", linewidth=1)
    ax2.annotate(t("chart.pareto.cutoff", lang), (len(names) - 1, 0.8), ha="right", va="bottom", fontsize=8)
    ax2.set_ylim(0, 1.05)
    ax2.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax2.set_ylabel(t("chart.pareto.y2label", lang))
    ax2.spines[["top"]].set_visible(False)
    ax.set_title(t("chart.pareto.title", lang, store=store))
    return fig


def response_time_chart(status: pd.DataFrame, lang: str, *, store: str = "", by: str = "tier") -> plt.Figure:
    """Box plot of first-response minutes per tier (log scale) with each tier's target marked."""
    answered = status.loc[~status["open"]]
    groups = [g for g in ("urgent", "normal", "inquiry") if g in set(answered[by])] or sorted(answered[by].unique())
    fig, ax = new_figure(8.0, 3.6)
    data = [answered.loc[answered[by] == g, "elapsed_minutes"].clip(lower=0.5).to_numpy() for g in groups]
    if groups:
        ax.boxplot(
            data,
            orientation="horizontal",
            tick_labels=[label_of(by, g, lang) for g in groups],
            patch_artist=True,
            boxprops={"facecolor": LIGHT, "edgecolor": DARK},
            medianprops={"color": DARK, "linewidth": 2},
            flierprops={"markersize": 2, "alpha": 0.4},
        )
        for i, g in enumerate(groups, start=1):
            targets = answered.loc[answered[by] == g, "target_minutes"].dropna().unique()
            for target in targets:
                ax.plot([target, target], [i - 0.4, i + 0.4], color=ALERT, linestyle="--", linewidth=2)
                ax.annotate(
                    f"{t('chart.response.target', lang)} {_minutes(target, lang)}",
                    (target, i + 0.42),
                    fontsize=7,
                    ha="center",
                    va="bottom",
                    color=ALERT,
                )
    ax.set_xscale("log")
    # Ticks a manager reads (15 min, 1 h, 1 d), never powers of ten.
    low, high = ax.get_xlim()
    ticks = [m for m in _DURATION_TICKS if low <= m <= high] or list(_DURATION_TICKS[:3])
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _minutes(v, lang)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(t("chart.response.xlabel", lang))
    ax.set_title(t("chart.response.title", lang, store=store))
    return fig


def attainment_chart(
    attainment: pd.DataFrame, lang: str, *, store: str = "", x: str = "month", target: float = 0.95
) -> plt.Figure:
    """Line of SLA attainment per ``x`` (e.g. month) with the required level as a dashed line."""
    fig, ax = new_figure(8.0, 3.6)
    ax.plot(attainment[x].astype(str), attainment["attainment"], color=DARK, marker="o", linewidth=2)
    ax.axhline(
        target, color=ALERT, linestyle="--", linewidth=1.5, label=f"{t('chart.attainment.target', lang)} {target:.0%}"
    )
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(t("chart.attainment.ylabel", lang))
    slant_labels(ax)
    ax.legend(loc="lower left", frameon=False)
    ax.set_title(t("chart.attainment.title", lang, store=store, target=f"{target:.0%}"))
    return fig


#: Tick marks of a time axis on a log scale, in minutes: 1 min … 30 days.
_DURATION_TICKS = (1, 5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080, 43200)


def _minutes(value: float, lang: str) -> str:
    """A duration in minutes as people say it: ``15 分钟``, ``4 h``, ``2 天``.

    Examples
    --------
    >>> _minutes(15, "zh"), _minutes(240, "en"), _minutes(2880, "zh"), _minutes(90, "en")
    ('15 分钟', '4 h', '2 天', '90 min')
    """
    if value >= 1440 and value % 1440 == 0:
        return t("chart.duration.days", lang, n=f"{value / 1440:.0f}")
    if value >= 60 and value % 60 == 0:
        return t("chart.duration.hours", lang, n=f"{value / 60:.0f}")
    return t("chart.duration.minutes", lang, n=f"{value:.0f}")


def attainment_trend_chart(
    first_response: pd.DataFrame,
    resolution: pd.DataFrame | None = None,
    chain_first_response: pd.DataFrame | None = None,
    *,
    lang: str,
    store: str = "",
    target: float = 0.95,
) -> plt.Figure:
    """Monthly SLA attainment: the store's first response and resolution, the chain's first response.

    Each input is a :func:`kit.audit.attainment.monthly_attainment` table (``month``, ``attainment``).
    Lines differ by style and marker as well as by shade, so the chart reads in grey print;
    the required attainment is the dashed red line.
    """
    fig, ax = new_figure(8.5, 3.8)
    months = sorted(
        set(first_response["month"]).union(
            *(set(f["month"]) for f in (resolution, chain_first_response) if f is not None)
        )
    )
    pos = {m: i for i, m in enumerate(months)}

    def line(frame: pd.DataFrame, key: str, **style) -> None:
        ax.plot(frame["month"].map(pos), frame["attainment"], label=t(f"audit.chart.trend.{key}", lang), **style)

    line(first_response, "store_first", color=DARK, marker="o", linewidth=2.2)
    if resolution is not None and len(resolution):
        line(resolution, "store_resolution", color=MID, marker="s", linewidth=1.8, linestyle="-.")
    if chain_first_response is not None and len(chain_first_response):
        line(chain_first_response, "chain_first", color="grey", marker=None, linewidth=1.5, linestyle=":")
    ax.axhline(
        target,
        color=ALERT,
        linestyle="--",
        linewidth=1.5,
        label=t("audit.chart.trend.target", lang, target=f"{target:.0%}"),
    )
    ax.set_xticks(range(len(months)), months)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(t("audit.chart.trend.ylabel", lang))
    slant_labels(ax)
    ax.legend(loc="lower left", frameon=False, fontsize=8, ncol=2)
    title = t("audit.chart.trend.title", lang, store=store) if store else t("audit.chart.trend.title_chain", lang)
    ax.set_title(title)
    return fig
