"""Today's plan: whom to call, in which slot, and why — a pure function of its inputs.

``plan(candidates, now, config)`` knows nothing of the store or the terminal: ``candidates``
hands it one ``Candidate`` per lead (the lead's fields and a summary of its history), and it
returns a ``Plan`` of rows, each with its score parts (``plan.score``), and the excluded
leads, each with a code and the facts behind it (``render.reasons`` words them). Every
coefficient and rule comes from ``config`` (SPEC §2); when a lead may be called comes from
the lawful-time calendar of ``compliance.rules`` (window ∩ calling hours ∩ calling days, no
public holiday, in the lead's zone), the same code ``--go``, ``--ics`` and the scripts ask.

Decisions the SPEC leaves open, made here once:

* Days are calendar days in the user's zone. ``--at`` moves the clock, not the data, so an
  event recorded after ``now`` counts as happening now: days since it are 0, never negative.
* "Last 14 days" (``rules.attempts_days``) are calendar days: today and the 13 before it.
  The frequency limit (the profile's, else ``[rules]``) is ``compliance.rules.over_frequency``,
  the one rule ``call log`` and ``report`` judge by: its days are the lead's.
* A lead never contacted counts its days since it was added (so a forgotten lead goes stale).
* A rest that ends later today (48 h after an unanswered dial) does not drop the lead: it
  is planned from the moment the rest ends, if a lawful period is still open then.
* On the user's day off (a weekend, or a public holiday of the user's region) nothing is
  planned but a follow-up agreed for an exact time today.
* A follow-up due today or overdue takes the next lawful opening of the lead (now, if one is
  open now); when none is left today it waits for the next one, which is named. A time
  agreed explicitly keeps its time, unless that time is itself unlawful (outside the calling
  hours or days, a holiday): then it takes the next lawful opening and the reason says so.
* An agreed follow-up overrides the cadence's rest and the profile's frequency limit (the
  person asked to be called); nothing overrides do not call, a wrong number, a consent the
  profile refuses, or the calling hours and days.
* After an unanswered attempt on a due follow-up, the lead is not offered again in the same
  lawful period: it comes back at the next one.
* A ``not-interested`` lead (not lost) rests ``rules.not_interested_rest_days`` (the
  profile's refusal rest when it sets one) after that conversation.
* Pickup hours (``pickup.estimate``): a lead whose window is ``any`` is planned in its best
  lawful hour of today (its own clock), chosen among all of today's hours so that the plan
  holds all day (the best one still ahead once it has passed), never before a rest ends; a
  window of its own stays its slot, and the row carries a ``Suggestion`` when the lead's own
  answers clearly prefer an hour outside it. With no dial on record for the lead or its like
  (or none in the book), the slot is the window as configured and no pickup part is scored.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.clock import iso
from warmcall.compliance.profiles import Profile
from warmcall.compliance.rules import Calendar, History, Problem, holiday, user_day_off
from warmcall.compliance.zones import Whereabouts
from warmcall.config import Config
from warmcall.localtime.windows import local_datetime
from warmcall.models import UNANSWERED, ConsentRecord, Outcome
from warmcall.pickup import estimate as pickup
from warmcall.pickup.estimate import Book, Chance, HoursQuestion, Suggestion
from warmcall.pickup.record import given_hours
from warmcall.plan.capacity import Capacity, spread
from warmcall.plan.score import TERMS, Part, bound_sql, parts

__all__ = [
    "FOLLOWUP_SLOT", "Agreed", "Candidate", "Excluded", "Horizon", "Part", "Plan", "Row", "TERMS",
    "bands_today", "bound_sql", "excluded_json", "plan", "plan_json", "row_json",
]  # fmt: skip

# The exclusion code of a standing problem, where the plan names it otherwise.
EXCLUSION_CODES = {
    "consent-not-accepted": "consent",
    "consent-expired": "consent",
    "registry-listed": "registry",
}
# How long a call agreed for an exact time is given in the plan.
FOLLOWUP_SLOT = timedelta(minutes=30)
# A call agreed for a time is tried at most this often within that half hour, this long
# apart: a person who agreed to 17:00 and does not pick up at 17:00 is often finishing
# another call, and is reached ten minutes later far more often than the next day.
AGREED_TRIES = 2
AGREED_RETRY = timedelta(minutes=10)
_UNANSWERED = frozenset(str(o) for o in UNANSWERED)
Slot = tuple[datetime, datetime]
Detail = Callable[[Part], str] | None  # a score part in words, made at the edge
Reason = Callable[["Excluded"], str] | None  # why a lead is left out, in words (the edge)


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
    followup: Agreed | None = None
    # An upper bound of the score, from a store that hands candidates best bound first, equal
    # bounds in id order (see ``score.bound_sql``); lets ``plan`` stop once no later lead can
    # enter the top ``limit``.
    ceiling: float | None = None
    stage: str = "lead"
    consent: str = "none"
    country: str | None = None  # the lead's own; the planner fills it from the phone or yours
    phone_e164: str | None = None
    phone_flag: str | None = None  # "wrong-number": not planned until the phone changes
    email: str | None = None  # its country domain may tell the lead's zone (``.mx``)
    segment: str | None = None  # None: the configured one; with country and region, the profile
    region: str | None = None  # the lead's own ISO 3166-2 region, else its phone's
    # The zones the lead may be in (one when known): the planner fills it from the lead.
    whereabouts: Whereabouts | None = None
    zones: str | None = None  # as the store keeps them (``compliance.zones.settled``)
    home: str | None = None  # its country, once resolved (``Calendar.country``)
    # Phone dials within the longest frequency period of the rule profiles and [rules] (for
    # the frequency limit, ``compliance.rules.over_frequency``).
    dial_times: tuple[datetime, ...] = ()
    # The do-not-call registries its number is on (``compliance.listings.listed``).
    listed: tuple[Any, ...] = ()
    source: str | None = None  # where the lead came from: its pool of similar leads
    # Its pool of similar leads as the store groups them (stored country, window, source).
    pool_key: tuple[str | None, str, str | None] | None = None
    # Its phone dials and answers per local hour and kind of day (``pickup.record``).
    pickup_own: dict[tuple[int, bool], tuple[int, int]] = field(default_factory=dict)
    # The chance to pick up in today's slot, once placed (``pickup.estimate``): the score's part.
    chance: Chance | None = None
    # Its consent records when they say more than its consent since its creation (the store
    # fills them: ``compliance.consent`` reads the one in force at the plan's moment).
    consents: tuple[ConsentRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class Horizon:
    """A marker among ranked candidates: no lead after it scores above ``ceiling``. A store
    sends it before running the query for the rest, which the planner may never need."""

    ceiling: float
    lead_id: int = -1


@dataclass(slots=True)
class Row:
    lead: Candidate
    score: float
    parts: list[Part]
    slot_start: datetime
    slot_end: datetime
    open_now: bool
    rank: int = 0
    pickup: Chance | None = None  # the chance to connect in the slot, when the record tells
    suggestion: Suggestion | None = None  # better hours outside a window the person asked for
    ask: HoursQuestion | None = None  # ask them when they are best reached: the record can't say


@dataclass(frozen=True, slots=True)
class Excluded:
    lead: Candidate
    # dnc, won, lost, wrong-number, consent, registry, cold, agreed, day-off, holiday, talked,
    # resting, tried, closed, full (no room left in the caller's day: ``plan.capacity``)
    code: str
    facts: dict[str, Any] = field(default_factory=dict, compare=False)  # the edge words them


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
    day_off: Problem | None = None  # why today is not a working day for the user
    holiday: str | None = None  # the user's public holiday today, when that is why
    # The do-not-call lists the profiles of today's rows want fresher, or have not got
    # (``compliance.listings.Stale``; filled by the store's side, ``activity.plan_today``).
    stale_registries: list[Any] = field(default_factory=list)
    book: Book | None = None  # what the record says of pickup hours (``bands_today``)

    def __post_init__(self) -> None:
        self.open_now = sum(1 for r in self.rows if r.open_now)


def plan(
    candidates: Iterable[Candidate | Horizon],
    now: datetime,
    config: Config,
    include_cold: bool = False,
    limit: int | None = 20,
    capacity: Capacity | None = None,
    book: Book | None = None,
) -> Plan:
    """Today's plan as of ``now``: rows by slot (open now first) then score, and the rest.

    ``book`` is what the whole record says of pickup hours (``plan.pickup_record.book``):
    without it, or with a book of no dial, every slot is the lead's window as configured.

    ``limit`` keeps the best rows by score before they are put in slot order. With a
    ``capacity``, the rows kept are spread over the caller's hours (``plan.capacity``): no
    hour holds more calls than the caller dials in one, and a row the day has no room for is
    left out (``full``). When the
    candidates carry a ``ceiling`` and arrive best ceiling first (equal ceilings in lead id
    order), planning stops as soon as the next one cannot beat the ``limit``-th row: the rows
    are the same, but the excluded leads are then only those seen (a caller that wants them
    all passes no ceilings).
    """
    day = _Day(now, config, book or Book(), spreading=capacity is not None)
    if capacity is not None and day.book.dials:
        capacity = replace(capacity, chance=day.band_chance)
    rows: list[Row] = []  # every row when there is no limit
    # Else only the best ``limit`` so far, as a min-heap on (score, -lead_id): the worst first.
    kept: list[tuple[float, int, Row]] = []
    placed_rows = 0
    excluded: list[Excluded] = []
    complete = True
    for lead in candidates:
        full = limit is not None and len(kept) >= limit
        threshold = kept[0][0] if kept else None
        if isinstance(lead, Horizon):
            if full and (threshold is None or lead.ceiling < threshold - 1e-9):
                complete = False
                break
            continue
        if full and lead.ceiling is not None and (threshold is None or _beyond(lead, kept[0])):
            complete = False
            break
        placed = day.place(lead, include_cold)
        if isinstance(placed, Excluded):
            excluded.append(placed)
            continue
        placed_rows += 1
        if limit is None:
            rows.append(placed)
        elif limit > 0:
            entry = (placed.score, -placed.lead.lead_id, placed)
            (heapq.heappush if len(kept) < limit else heapq.heappushpop)(kept, entry)
    callable_count = placed_rows if complete else None
    if limit is not None:
        rows = [entry[2] for entry in kept]
    if capacity is not None and rows:
        rows, full = spread(rows, now, day.zone, capacity)
        excluded += full
        if callable_count is not None:
            callable_count -= len(full)
    # Open now first, then by slot: rows of equal slots together (they share a header), the
    # one that closes sooner first; by score within a slot.
    rows.sort(
        key=lambda r: (max(r.slot_start, now), max(r.slot_end, now) if r.slot_start > now else now,
                       -r.score, r.lead.lead_id)
    )  # fmt: skip
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
        day_off=day.day_off,
        holiday=(
            holiday(config.phone_region, day.today, config.language, config.subdivision)
            if day.day_off
            else None
        ),
        book=day.book,
    )


_DAYS: dict[tuple[datetime, int, int], _Day] = {}


def bands_today(
    lead: Candidate, now: datetime, config: Config, book: Book | None
) -> list[tuple[Slot, Chance]]:
    """The lead's lawful time today (the user's day), cut at the lead's local hours, each
    piece with the chance that it picks up then (``plan.pickup.estimate``): what a pass that
    spreads the day's calls weighs a lead's slots by. ``book`` is the plan's
    (``Plan.book``); the lead a row of that plan (its pickup record and pool are loaded)."""
    key = (now, id(config), id(book))
    day = _DAYS.get(key)
    if day is None:
        _DAYS.clear()  # one plan at a time
        day = _DAYS[key] = _Day(now, config, book)
    if not day.working:
        return []
    return day.bands(lead, day.midnight, day.tomorrow)


def _beyond(lead: Candidate, worst: tuple[float, int, Row]) -> bool:
    """Whether no lead from ``lead`` on can displace ``worst``, the lowest row kept: its
    ceiling is below that score, or equal to it with a higher id (a tie keeps the lower id,
    and candidates of equal ceiling arrive in id order)."""
    ceiling, score = lead.ceiling or 0.0, worst[0]
    return ceiling < score - 1e-9 or (ceiling <= score + 1e-9 and lead.lead_id > -worst[1])


class _Day:
    """What every lead of one plan shares: today's bounds and the calendar."""

    def __init__(
        self, now: datetime, config: Config, book: Book | None = None, spreading: bool = False
    ) -> None:
        self.now = now
        self.book = book or Book()
        # With the caller's day to fill (``plan.capacity``), an ``any`` lead keeps its whole
        # window and the spread picks its hour by score × chance; else its best hour is its slot.
        self.spreading = spreading
        self.config = config
        self.zone = config.zone
        self.calendar = Calendar(config)
        self.today = now.astimezone(self.zone).date()
        self.tomorrow = local_datetime(self.today + timedelta(days=1), time(0), self.zone)
        self.midnight = local_datetime(self.today, time(0), self.zone)
        self.day_off = user_day_off(self.today, config)
        self.working = self.day_off is None
        self._next: dict[tuple[Any, ...], Slot | None] = {}
        self._cut: dict[tuple[Any, ...], list[tuple[Slot, int, bool]]] = {}
        self._pools: dict[int, pickup.Counts] = {}
        self._chances: dict[tuple[int, int, bool], Chance] = {}
        self._window_hours: dict[str, frozenset[int]] = {}

    # --- the calendar ----------------------------------------------------------------------

    def opening(self, lead: Candidate, after: datetime) -> Slot | None:
        """The lead's next lawful opening not ended at ``after`` (may be open), any day."""
        zones = self.calendar.whereabouts(lead).zones
        country = lead.country or self.calendar.country(lead)
        key = (lead.window, zones, country, lead.segment, self.calendar.lead_region(lead), after)
        if key not in self._next:
            self._next[key] = self.calendar.next_opening(lead, after)
        return self._next[key]

    def opening_today(self, lead: Candidate, after: datetime | None = None) -> Slot | None:
        if not self.working:
            return None
        found = self.opening(lead, after or self.now)
        return found if found and found[0] < self.tomorrow else None

    def next_working_day(self) -> date | None:
        for ahead in range(1, 15):
            candidate = self.today + timedelta(days=ahead)
            if user_day_off(candidate, self.config) is None:
                return candidate
        return None

    # --- the rules -------------------------------------------------------------------------

    def days_since(self, moment: datetime) -> int:
        return max(0, (self.today - moment.astimezone(self.zone).date()).days)

    def place(self, lead: Candidate, include_cold: bool) -> Row | Excluded:
        """The lead's row in today's plan, or why it is not called today."""
        if lead.whereabouts is None:  # resolved once: every view says when it is unknown
            lead.whereabouts = self.calendar.whereabouts(lead)
        if lead.status != "active":
            return Excluded(lead, lead.status)
        lead.country = self.calendar.country(lead)  # resolved once: every rule asks for it
        profile = self.calendar.profile(lead, self.now)
        for problem in self.calendar.standing(lead, self.now, profile):
            code = EXCLUSION_CODES.get(problem.code, problem.code)
            return Excluded(lead, code, {"code": problem.code, **problem.facts})
        if lead.temperature == "cold" and not include_cold:
            return Excluded(lead, "cold")
        agreed = lead.followup
        if agreed is not None and self.local_day(agreed.due_at) > self.today:
            return Excluded(
                lead,
                "agreed",
                {"due_at": agreed.due_at, "action": agreed.action},
            )
        # A follow-up due today or overdue is a promise: it overrides rest and today's talk.
        note: dict[str, Any] | None = None
        if agreed is None:
            slot = self.window_slot(lead)
        else:
            placed = self.followup_slot(lead, agreed)
            if isinstance(placed, Excluded):
                return placed
            slot, note = placed
        if isinstance(slot, Excluded):
            return slot
        later = self.standing_through(lead, slot, profile)
        if later is not None:
            return later
        chance, suggestion = self.pickup(lead, slot)
        lead.chance = chance
        found = parts(lead, self)
        if slot[0] > self.now:  # the window may be open now, but this row's slot is later
            found = [p for p in found if p.part != "window-open"]
        if note:
            found = [
                Part(p.part, p.points, {**p.facts, **note}, p.says)
                if p.part.startswith("followup")
                else p
                for p in found
            ]
        score = round(sum(p.points for p in found), 2)
        return Row(
            lead, score, found, slot[0], slot[1], slot[0] <= self.now < slot[1],
            pickup=chance, suggestion=suggestion, ask=self.hours_question(lead),
        )  # fmt: skip

    def standing_through(self, lead: Candidate, slot: Slot, profile: Profile) -> Excluded | None:
        """Why the lead may not be called in its ``slot`` though it may be now: a consent that
        expires before the slot, or a dated rule in force by then that stops accepting it (a
        slot on 11 Aug 2026 in the lead's zone, planned on the 10th in the caller's)."""
        zone = self.calendar.zone(lead)
        today = self.now.astimezone(zone).date()
        for moment in (slot[0], slot[1] - timedelta(minutes=1)):
            if moment <= self.now:
                continue
            if not lead.consents and (
                moment.astimezone(zone).date() == today  # the rule of the day is today's
                or self.calendar.profile(lead, moment) is profile
            ):
                continue  # nothing that stands can change between now and then
            for problem in self.calendar.standing(lead, moment):
                code = EXCLUSION_CODES.get(problem.code, problem.code)
                return Excluded(lead, code, {"code": problem.code, **problem.facts})
        return None

    def followup_slot(
        self, lead: Candidate, agreed: Agreed
    ) -> tuple[Slot, dict[str, Any] | None] | Excluded:
        """The slot of a follow-up due today or overdue, and a note (``moved``: the rule that
        moved it) when an agreed time gave way to the rules."""
        exact = agreed.has_time and agreed.due_at >= self.now
        if exact:
            unlawful = self.agreed_problems(lead, agreed.due_at)
            if not unlawful:  # its time, for half an hour that the calling hours may cut
                return (agreed.due_at, self._within_hours(lead, agreed.due_at)), None
            found = self.opening_today(lead, agreed.due_at)
            if found is None:
                following = self.opening(lead, agreed.due_at)
                return Excluded(
                    lead,
                    "closed",
                    {
                        "problems": [p.code for p in unlawful],
                        "problem": unlawful[0],
                        "agreed_at": agreed.due_at,
                        "next": following[0] if following else None,
                    },
                )
            return found, {"moved": unlawful[0], "agreed_at": agreed.due_at}
        again = self.agreed_again(lead, agreed)
        if again is not None:
            return again, None
        if not self.working:
            return self._day_off_excluded(lead)
        after = self.now
        tried = self._tried_since_due(lead, agreed)
        if tried is not None:
            after = max(after, tried)
        found = self.opening_today(lead, after)
        if found is None:
            return self._no_opening(lead, after, tried)
        return found, None

    def agreed_again(self, lead: Candidate, agreed: Agreed) -> Slot | None:
        """The rest of an agreed time's half hour once it has begun: the call not made yet,
        or tried once and unanswered (again ``AGREED_RETRY`` after that try); None after
        ``AGREED_TRIES`` or once the half hour is over, when it is overdue (SPEC §2: the
        window's next opening). The half hour was lawful when it began (``followup_slot``);
        the rules still hold at the retry, save the window, which gives way to it."""
        if not agreed.has_time or self.now < agreed.due_at:
            return None
        end = self._within_hours(lead, agreed.due_at)
        tries = [t for t in lead.dial_times if agreed.due_at <= t <= self.now]
        start = max(self.now, tries[-1] + AGREED_RETRY) if tries else self.now
        if len(tries) >= AGREED_TRIES or start >= end or self.agreed_problems(lead, start):
            return None
        return start, end

    def agreed_problems(self, lead: Candidate, moment: datetime) -> list[Problem]:
        """What of the clock forbids a call agreed for ``moment``: every rule but the lead's
        window, which gives way to a time the person agreed to."""
        return [p for p in self.calendar.timing(lead, moment) if p.code != "outside-window"]

    def _within_hours(self, lead: Candidate, start: datetime) -> datetime:
        """``start`` + ``FOLLOWUP_SLOT``, cut at the end of the calling hours it falls in."""
        end = start + FOLLOWUP_SLOT
        for zone in self.calendar.zones(lead):  # each zone it could be in, when unknown
            local = start.astimezone(zone)
            clock = local.time().replace(tzinfo=None)
            for r in self.calendar.profile(lead, start).hours:
                if r.start <= clock < r.end:
                    end = min(end, local_datetime(local.date(), r.end, zone))
        return end

    def _tried_since_due(self, lead: Candidate, agreed: Agreed) -> datetime | None:
        """When the lead may be offered again after an unanswered dial on the due step: the
        end of the lawful period the dial fell in (not twice in the same window)."""
        touched = lead.last_touch_at
        if touched is None or lead.last_touch_outcome not in _UNANSWERED:
            return None
        due_from = (
            agreed.due_at
            if agreed.has_time
            else local_datetime(self.local_day(agreed.due_at), time(0), self.zone)
        )
        if touched < due_from:
            return None
        period = self.opening(lead, touched)
        if period is not None and period[0] <= touched < period[1]:
            return period[1]
        return touched

    def window_slot(self, lead: Candidate) -> Slot | Excluded:
        if not self.working:
            return self._day_off_excluded(lead)
        talked = lead.last_conversation_at
        if talked is not None and self.local_day(talked) >= self.today:
            return Excluded(lead, "talked")
        after = self.now
        rest = self.rest_until(lead)
        if rest is not None and rest[0] > self.now:
            after = rest[0]
            slot = self.opening_today(self.timed(lead), after)
            if slot is None:
                return Excluded(lead, "resting", {"until": rest[0], **rest[1]})
            return self.learned_slot(lead, after) or (max(slot[0], after), slot[1])
        slot = self.opening_today(self.timed(lead), after)
        if slot is None:
            return self._no_opening(lead, after, None)
        return self.learned_slot(lead, after) or slot

    # --- pickup hours (``pickup.estimate``) -----------------------------------------------------

    def learns(self, lead: Candidate) -> bool:
        """Whether the lead's hours are learned: its window is ``any`` and the record says
        something of it or its like (an empty book keeps the seeds' windows)."""
        return (
            (lead.window or "any") == "any"
            and bool(self.book.dials)
            and pickup.evidence(lead.pickup_own, self.pool(lead))
        )

    def timed(self, lead: Candidate) -> Any:
        """The lead as its slot is timed: a lead whose hours are learned (``learns``) may be
        planned in any hour of its lawful day (its profile's calling hours, days and
        holidays), not only in ``[windows] any``, which is the seeds' guess of when people
        answer, not a limit they asked for: an early riser who never said so is reached at
        08:00. Every other lead keeps its window."""
        return _Lawful(lead) if self.learns(lead) else lead

    def pool(self, lead: Candidate) -> pickup.Counts:
        """What the lead's similar leads (country, window, source) did, less the lead itself."""
        found = self._pools.get(lead.lead_id)
        if found is None:
            shared = self.book.pools.get(lead.pool_key, {}) if lead.pool_key else {}
            found = self._pools[lead.lead_id] = pickup.without(shared, lead.pickup_own)
        return found

    def chance(self, lead: Candidate, hour: int, weekend: bool) -> Chance:
        """The lead's chance in one hour of its day (computed once a plan)."""
        key = (lead.lead_id, hour, weekend)
        found = self._chances.get(key)
        if found is None:
            found = pickup.estimate(lead.pickup_own, self.pool(lead), self.book, hour, weekend)
            self._chances[key] = found
        return found

    def band_chance(self, lead: Candidate, start: datetime, end: datetime) -> float:
        """The chance the lead picks up between ``start`` and ``end`` (its best hour there):
        what the caller's day weighs each band of a row by (``plan.capacity``). On the days
        the lead explores (``pickup.explores``), an hour it was never dialled in counts at its
        Thompson draw when that beats its mean: the same draw all day."""
        found = [c for _, c in self.bands(lead, start, end)]
        best = max((c.p for c in found), default=0.0)
        if not pickup.explores(self.today, lead.lead_id):
            return best
        draws = (
            pickup.value(c, self.today, lead.lead_id, self.book.kappa) for c in found if not c.dials
        )
        return max([best, *draws])

    def bands(self, lead: Candidate, start: datetime, end: datetime) -> list[tuple[Slot, Chance]]:
        """The lead's lawful time between ``start`` and ``end`` today, cut at its local hours,
        each piece with the chance it picks up then."""
        return [
            ((max(s, start), min(e, end)), self.chance(lead, hour, weekend))
            for (s, e), hour, weekend in self._pieces(lead)
            if e > start and s < end
        ]

    def _pieces(self, lead: Candidate) -> list[tuple[Slot, int, bool]]:
        """Today's lawful time of leads like this one (window, zones, country: what the
        calendar reads), cut at their local hours: each piece, its hour and kind of day."""
        zones = self.calendar.whereabouts(lead).zones
        timed = self.timed(lead)
        key = (timed.window, zones, lead.country or self.calendar.country(lead))
        found = self._cut.get(key)
        if found is not None:
            return found
        found = []
        zone = self.calendar.zone(lead)
        for s, e in self.calendar.between(timed, self.midnight, self.tomorrow):
            s, e = max(s, self.midnight), min(e, self.tomorrow)
            while s < e:
                local = s.astimezone(zone)
                hour_start = local_datetime(local.date(), time(local.hour), zone)
                piece_end = min(e, hour_start + timedelta(hours=1))
                found.append(((s, piece_end), local.hour, local.isoweekday() >= 6))
                s = piece_end
        self._cut[key] = found
        return found

    def learned_slot(self, lead: Candidate, after: datetime) -> Slot | None:
        """The slot of an ``any`` lead: its best lawful hour today by the estimate (untried
        hours explored a little), chosen among the whole day's hours so the choice holds all
        day; the best still ahead of ``after`` once that one has passed. None when the lead's
        window is its own, or the record says nothing of it or its like."""
        if (lead.window or "any") != "any" or not self.book.dials or self.spreading:
            return None
        if not pickup.evidence(lead.pickup_own, self.pool(lead)):
            return None
        ahead = [b for b in self.bands(lead, self.midnight, self.tomorrow) if b[0][1] > after]
        chosen = pickup.best((c for _, c in ahead), self.today, lead.lead_id, self.book.kappa)
        if chosen is None:
            return None
        start, end = next(slot for slot, c in ahead if c.hour == chosen.hour)
        return max(start, after), end

    def pickup(self, lead: Candidate, slot: Slot) -> tuple[Chance | None, Suggestion | None]:
        """The chance to connect in the slot (its best hour), and, for a window the person
        asked for, better hours the lead's own record shows outside it."""
        if not self.book.dials or not pickup.evidence(lead.pickup_own, self.pool(lead)):
            return None, None
        inside = self.bands(lead, slot[0], slot[1])
        if not inside:
            return None, None
        chance = max((c for _, c in inside), key=lambda c: (c.p, -c.hour))
        if (lead.window or "any") == "any":
            return chance, None
        return chance, self.suggestion(lead, slot)

    def window_hours(self, lead: Candidate) -> frozenset[int] | None:
        """The local hours of the window the person gave; None for ``any`` (computed once a
        window)."""
        if (lead.window or "any") == "any":
            return None
        found = self._window_hours.get(lead.window)
        if found is None:
            found = self._window_hours[lead.window] = given_hours(lead.window, self.config)
        return found

    def hours_question(self, lead: Candidate) -> HoursQuestion | None:
        """Whether to ask the person when they are best reached (``pickup.hours_question``)."""
        return pickup.hours_question(lead.pickup_own, self.window_hours(lead))

    def suggestion(self, lead: Candidate, slot: Slot) -> Suggestion | None:
        """Better hours than the lead's own window, when its own answers clearly say so."""
        zone = self.calendar.zone(lead)
        window_hours = self.window_hours(lead) or frozenset()
        answered_outside = any(
            a >= pickup.SUGGEST_ANSWERED and hour not in window_hours
            for (hour, _), (_, a) in lead.pickup_own.items()
        )
        if not answered_outside:
            return None
        day = slot[0].astimezone(zone).date()
        weekend = day.isoweekday() >= 6
        lawful = self.calendar.hours(_Window(_LAWFUL_DAY), self.calendar.profile(lead, slot[0]))
        every = [self.chance(lead, h, weekend) for h in pickup.seed_hours(lawful)]
        return pickup.suggest(
            [c for c in every if c.hour in window_hours],
            [c for c in every if c.hour not in window_hours],
        )

    def rest_until(self, lead: Candidate) -> tuple[datetime, dict[str, Any]] | None:
        """When the lead may be dialled again, and the facts of why it rests (the cadence of
        ``[rules]``, a refusal's rest, the rule profile's frequency limit)."""
        rules = self.config.rules
        ends: list[tuple[datetime, dict[str, Any]]] = []
        if lead.last_touch_at is not None and lead.last_touch_outcome in _UNANSWERED:
            until = lead.last_touch_at + timedelta(hours=rules.rest_hours_after_unanswered)
            facts = {"rest": "unanswered", "outcome": lead.last_touch_outcome}
            ends.append((until, {**facts, "at": lead.last_touch_at}))
        refused = (
            lead.last_conversation_at
            if lead.last_conversation_outcome == Outcome.NOT_INTERESTED
            else None
        )
        unanswered = lead.last_touch_at if lead.last_touch_outcome in _UNANSWERED else None
        # A dial recorded after ``now`` counts as made now (``--at`` moves the clock).
        dials = tuple(min(d, self.now) for d in lead.dial_times)
        history = History(dials, unanswered, refused)
        for problem in self.calendar.resting(lead, self.now, history, cadence=False):
            if problem.until is not None and problem.until > self.now:
                if problem.facts.get("cadence"):  # [rules]' limit: the cadence's words
                    n, days = problem.facts["dials"], problem.facts["days"]
                    ends.append((problem.until, {"rest": "cadence", "dials": n, "days": days}))
                    continue
                facts = {**problem.facts, "rest": "rule", "code": problem.code}
                facts.update(refused_at=refused, unanswered_at=unanswered)
                ends.append((problem.until, facts))
        return max(ends, key=lambda e: e[0]) if ends else None

    def _no_opening(self, lead: Candidate, after: datetime, tried: datetime | None) -> Excluded:
        """Why no lawful period is left today for the lead: its holiday, its day off, a try
        in this window already, or its window closed; with the next opening."""
        following = self.opening(lead, max(after, self.tomorrow) if tried is None else after)
        facts: dict[str, Any] = {"next": following[0] if following else None}
        where = self.calendar.whereabouts(lead)
        if following is None and not self._opens_in_some_zone(lead, where, after):
            # Known or not, no zone it may be in opens its window: the window is the cause.
            profile = self.calendar.profile(lead, self.now)
            hours = ", ".join(str(r) for r in profile.hours)
            facts = {"window": lead.window, "profile": profile.name, "hours": hours}
            return Excluded(lead, "never-open", facts)
        if following is None and not where.known:
            return Excluded(
                lead,
                "zone-unknown",
                {"zones": where.zones, "country": where.country},
            )
        local = self.now.astimezone(self.calendar.zone(lead)).date()
        problems = self.calendar.timing(lead, self.now)
        holiday = next((p for p in problems if p.code == "holiday"), None)
        if holiday is not None:
            return Excluded(lead, "holiday", {**facts, **holiday.facts})
        if any(p.code == "not-a-calling-day" for p in problems):
            return Excluded(lead, "day-off", {**facts, "weekday": local.isoweekday()})
        if tried is not None:
            at = lead.last_touch_at or after
            return Excluded(lead, "tried", {**facts, "outcome": lead.last_touch_outcome, "at": at})
        return Excluded(lead, "closed", facts)

    def _opens_in_some_zone(self, lead: Candidate, where: Whereabouts, after: datetime) -> bool:
        """Whether the lead's window opens lawfully in at least one of the zones it may be in
        (each asked alone): if not, no ``lead edit --timezone`` would make it callable."""
        for zone in where.zones:
            settled = Whereabouts((zone,), "set", where.country)
            if self.calendar.next_opening(replace(lead, whereabouts=settled), after) is not None:
                return True
        return False

    # --- the row ---------------------------------------------------------------------------

    def is_overdue(self, agreed: Agreed) -> bool:
        day = self.local_day(agreed.due_at)
        return day < self.today or (
            day == self.today and agreed.has_time and agreed.due_at < self.now
        )

    # --- the user's day off -----------------------------------------------------------------

    def _day_off_excluded(self, lead: Candidate) -> Excluded:
        """Today is the user's day off (a weekend, or the user's own public holiday — not the
        lead's, who may be working abroad): the reason says whose it is, and the lead's first
        opening on the user's next working day (not one begun on a day off: a lead abroad
        may be open across the user's midnight)."""
        resume = self.next_working_day()
        start = local_datetime(resume, time(0), self.zone) if resume else self.tomorrow
        following = self.opening(lead, start)
        if following is not None and following[0] < start:
            following = self.opening(lead, following[1])
        region = self.config.phone_region
        name = holiday(region, self.today, self.config.language, self.config.subdivision)
        return Excluded(
            lead,
            "day-off",
            {
                "next": following[0] if following else None,
                "yours": True,
                "holiday": name,
                "country": region,
                "weekday": self.today.isoweekday(),
            },
        )

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()


@dataclass(frozen=True, slots=True)
class _Window:
    """A stand-in lead of another window, to ask the calendar for that window's hours."""

    window: str


# Every hour a named window can open: where a suggestion may point.
_LAWFUL_DAY = "early,midday,any"
# The whole day: what a learned lead's slot is cut to, by the profile's calling hours alone.
_WHOLE_DAY = "00:00-23:59"


class _Lawful:
    """A lead seen with the whole day as its window (``_Day.timed``): the calendar then
    gives its lawful periods, the profile's hours, days and holidays."""

    window = _WHOLE_DAY

    def __init__(self, lead: Candidate) -> None:
        self.__dict__["lead"] = lead

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["lead"], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.__dict__["lead"], name, value)


def pickup_json(chance: Chance | None) -> dict[str, Any] | None:
    """``--json``'s ``pickup``: the slot's best hour (the lead's time), its chance and
    80 % interval, and the lead's own dials in it."""
    if chance is None:
        return None
    return {
        "band": f"{chance.start:%H:%M}-{chance.end:%H:%M}",
        "p": round(chance.p, 3),
        "low": round(chance.low, 3),
        "high": round(chance.high, 3),
        "dials": chance.dials,
    }


def row_json(row: Row, zone: ZoneInfo, detail: Detail = None) -> dict[str, Any]:
    """SPEC §2's JSON row; ``detail`` words each score part (``render.plan.plan_json``)."""
    lead = row.lead
    return {
        "rank": row.rank,
        **_lead_json(lead),
        "slot_start": iso(row.slot_start, zone),
        "slot_end": iso(row.slot_end, zone),
        "score": row.score,
        "reasons": [
            {"part": p.part, "points": p.points} | ({"detail": detail(p)} if detail else {})
            for p in row.parts
        ],
        **_history_json(lead, zone),
        **zone_json(lead.whereabouts),
        "pickup": pickup_json(row.pickup),
        "ask_hours": ask_json(row.ask),
    }


def ask_json(question: HoursQuestion | None) -> dict[str, Any] | None:
    """``--json``'s ``ask_hours``: ask the person when they are best reached, and why: dials
    in the window they gave, none answered (``in_window``), or no answer yet at all."""
    if question is None:
        return None
    return {"in_window": question.in_window, "dials": question.dials}


def excluded_json(item: Excluded, zone: ZoneInfo, reason: Reason = None) -> dict[str, Any]:
    """An excluded lead's JSON row; ``reason`` words why (``render.plan.plan_json``)."""
    return {
        "rank": None,
        **_lead_json(item.lead),
        "slot_start": None,
        "slot_end": None,
        "score": None,
        "reasons": [],
        **_history_json(item.lead, zone),
        **({"excluded": reason(item)} if reason else {}),
        **zone_json(item.lead.whereabouts),
        "pickup": None,
        "ask_hours": None,
    }


def plan_json(
    result: Plan, include_excluded: bool = False, detail: Detail = None, reason: Reason = None
) -> list[dict[str, Any]]:
    rows = [row_json(r, result.zone, detail) for r in result.rows]
    if include_excluded:
        rows += [excluded_json(e, result.zone, reason) for e in result.excluded]
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


def zone_json(where: Whereabouts | None) -> dict[str, Any]:
    """What ``--json`` says of a lead's zone: the zone when known, else every candidate."""
    if where is None:
        return {}
    return {
        "zone_known": where.known,
        "zone": where.zones[0] if where.known else None,
        "zone_source": where.source,
        "zones": list(where.zones),
    }


def _history_json(lead: Candidate, zone: ZoneInfo) -> dict[str, Any]:
    agreed = lead.followup
    return {
        "last_touch_at": iso(lead.last_touch_at, zone),
        "attempts_14d": lead.dials,
        "followup": {"due_at": iso(agreed.due_at, zone), "action": agreed.action}
        if agreed
        else None,
        "phone_e164": lead.phone_e164,
    }


def outside_your_hours(result: Plan, config: Config) -> set[int]:
    """The leads whose slot today lies wholly outside the user's own working hours
    (``[user] hours``, in the user's zone): a New Yorker's morning is a Madrid evening. Empty
    when the hours are not set."""
    from warmcall.config import user_hours

    hours = user_hours(config)
    if hours is None:
        return set()
    day = result.now.astimezone(result.zone).date()
    start = datetime.combine(day, hours[0], result.zone)
    end = datetime.combine(day, hours[1], result.zone)
    return {
        row.lead.lead_id for row in result.rows if row.slot_end <= start or row.slot_start >= end
    }
