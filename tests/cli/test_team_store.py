"""A team's PostgreSQL store through every command (runs where WARMCALL_TEST_PG is set)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="set WARMCALL_TEST_PG to a database to wipe")


@pytest.fixture
def team_db(home) -> str:
    from warmcall.store.db import SqlAlchemyDatabase

    with SqlAlchemyDatabase(str(PG_URL)) as fresh:
        fresh.execute("DROP SCHEMA public CASCADE")
        fresh.execute("CREATE SCHEMA public")
    return str(PG_URL)


def test_a_morning_on_a_team_store(cli, team_db: str):
    at = ("--at", "2026-11-25 07:50")
    added = cli("lead", "add", "Ana Martínez", "--phone", "612 345 678", "--window", "early",
                "--temperature", "hot", "--context", "Expo Retail", "--db", team_db)  # fmt: skip
    assert added.exit_code == 0, added.output
    logged = cli("call", "log", "ana", "--outcome", "connected", "--at", "2026-11-20 08:10",
                 "--next", "2026-11-25 08:00", "--next-action", "send the offer",
                 "--db", team_db)  # fmt: skip
    assert logged.exit_code == 0, logged.output

    plan = json.loads(cli("next", *at, "--json", "--db", team_db).stdout)
    assert [row["name"] for row in plan] == ["Ana Martínez"]
    assert plan[0]["followup"]["action"] == "send the offer"

    script = json.loads(cli("script", "ana", *at, "--json", "--db", team_db).stdout)
    assert script["lead_id"] == plan[0]["lead_id"] and len(script["slots"]) == 2

    report = json.loads(cli("report", "--week", "2026-W47", "--json", "--db", team_db).stdout)
    assert report["conversations"] == 1 and report["followups_set"] == 1

    shown = json.loads(cli("lead", "show", "ana", "--json", "--db", team_db).stdout)
    assert [c["outcome"] for c in shown["calls"]] == ["connected"]
    # nothing went to the local SQLite store
    assert json.loads(cli("lead", "list", "--json").stdout) == []


def test_two_first_commands_on_a_new_team_store_do_not_race(team_db: str):
    from tests.test_store import race_open
    from warmcall.store.db import SCHEMA_HEAD, open_db, schema_version

    assert race_open(team_db, count=3) == [(0, "")] * 3
    with open_db(team_db) as db:
        assert schema_version(db) == SCHEMA_HEAD
        assert db.one("SELECT COUNT(*) AS n FROM leads")["n"] == 3


def test_a_database_of_another_program_is_refused_untouched(cli, team_db: str):
    from warmcall.store.db import SqlAlchemyDatabase

    with SqlAlchemyDatabase(team_db) as other:
        other.execute("CREATE TABLE invoices (id SERIAL PRIMARY KEY, total NUMERIC)")
    result = cli("lead", "add", "Ana", "--at", "2026-11-25 07:50", "--db", team_db)
    assert result.exit_code == 1
    assert "is not a warmcall store (it holds other tables, such as 'invoices')" in result.stderr
    assert "warmcall:warmcall@" not in result.stderr  # no password in messages
    with SqlAlchemyDatabase(team_db) as other:
        assert other.tables() == {"invoices"}


def _people_csv(path, n: int):
    lines = ["name,email,phone"]
    lines += [f"Person {i},person{i}@example.com,+34 6{i:08d}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_two_imports_of_one_file_at_once_never_duplicate(team_db: str, home, tmp_path):
    import os
    import subprocess
    import sys

    from warmcall.store.db import open_db

    open_db(team_db).close()  # an existing team store, as after its first command
    people = _people_csv(tmp_path / "people.csv", 3000)
    env = {**os.environ, "WARMCALL_HOME": str(home)}
    command = [sys.executable, "-m", "warmcall", "lead", "import", str(people), "--json",
               "--at", "2026-11-25 07:50", "--db", team_db]  # fmt: skip
    procs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
    assert outcomes == [(0, ""), (0, "")]
    with open_db(team_db) as db:
        assert db.one("SELECT COUNT(*) AS n FROM leads")["n"] == 3000
        assert db.one("SELECT COUNT(DISTINCT email) AS n FROM leads")["n"] == 3000


def test_a_follow_up_after_2038_on_a_team_store(cli, team_db: str, monkeypatch):
    from datetime import UTC, datetime

    # The clock itself past 2038: the call below is in the past, its follow-up too.
    monkeypatch.setattr("warmcall.clock.utcnow", lambda: datetime(2038, 2, 1, 9, 0, tzinfo=UTC))
    assert cli("lead", "add", "Ana", "--phone", "612 345 678", "--at", "2038-01-10 09:00",
               "--db", team_db).exit_code == 0  # fmt: skip
    logged = cli("call", "log", "ana", "--outcome", "connected", "--at", "2038-01-18 10:00",
                 "--next", "2038-02-01 10:00", "--next-action", "send the offer",
                 "--db", team_db)  # fmt: skip
    assert logged.exit_code == 0, logged.output
    plan = json.loads(cli("next", "--at", "2038-02-01 09:50", "--json", "--db", team_db).stdout)
    assert [row["name"] for row in plan] == ["Ana"]
    assert plan[0]["followup"]["action"] == "send the offer"


def test_a_nul_byte_in_a_cell_is_dropped_not_an_internal_error(cli, team_db: str, tmp_path):
    people = tmp_path / "nul.csv"
    people.write_bytes(b"name,email,notes\nAna\x00 Ruiz,ana@example.com,likes\x00 coffee\n")
    result = cli("lead", "import", str(people), "--at", "2026-11-25 07:50", "--db", team_db)
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    shown = json.loads(cli("lead", "show", "ana", "--json", "--db", team_db).stdout)
    assert shown["name"] == "Ana Ruiz"


def test_a_read_on_an_empty_team_database_makes_no_store(cli, team_db: str):
    from warmcall.store.db import SqlAlchemyDatabase, safe_url

    result = cli("next", "--at", "2026-11-25 07:50", "--db", team_db)
    assert result.exit_code == 1
    shown = safe_url(team_db)  # the database the suite was given, its password left out
    assert "warmcall:warmcall@" not in shown
    assert result.stderr == (
        f"There is no warmcall store in {shown} yet; "
        "start one with warmcall lead import FILE or warmcall lead add NAME.\n"
    )
    with SqlAlchemyDatabase(team_db) as db:
        assert db.tables() == set()
