"""``lead export``: every lead with every field, as CSV or JSON, to move to another tool.

The CSV header uses our field names, so ``warmcall lead import`` reads an export back with no
``--map``. Cells a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``
or ``@``, and tab or carriage return) get a leading ``'`` unless they are a phone number; the
importer takes that quote off again. Leads are streamed from the store, so memory stays flat.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import IO, Any
from zoneinfo import ZoneInfo

from warmcall import leads
from warmcall.clock import from_epoch
from warmcall.compliance.consent import CONSENT_COLUMNS, consent_record
from warmcall.controls import inert_json
from warmcall.errors import StoreDamaged
from warmcall.models import ConsentRecord
from warmcall.store.db import Database

# The lead object of ``--json`` outputs, in this order; tags joined by commas in CSV.
FIELDS = (
    "id", "name", "company", "title", "phone", "email", "temperature", "stage", "status",
    "source", "context", "consent", "window", "timezone", "notes", "tags", "phone_e164",
    "phone_flag", "dnc_at", "dnc_reason", "created_at", "updated_at",
)  # fmt: skip
# Then the other numbers (``;`` between them, as the importer reads them back) and the
# objections and lifts (``events``: a JSON list, as in ``--json``); after the older columns,
# so that a tool reading those by position still finds them.
CSV_FIELDS = (*FIELDS, "phones", "events", "segment", "region", "owner", "updated_by")
# JSON also carries the proof of consent: every consent given or withdrawn, dated, with its
# channel, wording and expiry (``consents``).
JSON_FIELDS = (*CSV_FIELDS, "consents")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+\d[\d ().-]*")


def records(db: Database, zone: ZoneInfo) -> Iterator[dict[str, Any]]:
    """Each lead as its JSON object, oldest first, read from the store one row at a time,
    with ``events``: its objections and lifts, dated, with their reasons, and ``consents``:
    its consent records (SPEC §7 proof), read alongside in the same order."""
    acts = _events(db, zone)
    given = _consents(db)
    pending: tuple[int, list[ConsentRecord]] | None = next(given, None)
    for row in db.rows(f"SELECT {leads.SELECT_COLUMNS} FROM leads ORDER BY id"):
        values = dict(zip(leads.COLUMNS, row, strict=True))
        while pending is not None and pending[0] < values["id"]:
            pending = next(given, None)  # a record whose lead is gone meanwhile
        mine: list[ConsentRecord] = []
        if pending is not None and pending[0] == values["id"]:
            mine, pending = pending[1], next(given, None)
        try:
            lead = leads.from_row(values)
            lead.consents = tuple(mine)
            record = leads.as_json(lead, zone)
        except (ValueError, TypeError, KeyError, AttributeError):
            raise StoreDamaged(
                "Lead #{id} in the store is damaged (a field holds a value warmcall never "
                "writes); the export stopped there. Correct or remove that lead and export again.",
                id=values.get("id"),
            ) from None
        record["events"] = acts.get(record["id"], [])
        if record["status"] == "dnc" and not any(e["kind"] == "dnc" for e in record["events"]):
            # recorded before the store kept events: the lead's own fields say it
            dnc = {"at": record["dnc_at"], "kind": "dnc", "reason": record["dnc_reason"]}
            record["events"] = [dnc, *record["events"]]
        record.setdefault("consents", [])
        yield record


def _consents(db: Database) -> Iterator[tuple[int, list[ConsentRecord]]]:
    """Each lead's consent records, by lead id, streamed in the leads' order."""
    current: tuple[int, list[ConsentRecord]] | None = None
    for row in db.rows(
        f"SELECT lead_id, {CONSENT_COLUMNS} FROM lead_consents ORDER BY lead_id, at, id"
    ):
        if current is None or current[0] != row[0]:
            if current is not None:
                yield current
            current = (row[0], [])
        current[1].append(consent_record(row[1:]))
    if current is not None:
        yield current


def _events(db: Database, zone: ZoneInfo) -> dict[int, list[dict[str, Any]]]:
    """Every lead's objections, lifts and identity changes (few: only people who objected or
    whose number or e-mail was replaced have any), each lead's oldest first."""
    found: dict[int, list[tuple[int, leads.LeadEvent]]] = {}
    for lead_id, at, kind, reason in db.rows(
        "SELECT lead_id, at, kind, reason FROM lead_events ORDER BY lead_id, at, id"
    ):
        event = leads.LeadEvent(from_epoch(at), kind, reason)  # type: ignore[arg-type]
        found.setdefault(lead_id, []).append((at, event))
    for lead_id, at, kind, old, new in db.rows(
        "SELECT lead_id, at, kind, value, replaced_by FROM lead_identities ORDER BY lead_id, at, id"
    ):
        event = leads.LeadEvent(from_epoch(at), kind, None, old, new)  # type: ignore[arg-type]
        found.setdefault(lead_id, []).append((at, event))
    return {
        lead_id: [leads.event_json(e, zone) for _, e in sorted(acts, key=lambda a: a[0])]
        for lead_id, acts in found.items()
    }


def neutralise(text: str) -> str:
    """The cell as a spreadsheet will show it, never run it: ``=SUM(A1)`` → ``'=SUM(A1)``.

    A phone number in international form (``+34 612 345 678``) is left as it is: it is
    data people dial, and no spreadsheet function starts with a digit.
    """
    if text.startswith(FORMULA_START) and not is_phone(text):
        return "'" + text
    if text.startswith("'") and text[1:2].startswith(FORMULA_START):
        return "'" + text  # a quote of its own survives the importer taking ours off
    return text


def is_phone(text: str) -> bool:
    return bool(_PHONE.fullmatch(text)) and sum(ch.isdigit() for ch in text) >= 7


def csv_cells(record: dict[str, Any]) -> list[str]:
    cells = []
    for name in CSV_FIELDS:
        value = record[name]
        if name == "events":
            encoded = json.dumps(value, ensure_ascii=False) if value else ""
            cells.append(inert_json(encoded))
        elif name == "phones":
            cells.append(neutralise("; ".join(value or [])))
        elif value is None:
            cells.append("")
        elif isinstance(value, list):
            cells.append(neutralise(", ".join(value)))
        else:
            cells.append(neutralise(str(value)))
    return cells


def write(records: Iterator[dict[str, Any]], out: IO[str], fmt: str) -> int:
    """Write ``records`` as ``csv`` or ``json``; returns how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_FIELDS)
        for record in records:
            writer.writerow(csv_cells(record))
            count += 1
        return count
    out.write("[")
    for record in records:
        out.write(",\n  " if count else "\n  ")
        fields = {k: record[k] for k in JSON_FIELDS if k in record}
        out.write(inert_json(json.dumps(fields, ensure_ascii=False)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
