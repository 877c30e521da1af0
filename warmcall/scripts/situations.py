"""Which call this is, from what the record says happened: never from words in free text.

The situation comes from the outcomes of the calls (was there a conversation, how long ago),
from what was recorded as sent or shown with a call (``call log --sent offer``, ``--shown
demo``) and from the stage. Notes, goals and actions are the salesperson's own words: the
script quotes them, it never reads a situation into them. Each choice carries the facts that
made it, so ``script --json`` can say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from warmcall.models import Call, FollowUp, FollowUpStatus, Lead, Objection, Stage

# Weeks without a conversation (and nothing agreed) make a call a reactivation.
REACTIVATION_DAYS = 21


class Situation(StrEnum):
    FIRST_CONTACT = "first-contact"
    FOLLOW_UP = "follow-up"
    AFTER_DEMO = "after-demo"
    AFTER_OFFER = "after-offer"
    REACTIVATION = "reactivation"
    UNPAID_INVOICE = "unpaid-invoice"


# The objections each situation tends to meet, most likely first.
LIKELY: dict[Situation, tuple[Objection, ...]] = {
    Situation.FIRST_CONTACT: (Objection.NEED, Objection.TIMING),
    Situation.FOLLOW_UP: (Objection.TIMING, Objection.NEED),
    Situation.AFTER_DEMO: (Objection.AUTHORITY, Objection.PRICE),
    Situation.AFTER_OFFER: (Objection.PRICE, Objection.COMPETITOR),
    Situation.REACTIVATION: (Objection.TIMING, Objection.NEED),
    Situation.UNPAID_INVOICE: (Objection.AUTHORITY, Objection.TIMING),
}

# What a recorded fact makes of the call that follows it.
_BY_FACT: dict[tuple[str, str], Situation] = {
    ("sent", "offer"): Situation.AFTER_OFFER,
    ("sent", "proposal"): Situation.AFTER_OFFER,
    ("sent", "invoice"): Situation.UNPAID_INVOICE,
    ("shown", "demo"): Situation.AFTER_DEMO,
}


@dataclass(frozen=True)
class Fact:
    """One thing the record says: ``sent = offer`` with call 12 on that day."""

    fact: str  # sent · shown · conversations · last-conversation · silence-days · stage · forced
    value: str | int
    call_id: int | None = None
    at: datetime | None = None


@dataclass
class Chosen:
    name: Situation
    because: list[Fact] = field(default_factory=list)
    topic: Call | None = None  # the call the situation is about (where the offer was sent…)


def recorded_facts(calls: list[Call]) -> list[tuple[Fact, Call]]:
    """Every sent/shown fact in the history, newest first (calls come newest first)."""
    found: list[tuple[Fact, Call]] = []
    for call in calls:
        for name in ("sent", "shown"):
            value = getattr(call, name)
            if value:
                found.append((Fact(name, value, call.id, call.at), call))
    return found


def choose(
    lead: Lead,
    calls: list[Call],
    followups: list[FollowUp],
    moment: datetime,
    zone: ZoneInfo,
    forced: str | None = None,
) -> Chosen:
    """The situation of the call made at ``moment`` (calls newest first, only the past counts).

    An invoice sent is an unpaid-invoice call; no conversation yet is a first contact; weeks
    of silence with nothing agreed is a reactivation; else the newest offer/proposal sent or
    demo shown decides; else it is a follow-up call.
    """
    past = [c for c in calls if c.at <= moment]
    talks = [c for c in past if c.outcome.is_conversation]
    facts = recorded_facts(past)
    topic_of = {id(f): c for f, c in facts}
    if forced:
        situation = Situation(forced)
        about = [c for f, c in facts if _BY_FACT.get((f.fact, str(f.value))) == situation]
        if situation in _BY_FACT.values():  # about what was sent or shown: only if it was
            topic = about[0] if about else None
        else:
            topic = talks[0] if talks else None
        return Chosen(situation, [Fact("forced", str(situation))], topic)
    newest = facts[0][0] if facts else None
    if newest and _BY_FACT.get((newest.fact, str(newest.value))) == Situation.UNPAID_INVOICE:
        because = [newest]
        if lead.stage == Stage.CUSTOMER:
            because.append(Fact("stage", str(lead.stage)))
        return Chosen(Situation.UNPAID_INVOICE, because, topic_of[id(newest)])
    if not talks and not facts:
        dials = len(past)
        return Chosen(Situation.FIRST_CONTACT, [Fact("conversations", 0), Fact("dials", dials)])
    if talks:
        last = talks[0]
        silence = (moment.astimezone(zone).date() - last.at.astimezone(zone).date()).days
        agreed = any(f.status == FollowUpStatus.OPEN for f in followups)
        if silence >= REACTIVATION_DAYS and not agreed:
            because = [Fact("silence-days", silence, last.id, last.at)]
            return Chosen(Situation.REACTIVATION, because, last)
    for fact, call in facts:
        situation = _BY_FACT.get((fact.fact, str(fact.value)))
        if situation in (Situation.AFTER_OFFER, Situation.AFTER_DEMO):
            return Chosen(situation, [fact], call)
    if talks:
        last = talks[0]
        fact = Fact("last-conversation", str(last.outcome), last.id, last.at)
        return Chosen(Situation.FOLLOW_UP, [fact], last)
    # Something was sent (info) but nobody has spoken yet: still the first conversation.
    return Chosen(Situation.FIRST_CONTACT, [Fact("conversations", 0), *(f for f, _ in facts)])


@dataclass
class Track:
    """One objection to unblock: seen in the history (with when and how often) or likely."""

    key: str
    seen: bool
    count: int = 0
    last: datetime | None = None


def tracks(calls: list[Call]) -> list[Track]:
    """One track per objection raised in the history, the most recent first: a track is
    never opened for an objection nobody raised."""
    seen: dict[str, Track] = {}
    for call in calls:  # newest first
        for objection in call.objections:
            track = seen.setdefault(str(objection), Track(str(objection), True, 0, call.at))
            track.count += 1
    return list(seen.values())


def likely(calls: list[Call], situation: str) -> list[str]:
    """The objections the situation tends to meet that nobody raised yet: questions to ask,
    never answered in advance."""
    raised = {str(o) for call in calls for o in call.objections}
    return [str(o) for o in LIKELY[Situation(situation)] if str(o) not in raised]
