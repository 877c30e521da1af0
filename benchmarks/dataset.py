"""Synthetic but realistic data for the benchmarks: leads CSVs, call CSVs, filled stores.

Deterministic (seeded), so two runs measure the same work.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

FIRST = [
    "Ana",
    "Luis",
    "María",
    "José",
    "Carmen",
    "Javier",
    "Lucía",
    "Pablo",
    "Sofía",
    "Diego",
    "John",
    "Mary",
    "Robert",
    "Linda",
    "Michael",
    "Sarah",
    "David",
    "Emma",
    "Daniel",
    "Olivia",
]
LAST = [
    "García",
    "Martínez",
    "López",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Fernández",
    "Ruiz",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
]
COMPANIES = [
    "Innova SL",
    "TechCorp",
    "Grupo Norte",
    "Acme Inc",
    "Globex",
    "Initech",
    "Hooli",
    "Umbrella",
    "Stark Industries",
    "Wayne Enterprises",
]
SOURCES = ["trade show Expo Retail 2026", "web form 2026-03", "referral", "webinar", "demo request"]
OUTCOMES = [
    "connected",
    "meeting",
    "callback",
    "not-interested",
    "voicemail",
    "no-answer",
    "busy",
    "voicemail",
    "no-answer",
    "connected",
]
WINDOWS = ["early", "midday", "any", "any", "early,midday"]
TEMPS = ["cold", "warm", "warm", "hot"]
NOW = datetime(2026, 11, 25, 6, 50, tzinfo=UTC)

LEAD_HEADER = ["First Name", "Last Name", "Company", "Email", "Phone", "Temperature", "Window",
               "Lead Source"]  # fmt: skip


def _phone(i: int) -> str:
    if i % 3 == 0:
        return f"+1 212 555 {i % 10000:04d}"
    return f"6{(i * 7919) % 100000000:08d}"


def _lead(i: int, rng: random.Random) -> list[str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}.{i}@example.com"
    email = unicodedata.normalize("NFKD", email).encode("ascii", "ignore").decode()
    return [first, last, rng.choice(COMPANIES), email, _phone(i), rng.choice(TEMPS),
            rng.choice(WINDOWS), rng.choice(SOURCES)]  # fmt: skip


def write_leads_csv(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(LEAD_HEADER)
        for i in range(n):
            writer.writerow(_lead(i, rng))
    return path


def write_calls_csv(path: Path, n: int, n_leads: int, seed: int = 11) -> Path:
    """Calls by lead e-mail, spread over the last 120 days."""
    rng = random.Random(seed)
    lead_rng = random.Random(7)
    emails = [_lead(i, lead_rng)[3] for i in range(n_leads)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["email", "date", "outcome", "notes"])
        for _ in range(n):
            at = NOW - timedelta(minutes=rng.randrange(120 * 24 * 60))
            writer.writerow([rng.choice(emails), at.isoformat(timespec="seconds"),
                             rng.choice(OUTCOMES), "talked about pricing"])  # fmt: skip
    return path


def fill_store(path: Path, n_leads: int, n_calls: int, seed: int = 3, days: int = 120) -> Path:
    """A migrated store with ``n_leads`` leads and ``n_calls`` calls over the last ``days``
    days, written directly.

    Lead ``i`` is the person on row ``i`` of ``write_leads_csv``, with the e-mail that
    ``write_calls_csv`` uses for them."""
    from warmcall.compliance.zones import settled
    from warmcall.store.db import open_db

    open_db(path).close()
    rng = random.Random(seed)
    people = random.Random(7)  # the same people as write_leads_csv and write_calls_csv
    conn = sqlite3.connect(path)
    now = int(NOW.timestamp())
    lead_rows = []
    for i in range(n_leads):
        first, last, company, email, phone, temp, window, source = _lead(i, people)
        name = f"{first} {last}"
        key = unicodedata.normalize("NFKD", name)
        key = "".join(c for c in key if not unicodedata.combining(c)).casefold()
        e164 = phone.replace(" ", "") if phone.startswith("+") else "+34" + phone
        tz = "America/New_York" if phone.startswith("+1") else None
        status = "active" if i % 50 else rng.choice(["won", "lost", "dnc"])
        lead_rows.append((name, key, company, phone, e164, email, temp, "lead", status, source,
                          "met at the fair", "b2b", window, tz, now - (days + 80) * 86400,
                          now - (days + 80) * 86400,
                          settled(tz, e164, None, email)))  # fmt: skip
    conn.executemany(
        "INSERT INTO leads (name, name_key, company, phone, phone_e164, email, temperature, "
        "stage, status, source, context, consent, window, timezone, created_at, updated_at, "
        "zones) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        lead_rows,
    )
    conn.executemany(
        "INSERT INTO calls (lead_id, at, outcome, channel, notes, created_at) "
        "VALUES (?, ?, ?, 'phone', 'talked about pricing', ?)",
        (
            (rng.randrange(1, n_leads + 1), at, rng.choice(OUTCOMES), at)
            for at in (now - rng.randrange(days * 86400) for _ in range(n_calls))
        ),
    )
    followups = []
    for lead_id in range(1, n_leads + 1, 40):
        due = now + rng.randrange(-5 * 86400, 10 * 86400)
        followups.append(
            (lead_id, due, 1, "send the revised offer", "agree on a pilot", now - 86400)
        )
    conn.executemany(
        "INSERT INTO followups (lead_id, due_at, has_time, action, goal, created_at, status) "
        "VALUES (?, ?, ?, ?, ?, ?, 'open')",
        followups,
    )
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()
    return path
