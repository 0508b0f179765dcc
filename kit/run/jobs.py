"""Batch jobs: which notebook runs for which store with which parameters, and what came of it.

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kit.core.errors import ParameterError
from kit.core.paths import folder_names, inside, safe_name
from kit.run.params import notebook_scope, params_model, validate_params

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CHAIN",
    "Job",
    "JobResult",
    "notebooks_dir",
    "parse_period",
    "plan_jobs",
    "resolve_notebook",
    "select_stores",
]

#: Folder (and ``store_id`` in results) of the jobs that cover the whole chain.
CHAIN = "chain"


def notebooks_dir() -> Path:
    """The ``notebooks/`` folder of the project (next to the ``kit`` package)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


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
    raise ParameterError.from_key("batch.error.unknown_notebook", file=folder, name=name, known=known)


def parse_period(text: str) -> tuple[date, date]:
    """Parse ``YYYY-MM-DD..YYYY-MM-DD`` into two dates."""
    try:
        start, end = (date.fromisoformat(part.strip()) for part in text.split(".."))
    except ValueError:
        raise ParameterError.from_key("batch.error.bad_period", column="period", value=repr(text)) from None
    if end < start:
        raise ParameterError.from_key("batch.error.period_reversed", column="period")
    return start, end


def select_stores(stores: pd.DataFrame, spec: str) -> list[str]:
    """Store ids chosen by ``all``, a comma list (``001,007``) or ``column=value`` (``region=华东``).

    Each id once, in the order given; a choice that selects no store is a :class:`ParameterError`.
    """
    spec = spec.strip()
    ids = stores["store_id"].astype(str)
    if spec == "all":
        chosen = ids.tolist()
    elif "=" in spec:
        col, value = (s.strip() for s in spec.split("=", 1))
        if col not in stores.columns:
            raise ParameterError.from_key("batch.error.stores_no_column", column=col, known=", ".join(stores.columns))
        chosen = ids[stores[col].astype(str) == value].tolist()
    else:
        chosen = [s.strip() for s in spec.split(",") if s.strip()]
        unknown = [s for s in chosen if s not in set(ids)]
        if unknown:
            raise ParameterError.from_key("batch.error.unknown_stores", column="stores", ids=", ".join(unknown))
    chosen = list(dict.fromkeys(chosen))
    if not chosen:
        raise ParameterError.from_key("batch.error.no_store_selected", column="stores", spec=repr(spec))
    return chosen


@dataclass(frozen=True)
class Job:
    """One notebook run: for one store, or for the whole chain (``store_id == "chain"``).

    ``folder`` is the job's folder under ``out_dir``: the store id when it is a safe folder
    name, otherwise a slug with a hash of it (:func:`kit.core.paths.safe_name`); ``store_id``
    stays the id as the data has it.
    """

    notebook: Path
    store_id: str
    parameters: dict[str, Any]
    out_dir: Path
    scope: str = "store"
    fingerprint: str = ""
    folder: str = ""
    #: The store's name in the report's language (page titles); empty for the chain or when unknown.
    label: str = ""

    @property
    def output(self) -> Path:
        """``<out_dir>/<folder>/<notebook>.ipynb``."""
        return self.out_dir / (self.folder or safe_name(self.store_id)) / f"{self.notebook.stem}.ipynb"


@dataclass
class JobResult:
    """What happened to one job; the manifest is a list of these.

    ``error`` (failed jobs) holds ``kind`` (``error``, ``timeout``, ``kernel_died``,
    ``worker_died``, ``export``), ``ename``, ``evalue`` and, when known, the failing ``cell``
    (index in the executed notebook), its ``execution_count`` and a ``source`` excerpt.
    ``reused`` is true when ``--resume`` kept the previous run's result.  ``attempts`` counts
    the times the job started to run (0 when reused): a kernel or a worker process that died
    under it counts, a job that waited in a queue does not.  ``output`` and ``html`` are
    relative to the run folder, in the job's ``folder``.
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
    folder: str = ""


def plan_jobs(
    notebook: str,
    store_ids: list[str],
    *,
    period: tuple[date, date],
    data_dir: Path,
    lang: str,
    out_dir: Path,
    workspace: str = "",
    extra: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[Job]:
    """The validated :class:`Job` list of one notebook (raises before anything runs if a parameter is bad).

    A ``store`` notebook gives one job per id in ``store_ids``; a ``chain`` or ``workshop``
    notebook one job for the chain (``store_ids`` is then ignored).  Each job's folder is made
    safe (:func:`kit.core.paths.folder_names`) and its output checked to stay inside ``out_dir``
    before anything is written.  ``extra`` parameters must
    all be known to the notebook; ``settings`` (``kit run --set KEY=VALUE``) are applied where
    the notebook's parameter model has them (see :func:`kit.run.params.params_model`), typed by it.
    ``names`` (``{store_id: name}`` in the report's language) titles each store's pages.

    Examples
    --------
    >>> from datetime import date
    >>> jobs = plan_jobs("03", ["001", "002"], period=(date(2026, 1, 1), date(2026, 3, 31)),
    ...                  data_dir=".", lang="en", out_dir="run")
    >>> [(j.store_id, j.output.parent.name, j.parameters["store_id"]) for j in jobs]
    [('001', '001', '001'), ('002', '002', '002')]
    >>> job = plan_jobs("03", ["../x"], period=(date(2026, 1, 1), date(2026, 3, 31)), data_dir=".", lang="en",
    ...                 out_dir="run")[0]
    >>> job.store_id, job.output.parent.parent == Path("run").resolve(), job.folder.startswith("x-")
    ('../x', True, True)
    >>> plan_jobs("04", ["001"], period=(date(2026, 1, 1), date(2026, 3, 31)), data_dir=".", lang="en",
    ...           out_dir="run", settings={"margin": "0.35"})[0].parameters["margin"]
    0.35
    """
    path = resolve_notebook(notebook)
    scope = notebook_scope(path.stem)
    model = params_model(path.stem)
    common = dict(
        period_start=period[0].isoformat(),
        period_end=period[1].isoformat(),
        data_dir=str(Path(data_dir).resolve()),
        lang=lang,
        workspace=str(Path(workspace).expanduser().resolve()) if workspace else "",
    )
    out_dir = Path(out_dir).resolve()
    if scope == "store":
        store_ids = list(dict.fromkeys(store_ids))
        folders = folder_names(store_ids)
        runs = [(store_id, dict(store_id=store_id, **common)) for store_id in store_ids]
    elif scope == "workshop":
        folders, runs = {CHAIN: CHAIN}, [(CHAIN, dict(store_id="", **common))]
    else:
        folders, runs = {CHAIN: CHAIN}, [(CHAIN, dict(common))]
    own = {k: v for k, v in (settings or {}).items() if k in model.model_fields}
    jobs = []
    for store_id, values in runs:
        values.update(extra or {})
        values.update(own)
        checked = validate_params(model, **values)
        values.update({k: getattr(checked, k) for k in own})  # "0.35" from the command line -> 0.35
        job = Job(
            notebook=path,
            store_id=store_id,
            parameters=values,
            out_dir=out_dir,
            scope=scope,
            folder=folders[store_id],
            label=str((names or {}).get(store_id, "")) if scope == "store" else "",
        )
        inside(out_dir, job.output)
        jobs.append(job)
    return jobs
