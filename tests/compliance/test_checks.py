"""The verdict on a dial (``compliance.checks.judge``): every rule in force at the dial, under
the lead's profile as dated then, each broken rule under its check."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.compliance.test_dated_rules import CONFIG, IN_2025, IN_2026, french
from tests.compliance.test_rules import Person
from warmcall.compliance import rules
from warmcall.compliance.checks import JUDGED, judge
from warmcall.compliance.rules import Calendar, History, Problem

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture(autouse=True)
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WARMCALL_HOME", str(tmp_path))
    rules.clear_caches()
    yield
    rules.clear_caches()


def spaniard() -> Person:
    return Person(country="ES", timezone="Europe/Madrid", consent="b2b")


@pytest.mark.parametrize(
    ("moment", "check"),
    [
        (datetime(2026, 11, 24, 21, 30, tzinfo=MADRID), "hours"),
        (datetime(2026, 11, 21, 10, tzinfo=MADRID), "day"),
        (datetime(2026, 12, 8, 10, tzinfo=MADRID), "holiday"),  # la Inmaculada
    ],
)
def test_a_dial_of_the_wrong_hour_or_day_breaks_its_check(moment: datetime, check: str) -> None:
    verdict = judge(Calendar(CONFIG), spaniard(), moment, History())
    assert verdict.broken_checks == [check] and verdict.profile == "b2b"
    assert verdict.passed == [c for c in JUDGED if c != check]


def test_the_rule_version_is_the_one_in_force_at_the_dial() -> None:
    calendar = Calendar(CONFIG)
    before = judge(calendar, french("none"), IN_2025, History())
    after = judge(calendar, french("none"), IN_2026, History())
    assert (before.broken, before.rule_from) == ((), None)
    assert after.broken_checks == ["consent"] and after.rule_from == date(2026, 8, 11)
    assert after.law and "2025-594" in after.law


def test_a_refusal_rests_the_lead_and_a_rule_judged_elsewhere_is_its_own_check() -> None:
    moment = datetime(2026, 11, 18, 10, tzinfo=MADRID)
    refused = History(refused_at=moment - timedelta(days=2))
    listed = Problem("registry-listed", {"registry": "robinson"})
    later = Problem("a-rule-to-come", {})
    verdict = judge(Calendar(CONFIG), spaniard(), moment, refused, [listed, later])
    assert verdict.broken_checks == ["rest", "registry", "a-rule-to-come"]
    assert verdict.judged[-2:] == ("registry", "a-rule-to-come")
    assert not {"registry", "a-rule-to-come"} & set(verdict.passed)
    # the window is a preference, not a rule; a wrong number is a fact about the phone
    odd = Person(country="ES", timezone="Europe/Madrid", window="early", phone_flag="wrong-number")
    assert judge(Calendar(CONFIG), odd, moment, History()).broken == ()
