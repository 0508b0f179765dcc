"""kit.chain.kpis: every KPI for every store at once, checked against answers worked out by hand."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kit.chain.kpis import CHAIN, KPIS, LONG_COLUMNS, kpi_targets, kpi_wide, store_kpis, targets_for
from kit.core.periods import previous_period
from kit.workshop.goals import QualityGoals

T = pd.Timestamp
JAN = (date(2026, 1, 1), date(2026, 1, 31))


@pytest.fixture(scope="module")
def tiny():
    """Store 001: four complaints a-d, four survey answers, four purchases; store 002: one of each kind."""
    c = pd.DataFrame(
        {
            "complaint_id": list("abcde"),
            "store_id": ["001"] * 4 + ["002"],
            "channel": ["phone"] * 5,
            "tier": ["normal"] * 5,
            "created_at": [
                T("2026-01-05 10:00"),
                T("2026-01-10 10:00"),
                T("2026-01-20 10:00"),
                T("2026-01-25 10:00"),
                T("2026-01-15 10:00"),
            ],
            "first_response_at": [
                T("2026-01-05 10:30"),
                T("2026-01-10 13:00"),
                T("2026-01-20 10:10"),
                T("2026-01-25 11:00"),
                T("2026-01-15 10:20"),
            ],
            "resolved_at": [
                T("2026-01-05 12:00"),
                T("2026-01-12 10:00"),
                T("2026-01-20 20:00"),
                T("2026-01-26 09:00"),
                T("2026-01-15 11:00"),
            ],
            "contacts_to_resolve": pd.array([1, 2, 1, 1, 1], dtype="Int64"),
            "reopened": pd.array([0, 0, 1, 0, 0], dtype="Int64"),
            "compensation_amount": [0.0, 600.0, 100.0, 0.0, 0.0],
            "approver_role": [None, "frontline", "frontline", None, None],
            "follow_up_at": [
                T("2026-01-06 10:00"),
                pd.NaT,
                T("2026-01-21 10:00"),
                T("2026-01-30 10:00"),
                T("2026-01-16 10:00"),
            ],
            "resolution_satisfaction": pd.array([5, 3, 4, None, 5], dtype="Int64"),
            "customer_id": ["K1", "K1", "K2", "K3", "K9"],
            "category_en": ["service_attitude", "product_quality", "staff_knowledge", "delivery", "other"],
        }
    )
    s = pd.DataFrame(
        {
            "store_id": ["001"] * 4 + ["002", "001"],
            "date": [T("2026-01-03")] * 5 + [T("2025-12-10")],
            "nps": pd.array([10, 9, 6, 8, 10, 0], dtype="Int64"),
            "csat": pd.array([5, 4, 3, 2, 5, 1], dtype="Int64"),
            "ces": pd.array([7, 5, 3, 6, 2, 1], dtype="Int64"),
        }
    )
    tx = pd.DataFrame(
        {
            "store_id": ["001"] * 4 + ["002"] * 2,
            "customer_id": ["K1", "K1", "K2", "K3", "K9", "K8"],
            "date": [
                T("2026-01-02"),
                T("2026-01-15"),
                T("2026-01-03"),
                T("2026-01-04"),
                T("2026-01-02"),
                T("2026-01-03"),
            ],
            "amount": [10.0] * 6,
        }
    )
    return c, s, tx


@pytest.fixture(scope="module")
def long(tiny):
    c, s, tx = tiny
    return store_kpis(c, s, tx, period=JAN, stores=["001", "002", "003"])


def values(long, period="current"):
    part = long.loc[long["period"] == period]
    return part.set_index(["store_id", "kpi"])["value"]


EXPECTED_001 = {
    "first_response_sla": 75.0,  # b answered after 3 h (target 2 h)
    "resolution_sla": 75.0,  # b resolved after 48 h (target 24 h)
    "fcr": 50.0,  # b needed 2 contacts, c was reopened
    "golden_window": 75.0,
    "resolution_satisfaction": 200 / 3,  # 5, 3, 4 rated; d not rated
    "follow_up_rate": 50.0,  # b never called back, d called back after 4 days
    "repeat_complaint_rate": 25.0,  # K1 complained again 5 days after a
    "authority_compliance": 50.0,  # 600 yuan approved by the front line (limit 500)
    "reopen_rate": 25.0,
    "compensation_per_complaint": 175.0,
    "skill_complaint_share": 50.0,  # attitude (a) and knowledge (c)
    "nps": 25.0,  # 2 promoters, 1 detractor of 4
    "csat": 50.0,
    "ces_easy_share": 75.0,  # 7, 5, 6 of 7, 5, 3, 6
    "complaints_per_1000": 1000.0,  # 4 complaints, 4 purchases
    "repeat_purchase_rate": 100 / 3,  # K1 of K1, K2, K3
}


def test_known_answers_for_a_store(long):
    got = values(long).loc["001"]
    for kpi, expected in EXPECTED_001.items():
        assert got[kpi] == pytest.approx(expected), kpi


def test_known_answers_for_the_other_store_and_the_chain(long):
    v = values(long)
    assert v.loc[("002", "first_response_sla")] == 100.0
    assert v.loc[("002", "nps")] == 100.0 and v.loc[("002", "ces_easy_share")] == 0.0
    assert v.loc[("002", "complaints_per_1000")] == 500.0 and v.loc[("002", "repeat_purchase_rate")] == 0.0
    assert v.loc[(CHAIN, "first_response_sla")] == pytest.approx(80.0)  # 4 of 5
    assert v.loc[(CHAIN, "complaints_per_1000")] == pytest.approx(5 / 6 * 1000)
    assert v.loc[(CHAIN, "repeat_purchase_rate")] == pytest.approx(20.0)  # 1 of 5 customers
    assert v.loc[(CHAIN, "nps")] == pytest.approx(40.0)  # 3 promoters, 1 detractor of 5


def test_targets_gap_and_met(long):
    cur = long.loc[(long["period"] == "current")].set_index(["store_id", "kpi"])
    row = cur.loc[("001", "repeat_complaint_rate")]
    assert (row["target"], row["direction"], row["gap"], bool(row["met"])) == (10.0, "<=", -15.0, False)
    row = cur.loc[("001", "nps")]
    assert (row["target"], row["target_source"], row["gap"], bool(row["met"])) == (30.0, "goals", -5.0, False)
    row = cur.loc[("001", "first_response_sla")]
    assert (row["target"], row["target_source"]) == (95.0, "standards")
    # no published target: the chain's own value is the reference
    row = cur.loc[("002", "complaints_per_1000")]
    assert row["target_source"] == "chain" and row["target"] == pytest.approx(5 / 6 * 1000) and bool(row["met"])
    assert not bool(cur.loc[("001", "complaints_per_1000"), "met"])


def test_long_table_shape_types_and_order(long):
    assert list(long.columns) == LONG_COLUMNS
    assert len(long) == 2 * 4 * len(KPIS)  # two periods, three stores + chain
    assert long["store_id"].map(type).eq(str).all()
    assert long["store_id"].drop_duplicates().tolist() == ["001", "002", "003", CHAIN]
    assert long["kpi"].drop_duplicates().tolist() == list(KPIS)
    assert str(long["met"].dtype) == "boolean"


def test_store_without_data_has_no_value_and_no_verdict(long):
    cur = long.loc[(long["period"] == "current") & (long["store_id"] == "003")]
    assert cur["value"].isna().all() and (cur["n"] == 0).all() and cur["met"].isna().all()


def test_previous_period_of_equal_length(long):
    prev = long.loc[long["period"] == "previous"]
    assert prev["period_start"].iloc[0] == T("2025-12-01") and prev["period_end"].iloc[0] == T("2025-12-31")
    assert values(long, "previous").loc[("001", "nps")] == -100.0
    assert np.isnan(values(long, "previous").loc[("001", "fcr")])
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 1, 29), date(2026, 2, 28))


def test_workspace_goals_and_explicit_targets_win(tiny):
    c, s, tx = tiny
    k = store_kpis(
        c,
        s,
        tx,
        period=JAN,
        previous=False,
        goals=QualityGoals(targets={"fcr": 40}),
        goals_source="workspace",
        targets={"complaints_per_1000": 900},
    )
    cur = k.set_index(["store_id", "kpi"])
    assert (cur.loc[("001", "fcr"), "target"], cur.loc[("001", "fcr"), "target_source"]) == (40.0, "workspace")
    assert bool(cur.loc[("001", "fcr"), "met"])
    assert (
        cur.loc[("002", "complaints_per_1000"), "target"],
        cur.loc[("002", "complaints_per_1000"), "target_source"],
    ) == (900.0, "explicit")
    assert set(k["period"]) == {"current"}
    assert targets_for()["repeat_complaint_rate"] == (10.0, "kit")


def test_wide_and_targets_views(long):
    wide = kpi_wide(long)
    assert wide["store_id"].tolist() == ["001", "002", "003", CHAIN]
    assert list(wide.columns) == ["store_id", *KPIS]
    assert wide.set_index("store_id").loc["001", "fcr"] == 50.0
    assert kpi_wide(long, chain=False)["store_id"].tolist() == ["001", "002", "003"]
    targets = kpi_targets(long).set_index("kpi")
    assert targets.loc["first_response_sla", ["stores_met", "stores_measured"]].tolist() == [1, 2]
    assert targets.loc["first_response_sla", "chain_value"] == pytest.approx(80.0)
