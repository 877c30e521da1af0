"""The consent in force (SPEC §7, proof): a lead's consent is a series of dated records
(``models.ConsentRecord``); the one in force at a moment is the latest given before it,
unless it has expired by then — at its own ``expires_at``, or after the validity its rule
profile gives it (``consent_valid_days`` for opt-in and form; ``customer_valid_days`` after
a purchase, ``inquiry_valid_days`` after an inquiry; a customer record that does not say
which counts under the shorter one). An expired or missing consent is ``none``.

Plain data in, facts out: no store, no words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.clock import from_epoch, iso
from warmcall.compliance.profiles import Profile
from warmcall.models import ConsentRecord

_GIVEN = ("opt-in", "form")  # consents that last ``consent_valid_days``
_EVER = datetime.min.replace(tzinfo=UTC)  # a lead's record when its creation is not known


@dataclass(frozen=True, slots=True)
class Held:
    """What a call at a moment may rest on: ``consent`` (``none`` when nothing is in force),
    the ``record`` it comes from, and — when that record has lapsed — when (``expired_at``)
    and by which setting (``by``: ``expires`` for the record's own date, else the profile's
    key) with its ``days``; a record still in force says ``until`` when it will lapse."""

    consent: str
    record: ConsentRecord | None = None
    expired_at: datetime | None = None
    by: str | None = None
    days: int = 0
    until: datetime | None = None  # when the consent in force will lapse (None: never)


# A record as the store's ``lead_consents`` gives it (``consent_record`` reads a row).
CONSENT_COLUMNS = "at, consent, channel, wording, expires_at, basis, id"


def consent_record(row: Iterable[Any]) -> ConsentRecord:
    """A record from a row of ``CONSENT_COLUMNS``."""
    at, consent, channel, wording, expires_at, basis, record_id = row
    return ConsentRecord(
        from_epoch(at),
        consent,
        channel,
        wording,
        from_epoch(expires_at),
        basis,
        record_id,  # type: ignore[arg-type]
    )


def records_of(lead: Any) -> tuple[ConsentRecord, ...]:
    """The lead's records, oldest first; a lead loaded without them (or before the store kept
    them) has one: its ``consent``, since its creation."""
    found = getattr(lead, "consents", None)
    if found:
        return tuple(found)
    since = getattr(lead, "created_at", None) or _EVER
    return (ConsentRecord(since, str(getattr(lead, "consent", None) or "none")),)


def given_before(records: tuple[ConsentRecord, ...], at: datetime) -> ConsentRecord | None:
    """The latest record given at or before ``at`` (None: none was given yet)."""
    current = None
    for record in records:
        if record.at <= at:
            current = record
    return current


def lapse(record: ConsentRecord, profile: Profile) -> tuple[datetime | None, str | None, int]:
    """When the record stops being in force under ``profile``, by which setting, and its
    days: its own expiry first, else the profile's validity for that consent."""
    found: list[tuple[datetime, str, int]] = []
    if record.expires_at is not None:
        found.append((record.expires_at, "expires", 0))
    days, key = 0, None
    if record.consent in _GIVEN:
        days, key = profile.consent_valid_days, "consent_valid_days"
    elif record.consent == "customer":
        choices = {
            "customer_valid_days": profile.customer_valid_days,
            "inquiry_valid_days": profile.inquiry_valid_days,
        }
        if record.basis == "purchase":
            choices.pop("inquiry_valid_days")
        elif record.basis == "inquiry":
            choices.pop("customer_valid_days")
        # not said: the shorter of the validities the profile sets (conservative)
        key, days = min(((k, d) for k, d in choices.items() if d), default=(None, 0),
                        key=lambda kd: kd[1])  # fmt: skip
    if key and days and record.at != _EVER:
        found.append((record.at + timedelta(days=days), key, days))
    if not found:
        return None, None, 0
    return min(found, key=lambda f: f[0])


def in_force(lead: Any, at: datetime, profile: Profile) -> Held:
    """The consent a call to ``lead`` at ``at`` may rest on, under ``profile`` (the rule in
    force then)."""
    record = given_before(records_of(lead), at)
    if record is None:
        return Held("none")
    until, by, days = lapse(record, profile)
    if until is not None and until <= at:
        return Held("none", record, until, by, days)
    return Held(record.consent, record, None, by, days, until)


def held_json(held: Held, zone: ZoneInfo) -> dict[str, Any]:
    """The consent in force, for ``--json``: what a call may rest on, since when, through
    which channel and wording, until when; an expired one says when and by which setting."""
    record = held.record
    return {
        "consent": held.consent,
        "given": record.consent if record else None,
        "at": iso(record.at, zone) if record and record.at != _EVER else None,
        "channel": record.channel if record else None,
        "wording": record.wording if record else None,
        "expired_at": iso(held.expired_at, zone),
        "expired_by": held.by,
        "expires_at": iso(held.until, zone),
    }
