"""Segments and regions choose the rules (SPEC §1, §7): a lead is business, consumer or
sole-trader, its region (ISO 3166-2) comes from --region, an import column or its area code,
and brings its public holidays and its state's rules (us-fl) where they are stricter.

Every moment is given: no assertion depends on the real date.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from tests.conftest import PG_URL, cli_on
from warmcall.compliance import rules
from warmcall.compliance.rules import Calendar, History
from warmcall.config import Config, Rules, load
from warmcall.errors import ConfigError
from warmcall.phones import areas
from warmcall.plan.planner import Candidate, plan

ENGINES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
MADRID, NEW_YORK = ZoneInfo("Europe/Madrid"), ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WARMCALL_HOME", str(tmp_path))
    rules.clear_caches()
    yield
    rules.clear_caches()


@dataclass
class Person:
    """What the rules read of a lead."""

    phone_e164: str | None = None
    segment: str | None = None
    region: str | None = None
    window: str = "any"
    timezone: str | None = None
    country: str | None = None
    status: str = "active"
    consent: str = "opt-in"
    phone_flag: str | None = None
    email: str | None = None


# --- the configuration ------------------------------------------------------------------------


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return load(path)


def test_a_region_is_accepted_in_the_configuration_and_adds_the_users_holidays(tmp_path):
    conf = _config(tmp_path, 'timezone = "Europe/Madrid"\nregion = "ES-MD"\n')
    assert (conf.phone_region, conf.subdivision) == ("ES", "ES-MD")
    assert rules.user_day_off(date(2026, 12, 7), conf) is not None  # Madrid's holiday
    spain = _config(tmp_path, 'timezone = "Europe/Madrid"\nregion = "ES"\n')
    assert rules.user_day_off(date(2026, 12, 7), spain) is None  # not Spain's


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('region = "Madrid"\n', "not a country code like ES or a region like ES-MD"),
        ('[compliance]\nsegment = "b2c"\n', "is not a segment"),
        ('[compliance.segments]\nES = { retail = "es-b2c" }\n', "must map a segment"),
        ('[compliance.segments]\nSPAIN = { consumer = "es-b2c" }\n', "two-letter country"),
    ],
)
def test_a_bad_setting_is_one_sentence_naming_the_file(tmp_path, text, words):
    with pytest.raises(ConfigError, match="config.toml") as raised:
        _config(tmp_path, text)
    assert words in str(raised.value)


def test_a_countrys_segments_in_the_file_replace_that_countrys_shipped_map(tmp_path):
    conf = _config(tmp_path, '[compliance.segments]\nES = { consumer = "b2b" }\n')
    assert conf.compliance.segments["ES"] == {"consumer": "b2b"}
    assert conf.compliance.segments["FR"] == {"consumer": "fr-b2c"}  # the rest stays shipped


# --- where a number is --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "region"),
    [
        ("+34911234567", "ES-MD"),
        ("+34931234567", "ES-CT"),
        ("+34971123456", "ES-IB"),
        ("+34928123456", "ES-CN"),
        ("+13055551234", "US-FL"),
        ("+12125551234", "US-NY"),
        ("+34612345678", None),  # a mobile rings anywhere in Spain
        ("+34956123456", None),  # Cádiz or Ceuta: the prefix does not say
        ("+14165551234", None),  # Toronto: no US state
    ],
)
def test_the_area_code_gives_the_region_only_when_unambiguous(number, region):
    assert areas.region_of_number(number) == region


def test_the_shipped_area_table_is_phonenumbers_own_data():
    from warmcall.phones.area_table import AREAS

    assert areas.build() == AREAS  # else: python -m warmcall.phones.areas


def test_a_leads_own_region_wins_over_its_number():
    calendar = Calendar(Config(timezone="Europe/Madrid", region="ES"))
    assert calendar.lead_region(Person("+34911234567", region="ES-CT")) == "ES-CT"


# --- the profile: country x segment, region over it ------------------------------------------


SHIPPED = Config(timezone="Europe/Madrid", region="ES")  # countries = {}


@pytest.mark.parametrize(
    ("person", "profile"),
    [
        (Person("+12125551234", "consumer"), "us-tcpa"),
        (Person("+12125551234", "business"), "b2b"),
        (Person("+12125551234"), "b2b"),  # the configured segment: business
        (Person("+13055551234", "consumer"), "us-tcpa+us-fl"),
        (Person("+13055551234", "business"), "b2b"),  # Florida's Act protects consumers
        (Person("+34612345678", "consumer"), "es-b2c"),
        (Person("+34612345678", "sole-trader"), "es-b2c"),
        (Person("+33612345678", "consumer"), "fr-b2c"),
        (Person("+33612345678", "sole-trader"), "b2b"),
    ],
)
def test_the_shipped_map_sends_consumers_to_their_countrys_rules(person, profile):
    assert Calendar(SHIPPED).profile(person, date(2026, 12, 8)).name == profile


def test_the_configured_segment_is_the_one_of_a_lead_that_names_none():
    conf = Config(timezone="Europe/Madrid", region="ES")
    conf.compliance.segment = "consumer"
    assert Calendar(conf).profile(Person("+12125551234"), date(2026, 12, 8)).name == "us-tcpa"


def test_a_new_york_consumer_is_not_called_before_eight_eastern_with_the_shipped_config():
    early = Person("+12125551234", "consumer", window="07:00-10:00")
    calendar = Calendar(SHIPPED)
    (period,) = calendar.periods(early, date(2026, 12, 8))
    assert period[0] == datetime(2026, 12, 8, 8, tzinfo=NEW_YORK)
    seven = datetime(2026, 12, 8, 7, 30, tzinfo=NEW_YORK)
    assert "outside-hours" in [p.code for p in calendar.may_call(early, seven)]
    business = Person("+12125551234", "business", window="07:00-10:00")
    assert calendar.may_call(business, seven) == []  # b2b: from 07:00


def test_florida_ends_at_eight_pm_local():
    calendar = Calendar(SHIPPED)
    lead = Person("+13055551234", "consumer", window="08:00-21:00")
    (period,) = calendar.periods(lead, date(2026, 12, 8))
    assert period == (
        datetime(2026, 12, 8, 8, tzinfo=NEW_YORK),
        datetime(2026, 12, 8, 20, tzinfo=NEW_YORK),
    )
    assert calendar.may_call(lead, datetime(2026, 12, 8, 19, 59, tzinfo=NEW_YORK)) == []
    late = calendar.may_call(lead, datetime(2026, 12, 8, 20, 30, tzinfo=NEW_YORK))
    assert [p.code for p in late] == ["outside-hours"]


def test_florida_allows_no_fourth_call_in_24_hours_even_under_a_lax_cadence():
    conf = Config(timezone="Europe/Madrid", region="ES", rules=Rules(max_attempts=10))
    calendar = Calendar(conf)
    lead = Person("+13055551234", "consumer", window="08:00-21:00")
    first = datetime(2026, 12, 8, 9, tzinfo=NEW_YORK)
    dials = History(dials=(first, first + timedelta(hours=3), first + timedelta(hours=6)))
    fourth = first + timedelta(hours=10)
    (problem,) = calendar.resting(lead, fourth, dials)
    assert problem.code == "over-frequency" and problem.facts["max"] == 3
    new_yorker = Person("+12125551234", "consumer", window="08:00-21:00")
    assert calendar.resting(new_yorker, fourth, dials) == []  # only Florida's Act says 3


def test_a_state_file_a_user_adds_applies_to_that_state(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "us-ny.toml").write_text(
        'regions = ["US-NY"]\nsegments = ["consumer"]\nhours = ["09:00-20:00"]\n'
    )
    lead = Person("+12125551234", "consumer")
    profile = Calendar(SHIPPED).profile(lead, date(2026, 12, 8))
    assert profile.name == "us-tcpa+us-ny"
    assert [str(r) for r in profile.hours] == ["09:00-20:00"]


def test_a_region_never_loosens_the_countrys_rules(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "us-ny.toml").write_text(
        'regions = ["US-NY"]\nhours = ["06:00-23:00"]\n[consent]\naccepted = ["none"]\n'
    )
    profile = Calendar(SHIPPED).profile(Person("+12125551234", "consumer"), date(2026, 12, 8))
    assert [str(r) for r in profile.hours] == ["08:00-21:00"]
    assert profile.accepted == {"none"}  # what both accept


# --- regional holidays ----------------------------------------------------------------------


def test_madrid_keeps_monday_7_december_2026_and_catalonia_11_september():
    calendar = Calendar(SHIPPED)
    madrid, barcelona = Person("+34911234567"), Person("+34931234567")
    assert calendar.periods(madrid, date(2026, 12, 7)) == []
    assert calendar.periods(barcelona, date(2026, 12, 7)) != []
    assert calendar.periods(barcelona, date(2026, 9, 11)) == []
    assert calendar.periods(madrid, date(2026, 9, 11)) != []
    (problem,) = calendar.timing(madrid, datetime(2026, 12, 7, 10, tzinfo=MADRID))
    assert problem.code == "holiday" and problem.facts["country"] == "ES-MD"


# --- through the real CLI, on every engine ---------------------------------------------------


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    return cli_on(str(request.param), monkeypatch)


def _add(cli: Callable[..., Result], name: str, phone: str, *more: str) -> int:
    added = cli("lead", "add", name, "--phone", phone, "--consent", "opt-in",
                "--at", "2026-09-01 09:00", "--json", *more)  # fmt: skip
    assert added.exit_code == 0, added.output
    return int(json.loads(added.stdout)["id"])


def _planned(cli: Callable[..., Result], at: str) -> list[int]:
    result = cli("next", "--at", at, "--json")
    assert result.exit_code == 0, result.output
    return [row["lead_id"] for row in json.loads(result.stdout)]


def test_madrid_leads_are_not_planned_on_madrids_holiday(cli, engine):
    madrid = _add(cli, "Marta Gil", "+34 91 123 45 67", "--segment", "consumer")
    barcelona = _add(cli, "Jordi Puig", "+34 93 123 45 67", "--segment", "consumer")
    assert _planned(cli, "2026-12-07 10:00") == [barcelona]
    assert "ES-MD" in cli("next", "--at", "2026-12-07 10:00", "--all").stdout
    assert sorted(_planned(cli, "2026-12-09 10:00")) == [madrid, barcelona]


def test_a_barcelona_number_is_not_offered_on_the_national_day_of_catalonia(cli, engine):
    barcelona = _add(cli, "Jordi Puig", "+34 93 123 45 67")
    madrid = _add(cli, "Marta Gil", "+34 91 123 45 67")
    assert _planned(cli, "2026-09-11 10:00") == [madrid]
    assert sorted(_planned(cli, "2026-09-14 10:00")) == [barcelona, madrid]


def test_a_region_given_on_the_lead_brings_its_holidays(cli, engine):
    mobile = _add(cli, "Nuria Vidal", "612 345 678", "--region", "es-ct")
    shown = json.loads(cli("lead", "show", str(mobile), "--json").stdout)
    assert shown["region"] == "ES-CT"
    assert _planned(cli, "2026-09-11 10:00") == []
    assert _planned(cli, "2026-09-14 10:00") == [mobile]


def test_a_bad_region_is_one_sentence_and_nothing_is_written(cli, engine):
    refused = cli("lead", "add", "Ana", "--phone", "612 345 678", "--region", "Madrid")
    assert refused.exit_code == 1 and "ES-MD" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert json.loads(cli("lead", "list", "--json").stdout) == []


def test_a_florida_consumer_is_not_offered_after_eight_pm_nor_a_fourth_time_in_a_day(
    cli, engine, home
):
    path = home / "config.toml"
    path.write_text(path.read_text() + "\n[rules]\nmax_attempts = 10\n"
                    "rest_hours_after_unanswered = 0\n")  # fmt: skip
    lead = _add(cli, "Dana Cole", "+1 305 555 1234", "--segment", "consumer",
                "--window", "08:00-21:00")  # fmt: skip
    # 19:30 and 20:30 in Miami (EST, UTC-5) are 01:30 and 02:30 in Madrid the next day
    assert _planned(cli, "2026-11-11 01:30") == [lead]
    assert _planned(cli, "2026-11-11 02:30") == []
    for hour in ("15:00", "17:00", "19:00"):  # 09:00, 11:00, 13:00 in Miami
        logged = cli("call", "log", str(lead), "-o", "no-answer", "--at", f"2026-11-10 {hour}")
        assert logged.exit_code == 0, logged.output
    assert _planned(cli, "2026-11-10 21:00") == []  # 15:00 in Miami: a fourth call
    fourth = cli("call", "log", str(lead), "-o", "no-answer", "--at", "2026-11-10 21:00",
                 "--json")  # fmt: skip
    assert fourth.exit_code == 0, fourth.output
    assert json.loads(fourth.stdout)["warnings"]


def _slots(cli: Callable[..., Result], at: str) -> dict[int, datetime]:
    """When each planned lead's slot starts."""
    result = cli("next", "--at", at, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    return {r["lead_id"]: datetime.fromisoformat(r["slot_start"]) for r in rows}


def test_a_new_york_consumer_is_not_offered_from_seven_eastern(cli, engine):
    consumer = _add(cli, "Sam Reed", "+1 212 555 1234", "--segment", "consumer",
                    "--window", "07:00-10:00")  # fmt: skip
    business = _add(cli, "Acme Desk", "+1 212 555 9876", "--segment", "business",
                    "--window", "07:00-10:00")  # fmt: skip
    # 07:30 in New York (EST) is 13:30 in Madrid: the business may be called now, the consumer
    # from 08:00 there
    slots = _slots(cli, "2026-12-09 13:30")
    assert slots[business] == datetime(2026, 12, 9, 7, tzinfo=NEW_YORK)  # open since 07:00
    assert slots[consumer] == datetime(2026, 12, 9, 8, tzinfo=NEW_YORK)


def test_the_segment_comes_from_an_import_column_and_goes_out_in_the_export(cli, engine, tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text(
        "Name,Phone,Customer type,Region\n"
        "Ana Ruiz,+34 612 345 671,B2C,\n"
        "Luis Gil,+34 612 345 672,Autónomo,ES-MD\n"
        "Acme SL,+34 612 345 673,Business,\n"
        "Eva Sanz,+34 612 345 674,,\n",
        encoding="utf-8",
    )
    imported = cli("lead", "import", str(source), "--at", "2026-11-20 09:00")
    assert imported.exit_code == 0, imported.output
    listed = {r["name"]: r for r in json.loads(cli("lead", "list", "--json").stdout)}
    assert {n: r["segment"] for n, r in listed.items()} == {
        "Ana Ruiz": "consumer", "Luis Gil": "sole-trader", "Acme SL": "business",
        "Eva Sanz": "business",  # the configured segment
    }  # fmt: skip
    assert listed["Luis Gil"]["region"] == "ES-MD"
    exported = cli("lead", "export", "--format", "csv")
    assert exported.exit_code == 0, exported.output
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(exported.stdout))}
    assert rows["Ana Ruiz"]["segment"] == "consumer" and rows["Luis Gil"]["region"] == "ES-MD"
    shown = cli("lead", "show", "Ana Ruiz")
    assert "consumer" in shown.stdout and "es-b2c" in shown.stdout


def test_an_unknown_segment_in_a_file_rejects_it(cli, engine, tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("Name,Phone,Segment\nAna Ruiz,+34 612 345 671,retail\n")
    refused = cli("lead", "import", str(source))
    assert refused.exit_code == 1 and "segment" in refused.output
    assert json.loads(cli("lead", "list", "--json").stdout) == []


def test_lead_edit_changes_the_segment_and_the_rules(cli, engine):
    lead = _add(cli, "Sam Reed", "+1 212 555 1234", "--window", "07:00-10:00")
    seven = datetime(2026, 12, 9, 7, tzinfo=NEW_YORK)
    assert _slots(cli, "2026-12-09 13:30")[lead] == seven  # business: from 07:00
    edited = cli("lead", "edit", str(lead), "--segment", "consumer", "--at", "2026-11-20 09:00")
    assert edited.exit_code == 0, edited.output
    assert _slots(cli, "2026-12-09 13:30")[lead] == datetime(2026, 12, 9, 8, tzinfo=NEW_YORK)
    assert "us-tcpa" in cli("lead", "show", str(lead)).stdout


def test_a_0011_store_gains_segment_and_region_keeping_every_lead(store, tmp_path):
    from tests.conftest import older_store
    from warmcall import leads
    from warmcall.store.db import SCHEMA_HEAD, open_db, schema_version

    old, target = older_store(store.dialect, tmp_path, "0011")
    for i in range(20):
        old.execute(
            'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
            "created_at, updated_at, phone_e164) VALUES (:n, :k, 'warm', 'lead', 'active', "
            "'b2b', 'any', 1, 1, '+34911234567')",
            {"n": f"Lead {i}", "k": f"lead {i}"},
        )
    old.close()
    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        found = leads.find(db)
        assert [lead.name for lead in found] == [f"Lead {i}" for i in range(20)]
        assert {(lead.segment, lead.region) for lead in found} == {(None, None)}
        assert Calendar(SHIPPED).lead_region(found[0]) == "ES-MD"
    finally:
        db.close()


# --- no planned row breaks the rules of its lead's (segment, region) ------------------------


# Numbers with their country, the region their area code names, and their zone.
NUMBERS = [
    ("+34911234567", "ES", "ES-MD", "Europe/Madrid"),
    ("+34931234567", "ES", "ES-CT", "Europe/Madrid"),
    ("+34954123456", "ES", "ES-AN", "Europe/Madrid"),
    ("+34612345678", "ES", None, "Europe/Madrid"),
    ("+13055551234", "US", "US-FL", "America/New_York"),
    ("+12125551234", "US", "US-NY", "America/New_York"),
    ("+14155551234", "US", "US-CA", "America/Los_Angeles"),
    ("+33142345678", "FR", None, "Europe/Paris"),
]
REGIONS = [None, "ES-MD", "ES-CT", "US-FL", "US-NY"]


def _law(country: str, segment: str, region: str | None) -> tuple[list[tuple[int, int]], set]:
    """What the law allows, read off SPEC §7 (not the profiles): calling hours as minutes of
    the local day, and the consents. Business calls: b2b."""
    if segment == "business" or (country == "FR" and segment == "sole-trader"):
        return [(7 * 60, 21 * 60)], {"opt-in", "customer", "form", "b2b", "none"}
    if country == "ES":
        return [(9 * 60, 21 * 60)], {"opt-in", "customer", "form"}
    if country == "FR":  # in December 2026: loi n° 2025-594
        return [(10 * 60, 13 * 60), (14 * 60, 20 * 60)], {"opt-in", "customer"}
    end = 20 * 60 if region == "US-FL" else 21 * 60
    return [(8 * 60, end)], {"opt-in", "customer", "form", "b2b", "none"}


def _holiday(country: str, region: str | None, day: date) -> bool:
    import holidays

    subdiv = region[3:] if region and region.startswith(country + "-") else None
    return day in holidays.country_holidays(country, subdiv=subdiv, years=day.year)


lead_strategy = st.builds(
    lambda n, segment, own_region, consent, window, dials: (n, segment, own_region, consent,
                                                            window, dials),
    st.sampled_from(range(len(NUMBERS))),
    st.sampled_from([None, "business", "consumer", "sole-trader"]),
    st.sampled_from(REGIONS),
    st.sampled_from(["opt-in", "customer", "form", "b2b", "none"]),
    st.sampled_from(["07:00-22:00", "any", "early", "midday"]),
    st.lists(st.integers(min_value=1, max_value=60 * 60), max_size=4),  # minutes before now
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    leads=st.lists(lead_strategy, min_size=1, max_size=8),
    day=st.dates(min_value=date(2026, 9, 1), max_value=date(2026, 12, 31)),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
    lax=st.booleans(),
)
def test_no_planned_row_breaks_the_rules_of_its_leads_segment_and_region(leads, day, minute, lax):
    conf = Config(timezone="Europe/Madrid", region="ES")
    if lax:  # a cadence looser than any state's: the law alone holds the line
        conf.rules = Rules(max_attempts=10, rest_hours_after_unanswered=0)
    now = datetime.combine(day, datetime.min.time(), MADRID) + timedelta(minutes=minute)
    candidates = []
    for i, (n, segment, own_region, consent, window, dials) in enumerate(leads, 1):
        number, _country, _region, zone = NUMBERS[n]
        at = tuple(sorted(now - timedelta(minutes=m) for m in dials))
        candidates.append(
            Candidate(
                lead_id=i, name=f"Lead {i}", created_at=now - timedelta(days=90),
                phone_e164=number, timezone=zone, segment=segment, region=own_region,
                consent=consent, window=window, dial_times=at, dials=len(at),
                last_touch_at=at[-1] if at else None,
                last_touch_outcome="no-answer" if at else None,
                last_touch_channel="phone" if at else None,
            )
        )  # fmt: skip
    result = plan(candidates, now, conf, include_cold=True, limit=None)
    for row in result.rows:
        n, segment, own_region, consent, _window, _dials = leads[row.lead.lead_id - 1]
        number, country, derived, zone = NUMBERS[n]
        region = own_region or derived
        hours, consents = _law(country, segment or "business", region)
        start, end = (
            row.slot_start.astimezone(ZoneInfo(zone)),
            row.slot_end.astimezone(ZoneInfo(zone)),
        )
        assert consent in consents, (row.lead, "consent")
        assert start.date() == (end - timedelta(microseconds=1)).date()
        assert start.isoweekday() <= 5, (row.lead, "weekday")
        assert not _holiday(country, region, start.date()), (row.lead, "holiday", region)
        first, last = start.hour * 60 + start.minute, (end - timedelta(minutes=1))
        last_minute = last.hour * 60 + last.minute + 1
        assert any(a <= first and last_minute <= b for a, b in hours), (row.lead, start, end)
        if country == "US" and region == "US-FL" and segment in ("consumer", "sole-trader"):
            offered = max(row.slot_start, now)
            recent = [d for d in row.lead.dial_times if offered - timedelta(hours=24) < d]
            assert len(recent) < 3, (row.lead, "three in 24 hours")


def test_a_crm_region_that_is_not_a_subdivision_is_kept_as_a_tag(cli, engine, tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("Name,Phone,Region\nMarta Gil,+34 91 123 45 67,EMEA\n")
    imported = cli("lead", "import", str(source), "--at", "2026-11-20 09:00")
    assert imported.exit_code == 0, imported.output
    (lead,) = json.loads(cli("lead", "list", "--json").stdout)
    assert lead["region"] == "ES-MD" and "emea" in lead["tags"]  # the number's, and kept


def test_a_user_in_madrid_has_madrids_holiday_off(cli, home):
    (home / "config.toml").write_text('timezone = "Europe/Madrid"\nregion = "ES-MD"\n')
    lead = _add(cli, "Jordi Puig", "+34 93 123 45 67")
    assert _planned(cli, "2026-12-07 10:00") == []  # the user's own day off
    assert _planned(cli, "2026-12-09 10:00") == [lead]
    (home / "config.toml").write_text('timezone = "Europe/Madrid"\nregion = "ES-CT"\n')
    assert _planned(cli, "2026-12-07 10:00") == [lead]
