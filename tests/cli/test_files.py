"""Every file option writes through one door (``warmcall/files.py``): it never writes over
what the command reads or the store, nor into a device, a directory, a FIFO or through a
symbolic link, and it replaces its target whole or not at all. Machine output is inert."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from tests.conftest import PG_URL, cli_on

ENGINES = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
AT = ("--at", "2026-11-25 07:50")
LEADS = "name,phone,email\n" + "".join(
    f"Person {i},+34 6{i:08d},p{i}@example.es\n" for i in range(1, 41)
)
CALLS = "email,date,outcome\np1@example.es,2026-11-20 10:00,connected\nnobody,x,y\n"
# What machine output must never carry raw: ESC, BEL, DEL, a C1 CSI, bidi override/isolate.
RAW = ["\x1b", "\x07", "\x7f", "\x9b", "\u202e", "\u2066", "\u200f", "\u061c"]
HOSTILE = "Ana \x1b[31m\x07\x7f\x9b1m \u202eevil\u2066 \u200f\u061c; a, b\\c"


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI on a store of this engine: SQLite's default file, or a wiped PostgreSQL."""
    return cli_on(str(request.param), monkeypatch)


@pytest.fixture
def stocked(cli: Callable[..., Result], engine: str, tmp_path: Path) -> Path:
    """40 leads imported from ``src.csv``, which is returned."""
    src = tmp_path / "src.csv"
    src.write_text(LEADS, encoding="utf-8")
    assert cli("lead", "import", str(src), *AT).exit_code == 0
    return src


def count(cli: Callable[..., Result]) -> int:
    return len(json.loads(cli("lead", "list", "--json").stdout or "[]"))


def refused(result: Result, words: str) -> None:
    assert result.exit_code == 1, result.output
    assert words in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "internal error" not in result.output and "Traceback" not in result.output


def no_temp_files(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- the input --------------------------------------------------------------------------------


def _same_file_ways(src: Path) -> Iterator[tuple[str, Path]]:
    yield "same path", src
    yield "another path", src.parent / ".." / src.parent.name / src.name
    hard = src.parent / "hard.csv"
    os.link(src, hard)
    yield "hard link", hard


@pytest.mark.parametrize("command", ["lead", "call"])
def test_rejects_into_the_input_file_is_refused_before_anything_is_read(
    cli, engine, tmp_path, command
):
    src = tmp_path / "src.csv"
    src.write_text(LEADS if command == "lead" else CALLS, encoding="utf-8")
    if command == "call":
        cli("lead", "add", "Person 1", "--email", "p1@example.es", *AT)
    before, leads = src.read_bytes(), count(cli)
    for _way, target in _same_file_ways(src):
        result = cli(command, "import", str(src), "--skip-invalid", "--rejects", str(target), *AT)
        refused(result, "is the file being read; write to another file.")
        assert src.read_bytes() == before and count(cli) == leads
    calls = json.loads(cli("call", "list", "--json").stdout)
    assert calls == []  # nothing imported either
    no_temp_files(tmp_path)


def test_rejects_through_a_symbolic_link_is_refused_and_the_link_kept(cli, engine, tmp_path):
    src = tmp_path / "src.csv"
    src.write_text(LEADS, encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    result = cli("lead", "import", str(src), "--skip-invalid", "--rejects", str(link), *AT)
    refused(result, "is a symbolic link; name the file it points to instead.")
    assert link.is_symlink() and src.read_text(encoding="utf-8") == LEADS and count(cli) == 0


# --- the store (a file only on SQLite) ----------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize(
    "option",
    [
        ("lead", "export", "-o", "TARGET"),
        ("next", "--ics", "TARGET", *AT),
        ("lead", "import", "SRC", "--rejects", "TARGET", *AT),
        ("audit", "--from", "2026-11-01", "-o", "TARGET", *AT),
    ],
    ids=["export", "ics", "rejects", "audit"],
)
def test_no_file_option_writes_over_the_store(cli, home, tmp_path, suffix, option):
    src = tmp_path / "src.csv"
    src.write_text(LEADS, encoding="utf-8")
    assert cli("lead", "import", str(src), *AT).exit_code == 0
    store = home / "warmcall.db"
    target = Path(f"{store}{suffix}")
    args = [{"SRC": str(src), "TARGET": str(target)}.get(a, a) for a in option]
    before = store.read_bytes()
    result = cli(*args)
    refused(result, "is part of the warmcall store; write to another file.")
    assert store.read_bytes() == before and count(cli) == 40
    # through another spelling of the same path, too
    other = home / ".." / home.name / "warmcall.db"
    refused(cli("lead", "export", "-o", str(other)), "is part of the warmcall store")


def test_the_store_named_by_db_is_protected_too(cli, tmp_path):
    store = tmp_path / "elsewhere.db"
    assert cli("lead", "add", "Ana", "--db", str(store), *AT).exit_code == 0
    result = cli("lead", "export", "--db", f"sqlite:///{store}", "-o", str(store))
    refused(result, "is part of the warmcall store")
    assert cli("lead", "list", "--db", str(store), "--json").stdout.count('"Ana"') == 1


# --- not a regular file ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["device", "directory", "fifo"])
@pytest.mark.parametrize(
    "option",
    [("lead", "export", "-o", "TARGET"), ("next", "--ics", "TARGET", *AT),
     ("audit", "--from", "2026-11-01", "-o", "TARGET", *AT)],
    ids=["export", "ics", "audit"],
)  # fmt: skip
def test_a_device_a_directory_or_a_fifo_is_refused(cli, stocked, tmp_path, kind, option):
    if kind == "device":
        target = Path("/dev/null")
    elif kind == "directory":
        target = tmp_path / "folder"
        target.mkdir()
    else:
        target = tmp_path / "pipe"
        os.mkfifo(target)
    mode = target.stat().st_mode
    result = cli(*[str(target) if a == "TARGET" else a for a in option])
    refused(result, "is not a regular file; name a file to write.")
    assert target.stat().st_mode == mode  # /dev/null is still a device, the folder a folder
    no_temp_files(tmp_path)


@pytest.mark.parametrize(
    "option",
    [("lead", "export", "-o", "TARGET"), ("next", "--ics", "TARGET", *AT),
     ("audit", "--from", "2026-11-01", "-o", "TARGET", *AT)],
    ids=["export", "ics", "audit"],
)  # fmt: skip
def test_a_symbolic_link_is_refused_and_its_target_untouched(cli, stocked, tmp_path, option):
    real = tmp_path / "real.txt"
    real.write_text("keep me\n")
    link = tmp_path / "out"
    link.symlink_to(real)
    refused(cli(*[str(link) if a == "TARGET" else a for a in option]), "is a symbolic link")
    assert link.is_symlink() and real.read_text() == "keep me\n"


def test_config_init_refuses_to_write_over_the_store(cli, home, monkeypatch):
    assert cli("lead", "add", "Ana", *AT).exit_code == 0
    before = (home / "warmcall.db").read_bytes()
    monkeypatch.setenv("WARMCALL_CONFIG", str(home / "warmcall.db"))
    refused(cli("config", "init", "--force"), "is part of the warmcall store")
    monkeypatch.delenv("WARMCALL_CONFIG")
    assert (home / "warmcall.db").read_bytes() == before and count(cli) == 1


# --- whole or not at all ------------------------------------------------------------------------


def _damage(engine: str, home: Path, lead_id: int) -> None:
    """A lead whose temperature warmcall never wrote (a store edited by hand, or damaged)."""
    from warmcall.store.db import open_db

    target = str(PG_URL) if engine == "postgresql" else str(home / "warmcall.db")
    with open_db(target) as db:
        db.execute(f"UPDATE leads SET temperature = 'boiling' WHERE id = {lead_id}")


def test_a_failing_export_leaves_the_earlier_file_and_names_the_lead(
    cli, engine, home, stocked, tmp_path
):
    out = tmp_path / "leads.csv"
    assert cli("lead", "export", "-o", str(out)).exit_code == 0
    good = out.read_bytes()
    assert good.count(b"\n") == 41
    damaged = json.loads(cli("lead", "list", "--json").stdout)[20]["id"]
    _damage(engine, home, damaged)
    result = cli("lead", "export", "-o", str(out))
    refused(result, f"Lead #{damaged} in the store is damaged")
    assert "ValueError" not in result.output
    assert out.read_bytes() == good  # not cut at the damaged lead
    no_temp_files(tmp_path)


def test_an_export_is_private_and_replaces_the_file_whole(cli, stocked, tmp_path):
    out = tmp_path / "leads.json"
    out.write_text("old and much longer than what comes\n" * 10_000)
    os.chmod(out, 0o644)
    assert cli("lead", "export", "--format", "json", "-o", str(out)).exit_code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 40
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    no_temp_files(tmp_path)


def test_the_calendar_is_written_whole_in_place_of_the_earlier_one(cli, stocked, tmp_path):
    out = tmp_path / "today.ics"
    out.write_text("old calendar")
    assert cli("next", "--ics", str(out), *AT).exit_code == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    no_temp_files(tmp_path)


def test_rejects_of_a_refused_atomic_import_are_still_written(cli, engine, tmp_path):
    src = tmp_path / "src.csv"
    src.write_text("name,email\nAna,ana@x.es\nBea,not-an-email\n", encoding="utf-8")
    rejects = tmp_path / "bad.csv"
    result = cli("lead", "import", str(src), "--rejects", str(rejects), *AT)
    assert result.exit_code == 1 and count(cli) == 0
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert [r["line"] for r in rows] == ["3"]


# --- machine output is inert and exact ----------------------------------------------------------


def _hostile_lead(cli: Callable[..., Result]) -> dict:
    added = cli(
        "lead", "add", HOSTILE, "--company", HOSTILE, "--notes", HOSTILE, "--phone",
        "612 345 678", "--temperature", "hot", "--json", "--at", "2026-11-20 10:00",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    return json.loads(added.stdout)


def strings(data: object) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


@pytest.mark.parametrize(
    "args",
    [
        ("lead", "show", "1", "--json"),
        ("lead", "list", "--json"),
        ("next", "--all", "--json", *AT),
        ("lead", "export", "--format", "json"),
        ("report", "--json", *AT),
        ("call", "list", "--json", *AT),
        ("script", "1", "--json", *AT),
        ("audit", "--from", "2026-11-01", "--json", *AT),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_json_escapes_controls_c1_and_bidi_and_decodes_to_the_exact_data(cli, engine, args):
    lead = _hostile_lead(cli)
    assert lead["name"] == HOSTILE
    # overdue by the 25th, so the report lists it too
    logged = cli(
        "call", "log", "1", "-o", "connected", "--notes", HOSTILE, "--next", "2026-11-21 10:00",
        "--next-action", HOSTILE, "--at", "2026-11-20 11:00",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output
    out = cli(*args)
    assert out.exit_code == 0, out.output
    assert not [c for c in RAW if c in out.stdout], args
    assert "\\u202e" in out.stdout and "\\u009b" in out.stdout
    assert any(HOSTILE in text for text in strings(json.loads(out.stdout)))


def test_the_calendar_spells_controls_out_and_escapes_text(cli, engine, tmp_path):
    from icalendar import Calendar

    _hostile_lead(cli)
    out = tmp_path / "today.ics"
    assert cli("next", "--ics", str(out), *AT).exit_code == 0
    raw = out.read_bytes().decode("utf-8")
    assert not [c for c in RAW if c in raw]
    assert "\\;" in raw and "\\," in raw and "\\\\c" in raw  # RFC 5545 TEXT escapes
    (event,) = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    summary = str(event["summary"])
    assert "\\x1b[31m\\x07\\x7f\\x9b1m \\u202eevil\\u2066" in summary and "; a, b\\c" in summary


def test_the_csv_export_keeps_extra_numbers_and_the_do_not_call_history(cli, engine, tmp_path):
    src = tmp_path / "two.csv"
    src.write_text("name,phone,other phone\nAna,612 345 678,+34 699 111 222\n", encoding="utf-8")
    assert cli("lead", "import", str(src), *AT).exit_code == 0
    assert cli("lead", "dnc", "1", "--reason", "said no", "--at", "2026-11-21 10:00").exit_code == 0
    out = tmp_path / "leads.csv"
    assert cli("lead", "export", "-o", str(out)).exit_code == 0
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["phone"] and row["status"] == "dnc"  # the old columns are kept
    assert row["phones"] == "+34699111222"
    (event,) = json.loads(row["events"])
    assert (event["kind"], event["reason"]) == ("dnc", "said no")


def test_the_csv_export_to_a_file_keeps_the_exact_data(cli, engine, tmp_path):
    _hostile_lead(cli)
    out = tmp_path / "leads.csv"
    assert cli("lead", "export", "-o", str(out)).exit_code == 0
    (row,) = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert row["name"] == HOSTILE and row["notes"] == HOSTILE
    piped = cli("lead", "export")  # a pipe: the exact data as well
    assert HOSTILE in piped.stdout


def _on_a_terminal(*args: str) -> str:
    """What the program prints with a terminal (a pseudo-terminal) as its standard output."""
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "warmcall", *args], stdout=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    "args", [("lead", "export"), ("report", "--csv", *AT)], ids=["export", "report"]
)
def test_csv_on_a_terminal_shows_controls_spelled_out(cli, engine, args):
    _hostile_lead(cli)
    # overdue by the 25th, so the report lists the lead by name
    logged = cli("call", "log", "1", "-o", "connected", "--next", "2026-11-21 10:00",
                 "--next-action", "call", "--at", "2026-11-20 11:00")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    assert HOSTILE in cli(*args).stdout  # the exact data through a pipe
    shown = _on_a_terminal(*args)
    assert not [c for c in RAW if c in shown], shown
    assert "\\x1b[31m\\x07\\x7f\\x9b1m \\u202eevil\\u2066" in shown
