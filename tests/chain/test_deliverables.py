"""kit.chain.deliverables: the KPI workbook read back, finish_run with and without a Chromium, the index."""

import json
import shutil
from datetime import date
from pathlib import Path

import nbformat
import openpyxl
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

import kit.chain.deliverables as deliverables
from kit.chain.deliverables import finish_run
from kit.core.i18n import t
from kit.run.html import export_html
from kit.run.pdf import find_chromium

PERIOD = (date(2026, 2, 1), date(2026, 3, 31))


def _run_folder(tmp_path: Path) -> tuple[Path, list[dict]]:
    """A run folder with one good report (Chinese text) and one failed job."""
    out = tmp_path / "run"
    nb = new_notebook(
        cells=[new_code_cell("x = 1", outputs=[new_output("stream", name="stdout", text="门店报告 投诉审计")])]
    )
    (out / "001").mkdir(parents=True)
    nbformat.write(nb, out / "001" / "03_complaint_audit.ipynb")
    export_html(out / "001" / "03_complaint_audit.ipynb", out / "001" / "03_complaint_audit.html", lang="zh")
    results = [
        {
            "store_id": "001",
            "notebook": "03_complaint_audit",
            "status": "ok",
            "duration_s": 2.0,
            "output": "001/03_complaint_audit.ipynb",
            "html": "001/03_complaint_audit.html",
            "error": None,
        },
        {
            "store_id": "002",
            "notebook": "03_complaint_audit",
            "status": "failed",
            "duration_s": 1.0,
            "output": None,
            "html": None,
            "error": {"cell": 3, "ename": "DataError", "evalue": "文件为空"},
        },
    ]
    return out, results


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_finish_run_without_chromium_skips_cleanly(lang, small_chain_dir, tmp_path, monkeypatch):
    out, results = _run_folder(tmp_path)
    monkeypatch.setattr(deliverables, "find_chromium", lambda: None)
    summary = finish_run(out, results, lang=lang, data_dir=small_chain_dir, period=PERIOD)
    json.dumps(summary)  # JSON-serialisable for the manifest
    assert summary["excel"] == "kpis.xlsx" and (out / "kpis.xlsx").exists()
    assert summary["pdf"]["status"] == "skipped" and summary["pdf"]["files"] == {}
    assert ("Chromium" in summary["pdf"]["message"]) and (("跳过" in summary["pdf"]["message"]) == (lang == "zh"))
    assert summary["errors"] == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="kpis.xlsx"' in index and 'href="001/03_complaint_audit.html"' in index
    assert 'class="failed"' in index and "文件为空" in index and t("report.index.failed_kit", lang, message="") in index
    assert "<th>001 · " in index and summary["headlines"]["001"]  # store names and headlines
    assert not list(out.rglob("*.pdf"))
    assert (out / "playbook" / f"03_complaint_audit.{lang}.html").is_file()  # remedies reachable offline
    assert summary["playbook"] == "playbook/README.html" and 'href="playbook/README.html"' in index
    assert summary["cards"] == []  # no notebook 02 in this run
    handouts = summary["handouts"]  # the printable sheets of the workshop, in the run's language
    assert list(handouts) == ["kano_questionnaire", "servqual_questionnaire", "action_plan", "standards_card"]
    assert all((out / f).is_file() and f.startswith("handouts/") and f".{lang}." in f for f in handouts.values())
    assert all(f'href="{f}"' in index for f in handouts.values())


def test_workbook_read_back_with_chinese_and_text_ids(small_chain_dir, tmp_path, monkeypatch):
    out, results = _run_folder(tmp_path)
    monkeypatch.setattr(deliverables, "find_chromium", lambda: None)
    finish_run(out, results, lang="zh", data_dir=small_chain_dir, period=PERIOD, pdf=False)
    wb = openpyxl.load_workbook(out / "kpis.xlsx")
    assert wb.sheetnames == ["指标明细", "门店×指标（本期）", "门店×指标（上期）", "目标与达成"]
    long = wb["指标明细"]
    header = [c.value for c in long[1]]
    assert header[:6] == ["统计期", "开始日期", "结束日期", "门店编号", "门店名称", "指标"]
    ids = [row[3].value for row in long.iter_rows(min_row=2)]
    assert {"001", "002", "003", "chain"} == set(ids)
    first = long[2]
    assert first[3].data_type == "s" and first[3].number_format == "@"
    assert first[0].value == "本期" and first[5].value == "省力占比（CES 5–7 分）"  # registry order: G1 first
    assert "首次响应达标率" in {row[5].value for row in long.iter_rows(min_row=2)}
    assert any(row[4].value == "全连锁" for row in long.iter_rows(min_row=2))
    periods = {row[0].value for row in long.iter_rows(min_row=2)}
    assert periods == {"本期", "上期"}
    wide = wb["门店×指标（本期）"]
    assert [c.value for c in wide["A"]][1:] == ["001", "002", "003", "chain"]
    assert "净推荐值 NPS" in [c.value for c in wide[1]]
    targets = wb["目标与达成"]
    assert [c.value for c in targets[1]][0] == "指标"


def test_workbook_store_names_from_the_data_never_run_as_formulas(tmp_path):
    import pandas as pd

    from kit.chain.deliverables import write_kpi_workbook

    long = pd.DataFrame({"period": ["current"], "period_start": [pd.Timestamp("2026-01-01")],
        "period_end": [pd.Timestamp("2026-01-31")], "store_id": ["001"], "indicator": ["nps"], "value": [35.0],
        "n": [40], "unit": ["points"], "direction": [">="], "target": [30.0], "target_source": ["goals"],
        "gap": [5.0], "met": pd.array([True], dtype="boolean"), "verdict": ["met"], "reason": [""],
        "reason_column": [""], "impact": [float("nan")]})  # fmt: skip
    hostile = '=HYPERLINK("http://evil.example","x")'
    write_kpi_workbook(long, tmp_path / "k.xlsx", "en", store_names={"001": hostile})
    wb = openpyxl.load_workbook(tmp_path / "k.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + hostile in {c.value for c in cells}


def test_finish_run_records_a_broken_data_folder_without_raising(tmp_path, monkeypatch):
    out, results = _run_folder(tmp_path)
    monkeypatch.setattr(deliverables, "find_chromium", lambda: None)
    summary = finish_run(out, results, lang="en", data_dir=tmp_path / "nothing-here", period=PERIOD)
    assert summary["excel"] is None and summary["errors"][0]["step"] == "excel"
    assert (out / "index.html").exists()


@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed (apt-get install chromium)")
def test_finish_run_prints_a_real_pdf(small_chain_dir, tmp_path):
    out, results = _run_folder(tmp_path)
    summary = finish_run(out, results, lang="zh", data_dir=small_chain_dir, period=PERIOD)
    assert summary["pdf"]["status"] == "ok", summary
    assert summary["pdf"]["files"] == {"001/03_complaint_audit.html": "001/03_complaint_audit.pdf"}
    pdf = (out / "001" / "03_complaint_audit.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert '<a href="001/03_complaint_audit.pdf">' in (out / "index.html").read_text(encoding="utf-8")


def test_a_failing_browser_is_reported_not_raised(small_chain_dir, tmp_path, monkeypatch):
    out, results = _run_folder(tmp_path)
    fake = shutil.which("false")
    monkeypatch.setattr(deliverables, "find_chromium", lambda: fake)
    summary = finish_run(out, results, lang="en", data_dir=small_chain_dir, period=PERIOD)
    assert summary["pdf"]["status"] == "partial" and summary["pdf"]["files"] == {}
    assert summary["errors"] and summary["errors"][0]["step"] == "pdf"


def test_print_pdfs_skips_a_pdf_newer_than_its_html(tmp_path):
    """A resumed run that changed nothing prints nothing again; a re-made report is re-printed."""
    import os

    out, results = _run_folder(tmp_path)
    html = out / "001" / "03_complaint_audit.html"
    calls = []

    def fake_print(html_path, pdf_path, *, chromium):
        calls.append(Path(html_path))
        Path(pdf_path).write_bytes(b"%PDF-1.4 fake")
        return Path(pdf_path)

    mp = pytest.MonkeyPatch()
    mp.setattr(deliverables, "html_to_pdf", fake_print)
    try:
        first = deliverables.print_pdfs(out, results, "en", finder=lambda: "/fake/chromium")
        assert calls == [html] and first["reused"] == 0
        assert first["files"] == {"001/03_complaint_audit.html": "001/03_complaint_audit.pdf"}
        pdf = out / "001" / "03_complaint_audit.pdf"
        os.utime(html, ns=(1_000_000_000_000,) * 2)
        os.utime(pdf, ns=(2_000_000_000_000,) * 2)
        again = deliverables.print_pdfs(out, results, "en", finder=lambda: "/fake/chromium")
        assert len(calls) == 1 and again["reused"] == 1 and again["status"] == "ok"
        assert again["files"] == first["files"]
        os.utime(html, ns=(3_000_000_000_000,) * 2)  # the report was made again
        deliverables.print_pdfs(out, results, "en", finder=lambda: "/fake/chromium")
        assert calls == [html, html]
    finally:
        mp.undo()
