"""`warmcall lead …` through the real CLI, on a real store in a temp dir."""

import json

import pytest


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
    assert "Missing argument 'NAME'" in result.stderr


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


# --- do not call is final (SPEC §7) -----------------------------------------------------------


def _objector(cli):
    added = cli("lead", "add", "Ana Martínez", "--phone", "612 345 678", "--email",
                "ana@innova.es", "--consent", "form", "--source", "web form 2026-03",
                "--at", "2026-11-02 10:00", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    dnc = cli("lead", "dnc", "ana", "--reason", "said never again", "--at", "2026-11-18 10:00")
    assert dnc.exit_code == 0, dnc.output
    return json.loads(added.stdout)["id"]


def test_an_edit_never_lifts_a_do_not_call(cli):
    lead_id = _objector(cli)
    result = cli("lead", "edit", "ana", "--status", "active")
    assert result.exit_code == 1
    assert "asked not to be called on 18 Nov 2026 (said never again)" in result.stderr
    assert f"lead dnc {lead_id} --lift --reason" in result.stderr
    assert json.loads(cli("lead", "show", "ana", "--json").stdout)["status"] == "dnc"
    # other fields may still be corrected
    assert cli("lead", "edit", "ana", "--company", "Innova").exit_code == 0


def test_lift_needs_a_reason_and_the_timeline_keeps_both_acts(cli):
    _objector(cli)
    assert cli("lead", "dnc", "ana", "--lift").exit_code == 2
    lifted = cli("lead", "dnc", "ana", "--lift", "--reason", "she called us and asked for a demo",
                 "--at", "2026-11-24 09:00")  # fmt: skip
    assert lifted.exit_code == 0, lifted.output
    data = json.loads(cli("lead", "show", "ana", "--json").stdout)
    assert data["status"] == "active"
    assert data["events"] == [
        {"at": "2026-11-18T10:00:00+01:00", "kind": "dnc", "reason": "said never again"},
        {"at": "2026-11-24T09:00:00+01:00", "kind": "lift",
         "reason": "she called us and asked for a demo"},
    ]  # fmt: skip
    text = " ".join(cli("lead", "show", "ana").stdout.split())
    assert "Do not call" in text
    assert "objected said never again" in text and "lifted she called us" in text
    again = cli("lead", "dnc", "ana", "--lift", "--reason", "x")
    assert again.exit_code == 1 and "no objection on record" in again.stderr


@pytest.mark.parametrize("same", [["--email", "ANA@innova.es"], ["--phone", "+34 612-345-678"]])
def test_adding_the_objector_again_is_refused_even_as_a_duplicate(cli, same):
    _objector(cli)
    result = cli("lead", "add", "A. Martínez", *same, "--allow-duplicate")
    assert result.exit_code == 1
    assert "This person objected" in result.stderr and "18 Nov 2026" in result.stderr
    listed = json.loads(cli("lead", "list", "--json").stdout)
    assert [lead["status"] for lead in listed] == ["dnc"]


# --- suppression after forget (SPEC §7) -------------------------------------------------------


def test_a_forgotten_person_is_not_added_again_until_lifted(cli):
    cli("lead", "add", "Ana Martínez", "--phone", "612 345 678", "--email", "ana@innova.es")
    gone = cli("lead", "forget", "ana", "--yes", "--at", "2026-11-20 09:00")
    assert gone.exit_code == 0, gone.output
    for same in (["--email", "ANA@innova.es"], ["--phone", "+34 612 34 56 78"]):
        again = cli("lead", "add", "Ana M.", *same, "--allow-duplicate")
        assert again.exit_code == 1
        assert "forgotten at their request on 20 Nov 2026" in again.stderr
    assert json.loads(cli("lead", "list", "--json").stdout) == []
    assert cli("lead", "unsuppress", "612 345 678").exit_code == 2  # needs a reason
    lifted = cli("lead", "unsuppress", "612 345 678", "--reason", "she asked to hear from us",
                 "--json")  # fmt: skip
    assert lifted.exit_code == 0, lifted.output
    assert json.loads(lifted.stdout)["forgotten_at"] == "2026-11-20T09:00:00+01:00"
    assert cli("lead", "add", "Ana M.", "--phone", "612 345 678").exit_code == 0
    # the e-mail is still suppressed: lifting one value lifts only that one
    assert cli("lead", "add", "Ana M.", "--email", "ana@innova.es").exit_code == 1
    unknown = cli("lead", "unsuppress", "nobody@x.es", "--reason", "r")
    assert unknown.exit_code == 1 and "nothing to lift" in unknown.stderr


# --- proof (SPEC §7): consent, source, objection and lift, with dates and reasons --------------


def test_show_and_export_prove_consent_source_objection_and_lift(cli):
    _objector(cli)
    cli("lead", "dnc", "ana", "--lift", "--reason", "she asked for a demo", "--at",
        "2026-11-24 09:00")  # fmt: skip
    cli("lead", "dnc", "ana", "--reason", "changed her mind again", "--at", "2026-11-25 07:00")
    expected = [
        {"at": "2026-11-18T10:00:00+01:00", "kind": "dnc", "reason": "said never again"},
        {"at": "2026-11-24T09:00:00+01:00", "kind": "lift", "reason": "she asked for a demo"},
        {"at": "2026-11-25T07:00:00+01:00", "kind": "dnc", "reason": "changed her mind again"},
    ]
    shown = json.loads(cli("lead", "show", "ana", "--json").stdout)
    exported = json.loads(cli("lead", "export", "--format", "json").stdout)[0]
    for record in (shown, exported):
        assert (record["consent"], record["source"]) == ("form", "web form 2026-03")
        assert (record["status"], record["dnc_at"], record["dnc_reason"]) == (
            "dnc", "2026-11-25T07:00:00+01:00", "changed her mind again",
        )  # fmt: skip
        assert record["events"] == expected
    text = " ".join(cli("lead", "show", "ana", "--at", "2026-11-25 07:50").stdout.split())
    assert "source web form 2026-03" in text and "consent web form" in text
    assert text.count("objected") == 2 and "lifted she asked for a demo" in text


def test_an_edit_cannot_give_a_lead_a_forgotten_or_objecting_persons_number(cli):
    cli("lead", "add", "Eva", "--phone", "600 111 222")
    cli("lead", "forget", "eva", "--yes", "--at", "2026-11-20 09:00")
    _objector(cli)
    cli("lead", "add", "Bob", "--phone", "699 000 111")
    forgotten = cli("lead", "edit", "bob", "--phone", "600 111 222")
    assert forgotten.exit_code == 1 and "forgotten at their request" in forgotten.stderr
    objector = cli("lead", "edit", "bob", "--phone", "612 345 678")
    assert objector.exit_code == 1 and "This person objected" in objector.stderr


def test_success_lines_speak_the_configured_language(cli, home, tmp_path) -> None:
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    added = cli("lead", "add", "Ana Martínez", "--phone", "612 345 678", "--window", "early")
    assert added.exit_code == 0, added.output
    objected = cli(
        "lead", "dnc", "ana", "--reason", "pidió no ser llamada", "--at", "2026-11-25 07:50"
    )
    assert objected.exit_code == 0, objected.output
    said = " ".join(objected.stdout.split())
    # no gender guessed for Ana, and a date takes its article
    assert said.startswith(
        "No se volverá a llamar a Ana Martínez (oposición registrada el mié 25 nov"
    )
    erased = cli("lead", "forget", "ana", "--yes", "--at", "2026-11-25 07:50")
    assert erased.exit_code == 0, erased.output
    assert "Borrado Ana Martínez (#1) y su historial." in erased.stdout
    cli("lead", "add", "Luis Pérez", "--phone", "622 111 222", "--temperature", "hot")
    ics = cli("next", "--at", "2026-11-25 07:50", "--ics", str(tmp_path / "plan.ics"))
    assert ics.exit_code == 0, ics.output
    assert "Escrito 1 evento en" in ics.stdout


def test_a_shared_switchboard_number_adds_another_person_and_says_so(cli) -> None:
    at = ("--at", "2026-11-20 09:00")
    laura = cli("lead", "add", "Laura Gómez", "--phone", "+34 915 551 234", *at)
    assert laura.exit_code == 0, laura.output
    mercedes = cli("lead", "add", "Mercedes Álvarez", "--phone", "91-555-12-34", *at)
    assert mercedes.exit_code == 0, mercedes.output
    assert "Shares a number with Laura Gómez (#1): a different person" in mercedes.stderr
    again = cli("lead", "add", "Laura Gomez", "--phone", "915551234", *at)
    assert again.exit_code == 1  # the same person, by a compatible name


def test_errors_speak_the_configured_language(cli, home) -> None:
    """SPEC §6: the messages too, not only the plan; the exit codes do not change."""
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678")
    cli("lead", "add", "Luis Ruiz", "--phone", "622 111 222")
    missing = cli("lead", "show", "nadie")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "Ningún contacto coincide con 'nadie'."
    both = cli("call", "log", "ruiz", "--outcome", "connected")
    assert both.exit_code == 1
    assert both.stderr.startswith("'ruiz' coincide con 2 contactos; indique uno por su id.")
    week = cli("report", "--week", "2026-W99")
    assert week.exit_code == 2 and week.stderr.strip() == "2026 no tiene semana 99."
    (home / "config.toml").write_text('language = "es"\n[score]\nhot = "lots"\n')
    typed = cli("next")
    assert typed.exit_code == 1
    assert "score.hot debe ser un número, no 'lots'." in typed.stderr


def test_every_number_of_a_lead_is_shown_and_exported(cli, tmp_path) -> None:
    added = cli("lead", "add", "Eva Ruiz", "--phone", "612 345 679", "--phone", "91 555 12 34")
    assert added.exit_code == 0, added.output
    shown = cli("lead", "show", "eva")
    assert "other numbers" in shown.stdout and "915 55 12 34" in shown.stdout  # as dialled
    as_json = json.loads(cli("lead", "show", "eva", "--json").stdout)
    assert as_json["phones"] == ["+34915551234"]
    out = tmp_path / "leads.json"
    assert cli("lead", "export", "--format", "json", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["phones"] == ["+34915551234"]
