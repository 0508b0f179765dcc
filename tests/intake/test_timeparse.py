"""Date parsing: the five formats, Excel serials, strictness, time zones, dtypes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kit.intake.timeparse import parse_datetimes


def test_five_formats_and_serial_give_the_same_moment():
    values = pd.Series(
        ["2026-03-05 14:02", "2026/3/5 14:02", "2026年3月5日 14时02分", "46086.5847222222", "2026-03-05 14:02:00"]
    )
    parsed = parse_datetimes(values)
    assert parsed.values.tolist() == [pd.Timestamp("2026-03-05 14:02")] * 5
    assert not parsed.bad.any()
    assert parsed.values.dtype == "datetime64[us]"
    assert parsed.formats == {"iso": 2, "slash": 1, "chinese": 1, "excel_serial": 1}


def test_dotted_date_and_compact_date():
    parsed = parse_datetimes(pd.Series(["2026.03.05", "20260305", "2026.3.5 9:05"]))
    assert parsed.values.tolist() == [
        pd.Timestamp("2026-03-05"),
        pd.Timestamp("2026-03-05"),
        pd.Timestamp("2026-03-05 09:05"),
    ]


@pytest.mark.parametrize("text", ["2026-02-30", "2026/13/01", "yesterday", "5", "2026年3月35日", "14:02"])
def test_impossible_or_unknown_values_are_bad_not_silent_nat(text):
    parsed = parse_datetimes(pd.Series(["2026-03-05", text]))
    assert parsed.bad.tolist() == [False, True]
    assert pd.isna(parsed.values.iloc[1])


def test_empty_values_are_missing_not_bad():
    parsed = parse_datetimes(pd.Series(["", "  ", None, "2026-03-05"], dtype="str"))
    assert parsed.bad.tolist() == [False, False, False, False]
    assert parsed.values.isna().tolist() == [True, True, True, False]


def test_chinese_variants_without_space_and_with_dian():
    parsed = parse_datetimes(pd.Series(["2026年3月5日14时02分", "2026年3月5日 14点", "2026年3月5日 14:02:30"]))
    assert parsed.values.tolist() == [
        pd.Timestamp("2026-03-05 14:02"),
        pd.Timestamp("2026-03-05 14:00"),
        pd.Timestamp("2026-03-05 14:02:30"),
    ]


def test_offsets_are_converted_to_shanghai_local_time():
    parsed = parse_datetimes(pd.Series(["2026-03-05T06:02:00Z", "2026-03-05T14:02:00+08:00"]))
    assert parsed.values.tolist() == [pd.Timestamp("2026-03-05 14:02")] * 2


def test_numeric_and_datetime_input():
    serial = parse_datetimes(pd.Series([46086.5, np.nan, 3.0]))
    assert serial.values.iloc[0] == pd.Timestamp("2026-03-05 12:00")
    assert serial.bad.tolist() == [False, False, True]  # 3 is not a plausible date
    aware = pd.Series(pd.to_datetime(["2026-03-05 06:02"]).tz_localize("UTC"))
    assert parse_datetimes(aware).values.iloc[0] == pd.Timestamp("2026-03-05 14:02")


def test_large_column_is_parsed_with_whole_column_calls():
    stamps = pd.date_range("2026-01-01", periods=50_000, freq="min")
    text = pd.Series(stamps.strftime("%Y-%m-%d %H:%M:%S"), dtype="str")
    text.iloc[7] = "2026/1/1 0:07"
    parsed = parse_datetimes(text)
    assert not parsed.bad.any()
    assert (parsed.values.to_numpy() == stamps.to_numpy()).all()


# --------------------------------------------------------------------------- declared formats, date-only columns


def test_a_declared_us_or_european_format_and_values_not_matching_it():
    us = parse_datetimes(
        pd.Series(["03/05/2026 14:02", "12/31/2026 23:59", "31/12/2026 23:59", "2026-03-05 14:02"]),
        format="%m/%d/%Y %H:%M",
    )
    assert us.values.tolist()[:2] == [pd.Timestamp("2026-03-05 14:02"), pd.Timestamp("2026-12-31 23:59")]
    assert us.bad.tolist() == [False, False, True, False]  # year-first ISO cannot be misread
    eu = parse_datetimes(pd.Series(["05-03-2026", "30-02-2026"]), format="%d-%m-%Y")
    assert eu.values.iloc[0] == pd.Timestamp("2026-03-05") and eu.bad.tolist() == [False, True]


def test_without_a_declared_format_day_month_dates_are_not_guessed():
    assert parse_datetimes(pd.Series(["03/05/2026 14:02"])).bad.tolist() == [True]


def test_date_only_columns():
    assert parse_datetimes(pd.Series(["2026-03-05", None, "2026/3/6"])).date_only
    assert parse_datetimes(pd.Series([46086.0, 46087.0])).date_only  # Excel dates without a fraction
    assert not parse_datetimes(pd.Series([46086.5])).date_only
    assert not parse_datetimes(pd.Series(["2026-03-05", "2026-03-05 09:30"])).date_only
    assert not parse_datetimes(pd.Series(["2026-03-05 00:00:00"] * 3)).date_only  # written with a time, too few to tell
    assert parse_datetimes(pd.Series(["2026-03-05 00:00:00"] * 10)).date_only  # a system writing 00:00:00 after dates
    assert not parse_datetimes(pd.Series([None, None], dtype="str")).date_only
    assert parse_datetimes(pd.Series(pd.to_datetime(["2026-03-05", "2026-03-06"]))).date_only
