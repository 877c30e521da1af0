"""The record is consistent whatever the order calls are logged in: one open step per lead
(enforced by the store), back-dated calls, parallel writers, ids never given twice."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import CONFIG_TOML, MADRID, NOW, PG_URL
from warmcall import calls, leads, phones
from warmcall.calls import CallEntry, log_call
from warmcall.errors import InvalidData, StoreRefused
from warmcall.models import FollowUpStatus, Outcome, Status
from warmcall.store.db import open_db

LATER = datetime(2026, 12, 31, 12, 0, tzinfo=MADRID)
NOV_30 = datetime(2026, 11, 30, 10, 0, tzinfo=MADRID)
NOV_25 = datetime(2026, 11, 25, 10, 0, tzinfo=MADRID)


def ana(store, config):
    built = leads.LeadBuilder(config).build({"name": "Ana Martínez", "phone": "612 345 678"})
    return leads.add(store, built, NOW - timedelta(days=30))


def callback(store, config, who, at, due):
    entry = CallEntry(Outcome.CALLBACK, at, next_at=due, next_action="call back")
    return log_call(store, leads.get(store, who.id), entry, LATER, config)


def steps(store, lead_id):
    return [(f.due_at, f.status) for f in reversed(calls.history(store, lead_id)[1])]


def open_steps(store) -> int:
    return store.one("SELECT COUNT(*) AS n FROM followups WHERE status = 'open'")["n"]


def test_a_back_dated_call_does_not_reopen_a_second_step(store, config):
    who = ana(store, config)
    callback(store, config, who, NOV_30, datetime(2026, 12, 10, 10, 0, tzinfo=MADRID))
    early = callback(store, config, who, NOV_25, datetime(2026, 12, 1, 10, 0, tzinfo=MADRID))
    # The step agreed by the latest call in time stays in force; the earlier call's is moved.
    assert early.opened.status == FollowUpStatus.MOVED
    assert early.superseded_by.due_at == datetime(2026, 12, 10, 10, 0, tzinfo=MADRID)
    assert steps(store, who.id) == [
        (datetime(2026, 12, 1, 10, 0, tzinfo=MADRID), FollowUpStatus.MOVED),
        (datetime(2026, 12, 10, 10, 0, tzinfo=MADRID), FollowUpStatus.OPEN),
    ]
    # Undoing the back-dated call takes only its own step away.
    later_id = calls.history(store, who.id)[0][0].id
    calls.undo_call(store, calls.last_logged(store), LATER, config)
    assert steps(store, who.id) == [(datetime(2026, 12, 10, 10, 0, tzinfo=MADRID), "open")]
    callback(store, config, who, NOV_25, datetime(2026, 12, 1, 10, 0, tzinfo=MADRID))
    # Corrected to a time before the other call, the later call's step wins now.
    calls.edit_call(store, later_id, calls.CallChanges(at=NOV_25 - timedelta(days=1)), LATER,
                    config)  # fmt: skip
    assert steps(store, who.id) == [
        (datetime(2026, 12, 1, 10, 0, tzinfo=MADRID), FollowUpStatus.OPEN),
        (datetime(2026, 12, 10, 10, 0, tzinfo=MADRID), FollowUpStatus.MOVED),
    ]
    assert open_steps(store) == 1


def test_the_store_refuses_a_second_open_step(store, config):
    who = ana(store, config)
    callback(store, config, who, NOV_25, datetime(2026, 12, 1, 10, 0, tzinfo=MADRID))
    with pytest.raises(StoreRefused):
        store.execute(
            "INSERT INTO followups (lead_id, due_at, has_time, action, created_at, status) "
            "VALUES (:lead, 1, TRUE, 'x', 1, 'open')",
            {"lead": who.id},
        )
    assert open_steps(store) == 1


def test_an_undone_call_id_is_never_given_again(store, config):
    who = ana(store, config)
    first = log_call(store, who, CallEntry(Outcome.NO_ANSWER, NOV_25), LATER, config).call
    second = log_call(store, who, CallEntry(Outcome.VOICEMAIL, NOV_30), LATER, config).call
    calls.undo_call(store, calls.last_logged(store), LATER, config)
    third = log_call(store, who, CallEntry(Outcome.BUSY, NOV_30), LATER, config).call
    assert first.id < second.id < third.id


def test_a_call_lasts_at_most_a_day_on_every_engine(store, config):
    who = ana(store, config)
    for seconds in (calls.parse_duration("99999999h"), 24 * 3600 + 1):
        with pytest.raises(InvalidData, match="at most 24 hours"):
            log_call(store, who, CallEntry(Outcome.CONNECTED, NOV_25, duration=seconds), LATER,
                     config)  # fmt: skip
    assert log_call(store, who, CallEntry(Outcome.CONNECTED, NOV_25, duration=24 * 3600), LATER,
                    config).call.duration == 86400  # fmt: skip
    logged = calls.last_logged(store)
    with pytest.raises(InvalidData, match="at most 24 hours"):
        calls.edit_call(store, logged.id, calls.CallChanges(duration=90000), LATER, config)


def test_a_conversation_on_a_number_flagged_wrong_clears_the_flag(store, config):
    """Whoever flagged the number wrong, the person answered it: it is not wrong. Undoing the
    conversation puts the flag back; a conversation from before the wrong-number call that
    flagged it proves nothing about the number now."""
    who = ana(store, config)
    log_call(store, who, CallEntry(Outcome.WRONG_NUMBER, NOV_30), LATER, config)
    older = log_call(store, leads.get(store, who.id), CallEntry(Outcome.CONNECTED, NOV_25),
                     LATER, config)  # fmt: skip
    assert not older.cleared_flag
    assert leads.get(store, who.id).phone_flag == phones.WRONG_NUMBER
    entry = CallEntry(Outcome.CONNECTED, NOV_30 + timedelta(days=1))
    talk = log_call(store, leads.get(store, who.id), entry, LATER, config)
    assert talk.cleared_flag and leads.get(store, who.id).phone_flag is None
    undone = calls.undo_call(store, calls.last_logged(store), LATER, config)
    assert "phone-flag" in undone.restored
    assert leads.get(store, who.id).phone_flag == phones.WRONG_NUMBER


def test_a_callback_needs_only_its_time(store, config):
    who = ana(store, config)
    entry = CallEntry(Outcome.CALLBACK, NOV_25, next_at=NOV_30)
    assert log_call(store, who, entry, LATER, config).opened.action == calls.CALLBACK_ACTION


def test_a_correction_gets_the_step_agreed_in_the_call(store, config):
    """A no-answer that was in fact a conversation: corrected with its agreed step, which
    replaces the step that was open, as logging it so would have."""
    who = ana(store, config)
    callback(store, config, who, NOV_25, datetime(2026, 11, 27, 10, 0, tzinfo=MADRID))
    dial = log_call(store, leads.get(store, who.id), CallEntry(Outcome.NO_ANSWER, NOV_30),
                    LATER, config)  # fmt: skip
    assert dial.still_open is not None
    due = datetime(2026, 12, 4, 10, 0, tzinfo=MADRID)
    fixed = calls.edit_call(
        store, dial.call.id,
        calls.CallChanges(outcome=Outcome.CONNECTED, next_at=due, next_action="send the offer"),
        LATER, config,
    )  # fmt: skip
    assert fixed.call.id == dial.call.id
    assert (fixed.opened.due_at, fixed.opened.action) == (due, "send the offer")
    assert steps(store, who.id) == [
        (datetime(2026, 11, 27, 10, 0, tzinfo=MADRID), FollowUpStatus.LATE),
        (due, FollowUpStatus.OPEN),
    ]
    # The action alone changes too, the time staying as agreed.
    again = calls.edit_call(
        store, dial.call.id, calls.CallChanges(next_action="send the revised offer"), LATER,
        config,
    )  # fmt: skip
    assert (again.opened.due_at, again.opened.action) == (due, "send the revised offer")
    assert open_steps(store) == 1


# --- stores made before the rule ---------------------------------------------------------------


def _old_store(engine: str, db_path: Path):
    from warmcall.store.db import SqlAlchemyDatabase, connect
    from warmcall.store.migrations import upgrade

    if engine == "postgresql":
        with SqlAlchemyDatabase(str(PG_URL)) as fresh:
            fresh.execute("DROP SCHEMA public CASCADE")
            fresh.execute("CREATE SCHEMA public")
        target = str(PG_URL)
    else:
        target = str(db_path)
    old = connect(target)
    upgrade(old, "0006")
    return old, target


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def test_an_older_store_with_several_open_steps_keeps_the_latest_agreed(engine, db_path):
    old, target = _old_store(engine, db_path)
    with old.transaction():
        old.execute(
            'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
            "created_at, updated_at) VALUES ('Ana', 'ana', 'warm', 'lead', 'active', 'b2b', "
            "'any', 1, 1)"
        )
        for i in (1, 2, 3):
            old.execute(
                "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
                "VALUES (1, :at, 'callback', 'phone', :at)",
                {"at": 1000 * i},
            )
        # Three steps left open by out-of-order logging: the one agreed latest is call 2's.
        for call, created, due in ((1, 1000, 50_000), (3, 1500, 60_000), (2, 2000, 40_000)):
            old.execute(
                "INSERT INTO followups (lead_id, call_id, due_at, has_time, action, created_at, "
                "status) VALUES (1, :call, :due, TRUE, 'call back', :created, 'open')",
                {"call": call, "due": due, "created": created},
            )
    old.close()
    db = open_db(target)  # upgraded on open
    rows = db.query("SELECT call_id, status, done_call_id, done_at FROM followups ORDER BY id")
    assert rows == [
        {"call_id": 1, "status": "moved", "done_call_id": 2, "done_at": 2000},
        {"call_id": 3, "status": "moved", "done_call_id": 2, "done_at": 2000},
        {"call_id": 2, "status": "open", "done_call_id": None, "done_at": None},
    ]
    assert [r["id"] for r in db.query("SELECT id FROM calls ORDER BY id")] == [1, 2, 3]
    db.execute("DELETE FROM calls WHERE id = 3")
    new = db.insert(
        "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
        "VALUES (1, 5000, 'busy', 'phone', 5000) RETURNING id"
    )
    assert new == 4  # 3 was given once: never again
    db.close()


# --- parallel writers ----------------------------------------------------------------------------


def _env(home: Path) -> dict[str, str]:
    values = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    values.update(WARMCALL_HOME=str(home), TZ="Europe/Madrid")
    return values


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"] if PG_URL else ["sqlite"])
@pytest.mark.parametrize("back_dated", [True, False])
def test_twenty_parallel_call_logs_leave_one_open_step(engine, back_dated, tmp_path, db_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(CONFIG_TOML)
    target = str(db_path)
    if engine == "postgresql":
        from warmcall.store.db import SqlAlchemyDatabase

        with SqlAlchemyDatabase(str(PG_URL)) as fresh:
            fresh.execute("DROP SCHEMA public CASCADE")
            fresh.execute("CREATE SCHEMA public")
        target = str(PG_URL)
    base = [sys.executable, "-m", "warmcall"]
    subprocess.run([*base, "lead", "add", "Ana Martínez", "--db", target, "--at", "2021-01-04"],
                   env=_env(home), check=True, capture_output=True)  # fmt: skip
    runs = []
    for i in range(20):
        when = ["--at", f"2021-02-{1 + (i * 7) % 20:02d} 10:{i:02d}"] if back_dated else []
        runs.append(
            subprocess.Popen(
                [
                    *base,
                    "call",
                    "log",
                    "ana",
                    "-o",
                    "callback",
                    "--next",
                    f"+{i + 1}d",
                    "--db",
                    target,
                    *when,
                ],
                env=_env(home),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )  # fmt: skip
        )
    errors = [p.communicate()[1] for p in runs]
    assert [p.returncode for p in runs] == [0] * 20, errors
    db = open_db(target)
    assert db.one("SELECT COUNT(*) AS n FROM calls")["n"] == 20
    assert open_steps(db) == 1
    if back_dated:  # the step in force is the one agreed by the latest call in time
        latest = db.one(
            "SELECT f.status FROM followups f JOIN calls c ON c.id = f.call_id "
            "ORDER BY c.at DESC LIMIT 1"
        )
        assert latest["status"] == "open"
    db.close()


def test_the_lead_status_is_unchanged_by_the_rule(store, config):
    """A do-not-call still closes the step it follows; nothing else is reopened."""
    who = ana(store, config)
    callback(store, config, who, NOV_25, NOV_30)
    log_call(store, leads.get(store, who.id), CallEntry(Outcome.DO_NOT_CALL, NOV_30), LATER,
             config)  # fmt: skip
    assert leads.get(store, who.id).status == Status.DNC
    assert open_steps(store) == 0
