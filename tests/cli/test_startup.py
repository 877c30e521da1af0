"""What ``warmcall --help`` pays for before it prints (README, Speed: within 2× of ``import
typer``): Typer reads every command's signature at each start, so none is a string it must
evaluate again, and help imports nothing only a command's output needs."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path


def test_every_commands_annotations_are_objects_not_strings() -> None:
    from typer.main import get_command

    from warmcall.cli.app import app
    from warmcall.cli.speech import commands

    callbacks = [c.callback for c in commands(get_command(app)) if c.callback is not None]
    assert len(callbacks) > 20
    quoted = {
        f"{f.__module__}.{f.__name__}: {name}"
        for f in callbacks
        for name, value in inspect.get_annotations(inspect.unwrap(f)).items()
        if isinstance(value, str)
    }
    assert quoted == set()  # a string is compiled and evaluated on every start


def _run(*args: str) -> tuple[str, set[str]]:
    """What ``warmcall ARGS`` prints, and the modules it imports, as ``python -X importtime``
    reports them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    shown = subprocess.run([sys.executable, "-X", "importtime", "-m", "warmcall", *args],
                           env=env, capture_output=True, text=True, check=True)  # fmt: skip
    return shown.stdout, {line.rsplit("|", 1)[-1].strip() for line in shown.stderr.splitlines()}


def test_help_imports_no_json_rich_or_core(home: Path) -> None:
    printed, imported = _run("--help")
    assert "Commands:" in printed
    assert "typer" in imported  # the report is read
    heavy = {"json", "rich", "warmcall.store.db", "warmcall.plan", "zoneinfo"}
    assert imported & heavy == set()


def test_a_command_imports_its_own_module_of_the_cli_and_no_other(home: Path) -> None:
    from warmcall.cli.app import COMMANDS

    modules = {f"warmcall.cli.{m}" for _, m, _, more in COMMANDS for m in (m, *more)}
    assert modules <= _run("--help")[1]  # the whole app lists every command
    alone = _run("--rep", "ana", "report", "--help")[1] & modules
    assert alone == {"warmcall.cli.report"}


def test_a_command_runs_with_only_itself_built_and_says_what_the_whole_app_says(
    home: Path,
) -> None:
    """``warmcall --rep ana next`` builds the options of ``next`` alone (``app_for``): its
    help, and that of every command and group, is the whole app's word for word, and what
    names no command of ours (a typo, ``--help``, ``--version``) gets the whole app."""
    from typer.testing import CliRunner

    from warmcall.cli.app import app, app_for

    runner = CliRunner()
    names = [c.name for c in app.registered_commands] + [g.name for g in app.registered_groups]
    assert {"next", "script", "call", "lead", "report"} <= set(names)
    for name in names:
        alone = app_for(["--rep", "ana", name, "--help"])
        assert alone is not app and len(alone.registered_commands + alone.registered_groups) == 1
        whole = runner.invoke(app, [name, "--help"])
        assert runner.invoke(alone, [name, "--help"]).output == whole.output
        assert whole.exit_code == 0
    for args in (["--help"], ["--version"], ["nxt"], [], ["--rep", "ana"], ["--rep=ana", "-x"]):
        assert app_for(args) is app
    assert app_for(["--rep=ana", "call", "log"]).registered_groups[0].name == "call"
