"""Slots that respect the person: their window, their zone, their working day, their country's
holidays, the rule profile's hours — and the exclusions SPEC §1 and §2 now name.

``NOW`` is Wednesday 25 November 2026, 07:50 in Madrid: 01:50 in New York, 00:50 in Mexico.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from warmcall.compliance.rules import Calendar, History, country_of, holiday
from warmcall.config import Compliance, Config
from warmcall.plan.planner import Agreed, Candidate, Excluded, Plan, plan
from warmcall.render.reasons import excluded_reason, part_detail, problem_text

NEW_YORK = ZoneInfo("America/New_York")
MEXICO = ZoneInfo("America/Mexico_City")
CONFIG = Config(timezone="Europe/Madrid", region="ES")


def at(day: int, hour: int, minute: int = 0, month: int = 11, zone: ZoneInfo = MADRID) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


def lead(lead_id: int = 1, **kw: Any) -> Candidate:
    values: dict[str, Any] = {
        "name": f"Lead {lead_id}",
        "created_at": at(25, 9, month=10),
        "last_touch_at": at(19, 11),
        "last_touch_outcome": "connected",
        "last_touch_channel": "phone",
        "last_conversation_at": at(19, 11),
        "last_conversation_outcome": "connected",
        "consent": "b2b",
        "timezone": "Europe/Madrid",
    }
    values.update(kw)
    return Candidate(lead_id=lead_id, **values)


def one(candidate: Candidate, now: datetime = NOW, config: Config = CONFIG) -> Plan:
    return plan([candidate], now, config)


def left_out(candidate: Candidate, now: datetime = NOW, config: Config = CONFIG) -> Excluded:
    result = one(candidate, now, config)
    assert not result.rows, result.rows
    return result.excluded[0]


# --- never at night ---------------------------------------------------------------------------


def test_an_overdue_step_in_new_york_waits_for_their_morning_not_0145() -> None:
    john = lead(
        timezone="America/New_York",
        phone_e164="+12125550100",
        followup=Agreed(at(24, 16), "send the contract"),
    )
    row = one(john).rows[0]
    assert row.slot_start == at(25, 9, zone=NEW_YORK)  # 15:00 in Madrid
    assert row.slot_end == at(25, 18, zone=NEW_YORK)
    assert not row.open_now
    assert row.parts[0].part == "followup-overdue"


def test_an_overdue_step_in_mexico_takes_its_midday_window() -> None:
    valeria = lead(
        timezone="America/Mexico_City",
        country="MX",
        window="midday",
        followup=Agreed(at(23, 10), "call back", has_time=False),
    )
    row = one(valeria).rows[0]
    assert row.slot_start.astimezone(MEXICO).hour == 12
    assert row.slot_start == at(25, 19)


def test_a_time_agreed_explicitly_keeps_its_time_even_outside_the_window() -> None:
    ana = lead(window="early", followup=Agreed(at(25, 16, 30), "confirm the pilot"))
    row = one(ana).rows[0]
    assert (row.slot_start, row.slot_end) == (at(25, 16, 30), at(25, 17))


def test_an_agreed_time_missed_at_its_minute_keeps_the_rest_of_its_half_hour() -> None:
    # Ana asked for 16:30, outside her early window; the caller was on another call then.
    ana = lead(window="early", followup=Agreed(at(25, 16, 30), "confirm the pilot"))
    row = one(ana, at(25, 16, 36)).rows[0]
    assert (row.slot_start, row.slot_end) == (at(25, 16, 36), at(25, 17))
    assert row.open_now


def test_an_agreed_time_unanswered_is_tried_once_more_ten_minutes_later() -> None:
    tried = {
        "last_touch_at": at(25, 16, 31),
        "last_touch_outcome": "no-answer",
        "dial_times": (at(25, 16, 31),),
    }
    ana = lead(window="early", followup=Agreed(at(25, 16, 30), "confirm the pilot"), **tried)
    row = one(ana, at(25, 16, 32)).rows[0]
    assert (row.slot_start, row.slot_end) == (at(25, 16, 41), at(25, 17))
    assert not row.open_now
    # A second unanswered try ends the half hour: the step is overdue, in her window tomorrow.
    twice = {
        "last_touch_at": at(25, 16, 42),
        "last_touch_outcome": "no-answer",
        "dial_times": (at(25, 16, 31), at(25, 16, 42)),
    }
    later = replace(ana, **twice)
    assert not one(later, at(25, 16, 44)).rows


def test_an_agreed_time_unlawful_by_now_is_not_tried_again_within_its_half_hour() -> None:
    # 20:50 was lawful; a retry at 21:01 would not be (b2b calls end at 21:00).
    evening = {
        "last_touch_at": at(25, 20, 51),
        "last_touch_outcome": "no-answer",
        "dial_times": (at(25, 20, 51),),
    }
    late = lead(window="any", followup=Agreed(at(25, 20, 50), "last call"), **evening)
    assert not one(late, at(25, 20, 52)).rows


def test_an_agreed_time_that_is_unlawful_moves_to_the_next_opening_and_says_so() -> None:
    # 06:30 in New York is before b2b's calling hours (07:00): the lead's window is 09:00.
    mary = lead(
        timezone="America/New_York",
        country="US",
        followup=Agreed(at(25, 6, 30, zone=NEW_YORK), "send the quote"),
    )
    result = one(mary)
    row = result.rows[0]
    assert row.slot_start == at(25, 9, zone=NEW_YORK)
    detail = part_detail(row.parts[0], result.now, result.zone)
    assert "is not lawful" in detail and "calling hours of b2b" in detail
    assert row.parts[0].facts["moved"]


def test_an_agreed_time_near_the_end_of_the_hours_is_cut_at_their_end() -> None:
    late = lead(window="any", followup=Agreed(at(25, 20, 50), "last call"))
    row = one(late).rows[0]
    assert (row.slot_start, row.slot_end) == (at(25, 20, 50), at(25, 21))


# --- holidays and days off --------------------------------------------------------------------


def test_thanksgiving_leaves_the_us_lead_out_with_the_holidays_name() -> None:
    thanksgiving = at(26, 15)  # Thu 26 Nov 2026, 09:00 in New York
    us = lead(timezone="America/New_York", phone_e164="+12125550100")
    out = left_out(us, thanksgiving)
    assert out.code == "holiday"
    assert (
        excluded_reason(out, thanksgiving, MADRID)
        == "Thanksgiving Day: a public holiday in US, next Fri 15:00"
    )
    assert out.facts["name"] == "Thanksgiving Day"
    # A Spanish lead is called that day.
    assert one(lead(phone_e164="+34600111222"), thanksgiving).rows


def test_the_users_own_holiday_is_a_day_off_for_the_plan() -> None:
    immaculate = at(8, 9, month=12)  # Tue 8 Dec 2026, a public holiday in Spain
    result = plan([lead(), lead(2, timezone="America/New_York", country="US")], immaculate, CONFIG)
    assert result.rows == [] and not result.working_day
    assert result.day_off is not None and result.day_off.code == "holiday"
    assert result.day_off.facts == {"name": "Immaculate Conception", "country": "ES"}
    assert problem_text(result.day_off, immaculate, MADRID) == (
        "Immaculate Conception: a public holiday in ES"
    )
    assert result.next_working_day == at(9, 0, month=12).date()
    assert {e.code for e in result.excluded} == {"day-off"}
    # The New Yorker is left out for the user's holiday, and the reason says it is the user's.
    new_yorker = next(e for e in result.excluded if e.lead.lead_id == 2)
    assert excluded_reason(new_yorker, immaculate, MADRID).startswith(
        "your day off: Immaculate Conception, a public holiday in ES"
    )
    assert (new_yorker.facts["yours"], new_yorker.facts["country"]) == (True, "ES")


def test_the_users_weekend_is_said_to_be_the_users() -> None:
    saturday = at(28, 10)
    out = plan([lead(timezone="America/New_York", country="US")], saturday, CONFIG).excluded[0]
    assert excluded_reason(out, saturday, MADRID).startswith(
        "your day off: Sat is not a working day"
    )


def test_a_holiday_in_the_leads_country_only() -> None:
    # Mon 28 Dec 2026, the UK's Boxing Day (observed): a normal working day in Spain.
    uk = lead(timezone="Europe/London", country="GB")
    out = left_out(uk, at(28, 10, month=12))
    assert out.code == "holiday" and out.facts["country"] == "GB"


# --- exclusions -------------------------------------------------------------------------------


def test_a_wrong_number_is_not_planned_until_the_phone_changes() -> None:
    out = left_out(lead(phone_flag="wrong-number"))
    assert out.code == "wrong-number"
    assert one(lead(phone_flag=None)).rows


def test_not_interested_rests_ninety_days_by_default_and_as_configured() -> None:
    refused = lead(
        last_conversation_outcome="not-interested",
        last_touch_outcome="not-interested",
        last_conversation_at=at(23, 11),
        last_touch_at=at(23, 11),
    )
    out = left_out(refused)
    assert out.code == "resting" and "resting 90 days" in excluded_reason(out, NOW, MADRID)
    short = replace(CONFIG, rules=replace(CONFIG.rules, not_interested_rest_days=1))
    assert one(refused, config=short).rows


def test_frances_profile_rests_sixty_days_after_a_refusal() -> None:
    config = replace(CONFIG, compliance=Compliance("b2b", {"FR": "fr-b2c"}))
    refused = lead(
        country="FR",
        timezone="Europe/Paris",
        consent="opt-in",  # since 11 Aug 2026 a French consumer is called only with it
        last_conversation_outcome="not-interested",
        last_touch_outcome="not-interested",
        last_conversation_at=at(25, 11, month=9),
        last_touch_at=at(25, 11, month=9),
    )
    # 61 days after the refusal: fr-b2c's 60 days are over, b2b's 90 would not be.
    assert one(refused, at(25, 10), config).rows
    assert left_out(refused, at(25, 10), CONFIG).code == "resting"


def test_fr_b2c_never_proposes_a_fifth_call_in_thirty_days() -> None:
    config = replace(CONFIG, compliance=Compliance("fr-b2c"))
    dials = tuple(at(d, 11) for d in (3, 10, 17, 23))
    busy = lead(
        country="FR", timezone="Europe/Paris", consent="opt-in", dial_times=dials,
        last_touch_at=at(23, 11),
    )  # fmt: skip
    out = left_out(busy, at(25, 10), config)
    assert out.code == "resting" and "fr-b2c allows 4" in excluded_reason(out, at(25, 10), MADRID)


def test_es_b2c_excludes_a_lead_without_prior_consent() -> None:
    config = replace(CONFIG, compliance=Compliance("es-b2c"))
    out = left_out(lead(consent="none"), at(25, 10), config)
    assert out.code == "consent" and "not accepted under es-b2c" in excluded_reason(
        out, at(25, 10), MADRID
    )
    assert one(lead(consent="opt-in"), at(25, 10), config).rows


def test_after_an_unanswered_try_on_a_due_step_not_twice_in_the_same_window() -> None:
    due = Agreed(at(25, 0), "call back", has_time=False)
    tried = {"last_touch_at": at(25, 7, 40), "last_touch_outcome": "voicemail"}
    out = left_out(lead(window="early", followup=due, **tried))
    assert out.code == "tried" and excluded_reason(out, NOW, MADRID).endswith("next Thu 07:30")
    row = one(lead(window="early,midday", followup=due, **tried)).rows[0]
    assert row.slot_start == at(25, 12)


# --- the property: every slot of every plan is lawful -----------------------------------------

ZONES = [None, "America/New_York", "America/Mexico_City", "Europe/London", "Europe/Paris",
         "Australia/Sydney", "Asia/Tokyo"]  # fmt: skip
COUNTRIES = [None, "ES", "US", "MX", "GB", "FR", "DE", "AU", "JP"]
WINDOWS = ["any", "early", "midday", "early,midday", "06:00-08:00", "20:00-23:30",
           "00:00-24:00", "10:30-11:00,15:00-19:00"]  # fmt: skip
PROFILES = ["b2b", "es-b2c", "fr-b2c", "us-tcpa"]

agreed = st.one_of(
    st.none(),
    st.builds(
        Agreed,
        due_at=st.integers(-5 * 24, 2 * 24).map(lambda h: NOW + timedelta(hours=h)),
        action=st.just("call back"),
        has_time=st.booleans(),
    ),
)
candidates = st.builds(
    lead,
    lead_id=st.integers(1, 10_000),
    window=st.sampled_from(WINDOWS),
    timezone=st.sampled_from(ZONES),
    country=st.sampled_from(COUNTRIES),
    consent=st.sampled_from(["b2b", "none", "opt-in"]),
    temperature=st.sampled_from(["warm", "hot"]),
    last_touch_outcome=st.sampled_from(["connected", "voicemail", "no-answer"]),
    last_touch_at=st.integers(1, 30 * 24).map(lambda h: NOW - timedelta(hours=h)),
    followup=agreed,
    status=st.sampled_from(["active", "active", "dnc"]),
    phone_flag=st.sampled_from([None, None, "wrong-number"]),
    # Dials in the last five weeks: enough to break fr-b2c's 4 in 30 days, or b2b's 3 in 14.
    dial_times=st.lists(st.integers(1, 35 * 24), max_size=6).map(
        lambda hours: tuple(sorted(NOW - timedelta(hours=h) for h in hours))
    ),
)


def user_day(moment: datetime) -> date:
    """The day of a moment where the user is: the day a step agreed for a day is due."""
    return moment.astimezone(ZoneInfo(CONFIG.timezone)).date()


@settings(max_examples=120, deadline=None)
@given(
    book=st.lists(candidates, max_size=8, unique_by=lambda c: c.lead_id),
    hours=st.integers(0, 400 * 24),
    profile=st.sampled_from(PROFILES),
    abroad=st.sampled_from([{}, {"FR": "fr-b2c", "US": "us-tcpa"}]),
)
def test_every_planned_slot_is_lawful(
    book: list[Candidate], hours: int, profile: str, abroad: dict[str, str]
) -> None:
    config = replace(CONFIG, compliance=Compliance(profile, abroad))
    now = NOW + timedelta(hours=hours)
    calendar = Calendar(config)
    result = plan(book, now, config, limit=None)
    for row in result.rows:
        lead_ = row.lead
        assert row.slot_start < row.slot_end
        exact = lead_.followup is not None and lead_.followup.has_time
        for moment in (row.slot_start, row.slot_end - timedelta(seconds=1)):
            problems = {p.code for p in calendar.timing(lead_, moment)}
            if exact:  # a time they agreed to: their window gives way, the law does not
                problems.discard("outside-window")
            assert not problems, (lead_, moment, problems)
            local = moment.astimezone(calendar.zone(lead_))
            assert local.isoweekday() in config.windows.working_days
            assert holiday(country_of(lead_, config), local.date()) is None
        # no do-not-call, wrong number, refused consent
        assert calendar.standing(lead_, row.slot_start) == []
        assert lead_.status == "active" and lead_.phone_flag != "wrong-number"
        history = History(lead_.dial_times, None, None)
        over = [p for p in calendar.resting(lead_, row.slot_start, history, cadence=False)
                if p.code == "over-frequency"]  # fmt: skip
        agreed = lead_.followup
        due = agreed is not None and (  # a step agreed for a day is due all that day
            agreed.due_at <= row.slot_end
            if agreed.has_time
            else user_day(agreed.due_at) <= user_day(row.slot_end)
        )
        assert not over or due, (lead_, over)  # only an agreed step may come back that often
    for item in result.excluded:
        assert excluded_reason(item, result.now, result.zone)  # every exclusion says why
