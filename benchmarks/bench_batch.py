"""Benchmark of ``kit run``: notebooks 03 and 04 for every store of a 50-store sample chain.

Prints, all measured in the same run on this machine:

* the batch engine's total wall time and each notebook's time (mean per report and summed);
* a naive sequential loop of ``papermill`` command-line calls for the same reports (with
  ``--naive-sample K`` only K calls are timed and the total is extrapolated -- said so);
* the floor: starting a bare kernel that imports pandas and matplotlib, once per report,
  divided by the cores;
* the ratios naive / batch and batch / floor, and whether the reports are identical (cell
  outputs of the batch's notebooks against the naive run's, for every store the naive loop ran).

It asserts nothing; machine load is printed because the figures depend on it.

Usage::

    .venv/bin/python benchmarks/bench_batch.py [--stores 50] [--naive-sample 6] [--workers N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOTEBOOKS = ("03_complaint_audit", "04_satisfaction_loyalty")
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))


def _outputs(path: Path) -> list:
    """The code cells' sources, execution counts and outputs (what a reader of the report sees)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["source"], c.get("execution_count"), c.get("outputs")) for c in nb["cells"] if c["cell_type"] == "code"]


def time_batch(data: Path, out: Path, stores: list[str], workers: int, fresh: bool = False) -> tuple[float, list]:
    from kit.run.batch import run_batch
    from kit.run.jobs import plan_jobs

    jobs = [j for nb in NOTEBOOKS for j in plan_jobs(nb, stores, period=PERIOD, data_dir=data, lang="zh", out_dir=out)]
    started = time.perf_counter()
    results = run_batch(jobs, workers=workers, progress=False, lang="zh", fresh=fresh)
    return time.perf_counter() - started, results


def time_naive(data: Path, out: Path, stores: list[str]) -> list[tuple[str, str, float]]:
    """One ``papermill`` command per report, one after the other (string parameters with ``-r``)."""
    papermill = Path(sys.executable).parent / "papermill"
    runs = []
    for nb in NOTEBOOKS:
        for store in stores:
            target = out / store / f"{nb}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            cmd = [
                str(papermill),
                str(ROOT / "notebooks" / f"{nb}.ipynb"),
                str(target),
                "-k",
                "python3",
                "--cwd",
                str(ROOT / "notebooks"),
                "-r",
                "store_id",
                store,
                "-r",
                "period_start",
                PERIOD[0].isoformat(),
                "-r",
                "period_end",
                PERIOD[1].isoformat(),
                "-r",
                "data_dir",
                str(data.resolve()),
                "-r",
                "lang",
                "zh",
                "-r",
                "workspace",
                "",
            ]
            started = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            runs.append((nb, store, time.perf_counter() - started))
    return runs


def time_bare_kernel(samples: int) -> float:
    """Mean seconds to start a kernel, import pandas and matplotlib in it, and shut it down."""
    from jupyter_client.manager import start_new_kernel

    times = []
    for _ in range(samples):
        started = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3")
        try:
            reply = kc.execute_interactive("import pandas, matplotlib.pyplot", timeout=120)
            assert reply["content"]["status"] == "ok"
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - started)
    return sum(times) / len(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=50, help="stores in the sample chain (default 50)")
    parser.add_argument("--months", type=int, default=12, help="months of data (default 12)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="batch workers (default: cores)")
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=0,
        help="time only K papermill calls per notebook and extrapolate (default: all)",
    )
    parser.add_argument(
        "--kernel-samples", type=int, default=4, help="bare kernel starts timed for the floor (default 4)"
    )
    parser.add_argument("--fresh", action="store_true", help="also time the batch with a fresh kernel per report")
    parser.add_argument("--keep", help="keep the chain and the run folders here")
    args = parser.parse_args(argv)

    from kit.intake.sample import write_chain

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-batch-"))
    data = work / "chain"
    write_chain(data, stores=args.stores, months=args.months, seed=7)
    import pandas as pd

    stores = pd.read_csv(data / "stores.csv", dtype=str)["store_id"].tolist()
    n_reports = len(stores) * len(NOTEBOOKS)
    cores = os.cpu_count() or 1
    print(f"chain: {len(stores)} stores × {args.months} months; {n_reports} reports ({', '.join(NOTEBOOKS)})")
    print(f"machine: {cores} cores, load average before {os.getloadavg()[0]:.2f}; batch workers {args.workers}")

    wall, results = time_batch(data, work / "batch", stores, args.workers)
    failed = [r for r in results if r.status != "ok"]
    print(
        f"\nbatch (reused kernels): {wall:.1f} s total, {wall / n_reports:.2f} s per report"
        f" ({len(results) - len(failed)} ok, {len(failed)} failed)"
    )
    for nb in NOTEBOOKS:
        mine = [r.duration_s for r in results if r.notebook == nb]
        print(
            f"  {nb}: {sum(mine):.1f} s summed over {len(mine)} reports, {sum(mine) / len(mine):.2f} s per report in a worker"
        )
    if args.fresh:
        fresh_wall, _ = time_batch(data, work / "batch-fresh", stores, args.workers, fresh=True)
        print(f"batch (fresh kernel per report): {fresh_wall:.1f} s total, {fresh_wall / n_reports:.2f} s per report")

    sample = stores[: args.naive_sample] if args.naive_sample else stores
    runs = time_naive(data, work / "naive", sample)
    naive_measured = sum(s for _, _, s in runs)
    per_nb = {nb: [s for n, _, s in runs if n == nb] for nb in NOTEBOOKS}
    naive_total = sum(sum(v) / len(v) * len(stores) for v in per_nb.values())
    label = (
        "measured"
        if len(sample) == len(stores)
        else f"extrapolated from {len(runs)} timed calls ({len(sample)} stores per notebook)"
    )
    print(f"\nnaive loop of papermill CLI calls: {naive_total:.1f} s ({label}; timed {naive_measured:.1f} s)")
    for nb, v in per_nb.items():
        print(f"  {nb}: {sum(v) / len(v):.2f} s per call")

    bare = time_bare_kernel(args.kernel_samples)
    floor = bare * n_reports / cores
    print(
        f"\nfloor: bare kernel start + import pandas, matplotlib = {bare:.2f} s (mean of {args.kernel_samples}),"
        f" × {n_reports} reports / {cores} cores = {floor:.1f} s"
    )

    same, compared = 0, 0
    for nb in NOTEBOOKS:
        for store in sample:
            compared += 1
            same += _outputs(work / "batch" / store / f"{nb}.ipynb") == _outputs(work / "naive" / store / f"{nb}.ipynb")
    print(f"\nreports identical to the naive run's: {same} of {compared} compared (cell outputs and execution counts)")
    print(f"speed-up over the naive loop: {naive_total / wall:.1f}×  (goal ≥ 5×)")
    print(f"batch / floor: {wall / floor:.2f}×  (goal ≤ 1.3×)")
    print(f"load average after {os.getloadavg()[0]:.2f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
