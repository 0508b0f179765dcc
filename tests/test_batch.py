import json
from datetime import date

import pytest

from kit.run.jobs import parse_period, plan_jobs, resolve_notebook, select_stores
from kit.run.batch import run_batch
from kit.core.errors import ParameterError, RunError

pytestmark = pytest.mark.slow
PERIOD = (date(2026, 1, 1), date(2026, 3, 31))


def test_parse_period():
    assert parse_period("2026-01-01..2026-12-31") == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ParameterError):
        parse_period("2026-01-01-2026-12-31")


def test_resolve_notebook_by_number_and_name():
    assert resolve_notebook("03").name == "03_complaint_audit.ipynb"
    assert resolve_notebook("03_complaint_audit").name == "03_complaint_audit.ipynb"
    with pytest.raises(RunError, match="03_complaint_audit"):
        resolve_notebook("99_nothing")


def test_select_stores_rejects_unknown_and_empty():
    import pandas as pd

    stores = pd.DataFrame({"store_id": ["001", "002"], "region": ["华东", "华北"]})
    with pytest.raises(ParameterError, match="003"):
        select_stores(stores, "001,003")
    with pytest.raises(RunError):
        select_stores(stores, "region=西南")


def test_broken_store_is_reported_while_the_others_succeed(small_chain_dir, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("stores.csv", "surveys.csv", "transactions.csv"):
        (broken / name).write_bytes((small_chain_dir / name).read_bytes())
    text = (small_chain_dir / "complaints.csv").read_text(encoding="utf-8-sig")
    (broken / "complaints.csv").write_text(text.replace("created_at", "opened", 1), encoding="utf-8-sig")

    out = tmp_path / "run"
    jobs = plan_jobs("03", ["001", "003"], period=PERIOD, data_dir=small_chain_dir, lang="en", out_dir=out)
    jobs += plan_jobs("03", ["002"], period=PERIOD, data_dir=broken, lang="en", out_dir=out)
    results = run_batch(jobs, workers=2, progress=False, lang="en")
    assert [r.status for r in results] == ["ok", "ok", "failed"]

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["total"], manifest["ok"], manifest["failed"]) == (3, 2, 1)
    failed = manifest["jobs"][2]
    assert failed["store_id"] == "002"
    assert failed["error"]["ename"] == "DataError"
    assert "created_at" in failed["error"]["evalue"]
    assert "open_store_report" in failed["error"]["source"]
    for store in ("001", "003"):
        assert (out / store / "03_complaint_audit.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "001/03_complaint_audit.html" in index and 'class="failed"' in index
    # The failed report still exists and shows the message, not a Python traceback.
    html = (out / "002" / "03_complaint_audit.html").read_text(encoding="utf-8")
    assert "a required column is missing" in html and "Traceback" not in html


def test_bad_parameters_stop_the_run_before_anything_executes(small_chain_dir, tmp_path):
    with pytest.raises(ParameterError):
        plan_jobs("03", ["001"], period=PERIOD, data_dir=small_chain_dir, lang="fr", out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_plan_jobs_follows_the_notebook_scope(tmp_path):
    import shutil

    store = plan_jobs("03", ["001", "007"], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path / "run")
    assert [(j.scope, j.store_id, j.parameters["store_id"]) for j in store] == [("store", "001", "001"), ("store", "007", "007")]
    assert store[1].output == (tmp_path / "run" / "007" / "03_complaint_audit.ipynb").resolve()

    workshop = plan_jobs("02", ["001", "007"], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path / "run",
                         workspace=str(tmp_path))
    assert [(j.scope, j.store_id, j.parameters["store_id"]) for j in workshop] == [("workshop", "chain", "")]
    assert workshop[0].output.parent.name == "chain" and workshop[0].parameters["workspace"] == str(tmp_path.resolve())

    chain_nb = tmp_path / "00_chain_overview.ipynb"
    shutil.copy(resolve_notebook("03"), chain_nb)
    chain = plan_jobs(str(chain_nb), ["001", "007"], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path / "run")
    assert [(j.scope, j.store_id) for j in chain] == [("chain", "chain")]
    assert "store_id" not in chain[0].parameters and chain[0].output.name == "00_chain_overview.ipynb"
    with pytest.raises(ParameterError):  # ChainParams knows no store_id
        plan_jobs(str(chain_nb), [], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path, extra={"store_id": "001"})


def test_select_stores_by_list_region_and_all():
    import pandas as pd

    stores = pd.DataFrame({"store_id": ["001", "007", "010"], "region": ["华东", "华北", "华东"]})
    assert select_stores(stores, "all") == ["001", "007", "010"]
    assert select_stores(stores, "001,007") == ["001", "007"]
    assert select_stores(stores, "region=华东") == ["001", "010"]


def test_deliverables_hook_result_and_failure_are_kept_in_the_manifest(tmp_path, monkeypatch):
    import sys
    import types
    from pathlib import Path

    from kit.run.jobs import JobResult
    from kit.run.batch import _deliver

    calls = {}

    def finish_run(out_dir, results, *, lang, data_dir, period, workspace="", pdf=True):
        calls.update(out_dir=out_dir, n=len(results), lang=lang, pdf=pdf, period=period)
        return {"kpis": "kpis.xlsx", "pdf": {"status": "skipped"}}

    module = types.ModuleType("kit.chain.deliverables")
    module.finish_run = finish_run
    monkeypatch.setitem(sys.modules, "kit.chain.deliverables", module)
    rows = [vars(JobResult("001", "03_complaint_audit", "ok", 1.0))]
    deliver = dict(data_dir=tmp_path, period=PERIOD, workspace="", pdf=False)
    assert _deliver(tmp_path, rows, "en", deliver) == {"kpis": "kpis.xlsx", "pdf": {"status": "skipped"}}
    assert calls == {"out_dir": tmp_path, "n": 1, "lang": "en", "pdf": False, "period": PERIOD}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    module.finish_run = broken
    recorded = _deliver(Path(tmp_path), rows, "en", deliver)
    assert recorded["status"] == "failed" and "OSError: disk full" in recorded["error"]
