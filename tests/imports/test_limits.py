"""Issue 20's limits: a cell up to ``[imports] max_cell`` characters is read, a longer one is
a rejected line that says so; a number's extension (``;ext=99``) stays with the number."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.imports.files import load, people
from warmcall.config import Config, Imports
from warmcall.imports.source import MAX_CELL
from warmcall.store.db import Database


def long_note(length: int) -> str:
    return f'name,email,notes\nAna,ana@x.es,"{"x" * length}"\nLuis,luis@x.es,short\n'


def test_a_cell_of_200_000_characters_is_read(store: Database, config: Config) -> None:
    """It was read as "quote never closed" past 131,072 characters."""
    result = load(store, config, long_note(200_000))
    assert (result.imported, result.rejected) == (2, 0)
    assert people(store)["Ana"].context == "x" * 200_000


def test_a_cell_over_the_maximum_is_a_rejected_line_naming_why(
    store: Database, config: Config
) -> None:
    small = dataclasses.replace(config, imports=Imports(max_cell=1000))
    result = load(store, small, long_note(1001), skip_invalid=True)
    assert (result.imported, result.rejected) == (1, 1)
    (error,) = result.errors
    assert error.line == 2 and "longer than a cell may be" in error.reason
    assert "max_cell" in error.reason and set(people(store)) == {"Luis"}


def test_the_default_maximum_is_a_mebibyte(store: Database, config: Config) -> None:
    assert Config().imports.max_cell == MAX_CELL == 1_048_576
    result = load(store, config, long_note(MAX_CELL + 1), skip_invalid=True)
    assert [e.line for e in result.errors] == [2] and set(people(store)) == {"Luis"}


@pytest.mark.parametrize("value", ["0", "-5", '"big"', "3000000000"])
def test_max_cell_is_checked_when_the_config_is_read(cli, home: Path, value: str) -> None:
    with (home / "config.toml").open("a") as fh:
        fh.write(f"[imports]\nmax_cell = {value}\n")
    result = cli("lead", "list")
    assert result.exit_code != 0
    assert "imports.max_cell" in result.stderr and "Traceback" not in result.output


def test_a_long_cell_in_the_cli_names_its_line(cli, home: Path, tmp_path: Path) -> None:
    with (home / "config.toml").open("a") as fh:
        fh.write("[imports]\nmax_cell = 500\n")
    path = tmp_path / "notes.csv"
    path.write_text(long_note(600))
    result = cli("lead", "import", str(path))
    assert result.exit_code == 1
    assert "line 2: a cell starting on this line is longer than a cell may be" in result.stderr


@pytest.mark.parametrize(
    "cell", ["+34 915 551 234;ext=99", "+34 915 551 234 ;ext=99", "+34 915 551 234; Ext. 99"]
)
def test_an_extension_stays_with_its_number(store: Database, config: Config, cell: str) -> None:
    """``;ext=99`` became a second phone number."""
    load(store, config, f"name,phone\nAna,{cell}\n")
    ana = people(store)["Ana"]
    assert ana.phone_e164 == "+34915551234" and ana.phones == []
    assert ana.phone is not None and "99" in ana.phone


def test_a_second_number_after_an_extension_is_still_a_number(
    store: Database, config: Config
) -> None:
    load(store, config, "name,phone\nAna,+34 915 551 234;ext=99;612 345 678\n")
    ana = people(store)["Ana"]
    assert (ana.phone_e164, ana.phones) == ("+34915551234", ["+34612345678"])
