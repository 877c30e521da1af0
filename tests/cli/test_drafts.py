"""Nothing typed is lost: a call stopped or refused in ``next --go`` is kept as a draft, private,
offered the next time that lead is called, with the ``call log`` line that records it.

Run through a pseudo-terminal, as tests/cli/test_session.py does (the same leads and clock).
"""

from __future__ import annotations

import json
import re
import shlex
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_session import AT, add_leads, env, finish, session, warmcall
from tests.conftest import CONFIG_TOML, PG_URL

pexpect = pytest.importorskip("pexpect")


@pytest.fixture
def user(tmp_path: Path) -> Path:
    (tmp_path / "config.toml").write_text(CONFIG_TOML)
    return tmp_path


def drafts_of(user: Path) -> list[Path]:
    return sorted((user / "drafts").glob("*.json")) if (user / "drafts").exists() else []


def stop_mid_notes(user: Path) -> str:
    """Ana's call: connected, notes half typed, Ctrl-C. What the session printed."""
    child = session(user)
    child.expect("How did it go")
    child.send("1")  # connected
    child.expect("Notes")
    child.send("she was driving")
    child.sendcontrol("c")
    child.expect("Nothing logged for Ana Martínez; what you typed is kept as a draft")
    child.expect("No calls logged")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)  # bold, cursor moves
    assert finish(child) == 0
    return text


def test_ctrl_c_keeps_what_was_typed_privately_with_the_line_that_logs_it(user: Path) -> None:
    add_leads(user)
    printed = stop_mid_notes(user)
    line = next(x.strip() for x in printed.splitlines() if x.strip().startswith("warmcall "))
    args = shlex.split(line)
    assert args[:6] == ["warmcall", "call", "log", "1", "-o", "connected"]
    assert "--notes" in args and args[args.index("--notes") + 1] == "she was driving"
    assert args[args.index("--at") + 1] == "2026-11-25 08:00 +01:00"
    [kept] = drafts_of(user)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert "she was driving" in kept.read_text()
    # The line, run as printed, records the call; the draft goes with it.
    subprocess.run([sys.executable, "-m", "warmcall", *args[1:]], env=env(user), check=True,
                   capture_output=True)  # fmt: skip
    [call] = json.loads(warmcall(user, "call", "list", "--json"))
    assert (call["lead"], call["outcome"], call["notes"], call["at"]) == (
        "Ana Martínez", "connected", "she was driving", "2026-11-25T08:00:00+01:00",
    )  # fmt: skip
    assert drafts_of(user) == []


def test_the_next_session_offers_the_draft_and_logs_it_once(user: Path) -> None:
    add_leads(user)
    stop_mid_notes(user)
    child = session(user)
    child.expect("A draft is kept for .*Ana Martínez.*, from (Wed )?25 Nov( 2026)? 08:00")
    child.expect("connected.* · “she was driving”")
    take_the_draft(child, temperature=True)
    child.expect("Bruno Pérez")
    child.expect("How did it go")
    child.send("q")
    assert finish(child) == 0
    logged_once(user)


def take_the_draft(child: pexpect.spawn, temperature: bool) -> None:
    """Yes to the draft: the notes are kept; what was not answered yet is asked."""
    child.expect("Log it")
    child.send("\r")
    child.expect("Objections raised")
    child.send("\r")
    child.expect("Timeline they gave")
    child.sendline("")  # Enter skips it
    if temperature:
        child.expect("Temperature now")
        child.send("\r")
    child.expect("Next step when")
    child.sendline("")
    child.expect("Logged .*connected.* with")


def logged_once(user: Path) -> None:
    [call] = json.loads(warmcall(user, "call", "list", "--json"))
    assert (call["lead"], call["notes"]) == ("Ana Martínez", "she was driving")
    assert drafts_of(user) == []


def test_call_log_at_a_terminal_offers_the_draft(user: Path) -> None:
    add_leads(user)
    stop_mid_notes(user)
    child = pexpect.spawn(
        sys.executable, ["-m", "warmcall", "call", "log", "ana", "--at", AT],
        env=env(user), encoding="utf-8", timeout=60, dimensions=(50, 120),
    )  # fmt: skip
    child.expect("A draft is kept for .*Ana Martínez")
    take_the_draft(child, temperature=False)
    assert finish(child) == 0
    logged_once(user)


def test_a_write_the_store_refuses_keeps_every_answer(user: Path) -> None:
    """The store refuses the call once every question is answered: said once (not asked
    again), the answers kept whole, the session ends."""
    add_leads(user)
    child = session(user)
    child.expect("How did it go")
    child.send("5")  # voicemail
    child.expect("Notes")
    store = sqlite3.connect(user / "warmcall.db")
    store.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON calls BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    store.commit()
    child.sendline("left a message about the pilot")
    child.expect("Next step when")
    child.sendline("")
    child.expect("The store refused the write")
    child.expect("kept as a draft")
    child.expect("No calls logged")
    assert "once more" not in child.before
    assert finish(child) == 0
    store.execute("DROP TRIGGER refuse")
    store.commit()
    store.close()
    [kept] = drafts_of(user)
    data = json.loads(kept.read_text())["1"]
    assert data["complete"] and data["entry"]["notes"] == "left a message about the pilot"


def _read_only(user: Path, engine: str) -> str:
    if engine == "sqlite":
        add_leads(user)
        return f"sqlite:///file:{user / 'warmcall.db'}?mode=ro&uri=true"
    from warmcall.store.db import SqlAlchemyDatabase

    with SqlAlchemyDatabase(str(PG_URL)) as fresh:
        fresh.execute("DROP SCHEMA public CASCADE")
        fresh.execute("CREATE SCHEMA public")
    leads = user / "leads.csv"
    leads.write_text("name,temperature,window\nAna Martínez,hot,early\n")
    warmcall(user, "lead", "import", str(leads), "--db", str(PG_URL))
    joiner = "&" if "?" in str(PG_URL) else "?"
    return f"{PG_URL}{joiner}options=-c%20default_transaction_read_only%3Don"


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def test_a_read_only_store_is_said_before_any_question(user: Path, engine: str) -> None:
    target = _read_only(user, engine)
    child = session(user, "--db", target)
    child.expect("read-only")
    text = child.before + child.after
    status = finish(child)
    assert status == 1
    assert "How did it go" not in text and "Ana Martínez" not in text


def test_the_printed_line_records_exactly_the_draft(cli) -> None:
    """Every answer a call can have, through ``log_command`` and back: the same call."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from warmcall.calls import CallEntry
    from warmcall.drafts import log_command
    from warmcall.models import Objection, Outcome, Temperature

    madrid = ZoneInfo("Europe/Madrid")
    assert cli("lead", "add", "Ana Martínez", "--at", "2026-11-01").exit_code == 0
    entry = CallEntry(
        Outcome.CONNECTED,
        datetime(2026, 11, 24, 16, 40, 30, tzinfo=madrid),
        duration=330,
        notes="it's 'fine' — she said \"maybe\"",
        objections=[Objection.PRICE, Objection.TIMING],
        temperature=Temperature.HOT,
        next_at=datetime(2027, 4, 1, 10, 0, tzinfo=madrid),  # summer time: +02:00
        next_action="send the offer",
        next_goal="book the pilot",
        timeline="“after the summer”, she said",
    )
    args = log_command(1, entry, madrid, None)
    assert args[:3] == ["warmcall", "call", "log"]
    result = cli(*args[1:], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["at"], data["duration"], data["notes"]) == (
        "2026-11-24T16:40:30+01:00", 330, entry.notes,
    )  # fmt: skip
    assert (data["objections"], data["temperature"]) == (["price", "timing"], "hot")
    assert data["timeline"] == entry.timeline
    opened = data["opened"]
    assert (opened["due_at"], opened["action"], opened["goal"]) == (
        "2027-04-01T10:00:00+02:00", "send the offer", "book the pilot",
    )  # fmt: skip
    day = CallEntry(Outcome.CALLBACK, entry.at, next_at=datetime(2026, 11, 27, tzinfo=madrid),
                    next_has_time=False)  # fmt: skip
    argv = log_command(1, day, madrid, "postgresql://me:secret@db/sales")
    assert argv[argv.index("--next") + 1] == "2026-11-27"  # a day without a time stays so
    assert argv[-2:] == ["--db", "postgresql://me@db/sales"]  # never the password


def test_forget_takes_the_persons_draft_with_them(user: Path) -> None:
    """A call typed for someone who is then forgotten: the draft, with what was typed about
    them, goes with the rest of their data."""
    add_leads(user)
    stop_mid_notes(user)
    [kept] = drafts_of(user)
    assert "she was driving" in kept.read_text()
    warmcall(user, "lead", "forget", "ana", "--yes", "--at", "2026-11-25 09:00")  # checked
    assert all("she was driving" not in path.read_text() for path in drafts_of(user))
