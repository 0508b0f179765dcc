"""Service standards: the original SLA API unchanged, and the full standards.yaml model."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from pydantic import ValidationError

from kit.core.errors import ParameterError
from kit.workshop.standards import (
    GROUPS,
    AuthorityLimit,
    CalendarSettings,
    FollowUp,
    Holiday,
    OpeningHours,
    ServiceStandards,
    SlaRule,
    SmartStandard,
    Standards,
    assign_targets,
    default_service_standards,
    default_standards,
    required_approver,
    rules_table,
)


def test_original_defaults_unchanged():
    std = default_standards()
    assert isinstance(std, Standards) and std.source == "seed-defaults"
    table = rules_table(std)
    assert table[["metric", "channel", "tier", "target_minutes"]].values.tolist() == [
        ["first_response", "*", "urgent", 30.0],
        ["first_response", "*", "normal", 120.0],
        ["first_response", "*", "inquiry", 120.0],
        ["first_response", "email", "normal", 1440.0],
        ["first_response", "email", "inquiry", 1440.0],
        ["resolution", "*", "*", 1440.0],
    ]
    assert (table["required_attainment"] == 0.95).all() and (table["clock"] == "calendar").all()


def test_assign_targets_accepts_service_standards_unchanged():
    frame = pd.DataFrame(
        {"channel": ["email", "phone", "chat", "email"], "tier": ["normal", "urgent", "inquiry", "urgent"]},
        index=[5, 6, 7, 8],
    )
    old = assign_targets(frame, default_standards(), "first_response")
    new = assign_targets(frame, default_service_standards(), "first_response")
    pd.testing.assert_frame_equal(old, new)
    assert old["target_minutes"].tolist() == [1440.0, 30.0, 120.0, 30.0]
    with pytest.raises(ParameterError):
        assign_targets(frame, ServiceStandards(sla=[SlaRule(metric="resolution", target_minutes=60)]), "first_response")


def test_default_service_standards():
    std = default_service_standards(review_date=date(2026, 6, 30))
    assert std.sla == default_standards().sla
    assert {s.group for s in std.smart} == set(GROUPS)
    assert all(s.review_date == date(2026, 6, 30) for s in std.smart)
    phone = next(s for s in std.smart if s.id == "phone_three_rings")
    assert (phone.operator, phone.target, phone.unit, phone.kano_need) == ("<=", 3, "rings", "fast_response")
    assert [(a.role, a.up_to) for a in std.authority] == [("frontline", 500), ("supervisor", 2000), ("manager", None)]
    assert std.follow_up.window_hours == 48
    assert default_service_standards().smart[0].review_date is None


def test_required_approver():
    std = default_service_standards()
    amounts = pd.Series([None, 0, 0.5, 500, 500.01, 2000, 2001, 1e6], index=list("abcdefgh"))
    got = required_approver(amounts, std)
    assert got.index.tolist() == list("abcdefgh")
    assert got.tolist() == [pd.NA, pd.NA, "frontline", "frontline", "supervisor", "supervisor", "manager", "manager"]
    capped = std.model_copy(
        update={
            "authority": [AuthorityLimit(role="frontline", up_to=100), AuthorityLimit(role="supervisor", up_to=300)]
        }
    )
    assert required_approver(pd.Series([50, 200, 400]), capped).tolist() == ["frontline", "supervisor", pd.NA]


def test_authority_validation():
    with pytest.raises(ValidationError, match="increase"):
        ServiceStandards(
            authority=[AuthorityLimit(role="frontline", up_to=2000), AuthorityLimit(role="supervisor", up_to=500)]
        )
    with pytest.raises(ValidationError, match="order"):
        ServiceStandards(
            authority=[AuthorityLimit(role="supervisor", up_to=500), AuthorityLimit(role="frontline", up_to=2000)]
        )
    with pytest.raises(ValidationError, match="highest role"):
        ServiceStandards(
            authority=[AuthorityLimit(role="frontline", up_to=None), AuthorityLimit(role="manager", up_to=None)]
        )


def test_opening_hours():
    h = OpeningHours(
        store_id="001", open="09:00", close=600 + 12 * 60, lunch_start="12:00", lunch_end="13:00", weekdays=[7, 1]
    )
    assert h.close == "22:00" and h.weekdays == [1, 7]
    assert OpeningHours.model_validate({"open": 600, "close": "21:30"}).open == "10:00"  # YAML's 10:00 -> 600
    with pytest.raises(ValidationError, match="quotes"):
        OpeningHours(store_id=1)
    with pytest.raises(ValidationError, match="after opening"):
        OpeningHours(open="22:00", close="09:00")
    with pytest.raises(ValidationError, match="HH:MM"):
        OpeningHours(open="9am")
    with pytest.raises(ValidationError, match="lunch"):
        OpeningHours(lunch_start="12:00")
    with pytest.raises(ValidationError, match="inside"):
        OpeningHours(open="10:00", close="22:00", lunch_start="08:00", lunch_end="09:00")
    with pytest.raises(ValidationError):
        OpeningHours(weekdays=[0, 8])


def test_calendar_settings():
    cal = CalendarSettings(
        hours=[OpeningHours(), OpeningHours(store_id="002", open="09:00", close="21:00")],
        public_holidays=[Holiday(date=date(2026, 10, 1), name="国庆节")],
        adjusted_workdays=[date(2026, 10, 10)],
    )
    assert cal.hours_for("002").open == "09:00"
    assert cal.hours_for("003").store_id == "*"
    assert CalendarSettings(hours=[OpeningHours(store_id="001")]).hours_for("009") is None
    with pytest.raises(ValidationError, match="both"):
        CalendarSettings(public_holidays=[Holiday(date=date(2026, 10, 1))], adjusted_workdays=[date(2026, 10, 1)])
    with pytest.raises(ValidationError, match="twice"):
        CalendarSettings(hours=[OpeningHours(), OpeningHours()])


def test_smart_standard_model():
    s = SmartStandard(id="x", group="performance", title_zh="满意度", operator=">=", target=95, unit="percent")
    assert s.title("en") == "满意度"  # falls back to Chinese
    with pytest.raises(ValidationError):
        SmartStandard(id="x", group="other", title_zh="甲")
    with pytest.raises(ValidationError):
        SmartStandard(id="x", group="performance", title_zh="甲", servqual="speed")
    with pytest.raises(ValidationError, match="unique"):
        ServiceStandards(smart=[s, s])
    with pytest.raises(ValidationError):
        FollowUp(window_hours=0)
    with pytest.raises(ValidationError):
        ServiceStandards(unknown_key=1)
