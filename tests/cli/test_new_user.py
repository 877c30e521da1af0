"""What a new user saw in a week of real use (issue 19's week, on the merged product): each
screen says what is so, in the user's words and at the terminal's width."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

WED = ("--at", "2026-12-09 07:50")
MADRID = ("--timezone", "Europe/Madrid")


def test_explain_of_a_lead_ranked_tenth_or_lower_shows_its_rank(
    cli: Callable[..., Result], home: Path
) -> None:
    for n in range(12):
        added = cli("lead", "add", f"Lead {n:02d}", "--phone", f"612 000 {n:03d}", *MADRID)
        assert added.exit_code == 0, added.output
    rows = json.loads(cli("next", *WED, "--json").stdout)
    eleventh = next(r for r in rows if r["rank"] == 11)
    shown = cli("next", "--explain", str(eleventh["lead_id"]), *WED)
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.stdout.splitlines() if eleventh["name"] in x)
    assert line.split()[0] == "11", line  # not cut to "…" by a column one digit wide


def test_on_the_users_holiday_a_lead_abroad_is_next_offered_on_a_working_day(
    cli: Callable[..., Result],
) -> None:
    """Tue 8 Dec is Spain's holiday, not Mexico's: the lead in Mexico City is open at 16:00
    Madrid that day, but the user is not; the next is Wednesday's opening."""
    added = cli("lead", "add", "Ximena Ruiz", "--phone", "+52 55 5123 4567", "--json")
    assert added.exit_code == 0, added.output
    shown = cli("next", "--all", "--at", "2026-12-08 07:50")
    assert shown.exit_code == 0, shown.output
    said = " ".join(shown.stdout.split())
    assert "your day off: Immaculate Conception" in said
    assert "next Wed 16:00" in said, said


def test_explain_keeps_each_percent_with_its_number_at_80_columns(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    added = cli("lead", "add", "Nuria Vidal", "--phone", "934 12 55 66", "--json", *MADRID)
    lead = str(json.loads(added.stdout)["id"])
    for day in ("16", "17"):
        logged = cli("call", "log", lead, "-o", "connected", "--at", f"2026-11-{day} 16:20")
        assert logged.exit_code == 0, logged.output
    shown = cli("next", "--explain", lead, "--at", "2026-11-25 07:50")
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert not [x for x in lines if x.strip().startswith("%")], shown.stdout
    assert re.search(r"book average \d+%", " ".join(shown.stdout.split())), shown.stdout
    card = cli("lead", "show", lead, "--at", "2026-11-25 07:50")
    assert re.search(r"book average \d+%", card.stdout), card.stdout
