"""Rules have dates (SPEC §7): the rule in force at the call's moment applies. France's
consumers, since 11 August 2026, only with prior consent or a contract in progress."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import Result

from tests.compliance.test_rules import Person
from tests.conftest import PG_URL, cli_on
from warmcall.compliance import rules
from warmcall.compliance.profiles import load_profile
from warmcall.compliance.rules import Calendar
from warmcall.config import Compliance, Config
from warmcall.errors import ConfigError

PARIS = ZoneInfo("Europe/Paris")
LAW = "loi n° 2025-594"


@pytest.fixture(autouse=True)
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("WARMCALL_HOME", str(tmp_path))
    rules.clear_caches()
    yield
    rules.clear_caches()


def french(consent: str) -> Person:
    return Person(country="FR", timezone="Europe/Paris", consent=consent)


CONFIG = Config(
    timezone="Europe/Madrid", region="ES", compliance=Compliance("b2b", {"FR": "fr-b2c"})
)
IN_2025 = datetime(2025, 11, 25, 11, tzinfo=PARIS)  # a Tuesday, inside fr-b2c's hours
IN_2026 = datetime(2026, 12, 8, 11, tzinfo=PARIS)  # a Tuesday too


@pytest.mark.parametrize("consent", ["none", "b2b", "form"])
def test_a_french_consumer_without_prior_consent_was_callable_in_2025_and_is_not_now(consent):
    calendar = Calendar(CONFIG)
    assert calendar.may_call(french(consent), IN_2025) == []
    (problem,) = calendar.may_call(french(consent), IN_2026)
    assert problem.code == "consent-not-accepted"
    assert LAW in problem.facts["law"] and problem.facts["since"] == date(2026, 8, 11)


@pytest.mark.parametrize("consent", ["opt-in", "customer"])
def test_prior_consent_or_a_contract_in_progress_still_allows_the_call(consent):
    assert Calendar(CONFIG).may_call(french(consent), IN_2026) == []


def test_the_day_the_law_came_into_force_is_judged_in_the_leads_own_day():
    calendar = Calendar(CONFIG)
    eve = datetime(2026, 8, 10, 11, tzinfo=PARIS)
    assert calendar.may_call(french("none"), eve) == []
    day = datetime(2026, 8, 11, 11, tzinfo=PARIS)
    assert [p.code for p in calendar.may_call(french("none"), day)] == ["consent-not-accepted"]


def test_the_dated_rule_keeps_what_it_does_not_change():
    fr = load_profile("fr-b2c")
    now = fr.on(date(2026, 12, 8))
    assert now.accepted == {"opt-in", "customer"} and fr.on(date(2025, 1, 6)) is fr
    assert [str(r) for r in now.hours] == ["10:00-13:00", "14:00-20:00"]
    assert (now.max_attempts, now.attempts_days, now.refusal_rest_days) == (4, 30, 60)


def test_a_user_profile_can_carry_dated_rules(tmp_path: Path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "de-b2c.toml").write_text(
        'hours = ["08:00-20:00"]\n'
        "[frequency]\nmax_attempts = 5\nattempts_days = 30\n"
        '[[dated]]\nfrom = 2026-01-01\nuntil = 2026-07-01\nlaw = "UWG § 7"\n'
        'hours = ["09:00-18:00"]\nfrequency = { max_attempts = 2 }\n'
    )
    de = load_profile("de-b2c")
    assert [str(r) for r in de.on(date(2025, 12, 31)).hours] == ["08:00-20:00"]
    spring = de.on(date(2026, 3, 2))
    assert [str(r) for r in spring.hours] == ["09:00-18:00"] and spring.law == "UWG § 7"
    assert (spring.max_attempts, spring.attempts_days) == (2, 30)
    assert de.on(date(2026, 7, 1)) is de  # until is the first day it no longer applies


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[[dated]]\nlaw = 'x'\n", "needs a from or an until"),
        ("[[dated]]\nfrom = 'soon'\n", "from must be a date"),
        ("[[dated]]\nfrom = 2026-05-01\nuntil = 2026-01-01\n", "until must come after from"),
        ("[[dated]]\nfrom = 2026-05-01\nhourz = []\n", "hourz is not a profile setting"),
    ],
)
def test_a_bad_dated_rule_is_one_sentence_naming_the_file(tmp_path: Path, text, words):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "bad.toml").write_text(text)
    with pytest.raises(ConfigError, match=r"bad\.toml") as raised:
        load_profile("bad")
    assert words in str(raised.value)


# --- through the real CLI ---------------------------------------------------------------------


def _with_france(home: Path) -> None:
    path = home / "config.toml"
    path.write_text(path.read_text() + '\n[compliance.countries]\nFR = "fr-b2c"\n')


def _plan(cli: Callable[..., Result], at: str) -> dict[str, object]:
    result = cli("next", "--at", at, "--all", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def test_the_plan_excludes_her_now_and_would_not_have_in_2025(
    cli: Callable[..., Result], home: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_on(engine, monkeypatch)
    _with_france(home)
    added = cli(
        "lead", "add", "Élodie Marchand", "--phone", "+33 6 12 34 56 78",
        "--timezone", "Europe/Paris", "--consent", "none", "--at", "2025-11-20 09:00", "--json",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    lead_id = json.loads(added.stdout)["id"]
    then = cli("next", "--at", "2025-11-25 10:30", "--json")
    assert [r["lead_id"] for r in json.loads(then.stdout)] == [lead_id]
    now = cli("next", "--at", "2026-12-08 10:30", "--all")
    assert now.exit_code == 0, now.output
    assert "Élodie" in now.stdout and "2025-594" in now.stdout.replace("\n", " ")
    rows = json.loads(cli("next", "--at", "2026-12-08 10:30", "--json").stdout)
    assert rows == []
