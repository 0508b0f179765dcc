"""Tests of kit.loyalty.servqual with a small hand-computed example (Parasuraman, Zeithaml & Berry 1988/1991)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit.core.errors import DataError, ParameterError
from kit.loyalty.servqual import DIMENSION_ITEMS, DIMENSIONS, respondent_gaps, servqual_gaps

IMP = [f"importance_{d}" for d in DIMENSIONS]


def _resp(store, e, p_by_item, importance=None):
    """One response: ``e`` for every expectation, perceptions from ``p_by_item`` (item -> score)."""
    row = {"store_id": store}
    row |= {f"servqual_e{k:02d}": e for k in range(1, 23)}
    row |= {f"servqual_p{k:02d}": p_by_item[k] for k in range(1, 23)}
    row |= dict(zip(IMP, importance if importance is not None else [None] * 5))
    return row


def _by_dim(values):
    """Perception per item from one value per dimension."""
    return {k: values[j] for j, d in enumerate(DIMENSIONS) for k in DIMENSION_ITEMS[d]}


@pytest.fixture()
def hand():
    # Respondent 1 (store A): E = 6 everywhere; P = 5, 4, 6, 7, 5 by dimension
    #   -> dimension gaps -1, -2, 0, +1, -1 ; unweighted = -3/5 = -0.6
    #   importance 10/40/20/20/10 -> weighted = -.1 - .8 + 0 + .2 - .1 = -0.8
    # Respondent 2 (store A): E = 7, P = 6 -> all gaps -1 ; unweighted -1 ; importance 20 each -> weighted -1
    # Respondent 3 (store B): E = 6; P item 1 = 7, items 2-4 = 5, all others 6
    #   -> tangibles = mean(+1, -1, -1, -1) = -0.5 ; other gaps 0 ; unweighted -0.1 ; no importance
    # Row 4 (store B): no SERVQUAL answers at all -> ignored
    r3 = _by_dim([6, 6, 6, 6, 6]) | {1: 7, 2: 5, 3: 5, 4: 5}
    rows = [
        _resp("A", 6, _by_dim([5, 4, 6, 7, 5]), [10, 40, 20, 20, 10]),
        _resp("A", 7, _by_dim([6, 6, 6, 6, 6]), [20, 20, 20, 20, 20]),
        _resp("B", 6, r3),
        {"store_id": "B"},
    ]
    return pd.DataFrame(rows)


def test_respondent_level_gaps(hand):
    r = respondent_gaps(hand)
    assert r.loc[
        0, ["gap_tangibles", "gap_reliability", "gap_responsiveness", "gap_assurance", "gap_empathy"]
    ].tolist() == [-1, -2, 0, 1, -1]
    assert r.loc[0, "unweighted"] == pytest.approx(-0.6)
    assert r.loc[0, "weighted"] == pytest.approx(-0.8)
    assert r.loc[1, "weighted"] == pytest.approx(-1.0)
    assert r.loc[2, "gap_tangibles"] == pytest.approx(-0.5)
    assert np.isnan(r.loc[2, "weighted"])
    assert r["answered"].tolist() == [True, True, True, False]


def test_group_scores_by_hand(hand):
    res = servqual_gaps(hand, by=("store_id",))
    s = res.scores.set_index("store_id")
    # store A dimension gaps: (-1-1)/2, (-2-1)/2, (0-1)/2, (1-1)/2, (-1-1)/2 = -1, -1.5, -.5, 0, -1
    # unweighted = -4/5 = -0.8 ; weighted (per respondent, then mean) = (-0.8 - 1)/2 = -0.9
    assert s.loc["A", "n"] == 2
    assert s.loc["A", "unweighted"] == pytest.approx(-0.8)
    assert s.loc["A", "weighted"] == pytest.approx(-0.9)
    assert s.loc["B", "n"] == 1  # the unanswered row is ignored
    assert s.loc["B", "unweighted"] == pytest.approx(-0.1)
    assert np.isnan(s.loc["B", "weighted"]) and s.loc["B", "n_weighted"] == 0
    assert s["small_sample"].all()
    d = res.dimensions.set_index(["store_id", "dimension"])
    assert d.loc[("A", "reliability"), "gap"] == pytest.approx(-1.5)
    assert d.loc[("A", "reliability"), "expectation"] == pytest.approx(6.5)
    assert d.loc[("A", "reliability"), "perception"] == pytest.approx(5.0)
    assert d.loc[("A", "reliability"), "importance"] == pytest.approx(30.0)
    assert d.loc[("B", "tangibles"), "gap"] == pytest.approx(-0.5)
    it = res.items.set_index(["store_id", "item"])
    assert it.loc[("B", 1), "gap"] == 1.0 and it.loc[("B", 2), "gap"] == -1.0
    assert it.loc[("A", 5), "dimension"] == "reliability" and it.loc[("A", 10), "dimension"] == "responsiveness"
    assert it.loc[("A", 14), "dimension"] == "assurance" and it.loc[("A", 18), "dimension"] == "empathy"
    assert len(res.items) == 2 * 22 and len(res.dimensions) == 2 * 5


def test_mean_weighting(hand):
    # store A mean importance 15/30/20/20/15 -> -1*.15 - 1.5*.3 - .5*.2 + 0 - 1*.15 = -0.85
    s = servqual_gaps(hand, by=("store_id",), weighting="mean").scores.set_index("store_id")
    assert s.loc["A", "weighted"] == pytest.approx(-0.85)


def test_overall_and_empty(hand):
    overall = servqual_gaps(hand).scores.iloc[0]
    assert overall["n"] == 3
    empty = servqual_gaps(hand.iloc[3:]).scores.iloc[0]
    assert empty["n"] == 0 and np.isnan(empty["unweighted"]) and np.isnan(empty["weighted"])
    assert len(servqual_gaps(hand.iloc[:0], by=("store_id",)).scores) == 0


def test_missing_item_is_skipped_within_its_dimension(hand):
    df = hand.copy()
    df.loc[0, "servqual_p05"] = np.nan  # reliability now from items 6-9: still -2
    df.loc[2, "servqual_e01"] = np.nan  # store B tangibles from items 2-4: -1
    r = respondent_gaps(df)
    assert r.loc[0, "gap_reliability"] == -2
    assert r.loc[2, "gap_tangibles"] == -1
    items = servqual_gaps(df, by=("store_id",)).items.set_index(["store_id", "item"])
    assert items.loc[("A", 5), "n"] == 1 and items.loc[("B", 1), "n"] == 0 and np.isnan(items.loc[("B", 1), "gap"])


def test_bad_input(hand):
    df = hand.copy()
    df.loc[0, "servqual_e03"] = 8
    with pytest.raises(DataError) as info:
        servqual_gaps(df)
    assert info.value.where.column == "servqual_e03"
    df = hand.copy()
    df.loc[1, "importance_empathy"] = 10  # sums to 90
    with pytest.raises(DataError) as info:
        servqual_gaps(df)
    assert "100" in info.value.message("zh")
    with pytest.raises(DataError):
        servqual_gaps(hand.drop(columns=["servqual_p22"]))
    with pytest.raises(ParameterError):
        servqual_gaps(hand, weighting="median")
    assert servqual_gaps(hand.drop(columns=IMP), importance_prefix=None).scores["weighted"].isna().all()


def test_sample_chain():
    from kit.intake.sample import generate_chain

    surveys = generate_chain(stores=3, months=2, seed=2)["surveys"]
    res = servqual_gaps(surveys, by=("store_id",))
    assert len(res.scores) == 3
    # complete answers: a dimension gap equals the mean of its item gaps
    items = res.items[res.items.store_id == "001"]
    dims = res.dimensions[res.dimensions.store_id == "001"].set_index("dimension")
    assert dims.loc["reliability", "gap"] == pytest.approx(items[items.dimension == "reliability"]["gap"].mean())
    assert res.scores["unweighted"].between(-6, 6).all()
    assert res.dimensions.groupby("store_id")["importance"].sum().round(6).eq(100).all()
