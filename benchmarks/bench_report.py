"""How fast is a week's report over 100,000 leads and 1,000,000 calls?

Two stores hold the same 100,000 leads and 1,000,000 calls. In the first, the calls are
spread over 120 days, so one week holds ~58,000 dials: a call centre's pace, far more than
a salesperson makes, which is the point: the cost grows with the period's calls (and with
the leads the stale list reads), not with the store. In the second, the same calls are spread
over two years (~9,600 a week, a team of twenty at about a hundred dials a day).

Prints, in one run:

- ``core``: ``reports.weekly`` in-process (both periods, every figure and every list, as
  ``--json`` needs them), on the first store for the whole week 2026-W47 (with W46 before it)
  and for this week so far on Friday 27 Nov 2026 18:00, and on the second store for 2026-W47;
- ``report``: the same as the whole command in a subprocess, as a salesperson runs it (the
  terminal view lists the ten leads stale longest, and counts the rest);
- ``report --json``: the whole command again, every list in the JSON (up to 68,000 stale
  leads among them);
- ``naive Python``: the baseline a quick script would write — load every call with its lead
  into Python and count the same headline figures there;
- ``sqlite3 CLI COUNT``: one COUNT of the week's dials by the sqlite3 shell, the floor for
  anything that has to look at the week's calls;

beside the budget (issue 6: "a week's report over 1,000,000 calls in well under a second").
Times are the fastest and the median of a few runs (the fastest is the least disturbed by
other work on the machine); memory is the peak (tracemalloc for in-process work, max RSS by
GNU time for commands). Then ``EXPLAIN QUERY PLAN`` of every query ``weekly`` runs, to check
that each period pass is a range of the (at, …) index and each per-lead look-up a seek.

    python -m benchmarks.bench_report [--runs 5]

The stores (seeded, ~140 MB each with their indexes) are made once under
``benchmarks/.data/``.
"""

from __future__ import annotations

import argparse
import os
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
from zoneinfo import ZoneInfo

from benchmarks.dataset import NOW, fill_store

DATA = Path(__file__).resolve().parent / ".data"
STORE = DATA / "report-100k-1m.db"  # the calls of 120 days: a call centre's pace
TWO_YEARS = DATA / "report-100k-1m-2y.db"  # the same calls over two years: a sales team's
WEEK = "2026-W47"  # a whole week before the data set's NOW (Wed 25 Nov 2026)
ZONE = "Europe/Madrid"
BUDGET_S = 1.0  # issue 6: "a week's report over 1,000,000 calls in well under a second"


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


def setting(at: datetime | None) -> tuple[Any, Any, datetime]:
    """The configuration, the period and the moment of a run: the week ``WEEK`` seen from the
    data set's ``NOW``, or the week holding ``at`` seen from ``at``."""
    from warmcall import reports
    from warmcall.config import Config

    config = Config(timezone=ZONE)
    if at is None:
        now = NOW.astimezone(config.zone)
        return config, reports.week_named(WEEK, now.date(), config), now
    return config, reports.week_of(at.date(), config), at


def core(path: Path, at: datetime | None = None) -> Callable[[], Any]:
    from warmcall import reports
    from warmcall.store.db import open_db

    config, week, now = setting(at)

    def run() -> Any:
        with open_db(path) as db:
            return reports.weekly(db, week, config, now)

    return run


def naive(path: Path) -> Callable[[], Any]:
    """Every call and its lead into Python; dials, conversations, meetings, by day and source."""
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


def plans(path: Path) -> list[str]:
    """``EXPLAIN QUERY PLAN`` of every query ``weekly`` runs on this store (recorded by
    wrapping the store's ``rows``), each under its first words."""
    from warmcall import reports
    from warmcall.store.db import open_db

    config, week, now = setting(None)
    seen: list[tuple[str, Any]] = []
    with open_db(path) as db:
        rows = db.rows

        def recording(sql: str, params: Any = None) -> Any:
            seen.append((sql, params))
            return rows(sql, params)

        db.rows = recording  # type: ignore[method-assign]
        reports.weekly(db, week, config, now)
        lines = []
        for sql, params in seen:
            words = " ".join(sql.split())
            lines.append(f"  {words[:90]}{'…' if len(words) > 90 else ''}")
            lines += [f"      {row[-1]}" for row in rows(f"EXPLAIN QUERY PLAN {sql}", params)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    DATA.mkdir(exist_ok=True)
    for store, days in ((STORE, 120), (TWO_YEARS, 730)):
        if not store.exists():
            print(f"Making {store} (100,000 leads, 1,000,000 calls)…", flush=True)
            fill_store(store, 100_000, 1_000_000, days=days)
        core(store)()  # brings an older store's schema up to date, outside the timings

    env = {**os.environ, "WARMCALL_HOME": str(DATA / "home"), "TZ": ZONE, "NO_COLOR": "1"}
    (DATA / "home").mkdir(exist_ok=True)
    (DATA / "home" / "config.toml").write_text(f'timezone = "{ZONE}"\n')
    friday = datetime(2026, 11, 27, 18, 0, tzinfo=ZoneInfo(ZONE))
    lo, hi, _ = week_edges()
    whole_week = ["--week", WEEK, "--at", NOW.isoformat()]
    scenarios = (
        (f"calls of 120 days, {WEEK}", STORE, None, whole_week),
        ("calls of 120 days, this week on Fri 18:00", STORE, friday, ["--at", friday.isoformat()]),
        (f"calls of two years, {WEEK}", TWO_YEARS, None, whole_week),
    )
    rows: list[tuple[str, float, float, str, bool] | str] = []
    weeks = {}
    for title, store, at, args in scenarios:
        rows.append(title)
        fast, median, mib, weeks[title] = timed(core(store, at), runs)
        rows.append(("  core, every list", fast, median, f"{mib:.1f} MiB traced", True))
        for name, extra in (("  report (the terminal)", []), ("  report --json", ["--json"])):
            command = [sys.executable, "-m", "warmcall", "report", *extra, *args,
                       "--db", str(store)]  # fmt: skip
            fast, median, rss = timed_process(command, runs, env)
            rows.append((name, fast, median, f"{rss:.0f} MiB RSS", True))
    rows.append(f"baselines, calls of 120 days, {WEEK}")
    fast, median, mib, counted = timed(naive(STORE), max(1, runs // 2))
    rows.append(("  naive: every call into Python", fast, median, f"{mib:.0f} MiB traced", False))
    sql = f"SELECT COUNT(*) FROM calls WHERE channel = 'phone' AND at >= {lo} AND at < {hi};"
    fast, median, rss = timed_process(["sqlite3", str(STORE), sql], runs, env)
    rows.append(("  sqlite3 CLI: one COUNT of dials", fast, median, f"{rss:.0f} MiB RSS", False))

    figures, spread = weeks[scenarios[0][0]], weeks[scenarios[2][0]]
    assert counted["dials"] == figures.dials, "the baseline disagrees"
    print(f"\nWeek {WEEK} over 100,000 leads and 1,000,000 calls; {runs} runs.\n"
          f"Calls of 120 days (a call centre's pace): {figures.dials:,} dials in the week, "
          f"{figures.previous.dials:,} the week before, {figures.stale_count:,} stale leads.\n"
          f"Calls of two years (a sales team's pace): {spread.dials:,} dials in the week, "
          f"{spread.stale_count:,} stale leads.\n")  # fmt: skip
    print(f"{'':40} {'fastest':>8} {'median':>8}  {'budget':<10} peak memory")
    for row in rows:
        if isinstance(row, str):
            print(row)
            continue
        name, fast, median, memory, budgeted = row
        verdict = ("ok" if median < BUDGET_S else "OVER") if budgeted else ""
        budget = f"< {BUDGET_S:.0f} s {verdict}" if budgeted else ""
        print(f"{name:40} {fast:7.3f}s {median:7.3f}s  {budget:<10} {memory}")
    print("\nEXPLAIN QUERY PLAN of every query the report runs (week " + WEEK + "):")
    print("\n".join(plans(STORE)))
    load = os.getloadavg()[0]
    print(f"\nload average when done: {load:.2f} on {os.cpu_count()} cores (others' work slows it)")


if __name__ == "__main__":
    main()
