"""Calls and follow-ups: logging a touch with its effects, listing, and a lead's history.

Every touch goes through ``log_call`` (one transaction: the call, the follow-up it closes,
the one it opens, and what the outcome does to the lead); imported history does not (see
``call_import``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warmcall import leads, phones
from warmcall.clock import from_epoch, iso, to_epoch
from warmcall.config import Config
from warmcall.errors import InvalidData, Refused, UsageError
from warmcall.leads import fold
from warmcall.models import (
    Call,
    Channel,
    FollowUp,
    FollowUpStatus,
    Lead,
    Objection,
    Outcome,
    Status,
    Temperature,
)
from warmcall.store.db import Database, placeholders

CALL_COLUMNS = (
    "id", "lead_id", "at", "outcome", "channel", "duration", "notes", "objections",
    "temperature",
)  # fmt: skip
FOLLOWUP_COLUMNS = (
    "id", "lead_id", "call_id", "due_at", "has_time", "action", "goal", "created_at",
    "done_at", "done_call_id", "status",
)  # fmt: skip


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


def spelling_key(text: str) -> str:
    """A spelling compared without case, accents, punctuation or extra spaces: for
    outcomes, channels and column headers from other tools."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


_NOT_WORD = re.compile(r"[\W_]+")


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
        raise InvalidData(f"Unknown outcome {text!r}; use one of {allowed}.")
    return found


_DURATION = re.compile(
    r"^(?:(?P<h>\d+)\s*h(?:ours?|rs?)?)?\s*"
    r"(?:(?P<m>\d+)\s*m(?:in(?:ute)?s?)?)?\s*"
    r"(?:(?P<s>\d+)\s*s(?:ec(?:ond)?s?)?)?$"
)
_CLOCK_DURATION = re.compile(r"^(?:(\d+):)?(\d+):(\d{2})$")


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
    raise InvalidData(f"Cannot read {text!r} as a duration; try '5m', '90s', '1h5m' or '4:30'.")


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


@dataclass
class RuleWarning:
    """A frequency rule a logged dial broke: the dial happened and is kept, the caller is
    told (SPEC §7). ``rule`` is ``attempts`` (``count`` dials, this one included, within
    ``days`` calendar days, where ``limit`` make a lead rest) or ``rest-after-unanswered``
    (``hours`` of rest after the unanswered dial at ``since``)."""

    rule: str
    limit: int
    count: int = 0
    days: int | None = None
    hours: int | None = None
    since: datetime | None = None

    def as_json(self, zone: ZoneInfo) -> dict[str, Any]:
        return {
            "rule": self.rule,
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


def refuse_if_dnc(lead: Lead, at: datetime, zone: ZoneInfo) -> None:
    """A person who objected is never called again: refuse any touch after the objection.

    A call from before the objection is a record of the past and may still be logged.
    """
    if lead.status != Status.DNC or (lead.dnc_at is not None and at < lead.dnc_at):
        return
    since = "an earlier day"
    if lead.dnc_at is not None:
        day = lead.dnc_at.astimezone(zone)
        since = f"{day.day} {day:%b %Y}"
    reason = f" ({lead.dnc_reason})" if lead.dnc_reason else ""
    raise Refused(f"{lead.name} asked not to be called on {since}{reason}; no new call is logged.")


def check_entry(entry: CallEntry) -> None:
    """The rules a call must keep before anything is written (UsageError or InvalidData)."""
    if entry.at.tzinfo is None or (entry.next_at is not None and entry.next_at.tzinfo is None):
        raise ValueError("naive datetime reached log_call")
    if entry.outcome == Outcome.CALLBACK and entry.next_at is None:
        raise UsageError("A callback needs the agreed time: add --next WHEN --next-action TEXT.")
    if entry.outcome == Outcome.MEETING and entry.next_at is None:
        raise UsageError("A meeting needs its date: add --next WHEN --next-action TEXT.")
    if entry.next_at is not None and not (entry.next_action or "").strip():
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
    if entry.duration is not None and entry.duration < 0:
        raise InvalidData("A duration cannot be negative.")


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
    rests the lead on (``activity.LAST_NOT_INTERESTED``).
    """
    refuse_if_dnc(lead, entry.at, config.zone)
    check_entry(entry)
    call = Call(
        lead_id=lead.id,  # type: ignore[arg-type]
        at=entry.at,
        outcome=entry.outcome,
        channel=entry.channel,
        duration=entry.duration,
        notes=(entry.notes or "").strip() or None,
        objections=list(dict.fromkeys(entry.objections)),
        temperature=entry.temperature,
    )
    with db.transaction():
        call.id = db.insert(CALL_INSERT + " RETURNING id", call_row(call, now))
        closed = _close_open(db, call, config.zone) if call.outcome.is_conversation else None
        moved = still_open = None
        if entry.next_at is not None:
            moved = _move_open(db, call)
        else:
            still_open = _open_followup(db, call.lead_id, call.at)
        opened = None
        if entry.next_at is not None:
            opened = FollowUp(
                lead_id=call.lead_id,
                due_at=entry.next_at,
                action=(entry.next_action or "").strip(),
                goal=(entry.next_goal or "").strip() or None,
                has_time=entry.next_has_time,
                call_id=call.id,
                created_at=entry.at,  # agreed during the call
            )
            opened.id = db.insert(FOLLOWUP_INSERT + " RETURNING id", followup_row(opened))
        _apply_effects(db, lead, entry, now)
    return LoggedCall(
        call=call, closed=closed, opened=opened, lead=lead, moved=moved, still_open=still_open
    )


def _close_open(db: Database, call: Call, zone: ZoneInfo) -> FollowUp | None:
    """Close every follow-up agreed before this call; return the latest one closed."""
    rows = db.query(
        f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups "
        "WHERE lead_id = :lead AND status = 'open' AND created_at <= :at "
        "ORDER BY due_at, id",
        {"lead": call.lead_id, "at": to_epoch(call.at)},
    )
    closed = None
    for row in rows:
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


def _open_followup(db: Database, lead_id: int, at: datetime) -> FollowUp | None:
    """The follow-up open for the lead and agreed before ``at``, if any."""
    row = db.one(
        f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups "
        "WHERE lead_id = :lead AND status = 'open' AND created_at <= :at "
        "ORDER BY due_at DESC, id DESC LIMIT 1",
        {"lead": lead_id, "at": to_epoch(at)},
    )
    return followup_from_row(row) if row else None


def _move_open(db: Database, call: Call) -> FollowUp | None:
    """A new next step replaces every step still open: they become *moved*, done by this
    call (so that undoing the call brings them back). Returns the latest one moved."""
    rows = db.query(
        f"SELECT {', '.join(FOLLOWUP_COLUMNS)} FROM followups "
        "WHERE lead_id = :lead AND status = 'open' AND created_at <= :at "
        "ORDER BY due_at, id",
        {"lead": call.lead_id, "at": to_epoch(call.at)},
    )
    moved = None
    for row in rows:
        moved = followup_from_row(row)
        moved.status, moved.done_at, moved.done_call_id = FollowUpStatus.MOVED, call.at, call.id
        db.execute(
            "UPDATE followups SET status = 'moved', done_at = :done, done_call_id = :call "
            "WHERE id = :id",
            {"done": to_epoch(call.at), "call": call.id, "id": moved.id},
        )
    return moved


def _apply_effects(db: Database, lead: Lead, entry: CallEntry, now: datetime) -> None:
    changed = False
    if entry.temperature is not None and entry.temperature != lead.temperature:
        lead.temperature, changed = entry.temperature, True
    if entry.outcome == Outcome.WRONG_NUMBER and lead.phone_flag != phones.WRONG_NUMBER:
        lead.phone_flag, changed = phones.WRONG_NUMBER, True
    if entry.lost and lead.status == Status.ACTIVE:
        lead.status, changed = Status.LOST, True
    if entry.outcome == Outcome.DO_NOT_CALL:
        lead.dnc_at = lead.dnc_at or entry.at  # the objection dates from the call
        reason = (entry.notes or "").strip() or "asked not to be called"
        leads.mark_dnc(db, lead, reason, now)
    elif changed:
        leads.save(db, lead, now)


CALL_INSERT = (
    f"INSERT INTO calls ({', '.join(CALL_COLUMNS[1:])}, created_at) "
    f"VALUES ({placeholders(CALL_COLUMNS[1:])}, :created_at)"
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


def logged_json(logged: LoggedCall, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    """``call log --json``: the call, the follow-ups it closed and opened, the lead's state."""
    data = call_json(logged.call, zone)
    data.update(lead_id=logged.lead.id, lead=logged.lead.name)
    data["closed"] = followup_json(logged.closed, zone, now) if logged.closed else None
    data["opened"] = followup_json(logged.opened, zone, now) if logged.opened else None
    data["moved"] = followup_json(logged.moved, zone, now) if logged.moved else None
    data["still_open"] = followup_json(logged.still_open, zone, now) if logged.still_open else None
    data["warnings"] = [w.as_json(zone) for w in logged.warnings]
    data["lead_status"] = str(logged.lead.status)
    data["lead_temperature"] = str(logged.lead.temperature)
    return data
