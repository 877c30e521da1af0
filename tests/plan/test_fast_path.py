"""The plan read best bound first, group by group (``candidates.pool``), is the plan made by
scoring every lead: the same rows, in the same order, with the same scores and reasons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.books import Person, a_person, write_book
from tests.conftest import NOW
from tests.plan.test_candidates import add_call, add_followup, add_lead, day
from tests.plan.test_score import coefficients
from warmcall.config import Config, Score
from warmcall.models import Temperature
from warmcall.pickup import record as pickup_record
from warmcall.plan.candidates import plan_today, pool
from warmcall.plan.planner import Candidate, Horizon, Plan, plan, plan_json
from warmcall.store.db import Database, open_db


def shown(result: Plan) -> list[dict[str, Any]]:
    """Every row as ``next --json`` prints it, with what ``--explain`` adds."""
    rows = plan_json(result)
    for row, made in zip(rows, result.rows, strict=True):
        row["open_now"] = made.open_now
        row["facts"] = [p.facts for p in made.parts]
    return rows


def both_ways(
    db: Database, now: datetime, config: Config, limit: int | None, include_cold: bool
) -> tuple[Plan, Plan]:
    """The fast plan and the one that scores every lead (``next --all``'s way)."""
    fast = plan_today(db, now, config, include_cold=include_cold, limit=limit)
    full = plan_today(db, now, config, include_cold=include_cold, limit=limit, everything=True)
    return fast, full


# A book where ties are the rule: the same people several times over (as an imported list
# of look-alike leads is), so that many leads share the best bound and the best score.
tied_books = st.lists(st.tuples(a_person, st.integers(1, 6)), min_size=1, max_size=6).map(
    lambda drawn: [person for person, times in drawn for _ in range(times)]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tied_books,
    st.one_of(st.none(), st.integers(0, 8)),  # --limit (None: every row)
    st.booleans(),  # --include-cold
    st.integers(0, 6 * 24 - 1),  # hours after NOW: any moment of the week
    st.one_of(st.just(Score()), coefficients),
)
def test_the_fast_plan_is_the_plan_of_every_lead_scored(
    tmp_path_factory: pytest.TempPathFactory,
    people: list[Person],
    limit: int | None,
    include_cold: bool,
    hours: int,
    score: Score,
) -> None:
    config = Config(timezone="Europe/Madrid", region="ES", score=score)
    now = NOW + timedelta(hours=hours)
    db = open_db(tmp_path_factory.mktemp("fast") / "w.db")
    with db:
        write_book(db, people)
        fast, full = both_ways(db, now, config, limit, include_cold)
    assert shown(fast) == shown(full)
    assert [r.rank for r in fast.rows] == list(range(1, len(fast.rows) + 1))
    if fast.callable is not None:  # read to the end: the same count of callable leads
        assert fast.callable == full.callable


def test_ties_at_the_top_keep_the_lowest_ids_and_read_few_leads(store: Database) -> None:
    """Sixty look-alike hot leads, last called a month ago, all scoring the same: the top
    five are the five first added, and the planner stops long before the sixtieth."""
    config = Config(timezone="Europe/Madrid", region="ES")
    ids = []
    for n in range(60):
        lead_id = add_lead(store, f"Look-alike {n}", temperature=Temperature.HOT, window="early")
        add_call(store, lead_id, day(40), "connected")
        ids.append(lead_id)
    warm = add_lead(store, "Warm, due today", temperature=Temperature.WARM, window="early")
    add_followup(store, warm, day(0, 8), "call back")
    at_eight = datetime(2026, 11, 25, 8, 0, tzinfo=NOW.tzinfo)
    fast, full = both_ways(store, at_eight, config, 5, include_cold=False)
    assert shown(fast) == shown(full)
    assert [r.lead.lead_id for r in fast.rows][:1] == [warm]  # a promise comes first
    assert sorted(r.lead.lead_id for r in fast.rows[1:]) == ids[:4]
    read = [
        c
        for c in pool(store, at_eight, config)
        if isinstance(c, Candidate) and c.ceiling is not None
    ]
    assert len(read) == 61  # the store hands them all, in order …
    seen = plan_today(store, at_eight, config, limit=5)
    assert seen.callable is None  # … and the planner stopped early
    assert len(seen.excluded) == 0


def test_leads_tied_but_for_their_pickup_chance_are_read_only_as_far_as_needed(
    db_path: Path,
) -> None:
    """Issue 19's imported book in small: look-alike hot Spanish mobiles whose only
    difference is when they answered. Each one's pickup part is bounded by its own record
    (its most answers in one hour), so the plan reads few of them, and is still the plan of
    every lead scored."""
    config = Config(timezone="Europe/Madrid", region="ES")
    db = open_db(db_path)
    for n in range(90):
        lead_id = add_mobile(db, n, window="any")
        for k in range(2):  # a Wednesday and a Tuesday at ten: one of two answered, all alike
            add_call(db, lead_id, day(56 + k, 10), "connected" if k else "no-answer")
        add_call(db, lead_id, day(40, 11 + n % 7), "connected" if n % 2 else "no-answer")
    pickup_record.rebuild(db, config)
    at = datetime(2026, 11, 25, 7, 50, tzinfo=NOW.tzinfo)
    fast, full = both_ways(db, at, config, 5, include_cold=False)
    assert shown(fast) == shown(full)
    assert all(any(p.part == "pickup" for p in r.parts) for r in fast.rows)
    pulled: list[Candidate] = []

    def counted() -> Iterator[Candidate | Horizon]:
        for item in pool(db, at, config, book=pickup_record.book(db, config, at)):
            pulled.extend([item] if isinstance(item, Candidate) else [])
            yield item

    plan(counted(), at, config, limit=5, book=pickup_record.book(db, config, at))
    assert 5 <= len(pulled) < 45  # not every one of the ninety
    db.close()


def test_groups_that_cannot_reach_the_top_are_never_read(store: Database) -> None:
    """Hot leads fill the top; the warm ones (a lower bound as a group) are never queried."""
    config = Config(timezone="Europe/Madrid", region="ES")
    for n in range(8):
        lead_id = add_lead(store, f"Hot {n}", temperature=Temperature.HOT, window="early")
        add_call(store, lead_id, day(40), "connected")
    for n in range(8):
        add_lead(store, f"Warm {n}", temperature=Temperature.WARM)
    at_eight = datetime(2026, 11, 25, 8, 0, tzinfo=NOW.tzinfo)
    names: list[str] = []
    stream = pool(store, at_eight, config)
    result = plan_today(store, at_eight, config, limit=3)
    assert [r.lead.name for r in result.rows] == ["Hot 0", "Hot 1", "Hot 2"]
    for found in stream:
        if isinstance(found, Horizon) and found.ceiling < result.rows[-1].score:
            break  # the planner stops here: what follows is never read
        if isinstance(found, Candidate):
            names.append(found.name)
    assert names and all(name.startswith("Hot") for name in names)


def test_a_lead_outside_the_vocabulary_is_still_planned(store: Database) -> None:
    """A store edited by hand (a stage no version wrote) loses no lead from the plan."""
    config = Config(timezone="Europe/Madrid", region="ES")
    odd = add_lead(store, "Odd stage", temperature=Temperature.HOT)
    add_lead(store, "Plain", temperature=Temperature.WARM)
    store.execute("UPDATE leads SET stage = 'negotiation' WHERE id = :id", {"id": odd})
    at_ten = datetime(2026, 11, 25, 10, 0, tzinfo=NOW.tzinfo)
    fast, full = both_ways(store, at_ten, config, 1, include_cold=False)
    assert shown(fast) == shown(full)
    assert [r.lead.lead_id for r in fast.rows] == [odd]


def test_the_plan_is_the_same_with_every_coefficient_at_its_default(store: Database) -> None:
    """A regression over one hand-made book on both engines: follow-ups due, agreed for
    later, resting after a dial, cold, and a fortnight's dials."""
    config = Config(timezone="Europe/Madrid", region="ES")
    people = [
        ("due", Temperature.WARM, [(3, "connected")], 1),
        ("later", Temperature.HOT, [(2, "callback")], -2),
        ("resting", Temperature.HOT, [(1, "no-answer")], None),
        ("tried", Temperature.HOT, [(1, "busy"), (3, "voicemail"), (5, "no-answer")], None),
        ("cold", Temperature.COLD, [(30, "connected")], None),
        ("stale", Temperature.HOT, [(20, "meeting")], None),
        ("new", Temperature.WARM, [], None),
    ]
    for name, temperature, calls, due in people:
        lead_id = add_lead(
            store, name, temperature=temperature, window="any", timezone="Europe/Madrid"
        )  # in Madrid: a Spanish lead alone could be in the Canaries, an hour behind
        for days, outcome in calls:
            add_call(store, lead_id, day(days), outcome)
        if due is not None:
            add_followup(store, lead_id, day(due, 11), "call back")
    at_nine = datetime(2026, 11, 25, 9, 0, tzinfo=NOW.tzinfo)
    for limit in (None, 0, 1, 2, 3, 20):
        for cold in (False, True):
            fast, full = both_ways(store, at_nine, config, limit, cold)
            assert shown(fast) == shown(full), (limit, cold)
    # Later, resting, tried and cold are left out; all three are open now (09:00, window
    # any), by score: due (warm 3, a day overdue 12.5, 3 days 0.6, positive 1, window 3),
    # stale (hot 6, 20 days 4, stale 2, a meeting last 1, window 3) and new (warm 3, 60 days
    # since added 6, stale 2, window 3).
    fast, _ = both_ways(store, at_nine, config, 3, False)
    assert [(r.lead.name, r.score) for r in fast.rows] == [
        ("due", 20.1), ("stale", 16.0), ("new", 14.0)
    ]  # fmt: skip


def test_a_tie_with_a_lead_read_later_goes_to_the_lower_id(store: Database) -> None:
    """Ana (added first, warm) scores all her bound, 15; Luis (hot, of no country the store
    can tell without the user's, so his bound counts his window open, which at 08:00 it is
    not) is read first on his bound of 18 and scores 15 too. With one row, Ana's lower id
    wins the tie, though she comes second."""
    config = Config(timezone="Europe/Madrid", region="ES")
    ana = add_lead(
        store, "Ana", temperature=Temperature.WARM, window="early", timezone="Europe/Madrid"
    )
    luis = add_lead(store, "Luis", temperature=Temperature.HOT, window="midday")
    for lead_id in (ana, luis):
        add_call(store, lead_id, day(40), "connected")
    at_eight = datetime(2026, 11, 25, 8, 0, tzinfo=NOW.tzinfo)
    read = [c.lead_id for c in pool(store, at_eight, config) if isinstance(c, Candidate)]
    assert read == [luis, ana]
    fast, full = both_ways(store, at_eight, config, 1, include_cold=False)
    assert shown(fast) == shown(full)
    assert [(r.lead.name, r.score) for r in fast.rows] == [("Ana", 15.0)]


def test_equal_ceilings_are_read_in_id_order_whatever_their_last_bits() -> None:
    """3 + 4.6 (23 days) and 6 + 1.6 (8 days) both bound 13.6, one of them in the last bit
    above it: one tie, read by lead id."""
    from warmcall.plan.candidates import _ties_by_id

    high = 3.0 + 0.2 * 23 + 2.0 + 1.0 + 3.0
    low = 6.0 + 0.2 * 8 + 2.0 + 1.0 + 3.0
    assert high != low
    rows = [(5, 20.0), (7, high), (9, high), (2, low), (4, 1.0)]
    assert list(_ties_by_id(rows)) == [(5, 20.0), (2, 13.6), (7, 13.6), (9, 13.6), (4, 1.0)]


def add_mobile(db: Database, n: int, **kw: Any) -> int:
    """Lead ``Mobile n``: a Spanish mobile (Madrid or the Canaries), hot with an early window
    unless ``kw`` says otherwise."""
    e164 = f"+346123456{n:02d}"
    values = {"temperature": Temperature.HOT, "window": "early", **kw}
    return add_lead(db, f"Mobile {n}", phone=e164, phone_e164=e164, country="ES", **values)


def test_a_window_closed_in_one_of_a_leads_zones_adds_nothing_to_its_bound(
    store: Database,
) -> None:
    """Issue 19's book: hot Spanish mobiles (Madrid or the Canaries, SPEC §1) with an early
    window, at 07:50 in Madrid, when it is 06:50 in the Canaries. None earns the window-open
    points, and the bound knows it: the planner reads the five best and one more, not all
    forty (it read all forty when every bound counted a window open)."""
    config = Config(timezone="Europe/Madrid", region="ES")
    for n in range(40):
        add_call(store, add_mobile(store, n), day(40), "connected")
    at = datetime(2026, 11, 25, 7, 50, tzinfo=NOW.tzinfo)
    fast, full = both_ways(store, at, config, 5, include_cold=False)
    assert shown(fast) == shown(full)
    assert [r.lead.name for r in fast.rows] == [f"Mobile {n}" for n in range(5)]
    assert not any(p.part == "window-open" for r in full.rows for p in r.parts)
    read: list[Candidate] = []

    def counted() -> Iterator[Candidate | Horizon]:
        for found in pool(store, at, config):
            if isinstance(found, Candidate):
                read.append(found)
            yield found

    plan(counted(), at, config, limit=5)
    assert len(read) == 6


def test_a_window_open_in_every_zone_of_a_lead_is_counted_in_its_bound(
    store: Database,
) -> None:
    """At 08:40 in Madrid the same early window is open in the Canaries too (07:40): the
    window-open points are earned, and the plan is the one of every lead scored."""
    config = Config(timezone="Europe/Madrid", region="ES")
    for n in range(12):
        temperature = Temperature.HOT if n % 2 else Temperature.WARM
        add_mobile(store, n, temperature=temperature, window="early" if n % 3 else "midday")
    at = datetime(2026, 11, 25, 8, 40, tzinfo=NOW.tzinfo)
    fast, full = both_ways(store, at, config, 3, include_cold=False)
    assert shown(fast) == shown(full)
    assert all(any(p.part == "window-open" for p in r.parts) for r in fast.rows)


def test_a_group_tied_at_its_best_is_read_in_id_order_without_sorting_it(db_path: Path) -> None:
    """Many hot leads share their group's best bound: the plan reads them by id, as far as
    it needs, and never asks the store to rank the whole group (the query that cost a
    fifth of a second on a book of 100,000)."""
    config = Config(timezone="Europe/Madrid", region="ES")
    db = open_db(db_path)
    for n in range(30):  # a third called two days ago: lower bounds
        add_call(db, add_mobile(db, n), day(40 if n % 3 else 2), "connected")
    at = datetime(2026, 11, 25, 7, 50, tzinfo=NOW.tzinfo)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)  # type: ignore[attr-defined]
    fast = plan_today(db, at, config, limit=3)
    db.conn.set_trace_callback(None)  # type: ignore[attr-defined]
    assert [r.lead.name for r in fast.rows] == ["Mobile 1", "Mobile 2", "Mobile 4"]
    ranked = [s for s in statements if "ORDER BY ceiling DESC" in s and "NOT l.id IN" in s]
    assert ranked == []
    full = plan_today(db, at, config, limit=3, everything=True)
    assert shown(fast) == shown(full)
    db.close()
