"""SMART verdicts with explanations in zh and en."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kit.core.errors import ParameterError
from kit.workshop.smart import format_target, smart_display, smart_verdict, smart_verdicts
from kit.workshop.standards import SmartStandard, default_service_standards


def _std(**kw):
    base = dict(
        id="s1",
        group="service_process",
        title_zh="紧急投诉 30 分钟内首次响应",
        title_en="Urgent first response within 30 min",
        metric="首次响应时间",
        scope="所有门店的紧急投诉",
        operator="<=",
        target=30,
        unit="minutes",
        required_attainment=0.95,
        servqual="responsiveness",
        review_date=date(2026, 6, 30),
    )
    return SmartStandard(**{**base, **kw})


def test_the_issue_example_in_both_languages():
    en = smart_verdict(_std(), 0.62, lang="en")
    assert en["note_achievable"].startswith("today 62 %, target 95 %: +33 points")
    assert not bool(en["achievable"]) and not bool(en["smart"])
    assert en["gap_points"] == 33
    zh = smart_verdict(_std(), 0.62, lang="zh")
    assert zh["note_achievable"].startswith("目前 62 %，目标 95 %：需提升 33 个百分点")
    assert "87 %" in zh["note_achievable"]  # intermediate target 62 + 25


def test_all_five_met():
    v = smart_verdict(_std(), 0.9, lang="en", today=date(2026, 1, 1))
    assert [bool(v[c]) for c in ("specific", "measurable", "achievable", "relevant", "time_bound", "smart")] == [
        True
    ] * 6
    assert v["note_achievable"] == "today 90 %, target 95 %: +5 points — a realistic step"
    assert v["note_specific"] == "metric “首次响应时间”, scope “所有门店的紧急投诉”"
    assert v["note_measurable"] == "target ≤ 30 minutes"
    assert v["summary"] == "SMART"


def test_already_met_and_gap_limit():
    assert "already met" in smart_verdict(_std(), 0.97, lang="en")["note_achievable"]
    assert bool(smart_verdict(_std(), 0.70, lang="en")["achievable"])  # exactly 25 points
    assert not bool(smart_verdict(_std(), 0.70, lang="en", max_gain_points=20)["achievable"])


def test_unknown_without_history_or_goal():
    v = smart_verdict(_std(), None, lang="en")
    assert pd.isna(v["achievable"]) and not bool(v["smart"])
    assert "measure today's level first" in v["note_achievable"]
    assert "to confirm: achievable (A)" in v["summary"]
    no_goal = smart_verdict(_std(required_attainment=None), 0.5, lang="en")
    assert pd.isna(no_goal["achievable"])
    rate = smart_verdict(_std(required_attainment=None, operator=">=", target=95, unit="percent"), 0.8, lang="en")
    assert bool(rate["achievable"]) and rate["gap_points"] == 15


def test_failures_are_explained():
    v = smart_verdict(_std(scope=" ", unit="", servqual=None, review_date=None), 0.9, lang="zh")
    assert not bool(v["specific"]) and "适用范围" in v["note_specific"]
    assert not bool(v["measurable"]) and "单位" in v["note_measurable"]
    assert not bool(v["relevant"]) and v["note_relevant"] == "没有关联 SERVQUAL 维度或 KANO 必备需求"
    assert not bool(v["time_bound"]) and v["note_time_bound"] == "没有复核日期"
    assert v["summary"].startswith("未满足：具体（S）、可衡量（M）、相关（R）、有时限（T）")


def test_relevance_through_kano_must_be():
    s = _std(servqual=None, kano_need="fast_response")
    assert bool(smart_verdict(s, lang="en")["relevant"])
    assert bool(smart_verdict(s, lang="en", must_be={"fast_response"})["relevant"])
    v = smart_verdict(s, lang="en", must_be={"clear_compensation_policy"})
    assert not bool(v["relevant"]) and "not must-be" in v["note_relevant"]
    assert "fast response" in v["note_relevant"]


def test_overdue_review_and_history_checks():
    v = smart_verdict(_std(), 0.9, lang="en", today=date(2026, 7, 1))
    assert bool(v["time_bound"]) and "overdue" in v["note_time_bound"]
    with pytest.raises(ParameterError):
        smart_verdicts([_std()], {"s1": 62})


def test_whole_standards_and_display():
    std = default_service_standards(review_date=date(2026, 6, 30))
    v = smart_verdicts(std, pd.Series({"urgent_30min": 0.62, "email_24h": 0.93}), lang="en")
    assert len(v) == len(std.smart) and v["id"].is_unique
    assert v["specific"].all() and v["measurable"].all() and v["relevant"].all() and v["time_bound"].all()
    assert v.set_index("id").loc["email_24h", "smart"]
    shown = smart_display(v, "zh")
    assert list(shown.columns)[:3] == ["类别", "标准", "S 具体"]
    assert set(shown["A 可实现"]) == {"✓", "✗", "?"}
    assert smart_verdicts([], lang="en").empty


def test_format_target():
    assert format_target(_std(), "en") == "≤ 30 minutes"
    assert format_target(_std(), "zh") == "≤ 30分钟"
    assert format_target(_std(operator=">=", target=95.5, unit="percent"), "zh") == "≥ 95.5%"
    assert format_target(_std(target=None), "en") == ""
