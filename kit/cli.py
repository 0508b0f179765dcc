"""The ``kit`` command line (also ``python -m kit``).

Sub-commands::

    kit sample   --stores 12 --months 12 --seed 7 --out data/sample
    kit run      --notebooks 00,03,04 --stores all --period 2026-01-01..2026-12-31 [--resume] [--timeout S]
                 [--retries N] [--workers N] [--executor dask --scheduler tcp://HOST:PORT] [--no-pdf]
    kit validate FILE --kind complaints [--mapping m.yaml] [--lang zh|en]
    kit workspace new NAME
    kit workshop WORKSPACE [--lang zh|en] [--port N] [--data DIR]

Problems a user can fix are printed as one message (no traceback) and the exit code says what
happened: 0 clean, 1 ran but something failed or was rejected (a report, or a deliverable such as
the workbook), 2 input unusable -- including an option no run can have (``--timeout -5``,
``--workers 0``, ``--retries -1``, an unknown notebook, ``--stores`` that selects no store), found
before anything runs.  ``kit run`` stopped by Ctrl-C exits 130, by SIGTERM 143 (SIGHUP 129), after
stopping its workers and kernels and writing what is done to the manifest.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path

from kit import __version__
from kit.core.errors import EXIT_PARTIAL, EXIT_UNUSABLE, KitError
from kit.core.i18n import t
from kit.intake.sample import SAMPLE_MONTHS, SAMPLE_START
from kit.intake.validate import add_parser as add_validate
from kit.workshop.serve import add_workshop_parser


def _lang_default() -> str:
    lang = os.environ.get("KIT_LANG", "zh")
    return lang if lang in ("zh", "en") else "zh"


def _cmd_sample(args: argparse.Namespace) -> int:
    from kit.intake.sample import write_chain

    paths = write_chain(args.out, stores=args.stores, months=args.months, seed=args.seed, start=args.start)
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0


class _Signalled(BaseException):
    """A SIGTERM or SIGHUP received by ``kit run``: unwinds like Ctrl-C, so workers and kernels are stopped."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_signalled(signum: int, _frame: object) -> None:
    raise _Signalled(signum)


@contextlib.contextmanager
def _stoppable():
    """While ``kit run`` runs: SIGTERM and SIGHUP raise :class:`_Signalled` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.signal(getattr(signal, n), _raise_signalled) for n in names}
    try:
        yield
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


def _cmd_run(args: argparse.Namespace) -> int:
    with _stoppable():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    import json

    from kit.core.errors import ParameterError
    from kit.intake.load import chain_stores
    from kit.run.batch import check_run_options, deliverables_failed, run_batch
    from kit.run.jobs import parse_period, plan_jobs, select_stores

    lang = args.lang
    if args.executor == "dask" and not args.scheduler:
        raise ParameterError.from_key("batch.scheduler_missing", column="scheduler")
    check_run_options(timeout=args.timeout, workers=args.workers, retries=args.retries)
    period = parse_period(args.period)
    data_dir = Path(args.data)
    stores = chain_stores(data_dir)
    store_ids = select_stores(stores, args.stores)
    name_col = f"store_name_{lang}"
    store_names = dict(zip(stores["store_id"], stores[name_col])) if name_col in stores.columns else {}
    names = [n.strip() for n in (args.notebooks or args.notebook).split(",") if n.strip()]
    out = Path(args.out or f"reports/{period[0]:%Y%m%d}-{period[1]:%Y%m%d}")
    settings = _settings(args.set)
    jobs = [
        job
        for name in names
        for job in plan_jobs(
            name,
            store_ids,
            period=period,
            data_dir=data_dir,
            lang=lang,
            out_dir=out,
            workspace=args.workspace,
            settings=settings,
            names=store_names,
        )
    ]
    unused = sorted(set(settings) - {k for job in jobs for k in job.parameters})
    if unused:
        raise ParameterError.from_key("batch.params.error.unknown_setting", column="set", names=", ".join(unused))
    finish = None
    if not args.no_deliverables:
        from kit.chain.deliverables import finish_run

        finish = functools.partial(
            finish_run,
            data_dir=data_dir.resolve(),
            period=period,
            workspace=jobs[0].parameters.get("workspace", ""),
            pdf=not args.no_pdf,
        )
    scheduler = args.scheduler
    if args.executor == "dask":
        scheduler = _dask_client(args.scheduler)
    try:
        results = run_batch(
            jobs,
            workers=args.workers,
            progress=not args.no_progress,
            lang=lang,
            timeout=args.timeout,
            retries=args.retries,
            resume=args.resume,
            executor=args.executor,
            scheduler=scheduler,
            fresh=args.fresh_kernels,
            finish=finish,
        )
    finally:
        if args.executor == "dask":
            scheduler.close()
    failed = [r for r in results if r.status != "ok"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    print(
        t(
            "batch.summary_deliverables_failed" if deliverables_failed(manifest) else "batch.summary",
            lang,
            ok=len(results) - len(failed),
            total=len(results),
            reused=sum(r.reused for r in results),
            index=out.resolve() / "index.html",
        )
    )
    for r in failed:
        err = r.error or {}
        print(
            t(
                "batch.failed_line",
                lang,
                store=r.store_id,
                notebook=r.notebook,
                cell=err.get("cell", "?"),
                ename=err.get("ename"),
                evalue=err.get("evalue"),
            )
        )
    if deliverables_failed(manifest):
        print(t("batch.deliverables_failed", lang, error=manifest["deliverables"].get("error")))
    return EXIT_PARTIAL if failed or deliverables_failed(manifest) else 0


def _settings(pairs: list[str] | None) -> dict[str, str]:
    """``["margin=0.35", ...]`` (``kit run --set``) as a dict; a pair without ``=`` is a ParameterError."""
    from kit.core.errors import ParameterError

    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ParameterError.from_key("batch.params.error.bad_setting", column="set", value=repr(pair))
        out[key.strip()] = value.strip()
    return out


def _dask_client(address: str):
    """A Dask client for ``address``; a clear message when the scheduler cannot be reached."""
    from distributed import Client

    from kit.core.errors import RunError

    try:
        return Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise RunError.from_key("batch.no_dask", scheduler=address, detail=str(exc)) from None


def _cmd_workspace_new(args: argparse.Namespace) -> int:
    from kit.workshop.workspace import create_workspace

    ws = create_workspace(Path(args.root), args.name, overwrite=args.overwrite)
    print(ws.path)
    for path in sorted(ws.path.glob("*.yaml")):
        print(f"  {path.name}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kit", description="Customer-service quality kit: sample data, validation and per-store reports."
    )
    parser.add_argument("--version", action="version", version=f"kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="write the deterministic synthetic sample chain")
    p.add_argument("--stores", type=int, default=12, help="number of stores (default 12)")
    p.add_argument("--months", type=int, default=SAMPLE_MONTHS, help=f"number of months (default {SAMPLE_MONTHS})")
    p.add_argument("--seed", type=int, default=7, help="random seed; same seed, same files (default 7)")
    p.add_argument(
        "--start", type=date.fromisoformat, default=SAMPLE_START, help=f"first day, YYYY-MM-DD (default {SAMPLE_START})"
    )
    p.add_argument("--out", default="data/sample", help="output folder (default data/sample)")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("run", help="run notebooks for every selected store (and the chain) with papermill, in parallel")
    p.add_argument(
        "--notebook", default="03_complaint_audit", help="notebook name or number (default 03_complaint_audit)"
    )
    p.add_argument("--notebooks", help="several notebooks, comma-separated (e.g. 00,03,04); chain notebooks run once")
    p.add_argument("--stores", default="all", help="all | 001,007 | region=华东 (default all)")
    p.add_argument("--period", default="2026-01-01..2026-12-31", help="YYYY-MM-DD..YYYY-MM-DD")
    p.add_argument("--data", default="data/sample", help="data folder (default data/sample)")
    p.add_argument("--workspace", default="", help="client workspace folder (optional)")
    p.add_argument(
        "--lang", choices=["zh", "en"], default=_lang_default(), help="report language (default zh, or $KIT_LANG)"
    )
    p.add_argument("--out", help="run folder (default reports/<start>-<end>)")
    p.add_argument("--workers", type=int, help="parallel workers (default: number of cores)")
    p.add_argument(
        "--timeout", type=float, help="seconds one notebook may run before it is stopped (default: no limit)"
    )
    p.add_argument("--retries", type=int, default=1, help="extra attempts when a kernel or worker dies (default 1)")
    p.add_argument(
        "--resume",
        action="store_true",
        help="keep reports that are up to date with their inputs; re-run failed or changed ones",
    )
    p.add_argument(
        "--executor", choices=["local", "dask"], default="local", help="local process pool (default) or a Dask cluster"
    )
    p.add_argument("--scheduler", help="Dask scheduler address, tcp://HOST:PORT (with --executor dask)")
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="one new kernel per report instead of a reused one per worker (slower)",
    )
    p.add_argument("--no-pdf", action="store_true", help="do not make PDFs of the reports")
    p.add_argument("--no-deliverables", action="store_true", help="skip the Excel workbook and PDFs")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="a notebook setting for every report that has it, e.g. --set margin=0.35 (repeatable)",
    )
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("workspace", help="client workspaces (customer types, standards)")
    wsub = p.add_subparsers(dest="workspace_command", required=True)
    w = wsub.add_parser("new", help="create workspaces/NAME with the seed defaults")
    w.add_argument("name", help="workspace name, e.g. the client's name")
    w.add_argument("--root", default="workspaces", help="parent folder (default workspaces)")
    w.add_argument("--overwrite", action="store_true", help="replace an existing workspace's files")
    w.set_defaults(func=_cmd_workspace_new)

    add_validate(sub)
    add_workshop_parser(sub, _lang_default())
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kit`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", None) or _lang_default()
    lang = lang if lang in ("zh", "en") else "en"
    try:
        return int(args.func(args) or 0)
    except KitError as err:
        print(err.message(lang), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(t("batch.interrupted" if args.func is _cmd_run else "batch.interrupted_other", lang), file=sys.stderr)
        return 130
    except _Signalled as stop:
        print(t("batch.stopped", lang, signal=signal.Signals(stop.signum).name), file=sys.stderr)
        return 128 + stop.signum
    except OSError as err:  # a folder not writable, a disk full, a file locked by Excel, ...
        where = f" — {err.filename}" if getattr(err, "filename", None) else ""
        print(t("batch.os_error", lang, error=err.strerror or err, where=where), file=sys.stderr)
        return EXIT_UNUSABLE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
