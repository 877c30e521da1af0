"""The caller's day: no hour of the plan holds more calls than the caller can make in it.

Every lead's slot used to open with its window, so every ``any`` lead opened at 09:00 and the
caller met forty calls at nine and nothing at four. ``spread`` takes the rows the planner kept
and gives each one an hour of the caller's day (an *hour band*: a clock hour in the user's
zone, cut to the row's lawful slot) so that no band holds more calls than the caller dials in
an hour:

1. An agreed call with a time keeps its time, and is reserved first in its band.
2. The dials already made today take their band's room (the record says when).
3. A follow-up due (overdue, or agreed for a day without a time) takes its hour with room
   where the lead is likeliest to pick up (the earliest among equals, so with no estimate
   its earliest hour), before the rest: a promise is not put off for a better-paying call,
   and one missed at 09:00 is not tried at 09:00 again day after day when the person
   answers at lunch.
4. The rest fill the room left in order of expected value: the row's score (without
   ``window-open``, a fact of the minute, not of the day) times ``chance(lead, band_start,
   band_end)``, the chance that the lead picks up in that band, best first; equal values take
   the earlier band, so with no estimate the day fills from its first hour and the caller
   never waits while leads are left.
5. A row that finds no room in its slot today is left out (``full``), with the rate.

With ``[user] hours`` set, a row whose slot meets them is planned only in the hours of it
the caller works (a New Yorker's best hour at 22:00 in Madrid is no hour of a caller who
stops at 20:00); a row whose slot lies wholly outside them is planned as before and shown
apart.

Only the hour under way and the hours ahead are offered: an hour gone by is no room (a row
placed there would be open at once, past the caller's rate).

A row's slot then runs from its band to the end of its lawful opening: the hour it is planned
in opens it, and a call the caller could not reach in that hour is still offered while the
lead's chance stays within ``KEEP`` (80 %) of that hour's (without an estimate: until the
lead's window closes); a follow-up due is offered until its slot closes, whatever the chance.
The spread depends only on the record and the day, never on the minute: two runs at 09:10
and 09:40 with the same record give the same plan. Slots only shrink inside the lawful opening
the planner gave, so nothing moves outside the rules, days or rests.

``chance`` is injected: by default 1.0 inside the lead's window (``within_window``); a pickup
estimate replaces it with the chance of an answer in the band.

The rate is ``[user] dials_per_hour`` when set; else learned from the caller's own record
(``rate_of``: their pace, an hour over the mean time from one dial to the next when they
went straight on, over the last ``LEARN_DAYS`` days before today, once ``MIN_GAPS`` such gaps
are on record); else ``DEFAULT_DIALS_PER_HOUR``, ten: a caller who talks six minutes to
everyone they dial. The pace is read from the gaps, not from how many dials each hour held:
the plan itself puts no more calls in an hour than the rate, so a count per hour could only
show the rate again or less, and a learned rate could only fall (a caller who once made two
calls an hour was planned two an hour for good, their early hours left to a few leads).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from warmcall.plan.planner import Candidate, Excluded, Row

DEFAULT_DIALS_PER_HOUR = 10
LEARN_DAYS = 28
MIN_GAPS = 20  # a few days of calling: a few dials say little of a pace
# A longer gap between two dials is a wait or a break, not the time a dial took.
PAUSE = timedelta(minutes=30)
# The shortest a dial takes (a ring left unanswered): calls logged in a batch, seconds apart,
# count as this, not as a pace of hundreds an hour.
SHORTEST_DIAL = timedelta(minutes=1)
HOUR = timedelta(hours=1)
# A band shorter than this (the last minutes of a window) is not worth planning a call in.
SHORTEST_BAND = timedelta(minutes=5)
# A row's slot lasts while the lead's chance stays within this share of the chance in the
# hour it is planned in: a call missed at 08:00 is not spent at noon on an early riser, whose
# dial (three in fourteen days) is worth more tomorrow at 08:00.
KEEP = 0.8

Chance = Callable[["Candidate", datetime, datetime], float]


def within_window(lead: Candidate, band_start: datetime, band_end: datetime) -> float:
    """No estimate: every band of the lead's lawful slot is as good as another."""
    return 1.0


@dataclass(frozen=True, slots=True)
class Capacity:
    """How many calls the caller makes in an hour, what today's record already used, and how
    likely each lead is to pick up in a band."""

    dials_per_hour: int
    source: str = "default"  # config · learned · default
    spent: Counter[datetime] = field(default_factory=Counter)  # today's dials by hour band
    chance: Chance = within_window
    # The caller's own hours today (``[user] hours``): a row is planned in them when its slot
    # meets them (else where it can be, and the plan shows it apart). None: not set.
    hours: tuple[datetime, datetime] | None = None


def rate_of(count: int, total: timedelta) -> int | None:
    """The dials an hour at the caller's pace, from the gaps from one dial to their next when
    they went straight on (shorter than ``PAUSE``, each at least ``SHORTEST_DIAL``), as the
    store counts and sums them (``plan.candidates.capacity``): an hour over the mean gap. The
    mean, not the median: an hour holds the conversations too, and a short wait between two
    dials makes the pace slower, never faster. None while fewer than ``MIN_GAPS`` gaps say
    it."""
    if count < MIN_GAPS:
        return None
    return max(1, round(HOUR / (total / count)))


def band_of(moment: datetime, zone: ZoneInfo) -> datetime:
    """The start of the clock hour (in ``zone``) that ``moment`` falls in."""
    return moment.astimezone(zone).replace(minute=0, second=0, microsecond=0)


def spent_by_band(dials: Iterable[datetime], zone: ZoneInfo) -> Counter[datetime]:
    return Counter(band_of(d, zone) for d in dials)


def bands(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The hour bands of ``[start, end)``: each clock hour it touches, cut to it."""
    found = []
    hour = band_of(start, zone)
    while hour < end:
        following = band_of(hour + HOUR + timedelta(minutes=1), zone)  # DST-proof next hour
        lo, hi = max(hour, start), min(following, end)
        if hi - lo >= SHORTEST_BAND:
            found.append((lo, hi))
        hour = following
    return found


def agreed_time(row: Row) -> bool:
    """A call agreed for an exact time, planned at that time (or at the first lawful moment
    after it, when the time agreed was not lawful): it keeps it."""
    agreed = row.lead.followup
    if agreed is None or not agreed.has_time:
        return False
    moved = any(p.facts.get("moved") for p in row.parts if p.part.startswith("followup"))
    return row.slot_start == agreed.due_at or moved


def _within(band: tuple[datetime, datetime], hours: tuple[datetime, datetime]) -> bool:
    """Whether a band lies in the caller's hours (its start at least; a band they begin)."""
    return hours[0] <= band[0] < hours[1]


def _keeps_until(row: Row, start: datetime, zone: ZoneInfo, chance: Chance) -> datetime:
    """The end of a row planned at ``start``: the hours from it on while the lead's chance
    stays within ``KEEP`` of the chance in the hour it is planned in (to the end of its slot
    without an estimate: every hour is as good)."""
    following = bands(start, row.slot_end, zone)
    if not following:
        return row.slot_end
    floor = KEEP * chance(row.lead, *following[0])
    for lo, hi in following[1:]:
        if chance(row.lead, lo, hi) < floor:
            return lo
    return row.slot_end


def spread(
    rows: list[Row], now: datetime, zone: ZoneInfo, capacity: Capacity
) -> tuple[list[Row], list[Excluded]]:
    """The rows with their bands (slots start at them), and those the day has no room for."""
    from warmcall.plan.planner import Excluded

    room: Counter[datetime] = Counter()

    def left(band: datetime) -> int:
        return capacity.dials_per_hour - capacity.spent[band] - room[band]

    current = band_of(now, zone)
    placed: dict[int, datetime] = {}
    for row in rows:
        if agreed_time(row):
            room[band_of(row.slot_start, zone)] += 1
            placed[id(row)] = row.slot_start
    offers = []
    for row in rows:
        if id(row) in placed:
            continue
        value = max(sum(p.points for p in row.parts if p.part != "window-open"), 0.1)
        # Only the hour under way and those ahead: an hour gone by has no room left to give.
        ahead = bands(max(row.slot_start, current), row.slot_end, zone)
        yours = [b for b in ahead if capacity.hours and _within(b, capacity.hours)]
        for lo, hi in yours or ahead:
            if row.lead.followup is not None:  # a promise due: its best hour with room
                chance = capacity.chance(row.lead, lo, hi)
                offers.append((0, -chance, lo, -row.score, row.lead.lead_id, id(row), lo))
                continue
            expected = value * capacity.chance(row.lead, lo, hi)
            offers.append((1, -expected, lo, -row.score, row.lead.lead_id, id(row), lo))
    offers.sort()
    for *_key, key, lo in offers:
        if key in placed or left(band_of(lo, zone)) <= 0:
            continue
        placed[key] = lo
        room[band_of(lo, zone)] += 1
    kept: list[Row] = []
    full: list[Excluded] = []
    for row in rows:
        start = placed.get(id(row))
        if start is None:
            facts = {"rate": capacity.dials_per_hour, "source": capacity.source}
            full.append(Excluded(row.lead, "full", facts))
            continue
        if row.lead.followup is None:  # a promise is offered until its window closes
            row.slot_end = _keeps_until(row, start, zone, capacity.chance)
        if start != row.slot_start:
            row.slot_start = start
            if start > now:  # planned for a later hour: its window is not "open now" for it
                row.parts = [p for p in row.parts if p.part != "window-open"]
                row.score = round(sum(p.points for p in row.parts), 2)
        row.open_now = row.slot_start <= now < row.slot_end
        kept.append(row)
    return kept, full
