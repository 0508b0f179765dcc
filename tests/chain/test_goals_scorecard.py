"""kit.chain.goals_scorecard: the nine goals as a view of the indicator table (nothing computed twice)."""

from datetime import date

import pandas as pd
import pytest

from kit.chain.goals_scorecard import describe_scorecard, scorecard, scorecard_table
from kit.chain.indicators import indicator_table, store_slice
from kit.workshop.indicators import GOAL_IDS, INDICATORS


@pytest.fixture(scope="module")
def table(small_chain_dir):
    from kit.intake.load import load_chain

    chain = load_chain(small_chain_dir)
    return indicator_table(
        chain.complaints.data,
        chain.surveys.data,
        chain.transactions.data,
        period=(date(2026, 1, 1), date(2026, 3, 31)),
        previous=False,
    )


def test_the_scorecard_is_the_stores_slice_in_goal_order(table):
    rows = store_slice(table, "001")
    card = scorecard(rows)
    assert len(card) == len(INDICATORS)
    assert card["goal"].tolist() == sorted(card["goal"], key=GOAL_IDS.index)
    same = card.set_index("indicator")[["value", "target", "verdict"]]
    expected = rows.set_index("indicator").loc[same.index, ["value", "target", "verdict"]]
    pd.testing.assert_frame_equal(same, expected)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_display_and_text(table, lang):
    card = scorecard(store_slice(table, "001"))
    shown = scorecard_table(card, lang)
    assert len(shown) == len(INDICATORS) and shown.shape[1] == 7
    statuses = shown.iloc[:, 5].tolist()
    assert any("✗" in s or "✓" in s for s in statuses)
    text = describe_scorecard(card, lang, link="[p](x)")
    judged = card["verdict"].isin(["met", "not_met"]).sum()
    assert str(judged) in text and text.endswith("[p](x)")


def test_a_store_without_surveys_says_so_instead_of_zero(table):
    rows = store_slice(table, "001").copy()
    survey = rows["indicator"].isin(["nps", "csat", "ces_easy_share", "servqual_gap", "assurance_gap"])
    rows.loc[survey, ["verdict", "reason", "reason_column", "value"]] = ["no_data", "missing_file", "surveys", None]
    shown = scorecard_table(scorecard(rows), "en").set_index("indicator")
    assert shown.loc["NPS"].iloc[4] == "no data — there is no surveys file"
