"""kit.loyalty.charts: every chart draws in Chinese and English without warnings (no missing glyphs)."""

import warnings

import matplotlib.pyplot as plt
import pytest

from kit.loyalty import charts, drivers, recovery, servqual, survey
from kit.loyalty import report as lr
from kit.loyalty import retention as loyalty


@pytest.fixture(scope="module")
def chain(small_chain_dir):
    from kit.intake.load import load_chain

    return load_chain(small_chain_dir)


def _draw(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = fn(*args, **kwargs)
        fig.canvas.draw()  # glyph lookup happens when text is rendered
    assert isinstance(fig, plt.Figure)
    return fig


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_draws(chain, lang):
    s, c, tx = chain.surveys.data, chain.complaints.data, chain.transactions.data
    mine = s[s["store_id"] == "001"]
    fig = _draw(charts.nps_trend_chart, lr.monthly_nps(s, "001", "2026-01-01", "2026-03-31"), lang, store="001")
    assert ("净推荐值" in fig.axes[0].get_title()) == (lang == "zh")
    mix = survey.nps_table(mine.assign(month=mine["date"].dt.strftime("%Y-%m")), by=["month"])
    _draw(charts.nps_mix_chart, mix, lang, store="001")
    sq = servqual.servqual_gaps(mine)
    fig = _draw(charts.servqual_chart, sq.dimensions, lang, store="001")
    assert len(fig.axes[0].patches) == 10
    cohorts = loyalty.cohort_retention(tx[tx["store_id"] == "001"], period_end="2026-03-31")
    fig = _draw(charts.cohort_heatmap, cohorts, lang, store="001")
    assert len(fig.axes[0].texts) == 6  # 3 cohorts: 3 + 2 + 1 cells with numbers
    people = recovery.recovery_customers(c, tx, start="2026-01-01", end="2026-01-31", window_days=30)
    _draw(charts.recovery_chart, recovery.recovery_summary(people), lang, window_days=30, store="001")
    res = drivers.key_drivers(drivers.servqual_driver_frame(mine), n_boot=20)
    _draw(charts.drivers_chart, res.table, lang, label_group="servqual.dimension", r2=res.r2, store="001")
    res = lr.drivers_or_none(drivers.complaint_driver_frame(mine, c, min_complainers=1), n_boot=0)
    if res is not None:
        _draw(charts.drivers_chart, res.table, lang, label_group="category", r2=res.r2, kind="complaints")


def test_empty_inputs_still_draw():
    import pandas as pd

    _draw(
        charts.cohort_heatmap,
        loyalty.cohort_retention(pd.DataFrame({"customer_id": [], "date": pd.to_datetime([])})),
        "zh",
    )
    summary = recovery.recovery_summary(pd.DataFrame({"group": [], "observed": [], "repurchased": [], "retained": []}))
    fig = _draw(charts.recovery_chart, summary, "zh")
    assert any("无数据" in t.get_text() for t in fig.axes[0].texts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_membership_survival_chart_draws_or_is_none(small_chain_dir, lang):
    from kit.intake.load import load_chain

    chain = load_chain(small_chain_dir)
    res = lr.membership_retention(chain.memberships, "003", as_of="2026-03-31", horizon=8)
    fig = _draw(charts.membership_survival_chart, res, lang, store="003")
    ax = fig.axes[0]
    assert ("会员" in ax.get_title()) == (lang == "zh")
    assert len(ax.lines) == 2  # observed and fitted
    assert ax.lines[0].get_linestyle() == "--"  # the model dashed, readable in grey
    assert len(ax.lines[1].get_xdata()) == res.years_observed + 1
    assert charts.membership_survival_chart(None, lang) is None
    assert lr.membership_retention(chain.memberships, "001") is None
