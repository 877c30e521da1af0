"""`warmcall script` through the real CLI, on a real store in a temp dir."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import MADRID
from warmcall.clock import to_epoch
from warmcall.store.db import open_db

AT = "2026-11-25 07:50"  # a Wednesday morning in Madrid


def record(home: Path, sql: str, **params: object) -> int:
    """Write history straight to the store (the call commands are tested on their own)."""
    db = open_db(home / "warmcall.db")
    try:
        return db.insert(sql + " RETURNING id", params)
    finally:
        db.close()


def add_call(home: Path, lead_id: int, when: datetime, outcome: str, notes: str, objections: str):
    return record(
        home,
        "INSERT INTO calls (lead_id, at, outcome, channel, duration, notes, objections, "
        "temperature, created_at) VALUES (:lead, :at, :outcome, 'phone', 840, :notes, "
        ":objections, NULL, :at)",
        lead=lead_id,
        at=to_epoch(when),
        outcome=outcome,
        notes=notes,
        objections=objections,
    )


def add_followup(home: Path, lead_id: int, call_id: int, due: datetime, action: str, goal: str):
    return record(
        home,
        "INSERT INTO followups (lead_id, call_id, due_at, has_time, action, goal, created_at, "
        "status) VALUES (:lead, :call, :due, 1, :action, :goal, :due, 'open')",
        lead=lead_id,
        call=call_id,
        due=to_epoch(due),
        action=action,
        goal=goal,
    )


@pytest.fixture
def ana(cli, home) -> int:
    """A hot lead met at a fair, with a demo on 12 November and a call agreed for today."""
    added = cli(
        "lead", "add", "Ana Martínez", "--company", "Innova", "--phone", "612 345 678",
        "--email", "ana@innova.es", "--window", "early,midday", "--stage", "sql",
        "--context", "met at Expo Retail, asked about pricing for 12 stores", "--json",
    )  # fmt: skip
    lead_id = json.loads(added.stdout)["id"]
    demo = add_call(
        home,
        lead_id,
        datetime(2026, 11, 12, 10, 30, tzinfo=MADRID),
        "connected",
        "Demo went well. Needs SSO before signing.",
        "price,authority",
    )
    add_followup(
        home,
        lead_id,
        demo,
        datetime(2026, 11, 25, 10, 0, tzinfo=MADRID),
        "send the revised offer",
        "agree the start date",
    )
    return lead_id


def test_json_shape_is_pinned(cli, ana):
    result = cli("script", "ana", "--at", AT, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["lead_id", "situation", "sections", "slots", "email"]
    assert data["lead_id"] == ana and data["situation"] == "after-demo"
    assert [s["title"] for s in data["sections"]] == [
        "Prepare", "Open", "Where are they now", "Unblock", "Close", "After",
    ]  # fmt: skip
    assert all(set(s) == {"title", "lines"} for s in data["sections"])
    assert data["slots"] == [
        {"start": "2026-11-26T07:30:00+01:00", "end": "2026-11-26T08:00:00+01:00"},
        {"start": "2026-11-27T12:00:00+01:00", "end": "2026-11-27T12:30:00+01:00"},
    ]
    assert data["email"] is None
    open_lines = data["sections"][1]["lines"]
    assert open_lines[0] == (
        "> Hello Ana, I'm calling about our conversation on 12 November about the demo, "
        "as we agreed."
    )
    assert not any("**" in line for s in data["sections"] for line in s["lines"])
    with_email = json.loads(cli("script", "ana", "--at", AT, "--json", "--email").stdout)
    assert with_email["email"].startswith("To: Ana Martínez <ana@innova.es>\nSubject: Next step")


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
    assert " › Hello Ana, I'm calling about our conversation on 12 November about the demo," in out
    assert " · Thu 26 Nov, 07:30" in out and " · Fri 27 Nov, 12:00" in out
    # the log line stays one line so it can be copied whole; everything else fits 80 columns
    log = f" $ warmcall call log {ana} --outcome connected --next '2026-11-26 07:30'"
    assert any(line.startswith(log) for line in out.splitlines())
    assert all(len(line) <= 80 for line in out.splitlines() if not line.startswith(" $ "))
    assert not any(line.endswith(" ") for line in out.splitlines())


def test_spanish_comes_from_the_flag_or_the_configuration(cli, ana, home):
    flagged = cli("script", "ana", "--at", AT, "--lang", "es")
    assert "Le llamo por nuestra conversación del 12 de noviembre sobre la demo" in flagged.stdout
    (home / "config.toml").write_text(
        'timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n'
    )
    configured = cli("script", "ana", "--at", AT)
    assert "Dejémoslo fijado: ¿el jueves 26 de noviembre a las 07:30" in configured.stdout
    assert "Let's fix it" in cli("script", "ana", "--at", AT, "--lang", "en").stdout


def test_situation_can_be_forced(cli, ana):
    data = json.loads(
        cli("script", "ana", "--at", AT, "--situation", "reactivation", "--json").stdout
    )
    assert data["situation"] == "reactivation"
    assert "we last spoke on 12 November" in data["sections"][1]["lines"][0]


def test_email_prints_the_confirmation_to_paste(cli, ana, home):
    today = add_call(
        home, ana, datetime(2026, 11, 25, 12, 15, tzinfo=MADRID), "connected",
        "She wants the pilot in two stores. Marta from finance joins next time.", "",
    )  # fmt: skip
    add_followup(
        home, ana, today, datetime(2026, 12, 2, 12, 0, tzinfo=MADRID),
        "pilot review with Marta", "sign the pilot",
    )  # fmt: skip
    result = cli("script", "ana", "--at", "2026-11-25 16:00", "--email")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "To: Ana Martínez <ana@innova.es>\n"
        "Subject: Next step, Wednesday 2 December\n"
        "\n"
        "Hello Ana,\n"
        "\n"
        "Thank you for your time today. So we both have it in writing, here is what we covered:\n"
        "\n"
        "- She wants the pilot in two stores\n"
        "- Marta from finance joins next time\n"
        "\n"
        "Next step: pilot review with Marta, on Wednesday 2 December at 12:00.\n"
        "The goal: sign the pilot.\n"
        "It is in my calendar. If that time stops suiting you, reply with another and I will "
        "move it.\n"
        "\n"
        "Best regards,\n"
    )


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
