"""The consent in force at a moment (SPEC §7, proof): the latest record given before it,
unless it has lapsed by then (its own expiry, or the rule profile's validity for it)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from warmcall.compliance.consent import in_force, lapse
from warmcall.compliance.profiles import load_profile
from warmcall.models import ConsentRecord

START = datetime(2024, 1, 1, tzinfo=UTC)
CONSENTS = ("opt-in", "customer", "form", "b2b", "none", "revoked")


@dataclass
class Person:
    consent: str = "none"
    created_at: datetime | None = START
    consents: tuple[ConsentRecord, ...] = field(default_factory=tuple)


records = st.lists(
    st.builds(
        ConsentRecord,
        at=st.integers(0, 3 * 365).map(lambda d: START + timedelta(days=d)),
        consent=st.sampled_from(CONSENTS),
        expires_at=st.none() | st.integers(1, 3 * 365).map(lambda d: START + timedelta(days=d)),
        basis=st.sampled_from((None, "purchase", "inquiry")),
    ),
    min_size=1,
    max_size=6,
).map(lambda found: tuple(sorted(found, key=lambda r: r.at)))
moments = st.integers(-30, 4 * 365).map(lambda d: START + timedelta(days=d, hours=10))
profiles = st.sampled_from(["b2b", "es-b2c", "fr-b2c", "us-tcpa"]).map(load_profile)


@given(records, moments, profiles)
def test_the_consent_in_force_is_the_latest_given_before_unless_lapsed(found, at, profile):
    held = in_force(Person(consents=found), at, profile)
    before = [r for r in found if r.at <= at]
    if not before:
        assert held.consent == "none" and held.record is None
        return
    assert held.record == before[-1]  # never a record given after the moment
    until, _, _ = lapse(before[-1], profile)
    if until is not None and until <= at:
        assert held.consent == "none" and held.expired_at == until
    else:
        assert held.consent == before[-1].consent and held.expired_at is None


def test_a_us_customer_relationship_lasts_18_months_after_a_purchase_and_3_after_an_inquiry():
    us = load_profile("us-tcpa")
    bought = ConsentRecord(START, "customer", basis="purchase")
    asked = replace(bought, basis="inquiry")
    unsaid = replace(bought, basis=None)
    assert lapse(bought, us)[:2] == (START + timedelta(days=546), "customer_valid_days")
    assert lapse(asked, us)[:2] == (START + timedelta(days=89), "inquiry_valid_days")
    assert lapse(unsaid, us)[:2] == lapse(asked, us)[:2]  # not said: the shorter one
    # its own expiry comes first when it is earlier
    early = replace(bought, expires_at=START + timedelta(days=30))
    assert lapse(early, us)[:2] == (START + timedelta(days=30), "expires")


def test_a_revoked_consent_is_accepted_by_no_profile():
    for name in ("b2b", "es-b2c", "fr-b2c", "us-tcpa"):
        assert not load_profile(name).accepts("revoked")


def test_a_lead_read_without_records_holds_its_consent_since_its_creation():
    person = Person(consent="opt-in")
    es = load_profile("es-b2c")
    assert in_force(person, START + timedelta(days=400), es).consent == "opt-in"
    assert in_force(person, START - timedelta(days=1), es).consent == "none"


def test_a_users_profile_sets_how_long_a_consent_lasts():
    import pytest

    from warmcall.compliance.profiles import parse_profile
    from warmcall.errors import ConfigError

    mine = parse_profile("de-b2c", {"consent": {"consent_valid_days": 730}}, "de-b2c.toml")
    given_at = ConsentRecord(START, "opt-in", channel="web-form")
    assert in_force(Person(consents=(given_at,)), START + timedelta(days=729), mine).consent == (
        "opt-in"
    )
    held = in_force(Person(consents=(given_at,)), START + timedelta(days=731), mine)
    assert (held.consent, held.by, held.days) == ("none", "consent_valid_days", 730)
    with pytest.raises(ConfigError, match="consent.customer_valid_days must be a whole number"):
        parse_profile("x", {"consent": {"customer_valid_days": -1}}, "x.toml")
