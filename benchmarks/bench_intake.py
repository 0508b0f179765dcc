"""Benchmark the intake: load + validate big exports, against a bare pandas read of the same file.

Usage::

    python benchmarks/bench_intake.py [--rows 1000000] [--xlsx-rows 100000] [--keep DIR]

Builds (not timed) a complaints CSV of ``--rows`` rows by repeating the synthetic chain with new
ids, plus a complaints workbook of ``--xlsx-rows`` rows; then, each in a fresh process pinned to
at most 2 cores, measures wall time and peak resident memory of

* ``pandas.read_csv(path)`` (the baseline) and ``kit.intake.load.load_table("complaints", path, stores=...)``;
* ``pandas.read_excel(path)`` (baseline) and ``kit.intake.load.load_table`` on the workbook,

and prints the figures and the ratio to the baseline.  Targets (issue 3): ≤ 10 s and ≤ 1.5 GB for
the 1 M-row CSV on a 2-core machine.  It asserts nothing.

Examples
--------
``python benchmarks/bench_intake.py --rows 200000 --xlsx-rows 20000`` for a quick run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys, time
try:
    os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))
except (AttributeError, OSError):
    pass
mode, path, stores = sys.argv[1], sys.argv[2], sys.argv[3]
import pandas as pd
import kit.intake.load
start = time.perf_counter()
if mode == "bare_csv":
    n = len(pd.read_csv(path))
    rejected = 0
elif mode == "bare_xlsx":
    n = len(pd.read_excel(path))
    rejected = 0
else:
    r = kit.intake.load.load_table("complaints", path, stores=stores, write_rejects=False)
    n, rejected = r.rows_read, r.rows_rejected
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": n, "rejected": rejected}))
"""


def build_csv(folder: Path, rows: int) -> tuple[Path, Path]:
    from kit.intake.sample import generate_chain

    chain = generate_chain(stores=60, months=12, seed=7)
    base = chain["complaints"]
    reps = int(np.ceil(rows / len(base)))
    big = pd.concat([base] * reps, ignore_index=True).iloc[:rows].copy()
    big["complaint_id"] = [f"T{i + 1:08d}" for i in range(len(big))]
    path = folder / "complaints.csv"
    big.to_csv(path, index=False, encoding="utf-8-sig", float_format="%.2f")
    stores = folder / "stores.csv"
    chain["stores"].to_csv(stores, index=False, encoding="utf-8-sig")
    return path, stores


def build_xlsx(folder: Path, csv_path: Path, rows: int) -> Path:
    import openpyxl

    frame = pd.read_csv(csv_path, dtype=str, nrows=rows, keep_default_na=False)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("投诉记录")
    ws.append(list(frame.columns))
    for values in frame.itertuples(index=False):
        ws.append(list(values))
    path = folder / "complaints.xlsx"
    wb.save(path)
    return path


def measure(mode: str, path: Path, stores: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(stores)], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(label: str, bare: dict, ours: dict) -> None:
    print(f"{label}: {ours['rows']:,} rows ({ours['rejected']} rejected)")
    print(f"  bare pandas      {bare['seconds']:7.2f} s   peak {bare['peak_mb']:7.0f} MB")
    print(f"  kit.intake.load.load_table {ours['seconds']:6.2f} s   peak {ours['peak_mb']:7.0f} MB")
    print(
        f"  ratio kit / bare  time {ours['seconds'] / bare['seconds']:.2f}×   memory {ours['peak_mb'] / bare['peak_mb']:.2f}×"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--keep", help="folder to build the inputs in (kept afterwards)")
    args = parser.parse_args(argv)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_intake_"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, stores = build_csv(folder, args.rows)
    print(f"input: {csv_path} ({csv_path.stat().st_size / 1e6:.0f} MB), cores used: ≤ 2")
    report("CSV", measure("bare_csv", csv_path, stores), measure("kit", csv_path, stores))
    if args.xlsx_rows:
        xlsx = build_xlsx(folder, csv_path, args.xlsx_rows)
        report(
            f"XLSX ({xlsx.stat().st_size / 1e6:.0f} MB)",
            measure("bare_xlsx", xlsx, stores),
            measure("kit", xlsx, stores),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
