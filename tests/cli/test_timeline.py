"""The timeline a lead gave (`call log --timeline`): recorded as said, corrected, taken back,
imported, listed and forgotten, through the real CLI on every engine.

Every moment is given with --at, so no assertion depends on the real date.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import PG_URL, cli_on

ENGINES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
NOW = ("--at", "2026-11-25 07:50")
SPRING = "maybe in spring"


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_on(str(request.param), monkeypatch)


@pytest.fixture
def pablo(cli: Callable[..., Result], engine: str) -> None:
    added = cli("lead", "add", "Pablo Ruiz", "--phone", "612 345 678", "--email", "p@ruiz.es", *NOW)
    assert added.exit_code == 0, added.output


def calls_of(cli: Callable[..., Result]) -> list[dict]:
    shown = cli("lead", "show", "pablo", "--json", *NOW)
    assert shown.exit_code == 0, shown.output
    return json.loads(shown.stdout)["calls"]


def test_a_logged_timeline_is_kept_as_said_and_shown(cli, pablo):
    logged = cli("call", "log", "pablo", "-o", "connected", "--at", "2026-11-24 10:00",
                 "--timeline", f"  {SPRING} ", "--json")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    assert json.loads(logged.stdout)["timeline"] == SPRING
    assert [c["timeline"] for c in calls_of(cli)] == [SPRING]
    listed = cli("call", "list", "--json", *NOW)
    assert [c["timeline"] for c in json.loads(listed.stdout)] == [SPRING]
    assert f"“{SPRING}”" in cli("call", "list", *NOW).stdout
    assert f"“{SPRING}”" in cli("lead", "show", "pablo", *NOW).stdout


def test_an_unanswered_call_has_no_timeline(cli, pablo):
    refused = cli("call", "log", "pablo", "-o", "no-answer", "--at", "2026-11-24 10:00",
                  "--timeline", SPRING)  # fmt: skip
    assert refused.exit_code == 2
    assert "timeline" in refused.stderr and "Traceback" not in refused.output
    assert len(refused.stderr.strip().splitlines()) == 1
    assert calls_of(cli) == []  # nothing half-written


def test_edit_replaces_and_clears_the_timeline(cli, pablo):
    cli("call", "log", "pablo", "-o", "connected", "--at", "2026-11-24 10:00", "--timeline", SPRING)
    call_id = str(calls_of(cli)[0]["id"])
    edited = cli("call", "edit", call_id, "--timeline", "before Easter")
    assert edited.exit_code == 0, edited.output
    assert calls_of(cli)[0]["timeline"] == "before Easter"
    # a correction that logs the call again keeps it
    moved = cli("call", "edit", call_id, "--at", "2026-11-24 11:00")
    assert moved.exit_code == 0, moved.output
    assert calls_of(cli)[0]["timeline"] == "before Easter"
    cleared = cli("call", "edit", call_id, "--timeline", "")
    assert cleared.exit_code == 0, cleared.output
    assert calls_of(cli)[0]["timeline"] is None


def test_a_call_corrected_into_an_unanswered_one_must_drop_its_timeline(cli, pablo):
    cli("call", "log", "pablo", "-o", "connected", "--at", "2026-11-24 10:00", "--timeline", SPRING)
    call_id = str(calls_of(cli)[0]["id"])
    refused = cli("call", "edit", call_id, "-o", "voicemail")
    assert refused.exit_code == 2 and "--timeline" in refused.stderr
    kept = calls_of(cli)[0]
    assert (kept["outcome"], kept["timeline"]) == ("connected", SPRING)
    fixed = cli("call", "edit", call_id, "-o", "voicemail", "--timeline", "")
    assert fixed.exit_code == 0, fixed.output
    assert (calls_of(cli)[0]["outcome"], calls_of(cli)[0]["timeline"]) == ("voicemail", None)
    on_vm = cli("call", "edit", call_id, "--timeline", SPRING)
    assert on_vm.exit_code == 2 and calls_of(cli)[0]["timeline"] is None


def test_undo_takes_the_timeline_back_with_the_call(cli, pablo):
    cli("call", "log", "pablo", "-o", "connected", "--at", "2026-11-20 10:00", "--timeline", "Q1")
    cli("call", "log", "pablo", "-o", "connected", "--at", "2026-11-24 10:00", "--timeline", SPRING)
    undone = cli("call", "undo", "--yes", *NOW)
    assert undone.exit_code == 0, undone.output
    assert [c["timeline"] for c in calls_of(cli)] == ["Q1"]


@pytest.mark.parametrize("header", ["Timeline", "Time frame", "Plazo", "Calendario de decisión"])
def test_import_reads_a_timeline_column(cli, pablo, tmp_path, header):
    src = tmp_path / "calls.csv"
    src.write_text(
        f"email,date,outcome,{header}\n"
        f"p@ruiz.es,2026-11-20 10:00,connected,{SPRING}\n"
        "p@ruiz.es,2026-11-21 10:00,no answer,\n",
        encoding="utf-8",
    )
    done = cli("call", "import", str(src), "--json", *NOW)
    assert done.exit_code == 0, done.output
    assert [c["timeline"] for c in calls_of(cli)] == [None, SPRING]


def test_import_refuses_a_timeline_on_an_unanswered_call(cli, pablo, tmp_path):
    src = tmp_path / "calls.csv"
    src.write_text("email,date,outcome,timeline\np@ruiz.es,2026-11-20 10:00,voicemail,Q1\n")
    refused = cli("call", "import", str(src), *NOW)
    assert refused.exit_code == 1 and "conversation" in refused.stderr
    assert calls_of(cli) == []


def test_the_script_quotes_the_logged_timeline_until_the_call_is_undone(cli, pablo):
    cli("call", "log", "pablo", "-o", "connected", "--at", "2026-11-24 10:00", "--timeline", SPRING)
    script = cli("script", "pablo", *NOW)
    assert script.exit_code == 0, script.output
    flat = " ".join(script.stdout.split())
    assert f"You mentioned “{SPRING}”: is that still the plan?" in flat
    spanish = " ".join(cli("script", "pablo", "--lang", "es", *NOW).stdout.split())
    assert f"Me comentó «{SPRING}»: ¿sigue siendo ese el plan?" in spanish
    assert cli("call", "undo", "--yes", *NOW).exit_code == 0
    after = cli("script", "pablo", *NOW).stdout
    assert SPRING not in after and "You mentioned" not in after
