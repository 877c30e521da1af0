"""How fast ``warmcall lead import`` reads leads, against two baselines, in one run.

* **warmcall**: ``warmcall lead import FILE``: every row validated (name, e-mail, enums,
  window), its phone normalised to E.164 and its zone looked up, de-duplicated against the
  store and the file, written in one transaction; its phone numbers read by a second process
  (``warmcall.phones.worker``) while it checks the rows, and each batch written (and the next
  looked up) by a thread of its own meanwhile: the import uses two cores, so on a machine
  shared with other work its wall time varies more than a one-process loader's;
* **sqlite-utils**: ``sqlite-utils insert DB leads FILE --csv``: the same file loaded with no
  validation at all (the usual way to put a CSV into SQLite from the shell);
* **stdlib floor**: ``csv.reader`` into ``executemany``: the least any Python loader can do.

Each runs as its own process on the same seeded file (``benchmarks.dataset.write_leads_csv``);
warmcall into an empty store that already exists (as a user's does: creating one runs the
migrations once), the others into a new file. The machine may be shared, so the three take
turns ``--repeat`` times and the table shows each one's median: wall time, CPU time (its
processes' user + system), rows a second (of wall time) and peak memory (max RSS of its
largest process). A last warmcall run on a file four times larger shows that memory does
not grow with the file, and one on the same rows as an Excel workbook (.xlsx, read by
python-calamine) how a workbook compares::

    python benchmarks/bench_import.py                 # 100,000 rows, 3 turns
    python benchmarks/bench_import.py --rows 20000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dataset import write_leads_csv  # noqa: E402


def write_leads_xlsx(csv_path: Path, path: Path) -> Path:
    """The same rows as a workbook (openpyxl, the bench extra), written once and kept."""
    import csv

    if path.exists() and path.stat().st_mtime >= csv_path.stat().st_mtime:
        return path
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Leads")
    with csv_path.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    book.save(path)
    return path


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

# Runs one command and prints its wall time, CPU time (with any processes it starts) and
# peak RSS in KB. A fresh probe per command, so RUSAGE_CHILDREN is that command's alone.
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


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float


def measure(name: str, cmd: list[str], env: dict[str, str]) -> Run:
    done = subprocess.run([sys.executable, "-c", PROBE, *cmd], env=env, capture_output=True)
    if done.returncode != 0:
        sys.exit(f"{name} failed: {done.stderr.decode().strip()}")
    wall, cpu, peak_kb = done.stdout.split()
    return Run(float(wall), float(cpu), int(peak_kb) / 1024)


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        statistics.median(r.peak_mb for r in runs),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file")
    parser.add_argument("--repeat", type=int, default=3, help="turns each command takes")
    args = parser.parse_args()
    n = args.rows
    DATA.mkdir(parents=True, exist_ok=True)
    small = write_leads_csv(DATA / f"leads-{n}.csv", n)
    large = write_leads_csv(DATA / f"leads-{4 * n}.csv", 4 * n)
    workbook = write_leads_xlsx(small, DATA / f"leads-{n}.xlsx")
    home = DATA / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    # Like most users, a zone and no phone region: warmcall infers Spain from the zone.
    (home / "config.toml").write_text('timezone = "Europe/Madrid"\n')
    env = {**os.environ, "WARMCALL_HOME": str(home), "NO_COLOR": "1"}
    env.pop("WARMCALL_DB", None)
    bin_dir = Path(sys.executable).parent
    sqlite_utils = shutil.which("sqlite-utils", path=str(bin_dir)) or shutil.which("sqlite-utils")
    if sqlite_utils is None:
        sys.exit("sqlite-utils is missing: pip install -e '.[bench]'")
    empty = DATA / "empty-store.db"
    empty.unlink(missing_ok=True)
    # (a read command no longer makes a store: open it as a writer does)
    subprocess.run([sys.executable, "-c", "import sys; from warmcall.store.db import open_db; "
                    "open_db(sys.argv[1]).close()", str(empty)],
                   env=env, check=True, capture_output=True)  # fmt: skip

    def fresh(name: str, template: Path | None = None) -> Path:
        db = DATA / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        if template is not None:
            shutil.copy(template, db)
        return db

    def warmcall(file: Path) -> list[str]:
        return [sys.executable, "-m", "warmcall", "lead", "import", str(file), "--json",
                "--db", str(fresh("warmcall", empty))]  # fmt: skip

    commands = {
        "stdlib csv + executemany": lambda: [
            sys.executable, "-c", FLOOR, str(small), str(fresh("floor"))
        ],
        "sqlite-utils insert --csv": lambda: [
            sqlite_utils, "insert", str(fresh("sqlite-utils")), "leads", str(small), "--csv"
        ],
        "warmcall lead import": lambda: warmcall(small),
    }  # fmt: skip
    turns: dict[str, list[Run]] = {name: [] for name in commands}
    for turn in range(args.repeat):
        for name, cmd in commands.items():
            turns[name].append(measure(name, cmd(), env))
        print(f"turn {turn + 1} of {args.repeat} done", file=sys.stderr)
    runs = {name: (n, median(r)) for name, r in turns.items()}
    runs["warmcall lead import, 4× rows"] = (4 * n, measure("4×", warmcall(large), env))
    runs["warmcall lead import, .xlsx"] = (n, measure("xlsx", warmcall(workbook), env))

    print(f"\nImporting {n:,} leads ({small.stat().st_size / 1e6:.1f} MB CSV); "
          f"{os.cpu_count()} CPUs; median of {args.repeat} turns\n")  # fmt: skip
    print(f"{'':30} {'rows':>9} {'wall s':>7} {'CPU s':>7} {'rows/s':>9} {'peak MB':>8}")
    for name, (rows, r) in runs.items():
        print(f"{name:30} {rows:>9,} {r.wall:>7.2f} {r.cpu:>7.2f} {rows / r.wall:>9,.0f} "
              f"{r.peak_mb:>8.1f}")  # fmt: skip
    ours = runs["warmcall lead import"][1]
    theirs = runs["sqlite-utils insert --csv"][1]
    big = runs["warmcall lead import, 4× rows"][1]
    print(
        f"\nwarmcall against sqlite-utils, validating and normalising every row: "
        f"{theirs.wall / ours.wall:.2f}× as fast in wall time, {theirs.cpu / ours.cpu:.2f}× in "
        f"CPU time (above 1: faster); with 4× the rows its peak memory went from "
        f"{ours.peak_mb:.0f} MB to {big.peak_mb:.0f} MB."
    )
    xlsx = runs["warmcall lead import, .xlsx"][1]
    print(f"The same rows from an .xlsx workbook: {xlsx.wall:.2f} s, {xlsx.peak_mb:.0f} MB peak.")
    print("(The seeded file repeats a phone number in about one row of four: under another "
          "name such a row is a new lead, noted as a possible duplicate; under a compatible "
          "one it is merged into the first.)")  # fmt: skip


if __name__ == "__main__":
    main()
