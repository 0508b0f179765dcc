"""Playbook chapters 01 and 02: both languages, the same anchors, and every link resolves."""

import re
from pathlib import Path

import pytest

PLAYBOOK = Path(__file__).resolve().parents[2] / "playbook"
CHAPTERS = ["01_customer_types", "02_service_standards"]


def _anchors(path: Path) -> set[str]:
    return set(re.findall(r'<a id="([a-z0-9-]+)"></a>', path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_same_anchors_in_both_languages(chapter):
    zh, en = (_anchors(PLAYBOOK / f"{chapter}.{lang}.md") for lang in ("zh", "en"))
    assert zh == en and {"purpose", "script", "exercises", "notebook-in-the-room"} <= zh


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_links_resolve(chapter, lang):
    path = PLAYBOOK / f"{chapter}.{lang}.md"
    for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([a-z0-9-]+))?\)", path.read_text(encoding="utf-8")):
        if target.startswith("http"):
            continue
        linked = PLAYBOOK / target if target else path
        assert linked.is_file(), target
        if anchor:
            assert anchor in _anchors(linked), f"{target}#{anchor}"
    assert f"({chapter}.{lang}.md)" in (PLAYBOOK / "README.md").read_text(encoding="utf-8")
