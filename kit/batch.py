"""Running notebooks for many stores: parameters checked first, parallel workers, a manifest.

``kit run --notebooks 00,03,04 --stores all --period 2026-01-01..2026-12-31`` plans the jobs by
each notebook's scope (:data:`kit.params.NOTEBOOK_SCOPES`): a *store* notebook gives one job per
selected store, written to ``<out>/<store>/<notebook>.ipynb``; a *chain* or *workshop* notebook
gives one job for the whole chain, written to ``<out>/chain/<notebook>.ipynb``.  Every job's
parameters are validated *before* anything runs (store ids stay text, dates parse, the language
is known).  The jobs then run in parallel (:mod:`kit.executors`: a process pool with one reused
kernel per worker, or a Dask cluster), each with an optional time limit and a retry when its
kernel dies.  A failing job never stops the others: ``manifest.json`` and ``index.html`` record
which failed, in which cell and why, and the run's exit code is 1.

Each job carries a fingerprint of its inputs (:mod:`kit.resume`); with ``resume=True`` a job
whose previous result is ``ok`` with the same fingerprint is not run again.  After the jobs,
:func:`kit.deliverables.finish_run` writes the Excel workbook and PDFs; what it returns (or the
error it raised) is stored in the manifest under ``deliverables``.

Examples
--------
>>> import pandas as pd
>>> stores = pd.DataFrame({"store_id": ["001", "002", "003"], "region": ["华东", "华北", "华东"]})
>>> select_stores(stores, "region=华东")
['001', '003']
>>> select_stores(stores, "002, 001")
['002', '001']
"""

from __future__ import annotations

import inspect
import os
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit import __version__
from kit.errors import ParameterError, RunError
from kit.executors import KERNEL_NAME, ExecOptions, Runner, notebook_imports, run_dask, run_local
from kit.files import write_json
from kit.i18n import t
from kit.params import notebook_scope, params_model, validate_params

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["KERNEL_NAME", "Job", "JobResult", "parse_period", "plan_jobs", "resolve_notebook", "run_batch",
           "run_job", "select_stores", "write_manifest"]

#: Folder (and ``store_id`` in results) of the jobs that cover the whole chain.
CHAIN = "chain"


def notebooks_dir() -> Path:
    """The ``notebooks/`` folder of the project (next to the ``kit`` package)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def resolve_notebook(name: str, folder: Path | None = None) -> Path:
    """Find a notebook by name (``03_complaint_audit``), number (``03``) or path."""
    folder = folder or notebooks_dir()
    candidates = [Path(name), folder / name, folder / f"{name}.ipynb"]
    if not Path(name).is_absolute() and "/" not in name:
        candidates += sorted(folder.glob(f"{name}_*.ipynb"))
    for path in candidates:
        if path.suffix == ".ipynb" and path.is_file():
            return path.resolve()
    known = ", ".join(p.stem for p in sorted(folder.glob("[0-9][0-9]_*.ipynb")))
    raise RunError(f"找不到笔记本 {name}", f"notebook {name} not found", file=str(folder),
                   hint_zh=f"可用的笔记本：{known}", hint_en=f"available notebooks: {known}")


def parse_period(text: str) -> tuple[date, date]:
    """Parse ``YYYY-MM-DD..YYYY-MM-DD`` into two dates."""
    try:
        start, end = (date.fromisoformat(part.strip()) for part in text.split(".."))
    except ValueError:
        raise ParameterError(f"统计期格式不对：{text!r}", f"the period {text!r} is not valid", column="period",
                             hint_zh="写成 2026-01-01..2026-12-31", hint_en="write it as 2026-01-01..2026-12-31") from None
    if end < start:
        raise ParameterError("统计期结束早于开始", "the period ends before it starts", column="period",
                             hint_zh="交换两个日期", hint_en="swap the two dates")
    return start, end


def select_stores(stores: "pd.DataFrame", spec: str) -> list[str]:
    """Store ids chosen by ``all``, a comma list (``001,007``) or ``column=value`` (``region=华东``)."""
    spec = spec.strip()
    ids = stores["store_id"].astype(str)
    if spec == "all":
        chosen = ids.tolist()
    elif "=" in spec:
        col, value = (s.strip() for s in spec.split("=", 1))
        if col not in stores.columns:
            raise ParameterError(f"门店文件没有列 {col}", f"the stores file has no column {col}", column=col,
                                 hint_zh=f"可用列：{', '.join(stores.columns)}", hint_en=f"columns: {', '.join(stores.columns)}")
        chosen = ids[stores[col].astype(str) == value].tolist()
    else:
        chosen = [s.strip() for s in spec.split(",") if s.strip()]
        unknown = [s for s in chosen if s not in set(ids)]
        if unknown:
            raise ParameterError(f"门店文件中没有这些门店：{', '.join(unknown)}", f"unknown store ids: {', '.join(unknown)}",
                                 column="stores", hint_zh="门店编号要与门店文件一致，例如 001",
                                 hint_en="use the ids of the stores file, e.g. 001")
    if not chosen:
        raise RunError(f"没有选中任何门店：{spec}", f"no store matches {spec!r}", column="stores",
                       hint_zh="检查 --stores 参数", hint_en="check the --stores option")
    return chosen


@dataclass(frozen=True)
class Job:
    """One notebook run: for one store, or for the whole chain (``store_id == "chain"``)."""

    notebook: Path
    store_id: str
    parameters: dict[str, Any]
    out_dir: Path
    scope: str = "store"
    fingerprint: str = ""

    @property
    def output(self) -> Path:
        return self.out_dir / self.store_id / f"{self.notebook.stem}.ipynb"


@dataclass
class JobResult:
    """What happened to one job; the manifest is a list of these.

    ``error`` (failed jobs) holds ``kind`` (``error``, ``timeout``, ``kernel_died``,
    ``worker_died``, ``export``), ``ename``, ``evalue`` and, when known, the failing ``cell``
    (index in the executed notebook), its ``execution_count`` and a ``source`` excerpt.
    ``reused`` is true when ``--resume`` kept the previous run's result.
    """

    store_id: str
    notebook: str
    status: str
    duration_s: float
    output: str | None = None
    html: str | None = None
    error: dict[str, Any] | None = field(default=None)
    attempts: int = 1
    scope: str = "store"
    fingerprint: str = ""
    reused: bool = False


def plan_jobs(notebook: str, store_ids: list[str], *, period: tuple[date, date], data_dir: Path, lang: str,
              out_dir: Path, workspace: str = "", extra: dict[str, Any] | None = None) -> list[Job]:
    """The validated :class:`Job` list of one notebook (raises before anything runs if a parameter is bad).

    A ``store`` notebook gives one job per id in ``store_ids``; a ``chain`` or ``workshop``
    notebook one job for the chain (``store_ids`` is then ignored).

    Examples
    --------
    >>> from datetime import date
    >>> jobs = plan_jobs("03", ["001", "002"], period=(date(2026, 1, 1), date(2026, 3, 31)),
    ...                  data_dir=".", lang="en", out_dir="run")
    >>> [(j.store_id, j.output.parent.name, j.parameters["store_id"]) for j in jobs]
    [('001', '001', '001'), ('002', '002', '002')]
    """
    path = resolve_notebook(notebook)
    scope = notebook_scope(path.stem)
    model = params_model(path.stem)
    common = dict(period_start=period[0].isoformat(), period_end=period[1].isoformat(),
                  data_dir=str(Path(data_dir).resolve()), lang=lang,
                  workspace=str(Path(workspace).expanduser().resolve()) if workspace else "")
    if scope == "store":
        runs = [(store_id, dict(store_id=store_id, **common)) for store_id in store_ids]
    elif scope == "workshop":
        runs = [(CHAIN, dict(store_id="", **common))]
    else:
        runs = [(CHAIN, dict(common))]
    jobs = []
    for store_id, values in runs:
        values.update(extra or {})
        validate_params(model, **values)
        jobs.append(Job(notebook=path, store_id=store_id, parameters=values, out_dir=Path(out_dir).resolve(), scope=scope))
    return jobs


def run_job(job: Job, *, timeout: float | None = None, retries: int = 1) -> JobResult:
    """Execute one job in a new kernel in this process and export its HTML; never raises."""
    runner = Runner(ExecOptions(timeout=timeout, retries=retries, fresh=True))
    try:
        return runner.execute(job)
    finally:
        runner.close()


def _reused(job: Job, entry: dict[str, Any]) -> JobResult:
    return JobResult(store_id=job.store_id, notebook=job.notebook.stem, status="ok", duration_s=entry.get("duration_s", 0.0),
                     output=entry.get("output"), html=entry.get("html"), attempts=0, scope=job.scope,
                     fingerprint=job.fingerprint, reused=True)


def run_batch(jobs: list[Job], *, workers: int | None = None, progress: bool = True, lang: str = "zh",
              timeout: float | None = None, retries: int = 1, resume: bool = False, executor: str = "local",
              scheduler: Any = None, fresh: bool = False, cache: bool = True,
              deliver: dict[str, Any] | None = None) -> list[JobResult]:
    """Run ``jobs``; write ``manifest.json`` and ``index.html`` in their common ``out_dir``.

    Parameters
    ----------
    jobs : from :func:`plan_jobs` (all with the same ``out_dir``)
    workers : parallel worker processes of the local executor (default: the machine's cores)
    progress : show a progress bar
    lang : language of the index page
    timeout : seconds a whole notebook may run; it is then stopped and recorded as ``timeout``
    retries : extra attempts for a job whose kernel or worker process died
    resume : keep the previous result of jobs that succeeded with the same fingerprint
    executor : ``"local"`` (process pool) or ``"dask"`` (with ``scheduler``: address or Client)
    fresh : one new kernel per job instead of a reused kernel per worker
    cache : share the loaded chain and chain-wide model fits between jobs of a reused kernel
    deliver : keyword arguments of :func:`kit.deliverables.finish_run` (``data_dir``, ``period``,
        ``workspace``, ``pdf``); ``None`` skips the deliverables step

    Returns
    -------
    list of JobResult
        In job order.
    """
    from tqdm.auto import tqdm

    from kit.resume import Fingerprinter, is_up_to_date, previous_entries

    if not jobs:
        raise RunError(t("batch.nothing_to_run", "zh"), t("batch.nothing_to_run", "en"),
                       hint_zh=t("batch.nothing_to_run_hint", "zh"), hint_en=t("batch.nothing_to_run_hint", "en"))
    started_at, clock = datetime.now().isoformat(timespec="seconds"), time.perf_counter()
    out_dir = jobs[0].out_dir
    manifest_path = out_dir / "manifest.json"
    fingerprint = Fingerprinter()
    jobs = [replace(job, fingerprint=fingerprint(job.notebook, job.parameters)) for job in jobs]
    previous = previous_entries(manifest_path) if resume else {}
    results: dict[int, JobResult] = {}
    for i, job in enumerate(jobs):
        entry = previous.get((job.notebook.stem, job.store_id))
        if entry and is_up_to_date(entry, job.fingerprint, out_dir):
            results[i] = _reused(job, entry)
    todo = [i for i in range(len(jobs)) if i not in results]
    workers = max(1, min(workers or os.cpu_count() or 1, max(len(todo), 1)))
    options = ExecOptions(timeout=timeout, retries=retries, fresh=fresh, cache=cache,
                          modules=tuple(notebook_imports({jobs[i].notebook for i in todo})))
    info = {"kit_version": __version__, "started": started_at, "executor": executor,
            "workers": workers if executor == "local" else None, "timeout_s": timeout, "retries": retries,
            "resume": resume, "kernels": "fresh" if fresh else "reused"}

    def snapshot(final: bool = False) -> None:
        done = [results.get(i) or JobResult(j.store_id, j.notebook.stem, "pending", 0.0, scope=j.scope, fingerprint=j.fingerprint)
                for i, j in enumerate(jobs)]
        write_manifest(done, manifest_path, **info, wall_s=round(time.perf_counter() - clock, 2), complete=final)

    if todo:
        sub = [jobs[i] for i in todo]
        if executor == "dask":
            stream = run_dask(sub, options, scheduler)
        elif executor == "local":
            stream = run_local(sub, options, workers)
        else:
            raise ParameterError(f"未知的执行方式 {executor}", f"unknown executor {executor!r}", column="executor",
                                 hint_zh="用 local 或 dask", hint_en="use local or dask")
        last_write = time.perf_counter()
        with tqdm(total=len(jobs), initial=len(jobs) - len(todo), unit="nb", disable=not progress,
                  desc=t("batch.progress", lang)) as bar:
            for k, result in stream:
                results[todo[k]] = result
                bar.update(1)
                if time.perf_counter() - last_write > 2.0:  # an interrupted run can still be resumed
                    snapshot()
                    last_write = time.perf_counter()
    ordered = [results[i] for i in range(len(jobs))]
    rows = [asdict(r) for r in ordered]
    info["deliverables"] = _deliver(out_dir, rows, lang, deliver) if deliver is not None else None
    snapshot(final=True)
    _write_index(rows, out_dir / "index.html", lang, info["deliverables"])
    return ordered


def _deliver(out_dir: Path, rows: list[dict[str, Any]], lang: str, deliver: dict[str, Any]) -> dict[str, Any]:
    """Call :func:`kit.deliverables.finish_run`; an exception is recorded, never raised."""
    try:
        from kit.deliverables import finish_run
    except ModuleNotFoundError as exc:
        if exc.name != "kit.deliverables":
            raise
        return {"status": "skipped", "error": "kit.deliverables is not installed"}
    try:
        return finish_run(out_dir, rows, lang=lang, **deliver)
    except Exception as exc:  # noqa: BLE001 - the manifest must survive a failing deliverable
        return {"status": "failed", "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(limit=8)[-4000:]}


def _write_index(rows: list[dict[str, Any]], path: Path, lang: str, deliverables: dict[str, Any] | None) -> None:
    from kit.report import write_index

    if deliverables is not None and "deliverables" in inspect.signature(write_index).parameters:
        write_index(rows, path, lang, deliverables=deliverables)
    else:
        write_index(rows, path, lang)


def deliverables_failed(manifest: dict[str, Any]) -> bool:
    """True when the manifest records a failed deliverables step."""
    d = manifest.get("deliverables")
    return isinstance(d, dict) and d.get("status") == "failed"


def write_manifest(results: list[JobResult], path: Path, **info: Any) -> Path:
    """``manifest.json``: totals, run information and one entry per job.

    Each entry holds the status, duration, attempts, output files, the fingerprint used by
    ``--resume`` and, for a failed job, the kind of failure, the failing cell and the message.
    """
    failed = sum(r.status == "failed" for r in results)
    ok = sum(r.status == "ok" for r in results)
    return write_json(path, {"total": len(results), "ok": ok, "failed": failed,
                             "reused": sum(r.reused for r in results), **info,
                             "jobs": [asdict(r) for r in results]})
