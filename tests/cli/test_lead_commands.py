"""`warmcall lead …` through the real CLI, on a real store in a temp dir."""

import json


def test_add_then_list_and_show(cli):
    added = cli(
        "lead",
        "add",
        "Ana Martínez",
        "--company",
        "Innova",
        "--phone",
        "612 345 678",
        "--email",
        "ana@innova.es",
        "--window",
        "early",
        "--temperature",
        "hot",
        "--context",
        "Met at Expo Retail",
        "--tag",
        "fair",
        "--json",
    )
    assert added.exit_code == 0, added.output
    lead = json.loads(added.stdout)
    assert lead["phone_e164"] == "+34612345678" and lead["temperature"] == "hot"
    assert lead["created_at"].endswith("+01:00")  # shown in the user's zone

    listed = cli("lead", "list")
    assert "Ana Martínez" in listed.stdout and "Innova" in listed.stdout

    shown = json.loads(cli("lead", "show", "martinez", "--json").stdout)
    assert shown["id"] == lead["id"] and shown["calls"] == [] and shown["followups"] == []


def test_duplicate_is_refused_with_the_existing_lead(cli):
    cli("lead", "add", "Ana", "--email", "ana@innova.es")
    again = cli("lead", "add", "Ana M", "--email", "ANA@innova.es")
    assert again.exit_code == 1
    assert "Ana (#1) already has this e-mail" in again.stderr
    assert len(json.loads(cli("lead", "list", "--json").stdout)) == 1


def test_missing_name_without_a_terminal_is_a_usage_error(cli):
    result = cli("lead", "add", input="")
    assert result.exit_code == 2
    assert "NAME is required" in result.stderr


def test_bad_value_is_one_sentence_and_nothing_written(cli):
    result = cli("lead", "add", "Ana", "--email", "ana-at-innova")
    assert result.exit_code == 1
    assert result.stderr.strip() == "'ana-at-innova' is not an e-mail address."
    assert "Traceback" not in result.output
    assert json.loads(cli("lead", "list", "--json").stdout) == []


def test_edit_refuses_another_leads_phone(cli):
    # the same number under a compatible name is the same person (SPEC §5)
    cli("lead", "add", "Ana", "--phone", "612345678")
    cli("lead", "add", "Ana Luis", "--phone", "698765432")
    result = cli("lead", "edit", "luis", "--phone", "+34 612 345 678")
    assert result.exit_code == 1 and "Ana (#1) already has this e-mail or phone" in result.stderr
    assert json.loads(cli("lead", "show", "luis", "--json").stdout)["phone"] == "698765432"
    other = cli("lead", "add", "Luis", "--phone", "612 345 678")  # a switchboard: allowed
    assert other.exit_code == 0, other.output


def test_ambiguous_reference_exits_1_with_candidates(cli):
    cli("lead", "add", "Ana Martínez")
    cli("lead", "add", "Luis Martín")
    result = cli("lead", "show", "mart")
    assert result.exit_code == 1
    assert "#1 Ana Martínez" in result.stderr and "#2 Luis Martín" in result.stderr


def test_edit_dnc_and_forget(cli):
    cli("lead", "add", "Ana", "--phone", "612345678")
    edited = json.loads(cli("lead", "edit", "ana", "--window", "midday", "--json").stdout)
    assert edited["window"] == "midday"
    assert cli("lead", "edit", "ana").exit_code == 2  # nothing to change

    dnc = cli("lead", "dnc", "612 345 678", "--reason", "asked not to be called")
    assert dnc.exit_code == 0 and "will not be called again" in dnc.stdout
    shown = json.loads(cli("lead", "show", "ana", "--json").stdout)
    assert shown["status"] == "dnc" and shown["dnc_reason"] == "asked not to be called"

    assert cli("lead", "forget", "ana").exit_code == 2  # needs --yes without a terminal
    assert cli("lead", "forget", "ana", "--yes").exit_code == 0
    assert cli("lead", "show", "ana").exit_code == 1


def test_db_option_and_env_choose_the_store(cli, tmp_path, monkeypatch):
    other = tmp_path / "team.db"
    cli("lead", "add", "Ana", "--db", str(other))
    assert json.loads(cli("lead", "list", "--json").stdout) == []
    monkeypatch.setenv("WARMCALL_DB", str(other))
    assert [x["name"] for x in json.loads(cli("lead", "list", "--json").stdout)] == ["Ana"]
