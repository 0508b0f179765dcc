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

from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.ticker import PercentFormatter

from kit.i18n import label_of, t

DARK = "#1f3b5c"
MID = "#5b8db8"
LIGHT = "#c9d9e8"
ALERT = "#b5452b"

_SYSTEM_CJK = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")


@lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """Register the shipped CJK font once and return its family name (None if none found)."""
    try:
        import pylopdf_fonts_zh_cn

        path = pylopdf_fonts_zh_cn.sans_path()
        font_manager.fontManager.addfont(str(path))
        return font_manager.FontProperties(fname=str(path)).get_name()
    except (ImportError, OSError):
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in _SYSTEM_CJK if name in installed), None)


def setup_fonts() -> str | None:
    """Make matplotlib draw Chinese: DejaVu Sans first, then the CJK font, per glyph.

    Returns the CJK family used, or None when no CJK font is available (Chinese would then
    show as boxes; install the project with ``make`` to get one).
    """
    family = cjk_font_family()
    chain = ["DejaVu Sans"] + ([family] if family else []) + ["sans-serif"]
    plt.rcParams["font.family"] = chain
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["figure.dpi"] = 100
    plt.rcParams["savefig.dpi"] = 110
    _inline_png_without_crop()
    return family


_INLINE_SHELL: object | None = None


def _inline_png_without_crop() -> None:
    """In a notebook, draw figures as PNG of their own size instead of IPython's "tight" crop.

    Every chart of the kit uses constrained layout, which already fits titles, labels and legends
    inside the figure; the inline backend's default ``bbox_inches="tight"`` measures every figure a
    second time to crop it, about a third of the time a report spends turning charts into PNG.
    Done once per IPython shell; outside IPython nothing changes.
    """
    global _INLINE_SHELL
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return
    shell = get_ipython()
    if shell is None or shell is _INLINE_SHELL or "inline" not in str(plt.get_backend()).lower():
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png", bbox_inches=None)
    _INLINE_SHELL = shell


def _figure(width: float = 8.0, height: float = 3.8):
    setup_fonts()
    fig, ax = plt.subplots(figsize=(width, height), layout="constrained")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def monthly_complaints_chart(monthly: pd.DataFrame, lang: str, *, store: str = "") -> plt.Figure:
    """Bar chart of complaints per month (output of :func:`kit.audit.complaints_per_month`)."""
    fig, ax = _figure()
    ax.bar(monthly["month"], monthly["complaints"], color=MID, edgecolor=DARK)
    for x, y in zip(monthly["month"], monthly["complaints"]):
        ax.annotate(f"{int(y)}", (x, y), ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.set_title(t("chart.monthly.title", lang, store=store))
    ax.set_xlabel(t("chart.monthly.xlabel", lang))
    ax.set_ylabel(t("chart.monthly.ylabel", lang))
    _slant(ax)
    return fig


def pareto_chart(pareto: pd.DataFrame, lang: str, *, store: str = "", label_group: str | None = None) -> plt.Figure:
    """Pareto chart: bars by category (vital few dark), cumulative share line, 80 % line."""
    fig, ax = _figure(8.5, 4.2)
    names = pareto["category"].astype(str)
    if label_group:
        names = names.map(lambda c: label_of(label_group, c, lang))
    colours = np.where(pareto["vital_few"], DARK, LIGHT)
    ax.bar(names, pareto["count"], color=colours, edgecolor=DARK)
    ax.set_ylabel(t("chart.pareto.ylabel", lang))
    _slant(ax)
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
    fig, ax = _figure(8.0, 3.6)
    data = [answered.loc[answered[by] == g, "elapsed_minutes"].clip(lower=0.5).to_numpy() for g in groups]
    if groups:
        ax.boxplot(data, orientation="horizontal", tick_labels=[label_of(by, g, lang) for g in groups],
                   patch_artist=True, boxprops={"facecolor": LIGHT, "edgecolor": DARK},
                   medianprops={"color": DARK, "linewidth": 2}, flierprops={"markersize": 2, "alpha": 0.4})
        for i, g in enumerate(groups, start=1):
            targets = answered.loc[answered[by] == g, "target_minutes"].dropna().unique()
            for target in targets:
                ax.plot([target, target], [i - 0.4, i + 0.4], color=ALERT, linestyle="--", linewidth=2)
                ax.annotate(f"{t('chart.response.target', lang)} {_minutes(target, lang)}", (target, i + 0.42),
                            fontsize=7, ha="center", va="bottom", color=ALERT)
    ax.set_xscale("log")
    ax.set_xlabel(t("chart.response.xlabel", lang))
    ax.set_title(t("chart.response.title", lang, store=store))
    return fig


def attainment_chart(attainment: pd.DataFrame, lang: str, *, store: str = "", x: str = "month", target: float = 0.95) -> plt.Figure:
    """Line of SLA attainment per ``x`` (e.g. month) with the required level as a dashed line."""
    fig, ax = _figure(8.0, 3.6)
    ax.plot(attainment[x].astype(str), attainment["attainment"], color=DARK, marker="o", linewidth=2)
    ax.axhline(target, color=ALERT, linestyle="--", linewidth=1.5, label=f"{t('chart.attainment.target', lang)} {target:.0%}")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(t("chart.attainment.ylabel", lang))
    _slant(ax)
    ax.legend(loc="lower left", frameon=False)
    ax.set_title(t("chart.attainment.title", lang, store=store, target=f"{target:.0%}"))
    return fig


def freeze_layout(fig: plt.Figure) -> plt.Figure:
    """Lay ``fig`` out once (its constrained layout) and keep that layout for every later draw.

    The inline backend draws a figure twice to make its PNG (once to find the tight bounding
    box, once to render), and a constrained layout is recomputed at every draw -- about a third
    of a chart's drawing time.  Call this when the figure is complete (as :func:`show` does);
    later changes to the figure are no longer laid out.
    """
    engine = fig.get_layout_engine()
    if engine is not None and engine.__class__.__name__ in ("ConstrainedLayoutEngine", "TightLayoutEngine"):
        engine.execute(fig)
        fig.set_layout_engine("none")
    return fig


def show(fig: plt.Figure) -> None:
    """Display a finished ``fig`` in the notebook once (layout frozen, see :func:`freeze_layout`) and close it.

    Explicit display does not depend on matplotlib's interactive mode (a kernel reused between
    batch jobs may have lost it), and closing the figure keeps the inline backend from drawing
    it again at the end of the cell (once for pyplot's redraw of stale figures, once more for its
    own display).
    """
    try:
        from IPython.display import display

        display(freeze_layout(fig))
    finally:
        plt.close(fig)


def _slant(ax) -> None:  # noqa: ANN001
    plt.setp(ax.get_xticklabels(), rotation=35, ha="right", rotation_mode="anchor")


def _minutes(value: float, lang: str) -> str:
    if value >= 60 and value % 60 == 0:
        return f"{value / 60:.0f} 小时" if lang == "zh" else f"{value / 60:.0f} h"
    return f"{value:.0f} 分钟" if lang == "zh" else f"{value:.0f} min"
