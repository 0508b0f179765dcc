"""Running notebooks for many stores: parameters checked first, parallel workers, a manifest.

``kit run --notebooks 00,03,04 --stores all --period 2026-01-01..2026-12-31`` plans the jobs by
each notebook's scope (:func:`kit.run.jobs.plan_jobs`), then :func:`run_batch` runs them in
parallel with an executor from the registry of :mod:`kit.run.executors` (a process pool with one
reused kernel per worker, or a Dask cluster), each with an optional time limit and a retry when
its kernel dies.  A failing job never stops the others: ``manifest.json`` and ``index.html``
record which failed, in which cell and why, and the run's exit code is 1.

Each job carries a fingerprint of its inputs (:mod:`kit.run.resume`); with ``resume=True`` a job
whose previous result is ``ok`` with the same fingerprint (and the same files) is not run again.

The options are checked before anything runs (:func:`check_run_options`).  A run that is
interrupted (Ctrl-C, an exception, a SIGTERM that ``kit run`` turns into an exception) stops its
workers and kernels and leaves a manifest with ``status: interrupted`` that ``--resume`` can use.
The manifest's ``status`` is ``ok`` only when every job and the deliverables succeeded.

The runner knows no metric.  What a run folder gets after the jobs -- for the kit, the Excel
workbook, the playbook pages, the standards card and the PDFs of :func:`kit.chain.deliverables.finish_run`
-- is handed in by the caller as ``finish(out_dir, rows, lang=lang) -> dict``; what it returns (or the
error it raised) is stored in the manifest under ``deliverables``, and ``status: failed`` there
fails the run (:func:`deliverables_failed`).

Examples
--------
>>> check_run_options(timeout=60, workers=2, retries=1)
>>> check_run_options(timeout=-5)
Traceback (most recent call last):
...
kit.core.errors.ParameterError: --timeout must be a number of seconds above 0, got -5 — column: timeout. What to do: e.g. --timeout 900, or leave it out for no limit
"""

from __future__ import annotations

import math
import os
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from kit import __version__
from kit.core.errors import ParameterError, RunError
from kit.core.files import write_json
from kit.core.i18n import t
from kit.run.executors import get_executor
from kit.run.jobs import Job, JobResult
from kit.run.kernels import ExecOptions, Runner, notebook_imports

__all__ = ["Finish", "check_run_options", "deliverables_failed", "run_batch", "run_job", "write_manifest"]

#: What runs after the jobs: ``finish(out_dir, rows, lang=lang)`` with the manifest rows of every job;
#: it returns what the manifest keeps under ``deliverables`` (``status: failed`` marks a failure).
Finish = Callable[[Path, list[dict[str, Any]], str], dict[str, Any]]


def check_run_options(*, timeout: float | None = None, workers: int | None = None, retries: int = 1) -> None:
    """Raise a :class:`ParameterError` for an option no run can have (checked before anything runs).

    ``timeout`` must be above 0 seconds (or ``None``: no limit), ``workers`` at least 1 (or
    ``None``: one per core), ``retries`` 0 or more.
    """
    if timeout is not None and not (isinstance(timeout, int | float) and math.isfinite(timeout) and timeout > 0):
        raise ParameterError.from_key("batch.error.bad_timeout", column="timeout", value=_shown(timeout))
    if workers is not None and not (isinstance(workers, int) and workers >= 1):
        raise ParameterError.from_key("batch.error.bad_workers", column="workers", value=_shown(workers))
    if not (isinstance(retries, int) and retries >= 0):
        raise ParameterError.from_key("batch.error.bad_retries", column="retries", value=_shown(retries))


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def run_job(job: Job, *, timeout: float | None = None, retries: int = 1) -> JobResult:
    """Execute one job in a new kernel in this process and export its HTML; never raises."""
    runner = Runner(ExecOptions(timeout=timeout, retries=retries, fresh=True))
    try:
        return runner.execute(job)
    finally:
        runner.close()


def _reused(job: Job, entry: dict[str, Any]) -> JobResult:
    return JobResult(
        store_id=job.store_id,
        notebook=job.notebook.stem,
        status="ok",
        duration_s=entry.get("duration_s", 0.0),
        output=entry.get("output"),
        html=entry.get("html"),
        attempts=0,
        scope=job.scope,
        fingerprint=job.fingerprint,
        reused=True,
        folder=job.output.parent.name,
    )


def _own_files(job: Job, entry: dict[str, Any]) -> bool:
    """True when a previous manifest entry names this job's own files (never a path elsewhere)."""
    output = job.output.relative_to(job.out_dir).as_posix()
    return entry.get("output") == output and entry.get("html") == output[: -len(".ipynb")] + ".html"


def run_batch(
    jobs: list[Job],
    *,
    workers: int | None = None,
    progress: bool = True,
    lang: str = "zh",
    timeout: float | None = None,
    retries: int = 1,
    resume: bool = False,
    executor: str = "local",
    scheduler: Any = None,
    fresh: bool = False,
    cache: bool = True,
    finish: Finish | None = None,
) -> list[JobResult]:
    """Run ``jobs``; write ``manifest.json`` and ``index.html`` in their common ``out_dir``.

    Parameters
    ----------
    jobs : from :func:`kit.run.jobs.plan_jobs` (all with the same ``out_dir``)
    workers : parallel worker processes of the local executor (default: the machine's cores)
    progress : show a progress bar
    lang : language of the index page
    timeout : seconds a whole notebook may run (above 0); it is then stopped and recorded as ``timeout``
    retries : extra attempts for a job whose kernel or worker process died (0 or more)
    resume : keep the previous result of jobs that succeeded with the same fingerprint
    executor : a name of :func:`kit.run.executors.executor_names`: ``"local"`` (process pool) or
        ``"dask"`` (with ``scheduler``: address or Client)
    fresh : one new kernel per job instead of a reused kernel per worker
    cache : share the loaded chain and chain-wide model fits between jobs of a reused kernel
    finish : what runs after the jobs (see :data:`Finish`); ``None`` for nothing

    Returns
    -------
    list of JobResult
        In job order.

    Raises
    ------
    ParameterError
        An impossible option (see :func:`check_run_options`), before anything runs.
    """
    from tqdm.auto import tqdm

    from kit.run.resume import Fingerprinter, is_up_to_date, previous_entries

    check_run_options(timeout=timeout, workers=workers, retries=retries)
    if not jobs:
        raise RunError.from_key("batch.nothing_to_run")
    run_jobs = get_executor(executor)
    started_at, clock = datetime.now().isoformat(timespec="seconds"), time.perf_counter()
    out_dir = jobs[0].out_dir
    manifest_path = out_dir / "manifest.json"
    fingerprint = Fingerprinter()
    jobs = [replace(job, fingerprint=fingerprint(job.notebook, job.parameters)) for job in jobs]
    previous = previous_entries(manifest_path) if resume else {}
    results: dict[int, JobResult] = {}
    for i, job in enumerate(jobs):
        entry = previous.get((job.notebook.stem, job.store_id))
        if entry and _own_files(job, entry) and is_up_to_date(entry, job.fingerprint, out_dir):
            results[i] = _reused(job, entry)
    todo = [i for i in range(len(jobs)) if i not in results]
    workers = max(1, min(workers or os.cpu_count() or 1, max(len(todo), 1)))
    options = ExecOptions(
        timeout=timeout,
        retries=retries,
        fresh=fresh,
        cache=cache,
        modules=tuple(notebook_imports({jobs[i].notebook for i in todo})),
    )
    info = {
        "kit_version": __version__,
        "started": started_at,
        "executor": executor,
        "workers": workers if executor == "local" else None,
        "timeout_s": timeout,
        "retries": retries,
        "resume": resume,
        "kernels": "fresh" if fresh else "reused",
    }

    def snapshot(final: bool = False, status: str | None = None) -> None:
        done = [
            results.get(i)
            or JobResult(
                j.store_id,
                j.notebook.stem,
                "pending",
                0.0,
                attempts=0,
                scope=j.scope,
                fingerprint=j.fingerprint,
                folder=j.output.parent.name,
            )
            for i, j in enumerate(jobs)
        ]
        write_manifest(
            done, manifest_path, **info, wall_s=round(time.perf_counter() - clock, 2), complete=final, status=status
        )

    if todo:
        stream = run_jobs([jobs[i] for i in todo], options, workers=workers, scheduler=scheduler)
        last_write = time.perf_counter()
        try:
            with tqdm(
                total=len(jobs),
                initial=len(jobs) - len(todo),
                unit="nb",
                disable=not progress,
                desc=t("batch.progress", lang),
            ) as bar:
                for k, result in stream:
                    results[todo[k]] = result
                    bar.update(1)
                    if time.perf_counter() - last_write > 2.0:  # an interrupted run can still be resumed
                        snapshot()
                        last_write = time.perf_counter()
        except BaseException:
            _close(stream)  # stop the workers and their kernels now, then record what is done
            snapshot(status="interrupted")
            raise
        _close(stream)
    ordered = [results[i] for i in range(len(jobs))]
    rows = [asdict(r) for r in ordered]
    info["deliverables"] = _finish(finish, out_dir, rows, lang) if finish is not None else None
    snapshot(final=True)
    from kit.run.html import write_index

    write_index(rows, out_dir / "index.html", lang, deliverables=info["deliverables"])
    return ordered


def _close(stream: Any) -> None:
    """Close an executor's stream (a generator stops its workers); plain iterators have nothing to close."""
    close = getattr(stream, "close", None)
    if close is not None:
        close()


def _finish(finish: Finish, out_dir: Path, rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Call ``finish``; an exception is recorded as ``status: failed``, never raised."""
    try:
        done = finish(out_dir, rows, lang=lang)
    except Exception as exc:
        return {
            "status": "failed",
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(limit=8)[-4000:],
        }
    return done if isinstance(done, dict) else {"status": "ok", "result": done}


def deliverables_failed(manifest: dict[str, Any]) -> bool:
    """True when the manifest records a failed deliverables step."""
    d = manifest.get("deliverables")
    return isinstance(d, dict) and d.get("status") == "failed"


def write_manifest(results: list[JobResult], path: Path, *, status: str | None = None, **info: Any) -> Path:
    """``manifest.json``: the run's ``status``, totals, run information and one entry per job.

    ``status`` is ``ok`` when every job and the deliverables (``info["deliverables"]``)
    succeeded, ``failed`` otherwise, ``running`` while jobs are pending, or the ``status``
    given (``interrupted``).  Each entry holds the original store id, the job's folder, the
    status, duration, attempts, output files, the fingerprint used by ``--resume`` and, for a
    failed job, the kind of failure, the failing cell (index in the executed notebook) and the message.
    """
    failed = sum(r.status == "failed" for r in results)
    ok = sum(r.status == "ok" for r in results)
    if status is None:
        if ok + failed < len(results):
            status = "running"
        else:
            status = "failed" if failed or deliverables_failed(info) else "ok"
    return write_json(
        path,
        {
            "status": status,
            "total": len(results),
            "ok": ok,
            "failed": failed,
            "reused": sum(r.reused for r in results),
            **info,
            "jobs": [asdict(r) for r in results],
        },
    )
