"""A team on one store (SPEC §8): who is calling, whose leads, through the real CLI, on
SQLite and (with WARMCALL_TEST_PG) on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PG_URL, SYSTEM_USER, cli_on, older_store
from warmcall.store.db import open_db


@pytest.fixture(params=["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def engine(request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_on(str(request.param), monkeypatch)


def _add(cli, name: str, phone: str, *extra: str) -> int:
    added = cli("lead", "add", name, "--phone", phone, "--json", "--at", "2026-11-20 09:00", *extra)
    assert added.exit_code == 0, added.output
    return int(json.loads(added.stdout)["id"])


def _calls(cli, lead: str) -> list[dict]:
    return json.loads(cli("lead", "show", lead, "--json").stdout)["calls"]


def test_each_call_records_who_made_it(cli, engine, monkeypatch):
    _add(cli, "Ana Martínez", "612 345 678")
    at = "2026-11-24 10:00"
    assert cli("call", "log", "ana", "-o", "vm", "--at", at).exit_code == 0
    luis = cli("--rep", "luis", "call", "log", "ana", "-o", "na", "--at", "2026-11-24 11:00")
    assert luis.exit_code == 0, luis.output
    monkeypatch.setenv("WARMCALL_REP", "carmen")
    assert cli("call", "log", "ana", "-o", "busy", "--at", "2026-11-24 12:00").exit_code == 0
    monkeypatch.delenv("WARMCALL_REP")
    reps = [c["rep"] for c in _calls(cli, "ana")]
    assert sorted(reps) == sorted([SYSTEM_USER, "luis", "carmen"])


def test_the_configured_rep_is_the_default(cli, engine, home: Path):
    config = home / "config.toml"
    text = config.read_text()
    assert "[user]" not in text  # the test adds the table
    config.write_text(text + '\n[user]\nrep = "pilar"\n')
    _add(cli, "Ana Martínez", "612 345 678")
    assert cli("call", "log", "ana", "-o", "vm", "--at", "2026-11-24 10:00").exit_code == 0
    assert [c["rep"] for c in _calls(cli, "ana")] == ["pilar"]
    shown = json.loads(cli("lead", "show", "ana", "--json").stdout)
    assert shown["updated_by"] == "pilar"


def test_an_import_gives_its_leads_an_owner_or_shares_them_out(cli, engine, tmp_path: Path):
    rows = "".join(f"Lead {i},61234{i:04d}\n" for i in range(6))
    file = tmp_path / "leads.csv"
    file.write_text("name,phone\n" + rows)
    done = cli("lead", "import", str(file), "--assign", "round-robin", "--reps", "ana,luis,eva",
               "--at", "2026-11-20 09:00")  # fmt: skip
    assert done.exit_code == 0, done.output
    listed = json.loads(cli("lead", "list", "--json").stdout)
    owners = {lead["name"]: lead["owner"] for lead in listed}
    assert [owners[f"Lead {i}"] for i in range(6)] == ["ana", "luis", "eva"] * 2

    other = tmp_path / "more.csv"
    other.write_text("name,phone\nMore One,699000111\n")
    assert cli("lead", "import", str(other), "--owner", "luis").exit_code == 0
    assert json.loads(cli("lead", "show", "More One", "--json").stdout)["owner"] == "luis"


def test_lead_assign_gives_and_shares_again(cli, engine):
    _add(cli, "Ana Martínez", "612 345 678")
    given = cli("lead", "assign", "ana", "luis", "--json", "--at", "2026-11-24 10:00")
    assert given.exit_code == 0, given.output
    assert json.loads(given.stdout)["owner"] == "luis"
    shared = json.loads(cli("lead", "assign", "ana", "--json", "--at", "2026-11-24 10:05").stdout)
    assert shared["owner"] is None and shared["updated_by"] == SYSTEM_USER


@pytest.mark.parametrize(
    "args",
    [
        ("--assign", "round-robin"),
        ("--assign", "random", "--reps", "ana"),
        ("--owner", "ana", "--assign", "round-robin", "--reps", "ana,luis"),
        ("--reps", "ana,luis"),
    ],
)
def test_a_wrong_assignment_is_a_usage_error_and_writes_nothing(cli, tmp_path: Path, args):
    file = tmp_path / "leads.csv"
    file.write_text("name,phone\nAna,612345678\n")
    done = cli("lead", "import", str(file), *args)
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert json.loads(cli("lead", "list", "--json").stdout) == []


@pytest.mark.parametrize("engine_name", ["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def test_an_older_store_keeps_its_rows_with_the_implicit_rep(engine_name, tmp_path: Path):
    old, target = older_store(engine_name, tmp_path, "0011")
    old.execute(
        'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
        "created_at, updated_at) "
        "VALUES ('Ana', 'ana', 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)"
    )
    old.execute(
        "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
        "VALUES (1, 100, 'connected', 'phone', 100)"
    )
    old.close()
    with open_db(target) as db:
        assert db.query("SELECT rep FROM calls") == [{"rep": ""}]
        assert db.query("SELECT owner, updated_by FROM leads") == [
            {"owner": None, "updated_by": ""}
        ]


# --- a plan per rep ---------------------------------------------------------------------

MORNING = ("--at", "2026-11-25 07:50")


def _plan(cli, rep: str, *extra: str) -> list[str]:
    done = cli("--rep", rep, "next", "--json", *MORNING, *extra)
    assert done.exit_code == 0, done.output
    return sorted(row["name"] for row in json.loads(done.stdout))


def _book(cli) -> None:
    for name, phone in (("Ana Own", "612 000 001"), ("Luis Own", "612 000 002"),
                        ("Shared One", "612 000 003")):  # fmt: skip
        _add(cli, name, phone, "--temperature", "hot")
    assert cli("lead", "assign", "Ana Own", "ana", *MORNING).exit_code == 0
    assert cli("lead", "assign", "Luis Own", "luis", *MORNING).exit_code == 0


def test_each_rep_plans_their_own_leads_and_the_shared_ones(cli, engine):
    _book(cli)
    assert "Luis Own" not in _plan(cli, "ana") and "Ana Own" in _plan(cli, "ana")
    assert "Ana Own" not in _plan(cli, "luis") and "Luis Own" in _plan(cli, "luis")


def test_a_colleagues_call_rests_the_lead_for_everyone(cli, engine):
    _book(cli)
    called = cli("--rep", "luis", "call", "log", "Shared One", "-o", "no-answer",
                 "--at", "2026-11-25 07:10")  # fmt: skip
    assert called.exit_code == 0, called.output
    assert "Shared One" not in _plan(cli, "ana")
    everything = json.loads(cli("--rep", "ana", "next", "Shared One", "--json", *MORNING).stdout)
    assert everything and everything[0]["excluded"]


@pytest.mark.skipif(not PG_URL, reason="claims are a team store's (PostgreSQL)")
def test_a_shared_lead_is_on_one_reps_plan_a_day(cli, home, monkeypatch):
    cli_on("postgresql", monkeypatch)
    _book(cli)
    assert "Shared One" in _plan(cli, "ana")
    assert "Shared One" not in _plan(cli, "luis")  # Ana planned it first
    assert "Shared One" in _plan(cli, "ana")  # still hers on a second look
    assert "Shared One" in _plan(cli, "luis", "--at", "2026-11-26 07:50")  # a new day
    # a call on it lets it go: whoever calls it, the claim is over
    logged = cli("--rep", "ana", "call", "log", "Shared One", "-o", "connected",
                 "--at", "2026-11-25 07:45")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    with open_db(str(PG_URL)) as db:
        held = db.query("SELECT l.name FROM claims k JOIN leads l ON l.id = k.lead_id")
    assert "Shared One" not in [row["name"] for row in held]


def test_next_team_shows_every_reps_plan_without_a_lead_twice(cli, engine):
    _book(cli)
    done = cli("next", "--team", "--json", *MORNING)
    assert done.exit_code == 0, done.output
    plans = json.loads(done.stdout)
    assert sorted(plans) == ["ana", "luis"]
    names = [row["name"] for rows in plans.values() for row in rows]
    assert sorted(names) == ["Ana Own", "Luis Own", "Shared One"]
    assert "Luis Own" not in [row["name"] for row in plans["ana"]]
    shown = cli("next", "--team", *MORNING)
    assert "Plan of ana" in shown.stdout and "Plan of luis" in shown.stdout


# --- the team's week ----------------------------------------------------------------------

WEEK = ("--week", "2026-W48", "--at", "2026-11-25 07:50")


def _week_of_calls(cli) -> None:
    _book(cli)
    for rep, lead, outcome, at, *step in (
        ("ana", "Ana Own", "connected", "2026-11-23 10:00"),
        ("ana", "Shared One", "no-answer", "2026-11-23 11:00"),
        ("ana", "Shared One", "meeting", "2026-11-24 10:00", "--next", "2026-11-30 10:00",
         "--next-action", "demo"),
        ("luis", "Luis Own", "no-answer", "2026-11-23 10:00"),
        ("luis", "Luis Own", "connected", "2026-11-23 12:00", "--next", "2026-11-24 10:00",
         "--next-action", "send the offer"),
        ("luis", "Luis Own", "connected", "2026-11-24 09:30"),  # the step kept
    ):  # fmt: skip
        logged = cli("--rep", rep, "call", "log", lead, "-o", outcome, "--at", at, *step)
        assert logged.exit_code == 0, logged.output


def test_report_team_gives_each_reps_week(cli, engine):
    _week_of_calls(cli)
    done = cli("report", "--team", "--json", *WEEK)
    assert done.exit_code == 0, done.output
    reps = {r["rep"]: r for r in json.loads(done.stdout)["reps"]}
    assert sorted(reps) == ["ana", "luis"]
    ana = reps["ana"]
    assert (ana["dials"], ana["conversations"], ana["meetings"]) == (3, 2, 1)
    assert reps["ana"]["connect_rate"] == round(2 / 3, 4)
    assert (reps["luis"]["dials"], reps["luis"]["conversations"]) == (3, 2)
    assert (reps["luis"]["followups_set"], reps["luis"]["followups_kept"]) == (1, 1)
    assert (reps["ana"]["followups_set"], reps["ana"]["followups_kept"]) == (1, 0)
    shown = cli("report", "--team", *WEEK)
    assert "ana" in shown.stdout and "luis" in shown.stdout and "67%" in shown.stdout


def test_report_rep_gives_one_reps_week_as_csv(cli, engine):
    _week_of_calls(cli)
    done = cli("report", "--rep", "luis", "--csv", *WEEK)
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0] == "period,section,key,metric,value"
    assert "2026-11-23/2026-11-29,team,luis,dials,3" in lines
    assert not any(",ana," in line for line in lines)


def test_undo_takes_back_the_reps_own_last_call_not_a_colleagues(cli, engine):
    _book(cli)
    assert cli("--rep", "ana", "call", "log", "Ana Own", "-o", "vm", "--at", "2026-11-24 10:00")
    assert cli("--rep", "luis", "call", "log", "Luis Own", "-o", "vm", "--at", "2026-11-24 11:00")
    undone = cli("--rep", "ana", "call", "undo", "--yes", "--at", "2026-11-24 12:00")
    assert undone.exit_code == 0, undone.output
    assert _calls(cli, "Ana Own") == [] and len(_calls(cli, "Luis Own")) == 1
