"""Real, partial exports get every report: missing is "no data", never 0 % and never a failure.

A chain with only a complaints export (no stores file, dates without times, no first-response
column) gets the chain overview and the complaint audit for every store; a chain whose surveys
miss a store gets the satisfaction report for every store.
"""

import json

import pandas as pd
import pytest

from kit.cli import main
from kit.core.i18n import t
from kit.intake.sample import write_chain
from tests.notebooks.language import page_texts
from tests.notebooks.test_report_pages import _html_tables

PERIOD = "2026-01-01..2026-03-31"


def _run(data, out, notebooks, lang="en"):
    argv = ["run", "--notebooks", notebooks, "--stores", "all", "--data", str(data), "--out", str(out)]
    argv += ["--period", PERIOD, "--lang", lang, "--no-pdf", "--no-progress", "--workers", "2"]
    code = main(argv)
    return code, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def complaints_only(tmp_path_factory):
    root = tmp_path_factory.mktemp("complaints_only")
    write_chain(root / "full", stores=3, months=3, seed=11)
    complaints = pd.read_csv(root / "full" / "complaints.csv", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    complaints = complaints.drop(columns=["first_response_at"])
    for col in [c for c in complaints.columns if c.endswith("_at")]:
        complaints[col] = complaints[col].str[:10]  # dates without times, as many exports give them
    (root / "data").mkdir()
    complaints.to_csv(root / "data" / "complaints.csv", index=False, encoding="utf-8-sig")
    code, manifest = _run(root / "data", root / "run", "00,03")
    return root / "run", code, manifest


@pytest.mark.slow
def test_a_complaints_only_export_gets_every_report(complaints_only):
    out, code, manifest = complaints_only
    assert code == 0 and manifest["status"] == "ok", manifest
    jobs = manifest["jobs"]
    assert sorted(j["store_id"] for j in jobs if j["notebook"] == "03_complaint_audit") == ["001", "002", "003"]
    assert all(j["status"] == "ok" for j in jobs) and any(j["notebook"] == "00_chain_overview" for j in jobs)
    for page in out.rglob("*.html"):
        text = " ".join(page_texts(page.read_text(encoding="utf-8")))
        assert "Traceback" not in text and "Error:" not in text, page


@pytest.mark.slow
def test_what_the_export_lacks_is_no_data_and_never_a_number(complaints_only):
    from kit.workshop.indicators import verdict_reason

    out, _, _ = complaints_only
    no_first_response = verdict_reason("absent_column", "en", column="first_response_at")
    for store in ("001", "002", "003"):
        page = (out / store / "03_complaint_audit.html").read_text(encoding="utf-8")
        rows = {r[0]: r for table in _html_tables(page) for r in table[1:] if r}
        first = rows[t("indicators.label.first_response_sla", "en")]
        assert first[1] == "—" and no_first_response in first[-1]  # no value, the reason, no verdict
        assert no_first_response in page
    book = pd.read_excel(out / "kpis.xlsx", sheet_name=None, dtype=str)
    long = book[t("deliverables.sheet.long", "en")]
    first = long.loc[long[t("deliverables.column.kpi_code", "en")] == "first_response_sla"]
    assert set(first[t("deliverables.column.verdict", "en")]) == {t("indicators.verdict.no_data", "en")}
    assert first[t("deliverables.column.value", "en")].isna().all()
    surveys = long.loc[long[t("deliverables.column.kpi_code", "en")] == "nps"]
    assert set(surveys[t("deliverables.column.verdict", "en")]) == {t("indicators.verdict.no_data", "en")}


@pytest.mark.slow
def test_a_store_without_surveys_still_gets_its_satisfaction_report(tmp_path):
    write_chain(tmp_path / "data", stores=3, months=3, seed=11)
    path = tmp_path / "data" / "surveys.csv"
    surveys = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    surveys.loc[surveys["store_id"] != "002"].to_csv(path, index=False, encoding="utf-8-sig")
    code, manifest = _run(tmp_path / "data", tmp_path / "run", "04", lang="zh")
    assert code == 0 and [j["status"] for j in manifest["jobs"]] == ["ok"] * 3
    page = (tmp_path / "run" / "002" / "04_satisfaction_loyalty.html").read_text(encoding="utf-8")
    assert "Traceback" not in page
    nps = t("indicators.label.nps", "zh")
    rows = {r[1]: r for table in _html_tables(page) for r in table[1:] if len(r) > 2}
    assert rows[nps][2] == "—" and "✓" not in rows[nps][5] and "✗" not in rows[nps][5]
    other = (tmp_path / "run" / "001" / "04_satisfaction_loyalty.html").read_text(encoding="utf-8")
    assert {r[1]: r for table in _html_tables(other) for r in table[1:] if len(r) > 2}[nps][2] != "—"
