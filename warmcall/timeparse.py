"""WHEN: the dates and times a salesperson types, read relative to a given moment.

``tomorrow 10:00``, ``fri 12:30``, ``next week``, ``+3d``, ``-2h``, ``in 3 days``,
``2026-12-01 08:15``, ``12/01 9am``; English and Spanish day words. Anything python-dateutil
reads works too. A weekday name means the next such day; today's own name means today when
its time is still ahead (on Wednesday at 06:00, ``wed 10:00`` is today at 10:00, ``wed``
alone and ``wed 05:00`` next week) — or always, with ``weekday_today="always"`` (``--at
"mon 07:50"`` on a Monday is this Monday). ``next fri`` is never today; ``last fri`` looks
back. A signed number without its unit (``-1``) is refused, not read as a day of the month.
A result without a time of day says so (``has_time``), so a follow-up agreed for "thursday"
is due that day, not at midnight.

Honest about what it read: a zone after the time (``fri 10:00 PST``, ``UTC``, ``+05:00``,
``Europe/London``) is converted, an unknown one refused, never dropped; words typed twice
(``fri fri``, ``am pm``), a 32nd day and such are refused, not guessed; and every moment falls
within 1970–2100 (the years warmcall keeps) or is refused in one sentence.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
_BARE_NUMBER = re.compile(r"^[+-]\s*\d+$")
_IN = re.compile(r"^in\s+(\d+)\s*([a-z]+)$")
_AGO = re.compile(r"^(\d+)\s*([a-z]+)\s+ago$")
_TIME = re.compile(r"^(?:at\s+|a las\s+)?(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|h)?$")

FIRST_YEAR, LAST_YEAR = 1970, 2100  # SPEC §6: dates outside these years are refused
# Zone abbreviations people type after a time, with the offset they mean (the summer names
# mean summer time whatever the date). Ambiguous ones (IST, AST…) are refused, not guessed.
ZONE_OFFSETS = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2,
    "met": 1, "mest": 2, "eet": 2, "eest": 3, "msk": 3, "est": -5, "edt": -4, "cst": -6,
    "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "akst": -9, "akdt": -8,
    "hst": -10, "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
}  # fmt: skip
_ZONE_TAIL = re.compile(r"^(?P<rest>.*\S)\s+(?P<zone>\S+)$")
_OFFSET = re.compile(r"^(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?$")
_NOT_ZONES = {
    "am", "pm", "h", "at", "ago", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", *WEEKDAYS, *DAY_WORDS, *UNITS,
}  # fmt: skip
_ORDINAL = re.compile(r"\b(\d+)(?:st|nd|rd|th|º|ª)\b")
_AMPM = re.compile(r"(?<![a-z])(?:am|pm|a\.m\.|p\.m\.)(?![a-z])")
_FULL_DATE = re.compile(r"\d+[/.-]\d+[/.-]\d+|\b\d{4}\b")


@dataclass(frozen=True)
class When:
    at: datetime  # aware, in the zone it was read in
    has_time: bool


def parse_when(
    text: str,
    base: datetime,
    zone: ZoneInfo,
    dayfirst: bool = False,
    weekday_today: str = "ahead",
) -> When:
    """Read ``text`` relative to ``base`` (aware) in ``zone``; InvalidData if unreadable or
    outside 1970–2100. A zone typed after the time is honoured: the result is in ``zone``.
    ``weekday_today``: when today's weekday name means today — ``ahead`` (its time is still
    to come) or ``always``."""
    rest, typed = _typed_zone(text)
    try:
        if typed is None:
            found = _parse(text, base, zone, dayfirst, weekday_today)
        else:
            found = _parse(rest, base, typed, dayfirst, weekday_today)
            if not found.has_time:
                raise InvalidData(
                    "A time zone needs a time to apply to: {text!r} has none (try 'fri "
                    "10:00 PST').",
                    text=text,
                )
            found = When(found.at.astimezone(zone), True)
    except (OverflowError, ValueError, ArithmeticError):
        raise _outside(text) from None
    if not FIRST_YEAR <= found.at.year <= LAST_YEAR:
        raise _outside(text)
    return found


def within_bounds(moment: datetime) -> bool:
    """A moment warmcall keeps: in the years 1970–2100."""
    return FIRST_YEAR <= moment.year <= LAST_YEAR


def _parse(text: str, base: datetime, zone: tzinfo, dayfirst: bool, weekday_today: str) -> When:
    raw = " ".join(text.strip().lower().split())
    local = base.astimezone(zone)
    if not raw:
        raise _unreadable(text)
    if raw == "now":
        return When(local, True)
    if _BARE_NUMBER.match(raw):
        raise InvalidData(
            "{text!r} needs a unit: '{text}d' (days), '{text}h' (hours) or '{text}m' (minutes).",
            text=raw.replace(" ", ""),
        )
    if found := _relative(raw, local):
        return found
    if found := _day_word(raw, local, zone, weekday_today):
        return found
    return _iso(text.strip(), zone) or _dateutil(text, local, zone, dayfirst)


def _typed_zone(text: str) -> tuple[str, tzinfo | None]:
    """``fri 10:00 PST`` → (``fri 10:00``, UTC−8); text without a zone at its end → (text,
    None). A word in capitals where a zone goes, that is no zone we know, is refused."""
    m = _ZONE_TAIL.match(text.strip())
    if not m:
        return text, None
    rest, word = m.group("rest"), m.group("zone")
    key = word.lower()
    if key in ZONE_OFFSETS:
        hours = ZONE_OFFSETS[key]
        return rest, timezone(timedelta(hours=hours), word.upper())
    if offset := _OFFSET.match(key):
        sign = -1 if offset.group(1) == "-" else 1
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise InvalidData(
                "{word!r} in {text!r} is not a UTC offset (try '+05:00').", word=word, text=text
            )
        return rest, timezone(sign * timedelta(hours=hours, minutes=minutes))
    if "/" in word and word[:1].isalpha():
        try:
            return rest, ZoneInfo(word)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidData(
                "{word!r} in {text!r} is not a time zone (try 'Europe/London' or '+05:00').",
                word=word,
                text=text,
            ) from None
    if word.isalpha() and word.isupper() and 2 <= len(word) <= 5 and key not in _NOT_ZONES:
        raise _unknown_zone(word, text)
    return text, None


def _unknown_zone(word: str, text: str) -> InvalidData:
    return InvalidData(
        "{word!r} in {text!r} is not a time zone warmcall knows; give an "
        "offset ('+05:00'), a zone name ('America/New_York') or leave it out "
        "for your own zone.",
        word=word,
        text=text,
    )


def _iso(text: str, zone: tzinfo) -> When | None:
    """ISO 8601 first, so ``2026-12-01`` is never read day-first."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise _outside(text)
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


def _day_word(raw: str, local: datetime, zone: tzinfo, weekday_today: str) -> When | None:
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
        words = raw.split(" ")
        direction = 1
        strictly_after = words[0] in ("next", "próximo", "proximo")  # never today
        if words[0] in ("next", "this", "el", "próximo", "proximo"):
            words = words[1:]
            if words and words[0] in ("próximo", "proximo"):  # el próximo lunes
                strictly_after = True
                words = words[1:]
        elif words[0] in ("last", "pasado"):
            direction = -1
            words = words[1:]
        if not words or words[0].rstrip(".,") not in WEEKDAYS:
            return None
        target = WEEKDAYS[words[0].rstrip(".,")]
        rest = " ".join(words[1:]).strip()
        if direction > 0:
            ahead = (target - local.weekday()) % 7 or 7
            if ahead == 7 and not strictly_after:
                ahead = 0 if _today_meant(rest, local, zone, weekday_today) else 7
        else:
            ahead = -((local.weekday() - target) % 7 or 7)
        day = local.date() + timedelta(days=ahead)
    if not rest:
        return When(_at(day, None, zone), False)
    clock = _clock(rest)
    if clock is None:
        return None
    return When(_at(day, clock, zone), True)


def _today_meant(rest: str, local: datetime, zone: tzinfo, weekday_today: str) -> bool:
    """Does today's own weekday name mean today? Always when asked; else when a time is
    given that is still ahead of ``local``."""
    if weekday_today == "always":
        return True
    clock = _clock(rest) if rest else None
    return clock is not None and _at(local.date(), clock, zone) > local


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


def _at(day: date, clock: time | None, zone: tzinfo) -> datetime:
    from warmcall.localtime.windows import local_datetime

    if not isinstance(zone, ZoneInfo):  # a fixed offset typed by the user: no DST gaps
        return datetime.combine(day, clock or time(0, 0), tzinfo=zone)
    return local_datetime(day, clock or time(0, 0), zone)


def _dateutil(text: str, local: datetime, zone: tzinfo, dayfirst: bool) -> When:
    from dateutil import parser

    raw = text.strip().lower()
    weekdays = [w for w in re.findall(r"[a-zñéá]+", raw) if w in WEEKDAYS]
    if (
        any(not 1 <= int(n) <= 31 for n in _ORDINAL.findall(raw))  # the 32nd
        or len(_AMPM.findall(raw)) > 1  # 10:00 am pm
        or len(weekdays) > 1  # fri fri fri
    ):
        raise _unreadable(text)
    if re.match(r"\d{4}[-/.]", raw):  # 2026-12-01 is year first, whatever the locale
        dayfirst = False
    base_day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a library warning is a refusal, never printed
            first = parser.parse(text, default=base_day.replace(tzinfo=None), dayfirst=dayfirst)
            probe = parser.parse(
                text,
                default=base_day.replace(hour=13, minute=17, second=0, tzinfo=None),
                dayfirst=dayfirst,
            )
    except parser.UnknownTimezoneWarning:
        raise InvalidData(
            "{text!r} names a time zone warmcall does not know; put a known one "
            "after the time ('fri 10:00 PST', '+05:00') or leave it out.",
            text=text,
        ) from None
    except (ValueError, OverflowError, TypeError, parser.ParserError, Warning):
        raise _unreadable(text) from None
    if first.year != base_day.year and not _FULL_DATE.search(raw):
        raise _unreadable(text)  # a number read as a year ("32" → 2032) is a guess
    has_time = first.hour == probe.hour  # the probe's 13:17 shows through where no time was typed
    if first.tzinfo is not None:
        return When(first.astimezone(zone), True)
    if not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise _outside(text)
    return When(_at(first.date(), first.time() if has_time else None, zone), has_time)


def _outside(text: str) -> InvalidData:
    return InvalidData(
        "{text!r} is not a moment between {first} and {last}, the years warmcall keeps.",
        text=text,
        first=FIRST_YEAR,
        last=LAST_YEAR,
    )


def _unreadable(text: str) -> InvalidData:
    return InvalidData(
        "Cannot read {text!r} as a date or time; try 'tomorrow 10:00', 'fri "
        "12:30', '2026-12-01 08:15' or '+3d'.",
        text=text,
    )
