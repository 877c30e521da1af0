"""A do-not-call registry of millions of numbers: ``warmcall registry import`` of a
Robinson-shaped file (a number a line) in one streaming pass, its time and peak memory, then
``warmcall next`` over the benchmark book (``bench_next``'s ``current`` shape) without the
list and with it loaded, measured in the same run.

Budgets (issue 23): the import's peak memory stays flat (under 100 MiB, whatever the size
of the file: no set of numbers is held); ``next`` with the list loaded within 1.25× of
``next`` without it (the registry check is an index look-up per batch of candidates, not a
scan), and within its own 100 MiB.

    python -m benchmarks.bench_registry                       # 200,000 numbers, a CI-size run
    python -m benchmarks.bench_registry --numbers 5000000     # issue 23's list
    python -m benchmarks.bench_registry --numbers 5000000 --leads 100000 --calls 1000000

The file lists one in ten of the book's Spanish mobiles (so that the plan really leaves
some out) among random others; it is written to a temp dir, and the book is copied there
from ``benchmarks/.data/`` (built on the first run, as ``bench_next`` builds it), so the
cached book stays without a list.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_next import AT, book, machine, measure, user_env  # noqa: E402

AS_OF = "2026-11-20"


def write_list(path: Path, n_numbers: int, n_leads: int, seed: int = 23) -> int:
    """A Robinson-shaped file of ``n_numbers`` lines, written as it goes: every tenth lead's
    Spanish mobile of the book (``dataset._phone``), in its national spelling, then random
    mobiles. Returns how many of the book's numbers it lists."""
    rng = random.Random(seed)
    ours = [f"6{(i * 7919) % 100000000:08d}" for i in range(0, n_leads, 10) if i % 3]
    ours = ours[:n_numbers]
    with path.open("w", encoding="ascii") as out:
        for number in ours:
            out.write(number + "\n")
        for _ in range(n_numbers - len(ours)):
            out.write(f"6{rng.randrange(10**8):08d}\n")
    return len(ours)


def once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one run of ``cmd`` (an import is not repeated)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        sys.exit(f"{' '.join(cmd)} failed: {err.strip()}")
    if proc.stderr:
        proc.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--numbers", type=int, default=200_000)
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    cached = book("current", args.leads, args.calls)
    warmcall = str(Path(sys.executable).with_name("warmcall"))
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = user_env(base)
        store = base / "book.db"
        shutil.copyfile(cached, store)
        listing = base / "robinson.txt"
        print(f"Writing {args.numbers:,} numbers…", flush=True)
        ours = write_list(listing, args.numbers, args.leads)
        size = listing.stat().st_size / 2**20

        nxt = [warmcall, "next", "--db", str(store), "--at", AT, "--json"]
        without = measure(nxt, env, args.runs)
        imported = once(
            [warmcall, "registry", "import", str(listing), "--name", "robinson",
             "--as-of", AS_OF, "--db", str(store), "--at", AT],
            env,
        )  # fmt: skip
        with_list = measure(nxt, env, args.runs)
        left_out = subprocess.run(
            [warmcall, "next", "--all", "--json", "--db", str(store), "--at", AT],
            env=env, capture_output=True, text=True, check=True,
        ).stdout.count('"excluded": "the number is on the robinson')  # fmt: skip

    print(
        f"\nA registry of {args.numbers:,} numbers ({size:.0f} MiB), the book of "
        f"{args.leads:,} leads and {args.calls:,} calls; next: median of {args.runs} runs"
    )
    print(f"on {machine()}\n")  # fmt: skip
    print(f"{'command':<36}{'time':>10}{'peak RSS':>12}")
    rate = args.numbers / imported[0]
    rows = [
        (f"registry import ({rate:,.0f} numbers/s)", imported),
        ("next --json, no list", without),
        ("next --json, list loaded", with_list),
    ]
    for name, (seconds, rss) in rows:
        print(f"{name:<36}{seconds * 1000:>8.0f} ms{rss:>8.1f} MiB")
    print(f"\nThe list holds {ours:,} of the book's numbers; next --all leaves out {left_out:,}.")
    checks = [
        ("import peak memory", imported[1], 100.0, " MiB"),
        ("next with / without the list", with_list[0] / without[0], 1.25, "×"),
        ("next peak memory, list loaded", with_list[1], 100.0, " MiB"),
    ]
    print()
    failed = False
    for label, value, budget, unit in checks:
        ok = value <= budget
        failed |= not ok
        verdict = "ok" if ok else "OVER"
        print(f"{label:<36}{value:>8.2f}{unit:<4} budget {budget:g}{unit}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
