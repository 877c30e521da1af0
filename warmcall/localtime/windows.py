"""Call windows: when a lead picks up, in their own time zone.

A window is ``early``, ``midday``, ``any`` (hours from the configuration) or explicit ranges
``HH:MM-HH:MM[,HH:MM-HH:MM]``; names and ranges may be mixed (``early,midday``).
Its times are wall-clock times in the lead's zone (``local_datetime``), so DST changes move
them correctly; when a window is open and lawful is ``compliance.rules.Calendar``'s to say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from warmcall.errors import InvalidData
from warmcall.models import NAMED_WINDOWS

if TYPE_CHECKING:  # the configuration sits above local time: its hours come in as an argument
    from warmcall.config import Windows

_RANGE = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class Range:
    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_window(spec: str | None, hours: Windows) -> tuple[Range, ...]:
    """The ranges of a window spec, sorted; an unknown name or bad range is InvalidData."""
    spec = (spec or "any").strip().lower() or "any"
    ranges: list[Range] = []
    for part in spec.split(","):
        part = part.strip()
        if part in NAMED_WINDOWS:
            for hours_part in getattr(hours, part).split(","):
                ranges.append(parse_range(hours_part.strip(), f"[windows] {part}"))
        else:
            ranges.append(parse_range(part, spec))
    return tuple(sorted(set(ranges), key=lambda r: (r.start, r.end)))


def parse_range(part: str, spec: str) -> Range:
    match = _RANGE.match(part)
    if not match:
        raise InvalidData(
            "Window {spec!r} is not early, midday, any or HH:MM-HH:MM ranges.", spec=spec
        )
    h1, m1, h2, m2 = (int(g or 0) for g in match.groups())
    if (h2, m2) == (24, 0):
        h2, m2 = 23, 59
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise InvalidData("Window {spec!r} has an hour that does not exist.", spec=spec) from None
    if end <= start:
        raise InvalidData("Window {spec!r}: {part} ends before it starts.", spec=spec, part=part)
    return Range(start, end)


def canonical(spec: str | None, hours: Windows) -> str:
    """The spec as stored: names kept as names (so a config change moves them), ranges tidied."""
    parse_window(spec, hours)
    parts = [p.strip().lower() for p in (spec or "any").split(",") if p.strip()]
    out = [p if p in NAMED_WINDOWS else str(parse_range(p, spec or "")) for p in parts]
    return ",".join(dict.fromkeys(out)) or "any"


def local_datetime(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a day in a zone; a time skipped by DST moves forward past the gap."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone)
    roundtrip = aware.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if roundtrip.replace(tzinfo=None) != naive:  # in a spring-forward gap
        return roundtrip
    return aware
