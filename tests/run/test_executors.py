"""Faults contained, timeout, retry, resume and the Dask executor, with a tiny fixture notebook.

``tests/fixtures/notebooks/faults.ipynb`` reads hidden marker files in its ``data_dir``
(``.fail-<store>``, ``.slow-<store>``, ``.kill-once-<store>``, ``.kill-always-<store>``); hidden
files are not part of the data fingerprint, so removing a marker "fixes" a store without
making the other stores' reports out of date.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from kit.run.batch import run_batch
from kit.run.jobs import plan_jobs
from kit.run.kernels import notebook_imports

pytestmark = pytest.mark.slow
FAULTS = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "faults.ipynb"
PERIOD = (date(2026, 1, 1), date(2026, 3, 31))


def _jobs(data_dir, out, stores):
    return plan_jobs(str(FAULTS), stores, period=PERIOD, data_dir=data_dir, lang="en", out_dir=out)


def _manifest(out):
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _cell(out, entry):
    """The cell of the executed notebook that the manifest entry names as failing."""
    cells = json.loads((out / entry["output"]).read_text(encoding="utf-8"))["cells"]
    return cells[entry["error"]["cell"]]


def test_notebook_imports_lists_what_a_warm_kernel_preloads():
    assert notebook_imports([FAULTS]) == ["os", "pathlib", "pathlib.Path", "time"]


def test_every_fault_is_contained_recorded_and_resumed(tmp_path):
    data, out = tmp_path / "data", tmp_path / "run"
    data.mkdir()
    for marker in (".fail-002", ".slow-003", ".kill-once-004", ".kill-always-005"):
        (data / marker).write_text("", encoding="utf-8")
    stores = ["001", "002", "003", "004", "005"]
    results = run_batch(_jobs(data, out, stores), workers=2, progress=False, lang="en", timeout=10, retries=1)
    assert [r.status for r in results] == ["ok", "failed", "failed", "ok", "failed"]

    m = _manifest(out)
    assert (m["total"], m["ok"], m["failed"], m["reused"], m["complete"]) == (5, 2, 3, 0, True)
    jobs = {j["store_id"]: j for j in m["jobs"]}
    assert jobs["001"]["error"] is None and jobs["001"]["attempts"] == 1 and jobs["001"]["fingerprint"]

    # an exception in a cell: not retried; the cell index in the executed notebook as saved (after
    # papermill's parameters cell, error banner and anchor: source cell 3 is cell 6), its source and message
    err = jobs["002"]["error"]
    assert jobs["002"]["attempts"] == 1
    assert (err["kind"], err["ename"], err["cell"]) == ("error", "ValueError", 6)
    assert "bad input for store 002" in err["evalue"] and "raise ValueError" in err["source"]
    cell = _cell(out, jobs["002"])
    assert "".join(cell["source"]) == err["source"] and cell["execution_count"] == err["execution_count"]
    assert cell["outputs"][-1]["output_type"] == "error"

    # a cell running past the time limit: stopped, not retried
    err = jobs["003"]["error"]
    assert (err["kind"], err["ename"], err["cell"], jobs["003"]["attempts"]) == ("timeout", "Timeout", 6, 1)
    assert "time.sleep(600)" in err["source"] and "10" in err["evalue"]
    assert "".join(_cell(out, jobs["003"])["source"]) == err["source"]

    # a kernel killed once: retried, and the retry succeeds
    assert (jobs["004"]["status"], jobs["004"]["attempts"]) == ("ok", 2)

    # a kernel killed every time: retried once, then recorded with the cell it died in
    err = jobs["005"]["error"]
    assert (err["kind"], err["cell"], jobs["005"]["attempts"]) == ("kernel_died", 7, 2)
    assert "os.kill" in err["source"] and "".join(_cell(out, jobs["005"])["source"]) == err["source"]

    # every report exists; the stopped ones say so at the top; the index marks the failures
    for store in stores:
        assert (out / store / "faults.html").exists()
    assert "time limit and was stopped in cell 6" in (out / "003" / "faults.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('class="failed"') == 3 and "ValueError" in index

    # --resume after fixing the inputs: only the three failed reports run again
    for marker in (".fail-002", ".slow-003", ".kill-always-005"):
        (data / marker).unlink()
    before = (out / "001" / "faults.ipynb").stat().st_mtime_ns
    results = run_batch(_jobs(data, out, stores), workers=2, progress=False, lang="en", timeout=10, resume=True)
    assert [r.status for r in results] == ["ok"] * 5
    assert [r.reused for r in results] == [True, False, False, True, False]
    m = _manifest(out)
    assert (m["ok"], m["failed"], m["reused"]) == (5, 0, 2)
    assert (out / "001" / "faults.ipynb").stat().st_mtime_ns == before

    # a changed input makes every report out of date
    (data / "complaints.csv").write_text("new export\n", encoding="utf-8")
    results = run_batch(_jobs(data, out, ["001", "002"]), workers=2, progress=False, lang="en", resume=True)
    assert [r.reused for r in results] == [False, False]


def test_fresh_kernels_run_the_same_jobs(tmp_path):
    data, out = tmp_path / "data", tmp_path / "run"
    data.mkdir()
    (data / ".fail-002").write_text("", encoding="utf-8")
    results = run_batch(_jobs(data, out, ["001", "002"]), workers=1, progress=False, lang="en", fresh=True)
    assert [r.status for r in results] == ["ok", "failed"]
    assert _manifest(out)["kernels"] == "fresh"


def test_dask_local_cluster_runs_two_stores(tmp_path):
    from distributed import Client, LocalCluster
    from jupyter_core.utils import ensure_event_loop

    # as after any in-process notebook run: this thread's context holds jupyter_core's loop,
    # and the cluster's threads get a copy of that context
    ensure_event_loop()

    data, out = tmp_path / "data", tmp_path / "run"
    data.mkdir()
    (data / ".fail-002").write_text("", encoding="utf-8")
    with (
        LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        results = run_batch(
            _jobs(data, out, ["001", "002"]), progress=False, lang="en", executor="dask", scheduler=client
        )
    assert [r.status for r in results] == ["ok", "failed"], [r.error for r in results]
    m = _manifest(out)
    assert m["executor"] == "dask"
    assert m["jobs"][1]["error"]["ename"] == "ValueError", m["jobs"][1]["error"]
    assert "done 001 3" in (out / "001" / "faults.ipynb").read_text(encoding="utf-8")


def test_a_killed_worker_process_is_replaced_and_its_job_retried(tmp_path):
    data, out = tmp_path / "data", tmp_path / "run"
    data.mkdir()
    (data / ".kill-worker-once-002").write_text("", encoding="utf-8")
    results = run_batch(_jobs(data, out, ["001", "002"]), workers=1, progress=False, lang="en", retries=1)
    assert [(r.status, r.attempts) for r in results] == [("ok", 1), ("ok", 2)]
    assert not (data / ".kill-worker-once-002").exists()
