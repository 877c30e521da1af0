"""A team of ten on one book (issue 25): each rep's ``next``, a team week's ``report --team``
and ``call log`` while an import runs, on PostgreSQL beside SQLite, in one run.

The book is 10 reps, 1,000,000 leads and 10,000,000 calls at ``--scale 1`` (``--scale 0.1``:
a tenth of each, the reps stay ten): nine leads in ten owned by a rep (round robin), the rest
shared; three in four warm or hot, windows and stages mixed, all Spanish mobiles (issue 11's
busy year); each lead's calls spread over the past year, made by its owner (a shared lead's
by any rep), with ``BUSY_OUTCOMES``; a meeting or callback in the last two weeks leaves an
open follow-up, as ``call log --next`` would; the pickup record counted from the calls, as
``call import`` leaves it. Written directly (``COPY`` on PostgreSQL, the indexes made after
the rows; the calls in time order, as a store that logs them as they happen holds them), once
per size: the SQLite file stays in ``benchmarks/.data/``, the PostgreSQL database (``--db``,
one it may wipe) is kept while it holds the same book.

Measured, each command a process of its own as a rep runs it (median of ``--runs`` after a
warm-up, as ``bench_next`` measures):

* ``--rep repN next --json`` for each of the ten reps (the median rep and the slowest), each
  in turns with Taskwarrior's ``task next`` over 10,000 tasks, run by run (budget: each rep's
  median within 2.5× the median of the ``task next`` runs beside it);
* ``next --team --json``: every rep's plan, a manager's morning;
* ``report --team`` of a whole week (2026-W47, about ``calls / 52`` dials; budget: 2 s);
* once every engine's reads are measured, ``call log`` while ``lead import`` loads
  ``250,000 × scale`` rows into the same store: each rep logs a call every ``--every``
  seconds in a process and a connection of their own, timed around ``log_call`` (the store's
  work and any wait for a lock; budget: 100 ms), and the whole command in a process, rep
  after rep. The imported leads and logged calls are deleted after.

    python -m benchmarks.bench_team --scale 0.01                   # SQLite only, a minute
    python -m benchmarks.bench_team --scale 0.1 --db postgresql://warmcall:warmcall@localhost/warmcall_bench
    python -m benchmarks.bench_team --db postgresql://…            # the issue's full size

PostgreSQL is started the way ``.ci/run`` starts it (Debian's cluster, ``pg_ctlcluster``).
Not run in CI.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_next import (  # noqa: E402
    BUSY_OUTCOMES,
    BUSY_WINDOWS,
    TASKS,
    machine,
    measure,
    measure_beside,
    taskwarrior,
    user_env,
)
from benchmarks.bench_wait import RepLogs, _wipe  # noqa: E402
from benchmarks.dataset import FIRST, LAST, NOW, write_leads_csv  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
REPS = [f"rep{n}" for n in range(1, 11)]
FULL_LEADS, FULL_CALLS, FULL_IMPORT = 1_000_000, 10_000_000, 250_000
AT = "2026-11-25 07:50"  # NOW in Madrid: a Wednesday morning before the day opens
WEEK = "2026-W47"  # the whole week before NOW
MADRID = ZoneInfo("Europe/Madrid")
YEAR = 365 * 86400
NEXT_BUDGET, REPORT_BUDGET, LOG_BUDGET = 2.5, 2.0, 0.1  # ×task next, seconds, seconds
LEAD_COLUMNS = ("name", "name_key", "company", "phone", "phone_e164", "email", "temperature",
                "stage", "status", "source", "context", "consent", "window", "country",
                "created_at", "updated_at", "zones", "owner")  # fmt: skip
CALL_COLUMNS = ("lead_id", "at", "outcome", "channel", "notes", "created_at", "rep")
FOLLOWUP_COLUMNS = ("lead_id", "due_at", "has_time", "action", "created_at", "status", "rep")
PICKUP_COLUMNS = ("lead_id", "hour", "weekend", "dials", "answered")
BOOK_REVISION = "0018"  # the store the rows are written into (``build``)
# What each table's rows come from, in the order they are written (leads first: the ids).
TABLES = {"leads": LEAD_COLUMNS, "calls": CALL_COLUMNS, "followups": FOLLOWUP_COLUMNS,
          "pickup_hours": PICKUP_COLUMNS}  # fmt: skip


# --- the book ---------------------------------------------------------------------------------


class Book:
    """The team's book, generated the same way for each engine (seeded): ``rows(table)``
    yields each table's rows, leads first (lead ``i`` is id ``i + 1`` in a fresh store)."""

    def __init__(self, n_leads: int, n_calls: int) -> None:
        self.n_leads, self.n_calls = n_leads, n_calls

    def owner(self, i: int) -> str | None:
        return None if i % 10 == 9 else REPS[i % len(REPS)]

    def leads(self) -> Iterator[tuple[Any, ...]]:
        from warmcall.compliance.zones import settled

        rng = random.Random(25)
        now = int(NOW.timestamp())
        zones = settled(None, "+34600000000", "ES", None)
        for i in range(self.n_leads):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            mobile = f"6{(i * 7919) % 10**8:08d}"
            added = now - YEAR - rng.randrange(90 * 86400)
            yield (name, name.casefold(), f"Company {i % 997}", mobile, "+34" + mobile,
                   f"lead{i}@example.com", rng.choice(["cold", "warm", "warm", "hot"]),
                   rng.choice(["lead", "lead", "mql", "pql", "sql", "prospect"]),
                   "active" if i % 50 else rng.choice(["won", "lost", "dnc"]), "trade show",
                   "met at the fair", rng.choice(["b2b", "b2b", "form", "opt-in", "none"]),
                   rng.choice(BUSY_WINDOWS), "ES", added, added, zones,
                   self.owner(i))  # fmt: skip

    def history(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """Each lead's open follow-up and pickup rows, lead by lead: (table, row). Its calls
        are kept by day (``calls``), to be written in time order as a store logs them."""
        from warmcall.pickup.estimate import answered, band_of

        rng = random.Random(11)
        now = int(NOW.timestamp())
        names, weights = list(BUSY_OUTCOMES), list(BUSY_OUTCOMES.values())
        per_lead = self.n_calls / self.n_leads
        # The calls of each day back from NOW: moments, lead ids, outcomes (compact arrays:
        # ten million calls in ~130 MB).
        self.days = [(array("q"), array("l"), array("b")) for _ in range(YEAR // 86400 + 1)]
        made = 0
        for i in range(self.n_leads):
            # Between none and twice the average, so that the total comes to n_calls.
            due = round((i + 1) * per_lead) - made
            n = max(0, min(due + rng.randint(-2, 2), round(2 * per_lead)))
            if i == self.n_leads - 1:
                n = self.n_calls - made
            made += n
            moments = sorted(now - rng.randrange(YEAR) for _ in range(n))
            outcomes = rng.choices(range(len(names)), weights=weights, k=n)
            cells: dict[tuple[int, bool], list[int]] = {}
            for at, outcome in zip(moments, outcomes, strict=True):
                day = self.days[(now - at) // 86400]
                day[0].append(at)
                day[1].append(i + 1)
                day[2].append(outcome)
                cell = cells.setdefault(band_of(datetime.fromtimestamp(at, MADRID)), [0, 0])
                cell[0] += 1
                cell[1] += answered(names[outcome])
            for (hour, weekend), (dials, picked) in sorted(cells.items()):
                yield "pickup_hours", (i + 1, hour, int(weekend), dials, picked)
            last = names[outcomes[-1]] if n else None
            if last in ("meeting", "callback") and moments[-1] > now - 14 * 86400:
                step = moments[-1] + rng.randrange(1, 21) * 86400
                yield "followups", (i + 1, step, 1, "call back as agreed", moments[-1], "open",
                                    self.owner(i) or REPS[0])  # fmt: skip

    def calls(self) -> Iterator[tuple[Any, ...]]:
        """Every call (after ``history``), oldest first: made by the lead's owner, a shared
        lead's by any rep."""
        names = list(BUSY_OUTCOMES)
        for moments, lead_ids, outcomes in reversed(self.days):
            for at, lead_id, outcome in sorted(zip(moments, lead_ids, outcomes, strict=True)):
                rep = self.owner(lead_id - 1) or REPS[at % len(REPS)]
                yield (lead_id, at, names[outcome], "phone", "talked about pricing", at, rep)


def built(store: str, n_leads: int, n_calls: int) -> bool:
    """Whether the store already holds this book (its last lead and call ids)."""
    from warmcall.store.db import open_db

    try:
        with open_db(store, create=False) as db:
            (leads,) = next(iter(db.rows("SELECT MAX(id) FROM leads")))
            (calls,) = next(iter(db.rows("SELECT MAX(id) FROM calls")))
    except Exception:  # no store yet, or not one of ours: made anew
        return False
    return (leads, calls) == (n_leads, n_calls)


def build(store: str, book: Book) -> None:
    """The book written into a fresh store, each table's indexes made after its rows."""
    from warmcall.store.db import open_db
    from warmcall.store.migrations import upgrade

    started = time.perf_counter()
    postgres = store.startswith("postgresql")
    if postgres:
        _wipe(store)
    else:  # with its write-ahead log: a stale one would be replayed into the new file
        for suffix in ("", "-wal", "-shm"):
            Path(store + suffix).unlink(missing_ok=True)
    # The rows go into a store of revision 0018, the one this book was first written for,
    # which is then upgraded as any store is: the later revisions fill what they add from
    # these rows (the pickup rows' pools and each lead's pickup bound: 0019, the identity
    # keys: 0020). Written at the newest revision, every pickup row was in no pool, and
    # SQLite's planner, told so by ANALYZE, read all of them for each pool (40 s a next).
    with open_db(store, migrate=False) as db:
        upgrade(db, BOOK_REVISION)
    print(f"Filling {store} ({book.n_leads:,} leads, {book.n_calls:,} calls)…", flush=True)
    writer = _PgWriter(store) if postgres else _SqliteWriter(store)
    with writer:
        writer.write("leads", book.leads())
        buffers: dict[str, list[tuple[Any, ...]]] = {"pickup_hours": [], "followups": []}
        for table, row in book.history():
            buffers[table].append(row)
            if len(buffers[table]) >= 50_000:
                writer.write(table, buffers[table])
                buffers[table] = []
        for table, rows in buffers.items():
            writer.write(table, rows)
        writer.write("calls", book.calls())
    print(f"  filled in {time.perf_counter() - started:.0f} s; upgrading…", flush=True)
    open_db(store).close()
    print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)


class _SqliteWriter:
    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA synchronous = OFF")
        found = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join(repr(t) for t in TABLES)})"
        ).fetchall()
        self.indexes = [sql for _, sql in found]
        for name, _ in found:
            self.conn.execute(f"DROP INDEX {name}")

    def __enter__(self) -> _SqliteWriter:
        return self

    def write(self, table: str, rows: Any) -> None:
        columns = TABLES[table]
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            rows,
        )

    def __exit__(self, *exc: object) -> None:
        for sql in self.indexes:
            self.conn.execute(sql)
        self.conn.commit()
        self.conn.execute("ANALYZE")
        self.conn.close()


class _PgWriter:
    def __init__(self, url: str) -> None:
        import psycopg2

        from warmcall.store.db import libpq_url

        self.conn = psycopg2.connect(libpq_url(url))
        self.conn.autocommit = True
        self.cur = self.conn.cursor()
        self.cur.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT EXISTS ("
            "SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(TABLES),),
        )
        found = self.cur.fetchall()
        self.indexes = [sql for _, sql in found]
        for name, _ in found:
            self.cur.execute(f'DROP INDEX "{name}"')

    def __enter__(self) -> _PgWriter:
        return self

    def write(self, table: str, rows: Any) -> None:
        columns = ", ".join(f'"{c}"' for c in TABLES[table])
        self.cur.copy_expert(f"COPY {table} ({columns}) FROM STDIN", _CopyText(rows))

    def __exit__(self, *exc: object) -> None:
        for sql in self.indexes:
            self.cur.execute(sql)
        # As autovacuum leaves a store at rest: statistics, and the visibility map that lets
        # an index answer alone.
        self.cur.execute("VACUUM ANALYZE")
        self.conn.close()


class _CopyText:
    """Rows as COPY's text format, read as a file (psycopg2's ``copy_expert``): a value a
    column, tab-separated, ``\\N`` for NULL, backslash, tab and line ends escaped."""

    ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

    def __init__(self, rows: Any) -> None:
        self.rows = iter(rows)
        self.left = ""

    def read(self, size: int = -1) -> str:
        out = [self.left]
        have = len(self.left)
        for row in self.rows:
            line = "\t".join("\\N" if v is None else str(v).translate(self.ESCAPES) for v in row)
            out.append(line + "\n")
            have += len(line) + 1
            if 0 <= size <= have:
                break
        text = "".join(out)
        cut = len(text) if size < 0 else size
        self.left = text[cut:]
        return text[:cut]


# --- the measures -----------------------------------------------------------------------------


def call_logs_during_import(
    store: str, rows: int, every: float, env: dict[str, str], runs_alone: int = 3
) -> dict[str, Any]:
    """Each rep logs calls on a lead of their own while ``lead import`` loads ``rows`` rows:
    ``log_call`` timed in-process (a connection per rep, all at once) and the whole command
    rep after rep. Everything the measure wrote is deleted after."""
    from warmcall import leads
    from warmcall.models import Lead
    from warmcall.store.db import open_db

    at = NOW.astimezone(MADRID)
    with open_db(store) as db:
        (last_lead,) = next(iter(db.rows("SELECT MAX(id) FROM leads")))
        (last_call,) = next(iter(db.rows("SELECT MAX(id) FROM calls")))
        mine = []
        for n, rep in enumerate(REPS):
            person = Lead(name=f"Benchmark Person {n + 1}", phone=f"+34 600 000 {n + 1:03d}",
                          owner=rep)  # fmt: skip
            mine.append(leads.add(db, person, at).id)
    csv_file = write_leads_csv(DATA / f"leads-{rows}.csv", rows)
    warmcall = str(Path(sys.executable).with_name("warmcall"))

    def command(n: int) -> list[str]:
        return [warmcall, "--rep", REPS[n], "call", "log", str(mine[n]), "--outcome",
                "no-answer", "--at", AT, "--db", store]  # fmt: skip

    try:
        alone = [measure(command(0), env, 1)[0] for _ in range(runs_alone)]
        walls: list[float] = []
        failed = 0
        with RepLogs(store, len(REPS), every) as inside:
            importing = subprocess.Popen(
                [warmcall, "lead", "import", str(csv_file), "--json", "--at", AT, "--db", store],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            started = time.perf_counter()
            inside.start()
            while importing.poll() is None:
                for n in range(len(REPS)):
                    begin = time.perf_counter()
                    done = subprocess.run(command(n), env=env, capture_output=True)
                    walls.append(time.perf_counter() - begin)
                    failed += done.returncode != 0
                    if importing.poll() is not None:
                        break
            import_wall = time.perf_counter() - started
        waits = inside.waits()
        if importing.returncode != 0:
            sys.exit(f"the import failed: {importing.stderr.read() if importing.stderr else ''}")
    finally:
        with open_db(store) as db, db.transaction():
            db.execute("DELETE FROM calls WHERE id > :c", {"c": last_call})
            db.execute("DELETE FROM leads WHERE id > :l", {"l": last_lead})
    return {"alone": statistics.median(alone), "import": import_wall, "walls": walls,
            "failed": failed, "waits": waits}  # fmt: skip


def read_figures(
    store: str, env: dict[str, str], runs: int, task_env: dict[str, str] | None
) -> dict[str, Any]:
    """The reads on one store: each rep's ``next`` (each in turns with a ``task next``, so
    that the ratio compares runs made in the same state of the machine), the manager's
    ``next --team`` and the team's week."""
    from warmcall.store.db import open_db

    warmcall = str(Path(sys.executable).with_name("warmcall"))
    with open_db(store) as db:
        db.execute("DELETE FROM claims")  # each run plans the same morning from scratch
        (week_calls,) = next(iter(db.rows(
            "SELECT COUNT(*) FROM calls WHERE at >= :a AND at < :b",
            {"a": int(datetime(2026, 11, 16, tzinfo=MADRID).timestamp()),
             "b": int(datetime(2026, 11, 23, tzinfo=MADRID).timestamp())},
        )))  # fmt: skip
    figures: dict[str, Any] = {"week_calls": week_calls}
    nexts, tasks = [], []
    for rep in REPS:
        cmd = [warmcall, "--rep", rep, "next", "--json", "--db", store, "--at", AT]
        if task_env is None:
            nexts.append(measure(cmd, env, runs))
        else:
            seconds, rss, task = measure_beside(cmd, env, ["task", "next"], task_env, runs)
            nexts.append((seconds, rss))
            tasks.append(task)
        print(f"  {rep} next: {nexts[-1][0] * 1000:.0f} ms", file=sys.stderr, flush=True)
    figures["task"] = statistics.median(tasks) if tasks else None
    # each rep's next against the task next run in turns with it
    figures["ratios"] = [n / t for (n, _), t in zip(nexts, tasks, strict=True)] if tasks else []
    figures["next"] = [t for t, _ in nexts]
    figures["next_rss"] = max(rss for _, rss in nexts)
    team = [warmcall, "next", "--team", "--json", "--db", store, "--at", AT]
    figures["team"] = measure(team, env, max(1, runs // 2))[0]
    report = [warmcall, "report", "--team", "--week", WEEK, "--db", store, "--at", AT]
    figures["report"] = measure(report, env, runs)[0]
    print(f"  report --team: {figures['report'] * 1000:.0f} ms", file=sys.stderr, flush=True)
    return figures


# --- the table --------------------------------------------------------------------------------


def table(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> list[str]:
    """The figures as lines: one column per engine, then the budget and the verdicts."""
    engines = list(results)
    lines: list[tuple[str, ...]] = [("", *engines, "budget")]

    def row(label: str, value: Callable[[dict[str, Any]], str], budget: str = "") -> None:
        lines.append((label, *(value(results[e]) for e in engines), budget))

    def secs(s: float) -> str:
        return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"

    def ratio(pick: Callable[[list[float]], float]) -> Callable[[dict[str, Any]], str]:
        def shown(f: dict[str, Any]) -> str:
            if not f["ratios"]:
                return "n/a"
            value = pick(f["ratios"])
            return f"{value:.2f}× {'ok' if value <= NEXT_BUDGET else 'OVER'}"

        return shown

    def verdict(value: float, budget: float) -> str:
        return f"{secs(value)} {'ok' if value <= budget else 'OVER'}"

    row("next --json, the median rep", lambda f: secs(statistics.median(f["next"])))
    row("next --json, the slowest rep", lambda f: secs(max(f["next"])))
    row("next peak RSS", lambda f: f"{f['next_rss']:.0f} MiB")
    row(f"task next ({TASKS:,} tasks), in turns with each rep's, the median",
        lambda f: secs(f["task"]) if f["task"] is not None else "Taskwarrior missing")  # fmt: skip
    row("next / task next, the median rep", ratio(statistics.median), f"{NEXT_BUDGET:g}×")
    row("next / task next, the slowest rep", ratio(max), f"{NEXT_BUDGET:g}×")
    row("next --team --json (10 plans)", lambda f: secs(f["team"]))
    row("report --team, a week", lambda f: verdict(f["report"], REPORT_BUDGET),
        f"{REPORT_BUDGET:g} s")  # fmt: skip
    row("  the week's calls", lambda f: f"{f['week_calls']:,}")
    row("call log alone (command)", lambda f: secs(f["wait"]["alone"]))
    row(f"lead import, {args.import_rows:,} rows", lambda f: secs(f["wait"]["import"]))

    def median(xs: list[float]) -> str:
        return secs(statistics.median(xs)) if xs else "-"

    def percentile(xs: list[float], share: float) -> str:
        """The time ``share`` of them took at most (the nearest rank)."""
        return secs(sorted(xs)[min(len(xs) - 1, int(share * len(xs)))]) if xs else "-"

    def over(xs: list[float], budget: float) -> str:
        late = sum(x > budget for x in xs)
        return f"{late} ({late / len(xs):.1%})" if xs else "-"

    row("during it: log_call, median", lambda f: median(f["wait"]["waits"]))
    row("during it: log_call, longest",
        lambda f: verdict(max(f["wait"]["waits"]), LOG_BUDGET) if f["wait"]["waits"] else "-",
        f"{LOG_BUDGET * 1000:g} ms")  # fmt: skip
    row("during it: log_call, 99th percentile", lambda f: percentile(f["wait"]["waits"], 0.99))
    row("  log_calls (10 reps at once)", lambda f: f"{len(f['wait']['waits'])}")
    row("  of them over the budget", lambda f: over(f["wait"]["waits"], LOG_BUDGET))
    row("during it: call log command, median", lambda f: median(f["wait"]["walls"]))
    row("during it: call log command, longest", lambda f: secs(max(f["wait"]["walls"], default=0)))
    row("  call logs failed", lambda f: f"{f['wait']['failed']} of {len(f['wait']['walls'])}")
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in lines]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="the fraction of the full size (1,000,000 leads, 10,000,000 calls)",
    )
    parser.add_argument("--db", help="a PostgreSQL URL to wipe and use (without: SQLite alone)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--every",
        type=float,
        default=0.5,
        help="seconds between a rep's call logs during the import",
    )
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--build", metavar="STORE", help=argparse.SUPPRESS)
    args = parser.parse_args()  # fmt: skip
    n_leads = max(100, round(FULL_LEADS * args.scale))
    n_calls = max(1000, round(FULL_CALLS * args.scale))
    args.import_rows = max(1000, round(FULL_IMPORT * args.scale))
    DATA.mkdir(exist_ok=True)
    stores = {"SQLite": str(DATA / f"team-{n_leads}-{n_calls}.db")}
    if args.db:
        stores["PostgreSQL"] = args.db
    wanted = {e.strip().lower() for e in args.engines.split(",")}
    stores = {k: v for k, v in stores.items() if k.lower() in wanted}
    if args.build:
        build(args.build, Book(n_leads, n_calls))
        return
    for store in stores.values():
        if not built(store, n_leads, n_calls):
            # In a process of its own: a command forked from a big parent reports the
            # parent's memory as its own peak (and copies its page tables at each start).
            again = [sys.executable, "-m", "benchmarks.bench_team", "--scale", str(args.scale),
                     "--build", store]  # fmt: skip
            subprocess.run(again, check=True, cwd=Path(__file__).resolve().parents[1])
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = user_env(base)
        task_env = taskwarrior(base)
        # Every engine's reads first, then every engine's import: a read measured just after
        # the other engine's 250,000-row import would share the machine with its writes.
        for name, store in stores.items():
            print(f"{name}…", file=sys.stderr, flush=True)
            results[name] = read_figures(store, env, args.runs, task_env)
        for name, store in stores.items():
            print(f"{name}: call logs during an import…", file=sys.stderr, flush=True)
            results[name]["wait"] = call_logs_during_import(
                store, args.import_rows, args.every, env
            )
    print(f"\nA team of {len(REPS)} on {n_leads:,} leads and {n_calls:,} calls "
          f"(--scale {args.scale:g}); median of {args.runs} runs")  # fmt: skip
    print(f"on {machine()}")
    if not args.db:
        print("PostgreSQL not measured: give --db postgresql://… (a database it may wipe).")
    print()
    for line in table(results, args):
        print(line)


if __name__ == "__main__":
    main()
