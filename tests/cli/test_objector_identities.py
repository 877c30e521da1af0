"""Do not call binds the person (SPEC §7): every number and e-mail a lead ever had, those a
`lead edit` replaced included, stays under their objection, and the change is dated on the
lead's timeline. Through the real CLI, on SQLite and (with WARMCALL_TEST_PG) PostgreSQL."""

from __future__ import annotations

import json

from tests.cli.test_objectors import AT, Cli, engine, everyone  # noqa: F401 (engine: fixture)

NORA = ("lead", "add", "Nora Blanc", "--phone", "+33 6 12 34 56 78", "--email",
        "nora@blanc.fr", "--at", "2026-11-02 10:00", "--json")  # fmt: skip


def nora_objects_then_changes(cli: Cli, *change: str) -> int:
    """Nora Blanc objects on 18 Nov, then an edit on 20 Nov gives her another number or
    e-mail."""
    added = cli(*NORA)
    assert added.exit_code == 0, added.output
    dnc = cli("lead", "dnc", "nora", "--reason", "said never again", "--at", "2026-11-18 10:00")
    assert dnc.exit_code == 0, dnc.output
    edited = cli("lead", "edit", "nora", *change, "--at", "2026-11-20 09:00")
    assert edited.exit_code == 0, edited.output
    return int(json.loads(added.stdout)["id"])


def refused(result, nora: int) -> None:
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert f"This person objected: Nora Blanc (#{nora}) asked not to be called" in line


def test_nora_does_not_come_back_on_the_number_she_objected_on(cli: Cli) -> None:
    nora = nora_objects_then_changes(cli, "--phone", "+33 7 00 00 00 01")
    rows = "name,phone\nNora B.,+33 6 12 34 56 78\nNora,+33612345678\nPaul Roux,+33711111111\n"
    result = cli("lead", "import", "-", "--json", *AT, input=rows)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["suppressed"]) == (1, 2)
    assert everyone(cli) == {"Nora Blanc": "dnc", "Paul Roux": "active"}
    # nor by hand, nor by giving another lead that number
    refused(cli("lead", "add", "N. Blanc", "--phone", "+33 6 12 34 56 78", *AT), nora)
    refused(cli("lead", "edit", "paul", "--phone", "+33 6 12 34 56 78", *AT), nora)
    assert everyone(cli) == {"Nora Blanc": "dnc", "Paul Roux": "active"}


def test_an_update_import_does_not_hand_her_old_number_to_another_lead(cli: Cli) -> None:
    """``--on-duplicate update`` adds a file's number to the lead it updates: not hers."""
    nora_objects_then_changes(cli, "--phone", "+33 7 00 00 00 01")
    assert cli("lead", "add", "Paul Roux", "--email", "paul@roux.fr", *AT).exit_code == 0
    rows = "name,email,phone\nPaul Roux,paul@roux.fr,+33 6 12 34 56 78\n"
    result = cli("lead", "import", "-", "--on-duplicate", "update", "--json", *AT, input=rows)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["updated"], summary["suppressed"]) == (0, 1)
    paul = json.loads(cli("lead", "show", "paul", "--json", *AT).stdout)
    assert paul["phone_e164"] is None and paul["phones"] == []
    assert everyone(cli) == {"Nora Blanc": "dnc", "Paul Roux": "active"}


def test_her_old_email_stays_under_the_objection_too(cli: Cli) -> None:
    nora = nora_objects_then_changes(cli, "--email", "nora.blanc@example.org")
    refused(cli("lead", "add", "Nora", "--email", "NORA@blanc.fr", *AT), nora)
    rows = "name,email\nNora Blanc,nora@blanc.fr\n"
    result = cli("lead", "import", "-", "--json", *AT, input=rows)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["suppressed"] == 1
    assert everyone(cli) == {"Nora Blanc": "dnc"}


def test_a_lifted_objection_frees_her_old_number(cli: Cli) -> None:
    nora_objects_then_changes(cli, "--phone", "+33 7 00 00 00 01")
    lift = cli("lead", "dnc", "nora", "--lift", "--reason", "asked us to call", *AT)
    assert lift.exit_code == 0, lift.output
    added = cli("lead", "add", "Jean Petit", "--phone", "+33 6 12 34 56 78", *AT)
    assert added.exit_code == 0, added.output


def test_an_identity_change_made_before_the_objection_is_bound_by_it(cli: Cli) -> None:
    added = cli(*NORA)
    nora = int(json.loads(added.stdout)["id"])
    assert cli("lead", "edit", "nora", "--phone", "+33 7 00 00 00 01", *AT).exit_code == 0
    assert cli("lead", "dnc", "nora", "--reason", "no", *AT).exit_code == 0
    refused(cli("lead", "add", "N. Blanc", "--phone", "+33612345678", *AT), nora)


def test_the_change_is_dated_on_her_timeline(cli: Cli) -> None:
    nora_objects_then_changes(cli, "--phone", "+33 7 00 00 00 01", "--email", "n@blanc.org")
    shown = json.loads(cli("lead", "show", "nora", "--json", *AT).stdout)
    changes = [(e["kind"], e["old"], e["new"], e["at"][:10]) for e in shown["events"]
               if e["kind"] in ("phone", "email")]  # fmt: skip
    assert sorted(changes) == [
        ("email", "nora@blanc.fr", "n@blanc.org", "2026-11-20"),
        ("phone", "+33612345678", "+33700000001", "2026-11-20"),
    ]
    assert [e["kind"] for e in shown["events"]][0] == "dnc"  # the objection, 18 Nov, first
    card = cli("lead", "show", "nora", *AT)
    assert card.exit_code == 0, card.output
    assert "Phone and e-mail changes" in card.stdout
    assert "+33612345678 → +33700000001" in card.stdout
    exported = cli("lead", "export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    (record,) = json.loads(exported.stdout)
    assert {e["kind"] for e in record["events"]} == {"dnc", "phone", "email"}


def test_an_edit_that_changes_nothing_of_her_identity_leaves_no_trace(cli: Cli) -> None:
    nora_objects_then_changes(cli, "--temperature", "cold")
    shown = json.loads(cli("lead", "show", "nora", "--json", *AT).stdout)
    assert [e["kind"] for e in shown["events"]] == ["dnc"]


def test_forgetting_her_suppresses_her_old_number_and_email_too(cli: Cli) -> None:
    nora_objects_then_changes(cli, "--phone", "+33 7 00 00 00 01", "--email", "n@blanc.org")
    gone = cli("lead", "forget", "nora", "--yes", *AT)
    assert gone.exit_code == 0, gone.output
    for old in (("--phone", "+33 6 12 34 56 78"), ("--email", "nora@blanc.fr")):
        again = cli("lead", "add", "Nora Blanc", *old, *AT)
        assert again.exit_code == 1 and "forgotten at their request" in again.stderr
    assert everyone(cli) == {}
