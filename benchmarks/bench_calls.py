"""How fast call history goes in, and what the (lead_id, at) index buys the plan's queries.

    python -m benchmarks.bench_calls [--calls 1000000] [--leads 100000]

1. ``warmcall call import`` of N calls over the leads (a real subprocess, wall time and peak
   memory), against two floors run in the same way: bare stdlib ``csv`` + ``executemany``
   into the same table with its index in place, and the same with the index built after.
2. On the store that import made: "last touch of every lead" and "attempts in the last 14
   days", timed with the (lead_id, at) index, with an index on lead_id alone, and with none
   (each on its own copy of the store).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.dataset import NOW, fill_store, write_calls_csv

DATA = Path(__file__).resolve().parent / ".data"

# The child's own peak resident memory in KiB: VmHWM starts afresh at exec (ru_maxrss would
# carry the parent's peak over through fork).
PEAK = """
def PEAK():
    import resource
    try:
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

# The floor: what any program must do at least (read the CSV, find the lead, parse the time,
# insert), in plain stdlib, with none of warmcall's checks or messages.
FLOOR = """
import csv, sqlite3, sys
from datetime import datetime
csv_path, db_path, rebuild = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
conn = sqlite3.connect(db_path, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = NORMAL")
ids = {email: i for i, email in conn.execute("SELECT id, email FROM leads")}
conn.execute("BEGIN")
if rebuild:
    conn.execute("DROP INDEX ix_calls_lead_at")
with open(csv_path, newline="", encoding="utf-8") as fh:
    rows = csv.reader(fh)
    next(rows)
    conn.executemany(
        "INSERT INTO calls (lead_id, at, outcome, channel, notes, created_at) "
        "VALUES (?, ?, ?, 'phone', ?, 0)",
        ((ids[e], int(datetime.fromisoformat(d).timestamp()), o, n) for e, d, o, n in rows),
    )
if rebuild:
    conn.execute("CREATE INDEX ix_calls_lead_at ON calls (lead_id, at)")
conn.execute("COMMIT")
print(PEAK(), file=sys.stderr)
"""

# warmcall's own CLI, in a child that reports its peak memory.
WARMCALL = """
import sys
from warmcall.cli.app import app
try:
    app(["call", "import", sys.argv[1], "--db", sys.argv[2], "--json"], prog_name="warmcall")
except SystemExit as exc:
    if exc.code:
        raise
print(PEAK(), file=sys.stderr)
"""

# The shapes the planner runs (warmcall/plan/candidates.py): one correlated look-up per lead.
LAST_TOUCH = "SELECT l.id, (SELECT MAX(c.at) FROM calls c WHERE c.lead_id = l.id) FROM leads l"
ATTEMPTS_14D = (
    "SELECT l.id, (SELECT COUNT(*) FROM calls c WHERE c.lead_id = l.id AND c.at >= :since "
    "AND c.channel = 'phone') FROM leads l"
)
# The same answers as one pass over the calls, which needs no index at all.
LAST_TOUCH_SCAN = "SELECT lead_id, MAX(at) FROM calls GROUP BY lead_id"


def leads_store(n_leads: int) -> Path:
    """A store of ``n_leads`` leads whose e-mails are the ones ``write_calls_csv`` uses."""
    path = DATA / f"leads-{n_leads}.db"
    if not path.exists():
        fill_store(path, n_leads, 0)
    return path


def calls_csv(n_calls: int, n_leads: int) -> Path:
    path = DATA / f"calls-{n_calls}-{n_leads}.csv"
    if not path.exists():
        write_calls_csv(path, n_calls, n_leads)
    return path


def run(script: str, *args: str) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MiB) of a child Python running ``script``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK + script, *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"benchmark step failed:\n{done.stderr}")
    return seconds, int(done.stderr.strip().splitlines()[-1]) // 1024


def fresh_copy(source: Path, name: str) -> Path:
    target = DATA / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)
    return target


BUDGET_S = 20.0  # a query slower than this is stopped and shown as "> 20 s"


def best_of(conn: sqlite3.Connection, sql: str, params: dict, times: int = 3) -> float | None:
    """The best time of a few runs; None when a run blew the budget (it is interrupted)."""
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        deadline = start + BUDGET_S
        conn.set_progress_handler(lambda d=deadline: time.perf_counter() > d, 100_000)
        try:
            conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # interrupted
            return None
        finally:
            conn.set_progress_handler(None, 0)
        best = min(best, time.perf_counter() - start)
    return best


def shown(seconds: float | None) -> str:
    return f"> {BUDGET_S:.0f} s" if seconds is None else f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--leads", type=int, default=100_000)
    args = parser.parse_args()
    DATA.mkdir(exist_ok=True)

    print(f"Preparing {args.leads:,} leads and {args.calls:,} calls in {DATA} …")
    leads = leads_store(args.leads)
    csv_path = calls_csv(args.calls, args.leads)
    size = csv_path.stat().st_size / 2**20

    print(f"\nImport of {args.calls:,} calls ({size:.0f} MiB CSV)")
    print(f"{'':38} {'seconds':>8} {'calls/s':>10} {'peak MiB':>9}")
    results = []
    for label, script, extra in (
        ("floor: stdlib csv + executemany", FLOOR, ["0"]),
        ("floor, index built after", FLOOR, ["1"]),
        ("warmcall call import", WARMCALL, []),
    ):
        db = fresh_copy(leads, "import.db")
        seconds, peak = run(script, str(csv_path), str(db), *extra)
        results.append((label, seconds))
        print(f"{label:38} {seconds:8.2f} {args.calls / seconds:10,.0f} {peak:9}")
    floor = results[0][1]
    print(f"warmcall takes {results[-1][1] / floor:.2f}× the plain floor's time.")

    print("\nThe plan's queries on that store (best of 3)")
    since = int(NOW.timestamp()) - 14 * 86400
    variants = {
        "(lead_id, at) index": None,
        "lead_id index only": "CREATE INDEX ix_calls_lead ON calls (lead_id)",
        "no index": "",
    }
    queries = (
        ("last touch of every lead", LAST_TOUCH, {}),
        ("attempts in the last 14 days", ATTEMPTS_14D, {"since": since}),
        ("last touch, one GROUP BY pass", LAST_TOUCH_SCAN, {}),
    )
    print(f"{'':36}" + "".join(f"{name:>22}" for name in variants))
    timings: dict[str, list[float | None]] = {q: [] for q, _, _ in queries}
    for i, create in enumerate(variants.values()):
        path = fresh_copy(db, f"query-{i}.db")
        conn = sqlite3.connect(path)
        if create is not None:
            conn.execute("DROP INDEX ix_calls_lead_at")
            if create:
                conn.execute(create)
            conn.execute("ANALYZE")
            conn.commit()
        for label, sql, params in queries:
            timings[label].append(best_of(conn, sql, params))
        conn.close()
    for label, row in timings.items():
        print(f"{label:36}" + "".join(f"{shown(t):>22}" for t in row))


if __name__ == "__main__":
    main()
