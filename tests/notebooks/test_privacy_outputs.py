"""Privacy by default, end to end: no raw personal data in anything a batch run writes.

Runs notebooks 03 and 04 for two stores of a small synthetic chain through the batch runner
(``plan_jobs`` + ``run_batch``), then scans every output file -- executed notebooks, HTML
reports, and any CSV / Excel / JSON export -- for unmasked phone numbers, e-mails, ID-card
numbers and the raw names and phones of the sample's customers.  The scanner is proven on the
same outputs with a planted raw phone number and name.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kit.core.privacy import find_pii
from kit.intake.sample import write_chain
from kit.run.batch import run_batch
from kit.run.jobs import plan_jobs

SCANNED = {".ipynb", ".html", ".csv", ".xlsx", ".json", ".md", ".txt"}
PERIOD = (date(2026, 1, 1), date(2026, 2, 28))


def _text_of(path: Path) -> str:
    """All text of an output file (cell values for Excel workbooks)."""
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        return "\n".join(
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    return path.read_text(encoding="utf-8", errors="replace")


def scan(folder: Path, names: list[str]) -> dict[str, list[str]]:
    """``{file: identifiers found}`` for every scanned file under ``folder`` with a finding."""
    hits = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in SCANNED:
            found = find_pii(_text_of(path), names=names)
            if found:
                hits[str(path.relative_to(folder))] = found
    return hits


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    data = tmp_path_factory.mktemp("privacy_chain")
    write_chain(data, stores=2, months=2, seed=3)
    out = tmp_path_factory.mktemp("privacy_run")
    jobs = []
    for notebook, lang in (("03_complaint_audit", "zh"), ("04_satisfaction_loyalty", "en")):
        jobs += plan_jobs(notebook, ["001", "002"], period=PERIOD, data_dir=data, lang=lang, out_dir=out)
    results = run_batch(jobs, workers=2, progress=False, lang="zh")
    complaints = pd.read_csv(data / "complaints.csv", dtype=str, encoding="utf-8-sig")
    return out, results, complaints


@pytest.mark.slow
def test_no_raw_personal_data_in_any_batch_output(batch_run):
    out, results, complaints = batch_run
    assert [r.status for r in results] == ["ok"] * 4, [r.error for r in results]
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in SCANNED]
    kinds = {p.suffix for p in files}
    assert {".ipynb", ".html", ".json"} <= kinds
    assert len([p for p in files if p.suffix in (".ipynb", ".html")]) >= 8  # 2 stores x 2 notebooks x 2 formats
    names = sorted(set(complaints["customer_name"].dropna()))
    phones = sorted(set(complaints["customer_phone"].dropna()))
    assert len(names) > 50 and len(phones) > 50
    assert scan(out, names + phones) == {}
    # the reports did show customer data -- masked
    audit_text = (out / "001" / "03_complaint_audit.ipynb").read_text(encoding="utf-8")
    assert "客户姓名和电话已脱敏显示" in audit_text


@pytest.mark.slow
def test_the_scanner_catches_a_planted_raw_phone_and_name(batch_run, tmp_path):
    out, _, complaints = batch_run
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    raw = complaints.iloc[0]
    html = copy / "001" / "03_complaint_audit.html"
    html.write_text(
        html.read_text(encoding="utf-8").replace("</body>", f"<p>{raw['customer_phone']}</p></body>"), encoding="utf-8"
    )
    pd.DataFrame(
        {"name": [raw["customer_name"]], "email": ["zhang.san@example.com"], "id": ["110101199003071234"]}
    ).to_excel(copy / "leak.xlsx", index=False)
    hits = scan(copy, [raw["customer_name"]])
    assert hits["001/03_complaint_audit.html"] == [raw["customer_phone"]]
    assert sorted(hits["leak.xlsx"]) == sorted(["zhang.san@example.com", "110101199003071234", raw["customer_name"]])
    assert set(hits) == {"001/03_complaint_audit.html", "leak.xlsx"}
