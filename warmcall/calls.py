"""Calls and follow-ups: logging a touch with its effects, listing, and a lead's history.

Every touch goes through ``log_call`` (one transaction: the call, the follow-up it closes,
the one it opens, and what the outcome does to the lead); imported history does not (see
``call_import``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from warmcall import claims, leads, phones
from warmcall.clock import from_epoch, iso, to_epoch
from warmcall.config import Config
from warmcall.errors import InvalidData, NotFound, Refused, UsageError
from warmcall.leads import spelling_key
from warmcall.models import (
    Call,
    Channel,
    FollowUp,
    FollowUpStatus,
    Lead,
    Objection,
    Outcome,
    Said,
    Status,
    Temperature,
)
from warmcall.pickup import record as pickup_record
from warmcall.store import columns
from warmcall.store.db import Database, placeholders

if TYPE_CHECKING:
    from warmcall.compliance.checks import Verdict
    from warmcall.compliance.rules import Problem

# A call's own columns, what ``Call`` holds: all but when it was recorded, the lead as it
# was before it (``BEFORE_COLUMNS``, for undo and edit) and what the dial was judged by
# (``JUDGED_COLUMNS``: the number dialled, the verdict, the checks broken: SPEC §7's proof).
BEFORE_COLUMNS = tuple(c for c in columns.CALLS if c.startswith("before_"))
JUDGED_COLUMNS = ("dialled", "checks", "broken")  # (0017)
CALL_COLUMNS = tuple(
    c for c in columns.CALLS if c not in ("created_at", *BEFORE_COLUMNS, *JUDGED_COLUMNS)
)
# What ``call log`` may record as sent or shown with a call: facts a script builds on.
SENT = ("offer", "proposal", "invoice", "info")
SHOWN = ("demo",)
FOLLOWUP_COLUMNS = columns.FOLLOWUPS


def call_from_row(row: Mapping[str, Any]) -> Call:
    return Call(
        id=row["id"],
        lead_id=row["lead_id"],
        at=from_epoch(row["at"]),  # type: ignore[arg-type]
        outcome=Outcome(row["outcome"]),
        channel=Channel(row["channel"]),
        duration=row["duration"],
        notes=row["notes"],
        objections=[Objection(o) for o in (row["objections"] or "").split(",") if o],
        temperature=Temperature(row["temperature"]) if row["temperature"] else None,
        sent=row["sent"],
        shown=row["shown"],
        recap=row["recap"],
        timeline=row["timeline"],
        rep=row["rep"],
    )


def followup_from_row(row: Mapping[str, Any]) -> FollowUp:
    return FollowUp(
        id=row["id"],
        lead_id=row["lead_id"],
        call_id=row["call_id"],
        due_at=from_epoch(row["due_at"]),  # type: ignore[arg-type]
        has_time=bool(row["has_time"]),
        action=row["action"],
        goal=row["goal"],
        created_at=from_epoch(row["created_at"]),
        done_at=from_epoch(row["done_at"]),
        done_call_id=row["done_call_id"],
        status=FollowUpStatus(row["status"]),
        rep=row["rep"],
    )


def history(db: Database, lead_id: int) -> tuple[list[Call], list[FollowUp]]:
    """A lead's calls and follow-ups, newest first."""
    calls = db.query(
        f"SELECT {', '.join(CALL_COLUMNS)} FROM calls WHERE lead_id = :id "
        "ORDER BY at DESC, id DESC",
        {"id": lead_id},
    )
    followups = db.query(
        f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups WHERE lead_id = :id "
        "ORDER BY due_at DESC, id DESC",
        {"id": lead_id},
    )
    return [call_from_row(r) for r in calls], [followup_from_row(r) for r in followups]


def followup_status(followup: FollowUp, now: datetime) -> FollowUpStatus:
    """Stored status, with an open follow-up past its time shown as overdue.

    One agreed for a day without a time ("thursday") is due all that day: it becomes
    overdue when the day is over, not at its first minute.
    """
    if followup.status != FollowUpStatus.OPEN:
        return followup.status
    if followup.has_time:
        past = followup.due_at < now
    else:
        past = followup.due_at + timedelta(days=1) <= now
    return FollowUpStatus.OVERDUE if past else FollowUpStatus.OPEN


def call_json(call: Call, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": call.id,
        "at": iso(call.at, zone),
        "outcome": str(call.outcome),
        "channel": str(call.channel),
        "duration": call.duration,
        "notes": call.notes,
        "objections": [str(o) for o in call.objections],
        "temperature": str(call.temperature) if call.temperature else None,
        "timeline": call.timeline,
        "rep": call.rep,
    }


def followup_json(followup: FollowUp, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    return {
        "id": followup.id,
        "due_at": iso(followup.due_at, zone),
        "action": followup.action,
        "goal": followup.goal,
        "done_at": iso(followup.done_at, zone),
        "status": str(followup_status(followup, now)),
    }


# --- the vocabulary a salesperson types -----------------------------------------------------


_SPELLINGS: dict[Outcome, tuple[str, ...]] = {
    Outcome.CONNECTED: (
        "connected", "conn", "answered", "talked", "spoke", "spoken", "reached", "conversation",
        "contacted", "left live message", "live conversation", "completed", "call completed",
        "interested", "contestado", "contesta", "hablado", "conectado",
    ),
    Outcome.MEETING: (
        "meeting", "mtg", "meeting booked", "meeting scheduled", "meeting set", "booked",
        "appointment", "appointment set", "appointment scheduled", "demo booked",
        "demo scheduled", "reunion", "reunion agendada", "cita", "cita concertada",
    ),
    Outcome.CALLBACK: (
        "callback", "call back", "cb", "call me back", "call later", "callback requested",
        "call back later", "asked to call back", "volver a llamar", "llamar mas tarde",
        "rellamar",
    ),
    Outcome.NOT_INTERESTED: (
        "not interested", "ni", "notinterested", "no interest", "not a fit", "rejected",
        "no interesado", "no le interesa", "sin interes",
    ),
    Outcome.VOICEMAIL: (
        "voicemail", "vm", "voice mail", "left voicemail", "left voice mail", "left vm",
        "left message", "lm", "answering machine", "buzon", "buzon de voz", "contestador",
    ),
    Outcome.NO_ANSWER: (
        "no answer", "na", "noanswer", "no response", "unanswered", "missed", "ring no answer",
        "rna", "no contact", "no contesta", "sin respuesta", "gatekeeper",
    ),
    Outcome.BUSY: ("busy", "bz", "engaged", "line busy", "ocupado", "comunicando"),
    Outcome.WRONG_NUMBER: (
        "wrong number", "wrong", "wn", "bad number", "invalid number", "wrong contact",
        "number not in service", "not in service", "disconnected", "numero equivocado",
        "numero erroneo", "numero incorrecto",
    ),
    Outcome.DO_NOT_CALL: (
        "do not call", "dnc", "do not contact", "dnc request", "opt out", "opted out",
        "remove from list", "unsubscribe", "unsubscribed", "no llamar", "no molestar",
    ),
}  # fmt: skip

# Every accepted spelling (keyed by ``spelling_key``): ours, shorthand, and the dispositions
# other tools export (HubSpot: "Left voicemail", "Left live message", "No answer", "Busy",
# "Wrong number", "Connected"; Salesloft/Outreach: "Meeting Booked", "Not Interested",
# "Bad Number", "Do Not Contact"; Spanish CRMs).
OUTCOME_ALIASES: dict[str, Outcome] = {
    spelling_key(spelling): outcome
    for outcome, spellings in _SPELLINGS.items()
    for spelling in (outcome.value, *spellings)
}


def parse_outcome(text: str) -> Outcome:
    """An outcome from any accepted spelling; InvalidData listing the outcomes otherwise."""
    found = OUTCOME_ALIASES.get(spelling_key(text))
    if found is None:
        allowed = ", ".join(o.value for o in Outcome)
        raise InvalidData(
            "Unknown outcome {text!r}; use one of {allowed}.", text=text, allowed=allowed
        )
    return found


_DURATION = re.compile(
    r"^(?:(?P<h>\d+)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<m>\d+)\s*m(?:in(?:ute)?s?)?)?\s*"
    r"(?:(?P<s>\d+)\s*s(?:ec(?:ond)?s?)?)?$"
)
_CLOCK_DURATION = re.compile(r"^(?:(\d+):)?(\d+):(\d{2})$")
# The longest call that can be recorded: a day. Longer is a typing slip, and one bound holds
# on every engine (PostgreSQL's 32-bit column would refuse far less than SQLite's).
MAX_DURATION = 24 * 3600
# The step a callback agrees when nothing else is said.
CALLBACK_ACTION = "call back"


def parse_duration(text: str) -> int:
    """Seconds from ``5m``, ``90s``, ``1h5m``, ``4:30``, ``1:04:30`` or ``12`` (minutes)."""
    raw = text.strip().lower()
    if raw.isdigit():
        return int(raw) * 60
    if m := _CLOCK_DURATION.match(raw):
        hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
        if seconds < 60 and (m.group(1) is None or minutes < 60):
            return hours * 3600 + minutes * 60 + seconds
    elif raw and (m := _DURATION.match(raw)) and any(m.groupdict().values()):
        return sum(int(m.group(u) or 0) * k for u, k in (("h", 3600), ("m", 60), ("s", 1)))
    raise InvalidData(
        "Cannot read {text!r} as a duration; try '5m', '90s', '1h5m' or '4:30'.", text=text
    )


# --- logging a call -------------------------------------------------------------------------


@dataclass
class CallEntry:
    """What the salesperson reports about one touch."""

    outcome: Outcome
    at: datetime  # aware
    channel: Channel = Channel.PHONE
    duration: int | None = None  # seconds
    notes: str | None = None
    objections: list[Objection] = field(default_factory=list)
    temperature: Temperature | None = None  # the lead's temperature after the call
    next_at: datetime | None = None  # aware; the agreed next step
    next_has_time: bool = True
    next_action: str | None = None
    next_goal: str | None = None
    lost: bool = False  # the person said no for good: mark the lead lost
    sent: str | None = None  # what was sent with the call (one of SENT)
    shown: str | None = None  # what was shown in it (one of SHOWN)
    recap: str | None = None  # a customer-facing summary for the e-mail
    # The timeline the lead gave in the conversation, as they said it ("maybe in spring").
    timeline: str | None = None


@dataclass
class RuleWarning:
    """A frequency rule a logged dial broke: the dial happened and is kept, the caller is
    told (SPEC §7). ``rule`` is ``attempts`` (``count`` dials, this one included, within
    ``days`` calendar days of the lead's zone, where ``limit`` make a lead rest:
    ``compliance.rules.over_frequency``) or ``rest-after-unanswered``
    (``hours`` of rest after the unanswered dial at ``since``)."""

    rule: str
    limit: int
    count: int = 0
    days: int | None = None
    hours: int | None = None
    since: datetime | None = None
    profile: str | None = None  # the rule profile that set the limit; None: [rules]

    def problem(self) -> Problem:
        """The rule broken as the calendar's ``Problem`` (``over-frequency``: ``dials`` with
        this one; ``resting`` after an unanswered dial), to be kept with the call."""
        from warmcall.compliance.rules import Problem

        if self.rule == "attempts":
            facts = {
                "dials": self.count,
                "days": self.days,
                "max": self.limit,
                "profile": self.profile or "[rules]",
                "cadence": self.profile is None,
            }
            return Problem("over-frequency", facts)
        until = self.since + timedelta(hours=self.hours or 0) if self.since else None
        facts = {"why": "unanswered", "hours": self.hours, "profile": self.profile or "[rules]"}
        return Problem("resting", facts, until)

    def as_json(self, zone: ZoneInfo) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "profile": self.profile,
            "limit": self.limit,
            "count": self.count,
            "days": self.days,
            "hours": self.hours,
            "since": iso(self.since, zone),
        }


@dataclass
class LoggedCall:
    call: Call
    closed: FollowUp | None  # the open follow-up this conversation closed (status kept/late)
    opened: FollowUp | None  # the follow-up created by next_*
    lead: Lead  # the lead after the call's effects
    moved: FollowUp | None = None  # the open follow-up the new next step replaced
    still_open: FollowUp | None = None  # the agreed step an unanswered dial left open
    warnings: list[RuleWarning] = field(default_factory=list)  # rules the dial broke
    # Why the agreed next step's time is not a good one for the lead (outside their window or
    # calling hours, on a day off or a holiday there), each with its English sentence.
    next_problems: list[Problem] = field(default_factory=list)
    # The rules of the clock the dial itself broke (outside-hours, not-a-calling-day, holiday)
    clock_problems: list[Problem] = field(default_factory=list)
    # Every rule in force the dial was judged by, and those it broke (kept with the call);
    # None for a touch that is not a dial.
    verdict: Verdict | None = None
    # A back-dated call's step when a later call already agreed another: that later step
    # stays the open one, and this call's is recorded as moved by it.
    superseded_by: FollowUp | None = None
    # A conversation on a number flagged wrong proved it right: the flag was cleared.
    cleared_flag: bool = False
    # The do-not-call registries the dialled number is on (``registry-listed``): logged anyway.
    listed: list[Problem] = field(default_factory=list)


def refuse_if_dnc(lead: Lead, at: datetime, zone: ZoneInfo) -> None:
    """A person who objected is never called again: refuse any touch after the objection.

    A call from before the objection is a record of the past and may still be logged.
    """
    if lead.status != Status.DNC or (lead.dnc_at is not None and at < lead.dnc_at):
        return
    raise Refused(
        "{name} asked not to be called on {day}{reason}; no new call is logged.",
        **leads.objected(lead, zone),
    )


def check_entry(entry: CallEntry) -> None:
    """The rules a call must keep before anything is written (UsageError or InvalidData)."""
    if entry.at.tzinfo is None or (entry.next_at is not None and entry.next_at.tzinfo is None):
        raise ValueError("naive datetime reached log_call")
    if entry.outcome == Outcome.CALLBACK and entry.next_at is None:
        raise UsageError("A callback needs the agreed time: add --next WHEN.")
    if entry.outcome == Outcome.MEETING and entry.next_at is None:
        raise UsageError("A meeting needs its date: add --next WHEN --next-action TEXT.")
    if (
        entry.next_at is not None
        and not (entry.next_action or "").strip()
        and entry.outcome != Outcome.CALLBACK  # a callback's step goes without saying
    ):
        raise UsageError("Say what the next step is: add --next-action TEXT.")
    if entry.next_at is None and (entry.next_action or entry.next_goal):
        raise UsageError("Say when the next step is: add --next WHEN.")
    if entry.next_at is not None and entry.outcome == Outcome.DO_NOT_CALL:
        raise UsageError("A person who asked not to be called gets no next step.")
    if entry.next_at is not None and (
        entry.next_at <= entry.at
        if entry.next_has_time
        else entry.next_at.date() < entry.at.astimezone(entry.next_at.tzinfo).date()
    ):
        raise InvalidData("The next step must come after the call.")
    check_timeline(entry.outcome, entry.timeline)
    check_duration(entry.duration)


def check_timeline(outcome: Outcome, timeline: str | None) -> None:
    """A timeline is what the lead said: only a conversation can hold one."""
    if (timeline or "").strip() and not outcome.is_conversation:
        raise UsageError(
            "A timeline is what the lead said in a conversation; drop --timeline for an "
            "unanswered call."
        )


def check_duration(seconds: int | None) -> None:
    """A call's length: from none to MAX_DURATION, the same on every engine."""
    if seconds is None:
        return
    if seconds < 0:
        raise InvalidData("A duration cannot be negative.")
    if seconds > MAX_DURATION:
        raise InvalidData(
            "A call lasts at most {hours} hours; the duration given is longer.",
            hours=MAX_DURATION // 3600,
        )


def log_call(
    db: Database, lead: Lead, entry: CallEntry, now: datetime, config: Config
) -> LoggedCall:
    """Record one touch and all its effects, in one transaction.

    A conversation closes the lead's open follow-up (kept when it falls on or before the
    agreed day in the user's zone, late after it; one agreed after the call stays open); an
    unanswered dial never does: it was an attempt, and the step stays agreed. ``next_*``
    opens a new follow-up and replaces one still open (the old one is *moved*). The outcome
    acts on the lead: do-not-call at once, a wrong number flags the phone, the temperature
    after the call becomes the lead's. A not-interested call is itself the fact the planner
    rests the lead on (``candidates.LAST_NOT_INTERESTED``).
    """
    refuse_if_dnc(lead, entry.at, config.zone)
    check_entry(entry)
    refuse_future(entry.at, now, config.zone)
    # No lock on the store: only the lead's row, so that a colleague's import never holds
    # the call up, and two reps logging on one lead take turns (the second sees the first).
    with db.transaction(exclusive=False):
        db.lock_row("leads", lead.id)  # type: ignore[arg-type]
        vars(lead).update(vars(leads.get(db, lead.id)))  # type: ignore[arg-type]
        refuse_if_dnc(lead, entry.at, config.zone)
        return _log(db, lead, entry, now, config)


def refuse_future(at: datetime, now: datetime, zone: ZoneInfo) -> None:
    """A call is a fact: it cannot have happened after now."""
    if at > now:
        local = at.astimezone(zone)
        raise InvalidData(
            "A call cannot be logged in the future ({moment} is after now); give --at the "
            "moment it happened.",
            moment=local.strftime("%Y-%m-%d %H:%M"),
        )


def _log(
    db: Database, lead: Lead, entry: CallEntry, now: datetime, config: Config,
    call_id: int | None = None,
) -> LoggedCall:  # fmt: skip
    """``log_call`` inside its transaction; ``call_id`` keeps a corrected call's id."""
    call = Call(
        lead_id=lead.id,  # type: ignore[arg-type]
        at=entry.at,
        outcome=entry.outcome,
        channel=entry.channel,
        duration=entry.duration,
        notes=(entry.notes or "").strip() or None,
        objections=list(dict.fromkeys(entry.objections)),
        temperature=entry.temperature,
        sent=entry.sent,
        shown=entry.shown,
        recap=(entry.recap or "").strip() or None,
        timeline=(entry.timeline or "").strip() or None,
        rep=config.rep,
    )
    warnings = frequency_warnings(db, lead, entry, config)
    listed = registry_problems(db, lead, entry)
    verdict = judge_dial(db, lead, entry, config, warnings, listed)
    broken = [] if verdict is None else [p for p in verdict.broken if p.code in CLOCK_RULES]
    row = call_row(call, now)
    row.update(
        before_temperature=str(lead.temperature),
        before_status=str(lead.status),
        before_phone_flag=lead.phone_flag,
        **judged_row(lead, verdict),
    )
    if call_id is None:
        call.id = db.insert(LOGGED_INSERT + " RETURNING id", row)
    else:
        db.execute(LOGGED_INSERT_WITH_ID, {**row, "id": call_id})
        call.id = call_id
    closed = _close_open(db, call, config.zone) if call.outcome.is_conversation else None
    moved = still_open = opened = later = None
    if entry.next_at is not None:
        moved = _move_open(db, call)
        later = _open_followup(db, call.lead_id, call.at, agreed_after=True)
        opened = FollowUp(
            lead_id=call.lead_id,
            due_at=entry.next_at,
            action=(entry.next_action or "").strip() or _default_action(entry.outcome),
            goal=(entry.next_goal or "").strip() or None,
            has_time=entry.next_has_time,
            call_id=call.id,
            created_at=entry.at,  # agreed during the call
            rep=config.rep,
        )
        if later is not None:  # a later call agreed the step in force: this one was moved by it
            opened.status = FollowUpStatus.MOVED
            opened.done_at, opened.done_call_id = later.created_at, later.call_id
        opened.id = db.insert(FOLLOWUP_INSERT + " RETURNING id", followup_row(opened))
    else:
        still_open = _open_followup(db, call.lead_id, call.at)
    cleared = _apply_effects(db, lead, entry, now)
    pickup_record.refresh(db, [call.lead_id], config)
    claims.release(db, call.lead_id)  # the lead was called: off whoever's plan held it
    return LoggedCall(
        call=call, closed=closed, opened=opened, lead=lead, moved=moved, still_open=still_open,
        warnings=warnings, next_problems=next_step_problems(lead, opened, config),
        clock_problems=broken, verdict=verdict,
        superseded_by=later, cleared_flag=cleared, listed=listed,
    )  # fmt: skip


def _default_action(outcome: Outcome) -> str:
    if outcome == Outcome.CALLBACK:
        return CALLBACK_ACTION
    raise UsageError("Say what the next step is: add --next-action TEXT.")


def next_step_problems(lead: Lead, step: FollowUp | None, config: Config) -> list[Problem]:
    """What makes an agreed time a poor one for the person: outside their window or the
    calling hours of their rule profile, or on a weekend or public holiday there — all in
    their zone. The step is kept (it was agreed); the caller is told. A step without a time
    is judged by its day alone."""
    if step is None:
        return []
    from warmcall.compliance.rules import Calendar

    problems = Calendar(config).timing(lead, step.due_at)
    if not step.has_time:
        problems = [p for p in problems if p.code in ("not-a-calling-day", "holiday")]
    return problems


CLOCK_RULES = ("outside-hours", "not-a-calling-day", "holiday")


def judge_dial(
    db: Database,
    lead: Lead,
    entry: CallEntry,
    config: Config,
    warnings: list[RuleWarning],
    listed: Sequence[Problem] = (),
) -> Verdict | None:
    """Every rule in force a dial broke (SPEC §7; ``compliance.checks.judge``): the calling
    hours, days and public holidays of the lead's rule profile as in force at the dial, in
    the lead's zone (in any zone it could be in, when unknown); a consent that profile does
    not accept; a refusal's rest; the frequency rules ``frequency_warnings`` found and the
    do-not-call lists ``listed`` (``registry_problems``). The
    dial happened and is logged; the caller is told. The lead's own window is a preference,
    not a rule: it is not judged. None for a touch that is not a dial (an e-mail)."""
    if entry.channel != Channel.PHONE:
        return None
    from warmcall.compliance.checks import judge
    from warmcall.compliance.rules import Calendar, History
    from warmcall.models import CONVERSATIONS

    # A refusal rests the lead until a later conversation (the plan's reading, ``rest_until``):
    # the last conversation before the dial, if it was a refusal.
    talked = db.one(
        "SELECT at, outcome FROM calls WHERE lead_id = :lead AND at < :at AND outcome IN "
        f"({', '.join(repr(str(o)) for o in sorted(CONVERSATIONS))}) "
        "ORDER BY at DESC, id DESC LIMIT 1",
        {"lead": lead.id, "at": to_epoch(entry.at)},
    )
    refused = talked and talked["outcome"] == Outcome.NOT_INTERESTED
    history = History(refused_at=from_epoch(talked["at"]) if refused else None)  # type: ignore[index]
    more = [w.problem() for w in warnings] + list(listed)  # judged outside the calendar
    return judge(Calendar(config), lead, entry.at, history, more)


def judged_row(lead: Lead, verdict: Verdict | None) -> dict[str, Any]:
    """The columns that keep a dial's verdict: the number dialled (the lead's first, as it
    was then), the verdict as JSON and the checks broken (NULL when none)."""
    if verdict is None:
        return dict.fromkeys(JUDGED_COLUMNS)
    from warmcall.compliance.checks import dumps

    return {
        "dialled": lead.phone_e164 or lead.phone,
        "checks": dumps(verdict),
        "broken": ",".join(verdict.broken_checks) or None,
    }


def registry_problems(db: Database, lead: Lead, entry: CallEntry) -> list[Problem]:
    """The do-not-call registries the dialled number is on (SPEC §7): the dial happened and is
    logged; the caller is told which list holds the number."""
    if entry.channel != Channel.PHONE or not lead.phone_e164:
        return []
    from warmcall.compliance.listings import listed
    from warmcall.compliance.rules import listed_problems

    return listed_problems(listed(db, [lead.phone_e164]).get(lead.phone_e164, ()))


def frequency_warnings(
    db: Database, lead: Lead, entry: CallEntry, config: Config
) -> list[RuleWarning]:
    """The frequency rules a dial breaks (SPEC §7): the lead's frequency limit
    (``compliance.rules.over_frequency``: the profile's, fr-b2c 4 in 30 days, else
    ``[rules]``; calendar days in the lead's zone), or an unanswered dial less than
    ``rest_hours_after_unanswered`` hours before — the plan's rules. A dial on an agreed step
    due that day or overdue breaks nothing: the person asked for it."""
    from warmcall.compliance.rules import (
        Calendar,
        Frequency,
        frequency_limit,
        frequency_since,
        over_frequency,
    )

    if entry.channel != Channel.PHONE:
        return []
    calendar = Calendar(config)
    profile = calendar.profile(lead, entry.at)
    limit = frequency_limit(profile, config.rules)
    # a region's limit beside it (us-fl: 3 in 2 days)
    limits = [x for x in (limit, *(Frequency(m, d, profile.name) for m, d in profile.also)) if x]
    hours = profile.rest_hours_after_unanswered or config.rules.rest_hours_after_unanswered
    zone = config.zone
    at = entry.at
    due = db.one(
        "SELECT MIN(due_at) AS due FROM followups WHERE lead_id = :lead AND status = 'open' "
        "AND created_at <= :at",
        {"lead": lead.id, "at": to_epoch(at)},
    )
    if due and due["due"] is not None:
        day_end = datetime.combine(at.astimezone(zone).date() + timedelta(days=1), time(0), zone)
        if due["due"] < to_epoch(day_end):
            return []
    days = max(*(x.days for x in limits), 1, -(-hours // 24))
    earlier = db.query(
        "SELECT at, outcome FROM calls WHERE lead_id = :lead AND channel = 'phone' "
        "AND at >= :since AND at <= :at ORDER BY at DESC, id DESC",
        {"lead": lead.id, "since": to_epoch(frequency_since(at, days)), "at": to_epoch(at)},
    )
    found = []
    dials = [from_epoch(row["at"]) for row in earlier]
    for limit in limits:
        over = over_frequency(dials, at, limit, calendar.zone(lead))
        if over is not None:
            found.append(
                RuleWarning(
                    "attempts", limit.most, over.dials + 1, days=limit.days, profile=limit.profile
                )
            )
            break
    if earlier and hours > 0:
        last_at, last_outcome = dials[0], Outcome(earlier[0]["outcome"])
        source = profile.name if profile.rest_hours_after_unanswered else None
        if not last_outcome.is_conversation and at - last_at < timedelta(hours=hours):  # type: ignore[operator]
            found.append(
                RuleWarning(
                    "rest-after-unanswered", hours, hours=hours, since=last_at, profile=source
                )
            )
    return found


def _open_before(db: Database, call: Call) -> list[dict[str, Any]]:
    """The lead's follow-ups still open and agreed before the call, soonest due first."""
    return db.query(
        f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups "
        "WHERE lead_id = :lead AND status = 'open' AND created_at <= :at "
        "ORDER BY due_at, id",
        {"lead": call.lead_id, "at": to_epoch(call.at)},
    )


def _close_open(db: Database, call: Call, zone: ZoneInfo) -> FollowUp | None:
    """Close every follow-up agreed before this call; return the latest one closed."""
    closed = None
    for row in _open_before(db, call):
        closed = followup_from_row(row)
        on_time = call.at.astimezone(zone).date() <= closed.due_at.astimezone(zone).date()
        closed.status = FollowUpStatus.KEPT if on_time else FollowUpStatus.LATE
        closed.done_at, closed.done_call_id = call.at, call.id
        db.execute(
            "UPDATE followups SET status = :status, done_at = :done, done_call_id = :call "
            "WHERE id = :id",
            {"status": str(closed.status), "done": to_epoch(call.at), "call": call.id,
             "id": closed.id},
        )  # fmt: skip
    return closed


def _open_followup(
    db: Database, lead_id: int, at: datetime, agreed_after: bool = False
) -> FollowUp | None:
    """The follow-up open for the lead and agreed before ``at``, if any; ``agreed_after``:
    the one agreed after it (a later call's step, which a back-dated call's own step does
    not replace)."""
    agreed = "created_at > :at" if agreed_after else "created_at <= :at"
    row = db.one(
        f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups "
        f"WHERE lead_id = :lead AND status = 'open' AND {agreed} "
        "ORDER BY created_at DESC, id DESC LIMIT 1",
        {"lead": lead_id, "at": to_epoch(at)},
    )
    return followup_from_row(row) if row else None


def _move_open(db: Database, call: Call) -> FollowUp | None:
    """A new next step replaces every step still open: they become *moved*, done by this
    call (so that undoing the call brings them back). Returns the latest one moved."""
    moved = None
    for row in _open_before(db, call):
        moved = followup_from_row(row)
        moved.status, moved.done_at, moved.done_call_id = FollowUpStatus.MOVED, call.at, call.id
        db.execute(
            "UPDATE followups SET status = 'moved', done_at = :done, done_call_id = :call "
            "WHERE id = :id",
            {"done": to_epoch(call.at), "call": call.id, "id": moved.id},
        )
    return moved


def _apply_effects(db: Database, lead: Lead, entry: CallEntry, now: datetime) -> bool:
    """What the outcome does to the lead; True when a conversation cleared a wrong-number
    flag (the number reached the person, so it is not wrong)."""
    changed = cleared = False
    if entry.temperature is not None and entry.temperature != lead.temperature:
        lead.temperature, changed = entry.temperature, True
    if entry.outcome == Outcome.WRONG_NUMBER and lead.phone_flag != phones.WRONG_NUMBER:
        lead.phone_flag, changed = phones.WRONG_NUMBER, True
    elif _proves_number(db, lead, entry):
        lead.phone_flag, changed, cleared = None, True, True
    if entry.lost and lead.status == Status.ACTIVE:
        lead.status, changed = Status.LOST, True
    if entry.outcome == Outcome.DO_NOT_CALL:
        lead.dnc_at = lead.dnc_at or entry.at  # the objection dates from the call
        reason = (entry.notes or "").strip() or Said.ASKED.value
        leads.mark_dnc(db, lead, reason, now)
    elif changed:
        leads.save(db, lead, now)
    return cleared


def _proves_number(db: Database, lead: Lead, entry: CallEntry) -> bool:
    """A phone conversation with the lead on a number flagged wrong, no wrong-number call
    after it: the person answered that number, so the flag no longer holds."""
    if not (
        lead.phone_flag == phones.WRONG_NUMBER
        and entry.channel == Channel.PHONE
        and entry.outcome.is_conversation
    ):
        return False
    later = db.one(
        "SELECT id FROM calls WHERE lead_id = :lead AND outcome = 'wrong-number' AND at > :at "
        "LIMIT 1",
        {"lead": lead.id, "at": to_epoch(entry.at)},
    )
    return later is None


# Imported history carries no sent/shown/recap facts: its insert leaves them out (a
# timeline the lead gave it may carry).
_IMPORTED_COLUMNS = (*CALL_COLUMNS[1:9], "timeline", "rep")
CALL_INSERT = (
    f"INSERT INTO calls ({', '.join(_IMPORTED_COLUMNS)}, created_at) "
    f"VALUES ({placeholders(_IMPORTED_COLUMNS)}, :created_at)"
)
# A call logged here also keeps the lead as it was before it and what the dial was judged by.
_LOGGED = (*BEFORE_COLUMNS, *JUDGED_COLUMNS)
LOGGED_INSERT = (
    f"INSERT INTO calls ({', '.join(CALL_COLUMNS[1:])}, created_at, {', '.join(_LOGGED)}) "
    f"VALUES ({placeholders(CALL_COLUMNS[1:])}, :created_at, {placeholders(_LOGGED)})"
)
LOGGED_INSERT_WITH_ID = (
    f"INSERT INTO calls (id, {', '.join(CALL_COLUMNS[1:])}, created_at, "
    f"{', '.join(_LOGGED)}) VALUES (:id, {placeholders(CALL_COLUMNS[1:])}, :created_at, "
    f"{placeholders(_LOGGED)})"
)
FOLLOWUP_INSERT = (
    f"INSERT INTO followups ({', '.join(FOLLOWUP_COLUMNS[1:])}) "
    f"VALUES ({placeholders(FOLLOWUP_COLUMNS[1:])})"
)


def call_row(call: Call, now: datetime) -> dict[str, Any]:
    return {
        "lead_id": call.lead_id,
        "at": to_epoch(call.at),
        "outcome": str(call.outcome),
        "channel": str(call.channel),
        "duration": call.duration,
        "notes": call.notes,
        "objections": ",".join(str(o) for o in call.objections) or None,
        "temperature": str(call.temperature) if call.temperature else None,
        "sent": call.sent,
        "shown": call.shown,
        "recap": call.recap,
        "timeline": call.timeline,
        "rep": call.rep,
        "created_at": to_epoch(now),
    }


def followup_row(followup: FollowUp) -> dict[str, Any]:
    return {
        "lead_id": followup.lead_id,
        "call_id": followup.call_id,
        "due_at": to_epoch(followup.due_at),
        "has_time": followup.has_time,
        "action": followup.action,
        "goal": followup.goal,
        "created_at": to_epoch(followup.created_at) if followup.created_at else None,
        "done_at": to_epoch(followup.done_at) if followup.done_at else None,
        "done_call_id": followup.done_call_id,
        "status": str(followup.status),
        "rep": followup.rep,
    }


# --- listing calls --------------------------------------------------------------------------


@dataclass
class ListedCall:
    call: Call
    lead_name: str
    company: str | None


@dataclass
class CallFilter:
    lead_id: int | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    outcomes: list[Outcome] = field(default_factory=list)
    limit: int | None = None


def find_calls(db: Database, flt: CallFilter) -> list[ListedCall]:
    """Calls matching the filter, newest first, with the lead's name (filtered in SQL)."""
    where, params = [], {}
    if flt.lead_id is not None:
        where.append("c.lead_id = :lead")
        params["lead"] = flt.lead_id
    if flt.since is not None:
        where.append("c.at >= :since")
        params["since"] = to_epoch(flt.since)
    if flt.until is not None:
        where.append("c.at < :until")
        params["until"] = to_epoch(flt.until)
    if flt.outcomes:
        names = [f"o{i}" for i in range(len(flt.outcomes))]
        where.append(f"c.outcome IN ({placeholders(names)})")
        params.update({n: str(o) for n, o in zip(names, flt.outcomes, strict=True)})
    sql = (
        f"SELECT {', '.join('c.' + c for c in CALL_COLUMNS)}, l.name AS lead_name, "
        "l.company AS lead_company FROM calls c JOIN leads l ON l.id = c.lead_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY c.at DESC, c.id DESC"
    if flt.limit:
        sql += " LIMIT :limit"
        params["limit"] = flt.limit
    return [
        ListedCall(call_from_row(r), r["lead_name"], r["lead_company"])
        for r in db.query(sql, params)
    ]


def listed_json(listed: ListedCall, zone: ZoneInfo) -> dict[str, Any]:
    data = call_json(listed.call, zone)
    data.update(lead_id=listed.call.lead_id, lead=listed.lead_name, company=listed.company)
    return data


def logged_json(
    logged: LoggedCall,
    zone: ZoneInfo,
    now: datetime,
    said: Callable[[Problem], str] = lambda p: p.code,
) -> dict[str, Any]:
    """``call log --json``: the call, the follow-ups it closed and opened, the lead's state;
    ``said`` words a problem of the next step (the edge's English)."""
    data = call_json(logged.call, zone)
    data.update(lead_id=logged.lead.id, lead=logged.lead.name)
    data.update(sent=logged.call.sent, shown=logged.call.shown, recap=logged.call.recap)
    data["closed"] = followup_json(logged.closed, zone, now) if logged.closed else None
    data["opened"] = followup_json(logged.opened, zone, now) if logged.opened else None
    data["moved"] = followup_json(logged.moved, zone, now) if logged.moved else None
    data["still_open"] = followup_json(logged.still_open, zone, now) if logged.still_open else None
    data["warnings"] = [w.as_json(zone) for w in logged.warnings]
    data["next_problems"] = [{"code": p.code, "detail": said(p)} for p in logged.next_problems]
    data["clock_problems"] = [{"code": p.code, **p.facts} for p in logged.clock_problems]
    data["registry_problems"] = [{"code": p.code, **p.facts} for p in logged.listed]
    data["checks"] = None
    if logged.verdict is not None:
        from warmcall.compliance.checks import verdict_record

        data["checks"] = verdict_record(logged.verdict)
    superseded = logged.superseded_by
    data["superseded_by"] = followup_json(superseded, zone, now) if superseded else None
    data["cleared_phone_flag"] = logged.cleared_flag
    data["lead_status"] = str(logged.lead.status)
    data["lead_temperature"] = str(logged.lead.temperature)
    return data


# --- correcting the record ------------------------------------------------------------------


@dataclass
class Undone:
    """What ``call undo`` took back: the call, and what its effects had changed."""

    call: Call
    lead: Lead  # the lead after the correction
    reopened: list[FollowUp]  # the steps the call had closed or moved, open again
    removed: list[FollowUp]  # the steps the call had agreed, gone with it
    restored: list[str]  # the lead's fields put back: temperature, status, phone


@dataclass
class CallChanges:
    """``call edit``: each field given replaces the call's; None leaves it."""

    outcome: Outcome | None = None
    at: datetime | None = None
    notes: str | None = None
    duration: int | None = None
    objections: list[Objection] | None = None
    temperature: Temperature | None = None
    # The step the call agreed: a new time (read from the call's time), what, and its goal.
    next_at: datetime | None = None
    next_has_time: bool = True
    next_action: str | None = None
    next_goal: str | None = None
    reason: str | None = None  # why an objection the call recorded is lifted, if it is
    timeline: str | None = None  # the timeline the lead gave ("" clears it)

    @property
    def touches_effects(self) -> bool:
        """Whether the correction changes what the call did (the follow-ups, the lead)."""
        return any(
            v is not None
            for v in (self.outcome, self.at, self.next_at, self.next_action, self.next_goal)
        )


def get_call(db: Database, call_id: int) -> Call:
    row = db.one(f"SELECT {', '.join(CALL_COLUMNS)} FROM calls WHERE id = :id", {"id": call_id})
    if row is None:
        raise NotFound(
            "No call has id {call_id}; `warmcall call list` shows the ids.", call_id=call_id
        )
    return call_from_row(row)


def last_logged(db: Database, rep: str | None = None) -> Call:
    """The call ``rep`` logged last (the highest id), whatever moment it was logged for: on a
    team's store, never a colleague's (the implicit rep's calls, from before the store knew
    its reps, are everyone's). None: anyone's."""
    mine = "" if rep is None else "WHERE rep IN (:rep, '') "
    row = db.one(
        f"SELECT {', '.join(CALL_COLUMNS)} FROM calls {mine}ORDER BY id DESC LIMIT 1",
        {"rep": rep},
    )
    if row is None:
        raise NotFound("There is no call to undo.")
    return call_from_row(row)


def undo_call(
    db: Database, call: Call, now: datetime, config: Config, reason: str | None = None
) -> Undone:
    """Take a call back with what it did: the steps it closed or moved reopen, the one it
    agreed goes, the lead's temperature, status and phone flag come back as they were
    before it (where nothing since changed them). An objection the call recorded is lifted
    only with a ``reason``, like ``lead dnc --lift``; the timeline keeps both acts."""
    with db.transaction():
        lead = leads.get(db, call.lead_id)
        reopened, removed, restored = _revert(db, call, lead, now, "undone", reason)
        db.execute("DELETE FROM calls WHERE id = :id", {"id": call.id})
        pickup_record.refresh(db, [call.lead_id], config)
    return Undone(call, lead, reopened, removed, restored)


def edit_call(
    db: Database, call_id: int, changes: CallChanges, now: datetime, config: Config
) -> LoggedCall:
    """Correct a call. Notes, duration and objections change in place; a new temperature
    also becomes the lead's when no later call recorded one. A new outcome or time changes
    what the call did, so the call is taken back and logged again as corrected (same id,
    same agreed step): only the lead's latest call can be corrected so, since later calls
    were judged on what it did."""
    call = get_call(db, call_id)
    with db.transaction():
        lead = leads.get(db, call.lead_id)
        if not changes.touches_effects:
            return _edit_in_place(db, call, lead, changes, now)
        later = db.one(
            "SELECT id FROM calls WHERE lead_id = :lead AND id <> :id "
            "AND (at > :at OR (at = :at AND id > :id)) LIMIT 1",
            {"lead": call.lead_id, "id": call.id, "at": to_epoch(call.at)},
        )
        if later is not None:
            raise Refused(
                "Call #{id} has later calls with {name}; only the latest call's "
                "outcome or time can change (undo the later ones first).",
                id=call.id,
                name=lead.name,
            )
        opened = db.one(
            f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups WHERE call_id = :id "
            "ORDER BY id DESC LIMIT 1",
            {"id": call.id},
        )
        agreed = followup_from_row(opened) if opened else None
        was_lost = _before(db, call.id)["before_status"] == "active" and lead.status == "lost"
        outcome = changes.outcome or call.outcome
        reason = changes.reason
        if outcome == Outcome.DO_NOT_CALL and not reason:  # the objection stays: recorded anew
            reason = Said.CORRECTED.value
        _revert(db, call, lead, now, "corrected", reason)
        db.execute("DELETE FROM calls WHERE id = :id", {"id": call.id})
        entry = CallEntry(
            outcome=outcome,
            at=changes.at or call.at,
            channel=call.channel,
            duration=call.duration if changes.duration is None else changes.duration,
            notes=call.notes if changes.notes is None else changes.notes,
            objections=call.objections if changes.objections is None else changes.objections,
            temperature=changes.temperature or call.temperature,
            next_at=agreed.due_at if agreed else None,
            next_has_time=agreed.has_time if agreed else True,
            next_action=agreed.action if agreed else None,
            next_goal=agreed.goal if agreed else None,
            lost=was_lost,
            timeline=call.timeline if changes.timeline is None else changes.timeline,
        )
        if entry.timeline and not outcome.is_conversation and changes.timeline is None:
            raise UsageError(
                "Call #{id} holds the timeline the lead gave, which an unanswered call "
                'cannot: clear it with --timeline "" in the same correction.',
                id=call.id,
            )
        if changes.next_at is not None:
            entry.next_at, entry.next_has_time = changes.next_at, changes.next_has_time
        entry.next_action = changes.next_action or entry.next_action
        entry.next_goal = changes.next_goal or entry.next_goal
        refuse_if_dnc(lead, entry.at, config.zone)
        check_entry(entry)
        refuse_future(entry.at, now, config.zone)
        return _log(db, lead, entry, now, config, call_id=call.id)


def _edit_in_place(
    db: Database, call: Call, lead: Lead, changes: CallChanges, now: datetime
) -> LoggedCall:
    check_duration(changes.duration)
    if changes.notes is not None:
        call.notes = changes.notes.strip() or None
    if changes.timeline is not None:
        call.timeline = changes.timeline.strip() or None
        check_timeline(call.outcome, call.timeline)
    if changes.duration is not None:
        call.duration = changes.duration
    if changes.objections is not None:
        call.objections = list(dict.fromkeys(changes.objections))
    if changes.temperature is not None:
        call.temperature = changes.temperature
        later = db.one(
            "SELECT id FROM calls WHERE lead_id = :lead AND id <> :id AND temperature IS NOT NULL "
            "AND (at > :at OR (at = :at AND id > :id)) LIMIT 1",
            {"lead": call.lead_id, "id": call.id, "at": to_epoch(call.at)},
        )
        if later is None and lead.temperature != changes.temperature:
            lead.temperature = changes.temperature
            leads.save(db, lead, now)
    db.execute(
        "UPDATE calls SET notes = :notes, duration = :duration, objections = :objections, "
        "temperature = :temperature, timeline = :timeline WHERE id = :id",
        {"notes": call.notes, "duration": call.duration, "timeline": call.timeline,
         "objections": ",".join(str(o) for o in call.objections) or None,
         "temperature": str(call.temperature) if call.temperature else None, "id": call.id},
    )  # fmt: skip
    return LoggedCall(call=call, closed=None, opened=None, lead=lead)


def _before(db: Database, call_id: int | None) -> dict[str, Any]:
    row = db.one(f"SELECT {', '.join(BEFORE_COLUMNS)} FROM calls WHERE id = :id", {"id": call_id})
    return row or dict.fromkeys(BEFORE_COLUMNS)


def _revert(
    db: Database, call: Call, lead: Lead, now: datetime, how: str, reason: str | None = None
) -> tuple[list[FollowUp], list[FollowUp], list[str]]:
    """Undo a call's effects (not the call row): delete the step it agreed, reopen the one
    it closed or moved, restore the lead's fields it changed. ``reason``: why an objection
    the call recorded is lifted (required when it is)."""
    removed = _followups(db, "call_id = :id", call.id)
    db.execute("DELETE FROM followups WHERE call_id = :id", {"id": call.id})
    reopened = _reopen(db, call)
    before = _before(db, call.id)
    restored: list[str] = []
    if (
        before["before_temperature"]
        and call.temperature is not None
        and lead.temperature == call.temperature
        and before["before_temperature"] != str(lead.temperature)
    ):
        lead.temperature = Temperature(before["before_temperature"])
        restored.append("temperature")
    if (
        call.outcome == Outcome.WRONG_NUMBER
        and lead.phone_flag == phones.WRONG_NUMBER
        and before["before_phone_flag"] != phones.WRONG_NUMBER
        and before["before_status"] is not None
    ):
        lead.phone_flag = before["before_phone_flag"]
        restored.append("phone")
    elif (
        call.outcome.is_conversation
        and lead.phone_flag is None
        and before["before_phone_flag"] == phones.WRONG_NUMBER
    ):  # the conversation had cleared the flag: it comes back with the call's undoing
        lead.phone_flag = phones.WRONG_NUMBER
        restored.append("phone-flag")
    status = before["before_status"]
    if status and status != lead.status:
        if lifts_objection(call, lead, status):
            if not (reason or "").strip():
                raise UsageError(
                    "Taking back call #{id} lifts {name}'s objection to calls; say why: "
                    "add --reason TEXT.",
                    id=call.id,
                    name=lead.name,
                )
            said = f"{reason.strip()} (call #{call.id} {how})"  # type: ignore[union-attr]
            leads._lift(db, lead, said, now)
            restored.append("status")
        elif lead.status == Status.LOST and status == Status.ACTIVE:
            lead.status = Status.ACTIVE
            restored.append("status")
    if restored:
        leads.save(db, lead, now)
    return reopened, removed, restored


def lifts_objection(call: Call, lead: Lead, before_status: str | None) -> bool:
    """Whether taking ``call`` back lifts the lead's objection: the call recorded it."""
    return (
        lead.status == Status.DNC
        and call.outcome == Outcome.DO_NOT_CALL
        and before_status is not None
        and before_status != Status.DNC
    )


def needs_reason(db: Database, call: Call, lead: Lead) -> bool:
    """Whether undoing ``call`` lifts an objection, so that a reason must be given."""
    return lifts_objection(call, lead, _before(db, call.id)["before_status"])


def _followups(db: Database, where: str, call_id: int | None) -> list[FollowUp]:
    return [
        followup_from_row(r)
        for r in db.query(
            f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups WHERE {where} "
            "ORDER BY created_at DESC, id DESC",
            {"id": call_id},
        )
    ]


def _reopen(db: Database, call: Call) -> list[FollowUp]:
    """The steps ``call`` closed or moved, as they were before it: the one agreed latest opens
    again (a lead has one open step; none if another is open); any other becomes moved by
    that one's call, as it would have been had the call never been logged."""
    done = _followups(db, "done_call_id = :id", call.id)
    if not done:
        return []
    first, others = done[0], done[1:]
    if db.one(
        "SELECT id FROM followups WHERE lead_id = :lead AND status = 'open' LIMIT 1",
        {"lead": call.lead_id},
    ):
        return []
    db.execute(
        "UPDATE followups SET status = 'open', done_at = NULL, done_call_id = NULL WHERE id = :id",
        {"id": first.id},
    )
    first.status, first.done_at, first.done_call_id = FollowUpStatus.OPEN, None, None
    for other in others:
        db.execute(
            "UPDATE followups SET status = 'moved', done_at = :done, done_call_id = :call "
            "WHERE id = :id",
            {"done": to_epoch(first.created_at), "call": first.call_id, "id": other.id},
        )
    return [first]


def undone_json(undone: Undone, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    """``call undo --json``: the call taken back and what came back with it."""
    data = call_json(undone.call, zone)
    data.update(lead_id=undone.lead.id, lead=undone.lead.name)
    data["reopened"] = [followup_json(f, zone, now) for f in undone.reopened]
    data["removed"] = [followup_json(f, zone, now) for f in undone.removed]
    data["restored"] = undone.restored
    data["lead_status"] = str(undone.lead.status)
    data["lead_temperature"] = str(undone.lead.temperature)
    return data
