"""Running notebooks for many stores: parameters checked first, parallel workers, a manifest.

``kit run --notebook 03_complaint_audit --stores all --period 2026-01-01..2026-12-31`` plans one
job per (notebook, store), validates every job's parameters *before* anything runs (store ids stay
text, dates parse, the language is known), then executes the jobs with papermill's Python API in
a pool of worker processes (processes, not threads: papermill changes the working directory).
Each job writes ``<out>/<store>/<notebook>.ipynb`` and ``.html``.  A failing store never stops
the others: its manifest entry records the failing cell and the error message, and the run's
exit code is 1.

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

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from kit.errors import ParameterError, RunError
from kit.files import write_json
from kit.params import ReportParams, validate_params
from kit.report import export_html, write_index

#: Kernel every notebook is executed with (explicit, never the notebook's own metadata).
KERNEL_NAME = "python3"


def notebooks_dir() -> Path:
    """The ``notebooks/`` folder of the project (next to the ``kit`` package)."""
    return Path(__file__).resolve().parent.parent / "notebooks"


def resolve_notebook(name: str, folder: Path | None = None) -> Path:
    """Find a notebook by name (``03_complaint_audit``), number (``03``) or path."""
    folder = folder or notebooks_dir()
    candidates = [Path(name), folder / name, folder / f"{name}.ipynb"]
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


def select_stores(stores: pd.DataFrame, spec: str) -> list[str]:
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
    """One notebook run for one store."""

    notebook: Path
    store_id: str
    parameters: dict[str, Any]
    out_dir: Path

    @property
    def output(self) -> Path:
        return self.out_dir / self.store_id / f"{self.notebook.stem}.ipynb"


@dataclass
class JobResult:
    """What happened to one job; the manifest is a list of these."""

    store_id: str
    notebook: str
    status: str
    duration_s: float
    output: str | None = None
    html: str | None = None
    error: dict[str, Any] | None = field(default=None)


def plan_jobs(notebook: str, store_ids: list[str], *, period: tuple[date, date], data_dir: Path, lang: str,
              out_dir: Path, workspace: str = "", extra: dict[str, Any] | None = None) -> list[Job]:
    """One validated :class:`Job` per store (raises before anything runs if a parameter is bad)."""
    path = resolve_notebook(notebook)
    jobs = []
    for store_id in store_ids:
        values = dict(store_id=store_id, period_start=period[0].isoformat(), period_end=period[1].isoformat(),
                      data_dir=str(Path(data_dir).resolve()), lang=lang, workspace=workspace, **(extra or {}))
        validate_params(ReportParams, **values)
        jobs.append(Job(notebook=path, store_id=store_id, parameters=values, out_dir=Path(out_dir).resolve()))
    return jobs


def _error_info(exc: BaseException) -> dict[str, Any]:
    """The failing cell and message of a papermill / nbclient failure, or the exception itself."""
    lines = str(exc).strip().splitlines()
    evalue = getattr(exc, "evalue", None) or (lines[-1] if lines else "")
    info: dict[str, Any] = {"ename": getattr(exc, "ename", None) or type(exc).__name__, "evalue": evalue}
    if getattr(exc, "cell_index", None) is not None:
        info["cell"] = int(exc.cell_index)
        info["source"] = str(getattr(exc, "source", ""))[:500]
    return info


def run_job(job: Job) -> JobResult:
    """Execute one job (in a worker process) and export its HTML; never raises."""
    import papermill

    started = time.perf_counter()
    job.output.parent.mkdir(parents=True, exist_ok=True)
    html = job.output.with_suffix(".html")
    error = None
    try:
        papermill.execute_notebook(
            str(job.notebook), str(job.output), parameters=job.parameters, kernel_name=KERNEL_NAME,
            cwd=str(job.notebook.parent), progress_bar=False, log_output=False,
        )
    except BaseException as exc:  # noqa: BLE001 - one store's failure must not stop the run
        error = _error_info(exc)
    try:
        if job.output.exists():
            export_html(job.output, html, lang=job.parameters.get("lang", "zh"), title=f"{job.store_id} {job.notebook.stem}")
    except Exception as exc:  # noqa: BLE001
        error = error or {"ename": type(exc).__name__, "evalue": f"HTML export failed: {exc}"}
    return JobResult(
        store_id=job.store_id, notebook=job.notebook.stem, status="failed" if error else "ok",
        duration_s=round(time.perf_counter() - started, 2),
        output=str(job.output.relative_to(job.out_dir)) if job.output.exists() else None,
        html=str(html.relative_to(job.out_dir)) if html.exists() else None, error=error,
    )


def run_batch(jobs: list[Job], *, workers: int | None = None, progress: bool = True, lang: str = "zh") -> list[JobResult]:
    """Run ``jobs`` in parallel worker processes; write ``manifest.json`` and ``index.html``.

    Returns the results in job order.  The run folder is the jobs' common ``out_dir``.
    """
    from tqdm.auto import tqdm

    if not jobs:
        raise RunError("没有要运行的任务", "nothing to run", hint_zh="检查 --stores", hint_en="check --stores")
    out_dir = jobs[0].out_dir
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    results: dict[int, JobResult] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool, tqdm(total=len(jobs), unit="store", disable=not progress,
                                                                  desc="stores") as bar:
        futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except BaseException as exc:  # noqa: BLE001 - a worker that died
                job = jobs[i]
                results[i] = JobResult(job.store_id, job.notebook.stem, "failed", 0.0, error=_error_info(exc))
            bar.update(1)
    ordered = [results[i] for i in range(len(jobs))]
    write_manifest(ordered, out_dir / "manifest.json")
    write_index([asdict(r) for r in ordered], out_dir / "index.html", lang)
    return ordered


def write_manifest(results: list[JobResult], path: Path) -> Path:
    """``manifest.json``: totals and one entry per job (status, duration, failing cell, message)."""
    failed = sum(r.status != "ok" for r in results)
    return write_json(path, {"total": len(results), "ok": len(results) - failed, "failed": failed,
                             "jobs": [asdict(r) for r in results]})
