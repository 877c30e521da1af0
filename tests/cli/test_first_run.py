"""The first five minutes: bare `warmcall`, help that is never cut, TAB completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

AT = ("--at", "2026-11-25 07:50")


def test_bare_warmcall_teaches_the_first_steps(cli: Callable[..., Result]) -> None:
    result = cli()
    assert result.exit_code == 0
    steps = ["warmcall lead import", "warmcall next", "warmcall script", "warmcall call log"]
    positions = [result.stdout.index(step) for step in steps]
    assert positions == sorted(positions)  # in the order of a first morning


@pytest.mark.parametrize("group", [[], ["lead"], ["call"], ["config"]])
def test_command_lists_are_never_cut_at_80_columns(
    cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, group: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = cli(*group, "--help").stdout
    listed = out[out.index("Commands:") :]
    assert "..." not in listed  # Click's mark for a cut line
    assert all(len(line) <= 80 for line in out.splitlines())


@pytest.mark.parametrize(
    "command",
    [["next"], ["script"], ["report"], ["call", "log"], ["lead", "add"], ["lead", "import"]],
)
def test_every_command_shows_an_example(cli: Callable[..., Result], command: list[str]) -> None:
    out = cli(*command, "--help").stdout
    assert "Example" in out and f"warmcall {' '.join(command)}" in out


def test_at_help_shows_the_formats(cli: Callable[..., Result]) -> None:
    out = cli("next", "--help").stdout
    assert "--at WHEN" in out and "tomorrow 10:00" in out


def _complete(home: Path, words: str) -> list[tuple[str, str]]:
    """What zsh gets for `warmcall <words><TAB>`: (value, help) pairs, through Typer's
    completion protocol in a real process."""
    env = {
        **os.environ,
        "WARMCALL_HOME": str(home),
        "_WARMCALL_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": f"warmcall {words}",
    }
    env.pop("WARMCALL_DB", None)
    out = subprocess.run(
        [sys.executable, "-c", "from warmcall.cli.app import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    pairs = re.findall(r'"((?:[^"]|"")*)":"((?:[^"]|"")*)"', out)
    return [(value, about) for value, about in pairs]


def test_tab_completes_lead_names_from_word_starts(cli: Callable[..., Result], home: Path) -> None:
    for name in ("Ana Martínez", "Álvaro Quintana", "Mariana Anaya", "Bob Stone"):
        assert cli("lead", "add", name, *AT).exit_code == 0
    assert cli("lead", "dnc", "bob", "--reason", "asked", *AT).exit_code == 0
    offered = _complete(home, "script an")
    assert offered == [("ana Martínez", "Ana Martínez"), ("anaya", "Mariana Anaya")]
    assert cli("script", offered[1][0], *AT).exit_code == 0  # the value names that lead
    assert _complete(home, "call log bo") == []  # nobody offered who objected
    assert [v for v, _ in _complete(home, "lead show alv")] == ["alvaro Quintana"]


def test_the_first_screens_speak_the_configured_language(
    cli: Callable[..., Result], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §6: bare `warmcall`, the command lists and each command's help, in Spanish; the
    commands, options and examples stay what the user types. Back in English after."""
    monkeypatch.setenv("COLUMNS", "80")
    config = home / "config.toml"
    english = config.read_text()
    config.write_text('timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n')
    start = cli()
    assert start.exit_code == 0 and "Empiece aquí" in start.stdout
    assert "warmcall lead import contacts.csv" in start.stdout
    listed = cli("--help").stdout
    assert "A quién llamar hoy" in listed and "Whom to call today" not in listed
    assert all(len(line) <= 80 for line in listed.splitlines())
    log = cli("call", "log", "--help").stdout
    assert "Registre una interacción" in log
    assert log.startswith("Uso: warmcall call log") and "Opciones:" in log
    assert "Muestre este mensaje y salga." in log and "Show this message" not in log
    # examples as a Spanish user types them (warmcall reads "vie 10:00" as it reads "fri 10:00")
    assert 'warmcall call log ana -o meeting --next "vie 10:00"' in log
    assert "--next-action" in log
    config.write_text(english)
    assert "Whom to call today" in cli("--help").stdout
    assert cli("call", "log", "--help").stdout.startswith("Usage: warmcall call log")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["lead", "add", "--bogus"], "Error: No existe la opción --bogus."),
        (["lead", "show"], "Error: Falta CONTACTO: indíquelo después de la orden."),
        (["lead", "show", "3", "4"], "Error: Demasiados valores: 4 sobra."),
        (["next", "--limit", "x"], "Error: '--limit' necesita un número entero, no 'x'."),
        (["call", "log", "ana", "--channel", "fax"], "Error: '--channel' no puede ser 'fax'"),
        (["nope"], "Error: No existe la orden 'nope'."),
    ],
)
def test_click_usage_errors_speak_the_configured_language(
    cli: Callable[..., Result], home: Path, args: list[str], said: str
) -> None:
    """The mistakes Click catches before warmcall runs are worded too; still exit 2."""
    config = home / "config.toml"
    english = config.read_text()
    config.write_text('timezone = "Europe/Madrid"\nregion = "ES"\nlanguage = "es"\n')
    result = cli(*args)
    assert result.exit_code == 2
    assert said in result.stderr and "Traceback" not in result.output
    assert result.stderr.startswith("Uso: warmcall")
    config.write_text(english)
    assert "Error: " in cli(*args).stderr and "Usage: warmcall" in cli(*args).stderr
