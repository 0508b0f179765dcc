"""Benchmark: the whole chain's complaint audit in one pass, next to DuckDB on the same data.

    python benchmarks/bench_audit.py              # 1,000,000 complaints, 300 stores
    python benchmarks/bench_audit.py --rows 50000 # a quick run

Each measurement runs in its own fresh process (so its peak memory is its own) on the same
synthetic log -- the generator is seeded and vectorised, and the log is written once to a
Parquet file that every process reads:

* ``kit calendar``  -- :func:`kit.audit.measures.sla_status` (first response, calendar clock) and
  :func:`kit.audit.attainment.attainment_breakdowns` by store, tier, channel, category and month;
* ``kit business``  -- the same with every rule on the business clock (store calendars: opening
  hours, China's public holidays and adjusted working days);
* ``duckdb``        -- one SQL query computing the calendar-clock attainment table (met, breached,
  at risk, attainment, gap by the same five dimensions, ``GROUPING SETS``) from the same frame.

The kit's calendar table is checked against DuckDB's (same counts) before the figures are
printed.  Wall time covers the audit only (not reading the file, not imports: each process first runs
both on 2,000 rows to warm up); peak memory is the process's
maximum resident set size (``ru_maxrss``), printed with the resident size after loading the log.
Targets of issue 5: kit within 2x DuckDB, peak <= 2 GB.  Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOURS = ("09:00-21:00", "10:00-22:00", "09:00-12:00,13:30-21:00", "08:00-20:00")


def generate(rows: int, stores: int, seed: int = 5) -> pd.DataFrame:
    """A year of complaints for ``stores`` stores, built with whole-array operations."""
    from kit.intake.sample import CATEGORIES, CATEGORY_BASE_P, CHANNEL_P, CHANNELS, TIER_P, TIERS

    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-01-01T00:00:00", "s")
    created = start + (rng.random(rows) * 365 * 86400).astype("timedelta64[s]")
    created.sort()
    channel = rng.choice(CHANNELS, rows, p=CHANNEL_P)
    tier = rng.choice(TIERS, rows, p=TIER_P)
    target = np.where(channel == "email", 1440.0, np.where(tier == "urgent", 30.0, 120.0))
    minutes = target * np.exp(rng.normal(-0.6, 0.8, rows))
    first = created + (minutes * 60).astype("timedelta64[s]")
    resolved = first + (rng.exponential(12, rows) * 3600).astype("timedelta64[s]")
    end = np.datetime64("2026-12-31T23:59:59", "s")
    first = np.where(first <= end, first, np.datetime64("NaT"))
    resolved = np.where(resolved <= end, resolved, np.datetime64("NaT"))
    return pd.DataFrame(
        {
            "complaint_id": pd.array(np.char.add("T", np.arange(rows).astype(str)), dtype="string"),
            "store_id": pd.array(np.char.zfill(rng.integers(1, stores + 1, rows).astype(str), 3), dtype="string"),
            "channel": pd.array(channel, dtype="string"),
            "tier": pd.array(tier, dtype="string"),
            "category": pd.array(
                rng.choice(np.array(list(CATEGORIES)), rows, p=CATEGORY_BASE_P / CATEGORY_BASE_P.sum()), dtype="string"
            ),
            "created_at": created.astype("datetime64[us]"),
            "first_response_at": first.astype("datetime64[us]"),
            "resolved_at": resolved.astype("datetime64[us]"),
        }
    )


def _standards(clock: str):
    from kit.workshop.standards import SlaRule, Standards, default_standards

    return Standards(sla=[SlaRule(**{**r.model_dump(), "clock": clock}) for r in default_standards().sla])


def _calendars(store_ids):
    from kit.workshop.calendar import StoreCalendar

    cals = [StoreCalendar(hours=h, timezone="Asia/Shanghai") for h in HOURS]
    return {sid: cals[i % len(cals)] for i, sid in enumerate(sorted(store_ids))}


AS_OF = pd.Timestamp("2026-12-31 23:59:59")


def run_kit(frame: pd.DataFrame, clock: str) -> pd.DataFrame:
    """The kit's whole-chain audit: status of every complaint + the attainment breakdowns."""
    from kit.audit.attainment import attainment_breakdowns
    from kit.audit.measures import sla_status

    calendars = _calendars(frame["store_id"].unique()) if clock == "business" else None
    status = sla_status(frame, _standards(clock), "first_response", as_of=AS_OF, calendars=calendars)
    return attainment_breakdowns({"first_response": status})


def run_duckdb(frame: pd.DataFrame) -> pd.DataFrame:
    """The same calendar-clock attainment table in one DuckDB query."""
    import duckdb

    from kit.workshop.standards import assign_targets

    pairs = frame[["channel", "tier"]].drop_duplicates().reset_index(drop=True)
    rules = pd.concat([pairs, assign_targets(pairs, _standards("calendar"), "first_response")], axis=1)
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    con.register("complaints", frame)
    con.register("rules", rules[["channel", "tier", "target_minutes", "required_attainment"]])
    query = f"""
    WITH s AS (
      SELECT c.store_id, c.tier, c.channel, c.category, strftime(c.created_at, '%Y-%m') AS month,
             r.required_attainment AS required,
             (epoch_us(coalesce(c.first_response_at, TIMESTAMP '{AS_OF}')) - epoch_us(c.created_at)) / 60e6 AS elapsed,
             r.target_minutes AS target, c.first_response_at IS NULL AS is_open
      FROM complaints c JOIN rules r USING (channel, tier)
    ), f AS (
      SELECT *, CASE WHEN elapsed <= target THEN CASE WHEN is_open THEN 'at_risk' ELSE 'met' END
                     ELSE 'breached' END AS status FROM s
    )
    SELECT store_id, tier, channel, category, month,
           count(*) FILTER (WHERE status = 'met') AS met,
           count(*) FILTER (WHERE status = 'breached') AS breached,
           count(*) FILTER (WHERE status = 'at_risk') AS at_risk,
           max(required) AS required
    FROM f GROUP BY GROUPING SETS ((store_id), (tier), (channel), (category), (month))
    """
    out = con.execute(query).df()
    out["attainment"] = out["met"] / (out["met"] + out["breached"])
    out["gap"] = (out["attainment"] - out["required"]) * 100
    con.close()
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child(mode: str, path: str, result: str) -> None:
    """One measurement in this (fresh) process; writes its figures and table as JSON."""
    import duckdb  # noqa: F401 - imports are not part of the measured audit

    frame = pd.read_parquet(path)
    for col in ("store_id", "channel", "tier", "category", "complaint_id"):
        frame[col] = frame[col].astype("string")
    loaded = _rss_mb()
    warm = frame.head(2000)  # first calls load lazy code paths; warm both contenders the same way
    run_duckdb(warm) if mode == "duckdb" else run_kit(warm, mode)
    started = time.perf_counter()
    table = run_duckdb(frame) if mode == "duckdb" else run_kit(frame, mode)
    seconds = time.perf_counter() - started
    if mode != "duckdb":
        table = table.rename(columns={"group": "key"})
    else:
        dims = ["store_id", "tier", "channel", "category", "month"]
        table["dimension"] = table[dims].notna().idxmax(axis=1)
        table["key"] = table[dims].bfill(axis=1).iloc[:, 0]
    counts = table[["dimension", "key", "met", "breached", "at_risk"]].astype(
        {"key": str, "met": int, "breached": int, "at_risk": int}
    )
    Path(result).write_text(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": _rss_mb(),
                "loaded_mb": loaded,
                "table": counts.sort_values(["dimension", "key"]).values.tolist(),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--stores", type=int, default=300)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "DATA", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "complaints.parquet"
        t0 = time.perf_counter()
        generate(args.rows, args.stores).to_parquet(data)
        print(f"generated {args.rows:,} complaints for {args.stores} stores in {time.perf_counter() - t0:.1f} s")
        runs = {}
        for mode in ("duckdb", "calendar", "business"):
            result = Path(tmp) / f"{mode}.json"
            subprocess.run([sys.executable, __file__, "--child", mode, str(data), str(result)], check=True)
            runs[mode] = json.loads(result.read_text())
    same = runs["calendar"]["table"] == runs["duckdb"]["table"]
    base = runs["duckdb"]["seconds"]
    print(f"\n{'run':<32}{'wall s':>9}{'peak MB':>10}{'MB after load':>15}{'x DuckDB':>10}")
    names = {
        "duckdb": "DuckDB SQL (calendar clock)",
        "calendar": "kit, calendar clock",
        "business": "kit, business-hours clocks",
    }
    for mode in ("duckdb", "calendar", "business"):
        r = runs[mode]
        print(
            f"{names[mode]:<32}{r['seconds']:>9.2f}{r['peak_mb']:>10.0f}{r['loaded_mb']:>15.0f}{r['seconds'] / base:>10.2f}"
        )
    print(f"\nkit calendar-clock table equals DuckDB's: {same} ({len(runs['duckdb']['table'])} groups)")
    print("targets: kit within 2x DuckDB, peak <= 2048 MB")


if __name__ == "__main__":
    main()
