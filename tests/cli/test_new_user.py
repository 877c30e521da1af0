"""What a new user saw in a week of real use (issue 19's week, on the merged product): each
screen says what is so, in the user's words and at the terminal's width."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

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
