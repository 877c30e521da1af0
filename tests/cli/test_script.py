"""`warmcall script` through the real CLI, on a real store in a temp dir."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

AT = "2026-11-25 07:50"  # a Wednesday morning in Madrid


@pytest.fixture
def ana(cli, home) -> int:
    """A hot lead met at a fair, shown a demo on 12 November, with a call agreed for today."""
    added = cli(
        "lead", "add", "Ana Martínez", "--company", "Innova", "--phone", "612 345 678",
        "--email", "ana@innova.es", "--window", "early,midday", "--stage", "sql",
        "--timezone", "Europe/Madrid",
        "--consent", "b2b", "--source", "Expo Retail 2026",
        "--context", "met at Expo Retail, asked about pricing for 12 stores", "--json",
    )  # fmt: skip
    lead_id = json.loads(added.stdout)["id"]
    logged = cli(
        "call", "log", str(lead_id), "-o", "connected", "--at", "2026-11-12 10:30",
        "--shown", "demo", "--notes", "Demo went well. Needs SSO before signing.",
        "--objection", "price", "--objection", "authority",
        "--next", "2026-11-25 10:00", "--next-action", "send the revised offer",
        "--next-goal", "agree the start date",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output
    return lead_id


def test_call_log_records_what_was_sent_shown_and_recapped(cli, ana):
    result = cli(
        "call", "log", "ana", "-o", "connected", "--at", "2026-11-24 12:00", "--sent", "offer",
        "--recap", "We agreed on two stores first.", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["sent"], data["shown"], data["recap"]) == (
        "offer",
        None,
        "We agreed on two stores first.",
    )
    # read back from the store: the script builds on it
    script = json.loads(cli("script", "ana", "--at", "2026-11-24 12:30", "--json").stdout)
    assert script["situation"]["name"] == "after-offer"
    assert script["situation"]["because"][0]["value"] == "offer"


@pytest.mark.parametrize(("option", "value"), [("--sent", "brochure"), ("--shown", "offer")])
def test_an_unknown_sent_or_shown_is_a_usage_error(cli, ana, option, value):
    result = cli("call", "log", "ana", "-o", "connected", option, value)
    assert result.exit_code == 2
    assert option in result.stderr and "Traceback" not in result.output


def test_json_shape_is_pinned(cli, ana):
    result = cli("script", "ana", "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["lead_id", "situation", "prepared_for", "sections", "slots", "email"]
    assert data["lead_id"] == ana
    assert data["situation"]["name"] == "after-demo"
    [fact] = data["situation"]["because"]
    assert fact["fact"] == "shown" and fact["value"] == "demo"
    assert fact["at"] == "2026-11-12T10:30:00+01:00" and isinstance(fact["call_id"], int)
    # the call agreed for 10:00 today is the one prepared
    assert data["prepared_for"] == "2026-11-25T10:00:00+01:00"
    assert [s["title"] for s in data["sections"]] == [
        "Prepare", "Open", "Where are they now", "Unblock", "Close", "Voicemail", "After",
    ]  # fmt: skip
    assert all(set(s) == {"title", "lines"} for s in data["sections"])
    assert data["slots"] == [
        {"start": "2026-11-26T07:30:00+01:00", "end": "2026-11-26T08:00:00+01:00"},
        {"start": "2026-11-27T12:00:00+01:00", "end": "2026-11-27T12:30:00+01:00"},
    ]
    assert data["email"] is None
    open_lines = data["sections"][1]["lines"]
    assert open_lines[0] == "> Hello Ana, this is [your name] from [your company]."
    assert "> I'm calling about the demo we showed you on 12 November, as we agreed." in open_lines
    assert not any("**" in line for s in data["sections"] for line in s["lines"])
    with_email = json.loads(cli("script", "ana", "--at", AT, "--json", "--email").stdout)
    assert with_email["email"].startswith("To: Ana Martínez <ana@innova.es>\nSubject: ")


def test_human_output_reads_on_80_columns_without_colour(cli, ana, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    result = cli("script", str(ana), "--at", AT)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out
    assert out.splitlines()[0] == "Ana Martínez · Innova — after the demo"
    for title in ("Prepare", "Open", "Where are they now", "Unblock", "Close", "After"):
        assert any(line.startswith(title + " ─") for line in out.splitlines())
    assert " › I'm calling about the demo we showed you on 12 November, as we agreed." in out
    assert " · Thu 26 Nov, 07:30" in out and " · Fri 27 Nov, 12:00" in out
    # the log line stays one line so it can be copied whole; everything else fits 80 columns
    log = f" $ warmcall call log {ana} --outcome connected --next '2026-11-26 07:30'"
    assert any(line.startswith(log) for line in out.splitlines())
    assert all(len(line) <= 80 for line in out.splitlines() if not line.startswith(" $ "))
    assert not any(line.endswith(" ") for line in out.splitlines())


def test_spanish_comes_from_the_flag_or_the_configuration(cli, ana, home):
    flagged = cli("script", "ana", "--at", AT, "--lang", "es")
    assert "Le llamo por la demo que le mostramos el 12 de noviembre" in flagged.stdout
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    configured = cli("script", "ana", "--at", AT)
    assert "¿Lo dejamos ya en la agenda: el jueves 26 de noviembre a las 07:30" in configured.stdout
    assert "Shall we fix a time" in cli("script", "ana", "--at", AT, "--lang", "en").stdout


def test_situation_can_be_forced(cli, ana):
    data = json.loads(
        cli("script", "ana", "--at", AT, "--situation", "reactivation", "--json").stdout
    )
    assert data["situation"] == {"name": "reactivation", "because": [
        {"fact": "forced", "value": "reactivation", "call_id": None, "at": None}
    ]}  # fmt: skip
    assert (
        "> We last spoke on 12 November about the demo we showed you."
        in (data["sections"][1]["lines"])
    )


def test_email_recaps_the_agreed_step_signed_and_without_the_notes(cli, ana, home, monkeypatch):
    # The afternoon of the same Wednesday: the call at 12:15 has happened.
    afternoon = datetime(2026, 11, 25, 16, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    monkeypatch.setattr("warmcall.clock.utcnow", lambda: afternoon)
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\n'
        '[user]\nname = "Marta Ruiz"\ncompany = "Tiendas Pro"\n'
    )
    logged = cli(
        "call", "log", "ana", "-o", "connected", "--at", "2026-11-25 12:15",
        "--notes", "She wants the pilot in two stores. el socio ve caro el plan anual",
        "--objection", "price", "--recap", "You would like to start with two stores.",
        "--next", "2026-12-02 12:00", "--next-action", "pilot review with your finance team",
        "--next-goal", "sign the pilot",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output
    result = cli("script", "ana", "--at", "2026-11-25 16:00", "--email")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "To: Ana Martínez <ana@innova.es>\n"
        "Subject: Pilot review with your finance team, Wednesday 2 December at 12:00\n"
        "\n"
        "Hello Ana,\n"
        "\n"
        "Thank you for your time this afternoon. You would like to start with two stores.\n"
        "\n"
        "As agreed: pilot review with your finance team, on Wednesday 2 December at 12:00.\n"
        "If that time stops suiting you, reply with another and I will move it.\n"
        "\n"
        "Best regards,\n"
        "Marta Ruiz\n"
        "Tiendas Pro\n"
    )
    assert "socio" not in result.stdout and "pilot in two stores" not in result.stdout


def test_a_do_not_call_lead_is_refused(cli, ana):
    cli("lead", "dnc", "ana", "--reason", "asked on the phone")
    result = cli("script", "ana", "--at", AT)
    assert result.exit_code == 1
    assert "Ana Martínez objected to calls on" in result.stderr
    assert "(asked on the phone): a do-not-call lead gets no script." in result.stderr
    assert result.stdout == ""


def test_a_user_template_in_the_config_dir_wins(cli, ana, home):
    folder = home / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "after.j2").write_text("## After\nCall {{ lead.name }} back, then log it.\n")
    data = json.loads(cli("script", "ana", "--at", AT, "--json").stdout)
    assert data["sections"][-1] == {
        "title": "After",
        "lines": ["Call Ana Martínez back, then log it."],
    }


def test_a_broken_user_template_is_one_line_and_exit_1(cli, ana, home):
    folder = home / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "close.j2").write_text("## Close\n{{ slots[0].start|nosuchfilter }}\n")
    result = cli("script", "ana", "--at", AT)
    assert result.exit_code == 1
    assert "close.j2" in result.stderr and "nosuchfilter" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_user_template_that_is_not_text_is_one_line_and_exit_1(cli, ana, home):
    folder = home / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "open.j2").write_bytes("## Open\n> Hola, ¿qué tal?\n".encode("utf-16"))
    result = cli("script", "ana", "--at", AT)
    assert result.exit_code == 1
    assert result.stderr.startswith("Cannot read the script templates")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "hint"),
    [(("--situation", "cold-call"), "--situation"), (("--lang", "fr"), "--lang")],
)
def test_bad_choices_are_usage_errors(cli, ana, args, hint):
    result = cli("script", "ana", *args)
    assert result.exit_code == 2
    assert hint in result.stderr


def test_unknown_lead_is_not_found(cli):
    result = cli("script", "nobody")
    assert result.exit_code == 1
    assert result.stderr.strip() == "No lead matches 'nobody'."


def test_config_init_asks_who_the_caller_is_and_the_script_says_it(tmp_path):
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), TZ="Europe/Madrid", TERM="xterm", NO_COLOR="1")

    def run(*args: str):
        return pexpect.spawn(
            sys.executable, ["-m", "warmcall", *args], env=env, encoding="utf-8", timeout=30,
            dimensions=(40, 120),
        )  # fmt: skip

    child = run("config", "init")
    child.expect("Your name")
    child.sendline("Marta Ruiz")
    child.expect("Your company")
    child.sendline("Tiendas Pro")
    child.expect("callback number")
    child.sendline("")
    child.expect("signature")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    written = (tmp_path / "config.toml").read_text(encoding="utf-8")
    from warmcall import config as cfg

    assert cfg.load(tmp_path / "config.toml").user == cfg.User("Marta Ruiz", "Tiendas Pro", None)
    assert '# your name\nname = "Marta Ruiz"' in written  # commented, as config init writes
    child = run("lead", "add", "Ana Martínez")
    child.expect(pexpect.EOF)
    child = run("script", "ana", "--at", "2026-11-25 07:50")
    child.expect("Hello Ana, this is Marta Ruiz from Tiendas Pro.")
    child.expect(pexpect.EOF)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("## Open\n{{ 1/0 }}\n", "line 2 fails: ZeroDivisionError: division by zero"),
        (
            '## Open\n{% extends "open.j2" %}\n',
            "line 2 extends, includes or calls itself without end",
        ),
        (
            '## Open\n{{ "a" * 99999999 }}\n',
            "line 2 asks for a value too large for a script (over 1000000 characters or items)",
        ),
    ],
)
def test_a_broken_user_template_is_one_sentence_and_exit_1(cli, ana, home, body, said):
    (home / "templates" / "en").mkdir(parents=True)
    (home / "templates" / "en" / "open.j2").write_text(body)
    result = cli("script", "ana", "--at", AT)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"The template {home / 'templates' / 'en' / 'open.j2'}, {said}."
    ]
    assert "internal error" not in result.output


def test_email_of_a_named_call_and_a_bad_segment(cli, ana):
    dial = cli("call", "log", "ana", "-o", "no-answer", "--at", "2026-11-20 10:00", "--json")
    calls = json.loads(cli("call", "list", "ana", "--json", "--at", AT).stdout)
    talk = next(c["id"] for c in calls if c["outcome"] == "connected")
    result = cli("script", "ana", "--at", AT, "--email", "--call", str(talk))
    assert result.exit_code == 0, result.output
    assert "Thank you for your time on 12 November." in result.stdout
    assert "The goal" not in result.stdout
    refused = cli(
        "script", "ana", "--at", AT, "--email", "--call", str(json.loads(dial.stdout)["id"])
    )
    assert refused.exit_code == 1 and "was not a conversation" in refused.stderr
    bad = cli("script", "ana", "--at", AT, "--segment", "retail")
    assert bad.exit_code == 2 and "--segment 'retail'" in bad.stderr


def test_consumer_segment_changes_the_wording(cli, ana):
    business = cli("script", "ana", "--at", AT).stdout
    consumer = cli("script", "ana", "--at", AT, "--segment", "consumer").stdout
    assert "Who else has a say" in business
    assert "Who else has a say" not in consumer
    assert "Is there anyone else you would decide it with" in consumer
