"""kit.chain.indicators: every indicator for every store at once, checked against answers worked out by hand.

The tiny chain has a handful of rows per store, so the minimum samples are lowered to 1 where the
known answers are checked (``ALL_ONE``); the verdict rules for small samples, missing columns and
date-only timestamps are tested with the registry's own minimums.
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from kit.chain.indicators import (
    CHAIN,
    TABLE_COLUMNS,
    indicator_table,
    indicator_targets,
    indicator_wide,
    on_target,
    store_slice,
    targets_for,
    unmeasured,
)
from kit.core.periods import previous_period
from kit.workshop.goals import QualityGoals
from kit.workshop.indicators import INDICATORS, shortfall, verdict_reason, verdict_text

T = pd.Timestamp
JAN = (date(2026, 1, 1), date(2026, 1, 31))
ALL_ONE = dict.fromkeys(INDICATORS, 1)


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
    return indicator_table(c, s, tx, period=JAN, stores=["001", "002", "003"], min_n=ALL_ONE)


def values(long, period="current"):
    part = long.loc[long["period"] == period]
    return part.set_index(["store_id", "indicator"])["value"]


EXPECTED_001 = {
    "first_response_sla": 75.0,  # b answered after 3 h (target 2 h)
    "resolution_sla": 75.0,  # b resolved after 48 h (target 24 h)
    "fcr": 50.0,  # b needed 2 contacts, c was reopened
    "resolution_satisfaction": 200 / 3,  # 5, 3, 4 rated; d not rated
    "follow_up_rate": 50.0,  # b never called back, d called back after 4 days
    "repeat_complaint_rate": 25.0,  # K1 complained again 5 days after a
    "authority_compliance": 50.0,  # 600 yuan approved by the front line (limit 500)
    "reopen_rate": 25.0,
    "compensation_per_complaint": 175.0,
    "contacts_per_resolution": 1.25,  # 1, 2, 1, 1
    "channels_used": 1.0,
    "skill_complaint_share": 50.0,  # attitude (a) and knowledge (c)
    "nps": 25.0,  # 2 promoters, 1 detractor of 4
    "csat": 50.0,
    "ces_easy_share": 75.0,  # 7, 5, 6 of 7, 5, 3, 6
    "survey_responses": 4.0,
    "complaints_per_1000": 1000.0,  # 4 complaints, 4 purchases
    "repeat_purchase_rate": 100 / 3,  # K1 of K1, K2, K3
}


def test_known_answers_for_a_store(long):
    got = values(long).loc["001"]
    for code, expected in EXPECTED_001.items():
        assert got[code] == pytest.approx(expected), code


def test_known_answers_for_the_other_store_and_the_chain(long):
    v = values(long)
    assert v.loc[("002", "first_response_sla")] == 100.0
    assert v.loc[("002", "nps")] == 100.0 and v.loc[("002", "ces_easy_share")] == 0.0
    assert v.loc[("002", "complaints_per_1000")] == 500.0 and v.loc[("002", "repeat_purchase_rate")] == 0.0
    assert v.loc[(CHAIN, "first_response_sla")] == pytest.approx(80.0)  # 4 of 5
    assert v.loc[(CHAIN, "complaints_per_1000")] == pytest.approx(5 / 6 * 1000)
    assert v.loc[(CHAIN, "repeat_purchase_rate")] == pytest.approx(20.0)  # 1 of 5 customers
    assert v.loc[(CHAIN, "nps")] == pytest.approx(40.0)  # 3 promoters, 1 detractor of 5


def test_targets_gap_verdict_and_impact(long):
    cur = long.loc[(long["period"] == "current")].set_index(["store_id", "indicator"])
    row = cur.loc[("001", "repeat_complaint_rate")]
    assert (row["target"], row["direction"], row["gap"], row["verdict"]) == (10.0, "<=", -15.0, "not_met")
    assert row["impact"] == 1  # 1 repeat of 4 complaints, the target allows 0.4: one ticket too many
    row = cur.loc[("001", "nps")]
    assert (row["target"], row["target_source"], row["gap"], row["verdict"]) == (30.0, "goals", -5.0, "not_met")
    assert np.isnan(row["impact"])  # NPS points are not tickets
    row = cur.loc[("001", "first_response_sla")]
    assert (row["target"], row["target_source"], row["impact"]) == (95.0, "standards", 1)  # ceil(0.95·4 − 3)
    # no published target: the chain's own value is the reference
    row = cur.loc[("002", "complaints_per_1000")]
    assert row["target_source"] == "chain" and row["target"] == pytest.approx(5 / 6 * 1000) and row["verdict"] == "met"
    assert cur.loc[("001", "complaints_per_1000"), "verdict"] == "not_met"


def test_table_shape_types_and_order(long):
    assert list(long.columns) == TABLE_COLUMNS
    assert len(long) == 2 * 4 * len(INDICATORS)  # two periods, three stores + chain
    assert long["store_id"].map(type).eq(str).all()
    assert long["store_id"].drop_duplicates().tolist() == ["001", "002", "003", CHAIN]
    assert long["indicator"].drop_duplicates().tolist() == list(INDICATORS)
    assert str(long["met"].dtype) == "boolean"
    assert set(long["verdict"]) <= {"met", "not_met", "too_few", "no_data", "not_measurable"}
    assert long["met"].notna().eq(long["verdict"].isin(["met", "not_met"])).all()


def test_store_without_data_has_no_value_and_no_verdict(long):
    cur = store_slice(long, "003")
    assert cur["value"].isna().all() and (cur["n"] == 0).all() and cur["met"].isna().all()
    assert set(cur["verdict"]) == {"no_data"} and on_target(cur) == (0, 0)


def test_previous_period_of_equal_length(long):
    prev = long.loc[long["period"] == "previous"]
    assert prev["period_start"].iloc[0] == T("2025-12-01") and prev["period_end"].iloc[0] == T("2025-12-31")
    assert values(long, "previous").loc[("001", "nps")] == -100.0
    assert np.isnan(values(long, "previous").loc[("001", "fcr")])
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 1, 29), date(2026, 2, 28))


def test_workspace_goals_and_explicit_targets_win(tiny):
    c, s, tx = tiny
    k = indicator_table(
        c,
        s,
        tx,
        period=JAN,
        previous=False,
        goals=QualityGoals(targets={"fcr": 40, "complaints_per_1000": 900}),
        goals_source="workspace",
        targets={"nps": 20},
        min_n=ALL_ONE,
    )
    cur = k.set_index(["store_id", "indicator"])
    assert (cur.loc[("001", "fcr"), "target"], cur.loc[("001", "fcr"), "target_source"]) == (40.0, "workspace")
    assert cur.loc[("001", "fcr"), "verdict"] == "met"
    assert tuple(cur.loc[("002", "complaints_per_1000"), ["target", "target_source"]]) == (900.0, "workspace")
    assert tuple(cur.loc[("001", "nps"), ["target", "target_source"]]) == (20.0, "explicit")
    assert set(k["period"]) == {"current"}
    assert targets_for()["repeat_complaint_rate"] == (10.0, "goals")


def test_wide_and_targets_views(long):
    wide = indicator_wide(long)
    assert wide["store_id"].tolist() == ["001", "002", "003", CHAIN]
    assert list(wide.columns) == ["store_id", *INDICATORS]
    assert wide.set_index("store_id").loc["001", "fcr"] == 50.0
    assert indicator_wide(long, chain=False)["store_id"].tolist() == ["001", "002", "003"]
    targets = indicator_targets(long).set_index("indicator")
    assert targets.loc["first_response_sla", ["stores_met", "stores_judged"]].tolist() == [1, 2]
    assert targets.loc["first_response_sla", "chain_value"] == pytest.approx(80.0)


# ---- missing is not zero ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dropped, lost",
    [
        ("contacts_to_resolve", {"fcr", "contacts_per_resolution"}),
        ("follow_up_at", {"follow_up_rate"}),
        ("compensation_amount", {"compensation_per_complaint", "authority_compliance"}),
        ("resolution_satisfaction", {"resolution_satisfaction"}),
    ],
)
def test_a_dropped_column_is_no_data_and_leaves_x_of_n(tiny, dropped, lost):
    c, s, tx = tiny
    full = indicator_table(c, s, tx, period=JAN, previous=False, min_n=ALL_ONE)
    part = indicator_table(c.drop(columns=dropped), s, tx, period=JAN, previous=False, min_n=ALL_ONE)
    for store in ("001", "002", CHAIN):
        rows = store_slice(part, store).set_index("indicator")
        for code in lost:
            row = rows.loc[code]
            assert (row["verdict"], row["reason"], row["reason_column"]) == ("no_data", "absent_column", dropped)
            assert np.isnan(row["value"]) and pd.isna(row["met"]) and np.isnan(row["impact"])
        judged_full = set(store_slice(full, store).query("verdict in ['met', 'not_met']")["indicator"])
        judged_part = set(store_slice(part, store).query("verdict in ['met', 'not_met']")["indicator"])
        assert judged_part == judged_full - lost  # gone from "x of N", nothing else changed
        assert on_target(store_slice(part, store))[1] == len(judged_part)
        before = set(unmeasured(store_slice(full, store))["indicator"])  # the tiny chain has no SERVQUAL items
        assert set(unmeasured(store_slice(part, store))["indicator"]) - before == lost
    assert verdict_reason("absent_column", "zh", column=dropped) == f"无数据——导出文件中没有 {dropped} 列"


def test_an_all_empty_column_is_not_in_the_export(tiny):
    c, s, tx = tiny
    part = indicator_table(c.assign(follow_up_at=pd.NaT), s, tx, period=JAN, previous=False, min_n=ALL_ONE)
    row = store_slice(part, "001").set_index("indicator").loc["follow_up_rate"]
    assert (row["verdict"], row["reason_column"]) == ("no_data", "follow_up_at")


def test_a_chain_without_surveys_or_transactions(tiny):
    c, _, _ = tiny
    k = indicator_table(c, None, None, period=JAN, previous=False, min_n=ALL_ONE, missing=("surveys", "transactions"))
    rows = store_slice(k, "001").set_index("indicator")
    for code in (
        "nps",
        "csat",
        "ces_easy_share",
        "servqual_gap",
        "survey_responses",
        "repeat_purchase_rate",
        "complaints_per_1000",
    ):
        assert rows.loc[code, "verdict"] == "no_data" and rows.loc[code, "reason"] == "missing_file", code
    assert rows.loc["fcr", "verdict"] == "not_met"  # the complaint indicators are measured as before


def test_small_samples_get_no_verdict(tiny):
    c, s, tx = tiny
    k = indicator_table(c, s, tx, period=JAN, previous=False)  # the registry's minimums (20 complaints, 30 answers)
    row = store_slice(k, "002").set_index("indicator").loc["first_response_sla"]
    assert (row["verdict"], row["value"], row["n"]) == ("too_few", 100.0, 1)
    assert pd.isna(row["met"])
    text = verdict_text({**row.to_dict(), "indicator": "first_response_sla"}, "en")
    assert text == "too few to judge (n = 1, at least 20 needed)"
    judged = store_slice(k, "002").query("verdict in ['met', 'not_met']")
    assert judged["indicator"].tolist() == ["survey_responses"]  # a count: 1 answer against 30 wanted


def test_date_only_timestamps_make_sub_day_targets_not_measurable(tiny):
    c, s, tx = tiny
    days = c.assign(**{col: c[col].dt.normalize() for col in ("created_at", "first_response_at", "resolved_at")})
    k = indicator_table(
        days,
        s,
        tx,
        period=JAN,
        previous=False,
        min_n=ALL_ONE,
        date_only={"created_at", "first_response_at", "resolved_at", "follow_up_at"},
    )
    rows = store_slice(k, "001").set_index("indicator")
    assert (rows.loc["first_response_sla", "verdict"], rows.loc["first_response_sla", "reason"]) == (
        "not_measurable",
        "times_missing",
    )
    # the default resolution rule is 24 h = one whole day on the calendar clock: measured on dates
    assert rows.loc["resolution_sla", "verdict"] in ("met", "not_met")
    assert rows.loc["resolution_sla", "value"] == pytest.approx(75.0)  # b resolved 2 days later
    # the call-back window (48 h) is whole days too
    assert rows.loc["follow_up_rate", "verdict"] in ("met", "not_met")


def test_day_based_rules_still_work_on_dates(tiny):
    from kit.workshop.standards import SlaRule, Standards

    c, s, tx = tiny
    days = c.assign(**{col: c[col].dt.normalize() for col in ("created_at", "first_response_at", "resolved_at")})
    std = Standards(
        sla=[
            SlaRule(metric="first_response", target_minutes=2 * 1440),
            SlaRule(metric="resolution", target_minutes=3 * 1440),
        ]
    )
    k = indicator_table(
        days,
        s,
        tx,
        period=JAN,
        previous=False,
        min_n=ALL_ONE,
        standards=std,
        date_only={"created_at", "first_response_at", "resolved_at"},
    )
    rows = store_slice(k, "001").set_index("indicator")
    assert rows.loc["first_response_sla", "value"] == 100.0 and rows.loc["resolution_sla", "value"] == 100.0


def test_shortfall_in_whole_tickets():
    fcr = INDICATORS["fcr"]
    assert shortfall(fcr, value=60.0, target=70.0, n=237) == 24  # 23.7 -> 24 whole tickets
    assert shortfall(fcr, value=75.0, target=70.0, n=237) == 0
    assert shortfall(INDICATORS["reopen_rate"], value=8.0, target=5.0, n=100) == 3
    assert shortfall(INDICATORS["nps"], value=10.0, target=30.0, n=100) is None
