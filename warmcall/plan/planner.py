"""Today's plan: whom to call, in which slot, and why — a pure function of its inputs.

``plan(candidates, now, config)`` knows nothing of the store or the terminal: ``activity``
hands it one ``Candidate`` per lead (the lead's fields and a summary of its history), and it
returns a ``Plan`` of rows, each with its score parts, and the excluded leads with a reason a
person can read. Every coefficient and rule comes from ``config`` (SPEC §2).

Decisions the SPEC leaves open, made here once:

* Days are calendar days in the user's zone. ``--at`` moves the clock, not the data, so an
  event recorded after ``now`` counts as happening now: days since it are 0, never negative.
* "Last 14 days" (``rules.attempts_days``) are calendar days: today and the 13 before it.
* A lead never contacted counts its days since it was added (so a forgotten lead goes stale).
* A rest that ends later today (48 h after an unanswered dial) does not drop the lead: it
  is planned from the moment the rest ends, if its window is still open then.
* On a day that is not a working day no window opens: only a follow-up agreed for an exact
  time today is planned; everything else waits for the next working day, which is named.
* A follow-up due today without a time takes the lead's window; if all of today's openings
  have passed it is planned from now (a promise beats a window). An overdue one starts now.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.clock import iso
from warmcall.config import Config
from warmcall.leads import zone_of
from warmcall.models import POSITIVE, UNANSWERED
from warmcall.plan.windows import Range, local_datetime, next_opening, parse_window

# How long a call agreed for an exact time (or an overdue one) is given in the plan.
FOLLOWUP_SLOT = timedelta(minutes=30)
_UNANSWERED = frozenset(str(o) for o in UNANSWERED)
_POSITIVE = frozenset(str(o) for o in POSITIVE)
Slot = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class Agreed:
    """The open follow-up of a lead: the next step agreed in a call."""

    due_at: datetime
    action: str
    has_time: bool = True


@dataclass(slots=True)
class Candidate:
    """One lead as the planner sees it: its own fields and a summary of its history."""

    lead_id: int
    name: str
    created_at: datetime
    company: str | None = None
    phone: str | None = None
    temperature: str = "warm"
    status: str = "active"
    window: str = "any"
    timezone: str | None = None
    dnc_at: datetime | None = None
    dnc_reason: str | None = None
    last_touch_at: datetime | None = None  # any channel
    last_touch_outcome: str | None = None
    last_touch_channel: str | None = None
    last_conversation_at: datetime | None = None
    last_conversation_outcome: str | None = None
    dials: int = 0  # phone touches in the last ``rules.attempts_days`` calendar days
    unanswered: int = 0  # of those, unanswered
    # The ``rules.max_attempts``-th most recent of those dials (None when fewer): the rest
    # for too many attempts ends when it leaves the window.
    kth_dial_at: datetime | None = None
    followup: Agreed | None = None
    # An upper bound of the score, from a store that hands candidates best bound first (see
    # ``ceiling_terms``); lets ``plan`` stop once no later lead can enter the top ``limit``.
    ceiling: float | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """One line of a score: ``hot lead  +6.0``."""

    part: str
    points: float
    detail: str


@dataclass(slots=True)
class Row:
    lead: Candidate
    score: float
    parts: list[Part]
    slot_start: datetime
    slot_end: datetime
    open_now: bool
    rank: int = 0


@dataclass(frozen=True, slots=True)
class Excluded:
    lead: Candidate
    code: str  # dnc, won, lost, cold, agreed, day-off, talked, resting, closed
    reason: str


@dataclass
class Plan:
    now: datetime
    zone: ZoneInfo  # the user's
    rows: list[Row]
    excluded: list[Excluded]
    callable: int | None  # rows before the limit; None when the planner stopped early
    working_day: bool
    next_working_day: date | None
    limit: int | None = None
    open_now: int = field(init=False)

    def __post_init__(self) -> None:
        self.open_now = sum(1 for r in self.rows if r.open_now)


def plan(
    candidates: Iterable[Candidate],
    now: datetime,
    config: Config,
    include_cold: bool = False,
    limit: int | None = 20,
) -> Plan:
    """Today's plan as of ``now``: rows by slot (open now first) then score, and the rest.

    ``limit`` keeps the best rows by score before they are put in slot order. When the
    candidates carry a ``ceiling`` and arrive best ceiling first, planning stops as soon as
    the next ceiling is below the ``limit``-th score: the rows are the same, but the excluded
    leads are then only those seen (a caller that wants them all passes no ceilings).
    """
    day = _Day(now, config)
    rows: list[Row] = []
    excluded: list[Excluded] = []
    best: list[float] = []  # min-heap of the top ``limit`` scores so far
    complete = True
    for lead in candidates:
        full = limit is not None and len(best) >= limit
        if full and lead.ceiling is not None and (not best or lead.ceiling < best[0] - 1e-9):
            complete = False
            break
        placed = day.place(lead, include_cold)
        if isinstance(placed, Excluded):
            excluded.append(placed)
            continue
        rows.append(placed)
        if limit is not None and limit > 0:
            (heapq.heappush if len(best) < limit else heapq.heappushpop)(best, placed.score)
    callable_count = len(rows) if complete else None
    if limit is not None and limit >= 0:
        rows.sort(key=lambda r: (-r.score, r.lead.lead_id))
        rows = rows[:limit]
    rows.sort(key=lambda r: (max(r.slot_start, now), -r.score, r.lead.lead_id))
    for rank, row in enumerate(rows, 1):
        row.rank = rank
    return Plan(
        now=now,
        zone=day.zone,
        rows=rows,
        excluded=excluded,
        callable=callable_count,
        working_day=day.working,
        next_working_day=day.next_working_day(),
        limit=limit,
    )


def ceiling_terms(config: Config) -> dict[str, float]:
    """The most each score part can add, for a store to bound a lead's score from its last
    touch, temperature and whether a follow-up is open (``activity.CEILING_SQL``); parts that
    can only take points away count as zero."""
    s = config.score
    return {
        "c_followup": max(s.followup_due, s.followup_overdue + max(s.overdue_max_extra, 0), 0),
        "c_hot": max(s.hot, 0),
        "c_warm": max(s.warm, 0),
        "c_per_day": max(s.per_day_since_touch, 0),
        "c_days_cap": s.days_cap,
        "c_stale": max(s.stale, 0),
        "c_stale_days": config.rules.stale_days,
        "c_never": max(s.never_contacted, 0),
        "c_rest": max(s.positive_last, 0) + max(s.window_open, 0),
    }


class _Day:
    """What every lead of one plan shares: today's bounds, and the openings per window."""

    def __init__(self, now: datetime, config: Config) -> None:
        self.now = now
        self.config = config
        self.zone = config.zone
        self.today = now.astimezone(self.zone).date()
        self.tomorrow = local_datetime(self.today + timedelta(days=1), time(0), self.zone)
        self.working = self.today.isoweekday() in config.windows.working_days
        # Leads share a handful of (window, zone) pairs: each is parsed and opened once.
        self._openings: dict[tuple[str, str], tuple[tuple[Range, ...], ZoneInfo]] = {}
        self._next: dict[tuple[str, str | None, datetime], Slot | None] = {}

    # --- windows ---------------------------------------------------------------------------

    def _ranges(self, lead: Candidate) -> tuple[tuple[Range, ...], ZoneInfo]:
        zone = zone_of(lead, self.config)
        key = (lead.window, zone.key)
        if key not in self._openings:
            self._openings[key] = (parse_window(lead.window, self.config.windows), zone)
        return self._openings[key]

    def opening(self, lead: Candidate, after: datetime) -> Slot | None:
        """The lead's next opening not ended at ``after`` (may be open), whatever the day."""
        key = (lead.window, lead.timezone, after)
        if key not in self._next:
            ranges, zone = self._ranges(lead)
            self._next[key] = next_opening(ranges, zone, after, self.config.windows.working_days)
        return self._next[key]

    def opening_today(self, lead: Candidate, after: datetime | None = None) -> Slot | None:
        if not self.working:
            return None
        found = self.opening(lead, after or self.now)
        return found if found and found[0] < self.tomorrow else None

    def next_working_day(self) -> date | None:
        days = self.config.windows.working_days
        for ahead in range(1, 8):
            candidate = self.today + timedelta(days=ahead)
            if candidate.isoweekday() in days:
                return candidate
        return None

    # --- the rules -------------------------------------------------------------------------

    def days_since(self, moment: datetime) -> int:
        return max(0, (self.today - moment.astimezone(self.zone).date()).days)

    def place(self, lead: Candidate, include_cold: bool) -> Row | Excluded:
        """The lead's row in today's plan, or why it is not called today."""
        if lead.status != "active":
            return Excluded(lead, lead.status, self._status_reason(lead))
        if lead.temperature == "cold" and not include_cold:
            return Excluded(lead, "cold", "cold lead (plan them with --include-cold)")
        agreed = lead.followup
        if agreed is not None and self.local_day(agreed.due_at) > self.today:
            return Excluded(lead, "agreed", f"agreed for {self.moment(agreed)}: {agreed.action}")
        # A follow-up due today or overdue is a promise: it overrides rest and today's talk.
        slot = self.window_slot(lead) if agreed is None else self.followup_slot(lead, agreed)
        if isinstance(slot, Excluded):
            return slot
        parts = self.parts(lead)
        score = round(sum(p.points for p in parts), 2)
        return Row(lead, score, parts, slot[0], slot[1], slot[0] <= self.now < slot[1])

    def followup_slot(self, lead: Candidate, agreed: Agreed) -> Slot | Excluded:
        exact = agreed.has_time and agreed.due_at >= self.now
        if not self.working and not exact:
            return Excluded(lead, "day-off", self._day_off_reason(lead))
        if self.is_overdue(agreed):
            return (self.now, self.now + FOLLOWUP_SLOT)
        if exact:
            return (agreed.due_at, agreed.due_at + FOLLOWUP_SLOT)
        return self.opening_today(lead) or (self.now, self.now + FOLLOWUP_SLOT)

    def window_slot(self, lead: Candidate) -> Slot | Excluded:
        if not self.working:
            return Excluded(lead, "day-off", self._day_off_reason(lead))
        talked = lead.last_conversation_at
        if talked is not None and self.local_day(talked) >= self.today:
            return Excluded(
                lead,
                "talked",
                f"talked today at {talked.astimezone(self.zone):%H:%M} "
                f"({lead.last_conversation_outcome}), nothing agreed",
            )
        after = self.now
        rest = self.rest_until(lead)
        if rest is not None and rest[0] > self.now:
            after = rest[0]
            slot = self.opening_today(lead, after)
            if slot is None:
                return Excluded(lead, "resting", f"resting until {rest[1]} ({rest[2]})")
            return (max(slot[0], after), slot[1])
        slot = self.opening_today(lead, after)
        if slot is None:
            following = self.opening(lead, self.tomorrow)
            nxt = f", next {self.short(following[0])}" if following else ""
            return Excluded(lead, "closed", f"window closed today{nxt}")
        return slot

    def rest_until(self, lead: Candidate) -> tuple[datetime, str, str] | None:
        """When the lead may be dialled again, that moment in words, and why it rests."""
        rules = self.config.rules
        ends: list[tuple[datetime, str, str]] = []
        if lead.kth_dial_at is not None and lead.dials >= rules.max_attempts:
            leaves = self.local_day(lead.kth_dial_at) + timedelta(days=rules.attempts_days)
            ends.append(
                (
                    local_datetime(leaves, time(0), self.zone),
                    f"{leaves:%a} {leaves.day} {leaves:%b}",
                    f"{lead.dials} dials in {rules.attempts_days} days",
                )
            )
        if lead.last_touch_at is not None and lead.last_touch_outcome in _UNANSWERED:
            until = lead.last_touch_at + timedelta(hours=rules.rest_hours_after_unanswered)
            at = lead.last_touch_at.astimezone(self.zone)
            ends.append((until, self.short(until), f"{lead.last_touch_outcome} {self.past(at)}"))
        return max(ends, key=lambda e: e[0]) if ends else None

    # --- the row ---------------------------------------------------------------------------

    def is_overdue(self, agreed: Agreed) -> bool:
        day = self.local_day(agreed.due_at)
        return day < self.today or (
            day == self.today and agreed.has_time and agreed.due_at < self.now
        )

    def parts(self, lead: Candidate) -> list[Part]:
        s = self.config.score
        parts: list[Part] = []
        add = parts.append
        agreed = lead.followup
        if agreed is not None:
            if self.is_overdue(agreed):
                late = self.days_since(agreed.due_at)
                extra = min(s.overdue_per_day * late, s.overdue_max_extra)
                lateness = f"{late} d late" if late else "time passed"
                add(
                    Part(
                        "followup-overdue",
                        s.followup_overdue + extra,
                        f"agreed for {self.moment(agreed)}: {agreed.action} ({lateness})",
                    )
                )
            else:
                when = (
                    f"{agreed.due_at.astimezone(self.zone):%a %H:%M}"
                    if agreed.has_time
                    else "today"
                )
                add(Part("followup-due", s.followup_due, f"agreed: {when}, {agreed.action}"))
        if lead.temperature == "hot":
            add(Part("temperature", s.hot, "hot lead"))
        elif lead.temperature == "warm":
            add(Part("temperature", s.warm, "warm lead"))
        touched = lead.last_touch_at
        days = self.days_since(touched or lead.created_at)
        since = "the last touch" if touched else "added, never contacted"
        if days:
            add(
                Part(
                    "days-since-touch",
                    s.per_day_since_touch * min(days, s.days_cap),
                    f"{_days(days)} since {since}",
                )
            )
        if days > self.config.rules.stale_days:
            add(Part("stale", s.stale, f"{_days(days)} without contact"))
        if touched is None:
            fading = s.never_contacted - s.never_contacted_fade * days
            if fading > 0:
                add(Part("never-contacted", fading, f"new lead, added {self.ago_days(days)}"))
        if lead.last_conversation_outcome in _POSITIVE and lead.last_conversation_at:
            add(
                Part(
                    "positive-last",
                    s.positive_last,
                    f"last conversation: {lead.last_conversation_outcome}, "
                    f"{self.ago_days(self.days_since(lead.last_conversation_at))}",
                )
            )
        if lead.unanswered:
            add(
                Part(
                    "unanswered",
                    s.unanswered_each * lead.unanswered,
                    f"{lead.unanswered} unanswered dial{'s' if lead.unanswered != 1 else ''} "
                    f"in {self.config.rules.attempts_days} days",
                )
            )
        if self.working:
            current = self.opening(lead, self.now)
            if current and current[0] <= self.now:
                end = current[1].astimezone(self.zone)
                add(Part("window-open", s.window_open, f"window open now, until {end:%H:%M}"))
        return [Part(p.part, round(p.points, 2), p.detail) for p in parts if p.points]

    # --- words -----------------------------------------------------------------------------

    def _status_reason(self, lead: Candidate) -> str:
        if lead.status == "dnc":
            said = f"objected on {self.local_day(lead.dnc_at):%d %b}" if lead.dnc_at else "objected"
            return f"do not call: {said}" + (f": {lead.dnc_reason}" if lead.dnc_reason else "")
        return {"won": "won: a customer now", "lost": "lost"}.get(lead.status, lead.status)

    def _day_off_reason(self, lead: Candidate) -> str:
        following = self.opening(lead, self.now)
        nxt = f", next {self.short(following[0])}" if following else ""
        return f"{self.today:%a} is not a working day{nxt}"

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def moment(self, agreed: Agreed) -> str:
        local = agreed.due_at.astimezone(self.zone)
        text = f"{local:%a} {local.day} {local:%b}"
        return f"{text} {local:%H:%M}" if agreed.has_time else text

    def short(self, moment: datetime) -> str:
        """``14:00`` today, ``Thu 08:00`` within a week, ``Thu 3 Dec 08:00`` beyond."""
        local = moment.astimezone(self.zone)
        ahead = (local.date() - self.today).days
        if ahead == 0:
            return f"{local:%H:%M}"
        if 0 < ahead < 7:
            return f"{local:%a %H:%M}"
        return f"{local:%a} {local.day} {local:%b %H:%M}"

    def past(self, moment: datetime) -> str:
        """A recent moment: ``today 10:12``, ``yesterday 10:12``, ``Mon 10:12``."""
        local = moment.astimezone(self.zone)
        days = self.days_since(local)
        day = f"{local:%a}" if days > 1 else self.ago_days(days)
        return f"{day} {local:%H:%M}"

    def ago_days(self, days: int) -> str:
        if days == 0:
            return "today"
        if days == 1:
            return "yesterday"
        return f"{days} days ago"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def row_json(row: Row, zone: ZoneInfo) -> dict[str, Any]:
    """SPEC §2's JSON row."""
    lead = row.lead
    return {
        "rank": row.rank,
        **_lead_json(lead),
        "slot_start": iso(row.slot_start, zone),
        "slot_end": iso(row.slot_end, zone),
        "score": row.score,
        "reasons": [{"part": p.part, "points": p.points, "detail": p.detail} for p in row.parts],
        **_history_json(lead, zone),
    }


def excluded_json(item: Excluded, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "rank": None,
        **_lead_json(item.lead),
        "slot_start": None,
        "slot_end": None,
        "score": None,
        "reasons": [],
        **_history_json(item.lead, zone),
        "excluded": item.reason,
    }


def plan_json(result: Plan, include_excluded: bool = False) -> list[dict[str, Any]]:
    rows = [row_json(r, result.zone) for r in result.rows]
    if include_excluded:
        rows += [excluded_json(e, result.zone) for e in result.excluded]
    return rows


def _lead_json(lead: Candidate) -> dict[str, Any]:
    return {
        "lead_id": lead.lead_id,
        "name": lead.name,
        "company": lead.company,
        "phone": lead.phone,
        "temperature": lead.temperature,
        "window": lead.window,
    }


def _history_json(lead: Candidate, zone: ZoneInfo) -> dict[str, Any]:
    agreed = lead.followup
    return {
        "last_touch_at": iso(lead.last_touch_at, zone),
        "attempts_14d": lead.dials,
        "followup": {"due_at": iso(agreed.due_at, zone), "action": agreed.action}
        if agreed
        else None,
    }
