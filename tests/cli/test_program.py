"""The whole program as a user's shell runs it: a subprocess, real files, real exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def run(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), TZ="Europe/Madrid", LANG="es_ES.UTF-8")

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "warmcall", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )

    return run


def test_help_lists_the_commands(run):
    result = run("--help")
    assert result.returncode == 0
    assert "lead" in result.stdout and "call" in result.stdout


def test_a_lead_round_trip_in_a_private_store(run, tmp_path: Path):
    assert run("lead", "add", "Ana Martínez", "--phone", "612 345 678").returncode == 0
    listed = json.loads(run("lead", "list", "--json").stdout)
    assert [(x["name"], x["phone_e164"]) for x in listed] == [("Ana Martínez", "+34612345678")]
    assert stat.S_IMODE((tmp_path / "warmcall.db").stat().st_mode) == 0o600


def test_errors_are_one_sentence_with_the_right_exit_code(run, tmp_path: Path):
    missing = run("lead", "show", "nobody")
    assert (missing.returncode, missing.stderr) == (1, "No lead matches 'nobody'.\n")
    usage = run("lead", "add")  # no name, no terminal: never waits
    assert usage.returncode == 2
    (tmp_path / "config.toml").write_text("colour = 'blue'\n")
    broken = run("lead", "list")
    assert broken.returncode == 1
    assert broken.stderr.count("\n") == 1 and "unknown setting 'colour'" in broken.stderr
    assert "Traceback" not in missing.stderr + usage.stderr + broken.stderr


def test_output_into_a_pipe_has_no_colour_codes(run):
    run("lead", "add", "Ana", "--temperature", "hot")
    assert "\x1b[" not in run("lead", "list").stdout


def test_a_reader_that_leaves_early_gets_no_error_message(run, tmp_path: Path):
    run("lead", "add", "Ana")  # creates the store
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARMCALL_")}
    env.update(WARMCALL_HOME=str(tmp_path), COLUMNS="80")
    store = tmp_path / "warmcall.db"
    import sqlite3

    with sqlite3.connect(store) as conn:  # enough rows to overflow the pipe buffer
        conn.executemany(
            "INSERT INTO leads (name, name_key, temperature, stage, status, consent, window, "
            "created_at, updated_at) VALUES (?, ?, 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)",
            [(f"Person {i}", f"person {i}") for i in range(3000)],
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "warmcall", "report", "--csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # like `warmcall report --csv | head -1`
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "error" not in stderr.lower() and "Traceback" not in stderr


def test_help_puts_the_morning_command_first_and_version_answers(run):
    commands = run("--help").stdout.split("Commands:", 1)[1].split()
    assert commands[0] == "next"
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("warmcall ")
