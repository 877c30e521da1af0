"""A learned lead's day (issue 22, the simulation's lessons): an ``any`` lead whose hours are
learned may be planned in any lawful hour, the caller's day offers no hour gone by, a slot
lasts while the chance holds, and ``[user] hours`` keeps the calls inside the caller's day.

``NOW`` is Wednesday 25 November 2026, 07:50 in Madrid (conftest).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from tests.conftest import MADRID, NOW
from tests.plan.test_pickup import learned_book
from tests.test_planner import CONFIG, QUIET, at, lead
from warmcall.config import Config, User
from warmcall.plan.capacity import Capacity
from warmcall.plan.planner import Candidate, Plan, plan

EARLY_RISER = {(8, False): (4, 4), (10, False): (4, 0), (15, False): (4, 0)}


def learned(lead_id: int = 1, record: dict | None = None, **kw: object) -> Candidate:
    return lead(lead_id, **{**QUIET, "pickup_own": record or {}, "pool_key": ("ES", "any", None),
                            **kw})  # fmt: skip


def spread_day(leads: list[Candidate], now: datetime, rate: int = 10, **kw: object) -> Plan:
    return plan(leads, now, CONFIG, limit=None, capacity=Capacity(rate, **kw),
                book=learned_book())  # fmt: skip


def test_an_early_riser_who_never_stated_a_window_is_planned_at_eight() -> None:
    """``[windows] any`` (09:00-18:00) is the seeds' guess, not a limit the person asked
    for: once the record says 08:00, that is the slot, in the lawful day (b2b from 07:00)."""
    early = spread_day([learned(record=EARLY_RISER)], NOW)
    assert early.rows[0].slot_start == at(25, 8)
    assert early.rows[0].pickup is not None and early.rows[0].pickup.hour == 8
    # Without a pickup record the seeds' window holds: the same lead opens at 09:00.
    bare = plan([learned()], NOW, CONFIG, limit=None, capacity=Capacity(10))
    assert bare.rows[0].slot_start == at(25, 9)
    # A window the person asked for is never left for the learned hours.
    kept = spread_day([learned(record=EARLY_RISER, window="midday")], NOW)
    assert time(12) <= kept.rows[0].slot_start.astimezone(MADRID).time() < time(14)


def test_a_slot_lasts_while_the_chance_holds() -> None:
    """Missed at 08:00, the early riser is not offered at noon, when it hardly answers: its
    dial (three in fourteen days) is worth more tomorrow at 08:00."""
    row = spread_day([learned(record=EARLY_RISER)], NOW).rows[0]
    assert row.slot_end == at(25, 9)
    later = spread_day([learned(record=EARLY_RISER)], at(25, 11)).rows
    assert all(r.slot_start >= at(25, 11) for r in later)


def test_no_call_is_planned_in_an_hour_gone_by() -> None:
    """At 11:10 with an empty 09:00 and 10:00, the day's room is from 11:00 on: the calls
    do not pile into the hours gone by, all open at once."""
    leads = [lead(n, **{**QUIET, "window": "any"}) for n in range(1, 9)]
    result = plan(leads, at(25, 11, 10), CONFIG, limit=None, capacity=Capacity(2))
    hours = sorted(r.slot_start.astimezone(MADRID).hour for r in result.rows)
    assert hours == [11, 11, 12, 12, 13, 13, 14, 14]
    assert result.open_now == 2


def test_the_callers_hours_keep_the_calls_in_their_day() -> None:
    """A lead whose best hour is 20:00 in Madrid is planned inside a caller's day that ends
    at 19:00 (``[user] hours``); without them, at 20:00."""
    evening = {(20, False): (4, 4), (10, False): (4, 1)}
    free = spread_day([learned(record=evening)], NOW).rows[0]
    assert free.slot_start == at(25, 20)
    hours = (at(25, 7, 30), at(25, 19))
    kept = spread_day([learned(record=evening)], NOW, hours=hours).rows[0]
    assert at(25, 7, 30) <= kept.slot_start < at(25, 19)


def test_the_caller_hours_come_from_the_config(store: object) -> None:
    from warmcall.plan.candidates import capacity

    config = Config(timezone="Europe/Madrid", region="ES", user=User(hours="07:30-20:00"))
    found = capacity(store, NOW, config)  # type: ignore[arg-type]
    assert found.hours == (at(25, 7, 30), at(25, 20))
    assert capacity(store, NOW, CONFIG).hours is None  # type: ignore[arg-type]


def test_exploration_in_the_callers_day_is_the_same_all_day() -> None:
    """Some leads try an untried hour on some days (a Thompson draw seeded by the day and the
    lead); two plans of the same day and record agree, another day draws again."""
    record = {(11, False): (3, 3)}
    leads = [learned(n, record=record) for n in range(1, 41)]
    first = spread_day(leads, NOW - timedelta(minutes=100), rate=40)
    second = spread_day([learned(n, record=record) for n in range(1, 41)],
                        NOW - timedelta(minutes=60), rate=40)  # fmt: skip
    assert [(r.lead.lead_id, r.slot_start) for r in first.rows] == [
        (r.lead.lead_id, r.slot_start) for r in second.rows
    ]
    moved = {r.lead.lead_id for r in first.rows if r.slot_start.astimezone(MADRID).hour != 11}
    assert 0 < len(moved) < len(leads) / 3
    tomorrow = spread_day([learned(n, record=record) for n in range(1, 41)],
                          NOW + timedelta(days=1), rate=40)  # fmt: skip
    assert {
        r.lead.lead_id for r in tomorrow.rows if r.slot_start.astimezone(MADRID).hour != 11
    } != moved


def test_a_follow_up_due_is_offered_until_its_slot_closes() -> None:
    """The chance never shortens a promise: an overdue follow-up of an early riser, missed at
    08:00, is still offered at noon (no follow-up kept later than before)."""
    from warmcall.plan.planner import Agreed

    promised = learned(record=EARLY_RISER, followup=Agreed(at(24, 8), "call back", False))
    row = spread_day([promised], NOW).rows[0]
    assert row.slot_end > at(25, 12)
    plain = spread_day([learned(record=EARLY_RISER)], NOW).rows[0]
    assert plain.slot_end == at(25, 9)  # the same lead without a promise: cut at 09:00


def test_a_follow_up_due_takes_its_best_hour_with_room_before_the_rest() -> None:
    """One call an hour: the promise made yesterday (a day, no time) goes first, in the hour
    its person answers (noon, not 09:00 again), before a hot lead who answers best at noon
    too; that lead goes to another hour. Without a record the promise opens the day."""
    from warmcall.plan.planner import Agreed

    promise = Agreed(at(24, 8), "call back", False)
    lunch = {(12, False): (4, 4), (9, False): (4, 0)}
    promised = learned(1, record=lunch, followup=promise)
    eager = learned(2, record={(12, False): (4, 4)}, temperature="hot")
    rows = {r.lead.lead_id: r for r in spread_day([promised, eager], NOW, rate=1).rows}
    assert rows[1].slot_start == at(25, 12)
    assert rows[2].slot_start != at(25, 12)
    bare = plan([learned(1, followup=promise)], NOW, CONFIG, limit=None, capacity=Capacity(1))
    assert bare.rows[0].slot_start == at(25, 9)
