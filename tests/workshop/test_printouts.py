"""The printable hand-outs: one language per file, A4, self-contained, every data value escaped."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from kit.core.i18n import t
from kit.workshop.customer_types import CustomerType, add_customer_type
from kit.workshop.printouts import (
    HANDOUTS,
    SERVQUAL_ITEMS,
    action_plan_html,
    handout_features,
    kano_questionnaire_html,
    write_handouts,
)
from kit.workshop.workspace import create_workspace, load_customer_types, save_customer_types

CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
#: Latin words a Chinese hand-out may contain: codes and format names, not English text.
CODES = {"KANO", "SERVQUAL", "PDCA", "A4", "E", "P", "D", "C", "A", "YYYY", "MM", "DD"}


class _Text(HTMLParser):
    """The text a reader sees: no tags, no <style> or <title> content."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(parser.parts)


@pytest.fixture
def ws(tmp_path):
    ws = create_workspace(tmp_path, "演示工作区", today=date(2026, 1, 1))
    return ws


@pytest.fixture
def english_ws(tmp_path):
    return create_workspace(tmp_path, "acme", today=date(2026, 1, 1))


def test_files_written_in_order(ws, tmp_path):
    paths = write_handouts(tmp_path / "out", ws, "zh")
    assert [p.name for p in paths] == [f"{name}.zh.html" for name in HANDOUTS]
    for path in paths:
        page = path.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
        assert "size: A4" in page
        assert "<script" not in page and "http://" not in page and "https://" not in page  # nothing from the network


@pytest.mark.parametrize("name", HANDOUTS)
def test_chinese_handouts_have_no_english_text(ws, tmp_path, name):
    (path,) = [p for p in write_handouts(tmp_path, ws, "zh") if p.name.startswith(name)]
    text = visible_text(path.read_text(encoding="utf-8"))
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text))
    assert words <= CODES, sorted(words - CODES)
    assert CJK.search(text)


@pytest.mark.parametrize("name", HANDOUTS)
def test_english_handouts_have_no_chinese_text(english_ws, tmp_path, name):
    (path,) = [p for p in write_handouts(tmp_path, english_ws, "en") if p.name.startswith(name)]
    text = visible_text(path.read_text(encoding="utf-8"))
    assert not CJK.search(text), CJK.findall(text)[:10]
    assert len(re.findall(r"[A-Za-z]{3,}", text)) > 20


def test_kano_questionnaire_asks_the_pair_for_every_feature_with_five_answers(english_ws, tmp_path):
    features, _ = handout_features(load_customer_types(english_ws))
    page = write_handouts(tmp_path, english_ws, "en")[0].read_text(encoding="utf-8")
    assert len(features) == 5 and page.count('<section class="feature">') == 5
    assert "If the store offers “fast response”, how do you feel?" in page
    assert "If the store does not offer “fast response”, how do you feel?" in page
    for answer in ("I like it", "I expect it", "I am neutral", "I can live with it", "I dislike it"):
        assert page.count(f"<th>{answer}</th>") == 5
    assert page.count('<span class="box"></span>') == 5 * 2 * 5


def test_kano_features_from_the_survey_win(english_ws, tmp_path):
    page = write_handouts(tmp_path, english_ws, "zh", features=["gift_wrapping"])[0].read_text(encoding="utf-8")
    assert "如果门店提供「礼品包装」，您的感受是：" in page and "快速响应" not in page


def test_servqual_has_22_items_in_the_published_dimensions(tmp_path):
    assert [sum(1 for d in SERVQUAL_ITEMS.values() if d == dim) for dim in dict.fromkeys(SERVQUAL_ITEMS.values())] == [
        4,
        5,
        4,
        4,
        5,
    ]
    for lang, spans in (("en", ["items 1–4", "items 5–9", "items 10–13", "items 14–17", "items 18–22"]),):
        page = write_handouts(tmp_path, None, lang)[1].read_text(encoding="utf-8")
        numbers = re.findall(r'<td class="num">(\d+)</td>', page)
        assert numbers == [str(i) for i in range(1, 23)]
        for dimension, span in zip(["Tangibles", "Reliability", "Responsiveness", "Assurance", "Empathy"], spans):
            assert f"<h2>{dimension} · {span}</h2>" in page
        assert page.count('<td class="scale">') == 44  # an E and a P scale per item
        assert page.count("<span>7</span>") == 44
        assert t("printouts.servqual.item.5", lang) in page and "100" in page  # importance points add up to 100


def test_every_workspace_and_data_string_is_escaped(tmp_path):
    ws = create_workspace(tmp_path, "acme & co", today=date(2026, 1, 1))
    types = load_customer_types(ws)
    evil = CustomerType(
        id="evil",
        name_zh="<b>坏</b>",
        name_en="<b>bad</b>",
        relation="external",
        directness="direct",
        key_needs=[
            {"need_zh": "<script>alert(1)</script>", "need_en": "<img src=x onerror=alert(1)>", "feature": "x_feature"}
        ],
    )
    save_customer_types(ws, add_customer_type(types, evil))
    pages = [p.read_text(encoding="utf-8") for p in write_handouts(tmp_path / "o", ws, "en", store_id="<001>")]
    joined = "".join(pages)
    assert "<img src=x" not in joined and "<script>" not in joined and "<001>" not in joined
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[0]  # the need's name, as the feature's name
    assert "acme &amp; co" in pages[0] and "store &lt;001&gt;" in pages[2]
    page = action_plan_html("zh", actions=[{"finding": "<i>慢</i>", "stores": "001, 002"}], blank_rows=1)
    assert "&lt;i&gt;慢&lt;/i&gt;" in page and "<i>" not in page


def test_action_plan_has_the_plan_columns(tmp_path):
    page = write_handouts(tmp_path, None, "en", blank_rows=5)[2].read_text(encoding="utf-8")
    heads = re.findall(r"<th>([^<]+)</th>", page)
    assert heads == [
        "finding",
        "action",
        "owner",
        "stores",
        "start",
        "due",
        "indicator",
        "baseline",
        "target",
        "check date",
    ]
    assert page.count("<tr>") == 1 + 5 and "size: A4 landscape" in page


def test_the_card_is_the_card_of_the_workspace(english_ws, tmp_path):
    from kit.workshop.card import standards_card_html
    from kit.workshop.workspace import load_standards

    page = write_handouts(tmp_path, english_ws, "en")[3].read_text(encoding="utf-8")
    assert page == standards_card_html(load_standards(english_ws), "en")


def test_unknown_feature_names_come_from_the_needs():
    page = kano_questionnaire_html(
        ["quiet_corner"], "zh", names={"quiet_corner": {"zh": "安静的休息区", "en": "a quiet corner"}}
    )
    assert "「安静的休息区」" in page
    page = kano_questionnaire_html(["quiet_corner"], "en")
    assert "“quiet corner”" in page
