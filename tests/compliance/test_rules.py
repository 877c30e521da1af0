"""The lawful-time calendar: windows ∩ calling hours ∩ calling days, minus public holidays."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warmcall.compliance import rules
from warmcall.compliance.profiles import available, load_profile
from warmcall.compliance.rules import (
    Calendar,
    History,
    Problem,
    country_of,
    holiday,
    lawful_periods,
    may_call,
    next_opening,
    profile_for,
    user_day_off,
)
from warmcall.config import Compliance, Config, load
from warmcall.errors import ConfigError
from warmcall.localtime.windows import parse_window

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")


@dataclass
class Person:
    """What the rules read of a lead (a ``Lead`` or the planner's ``Candidate`` alike)."""

    window: str = "any"
    timezone: str | None = None
    country: str | None = None
    phone_e164: str | None = None
    status: str = "active"
    consent: str = "b2b"
    phone_flag: str | None = None


def config(profile: str = "b2b", **countries: str) -> Config:
    return Config(
        timezone="Europe/Madrid", region="ES", compliance=Compliance(profile, dict(countries))
    )


@pytest.fixture(autouse=True)
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WARMCALL_HOME", str(tmp_path))
    rules.clear_caches()
    yield
    rules.clear_caches()  # profiles and holidays of this test's home stay here


def test_the_four_profiles_ship_with_the_spec_values():
    assert {"b2b", "es-b2c", "fr-b2c", "us-tcpa"} <= set(available())
    b2b = load_profile("b2b")
    assert [str(r) for r in b2b.hours] == ["07:00-21:00"]
    # b2b leaves the frequency to the configuration's cadence (3 in 14 days, 48 h by default).
    assert (b2b.max_attempts, b2b.attempts_days, b2b.rest_hours_after_unanswered) == (0, 0, 0)
    assert "none" in b2b.accepted and b2b.flagged == {"none"}
    assert load_profile("es-b2c").accepted == {"opt-in", "customer", "form"}
    fr = load_profile("fr-b2c")
    assert [str(r) for r in fr.hours] == ["10:00-13:00", "14:00-20:00"]
    assert (fr.days, fr.max_attempts, fr.attempts_days, fr.refusal_rest_days) == (
        frozenset({1, 2, 3, 4, 5}),
        4,
        30,
        60,
    )
    assert [str(r) for r in load_profile("us-tcpa").hours] == ["08:00-21:00"]


def test_a_user_file_adds_a_profile_and_the_country_map_chooses_it(tmp_path: Path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "de-b2c.toml").write_text(
        'hours = ["08:00-20:00"]\ndays = [1, 2, 3, 4, 5, 6]\n[consent]\naccepted = ["opt-in"]\n'
    )
    cfg = config("b2b", DE="de-b2c")
    assert profile_for(Person(country="DE"), cfg).name == "de-b2c"
    assert profile_for(Person(country="ES"), cfg).name == "b2b"
    assert "de-b2c" in available()


def test_a_bad_profile_file_names_the_file_and_the_key(tmp_path: Path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.toml").write_text('hours = ["21:00-07:00"]\n')
    with pytest.raises(ConfigError, match=r"bad\.toml: hours"):
        profile_for(Person(), config("bad"))
    (tmp_path / "profiles" / "worse.toml").write_text("[frequency]\nmax_attempt = 3\n")
    with pytest.raises(ConfigError, match=r"worse\.toml: frequency\.max_attempt"):
        profile_for(Person(), config("worse"))


def test_an_unknown_profile_in_the_configuration_is_one_sentence():
    with pytest.raises(ConfigError, match=r"\[compliance\] Rule profile 'nope' does not exist"):
        profile_for(Person(), config("nope"))


def test_the_configuration_reads_profile_and_country_map(tmp_path: Path):
    path = tmp_path / "config.toml"
    path.write_text('[compliance]\nprofile = "us-tcpa"\n[compliance.countries]\nfr = "fr-b2c"\n')
    cfg = load(path)
    assert cfg.compliance.profile == "us-tcpa"
    assert cfg.compliance.countries == {"FR": "fr-b2c"}
    path.write_text('[compliance.countries]\nFRA = "fr-b2c"\n')
    with pytest.raises(ConfigError, match="compliance.countries.FRA"):
        load(path)


def test_country_comes_from_the_lead_then_the_phone_then_the_user():
    cfg = config()
    assert country_of(Person(country="mx", phone_e164="+34600000000"), cfg) == "MX"
    assert country_of(Person(phone_e164="+33612345678"), cfg) == "FR"
    assert country_of(Person(phone_e164="+12125550100"), cfg) == "US"
    assert country_of(Person(phone_e164="+447700900123"), cfg) == "GB"
    # A shared calling code: the lead's zone says which country.
    assert country_of(Person(phone_e164="+14165550100", timezone="America/Toronto"), cfg) == "CA"
    assert country_of(Person(phone_e164="+14165550100"), cfg) == "CA"  # by its area code
    assert country_of(Person(), cfg) == "ES"


def test_no_period_on_a_public_holiday_of_the_leads_country():
    cfg = config()
    # Tue 8 Dec 2026, Immaculate Conception: a holiday in Spain, not in the US.
    assert lawful_periods(Person(phone_e164="+34600000000"), date(2026, 12, 8), cfg) == []
    us = Person(timezone="America/New_York", phone_e164="+12125550100")
    assert lawful_periods(us, date(2026, 12, 8), cfg) == [
        (datetime(2026, 12, 8, 9, tzinfo=NEW_YORK), datetime(2026, 12, 8, 18, tzinfo=NEW_YORK))
    ]
    # Thu 26 Nov 2026, Thanksgiving: nothing for the US lead, a normal day in Spain.
    assert lawful_periods(us, date(2026, 11, 26), cfg) == []
    problems = may_call(us, datetime(2026, 11, 26, 10, tzinfo=NEW_YORK), cfg)
    assert [p.code for p in problems] == ["holiday"]
    assert problems[0].facts["name"] == "Thanksgiving Day"


def test_periods_are_the_window_within_the_calling_hours_in_the_leads_zone():
    cfg = config("fr-b2c")
    lead = Person(window="09:00-12:00,19:30-22:00", timezone="Europe/Paris", country="FR")
    assert lawful_periods(lead, date(2026, 11, 25), cfg) == [
        (datetime(2026, 11, 25, 10, tzinfo=PARIS), datetime(2026, 11, 25, 12, tzinfo=PARIS)),
        (datetime(2026, 11, 25, 19, 30, tzinfo=PARIS), datetime(2026, 11, 25, 20, tzinfo=PARIS)),
    ]
    assert lawful_periods(lead, date(2026, 11, 28), cfg) == []  # a Saturday


def test_next_opening_skips_night_weekend_and_holiday():
    cfg = config()
    us = Person(window="midday", timezone="America/New_York", country="US")
    # Wed 25 Nov 2026 at 22:00 in New York: Thanksgiving next, then Friday at noon.
    found = next_opening(us, datetime(2026, 11, 25, 22, tzinfo=NEW_YORK), cfg)
    assert found == (
        datetime(2026, 11, 27, 12, tzinfo=NEW_YORK),
        datetime(2026, 11, 27, 14, tzinfo=NEW_YORK),
    )
    # Open now: the current period.
    now = datetime(2026, 11, 27, 13, tzinfo=NEW_YORK)
    assert next_opening(us, now, cfg) == found
    assert may_call(us, now, cfg) == []


def test_may_call_names_every_problem():
    cfg = config("es-b2c")
    lead = Person(status="dnc", phone_flag="wrong-number", consent="none", window="early")
    sunday_night = datetime(2026, 11, 29, 23, tzinfo=MADRID)
    codes = {p.code for p in may_call(lead, sunday_night, cfg)}
    assert codes == {
        "do-not-call",
        "wrong-number",
        "consent-not-accepted",
        "not-a-calling-day",
        "outside-hours",
        "outside-window",
    }


def test_rest_after_a_refusal_and_the_frequency_limit_of_the_profile():
    cfg = config("fr-b2c")
    lead = Person(country="FR", timezone="Europe/Paris", consent="opt-in")
    moment = datetime(2026, 11, 25, 11, tzinfo=PARIS)
    refused = History(refused_at=moment - timedelta(days=59))
    (problem,) = may_call(lead, moment, cfg, refused)
    assert problem.code == "resting" and problem.facts["days"] == 60
    assert may_call(lead, moment, cfg, History(refused_at=moment - timedelta(days=61))) == []
    # Under b2b the configured rest (90 days) applies.
    assert [
        p.code
        for p in may_call(lead, moment, config(), History(refused_at=moment - timedelta(days=61)))
    ] == ["resting"]
    dials = tuple(moment - timedelta(days=d) for d in (3, 9, 15, 28))
    (over,) = may_call(lead, moment, cfg, History(dials=dials))
    # Calendar days in the lead's zone: the window lets go at the local midnight that begins
    # the 30th day after the oldest dial's (not 30 × 24 h after it).
    oldest = dials[-1].astimezone(PARIS).date()
    assert over.code == "over-frequency"
    assert over.until == datetime.combine(oldest + timedelta(days=30), time(0), PARIS)
    # Under b2b, the configured cadence: a fourth dial in three days breaks it.
    three = tuple(moment - timedelta(hours=h) for h in (5, 30, 60))
    (over,) = may_call(lead, moment, config(), History(dials=three))
    assert over.code == "over-frequency" and over.facts["max"] == 3


def test_the_users_own_holiday_is_a_day_off():
    cfg = config()
    # A code and its facts, worded at the edge (never an English sentence from the core).
    assert user_day_off(date(2026, 12, 8), cfg) == Problem(
        "holiday", {"name": "Immaculate Conception", "country": "ES"}
    )
    assert user_day_off(date(2026, 11, 28), cfg) == Problem("not-a-working-day", {"weekday": 6})
    assert user_day_off(date(2026, 11, 25), cfg) is None
    assert holiday("XX", date(2026, 1, 1)) is None  # a country the library does not know


def test_a_leads_day_off_is_a_code_and_its_facts():
    """The calendar says why a lead may not be called on a day as a ``Problem``, never as an
    English sentence: a day its profile does not call on, or its country's holiday."""
    calendar = Calendar(config(US="us-tcpa"))
    new_yorker = Person(timezone="America/New_York", country="US")
    assert calendar.day_off(new_yorker, date(2026, 11, 26)) == Problem(
        "holiday", {"name": "Thanksgiving Day", "country": "US", "date": date(2026, 11, 26)}
    )
    madrid = Person(timezone="Europe/Madrid", country="ES")
    assert calendar.day_off(madrid, date(2026, 11, 29)) == Problem(
        "not-a-calling-day", {"weekday": 7, "profile": "b2b"}
    )
    assert calendar.day_off(madrid, date(2026, 11, 25)) is None


# --- the property: every lawful period is lawful --------------------------------------------

ZONES = ["Europe/Madrid", "America/New_York", "America/Mexico_City", "Europe/London",
         "Europe/Paris", "Atlantic/Canary", "Australia/Sydney", None]  # fmt: skip
COUNTRIES = ["ES", "US", "MX", "GB", "FR", "DE", "AU", None]
PHONES = ["+34600000000", "+12125550100", "+525512345678", "+447700900123", None]
WINDOWS = ["any", "early", "midday", "early,midday", "06:00-08:00", "20:00-23:30",
           "00:00-24:00", "10:30-11:00,15:00-19:00"]  # fmt: skip
PROFILES = ["b2b", "es-b2c", "fr-b2c", "us-tcpa"]

people = st.builds(
    Person,
    window=st.sampled_from(WINDOWS),
    timezone=st.sampled_from(ZONES),
    country=st.sampled_from(COUNTRIES),
    phone_e164=st.sampled_from(PHONES),
)
moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(MADRID)
)


@settings(max_examples=150, deadline=None)
@given(lead=people, moment=moments, profile=st.sampled_from(PROFILES),
       working=st.sampled_from([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], [2, 3, 4]]))  # fmt: skip
def test_every_period_is_inside_window_hours_calling_day_and_never_a_holiday(
    lead: Person, moment: datetime, profile: str, working: list[int]
):
    cfg = config(profile)
    cfg.windows.working_days = working
    calendar = Calendar(cfg)
    chosen = profile_for(lead, cfg)
    zone = calendar.zone(lead)
    window = parse_window(lead.window, cfg.windows)
    country = country_of(lead, cfg)
    periods = list(calendar.between(lead, moment, moment + timedelta(days=10)))
    opening = calendar.next_opening(lead, moment)
    assert opening == (periods[0] if periods else opening)
    for start, end in periods + ([opening] if opening else []):
        assert start < end and end > moment
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        assert local_start.date() == (local_end - timedelta(microseconds=1)).date()
        day = local_start.date()
        assert day.isoweekday() in working and day.isoweekday() in chosen.days
        assert holiday(country, day) is None
        for clock in (local_start.time(), (local_end - timedelta(minutes=1)).time()):
            assert any(r.start <= clock < r.end for r in window)
            assert any(r.start <= clock < r.end for r in chosen.hours)
        middle = start + (end - start) / 2
        assert calendar.timing(lead, middle) == []


def test_a_spring_forward_gap_does_not_open_a_period_outside_the_hours():
    cfg = config("us-tcpa")
    lead = Person(window="01:00-04:00,08:00-09:00", timezone="America/New_York", country="US")
    # Sun 8 Mar 2026, 02:00 does not exist in New York; us-tcpa calls on Sundays.
    assert lawful_periods(lead, date(2026, 3, 8), cfg) == []  # Sunday: not a working day
    cfg.windows.working_days = [1, 2, 3, 4, 5, 6, 7]
    got = lawful_periods(lead, date(2026, 3, 8), cfg)
    assert got == [
        (datetime(2026, 3, 8, 8, tzinfo=NEW_YORK), datetime(2026, 3, 8, 9, tzinfo=NEW_YORK))
    ]
    assert all(time(8) <= s.astimezone(NEW_YORK).time() for s, _ in got)


def test_holidays_are_asked_of_the_library_once_then_read_from_a_cache(tmp_path: Path):
    assert holiday("ES", date(2026, 12, 8)) == "Immaculate Conception"
    (cached,) = (tmp_path / "cache").glob("calendar-*.json")
    assert "ES-2026-en_US" in cached.read_text(encoding="utf-8")
    # A later run reads the file: what it says is what the plan uses.
    cached.write_text('{"ES-2026-en_US": {"2026-12-09": "Cached day"}}', encoding="utf-8")
    rules.clear_caches()
    assert holiday("ES", date(2026, 12, 9)) == "Cached day"
    assert holiday("ES", date(2026, 12, 8)) is None
