"""One worker's kernel: papermill runs a job in a kept (warm) or fresh kernel; failures become results.

Examples
--------
>>> import json, tempfile, pathlib
>>> nb = pathlib.Path(tempfile.mkdtemp()) / "n.ipynb"
>>> _ = nb.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
...     "execution_count": None, "source": "import os, json\\nfrom kit import audit"}],
...     "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
>>> notebook_imports([nb])
['json', 'kit', 'kit.audit', 'os']
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import contextvars
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.core.errors import KitError
from kit.core.i18n import t
from kit.core.paths import inside
from kit.run.jobs import Job, JobResult

__all__ = [
    "ExecOptions",
    "KERNEL_NAME",
    "Kernel",
    "ResetError",
    "Runner",
    "START_TIMEOUT",
    "execute_job",
    "job_title",
    "kill_kernels",
    "notebook_imports",
    "shutdown_runners",
    "worker_died_result",
]


#: Kernel every notebook is executed with (explicit, never the notebook's own metadata).
KERNEL_NAME = "python3"


#: How long a kernel may take to start before the job fails.
START_TIMEOUT = 120


def job_title(job: Job) -> str:
    """The title of a job's page: store name, report name and period, e.g. ``上海徐汇店 · 投诉审计 · 2026``.

    The store is named by its name when known (else its id); a chain report by "whole chain".
    """
    from kit.run.html import page_title, period_label, report_title

    lang = job.parameters.get("lang", "zh")
    who = job.label or job.store_id if job.scope == "store" else t("report.index.chain", lang)
    period = period_label(job.parameters.get("period_start", ""), job.parameters.get("period_end", ""))
    return page_title(who, report_title(job.notebook, lang), period)


@dataclass(frozen=True)
class ExecOptions:
    """How jobs are executed.

    Parameters
    ----------
    timeout : seconds a whole notebook may run (``None``: no limit)
    retries : extra attempts when the kernel or the worker process dies
    fresh : one new kernel per job instead of a reused, reset kernel per worker
    cache : share pure, expensive results (loaded chain, CLV fits) between jobs of a warm kernel
    modules : modules a warm kernel imports once at start (see :func:`notebook_imports`)
    """

    timeout: float | None = None
    retries: int = 1
    fresh: bool = False
    cache: bool = True
    modules: tuple[str, ...] = ()
    kernel_name: str = KERNEL_NAME


def notebook_imports(paths: Iterable[Path]) -> list[str]:
    """Modules imported by the code cells of ``paths`` (``from kit import a`` gives ``kit.a`` too)."""
    found: set[str] = set()
    for path in paths:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", ""))
            try:
                tree = ast.parse(
                    "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
                )
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
                    found.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return sorted(found)


class Kernel:
    """A Jupyter kernel this worker started (an ``AsyncKernelManager`` driven synchronously)."""

    def __init__(self, kernel_name: str, cwd: Path) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name=kernel_name)
        run_sync(self.km.start_kernel)(cwd=str(cwd))
        self.jobs = 0
        #: The notebook client's connection, kept from job to job (opening one costs ~0.2 s).
        self.kc: Any = None

    @property
    def pid(self) -> int | None:
        process = getattr(self.km.provisioner, "process", None)
        return getattr(process, "pid", None)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:
            return False

    def kill(self) -> None:
        """Kill the kernel process at once (safe from another thread)."""
        pid = self.pid
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    def run(self, code: str, timeout: float = START_TIMEOUT, silent: bool = True) -> None:
        """Execute ``code`` (by default silently: no execution count, no history); raise if it fails."""
        from jupyter_client import BlockingKernelClient

        # parent=km: liveness is asked of the manager (the heartbeat of a kernel that is still
        # starting on a busy machine has not beaten yet, and would count as dead)
        kc = BlockingKernelClient(parent=self.km)
        kc.load_connection_info(self.km.get_connection_info())
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=timeout)
            reply = kc.execute_interactive(
                code, silent=silent, store_history=False, timeout=timeout, output_hook=lambda msg: None
            )
        finally:
            kc.stop_channels()
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def shutdown(self) -> None:
        from jupyter_core.utils import run_sync

        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            self.kill()


_ENGINE = "kit-kernel"


class ResetError(RuntimeError):
    """The kernel could not be put back in its fresh state before a job."""


def _register_engine() -> None:
    """A papermill engine that executes in a kernel we started (and leaves it running).

    Compared with papermill's own engine it (1) runs ``before`` -- :func:`kit.run.warm.between_jobs`
    -- silently in the kernel ahead of the first cell, on the same connection, and (2) saves the
    output notebook once at the end instead of after every cell (the per-cell saves re-encoded
    and re-validated the whole notebook, charts included, about 60 times per report).
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.exceptions import PapermillException

    try:
        papermill_engines.get_engine(_ENGINE)
        return
    except PapermillException:
        pass

    class KernelClient(PapermillNotebookClient):
        before = ""

        def papermill_execute_cells(self):
            if self.before:
                msg_id = self.kc.execute(self.before, silent=True, store_history=False)
                reply = self.wait_for_reply(msg_id)
                content = (reply or {}).get("content", {})
                if content.get("status") != "ok":
                    raise ResetError(f"{content.get('ename')}: {content.get('evalue')}")
            return super().papermill_execute_cells()

    class KernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            km=None,
            before="",
            kernel=None,
            stopped=None,
            **kwargs,
        ):
            import logging

            client = KernelClient(
                nb_man,
                km=km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.before = before
            if kernel is not None and kernel.kc is not None:
                client.kc = kernel.kc  # messages of earlier jobs are told apart by their parent id
            output_path, nb_man.output_path = nb_man.output_path, None  # no save per cell ...
            try:
                return client.execute()
            finally:
                if stopped is None or not stopped.is_set():  # a cancelled job writes nothing
                    nb_man.output_path = output_path  # ... one save when papermill completes the notebook
                if kernel is not None and client.kc is not None:
                    kernel.kc = client.kc  # kept open for the next job; closed with the kernel
                elif client.kc is not None:
                    client.kc.stop_channels()

    papermill_engines.register(_ENGINE, KernelEngine)


class Runner:
    """Runs jobs one at a time, keeping a warm kernel between them unless ``fresh``."""

    def __init__(self, options: ExecOptions) -> None:
        self.options = options
        self.kernel: Kernel | None = None
        #: Held while a job runs, so that :func:`shutdown_runners` can leave a busy runner alone.
        self.lock = threading.Lock()

    def _kernel_for(self, cwd: Path) -> Kernel:
        opts = self.options
        if self.kernel is not None and (opts.fresh or not self.kernel.alive()):
            self.close()
        if self.kernel is None:
            self.kernel = Kernel(opts.kernel_name, cwd)
            if not opts.fresh:
                self.kernel.run(
                    f"__import__('kit.run.warm', fromlist=['_']).warm_up({list(opts.modules)!r})", silent=False
                )
                self.kernel.run(f"__import__('kit.run.warm', fromlist=['_']).snapshot(cache={opts.cache!r})")
        return self.kernel

    def close(self) -> None:
        if self.kernel is not None:
            self.kernel.shutdown()
            self.kernel = None

    def execute(self, job: Job, *, attempts_before: int = 0, cancelled: Callable[[], bool] | None = None) -> JobResult:
        """Run ``job`` (retrying when the kernel dies) and export its HTML; never raises.

        ``attempts_before`` are attempts already spent on the job elsewhere (a worker process
        that died under it): they count against ``retries`` and in the result's ``attempts``.
        ``cancelled`` is polled while the notebook runs; once it returns true the kernel is
        killed and nothing more is written (the run that wanted the job has ended).
        """
        with self.lock:
            return self._execute(job, attempts_before, cancelled)

    def _execute(self, job: Job, attempts_before: int, cancelled: Callable[[], bool] | None) -> JobResult:
        started = time.perf_counter()
        html = job.output.with_suffix(".html")
        attempts = attempts_before
        error: dict[str, Any] | None = None
        try:
            for path in (job.output, html):
                inside(job.out_dir, path)
        except KitError as exc:
            error = {"kind": "error", "ename": type(exc).__name__, "evalue": exc.message("en")}
            return self._result(job, error, started, attempts_before + 1, html)
        last = max(attempts_before + 1, self.options.retries + 1)
        for attempts in range(attempts_before + 1, last + 1):  # noqa: B007 - the count is reported
            error = self._attempt(job, cancelled)
            if error is None or error["kind"] != "kernel_died":
                break
        if error is not None and error["kind"] == "cancelled":
            return self._result(job, error, started, attempts, html)
        html.unlink(missing_ok=True)
        if job.output.exists():
            try:
                if error:
                    where = _failing_cell(job.output, error["kind"])
                    if error["kind"] in ("timeout", "kernel_died"):
                        if "cell" in where:
                            where["cell"] += 1  # the note goes on top
                        _mark_stopped(
                            job.output, error["kind"], where.get("cell", "?"), job.parameters.get("lang", "zh")
                        )
                    error.update(where)
                from kit.run.html import export_html

                export_html(job.output, html, lang=job.parameters.get("lang", "zh"), title=job_title(job))
            except Exception as exc:
                error = error or {"kind": "export", "ename": type(exc).__name__, "evalue": f"HTML export failed: {exc}"}
        return self._result(job, error, started, attempts, html)

    def _result(self, job: Job, error: dict[str, Any] | None, started: float, attempts: int, html: Path) -> JobResult:
        from kit.run.jobs import JobResult

        return JobResult(
            store_id=job.store_id,
            notebook=job.notebook.stem,
            status="failed" if error else "ok",
            duration_s=round(time.perf_counter() - started, 2),
            attempts=attempts,
            output=_rel(job.output, job.out_dir),
            html=_rel(html, job.out_dir),
            error=error,
            scope=job.scope,
            fingerprint=job.fingerprint,
            folder=job.output.parent.name,
        )

    def _attempt(self, job: Job, cancelled: Callable[[], bool] | None = None) -> dict[str, Any] | None:
        import papermill

        _register_engine()
        job.output.parent.mkdir(parents=True, exist_ok=True)
        job.output.unlink(missing_ok=True)
        try:
            kernel = self._kernel_for(job.notebook.parent)
        except Exception as exc:
            self.close()
            return {"kind": "kernel_died", "ename": type(exc).__name__, "evalue": str(exc)[:500]}
        expired, stopped, finished = threading.Event(), threading.Event(), threading.Event()
        guard = None
        if self.options.timeout:

            def on_timeout() -> None:
                expired.set()
                kernel.kill()

            guard = threading.Timer(self.options.timeout, on_timeout)
            guard.daemon = True
            guard.start()
        if cancelled is not None:

            def watch() -> None:
                while not finished.wait(_CANCEL_POLL_S):
                    with contextlib.suppress(Exception):
                        if cancelled():
                            stopped.set()
                            kernel.kill()
                            return

            threading.Thread(target=watch, name="kit-cancel-watch", daemon=True).start()
        error = None
        try:
            papermill.execute_notebook(
                str(job.notebook),
                str(job.output),
                parameters=dict(job.parameters),
                kernel_name=self.options.kernel_name,
                engine_name=_ENGINE,
                km=kernel.km,
                kernel=None if self.options.fresh else kernel,
                stopped=stopped,
                progress_bar=False,
                before=""
                if self.options.fresh
                else f"__import__('kit.run.warm', fromlist=['_']).between_jobs({str(job.notebook.parent)!r})",
                log_output=False,
                start_timeout=START_TIMEOUT,
            )
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = _error_info(exc, job.output)
        finally:
            finished.set()
            if guard is not None:
                guard.cancel()
        if stopped.is_set():
            error = {"kind": "cancelled", "ename": "Cancelled", "evalue": t("batch.cancelled", "en")}
        elif expired.is_set():
            error = {
                **(error or {}),
                "kind": "timeout",
                "ename": "Timeout",
                "evalue": t("batch.timeout", "en", seconds=self.options.timeout),
            }
        if error is not None or self.options.fresh:
            self.close()  # never reuse a kernel that failed a job
        else:
            kernel.jobs += 1
        return error


#: Seconds between two looks at whether a running job is still wanted (see ``Runner.execute``).
_CANCEL_POLL_S = 0.5


def _rel(path: Path, root: Path) -> str | None:
    return str(path.relative_to(root)) if path.exists() else None


def _failing_cell(output: Path, kind: str) -> dict[str, Any]:
    """Where a job failed, in the saved notebook: ``cell`` (index in its ``cells``), count, source.

    Read from the executed notebook as saved -- after papermill injected its parameters cell
    and its error banner and anchor, and after :func:`_mark_stopped` put its note on top --
    so ``cells[cell]`` of that file is the cell that failed.  An exception (``kind`` ``error``):
    the first cell with an error output, as papermill finds it; a timeout or a dead kernel: the
    last cell that started running.  Empty when the file cannot be read or names no cell.
    """
    try:
        cells = json.loads(output.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return {}

    def has_error(cell: dict[str, Any]) -> bool:
        for out in cell.get("outputs") or []:
            if out.get("output_type") == "error" and not (
                out.get("ename") == "SystemExit" and str(out.get("evalue", "")) in ("", "0")
            ):
                return True
        return cell.get("metadata", {}).get("papermill", {}).get("exception") is True

    if kind == "error":
        found = [i for i, c in enumerate(cells) if c.get("cell_type") == "code" and has_error(c)][:1]
    else:
        found = [i for i, c in enumerate(cells) if c.get("metadata", {}).get("papermill", {}).get("start_time")][-1:]
    if not found:
        return {}
    cell = cells[found[0]]
    return {
        "cell": found[0],
        "execution_count": cell.get("execution_count"),
        "source": "".join(cell.get("source", ""))[:500],
    }


def _error_info(exc: BaseException, output: Path) -> dict[str, Any]:
    """What went wrong: kind, exception name and message (the cell is found later, in the saved file)."""
    lines = str(exc).strip().splitlines()
    evalue = getattr(exc, "evalue", None) or (lines[-1] if lines else "")
    name = type(exc).__name__
    kind = "kernel_died" if name in ("DeadKernelError", "ResetError") else "error"
    info: dict[str, Any] = {"kind": kind, "ename": getattr(exc, "ename", None) or name, "evalue": str(evalue)[:2000]}
    if getattr(exc, "cell_index", None) is not None:
        info["execution_count"] = getattr(exc, "exec_count", None)
        info["source"] = str(getattr(exc, "source", ""))[:500]
    elif kind == "kernel_died":
        info["evalue"] = t("batch.kernel_died", "en")
    return info


def _mark_stopped(output: Path, kind: str, cell: Any, lang: str) -> None:
    """Put a note at the top of a notebook that was stopped (timeout, dead kernel), as papermill does for errors.

    ``cell`` is the stopped cell's index in the notebook once the note is in.
    """
    import nbformat

    from kit.core.files import write_text

    nb = nbformat.read(str(output), as_version=4)
    key = "batch.note_timeout" if kind == "timeout" else "batch.note_kernel_died"
    text = t(key, lang if lang in ("zh", "en") else "en", cell=cell)
    note = nbformat.v4.new_markdown_cell(f'<span style="color:red">{text}</span>')
    note.metadata["tags"] = ["kit-stopped"]
    nb.cells.insert(0, note)
    write_text(output, nbformat.writes(nb))


_LOCAL = threading.local()


_ALL: list[Runner] = []


_ALL_LOCK = threading.Lock()


def _runner(options: ExecOptions) -> Runner:
    runner = getattr(_LOCAL, "runner", None)
    if runner is None or runner.options != options:
        if runner is not None:
            runner.close()
        runner = Runner(options)
        _LOCAL.runner = runner
        with _ALL_LOCK:
            if not _ALL:
                atexit.register(shutdown_runners)
                try:
                    from multiprocessing import util

                    util.Finalize(None, shutdown_runners, exitpriority=10)
                except Exception:
                    pass
            _ALL.append(runner)
    return runner


def shutdown_runners(idle_only: bool = False) -> int:
    """Shut down the kernels this process keeps (all threads); returns how many.

    With ``idle_only`` a runner in the middle of a job is left alone (on a Dask worker it may
    run a job of another run).
    """
    with _ALL_LOCK:
        runners = list(_ALL)
        closed = []
        for runner in runners:
            if runner.lock.acquire(blocking=not idle_only):
                closed.append(runner)
        for runner in closed:
            _ALL.remove(runner)
    for runner in closed:
        try:
            runner.close()
        finally:
            runner.lock.release()
    if getattr(_LOCAL, "runner", None) in closed:
        _LOCAL.runner = None
    return len(closed)


def kill_kernels() -> int:
    """Kill every kernel this process started, at once (safe in a signal handler); returns how many.

    For a worker that must end now -- its ``kit run`` is gone -- where a clean shutdown could
    wait on a busy kernel.
    """
    killed = 0
    for runner in list(_ALL):
        kernel = runner.kernel
        if kernel is not None:
            kernel.kill()
            killed += 1
    return killed


def execute_job(
    job: Job, options: ExecOptions, attempts_before: int = 0, cancelled: Callable[[], bool] | None = None
) -> JobResult:
    """Run one job in this worker's kernel (the function the executors send to workers).

    ``attempts_before`` and ``cancelled`` are passed on to :meth:`Runner.execute`.

    The job runs in a context of its own thread, kept from job to job.  jupyter_core keeps each
    thread's event loop in a context variable, and a Dask worker hands its threads a *copy* of
    the caller's context: without a context per thread, two threads of one worker would drive
    the same event loop ("This event loop is already running").
    """
    context = getattr(_LOCAL, "context", None)
    if context is None:
        context = _LOCAL.context = contextvars.Context()
    return context.run(lambda: _runner(options).execute(job, attempts_before=attempts_before, cancelled=cancelled))


def worker_died_result(job: Job, exc: BaseException | str, attempts: int) -> JobResult:
    """The result of a job whose worker process died under it ``attempts`` times (``exc``: what is known)."""
    from kit.run.jobs import JobResult

    return JobResult(
        store_id=job.store_id,
        notebook=job.notebook.stem,
        status="failed",
        duration_s=0.0,
        attempts=attempts,
        scope=job.scope,
        fingerprint=job.fingerprint,
        folder=job.output.parent.name,
        error={
            "kind": "worker_died",
            "ename": "WorkerDied" if isinstance(exc, str) else type(exc).__name__,
            "evalue": t("batch.worker_died", "en", detail=str(exc)[:300]),
        },
    )
