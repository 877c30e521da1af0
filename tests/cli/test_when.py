"""Moments typed on the command line: ``--at now`` is now, a number needs its unit, and a
weekday that is today means today."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, timedelta
from itertools import count

import pytest
from typer.testing import Result

from tests.conftest import NOW


@pytest.mark.parametrize("at", ["now", "+0d", "-0m"])
def test_a_call_logged_at_now_is_not_in_the_future(
    cli: Callable[..., Result], at: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("lead", "add", "Ana", "--phone", "+34 612 345 678").exit_code == 0
    ticks = count()  # a clock that moves on between two readings, as a real one does
    monkeypatch.setattr(
        "warmcall.clock.utcnow", lambda: NOW.astimezone(UTC) + timedelta(microseconds=next(ticks))
    )
    logged = cli("call", "log", "ana", "-o", "na", "--at", at)
    assert logged.exit_code == 0, logged.output
    assert "future" not in logged.output


def test_at_minus_one_is_a_usage_error_not_the_first_of_the_month(
    cli: Callable[..., Result],
) -> None:
    assert cli("lead", "add", "Ana", "--phone", "+34 612 345 678").exit_code == 0
    refused = cli("call", "log", "ana", "-o", "na", "--at", "-1")
    assert refused.exit_code == 2
    assert "'-1' needs a unit" in refused.output
    assert cli("call", "list", "--json").stdout.strip() in ("[]", "")
    assert "not '-1'" in cli("next", "--help").stdout


def test_next_at_todays_weekday_plans_today(cli: Callable[..., Result]) -> None:
    # The frozen clock is Wednesday 25 November 2026 07:50 in Madrid (conftest).
    added = cli("lead", "add", "Ana", "--timezone", "Europe/Madrid", "--window", "early")
    assert added.exit_code == 0, added.output
    rows = json.loads(cli("next", "--at", "wed 07:00", "--json").stdout)
    assert rows[0]["slot_start"] == "2026-11-25T07:30:00+01:00"
