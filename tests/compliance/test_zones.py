"""A lead's zone: known from its phone, country or e-mail, else planned only where it is safe.

The user works in Madrid (region ES). ``NOW`` is Wednesday 25 November 2026, 07:50 there.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MADRID, NOW
from warmcall import phones
from warmcall.compliance.rules import Calendar
from warmcall.compliance.zones import country_zones, email_country
from warmcall.config import Config
from warmcall.plan.planner import Candidate, plan, plan_json
from warmcall.render.reasons import excluded_reason

CONFIG = Config(timezone="Europe/Madrid", region="ES")
GUADALAJARA = ZoneInfo("America/Mexico_City")


def lead(lead_id: int = 1, **kw: Any) -> Candidate:
    values: dict[str, Any] = {
        "name": f"Lead {lead_id}",
        "created_at": datetime(2026, 10, 1, 9, tzinfo=MADRID),
        "window": "any",
        "consent": "b2b",
    }
    values.update(kw)
    return Candidate(lead_id=lead_id, **values)


def test_mexicos_old_mobile_prefix_is_read_and_gives_guadalajaras_zone() -> None:
    found = phones.read("+52 1 33 1234 5678", "ES")
    assert (found.e164, found.flag, found.zone) == ("+523312345678", None, "America/Mexico_City")
    assert phones.read("0052 1 33 1234 5678", None).e164 == "+523312345678"


def test_a_trunk_zero_kept_after_the_country_code_is_dropped() -> None:
    assert phones.read("+44 0 20 7946 0018", "ES").e164 == "+442079460018"


def test_fernando_in_guadalajara_is_called_in_his_daytime_not_madrids() -> None:
    fernando = phones.read("+52 1 33 1234 5678", "ES")
    row = plan([lead(phone_e164=fernando.e164, country="MX")], NOW, CONFIG).rows[0]
    local = row.slot_start.astimezone(GUADALAJARA)
    assert (local.hour, row.slot_end.astimezone(GUADALAJARA).hour) == (9, 18)


@pytest.mark.parametrize(
    ("fields", "zone", "source"),
    [
        ({"phone_e164": "+12125550147"}, "America/New_York", "phone"),
        ({"country": "FR"}, "Europe/Paris", "country"),
        ({"email": "marie@entreprise.fr"}, "Europe/Paris", "email"),
        ({"email": "klaus@firma.de", "country": "ES"}, "Europe/Berlin", "email"),
        ({"phone_e164": "+33612345678"}, "Europe/Paris", "phone"),
    ],
    ids=["phone-area", "country", "email-domain", "email-over-default-country", "mobile-one-zone"],
)
def test_the_zone_comes_from_the_phone_the_country_or_the_email(
    fields: dict[str, Any], zone: str, source: str
) -> None:
    where = Calendar(CONFIG).whereabouts(lead(**fields))
    assert (where.zones, where.source) == ((zone,), source)


def test_a_generic_domain_says_no_country() -> None:
    assert [email_country(e) for e in ("a@b.com", "a@b.io", "a@b.co.uk", "a@b.com.mx")] == [
        None, None, "GB", "MX",
    ]  # fmt: skip


def test_the_users_zone_only_for_a_lead_of_the_users_country_of_one_zone() -> None:
    paris = Config(timezone="Europe/Paris", region="FR")
    where = Calendar(paris).whereabouts(lead())
    assert (where.zones, where.source) == (("Europe/Paris",), "yours")
    # A Madrid user's lead of no known place is Spanish, and Spain has the Canaries too.
    assert not Calendar(CONFIG).whereabouts(lead()).known


def test_a_spanish_mobile_is_called_only_when_lawful_in_madrid_and_the_canaries() -> None:
    row = plan([lead(phone_e164="+34612345678", window="midday")], NOW, CONFIG).rows[0]
    # midday 12:00–14:00 in Madrid and in the Canaries (13:00–15:00 Madrid): 13:00–14:00.
    assert (row.slot_start, row.slot_end) == (
        datetime(2026, 11, 25, 13, tzinfo=MADRID),
        datetime(2026, 11, 25, 14, tzinfo=MADRID),
    )


def test_a_lead_in_no_zone_where_its_window_is_lawful_everywhere_is_left_out_and_told() -> None:
    us = lead(phone_e164="+18005550147", country="US", window="early")
    result = plan([us], NOW, CONFIG)
    assert not result.rows
    left = result.excluded[0]
    assert left.code == "zone-unknown"
    assert "lead edit --timezone" in excluded_reason(left, NOW, MADRID)


def test_json_says_whether_the_zone_is_known_and_which_it_could_be() -> None:
    result = plan(
        [lead(1, phone_e164="+34612345678"), lead(2, phone_e164="+12125550147")], NOW, CONFIG
    )
    rows = {r["lead_id"]: r for r in plan_json(result)}
    assert rows[1]["zone_known"] is False
    assert rows[1]["zones"] == ["Europe/Madrid", "Atlantic/Canary"]  # the user's first
    assert rows[1]["zone"] is None
    assert (rows[2]["zone_known"], rows[2]["zone"]) == (True, "America/New_York")


def test_script_slots_of_a_lead_of_unknown_zone_are_lawful_in_every_zone() -> None:
    calendar = Calendar(CONFIG)
    canary = lead(window="early", phone_e164="+34612345678")
    periods = calendar.periods(canary, NOW.date() + timedelta(days=1))
    # early 07:30–09:00 in Madrid ∩ in the Canaries (08:30–10:00 Madrid): 08:30–09:00 Madrid
    assert [(s.astimezone(MADRID).strftime("%H:%M"), e.astimezone(MADRID).strftime("%H:%M"))
            for s, e in periods] == [("08:30", "09:00")]  # fmt: skip


# --- the property -----------------------------------------------------------------------

# Numbers that say no more than their country (mobiles, toll-free), per country of several zones.
UNKNOWN_NUMBERS = {
    "ES": ["+34612345678", "+34722345678"],
    "MX": [],
    "US": ["+18005550147", "+18885550123"],
    "CA": ["+18005550147"],
    "BR": [],
    "AU": ["+61412345678"],
    "RU": ["+79123456789"],
    "PT": ["+351912345678"],
}
WINDOWS = ["early", "midday", "any", "13:30-14:30", "10:00-12:00", "08:00-20:00"]


@st.composite
def unknown_leads(draw: st.DrawFn) -> Candidate:
    country = draw(st.sampled_from(sorted(UNKNOWN_NUMBERS)))
    number = draw(st.sampled_from([None, *UNKNOWN_NUMBERS[country]]))
    return lead(
        draw(st.integers(1, 1000)),
        country=country,
        phone_e164=number,
        window=draw(st.sampled_from(WINDOWS)),
    )


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(unknown_leads(), min_size=1, max_size=4, unique_by=lambda c: c.lead_id),
    now=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(MADRID)
    ),
)
def test_no_row_of_a_lead_of_unknown_zone_is_unlawful_in_any_zone_it_could_be_in(
    people: list[Candidate], now: datetime
) -> None:
    calendar = Calendar(CONFIG)
    for row in plan(people, now, CONFIG, limit=None).rows:
        _lawful_everywhere(calendar, row.lead, row.slot_start, row.slot_end)


def test_next_and_lead_show_say_the_zone_is_unknown_in_english_and_spanish(
    cli: Any, home: Any
) -> None:
    added = cli("lead", "add", "Nuria Vidal", "--phone", "+34 633 222 444", "--at", "2026-11-20")
    assert added.exit_code == 0, added.output
    plan_out = cli("next", "--at", "2026-11-25 07:50", "--explain").stdout
    assert "zone ?" in plan_out and "lead edit" in plan_out
    assert "zone unknown" in cli("lead", "show", "nuria").stdout
    shown = json.loads(cli("lead", "show", "nuria", "--json").stdout)
    assert (shown["zone_known"], shown["zones"]) == (False, ["Europe/Madrid", "Atlantic/Canary"])
    config = home / "config.toml"
    config.write_text('language = "es"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert "zona horaria desconocida" in cli("lead", "show", "nuria").stdout
    assert "¿zona?" in cli("next", "--at", "2026-11-25 07:50").stdout


def test_an_import_reads_the_zone_from_country_option_and_email_domain(
    cli: Any, home: Any, tmp_path: Any
) -> None:
    source = tmp_path / "fair.csv"
    source.write_text(
        "name,phone,email\nFernando López,33 1234 5678,\nMarie Dupont,,marie@entreprise.fr\n",
        encoding="utf-8",
    )
    imported = cli("lead", "import", str(source), "--country", "Mexico", "--at", "2026-11-20")
    assert imported.exit_code == 0, imported.output
    rows = {
        r["name"]: r for r in json.loads(cli("next", "--at", "2026-11-25 07:50", "--json").stdout)
    }
    assert rows["Fernando López"]["phone_e164"] == "+523312345678"
    assert rows["Fernando López"]["zone"] == "America/Mexico_City"
    # --country stands for a country column: it comes before the e-mail's domain.
    assert rows["Marie Dupont"]["zone_known"] is False
    assert "America/Mexico_City" in rows["Marie Dupont"]["zones"]
    # Without it, the e-mail's domain tells Marie's zone (a store's row without a timezone).
    other = tmp_path / "paris.csv"
    other.write_text("name,email\nJeanne Petit,jeanne@societe.fr\n", encoding="utf-8")
    assert cli("lead", "import", str(other), "--at", "2026-11-20").exit_code == 0
    shown = json.loads(cli("lead", "show", "jeanne", "--json").stdout)
    assert (shown["timezone"], shown["zone"], shown["zone_source"]) == (
        None, "Europe/Paris", "email",
    )  # fmt: skip
    refused = cli("lead", "import", str(source), "--country", "Atlantis")
    assert refused.exit_code == 2 and "Atlantis" in refused.output


@pytest.mark.parametrize("region", ["ES", "MX", "US", "CA", "BR", "AU", "RU", "PT", "IT", "GB"])
@pytest.mark.parametrize("kind", ["FIXED_LINE", "MOBILE", "TOLL_FREE"])
def test_a_numbers_zones_are_the_ones_phonenumbers_gives_its_area(region: str, kind: str) -> None:
    import phonenumbers
    import phonenumbers.timezone

    example = phonenumbers.example_number_for_type(
        region, getattr(phonenumbers.PhoneNumberType, kind)
    )
    if example is None:
        pytest.skip(f"no {kind} example for {region}")
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    theirs = set(phonenumbers.timezone.time_zones_for_number(example))
    ours = phones.zones_for(e164)
    assert set(ours) <= theirs
    if len(theirs) == 1 and "Etc/Unknown" not in theirs:
        assert ours == tuple(theirs), e164  # a number of one zone always tells it


def test_a_lead_whose_email_says_france_keeps_frances_holidays() -> None:
    # Tue 14 July 2026: a public holiday in France, a working day in Spain. Marie was imported
    # by a Madrid user (her stored country is the user's default); her e-mail is French.
    bastille = datetime(2026, 7, 14, 9, 0, tzinfo=MADRID)
    marie = lead(1, email="marie@entreprise.fr", country="ES")
    result = plan([marie, lead(2, timezone="Europe/Madrid", country="ES")], bastille, CONFIG)
    assert [r.lead.lead_id for r in result.rows] == [2]
    left = result.excluded[0]
    assert (left.code, left.facts["country"]) == ("holiday", "FR")


def _lawful_everywhere(calendar: Calendar, who: Any, start: datetime, end: datetime) -> None:
    """``[start, end)`` lies in the lawful hours and days of every zone of the lead's country."""
    hours = calendar.hours(who, calendar.profile(who, start))
    last = end - timedelta(microseconds=1)
    for name in country_zones(who.country):
        zone = ZoneInfo(name)
        first, final = start.astimezone(zone), last.astimezone(zone)
        assert first.date() == final.date(), (who.window, name, first)
        assert calendar.day_off(who, first.date()) is None, (who.window, name, first)
        assert any(s <= first.time() and final.time() < e for s, e in hours), (name, first, final)


@settings(max_examples=40, deadline=None)
@given(
    who=unknown_leads(),
    now=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(MADRID)
    ),
)
def test_script_slots_of_a_lead_of_unknown_zone_are_lawful_in_every_zone_it_could_be_in(
    who: Candidate, now: datetime
) -> None:
    from tests.scripts.make import lead as script_lead
    from warmcall.scripts.slots import propose

    person = script_lead(
        timezone=None, phone=None, phone_e164=who.phone_e164, country=who.country, window=who.window
    )
    calendar = Calendar(CONFIG)
    for slot in propose(person, [], now, CONFIG):
        _lawful_everywhere(calendar, person, slot.start, slot.end)


# --- what the store keeps: the zones that do not depend on the user's -----------------------

USERS = [("Europe/Madrid", "ES"), ("America/Mexico_City", "MX"), ("Asia/Tokyo", "JP"),
         ("America/New_York", "US"), ("Europe/Paris", None)]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([None, "America/Chicago", "Atlantic/Canary"]),
    st.sampled_from([None, "+34612345678", "+34922123456", "+12125550147", "+5213312345678",
                     "+18005550100", "+33612345678", "+81312345678", "+999123"]),
    st.sampled_from([None, "ES", "MX", "US", "FR", "JP", "AQ", "es"]),
    st.sampled_from([None, "a@b.com", "a@b.mx", "a@b.fr", "a@b.es", "a@b.jp", "nobody"]),
)  # fmt: skip
def test_the_stored_zones_are_the_leads_zones_whatever_the_users(
    zone: str | None, e164: str | None, country: str | None, email: str | None
) -> None:
    """``settled`` (``leads.zones``, which the plan's bound reads) is, when it says anything,
    the set of zones the lead may be in under every user's zone and region; None otherwise."""
    from warmcall.compliance.zones import settled, whereabouts

    stored = settled(zone, e164, country, email)
    found = {" ".join(sorted(whereabouts(zone, e164, country, email, *user).zones))
             for user in USERS}  # fmt: skip
    if stored is not None:
        assert found == {stored}
    if len(found) > 1:
        assert stored is None
    for user in USERS:  # read back from the store, the lead is where it was
        assert whereabouts(zone, e164, country, email, *user, stored=stored) == whereabouts(
            zone, e164, country, email, *user
        )


def test_a_spanish_mobile_is_stored_as_madrid_or_the_canaries() -> None:
    from warmcall.compliance.zones import settled

    assert settled(None, "+34612345678", "ES", None) == "Atlantic/Canary Europe/Madrid"
    assert settled(None, "+12125550147", None, None) == "America/New_York"
    assert settled("Europe/Madrid", "+34612345678", "ES", None) == "Europe/Madrid"
    assert settled(None, None, None, None) is None  # the user's region decides


@given(st.integers(0, 48 * 4 - 1), st.sampled_from(["early", "midday", "any", "18:00-20:00"]))
def test_a_window_may_be_open_only_when_it_is_open_in_every_zone(
    quarters: int, window: str
) -> None:
    """``Calendar.window_may_be_open``: the window by each zone's clock, in all of them; never
    false when the calendar has a lead of that window and those zones open, through a day and
    a night."""
    from warmcall.localtime.windows import parse_window

    calendar = Calendar(CONFIG)
    moment = NOW + timedelta(minutes=15 * quarters)
    ranges = parse_window(window, CONFIG.windows)

    def inside(zone: str) -> bool:
        clock = moment.astimezone(ZoneInfo(zone)).time()
        return any(r.start <= clock < r.end for r in ranges)

    zones = ("Atlantic/Canary", "Europe/Madrid")
    assert calendar.window_may_be_open(window, zones, moment) == all(map(inside, zones))
    mobile = lead(phone_e164="+34612345678", country="ES", window=window)
    if calendar.is_open(mobile, moment):
        assert calendar.window_may_be_open(window, calendar.whereabouts(mobile).zones, moment)
