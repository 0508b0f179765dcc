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
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kit.core.errors import ParameterError
from kit.run.kernels import ExecOptions, execute_job, shutdown_runners, worker_died_result

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
# A worker: keeps a kernel, runs jobs one after another
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Runners per worker (process or thread) and the entry point the executors call
# --------------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------------
# Many jobs
# --------------------------------------------------------------------------------------------


@register_executor("local")
def run_local(jobs: list[Job], options: ExecOptions, *, workers: int = 1, **_: Any) -> Iterator[tuple[int, JobResult]]:
    """Run ``jobs`` in a pool of ``workers`` processes; yield ``(index, result)`` as they finish.

    A worker process that dies (killed, out of memory) breaks the pool: the jobs it and the
    others were running are submitted again to a new pool, up to ``options.retries`` times each.
    """
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pending = list(range(len(jobs)))
    tries = dict.fromkeys(pending, 0)
    while pending:
        with ProcessPoolExecutor(max_workers=max(1, min(workers, len(pending)))) as pool:
            futures = {pool.submit(execute_job, jobs[i], options): i for i in pending}
            pending = []
            waiting = set(futures)
            while waiting:
                done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in done:
                    i = futures[future]
                    try:
                        result = future.result()
                        result.attempts += tries[i]  # earlier attempts lost with a dead worker
                        yield i, result
                    except BrokenProcessPool as exc:
                        tries[i] += 1
                        if tries[i] <= options.retries:
                            pending.append(i)
                        else:
                            yield i, worker_died_result(jobs[i], exc, tries[i])
                    except Exception as exc:
                        yield i, worker_died_result(jobs[i], exc, tries[i] + 1)


@register_executor("dask")
def run_dask(
    jobs: list[Job], options: ExecOptions, *, scheduler: Any = None, **_: Any
) -> Iterator[tuple[int, JobResult]]:
    """Run ``jobs`` on a Dask distributed cluster; yield ``(index, result)`` as they finish.

    ``scheduler`` is the scheduler's address (``tcp://HOST:PORT``) or a ``distributed.Client``.
    Every worker needs the kit installed and the data, workspace and run folders at the same
    paths (a shared file system).  Each worker thread keeps one warm kernel; they are shut
    down when the run ends.  Dask itself re-runs a task whose worker died (up to its
    ``distributed.scheduler.allowed-failures``); after that the job is recorded as ``worker_died``.
    """
    import uuid

    from distributed import Client, as_completed

    own = not isinstance(scheduler, Client)
    client = Client(scheduler, set_as_default=False) if own else scheduler
    run_id = uuid.uuid4().hex[:8]
    try:
        futures = {
            client.submit(
                execute_job, job, options, key=f"kit-{run_id}-{i}-{job.store_id}-{job.notebook.stem}", pure=False
            ): i
            for i, job in enumerate(jobs)
        }
        for future in as_completed(futures):
            i = futures[future]
            try:
                yield i, future.result()
            except Exception as exc:
                yield i, worker_died_result(jobs[i], exc, 1)
        with contextlib.suppress(Exception):
            client.run(shutdown_runners)
    finally:
        if own:
            client.close()
