"""WHEN: the dates and times a salesperson types, read relative to a given moment.

``tomorrow 10:00``, ``fri 12:30``, ``next week``, ``+3d``, ``-2h``, ``in 3 days``,
``2026-12-01 08:15``, ``12/01 9am``; English and Spanish day words. Anything python-dateutil
reads works too. Weekday names mean the next such day after the base day; ``last fri`` looks
back. A result without a time of day says so (``has_time``), so a follow-up agreed for
"thursday" is due that day, not at midnight.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from warmcall.errors import InvalidData

WEEKDAYS = {
    "mon": 0, "monday": 0, "lun": 0, "lunes": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "mar": 1, "martes": 1,
    "wed": 2, "wednesday": 2, "mie": 2, "mié": 2, "miercoles": 2, "miércoles": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "jue": 3, "jueves": 3,
    "fri": 4, "friday": 4, "vie": 4, "viernes": 4,
    "sat": 5, "saturday": 5, "sab": 5, "sáb": 5, "sabado": 5, "sábado": 5,
    "sun": 6, "sunday": 6, "dom": 6, "domingo": 6,
}  # fmt: skip
DAY_WORDS = {
    "today": 0, "hoy": 0, "tomorrow": 1, "tmrw": 1, "mañana": 1, "manana": 1,
    "yesterday": -1, "ayer": -1, "pasado mañana": 2, "pasado manana": 2,
}  # fmt: skip
UNITS = {
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes",
    "minutes": "minutes", "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours",
    "hours": "hours", "d": "days", "day": "days", "days": "days", "w": "weeks",
    "wk": "weeks", "week": "weeks", "weeks": "weeks",
}  # fmt: skip

_REL = re.compile(r"^([+-])\s*(\d+)\s*([a-z]+)$")
_IN = re.compile(r"^in\s+(\d+)\s*([a-z]+)$")
_AGO = re.compile(r"^(\d+)\s*([a-z]+)\s+ago$")
_TIME = re.compile(r"^(?:at\s+|a las\s+)?(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h)?$")


@dataclass(frozen=True)
class When:
    at: datetime  # aware, in the zone it was read in
    has_time: bool


def parse_when(text: str, base: datetime, zone: ZoneInfo, dayfirst: bool = False) -> When:
    """Read ``text`` relative to ``base`` (aware) in ``zone``; InvalidData if unreadable."""
    raw = " ".join(text.strip().lower().split())
    local = base.astimezone(zone)
    if not raw:
        raise _unreadable(text)
    if raw == "now":
        return When(local, True)
    if found := _relative(raw, local):
        return found
    if found := _day_word(raw, local, zone):
        return found
    return _iso(text.strip(), zone) or _dateutil(text, local, zone, dayfirst)


def _iso(text: str, zone: ZoneInfo) -> When | None:
    """ISO 8601 first, so ``2026-12-01`` is never read day-first."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        return When(parsed.astimezone(zone), True)
    has_time = len(text) > 10
    return When(_at(parsed.date(), parsed.time() if has_time else None, zone), has_time)


def _relative(raw: str, local: datetime) -> When | None:
    sign, number, unit = 1, None, None
    if m := _REL.match(raw):
        sign = -1 if m.group(1) == "-" else 1
        number, unit = m.group(2), m.group(3)
    elif m := _IN.match(raw):
        number, unit = m.group(1), m.group(2)
    elif m := _AGO.match(raw):
        sign, number, unit = -1, m.group(1), m.group(2)
    if number is None or unit not in UNITS:
        return None
    delta = timedelta(**{UNITS[unit]: sign * int(number)})
    moved = (local.astimezone(ZoneInfo("UTC")) + delta).astimezone(local.tzinfo)
    if UNITS[unit] in ("days", "weeks"):  # calendar days keep the wall-clock time across DST
        moved = (local.replace(tzinfo=None) + delta).replace(tzinfo=local.tzinfo)
    return When(moved, True)


def _day_word(raw: str, local: datetime, zone: ZoneInfo) -> When | None:
    day: date | None = None
    rest = raw
    for word, offset in sorted(DAY_WORDS.items(), key=lambda kv: -len(kv[0])):
        if raw == word or raw.startswith(word + " "):
            day = local.date() + timedelta(days=offset)
            rest = raw[len(word) :].strip()
            break
    if day is None and raw in ("next week", "la semana que viene", "la próxima semana"):
        return When(_at(local.date() + timedelta(days=7 - local.weekday()), None, zone), False)
    if day is None:
        words = raw.split(" ", 2)
        direction = 1
        if words[0] in ("next", "this", "el", "el próximo", "próximo", "proximo"):
            words = words[1:]
        elif words[0] in ("last", "pasado"):
            direction = -1
            words = words[1:]
        if not words or words[0].rstrip(".,") not in WEEKDAYS:
            return None
        target = WEEKDAYS[words[0].rstrip(".,")]
        if direction > 0:
            ahead = (target - local.weekday()) % 7 or 7
        else:
            ahead = -((local.weekday() - target) % 7 or 7)
        day = local.date() + timedelta(days=ahead)
        rest = " ".join(words[1:]).strip()
    if not rest:
        return When(_at(day, None, zone), False)
    clock = _clock(rest)
    if clock is None:
        return None
    return When(_at(day, clock, zone), True)


def _clock(rest: str) -> time | None:
    m = _TIME.match(rest)
    if not m:
        return None
    hour, minute, suffix = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _at(day: date, clock: time | None, zone: ZoneInfo) -> datetime:
    from warmcall.plan.windows import local_datetime

    return local_datetime(day, clock or time(0, 0), zone)


def _dateutil(text: str, local: datetime, zone: ZoneInfo, dayfirst: bool) -> When:
    from dateutil import parser

    base_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        first = parser.parse(text, default=base_day.replace(tzinfo=None), dayfirst=dayfirst)
        probe = parser.parse(
            text,
            default=base_day.replace(hour=13, minute=17, second=0, tzinfo=None),
            dayfirst=dayfirst,
        )
    except (ValueError, OverflowError, parser.ParserError):
        raise _unreadable(text) from None
    has_time = first.hour == probe.hour  # the probe's 13:17 shows through where no time was typed
    if first.tzinfo is not None:
        return When(first.astimezone(zone), True)
    return When(_at(first.date(), first.time() if has_time else None, zone), has_time)


def _unreadable(text: str) -> InvalidData:
    return InvalidData(
        f"Cannot read {text!r} as a date or time; try 'tomorrow 10:00', 'fri 12:30', "
        "'2026-12-01 08:15' or '+3d'."
    )
