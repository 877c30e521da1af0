"""The law holds together (SPEC §7, issue 23's "Done means"): no planned row (``next``), no
``--go`` offer (``plan.session``) and no script slot (``scripts.slots``) breaks a rule in force
for that lead at that moment — as ``compliance.checks.judge`` rules on it, the very judge
``call log`` hands every dial to (``calls.judge_dial``, with the frequency and the registries
as the store finds them).

Drawn at random: leads of every segment, numbers of Madrid, Barcelona, a Spanish mobile,
Florida, New York and Paris (their regions derived, or set by hand), consents with dated
proof and expiry, registries listing some numbers (fresh or stale), dials and refusals
behind them, and moments on both sides of 11 August 2026 (fr-b2c's opt-in law), on Madrid's
7 December 2026, Catalonia's 11 September, Thanksgiving. On SQLite, and on PostgreSQL when
``WARMCALL_TEST_PG`` names a database (fewer examples: the machine is shared).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, PG_URL
from tests.plan.test_candidates import add_call, add_followup
from warmcall import leads
from warmcall.calls import CallEntry, frequency_warnings, judge_dial, registry_problems
from warmcall.compliance.checks import Verdict
from warmcall.compliance.listings import loaded
from warmcall.compliance.registries import import_registry
from warmcall.compliance.rules import Calendar
from warmcall.config import Config
from warmcall.models import ConsentRecord, Lead, Outcome, Segment, Status
from warmcall.plan.candidates import plan_today
from warmcall.plan.planner import Plan
from warmcall.plan.session import Session
from warmcall.scripts.slots import agreed_calls, propose
from warmcall.store.db import Database, open_db

# Numbers whose last digit is the lead's own (no two leads share one).
NUMBERS = [
    "+3491555120",  # Madrid landline: ES-MD
    "+3493555120",  # Barcelona landline: ES-CT
    "+3461234567",  # a Spanish mobile: Madrid or the Canaries
    "+1305555012",  # Miami: US-FL
    "+1212555014",  # New York: US-NY
    "+3314555123",  # Paris
    "+3361234567",  # a French mobile
]
REGIONS = [None, None, None, "ES-MD", "ES-CT", "US-FL", "US-NY"]
CONSENTS = ["opt-in", "customer", "form", "b2b", "none", "revoked"]
OUTCOMES = ["connected", "voicemail", "no-answer", "busy", "callback", "not-interested"]
# The days the law moves on: fr-b2c's opt-in (11 Aug 2026) and the day before it, Catalonia's
# national day (11 Sep), Thanksgiving, Madrid's 7 Dec 2026, a plain week of 2025.
DAYS = [
    date(2025, 11, 24),
    date(2026, 8, 10),
    date(2026, 8, 11),
    date(2026, 9, 10),
    date(2026, 11, 25),
    date(2026, 12, 4),
    date(2026, 12, 7),
]
REGISTRIES = ["robinson", "bloctel", "us-dnc"]


@dataclass
class Drawn:
    number: int  # index into NUMBERS
    region: str | None
    segment: Segment
    consents: list[tuple[int, str, int | None]]  # (days before now, consent, valid days)
    dials: list[tuple[int, str]]  # (hours before now, outcome)
    due: int | None  # an agreed step, hours from now (negative: overdue)
    dnc: bool


def _plain(number: int, dials: list[tuple[int, str]] | None = None) -> Drawn:
    """A business lead on ``NUMBERS[number]`` with no consent recorded."""
    return Drawn(number, None, Segment.BUSINESS, [], dials or [], None, False)


a_lead = st.builds(
    Drawn,
    number=st.integers(0, len(NUMBERS) - 1),
    region=st.sampled_from(REGIONS),
    segment=st.sampled_from(list(Segment)),
    consents=st.lists(
        st.tuples(
            st.integers(0, 500),
            st.sampled_from(CONSENTS),
            st.one_of(st.none(), st.integers(1, 400)),
        ),
        max_size=2,
    ),
    dials=st.lists(st.tuples(st.integers(1, 40 * 24), st.sampled_from(OUTCOMES)), max_size=5),
    due=st.one_of(st.none(), st.integers(-30, 60)),
    dnc=st.sampled_from([False, False, False, True]),
)
a_registry = st.tuples(
    st.sampled_from(REGISTRIES),
    st.integers(0, 60),  # days old: the US list is stale after 31
    st.sets(st.integers(0, 9), max_size=4),  # which leads' numbers it lists
)
a_config = st.sampled_from([None, "b2b", "es-b2c", "fr-b2c", "us-tcpa"]).map(
    lambda profile: _config(profile)
)


def _config(profile: str | None) -> Config:
    """The shipped map of country × segment → profile, or every lead under one profile."""
    config = Config(timezone="Europe/Madrid", region="ES")
    if profile is not None:
        config.compliance.profile = profile
        config.compliance.segments = {}
    return config


def fresh(engine: str, tmp: Path) -> Database:
    if engine == "sqlite":
        return open_db(tmp / "w.db")
    from warmcall.store.db import SqlAlchemyDatabase

    with SqlAlchemyDatabase(str(PG_URL)) as wiped:
        wiped.execute("DROP SCHEMA public CASCADE")
        wiped.execute("CREATE SCHEMA public")
    return open_db(str(PG_URL))


def write(db: Database, drawn: list[Drawn], now: datetime, tmp: Path, registries: list) -> None:
    phones = []
    for n, person in enumerate(drawn):
        phone = NUMBERS[person.number] + str(n % 10)
        phones.append(phone)
        lead = leads.add(
            db,
            Lead(name=f"L{n}", phone=phone, phone_e164=phone, region=person.region,
                 segment=person.segment),
            now - timedelta(days=600),
        )  # fmt: skip
        assert lead.id is not None
        for days, consent, valid in sorted(person.consents, key=lambda c: -c[0]):
            at = now - timedelta(days=days, minutes=n)
            expires = at + timedelta(days=valid) if valid else None
            leads.give_consent(db, lead, ConsentRecord(at, consent, "web-form", None, expires), now)
        for hours, outcome in person.dials:
            add_call(db, lead.id, now - timedelta(hours=hours), outcome)
        refused = any(outcome == "not-interested" for _, outcome in person.dials)
        if person.due is not None and not refused:  # a refusal agrees no next step
            add_followup(db, lead.id, now + timedelta(hours=person.due), "call back")
        if person.dnc:
            leads.mark_dnc(db, leads.get(db, lead.id), "asked", now)
    for name, age, listed in registries:
        path = tmp / f"{name}.txt"
        path.write_text("".join(f"{phones[i]}\n" for i in listed if i < len(phones)))
        import_registry(db, path, name, now.date() - timedelta(days=age), now)


def needs(made: Plan, config: Config) -> set[tuple[str, int]]:
    """The lists the profiles of the planned leads require now, with their most days old."""
    calendar = Calendar(config)
    return {
        (name, days)
        for row in made.rows
        for name, days in calendar.profile(row.lead, made.now).registries
        if days
    }


def lead_of(db: Database, lead_id: int) -> Lead:
    lead = leads.get(db, lead_id)
    lead.consents = leads.consents(db, lead_id)
    return lead


def verdict(db: Database, lead: Lead, at: datetime, config: Config, agreed: bool) -> Verdict:
    """``call log``'s verdict on a dial to ``lead`` at ``at`` (an agreed step's: the person
    asked for that time, so no frequency rule binds it)."""
    entry = CallEntry(Outcome.CONNECTED, at)
    warnings = [] if agreed else frequency_warnings(db, lead, entry, config)
    found = judge_dial(db, lead, entry, config, warnings, registry_problems(db, lead, entry))
    assert found is not None
    return found


def broken(found: Verdict) -> list[tuple[str, dict]]:
    return [(p.code, p.facts) for p in found.broken]


def nothing_offered_breaks_a_rule(
    engine: str, tmp: Path, drawn: list[Drawn], registries: list, config: Config, now: datetime
) -> None:
    with fresh(engine, tmp) as db:
        write(db, drawn, now, tmp, registries)
        made = plan_today(db, now, config, include_cold=True, limit=None)
        # A list a planned lead's profile requires is loaded and fresh enough, or named stale.
        required = needs(made, config)
        ages = {r.name: r.age(now.date()) for r in loaded(db)}
        warned = {s.registry for s in made.stale_registries}
        for name, days in required:
            fresh_enough = name in ages and ages[name] <= days
            assert fresh_enough or name in warned, (name, days, ages, warned)
        for row in made.rows:
            lead = lead_of(db, row.lead.lead_id)
            assert lead.status != Status.DNC, lead.name
            for at in (max(row.slot_start, now), row.slot_end - timedelta(minutes=1)):
                found = verdict(db, lead, at, config, agreed=False)
                assert not found.broken, (lead.name, "plan", at, broken(found))
        offered = Session(include_cold=True, limit=None).next_call(db, now, config)
        if offered is not None:
            lead = lead_of(db, offered.lead.lead_id)
            found = verdict(db, lead, now, config, agreed=False)
            assert not found.broken, (lead.name, "--go", now, broken(found))
        for row in made.rows:  # the script of each call planned proposes its next step
            lead = lead_of(db, row.lead.lead_id)
            steps = leads_followups(db, lead)
            others = agreed_calls(db, lead.id, now)
            for slot in propose(lead, steps, max(row.slot_start, now), config, others):
                found = verdict(db, lead, slot.start, config, agreed=True)
                assert not found.broken, (lead.name, "slot", slot.start, broken(found))


drawn_cases = (
    st.lists(a_lead, min_size=1, max_size=6),
    st.lists(a_registry, max_size=2, unique_by=lambda r: r[0]),
    a_config,
    st.sampled_from(DAYS).flatmap(
        # any minute of the two days from its midnight in Madrid
        lambda day: st.integers(0, 47 * 60).map(
            lambda m: datetime.combine(day, datetime.min.time(), MADRID) + timedelta(minutes=m)
        )
    ),
)
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
# Each engine, with its examples (fewer on PostgreSQL: each one sets its schema up again).
ENGINES = [("sqlite", 40)] + ([("postgresql", 8)] if PG_URL else [])


@pytest.mark.parametrize(("engine", "examples"), ENGINES)
def test_nothing_offered_breaks_a_rule_in_force(
    engine: str, examples: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=SLOW)
    @given(*drawn_cases)
    # What it found: a Florida lead planned at 00:00 on 11 Aug 2026 in Madrid, still the 10th
    # in Miami, for its slot on the 11th under fr-b2c's new rule;
    @example([_plain(3)], [], _config("fr-b2c"), datetime(2026, 8, 11, tzinfo=MADRID))
    # a script's proposal on the 11th for a lead called lawfully on the 10th;
    @example([_plain(0)], [], _config("fr-b2c"), datetime(2026, 8, 10, 12, tzinfo=MADRID))
    # a lead who refused, then talked again: the plan, the script and call log agree.
    @example(
        [_plain(0, dials=[(1, "connected"), (2, "not-interested")])],
        [],
        _config(None),
        datetime(2025, 11, 24, tzinfo=MADRID),
    )
    def drawn_at_random(
        drawn: list[Drawn], registries: list, config: Config, now: datetime
    ) -> None:
        tmp = tmp_path_factory.mktemp("law")
        nothing_offered_breaks_a_rule(engine, tmp, drawn, registries, config, now)

    drawn_at_random()


def leads_followups(db: Database, lead: Lead) -> list:
    from warmcall.calls import history

    assert lead.id is not None
    return history(db, lead.id)[1]
