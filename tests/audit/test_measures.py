import pandas as pd
import pytest

from kit.audit import measures as audit
from kit.core.errors import ParameterError
from kit.core.periods import filter_period
from kit.workshop.standards import default_standards

T = pd.Timestamp


def _log(rows):
    frame = pd.DataFrame(rows, columns=["store_id", "channel", "tier", "category", "created_at", "first_response_at"])
    frame["created_at"] = pd.to_datetime(frame["created_at"], format="ISO8601")
    frame["first_response_at"] = pd.to_datetime(frame["first_response_at"], format="ISO8601")
    return frame


def test_first_response_status_boundaries_and_open_tickets():
    log = _log(
        [
            ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:30"),  # exactly 30 min: met
            ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:30:01"),  # 1 s late: breached
            ("001", "email", "normal", "b", "2026-03-01 10:00", "2026-03-02 09:59"),  # e-mail 24 h: met
            ("001", "chat", "normal", "b", "2026-03-01 10:00", "2026-03-01 12:01"),  # 2 h + 1 min: breached
            ("001", "chat", "inquiry", "b", "2026-03-01 11:00", None),  # open, due 13:00: at risk
            ("001", "phone", "urgent", "c", "2026-03-01 09:00", None),  # open, overdue: breached
        ]
    )
    status = audit.first_response_status(log, default_standards(), as_of=T("2026-03-01 12:00"))
    assert status["status"].tolist() == ["met", "breached", "met", "breached", "at_risk", "breached"]
    assert status["target_minutes"].tolist() == [30, 30, 1440, 120, 120, 30]
    assert status["elapsed_minutes"].tolist() == pytest.approx([30, 30 + 1 / 60, 1439, 121, 60, 180])
    overall = audit.sla_attainment(status).iloc[0]
    assert (overall["met"], overall["breached"], overall["at_risk"]) == (2, 3, 1)
    assert overall["attainment"] == pytest.approx(2 / 5)
    assert overall["gap"] == pytest.approx((0.4 - 0.95) * 100)


def test_attainment_by_group_and_empty_group_is_nan():
    log = _log(
        [
            ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:10"),
            ("002", "phone", "urgent", "a", "2026-03-01 10:00", None),
        ]
    )
    status = audit.first_response_status(log, default_standards(), as_of=T("2026-03-01 10:05"))
    table = audit.sla_attainment(status, by=["store_id"]).set_index("store_id")
    assert table.loc["001", "attainment"] == 1.0
    assert pd.isna(table.loc["002", "attainment"]) and table.loc["002", "at_risk"] == 1


def test_category_pareto_vital_few_includes_the_category_crossing_80_percent():
    frame = pd.DataFrame({"category": ["a"] * 50 + ["b"] * 25 + ["c"] * 15 + ["d"] * 10})
    p = audit.category_pareto(frame)
    assert p["category"].tolist() == ["a", "b", "c", "d"]
    assert p["cum_share"].tolist() == pytest.approx([0.5, 0.75, 0.9, 1.0])
    assert p["vital_few"].tolist() == [True, True, True, False]


def test_category_pareto_exact_80_percent_stops_there():
    frame = pd.DataFrame({"category": ["a"] * 60 + ["b"] * 20 + ["c"] * 20})
    assert audit.category_pareto(frame)["vital_few"].tolist() == [True, True, False]


def test_complaints_per_month_fills_empty_months():
    frame = pd.DataFrame({"created_at": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-03-02"])})
    out = audit.complaints_per_month(frame, start="2026-01-01", end="2026-04-30")
    assert out["month"].tolist() == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert out["complaints"].tolist() == [2, 0, 1, 0]


def test_filter_period_is_inclusive_of_both_days():
    frame = pd.DataFrame(
        {
            "store_id": ["001", "001", "002", "001"],
            "created_at": pd.to_datetime(
                ["2025-12-31 23:59", "2026-01-01 00:00", "2026-01-15 00:00", "2026-01-31 23:59:59"], format="ISO8601"
            ),
        }
    )
    out = filter_period(frame, "2026-01-01", "2026-01-31", store_id="001")
    assert out.index.tolist() == [1, 3]


def test_describe_texts_follow_lang():
    row = pd.Series({"attainment": 0.8, "required": 0.95, "gap": -15.0, "met": 8, "breached": 2, "at_risk": 1})
    assert "15.0 points short" in audit.describe_attainment(row, "en")
    assert "差 15.0 个百分点" in audit.describe_attainment(row, "zh")
    pareto = audit.category_pareto(pd.DataFrame({"category": ["product_quality"] * 9 + ["other"]}))
    assert "产品质量" in audit.describe_pareto(pareto, "zh")
    assert "product quality" in audit.describe_pareto(pareto, "en")


def test_response_time_summary_uses_answered_tickets_only():
    log = _log(
        [
            ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:10"),
            ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:30"),
            ("001", "phone", "urgent", "a", "2026-03-01 10:00", None),
        ]
    )
    status = audit.first_response_status(log, default_standards(), as_of=T("2026-03-01 20:00"))
    summary = audit.response_time_summary(status, by=["tier"]).iloc[0]
    assert summary["complaints"] == 2 and summary["median_minutes"] == 20


def _ts(values):
    return pd.to_datetime(pd.Series(values, dtype="object"), format="ISO8601")


def test_business_hours_clock_counts_only_opening_hours():
    from kit.workshop.calendar import StoreCalendar
    from kit.workshop.standards import SlaRule, Standards

    standards = Standards(sla=[SlaRule(metric="first_response", target_minutes=120, clock="business")])
    log = pd.DataFrame(
        {
            "store_id": ["001", "001", "001"],
            "channel": ["phone"] * 3,
            "tier": ["normal"] * 3,
            "created_at": _ts(["2026-03-02 21:30", "2026-03-02 21:30", "2026-03-02 21:00"]),
            # 30 min before closing + 90 min after opening = 120: met exactly at the boundary
            "first_response_at": _ts(["2026-03-03 11:30", "2026-03-03 11:31", None]),
        }
    )
    status = audit.sla_status(
        log, standards, as_of=T("2026-03-03 10:30"), calendars={"001": StoreCalendar.retail("10:00-22:00")}
    )
    assert status["elapsed_minutes"].tolist() == pytest.approx([120, 121, 90])
    assert status["status"].tolist() == ["met", "breached", "at_risk"]
    assert status["minutes_left"].iloc[2] == pytest.approx(30)
    assert status["deadline"].iloc[2] == T("2026-03-03 11:00")
    with pytest.raises(ParameterError):
        audit.sla_status(log, standards, as_of=T("2026-03-03 10:30"))


def test_resolution_metric_uses_resolved_at():
    log = pd.DataFrame(
        {
            "store_id": ["001"] * 2,
            "channel": ["phone"] * 2,
            "tier": ["normal"] * 2,
            "created_at": _ts(["2026-03-01 10:00", "2026-03-01 10:00"]),
            "resolved_at": _ts(["2026-03-02 10:00", "2026-03-02 10:01"]),
        }
    )
    status = audit.sla_status(log, default_standards(), "resolution", as_of=T("2026-03-05"))
    assert status["status"].tolist() == ["met", "breached"]


def test_first_contact_resolution_definitions():
    f = pd.DataFrame(
        {
            "store_id": ["001", "001", "002", "002"],
            "contacts_to_resolve": [1, 2, 1, None],
            "reopened": [0, 0, 1, None],
            "resolved_at": _ts(["2026-01-01", "2026-01-01", "2026-01-02", None]),
        }
    )
    one = audit.first_contact_resolution(f, by=["store_id"]).set_index("store_id")
    assert one.loc["001", ["n", "fcr"]].tolist() == [2, 1] and one.loc["002", ["n", "fcr"]].tolist() == [1, 0]
    nr = audit.first_contact_resolution(f, definition="not_reopened").iloc[0]
    assert (nr["n"], nr["fcr"]) == (3, 2)
    f["reopened_at"] = _ts([None, None, "2026-01-20", None])  # reopened 18 days later: outside 7 days
    assert audit.first_contact_resolution(f, definition="not_reopened", reopen_days=7).iloc[0]["fcr"] == 3
    assert audit.first_contact_resolution(f, definition="not_reopened", reopen_days=30).iloc[0]["fcr"] == 2
    with pytest.raises(ParameterError):
        audit.first_contact_resolution(f, definition="vibes")


def test_golden_window_leaves_young_open_tickets_out():
    f = pd.DataFrame(
        {
            "created_at": _ts(["2026-01-01 10:00"] * 3 + ["2026-01-03 09:00"]),
            "resolved_at": _ts(["2026-01-02 10:00", "2026-01-02 10:01", None, None]),
        }
    )
    out = audit.golden_window(f, as_of=T("2026-01-03 12:00")).iloc[0]
    # exactly 24 h: within; 24 h 1 min: not; open 50 h: not; open 3 h: undecided (left out)
    assert (out["n"], out["within"]) == (3, 1)


def test_resolution_satisfaction_is_top_two_box():
    f = pd.DataFrame({"resolution_satisfaction": [5, 4, 3, 1, None]})
    out = audit.resolution_satisfaction(f, target=0.95).iloc[0]
    assert (out["n"], out["satisfied"], out["share"]) == (4, 2, 0.5)
    assert out["gap"] == pytest.approx(-45)


def test_follow_up_within_window():
    f = pd.DataFrame(
        {
            "tier": ["normal", "normal", "normal", "inquiry", "urgent"],
            "resolved_at": _ts(
                ["2026-01-01 10:00", "2026-01-01 10:00", "2026-01-01 10:00", "2026-01-01 10:00", "2026-01-04 10:00"]
            ),
            "follow_up_at": _ts(["2026-01-03 10:00", "2026-01-03 10:01", None, None, None]),
        }
    )
    out = audit.follow_up_compliance(f, as_of=T("2026-01-05"), window_hours=48).iloc[0]
    # on time (exactly 48 h), late, missing (window over); inquiry exempt; last one's window still open
    assert (out["n"], out["on_time"]) == (3, 1)


def test_repeat_complaints_within_30_days():
    f = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "c"],
            "created_at": _ts(["2026-01-01", "2026-01-31", "2026-03-15", "2026-01-01", "2026-01-02"]),
        }
    )
    out = audit.repeat_complaints(f, days=30).iloc[0]
    assert (out["n"], out["repeated"]) == (5, 1)  # only a's first complaint is followed within 30 days


def test_authority_with_custom_limits():
    f = pd.DataFrame(
        {
            "compensation_amount": [500, 501, 2500, 2500],
            "approver_role": ["frontline", "frontline", "supervisor", "manager"],
        }
    )
    assert audit.authority_check(f)["violation"].tolist() == [False, True, True, False]
    strict = audit.authority_check(f, limits={"frontline": 200, "supervisor": 5000, "manager": 1e9})
    assert strict["violation"].tolist() == [True, True, False, False]


def test_early_warning_lists_due_and_overdue_open_tickets_soonest_first():
    log = _log(
        [
            ("001", "phone", "urgent", "a", "2026-03-01 11:50", None),  # 20 min left
            ("001", "chat", "normal", "a", "2026-03-01 08:00", None),  # overdue by 120 min
            ("001", "chat", "normal", "a", "2026-03-01 11:30", None),  # 90 min left: beyond horizon
            ("001", "phone", "urgent", "a", "2026-03-01 11:50", "2026-03-01 11:55"),  # answered
        ]
    )
    status = audit.first_response_status(log, default_standards(), as_of=T("2026-03-01 12:00"))
    warn = audit.early_warning(status, horizon_minutes=60, columns=["store_id"])
    assert warn.index.tolist() == [1, 0]
    assert warn["minutes_left"].tolist() == pytest.approx([-120, 20])
    assert warn["deadline"].iloc[1] == T("2026-03-01 12:20")


def test_category_pareto_counts_labels_under_their_code():
    frame = pd.DataFrame({"category": ["服务态度", "staff attitude", "service_attitude", "其他"]})
    p = audit.category_pareto(frame, codes="category")
    assert p["category"].tolist() == ["service_attitude", "other"] and p["count"].tolist() == [3, 1]
    assert audit.describe_pareto(p, "en").endswith("staff attitude, other.")
