"""A random book of leads for the property tests that plan over one (the score's SQL bound,
the reasons' wording): one builder, so that they draw from the same people and cannot drift.

Each person is what the planner weighs: temperature, stage, consent, call window and zone,
when they were added, their calls, an open follow-up, and whether they are still to win.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from tests.plan.test_candidates import add_call, add_followup, add_lead, day
from warmcall.config import Config
from warmcall.models import Consent, Stage, Status, Temperature
from warmcall.pickup import record as pickup_record
from warmcall.store.db import Database

# (days before NOW's day, hour in Madrid, outcome, channel)
Touch = tuple[int, int, str, str]

OUTCOMES = ["connected", "voicemail", "no-answer", "busy", "meeting", "callback",
            "not-interested"]  # fmt: skip
WINDOWS = ["early", "midday", "any", "early,midday", "18:00-20:00"]
ZONES = [None, "America/New_York", "Asia/Tokyo", "Europe/Paris"]
# Where a lead without a zone of its own may be (SPEC §1): a Spanish mobile (Madrid or the
# Canaries), a Canary landline, a New York number, Mexico's old mobile format, a US toll-free
# number (Hawaii to New York), none; a country; an e-mail of a country domain.
NUMBERS = [None, "+34612345678", "+34922123456", "+12125550147", "+5213312345678",
           "+18005550100"]  # fmt: skip
COUNTRIES = [None, "ES", "MX", "FR", "US"]
EMAILS = [None, "ana@example.com", "ana@example.mx", "ana@example.fr"]

history = st.lists(
    st.tuples(
        # half within the frequency rules' fortnight, the rest across the score's month
        st.one_of(st.integers(0, 14), st.integers(0, 40)),
        st.integers(6, 21),
        st.sampled_from(OUTCOMES),
        st.sampled_from(["phone", "phone", "phone", "email"]),  # mostly dials
    ),
    max_size=6,
)


@dataclass
class Person:
    temperature: Temperature
    stage: Stage
    consent: Consent
    window: str
    timezone: str | None
    added: int  # days before NOW's day
    calls: list[Touch]
    due: int | None  # an open follow-up, days before NOW's day (negative: still ahead)
    status: Status
    phone_e164: str | None = None
    country: str | None = None
    email: str | None = None


a_person = st.builds(
    Person,
    temperature=st.sampled_from(list(Temperature)),
    stage=st.sampled_from(list(Stage)),
    consent=st.sampled_from(list(Consent)),
    window=st.sampled_from(WINDOWS),
    timezone=st.sampled_from(ZONES),
    added=st.integers(0, 90),
    calls=history,
    due=st.one_of(st.none(), st.integers(-8, 6)),
    # mostly leads still to win: won and lost ones are left out of the plan
    status=st.sampled_from([Status.ACTIVE] * 3 + [Status.WON, Status.LOST]),
    phone_e164=st.sampled_from(NUMBERS),
    country=st.sampled_from(COUNTRIES),
    email=st.sampled_from(EMAILS),
)


def books(max_size: int) -> st.SearchStrategy[list[Person]]:
    """A book of one to ``max_size`` people."""
    return st.lists(a_person, min_size=1, max_size=max_size)


def write_book(db: Database, people: list[Person]) -> None:
    """The people as leads ``L0``, ``L1``… with their calls and open follow-ups."""
    for n, person in enumerate(people):
        lead_id = add_lead(
            db,
            f"L{n}",
            day(person.added),
            temperature=person.temperature,
            stage=person.stage,
            consent=person.consent,
            window=person.window,
            timezone=person.timezone,
            status=person.status,
            phone=person.phone_e164,
            phone_e164=person.phone_e164,
            country=person.country,
            email=person.email,
            duplicate_allowed=True,  # look-alike books hold the same person several times
        )
        for days, hour, outcome, channel in person.calls:
            add_call(db, lead_id, day(days, hour), outcome, channel)
        if person.due is not None:
            add_followup(db, lead_id, day(person.due), "call back")
    # The calls were written directly: count their pickup hours, as logging them would.
    pickup_record.rebuild(db, Config(timezone="Europe/Madrid", region="ES"))
