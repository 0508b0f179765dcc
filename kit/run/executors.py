"""Executing batch jobs: one job in a kernel, many jobs in a process pool or on a Dask cluster.

:func:`execute_job` runs one :class:`kit.run.jobs.Job` with papermill and exports its HTML.  It never
raises: every failure becomes a :class:`kit.run.jobs.JobResult` whose ``error`` says what happened
(``kind``: ``error`` for an exception in a cell, ``timeout``, ``kernel_died``, ``worker_died``,
``export``), in which cell (index in the executed notebook, execution count, source excerpt) and
why.  A kernel that dies is restarted and the job retried (``retries`` times); an exception in a
cell or a timeout is not retried -- running it again would fail the same way.

Each worker keeps one kernel and reuses it from job to job (see :mod:`kit.run.warm` for how the kernel
is put back in a fresh state in between); after any failed job the kernel is replaced.  With
``fresh=True`` every job gets its own kernel instead, as the ``papermill`` command would.

The timeout is a wall-clock guard on the whole notebook: when it expires, the kernel is killed,
the job is recorded as ``timeout`` and the worker starts a new kernel for the next job.

The local executor runs its own worker processes, each told one job at a time, so it always
knows which job a worker is running: a worker that dies (killed, out of memory) fails only that
job -- it is submitted again, up to ``retries`` times, and every other job goes on -- and
``attempts`` counts the times each job actually started.  The workers and their kernels end with
the run, however it ends: the workers are stopped when the executor is closed (a finished run,
an exception, Ctrl-C, a SIGTERM turned into one by ``kit run``), and a worker whose ``kit run``
died (``kill -9``) sees it -- ``prctl(PR_SET_PDEATHSIG)`` on Linux, a watchdog thread polling
its parent everywhere -- kills its kernel and exits; a kernel whose worker died exits by itself
(ipykernel's parent poller).  On Dask, jobs of a run that ended (cancelled futures, or a client
gone) kill their kernel and write nothing more.

Executors are found by name in a registry, as papermill finds its engines:
:func:`register_executor` adds one, :func:`get_executor` returns it.  Every executor is called as
``executor(jobs, options, *, workers, scheduler)`` and yields ``(job index, JobResult)`` as jobs
finish.  Two come with the kit: ``local`` (:func:`run_local`, a process pool on this machine, the
default) and ``dask`` (:func:`run_dask`, a Dask distributed cluster, ``kit run --executor dask
--scheduler tcp://HOST:PORT``).

Examples
--------
>>> {"local", "dask"} <= set(executor_names())
True
>>> get_executor("local") is run_local
True

"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kit.core.errors import ParameterError
from kit.run.kernels import ExecOptions, execute_job, kill_kernels, shutdown_runners, worker_died_result

if TYPE_CHECKING:
    from kit.run.jobs import Job, JobResult

__all__ = ["Executor", "executor_names", "get_executor", "register_executor", "run_dask", "run_local"]

#: ``executor(jobs, options, *, workers, scheduler)`` -> ``(index in jobs, JobResult)`` as they finish.
Executor = Callable[..., Iterator[tuple[int, "JobResult"]]]

_EXECUTORS: dict[str, Executor] = {}


def register_executor(name: str, executor: Executor | None = None) -> Any:
    """Register ``executor`` under ``name`` (usable as a decorator: ``@register_executor("name")``)."""

    def add(func: Executor) -> Executor:
        _EXECUTORS[name] = func
        return func

    return add(executor) if executor is not None else add


def get_executor(name: str) -> Executor:
    """The executor registered as ``name``; an unknown name is a :class:`ParameterError`."""
    try:
        return _EXECUTORS[name]
    except KeyError:
        raise ParameterError.from_key(
            "batch.error.unknown_executor", column="executor", name=repr(name), known=", ".join(sorted(_EXECUTORS))
        ) from None


def executor_names() -> list[str]:
    """The names of the registered executors."""
    return list(_EXECUTORS)


# --------------------------------------------------------------------------------------------
# A local worker process: one job at a time, ends with its parent
# --------------------------------------------------------------------------------------------

#: Seconds between two looks of a worker at whether its parent (``kit run``) is still there.
_PARENT_POLL_S = 0.5
#: Seconds a worker told to stop may take to shut its kernel down before it is terminated.
_STOP_WAIT_S = 10.0
_PR_SET_PDEATHSIG = 1


def _end_now(*_: Any) -> None:
    """Kill this worker's kernels and exit at once (the run is over)."""
    with contextlib.suppress(Exception):
        kill_kernels()
    os._exit(1)


def _tie_to_parent(parent: int) -> None:
    """Make this worker end when ``parent`` does, and leave Ctrl-C to the parent."""
    signal.signal(signal.SIGTERM, _end_now)
    signal.signal(signal.SIGINT, lambda *_: None)  # the parent stops the workers (and a handler is not inherited)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        _end_now()

    def watch() -> None:
        while True:
            time.sleep(_PARENT_POLL_S)
            if os.getppid() != parent:
                _end_now()

    threading.Thread(target=watch, name="kit-parent-watch", daemon=True).start()


def _serve(conn: Any, options: ExecOptions, parent: int) -> None:
    """A worker's loop: receive ``(index, job, attempts before)``, send ``(index, result)``; ``None`` stops."""
    _tie_to_parent(parent)
    try:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            if message is None:
                break
            k, job, before = message
            conn.send((k, execute_job(job, options, before)))
    finally:
        shutdown_runners()


def _serve_fd(fd: int, parent: int) -> None:
    """Entry point of a worker started by :class:`_Worker`: the options, then jobs, on socket ``fd``."""
    from multiprocessing.connection import Connection

    conn = Connection(fd)
    _serve(conn, conn.recv(), parent)


class _Worker:
    """The parent's handle on one worker process: its connection and the job it runs (or ``None``).

    On POSIX the worker is a new interpreter (``python -c``) talking over a socket pair: unlike
    ``multiprocessing``'s spawn it does not import the caller's main script again (a script
    calling :func:`kit.run.batch.run_batch` needs no ``if __name__ == "__main__"`` guard), and
    unlike fork it copies no threads of the caller.  Elsewhere it is a ``multiprocessing`` spawn.
    """

    def __init__(self, options: ExecOptions) -> None:
        self.job: int | None = None
        if os.name == "posix":
            self._start_posix(options)
        else:  # pragma: no cover - Windows
            import multiprocessing

            context = multiprocessing.get_context("spawn")
            self.conn, child = context.Pipe()
            self.process = context.Process(
                target=_serve, args=(child, options, os.getpid()), name="kit-worker", daemon=True
            )
            self.process.start()
            child.close()

    def _start_posix(self, options: ExecOptions) -> None:
        import socket
        import subprocess
        from multiprocessing.connection import Connection
        from pathlib import Path

        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the kit package
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        code = f"from kit.run import executors; executors._serve_fd({theirs.fileno()}, {os.getpid()})"
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code], pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL
            )
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send(options)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        if hasattr(self.process, "poll"):
            return self.process.poll() is None
        return self.process.is_alive()  # pragma: no cover - Windows

    def exitcode(self) -> int | None:
        if hasattr(self.process, "poll"):
            return self.process.poll()
        return self.process.exitcode  # pragma: no cover - Windows

    def send(self, k: int, job: Job, before: int) -> None:
        self.job = k
        self.conn.send((k, job, before))

    def stop(self) -> None:
        """Ask an idle worker to shut its kernel down and exit; terminate a busy one."""
        if not self.alive():
            return
        if self.job is None:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
                return
        self.process.terminate()

    def reap(self, deadline: float) -> None:
        """Wait for the worker to end until ``deadline``, then kill it."""
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.alive():
            self.process.kill()
        with contextlib.suppress(Exception):
            if hasattr(self.process, "wait"):
                self.process.wait(5)
            else:  # pragma: no cover - Windows
                self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()


def _exit_detail(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"exit code {code} ({signal.Signals(-code).name})"
    return f"exit code {code}"


# --------------------------------------------------------------------------------------------
# Many jobs
# --------------------------------------------------------------------------------------------


@register_executor("local")
def run_local(jobs: list[Job], options: ExecOptions, *, workers: int = 1, **_: Any) -> Iterator[tuple[int, JobResult]]:
    """Run ``jobs`` in ``workers`` processes of this machine; yield ``(index, result)`` as they finish.

    Each worker runs one job at a time in its kept kernel.  A worker that dies fails only the
    job it was running: that job is given to a new worker again, up to ``options.retries``
    times (the attempts spent count against the retries of a dead kernel too), then recorded
    as ``worker_died``.  The workers are stopped when the generator is closed or finishes.
    """
    from multiprocessing.connection import wait

    queue = deque(range(len(jobs)))
    died = dict.fromkeys(range(len(jobs)), 0)  # attempts lost with a dead worker, per job
    pool: list[_Worker] = []
    try:
        while queue or any(w.job is not None for w in pool):
            busy = sum(w.job is not None for w in pool)
            while len(pool) < min(max(1, workers), busy + len(queue)):
                pool.append(_Worker(options))
            for worker in pool:
                if worker.job is None and queue:
                    k = queue.popleft()
                    with contextlib.suppress(OSError):  # it died already: seen below
                        worker.send(k, jobs[k], died[k])
            ready = set(wait([w.conn for w in pool]))
            for worker in [w for w in pool if w.conn in ready]:
                try:
                    k, result = worker.conn.recv()
                except (EOFError, OSError):  # the connection closed: the worker died
                    pool.remove(worker)
                    worker.reap(time.monotonic() + 1.0)
                    k = worker.job
                    if k is None:
                        continue
                    died[k] += 1
                    if died[k] <= options.retries:
                        queue.appendleft(k)
                    else:
                        yield k, worker_died_result(jobs[k], _exit_detail(worker.exitcode()), died[k])
                else:
                    worker.job = None
                    yield k, result
    finally:
        for worker in pool:
            worker.stop()
        deadline = time.monotonic() + _STOP_WAIT_S
        for worker in pool:
            worker.reap(deadline)


def _abandon(run_id: str) -> None:
    """On a Dask worker: the run ``run_id`` ended; its running jobs kill their kernel and write nothing."""
    _ABANDONED.add(run_id)


_ABANDONED: set[str] = set()


def _dask_task(job: Job, options: ExecOptions, run_id: str, key: str) -> JobResult:
    """A job on a Dask worker: as :func:`execute_job`, stopped if the run ends or the task is cancelled."""
    worker = None
    with contextlib.suppress(Exception):
        from distributed import get_worker

        worker = get_worker()

    def cancelled() -> bool:
        if run_id in _ABANDONED:
            return True
        if worker is None:
            return False
        task = worker.state.tasks.get(key)
        return task is None or task.state in ("cancelled", "released", "forgotten")

    return execute_job(job, options, 0, cancelled)


def _suspicious(dask_scheduler: Any, keys: list[str]) -> dict[str, int]:
    """On the scheduler: how often each task was running on a worker that died."""
    return {k: getattr(dask_scheduler.tasks.get(k), "suspicious", 0) for k in keys}


@register_executor("dask")
def run_dask(
    jobs: list[Job], options: ExecOptions, *, scheduler: Any = None, **_: Any
) -> Iterator[tuple[int, JobResult]]:
    """Run ``jobs`` on a Dask distributed cluster; yield ``(index, result)`` as they finish.

    ``scheduler`` is the scheduler's address (``tcp://HOST:PORT``) or a ``distributed.Client``
    (default or not).  Every worker needs the kit installed and the data, workspace and run
    folders at the same paths (a shared file system).  Each worker thread keeps one warm
    kernel; the idle ones are shut down when the run ends.  Dask itself re-runs a task whose
    worker died (up to its ``distributed.scheduler.allowed-failures``); ``attempts`` adds the
    workers the scheduler saw die under the job, and after the last one the job is recorded
    as ``worker_died``.  When the run ends early (an exception, Ctrl-C, or its client is gone)
    its futures are cancelled, and the jobs still running kill their kernel and write nothing.
    """
    import uuid

    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    run_id = uuid.uuid4().hex[:8]
    futures: dict[Any, int] = {}
    finished = False
    try:
        for i, job in enumerate(jobs):
            key = f"kit-{run_id}-{i}-{job.output.parent.name}-{job.notebook.stem}"
            futures[client.submit(_dask_task, job, options, run_id, key, key=key, pure=False)] = i
        for future in as_completed(futures, loop=client.loop):  # not the default client's loop
            i = futures[future]
            lost = 0
            with contextlib.suppress(Exception):
                lost = client.run_on_scheduler(_suspicious, keys=[future.key]).get(future.key, 0)
            try:
                result = future.result()
            except Exception as exc:
                yield i, worker_died_result(jobs[i], exc, max(lost, 1))
            else:
                result.attempts += lost
                yield i, result
        finished = True
    finally:
        if not finished:
            with contextlib.suppress(Exception):
                client.cancel(list(futures), force=True)
            with contextlib.suppress(Exception):
                client.run(_abandon, run_id)
        with contextlib.suppress(Exception):
            client.run(shutdown_runners, idle_only=True)
        if own:
            client.close()
