"""Charts of the complaint audit's attainment breakdowns (matplotlib, zh or en, readable in grey).

Examples
--------
>>> import pandas as pd
>>> m = pd.DataFrame({"month": ["2026-01", "2026-02"], "attainment": [0.8, 0.9]})
>>> fig = attainment_trend_chart(m, lang="en", store="001", target=0.95)
>>> [line.get_label() for line in fig.axes[0].get_lines()][:1]
['first response (store)']
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import PercentFormatter

from kit import plots
from kit.i18n import t
from kit.plots import ALERT, DARK, MID, _figure, _slant


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

    Each input is a :func:`kit.attainment.monthly_attainment` table (``month``, ``attainment``).
    Lines differ by style and marker as well as by shade, so the chart reads in grey print;
    the required attainment is the dashed red line.
    """
    fig, ax = _figure(8.5, 3.8)
    months = sorted(set(first_response["month"]).union(*(set(f["month"]) for f in (resolution, chain_first_response) if f is not None)))
    pos = {m: i for i, m in enumerate(months)}

    def line(frame: pd.DataFrame, key: str, **style) -> None:  # noqa: ANN003
        ax.plot(frame["month"].map(pos), frame["attainment"], label=t(f"audit.chart.trend.{key}", lang), **style)

    line(first_response, "store_first", color=DARK, marker="o", linewidth=2.2)
    if resolution is not None and len(resolution):
        line(resolution, "store_resolution", color=MID, marker="s", linewidth=1.8, linestyle="-.")
    if chain_first_response is not None and len(chain_first_response):
        line(chain_first_response, "chain_first", color="grey", marker=None, linewidth=1.5, linestyle=":")
    ax.axhline(target, color=ALERT, linestyle="--", linewidth=1.5, label=t("audit.chart.trend.target", lang, target=f"{target:.0%}"))
    ax.set_xticks(range(len(months)), months)
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(t("audit.chart.trend.ylabel", lang))
    _slant(ax)
    ax.legend(loc="lower left", frameon=False, fontsize=8, ncol=2)
    title = t("audit.chart.trend.title", lang, store=store) if store else t("audit.chart.trend.title_chain", lang)
    ax.set_title(title)
    return fig


def show(fig: plt.Figure) -> None:
    """Display ``fig`` in the notebook once and close it (:func:`kit.plots.show`)."""
    plots.show(fig)
