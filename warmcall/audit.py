"""``warmcall audit``: every dial of a period, with what a regulator asks of it (SPEC §7).

For each dial (a touch on the phone), in time order: the lead, the number dialled (as kept
with the call; for a call logged before warmcall kept it, the number the lead had then, from
its identity changes), the lead's local time, the rule profile and its version in force (the
dated rule's first day and the law it cites), the checks the dial passed and those it broke
(``compliance.checks``, as judged when it was logged), and the lead's identity changes
(``lead edit --phone`` / ``--email``) within the period.

A call not judged when logged (logged before the store kept verdicts, or imported) has no
checks: ``checks`` is None, never a verdict made up later (the lead's consent then is not
known); its profile is the one the configuration gives it for that day.

The dials are streamed from the store, one row at a time, in ``(at, id)`` order over the
``(at, …)`` index; only the period's identity changes (few) are read at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from warmcall.clock import from_epoch, iso, to_epoch
from warmcall.compliance.checks import Verdict, loads, verdict_record
from warmcall.config import Config
from warmcall.store.db import Database


@dataclass(frozen=True, slots=True)
class IdentityChange:
    """A number or e-mail of the lead replaced (``new`` None: removed) at ``at``."""

    at: datetime
    kind: str  # phone | email
    old: str
    new: str | None


@dataclass(slots=True)
class AuditRow:
    call_id: int
    at: datetime  # UTC
    lead_id: int
    name: str
    company: str | None
    number: str | None  # the number dialled
    number_recorded: bool  # kept with the call (False: the lead's number then, from its record)
    outcome: str
    local: datetime  # the dial in the lead's zone
    zone_known: bool  # False: the lead's zone is not known (its first possible one is used)
    profile: str
    rule_from: date | None  # the first day of the dated rule in force (None: undated)
    law: str | None
    verdict: Verdict | None  # None: not judged when logged
    identities: list[IdentityChange] = field(default_factory=list)


_DIALS = (
    "SELECT c.id, c.at, c.outcome, c.dialled, c.checks, l.id, l.name, l.company, l.phone, "
    "l.phone_e164, l.country, l.timezone, l.email, "
    # the number the lead had at the dial, when the call did not keep it: the one the first
    # later change of number replaced (a seek of the (lead_id, at) index), else today's
    "CASE WHEN c.dialled IS NULL THEN (SELECT i.value FROM lead_identities i "
    " WHERE i.lead_id = c.lead_id AND i.kind = 'phone' AND i.at > c.at "
    " ORDER BY i.at, i.id LIMIT 1) END "
    "FROM calls c JOIN leads l ON l.id = c.lead_id "
    "WHERE c.channel = 'phone' AND c.at >= :start AND c.at < :end ORDER BY c.at, c.id"
)
_IDENTITIES = (
    "SELECT lead_id, at, kind, value, replaced_by FROM lead_identities "
    "WHERE at >= :start AND at < :end ORDER BY lead_id, at, id"
)


def dials(db: Database, start: datetime, end: datetime, config: Config) -> Iterator[AuditRow]:
    """Every dial from ``start`` (included) to ``end`` (excluded), oldest first."""
    from warmcall.compliance.rules import Calendar

    span = {"start": to_epoch(start), "end": to_epoch(end)}
    changes: dict[int, list[IdentityChange]] = {}
    for lead_id, at, kind, old, new in db.rows(_IDENTITIES, span):
        changes.setdefault(lead_id, []).append(IdentityChange(from_epoch(at), kind, old, new))  # type: ignore[arg-type]
    calendar = Calendar(config)
    for row in db.rows(_DIALS, span):
        call_id, at, outcome, dialled, checks, lead_id, name, company, phone = row[:9]
        e164, country, timezone, email, then = row[9:]
        lead = SimpleNamespace(
            country=country, phone_e164=e164, timezone=timezone, email=email, phone=phone
        )
        moment = from_epoch(at)
        assert moment is not None
        verdict = loads(checks)
        if verdict is None:
            profile = calendar.profile(lead, moment)
            name_, since, law = profile.name, profile.since, profile.law
        else:
            name_, since, law = verdict.profile, verdict.rule_from, verdict.law
        yield AuditRow(
            call_id=call_id,
            at=moment,
            lead_id=lead_id,
            name=name,
            company=company,
            number=dialled or then or e164 or phone,
            number_recorded=dialled is not None,
            outcome=outcome,
            local=moment.astimezone(calendar.zone(lead)),
            zone_known=calendar.whereabouts(lead).known,
            profile=name_,
            rule_from=since,
            law=law,
            verdict=verdict,
            identities=changes.get(lead_id, []),
        )


# --- plain data -----------------------------------------------------------------------------

# The CSV columns, in this order (one row a dial); lists are ``;``-joined, the broken checks'
# facts and the identity changes JSON.
CSV_FIELDS = (
    "call_id", "at", "lead_id", "lead", "company", "number", "number_recorded", "outcome",
    "local_time", "zone", "zone_known", "profile", "rule_from", "law", "judged", "passed",
    "broken", "broken_facts", "identity_changes",
)  # fmt: skip


def as_json(row: AuditRow, zone: ZoneInfo) -> dict[str, Any]:
    """A dial as ``audit --json`` writes it: ``at`` in the user's zone, ``local_time`` in the
    lead's; ``checks`` None when the dial was not judged when logged."""
    return {
        "call_id": row.call_id,
        "at": iso(row.at, zone),
        "lead_id": row.lead_id,
        "lead": row.name,
        "company": row.company,
        "number": row.number,
        "number_recorded": row.number_recorded,
        "outcome": row.outcome,
        "local_time": row.local.isoformat(),
        "zone": row.local.tzinfo.key if isinstance(row.local.tzinfo, ZoneInfo) else None,
        "zone_known": row.zone_known,
        "profile": row.profile,
        "rule_from": row.rule_from.isoformat() if row.rule_from else None,
        "law": row.law,
        "checks": None if row.verdict is None else verdict_record(row.verdict),
        "identity_changes": [
            {"at": iso(c.at, zone), "kind": c.kind, "old": c.old, "new": c.new}
            for c in row.identities
        ],
    }


def csv_values(record: dict[str, Any]) -> list[Any]:
    """The CSV cells of a dial's ``as_json`` record, in ``CSV_FIELDS`` order."""
    checks = record["checks"] or {}
    flat = {
        **record,
        "judged": ";".join(checks.get("judged", ())) if checks else None,
        "passed": ";".join(checks.get("passed", ())) if checks else None,
        "broken": ";".join(dict.fromkeys(p["check"] for p in checks.get("broken", ()))),
        "broken_facts": _json(checks.get("broken")),
        "identity_changes": _json(record["identity_changes"]),
    }
    return [_cell(flat[name]) for name in CSV_FIELDS]


def _cell(value: Any) -> Any:
    """A CSV cell: booleans as JSON writes them (``true``), the rest as it is."""
    return ("true" if value else "false") if isinstance(value, bool) else value


def _json(value: Any) -> str | None:
    return json.dumps(value, ensure_ascii=False) if value else None
