"""Running notebooks for many stores: jobs and parameters, kernels kept warm, local and Dask
executors, resume fingerprints, HTML and PDF export.  Knows no metric: it imports only
``kit.core``, and the run folder's deliverables are handed in by the caller.

Every public name of the subpackage's modules can be imported from here (``from kit.run import
CHAIN``); the module holding it is imported on first use, so ``import kit.run`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "CHAIN": "jobs",
    "CHAIN_ID": "html",
    "CHROMIUM_NAMES": "pdf",
    "ChainParams": "params",
    "DEFAULT_PAGE": "html",
    "ExecOptions": "kernels",
    "Executor": "executors",
    "Fingerprinter": "resume",
    "Finish": "batch",
    "Job": "jobs",
    "JobResult": "jobs",
    "KERNEL_NAME": "kernels",
    "Kernel": "kernels",
    "LoyaltyParams": "params",
    "NOTEBOOK_MODELS": "params",
    "NOTEBOOK_SCOPES": "params",
    "PRINT_TIMEOUT_S": "pdf",
    "ReportParams": "params",
    "ResetError": "kernels",
    "Runner": "kernels",
    "START_TIMEOUT": "kernels",
    "WorkshopParams": "params",
    "between_jobs": "warm",
    "check_run_options": "batch",
    "deliverables_failed": "batch",
    "execute_job": "kernels",
    "executor_names": "executors",
    "export_html": "html",
    "external_refs": "html",
    "failure_text": "html",
    "find_chromium": "pdf",
    "fingerprint_of": "resume",
    "get_executor": "executors",
    "html_to_pdf": "pdf",
    "index_html": "html",
    "is_up_to_date": "resume",
    "job_title": "kernels",
    "kill_kernels": "kernels",
    "kit_signature": "resume",
    "make_offline": "html",
    "neutralise_html": "html",
    "notebook_imports": "kernels",
    "notebook_scope": "params",
    "notebooks_dir": "jobs",
    "page_title": "html",
    "params_model": "params",
    "parse_period": "jobs",
    "pdf_is_current": "pdf",
    "period_label": "html",
    "plan_jobs": "jobs",
    "previous_entries": "resume",
    "register_executor": "executors",
    "report_cells": "html",
    "report_title": "html",
    "resolve_notebook": "jobs",
    "run_batch": "batch",
    "run_dask": "executors",
    "run_job": "batch",
    "run_local": "executors",
    "select_stores": "jobs",
    "shutdown_runners": "kernels",
    "snapshot": "warm",
    "validate_params": "params",
    "warm_up": "warm",
    "worker_died_result": "kernels",
    "workspace_files": "resume",
    "write_index": "html",
    "write_manifest": "batch",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
