"""Moments as the store keeps them (UTC epoch seconds) and as people read them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def to_epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    return int(moment.timestamp())


def from_epoch(seconds: int | None, zone: ZoneInfo | None = None) -> datetime | None:
    if seconds is None:
        return None
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.astimezone(zone) if zone else moment


def iso(moment: datetime | None, zone: ZoneInfo | None = None) -> str | None:
    """ISO 8601 with offset, in ``zone`` when given."""
    if moment is None:
        return None
    return (moment.astimezone(zone) if zone else moment).isoformat(timespec="seconds")


def utcnow() -> datetime:
    return datetime.now(UTC)
