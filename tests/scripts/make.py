"""Plain-data builders shared by the script tests: a lead, its calls and follow-ups."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.conftest import MADRID
from warmcall.models import Call, Consent, FollowUp, Lead, Objection, Outcome, Stage
from warmcall.scripts import Script, plain

NEW_YORK = ZoneInfo("America/New_York")
MEXICO = ZoneInfo("America/Mexico_City")


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = MADRID, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


def lead(**fields: object) -> Lead:
    values: dict[str, object] = {
        "id": 7,
        "name": "Ana Martínez",
        "company": "Innova",
        "phone": "+34 612 345 678",
        "stage": Stage.SQL,
        "context": "met at Expo Retail, asked about pricing for 12 stores",
        "source": "Expo Retail fair",
        "consent": Consent.B2B,
        "window": "any",
        "timezone": "Europe/Madrid",
        "created_at": at(1, 9),
    }
    values.update(fields)
    return Lead(**values)  # type: ignore[arg-type]


def call(
    when: datetime,
    outcome: Outcome = Outcome.CONNECTED,
    notes: str | None = None,
    objections: tuple[Objection, ...] = (),
    call_id: int = 1,
    **facts: str,
) -> Call:
    return Call(
        lead_id=7,
        at=when,
        outcome=outcome,
        notes=notes,
        objections=list(objections),
        id=call_id,
        **facts,  # type: ignore[arg-type]
    )


def followup(when: datetime, action: str = "send the revised offer", **kw: object) -> FollowUp:
    return FollowUp(lead_id=7, due_at=when, action=action, **kw)  # type: ignore[arg-type]


def section(script: Script, title: str) -> list[str]:
    found = [s for s in script.sections if s.title == title]
    assert found, f"no section {title!r} in {[s.title for s in script.sections]}"
    return [plain(line) for line in found[0].lines]


def text(script: Script) -> str:
    return "\n".join(plain(line) for s in script.sections for line in s.lines)
