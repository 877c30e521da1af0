"""How fast is a week's report over 100,000 leads and 1,000,000 calls?

Prints, in one run and on the same store:

- ``warmcall core``: ``reports.weekly`` for a whole week (and its week before), in-process;
- ``warmcall report --json``: the whole command, as a subprocess (start-up, JSON included);
- ``naive Python``: the baseline a quick script would write — load every call with its lead
  into Python and count the same headline figures there;
- ``sqlite3 CLI COUNT``: one COUNT of the week's dials by the sqlite3 shell, the floor for
  anything that has to look at the week's calls;
- the core again on a copy of the store with a temporary index on ``calls(at)``, to measure
  what that index (not in the schema) would change.

Times are the fastest and the median of a few runs (the fastest is the least disturbed by
other work on the machine); memory is the peak (tracemalloc for in-process work, max RSS by
GNU time for commands). ``EXPLAIN QUERY PLAN`` for the period filter is printed too.

    python -m benchmarks.bench_report [--runs 5]

The data set (seeded, ~110 MB) is made once under ``benchmarks/.data/``. Its calls are spread
over 120 days, so one week holds ~58,000 calls: far more than a salesperson makes, which is
the point — the cost grows with the period's calls, not with the store.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.dataset import NOW, fill_store

DATA = Path(__file__).resolve().parent / ".data"
STORE = DATA / "report-100k-1m.db"
WEEK = "2026-W47"  # a whole week before the data set's NOW (Wed 25 Nov 2026)
ZONE = "Europe/Madrid"


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, Any]:
    """Fastest and median seconds of ``fn`` over ``runs`` runs, the peak MiB Python allocated
    in one more run (traced apart: tracemalloc slows Python down), and the last result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    result = fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return min(times), statistics.median(times), peak, result


def timed_process(args: list[str], runs: int, env: dict[str, str]) -> tuple[float, float, float]:
    """Fastest and median wall seconds, and peak RSS (MiB, by GNU time) of a command."""
    times, peak = [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            check=True,
        )
        times.append(time.perf_counter() - start)
        peak = max(peak, int(done.stderr.strip().splitlines()[-1]) / 1024)
    return min(times), statistics.median(times), peak


def week_edges() -> tuple[int, int, list[int]]:
    from warmcall.config import Config
    from warmcall.reports import midnight, week_named

    config = Config(timezone=ZONE)
    week = week_named(WEEK, NOW.date(), config)
    edges = [midnight(week.start + timedelta(days=i), config.zone) for i in range(8)]
    return edges[0], edges[-1], edges


def core(path: Path) -> Callable[[], Any]:
    from warmcall import reports
    from warmcall.config import Config
    from warmcall.db import open_db

    config = Config(timezone=ZONE)
    now = NOW.astimezone(config.zone)
    week = reports.week_named(WEEK, now.date(), config)

    def run() -> Any:
        with open_db(path) as db:
            return reports.weekly(db, week, config, now)

    return run


def naive(path: Path) -> Callable[[], Any]:
    """Every call and its lead into Python; dials, conversations, meetings, by day and source."""
    from zoneinfo import ZoneInfo

    lo, hi, _ = week_edges()
    zone = ZoneInfo(ZONE)
    talks = {"connected", "meeting", "callback", "not-interested", "do-not-call"}

    def run() -> Any:
        conn = sqlite3.connect(path)
        rows = conn.execute(
            "SELECT c.at, c.outcome, c.channel, l.source, l.temperature "
            "FROM calls c JOIN leads l ON l.id = c.lead_id"
        ).fetchall()
        conn.close()
        figures: Counter[str] = Counter()
        by_day: Counter[date] = Counter()
        by_source: Counter[tuple[str, str]] = Counter()
        for at, outcome, channel, source, _temperature in rows:
            if lo <= at < hi and channel == "phone":
                figures["dials"] += 1
                figures["conversations"] += outcome in talks
                figures["meetings"] += outcome == "meeting"
                by_day[datetime.fromtimestamp(at, zone).date()] += 1
                by_source[(source, outcome)] += 1
        return figures

    return run


def explain(path: Path, with_index: bool) -> list[str]:
    lo, hi, _ = week_edges()
    conn = sqlite3.connect(path)
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT c.outcome, COUNT(*) FROM calls c "
        "WHERE c.at >= ? AND c.at < ? GROUP BY 1",
        (lo, hi),
    ).fetchall()
    conn.close()
    label = "with calls(at)" if with_index else "schema as is  "
    return [f"  {label}: {row[-1]}" for row in plan]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    DATA.mkdir(exist_ok=True)
    if not STORE.exists():
        print(f"Making {STORE} (100,000 leads, 1,000,000 calls)…", flush=True)
        fill_store(STORE, 100_000, 1_000_000)

    indexed = DATA / "report-100k-1m-at-index.db"
    shutil.copyfile(STORE, indexed)
    with sqlite3.connect(indexed) as conn:
        conn.execute("CREATE INDEX ix_calls_at_tmp ON calls (at)")
        conn.execute("ANALYZE")
    conn.close()

    env = {**os.environ, "WARMCALL_HOME": str(DATA / "home"), "TZ": ZONE, "NO_COLOR": "1"}
    (DATA / "home").mkdir(exist_ok=True)
    (DATA / "home" / "config.toml").write_text(f'timezone = "{ZONE}"\n')
    command = [sys.executable, "-m", "warmcall", "report", "--json", "--week", WEEK,
               "--at", NOW.isoformat(), "--db", str(STORE)]  # fmt: skip
    lo, hi, _ = week_edges()
    rows: list[tuple[str, float, float, str]] = []
    fast, median, mib, report = timed(core(STORE), runs)
    rows.append(("warmcall core (weekly)", fast, median, f"{mib:.1f} MiB traced"))
    fast, median, rss = timed_process(command, runs, env)
    rows.append(("warmcall report --json (process)", fast, median, f"{rss:.0f} MiB RSS"))
    fast, median, mib, figures = timed(naive(STORE), max(1, runs // 2))
    rows.append(("naive: every call into Python", fast, median, f"{mib:.0f} MiB traced"))
    sql = f"SELECT COUNT(*) FROM calls WHERE channel = 'phone' AND at >= {lo} AND at < {hi};"
    fast, median, rss = timed_process(["sqlite3", str(STORE), sql], runs, env)
    rows.append(("sqlite3 CLI: one COUNT of dials", fast, median, f"{rss:.0f} MiB RSS"))
    fast, median, mib, _ = timed(core(indexed), runs)
    rows.append(("warmcall core, temp index calls(at)", fast, median, f"{mib:.1f} MiB traced"))

    assert figures["dials"] == report.dials, "the baseline and warmcall disagree"
    before = report.previous.dials
    print(f"\nWeek {WEEK} over 100,000 leads and 1,000,000 calls ({report.dials:,} dials in "
          f"the week, {before:,} the week before); median of {runs} runs\n")  # fmt: skip
    print(f"{'':38} {'fastest':>8} {'median':>8}  peak memory")
    for name, fast, median, memory in rows:
        print(f"{name:38} {fast:7.3f}s {median:7.3f}s  {memory}")
    print("\nEXPLAIN QUERY PLAN of the period filter:")
    print("\n".join(explain(STORE, False) + explain(indexed, True)))
    indexed.unlink()
    load = os.getloadavg()[0]
    print(f"\nload average when done: {load:.2f} on {os.cpu_count()} cores (others' work slows it)")


if __name__ == "__main__":
    main()
