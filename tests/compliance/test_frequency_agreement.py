"""One frequency rule: ``next``, ``call log`` and ``report`` agree on every breach (SPEC §2, §7).

Each case is a lead with its earlier dials and one more dial at a moment: the plan at that
moment either offers the lead now or rests it, ``call log`` of the dial warns or not, and the
week's report lists the lead's breach or not — the same answer, under the lead's own profile
(``b2b`` by [rules], ``fr-b2c`` 4 calls in 30 days, ``us-tcpa`` by [rules]), counted in calendar
days of the lead's zone. On both engines (``store``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID
from warmcall import calls, leads, reports
from warmcall.clock import to_epoch
from warmcall.compliance.rules import Frequency, over_frequency
from warmcall.config import Compliance, Config, Rules
from warmcall.models import Channel, Consent, Lead, Outcome
from warmcall.plan.candidates import plan_today
from warmcall.plan.planner import Excluded
from warmcall.store.db import Database

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
ADDED = datetime(2026, 9, 1, 9, 0, tzinfo=MADRID)
# The unanswered dial's 48 hours of rest are another rule: left out, so that only the
# frequency limit can keep a lead from being called.
CONFIG = Config(
    timezone="Europe/Madrid",
    region="ES",
    rules=Rules(rest_hours_after_unanswered=0),
    compliance=Compliance(countries={"FR": "fr-b2c", "US": "us-tcpa"}),
)
# A user whose own rule is one dial a day: where 23 hours and a calendar day part.
DAILY = replace(CONFIG, rules=Rules(max_attempts=1, attempts_days=1, rest_hours_after_unanswered=0))


def local(text: str, zone: ZoneInfo = MADRID) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


@dataclass(frozen=True)
class Case:
    name: str
    country: str
    zone: ZoneInfo
    dials: tuple[datetime, ...]  # the earlier dials
    at: datetime  # the dial judged
    breaks: bool
    daily: bool = False  # judged under DAILY, else CONFIG

    @property
    def config(self) -> Config:
        return DAILY if self.daily else CONFIG


# Wednesday 25 November 2026: a working day for the user (Madrid) and for every lead.
CASES = [
    # b2b, [rules] 3 in 14 days: the window is 12-25 Nov, whole days in the lead's zone.
    Case("b2b: the 3rd dial at the first day's midnight is inside", "ES", MADRID,
         (local("2026-11-12T00:00"), local("2026-11-18T10:00"), local("2026-11-23T10:00")),
         local("2026-11-25T10:00"), True),
    Case("b2b: the 3rd dial a minute before it is outside (13 days 10 h ago)", "ES", MADRID,
         (local("2026-11-11T23:59"), local("2026-11-18T10:00"), local("2026-11-23T10:00")),
         local("2026-11-25T10:00"), False),
    Case("b2b: the 4th dial in 6 days, none near the edge", "ES", MADRID,
         (local("2026-11-19T10:00"), local("2026-11-23T10:00"), local("2026-11-24T10:00")),
         local("2026-11-25T10:00"), True),
    # [rules] of one dial a day: 23 hours ago was yesterday; earlier today is today.
    Case("b2b daily: 23 h ago, yesterday", "ES", MADRID, (local("2026-11-24T11:00"),),
         local("2026-11-25T10:00"), False, daily=True),
    Case("b2b daily: 7 h ago, the same day", "ES", MADRID, (local("2026-11-25T09:00"),),
         local("2026-11-25T16:00"), True, daily=True),
    # us-tcpa, [rules] 3 in 14 days, in New York's days (the user is in Madrid): 00:30 on
    # 12 Nov in Madrid is still 11 Nov in New York, outside; 06:30 in Madrid is inside.
    Case("us-tcpa: 11 Nov in New York, 12 Nov in Madrid: outside", "US", NEW_YORK,
         (local("2026-11-12T00:30"), local("2026-11-18T20:00"), local("2026-11-23T20:00")),
         local("2026-11-25T15:00", NEW_YORK), False),
    Case("us-tcpa: 12 Nov in New York: inside", "US", NEW_YORK,
         (local("2026-11-12T06:30"), local("2026-11-18T20:00"), local("2026-11-23T20:00")),
         local("2026-11-25T15:00", NEW_YORK), True),
    # fr-b2c, 4 calls in 30 days, in place of [rules]: the 5th dial in 26 days breaks it
    # (none in [rules]' 14 days); 3 dials in 5 days do not (they would under [rules]).
    Case("fr-b2c: the 5th dial in 26 days", "FR", PARIS,
         tuple(local(f"2026-10-{d}T11:00", PARIS) for d in (30, 31))
         + tuple(local(f"2026-11-{d:02d}T11:00", PARIS) for d in (2, 9)),
         local("2026-11-25T11:00", PARIS), True),
    Case("fr-b2c: a 4th dial in 5 days is allowed", "FR", PARIS,
         tuple(local(f"2026-11-{d}T11:00", PARIS) for d in (20, 23, 24)),
         local("2026-11-25T11:00", PARIS), False),
    # The window's first day is the 27 Oct in Paris: a dial on the 26th is outside.
    Case("fr-b2c: the 4th dial the day before the 30 days", "FR", PARIS,
         (local("2026-10-26T19:00", PARIS),)
         + tuple(local(f"2026-11-{d}T11:00", PARIS) for d in (10, 20, 23)),
         local("2026-11-25T11:00", PARIS), False),
    Case("fr-b2c: the 4th dial on the first of the 30 days", "FR", PARIS,
         (local("2026-10-27T10:00", PARIS),)
         + tuple(local(f"2026-11-{d}T11:00", PARIS) for d in (10, 20, 23)),
         local("2026-11-25T11:00", PARIS), True),
]  # fmt: skip


def _dial(db: Database, lead_id: int, at: datetime) -> None:
    db.execute(
        "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
        "VALUES (:lead, :at, 'no-answer', 'phone', :at)",
        {"lead": lead_id, "at": to_epoch(at)},
    )


def _next_says(db: Database, case: Case, lead_id: int) -> bool:
    """Whether ``next`` at the dial's moment keeps the lead from being called then."""
    planned = plan_today(db, case.at, case.config, limit=None, everything=True)
    for row in planned.rows:
        if row.lead.lead_id == lead_id:
            assert row.open_now, f"{case.name}: planned, but not now"
            return False
    (left,) = [e for e in planned.excluded if e.lead.lead_id == lead_id]
    assert isinstance(left, Excluded) and left.code == "resting", (case.name, left)
    return True


def _call_log_says(db: Database, case: Case, lead: Lead) -> bool:
    entry = calls.CallEntry(outcome=Outcome.NO_ANSWER, at=case.at, channel=Channel.PHONE)
    logged = calls.log_call(db, lead, entry, case.at, case.config)
    return any(w.rule == "attempts" for w in logged.warnings)


def _report_says(db: Database, case: Case, lead_id: int, config: Config | None = None) -> bool:
    config = config or case.config
    week = reports.week_of(case.at.astimezone(MADRID).date(), config)
    found = reports.weekly(db, week, config, case.at + timedelta(minutes=1))
    return lead_id in {b.lead.id for b in found.breaches}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_next_call_log_and_report_agree_on_the_frequency_rule(store: Database, case: Case) -> None:
    lead = leads.add(
        store,
        Lead(case.name, country=case.country, timezone=case.zone.key, consent=Consent.OPT_IN),
        ADDED,
    )
    assert lead.id is not None
    for at in case.dials:
        _dial(store, lead.id, at)
    answers = {
        "next": _next_says(store, case, lead.id),
        "call log": _call_log_says(store, case, lead),
        "report": _report_says(store, case, lead.id),
    }
    if case.country == "ES":  # b2b: the same answer where [rules] is every lead's limit,
        # which the report settles in SQL when no lead's zone can change the count
        alone = replace(case.config, compliance=Compliance())
        answers["report, one limit for all"] = _report_says(store, case, lead.id, alone)
    assert answers == dict.fromkeys(answers, case.breaks), case.name


def test_a_calendar_day_is_not_24_hours() -> None:
    """The rule itself, where hours and days part most: one dial a day in Madrid."""
    daily = Frequency(1, 1)
    dst_end = local("2026-10-25T23:50")  # a day of 25 hours (summer time ends)
    early = local("2026-10-25T00:10")
    assert dst_end.astimezone(UTC) - early.astimezone(UTC) > timedelta(hours=24)
    over = over_frequency([early], dst_end, daily, MADRID)
    assert over is not None and over.until == local("2026-10-26T00:00")
    # 23 hours ago, yesterday: no breach.
    moment = local("2026-11-25T10:00")
    assert over_frequency([moment - timedelta(hours=23)], moment, daily, MADRID) is None
    # The day is the lead's: 23:00 and 05:00 in Madrid are two days, one day in New York.
    late, dawn = local("2026-11-24T23:00"), local("2026-11-25T05:00")
    assert over_frequency([late], dawn, daily, MADRID) is None
    assert over_frequency([late], dawn, daily, NEW_YORK) is not None
    # Dials after the moment judged are not counted; the earlier ones only.
    assert over_frequency([moment + timedelta(minutes=1)], moment, daily, MADRID) is None
    assert over_frequency([moment.astimezone(UTC)], moment, daily, MADRID) is not None


# Three leads under three limits (b2b: [rules] 3 in 14 days; fr-b2c: 4 in 30; us-tcpa:
# [rules] in New York's days) dialled on any days of the eight weeks up to the end of W48.
AGREEING = (("ES", MADRID), ("FR", PARIS), ("US", NEW_YORK))
FIRST_DAY = datetime(2026, 10, 5, 8, 0, tzinfo=MADRID)
W48_END = datetime(2026, 11, 29, 23, 59, tzinfo=MADRID)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dials=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 55), st.integers(0, 12 * 60 - 1)),
        max_size=30,
        unique_by=lambda d: (d[1], d[2]),
    )
)
def test_the_weeks_breaches_are_the_dials_call_log_warns_of(
    store: Database, dials: list[tuple[int, int, int]]
) -> None:
    """Whatever the dials, the report's breaches of a week (and the count of the week before)
    are the dials ``call log`` warned of when they were logged, lead by lead: the store's
    choice of suspect dials (by each limit's count within its own days) drops none."""
    store.execute("DELETE FROM calls")
    ids = []
    for country, zone in AGREEING:
        found = store.one("SELECT id FROM leads WHERE country = :c", {"c": country})
        if found is None:
            lead = Lead(country, country=country, timezone=zone.key, consent=Consent.OPT_IN)
            found = {"id": leads.add(store, lead, ADDED).id}
        ids.append(found["id"])
    people = [leads.get(store, lead_id) for lead_id in ids]
    week = reports.week_of(W48_END.date(), CONFIG)
    start = datetime.combine(week.start, datetime.min.time(), MADRID)
    warned: dict[str, dict[int, int]] = {"current": {}, "previous": {}}
    for who, day, minute in sorted(dials, key=lambda d: (d[1], d[2])):
        at = FIRST_DAY + timedelta(days=day, minutes=minute)
        entry = calls.CallEntry(outcome=Outcome.NO_ANSWER, at=at, channel=Channel.PHONE)
        if any(w.rule == "attempts" for w in calls.frequency_warnings(store, people[who], entry,
                                                                       CONFIG)):  # fmt: skip
            which = "current" if at >= start else "previous" if at >= start - timedelta(7) else ""
            if which:
                warned[which][ids[who]] = warned[which].get(ids[who], 0) + 1
        _dial(store, ids[who], at)
    found = reports.weekly(store, week, CONFIG, W48_END + timedelta(minutes=1))
    assert {b.lead.id: b.breaching_dials for b in found.breaches} == warned["current"]
    assert found.previous is not None
    assert found.previous.breaches_count == len(warned["previous"])
