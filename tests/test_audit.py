import pandas as pd
import pytest

from kit import audit
from kit.standards import default_standards

T = pd.Timestamp


def _log(rows):
    frame = pd.DataFrame(rows, columns=["store_id", "channel", "tier", "category", "created_at", "first_response_at"])
    frame["created_at"] = pd.to_datetime(frame["created_at"], format="ISO8601")
    frame["first_response_at"] = pd.to_datetime(frame["first_response_at"], format="ISO8601")
    return frame


def test_first_response_status_boundaries_and_open_tickets():
    log = _log([
        ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:30"),   # exactly 30 min: met
        ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:30:01"),  # 1 s late: breached
        ("001", "email", "normal", "b", "2026-03-01 10:00", "2026-03-02 09:59"),   # e-mail 24 h: met
        ("001", "chat", "normal", "b", "2026-03-01 10:00", "2026-03-01 12:01"),    # 2 h + 1 min: breached
        ("001", "chat", "inquiry", "b", "2026-03-01 11:00", None),                 # open, due 13:00: at risk
        ("001", "phone", "urgent", "c", "2026-03-01 09:00", None),                 # open, overdue: breached
    ])
    status = audit.first_response_status(log, default_standards(), as_of=T("2026-03-01 12:00"))
    assert status["status"].tolist() == ["met", "breached", "met", "breached", "at_risk", "breached"]
    assert status["target_minutes"].tolist() == [30, 30, 1440, 120, 120, 30]
    assert status["elapsed_minutes"].tolist() == pytest.approx([30, 30 + 1 / 60, 1439, 121, 60, 180])
    overall = audit.sla_attainment(status).iloc[0]
    assert (overall["met"], overall["breached"], overall["at_risk"]) == (2, 3, 1)
    assert overall["attainment"] == pytest.approx(2 / 5)
    assert overall["gap"] == pytest.approx((0.4 - 0.95) * 100)


def test_attainment_by_group_and_empty_group_is_nan():
    log = _log([
        ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:10"),
        ("002", "phone", "urgent", "a", "2026-03-01 10:00", None),
    ])
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
    frame = pd.DataFrame({"store_id": ["001", "001", "002", "001"],
                          "created_at": pd.to_datetime(["2025-12-31 23:59", "2026-01-01 00:00", "2026-01-15 00:00", "2026-01-31 23:59:59"], format="ISO8601")})
    out = audit.filter_period(frame, "2026-01-01", "2026-01-31", store_id="001")
    assert out.index.tolist() == [1, 3]


def test_describe_texts_follow_lang():
    row = pd.Series({"attainment": 0.8, "required": 0.95, "gap": -15.0, "met": 8, "breached": 2, "at_risk": 1})
    assert "15.0 points short" in audit.describe_attainment(row, "en")
    assert "差 15.0 个百分点" in audit.describe_attainment(row, "zh")
    pareto = audit.category_pareto(pd.DataFrame({"category": ["product_quality"] * 9 + ["other"]}))
    assert "产品质量" in audit.describe_pareto(pareto, "zh")
    assert "product quality" in audit.describe_pareto(pareto, "en")


def test_response_time_summary_uses_answered_tickets_only():
    log = _log([
        ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:10"),
        ("001", "phone", "urgent", "a", "2026-03-01 10:00", "2026-03-01 10:30"),
        ("001", "phone", "urgent", "a", "2026-03-01 10:00", None),
    ])
    status = audit.first_response_status(log, default_standards(), as_of=T("2026-03-01 20:00"))
    summary = audit.response_time_summary(status, by=["tier"]).iloc[0]
    assert summary["complaints"] == 2 and summary["median_minutes"] == 20
