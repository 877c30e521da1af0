"""May we call this person at this moment? The one answer every path asks (SPEC §2, §7).

A lead may be called inside its own window, inside the calling hours of its rule profile,
on a day that is both a working day (``[windows] working_days``) and a calling day of the
profile, and never on a public holiday of its country — all in the lead's own zone. These
*lawful periods* are what the plan, ``next --go``, ``--ics`` and the script's slots offer.
``may_call`` adds what does not depend on the clock (do not call, a wrong number, a consent the
profile does not accept) and on the history (a refusal's rest, the profile's frequency limit).

A lead whose zone is unknown (``compliance.zones``: a Spanish mobile may ring in Madrid or
the Canaries) has as lawful periods only the times lawful in every zone it could be in — the
overlap of each zone's periods, each on that zone's own calling days — and its timing problems
are those of any of them. This class is the one place that knows it.

Country: ``lead.country``, else the region of its phone number, else its e-mail's country
domain, else the user's region (``zones.home_country``).
Public holidays come from the ``holidays`` library, imported the first time one is asked.

``Calendar(config)`` caches what leads share (windows, zones, holidays); the module functions
are one-call conveniences over it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.compliance.consent import in_force
from warmcall.compliance.profiles import DEFAULT, Profile, UnknownProfile, load_profile
from warmcall.compliance.zones import Whereabouts, email_country, home_country, whereabouts
from warmcall.compliance.zones import clear_caches as zones_clear_caches
from warmcall.config import Config, Rules
from warmcall.errors import InvalidData
from warmcall.localtime.windows import Range, local_datetime, parse_window

Slot = tuple[datetime, datetime]
HORIZON_DAYS = 21  # how far ``next_opening`` looks ahead


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a call may not be made: a stable ``code`` and its facts, which the edge words
    (``render.reasons.problem_text``) — e.g. ``holiday`` with ``{"name": "Thanksgiving"}``."""

    code: str  # outside-window, outside-hours, not-a-calling-day, holiday, consent-not-accepted,
    # do-not-call, wrong-number, registry-listed, resting, over-frequency; the user's own:
    # not-a-working-day
    facts: dict[str, Any] = field(default_factory=dict)
    until: datetime | None = None  # when it stops applying, if it does


@dataclass(frozen=True, slots=True)
class History:
    """What of a lead's past the rules read: its phone dials, the last unanswered one and the
    last refusal (``not-interested``)."""

    dials: tuple[datetime, ...] = ()
    last_unanswered_at: datetime | None = None
    refused_at: datetime | None = None


def history_of(calls: Iterable[Any]) -> History:
    """The ``History`` of a lead from its calls (anything with ``at``, ``outcome`` and
    ``channel``): what the script's voicemail and banner ask the rules about. A refusal rests
    the lead until a later conversation (as the plan and ``call log`` read it)."""
    from warmcall.models import CONVERSATIONS, UNANSWERED, Channel, Outcome

    dials: list[datetime] = []
    unanswered: datetime | None = None
    talked: Any = None  # the last conversation, on any channel
    for call in calls:
        outcome = str(call.outcome)
        if outcome in CONVERSATIONS and (talked is None or call.at > talked.at):
            talked = call
        if str(getattr(call, "channel", Channel.PHONE)) != Channel.PHONE:
            continue
        dials.append(call.at)
        if outcome in UNANSWERED and (unanswered is None or call.at > unanswered):
            unanswered = call.at
    refused = talked.at if talked and str(talked.outcome) == Outcome.NOT_INTERESTED else None
    return History(tuple(sorted(dials)), unanswered, refused)


# --- how often (the frequency rule, SPEC §2 and §7) ----------------------------------------


@dataclass(frozen=True, slots=True)
class Frequency:
    """A frequency limit: at most ``most`` dials in ``days`` calendar days. ``profile`` names
    the rule profile that set it; None when the configuration's ``[rules]`` did (a profile
    that leaves its limit at 0)."""

    most: int
    days: int
    profile: str | None = None


@dataclass(frozen=True, slots=True)
class OverFrequency:
    """A dial the frequency limit forbids: ``dials`` already made in the window, and
    ``until``, the local midnight from which the window lets the lead be dialled again."""

    dials: int
    until: datetime


def frequency_limit(profile: Profile, rules: Rules) -> Frequency | None:
    """The frequency limit of a lead under ``profile``: the profile's where it sets one
    (fr-b2c: 4 in 30 days), else ``[rules]`` (3 in 14 by default); None when neither does."""
    if profile.max_attempts and profile.attempts_days:
        return Frequency(profile.max_attempts, profile.attempts_days, profile.name)
    if rules.max_attempts > 0 and rules.attempts_days > 0:
        return Frequency(rules.max_attempts, rules.attempts_days)
    return None


def over_frequency(
    earlier: Iterable[datetime], moment: datetime, limit: Frequency, zone: ZoneInfo
) -> OverFrequency | None:
    """THE frequency rule, the one answer of ``next`` (and ``--go``), ``call log`` and
    ``report``: whether a dial at ``moment`` breaks "at most N dials in D days", given the
    lead's ``earlier`` dials (the dial judged excluded).

    Days are calendar days in the lead's zone (``zone``: ``Calendar.zone``). The window of a
    dial at ``moment`` is the day of ``moment`` — today counts, from its local midnight up to
    ``moment`` — and the D − 1 days before it, whole. A dial on the day before the window's
    first day is outside it, whatever the hours between (23 hours ago, when that was
    yesterday there, is counted by a 1-day window no more than 25 hours ago is); one at the
    first day's local midnight is inside. The dial breaks the rule when N dials of the window
    came before it; the lead may be dialled again from the local midnight D days after the
    day of the N-th most recent of them. Dials after ``moment`` are not counted.

    A limit stated in hours (a rolling window, as us-fl's "3 calls in 24 hours") would be
    counted in hours; no shipped profile has one: every profile states its limit in days.
    """
    first = moment.astimezone(zone).date() - timedelta(days=limit.days - 1)
    start = local_datetime(first, time(0), zone)  # the first day's first instant there
    recent = sorted(d for d in earlier if start <= d <= moment)
    if len(recent) < limit.most:
        return None
    last_day = recent[-limit.most].astimezone(zone).date() + timedelta(days=limit.days)
    return OverFrequency(len(recent), local_datetime(last_day, time(0), zone))


def frequency_limits(config: Config) -> dict[str, Frequency | None]:
    """The frequency limit of each profile the configuration can apply (the default one, each
    country's and segment's, and each with a region's rules over it), by profile name — for a
    store to bound the dials it reads."""
    from warmcall.compliance.profiles import regional, stricter

    compliance = config.compliance
    names = {compliance.profile or DEFAULT, *compliance.countries.values()}
    names |= {name for table in compliance.segments.values() for name in table.values()}
    found: dict[str, Frequency | None] = {}
    for name in sorted(names):
        for base in (_profile(name), *_profile(name).dated):
            found[base.name] = frequency_limit(base, config.rules)
            for region in regional():
                for version in (region, *region.dated):
                    merged = stricter(base, version, config.rules)
                    found[merged.name] = frequency_limit(merged, config.rules)
                    for n, (most, days) in enumerate(merged.also, 1):
                        found[f"{merged.name}#{n}"] = Frequency(most, days, region.name)
    return found


def frequency_since(moment: datetime, days: int) -> datetime:
    """A moment no later than the first instant of any zone's ``days``-day window ending at
    ``moment``: the dials a store must hand ``over_frequency`` are those from it on. The
    window's first midnight and ``moment`` are in one zone, less than ``days`` × 24 hours
    apart but for a change of offset (an hour, two at most) between them."""
    return moment - timedelta(days=days, hours=2)


def frequency_surely_since(moment: datetime, days: int) -> datetime:
    """A moment from which on every dial is inside any zone's ``days``-day window ending at
    ``moment`` (the window's first midnight is at most ``days`` − 1 days and two hours of
    offset change before ``moment``'s own midnight). A store that finds as many dials from
    ``frequency_since`` as from here knows the window's count without the lead's zone."""
    return moment - timedelta(days=days - 1, hours=-2)


# --- who ------------------------------------------------------------------------------------


def listed_problems(listings: Iterable[Any]) -> list[Problem]:
    """A problem for each do-not-call registry a number is on (``listings.Listing``)."""
    return [
        Problem("registry-listed", {"registry": found.registry, "as_of": found.as_of})
        for found in listings
    ]


def country_of(lead: Any, config: Config) -> str | None:
    """The lead's country (ISO alpha-2): its own, else its phone's, else its e-mail's
    domain's, else the user's (``zones.home_country``: the zone is drawn from the same)."""
    return lead_country(lead, config.phone_region)


def lead_country(lead: Any, region: str | None) -> str | None:
    """``country_of`` with the user's region already read (``Config.phone_region`` may ask
    the locale and the system's zone files: a calendar reads it once, not once a lead)."""
    country = (getattr(lead, "country", None) or "").upper() or None
    if country and country != region:
        return country
    mailed = email_country(getattr(lead, "email", None))
    if country and (not mailed or mailed == country):
        return country
    dialled = phone_country(getattr(lead, "phone_e164", None), getattr(lead, "timezone", None))
    return home_country(country, dialled, mailed, region)[0]


@cache
def phone_country(e164: str | None, zone: str | None = None) -> str | None:
    """The region of an E.164 number. A calling code of one country is answered from a table
    (``+34…`` is ES); a shared one (``+1``, ``+44``) by the lead's zone when that zone's
    country shares it (a +1 number in America/Toronto is CA), else by phonenumbers."""
    if not e164 or not e164.startswith("+"):
        return None
    codes = _calling_codes()
    for length in (1, 2, 3):
        code = e164[1 : 1 + length]
        if not code.isdigit():
            return None
        regions = codes.get(code)
        if regions:
            if len(regions) == 1 and regions[0] != "001":
                return regions[0]
            if zone:
                from warmcall.config import zone_region

                hinted = zone_region(zone)
                if hinted in regions:
                    return hinted
            break
    import phonenumbers

    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return None
    # An unallocated number still belongs to its calling code's main country.
    region = phonenumbers.region_code_for_number(number) or (
        phonenumbers.region_code_for_country_code(number.country_code or 0)
    )
    return region if region and region not in ("ZZ", "001") else None


@cache
def _calling_codes() -> dict[str, list[str]]:
    """Calling code to regions, from phonenumbers once per installed release, then a cache
    file (importing phonenumbers costs more than planning a day)."""
    stored = _cache().get("calling-codes")
    if isinstance(stored, dict) and stored:
        return stored
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    codes = {str(code): list(regions) for code, regions in COUNTRY_CODE_TO_REGION_CODE.items()}
    _remember("calling-codes", codes)  # type: ignore[arg-type]
    return codes


def segment_of(lead: Any, config: Config) -> str:
    """The lead's segment (business, consumer, sole-trader): its own, else the configured
    one (``[compliance] segment``)."""
    return str(getattr(lead, "segment", None) or config.compliance.segment)


def region_of(lead: Any, country: str | None) -> str | None:
    """The lead's region (ISO 3166-2): its own, else the one its phone's area code names
    when unambiguous (``phones.areas``: +34 91 is ES-MD, +1 305 US-FL), for its ``country``."""
    own = getattr(lead, "region", None)
    if own:
        return str(own).upper()
    from warmcall.phones.areas import region_of_number

    return region_of_number(getattr(lead, "phone_e164", None), country)


def profile_name(country: str | None, segment: str, config: Config) -> str:
    """The name of the country's profile for a segment: ``[compliance.segments]`` for the
    country and segment, else ``[compliance.countries]`` for the country, else ``[compliance]
    profile``."""
    compliance = config.compliance
    name = compliance.profile or DEFAULT
    if country:
        name = compliance.countries.get(country, name)
        name = compliance.segments.get(country, {}).get(segment, name)
    return name


def profile_for(lead: Any, config: Config) -> Profile:
    """The country's rule profile for the lead's segment (``profile_name``); a region's
    profile adds its rules over it in ``Calendar.profile``."""
    return _profile(profile_name(country_of(lead, config), segment_of(lead, config), config))


@cache
def _profile(name: str) -> Profile:
    from warmcall.config import config_path
    from warmcall.errors import ConfigError

    try:
        return load_profile(name)
    except UnknownProfile as exc:
        raise ConfigError(
            "{config_path}: [compliance] {exc}", config_path=config_path(), exc=exc
        ) from None


def clear_caches() -> None:
    """Forget loaded profiles (a test or a long session that edits the files)."""
    from warmcall.compliance.profiles import _read, regional

    global _CACHE
    _profile.cache_clear()
    _read.cache_clear()
    regional.cache_clear()
    _holidays.cache_clear()
    _cache_path.cache_clear()
    _calling_codes.cache_clear()
    phone_country.cache_clear()
    zones_clear_caches()
    _CACHE = None


# --- holidays -------------------------------------------------------------------------------


@cache
def _holidays(country: str, year: int, language: str, subdiv: str = "") -> dict[date, str]:
    """A country's public holidays of a year (with a subdivision's, ``MD`` for ES-MD), from a
    small file cache: importing the ``holidays`` library costs more than a whole plan, and
    its answer changes only with its version, so each (country, year, language, subdivision)
    is asked of it once per version."""
    key = f"{country}-{year}-{language}" + (f"-{subdiv}" if subdiv else "")
    stored = _cache().get(key)
    if stored is not None:
        return {date.fromisoformat(day): name for day, name in stored.items()}
    found = _ask_library(country, year, language, subdiv)
    _remember(key, {day.isoformat(): name for day, name in found.items()})
    return found


def _ask_library(country: str, year: int, language: str, subdiv: str = "") -> dict[date, str]:
    import holidays

    where: dict[str, Any] = {"subdiv": subdiv} if subdiv else {}
    try:
        found = holidays.country_holidays(country, years=year, language=language, **where)
    except NotImplementedError:  # a country (or region) the library does not know
        return _ask_library(country, year, language) if subdiv else {}
    except Exception:  # an unsupported language: the country's own names
        found = holidays.country_holidays(country, years=year, **where)
    return {day: str(name) for day, name in found.items()}


@cache
def _cache_path() -> Path | None:
    """The cache file of the installed ``holidays`` and ``phonenumbers`` releases, named after
    their files (asking their versions through importlib.metadata costs a tenth of a second)."""
    from importlib.util import find_spec

    from warmcall.places import cache_dir

    stamp = []
    for package in ("holidays", "phonenumbers"):
        spec = find_spec(package)
        if spec is None or spec.origin is None:
            return None
        try:
            stat = os.stat(spec.origin)
        except OSError:
            return None
        stamp.append(f"{stat.st_mtime_ns:x}{stat.st_size:x}")
    return cache_dir() / f"calendar-{'-'.join(stamp)}.json"


_CACHE: dict[str, Any] | None = None


def _cache() -> dict[str, Any]:
    global _CACHE
    if _CACHE is None:
        _CACHE = {}
        path = _cache_path()
        if path is not None:
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    _CACHE = loaded
            except (OSError, ValueError):
                pass
    return _CACHE


def _remember(key: str, value: Any) -> None:
    """Add one answer to the cache file (best effort: a read-only home only costs time)."""
    import tempfile

    from warmcall.privacy import private_folder

    cached = _cache()
    cached[key] = value
    path = _cache_path()
    if path is None:
        return
    try:
        private_folder(path.parent)  # 0700, like every folder warmcall makes
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".holidays-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(cached, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass


def holiday(
    country: str | None, day: date, language: str = "en", region: str | None = None
) -> str | None:
    """The name of the public holiday on ``day`` in ``country`` — or in its ``region`` (ISO
    3166-2, ES-MD: Madrid's holidays too), when the region is the country's — or None."""
    if not country:
        return None
    lang = {"en": "en_US", "es": "es"}.get(language, language)
    country = country.upper()
    subdiv = region[3:] if region and region[:3] == country + "-" else ""
    return _holidays(country, day.year, lang, subdiv).get(day)


def holiday_place(country: str | None, day: date, region: str | None) -> str | None:
    """Where the holiday on ``day`` is kept: the ``region`` when the country does not keep
    it (Madrid's 7 Dec 2026), else the ``country``."""
    if region and holiday(country, day) is None:
        return region
    return country


def user_day_off(day: date, config: Config) -> Problem | None:
    """Why ``day`` is not a working day for the user, or None when it is one: a weekday they
    do not work (``not-a-working-day``, its ``weekday``) or one of their own public holidays
    (``holiday``, its ``name`` and the ``country`` of their region; with its subdivision's:
    ES-MD)."""
    if day.isoweekday() not in config.windows.working_days:
        return Problem("not-a-working-day", {"weekday": day.isoweekday()})
    name = holiday(config.phone_region, day, config.language, config.subdivision)
    return Problem("holiday", {"name": name, "country": config.phone_region}) if name else None


# --- when -----------------------------------------------------------------------------------


def _overlap(a: Sequence[Slot], b: Sequence[Slot]) -> list[Slot]:
    """The times in both lists of periods (each sorted, none overlapping another)."""
    out: list[Slot] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _intersect(a: Sequence[Range], b: Sequence[Range]) -> tuple[tuple[time, time], ...]:
    out: list[tuple[time, time]] = []
    for x in a:
        for y in b:
            start, end = max(x.start, y.start), min(x.end, y.end)
            if start < end:
                out.append((start, end))
    return tuple(sorted(out))


class Calendar:
    """The lawful periods of leads under one configuration, with what they share cached."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.user_zone = config.zone
        self.region = config.phone_region  # read once: it may ask the environment
        self._hours: dict[tuple[str, str, date | None], tuple[tuple[time, time], ...]] = {}
        self._days: dict[tuple[str, str | None, str | None, date], Problem | None] = {}
        # (country, segment, region): the country's profile and the region's, if any
        self._profiles: dict[tuple[str | None, str, str | None], tuple[Profile, Profile | None]]
        self._profiles = {}
        self._merged: dict[tuple[int, int], Profile] = {}
        self._zones: dict[str, ZoneInfo] = {}

    # who and where
    def country(self, lead: Any) -> str | None:
        """The lead's country (``country_of``), with the user's region read once; a planner's
        candidate keeps it (``home``): every rule asks for it, several times a lead."""
        home = getattr(lead, "home", None)
        if home is not None:
            return home  # type: ignore[no-any-return]
        found = lead_country(lead, self.region)
        if found is not None and hasattr(lead, "home"):
            lead.home = found
        return found

    def segment(self, lead: Any) -> str:
        """The lead's segment: its own, else the configured one (``segment_of``)."""
        return segment_of(lead, self.config)

    def lead_region(self, lead: Any) -> str | None:
        """The lead's region (ISO 3166-2): its own, else its phone's area code's (``region_of``)."""
        return region_of(lead, self.country(lead))

    def whereabouts(self, lead: Any) -> Whereabouts:
        """The zones the lead may be in: its own, or every one it could be in (``zones``); the
        planner's candidates carry theirs once resolved, and are not asked again."""
        resolved = getattr(lead, "whereabouts", None)
        if resolved is not None:
            return resolved  # type: ignore[no-any-return]
        return whereabouts(
            getattr(lead, "timezone", None),
            getattr(lead, "phone_e164", None),
            getattr(lead, "country", None),
            getattr(lead, "email", None),
            self.user_zone.key,
            self.region,
            getattr(lead, "zones", None),
        )

    def zones(self, lead: Any) -> tuple[ZoneInfo, ...]:
        """Every zone the lead may be in (one when its zone is known)."""
        return tuple(self._zone(name) for name in self.whereabouts(lead).zones)

    def _zone(self, name: str) -> ZoneInfo:
        if name not in self._zones:
            self._zones[name] = ZoneInfo(name)
        return self._zones[name]

    def zone(self, lead: Any) -> ZoneInfo:
        """The zone the lead's clock is shown in: its own, else the first it could be in."""
        return self.zones(lead)[0]

    def profile(self, lead: Any, at: datetime | date) -> Profile:
        """The lead's rule profile as in force ``at`` (a moment, or the lead's local day):
        its country's for its segment, with its region's rules over it where stricter (a
        Florida consumer: us-tcpa and us-fl); a call back-dated to 2025 is judged by 2025's
        rule (``Profile.on``)."""
        from warmcall.compliance.profiles import for_region, stricter

        country, segment = self.country(lead), self.segment(lead)
        region = region_of(lead, country)
        key = (country, segment, region)
        found = self._profiles.get(key)
        if found is None:
            name = profile_name(country, segment, self.config)
            found = self._profiles[key] = (_profile(name), for_region(region, segment))
        base, regional = found
        if base.dated or (regional is not None and regional.dated):
            day = at.astimezone(self.zone(lead)).date() if isinstance(at, datetime) else at
            base = base.on(day)
            regional = regional.on(day) if regional is not None else None
        if regional is None:
            return base
        pair = (id(base), id(regional))
        if pair not in self._merged:
            self._merged[pair] = stricter(base, regional, self.config.rules)
        return self._merged[pair]

    def hours(self, lead: Any, profile: Profile) -> tuple[tuple[time, time], ...]:
        """The lead's window ∩ the profile's calling hours, as local times of a day."""
        window = getattr(lead, "window", None) or "any"
        key = (window, profile.name, profile.since)
        if key not in self._hours:
            self._hours[key] = _intersect(parse_window(window, self.config.windows), profile.hours)
        return self._hours[key]

    def day_off(self, lead: Any, day: date, profile: Profile | None = None) -> Problem | None:
        """Why the lead may not be called on its local ``day`` (``not-a-calling-day``, a
        ``holiday``), or None."""
        profile = profile or self.profile(lead, day)
        country = self.country(lead)
        region = region_of(lead, country)
        key = (profile.name, country, region, day)
        if key not in self._days:
            self._days[key] = self._day_off(profile, country, region, day)
        return self._days[key]

    def _day_off(
        self, profile: Profile, country: str | None, region: str | None, day: date
    ) -> Problem | None:
        weekday = day.isoweekday()
        if weekday not in self.config.windows.working_days or weekday not in profile.days:
            return Problem("not-a-calling-day", {"weekday": weekday, "profile": profile.name})
        if not profile.public_holidays:
            name = holiday(country, day, self.config.language, region)
            if name:
                return Problem("holiday", {"name": name, "country": country, "date": day})
        return None

    # the periods
    def periods(self, lead: Any, day: date) -> list[Slot]:
        """The lawful calling periods of the lead on its local ``day`` (aware, in its zone).
        A lead of unknown zone: the times lawful in every zone it could be in, that begin
        on ``day`` in the first of them."""
        zones = self.zones(lead)
        if len(zones) == 1:
            return self._periods(lead, day, zones[0])
        start = local_datetime(day, time(0), zones[0])
        end = local_datetime(day + timedelta(days=1), time(0), zones[0])
        return [(s, e) for s, e in self.between(lead, start, end) if start <= s < end]

    def _periods(self, lead: Any, day: date, zone: ZoneInfo) -> list[Slot]:
        profile = self.profile(lead, day)
        if self.day_off(lead, day, profile) is not None:
            return []
        out: list[Slot] = []
        for start, end in self.hours(lead, profile):
            s, e = local_datetime(day, start, zone), local_datetime(day, end, zone)
            if s < e:
                out.append((s, e))
        return out

    def between(self, lead: Any, start: datetime, end: datetime) -> Iterator[Slot]:
        """Every lawful period that ends after ``start`` and begins before ``end`` (whole,
        not clipped), in order. For a lead of unknown zone, a period is a time lawful in
        every zone it could be in: the overlap of each zone's periods."""
        zones = self.zones(lead)
        if len(zones) == 1:
            yield from self._between(lead, start, end, zones[0])
            return
        common: list[Slot] | None = None
        wide = timedelta(days=1)  # whole periods at both ends, in every zone
        for zone in zones:
            spans = list(self._between(lead, start - wide, end + wide, zone))
            common = spans if common is None else _overlap(common, spans)
            if not common:
                return
        for s, e in common or ():
            if e > start and s < end:
                yield s, e

    def _between(self, lead: Any, start: datetime, end: datetime, zone: ZoneInfo) -> Iterator[Slot]:
        day = start.astimezone(zone).date() - timedelta(days=1)
        last = end.astimezone(zone).date()
        while day <= last:
            for s, e in self._periods(lead, day, zone):
                if e > start and s < end:
                    yield s, e
            day += timedelta(days=1)

    def next_opening(
        self, lead: Any, after: datetime, horizon_days: int = HORIZON_DAYS
    ) -> Slot | None:
        """The first lawful period not ended at ``after`` (it may be open at ``after``)."""
        return next(self.between(lead, after, after + timedelta(days=horizon_days)), None)

    def window_may_be_open(
        self, window: str | None, zones: Sequence[str], moment: datetime
    ) -> bool:
        """Whether ``moment`` lies inside ``window`` in every one of ``zones``: the most a lead
        of that window and those zones can be open then (the calling hours, days and holidays
        only narrow it). The plan's SQL bound asks it once per window and set of zones; a
        window it cannot read may be open, as far as it knows."""
        try:
            ranges = parse_window(window, self.config.windows)
        except InvalidData:
            return True
        for name in zones:
            zone = self._zone(name)
            today = moment.astimezone(zone).date()
            if not any(
                local_datetime(day, r.start, zone) <= moment < local_datetime(day, r.end, zone)
                for day in (today - timedelta(days=1), today, today + timedelta(days=1))
                for r in ranges
            ):
                return False
        return True

    def is_open(self, lead: Any, moment: datetime) -> bool:
        found = self.next_opening(lead, moment, horizon_days=1)
        return found is not None and found[0] <= moment < found[1]

    # the rules
    def standing(self, lead: Any, at: datetime, profile: Profile | None = None) -> list[Problem]:
        """What forbids any call to the lead, whatever the hour: do not call, a wrong number,
        its number on a do-not-call registry (``lead.listed``: the lists found by the store),
        a consent the profile in force ``at`` does not accept."""
        profile = profile or self.profile(lead, at)
        problems: list[Problem] = []
        if str(getattr(lead, "status", "active")) == "dnc":
            problems.append(Problem("do-not-call"))
        if getattr(lead, "phone_flag", None) == "wrong-number":
            problems.append(Problem("wrong-number"))
        problems += listed_problems(getattr(lead, "listed", None) or ())
        held = in_force(lead, at, profile)
        consent = held.consent
        if held.expired_at is not None and not profile.accepts(consent):
            given = held.record
            problems.append(
                Problem(
                    "consent-expired",
                    {
                        "consent": given.consent if given else consent,
                        "profile": profile.name,
                        "given": given.at if given else None,
                        "expired": held.expired_at,
                        "by": held.by,
                        "days": held.days,
                    },
                )
            )
        elif not profile.accepts(consent):
            problems.append(
                Problem(
                    "consent-not-accepted",
                    {
                        "consent": consent,
                        "given": held.record.at if held.record else None,
                        "profile": profile.name,
                        "law": profile.law,
                        "since": profile.since,
                    },  # law/since: the dated rule, if one says so
                )
            )
        return problems

    def resting(
        self,
        lead: Any,
        moment: datetime,
        history: History,
        profile: Profile | None = None,
        cadence: bool = True,
    ) -> list[Problem]:
        """What of the history forbids a call at ``moment``: a refusal's rest, the frequency
        limit (``over_frequency``: the profile's, else ``[rules]``), the rest after an
        unanswered dial. A rest the profile leaves at 0 is ``[rules]``'s, unless ``cadence`` is
        False (the planner, which says that rest in its own words)."""
        profile = profile or self.profile(lead, moment)
        rules = self.config.rules
        problems: list[Problem] = []
        if history.refused_at is not None:
            days = profile.refusal_rest_days or rules.not_interested_rest_days
            until = history.refused_at + timedelta(days=days)
            if history.refused_at <= moment < until:
                problems.append(
                    Problem(
                        "resting",
                        {"why": "refusal", "days": days, "profile": profile.name},
                        until,
                    )
                )
        limit = frequency_limit(profile, rules)
        over = (
            None if limit is None else over_frequency(history.dials, moment, limit, self.zone(lead))
        )
        if limit is not None and over is not None:
            source = limit.profile or "[rules]"
            problems.append(
                Problem(
                    "over-frequency",
                    {"dials": over.dials, "days": limit.days, "max": limit.most,
                     "profile": source, "cadence": limit.profile is None},
                    over.until,
                )
            )  # fmt: skip
        for most, days in profile.also:  # a region's limit beside it (us-fl: 3 in 2 days)
            extra = over_frequency(history.dials, moment, Frequency(most, days), self.zone(lead))
            if extra is not None and not any(p.code == "over-frequency" for p in problems):
                problems.append(
                    Problem(
                        "over-frequency",
                        {"dials": extra.dials, "days": days, "max": most,
                         "profile": profile.name, "cadence": False},
                        extra.until,
                    )
                )  # fmt: skip
        hours = profile.rest_hours_after_unanswered or (
            rules.rest_hours_after_unanswered if cadence else 0
        )
        last = history.last_unanswered_at
        if last is not None and hours:
            until = last + timedelta(hours=hours)
            if last <= moment < until:
                problems.append(
                    Problem(
                        "resting",
                        {"why": "unanswered", "hours": hours},
                        until,
                    )
                )
        return problems

    def timing(self, lead: Any, moment: datetime, profile: Profile | None = None) -> list[Problem]:
        """What of the clock forbids a call at ``moment``: the day, a holiday, the calling
        hours, the lead's window — each in the lead's zone, or in any zone it could be in
        when its zone is unknown (each problem once, as the first such zone finds it)."""
        profile = profile or self.profile(lead, moment)
        problems: list[Problem] = []
        zones = self.zones(lead)
        # zone unknown: a time is read in one of the zones it could be in, which are named
        could_be = tuple(z.key for z in zones) if len(zones) > 1 else ()
        for zone in zones:
            seen = {p.code for p in problems}
            found = self._timing(lead, moment, profile, zone, could_be)
            problems += [p for p in found if p.code not in seen]
        return problems

    def _timing(
        self,
        lead: Any,
        moment: datetime,
        profile: Profile,
        zone: ZoneInfo,
        could_be: tuple[str, ...] = (),
    ) -> list[Problem]:
        local = moment.astimezone(zone)
        day = local.date()
        problems: list[Problem] = []
        off = self.day_off(lead, day, profile)
        if off is not None:
            country = self.country(lead)
            region = region_of(lead, country)
            name = (
                None
                if profile.public_holidays
                else holiday(country, day, self.config.language, region)
            )
            weekday = day.isoweekday()
            calling_day = weekday in self.config.windows.working_days and weekday in profile.days
            if not calling_day:
                problems.append(
                    Problem("not-a-calling-day", {"weekday": weekday, "profile": profile.name})
                )
            if name:
                problems.append(
                    Problem(
                        "holiday",
                        # country: where it is kept, the region for a regional one (ES-MD)
                        {"name": name, "country": holiday_place(country, day, region),
                         "date": day},
                    )
                )  # fmt: skip
        clock = local.time().replace(tzinfo=None)
        if not any(r.start <= clock < r.end for r in profile.hours):
            hours = ", ".join(str(r) for r in profile.hours)
            problems.append(
                Problem(
                    "outside-hours",
                    {"local": local, "hours": hours, "profile": profile.name}
                    | ({"could_be": could_be} if could_be else {}),
                )
            )
        window = getattr(lead, "window", None) or "any"
        ranges = parse_window(window, self.config.windows)
        if not any(r.start <= clock < r.end for r in ranges):
            problems.append(
                Problem(
                    "outside-window",
                    {"local": local, "window": window}
                    | ({"could_be": could_be} if could_be else {}),
                )
            )
        return problems

    def may_call(
        self, lead: Any, moment: datetime, history: History | None = None
    ) -> list[Problem]:
        """Every reason not to call the lead at ``moment``; an empty list means go ahead."""
        profile = self.profile(lead, moment)
        problems = self.standing(lead, moment, profile) + self.timing(lead, moment, profile)
        if history is not None:
            problems += self.resting(lead, moment, history, profile)
        return problems


# --- one-call conveniences ------------------------------------------------------------------


def lawful_periods(lead: Any, day: date, config: Config) -> list[Slot]:
    """The lawful calling periods of the lead on its local ``day``."""
    return Calendar(config).periods(lead, day)


def lawful_between(lead: Any, start: datetime, end: datetime, config: Config) -> list[Slot]:
    """The lawful periods of the lead that overlap ``[start, end)``."""
    return list(Calendar(config).between(lead, start, end))


def next_opening(
    lead: Any, after: datetime, config: Config, horizon_days: int = HORIZON_DAYS
) -> Slot | None:
    """The lead's first lawful period not ended at ``after`` (may be open), within the horizon."""
    return Calendar(config).next_opening(lead, after, horizon_days)


def may_call(
    lead: Any, moment: datetime, config: Config, history: History | None = None
) -> list[Problem]:
    """Every reason not to call the lead at ``moment`` (empty: it may be called)."""
    return Calendar(config).may_call(lead, moment, history)
