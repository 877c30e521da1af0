"""What ``--db`` (or ``WARMCALL_DB``) names: a store that persists, its password never shown,
``config show`` saying which store is in use and where it was named, and no folder made
where the user did not ask for one."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from warmcall.store.db import safe_url, scrub

AT = ("--at", "2026-11-25 07:50")


@pytest.mark.parametrize("target", ["sqlite://", "sqlite:///:memory:", ":memory:"])
def test_a_store_in_memory_is_refused_before_anything_is_said_done(
    cli, target, tmp_path, monkeypatch
):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    added = cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", "--db", target, *AT)
    assert added.exit_code == 1
    assert added.stdout == ""
    assert added.stderr == (
        f"The store {target} would live in memory and keep nothing once the command ends; "
        "name a file (--db PATH) or a database URL.\n"
    )
    assert list(work.iterdir()) == []  # not even a file called ':memory:'


def test_an_empty_name_is_refused_by_edit_and_the_name_kept(cli):
    assert cli("lead", "add", "Ana Ruiz", "--phone", "612 345 678", *AT).exit_code == 0
    for empty in ("", "   "):
        edited = cli("lead", "edit", "ana", "--name", empty, "--company", "Innova", *AT)
        assert edited.exit_code == 1
        assert edited.stderr == "A lead needs a name.\n"
    shown = json.loads(cli("lead", "show", "ana", "--json", *AT).stdout)
    assert (shown["name"], shown["company"]) == ("Ana Ruiz", None)  # nothing half-done


SECRET_URLS = [
    "postgresql://bob:s3cret-pw@127.0.0.1:1/sales",
    "postgresql://bob@127.0.0.1:1/sales?password=s3cret-pw",
    "postgresql://bob@127.0.0.1:1/sales?sslmode=disable&PASSWORD=s3cret-pw",
    "postgresql://bob:s3cret-pw@127.0.0.1:port/sales",  # a port that is not a number
    "post gres://bob:s3cret-pw@127.0.0.1/sales",  # a URL SQLAlchemy cannot parse
]


@pytest.mark.parametrize("url", SECRET_URLS)
def test_a_password_in_the_store_url_never_shows_in_an_error(cli, url):
    listed = cli("lead", "list", "--db", url)
    assert listed.exit_code == 1
    assert "Cannot open the store" in listed.stderr
    assert "s3cret" not in listed.output and "internal error" not in listed.output
    assert "bob" in listed.stderr and "127.0.0.1" in listed.stderr  # which store, still said


def test_safe_url_keeps_everything_but_the_secrets():
    assert safe_url("postgresql://bob:p@ss:w/rd@db.example:5433/sales?sslmode=require") == (
        "postgresql://bob@db.example:5433/sales?sslmode=require"
    )
    assert safe_url("postgresql+psycopg://bob@h/s?password=x&application_name=wc") == (
        "postgresql+psycopg://bob@h/s?password=***&application_name=wc"
    )
    assert safe_url("/home/ana/sales:2@work.db") == "/home/ana/sales:2@work.db"  # a path
    said = 'password "2" refused by 127.0.0.1 on port 5432 (password=2)'
    assert scrub(said, "postgresql://u@127.0.0.1/s?password=2") == (
        'password "***" refused by 127.0.0.1 on port 5432 (password=***)'
    )


def test_config_show_names_the_store_in_use_and_where_it_was_named(cli, home, monkeypatch):
    def store() -> tuple[str, str]:
        paths = json.loads(cli("config", "show", "--json").stdout)["paths"]
        return paths["store"], paths["store_from"]

    assert store() == (str(home / "warmcall.db"), "default")
    monkeypatch.setenv("WARMCALL_DB", "postgresql://bob:s3cret@db.example/sales?password=s3cret")
    assert store() == ("postgresql://bob@db.example/sales?password=***", "WARMCALL_DB")
    text = cli("config", "show").stdout
    assert "# store: postgresql://bob@db.example/sales?password=*** (from WARMCALL_DB)" in text
    assert "s3cret" not in text
    other = home / "other.db"
    shown = json.loads(cli("config", "show", "--db", str(other), "--json").stdout)["paths"]
    assert (shown["store"], shown["store_from"]) == (str(other), "--db")


def test_a_store_elsewhere_leaves_the_default_data_folder_uncreated(tmp_path):
    """The first command on ``--db ELSEWHERE`` made ~/.local/share/warmcall, 0755; now no
    default folder is made for it, and every folder warmcall does make is 0700."""
    user = tmp_path / "user"
    user.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WARMCALL_", "XDG_"))} | {
        "HOME": str(user),
        "TZ": "Europe/Madrid",
    }
    store = tmp_path / "elsewhere" / "sales.db"
    run = [sys.executable, "-m", "warmcall"]
    for args in (
        ["lead", "add", "Ana Ruiz", "--phone", "+34 612 345 678", "--db", str(store), *AT],
        ["next", "--db", str(store), *AT],
    ):
        done = subprocess.run(
            run + args, env=env, capture_output=True, text=True, check=False, umask=0o022
        )
        assert done.returncode == 0, done.stderr
    assert store.exists()
    assert not (user / ".local" / "share" / "warmcall").exists()
    made = [p for p in (*user.rglob("*"), store.parent) if p.is_dir()]
    assert made, "the holidays cache lives in the user's cache folder"
    for folder in made:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_the_default_store_folder_is_private_when_first_made(tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WARMCALL_", "XDG_"))} | {
        "HOME": str(user),
        "TZ": "Europe/Madrid",
    }
    add = ["lead", "add", "Ana Ruiz", "--phone", "+34 612 345 678", *AT]
    done = subprocess.run(
        [sys.executable, "-m", "warmcall", *add],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        umask=0o022,
    )
    assert done.returncode == 0, done.stderr
    data = user / ".local" / "share" / "warmcall"
    assert (data / "warmcall.db").exists()
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE(Path(data.parent).stat().st_mode) == 0o700  # made by warmcall too
