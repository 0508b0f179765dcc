"""Tests of kit.workshop.calendar: business-hours clocks, hand-computed answers.

Dates used (2026): 03-02 is a Monday, 03-06 a Friday; National Day block 10-01..10-07 (closed
for an office), 09-20 (Sunday) and 10-10 (Saturday) are adjusted working days (调休).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from kit.core.errors import DataError, ParameterError
from kit.workshop.calendar import (
    StoreCalendar,
    add_business_minutes,
    business_minutes,
    calendar_minutes,
    calendars_from_stores,
    china_official_days,
    deadlines,
    elapsed_minutes,
    parse_hours,
)

T = pd.Timestamp


@pytest.fixture
def retail() -> StoreCalendar:
    return StoreCalendar.retail("10:00-22:00")


@pytest.fixture
def office() -> StoreCalendar:
    """Mon-Fri 09:00-18:00 with lunch 12:00-13:00 (8 business hours a day), China's official days."""
    return StoreCalendar.office("09:00-18:00", lunch="12:00-13:00")


@pytest.fixture
def plain_office() -> StoreCalendar:
    """The same week without the official calendar."""
    return StoreCalendar.office("09:00-18:00", lunch="12:00-13:00", official=None)


def bm(a: str, b: str, cal: StoreCalendar) -> float:
    return float(business_minutes(T(a), T(b), cal))


# --------------------------------------------------------------------------------------------
# Parsing and construction
# --------------------------------------------------------------------------------------------
def test_parse_hours_forms():
    assert parse_hours("10:00-22:00") == ((600, 1320),)
    assert parse_hours("09:00-12:00, 13:30-18:00") == ((540, 720), (810, 1080))
    assert parse_hours("9：00～21：30") == ((540, 1290),)
    assert parse_hours("00:00-24:00") == ((0, 1440),)
    assert parse_hours(None) == () and parse_hours("closed") == () and parse_hours("休息") == ()


@pytest.mark.parametrize(
    "bad", ["25:00-10:00", "10:00-22:60", "22:00-10:00", "10-22", "09:00-13:00,12:00-18:00", "24:30-24:40"]
)
def test_bad_hours_raise_parameter_error_in_both_languages(bad):
    with pytest.raises(ParameterError) as info:
        StoreCalendar.retail(bad)
    err = info.value
    assert bad in err.message("en") and "opening hours" in err.message("en")
    assert "营业时间" in err.message("zh")


def test_bad_calendar_settings():
    with pytest.raises(ParameterError, match="time zone"):
        StoreCalendar(timezone="Mars/Olympus")
    with pytest.raises(ParameterError, match="no opening hours"):
        StoreCalendar(hours=None)
    with pytest.raises(ParameterError, match="both as a holiday and as a working day"):
        StoreCalendar(holidays=["2026-10-01"], workdays=["2026-10-01"])
    with pytest.raises(ParameterError, match="official"):
        StoreCalendar(official="US")


def test_calendar_is_normalised_hashable_and_round_trips():
    a = StoreCalendar(hours={"mon": "9:00-18:00", "周二": "09:00-18:00"}, holidays=["2026-10-01", dt.date(2026, 10, 2)])
    assert a.hours == ("09:00-18:00", "09:00-18:00", "closed", "closed", "closed", "closed", "closed")
    assert a.holidays == frozenset({dt.date(2026, 10, 1), dt.date(2026, 10, 2)})
    b = StoreCalendar.from_dict(a.to_dict())
    assert a == b and hash(a) == hash(b)
    assert StoreCalendar.retail().open_minutes_per_week() == 7 * 12 * 60
    with pytest.raises(ParameterError, match="unknown settings"):
        StoreCalendar.from_dict({"hours": "10:00-22:00", "hollidays": []})


def test_calendars_from_stores_table():
    stores = pd.DataFrame(
        {
            "store_id": ["001", "002", "003"],
            "opening_hours": ["09:00-21:00", "10:00-22:00", "09:00-21:00"],
            "timezone": ["Asia/Shanghai", "", None],
        }
    )
    cals = calendars_from_stores(stores, lunch="12:00-12:30")
    assert set(cals) == {"001", "002", "003"}
    assert cals["001"] is cals["003"]  # equal schedules share one calendar (one group)
    assert cals["002"].hours == ("10:00-22:00",) * 7 and cals["002"].lunch == "12:00-12:30"
    assert cals["003"].timezone == "Asia/Shanghai"
    bad = stores.assign(opening_hours=["09:00-21:00", "10:00-22:00", "25:00-10:00"])
    with pytest.raises(DataError) as info:
        calendars_from_stores(bad)
    assert info.value.where.row == 4 and info.value.where.column == "opening_hours"


# --------------------------------------------------------------------------------------------
# China's official calendar
# --------------------------------------------------------------------------------------------
def test_china_official_days_2026():
    off, work = china_official_days(2026)
    assert [d.isoformat() for d in work] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]
    national_day = [d.isoformat() for d in off if d.month == 10]
    assert national_day == [f"2026-10-0{i}" for i in range(1, 8)]  # the Sunday 10-04 inside the block too
    assert dt.date(2026, 10, 10) not in off and dt.date(2026, 3, 7) not in off  # ordinary Saturday
    assert len(off) == 33


def test_unpublished_year_is_an_error_when_asked():
    cal = StoreCalendar.office(if_unpublished="error")
    with pytest.raises(ParameterError, match="not known yet"):
        business_minutes(T("2035-03-05 09:00"), T("2035-03-05 10:00"), cal)


# --------------------------------------------------------------------------------------------
# Business minutes, hand-computed
# --------------------------------------------------------------------------------------------
def test_same_day_inside_hours(retail):
    assert bm("2026-03-02 10:30", "2026-03-02 14:45", retail) == 255.0


def test_overnight_counts_only_open_time(retail):
    # 21:30-22:00 (30) + 10:00-10:15 next day (15)
    assert bm("2026-03-02 21:30", "2026-03-03 10:15", retail) == 45.0


def test_weekend_is_skipped_on_a_monday_to_friday_calendar(plain_office):
    # Fri 17:00-18:00 (60) + Mon 09:00-10:00 (60)
    assert bm("2026-03-06 17:00", "2026-03-09 10:00", plain_office) == 120.0


def test_lunch_break(plain_office):
    assert bm("2026-03-03 11:30", "2026-03-03 13:30", plain_office) == 60.0
    assert bm("2026-03-03 12:15", "2026-03-03 13:10", plain_office) == 10.0  # started in the break
    assert bm("2026-03-03 09:00", "2026-03-03 18:00", plain_office) == 480.0


def test_public_holiday_official_national_day(office):
    # Wed 09-30 17:00-18:00 (60); 10-01..10-07 closed; Thu 10-08 09:00-09:30 (30)
    assert bm("2026-09-30 17:00", "2026-10-08 09:30", office) == 90.0


def test_public_holiday_listed_explicitly():
    cal = StoreCalendar.retail("10:00-22:00", holidays=["2026-10-01"])
    # 09-30 21:00-22:00 (60); 10-01 closed; 10-02 10:00-10:30 (30)
    assert bm("2026-09-30 21:00", "2026-10-02 10:30", cal) == 90.0


def test_adjusted_working_day_official(office, plain_office):
    # Sat 2026-10-10 is a working day: Fri 17-18 (60) + Sat 8 h (480) + Mon 09-10 (60)
    assert bm("2026-10-09 17:00", "2026-10-12 10:00", office) == 600.0
    assert bm("2026-10-09 17:00", "2026-10-12 10:00", plain_office) == 120.0


def test_adjusted_working_day_listed_explicitly():
    cal = StoreCalendar(hours=["09:00-18:00"] * 5 + [None, None], workdays=["2026-03-08"])  # a Sunday
    # Fri 17-18 (60) + Sun 09-18 (540) + Mon 09-10 (60)
    assert bm("2026-03-06 17:00", "2026-03-09 10:00", cal) == 660.0
    cal2 = StoreCalendar(hours=["09:00-18:00"] * 5 + [None, None], workdays=["2026-03-08"], workday_hours="10:00-16:00")
    assert bm("2026-03-06 17:00", "2026-03-09 10:00", cal2) == 480.0


def test_explicit_dates_override_the_official_calendar():
    cal = StoreCalendar.office(holidays=["2026-10-10"], workdays=["2026-10-02"])
    assert bm("2026-10-10 09:00", "2026-10-10 18:00", cal) == 0.0
    assert bm("2026-10-02 09:00", "2026-10-02 18:00", cal) == 480.0


def test_clock_starts_at_opening_when_opened_outside_hours(retail, plain_office):
    assert bm("2026-03-02 07:00", "2026-03-02 10:30", retail) == 30.0
    assert bm("2026-03-02 23:00", "2026-03-03 09:00", retail) == 0.0
    assert bm("2026-03-07 11:00", "2026-03-09 09:45", plain_office) == 45.0  # opened on a Saturday


def test_exact_boundaries(retail, plain_office):
    assert bm("2026-03-02 10:00", "2026-03-02 22:00", retail) == 720.0
    assert bm("2026-03-02 22:00", "2026-03-03 10:00", retail) == 0.0
    assert bm("2026-03-03 12:00", "2026-03-03 13:00", plain_office) == 0.0


def test_spanning_years(retail):
    # 2024-12-31 21:00-22:00 (60) + all of 2025 (365 x 720) + 2026-01-01 10:00-10:30 (30)
    assert bm("2024-12-31 21:00", "2026-01-01 10:30", retail) == 60 + 365 * 720 + 30


def test_missing_or_reversed_ends_give_nan(retail):
    start = pd.Series([T("2026-03-02 10:00"), T("2026-03-02 10:00"), pd.NaT, T("2026-03-02 12:00")])
    end = pd.Series([T("2026-03-02 11:00"), pd.NaT, T("2026-03-02 11:00"), T("2026-03-02 11:00")])
    out = business_minutes(start, end, retail)
    assert isinstance(out, pd.Series) and out.index.equals(start.index)
    assert out.iloc[0] == 60.0 and out.iloc[1:].isna().all()
    assert np.isnan(business_minutes(T("2026-03-02 10:00"), pd.NaT, retail))
    cm = calendar_minutes(start, end)
    assert cm.iloc[0] == 60.0 and cm.iloc[1:].isna().all()


def test_seconds_are_kept_as_fractions(retail):
    assert bm("2026-03-02 10:00:00", "2026-03-02 10:01:30", retail) == 1.5


def test_scalar_start_broadcasts_over_ends(retail):
    out = business_minutes(T("2026-03-02 21:00"), pd.DatetimeIndex(["2026-03-02 21:30", "2026-03-03 11:00"]), retail)
    assert out.tolist() == [30.0, 120.0]
    with pytest.raises(ParameterError):
        business_minutes(pd.Series([T("2026-03-02")] * 2), pd.Series([T("2026-03-03")] * 3), retail)


# --------------------------------------------------------------------------------------------
# Time zones
# --------------------------------------------------------------------------------------------
def test_tz_aware_input_is_converted_to_the_store_zone(retail):
    start = T("2026-03-02 02:30", tz="UTC")  # 10:30 in Shanghai
    end = T("2026-03-02 14:45", tz="Asia/Shanghai")
    assert float(business_minutes(start, end, retail)) == 255.0
    due = add_business_minutes(start, 60, retail)
    assert due == T("2026-03-02 03:30", tz="UTC") and str(due.tz) == "UTC"


def test_store_in_another_zone_and_daylight_saving():
    berlin = StoreCalendar.retail("00:00-24:00", timezone="Europe/Berlin")
    # 2026-03-29 has 23 hours in Berlin (clocks go forward)
    assert bm("2026-03-29 00:00", "2026-03-30 00:00", berlin) == 23 * 60
    assert float(calendar_minutes(T("2026-03-29 00:00"), T("2026-03-30 00:00"), timezone="Europe/Berlin")) == 23 * 60
    assert float(calendar_minutes(T("2026-03-29 00:00"), T("2026-03-30 00:00"))) == 24 * 60
    shop = StoreCalendar.retail("09:00-18:00", timezone="Europe/Berlin")
    assert (
        float(business_minutes(T("2026-03-02 08:00", tz="UTC"), T("2026-03-02 09:00", tz="UTC"), shop)) == 60.0
    )  # 09-10 local


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------
def test_deadline_hand_computed(retail, office, plain_office):
    assert add_business_minutes(T("2026-03-02 21:30"), 45, retail) == T("2026-03-03 10:15")
    assert add_business_minutes(T("2026-03-02 07:00"), 30, retail) == T("2026-03-02 10:30")  # from opening
    assert add_business_minutes(T("2026-03-06 17:30"), 60, plain_office) == T("2026-03-09 09:30")  # over the weekend
    assert add_business_minutes(T("2026-03-03 11:30"), 60, plain_office) == T("2026-03-03 13:30")  # over lunch
    assert add_business_minutes(T("2026-09-30 17:30"), 60, office) == T("2026-10-08 09:30")  # over National Day
    assert add_business_minutes(T("2026-10-09 17:30"), 60, office) == T("2026-10-10 09:30")  # onto 调休 Saturday


def test_deadline_at_a_closing_time_is_that_closing_time(retail, plain_office):
    assert add_business_minutes(T("2026-03-02 21:00"), 60, retail) == T("2026-03-02 22:00")
    assert add_business_minutes(T("2026-03-03 11:00"), 60, plain_office) == T("2026-03-03 12:00")
    assert add_business_minutes(T("2026-03-02 23:00"), 0, retail) == T("2026-03-02 23:00")
    assert add_business_minutes(T("2026-03-02 10:00"), 12 * 60, retail) == T("2026-03-02 22:00")


def test_deadline_missing_inputs(retail):
    out = add_business_minutes(
        pd.Series([T("2026-03-02 10:00"), pd.NaT, T("2026-03-02 10:00"), T("2026-03-02 10:00")]),
        [30, 30, -5, np.nan],
        retail,
    )
    assert out.iloc[0] == T("2026-03-02 10:30") and out.iloc[1:].isna().all()


def test_deadline_far_ahead(retail):
    # 100 full days of 12 hours from an opening
    assert add_business_minutes(T("2026-03-02 10:00"), 100 * 720, retail) == T("2026-06-09 22:00")


@pytest.mark.parametrize("which", ["retail", "office", "plain_office"])
def test_deadline_is_the_inverse_of_business_minutes(which, request):
    cal = request.getfixturevalue(which)
    rng = np.random.default_rng(7)
    n = 5000
    start = pd.Series(T("2025-01-01") + pd.to_timedelta(rng.integers(0, 2 * 365 * 1440, n), unit="min"))
    minutes = rng.integers(0, 20_000, n).astype(float)
    due = add_business_minutes(start, minutes, cal)
    assert due.notna().all() and (due >= start).all()
    back = business_minutes(start, due, cal)
    np.testing.assert_array_equal(back.to_numpy(), minutes)
    # and it is the earliest such instant: one minute earlier is short of the target
    positive = minutes > 0
    short = business_minutes(start[positive], due[positive] - pd.Timedelta(minutes=1), cal)
    assert (short.to_numpy() < minutes[positive]).all()


# --------------------------------------------------------------------------------------------
# The chain's table at once
# --------------------------------------------------------------------------------------------
@pytest.fixture
def chain():
    cals = {
        "001": StoreCalendar.retail("10:00-22:00"),
        "002": StoreCalendar.retail("09:00-21:00"),
        "003": StoreCalendar.office(),
        "004": StoreCalendar.retail("10:00-22:00", timezone="Europe/Berlin"),
    }
    rng = np.random.default_rng(3)
    n = 400
    start = T("2026-01-01") + pd.to_timedelta(rng.integers(0, 360 * 1440, n), unit="min")
    end = start + pd.to_timedelta(rng.integers(0, 6 * 1440, n), unit="min")
    end = end.where(rng.random(n) > 0.1)  # open tickets
    frame = pd.DataFrame(
        {
            "store_id": rng.choice(["001", "002", "003", "004"], n),
            "created_at": start,
            "closed_at": end,
            "clock": rng.choice(["business", "calendar"], n),
            "target": rng.choice([30.0, 120.0, 1440.0], n),
        },
        index=pd.RangeIndex(100, 100 + n),
    )
    return frame, cals


def test_chain_elapsed_matches_per_row_scalars(chain):
    frame, cals = chain
    got = elapsed_minutes(frame, "created_at", "closed_at", calendars=cals, clock="clock")
    assert got.index.equals(frame.index)
    expected = []
    for row in frame.itertuples():  # the reference: one scalar call per row
        cal = cals[row.store_id]
        if row.clock == "business":
            expected.append(float(business_minutes(row.created_at, row.closed_at, cal)))
        else:
            expected.append(float(calendar_minutes(row.created_at, row.closed_at, timezone=cal.timezone)))
    np.testing.assert_array_equal(got.to_numpy(), np.array(expected))
    assert got.isna().sum() == frame["closed_at"].isna().sum()


def test_chain_deadlines_match_per_row_scalars(chain):
    frame, cals = chain
    got = deadlines(frame, "created_at", "target", calendars=cals, clock="clock")
    assert got.index.equals(frame.index)
    for row, due in zip(frame.itertuples(), got):
        if row.clock == "business":
            assert due == add_business_minutes(row.created_at, row.target, cals[row.store_id])
        else:
            assert due == row.created_at + pd.Timedelta(minutes=row.target)
    # and the business rows invert back to their targets
    bus = frame["clock"] == "business"
    back = elapsed_minutes(frame.assign(due=got)[bus], "created_at", "due", calendars=cals)
    np.testing.assert_array_equal(back.to_numpy(), frame.loc[bus, "target"].to_numpy())


def test_chain_tz_aware_columns(chain):
    frame, cals = chain
    naive = elapsed_minutes(frame, "created_at", "closed_at", calendars=cals)
    aware = frame.assign(
        created_at=frame["created_at"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC"),
        closed_at=frame["closed_at"].dt.tz_localize("Asia/Shanghai"),
    )
    # the Berlin store reads naive times as Berlin time, so compare the Shanghai stores only
    same = frame["store_id"] != "004"
    got = elapsed_minutes(aware, "created_at", "closed_at", calendars=cals)
    np.testing.assert_array_equal(got[same].to_numpy(), naive[same].to_numpy())
    due = deadlines(aware, "created_at", 60, calendars=cals)
    assert str(due.dt.tz) == "UTC"


def test_chain_small_frame_exact_numbers():
    cals = {"001": StoreCalendar.retail("10:00-22:00"), "002": StoreCalendar.office(official=None)}
    frame = pd.DataFrame(
        {
            "store_id": ["001", "002", "001", "002"],
            "created_at": [T("2026-03-02 21:30"), T("2026-03-06 17:00"), T("2026-03-02 07:00"), T("2026-03-03 11:30")],
            "replied_at": [T("2026-03-03 10:15"), T("2026-03-09 10:00"), pd.NaT, T("2026-03-03 13:30")],
        }
    )
    assert elapsed_minutes(frame, "created_at", "replied_at", calendars=cals).tolist()[:2] == [45.0, 120.0]
    out = elapsed_minutes(frame, "created_at", "replied_at", calendars=cals)
    assert np.isnan(out.iloc[2]) and out.iloc[3] == 60.0
    cal_clock = elapsed_minutes(frame, "created_at", "replied_at", calendars=cals, clock="calendar")
    assert cal_clock.iloc[0] == 765.0 and cal_clock.iloc[1] == 3 * 1440 - 7 * 60
    due = deadlines(frame, "created_at", [45, 60, 30, 60], calendars=cals)
    assert due.tolist() == [T("2026-03-03 10:15"), T("2026-03-06 18:00"), T("2026-03-02 10:30"), T("2026-03-03 13:30")]


def test_chain_unknown_store_and_bad_clock():
    frame = pd.DataFrame(
        {"store_id": ["001", "009"], "a": [T("2026-03-02 10:00")] * 2, "b": [T("2026-03-02 11:00")] * 2}
    )
    cals = {"001": StoreCalendar.retail()}
    with pytest.raises(DataError, match="009"):
        elapsed_minutes(frame, "a", "b", calendars=cals)
    out = elapsed_minutes(frame, "a", "b", calendars=cals, default=StoreCalendar.retail("10:30-22:00"))
    assert out.tolist() == [60.0, 30.0]
    with pytest.raises(ParameterError, match="clock"):
        elapsed_minutes(frame, "a", "b", calendars=cals, clock="wall")
    with pytest.raises(DataError, match="no column"):
        elapsed_minutes(frame, "a", "closed", calendars=cals)
