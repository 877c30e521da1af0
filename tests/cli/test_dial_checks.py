"""Every rule in force judges every logged dial (SPEC §7): a dial at 21:30, on a Saturday, on
a public holiday, to a lead whose consent the profile does not accept, or during a refusal's
rest is logged (it happened) with a warning; the verdict is kept with the call, counted in the
report's breaches and exported by `warmcall audit` — through the real CLI, on every engine.

Every moment is given with --at, so no assertion depends on the real date.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import PG_URL, cli_on

Cli = Callable[..., Result]
ENGINES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
CONFIG = """timezone = "Europe/Madrid"
region = "ES"
language = "{language}"

[compliance.countries]
FR = "fr-b2c"
"""
PERIOD = ("--from", "2026-10-01", "--to", "2026-11-24", "--at", "2026-11-25 07:50")

# (lead, phone, consent, the dial that breaks a rule, the check it breaks, the warning's words)
CASES = [
    ("Lucía Romero", "912 345 678", "b2b", "2026-11-24 21:30", "hours",
     "21:30 their time is outside the calling hours of b2b"),
    ("Marco Gil", "913 000 111", "b2b", "2026-11-21 10:00", "day", "Sat is not a calling day"),
    ("Pilar Sanz", "914 000 222", "b2b", "2026-10-12 11:00", "holiday",
     "a public holiday in ES"),
    ("Claire Martin", "+33 1 42 68 53 00", "none", "2026-11-24 11:00", "consent",
     "consent 'none' is not accepted under fr-b2c since 11 Aug 2026 (loi n° 2025-594"),
    ("Jorge Vidal", "915 000 333", "b2b", "2026-11-18 10:00", "rest",
     "not interested on Mon 16 Nov: resting 90 days"),
]  # fmt: skip


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (home / "config.toml").write_text(CONFIG.format(language="en"))
    return cli_on(str(request.param), monkeypatch)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def book(cli: Cli, engine: str) -> dict[str, Result]:
    """The five leads, each dialled once against one rule (Jorge refused on Monday first):
    each dial's `call log` result, by check."""
    logged = {}
    for name, phone, consent, at, check, _said in CASES:
        ok(cli("lead", "add", name, "--phone", phone, "--consent", consent, "--at",
               "2026-09-01 09:00"))  # fmt: skip
        if check == "rest":
            ok(cli("call", "log", "jorge", "-o", "not-interested", "--at", "2026-11-16 10:00"))
        logged[check] = ok(cli("call", "log", name, "-o", "no-answer", "--at", at, "--json"))
    return logged


def audit(cli: Cli, *more: str) -> list[dict]:
    return json.loads(ok(cli("audit", *PERIOD, "--json", *more)).stdout)


@pytest.mark.parametrize(("name", "check", "said"), [(c[0], c[4], c[5]) for c in CASES])
def test_each_rule_broken_is_warned_kept_reported_and_audited(
    cli: Cli, book: dict[str, Result], name: str, check: str, said: str
) -> None:
    logged = json.loads(book[check].stdout)
    assert logged["checks"]["broken"] and {p["check"] for p in logged["checks"]["broken"]} == {
        check
    }
    assert check not in logged["checks"]["passed"]
    # the warning, in words, as `call log` prints it (logged anyway)
    again = CASES_AT[check].replace(":00", ":01")
    text = " ".join(ok(cli("call", "log", name, "-o", "busy", "--at", again)).stderr.split())
    assert "Warning: the dial breaks a rule:" in text and said in text, text
    assert "Logged anyway." in text
    # kept with the call: the audit reads it back, a dial a row, with its check
    dial = next(r for r in audit(cli) if r["call_id"] == logged["id"])
    assert dial["lead"] == name and dial["checks"]["broken"][0]["check"] == check
    assert check not in dial["checks"]["passed"]
    # in the report's breaches, under its own check
    report = json.loads(ok(cli("report", *PERIOD, "--json")).stdout)
    assert (name, check) in {(b["name"], b["check"]) for b in report["breaches"]}


CASES_AT = {c[4]: c[3] for c in CASES}


def test_the_report_lists_each_rule_broken_on_screen_and_in_csv(
    cli: Cli, book: dict[str, Result]
) -> None:
    shown = " ".join(ok(cli("report", *PERIOD)).stdout.split())
    assert "Rule breaches (5)" in shown
    for said in ("calling hours", "calling day", "public holiday", "consent", "rest"):
        assert f"1 dial {said}" in shown
    rows = ok(cli("report", *PERIOD, "--csv")).stdout.splitlines()
    breaches = {tuple(r.split(",")[2:4]) for r in rows if ",breaches," in r}
    assert ("#4 Claire Martin", "consent_dials") in breaches
    assert ("#1 Lucía Romero", "hours_last_at") in breaches


def test_a_call_corrected_to_a_lawful_time_is_judged_again(
    cli: Cli, book: dict[str, Result]
) -> None:
    """`call edit --at` logs the call anew: its verdict follows the correction."""
    lucia = json.loads(book["hours"].stdout)["id"]
    edited = ok(cli("call", "edit", str(lucia), "--at", "2026-11-24 10:00", "--json"))
    assert json.loads(edited.stdout)["checks"]["broken"] == []
    row = next(r for r in audit(cli) if r["call_id"] == lucia)
    assert row["checks"]["broken"] == [] and "hours" in row["checks"]["passed"]
    report = json.loads(ok(cli("report", *PERIOD, "--json")).stdout)
    assert ("Lucía Romero", "hours") not in {(b["name"], b["check"]) for b in report["breaches"]}


def test_a_dial_within_every_rule_passes_every_check(cli: Cli, engine: str) -> None:
    ok(cli("lead", "add", "Ana Ruiz", "--phone", "916 000 444", "--at", "2026-09-01 09:00"))
    logged = ok(cli("call", "log", "ana", "-o", "connected", "--at", "2026-11-24 10:00", "--json"))
    checks = json.loads(logged.stdout)["checks"]
    assert checks["broken"] == [] and "Warning" not in logged.stderr
    assert checks["passed"] == [
        "hours",
        "day",
        "holiday",
        "consent",
        "rest",
        "frequency",
        "registry",
    ]
    assert json.loads(ok(cli("report", *PERIOD, "--json")).stdout)["breaches"] == []
    assert audit(cli)[0]["checks"]["passed"] == checks["passed"]


def test_the_verdict_is_the_one_of_the_dial_not_of_today(cli: Cli, book: dict[str, Result]) -> None:
    """Consent given after the dial does not clear it: the audit says what was judged then."""
    ok(cli("lead", "edit", "claire", "--consent", "opt-in", "--at", "2026-11-24 18:00"))
    claire = [r for r in audit(cli) if r["lead"] == "Claire Martin"]
    assert [p["code"] for p in claire[0]["checks"]["broken"]] == ["consent-not-accepted"]
    assert claire[0]["profile"] == "fr-b2c" and claire[0]["rule_from"] == "2026-08-11"
    assert "L. 223-1" in claire[0]["law"]


def test_the_audit_lists_every_dial_in_time_order_with_the_number_and_local_time(
    cli: Cli, book: dict[str, Result]
) -> None:
    rows = audit(cli)
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    assert len(rows) == 6  # five dials against a rule, and Jorge's refusal
    claire = next(r for r in rows if r["lead"] == "Claire Martin")
    assert claire["number"] == "+33142685300" and claire["number_recorded"] is True
    # 11:00 in Madrid is 11:00 in Paris; the lead's clock, in the lead's zone
    assert claire["local_time"] == "2026-11-24T11:00:00+01:00" and claire["zone"] == "Europe/Paris"
    # --to is a day included; a dial after it is not in the audit
    ok(cli("call", "log", "lucía", "-o", "connected", "--at", "2026-11-25 07:40"))
    assert len(audit(cli)) == 6


def test_the_audit_json_shape_is_pinned(cli: Cli, book: dict[str, Result]) -> None:
    row = audit(cli)[0]
    assert list(row) == [
        "call_id", "at", "lead_id", "lead", "company", "number", "number_recorded", "outcome",
        "local_time", "zone", "zone_known", "profile", "rule_from", "law", "checks",
        "identity_changes",
    ]  # fmt: skip
    assert list(row["checks"]) == ["profile", "rule_from", "law", "judged", "passed", "broken"]
    broken = row["checks"]["broken"][0]
    assert list(broken)[:2] == ["check", "code"] and "until" in broken


def test_the_audit_names_a_lead_s_identity_changes_and_the_number_dialled_then(
    cli: Cli, book: dict[str, Result]
) -> None:
    ok(cli("lead", "edit", "lucía", "--phone", "+34 912 345 679", "--at", "2026-11-24 22:00"))
    lucia = [r for r in audit(cli) if r["lead"] == "Lucía Romero"]
    assert lucia[0]["number"] == "+34912345678"  # dialled before the change
    assert [(c["kind"], c["old"], c["new"]) for c in lucia[0]["identity_changes"]] == [
        ("phone", "+34912345678", "+34912345679")
    ]


def test_the_audit_as_csv_and_to_a_private_file(cli: Cli, book: dict[str, Result], home: Path):
    shown = ok(cli("audit", *PERIOD, "--csv")).stdout.splitlines()
    assert shown[0].startswith("call_id,at,lead_id,lead,")
    assert len(shown) == 7 and any(",consent," in line for line in shown)
    claire = next(csv.DictReader(line for line in shown if "Claire" in line or "call_id" in line))
    assert claire["number"] == "+33142685300" and claire["number_recorded"] == "true"
    assert claire["broken"] == "consent" and claire["profile"] == "fr-b2c"
    target = home / "out" / "audit.json"
    written = ok(cli("audit", *PERIOD, "-o", str(target)))
    assert "Wrote 6 dials to" in " ".join(written.stderr.split())
    assert len(json.loads(target.read_text())) == 6
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_human_audit_says_what_each_dial_broke(cli: Cli, book: dict[str, Result]) -> None:
    text = " ".join(ok(cli("audit", *PERIOD)).stdout.split())
    assert "broke: consent" in text and "broke: calling hours" in text
    assert "+33 1 42 68 53 00" in text and "912 34 56 78" in text  # as dialled from Spain
    assert "fr-b2c (rule of 11 Aug 2026)" in text
    assert "6 dials · 5 broke a rule" in text


def test_in_spanish_the_warning_the_report_and_the_audit(
    cli: Cli, book: dict[str, Result], home: Path
) -> None:
    from tests.cli.test_in_spanish import assert_spanish

    (home / "config.toml").write_text(CONFIG.format(language="es"))
    warned = ok(cli("call", "log", "claire", "-o", "busy", "--at", "2026-11-24 11:05"))
    assert "la llamada incumple una norma" in warned.stderr
    report = ok(cli("report", *PERIOD))
    shown = ok(cli("audit", *PERIOD))
    assert "incumplió: horario de llamadas" in shown.stdout
    assert "incumplió: consentimiento" in shown.stdout
    assert "Infracciones" in report.stdout or "incumpl" in report.stdout.lower()
    law = "loi n° 2025-594, art. L. 223-1 code de la consommation"  # French, as the law says
    assert_spanish(warned.stderr.replace(law, ""), report.stdout, shown.stdout)
