"""Slots: after the agreed call, lawful in the lead's zone and country, clear of the caller's
other agreed calls, and spread (different days, never both at the window's first minute)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from tests.scripts.make import MEXICO, NEW_YORK, at, call, followup, lead, section
from warmcall.compliance.rules import lawful_periods
from warmcall.config import Config
from warmcall.models import FollowUpStatus
from warmcall.scripts import build_script, propose_slots


def days(slots: list, zone: ZoneInfo = MADRID) -> list[str]:
    return [s.start.astimezone(zone).strftime("%a %d %b %H:%M") for s in slots]


def test_right_after_agreeing_friday_the_script_prepares_fridays_call(config):
    # Wednesday 12:15: a call just logged agreed Friday 10:00
    talk = call(at(25, 12), notes="Wants to see the numbers", call_id=5)
    agreed = followup(at(27, 10), "go through the numbers", has_time=True, call_id=5)
    script = build_script(lead(country="ES"), [talk], [agreed], at(25, 12, 15), config)
    assert script.prepared_for == at(27, 10)
    assert "For the call agreed on Friday 27 November at 10:00: “go through the numbers”" in (
        section(script, "Prepare")
    )
    assert all(s.start > at(27, 10, 30) for s in script.slots)
    assert days(script.slots) == ["Mon 30 Nov 09:00", "Tue 01 Dec 10:00"]
    # the conversation of Wednesday reads as people say it, from Friday
    assert any("our conversation last Wednesday" in line for line in section(script, "Open"))


def test_an_overdue_follow_up_is_prepared_as_of_now(config):
    late = followup(at(20, 10), has_time=True, call_id=1)
    script = build_script(lead(), [call(at(18, 10))], [late], NOW, config)
    assert script.prepared_for == NOW
    assert days(script.slots)[0] == "Thu 26 Nov 09:00"


def test_slots_skip_a_public_holiday_of_the_leads_country(config):
    monday = at(7, 10, month=12)  # Tuesday 8 December is a holiday in Spain
    spanish = propose_slots(lead(country="ES", window="early"), [], monday, config)
    assert days(spanish) == ["Wed 09 Dec 07:30", "Thu 10 Dec 08:30"]
    # Thanksgiving (Thursday 26 November) in New York
    ny = lead(country="US", timezone="America/New_York", window="early", phone="+1 212 555 0142")
    assert days(propose_slots(ny, [], NOW, config), NEW_YORK) == [
        "Fri 27 Nov 07:30",
        "Mon 30 Nov 08:30",
    ]


def test_slots_avoid_the_callers_other_agreed_calls(config):
    # Ana 08:15, Tomás and Oliver both 07:30 on Thursday; the script's own lead is another one
    others = [at(26, 8, 15), at(26, 7, 30), at(26, 7, 30), at(27, 12)]
    slots = propose_slots(lead(window="early,midday"), [], NOW, config, others=others)
    # no free half hour is left in Thursday's early window: its midday one, then Friday's
    assert days(slots) == ["Thu 26 Nov 12:00", "Fri 27 Nov 12:30"]
    for slot in slots:
        for other in others:
            assert not (slot.start < other + timedelta(minutes=30) and slot.end > other)


def test_an_agreed_call_lasts_what_the_configuration_says(config):
    config.scripts.agreed_call_minutes = 60
    slots = propose_slots(lead(window="early"), [], NOW, config, others=[at(26, 7, 30)])
    assert days(slots)[0] == "Thu 26 Nov 08:30"


def test_the_other_leads_calls_come_from_the_store(store, config):
    from warmcall import leads
    from warmcall.clock import to_epoch
    from warmcall.models import Lead
    from warmcall.scripts.slots import agreed_calls

    ids = [leads.add(store, Lead(name=name), NOW).id for name in ("Ana", "Tomás")]
    for lead_id, due, status in (
        (ids[0], at(26, 8, 15), "open"),
        (ids[1], at(26, 8, 30), "open"),
        (ids[1], at(27, 8, 30), "kept"),
    ):
        store.insert(
            "INSERT INTO followups (lead_id, due_at, has_time, action, status, created_at) "
            "VALUES (:l, :d, :t, 'call', :s, :c) RETURNING id",
            {"l": lead_id, "d": to_epoch(due), "t": True, "s": status, "c": to_epoch(NOW)},
        )
    found = agreed_calls(store, ids[0], NOW)
    assert [t.astimezone(MADRID) for t in found] == [at(26, 8, 30)]


def test_slots_across_zones_read_in_their_city(config):
    mx = lead(timezone="America/Mexico_City", country="MX", window="early")
    script = build_script(mx, [], [], NOW, config, "es")
    close = section(script, "Cerrar")
    ask = next(x for x in close if x.startswith("> ¿Lo dejamos ya en la agenda"))
    assert ask.endswith(", hora de Ciudad de México?")
    assert any("en Ciudad de México" in line for line in close)
    assert [s.start.astimezone(MEXICO).strftime("%H:%M") for s in script.slots] == [
        "07:30",
        "08:30",
    ]
    en = build_script(mx, [], [], NOW, config, "en")
    ask = next(x for x in section(en, "Close") if x.startswith("> Shall we fix a time"))
    assert ask.endswith(", Mexico City time?")


def test_the_leads_own_open_steps_are_avoided(config):
    taken = [followup(at(26, 9), has_time=True), followup(at(27, 9), has_time=False)]
    slots = propose_slots(lead(window="any", country="ES"), taken, NOW, config)
    assert days(slots) == ["Thu 26 Nov 09:30", "Mon 30 Nov 10:00"]
    done = [followup(at(26, 9), has_time=True, status=FollowUpStatus.KEPT)]
    assert propose_slots(lead(window="any"), done, NOW, config)[0].start == at(26, 9)


def test_no_calling_day_means_no_slot_and_a_line_that_asks_for_one():
    config = Config(timezone="Europe/Madrid")
    config.windows.working_days = []
    script = build_script(lead(), [], [], NOW, config)
    assert script.slots == []
    assert any("ask them for a day and an hour" in line for line in section(script, "Close"))


ZONES = ["Europe/Madrid", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Atlantic/Canary"]
WINDOWS = ["early", "midday", "any", "early,midday", "07:00-07:45", "16:15-17:40,10:00-11:00"]


@settings(max_examples=120, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    window=st.sampled_from(WINDOWS),
    after=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(MADRID)
    ),
    busy=st.lists(st.integers(min_value=0, max_value=24 * 6), max_size=6),
)
def test_slots_are_lawful_free_and_spread(zone, window, after, busy):
    config = Config(timezone="Europe/Madrid", region="ES")
    the_lead = lead(timezone=zone, window=window)
    others = [after + timedelta(hours=h, minutes=15 * (h % 4)) for h in busy]
    slots = propose_slots(the_lead, [], after, config, others=others)
    theirs = ZoneInfo(zone)
    assert len(slots) == 2
    assert len({s.start.astimezone(theirs).date() for s in slots}) == 2
    firsts = []
    for slot in slots:
        day = slot.start.astimezone(theirs).date()
        lawful = lawful_periods(the_lead, day, config)
        assert any(s <= slot.start and slot.end <= e for s, e in lawful)
        assert day > after.astimezone(theirs).date()
        assert slot.start.astimezone(theirs).time().minute in (0, 30) or any(
            slot.start == s for s, _ in lawful
        )
        firsts.append(slot.start == lawful[0][0])
        for other in others:
            assert not (slot.start < other + timedelta(minutes=30) and slot.end > other)
    if any(e - s >= timedelta(hours=1) for s, e in lawful):
        assert not all(firsts), "both slots at the window's first minute"


def test_odd_windows_round_to_the_half_hour():
    config = Config(timezone="Europe/Madrid")
    slots = propose_slots(lead(window="09:10-11:00"), [], NOW, config)
    assert [s.start.time() for s in slots] == [time(9, 30), time(10, 30)]


def test_the_agreed_time_reads_in_the_callers_zone(config):
    ny = lead(timezone="America/New_York", country="US", window="early")
    agreed = followup(at(27, 15), "go through the offer", has_time=True, call_id=1)
    script = build_script(ny, [call(at(24, 15), sent="offer")], [agreed], at(24, 15, 20), config)
    prepare = section(script, "Prepare")
    assert "For the call agreed on Friday 27 November at 15:00: “go through the offer”" in prepare
    assert "Phone +34 612 345 678 · their time then 09:00 (New York)" in prepare


def test_a_lead_whose_zone_comes_from_its_country_is_told_in_its_city(config):
    # No zone stored, no phone: the country column says Great Britain, which has one zone.
    uk = lead(timezone=None, phone=None, country="GB", window="early")
    en = build_script(uk, [], [], NOW, config, "en")
    assert [line for line in section(en, "Close") if line.endswith(", London time?")]
    assert [s.start.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") for s in en.slots] == [
        "07:30",
        "08:30",
    ]
