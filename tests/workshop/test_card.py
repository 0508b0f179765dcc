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
        "电话响铃三声内接听",
        "≤ 3声",
        "紧急投诉",
        "≤ 30分钟",
        "≤ 24小时",
        "48 小时内回访",
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
        "Answer the phone within three rings",
        "≤ 3 rings",
        "required attainment ≥ 95%",
        "urgent complaint",
        "e-mail",
        "≤ 24 hours",
        "Call back within 48 hours",
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
