"""Three reps' mornings at once on one PostgreSQL store (SPEC §8): each rep a process of its
own (the whole program, as their shell runs it) importing, planning and logging calls while
the others do, then what the store holds is checked: no lead on two plans, no call lost,
no lead twice, and every rest held across reps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="set WARMCALL_TEST_PG to a database to wipe")

REPS = ("ana", "luis", "eva")
MORNING = "2026-11-25 08:00"  # a Wednesday in Madrid; every rep plans this morning
LATER = "2026-11-25 10:00"

# One rep's morning, as a shell would run it: import their file (the three files share
# people), plan, log a no-answer on each lead planned, and say what they planned and logged.
MORNING_SCRIPT = textwrap.dedent(
    """
    import json, subprocess, sys

    rep, csv_file = sys.argv[1], sys.argv[2]
    def run(*args):
        return subprocess.run([sys.executable, "-m", "warmcall", "--rep", rep, *args],
                              capture_output=True, text=True)
    imported = run("lead", "import", csv_file, "--at", "2026-11-24 09:00")
    plan = run("next", "--json", "--limit", "4", "--at", "{morning}")
    planned = [row["lead_id"] for row in json.loads(plan.stdout or "[]")]
    logged = []
    for lead in planned:
        done = run("call", "log", str(lead), "-o", "no-answer", "--at", "{morning}")
        logged.append([lead, done.returncode, done.stderr])
    print(json.dumps({{"import": [imported.returncode, imported.stderr],
                      "plan": [plan.returncode, plan.stderr],
                      "planned": planned, "logged": logged}}))
    """
).format(morning=MORNING)


def _wipe() -> None:
    from warmcall.store.db import SqlAlchemyDatabase, open_db

    with SqlAlchemyDatabase(str(PG_URL)) as fresh:
        fresh.execute("DROP SCHEMA public CASCADE")
        fresh.execute("CREATE SCHEMA public")
    open_db(str(PG_URL)).close()


def _files(folder: Path) -> list[Path]:
    """A file a rep: ten people of their own and ten everyone's file holds too."""
    shared = [f"Shared {i},+34 611 000 {i:03d},hot" for i in range(10)]
    files = []
    for n, rep in enumerate(REPS):
        own = [f"{rep.title()} {i},+34 62{n} 000 {i:03d},hot" for i in range(10)]
        path = folder / f"{rep}.csv"
        path.write_text("name,phone,temperature\n" + "\n".join(own + shared) + "\n")
        files.append(path)
    return files


def test_three_reps_mornings_at_once(home: Path, tmp_path: Path, monkeypatch):
    _wipe()
    monkeypatch.setenv("WARMCALL_DB", str(PG_URL))
    script = tmp_path / "morning.py"
    script.write_text(MORNING_SCRIPT)
    env = dict(os.environ)
    procs = [
        subprocess.Popen([sys.executable, str(script), rep, str(path)], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for rep, path in zip(REPS, _files(tmp_path), strict=True)
    ]  # fmt: skip
    mornings = {}
    for rep, proc in zip(REPS, procs, strict=True):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        mornings[rep] = json.loads(out)
    for rep, morning in mornings.items():
        assert morning["import"][0] == 0, (rep, morning["import"])
        assert morning["plan"][0] == 0, (rep, morning["plan"])
        assert morning["planned"], rep  # every rep had calls to make
        assert all(code == 0 for _lead, code, _err in morning["logged"]), morning["logged"]

    # no lead on two reps' plans
    planned = [lead for morning in mornings.values() for lead in morning["planned"]]
    assert len(planned) == len(set(planned))

    from warmcall.store.db import open_db

    with open_db(str(PG_URL)) as db:
        # no call lost: one a call logged, each by its rep
        calls = db.query("SELECT lead_id, rep FROM calls ORDER BY lead_id")
        expected = sorted(
            (lead, rep) for rep, morning in mornings.items() for lead, _c, _e in morning["logged"]
        )
        assert sorted((c["lead_id"], c["rep"]) for c in calls) == expected
        # no person twice, though three files holding the same ten were imported at once
        twice = db.query(
            "SELECT phone_e164, COUNT(*) AS n FROM leads GROUP BY phone_e164 HAVING COUNT(*) > 1"
        )
        assert twice == []
        assert db.one("SELECT COUNT(*) AS n FROM leads")["n"] == 10 * len(REPS) + 10

    # every lead called this morning rests for every rep, whoever called it (the first rep
    # to plan again takes every other shared lead: later ones may have none left)
    again: set[int] = set()
    for rep in REPS:
        later = subprocess.run(
            [sys.executable, "-m", "warmcall", "--rep", rep, "next", "--json", "--limit", "100",
             "--at", LATER],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert later.returncode == 0, later.stderr
        again |= {row["lead_id"] for row in json.loads(later.stdout)}
    assert again and not again & set(planned)


def _role_url(role: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(str(PG_URL)).set(username=role, password="warmcall-test")
    return url.render_as_string(hide_password=False)


def _roles(names: list[str]) -> None:
    """Login roles for reps (and a manager), with the rights an administrator grants them."""
    from warmcall.store.db import SqlAlchemyDatabase

    with SqlAlchemyDatabase(str(PG_URL)) as admin:
        if not admin.one("SELECT 1 AS x FROM pg_roles WHERE rolname = 'warmcall_manager'"):
            admin.execute("CREATE ROLE warmcall_manager NOLOGIN")
        for name in names:
            if not admin.one("SELECT 1 AS x FROM pg_roles WHERE rolname = :n", {"n": name}):
                admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'warmcall-test'")
            admin.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
            admin.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}"
            )
            admin.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")


def test_a_reps_role_cannot_read_a_colleagues_private_notes(home: Path, monkeypatch):
    _wipe()
    from warmcall.store.db import SqlAlchemyDatabase, open_db

    with SqlAlchemyDatabase(str(PG_URL)) as admin:
        base = admin.one("SELECT current_database() AS d")["d"]
    rep_a, rep_b, boss = f"{base}_rep_a", f"{base}_rep_b", f"{base}_boss"
    _roles([rep_a, rep_b, boss])
    with SqlAlchemyDatabase(str(PG_URL)) as admin:
        admin.execute(f"GRANT warmcall_manager TO {boss}")
    env = {**os.environ, "WARMCALL_DB": _role_url(rep_a)}

    def warmcall(rep: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "warmcall", "--rep", rep, *args],
            env={**env, "WARMCALL_DB": _role_url(rep)}, capture_output=True, text=True,
        )  # fmt: skip

    added = warmcall(rep_a, "lead", "add", "Ana Private", "--phone", "612 345 678",
                     "--at", "2026-11-24 09:00")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert warmcall(rep_a, "lead", "assign", "Ana Private", rep_a).returncode == 0
    logged = warmcall(rep_a, "call", "log", "Ana Private", "-o", "connected", "--notes",
                      "budget is 40k, do not tell anyone", "--at", "2026-11-24 10:00")  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    shared = warmcall(rep_b, "lead", "add", "Everyone's", "--phone", "612 345 679",
                      "--at", "2026-11-24 09:00")  # fmt: skip
    assert shared.returncode == 0, shared.stderr

    with open_db(_role_url(rep_b)) as as_b:
        assert [r["name"] for r in as_b.query("SELECT name FROM leads")] == ["Everyone's"]
        assert as_b.query("SELECT notes FROM calls") == []
    refused = warmcall(rep_b, "lead", "show", "Ana Private")
    assert refused.returncode == 1 and "40k" not in refused.stdout + refused.stderr
    with open_db(_role_url(rep_a)) as as_a:
        assert [r["notes"] for r in as_a.query("SELECT notes FROM calls")] == [
            "budget is 40k, do not tell anyone"
        ]
    with open_db(_role_url(boss)) as as_boss:
        assert len(as_boss.query("SELECT name FROM leads")) == 2
        assert len(as_boss.query("SELECT notes FROM calls")) == 1
