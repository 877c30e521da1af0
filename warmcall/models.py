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
    REVOKED = "revoked"  # withdrawn: no profile accepts it


# How a customer relationship began (its validity runs from it: the US established business
# relationship lasts 18 months after a purchase, 3 after an inquiry).
BASES = ("purchase", "inquiry")


class Segment(StrEnum):
    """Who the lead is to the law (SPEC §1): with the country and region it chooses the rule
    profile (§7)."""

    BUSINESS = "business"
    CONSUMER = "consumer"
    SOLE_TRADER = "sole-trader"


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


class Said(StrEnum):
    """What warmcall records as the reason of an objection or of its lift when the user gave
    none: a code, never a sentence (render/leads.py words it in the user's language)."""

    ASKED = "asked-not-to-be-called"  # an objection with no reason of its own
    CORRECTED = "call-corrected"  # a call's correction lifted the objection it recorded


# What earlier versions stored in English for these, read as the codes.
SAID_BEFORE = {"asked not to be called": Said.ASKED, "the call was corrected": Said.CORRECTED}


def said(reason: str | None) -> Said | None:
    """The code a stored reason is (or was stored as, in English), None for the user's own."""
    text = (reason or "").strip()
    return Said(text) if text in Said.__members__.values() else SAID_BEFORE.get(text.lower())


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
    # business, consumer, sole-trader; None: the configuration's [compliance] segment (0016)
    segment: Segment | None = None
    region: str | None = None  # ISO 3166-2 subdivision (ES-MD, US-FL), as given (0016)
    owner: str | None = None  # the rep the lead belongs to; None: shared by the team (0018)
    updated_by: str = ""  # the rep who changed it last ('' : the implicit rep)
    # Added with --allow-duplicate (or kept as a second copy by migration 0020): it holds
    # no identity key (``identity.keys``), so that another lead may be the same person.
    duplicate_allowed: bool = False
    # The zones it may be in as the store keeps them (``leads.zones``), when read from it:
    # a lead of several zones is placed without reading its number again (``phonenumbers``
    # and its zone data: a tenth of a second of a ``call log``). None once edited.
    zones: str | None = None
    # Its consent records, oldest first, when loaded (``leads.get`` loads them): the one in
    # force at a moment is the latest before it (``compliance.consent``).
    consents: tuple[ConsentRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """A consent given or withdrawn: the proof of it (SPEC §7)."""

    at: datetime  # when it was given (or revoked)
    consent: str
    channel: str = "unknown"  # web-form, phone, email, paper, event, …
    wording: str | None = None  # the text the person agreed to
    expires_at: datetime | None = None  # given until then only
    basis: str | None = None  # a customer's: purchase or inquiry (None: not said)
    id: int | None = None


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
