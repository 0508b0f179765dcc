import json
from datetime import date

import pytest

from kit.core.errors import ParameterError
from kit.run.batch import run_batch
from kit.run.jobs import parse_period, plan_jobs, resolve_notebook, select_stores

pytestmark = pytest.mark.slow
PERIOD = (date(2026, 1, 1), date(2026, 3, 31))


def test_parse_period():
    assert parse_period("2026-01-01..2026-12-31") == (date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ParameterError):
        parse_period("2026-01-01-2026-12-31")


def test_resolve_notebook_by_number_and_name():
    assert resolve_notebook("03").name == "03_complaint_audit.ipynb"
    assert resolve_notebook("03_complaint_audit").name == "03_complaint_audit.ipynb"
    with pytest.raises(ParameterError, match="03_complaint_audit") as info:  # exit 2: nothing can run
        resolve_notebook("99_nothing")
    assert info.value.exit_code == 2


def test_select_stores_rejects_unknown_and_empty():
    import pandas as pd

    stores = pd.DataFrame({"store_id": ["001", "002"], "region": ["华东", "华北"]})
    with pytest.raises(ParameterError, match="003"):
        select_stores(stores, "001,003")
    with pytest.raises(ParameterError) as info:
        select_stores(stores, "region=西南")
    assert info.value.exit_code == 2
    assert select_stores(stores, "002,001,002") == ["002", "001"]


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
    calls = []

    def finish(out_dir, rows, *, lang):
        calls.append((out_dir, [(r["store_id"], r["status"]) for r in rows], lang))
        raise OSError("disk full")  # a failing deliverable is recorded, not raised

    results = run_batch(jobs, workers=2, progress=False, lang="en", finish=finish)
    assert [r.status for r in results] == ["ok", "ok", "failed"]
    assert calls == [(out.resolve(), [("001", "ok"), ("003", "ok"), ("002", "failed")], "en")]

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["total"], manifest["ok"], manifest["failed"]) == (3, 2, 1)
    assert manifest["deliverables"]["status"] == "failed" and "OSError: disk full" in manifest["deliverables"]["error"]
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
    assert [(j.scope, j.store_id, j.parameters["store_id"]) for j in store] == [
        ("store", "001", "001"),
        ("store", "007", "007"),
    ]
    assert store[1].output == (tmp_path / "run" / "007" / "03_complaint_audit.ipynb").resolve()

    workshop = plan_jobs(
        "02",
        ["001", "007"],
        period=PERIOD,
        data_dir=tmp_path,
        lang="en",
        out_dir=tmp_path / "run",
        workspace=str(tmp_path),
    )
    assert [(j.scope, j.store_id, j.parameters["store_id"]) for j in workshop] == [("workshop", "chain", "")]
    assert workshop[0].output.parent.name == "chain" and workshop[0].parameters["workspace"] == str(tmp_path.resolve())

    chain_nb = tmp_path / "00_chain_overview.ipynb"
    shutil.copy(resolve_notebook("03"), chain_nb)
    chain = plan_jobs(
        str(chain_nb), ["001", "007"], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path / "run"
    )
    assert [(j.scope, j.store_id) for j in chain] == [("chain", "chain")]
    assert "store_id" not in chain[0].parameters and chain[0].output.name == "00_chain_overview.ipynb"
    with pytest.raises(ParameterError):  # ChainParams knows no store_id
        plan_jobs(
            str(chain_nb), [], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path, extra={"store_id": "001"}
        )


def test_select_stores_by_list_region_and_all():
    import pandas as pd

    stores = pd.DataFrame({"store_id": ["001", "007", "010"], "region": ["华东", "华北", "华东"]})
    assert select_stores(stores, "all") == ["001", "007", "010"]
    assert select_stores(stores, "001,007") == ["001", "007"]
    assert select_stores(stores, "region=华东") == ["001", "010"]


def test_executors_are_found_by_name():
    from kit.run.executors import get_executor, register_executor, run_local

    assert get_executor("local") is run_local
    with pytest.raises(ParameterError, match="local"):
        get_executor("slurm")

    @register_executor("inline-test")
    def inline(jobs, options, **settings):
        yield from ()

    assert get_executor("inline-test") is inline


@pytest.mark.parametrize(
    "options",
    [
        {"timeout": -5},
        {"timeout": 0},
        {"timeout": float("nan")},
        {"timeout": float("inf")},
        {"workers": 0},
        {"workers": -2},
        {"retries": -1},
        {"retries": 1.5},
    ],
)
def test_impossible_options_stop_the_run_before_anything_runs(options, tmp_path):
    from kit.run.batch import check_run_options

    jobs = plan_jobs("03", ["001"], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path / "run")
    with pytest.raises(ParameterError) as info:
        check_run_options(**options)
    assert info.value.exit_code == 2 and next(iter(options)) in info.value.message("en")
    with pytest.raises(ParameterError):
        run_batch(jobs, progress=False, lang="en", **options)
    assert not (tmp_path / "run").exists()


def test_a_failed_deliverable_fails_the_run(tmp_path):
    from kit.run.batch import deliverables_failed, write_manifest
    from kit.run.jobs import JobResult

    ok = [JobResult("001", "03_complaint_audit", "ok", 1.0)]
    path = tmp_path / "manifest.json"
    write_manifest(ok, path, deliverables={"status": "ok", "excel": "kpis.xlsx"})
    assert json.loads(path.read_text(encoding="utf-8"))["status"] == "ok"
    failed = {"status": "failed", "error": "excel: PermissionError: kpis.xlsx"}
    write_manifest(ok, path, deliverables=failed)
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert manifest["status"] == "failed" and deliverables_failed(manifest)
    assert (manifest["ok"], manifest["failed"]) == (1, 0)
    pending = [*ok, JobResult("002", "03_complaint_audit", "pending", 0.0, attempts=0)]
    write_manifest(pending, path)
    assert json.loads(path.read_text(encoding="utf-8"))["status"] == "running"


def test_resume_never_reuses_an_entry_that_names_files_of_another_place(tmp_path):
    from kit.run.batch import _own_files

    job = plan_jobs("03", ["../x"], period=PERIOD, data_dir=tmp_path, lang="en", out_dir=tmp_path / "run")[0]
    own = f"{job.folder}/03_complaint_audit"
    assert _own_files(job, {"output": f"{own}.ipynb", "html": f"{own}.html"})
    assert not _own_files(job, {"output": "../x/03_complaint_audit.ipynb", "html": "../x/03_complaint_audit.html"})
    assert not _own_files(job, {"output": f"{own}.ipynb", "html": "/etc/passwd"})
