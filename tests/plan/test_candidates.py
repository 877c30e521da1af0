"""What the store hands the planner: per-lead summaries from indexed queries, best first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from warmcall import leads
from warmcall.clock import to_epoch
from warmcall.config import Config
from warmcall.models import Lead, Status, Temperature
from warmcall.plan.candidates import candidates, plan_today
from warmcall.store.db import Database


def add_lead(db: Database, name: str, added: datetime = NOW - timedelta(days=60), **kw: Any) -> int:
    lead = leads.add(db, Lead(name=name, **kw), added)
    assert lead.id is not None
    return lead.id


def add_call(
    db: Database, lead_id: int, at: datetime, outcome: str, channel: str = "phone"
) -> None:
    db.execute(
        "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
        "VALUES (:l, :at, :o, :c, :at)",
        {"l": lead_id, "at": to_epoch(at), "o": outcome, "c": channel},
    )


def add_followup(
    db: Database, lead_id: int, due: datetime, action: str, done: datetime | None = None
) -> None:
    db.execute(
        "INSERT INTO followups (lead_id, due_at, has_time, action, created_at, done_at, status) "
        "VALUES (:l, :due, TRUE, :a, :due, :done, :s)",
        {
            "l": lead_id,
            "due": to_epoch(due),
            "a": action,
            "done": to_epoch(done) if done else None,
            "s": "kept" if done else "open",
        },
    )


def day(n: int, hour: int = 10) -> datetime:
    """``n`` days before NOW's day, at ``hour`` in Madrid."""
    return datetime(2026, 11, 25, hour, tzinfo=MADRID) - timedelta(days=n)


def by_id(found: list[Any]) -> dict[int, Any]:
    return {c.lead_id: c for c in found}


def test_each_lead_comes_with_its_history_summarised(store: Database, config: Config) -> None:
    ana = add_lead(store, "Ana", temperature=Temperature.HOT, window="early")
    add_call(store, ana, day(20), "meeting")
    add_call(store, ana, day(13, 9), "no-answer")  # the first day of the 14
    add_call(store, ana, day(14), "busy")  # one day too old to count
    add_call(store, ana, day(3), "connected", channel="email")  # a touch, not a dial
    add_call(store, ana, day(2), "voicemail")
    add_followup(store, ana, day(-3), "send the offer")
    add_followup(store, ana, day(5), "old, kept", done=day(5))
    ana_found = by_id(list(candidates(store, NOW, config, everything=True)))[ana]

    assert ana_found.last_touch_at == day(2) and ana_found.last_touch_outcome == "voicemail"
    assert (ana_found.last_conversation_at, ana_found.last_conversation_outcome) == (
        day(3),
        "connected",
    )
    assert (ana_found.dials, ana_found.unanswered) == (2, 2)
    # the dials the frequency rule reads: its window, whatever the zone (both are in it)
    assert day(13, 9) in ana_found.dial_times and day(2) in ana_found.dial_times
    assert ana_found.followup is not None and ana_found.followup.action == "send the offer"
    assert ana_found.followup.due_at == day(-3)
    assert ana_found.window == "early" and ana_found.temperature == "hot"


def test_the_dials_of_the_frequency_window_come_with_the_lead(
    store: Database, config: Config
) -> None:
    ben = add_lead(store, "Ben")
    for n in (1, 4, 6, 9):
        add_call(store, ben, day(n), "no-answer")
    add_call(store, ben, day(3), "connected", channel="email")  # a touch, not a dial
    found = by_id(list(candidates(store, NOW, config, everything=True)))[ben]
    assert found.dials == 4 and found.dial_times == tuple(day(n) for n in (9, 6, 4, 1))


def test_leads_never_called_are_left_out_in_sql_unless_all_are_asked(
    store: Database, config: Config
) -> None:
    ids = {
        name: add_lead(store, name, **kw)
        for name, kw in {
            "warm": {},
            "cold": {"temperature": Temperature.COLD},
            "dnc": {"status": Status.DNC},
            "won": {"status": Status.WON},
            "lost": {"status": Status.LOST},
        }.items()
    }
    assert {c.name for c in candidates(store, NOW, config)} == {"warm"}
    assert {c.name for c in candidates(store, NOW, config, include_cold=True)} == {"warm", "cold"}
    everything = candidates(store, NOW, config, everything=True)
    assert {c.lead_id for c in everything} == set(ids.values())


def test_candidates_arrive_best_bound_first(store: Database, config: Config) -> None:
    plain = add_lead(store, "Plain", temperature=Temperature.WARM)
    add_call(store, plain, day(1), "connected")
    urgent = add_lead(store, "Urgent", temperature=Temperature.HOT)
    add_followup(store, urgent, day(2), "call back")
    found = list(candidates(store, NOW, config))
    assert [c.lead_id for c in found] == [urgent, plain]
    assert found[0].ceiling is not None and found[0].ceiling > (found[1].ceiling or 0)


OUTCOMES = ["connected", "meeting", "callback", "not-interested", "voicemail", "no-answer", "busy"]
history = st.lists(
    st.tuples(
        st.integers(0, 40),  # days before NOW
        st.integers(0, 23),  # hour
        st.sampled_from(OUTCOMES),
        st.sampled_from(["phone", "phone", "email"]),
    ),
    max_size=6,
)
a_lead = st.tuples(
    st.sampled_from(list(Temperature)),
    st.sampled_from(["early", "midday", "any", "early,midday"]),
    st.sampled_from([None, "America/New_York", "Asia/Tokyo"]),
    st.integers(0, 90),  # added days ago
    history,
    st.one_of(st.none(), st.integers(-3, 6)),  # follow-up due, days before NOW
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(a_lead, min_size=1, max_size=12), st.integers(0, 6))
def test_the_ranked_plan_equals_the_complete_one(
    tmp_path_factory: pytest.TempPathFactory, people: list[Any], limit: int
) -> None:
    """The store's bound never undercuts a score, so stopping early loses no row."""
    from warmcall.store.db import open_db

    config = Config(timezone="Europe/Madrid", region="ES")
    db = open_db(tmp_path_factory.mktemp("ranked") / "w.db")
    with db:
        for n, (temp, window, zone, added, calls, due) in enumerate(people):
            lead_id = add_lead(
                db, f"L{n}", day(added), temperature=temp, window=window, timezone=zone
            )
            for days, hour, outcome, channel in calls:
                add_call(db, lead_id, day(days, hour), outcome, channel)
            if due is not None:
                add_followup(db, lead_id, day(due), "call back")
        complete = plan_today(db, NOW, config, include_cold=True, limit=limit, everything=True)
        exact = {r.lead.lead_id: r.score for r in complete.rows}
        for lead in candidates(db, NOW, config, include_cold=True):
            if lead.lead_id in exact:
                assert lead.ceiling is not None and lead.ceiling >= exact[lead.lead_id] - 1e-9
        ranked = plan_today(db, NOW, config, include_cold=True, limit=limit)
    assert [(r.lead.lead_id, r.score) for r in ranked.rows] == [
        (r.lead.lead_id, r.score) for r in complete.rows
    ]
