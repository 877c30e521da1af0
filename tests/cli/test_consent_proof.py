"""Proof of consent (SPEC §7): ``lead consent`` records a consent given or withdrawn with its
date, channel, wording and expiry; the plan judges a lead by the consent in force at its
moment (the latest given before it, unless expired per the rule profile or its own date);
``lead show`` and ``export --format json`` carry the proof, and a revocation stays on the
lead's history. Through the real CLI, on SQLite and (with WARMCALL_TEST_PG) PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_objectors import Cli, engine  # noqa: F401 (engine: fixture, both engines)
from tests.conftest import CONFIG_TOML


def under(home: Path, profile: str) -> None:
    """Every lead falls under ``profile`` (the configuration's default profile)."""
    (home / "config.toml").write_text(CONFIG_TOML + f'[compliance]\nprofile = "{profile}"\n')


@pytest.fixture
def spain(home: Path) -> None:
    under(home, "es-b2c")


def ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def add(cli: Cli, name: str, phone: str, at: str = "2025-09-01 10:00") -> None:
    ok(cli("lead", "add", name, "--phone", phone, "--at", at))


def plan(cli: Cli, at: str) -> dict[str, str | None]:
    """Name → why the lead is left out of the plan at ``at`` (None: it is planned)."""
    rows = json.loads(ok(cli("next", "--all", "--json", "--at", at)).stdout)
    return {row["name"]: row.get("excluded") for row in rows}


def shown(cli: Cli, who: str, at: str) -> dict[str, Any]:
    return json.loads(ok(cli("lead", "show", who, "--json", "--at", at)).stdout)


# --- expiry -------------------------------------------------------------------------------


def test_a_customer_relationship_lapses_after_the_profiles_validity(cli: Cli, spain) -> None:
    """es-b2c: the AEPD accepts a customer while the relationship is recent (a year)."""
    add(cli, "Luis Gil", "+34 915 551 299")
    ok(cli("lead", "consent", "luis", "customer", "--basis", "purchase", "--at",
           "2025-10-01 10:00", "--channel", "paper", "--text", "Invoice F-118"))  # fmt: skip
    assert plan(cli, "2026-09-29 10:00") == {"Luis Gil": None}
    (why,) = plan(cli, "2026-10-05 10:00").values()
    assert why == (
        "consent 'customer' given on 1 Oct 2025 expired on 1 Oct 2026 "
        "(es-b2c: valid 365 days, customer_valid_days)"
    )
    held = shown(cli, "luis", "2026-10-05 10:00")["consent_in_force"]
    assert (held["consent"], held["given"], held["expired_by"]) == (
        "none", "customer", "customer_valid_days",
    )  # fmt: skip
    assert held["expired_at"].startswith("2026-10-01")


def test_a_consent_given_until_a_day_is_not_used_after_it(cli: Cli, spain) -> None:
    add(cli, "Eva Sanz", "+34 915 551 298")
    ok(cli("lead", "consent", "eva", "opt-in", "--at", "2025-10-01 10:00",
           "--channel", "event", "--expires", "2026-09-30"))  # fmt: skip
    assert plan(cli, "2026-09-29 10:00") == {"Eva Sanz": None}
    assert plan(cli, "2026-10-05 10:00") == {
        "Eva Sanz": "consent 'opt-in' expired on 30 Sep 2026, as recorded with it"
    }
    card = ok(cli("lead", "show", "eva", "--at", "2026-10-05 10:00")).stdout
    assert "opt-in lapsed" in card and "nothing is in force now" in card


@pytest.mark.parametrize(
    ("basis", "in_force"), [(None, "none"), ("inquiry", "none"), ("purchase", "customer")]
)
def test_a_us_customer_without_a_purchase_date_counts_as_an_inquiry(
    cli: Cli, home: Path, basis: str | None, in_force: str
) -> None:
    """The US established business relationship: 18 months after a purchase, 3 after an
    inquiry; a customer record that says neither is held to the shorter."""
    under(home, "us-tcpa")
    add(cli, "Sarah Mitchell", "+1 212 555 0147", at="2026-01-02 10:00")
    said = ("--basis", basis) if basis else ()
    ok(cli("lead", "consent", "sarah", "customer", *said, "--at", "2026-01-05 10:00",
           "--channel", "phone"))  # fmt: skip
    assert shown(cli, "sarah", "2026-03-30 10:00")["consent_in_force"]["consent"] == "customer"
    assert shown(cli, "sarah", "2026-04-10 10:00")["consent_in_force"]["consent"] == in_force
    # us-tcpa accepts a call on no consent, but the plan flags it as such once it lapsed
    for day, flagged in (("2026-03-30", False), ("2026-04-10", in_force == "none")):
        (row,) = json.loads(ok(cli("next", "--json", "--at", f"{day} 10:00")).stdout)
        assert any(r["part"] == "consent" for r in row["reasons"]) == flagged


# --- the record in force at a moment -------------------------------------------------------


def test_a_plan_before_the_consent_date_uses_the_earlier_record(cli: Cli, spain) -> None:
    add(cli, "Ana Martín", "+34 915 551 234")  # no consent on record: es-b2c refuses her
    ok(cli("lead", "consent", "ana", "opt-in", "--at", "2026-03-02 10:00",
           "--channel", "web-form", "--text", "Llámenme con ofertas"))  # fmt: skip
    assert plan(cli, "2026-02-10 10:00") == {
        "Ana Martín": "consent 'none' is not accepted under es-b2c"
    }
    assert plan(cli, "2026-03-10 10:00") == {"Ana Martín": None}
    # a record back-dated before the latest joins the history; the latest stays in force
    ok(cli("lead", "consent", "ana", "none", "--at", "2025-12-01 10:00", "--channel", "phone"))
    assert shown(cli, "ana", "2026-03-10 10:00")["consent"] == "opt-in"
    assert plan(cli, "2026-03-10 10:00") == {"Ana Martín": None}


def test_a_revocation_stays_on_the_timeline(cli: Cli, spain) -> None:
    add(cli, "Ana Martín", "+34 915 551 234")
    ok(cli("lead", "consent", "ana", "opt-in", "--at", "2026-03-02 10:00",
           "--channel", "web-form", "--text", "Llámenme con ofertas"))  # fmt: skip
    ok(cli("lead", "consent", "ana", "revoked", "--at", "2026-05-04 12:00",
           "--channel", "phone", "--text", "asked us to stop"))  # fmt: skip
    assert plan(cli, "2026-04-07 10:00") == {"Ana Martín": None}  # before she withdrew it
    assert plan(cli, "2026-05-05 10:00") == {"Ana Martín": "consent revoked on 4 May 2026"}
    data = shown(cli, "ana", "2026-05-05 10:00")
    assert [(c["consent"], c["channel"], c["wording"]) for c in data["consents"]] == [
        ("none", "unknown", None),
        ("opt-in", "web-form", "Llámenme con ofertas"),
        ("revoked", "phone", "asked us to stop"),
    ]
    assert data["consent_in_force"]["consent"] == "revoked"
    card = ok(cli("lead", "show", "ana", "--at", "2026-05-05 10:00")).stdout
    assert "Consent given and withdrawn" in card
    assert "“Llámenme con ofertas”" in card and "“asked us to stop”" in card
    # a consent given again later is in force again; the revocation stays in the history
    ok(cli("lead", "consent", "ana", "opt-in", "--at", "2026-06-01 10:00", "--channel", "email"))
    assert plan(cli, "2026-06-02 10:00") == {"Ana Martín": None}
    kinds = [c["consent"] for c in shown(cli, "ana", "2026-06-02 10:00")["consents"]]
    assert kinds == ["none", "opt-in", "revoked", "opt-in"]


def test_the_json_export_carries_the_proof(cli: Cli, spain) -> None:
    add(cli, "Eva Sanz", "+34 915 551 298")
    ok(cli("lead", "consent", "eva", "customer", "--basis", "purchase", "--at",
           "2025-10-01 10:00", "--channel", "paper", "--text", "Pedido 118",
           "--expires", "2027-01-31"))  # fmt: skip
    (record,) = json.loads(ok(cli("lead", "export", "--format", "json")).stdout)
    assert record["consent"] == "customer"
    assert record["consents"] == [
        {"at": "2025-09-01T10:00:00+02:00", "consent": "none", "channel": "unknown",
         "wording": None, "expires_at": None, "basis": None},
        {"at": "2025-10-01T10:00:00+02:00", "consent": "customer", "channel": "paper",
         "wording": "Pedido 118", "expires_at": "2027-01-31T00:00:00+01:00",
         "basis": "purchase"},
    ]  # fmt: skip
    # the CSV keeps its columns: a file another tool reads by position is not shifted
    header = ok(cli("lead", "export", "--format", "csv")).stdout.splitlines()[0]
    assert "consents" not in header


# --- every way a consent is set leaves a record --------------------------------------------


def test_import_and_edit_record_the_consent_they_set(cli: Cli, spain) -> None:
    rows = "name,phone,consent\nLucía Pérez,+34 611 402 733,opt-in\n"
    ok(cli("lead", "import", "-", "--at", "2026-02-02 09:00", input=rows))
    (first,) = shown(cli, "lucia", "2026-02-03 10:00")["consents"]
    assert (first["consent"], first["at"]) == ("opt-in", "2026-02-02T09:00:00+01:00")
    again = "name,phone,consent\nLucía Pérez,+34 611 402 733,customer\n"
    ok(cli("lead", "import", "-", "--on-duplicate", "update", "--at", "2026-03-02 09:00",
           input=again))  # fmt: skip
    ok(cli("lead", "edit", "lucia", "--consent", "b2b", "--at", "2026-04-06 09:00"))
    data = shown(cli, "lucia", "2026-04-07 10:00")
    assert [(c["consent"], c["at"][:10]) for c in data["consents"]] == [
        ("opt-in", "2026-02-02"), ("customer", "2026-03-02"), ("b2b", "2026-04-06"),
    ]  # fmt: skip
    assert plan(cli, "2026-03-10 10:00") == {"Lucía Pérez": None}
    assert plan(cli, "2026-04-07 10:00") == {
        "Lucía Pérez": "consent 'b2b' is not accepted under es-b2c"
    }


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (("opt-in",), 2, "Say how the consent was given"),
        (("maybe", "--channel", "phone"), 2, "consent must be one of"),
        (("opt-in", "--channel", "phone", "--basis", "purchase"), 2, "--basis is a customer's"),
        (("opt-in", "--channel", "phone", "--expires", "2026-01-01"), 1, "must expire after"),
    ],
)
def test_a_consent_without_proof_or_that_cannot_be_is_refused(
    cli: Cli, spain, args: tuple[str, ...], code: int, said: str
) -> None:
    add(cli, "Eva Sanz", "+34 915 551 298")
    result = cli("lead", "consent", "eva", *args, "--at", "2026-02-02 10:00")
    assert result.exit_code == code, result.output
    (line,) = result.stderr.strip().splitlines()
    assert said in line
    assert [c["consent"] for c in shown(cli, "eva", "2026-02-03 10:00")["consents"]] == ["none"]


def test_the_script_offers_to_stop_calling_once_the_consent_lapsed(cli: Cli, home: Path) -> None:
    """A lead called on no consent hears where the number came from and an offer to stop
    calling: a customer relationship past its validity is no consent."""
    under(home, "us-tcpa")
    add(cli, "Sarah Mitchell", "+1 212 555 0147", at="2026-01-02 10:00")
    ok(cli("lead", "consent", "sarah", "customer", "--basis", "inquiry", "--at",
           "2026-01-05 10:00", "--channel", "phone"))  # fmt: skip
    ok(cli("call", "log", "sarah", "-o", "connected", "--at", "2026-01-20 16:00"))
    offer = "If you would rather I did not call you"
    assert offer not in ok(cli("script", "sarah", "--at", "2026-03-30 16:00")).stdout
    assert offer in ok(cli("script", "sarah", "--at", "2026-04-10 16:00")).stdout


# --- a consent taken back to none by hand -----------------------------------------------------


def test_lead_edit_consent_none_takes_an_opt_in_back_to_none(cli: Cli, spain) -> None:
    """``--consent none`` is a value, not a blank: under es-b2c the lead leaves the plan, and
    its history keeps the opt-in and the none after it."""
    add(cli, "Rosa Vidal", "+34 915 551 300")
    ok(cli("lead", "consent", "rosa", "opt-in", "--at", "2025-10-01 10:00",
           "--channel", "web-form"))  # fmt: skip
    assert plan(cli, "2025-10-06 10:00") == {"Rosa Vidal": None}
    ok(cli("lead", "edit", "rosa", "--consent", "none", "--at", "2025-10-07 09:00"))
    seen = shown(cli, "rosa", "2025-10-08 10:00")
    assert seen["consent"] == "none"
    assert [c["consent"] for c in seen["consents"]][-2:] == ["opt-in", "none"]
    (why,) = plan(cli, "2025-10-08 10:00").values()
    assert why is not None and "none" in why
