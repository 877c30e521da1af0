"""Rule profiles (SPEC §7) as data: calling hours and days, frequency limits, consents.

The four shipped profiles live next to this module (``profiles/*.toml``); a user adds or
overrides one with ``<config dir>/profiles/NAME.toml``. A file is read once per process and
checked key by key: a mistake is one sentence naming the file and the key.

A profile's rules may change with the law (SPEC §7, "rules have dates"): a ``[[dated]]`` table
with ``from`` and/or ``until`` (dates; ``until`` is the first day it no longer applies), the
``law`` that sets it, and any of the settings above replaces those settings on the days it
covers. ``Profile.on(day)`` is the rule in force on a day: a call back-dated to 2025 is judged
by 2025's rule.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from warmcall.config import SEGMENTS, SUBDIVISION, Rules
from warmcall.config import valid_profile_name as valid_name
from warmcall.errors import ConfigError
from warmcall.localtime.windows import Range, parse_range
from warmcall.models import Consent

SHIPPED = Path(__file__).resolve().parent / "profiles"
DEFAULT = "b2b"
_CONSENTS = frozenset(str(c) for c in Consent)
# A withdrawn consent is never a basis for a call, whatever a profile lists.
_NEVER = frozenset({str(Consent.REVOKED)})
# How long a consent stays in force after it was given, in days (0: until withdrawn):
# ``consent_valid_days`` for opt-in and form, ``customer_valid_days`` after a purchase,
# ``inquiry_valid_days`` after an inquiry. A customer record that does not say which
# counts under the shorter of the two.
VALIDITY = ("consent_valid_days", "customer_valid_days", "inquiry_valid_days")


@dataclass(frozen=True, slots=True)
class Profile:
    """What one set of rules allows: when, how often, and on which legal basis."""

    name: str
    description: str
    hours: tuple[Range, ...]  # calling hours, in the lead's own zone
    days: frozenset[int]  # ISO weekdays (1 = Monday) on which calls may be made
    public_holidays: bool  # may a call fall on a public holiday of the lead's country?
    # Frequency limits; 0 leaves the configuration's [rules] (the user's cadence) in charge.
    max_attempts: int  # dials ...
    attempts_days: int  # ... within this many days
    rest_hours_after_unanswered: int
    refusal_rest_days: int
    accepted: frozenset[str]  # consents under which a call is lawful
    flagged: frozenset[str]  # accepted, but said in the plan and the script
    source: str  # the file it came from
    consent_valid_days: int = 0  # opt-in and form stay in force this long (0: until revoked)
    customer_valid_days: int = 0  # a customer relationship, after the purchase
    inquiry_valid_days: int = 0  # ... after an inquiry
    law: str | None = None  # the text that sets this version of the rule, when dated
    since: date | None = None  # the first day of this version (None: undated)
    until: date | None = None  # the first day it no longer applies (None: still in force)
    dated: tuple[Profile, ...] = ()  # the dated versions, each with its since/until
    # The do-not-call registries it requires, each with the most days old its list may be
    # (``[registries]``: ``us-dnc = 31``; 0 = not required).
    registries: tuple[tuple[str, int], ...] = ()
    # A region's profile (us-fl): the ISO 3166-2 regions it adds its rules to, and the segments
    # it covers there (empty: every segment). Empty ``regions``: a country's profile.
    regions: frozenset[str] = frozenset()
    segments: frozenset[str] = frozenset()
    # A region's frequency limit (dials, days) checked beside the one above, where neither
    # holds the other (us-fl's 3 in 2 days beside a cadence of 10 in 14).
    also: tuple[tuple[int, int], ...] = ()

    def on(self, day: date) -> Profile:
        """The rule in force on ``day`` (the lead's local day): the dated version that covers
        it, else the undated rule."""
        for version in self.dated:
            if (version.since is None or version.since <= day) and (
                version.until is None or day < version.until
            ):
                return version
        return self

    def accepts(self, consent: str | None) -> bool:
        value = str(consent or "none")
        return value in self.accepted and value not in _NEVER


def user_dir() -> Path:
    from warmcall.config import config_dir

    return config_dir() / "profiles"


def available() -> list[str]:
    """Every profile name: the shipped ones and the user's."""
    names = {p.stem for p in SHIPPED.glob("*.toml")}
    folder = user_dir()
    if folder.is_dir():
        names |= {p.stem for p in folder.glob("*.toml") if valid_name(p.stem)}
    return sorted(names)


class UnknownProfile(ConfigError):
    """A profile name that names no profile (the configuration that named it is the fault)."""


def load_profile(name: str) -> Profile:
    """The profile called ``name``: the user's file in the profiles folder first, then the
    shipped one. A name that is not a plain name (``../../x``) is refused."""
    if not valid_name(name):
        raise UnknownProfile(
            "Rule profile names are plain names (letters, digits and -), not {name!r}.",
            name=name,
        )
    folder = user_dir()
    for path in (folder / f"{name}.toml", SHIPPED / f"{name}.toml"):
        if path.is_file():
            return _read(str(path))
    raise UnknownProfile(
        "Rule profile {name!r} does not exist (known: {known}; add your own as {path}).",
        name=name,
        known=", ".join(available()),
        path=folder / (name + ".toml"),
    )


@cache
def _read(path: str) -> Profile:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            "Cannot read the rule profile {path}: {exc}.", path=path, exc=exc
        ) from None
    return parse_profile(Path(path).stem, data, path)


_KEYS = {
    "description": str,
    "hours": list,
    "days": list,
    "public_holidays": bool,
    "frequency": dict,
    "consent": dict,
    "dated": list,
    "registries": dict,
    "regions": list,
    "segments": list,
}
_DATED = ("from", "until", "law")
_FREQUENCY = ("max_attempts", "attempts_days", "rest_hours_after_unanswered", "refusal_rest_days")


def parse_profile(name: str, data: dict[str, Any], source: str) -> Profile:
    """A profile from a TOML table; every key is checked, unknown ones refused. Each
    ``[[dated]]`` table is the same settings, over the undated ones, between its dates."""
    base = _parse(name, {k: v for k, v in data.items() if k != "dated"}, source)
    versions: list[Profile] = []
    for n, entry in enumerate(data.get("dated", []), 1):
        versions.append(_dated(name, data, entry, source, n))
    return replace(base, dated=tuple(versions))


def _dated(name: str, data: dict[str, Any], entry: Any, source: str, n: int) -> Profile:
    """One dated version (the ``n``-th): the undated settings with the entry's over them."""
    where = f"{source}: dated #{n}"
    if not isinstance(entry, dict):
        raise ConfigError("{where} must be a table, not {entry!r}.", where=where, entry=entry)
    days: dict[str, date | None] = {}
    for key in ("from", "until"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, date) or hasattr(value, "hour")):
            raise ConfigError(
                "{where}: {key} must be a date (2026-08-11), not {value!r}.",
                where=where, key=key, value=value,
            )  # fmt: skip
        days[key] = value
    if days["from"] is None and days["until"] is None:
        raise ConfigError("{where} needs a from or an until date.", where=where)
    if days["from"] and days["until"] and days["until"] <= days["from"]:
        raise ConfigError("{where}: until must come after from.", where=where)
    law = entry.get("law")
    if law is not None and not isinstance(law, str):
        raise ConfigError("{where}: law must be a text, not {law!r}.", where=where, law=law)
    merged = {k: v for k, v in data.items() if k != "dated"}
    for key, value in entry.items():
        if key in _DATED:
            continue
        if key in ("dated", "regions", "segments"):
            raise ConfigError("{where}: a dated rule cannot change {key}.", where=where, key=key)
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = {**merged[key], **value}  # a dated [frequency] keeps what it leaves out
        merged[key] = value
    version = _parse(name, merged, where)
    return replace(version, law=law, since=days["from"], until=days["until"], source=source)


def _parse(name: str, data: dict[str, Any], source: str) -> Profile:
    for key, value in data.items():
        if key not in _KEYS:
            raise ConfigError(
                "{source}: {key} is not a profile setting (known: {known}).",
                source=source, key=key, known=", ".join(_KEYS),
            )  # fmt: skip
        if not isinstance(value, _KEYS[key]):
            raise ConfigError(
                "{source}: {key} must be a {kind}, not {value!r}.",
                source=source, key=key, kind=_KEYS[key].__name__, value=value,
            )  # fmt: skip
    hours: list[Range] = []
    for item in data.get("hours", ["00:00-24:00"]):
        if not isinstance(item, str):
            raise ConfigError(
                "{source}: hours must list HH:MM-HH:MM ranges, not {item!r}.",
                source=source, item=item,
            )  # fmt: skip
        try:
            hours.append(parse_range(item.strip(), item))
        except Exception:
            raise ConfigError(
                "{source}: hours has {item!r}, which is not a HH:MM-HH:MM range.",
                source=source, item=item,
            ) from None  # fmt: skip
    days = data.get("days", [1, 2, 3, 4, 5, 6, 7])
    if not days or any(
        not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= 7 for d in days
    ):
        raise ConfigError(
            "{source}: days must list ISO weekdays 1 (Monday) to 7 (Sunday), not {days!r}.",
            source=source, days=days,
        )  # fmt: skip
    frequency = data.get("frequency", {})
    numbers: dict[str, int] = {}
    for key, value in frequency.items():
        setting = f"frequency.{key}"
        if key not in _FREQUENCY:
            raise ConfigError(
                "{source}: {key} is not a profile setting (known: {known}).",
                source=source, key=setting, known=", ".join(_FREQUENCY),
            )  # fmt: skip
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(
                "{source}: {key} must be a whole number ≥ 0, not {value!r}.",
                source=source, key=setting, value=value,
            )  # fmt: skip
        numbers[key] = value
    consent = data.get("consent", {})
    sets: dict[str, frozenset[str]] = {}
    for key in consent:
        if key not in ("accepted", "flagged", *VALIDITY):
            setting = f"consent.{key}"
            raise ConfigError(
                "{source}: {key} is not a profile setting (known: {known}).",
                source=source, key=setting, known=", ".join(("accepted", "flagged", *VALIDITY)),
            )  # fmt: skip
    validity: dict[str, int] = {}
    for key in VALIDITY:
        value = consent.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            setting = f"consent.{key}"
            raise ConfigError(
                "{source}: {key} must be a whole number of days ≥ 0, not {value!r}.",
                source=source, key=setting, value=value,
            )  # fmt: skip
        validity[key] = value
    for key, default in (("accepted", sorted(_CONSENTS - _NEVER)), ("flagged", [])):
        values = consent.get(key, default)
        if not isinstance(values, list) or any(v not in _CONSENTS for v in values):
            setting = f"consent.{key}"
            raise ConfigError(
                "{source}: {key} must list consents of {known}.",
                source=source, key=setting, known=", ".join(sorted(_CONSENTS)),
            )  # fmt: skip
        sets[key] = frozenset(values)
    registries: dict[str, int] = {}
    for key, value in data.get("registries", {}).items():
        setting = f"registries.{key}"
        if not valid_name(key):
            raise ConfigError(
                "{source}: {key} is not a registry name (robinson, bloctel, us-dnc…).",
                source=source, key=setting,
            )  # fmt: skip
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(
                "{source}: {key} must be a whole number of days ≥ 0, not {value!r}.",
                source=source, key=setting, value=value,
            )  # fmt: skip
        registries[key] = value
    regions = data.get("regions", [])
    if any(not isinstance(r, str) or not SUBDIVISION.fullmatch(r.upper()) for r in regions):
        raise ConfigError(
            "{source}: regions must list ISO 3166-2 regions like US-FL, not {regions!r}.",
            source=source, regions=regions,
        )  # fmt: skip
    segments = data.get("segments", [])
    if any(s not in SEGMENTS for s in segments):
        raise ConfigError(
            "{source}: segments must list segments of {known}, not {segments!r}.",
            source=source, known=", ".join(SEGMENTS), segments=segments,
        )  # fmt: skip
    return Profile(
        name=name,
        description=str(data.get("description", name)),
        hours=tuple(sorted(set(hours), key=lambda r: (r.start, r.end))),
        days=frozenset(days),
        public_holidays=bool(data.get("public_holidays", False)),
        max_attempts=numbers.get("max_attempts", 0),
        attempts_days=numbers.get("attempts_days", 0),
        rest_hours_after_unanswered=numbers.get("rest_hours_after_unanswered", 0),
        refusal_rest_days=numbers.get("refusal_rest_days", 0),
        accepted=sets["accepted"],
        flagged=sets["flagged"],
        source=source,
        registries=tuple(sorted(registries.items())),
        **validity,
        regions=frozenset(r.upper() for r in regions),
        segments=frozenset(segments),
    )


@cache
def regional() -> tuple[Profile, ...]:
    """Every profile that adds its rules to regions (``regions = ["US-FL"]``): the shipped
    ones and the user's, a user's file of the same name in place of the shipped one."""
    return tuple(p for p in (load_profile(n) for n in available()) if p.regions)


def for_region(region: str | None, segment: str) -> Profile | None:
    """The profile a region adds for a segment (us-fl for a Florida consumer), or None."""
    if not region:
        return None
    for profile in regional():
        if region in profile.regions and (not profile.segments or segment in profile.segments):
            return profile
    return None


def stricter(base: Profile, region: Profile, rules: Rules) -> Profile:
    """The rules of ``base`` (a country's profile, as in force) with ``region``'s (a state's)
    over them wherever the region's are stricter (SPEC §7): the hours and days both allow, a
    holiday only where both allow one, the consents both accept, the longer rest, and a
    frequency limit at least as strict as each (a profile's 0 is ``[rules]``'s cadence)."""
    hours = tuple(
        Range(max(a.start, b.start), min(a.end, b.end))
        for a in base.hours
        for b in region.hours
        if max(a.start, b.start) < min(a.end, b.end)
    )
    accepted = base.accepted & region.accepted
    mine, theirs = _limit(base, rules), _limit(region, rules)
    also: tuple[tuple[int, int], ...] = ()
    if mine is None or theirs is None:
        limit = mine or theirs
    elif mine[0] <= theirs[0] and mine[1] >= theirs[1]:
        limit = mine
    elif theirs[0] <= mine[0] and theirs[1] >= mine[1]:
        limit = theirs
    else:  # neither holds the other: both are checked
        limit, also = mine, (theirs,)
    cadence = (rules.max_attempts, rules.attempts_days)
    if not (base.max_attempts and base.attempts_days) and limit == cadence:
        limit = (0, 0)  # [rules] still in charge, said as such
    laws = [x for x in (base.law, region.law) if x]
    return replace(
        base,
        name=f"{base.name}+{region.name}",
        description=f"{base.description}; {region.description}",
        hours=tuple(sorted(set(hours), key=lambda r: (r.start, r.end))),
        days=base.days & region.days,
        public_holidays=base.public_holidays and region.public_holidays,
        max_attempts=limit[0] if limit else 0,
        attempts_days=limit[1] if limit else 0,
        rest_hours_after_unanswered=_longer(
            base.rest_hours_after_unanswered,
            region.rest_hours_after_unanswered,
            rules.rest_hours_after_unanswered,
        ),
        refusal_rest_days=_longer(
            base.refusal_rest_days, region.refusal_rest_days, rules.not_interested_rest_days
        ),
        accepted=accepted,
        flagged=(base.flagged | region.flagged) & accepted,
        also=also,
        law="; ".join(laws) or None,
        since=max((d for d in (base.since, region.since) if d), default=None),
        until=min((d for d in (base.until, region.until) if d), default=None),
        dated=(),
    )


def _longer(base: int, region: int, cadence: int) -> int:
    """The longer of two rests, where 0 is the configuration's ``cadence``; 0 again when the
    cadence is the longer and the base left it in charge."""
    if not base and not region:
        return 0
    longest = max(base or cadence, region or cadence)
    return 0 if not base and longest == cadence else longest


def _limit(profile: Profile, rules: Rules) -> tuple[int, int] | None:
    """A profile's frequency limit as (dials, days): its own, else ``[rules]``'s, else None."""
    if profile.max_attempts and profile.attempts_days:
        return profile.max_attempts, profile.attempts_days
    if rules.max_attempts > 0 and rules.attempts_days > 0:
        return rules.max_attempts, rules.attempts_days
    return None
