"""Tests of kit.loyalty on a tiny hand-computed chain."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit.core.errors import DataError, ParameterError
from kit.loyalty.retention import churn_rate, churn_status, cohort_matrix, cohort_retention, repeat_purchase_rate

# a: 001 on Jan 5, Jan 20, Mar 2        b: 001 twice on Jan 15 (two receipts, one day)
# c: 002 on Feb 10, Feb 11, Apr 30      d: 001 on Feb 28, 002 on Mar 1
TX = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "b", "b", "c", "c", "c", "d", "d"],
        "store_id": ["001", "001", "001", "001", "001", "002", "002", "002", "001", "002"],
        "date": [
            "2026-01-05",
            "2026-01-20",
            "2026-03-02",
            "2026-01-15",
            "2026-01-15",
            "2026-02-10",
            "2026-02-11",
            "2026-04-30",
            "2026-02-28",
            "2026-03-01",
        ],
    }
)


def test_cohort_retention_chain_by_hand():
    # cohort 2026-01 = {a, b}: Jan both (100 %), Feb nobody (0), Mar a (50 %), Apr nobody (0)
    # cohort 2026-02 = {c, d}: Feb both (100 %), Mar d (50 %), Apr c (50 %)
    out = cohort_retention(TX, period_end="2026-04-30")
    assert out["cohort"].tolist() == ["2026-01"] * 4 + ["2026-02"] * 3
    assert out["months_since"].tolist() == [0, 1, 2, 3, 0, 1, 2]
    assert out["cohort_size"].tolist() == [2] * 7
    assert out["active"].tolist() == [2, 0, 1, 0, 2, 1, 1]
    assert out["retention"].tolist() == [100.0, 0.0, 50.0, 0.0, 100.0, 50.0, 50.0]
    matrix = cohort_matrix(out)
    assert matrix.loc["2026-02", 2] == 50.0 and np.isnan(matrix.loc["2026-02", 3])


def test_cohort_retention_per_store_by_hand():
    # store 001: cohort Jan {a, b} -> 2, 0, 1, 0 ; cohort Feb {d} -> 1, 0 (d's March purchase is at 002), 0
    # store 002: cohort Feb {c} -> 1, 0, 1 ; cohort Mar {d} -> 1, 0
    out = cohort_retention(TX, by=("store_id",), period_end="2026-04-30")
    got = out.groupby(["store_id", "cohort"])["active"].apply(list).to_dict()
    assert got == {
        ("001", "2026-01"): [2, 0, 1, 0],
        ("001", "2026-02"): [1, 0, 0],
        ("002", "2026-02"): [1, 0, 1],
        ("002", "2026-03"): [1, 0],
    }
    assert out[(out.store_id == "002") & (out.cohort == "2026-02")]["retention"].tolist() == [100.0, 0.0, 100.0]


def test_cohort_retention_end_and_max_months():
    # with the period ending on Feb 28, only Jan and Feb exist; d joins on Feb 28, c on Feb 10
    out = cohort_retention(TX, period_end="2026-02-28")
    assert out["active"].tolist() == [2, 0, 2]
    short = cohort_retention(TX, period_end="2026-04-30", max_months=1)
    assert short["months_since"].max() == 1 and len(short) == 4
    empty = cohort_retention(TX.iloc[:0])
    assert len(empty) == 0 and "retention" in empty.columns


def test_repeat_purchase_rate_by_hand():
    # whole period, counting transactions: a 3, b 2, c 3, d 2 -> 4 of 4 repeat
    assert repeat_purchase_rate(TX).iloc[0].tolist() == [4, 4, 100.0]
    # counting purchase days: b's two receipts on one day are one purchase -> a, c, d -> 75 %
    assert repeat_purchase_rate(TX, distinct_days=True).iloc[0].tolist() == [4, 3, 75.0]
    # Jan-Feb: a 2, b 1 day, c 2, d 1 -> 2 of 4 by days
    jan_feb = repeat_purchase_rate(TX, start="2026-01-01", end="2026-02-28", distinct_days=True).iloc[0]
    assert jan_feb.tolist() == [4, 2, 50.0]
    per_store = repeat_purchase_rate(TX, by=("store_id",)).set_index("store_id")
    # 001: a 3, b 2, d 1 -> 2/3 ; 002: c 3, d 1 -> 1/2
    assert per_store.loc["001", "repeat_rate"] == pytest.approx(200 / 3)
    assert per_store.loc["002", "repeat_rate"] == 50.0
    nobody = repeat_purchase_rate(TX, start="2027-01-01").iloc[0]
    assert nobody["customers"] == 0 and np.isnan(nobody["repeat_rate"])


def test_churn_by_hand_and_boundary():
    # at Apr 30: last purchases a Mar 2 (59 days), b Jan 15 (105), c Apr 30 (0), d Mar 1 (60)
    status = churn_status(TX, period_end="2026-04-30", inactive_days=30).set_index("customer_id")
    assert status["days_since"].to_dict() == {"a": 59, "b": 105, "c": 0, "d": 60}
    assert churn_rate(TX, period_end="2026-04-30", inactive_days=30).iloc[0].tolist() == [4, 3, 75.0]
    # exactly N days is not "more than N": N = 59 keeps a, N = 60 keeps a and d
    assert churn_rate(TX, period_end="2026-04-30", inactive_days=59).iloc[0]["churned"] == 2
    assert churn_rate(TX, period_end="2026-04-30", inactive_days=60).iloc[0]["churned"] == 1
    # at Mar 1 (later purchases ignored): a 40, b 45, c 18, d 0 days -> a, b churned
    assert churn_rate(TX, period_end="2026-03-01", inactive_days=30).iloc[0].tolist() == [4, 2, 50.0]
    per_store = churn_rate(TX, period_end="2026-04-30", inactive_days=30, by=("store_id",)).set_index("store_id")
    assert per_store.loc["001", "churn_rate"] == 100.0  # a 59, b 105, d (Feb 28) 61
    assert per_store.loc["002", "churn_rate"] == 50.0  # c 0, d 60
    empty = churn_rate(TX.iloc[:0], period_end="2026-04-30").iloc[0]
    assert empty["customers"] == 0 and np.isnan(empty["churn_rate"])


def test_bad_input():
    bad = TX.copy()
    bad.loc[3, "date"] = "15/01/2026?"
    with pytest.raises(DataError):
        cohort_retention(bad)
    with pytest.raises(DataError):
        churn_rate(TX.drop(columns=["customer_id"]))
    with pytest.raises(ParameterError):
        churn_rate(TX, inactive_days=-1)
    with pytest.raises(ParameterError):
        churn_rate(TX, period_end="someday")
    with pytest.raises(ParameterError):
        cohort_retention(TX, max_months=-2)


def test_sample_chain():
    from kit.intake.sample import generate_chain

    tx = generate_chain(stores=3, months=6, seed=4)["transactions"]
    ret = cohort_retention(tx, by=("store_id",))
    assert (ret.loc[ret.months_since == 0, "retention"] == 100.0).all()
    assert ret["retention"].between(0, 100).all()
    rates = churn_rate(tx, period_end="2026-06-30", inactive_days=60, by=("store_id",))
    assert len(rates) == 3 and rates["churn_rate"].between(0, 100).all()
    assert repeat_purchase_rate(tx)["repeat_rate"].between(0, 100).all()
