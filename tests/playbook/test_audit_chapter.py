"""The complaint-audit chapter of the playbook: zh and en have the same anchors, and every link resolves."""

import re
from pathlib import Path

import pytest

CHAPTER = Path(__file__).resolve().parents[2] / "playbook"


def _anchors(text):
    return set(re.findall(r'<a id="([^"]+)"></a>', text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_internal_link_resolves(lang):
    text = (CHAPTER / f"03_complaint_audit.{lang}.md").read_text(encoding="utf-8")
    targets = set(re.findall(r"\]\(#([^)]+)\)", text))
    assert targets and targets <= _anchors(text)


def test_both_languages_have_the_same_anchors():
    zh = _anchors((CHAPTER / "03_complaint_audit.zh.md").read_text(encoding="utf-8"))
    en = _anchors((CHAPTER / "03_complaint_audit.en.md").read_text(encoding="utf-8"))
    assert zh == en and "measure-findings" in zh
