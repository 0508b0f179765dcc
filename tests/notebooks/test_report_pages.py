"""Reports for people, checked on a real run of every notebook in zh and in en.

One language per report: nothing of the other language in a page or a chart.  The first page
says what to fix first: at most three findings, in whole tickets.  The chain overview prints
every KPI of its league table on paper.  The index names stores, reports and headlines.

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
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))


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


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_store_report_opens_with_at_most_three_findings_in_whole_numbers(runs, lang):
    import re

    import nbformat

    for store in ("001", "002"):
        for name in ("03_complaint_audit", "04_satisfaction_loyalty"):
            nb = nbformat.read(runs[lang] / store / f"{name}.ipynb", as_version=4)
            outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
            texts = ["".join(o.get("data", {}).get("text/markdown", "")) for o in outputs]
            summary = next(
                t for t in texts if re.search(r"^1\. ", t, re.M) or "meets its target" in t or "达到了目标" in t
            )
            items = re.findall(r"^(\d+)\. ", summary, re.M)
            assert len(items) <= 3, (store, name, summary)
            shorts = re.findall(r"(?:差|—) ?([\d.,]+) ?(?:件|份|位|complaints|answers|customers|tickets)", summary)
            assert all("." not in s for s in shorts), summary  # whole tickets, never "237.1"


@pytest.mark.slow
def test_the_index_names_every_store_its_reports_and_headline(runs):
    page = (runs["zh"] / "index.html").read_text(encoding="utf-8")
    import pandas as pd

    stores = pd.read_csv(next(runs["zh"].parent.glob("data")) / "stores.csv", dtype=str, encoding="utf-8-sig")
    for sid, name in zip(stores["store_id"][:2], stores["store_name_zh"][:2]):
        assert f"<th>{sid} · {name}</th>" in page
    assert "投诉审计</a>" in page and "满意度与忠诚度</a>" in page and "连锁总览</a>" in page
    assert "项指标达标" in page and "03_complaint_audit<" not in page
    title = (runs["zh"] / "001" / "03_complaint_audit.html").read_text(encoding="utf-8")
    name = stores.loc[stores["store_id"] == "001", "store_name_zh"].iloc[0]
    assert f"<title>{name} · 投诉审计 · 2026</title>" in title


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_chain_overview_prints_every_kpi_of_its_league_table(runs, lang, tmp_path):
    import shutil
    import subprocess

    from kit.run.pdf import find_chromium, html_to_pdf
    from kit.workshop.indicators import INDICATORS, indicator_header

    chromium = find_chromium()
    if chromium is None or shutil.which("pdftotext") is None:
        pytest.skip("needs Chromium and pdftotext (apt-get install chromium poppler-utils)")
    pdf = html_to_pdf(runs[lang] / "chain" / "00_chain_overview.html", tmp_path / "overview.pdf", chromium=chromium)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.92 x 595" in info.replace("594.96", "595")  # A4 landscape
    # the league table has a column for every indicator of the registry (no data is a "—", not a lost column)
    missing = [h for h in (indicator_header(k, lang) for k in INDICATORS) if "".join(h.split()) not in flat]
    assert missing == []


def _html_tables(page: str) -> list[list[list[str]]]:
    """Every table of a page as rows of cell texts (header row first)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    return [
        [[" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
        for table in soup.find_all("table")
    ]


def _rows_by(tables: list[list[list[str]]], header: str, key: str) -> dict[str, dict[str, str]]:
    """``{row[key]: {header: cell}}`` of the tables whose header row has ``header`` and ``key``."""
    out = {}
    for table in tables:
        if table and header in table[0] and key in table[0]:
            for row in table[1:]:
                cells = dict(zip(table[0], row))
                out[cells[key]] = cells
    return out


@pytest.mark.slow
def test_every_kpi_reads_the_same_in_00_03_04_the_scorecard_and_the_workbook(runs):
    """One truth per KPI: the value and verdict of each store's indicators agree on every page and sheet."""
    import pandas as pd

    from kit.chain.indicators import store_slice
    from kit.chain.overview import chain_kpis
    from kit.core.i18n import t
    from kit.intake.load import load_chain
    from kit.workshop.indicators import indicator_header, indicator_label, value_text

    lang, out = "en", runs["en"]
    root = out.parent
    long, _ = chain_kpis(load_chain(root / "data"), PERIOD, workspace=str(root / "ws" / "acme"), lang=lang)
    book = pd.read_excel(out / "kpis.xlsx", sheet_name=None, dtype={t("deliverables.column.store_id", lang): str})
    sheet = book[t("deliverables.sheet.long", lang)]
    col = {k: t(f"deliverables.column.{k}", lang) for k in ("store_id", "kpi_code", "value", "verdict", "period")}
    current = sheet.loc[sheet[col["period"]] == t("indicators.period.current", lang)]
    overview = _html_tables((out / "chain" / "00_chain_overview.html").read_text(encoding="utf-8"))
    store_col = t("overview.column.store", lang)
    league = {}
    for table in overview:
        if table and store_col in table[0]:
            for row in table[1:]:
                league.setdefault(row[table[0].index(store_col)], {}).update(dict(zip(table[0], row)))
    checked = in_audit = 0
    for store in ("001", "002"):
        rows = store_slice(long, store)
        audit = _rows_by(
            _html_tables((out / store / "03_complaint_audit.html").read_text(encoding="utf-8")),
            t("indicators.column.verdict", lang),
            t("indicators.column.indicator", lang),
        )
        card = _rows_by(
            _html_tables((out / store / "04_satisfaction_loyalty.html").read_text(encoding="utf-8")),
            t("goals.column.status", lang),
            t("goals.column.indicator", lang),
        )
        mine = next(v for k, v in league.items() if k.split(" ")[0] == store)
        for r in rows.to_dict("records"):
            code, label = r["indicator"], indicator_label(r["indicator"], lang)
            shown = value_text(r["value"], r["unit"], lang)
            symbol = {"met": "✓", "not_met": "✗"}.get(r["verdict"], "")
            # the workbook
            cell = current.loc[(current[col["store_id"]] == store) & (current[col["kpi_code"]] == code)].iloc[0]
            assert cell[col["verdict"]] == t(f"indicators.verdict.{r['verdict']}", lang), (store, code)
            assert (pd.isna(r["value"]) and pd.isna(cell[col["value"]])) or abs(cell[col["value"]] - r["value"]) < 0.006
            # the scorecard of 04 (every indicator of the registry) and 03's indicator table (its complaint ones)
            for table, value_col, verdict_col in (
                (card, "goals.column.value", "goals.column.status"),
                (audit, "indicators.column.value", "indicators.column.verdict"),
            ):
                if label not in table:
                    assert table is audit, (store, code)
                    continue
                assert table[label][t(value_col, lang)] == shown, (store, code)
                verdict = table[label][t(verdict_col, lang)]
                assert verdict.startswith(symbol) if symbol else verdict[:1] not in "✓✗", (store, code, verdict)
                in_audit += table is audit
            # the chain overview's league table
            league_cell = mine[indicator_header(code, lang)]
            expected = "—" if pd.isna(r["value"]) else f"{r['value']:.1f}" + (f" {symbol}" if symbol else "")
            assert league_cell == expected, (store, code, league_cell, expected)
            checked += 1
    assert checked >= 30 and in_audit >= 10
