"""How fast ``warmcall lead import`` reads leads, against two baselines, in one run.

* **warmcall**: ``warmcall lead import FILE``: every row validated (name, e-mail, enums,
  window), its phone normalised to E.164 and its zone looked up, de-duplicated against the
  store and the file, written in one transaction;
* **sqlite-utils**: ``sqlite-utils insert DB leads FILE --csv``: the same file loaded with no
  validation at all (the usual way to put a CSV into SQLite from the shell);
* **stdlib floor**: ``csv.reader`` into ``executemany``: the least any Python loader can do.

Each runs as its own process on the same seeded file (``benchmarks.dataset.write_leads_csv``)
into a fresh store; the table shows wall time, rows a second, CPU time and peak memory (max
RSS of the child). A second warmcall run on a file four times larger shows that memory does
not grow with the file::

    python benchmarks/bench_import.py            # 100,000 rows
    python benchmarks/bench_import.py --rows 20000
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dataset import write_leads_csv  # noqa: E402

DATA = ROOT / "benchmarks" / ".data"

FLOOR = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
with open(sys.argv[1], newline="", encoding="utf-8") as fh:
    rows = csv.reader(fh)
    header = next(rows)
    conn.execute(f"CREATE TABLE leads ({', '.join(f'c{i}' for i in range(len(header)))})")
    with conn:
        conn.executemany(f"INSERT INTO leads VALUES ({', '.join('?' * len(header))})", rows)
"""


@dataclass
class Run:
    name: str
    rows: int
    wall: float
    cpu: float
    peak_mb: float


# Runs one command and reports its wall time, CPU time (with its worker processes) and peak
# RSS in KB: the largest process of the command's tree. A fresh probe per command, so
# RUSAGE_CHILDREN's maximum is that command's alone.
PROBE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
if done.returncode:
    sys.exit(done.stderr[-500:])
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, use.ru_utime + use.ru_stime, use.ru_maxrss)
"""


def measure(name: str, cmd: list[str], rows: int, env: dict[str, str]) -> Run:
    done = subprocess.run([sys.executable, "-c", PROBE, *cmd], env=env, capture_output=True)
    if done.returncode != 0:
        sys.exit(f"{name} failed: {done.stderr.decode().strip()}")
    wall, cpu, peak_kb = done.stdout.split()
    return Run(name, rows, float(wall), float(cpu), int(peak_kb) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file")
    args = parser.parse_args()
    n = args.rows
    DATA.mkdir(parents=True, exist_ok=True)
    small = write_leads_csv(DATA / f"leads-{n}.csv", n)
    large = write_leads_csv(DATA / f"leads-{4 * n}.csv", 4 * n)
    home = DATA / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    (home / "config.toml").write_text('timezone = "Europe/Madrid"\nregion = "ES"\n')
    env = {**os.environ, "WARMCALL_HOME": str(home), "NO_COLOR": "1"}
    env.pop("WARMCALL_DB", None)
    bin_dir = Path(sys.executable).parent
    sqlite_utils = shutil.which("sqlite-utils", path=str(bin_dir)) or shutil.which("sqlite-utils")
    if sqlite_utils is None:
        sys.exit("sqlite-utils is missing: pip install -e '.[bench]'")

    def fresh(name: str) -> Path:
        db = DATA / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        return db

    def warmcall(file: Path) -> list[str]:
        return [sys.executable, "-m", "warmcall", "lead", "import", str(file), "--json",
                "--db", str(fresh("warmcall"))]  # fmt: skip

    commands = {
        "stdlib csv + executemany": [sys.executable, "-c", FLOOR, str(small), str(fresh("floor"))],
        "sqlite-utils insert --csv": [
            sqlite_utils,
            "insert",
            str(fresh("sqlite-utils")),
            "leads",
            str(small),
            "--csv",
        ],  # fmt: skip
        "warmcall lead import": warmcall(small),
    }
    runs = [measure(name, cmd, n, env) for name, cmd in commands.items()]
    runs.append(measure("warmcall lead import, 4× rows", warmcall(large), 4 * n, env))

    floor = runs[0].wall
    print(f"\nImporting {n:,} leads ({small.stat().st_size / 1e6:.1f} MB CSV); "
          f"{os.cpu_count()} CPUs\n")  # fmt: skip
    print(f"{'':28} {'rows':>9} {'wall s':>8} {'rows/s':>9} {'CPU s':>7} {'× floor':>8} "
          f"{'peak MB':>8}")  # fmt: skip
    for r in runs:
        print(f"{r.name:28} {r.rows:>9,} {r.wall:>8.2f} {r.rows / r.wall:>9,.0f} {r.cpu:>7.2f} "
              f"{r.wall / floor:>8.1f} {r.peak_mb:>8.1f}")  # fmt: skip
    ours, theirs, big = runs[2], runs[1], runs[3]
    verdict = "faster" if ours.wall < theirs.wall else "SLOWER"
    print(
        f"\nwarmcall is {theirs.wall / ours.wall:.2f}× sqlite-utils ({verdict}), validating and "
        f"normalising every row; with 4× the rows its peak memory went from "
        f"{ours.peak_mb:.0f} MB to {big.peak_mb:.0f} MB."
    )
    print("(The seeded file repeats a phone number in about one row of four: warmcall checks "
          "those rows and skips them as duplicates.)")  # fmt: skip


if __name__ == "__main__":
    main()
