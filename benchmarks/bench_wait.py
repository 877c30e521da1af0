"""How long a ``warmcall call log`` waits while a long import holds the store.

An import writes all its rows in one transaction (all or nothing), so it holds the store's
write lock from its first row to its last. A salesperson who logs a call meanwhile must not
see "database is locked": the call log waits for the import and then succeeds. This measures
that wait, in one run:

* **alone**: ``call log`` on the store with nothing else running (the baseline);
* **during the import**: ``call log`` started every ``--every`` seconds while
  ``warmcall lead import`` loads a ``--rows`` file into the same store; each one's wall time,
  and whether it failed.

The table shows the import's wall time, the call logs' median and longest wall time, and how
many failed (must be 0). On SQLite the longest wait is bounded by the import's write phase
(one writer at a time). On a team's PostgreSQL (``--db URL``, a database it may wipe)
neither the call logs nor the import take a lock on the store (a call log locks its lead's
row; the import's new leads are settled by their unique keys): ``--reps N`` reps log calls
at once, each on a lead of their own, and none should wait more than a second::

    python benchmarks/bench_wait.py                  # 250,000 rows (a few minutes)
    python benchmarks/bench_wait.py --rows 20000 --every 0.5
    python benchmarks/bench_wait.py --db postgresql://…/warmcall_bench --reps 10

Not run in CI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dataset import write_leads_csv  # noqa: E402

DATA = ROOT / "benchmarks" / ".data"
AT = "2026-11-20 10:00"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=250_000, help="rows in the imported file")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between call logs")
    parser.add_argument("--db", help="a PostgreSQL URL to wipe and use (default: a SQLite file)")
    parser.add_argument("--reps", type=int, default=1, help="reps logging calls at once")
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    csv_file = write_leads_csv(DATA / f"leads-{args.rows}.csv", args.rows)
    home = DATA / "wait-home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    (home / "config.toml").write_text('timezone = "Europe/Madrid"\n')
    env = {**os.environ, "WARMCALL_HOME": str(home), "NO_COLOR": "1"}
    env.pop("WARMCALL_DB", None)
    store: str | Path = home / "wait.db"
    if args.db:
        store = args.db
        _wipe(store)
    warmcall = [sys.executable, "-m", "warmcall"]
    reps = [f"rep{n + 1}" for n in range(max(args.reps, 1))]
    for n, rep in enumerate(reps):
        add = [*warmcall, "--rep", rep, "lead", "add", f"Benchmark Person {n + 1}", "--phone",
               f"+34 600 000 {n + 1:03d}", "--at", AT, "--db", str(store)]  # fmt: skip
        subprocess.run(add, env=env, check=True, capture_output=True)

    def call_log(n: int) -> list[str]:
        return [*warmcall, "--rep", reps[n], "call", "log", f"Benchmark Person {n + 1}",
                "--outcome", "no-answer", "--at", AT, "--db", str(store)]  # fmt: skip

    def timed_log(n: int = 0) -> tuple[float, bool, str]:
        start = time.perf_counter()
        done = subprocess.run(call_log(n), env=env, capture_output=True, text=True)
        return time.perf_counter() - start, done.returncode == 0, done.stderr.strip()

    def timed_round() -> list[tuple[float, bool, str]]:
        """Every rep logs a call, in turn (one process each): a wall time is the program's
        start-up and work plus any wait, without the other reps' start-ups on the cores."""
        return [timed_log(n) for n in range(len(reps))]

    alone = [timed_log()[0] for _ in range(3)]
    during: list[tuple[float, bool, str]] = []
    with RepLogs(str(store), len(reps), args.every) as inside:  # the reps, as the store sees them
        importing = subprocess.Popen(
            [*warmcall, "lead", "import", str(csv_file), "--json", "--at", AT,
             "--db", str(store)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        started = time.perf_counter()
        inside.start()
        while importing.poll() is None:
            done = timed_round()
            during.extend(done)
            longest_now = max(wall for wall, _, _ in done)
            print(f"call logs {len(during)}: longest {longest_now:.1f} s", file=sys.stderr)
            time.sleep(args.every)
        import_wall = time.perf_counter() - started
    waits = inside.waits()
    if importing.returncode != 0:
        sys.exit(f"the import failed: {importing.stderr.read() if importing.stderr else ''}")
    failures = [why for _, ok, why in during if not ok]
    walls = [wall for wall, _, _ in during]

    rows = [
        ("call log alone (median of 3)", f"{statistics.median(alone):.2f} s", "", ""),
        (f"import of {args.rows:,} rows", f"{import_wall:.1f} s", "", ""),
        (
            f"call log during the import (×{len(during)}, {len(reps)} reps in turn)",
            f"{statistics.median(walls):.2f} s" if walls else "-",
            f"{max(walls):.1f} s" if walls else "-",
            str(len(failures)),
        ),
    ]
    if waits:
        rows.append((
            f"log_call inside, {len(reps)} reps at once (×{len(waits)})",
            f"{statistics.median(waits):.3f} s", f"{max(waits):.3f} s", "0",
        ))  # fmt: skip
    head = ("", "median wall", "longest wall", "failed")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(4)]
    for row in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    longest = max(walls, default=0.0) - statistics.median(alone)
    print(f"\nlongest wait of a call log: {longest:.1f} s (import {import_wall:.1f} s)")
    for why in failures[:3]:
        print(f"failed: {why}")


class RepLogs:
    """Each rep logging a no-answer on a lead of their own every ``every`` seconds, each in a
    process of their own as each rep runs warmcall on their own machine (threads of one
    process would share its interpreter lock, and time each other's Python as a wait), all
    at once, each ``log_call`` timed alone (no start-up): a wait for a lock shows whole.

    Entered, each rep has started, opened the store and logged one call untimed (the modules
    ``log_call`` imports on its first call, ten interpreters starting on the same cores: the
    start-up the ``call log`` command's wall time holds, not a wait); they log timed calls
    from ``start()`` on."""

    def __init__(self, store: str, reps: int, every: float) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")  # a fresh interpreter, no parent state
        self.times = context.Queue()
        self.ready = context.Queue()
        self.go = context.Event()
        self.stop = context.Event()
        self.logging = [
            context.Process(
                target=_core_logs,
                args=(store, n, self.times, self.ready, self.go, self.stop, every),
            )
            for n in range(reps)
        ]
        self.found: list[float] = []

    def __enter__(self) -> RepLogs:
        for process in self.logging:
            process.start()
        for _ in self.logging:
            self.ready.get(timeout=WAIT_FOR_REP_S)
        return self

    def start(self) -> None:
        """The reps' timed call logs begin."""
        self.go.set()

    def __exit__(self, *exc: object) -> None:
        self.go.set()
        self.stop.set()
        for _ in self.logging:  # each rep's times, read before their process may end
            self.found.extend(self.times.get(timeout=WAIT_FOR_REP_S))
        for process in self.logging:
            process.join()

    def waits(self) -> list[float]:
        """The times of every timed ``log_call``, once the reps have stopped."""
        return self.found


WAIT_FOR_REP_S = 60  # a rep's last call log, when it stops


def _core_logs(
    store: str, n: int, times: Any, ready: Any, go: Any, stop: Any, every: float
) -> None:
    """Rep ``n + 1`` logs one call untimed and says ``ready``, then, from ``go`` until
    ``stop``, a no-answer on their lead every ``every`` seconds; their ``log_call`` times go
    to ``times`` when they stop."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from warmcall import calls, leads
    from warmcall.config import Config, User
    from warmcall.models import Outcome
    from warmcall.store.db import open_db

    config = Config(timezone="Europe/Madrid", region="ES", user=User(rep=f"rep{n + 1}"))
    at = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    with open_db(store) as db:
        lead = leads.resolve(db, f"Benchmark Person {n + 1}", config)
        entry = calls.CallEntry(outcome=Outcome.NO_ANSWER, at=at)
        calls.log_call(db, lead, entry, at, config)  # warm: the modules its first call imports
        ready.put(n)
        go.wait()
        waits = []
        while not stop.is_set():
            entry = calls.CallEntry(outcome=Outcome.NO_ANSWER, at=at)
            start = time.perf_counter()
            calls.log_call(db, lead, entry, at, config)
            waits.append(time.perf_counter() - start)
            stop.wait(every)
    times.put(waits)


def _wipe(url: str) -> None:
    """The PostgreSQL database emptied, for a store made anew."""
    from warmcall.store.db import SqlAlchemyDatabase

    with SqlAlchemyDatabase(url) as db:
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")


if __name__ == "__main__":
    main()
