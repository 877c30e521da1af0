"""The weekly report over a hand-built store whose every figure is known in advance."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warmcall import leads, reports
from warmcall.clock import to_epoch
from warmcall.config import Config
from warmcall.errors import ConfigError, InvalidData
from warmcall.models import Lead, Status, Temperature
from warmcall.store.db import Database

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
W48 = reports.Period(date(2026, 11, 23), date(2026, 11, 29), "2026-W48")
# Monday after week 48: the week is over, so every figure covers it whole.
AFTER_W48 = datetime(2026, 11, 30, 9, 0, tzinfo=MADRID)
ADDED = datetime(2026, 10, 1, 9, 0, tzinfo=MADRID)


def at(text: str, zone: ZoneInfo = MADRID) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def lead(
    db: Database,
    name: str,
    temperature: str = "warm",
    source: str | None = None,
    status: str = "active",
    added: datetime = ADDED,
) -> int:
    made = leads.add(
        db,
        Lead(name, temperature=Temperature(temperature), source=source, status=Status(status)),
        added,
    )
    assert made.id is not None
    return made.id


def call(
    db: Database,
    lead_id: int,
    when: datetime,
    outcome: str,
    channel: str = "phone",
    objections: str | None = None,
    temperature: str | None = None,
) -> int:
    return db.insert(
        "INSERT INTO calls (lead_id, at, outcome, channel, objections, temperature, created_at) "
        "VALUES (:lead, :at, :outcome, :channel, :objections, :temperature, :at) RETURNING id",
        {"lead": lead_id, "at": to_epoch(when), "outcome": outcome, "channel": channel,
         "objections": objections, "temperature": temperature},
    )  # fmt: skip


def followup(
    db: Database,
    lead_id: int,
    due: datetime,
    created: datetime,
    has_time: bool = True,
    done: datetime | None = None,
    done_call: int | None = None,
    status: str = "open",
) -> None:
    db.execute(
        "INSERT INTO followups (lead_id, due_at, has_time, action, created_at, done_at, "
        "done_call_id, status) VALUES (:lead, :due, :has_time, 'send the offer', :created, "
        ":done, :done_call, :status)",
        {"lead": lead_id, "due": to_epoch(due), "has_time": has_time,
         "created": to_epoch(created), "done": to_epoch(done) if done else None,
         "done_call": done_call, "status": status},
    )  # fmt: skip


@pytest.fixture
def week(store: Database) -> dict[str, int]:
    """Week 48 (Mon 23 – Sun 29 Nov 2026, Madrid) and week 47 before it, call by call."""
    ana = lead(store, "Ana Martínez", "warm", "trade show")
    luis = lead(store, "Luis Pérez", "hot", "web form")
    carmen = lead(store, "Carmen Ruiz", "cold")
    pablo = lead(store, "Pablo Gómez", "warm", "referral")
    sofia = lead(store, "Sofía López", "hot", "referral", status="lost")
    diego = lead(store, "Diego Sánchez", "warm", "web form")
    # Week 47 (the period before): 4 dials, 2 conversations, 0 meetings, 6 touches.
    call(store, luis, at("2026-11-16T10:00"), "connected", temperature="hot")
    call(store, diego, at("2026-11-17T10:00"), "no-answer")
    call(store, ana, at("2026-11-18T10:00"), "connected", channel="email", temperature="warm")
    call(store, diego, at("2026-11-19T10:00"), "connected")
    call(store, pablo, at("2026-11-20T10:00"), "connected", channel="email")
    call(store, sofia, at("2026-11-22T23:59"), "busy")  # Sunday 23:59: still week 47
    # Week 48.
    call(store, ana, at("2026-11-23T00:00"), "no-answer")  # Monday 00:00: week 48
    call(store, ana, at("2026-11-23T10:00"), "connected", objections="price", temperature="hot")
    call(store, diego, at("2026-11-23T11:00"), "no-answer")  # Diego's 3rd dial in 14 days
    call(store, luis, at("2026-11-24T09:00"), "no-answer")
    call(store, luis, at("2026-11-24T12:00"), "connected", channel="email")  # a touch, no dial
    call(store, diego, at("2026-11-24T11:00"), "busy")  # 4th dial in 14 days: a breach
    kept_call = call(store, diego, at("2026-11-25T10:00"), "callback")  # 5th, but agreed
    followup(store, diego, at("2026-11-25T10:00"), at("2026-11-24T11:00"), done=at(
        "2026-11-25T10:00"), done_call=kept_call, status="kept")  # fmt: skip
    call(store, luis, at("2026-11-25T16:00"), "callback", objections="timing,price",
         temperature="warm")  # fmt: skip
    call(store, carmen, at("2026-11-26T10:00"), "busy")
    call(store, carmen, at("2026-11-27T10:00"), "meeting", channel="visit")  # meeting, no dial
    call(store, ana, at("2026-11-29T23:59"), "meeting", objections="timing")  # Sunday 23:59
    call(store, ana, at("2026-11-30T00:00"), "voicemail")  # Monday 00:00: week 49
    # Follow-ups: set in week 48 (4 with Diego's), closed kept (Diego's) and late (Ana's).
    followup(store, luis, at("2026-11-26T10:00"), at("2026-11-25T16:00"))  # open, overdue
    followup(store, ana, at("2026-11-27T00:00"), at("2026-11-23T10:00"), has_time=False,
             done=at("2026-11-29T23:59"), status="late")  # fmt: skip
    followup(store, carmen, at("2026-12-02T10:00"), at("2026-11-27T10:00"))  # not due yet
    return {"ana": ana, "luis": luis, "carmen": carmen, "pablo": pablo, "sofia": sofia,
            "diego": diego}  # fmt: skip


def test_every_figure_of_a_hand_built_week(store: Database, config: Config, week: dict[str, int]):
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert (r.dials, r.conversations, r.meetings, r.touches) == (9, 4, 2, 11)
    assert r.connect_rate == pytest.approx(4 / 9)
    assert not r.partial
    assert r.by_day == {
        date(2026, 11, 23): 3, date(2026, 11, 24): 2, date(2026, 11, 25): 2,
        date(2026, 11, 26): 1, date(2026, 11, 27): 0, date(2026, 11, 28): 0,
        date(2026, 11, 29): 1,
    }  # fmt: skip
    assert {k: v for k, v in r.by_outcome.items() if v} == {
        "no-answer": 3, "connected": 1, "callback": 2, "busy": 2, "meeting": 1,
    }  # fmt: skip
    assert set(r.by_outcome) == {
        "connected", "meeting", "callback", "not-interested", "voicemail", "no-answer", "busy",
        "wrong-number", "do-not-call",
    }  # fmt: skip
    assert {k: (v.dials, v.conversations, v.meetings) for k, v in r.by_source.items()} == {
        "trade show": (3, 2, 1),
        "web form": (5, 2, 0),
        reports.NO_SOURCE: (1, 0, 1),
    }
    assert list(r.by_source) == ["web form", "trade show", reports.NO_SOURCE]  # most dials first
    assert {k: (v.dials, v.conversations, v.meetings) for k, v in r.by_temperature.items()} == {
        "cold": (1, 0, 1), "warm": (6, 3, 1), "hot": (2, 1, 0),
    }  # fmt: skip
    assert r.objections == [("price", 2), ("timing", 2)]
    assert (r.followups_set, r.followups_kept, r.followups_late) == (4, 1, 1)
    # The lists are counted too: Luis overdue, Pablo stale, Diego breaching, Ana warmed up and
    # Luis cooled down.
    assert (r.overdue_count, r.stale_count, r.breaches_count) == (1, 1, 1)
    assert (r.warmed_count, r.cooled_count) == (1, 1)


def test_temperature_changes_are_judged_against_the_temperature_before(
    store: Database, config: Config, week: dict[str, int]
):
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert [(c.lead.name, c.before, c.after) for c in r.warmed] == [("Ana Martínez", "warm", "hot")]
    assert [(c.lead.name, c.before, c.after) for c in r.cooled] == [("Luis Pérez", "hot", "warm")]


def test_action_lists_at_the_end_of_the_week(store: Database, config: Config, week: dict[str, int]):
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert r.as_of == at("2026-11-29T23:59:59")
    # Luis's follow-up was due Thursday 10:00 and is still open; Carmen's is not due yet.
    assert [(o.lead.name, o.days_late) for o in r.overdue] == [("Luis Pérez", 3)]
    # Pablo: warm, last touched Friday 20 (9 days); Sofía is lost; Carmen is cold.
    assert [(s.lead.name, s.days) for s in r.stale] == [("Pablo Gómez", 9)]
    # Diego: 4 dials from the 17th to the 24th; the 25th's dial kept an agreed follow-up.
    assert [(b.lead.name, b.dials, b.breaching_dials) for b in r.breaches] == [
        ("Diego Sánchez", 4, 1)
    ]
    assert r.breaches[0].last_at == at("2026-11-24T11:00")


def test_the_previous_week_is_reported_beside_it(
    store: Database, config: Config, week: dict[str, int]
):
    before = reports.weekly(store, W48, config, AFTER_W48).previous
    assert before is not None and before.previous is None
    assert before.period == reports.Period(date(2026, 11, 16), date(2026, 11, 22), "2026-W47")
    assert (before.dials, before.conversations, before.meetings, before.touches) == (4, 2, 0, 6)
    assert before.by_day[date(2026, 11, 22)] == 1  # Sunday 23:59 counts in its own week
    assert before.objections == [] and before.breaches_count == 0
    assert (before.followups_set, before.followups_kept) == (0, 0)
    assert (before.warmed_count, before.cooled_count) == (0, 0)
    # At the end of week 47, Luis (hot) had gone 6 days without a touch: counted, not listed.
    assert before.stale_count == 1 and before.overdue_count == 0
    assert before.stale == before.overdue == before.breaches == []


def test_the_previous_period_counts_what_the_current_one_lists(store: Database, config: Config):
    """Week 47 judged on its own lists what week 48's report counts for it."""
    ana, luis = lead(store, "Ana", "hot"), lead(store, "Luis", "warm")
    for day in (16, 17, 18, 19):  # Ana: 4 dials in week 47, the 4th a breach
        call(store, ana, at(f"2026-11-{day}T10:00"), "no-answer")
    call(store, luis, at("2026-11-10T10:00"), "connected", temperature="warm")
    call(store, luis, at("2026-11-20T10:00"), "connected", temperature="hot")  # warmed in w47
    followup(store, luis, at("2026-11-19T10:00"), at("2026-11-18T10:00"))  # overdue since
    lead(store, "Carmen", "hot", added=at("2026-11-01T10:00"))  # never touched: stale
    w47 = reports.Period(date(2026, 11, 16), date(2026, 11, 22), "2026-W47")
    alone = reports.weekly(store, w47, config, AFTER_W48)
    before = reports.weekly(store, W48, config, AFTER_W48).previous
    assert before is not None
    assert [b.lead.name for b in alone.breaches] == ["Ana"] and before.breaches_count == 1
    assert [c.lead.name for c in alone.warmed] == ["Luis"] and before.warmed_count == 1
    # As of the end of week 47, Luis's follow-up was overdue; Carmen was stale (Ana and Luis
    # were called that week).
    assert [o.lead.name for o in alone.overdue] == ["Luis"] and before.overdue_count == 1
    assert [s.lead.name for s in alone.stale] == ["Carmen"] and before.stale_count == 1


def test_a_week_in_progress_compares_like_for_like(
    store: Database, config: Config, week: dict[str, int]
):
    wednesday = at("2026-11-25T12:00")
    r = reports.weekly(store, W48, config, wednesday)
    assert r.partial and r.as_of == wednesday
    assert r.dials == 6  # Mon 3 + Tue 2 + Diego's Wednesday 10:00; not Luis's 16:00
    before = r.previous
    assert before is not None and before.partial
    assert before.as_of == at("2026-11-18T12:00")
    assert before.dials == 2  # Mon 16 and Tue 17 (Wednesday's was an e-mail), not Thursday's


def test_a_user_elsewhere_sees_days_in_their_own_zone(store: Database):
    ana = lead(store, "Ana")
    # Monday 23 Nov 22:00 in New York is Tuesday 04:00 in Madrid.
    call(store, ana, at("2026-11-23T22:00", NEW_YORK), "connected")
    # Sunday 29 Nov 23:30 in New York is already Monday 30 in Madrid (and UTC).
    call(store, ana, at("2026-11-29T23:30", NEW_YORK), "busy")
    call(store, ana, at("2026-11-30T00:30", NEW_YORK), "busy")  # next week in New York
    ny = Config(timezone="America/New_York")
    r = reports.weekly(store, W48, ny, datetime(2026, 12, 1, tzinfo=NEW_YORK))
    assert r.dials == 2
    assert r.by_day[date(2026, 11, 23)] == 1 and r.by_day[date(2026, 11, 29)] == 1
    madrid = reports.weekly(store, W48, Config(timezone="Europe/Madrid"), AFTER_W48)
    assert madrid.dials == 1 and madrid.by_day[date(2026, 11, 24)] == 1


def test_a_week_across_the_end_of_summer_time(store: Database, config: Config):
    """Madrid leaves summer time at 03:00 on Sunday 25 October 2026: that day has 25 hours."""
    ana = lead(store, "Ana")
    call(store, ana, at("2026-10-25T23:30"), "connected")  # Sunday, after the change
    call(store, ana, at("2026-10-26T00:30"), "busy")  # Monday of week 44
    call(store, ana, at("2026-11-01T23:30"), "busy")  # Sunday of week 44
    call(store, ana, at("2026-10-19T00:10"), "busy")  # Monday of week 43, in summer time
    w44 = reports.week_named("2026-W44", date(2026, 11, 2), config)
    r = reports.weekly(store, w44, config, datetime(2026, 11, 2, 12, tzinfo=MADRID))
    assert r.period == reports.Period(date(2026, 10, 26), date(2026, 11, 1), "2026-W44")
    assert r.dials == 2
    assert r.by_day[date(2026, 10, 26)] == 1 and r.by_day[date(2026, 11, 1)] == 1
    assert r.previous is not None
    assert r.previous.by_day[date(2026, 10, 25)] == 1
    assert r.previous.by_day[date(2026, 10, 19)] == 1


def test_an_empty_week_is_zeros_not_errors(store: Database, config: Config):
    lead(store, "Ana", temperature="cold")
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert r.empty and r.dials == 0 and r.connect_rate is None
    assert set(r.by_day.values()) == {0} and len(r.by_day) == 7
    assert r.objections == [] and r.by_source == {}
    data = reports.as_json(r)
    assert data["connect_rate"] is None and data["previous"]["dials"] == 0


def test_a_followup_for_a_day_is_overdue_only_once_the_day_is_over(store: Database, config: Config):
    ana = lead(store, "Ana")
    followup(store, ana, at("2026-11-25T00:00"), at("2026-11-20T10:00"), has_time=False)
    during = reports.weekly(store, W48, config, at("2026-11-25T18:00"))
    assert during.overdue == []
    after = reports.weekly(store, W48, config, at("2026-11-26T08:00"))
    assert [(o.lead.name, o.days_late) for o in after.overdue] == [("Ana", 1)]


def test_a_followup_closed_after_the_period_was_still_overdue_in_it(
    store: Database, config: Config
):
    ana = lead(store, "Ana")
    followup(store, ana, at("2026-11-20T10:00"), at("2026-11-18T10:00"),
             done=at("2026-12-01T10:00"), status="late")  # fmt: skip
    r = reports.weekly(store, W48, config, datetime(2026, 12, 5, tzinfo=MADRID))
    assert [o.days_late for o in r.overdue] == [9]


def test_the_frequency_rule_is_read_from_the_configuration(store: Database):
    ana = lead(store, "Ana")
    for day in (23, 24, 25):
        call(store, ana, at(f"2026-11-{day}T10:00"), "no-answer")
    strict = Config(timezone="Europe/Madrid")
    strict.rules.max_attempts = 2
    r = reports.weekly(store, W48, strict, AFTER_W48)
    assert [(b.dials, b.breaching_dials) for b in r.breaches] == [(3, 1)]
    assert reports.weekly(store, W48, Config(timezone="Europe/Madrid"), AFTER_W48).breaches == []
    # Spread over more than attempts_days, the same dials are no breach.
    strict.rules.attempts_days = 1
    assert reports.weekly(store, W48, strict, AFTER_W48).breaches == []


def test_a_lead_never_touched_goes_stale_from_the_day_it_was_added(store: Database, config: Config):
    lead(store, "Ana", "hot", added=at("2026-11-20T10:00"))
    lead(store, "Luis", "hot", added=at("2026-11-26T10:00"))
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert [(s.lead.name, s.last_touch, s.days) for s in r.stale] == [("Ana", None, 9)]


def test_stale_leads_come_longest_first_then_by_lead(store: Database, config: Config):
    first = lead(store, "Ana", "hot")
    second = lead(store, "Luis", "warm")
    third = lead(store, "Carmen", "hot")
    call(store, third, at("2026-11-20T08:00"), "busy")  # 9 days by Sunday
    call(store, second, at("2026-11-20T18:00"), "busy")  # 9 days too, later that day
    call(store, first, at("2026-11-22T10:00"), "busy")  # 7 days
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert [(s.lead.id, s.days) for s in r.stale] == [(second, 9), (third, 9), (first, 7)]
    assert r.stale_count == 3
    for listed in (1, 2, 3, 4):  # the head of the list, ties within a day broken alike
        head = reports.weekly(store, W48, config, AFTER_W48, stale_listed=listed)
        assert head.stale == r.stale[:listed] and head.stale_count == 3


def test_json_has_the_documented_keys(store: Database, config: Config, week: dict[str, int]):
    data = reports.as_json(reports.weekly(store, W48, config, AFTER_W48))
    figures = {
        "period", "dials", "conversations", "connect_rate", "meetings", "touches",
        "followups_set", "followups_kept", "followups_late", "overdue_count", "stale_count",
        "breaches_count", "warmed_count", "cooled_count", "by_day", "by_outcome", "by_source",
        "by_temperature", "objections", "rules",
    }  # fmt: skip
    lists = {"overdue", "stale", "breaches", "warmed", "cooled"}
    assert set(data) == figures | lists | {"previous"}
    assert set(data["previous"]) == figures  # the period before: figures, no lists
    assert data["previous"]["stale_count"] == 1 and data["previous"]["dials"] == 4
    assert (data["stale_count"], data["overdue_count"], data["warmed_count"]) == (1, 1, 1)
    assert data["stale"] == [{
        "lead_id": week["pablo"], "name": "Pablo Gómez", "company": None, "temperature": "warm",
        "last_touch_at": "2026-11-20T10:00:00+01:00", "days": 9,
    }]  # fmt: skip
    assert data["period"] == {
        "start": "2026-11-23", "end": "2026-11-29", "week": "2026-W48",
        "timezone": "Europe/Madrid", "as_of": "2026-11-29T23:59:59+01:00",
    }  # fmt: skip
    assert data["by_day"]["2026-11-29"] == 1
    assert data["connect_rate"] == 0.4444
    assert data["objections"] == [{"objection": "price", "count": 2},
                                  {"objection": "timing", "count": 2}]  # fmt: skip
    assert data["overdue"][0] == {
        "lead_id": week["luis"], "name": "Luis Pérez", "company": None,
        "due_at": "2026-11-26T10:00:00+01:00", "has_time": True, "action": "send the offer",
        "days_late": 3,
    }  # fmt: skip
    assert data["breaches"][0]["last_at"] == "2026-11-24T11:00:00+01:00"
    assert data["by_source"]["web form"] == {"dials": 5, "conversations": 2, "meetings": 0}
    assert data["rules"] == {"max_attempts": 3, "attempts_days": 14, "stale_days": 5}


# Periods ------------------------------------------------------------------------------------


def test_weeks_are_named_by_iso_week(config: Config):
    today = date(2026, 11, 25)
    assert reports.week_of(today, config) == W48
    assert reports.week_named("2026-W48", today, config) == W48
    assert reports.week_named("2026w48", today, config) == W48
    assert reports.week_named("this", today, config) == W48
    assert reports.week_named("last", today, config).start == date(2026, 11, 16)
    assert reports.week_named("2027-W01", today, config).start == date(2027, 1, 4)
    assert reports.week_named("2026-W53", today, config).start == date(2026, 12, 28)
    with pytest.raises(InvalidData, match="2027 has no week 53"):
        reports.week_named("2027-W53", today, config)
    with pytest.raises(InvalidData, match="as a week"):
        reports.week_named("week 48", today, config)


def test_a_sunday_week_start_shifts_every_week(config: Config):
    config.report.week_start = "sunday"
    today = date(2026, 11, 25)
    assert reports.week_of(today, config) == reports.Period(
        date(2026, 11, 22), date(2026, 11, 28), "2026-W48"
    )
    assert reports.week_named("2026-W48", today, config).start == date(2026, 11, 22)
    config.report.week_start = "someday"
    with pytest.raises(ConfigError, match="week_start"):
        reports.week_of(today, config)


def test_the_period_before_has_the_same_length():
    run = reports.Period(date(2026, 11, 1), date(2026, 11, 30))
    assert run.before() == reports.Period(date(2026, 10, 2), date(2026, 10, 31))
    assert W48.before() == reports.Period(date(2026, 11, 16), date(2026, 11, 22), "2026-W47")


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    start=st.sampled_from(reports.WEEKDAYS),
)
def test_any_day_lies_in_its_week_of_seven_days(day: date, start: str):
    config = Config(timezone="Europe/Madrid")
    config.report.week_start = start
    week = reports.week_of(day, config)
    assert week.start <= day <= week.end and len(week.days) == 7
    assert week.start.weekday() == reports.WEEKDAYS.index(start)
    assert week.week is not None
    assert reports.week_named(week.week, day, config) == week


# --- issue 11: stale skips an agreed step; warmed counts a logged temperature -----------------


def test_a_lead_with_a_step_agreed_for_later_is_not_stale(store: Database, config: Config):
    waiting = lead(store, "Oliver Grant", "hot")
    neglected = lead(store, "Nadie Llama", "hot")
    call(store, waiting, at("2026-11-10T10:00"), "connected")
    followup(store, waiting, at("2026-12-07T10:00"), at("2026-11-10T10:00"))
    call(store, neglected, at("2026-11-10T10:00"), "connected")
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert [s.lead.id for s in r.stale] == [neglected] and r.stale_count == 1
    # once the agreed day has passed without a call it is overdue, and stale again
    later = reports.Period(date(2026, 12, 7), date(2026, 12, 13), "2026-W50")
    r50 = reports.weekly(store, later, config, at("2026-12-14T09:00"))
    assert sorted(s.lead.id for s in r50.stale) == sorted([waiting, neglected])
    assert [o.lead.id for o in r50.overdue] == [waiting]


def test_a_temperature_logged_on_a_call_warms_the_lead_in_the_report(
    store: Database, config: Config
):
    from warmcall import calls
    from warmcall.calls import CallEntry
    from warmcall.models import Outcome

    ana = leads.get(store, lead(store, "Ana", "warm"))
    bob = leads.get(store, lead(store, "Bob", "hot"))
    entry = CallEntry(Outcome.CONNECTED, at("2026-11-24T10:00"), temperature=Temperature.HOT)
    calls.log_call(store, ana, entry, AFTER_W48, config)
    cooler = CallEntry(Outcome.CONNECTED, at("2026-11-25T10:00"), temperature=Temperature.WARM)
    calls.log_call(store, bob, cooler, AFTER_W48, config)
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert [(c.lead.name, c.before, c.after) for c in r.warmed] == [("Ana", "warm", "hot")]
    assert [(c.lead.name, c.before, c.after) for c in r.cooled] == [("Bob", "hot", "warm")]
    assert (r.warmed_count, r.cooled_count) == (1, 1)


def test_dials_on_a_day_an_agreed_step_is_due_are_no_breach(store: Database, config: Config):
    agreed = lead(store, "Oliver Grant", "hot")
    pushed = lead(store, "Nadie Llama", "hot")
    for who in (agreed, pushed):
        for when in ("2026-11-23T10:00", "2026-11-23T17:00", "2026-11-24T10:00"):
            call(store, who, at(when), "no-answer")
    followup(store, agreed, at("2026-11-25T10:00"), at("2026-11-23T10:00"))
    for when in ("2026-11-25T09:00", "2026-11-25T12:00"):  # the agreed day, twice unanswered
        call(store, agreed, at(when), "no-answer")
        call(store, pushed, at(when), "no-answer")
    r = reports.weekly(store, W48, config, AFTER_W48)
    assert [(b.lead.name, b.breaching_dials) for b in r.breaches] == [("Nadie Llama", 2)]


def test_a_report_over_every_year_kept_is_bounded_sql_and_counts_right(store: Database):
    """1970–2100 (and the 131 years before it) in one report: the day of each call is put
    in SQL by the zone's offset changes, not by a comparison per day (which overflowed
    SQLite's parser from a few thousand days on), and each figure is the hand count."""
    ana = lead(store, "Ana", added=datetime(1970, 1, 1, 9, tzinfo=MADRID))
    luis = lead(store, "Luis", added=datetime(1970, 1, 1, 9, tzinfo=MADRID))
    dials = [
        (ana, "1970-01-01T00:00", "no-answer"),  # the first minute kept
        (ana, "1983-03-27T00:30", "connected"),  # the day summer time began (no 02:00 hour)
        (luis, "1999-10-31T02:30", "busy"),  # the 25-hour day: summer time ends at 03:00
        (luis, "1999-10-31T23:59", "connected"),
        (luis, "1999-11-01T00:00", "no-answer"),
        (luis, "1999-11-02T10:00", "voicemail"),  # Luis's 4th dial in 14 days: a breach
        (ana, "2026-11-24T10:00", "meeting"),
        (ana, "2100-12-31T23:59", "busy"),  # the last minute kept
    ]
    for who, when, outcome in dials:
        call(store, who, at(when), outcome)
    config = Config(timezone="Europe/Madrid")
    everything = reports.Period(date(1970, 1, 1), date(2100, 12, 31))
    r = reports.weekly(store, everything, config, datetime(2101, 1, 1, 12, tzinfo=MADRID))
    assert r.dials == len(dials) and r.conversations == 3 and r.meetings == 1
    assert len(r.by_day) == (date(2101, 1, 1) - date(1970, 1, 1)).days
    counted = {d: n for d, n in r.by_day.items() if n}
    assert counted == {
        date(1970, 1, 1): 1, date(1983, 3, 27): 1, date(1999, 10, 31): 2, date(1999, 11, 1): 1,
        date(1999, 11, 2): 1, date(2026, 11, 24): 1, date(2100, 12, 31): 1,
    }  # fmt: skip
    assert [(b.lead.name, b.dials, b.breaching_dials) for b in r.breaches] == [("Luis", 4, 1)]
    assert r.previous is not None and r.previous.dials == 0
    assert r.previous.period == reports.Period(date(1839, 1, 1), date(1969, 12, 31))
    # A user in New York sees the same calls on their own days.
    ny_config = Config(timezone="America/New_York")
    ny = reports.weekly(store, everything, ny_config, datetime(2101, 1, 2, tzinfo=NEW_YORK))
    assert ny.dials == len(dials) - 1  # 1 Jan 1970 00:00 in Madrid is 31 Dec 1969 in New York
    assert (ny.by_day[date(1999, 10, 30)], ny.by_day[date(1999, 10, 31)]) == (1, 2)
    assert ny.by_day[date(2100, 12, 31)] == 1


def test_the_teams_week_counts_each_reps_breaches_beside_stale_leads(store: Database):
    """``report --team`` on a book with stale leads (it used to fail on them) gives each rep
    the breaches of the dials they made, as the weekly report finds them."""
    lead(store, "Forgotten", "hot")  # untouched since October: stale
    ana, luis = lead(store, "Ana"), lead(store, "Luis")
    for day in (23, 24, 25):
        call(store, ana, at(f"2026-11-{day}T10:00"), "no-answer")
        call(store, luis, at(f"2026-11-{day}T11:00"), "no-answer")
    store.execute("UPDATE calls SET rep = 'bea' WHERE lead_id = :l", {"l": ana})
    store.execute("UPDATE calls SET rep = 'carl' WHERE lead_id = :l AND at < :d",
                  {"l": luis, "d": to_epoch(at("2026-11-25T00:00"))})  # fmt: skip
    store.execute("UPDATE calls SET rep = 'dan' WHERE lead_id = :l AND rep = ''", {"l": luis})
    strict = Config(timezone="Europe/Madrid")
    strict.rules.max_attempts = 2
    assert reports.weekly(store, W48, strict, AFTER_W48).stale_count >= 1
    week = reports.team(store, W48, strict, AFTER_W48)
    found = {w.rep: (w.dials, w.breaches) for w in week.reps}
    assert found == {"bea": (3, 1), "carl": (2, 0), "dan": (1, 1)}
