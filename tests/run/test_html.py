import html as html_lib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from kit.run.html import export_html, index_html


def test_export_html_hides_code_and_keeps_outputs(tmp_path):
    nb = new_notebook(
        cells=[new_code_cell("secret_code = 1", outputs=[new_output("stream", name="stdout", text="visible 投诉")])]
    )
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    html = export_html(path, tmp_path / "a.html", lang="zh").read_text(encoding="utf-8")
    assert "visible 投诉" in html
    assert "secret_code" not in html
    assert 'lang="zh"' in html
    assert '<script src="https://' not in html


def test_index_explains_a_failure_in_plain_words():
    rows = [
        {"store_id": "001", "notebook": "03_complaint_audit", "status": "ok", "duration_s": 1.0, "html": "001/03.html"},
        {
            "store_id": "002",
            "notebook": "03_complaint_audit",
            "status": "failed",
            "duration_s": 2.0,
            "html": None,
            "error": {"cell": 4, "ename": "DataError", "evalue": "bad <file>"},
        },
    ]
    html = index_html(rows, "en", title="t")
    assert '<a href="001/03.html">Complaint audit</a>' in html
    assert 'class="failed"' in html and "Complaint audit — not finished: bad &lt;file&gt;" in html


def test_export_html_is_fully_offline_and_prints_on_a4(tmp_path):
    from kit.run.html import external_refs

    nb = new_notebook(
        cells=[
            new_code_cell(
                "import x",
                outputs=[
                    new_output(
                        "display_data",
                        data={
                            "text/html": '<link rel="stylesheet" href="https://cdn.example/x.css">'
                            '<script src="https://cdn.jsdelivr.net/npm/require.js"></script><b>表</b>'
                        },
                    )
                ],
            )
        ]
    )
    path = tmp_path / "b.ipynb"
    nbformat.write(nb, path)
    html = export_html(path, tmp_path / "b.html", lang="zh").read_text(encoding="utf-8")
    assert external_refs(html) == []
    assert "<b>表</b>" in html and "size: A4" in html
    assert "import x" not in html


def test_index_lists_chain_overview_first_with_pdf_and_workbook():
    rows = [
        {"store_id": "002", "notebook": "03_complaint_audit", "status": "ok", "duration_s": 1.0, "html": "002/03.html"},
        {"store_id": "001", "notebook": "03_complaint_audit", "status": "ok", "duration_s": 1.0, "html": "001/03.html"},
        {
            "store_id": "chain",
            "notebook": "00_chain_overview",
            "status": "ok",
            "duration_s": 3.0,
            "html": "chain/00.html",
        },
        {
            "store_id": "003",
            "notebook": "04_satisfaction_loyalty",
            "status": "failed",
            "duration_s": 0.5,
            "html": None,
            "error": {"cell": 7, "ename": "KeyError", "evalue": "'nps'"},
        },
    ]
    deliverables = {
        "excel": "kpis.xlsx",
        "pdf": {
            "status": "ok",
            "message": "2 PDF files printed",
            "files": {"001/03.html": "001/03.pdf", "chain/00.html": "chain/00.pdf"},
        },
    }
    html = index_html(rows, "zh", title="运行", deliverables=deliverables)
    assert html.index("chain/00.html") < html.index("001/03.html") < html.index("002/03.html")
    assert '<a href="chain/00.pdf">' in html and '<a href="001/03.pdf">' in html and "002/03.pdf" not in html
    assert '<a href="kpis.xlsx">' in html and "全连锁" in html
    assert "满意度与忠诚度 — 未完成：程序出错（KeyError，第 7 步）" in html
    assert "&#x27;nps&#x27;" not in html  # a program error's details are in the manifest, not on the page
    assert "共 4 份报告：3 份成功，1 份失败。" in html
    assert "http" not in html


def test_export_html_reuses_one_exporter_per_language_with_identical_pages(tmp_path):
    from nbconvert import HTMLExporter

    import kit.run.html as report

    nb = new_notebook(cells=[new_code_cell("x = 1", outputs=[new_output("stream", name="stdout", text="页 one")])])
    path = tmp_path / "c.ipynb"
    nbformat.write(nb, path)
    first = export_html(path, tmp_path / "c1.html", lang="en", title="T").read_text(encoding="utf-8")
    exporter = report._EXPORTERS[("en",)]
    export_html(path, tmp_path / "other.html", lang="zh", title="Other")
    second = export_html(path, tmp_path / "c2.html", lang="en", title="T").read_text(encoding="utf-8")
    assert report._EXPORTERS[("en",)] is exporter and report._EXPORTERS[("zh",)] is not exporter
    assert first == second
    fresh, _ = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, language_code="en"
    ).from_notebook_node(nbformat.read(path, as_version=4), resources={"metadata": {"name": "T"}})
    assert second == report._page(fresh)


def test_index_keeps_the_failing_cell_source_in_the_manifest_only():
    rows = [
        {
            "store_id": "002",
            "notebook": "04_satisfaction_loyalty",
            "status": "failed",
            "duration_s": 1.0,
            "html": None,
            "error": {
                "cell": 5,
                "ename": "KeyError",
                "evalue": "'nps'",
                "source": "\n  scores = df[df.x < 3]  # <b>\nplot(scores)",
            },
        }
    ]
    html = index_html(rows, "en", title="t")
    assert "not finished: a program error (KeyError, step 5)" in html and "manifest.json" in html
    assert "scores" not in html and "<code>" not in html


def test_index_names_stores_and_reports_with_each_stores_headline():
    rows = [
        {"store_id": "001", "notebook": "03_complaint_audit", "status": "ok", "html": "001/03_complaint_audit.html"},
        {"store_id": "001", "notebook": "04_satisfaction_loyalty", "status": "ok", "html": "001/04.html"},
        {"store_id": "chain", "notebook": "00_chain_overview", "status": "ok", "html": "chain/00.html"},
    ]
    deliverables = {"store_names": {"001": "上海徐汇店"}, "headlines": {"001": "11/16 项指标达标", "chain": "x"}}
    html = index_html(rows, "zh", title="运行", deliverables=deliverables)
    assert "<th>001 · 上海徐汇店</th><td>11/16 项指标达标</td>" in html
    assert '<a href="001/03_complaint_audit.html">投诉审计</a> · <a href="001/04.html">满意度与忠诚度</a>' in html
    assert '<a href="chain/00.html">连锁总览</a>' in html and "03_complaint_audit<" not in html


def test_page_titles_name_store_report_and_period(tmp_path):
    from datetime import date

    from kit.run.jobs import plan_jobs
    from kit.run.kernels import job_title

    period = (date(2026, 1, 1), date(2026, 12, 31))
    job = plan_jobs(
        "03", ["001"], period=period, data_dir=".", lang="zh", out_dir=tmp_path, names={"001": "上海徐汇店"}
    )
    assert job_title(job[0]) == "上海徐汇店 · 投诉审计 · 2026"
    chain = plan_jobs(
        "00", [], period=(date(2026, 10, 1), date(2026, 12, 31)), data_dir=".", lang="en", out_dir=tmp_path
    )
    assert job_title(chain[0]) == "whole chain · Chain overview · 2026-10-01 – 2026-12-31"


# --------------------------------------------------------------------------------------------
# Data is text: hostile strings in the chain's data stay text in every artifact of a run
# --------------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=http://evil.example/x.png onerror=alert(2)>"
JS_LINK = "[click](javascript:alert(3))"
MATH = "$x^2$"
#: Hosts a page may link to (a link, never a resource loaded when the page opens).
ALLOWED_LINK_HOSTS: set[str] = set()


class _LiveMarkup(HTMLParser):
    """What in a page would run, or load from another host: tags, handlers, scripted or remote URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.style = False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "frame", "object", "embed", "applet", "base", "form", "portal"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            if url.startswith(("javascript:", "vbscript:")) or (url.startswith("data:") and name == "href"):
                self.found.append(f"<{tag} {name}={value}>")
            remote = re.match(r"(https?:)?//([^/]+)", url)
            if remote and (tag not in ("a", "area") or name != "href"):
                self.found.append(f"<{tag} {name}={value}> loads from another host")
            elif remote and remote.group(2) not in ALLOWED_LINK_HOSTS:
                self.found.append(f"<{tag} {name}={value}> links another host")
            if name == "style" and re.search(r"url\((?!\s*['\"]?data:)|@import|expression\(", url):
                self.found.append(f"<{tag} style={value}>")
        self.style = tag == "style" or self.style

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self.style = False

    def handle_data(self, data):
        if self.style and re.search(r"url\(\s*['\"]?(https?:)?//|@import", data):
            self.found.append(f"<style> loads: {data[:80]}")


def live_markup(page: str) -> list[str]:
    parser = _LiveMarkup()
    parser.feed(page)
    parser.close()
    return parser.found


def test_live_markup_checker_sees_what_it_must():
    assert live_markup("<p>" + html_lib.escape(SCRIPT + IMG) + "</p>") == []
    assert len(live_markup(f"<p>{SCRIPT}{IMG}<a href='javascript:x()'>a</a></p>")) >= 4


@pytest.mark.parametrize(
    "fragment",
    [
        SCRIPT,
        IMG,
        '<a href="javascript:alert(3)">click</a>',
        '<a href=" jav&#x09;ascript:alert(3)">tab</a>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<iframe src="https://evil.example/"></iframe>',
        '<div style="background:url(https://evil.example/t.png)">x</div>',
        "<style>@import url(https://evil.example/x.css);</style>",
        '<object data="https://evil.example/x.swf"></object>',
        '<form action="https://evil.example/"><input name=p></form>',
        '<img src="x" onerror="alert(1)"/>',
        "<details open ontoggle=alert(1)>x</details>",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        "<!--><script>alert(1)</script>-->",
        "<scr<script>ipt>alert(1)</script>",
        "<p title='x' onclick='alert(1)'>p</p>",
    ],
)
def test_neutralise_html_leaves_nothing_live_in_the_body(fragment):
    from kit.run.html import neutralise_html

    page = f"<html><head><script>init()</script></head><body><p>name: {fragment}</p></body></html>"
    out = neutralise_html(page)
    assert live_markup(out) == [], out
    assert out.startswith("<html><head></head><body><p>name: ")


def test_a_plain_report_page_is_unchanged_but_for_the_templates_scripts(tmp_path):
    import pandas as pd

    from kit.run.html import neutralise_html

    frame = pd.DataFrame({"store": ["001", "<script>x</script>"], "nps": [31.5, 40.0]})
    nb = new_notebook(
        cells=[
            new_code_cell(
                "t",
                outputs=[
                    new_output("display_data", data={"text/html": frame.to_html(), "text/plain": "t"}),
                    new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}),
                    new_output(
                        "display_data", data={"text/markdown": "**Store 001** — [playbook](../playbook/a.html)"}
                    ),
                ],
            )
        ]
    )
    path = tmp_path / "p.ipynb"
    nbformat.write(nb, path)
    page = export_html(path, tmp_path / "p.html", lang="en").read_text(encoding="utf-8")
    assert "<script" not in page and live_markup(page) == []
    body = page[page.index("<body") :]
    assert neutralise_html(body) == body  # nothing in a plain report's body changes
    assert "&lt;script&gt;x&lt;/script&gt;" in body and '<img alt="chart"' in body
    assert '<a href="../playbook/a.html">playbook</a>' in body


def _hostile_chain(folder: Path) -> None:
    import pandas as pd

    from kit.intake.sample import write_chain

    write_chain(folder, stores=3, months=3, seed=11)
    stores = pd.read_csv(folder / "stores.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    stores.loc[0, ["store_name_zh", "store_name_en"]] = [SCRIPT + "店", SCRIPT]
    stores.loc[1, ["store_name_zh", "store_name_en"]] = [IMG, IMG]
    stores.loc[0, ["city", "city_en"]] = [JS_LINK, JS_LINK]
    stores.loc[1, ["region", "region_en"]] = [MATH, MATH]
    stores.to_csv(folder / "stores.csv", index=False, encoding="utf-8-sig")
    complaints = pd.read_csv(folder / "complaints.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    for value, category in zip([SCRIPT, IMG, JS_LINK, MATH], complaints["category"].value_counts().index):
        complaints.loc[complaints["category"] == category, ["category", "category_en"]] = [value, value]
    complaints.to_csv(folder / "complaints.csv", index=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    from kit.cli import main

    root = tmp_path_factory.mktemp("hostile")
    data, out = root / "data", root / "run"
    _hostile_chain(data)
    argv = ["run", "--notebooks", "00,03,04", "--stores", "001,002", "--data", str(data), "--out", str(out)]
    argv += ["--period", "2026-01-01..2026-03-31", "--lang", "en", "--workers", "2", "--no-pdf", "--no-progress"]
    code = main(argv)
    return code, out


@pytest.mark.slow
def test_hostile_strings_in_the_data_are_text_in_every_page_of_the_run(hostile_run):
    code, out = hostile_run
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "ok" and manifest["ok"] == 5
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 7 and (out / "index.html") in pages
    problems = {str(p.relative_to(out)): live_markup(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}
    # the data is shown, as text: the store name in the chain overview, the category in the Pareto text
    overview = (out / "chain" / "00_chain_overview.html").read_text(encoding="utf-8")
    assert html_lib.escape(SCRIPT, quote=False) in overview
    audit = (out / "001" / "03_complaint_audit.html").read_text(encoding="utf-8")
    assert html_lib.escape(SCRIPT, quote=False) in audit and "evil.example" in audit
    assert MATH in html_lib.unescape(audit)  # no MathJax: a formula in the data stays the text it is


def _raw_markup_in_outputs(out: Path) -> list[str]:
    """Report cells whose Markdown or HTML output carries a hostile string as live markup."""
    found = []
    for path in sorted(out.rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                data = output.get("data") or {}
                markdown = "".join(data.get("text/markdown", ""))
                html = "".join(data.get("text/html", ""))
                hits = [s for s in (SCRIPT, IMG, JS_LINK, MATH) if s in markdown] + [
                    s for s in (SCRIPT, IMG) if s in html
                ]
                if hits:
                    first = "".join(cell.get("source", "")).strip().splitlines()[-1]
                    found.append(f"{path.relative_to(out)} cell {i} ({first}): {hits}")
    return found


@pytest.mark.slow
def test_hostile_strings_are_text_in_the_executed_notebooks_too(hostile_run):
    _, out = hostile_run
    assert _raw_markup_in_outputs(out) == []
