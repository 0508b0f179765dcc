"""The printable service standards card."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from kit.core.errors import ParameterError
from kit.workshop.card import standards_card_html, write_standards_card
from kit.workshop.standards import OpeningHours, SlaRule, SmartStandard, default_service_standards


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _std():
    return default_service_standards(review_date=date(2026, 6, 30))


def test_zh_card_content():
    html = standards_card_html(_std(), "zh", store_id="001", version_date=date(2026, 1, 5))
    for text in (
        "服务标准卡",
        "门店 001",
        "服务态度与技能",
        "服务流程",
        "绩效评估",
        "电话接听前的响铃次数 ≤ 3声（95% 的情况做到）",  # generated from the standard's number
        "投诉记录完整准确",  # the team's wording, kept as a note because it holds no number
        "紧急投诉",
        "≤ 30分钟",
        "≤ 24小时",
        "解决后回访确认满意 ≤ 48小时",
        "一线员工",
        "500 元以内",
        "2,000 元以上",
        "每天 10:00–22:00",
        "复核日期：2026-06-30",
        "版本 2026-01-05",
    ):
        assert text in html, text
    assert '<html lang="zh-CN">' in html and '<meta charset="utf-8">' in html


def test_en_card_content():
    html = standards_card_html(_std(), "en")
    for text in (
        "Service standards card",
        "attitude and skills",
        "rings before the phone is answered ≤ 3 rings (95% of cases)",
        "(95% of cases)",
        "urgent complaint",
        "e-mail",
        "≤ 24 hours",
        "call-back after the fix to confirm satisfaction ≤ 48 hours",
        "front-line staff",
        "up to 500 yuan",
        "above 2,000 yuan",
        "Review date: 2026-06-30",
    ):
        assert text in html, text


def test_self_contained_and_a4():
    html = standards_card_html(_std(), "zh")
    assert "size: A4 portrait" in html
    parser = _Tags()
    parser.feed(html)
    tags = {t for t, _ in parser.tags}
    assert not tags & {"link", "script", "img", "iframe", "object"}
    assert not re.search(r"https?://|url\(|@import|src=", html)


def test_user_text_is_escaped_and_options():
    std = _std().model_copy(
        update={
            "name": "A&B <连锁>",
            "smart": [SmartStandard(id="x", group="performance", title_zh="<script>alert(1)</script>")],
            "sla": [SlaRule(metric="first_response", channel="phone", target_minutes=90, clock="business")],
            "calendar": _std().calendar.model_copy(
                update={
                    "hours": [
                        OpeningHours(
                            store_id="002",
                            open="09:00",
                            close="21:00",
                            lunch_start="12:00",
                            lunch_end="13:00",
                            weekdays=[1, 2, 3, 4, 5],
                        )
                    ]
                }
            ),
        }
    )
    html = standards_card_html(std, "en", store_id="002")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "A&amp;B &lt;连锁&gt;" in html
    assert "≤ 1.5 hours" in html and "(business hours)" in html
    assert "Mon, Tue, Wed, Thu, Fri 09:00–21:00" in html and "lunch break 12:00–13:00" in html
    assert "attitude and skills" not in html  # empty groups are left out
    assert "Opening hours" not in standards_card_html(std, "en", store_id="999")


def test_write_card(tmp_path):
    path = write_standards_card(tmp_path / "cards" / "card_zh.html", _std(), "zh")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "服务标准卡" in text
    assert not list((tmp_path / "cards").glob("*.tmp"))


def test_bad_lang():
    with pytest.raises(ParameterError):
        standards_card_html(_std(), "fr")


def test_card_output_for_notebooks_and_export(tmp_path):
    import json

    from kit.workshop.card import CARD_MIME, StandardsCard, card_filename, export_cards

    assert (
        card_filename("zh") == "standards_card.zh.html" and card_filename("en", "002") == "standards_card.002.en.html"
    )
    page = standards_card_html(_std(), "zh", store_id="001")
    data, meta = StandardsCard(page, "zh", store_id="001")._repr_mimebundle_()
    assert data[CARD_MIME] == page and meta[CARD_MIME]["file"] == "standards_card.001.zh.html"
    frame = data["text/html"]
    assert (
        frame.count("<iframe") == 1 and "打印服务标准卡" in frame and "<style>" not in frame
    )  # the card's CSS stays in the frame
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in frame
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "x"},
            {"cell_type": "code", "outputs": [{"output_type": "stream", "text": "hi"}]},
            {"cell_type": "code", "outputs": [{"output_type": "execute_result", "data": data, "metadata": meta}]},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "run" / "02_service_standards.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert export_cards(path) == [tmp_path / "run" / "standards_card.001.zh.html"]
    assert (tmp_path / "run" / "standards_card.001.zh.html").read_text(encoding="utf-8") == page
    assert export_cards(path, tmp_path / "elsewhere") == [tmp_path / "elsewhere" / "standards_card.001.zh.html"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_changing_a_rule_changes_every_text_that_shows_it(lang):
    """One source of truth: the urgent first-response rule edited from 30 to 20 minutes."""
    import re

    from kit.workshop.smart import smart_display, smart_verdicts
    from kit.workshop.standards import default_service_standards

    std = default_service_standards()
    rules = [r.model_copy(update={"target_minutes": 20}) if r.tier == "urgent" else r for r in std.sla]
    edited = std.model_copy(update={"sla": rules})
    html = standards_card_html(edited, lang)
    table = smart_display(smart_verdicts(edited, lang=lang), lang).to_string()
    for text in (html, table):
        urgent = [line for line in re.split(r"</li>|\n", text) if ("紧急" in line or "urgent" in line)]
        assert urgent and all("30" not in line for line in urgent), urgent
        assert any("20" in line for line in urgent)
