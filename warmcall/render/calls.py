"""A lead's timeline: touches and follow-ups, newest first."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from warmcall.models import Call, FollowUp
from warmcall.render import console


def timeline(calls: list[Call], followups: list[FollowUp], zone: ZoneInfo, now: datetime) -> None:
    out = console()
    if not calls and not followups:
        out.print("\n[dim]No calls yet.[/]")
