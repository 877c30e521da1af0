"""``warmcall next`` over 100,000 leads and 1,000,000 calls, beside Taskwarrior's ``task next``
over 10,000 tasks, measured in the same run.

Budgets (issues 4 and 19): ``warmcall next`` within 2.5× of ``task next`` (aim: 1.5×) with
peak memory under 100 MiB; ``warmcall --help`` within 2× of ``python -c "import typer"``.
Each command runs as its own process, as a user runs it (an installed program keeps its
compiled bytecode, so ``PYTHONDONTWRITEBYTECODE`` is dropped): the time is the median
wall-clock of ``--runs`` runs (after one warm-up), the memory the largest peak RSS seen.

    python -m benchmarks.bench_next --shape imported   # issue 19: a real book, next --json
    python -m benchmarks.bench_next --shape imported --leads 10000 --calls 100000 --runs 3
    python -m benchmarks.bench_next                    # the benchmark's own shape
    python -m benchmarks.bench_next --shape busy-year  # issue 11: a busy year, next --json

Shapes: ``imported`` (issue 19: a leads CSV — name, company, e-mail, a ``+34 6…`` mobile,
temperature cold/warm/warm/hot, window early/midday/any/any, source — and a calls CSV of
e-mail, time and outcome, spread evenly over the past twelve months with the outcome mix of
a real book, loaded through the real ``lead import`` and ``call import``; the first run
builds it, about two minutes for the full size, and keeps it), ``current`` (the
benchmark's own, written directly: 120 days of calls, a third of the leads in New York) and
``busy-year`` (issue 11, written directly: three in four leads warm or hot, windows mixed,
all Spanish mobiles, a year of calls with the same outcome mix).

Taskwarrior (``apt-get install -y taskwarrior``) is the baseline: without it the benchmark
says so and prints warmcall's figures alone. The stores live in ``benchmarks/.data/``, the
task data in a temp dir.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dataset import FIRST, LAST, NOW, fill_store  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
TASKS = 10_000
AT = "2026-11-25 07:50"
# Issue 11's busy year: the outcome of a dial, by weight (per cent).
BUSY_OUTCOMES = {
    "no-answer": 30, "voicemail": 25, "connected": 25, "busy": 8,
    "meeting": 4, "callback": 4, "not-interested": 4,
}  # fmt: skip
BUSY_WINDOWS = ["early", "midday", "any", "early,midday", "09:00-11:00", "16:00-19:00"]


def fill_busy_year(path: Path, n_leads: int, n_calls: int, seed: int = 5) -> Path:
    """Issue 11's busy year, written directly into a migrated store: ``n_leads`` leads (three
    in four warm or hot, windows mixed, all Spanish mobiles) and ``n_calls`` calls spread
    evenly over the past 365 days with ``BUSY_OUTCOMES``; a meeting or a callback in the
    last two weeks leaves an open follow-up, as ``call log --next`` would."""
    import random
    import sqlite3

    from warmcall.compliance.zones import settled
    from warmcall.store.db import open_db

    open_db(path).close()
    rng = random.Random(seed)
    now = int(NOW.timestamp())
    year = 365 * 86400
    conn = sqlite3.connect(path)
    leads = []
    for i in range(n_leads):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        mobile = f"6{rng.randrange(10**8):08d}"
        temp = rng.choice(["cold", "warm", "warm", "hot"])
        stage = rng.choice(["lead", "lead", "mql", "pql", "sql", "prospect"])
        consent = rng.choice(["b2b", "b2b", "form", "opt-in", "none"])
        status = "active" if i % 50 else rng.choice(["won", "lost", "dnc"])
        added = now - year - rng.randrange(90 * 86400)
        leads.append((name, name.casefold(), f"Company {i % 997}", mobile, "+34" + mobile,
                      f"lead{i}@example.com", temp, stage, status, "trade show", "met at the fair",
                      consent, rng.choice(BUSY_WINDOWS), "ES", added, added,
                      settled(None, "+34" + mobile, "ES", None)))  # fmt: skip
    conn.executemany(
        "INSERT INTO leads (name, name_key, company, phone, phone_e164, email, temperature, "
        "stage, status, source, context, consent, window, country, created_at, updated_at, "
        "zones) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        leads,
    )
    outcomes = rng.choices(list(BUSY_OUTCOMES), weights=list(BUSY_OUTCOMES.values()), k=n_calls)
    calls = sorted(
        (rng.randrange(1, n_leads + 1), now - rng.randrange(year), outcome) for outcome in outcomes
    )
    conn.executemany(
        "INSERT INTO calls (lead_id, at, outcome, channel, notes, created_at) "
        "VALUES (?, ?, ?, 'phone', 'talked about pricing', ?)",
        ((lead_id, at, outcome, at) for lead_id, at, outcome in calls),
    )
    last: dict[int, tuple[int, str]] = {}
    for lead_id, at, outcome in calls:
        last[lead_id] = (at, outcome)
    followups = [
        (lead_id, at + rng.randrange(1, 21) * 86400, 1, "call back as agreed", None, at)
        for lead_id, (at, outcome) in last.items()
        if outcome in ("meeting", "callback") and at > now - 14 * 86400
    ]
    conn.executemany(
        "INSERT INTO followups (lead_id, due_at, has_time, action, goal, created_at, status) "
        "VALUES (?, ?, ?, ?, ?, ?, 'open')",
        followups,
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return path


IMPORTED_TEMPERATURES = ["cold", "warm", "warm", "hot"]
IMPORTED_WINDOWS = ["early", "midday", "any", "any"]


def write_imported_csvs(
    base: Path, n_leads: int, n_calls: int, seed: int = 19
) -> tuple[Path, Path]:
    """Issue 19's book as a user exports it from other tools: a leads CSV (name, company,
    e-mail, a ``+34 6…`` mobile, temperature, window, source) and a calls CSV (e-mail, at,
    outcome) with ``n_calls`` calls spread evenly over the twelve months before ``NOW``."""
    import csv
    import random

    rng = random.Random(seed)
    leads, calls = base / "leads.csv", base / "calls.csv"
    with leads.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["name", "company", "email", "phone", "temperature", "window", "source"])
        for i in range(n_leads):
            mobile = 600_000_000 + (i * 7_919) % 100_000_000
            digits = f"{mobile:09d}"
            out.writerow([
                f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"Company {i % 997}",
                f"lead{i}@example.com", f"+34 {digits[:3]} {digits[3:6]} {digits[6:]}",
                rng.choice(IMPORTED_TEMPERATURES), rng.choice(IMPORTED_WINDOWS),
                rng.choice(["trade show", "web form", "referral", "webinar"]),
            ])  # fmt: skip
    year = 365 * 86400
    outcomes = rng.choices(list(BUSY_OUTCOMES), weights=list(BUSY_OUTCOMES.values()), k=n_calls)
    with calls.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["email", "at", "outcome"])
        for n, outcome in enumerate(outcomes):
            at = NOW.timestamp() - year + (n + rng.random()) * year / n_calls
            moment = datetime.fromtimestamp(int(at), UTC).isoformat()
            out.writerow([f"lead{rng.randrange(n_leads)}@example.com", moment, outcome])
    return leads, calls


def fill_imported(path: Path, n_leads: int, n_calls: int) -> Path:
    """Issue 19's book, loaded as a user loads it: ``lead import`` and ``call import`` of
    the CSVs of ``write_imported_csvs``, each a process of the real program, as of ``NOW``."""
    warmcall = str(Path(sys.executable).with_name("warmcall"))
    at = NOW.isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "config.toml").write_text('timezone = "Europe/Madrid"\nregion = "ES"\n')
        env = {**os.environ, "WARMCALL_HOME": str(base), "NO_COLOR": "1"}
        env.pop("WARMCALL_DB", None)
        leads, calls = write_imported_csvs(base, n_leads, n_calls)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        for kind, source in (("lead", leads), ("call", calls)):
            subprocess.run(
                [warmcall, kind, "import", str(source), "--db", str(partial), "--at", at],
                env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        partial.rename(path)
    return path


def _run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one run of ``cmd``; a failure ends the benchmark."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()}")
    if proc.stderr:
        proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def measure(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds and peak RSS (MiB) of ``cmd`` run ``runs`` times after a warm-up."""
    _run_once(cmd, env)  # the first run warms the page cache
    done = [_run_once(cmd, env) for _ in range(runs)]
    return statistics.median(t for t, _ in done), max(rss for _, rss in done)


def measure_beside(
    cmd: list[str], env: dict[str, str], other: list[str], other_env: dict[str, str], runs: int
) -> tuple[float, float, float]:
    """``cmd``'s median seconds and peak RSS, and ``other``'s median seconds, the two run in
    turn (after a warm-up each): a ratio of the two compares runs made in the same state of
    the machine, whose speed here drifts by a third within a minute."""
    _run_once(other, other_env)
    _run_once(cmd, env)
    mine, theirs = [], []
    for _ in range(runs):
        theirs.append(_run_once(other, other_env)[0])
        mine.append(_run_once(cmd, env))
    return (
        statistics.median(t for t, _ in mine),
        max(rss for _, rss in mine),
        statistics.median(theirs),
    )


def taskwarrior(base: Path) -> dict[str, str] | None:
    """A TASKDATA with 10,000 pending tasks, made with ``task import`` (None: no Taskwarrior)."""
    task = shutil.which("task")
    if task is None:
        return None
    data = base / "taskdata"
    data.mkdir()
    rc = base / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\nhooks=off\n")
    env = {**os.environ, "TASKDATA": str(data), "TASKRC": str(rc)}
    lines = []
    for i in range(TASKS):
        task_json = {
            "uuid": f"{i:08x}-0000-4000-8000-{i:012x}",
            "description": f"Call lead {i} about the revised offer",
            "status": "pending",
            "entry": "20261101T090000Z",
            "project": ("sales", "ops", "crm")[i % 3],
            "priority": ("H", "M", "L")[i % 3],
            "tags": [("call", "mail")[i % 2]],
        }
        if i % 5 == 0:
            task_json["due"] = f"202612{1 + i % 27:02d}T100000Z"
        lines.append(json.dumps(task_json))
    source = base / "tasks.json"
    source.write_text("\n".join(lines) + "\n")
    subprocess.run([task, "import", str(source)], env=env, check=True, capture_output=True)
    return env


def machine() -> str:
    """The machine the figures come from: CPU model, cores, load, Python."""
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " ".join(line.split(":", 1)[1].split())
                break
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    python = ".".join(map(str, sys.version_info[:3]))
    return f"{model}, {os.cpu_count()} cores, load {load:.1f}, Python {python}"


def book_path(shape: str, leads: int, calls: int) -> Path:
    prefix = {"current": "", "busy-year": "busy-", "imported": "imported-"}[shape]
    return DATA / f"next-{prefix}{leads}-{calls}.db"


def book(shape: str, leads: int, calls: int) -> Path:
    """The benchmark book of ``shape`` in ``DATA``, built on the first run."""
    DATA.mkdir(exist_ok=True)
    store = book_path(shape, leads, calls)
    if not store.exists():
        how = " through lead import and call import" if shape == "imported" else ""
        print(f"Filling {store.name} ({leads:,} leads, {calls:,} calls){how}…", flush=True)
        # In a process of its own: a child forked from a big parent reports the parent's
        # memory as its own peak.
        build = [sys.executable, "-m", "benchmarks.bench_next", "--build", "--shape", shape,
                 "--leads", str(leads), "--calls", str(calls)]  # fmt: skip
        subprocess.run(build, check=True, cwd=Path(__file__).resolve().parents[1])
    return store


def user_env(base: Path) -> dict[str, str]:
    """A user of Madrid whose home is ``base``, as the benchmarks run warmcall."""
    (base / "config.toml").write_text('timezone = "Europe/Madrid"\nregion = "ES"\n')
    # As a user runs it: an installed program keeps its compiled bytecode.
    env = {**os.environ, "WARMCALL_HOME": str(base), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("WARMCALL_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--shape", choices=["current", "busy-year", "imported"], default="current")
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.build:
        fill = {"current": fill_store, "busy-year": fill_busy_year, "imported": fill_imported}
        fill[args.shape](book_path(args.shape, args.leads, args.calls), args.leads, args.calls)
        return
    store = book(args.shape, args.leads, args.calls)
    extra = [] if args.shape == "current" else ["--json"]

    warmcall = str(Path(sys.executable).with_name("warmcall"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = user_env(base)
        task_env = taskwarrior(base)
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "warmcall next" + (" --json" if extra else ""): (
                [warmcall, "next", "--db", str(store), "--at", AT, *extra],
                env,
            ),
        }
        if task_env is not None:
            commands[f"task next ({TASKS:,} tasks)"] = (["task", "next"], task_env)
        commands['python -c "import typer"'] = ([sys.executable, "-c", "import typer"], env)
        commands["warmcall --help"] = ([warmcall, "--help"], env)
        results = {name: measure(cmd, e, args.runs) for name, (cmd, e) in commands.items()}

    print(f"\nwarmcall next over {args.leads:,} leads and {args.calls:,} calls "
          f"({args.shape}); median of {args.runs} runs")  # fmt: skip
    print(f"on {machine()}\n")
    print(f"{'command':<32}{'time':>9}{'peak RSS':>12}")
    for name, (seconds, rss) in results.items():
        print(f"{name:<32}{seconds * 1000:>7.0f} ms{rss:>8.1f} MiB")
    nxt = next(iter(results.values()))
    task = next((v for k, v in results.items() if k.startswith("task next")), None)
    typer_, help_ = results['python -c "import typer"'], results["warmcall --help"]
    checks: list[tuple[str, float | None, float, str]] = [
        ("next / task next", nxt[0] / task[0] if task else None, 2.5, "×"),
        ("next peak memory", nxt[1], 100.0, " MiB"),
        ("--help / import typer", help_[0] / typer_[0], 2.0, "×"),
    ]
    print()
    failed = False
    for label, value, budget, unit in checks:
        if value is None:
            print(
                f"{label:<32}{'n/a':>8}     Taskwarrior is missing: apt-get install -y taskwarrior"
            )
            continue
        ok = value <= budget
        failed |= not ok
        print(
            f"{label:<32}{value:>8.2f}{unit:<4} budget {budget:g}{unit}  {'ok' if ok else 'OVER'}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
