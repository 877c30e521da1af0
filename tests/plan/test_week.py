"""A week replayed through the real CLI (Mon 16 – Fri 20 Nov 2026, the user in Madrid): a
Spanish early bird, a New Yorker and a Mexican lead, a plan every morning at 07:50 and the
calls logged at the slots it gave. Nothing is ever proposed at night for them, Mexico's
Revolution Day (Mon 16 Nov) keeps Valeria out, and a time agreed at 04:00 New York time is
moved to their morning with a word.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from typer.testing import Result

from warmcall.compliance.rules import Calendar
from warmcall.config import Config
from warmcall.plan.planner import Candidate

CONFIG = Config(timezone="Europe/Madrid", region="ES")
DAYS = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]


def plan(cli: Callable[..., Result], day: str, *more: str) -> list[dict[str, Any]]:
    result = cli("next", "--at", f"{day} 07:50", "--json", *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def lawful(row: dict[str, Any], people: dict[int, Candidate]) -> None:
    """The row's slot is inside the lead's window (or a time they agreed), the calling hours
    and a calling day of the lead, not on a holiday there."""
    calendar = Calendar(CONFIG)
    lead = people[row["lead_id"]]
    start = datetime.fromisoformat(row["slot_start"])
    end = datetime.fromisoformat(row["slot_end"])
    # A time they agreed to keeps its time: their window gives way (the law does not).
    agreed = row["followup"] is not None and row["followup"]["due_at"] == row["slot_start"]
    for moment in (start, end - timedelta(seconds=1)):
        problems = {p.code for p in calendar.timing(lead, moment)}
        if agreed:
            problems.discard("outside-window")
        assert not problems, (row["name"], moment, problems)


def test_a_week_of_plans_never_calls_at_night_and_keeps_holidays(
    cli: Callable[..., Result],
) -> None:
    people: dict[int, Candidate] = {}
    for name, phone, window, zone, country in [
        ("Ana Martínez", "612 345 678", "early", None, "ES"),
        ("John Carter", "+1 212 555 0100", "any", "America/New_York", "US"),
        ("Valeria Cruz", "+52 55 1234 5678", "midday", "America/Mexico_City", "MX"),
    ]:
        added = cli(
            "lead", "add", name, "--phone", phone, "--window", window, "--temperature", "hot",
            "--at", "2026-11-13 10:00", "--json",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
        made = json.loads(added.stdout)
        people[made["id"]] = Candidate(
            lead_id=made["id"],
            name=name,
            created_at=datetime(2026, 11, 13),
            window=window,
            timezone=made["timezone"] or zone,
            country=country,
            phone_e164=made["phone_e164"],
        )
    ids = {c.name.split()[0]: i for i, c in people.items()}

    # Monday: Revolution Day in Mexico; Ana early, John at 09:00 his time (15:00 here).
    monday = plan(cli, DAYS[0], "--all")
    planned = {r["name"]: r for r in monday if r["rank"] is not None}
    assert set(planned) == {"Ana Martínez", "John Carter"}
    assert planned["John Carter"]["slot_start"] == "2026-11-16T15:00:00+01:00"
    left_out = {r["name"]: r["excluded"] for r in monday if r["rank"] is None}
    assert left_out["Valeria Cruz"].startswith("Revolution Day")
    for row in planned.values():
        lawful(row, people)
    # Ana does not answer; John agrees to a call on Wednesday at 10:00 Madrid time: 04:00 his.
    logged = cli("call", "log", str(ids["Ana"]), "-o", "no-answer", "--at", f"{DAYS[0]} 08:00")
    assert logged.exit_code == 0, logged.output
    logged = cli(
        "call", "log", str(ids["John"]), "-o", "callback", "--at", f"{DAYS[0]} 15:10",
        "--next", "2026-11-18 10:00", "--next-action", "walk through the quote",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output

    # Tuesday: Ana rests (48 h after the unanswered dial); Valeria is back at her midday.
    tuesday = {r["name"]: r for r in plan(cli, DAYS[1])}
    assert "Ana Martínez" not in tuesday and "John Carter" not in tuesday  # his step is Wed
    assert tuesday["Valeria Cruz"]["slot_start"] == "2026-11-17T19:00:00+01:00"  # 12:00 CST
    for row in tuesday.values():
        lawful(row, people)
    logged = cli("call", "log", str(ids["Valeria"]), "-o", "voicemail", "--at", f"{DAYS[1]} 19:05")
    assert logged.exit_code == 0, logged.output

    # Wednesday: John's 04:00 is before the calling hours: his morning, and the plan says so.
    wednesday = {r["name"]: r for r in plan(cli, DAYS[2])}
    john = wednesday["John Carter"]
    assert john["slot_start"] == "2026-11-18T15:00:00+01:00"
    assert "is not lawful" in john["reasons"][0]["detail"]
    for row in wednesday.values():
        lawful(row, people)

    # Every morning of the week: every slot lawful, none in anyone's night.
    for day in DAYS:
        for row in plan(cli, day):
            lawful(row, people)
            zone = people[row["lead_id"]].timezone
            if zone:
                hour = datetime.fromisoformat(row["slot_start"]).astimezone(ZoneInfo(zone)).hour
                assert 7 <= hour < 21, (day, row["name"], hour)
