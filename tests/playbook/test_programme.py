"""The playbook as a programme: everything it names exists, and its links resolve.

Every notebook, chapter, form, hand-out, ``kit`` command and ``make`` target named in the playbook
must exist in the kit -- except the closing module's chapter and notebook, which are written
elsewhere and may still be pending (``playbook/05_pdca_review.{zh,en}.md``,
``notebooks/05_improvement.ipynb``).
"""

import re
from pathlib import Path

import pytest

import kit.workshop
from kit.cli import build_parser
from kit.workshop.printouts import HANDOUTS

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = ROOT / "playbook"
PAGES = sorted(PLAYBOOK.glob("*.md"))
PENDING_CHAPTERS = {"05_pdca_review"}
PENDING_NOTEBOOKS = {"05_improvement"}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _anchors(path: Path) -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', _text(path)))


def test_the_programme_pages_are_there():
    names = {p.name for p in PAGES}
    assert "README.md" in names and len(names) >= 11


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_named_notebooks_exist(page):
    text = _text(page)
    named = set(re.findall(r"notebooks/(\d\d_[a-z_]+)\.ipynb", text))
    named |= set(re.findall(r"`(\d\d_[a-z]+(?:_[a-z]+)*)`", text))
    named |= set(re.findall(r"\b(\d\d_[a-z_]+)\.ipynb", text))
    for name in named - PENDING_NOTEBOOKS:
        assert (ROOT / "notebooks" / f"{name}.ipynb").is_file(), f"{page.name} names notebook {name}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_named_chapters_exist(page):
    for stem, lang in re.findall(r"(\d\d_[a-z_]+)\.(zh|en)\.md", _text(page)):
        if stem in PENDING_CHAPTERS:
            continue
        assert (PLAYBOOK / f"{stem}.{lang}.md").is_file(), f"{page.name} names chapter {stem}.{lang}.md"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_named_handouts_forms_commands_and_targets_exist(page):
    text = _text(page)
    for stem in re.findall(r"\b([a-z_]+)\.(?:zh|en|<lang>|<语言>)\.html", text):
        assert stem in HANDOUTS, f"{page.name} names hand-out {stem}"
    for form in re.findall(r"`([A-Z][A-Za-z]+Form)`", text):
        assert hasattr(kit.workshop, form), f"{page.name} names form {form}"
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for command in re.findall(r"`kit ([a-z]+)", text):
        assert command in commands, f"{page.name} names `kit {command}`"
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    for target in re.findall(r"`(?:[A-Z_]+=\S+ )?make ([a-z]+)`", text):
        assert target in targets, f"{page.name} names `make {target}`"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_resolve(page):
    for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([A-Za-z0-9-]+))?\)", _text(page)):
        if target.startswith("http"):
            continue
        linked = (PLAYBOOK / target) if target else page
        assert linked.exists(), f"{page.name} links {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{page.name} links {target}#{anchor}"


def test_the_index_lists_every_chapter_and_the_closing_module():
    readme = _text(PLAYBOOK / "README.md")
    for page in PAGES:
        if page.name != "README.md":
            assert f"({page.name})" in readme, f"README.md does not link {page.name}"
    for pending in ("05_pdca_review.zh.md", "05_pdca_review.en.md", "notebooks/05_improvement.ipynb"):
        assert pending in readme
    for handout in HANDOUTS:
        assert f"{handout}.zh.html" in readme and f"{handout}.en.html" in readme
    assert "kit workshop" in readme and "make lab" in readme
    assert "待写" not in readme and "to come" not in readme  # the index is current


def test_chapter_04_is_a_facilitator_chapter_in_both_languages():
    zh, en = (_anchors(PLAYBOOK / f"04_satisfaction_loyalty.{lang}.md") for lang in ("zh", "en"))
    assert zh == en
    assert {"script", "exercises", "handouts", "reading-scores", "servqual", "scorecard"} <= zh
    assert len([a for a in zh if a.startswith("exercise-")]) >= 4
    assert {f"remedy-{d}" for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")} <= zh
    script = _text(PLAYBOOK / "04_satisfaction_loyalty.en.md").split('<a id="script"></a>')[1].split("<a id=")[0]
    assert re.findall(r"^\| \d+–\d+ \|", script, re.M)  # a timed script


@pytest.mark.parametrize("chapter", [p.name.split(".")[0] for p in PAGES if p.name.endswith(".en.md")])
def test_both_languages_keep_the_same_anchors(chapter):
    assert _anchors(PLAYBOOK / f"{chapter}.zh.md") == _anchors(PLAYBOOK / f"{chapter}.en.md")
