"""The pickup record kept in the store (``pickup.record``), on both engines: logged,
corrected, undone and imported calls keep it in step with the calls, and migration 0013
fills it from the calls an older store holds."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import MADRID, NOW, older_store
from warmcall import calls, leads
from warmcall.calls import CallChanges, CallEntry, log_call
from warmcall.config import Config
from warmcall.imports.calls import import_calls
from warmcall.imports.source import open_source
from warmcall.models import Outcome
from warmcall.pickup import record as pickup_record
from warmcall.pickup.estimate import KAPPA_RANGE
from warmcall.store.db import Database, open_db


def rows(db: Database) -> list[tuple[int, int, int, int, int]]:
    return [
        tuple(r)  # type: ignore[misc]
        for r in db.rows(
            "SELECT lead_id, hour, weekend, dials, answered FROM pickup_hours "
            "ORDER BY lead_id, hour, weekend"
        )
    ]


def madrid(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=MADRID)


@pytest.fixture
def ana(store: Database, config: Config) -> int:
    build = leads.LeadBuilder(config).build
    found = leads.add(
        store, build({"name": "Ana", "phone": "612 345 678", "timezone": "Europe/Madrid"}), NOW
    )
    assert found.id is not None
    return found.id


def log(store: Database, config: Config, lead_id: int, outcome: str, at: datetime) -> int:
    entry = CallEntry(outcome=Outcome(outcome), at=at)
    logged = log_call(store, leads.get(store, lead_id), entry, NOW, config)
    assert logged.call.id is not None
    return logged.call.id


def test_logging_undoing_and_correcting_calls_keep_the_record(
    store: Database, config: Config, ana: int
) -> None:
    log(store, config, ana, "connected", madrid(16, 8, 10))
    log(store, config, ana, "no-answer", madrid(17, 8, 50))
    log(store, config, ana, "voicemail", madrid(21, 12, 5))  # a Saturday
    last = log(store, config, ana, "connected", madrid(23, 16, 40))
    assert rows(store) == [(ana, 8, 0, 2, 1), (ana, 12, 1, 1, 0), (ana, 16, 0, 1, 1)]
    calls.edit_call(store, last, CallChanges(at=madrid(23, 17, 5)), NOW, config)
    assert rows(store)[-1] == (ana, 17, 0, 1, 1)
    calls.edit_call(store, last, CallChanges(outcome=Outcome.BUSY), NOW, config)
    assert rows(store)[-1] == (ana, 17, 0, 1, 0)
    calls.undo_call(store, calls.last_logged(store), NOW, config)
    assert rows(store) == [(ana, 8, 0, 2, 1), (ana, 12, 1, 1, 0)]


def test_the_hour_is_the_leads_own(store: Database, config: Config, ana: int) -> None:
    """A New Yorker answering at 10:00 their time was called at 16:00 Madrid time."""
    build = leads.LeadBuilder(config).build
    bob = leads.add(store, build({"name": "Bob", "phone": "+1 212 555 0100"}), NOW)
    log(store, config, bob.id, "connected", madrid(16, 16))  # type: ignore[arg-type]
    assert rows(store) == [(bob.id, 10, 0, 1, 1)]
    # a new zone moves the hours of the dials already made
    leads.edit(store, leads.get(store, bob.id), {"timezone": "America/Los_Angeles"}, config, NOW)  # type: ignore[arg-type]
    assert rows(store) == [(bob.id, 7, 0, 1, 1)]


def test_imported_calls_are_counted(
    store: Database, config: Config, ana: int, tmp_path: Path
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "lead_id,at,outcome\n"
        f"{ana},2026-11-16 08:10,connected\n"
        f"{ana},2026-11-17 08:40,no-answer\n"
        f"{ana},2026-11-18 13:15,connected\n",
        encoding="utf-8",
    )
    with open_source(str(path)) as (source, size):
        import_calls(store, source, config, NOW, size=size)
    assert rows(store) == [(ana, 8, 0, 2, 1), (ana, 13, 0, 1, 1)]


def test_migration_0013_counts_the_calls_an_older_store_holds(
    store: Database, tmp_path: Path
) -> None:
    store.close()
    old, target = older_store(store.dialect, tmp_path, "0011")
    old.execute(
        'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
        "timezone, created_at, updated_at) "
        "VALUES ('Ana', 'ana', 'warm', 'lead', 'active', 'b2b', 'any', 'Europe/Madrid', 1, 1)"
    )
    for at, outcome, channel in [
        (madrid(16, 8, 10), "connected", "phone"),
        (madrid(17, 8, 40), "voicemail", "phone"),
        (madrid(18, 8, 40), "connected", "email"),  # not a dial
    ]:
        old.execute(
            "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
            "VALUES (1, :at, :o, :c, 1)",
            {"at": int(at.timestamp()), "o": outcome, "c": channel},
        )
    old.close()
    with open_db(target) as db:  # opening it upgrades it
        assert rows(db) == [(1, 8, 0, 2, 1)]
        assert db.one("SELECT COUNT(*) AS n FROM calls")["n"] == 3


def test_the_book_pools_similar_leads_and_reads_the_spread(store: Database, config: Config) -> None:
    build = leads.LeadBuilder(config).build
    ids = []
    for n in range(8):
        said = {"name": f"L{n}", "phone": f"61{n} 345 678", "source": "fair"}
        lead = leads.add(store, build({**said, "timezone": "Europe/Madrid"}), NOW)
        ids.append(lead.id)
        for d in range(4):
            outcome = "connected" if (n % 2 == 0 or d == 0) else "no-answer"
            log(store, config, lead.id, outcome, madrid(2 + d, 9) - timedelta(days=7 * n))  # type: ignore[arg-type]
    found = pickup_record.book(store, config)
    assert found.dials == 32
    pool = pickup_record.pool_of(found, "any", None, "fair")  # stored: the user's country
    assert sum(n for n, _ in pool.values()) == 32, found.pools.keys()
    assert 0.5 < found.mean < 0.75
    assert found.kappa < KAPPA_RANGE[1]  # leads differ: the spread tells
