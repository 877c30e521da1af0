"""The settings every rule reads (where their file lives: ``places``).

Every coefficient and rule of the plan, the windows' hours and the report's week lives here
with the SPEC's default; a TOML file in the user config directory overrides any of them.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from warmcall.errors import ConfigError, Word
from warmcall.places import (  # noqa: F401 - where the files are, re-exported
    APP_NAME,
    config_dir,
    config_path,
    data_dir,
    default_db_path,
    home,
)


@dataclass
class Windows:
    early: str = "07:30-09:00"
    midday: str = "12:00-14:00"
    any: str = "09:00-18:00"
    # ISO weekday numbers (1 = Monday) on which windows open.
    working_days: list[int] = field(default_factory=lambda: [1, 2, 3, 4, 5])


@dataclass
class Rules:
    max_attempts: int = 3  # dials within attempts_days that make a lead rest
    attempts_days: int = 14
    rest_hours_after_unanswered: int = 48
    stale_days: int = 5
    # A not-interested lead (not marked lost) rests this long; a rule profile's refusal rest
    # (fr-b2c: 60 days) overrides it.
    not_interested_rest_days: int = 90


@dataclass
class Score:
    followup_due: float = 10
    followup_overdue: float = 12
    overdue_per_day: float = 0.5
    overdue_max_extra: float = 5
    hot: float = 6
    warm: float = 3
    per_day_since_touch: float = 0.2
    days_cap: int = 30
    stale: float = 2
    never_contacted: float = 4
    never_contacted_fade: float = 0.5
    positive_last: float = 1
    unanswered_each: float = -0.5
    window_open: float = 3
    # The stage part (SPEC §2): sales-, product-, marketing-qualified.
    stage_sql: float = 2
    stage_pql: float = 1.5
    stage_mql: float = 1
    # A lead called without consent on record (b2b flags `none`): shown, worth this much.
    consent_none: float = 0
    # The chance to pick up in the slot (``pickup.estimate``): this many points at certainty.
    pickup: float = 4


SEGMENTS = ("business", "consumer", "sole-trader")


def _segment_map() -> dict[str, dict[str, str]]:
    """The shipped map of country × segment to profile (SPEC §7): consumers in Spain, France
    and the United States under their country's consumer rules. Spain's right not to receive
    unwanted calls (Ley 11/2022 art. 66.1.b) protects every natural person, so a sole trader
    too; TCPA protects residential and mobile subscribers, which a sole trader's line often
    is. A region's own profile (us-fl) adds its rules over these."""
    return {
        "ES": {"consumer": "es-b2c", "sole-trader": "es-b2c"},
        "FR": {"consumer": "fr-b2c"},
        "US": {"consumer": "us-tcpa", "sole-trader": "us-tcpa"},
    }


@dataclass
class Compliance:
    # The rule profile (SPEC §7): b2b, es-b2c, fr-b2c, us-tcpa, or a file of the user's in
    # <config dir>/profiles/NAME.toml.
    profile: str = "b2b"
    # A profile per lead country where it differs (ISO alpha-2 to profile: FR = "fr-b2c").
    countries: dict[str, str] = field(default_factory=dict)
    # The segment of a lead that names none: business, consumer or sole-trader.
    segment: str = "business"
    # A profile per country and segment, over ``countries`` and ``profile``; a country the
    # file names replaces that country's shipped map (ES = {} drops it).
    segments: dict[str, dict[str, str]] = field(default_factory=_segment_map)


@dataclass
class Report:
    week_start: str = "monday"


@dataclass
class User:
    """The caller: scripts introduce them and sign the e-mail with these."""

    name: str | None = None
    company: str | None = None
    signature: str | None = None  # the e-mail's closing lines (default: name and company)
    phone: str | None = None  # the callback number a voicemail leaves
    hours: str | None = None  # your own working hours, HH:MM-HH:MM in your zone
    # How many calls you make in an hour: the plan puts no more in any hour of your day.
    # None: learned from your own calls (your pace from one dial to the next), else 10.
    dials_per_hour: int | None = None
    # Who is calling, on a team's store (SPEC §8): the name each call, follow-up and edit
    # records, and whose leads ``next`` plans (default: the system's user name; --rep and
    # WARMCALL_REP override it).
    rep: str = ""


@dataclass
class Scripts:
    agreed_call_minutes: int = 30  # how long an agreed call keeps the caller busy


@dataclass
class Imports:
    # The most characters one CSV cell may hold: a longer one is a rejected line (a quote
    # left open reads up to here before it is found).
    max_cell: int = 1_048_576


MOST_CELL = 2**31 - 1  # the csv module's limit is a C long


@dataclass
class Config:
    timezone: str = ""  # IANA name; empty means the system's zone (TZ honoured)
    region: str = ""  # default phone region (ISO 3166 alpha-2); empty: from locale or zone
    dayfirst: bool | None = None  # ambiguous dates like 03/04; None: from the locale
    language: str = "en"
    windows: Windows = field(default_factory=Windows)
    rules: Rules = field(default_factory=Rules)
    score: Score = field(default_factory=Score)
    report: Report = field(default_factory=Report)
    user: User = field(default_factory=User)
    scripts: Scripts = field(default_factory=Scripts)
    compliance: Compliance = field(default_factory=Compliance)
    imports: Imports = field(default_factory=Imports)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone or system_timezone())

    @property
    def rep(self) -> str:
        """The rep who is calling: ``[user] rep``, else the system's user name."""
        return self.user.rep.strip() or system_user()

    @property
    def phone_region(self) -> str | None:
        """The user's country (``region`` may name a subdivision: ES-MD is in ES)."""
        return (
            self.region[:2] or locale_region() or zone_region(self.zone.key) or ""
        ).upper() or None

    @property
    def subdivision(self) -> str | None:
        """The user's own region when ``region`` names one (ES-MD): their regional holidays."""
        return self.region.upper() if len(self.region) > 2 else None

    @property
    def day_first(self) -> bool:
        if self.dayfirst is not None:
            return self.dayfirst
        region = self.phone_region
        return region not in {"US", "CA", "PH"} if region else False


def load(path: Path | None = None) -> Config:
    """Read the TOML file (if any) over the defaults; unknown keys are an error."""
    path = path or config_path()
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            "Cannot read the configuration file {path}: {exc}.", path=path, exc=exc
        ) from None
    config = _merge(Config(), data, str(path), "")
    countries: dict[str, str] = {}
    for country, name in config.compliance.countries.items():
        if len(country) != 2 or not country.isalpha() or not isinstance(name, str):
            raise ConfigError(
                "{path}: compliance.countries.{country} must map a two-letter country "
                "code to a profile name, not {name!r}.",
                path=path,
                country=country,
                name=name,
            )
        countries[country.upper()] = name
    config.compliance.countries = countries
    config.compliance.segments = _segments(data, str(path))
    if config.timezone:
        try:
            ZoneInfo(config.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                "{path}: timezone {timezone!r} is not an IANA time zone.",
                path=path,
                timezone=config.timezone,
            ) from None
    _validate(config, str(path))
    return config


def _segments(data: dict[str, Any], source: str) -> dict[str, dict[str, str]]:
    """``[compliance.segments]`` over the shipped map: each country the file names replaces
    that country's map; every key checked (a country code, a segment, a profile name)."""
    merged = _segment_map()
    given = data.get("compliance", {}).get("segments", {}) if isinstance(data, dict) else {}
    for country, table in given.items():
        key = f"compliance.segments.{country}"
        if len(country) != 2 or not country.isalpha() or not isinstance(table, dict):
            raise ConfigError(
                "{source}: {key} must map a two-letter country code to a table of segments "
                'and profiles, like {{ consumer = "es-b2c" }}.',
                source=source,
                key=key,
            )
        for segment, name in table.items():
            if segment not in SEGMENTS or not valid_profile_name(name):
                raise ConfigError(
                    "{source}: {key}.{segment} must map a segment ({segments}) to a profile "
                    "name, not {name!r}.",
                    source=source,
                    key=key,
                    segment=segment,
                    segments=", ".join(SEGMENTS),
                    name=name,
                )
        merged[country.upper()] = dict(table)
    return merged


# ISO 3166-2: a country's two letters, a hyphen, up to three letters or digits (ES-MD, US-FL).
SUBDIVISION = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")


def valid_region(value: str) -> bool:
    """Whether ``value`` (upper-cased) is a country (ES) or an ISO 3166-2 subdivision (ES-MD)."""
    code = value.upper()
    return (len(code) == 2 and code.isalpha()) or SUBDIVISION.fullmatch(code) is not None


LANGUAGES = ("en", "es")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _validate(config: Config, source: str) -> None:
    """Every value within what the rules can use, checked when the file is read, so a bad one
    is one sentence naming the file and the key, not a failure later in ``next``."""
    from warmcall.errors import InvalidData
    from warmcall.localtime.windows import parse_window

    def bad(key: str, value: Any, should: Word) -> ConfigError:
        return ConfigError(
            "{source}: {key} = {toml_value} {should}.",
            source=source,
            key=key,
            toml_value=_toml_value(value),
            should=should,
        )

    if config.language not in LANGUAGES:
        raise bad("language", config.language, Word("is not a language warmcall speaks (en or es)"))
    if config.region and not valid_region(config.region):
        raise bad(
            "region",
            config.region,
            Word("is not a country code like ES or a region like ES-MD (ISO 3166-2)"),
        )
    if config.compliance.segment not in SEGMENTS:
        raise bad(
            "compliance.segment",
            config.compliance.segment,
            Word("is not a segment (business, consumer or sole-trader)"),
        )
    for name in ("early", "midday", "any"):
        try:
            parse_window(name, config.windows)
        except InvalidData:
            raise bad(
                f"windows.{name}",
                getattr(config.windows, name),
                Word("is not a range of hours like 07:30-09:00"),
            ) from None
    days = config.windows.working_days
    if not days or any(type(d) is not int or not 1 <= d <= 7 for d in days):
        raise bad(
            "windows.working_days", days, Word("must list ISO day numbers from 1 (Monday) to 7")
        )
    for f in fields(config.rules):
        value = getattr(config.rules, f.name)
        if value < 0:
            raise bad(f"rules.{f.name}", value, Word("cannot be negative"))
    for f in fields(config.score):
        value = getattr(config.score, f.name)
        if not math.isfinite(value):
            raise bad(f"score.{f.name}", value, Word("must be a finite number"))
        if f.name == "days_cap" and value < 0:
            raise bad(f"score.{f.name}", value, Word("cannot be negative"))
    if config.user.hours is not None:
        try:
            user_hours(config)
        except InvalidData:
            raise bad(
                "user.hours", config.user.hours, "is not a range of hours like 08:00-19:00"
            ) from None
    rate = config.user.dials_per_hour
    if rate is not None and (type(rate) is not int or not 1 <= rate <= 600):
        should = Word("must be a whole number of calls from 1 to 600")
        raise bad("user.dials_per_hour", rate, should)
    if not valid_profile_name(config.compliance.profile):
        raise bad(
            "compliance.profile",
            config.compliance.profile,
            Word("is not a profile name (letters, digits and -)"),
        )
    for country, name in config.compliance.countries.items():
        if not valid_profile_name(name):
            raise bad(
                f"compliance.countries.{country}",
                name,
                Word("is not a profile name (letters, digits and -)"),
            )
    if type(config.imports.max_cell) is not int or not 1 <= config.imports.max_cell <= MOST_CELL:
        raise bad(
            "imports.max_cell",
            config.imports.max_cell,
            Word("must be a number of characters from 1 to 2147483647"),
        )
    start = config.report.week_start.strip().lower()
    if not any(start in (day, day[:3]) for day in DAY_NAMES):
        raise bad("report.week_start", config.report.week_start, Word("is not a day of the week"))


# A rule profile's name is a plain name: never a path that reaches outside the profiles folder
# (``../../x`` would read any .toml).
PROFILE_NAME = re.compile(r"[A-Za-z0-9-]+")


def valid_profile_name(name: object) -> bool:
    return isinstance(name, str) and PROFILE_NAME.fullmatch(name) is not None


def user_hours(config: Config) -> tuple[time, time] | None:
    """``[user] hours`` as the start and end of the user's working day, or None when unset."""
    if not config.user.hours:
        return None
    from warmcall.localtime.windows import parse_range

    found = parse_range(config.user.hours.strip(), config.user.hours)
    return found.start, found.end


def _merge(obj: Any, data: dict[str, Any], source: str, prefix: str) -> Any:
    known = {f.name: f for f in fields(obj)}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(
                "{source}: unknown setting {prefix}{key!r}.", source=source, prefix=prefix, key=key
            )
        current = getattr(obj, key)
        if is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(
                    "{source}: [{prefix}{key}] must be a table.",
                    source=source,
                    prefix=prefix,
                    key=key,
                )
            _merge(current, value, source, f"{prefix}{key}.")
        else:
            expected = _TYPES[str(known[key].type)]
            if expected is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ConfigError(
                    "{source}: {prefix}{key} must be {kind}, not {value!r}.",
                    source=source,
                    kind=_TYPE_WORDS[expected],
                    prefix=prefix,
                    key=key,
                    value=value,
                )
            setattr(obj, key, value)
    return obj


# An example value for a setting that is unset by default, when empty text would not fit it.
_UNSET = {"user.dials_per_hour": "10"}

# What each setting means, for the file ``config init`` writes: one line per key, by its
# dotted name. A test checks that every setting has its line.
COMMENTS = {
    "timezone": "your IANA time zone, e.g. Europe/Madrid (empty: the system's, TZ honoured)",
    "region": "country of numbers typed without a code, e.g. ES, or your region, e.g. ES-MD "
    "(its holidays are your days off; empty: from locale or zone)",
    "dayfirst": "true reads 03/04 as 3 April (unset: from your region)",
    "language": "the interface and the scripts: en or es",
    "windows": "call windows, in each lead's own time zone",
    "windows.early": "before the working day, when owners and managers pick up",
    "windows.midday": "the lunch break",
    "windows.any": "the working day",
    "windows.working_days": "days windows open: ISO numbers, 1 = Monday",
    "rules": "who rests: leads beyond these limits are left out of the plan",
    "rules.max_attempts": "this many dials within attempts_days make a lead rest",
    "rules.attempts_days": "the days those dials are counted over",
    "rules.rest_hours_after_unanswered": "hours a lead rests after an unanswered dial",
    "rules.stale_days": "days without a touch that make an active lead stale",
    "rules.not_interested_rest_days": "days a not-interested lead (not marked lost) rests",
    "score": "points of each part of a lead's score (warmcall next --explain shows them)",
    "score.followup_due": "a follow-up agreed for today",
    "score.followup_overdue": "a follow-up past its time",
    "score.overdue_per_day": "more for each day late",
    "score.overdue_max_extra": "at most this much more for lateness",
    "score.hot": "a hot lead",
    "score.warm": "a warm lead",
    "score.per_day_since_touch": "per day since the last touch",
    "score.days_cap": "days since the last touch count up to this many",
    "score.stale": "an active lead quiet for more than rules.stale_days",
    "score.never_contacted": "a lead never contacted since it was added",
    "score.never_contacted_fade": "less of that for each day since it was added",
    "score.positive_last": "the last conversation went well (meeting, callback, connected)",
    "score.unanswered_each": "each unanswered dial in attempts_days",
    "score.window_open": "the lead's window is open now",
    "score.stage_sql": "a sales-qualified lead",
    "score.stage_pql": "a product-qualified lead",
    "score.stage_mql": "a marketing-qualified lead",
    "score.consent_none": "a lead with no consent on record (b2b flags it)",
    "score.pickup": "points at a certain pickup in the slot, as learned from the record",
    "report": "warmcall report",
    "report.week_start": "the first day of a report's week",
    "user": "you: the scripts introduce you and sign the e-mail",
    "user.name": "your name",
    "user.company": "your company",
    "user.signature": "the e-mail's closing lines (empty: your name and company)",
    "user.phone": "the number a voicemail leaves for calling you back",
    "user.hours": "your own working hours, e.g. 08:00-19:00: calls outside them are shown apart",
    "user.dials_per_hour": "calls you make in an hour: no hour of the plan holds more "
    "(unset: learned from your calls, else 10)",
    "user.rep": "who is calling, on a team's store (default: your system user name)",
    "scripts": "warmcall script",
    "scripts.agreed_call_minutes": "how long an agreed call keeps you busy",
    "compliance": "calling rules: hours, days, frequency, consent (README: staying within "
    "the rules)",
    "compliance.profile": "b2b, es-b2c, fr-b2c, us-tcpa, or your own profiles/NAME.toml",
    "compliance.countries": 'a profile per lead country, e.g. { FR = "fr-b2c" }',
    "compliance.segment": "the segment of a lead that names none: business, consumer or "
    "sole-trader",
    "compliance.segments": "a profile per country and segment, over countries, e.g. "
    '{ ES = { consumer = "es-b2c" } }',
    "imports": "warmcall lead import and call import",
    "imports.max_cell": "the most characters one CSV cell may hold (a longer one is rejected)",
}


def to_toml(config: Config, comments: bool = False) -> str:
    """The settings as a TOML file that ``load`` reads back (every key, with its value);
    with ``comments``, each key says what it means above it."""

    from textwrap import wrap

    def said(key: str) -> list[str]:  # each comment fits 80 columns, over as many lines
        return (
            [f"# {line}" for line in wrap(COMMENTS[key], 78)]
            if comments and key in COMMENTS
            else []
        )

    top, tables = [], []
    for f in fields(config):
        value = getattr(config, f.name)
        if is_dataclass(value):
            body, subtables = [f"[{f.name}]"], []
            for g in fields(value):
                current = getattr(value, g.name)
                if (
                    isinstance(current, dict)
                    and current
                    and all(isinstance(v, dict) for v in current.values())
                ):  # a map of maps (segments): a table of its own, a line a key, not one long line
                    lines = [f"{k} = {_toml_value(v)}" for k, v in current.items()]
                    head = said(f"{f.name}.{g.name}") + [f"[{f.name}.{g.name}]"]
                    subtables.append("\n" + "\n".join(head + lines) + "\n")
                    continue
                body += said(f"{f.name}.{g.name}")
                example = _UNSET.get(f"{f.name}.{g.name}", '""')
                unset = f"# {g.name} = {example}"
                body.append(f"{g.name} = {_toml_value(current)}" if current is not None else unset)
            tables.append("\n".join(said(f.name) + body) + "\n" + "".join(subtables))
        else:
            line = f"{f.name} = {_toml_value(value)}" if value is not None else f"# {f.name} = true"
            top += said(f.name) + [line]
    return "\n".join(top) + "\n\n" + "\n".join(tables)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


_TYPES: dict[str, type] = {
    "str": str, "int": int, "float": float, "bool": bool, "bool | None": bool, "list[int]": list,
    "str | None": str, "int | None": int,
    "dict[str, str]": dict, "dict[str, dict[str, str]]": dict,
}  # fmt: skip
# What a setting of each type is called in an error.
_TYPE_WORDS: dict[type, Word] = {
    str: Word("text"), int: Word("a whole number"), float: Word("a number"),
    bool: Word("true or false"), list: Word("a list"), dict: Word("a table"),
}  # fmt: skip


def system_timezone() -> str:
    """The machine's IANA zone: ``TZ`` first, then /etc/localtime, else UTC."""
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and valid_zone(tz):
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
        marker = "zoneinfo/"
        if marker in target:
            name = target.split(marker, 1)[1]
            if valid_zone(name):
                return name
    except OSError:
        pass
    try:
        name = Path("/etc/timezone").read_text().strip()
        if valid_zone(name):
            return name
    except OSError:
        pass
    return "UTC"


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def locale_region() -> str | None:
    """The territory of the user's locale (``es_ES.UTF-8`` gives ``ES``)."""
    for var in ("LC_ALL", "LC_TELEPHONE", "LANG"):
        value = os.environ.get(var, "")
        lang = value.split(".", 1)[0]
        if "_" in lang:
            territory = lang.split("_", 1)[1]
            if len(territory) == 2 and territory.isalpha():
                return territory.upper()
    return None


@cache
def zone_region(zone: str) -> str | None:
    """The country of an IANA zone, from the system's zone.tab when it has one line for it."""
    for tab in ("/usr/share/zoneinfo/zone.tab", "/usr/share/zoneinfo/zone1970.tab"):
        try:
            with open(tab, encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("#"):
                        continue
                    parts = line.split("\t")
                    if len(parts) >= 3 and parts[2].strip() == zone and len(parts[0]) == 2:
                        return parts[0]
        except OSError:
            continue
    return None


def system_user() -> str:
    """The system's name for the user running warmcall ('' where it has none)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no LOGNAME and no passwd entry (a bare container)
        return ""
