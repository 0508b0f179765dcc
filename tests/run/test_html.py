import nbformat
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


def test_index_marks_failures_with_cell_and_message():
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
    assert '<a href="001/03.html">' in html
    assert 'class="failed"' in html and "cell 4 DataError: bad &lt;file&gt;" in html


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
    assert "单元格 7 KeyError: &#x27;nps&#x27;" in html
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


def test_index_shows_first_line_of_failing_cell_escaped():
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
    assert "cell 5 KeyError: &#x27;nps&#x27;<br><code>scores = df[df.x &lt; 3]  # &lt;b&gt;</code>" in html
    assert "plot(scores)" not in html
