"""A LEAD that matches several people: picked on a terminal, listed with exit 1 in scripts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.cli.test_terminal import spawn

pexpect = pytest.importorskip("pexpect")
AT = ("--at", "2026-11-25 09:00")


def test_a_terminal_picks_among_matching_leads(tmp_path: Path) -> None:
    for name in ("Pablo Ruiz", "Marta Ruiz"):
        spawn(tmp_path, "lead", "add", name, "--at", "2026-11-20 09:00").expect(pexpect.EOF)
    child = spawn(tmp_path, "call", "log", "ruiz", "-o", "na", *AT)
    child.expect("Which one")
    child.expect("Marta Ruiz")
    child.send("\x1b[B")  # arrow down: the second one
    child.send("\r")
    child.expect("Marta Ruiz")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    listed = spawn(tmp_path, "call", "list", "--json", *AT)
    listed.expect(pexpect.EOF)
    calls = json.loads(listed.before[listed.before.index("[") :])
    assert [c["lead"] for c in calls] == ["Marta Ruiz"]  # logged to the one picked


def test_without_a_terminal_an_ambiguous_lead_lists_them(cli: Callable[..., Result]) -> None:
    for name in ("Pablo Ruiz", "Marta Ruiz"):
        assert cli("lead", "add", name, *AT).exit_code == 0
    result = cli("call", "log", "ruiz", "-o", "na", *AT)
    assert result.exit_code == 1
    assert "matches 2 leads" in result.stderr
    assert "Pablo Ruiz" in result.stderr and "Marta Ruiz" in result.stderr


def test_a_word_start_wins_over_letters_inside_a_name(cli: Callable[..., Result]) -> None:
    for name in ("Ana Martínez", "Álvaro Quintana"):
        assert cli("lead", "add", name, *AT).exit_code == 0
    shown = json.loads(cli("lead", "show", "ana", "--json", *AT).stdout)
    assert shown["name"] == "Ana Martínez"
    assert json.loads(cli("lead", "show", "quint", "--json", *AT).stdout)["name"] == (
        "Álvaro Quintana"
    )


def test_a_long_answer_check_wraps_instead_of_being_cut(tmp_path: Path) -> None:
    """At 40 columns, the sentence that refuses an answer is shown whole, wrapped."""
    spawn(tmp_path, "lead", "add", "Pablo Ruiz", "--at", "2026-11-20 09:00").expect(pexpect.EOF)
    child = spawn(tmp_path, "call", "log", "pablo", "-o", "callback", *AT)
    child.setwinsize(30, 40)
    child.expect("Call back when")
    child.sendline("yesterday-ish")
    child.expect("Cannot read")
    child.expect(r"\+3d'\.")  # the sentence's last words: nothing cut
    shown = child.before.replace("\r", "")
    assert "'2026-12-01 08:15'" in " ".join(shown.split())
    assert max(len(line) for line in shown.splitlines()) <= 40  # wrapped to the terminal
    child.sendcontrol("c")
    child.expect(pexpect.EOF)


def test_the_next_step_question_shows_both_clocks(tmp_path: Path) -> None:
    spawn(tmp_path, "lead", "add", "Valeria Cruz", "--timezone", "America/Mexico_City",
          "--at", "2026-11-20 09:00").expect(pexpect.EOF)  # fmt: skip
    child = spawn(tmp_path, "call", "log", "valeria", "-o", "callback", *AT)
    child.expect("Call back when")
    child.expect("for them")
    shown = " ".join(child.before.replace("\r", "").split())
    assert "in your time (09:00 for you, 02:00 CST" in shown
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
