"""Calls and follow-ups as stored: conversion, and a lead's history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.clock import from_epoch, iso
from warmcall.db import Database
from warmcall.models import Call, Channel, FollowUp, FollowUpStatus, Objection, Outcome, Temperature

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
    """Stored status, with an open follow-up past its time shown as overdue."""
    if followup.status == FollowUpStatus.OPEN and followup.due_at < now:
        return FollowUpStatus.OVERDUE
    return followup.status


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
