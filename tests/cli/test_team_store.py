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
