"""The domain's vocabulary and records, as plain data (no database, no terminal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Temperature(StrEnum):
    COLD = "cold"
    WARM = "warm"
    HOT = "hot"


class Stage(StrEnum):
    LEAD = "lead"
    MQL = "mql"
    PQL = "pql"
    SQL = "sql"
    PROSPECT = "prospect"
    CUSTOMER = "customer"


class Status(StrEnum):
    ACTIVE = "active"
    WON = "won"
    LOST = "lost"
    DNC = "dnc"


class Consent(StrEnum):
    OPT_IN = "opt-in"
    CUSTOMER = "customer"
    FORM = "form"
    B2B = "b2b"
    NONE = "none"


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    SMS = "sms"
    LINKEDIN = "linkedin"
    VISIT = "visit"


class Objection(StrEnum):
    PRICE = "price"
    TIMING = "timing"
    AUTHORITY = "authority"
    NEED = "need"
    COMPETITOR = "competitor"
    OTHER = "other"


class Outcome(StrEnum):
    CONNECTED = "connected"
    MEETING = "meeting"
    CALLBACK = "callback"
    NOT_INTERESTED = "not-interested"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no-answer"
    BUSY = "busy"
    WRONG_NUMBER = "wrong-number"
    DO_NOT_CALL = "do-not-call"

    @property
    def is_conversation(self) -> bool:
        return self in CONVERSATIONS

    @property
    def is_positive(self) -> bool:
        return self in POSITIVE


CONVERSATIONS = frozenset(
    {
        Outcome.CONNECTED,
        Outcome.MEETING,
        Outcome.CALLBACK,
        Outcome.NOT_INTERESTED,
        Outcome.DO_NOT_CALL,
    }
)
UNANSWERED = frozenset(set(Outcome) - CONVERSATIONS)
POSITIVE = frozenset({Outcome.MEETING, Outcome.CALLBACK, Outcome.CONNECTED})


class FollowUpStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    LATE = "late"
    MOVED = "moved"  # replaced by a later --next before a conversation closed it
    OVERDUE = "overdue"  # derived: open and past its time; never stored


# Named windows; their hours come from the configuration.
NAMED_WINDOWS = ("early", "midday", "any")


@dataclass
class Lead:
    name: str
    id: int | None = None
    company: str | None = None
    title: str | None = None
    phone: str | None = None
    phone_e164: str | None = None
    phone_flag: str | None = None  # "unparsed" (kept as given) or "wrong-number"
    email: str | None = None
    temperature: Temperature = Temperature.WARM
    stage: Stage = Stage.LEAD
    status: Status = Status.ACTIVE
    source: str | None = None
    context: str | None = None
    consent: Consent = Consent.NONE
    window: str = "any"
    timezone: str | None = None
    notes: str | None = None
    tags: list[str] = field(default_factory=list)
    dnc_at: datetime | None = None
    dnc_reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    country: str | None = None  # ISO 3166 alpha-2
    phones: list[str] = field(default_factory=list)  # other numbers, after ``phone``
    owner: str | None = None  # the rep the lead belongs to; None: shared by the team
    updated_by: str = ""  # the rep who changed it last ('' : the implicit rep)


@dataclass
class Call:
    lead_id: int
    at: datetime
    outcome: Outcome
    channel: Channel = Channel.PHONE
    duration: int | None = None  # seconds
    notes: str | None = None
    objections: list[Objection] = field(default_factory=list)
    temperature: Temperature | None = None  # after the call
    id: int | None = None
    sent: str | None = None  # what was sent with the call: offer, proposal, invoice, info
    shown: str | None = None  # what was shown in it: demo
    recap: str | None = None  # a customer-facing summary, for the e-mail
    timeline: str | None = None  # the timeline the lead gave, as they said it
    rep: str = ""  # who made it ('' : the implicit rep of a store of one)


@dataclass
class FollowUp:
    lead_id: int
    due_at: datetime
    action: str
    goal: str | None = None
    has_time: bool = True
    call_id: int | None = None
    created_at: datetime | None = None
    done_at: datetime | None = None
    done_call_id: int | None = None
    status: FollowUpStatus = FollowUpStatus.OPEN
    id: int | None = None
    rep: str = ""  # who agreed it
