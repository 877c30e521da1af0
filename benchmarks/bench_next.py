"""``warmcall next`` over 100,000 leads and 1,000,000 calls, beside Taskwarrior's ``task next``
over 10,000 tasks, measured in the same run.

Budgets (issue 4): ``warmcall next`` within 2.5× of ``task next`` with peak memory under
100 MiB; ``warmcall --help`` within 2× of ``python -c "import typer"``. Each command runs as
its own process, as a user runs it: the time is the median wall-clock of ``--runs`` runs
(after one warm-up), the memory the largest peak RSS seen.

    python benchmarks/bench_next.py            # the full size (the store is built once, ~10 s)
    python benchmarks/bench_next.py --leads 10000 --calls 100000 --runs 3

Needs Taskwarrior (``apt-get install -y taskwarrior``); the store and the task data live in
``benchmarks/.data/`` and a temp dir.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.dataset import fill_store  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
TASKS = 10_000
AT = "2026-11-25 07:50"


def measure(cmd: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds and peak RSS (MiB) of ``cmd`` run ``runs`` times after a warm-up."""
    times, peak = [], 0.0
    for n in range(runs + 1):
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
        if n:  # the first run warms the page cache
            times.append(elapsed)
            peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak


def taskwarrior(base: Path) -> dict[str, str]:
    """A TASKDATA with 10,000 pending tasks, made with ``task import``."""
    task = shutil.which("task")
    if task is None:
        sys.exit("Taskwarrior is not installed: run `apt-get install -y taskwarrior`, then again.")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    store = DATA / f"next-{args.leads}-{args.calls}.db"
    if not store.exists():
        print(f"Filling {store.name} ({args.leads:,} leads, {args.calls:,} calls)…", flush=True)
        fill_store(store, args.leads, args.calls)

    warmcall = str(Path(sys.executable).with_name("warmcall"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "config.toml").write_text('timezone = "Europe/Madrid"\nregion = "ES"\n')
        env = {**os.environ, "WARMCALL_HOME": str(base), "NO_COLOR": "1", "COLUMNS": "100"}
        env.pop("WARMCALL_DB", None)
        task_env = taskwarrior(base)
        commands = {
            "warmcall next": ([warmcall, "next", "--db", str(store), "--at", AT], env),
            f"task next ({TASKS:,} tasks)": (["task", "next"], task_env),
            'python -c "import typer"': ([sys.executable, "-c", "import typer"], env),
            "warmcall --help": ([warmcall, "--help"], env),
        }
        results = {name: measure(cmd, e, args.runs) for name, (cmd, e) in commands.items()}

    names = list(results)
    print(f"\nwarmcall next over {args.leads:,} leads and {args.calls:,} calls; "
          f"median of {args.runs} runs\n")  # fmt: skip
    print(f"{'command':<32}{'time':>9}{'peak RSS':>12}")
    for name, (seconds, rss) in results.items():
        print(f"{name:<32}{seconds * 1000:>7.0f} ms{rss:>8.1f} MiB")
    nxt, task = results[names[0]], results[names[1]]
    typer_, help_ = results[names[2]], results[names[3]]
    checks = [
        ("next / task next", nxt[0] / task[0], 2.5, "×"),
        ("next peak memory", nxt[1], 100.0, " MiB"),
        ("--help / import typer", help_[0] / typer_[0], 2.0, "×"),
    ]
    print()
    failed = False
    for label, value, budget, unit in checks:
        ok = value <= budget
        failed |= not ok
        print(
            f"{label:<32}{value:>8.2f}{unit:<4} budget {budget:g}{unit}  {'ok' if ok else 'OVER'}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
