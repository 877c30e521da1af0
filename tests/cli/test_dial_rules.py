"""`call log` warns of a dial that broke a rule of the clock (SPEC §7): outside the calling
hours, on a day that is not a calling day, on a public holiday, in the lead's zone and under
its rule profile as in force that day. The dial happened: it is logged all the same."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

Cli = Callable[..., Result]


@pytest.fixture
def lucia(cli: Cli) -> str:
    """A lead in Madrid (b2b: 07:00-21:00, Monday to Friday, never on a Spanish holiday)."""
    added = cli("lead", "add", "Lucía Romero", "--phone", "912 345 678", "--timezone",
                "Europe/Madrid", "--at", "2026-09-01 09:00", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    return "lucía"


def dial(cli: Cli, at: str, *more: str) -> Result:
    result = cli("call", "log", "lucía", "-o", "no-answer", "--at", at, *more)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize(
    ("at", "code", "said"),
    [
        ("2026-11-24 21:30", "outside-hours", "21:35 their time is outside the calling hours"),
        ("2026-11-21 10:00", "not-a-calling-day", "Sat is not a calling day"),
        ("2026-10-12 11:00", "holiday", "a public holiday in ES"),
    ],
)
def test_a_dial_out_of_hours_on_a_saturday_or_a_holiday_is_logged_with_a_warning(
    cli: Cli, lucia: str, at: str, code: str, said: str
) -> None:
    logged = json.loads(dial(cli, at, "--json").stdout)
    assert [p["code"] for p in logged["clock_problems"]] == [code]
    shown = dial(cli, at.replace(":00", ":05").replace(":30", ":35"))
    assert "Warning: the dial breaks a rule:" in shown.stderr and said in shown.stderr
    assert "Logged anyway." in shown.stderr
    assert len(json.loads(cli("call", "list", "--json").stdout)) == 2


def test_a_dial_within_the_rules_has_no_warning(cli: Cli, lucia: str) -> None:
    result = dial(cli, "2026-11-24 10:00", "--json")
    assert json.loads(result.stdout)["clock_problems"] == [] and "Warning" not in result.stderr


def test_an_e_mail_is_not_a_dial(cli: Cli, lucia: str) -> None:
    result = cli("call", "log", "lucía", "-o", "connected", "--channel", "email", "--at",
                 "2026-11-21 23:00", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["clock_problems"] == []


def test_the_warning_is_in_spanish_for_a_spanish_user(cli: Cli, lucia: str, home: Path) -> None:
    config = home / "config.toml"
    config.write_text('language = "es"\n' + config.read_text())
    shown = dial(cli, "2026-11-21 10:00")
    assert "la llamada incumple una norma" in shown.stderr
