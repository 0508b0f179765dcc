"""Faults contained, timeout, retry, resume, dead workers, a stopped ``kit run`` and the Dask executor
(in-process and on a real cluster of processes), with a tiny fixture notebook.

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
    assert index.count('<span class="failed">✗') == 3 and "ValueError" in index  # in plain words, with the error's name

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


def test_a_dead_worker_fails_only_the_job_it_was_running(tmp_path):
    data, out = tmp_path / "data", tmp_path / "run"
    data.mkdir()
    (data / ".kill-worker-once-003").write_text("", encoding="utf-8")
    stores = [f"{i:03d}" for i in range(1, 9)]
    results = run_batch(_jobs(data, out, stores), workers=2, progress=False, lang="en", retries=0)
    by_store = {r.store_id: r for r in results}
    assert by_store["003"].status == "failed" and by_store["003"].error["kind"] == "worker_died"
    assert by_store["003"].attempts == 1 and "SIGKILL" in by_store["003"].error["evalue"]
    others = [(r.status, r.attempts, r.error) for s, r in by_store.items() if s != "003"]
    assert others == [("ok", 1, None)] * 7  # resubmitted to a new worker or never touched: not worker_died
    m = _manifest(out)
    assert (m["status"], m["ok"], m["failed"]) == ("failed", 7, 1)
    assert [j["attempts"] for j in m["jobs"]] == [1] * 8


def _descendants(pid):
    import psutil

    return psutil.Process(pid).children(recursive=True)


def _alive(processes):
    import psutil

    alive = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def _wait_for(condition, timeout=60.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def _tree_state(folder):
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("signame, code", [("SIGTERM", 143), ("SIGINT", 130), ("SIGKILL", -9)])
def test_workers_and_kernels_end_with_kit_run_however_it_ends(small_chain_dir, tmp_path, signame, code):
    import signal
    import subprocess
    import sys
    import time

    pytest.importorskip("psutil")
    data, out = tmp_path / "data", tmp_path / "run"
    data.mkdir()
    (data / "stores.csv").write_bytes((small_chain_dir / "stores.csv").read_bytes())  # stores 001-003
    for store in ("001", "002"):
        (data / f".slow-{store}").write_text("", encoding="utf-8")
    argv = [sys.executable, "-m", "kit", "run", "--notebooks", str(FAULTS), "--stores", "all", "--data", str(data)]
    argv += ["--out", str(out), "--lang", "en", "--workers", "2", "--no-progress", "--no-deliverables"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:

        def running():
            assert proc.poll() is None, proc.communicate()
            kernels = [p for p in _descendants(proc.pid) if "ipykernel" in " ".join(p.cmdline())]
            return len(kernels) == 2 and all((out / s / "faults.ipynb").exists() for s in ("001", "002"))

        _wait_for(running)
        time.sleep(1.0)  # both slow cells are running
        family = _descendants(proc.pid)
        assert len(family) >= 4  # two workers, two kernels
        proc.send_signal(getattr(signal, signame))
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code, err
    _wait_for(lambda: not _alive(family), timeout=10)
    state = _tree_state(out)
    time.sleep(1.5)
    assert _tree_state(out) == state  # nothing writes into the run folder any more
    assert not (out / "001" / "faults.html").exists()
    if signame != "SIGKILL":
        assert "Traceback" not in err and "--resume" in err
        m = _manifest(out)
        assert m["status"] == "interrupted" and not m["complete"]
        assert [j["status"] for j in m["jobs"]] == ["pending"] * 3


# --------------------------------------------------------------------------------------------
# A real Dask cluster: a scheduler and two workers, each a process of its own
# --------------------------------------------------------------------------------------------


def _dask_command():
    import shutil
    import sys

    return shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """``dask scheduler --port 0`` and two ``dask worker --nthreads 1`` on localhost, in a temp dir."""
    import subprocess
    import time

    dask = _dask_command()
    if dask is None:
        pytest.skip("the dask command is not installed")
    folder = tmp_path_factory.mktemp("dask")
    info = folder / "scheduler.json"
    log = (folder / "cluster.log").open("w")
    common = dict(cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    scheduler = subprocess.Popen(
        [
            dask,
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--dashboard-address",
            ":0",
            "--scheduler-file",
            str(info),
        ],
        **common,
    )
    processes = [scheduler]
    try:
        _wait_for(lambda: info.exists() and info.stat().st_size > 0, timeout=60)
        address = json.loads(info.read_text(encoding="utf-8"))["address"]
        for name in ("w1", "w2"):
            argv = [dask, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard"]
            argv += ["--name", name, "--local-directory", str(folder / name), "--host", "127.0.0.1"]
            processes.append(subprocess.Popen(argv, **common))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address, processes
    finally:
        for p in reversed(processes):
            p.terminate()
        deadline = time.monotonic() + 20
        for p in reversed(processes):
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        log.close()


def _kit_run(argv, **kwargs):
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "kit", "run", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )


@pytest.mark.slow
def test_kit_run_on_a_real_dask_cluster(dask_cluster, small_chain_dir, tmp_path):
    import shutil

    address, _ = dask_cluster
    data, out = tmp_path / "data", tmp_path / "run"
    shutil.copytree(small_chain_dir, data)
    argv = ["--notebooks", str(FAULTS), "--stores", "001,002", "--data", str(data), "--out", str(out)]
    argv += ["--period", "2026-01-01..2026-03-31", "--lang", "en", "--no-pdf", "--no-progress"]
    proc = _kit_run([*argv, "--executor", "dask", "--scheduler", address])
    printed, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, err
    assert "2 / 2 ok" in printed and "Traceback" not in err

    m = _manifest(out)
    assert (m["status"], m["executor"], m["ok"], m["failed"], m["complete"]) == ("ok", "dask", 2, 0, True)
    assert [(j["store_id"], j["status"], j["attempts"]) for j in m["jobs"]] == [("001", "ok", 1), ("002", "ok", 1)]
    assert m["deliverables"]["status"] == "ok" and (out / "kpis.xlsx").exists()
    for store in ("001", "002"):
        assert f"done {store} 3" in (out / store / "faults.ipynb").read_text(encoding="utf-8")
        assert f"done {store} 3" in (out / store / "faults.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "001/faults.html" in index and "002/faults.html" in index


@pytest.mark.slow
def test_a_dask_job_of_a_killed_kit_run_stops_and_writes_nothing(dask_cluster, small_chain_dir, tmp_path):
    import signal
    import time

    psutil = pytest.importorskip("psutil")
    address, processes = dask_cluster
    data, out = tmp_path / "data", tmp_path / "run"
    data.mkdir()
    (data / "stores.csv").write_bytes((small_chain_dir / "stores.csv").read_bytes())
    (data / ".slow-001").write_text("", encoding="utf-8")
    argv = ["--notebooks", str(FAULTS), "--stores", "001", "--data", str(data), "--out", str(out)]
    proc = _kit_run(
        [*argv, "--lang", "en", "--no-deliverables", "--no-progress", "--executor", "dask"] + ["--scheduler", address]
    )

    def kernels():
        assert proc.poll() is None, proc.communicate()
        found = []
        for worker in processes[1:]:
            found += [
                p for p in psutil.Process(worker.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())
            ]
        return found if (out / "001" / "faults.ipynb").exists() else []

    _wait_for(kernels, timeout=120)
    time.sleep(1.5)  # the slow cell runs
    running = kernels()
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    _wait_for(lambda: not _alive(running), timeout=20)  # the client is gone: the job killed its kernel ...
    state = _tree_state(out)
    time.sleep(1.5)
    assert _tree_state(out) == state  # ... and writes nothing more
    assert not (out / "001" / "faults.html").exists()
    assert all(p.poll() is None for p in processes)  # the cluster itself goes on
