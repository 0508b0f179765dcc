"""A worker's kernels: where a failure is recorded, and which kernels a shutdown may close."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import kit.run.kernels as kernels
from kit.run.kernels import ExecOptions, Runner, kill_kernels, shutdown_runners


def _saved(tmp_path, cells):
    path = tmp_path / "out.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return path


def test_the_failing_cell_is_its_index_in_the_saved_notebook(tmp_path):
    error = new_output("error", ename="ValueError", evalue="bad", traceback=[])
    exit_ok = new_output("error", ename="SystemExit", evalue="0", traceback=[])
    cells = [
        new_markdown_cell("An Exception was encountered"),  # papermill's banner
        new_code_cell("x = 1", execution_count=1),
        new_code_cell("raise SystemExit(0)", execution_count=2, outputs=[exit_ok]),  # not a failure
        new_markdown_cell('<span id="papermill-error-cell"></span>'),  # papermill's anchor
        new_code_cell("raise ValueError('bad')", execution_count=3, outputs=[error]),
        new_code_cell("never", execution_count=None),
    ]
    where = kernels._failing_cell(_saved(tmp_path, cells), "error")
    assert where == {"cell": 4, "execution_count": 3, "source": "raise ValueError('bad')"}


def test_a_stopped_notebook_names_the_last_cell_that_started(tmp_path):
    cells = [new_code_cell("a"), new_code_cell("time.sleep(600)"), new_code_cell("b")]
    for cell in cells[:2]:
        cell.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00"}
    path = _saved(tmp_path, cells)
    assert kernels._failing_cell(path, "timeout")["cell"] == 1
    assert kernels._failing_cell(tmp_path / "missing.ipynb", "timeout") == {}


def test_an_idle_only_shutdown_leaves_a_busy_runner_alone():
    busy, idle = Runner(ExecOptions()), Runner(ExecOptions())
    kernels._ALL.extend([busy, idle])
    try:
        with busy.lock:  # a job is running
            assert shutdown_runners(idle_only=True) == 1
            assert busy in kernels._ALL and idle not in kernels._ALL
        assert kill_kernels() == 0  # no kernel started
        assert shutdown_runners() == 1 and busy not in kernels._ALL
    finally:
        for runner in (busy, idle):
            if runner in kernels._ALL:
                kernels._ALL.remove(runner)
