import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from kit.report import export_html, index_html


def test_export_html_hides_code_and_keeps_outputs(tmp_path):
    nb = new_notebook(cells=[new_code_cell("secret_code = 1", outputs=[new_output("stream", name="stdout", text="visible 投诉")])])
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
        {"store_id": "002", "notebook": "03_complaint_audit", "status": "failed", "duration_s": 2.0, "html": None,
         "error": {"cell": 4, "ename": "DataError", "evalue": "bad <file>"}},
    ]
    html = index_html(rows, "en", title="t")
    assert '<a href="001/03.html">' in html
    assert 'class="failed"' in html and "cell 4 DataError: bad &lt;file&gt;" in html
