"""One language per report: every notebook rendered in zh and in en, nothing of the other language in it.

The chain has fourteen months, so that the report's period (the last twelve) has a previous
period: trends, movers and comparisons show their words too.  Each report is read as its reader
sees it -- headings, paragraphs, table headers and cells, image texts -- and each chart's texts
come from the executed notebook (:func:`kit.core.charts.show` records them).
"""

import json
from datetime import date

import pytest

from tests.notebooks.language import chart_texts_of, foreign, page_texts

NOTEBOOKS = "00,01,02,03,04"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    from kit.cli import main
    from kit.intake.sample import write_chain

    root = tmp_path_factory.mktemp("language")
    data = root / "data"
    write_chain(data, stores=3, months=14, seed=5, start=date(2025, 11, 1))
    assert main(["workspace", "new", "acme", "--root", str(root / "ws")]) == 0
    out = {}
    for lang in ("zh", "en"):
        out[lang] = root / f"run-{lang}"
        argv = ["run", "--notebooks", NOTEBOOKS, "--stores", "001,002", "--data", str(data), "--out", str(out[lang])]
        argv += ["--period", "2026-01-01..2026-12-31", "--lang", lang, "--workspace", str(root / "ws" / "acme")]
        argv += ["--no-pdf", "--no-progress", "--workers", "2"]
        assert main(argv) == 0
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_of_a_run_is_in_its_language(runs, lang):
    out = runs[lang]
    pages = [p for p in sorted(out.rglob("*.html")) if "playbook" not in p.parts]
    assert len(pages) >= 1 + 2 + 2 * 2 + 1  # overview, two workshop notebooks, 03 and 04 for two stores, index
    leaks = {}
    for page in pages:
        found = foreign(page_texts(page.read_text(encoding="utf-8")), lang, allowed={"acme"})
        if found:
            leaks[str(page.relative_to(out))] = found[:8]
    assert leaks == {}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_of_a_run_is_in_its_language(runs, lang):
    out = runs[lang]
    notebooks = sorted(out.rglob("*.ipynb"))
    texts = {str(p.relative_to(out)): chart_texts_of(json.loads(p.read_text(encoding="utf-8"))) for p in notebooks}
    assert sum(map(len, texts.values())) > 100  # the charts' titles, axes, ticks and legends were recorded
    leaks = {name: found[:8] for name, t in texts.items() if (found := foreign(t, lang, allowed={"acme"}))}
    assert leaks == {}


@pytest.mark.slow
def test_a_report_keeps_its_language_cells_and_drops_the_authors(runs):
    import nbformat

    for lang in ("zh", "en"):
        page = (runs[lang] / "001" / "03_complaint_audit.html").read_text(encoding="utf-8")
        nb = nbformat.read(runs[lang] / "001" / "03_complaint_audit.ipynb", as_version=4)
        for cell in nb.cells:
            tags = set(cell.metadata.get("tags", []))
            heading = cell.source.strip().splitlines()[0].lstrip("# ").strip() if cell.source.strip() else ""
            if cell.cell_type != "markdown" or not heading or "`" in heading:
                continue
            if "author" in tags or (tags & {"lang-zh", "lang-en"} and f"lang-{lang}" not in tags):
                assert heading not in page, (lang, heading)
            elif f"lang-{lang}" in tags:
                assert heading.split("**")[0][:20] in page, (lang, heading)
