"""The phone worker of an import lives only as long as the import: kill -9 the importer and
no process is left, the caller's pipe closes, and the store holds all of the file or none."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from warmcall.imports.leads import BATCH
from warmcall.phones.worker import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="the worker is forked on Linux only")

ROWS = BATCH * 5  # the worker starts at the second batch


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def leads_in(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        try:
            return conn.execute("SELECT count(*) FROM leads").fetchone()[0]
        except sqlite3.OperationalError:  # killed before the schema was made
            return 0


@pytest.fixture
def big_csv(tmp_path: Path) -> Path:
    path = tmp_path / "big.csv"
    lines = ["name,email,phone"]
    lines += [f"Person {i},p{i}@example.com,+34 6{10_000_000 + i * 37:08d}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "term"])
def test_killing_an_import_leaves_no_worker_and_an_intact_store(tmp_path, big_csv, how):
    db = tmp_path / "store.db"
    env = {**os.environ, "WARMCALL_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    env.pop("WARMCALL_DB", None)
    importer = subprocess.Popen(
        [sys.executable, "-m", "warmcall", "lead", "import", str(big_csv), "--db", str(db),
         "--at", "2026-11-25 07:50"],
        stdout=subprocess.PIPE,  # as in $(warmcall lead import …)
        stderr=subprocess.PIPE,
        env=env,
    )  # fmt: skip
    try:
        workers: list[int] = []
        started = wait_for(lambda: bool(workers.extend(children(importer.pid)) or workers), 60)
        if not started or importer.poll() is not None:
            pytest.skip("the import ended before its worker could be seen on this machine")
        importer.send_signal(how)
        importer.wait(10)
        # The worker dies with its parent, and nobody holds the caller's pipe any more.
        assert wait_for(lambda: not any(alive(w) for w in workers), 5), workers
        out, err = importer.communicate(timeout=5)
    finally:
        if importer.poll() is None:
            importer.kill()
    assert b"Traceback" not in err
    assert leads_in(db) in (0, ROWS)  # all or nothing
