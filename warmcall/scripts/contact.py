"""How we know a lead, in the words the salesperson recorded: the opener of a first call.

The lead's context and source are quoted (who referred them, where we met, what they asked
about); the conditions a person set are quoted from the call notes for the Prepare section,
which only the caller reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from warmcall.leads import fold
from warmcall.models import Call, Lead


@dataclass
class EarlierContact:
    """Who referred them, or where we met, and what they asked about."""

    kind: str  # referral · event · form · other · none
    who: str | None = None  # the person who referred them
    what: str | None = None  # the event or the form
    interest: str | None = None  # what they asked about
    text: str | None = None  # the context as written


_REFERRAL = re.compile(
    r"(?:referred|recommended|introduced|sent)\s+(?:to us\s+|to me\s+|me\s+|us\s+)?"
    r"by\s+(?P<a>[^,.;()]+)"
    r"|(?:referral|introduction)\s+from\s+(?P<b>[^,.;()]+)"
    r"|(?:referid[oa]|recomendad[oa]|presentad[oa])\s+por\s+(?P<c>[^,.;()]+)"
    r"|de parte de\s+(?P<d>[^,.;()]+)",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"(?:met|talked|spoke|chatted)\s+(?:at|during)\s+(?P<a>[^,.;()]+)"
    r"|(?:nos conocimos|hablamos|coincidimos|conocimos)\s+en\s+(?P<b>[^,.;()]+)",
    re.IGNORECASE,
)
_EVENT_WORD = re.compile(
    r"\b(fair|show|expo|conference|congress|summit|event|meetup|feria|congreso|jornadas?|evento|salon|stand)\b"
)
_FORM_WORD = re.compile(r"\b(form|download\w*|webinar|newsletter|formulario|descarg\w*)\b")
_INTEREST = re.compile(
    r"(?:asked|enquired|inquired)\s+(?:me\s+|us\s+)?(?:about|for)\s+(?P<a>[^,.;()]+)"
    r"|interested in\s+(?P<b>[^,.;()]+)"
    r"|pregunt[oó]\s+por\s+(?P<c>[^,.;()]+)"
    r"|interesad[oa]s?\s+en\s+(?P<d>[^,.;()]+)",
    re.IGNORECASE,
)
# Sentences of the notes that set a condition for going ahead.
_CONDITION = re.compile(
    r"\b(if|only if|as long as|provided|unless|must|needs?|requires?|condition\w*|before sign\w*"
    r"|si|siempre que|solo si|con tal de|necesita\w*|requiere\w*|condicion\w*|a menos que"
    r"|antes de firmar)\b"
)
_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n+")
# A word this short before a full stop is an abbreviation (Dr., Mr., Sra., St., J.), not
# the end of a sentence.
_ABBREVIATION = re.compile(r"(?:^|\s)\w{1,3}\.$")


def sentences(text: str) -> list[str]:
    """The sentences of a note, whole: never cut after "Dr." or an initial."""
    found: list[str] = []
    for piece in _SENTENCE.split(text):
        if found and _ABBREVIATION.search(found[-1]):
            found[-1] += " " + piece
        else:
            found.append(piece)
    return found


def earlier_contact(lead: Lead) -> EarlierContact:
    """Who referred them, or where we met, and what they asked about."""
    context = (lead.context or "").strip()
    source = (lead.source or "").strip()
    text = context or source or None
    interest = _first_group(_INTEREST, context)
    if who := _first_group(_REFERRAL, context) or _first_group(_REFERRAL, source):
        return EarlierContact("referral", who=who, interest=interest, text=text)
    if what := _first_group(_EVENT, context):
        return EarlierContact("event", what=what, interest=interest, text=text)
    for candidate in (source, context):
        if candidate and _EVENT_WORD.search(fold(candidate)):
            return EarlierContact("event", what=candidate, interest=interest, text=text)
    for candidate in (source, context):
        if candidate and _FORM_WORD.search(fold(candidate)):
            return EarlierContact("form", what=candidate, interest=interest, text=text)
    return EarlierContact("other" if text else "none", interest=interest, text=text)


def _first_group(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    if not match:
        return None
    found = next((g for g in match.groups() if g), None)
    return found.strip() if found else None


def conditions(calls: list[Call]) -> list[tuple[str, datetime]]:
    """The sentences of the conversations' notes that set a condition, newest first."""
    found: list[tuple[str, datetime]] = []
    for call in calls:
        for sentence in sentences(call.notes or ""):
            sentence = sentence.strip().rstrip(".;")
            if sentence and _CONDITION.search(fold(sentence)):
                found.append((sentence, call.at))
    return found[:3]
