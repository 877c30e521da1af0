"""Who is the same person (SPEC §5): the same e-mail, or the same number with a compatible
name; a switchboard's number shared under two names is two leads."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import NOW
from tests.imports.files import load
from warmcall import leads
from warmcall.config import Config
from warmcall.errors import InvalidData
from warmcall.identity import compatible_names
from warmcall.store.db import Database

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Laura Gómez", "laura gomez", True),  # folded
        ("Laura", "Laura Gómez Ruiz", True),  # one's words inside the other's
        ("Gómez, Laura", "Laura Gómez", True),  # order
        ("L. Gómez", "Laura Gómez", True),  # an initial
        ("Laura Gómez", "L. Gómez", True),
        ("Dra. Laura Gómez", "Laura Gómez", True),  # a salutation
        ("L. G.", "Laura Gómez", True),  # the same initials
        ("Mercedes Álvarez", "Laura Gómez", False),
        ("M. Gómez", "Laura Gómez", False),  # another initial
        ("Laura Gómez", "Laura Pérez", False),
        ("John Smith", "Jon Smith", False),
    ],
)
def test_compatible_names(a: str, b: str, same: bool) -> None:
    assert compatible_names(a, b) is same
    assert compatible_names(b, a) is same


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_compatibility_is_symmetric_and_reflexive(a: str, b: str) -> None:
    assert compatible_names(a, a)
    assert compatible_names(a, b) == compatible_names(b, a)


def _laura(store: Database, config: Config) -> leads.Lead:
    lead = leads.LeadBuilder(config).build(
        {"name": "Laura Gómez", "phone": "+34 915 551 234", "email": "laura@clinica.es"}
    )
    return leads.add(store, lead, NOW)


SWITCHBOARD = "name,phone,company\nMercedes Álvarez,91-555-12-34,Clínica Sol\n"


@pytest.mark.parametrize("on_duplicate", ["skip", "update"])
def test_a_shared_switchboard_is_two_people(
    store: Database, config: Config, on_duplicate: str
) -> None:
    laura = _laura(store, config)
    result = load(store, config, SWITCHBOARD, on_duplicate=on_duplicate)
    assert (result.imported, result.updated, result.skipped) == (1, 0, 0)
    assert result.possible_duplicates == 1
    dup = result.shown_duplicates[0]
    assert (dup.line, dup.name, dup.other_id, dup.other_name) == (
        2,
        "Mercedes Álvarez",
        laura.id,
        "Laura Gómez",
    )
    kept = leads.get(store, laura.id)  # type: ignore[arg-type]
    assert (kept.name, kept.email, kept.company) == ("Laura Gómez", "laura@clinica.es", None)
    names = {lead.name: lead.phone_e164 for lead in leads.find(store)}
    assert names == {"Laura Gómez": "+34915551234", "Mercedes Álvarez": "+34915551234"}


def test_the_same_number_and_a_compatible_name_is_the_same_person(
    store: Database, config: Config
) -> None:
    laura = _laura(store, config)
    text = "name,phone,company\nL. Gómez,915551234,Clínica Sol\n"
    assert load(store, config, text).skipped == 1
    result = load(store, config, text, on_duplicate="update")
    assert (result.imported, result.updated) == (0, 1)
    kept = leads.get(store, laura.id)  # type: ignore[arg-type]
    assert (kept.name, kept.company) == ("Laura Gómez", "Clínica Sol")  # not renamed


def test_update_never_changes_who_the_lead_is(store: Database, config: Config) -> None:
    laura = _laura(store, config)
    text = "name,email,phone\nLaura Gómez Ruiz,laura@clinica.es,+34 600 111 222\n"
    load(store, config, text, on_duplicate="update")
    kept = leads.get(store, laura.id)  # type: ignore[arg-type]
    assert (kept.name, kept.email, kept.phone_e164) == (
        "Laura Gómez",
        "laura@clinica.es",
        "+34915551234",
    )
    assert kept.phones == ["+34600111222"]  # the new number is one more of hers


def test_within_one_file_a_shared_number_is_two_leads(store: Database, config: Config) -> None:
    text = "name,phone\nLaura Gómez,+34 915 551 234\nMercedes Álvarez,91-555-12-34\n"
    result = load(store, config, text, on_duplicate="update")
    assert (result.imported, result.possible_duplicates) == (2, 1)
    assert result.shown_duplicates[0].other_id is None


def test_skipped_rows_are_named_by_line(store: Database, config: Config) -> None:
    load(store, config, "name,email\nAna,ana@x.es\n")
    rows = "".join(f"Ana {i},ana@x.es\n" for i in range(14))
    result = load(store, config, "name,email\n" + rows)
    assert (result.imported, result.skipped, result.merged) == (0, 14, 0)
    assert result.skipped_lines == list(range(2, 12))  # the first ten


def test_lead_add_follows_the_same_rule(store: Database, config: Config) -> None:
    laura = _laura(store, config)
    builder = leads.LeadBuilder(config)
    mercedes = builder.build({"name": "Mercedes Álvarez", "phone": "91-555-12-34"})
    assert [x.id for x in leads.refuse_duplicate(store, mercedes)] == [laura.id]
    with pytest.raises(InvalidData, match="Laura Gómez"):
        leads.refuse_duplicate(store, builder.build({"name": "L. Gómez", "phone": "915551234"}))
    with pytest.raises(InvalidData, match="Laura Gómez"):
        leads.refuse_duplicate(store, builder.build({"name": "X", "email": "LAURA@clinica.es"}))


def test_the_cli_names_the_possible_duplicate(cli, tmp_path: Path) -> None:
    assert cli("lead", "add", "Laura Gómez", "--phone", "+34 915 551 234").exit_code == 0
    added = cli("lead", "add", "Mercedes Álvarez", "--phone", "91-555-12-34")
    assert added.exit_code == 0, added.output
    refused = cli("lead", "add", "Laura Gomez", "--phone", "915551234")
    assert refused.exit_code == 1 and "Laura Gómez (#1)" in refused.stderr
    csv_file = tmp_path / "day.csv"
    csv_file.write_text("Name,Phone\nMercedes Álvarez,91-555-12-34\nPedro Ruiz,91-555-12-34\n")
    result = cli("lead", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert "1 possible duplicate" in result.stdout
    assert "line 3: Pedro Ruiz shares +34915551234 with #1 Laura Gómez" in result.stdout
    assert "skipped lines: 2" in result.stdout


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_import_daily_keeps_laura_and_mercedes_apart(cli, home: Path, tmp_path: Path) -> None:
    """``examples/import-daily.sh`` updates duplicates: a switchboard stays two people."""
    cli("lead", "add", "Laura Gómez", "--phone", "+34 915 551 234", "--email", "l@clinica.es")
    export = tmp_path / "leads.csv"
    export.write_text(
        "Name,Phone,Email,Company\n"
        "Mercedes Álvarez,91-555-12-34,,Clínica Sol\n"
        "Laura Gómez,,l@clinica.es,Clínica Sol\n"
    )
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "warmcall"
    python = ROOT / ".venv" / "bin" / "python"
    python = python if python.exists() else Path(shutil.which("python3") or "python3")
    shim.write_text(f'#!/bin/sh\nexec "{python}" -m warmcall "$@" --at "2026-11-25 07:50"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        ["sh", str(ROOT / "examples" / "import-daily.sh"), str(export)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 new, 1 updated, 0 skipped, 0 rejected" in done.stdout
    people = {x["name"]: x for x in json.loads(cli("lead", "list", "--json").stdout)}
    assert set(people) == {"Laura Gómez", "Mercedes Álvarez"}
    assert people["Laura Gómez"]["company"] == "Clínica Sol"
