"""Two times to propose for the next step: lawful, free, and a real choice.

The slots of a script follow the §2 slot rules (the lead's window, in the lead's zone, on a
working day there that is not a public holiday, inside the calling hours), start on the day
after the call being prepared, keep clear of the caller's other agreed calls, and are spread:
two different days, and never both at the first minute of a window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from warmcall.clock import from_epoch, to_epoch
from warmcall.config import Config
from warmcall.leads import zone_of
from warmcall.models import FollowUp, FollowUpStatus, Lead

if TYPE_CHECKING:
    from warmcall.compliance.rules import Calendar
    from warmcall.store.db import Database

SLOT_LENGTH = timedelta(minutes=30)
SLOT_STEP = timedelta(minutes=30)
SLOT_HORIZON_DAYS = 30

Busy = tuple[datetime, datetime]


@dataclass
class Slot:
    start: datetime  # aware, in the lead's zone
    end: datetime


def periods(lead: Lead, day: date, config: Config) -> list[tuple[datetime, datetime]]:
    """The lawful times to call ``lead`` on ``day`` (the lead's calendar), in its zone: the
    window ∩ the calling hours, on a calling day that is not a public holiday there."""
    from warmcall.compliance.rules import lawful_periods

    return lawful_periods(lead, day, config)


def agreed_calls(db: Database, lead_id: int | None, since: datetime) -> list[datetime]:
    """When the caller's other agreed calls are: the open follow-ups with a time of the
    other leads, from ``since`` on."""
    rows = db.query(
        "SELECT due_at FROM followups WHERE status = 'open' AND has_time "
        "AND lead_id != :lead AND due_at >= :since ORDER BY due_at",
        {"lead": lead_id if lead_id is not None else -1, "since": to_epoch(since)},
    )
    return [from_epoch(r["due_at"]) for r in rows]  # type: ignore[misc]


def propose(
    lead: Lead,
    followups: list[FollowUp],
    after: datetime,
    config: Config,
    others: list[datetime] | None = None,
    n: int = 2,
) -> list[Slot]:
    """``n`` slots on different lawful days from the day after ``after`` (the lead's
    calendar), clear of the lead's own open follow-ups and of ``others`` (the caller's agreed
    calls, each lasting ``config.scripts.agreed_call_minutes``).

    The first slot is the earliest free half hour; each next one moves to a later part of
    the day (the window's next range, or further into the range), so the person gets a
    real choice and the two are never both at the window's first minute.
    """
    from warmcall.compliance.rules import Calendar

    zone = zone_of(lead, config)
    length = timedelta(minutes=config.scripts.agreed_call_minutes)
    pending = [f for f in followups if f.status == FollowUpStatus.OPEN]
    busy: list[Busy] = [(f.due_at, f.due_at + length) for f in pending if f.has_time]
    busy += [(t, t + length) for t in others or []]
    taken_days = {f.due_at.astimezone(zone).date() for f in pending if not f.has_time}
    calendar = Calendar(config)
    day = after.astimezone(zone).date() + timedelta(days=1)
    slots: list[Slot] = []
    for _ in range(SLOT_HORIZON_DAYS):
        if len(slots) >= n:
            break
        if day not in taken_days:
            day_periods = [
                (s, e)
                for s, e in calendar.periods(lead, day)
                if s > after and _consent_holds(calendar, lead, s, e)
            ]
            if slot := _pick(day_periods, busy, len(slots)):
                slots.append(slot)
        day += timedelta(days=1)
    # Told on the lead's clock as the script tells it: a lead whose zone is unknown is
    # planned in hours lawful in each zone it may be in, and the calendar may give them in
    # another of those zones than the one the script speaks in.
    return [Slot(s.start.astimezone(zone), s.end.astimezone(zone)) for s in slots]


def _consent_holds(calendar: Calendar, lead: Lead, start: datetime, end: datetime) -> bool:
    """Whether the consent in force through ``[start, end)`` is one the rule profile then
    accepts: a consent that expires, or a dated rule that stops accepting it (fr-b2c from
    11 Aug 2026), takes the days after it out of the proposal."""
    from warmcall.compliance.checks import check_of

    last = end - timedelta(minutes=1)
    return not any(
        check_of(p.code) == "consent"
        for moment in (start, last)
        for p in calendar.standing(lead, moment)
    )


def _pick(day_periods: list[Busy], busy: list[Busy], k: int) -> Slot | None:
    """The ``k``-th slot of a proposal, on its own day: the first takes the earliest free
    time; a later one starts in the window's next range, or ``k`` hours into a single range,
    and never at the window's first minute."""
    if not day_periods:
        return None
    if k == 0:
        return next((s for p in day_periods if (s := _free(*p, busy))), None)
    first_minute = day_periods[0][0]
    if len(day_periods) > 1:
        i = k % len(day_periods)
        candidates = day_periods[i:] + day_periods[:i]
    else:
        start, end = day_periods[0]
        candidates = [(start + timedelta(hours=k), end), (start + SLOT_STEP, end)]
    roomy = False  # does the window have a time besides its first minute, busy or not?
    for start, end in candidates:
        if start == first_minute:
            start += SLOT_STEP
        if slot := _free(start, end, busy):
            return slot
        roomy = roomy or _free(start, end, []) is not None
    if roomy:  # the other calls took that time today: try another day
        return None
    # A window too short for a second time: its first minute, on another day, is still a choice.
    return _free(*day_periods[0], busy)


def _free(start: datetime, end: datetime, busy: list[Busy]) -> Slot | None:
    candidate = _round_up(start)
    while candidate + SLOT_LENGTH <= end:
        finish = candidate + SLOT_LENGTH
        if not any(candidate < b_end and finish > b_start for b_start, b_end in busy):
            return Slot(candidate, finish)
        candidate += SLOT_STEP
    return None


def _round_up(moment: datetime) -> datetime:
    """To the next full or half hour: people agree on 10:00 or 10:30, not 10:07."""
    extra = moment.minute % 30
    if extra == 0 and moment.second == 0:
        return moment.replace(microsecond=0)
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=30 - extra)
