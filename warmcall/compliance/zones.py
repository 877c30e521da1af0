"""Where a lead may be: its zone when it is known, else every zone it could be in (SPEC §1).

The zone is the lead's own (set, or stored at import); else the number's when it rings in
exactly one; else the one zone of the lead's country (its country column, the number's
country, the e-mail's country domain: ``.mx``, ``.fr``); else, for a lead of the user's own
country, the user's zone when that country has one zone. A lead whose zone stays unknown
keeps every zone it could be in — a Spanish mobile: Madrid or the Canaries; a US number of
no known area: from Hawaii to New York — and ``compliance.rules.Calendar`` plans it only in
hours lawful in all of them.

Countries' zones come from CLDR through Babel (read only when a lead has no zone), numbers'
zones from phonenumbers. Nothing here is a word: ``source`` is a code the edge words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from warmcall.config import valid_zone

# Country domains used as generic names far more than as countries (``.io``, ``.co``, ``.tv``).
_VANITY_DOMAINS = frozenset(
    {"ac", "ag", "ai", "am", "cc", "co", "fm", "gg", "im", "io", "la", "ly", "me", "ms", "nu",
     "sh", "so", "st", "tk", "to", "tv", "vc", "ws"}
)  # fmt: skip
_DOMAIN_COUNTRY = {"uk": "GB"}


@dataclass(frozen=True, slots=True)
class Whereabouts:
    """The zones a lead may be in: one when it is known, several when it is not."""

    zones: tuple[str, ...]  # never empty; the first is the one its clock is shown in
    # Where the zone came from: set (the lead's own), phone, country, email, yours, or
    # unknown (several zones remain).
    source: str
    country: str | None = None  # the country the zones were drawn from, if any

    @property
    def known(self) -> bool:
        return len(self.zones) == 1


def whereabouts(
    timezone: str | None,
    e164: str | None,
    country: str | None,
    email: str | None,
    user_zone: str,
    user_region: str | None,
    stored: str | None = None,
) -> Whereabouts:
    """Where a lead with these fields may be (SPEC §1 ``timezone``). ``stored``: the zones
    the store keeps for it (``settled``); several of them are its zones with no number to
    read again (a plan of Spanish mobiles needs no phonenumbers)."""
    if timezone:
        return Whereabouts((timezone,), "set", country)
    country = (country or "").upper() or None
    mailed = email_country(email)
    region = (user_region or "").upper() or None
    if stored and " " in stored:  # several zones: the country is all that is left to read
        from warmcall.compliance.rules import phone_country

        home = home_country(country, phone_country(e164), mailed, region)[0]
        return Whereabouts(_ordered(tuple(stored.split(" ")), user_zone), "unknown", home)
    return _derived(e164, country, mailed, user_zone, region)


@lru_cache(maxsize=8192)  # bounded: a plan of 100,000 leads asks once per number
def _derived(
    e164: str | None,
    country: str | None,
    mailed: str | None,
    user_zone: str,
    user_region: str | None,
) -> Whereabouts:
    from warmcall.compliance.rules import phone_country

    return _derive(e164, phone_country(e164), country, mailed, user_zone, user_region)


def _derive(
    e164: str | None,
    dialled: str | None,
    country: str | None,
    mailed: str | None,
    user_zone: str,
    user_region: str | None,
) -> Whereabouts:
    """``_derived`` with the number's country read (``dialled``), remembering nothing: an
    import asks once a number, and its memory must not grow with the file."""
    from warmcall import phones  # only for a lead without a zone: not at every start

    rung = tuple(z for z in phones.zones_for(e164) if _real(z))
    if len(rung) == 1:
        return Whereabouts(rung, "phone", country or dialled)
    country, source = home_country(country, dialled, mailed, user_region)
    zones = country_zones(country) if country else ()
    if rung:  # the number's area narrows its country's zones (a US area across a zone line)
        zones = tuple(z for z in rung if z in zones) or zones or rung
    if len(zones) == 1:
        return Whereabouts(zones, source, country)
    if not zones:  # a country of no known zone: the user's, the one clock left
        return Whereabouts((user_zone,), "unknown", country)
    return Whereabouts(_ordered(zones, user_zone), "unknown", country)


def settled(
    timezone: str | None, e164: str | None, country: str | None, email: str | None
) -> str | None:
    """The zones a lead with these fields may be in whatever the user's own zone and region,
    as the store keeps them (``leads.zones``: names sorted, one space apart), or None when
    they depend on the user's (a lead that tells no country, a country of no known zone, a
    stored country that yields to the e-mail's when it is the user's own). The plan's SQL
    bound reads it to know whose window cannot be open (``activity.pool``)."""
    if timezone:
        return timezone
    country = (country or "").upper() or None
    mailed = email_country(email)
    dialled = _dialled(e164)
    if not country and not mailed and not dialled:
        return None  # the user's region decides
    if country and mailed and mailed != country and not dialled:
        return None  # the stored country yields to the e-mail's when it is the user's own
    where = _derive(e164, dialled, country, mailed, "", None)
    if "" in where.zones:  # a country of no known zone: the user's zone decides
        return None
    return " ".join(sorted(where.zones))


def _dialled(e164: str | None) -> str | None:
    """The number's country, not remembered (``phone_country``'s cache is the plan's)."""
    from warmcall.compliance.rules import phone_country

    return phone_country.__wrapped__(e164)  # type: ignore[no-any-return]


def home_country(
    country: str | None, dialled: str | None, mailed: str | None, user_region: str | None
) -> tuple[str | None, str]:
    """The lead's country and where it came from (``country``, ``email`` or ``yours``): its
    own, else its number's, else its e-mail's domain's, else the user's. A stored country that
    is only the user's own (an import's default) yields to an e-mail of another country when
    the number says nothing."""
    if country and country == user_region and mailed and mailed != country and not dialled:
        country = None
    if country or dialled:
        return country or dialled, "country"
    if mailed:
        return mailed, "email"
    return user_region, "yours"


@cache
def _ordered(zones: tuple[str, ...], user_zone: str) -> tuple[str, ...]:
    """The user's zone first when it is one of them (the clock the lead is shown in), then
    the rest in a stable order."""
    rest = tuple(sorted(z for z in zones if z != user_zone))
    return (user_zone, *rest) if user_zone in zones else rest


def email_country(email: str | None) -> str | None:
    """The country of an e-mail's country domain (``ana@empresa.mx`` → ``MX``), or None for
    a generic one (``.com``, ``.io``)."""
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].rstrip(".").lower()
    tld = domain.rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in _VANITY_DOMAINS:
        return None
    code = _DOMAIN_COUNTRY.get(tld, tld.upper())
    return code if code in _regions() else None


@cache
def _regions() -> frozenset[str]:
    """Every country phonenumbers numbers (from the calendar's cache: no import)."""
    from warmcall.compliance.rules import _calling_codes

    return frozenset(r for regions in _calling_codes().values() for r in regions if r != "001")


@cache
def country_zones(country: str) -> tuple[str, ...]:
    """The IANA zones of a country (ISO alpha-2), from CLDR through Babel, one per clock:
    zones that keep the same time all year (Ceuta and Madrid, Büsingen and Berlin) count
    once, by the name phonenumbers gives the country's numbers when it gives one."""
    from babel.core import get_global

    found = sorted(z for z in get_global("territory_zones").get(country.upper(), ()) if _real(z))
    named = _numbering_zones(country.upper())
    found.sort(key=lambda z: z not in named)
    kept: dict[tuple[timedelta | None, ...], str] = {}
    for zone in found:
        kept.setdefault(_clock(zone), zone)
    return tuple(sorted(kept.values()))


@cache
def _samples() -> tuple[datetime, ...]:
    return tuple(
        datetime(year, month, day, 12, tzinfo=UTC)
        for year in (2025, 2026, 2027) for month in range(1, 13) for day in (1, 15)
    )  # fmt: skip


def _clock(zone: str) -> tuple[timedelta | None, ...]:
    """A zone's offsets through the years around now: equal for zones of one clock."""
    info = ZoneInfo(zone)
    return tuple(moment.astimezone(info).utcoffset() for moment in _samples())


def _numbering_zones(country: str) -> frozenset[str]:
    """The zones phonenumbers names for a country's calling code (its own list)."""
    import phonenumbers
    import phonenumbers.timezone

    code = phonenumbers.country_code_for_region(country)
    return frozenset(phonenumbers.timezone.TIMEZONE_DATA.get(str(code), ()) if code else ())


# A zone this system's tz database knows (phonenumbers and CLDR may name others).
_real = cache(valid_zone)


def clear_caches() -> None:
    _derived.cache_clear()
    _regions.cache_clear()
    country_zones.cache_clear()
