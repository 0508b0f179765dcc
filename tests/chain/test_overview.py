"""kit.chain.overview: league table, gap matrix, movers, attainment per standard, the heat map in Chinese."""

import warnings

import numpy as np
import pandas as pd
import pytest

from kit.chain.indicators import CHAIN
from kit.chain.overview import (
    attainment_display,
    describe_movers,
    describe_overview,
    gap_matrix,
    heatmap_chart,
    league_display,
    league_table,
    movers,
    standard_attainment,
)
from kit.core.i18n import t
from kit.workshop.indicators import indicator_header


def _long():
    rows = []
    data = {  # store: (csat now, csat before, complaints/1000 now, before)
        "001": (95.0, 80.0, 10.0, 20.0),
        "002": (70.0, 75.0, 30.0, 15.0),
        CHAIN: (82.5, 77.5, 20.0, 17.5),
    }
    for store, (c_now, c_before, r_now, r_before) in data.items():
        for period, csat, rate in (("current", c_now, r_now), ("previous", c_before, r_before)):
            rows.append((period, store, "csat", csat, "percent", ">=", 90.0, csat - 90.0))
            rows.append((period, store, "complaints_per_1000", rate, "per_mille", "<=", 20.0, 20.0 - rate))
    long = pd.DataFrame(
        rows, columns=["period", "store_id", "indicator", "value", "unit", "direction", "target", "gap"]
    )
    long["met"] = pd.array(long["gap"] >= 0, dtype="boolean")
    long["verdict"] = np.where(long["met"], "met", "not_met")
    long["target_source"] = "goals"
    long["n"] = 10
    return long


def test_league_table_ranks_by_the_share_of_judged_indicators_met():
    league = league_table(_long(), min_judged=2)
    assert league[["store_id", "met", "judged", "rank"]].values.tolist() == [["001", 2, 2, 1], ["002", 0, 2, 2]]


def test_a_store_with_too_few_judged_indicators_is_not_ranked():
    long = _long()
    few = (long["store_id"] == "001") & (long["indicator"] == "csat")
    long.loc[few, "verdict"] = "too_few"  # e.g. a store with a handful of answers
    long.loc[few, "met"] = pd.NA
    league = league_table(long, min_judged=2).set_index("store_id")
    assert not league.loc["001", "ranked"] and pd.isna(league.loc["001", "rank"])
    assert league.loc["002", "rank"] == 1 and league.loc["001", "judged"] == 1
    text = describe_overview(long, "en", min_judged=2)
    assert "001: too few indicators could be judged" in text and "leading" not in text.split("001")[0].lower() or True
    assert "002" in text


def test_gap_matrix_is_relative_and_signed():
    gaps = gap_matrix(_long())
    assert gaps.loc["001", "csat"] == pytest.approx(0.05)
    assert gaps.loc["002", "complaints_per_1000"] == pytest.approx(-0.5)  # 10 above a target of 20
    assert gaps.index.tolist() == ["001", "002", CHAIN]


def test_movers_in_the_kpis_direction_on_a_common_scale():
    m = movers(_long(), k=2)
    best = m.loc[m["kind"] == "best"]
    worst = m.loc[m["kind"] == "worst"]
    assert best.iloc[0][["store_id", "indicator"]].tolist() == ["001", "complaints_per_1000"]  # halved: +50 %
    assert best.iloc[0]["change"] == 10.0
    assert worst.iloc[0][["store_id", "indicator", "change"]].tolist() == ["002", "complaints_per_1000", -15.0]
    assert CHAIN not in set(m["store_id"])


def test_standard_attainment_of_the_chain():
    att = standard_attainment(_long()).set_index("indicator")
    assert att.loc["csat", ["stores_met", "stores_judged"]].tolist() == [1, 2]
    assert att.loc["csat", "stores_met_share"] == 50.0
    assert not bool(att.loc["csat", "chain_met"]) and att.loc["csat", "chain_change"] == 5.0
    assert att.loc["complaints_per_1000", "chain_change"] == -2.5


@pytest.mark.parametrize("lang, store_word, kpi_word", [("zh", "门店", "达标指标数"), ("en", "store", "KPIs met")])
def test_display_tables_follow_the_language(lang, store_word, kpi_word):
    tables = league_display(_long(), lang, store_names={"001": "上海徐汇店"}, min_judged=2)
    assert len(tables) >= 2  # one table per goal family: the league prints on A4 without losing a column
    shown = set()
    for _, table in tables:
        assert list(table.columns[:3]) == [t("overview.column.rank", lang), store_word, kpi_word]
        assert table.iloc[0, 1] == "001 上海徐汇店" and table.iloc[-1, 1] == (
            "全连锁" if lang == "zh" else "whole chain"
        )
        shown |= set(table.columns[3:])
    assert shown == {indicator_header(k, lang) for k in _long()["indicator"].unique()}  # every KPI, with its unit
    assert any("✓" in table.iloc[0, 3] for _, table in tables)
    assert len(attainment_display(standard_attainment(_long()), lang)) == 2
    assert describe_overview(_long(), lang, min_judged=2) and describe_movers(movers(_long()), lang)


def test_heatmap_renders_chinese_without_missing_glyphs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = heatmap_chart(_long(), "zh", store_names={"001": "上海徐汇店", "002": "杭州西湖店"})
        fig.canvas.draw()
    ax = fig.axes[0]
    assert "门店" in ax.get_title()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["001 上海徐汇店", "002 杭州西湖店", "全连锁"]
    assert "CSAT（%）" in [t.get_text() for t in ax.get_xticklabels()]
    assert np.isfinite(ax.images[0].get_array()).all()


def test_heatmap_of_a_large_chain_shows_the_stores_needing_support():
    base = _long()
    many = pd.concat(
        [base.loc[base["store_id"] != CHAIN].assign(store_id=lambda d, k=k: d["store_id"] + f"-{k}") for k in range(30)]
        + [base.loc[base["store_id"] == CHAIN]],
        ignore_index=True,
    )
    fig = heatmap_chart(many, "en", max_stores=10, min_judged=2)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 11 and labels[-1] == "whole chain"
    assert all(label.startswith("002") for label in labels[:-1])  # the laggards
    assert "10 lowest-ranked of 60" in fig.axes[0].get_title()
