"""The calling session's decisions: who comes next after each call or skip, and its count."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import NOW
from warmcall import calls, leads
from warmcall.calls import CallEntry
from warmcall.config import Config
from warmcall.models import Lead, Outcome, Temperature
from warmcall.plan.planner import Row
from warmcall.plan.session import Session
from warmcall.store.db import Database


def add(db: Database, name: str, temperature: Temperature, window: str = "early") -> Lead:
    return leads.add(
        db,
        Lead(name=name, temperature=temperature, window=window, timezone="Europe/Madrid"),
        NOW - timedelta(days=30),
    )


def offered(session: Session, store: Database, config: Config) -> Row | None:
    """The lead the session offers now, or when the next slot of its plan opens (a call the
    caller's day puts in a later hour, where the record says they pick up more often)."""
    found = session.next_call(store, NOW, config)
    upcoming = None if found is not None else session.upcoming(NOW, config)
    if upcoming is None:
        return found
    return session.next_call(store, upcoming.opens_at, config)


def test_each_call_or_skip_moves_to_the_best_lead_not_handled(
    store: Database, config: Config
) -> None:
    ana = add(store, "Ana", Temperature.HOT)
    bruno = add(store, "Bruno", Temperature.HOT)
    carla = add(store, "Carla", Temperature.WARM)
    session = Session()
    first = session.next_call(store, NOW, config)
    assert first is not None and first.lead.name == "Ana"
    # A voicemail rests Ana for 48 h: the fresh plan no longer has her.
    done = calls.log_call(store, ana, CallEntry(Outcome.VOICEMAIL, NOW), NOW, config)
    session.record(done)
    second = offered(session, store, config)
    assert second is not None and second.lead.name == "Bruno"
    session.skip(bruno.id)  # type: ignore[arg-type]
    third = offered(session, store, config)
    assert third is not None and third.lead.lead_id == carla.id
    meeting = NOW + timedelta(days=2)  # a meeting is booked for a date
    talked = CallEntry(Outcome.MEETING, NOW, next_at=meeting, next_action="demo")
    session.record(calls.log_call(store, carla, talked, NOW, config))
    assert offered(session, store, config) is None
    summary = session.summary()
    assert (summary.calls, summary.meetings, summary.skipped) == (2, 1, 1)
    assert summary.left == 1  # Bruno, skipped: still to call today


def test_a_logged_lead_is_not_offered_again_even_when_the_rules_allow_it(
    store: Database, config: Config
) -> None:
    ana = add(store, "Ana", Temperature.HOT)
    session = Session()
    entry = CallEntry(Outcome.CONNECTED, NOW, next_at=NOW + timedelta(minutes=30))
    entry.next_action = "send the figures and call again"
    # A follow-up due later today keeps Ana in the plan: the session still moves on.
    session.record(calls.log_call(store, ana, entry, NOW, config))
    assert session.next_call(store, NOW, config) is None
    # A fresh session offers her when the agreed time comes, and names her before.
    fresh = Session()
    assert fresh.next_call(store, NOW, config) is None
    upcoming = fresh.upcoming(NOW, config)
    assert upcoming is not None and upcoming.row.lead.name == "Ana"
    assert upcoming.opens_at == NOW + timedelta(minutes=30) and upcoming.early
    assert Session().next_call(store, NOW + timedelta(minutes=30), config) is not None


def test_skipped_leads_do_not_use_up_the_limit(store: Database, config: Config) -> None:
    for name in ("Ana", "Bruno", "Carla"):
        add(store, name, Temperature.HOT)
    session = Session(limit=1)
    names = []
    while (row := session.next_call(store, NOW, config)) is not None:
        names.append(row.lead.name)
        session.skip(row.lead.lead_id)
    assert names == ["Ana", "Bruno", "Carla"]
    assert session.summary().left == 3


def test_only_whom_it_may_call_now_is_offered(store: Database, config: Config) -> None:
    add(store, "Dario", Temperature.HOT, window="midday")
    night = leads.add(
        store,
        Lead(name="John", temperature=Temperature.HOT, window="any", timezone="America/New_York"),
        NOW - timedelta(days=30),
    )
    session = Session()
    assert session.next_call(store, NOW, config) is None  # 07:50: Dario at noon, John at 15:00
    upcoming = session.upcoming(NOW, config)
    assert upcoming is not None and upcoming.row.lead.name == "Dario"
    assert upcoming.early  # 07:50 is inside b2b's hours: only his window is closed
    # At 12:55 Madrid John's window is not open (06:55 in New York), nor are his calling hours.
    session.skip(upcoming.row.lead.lead_id)
    assert session.next_call(store, NOW.replace(hour=12, minute=55), config) is None
    later = session.upcoming(NOW.replace(hour=12, minute=55), config)
    assert later is not None and later.row.lead.lead_id == night.id
    assert not later.early and {p.code for p in later.problems} >= {"outside-hours"}


def test_the_counter_counts_against_the_plan_the_session_set_out_with(
    store: Database, config: Config
) -> None:
    """With a limit of 2 and four leads, each new plan brings in the next lead: the caller
    still reads 1 of 2, 2 of 2, then 3 of 3 once beyond it, never 4 of 5."""
    for name in ("Ana", "Bruno", "Carla", "Dora"):
        add(store, name, Temperature.HOT)
    session = Session(limit=2)
    seen = []
    while (row := session.next_call(store, NOW, config)) is not None:
        seen.append(session.position())
        session.skip(row.lead.lead_id)
    assert seen == [(1, 2), (2, 2), (3, 3), (4, 4)]
