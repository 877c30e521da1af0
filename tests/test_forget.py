"""Forget means gone (issue 20): the person's bytes leave the store's own files, the key that
hashes what is left lives outside the store, and every time column holds 64 bits.

The files are read as they are on disk: SQLite's ``.db`` and ``-wal``; PostgreSQL's table,
index and TOAST files under its data directory (readable as root; skipped when not)."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import PG_URL, older_store
from warmcall.store.db import Database, connect, open_db, schema_version
from warmcall.store.migrations import upgrade

AT = ("--at", "2026-11-24 10:00")
# What the person is: every one of these must be gone from the files after forget.
PERSON = {
    "name": "Zacarías Quintanilla",
    "email": "zacarias.quintanilla@example.org",
    "phone": "+34612345678",
    "other": "+34911222333",
    "notes": "prefers mornings QWZX",
    "call": "budget talk KXJV",
    "action": "send the offer PLMQ",
    "goal": "book the pilot VBNR",
    "reason": "asked twice HGTY",
    "timeline": "after the summer JMWQ",
}
NEEDLES = [
    b"Quintanilla",
    b"quintanilla",
    b"zacarias.quintanilla@example.org",
    b"612345678",
    b"612 345 678",
    b"911222333",
    b"QWZX",
    b"KXJV",
    b"PLMQ",
    b"VBNR",
    b"HGTY",
    b"JMWQ",
]


def target(store: Database) -> str:
    return str(store.path) if store.dialect == "sqlite" else str(PG_URL)  # type: ignore[attr-defined]


def store_files(store: Database) -> list[Path]:
    """The files that hold the store's rows: what a copy of the database is."""
    if store.dialect == "sqlite":
        path = store.path  # type: ignore[attr-defined]
        return [p for p in (path, path.with_name(path.name + "-wal")) if p.exists()]
    try:
        base = store.one("SELECT current_setting('data_directory') AS d")["d"]  # type: ignore[index]
    except Exception:  # noqa: BLE001 (a role that may not read the setting)
        pytest.skip("this PostgreSQL role cannot see the data directory")
    rows = store.query(
        "SELECT pg_relation_filepath(c.oid) AS f FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE (n.nspname = current_schema() OR c.oid IN (SELECT reltoastrelid FROM pg_class "
        "JOIN pg_namespace m ON m.oid = relnamespace WHERE m.nspname = current_schema()) "
        "OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT reltoastrelid "
        "FROM pg_class))) AND pg_relation_filepath(c.oid) IS NOT NULL"
    )
    files = []
    for row in rows:
        first = Path(base) / row["f"]
        files += [first, *sorted(first.parent.glob(first.name + ".*"))]  # segments, fsm, vm
    try:
        [f.read_bytes() for f in files if f.exists()]
    except PermissionError:
        pytest.skip("the PostgreSQL data files are not readable by this user")
    return [f for f in files if f.exists()]


def flush(store: Database) -> None:
    """PostgreSQL writes its table files at a checkpoint: make what it holds reach them."""
    if store.dialect == "postgresql":
        try:
            store.execute("CHECKPOINT")
        except Exception:  # noqa: BLE001
            pytest.skip("this PostgreSQL role may not run CHECKPOINT")


def found(store: Database, needles: list[bytes]) -> set[bytes]:
    flush(store)
    data = b"".join(f.read_bytes() for f in store_files(store))
    return {n for n in needles if n in data}


def person(cli, db: str) -> None:
    """The person, spread over every table that can hold them."""
    added = cli(
        "lead", "add", PERSON["name"], "--phone", "612 345 678", "--phone", "911 222 333",
        "--email", PERSON["email"], "--notes", PERSON["notes"], "--db", db, *AT,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    logged = cli(
        "call", "log", "quintanilla", "-o", "callback", "--notes", PERSON["call"],
        "--next", "2026-11-26 10:00", "--next-action", PERSON["action"],
        "--next-goal", PERSON["goal"], "--timeline", PERSON["timeline"], "--db", db, *AT,
    )  # fmt: skip
    assert logged.exit_code == 0, logged.output
    objected = cli("lead", "dnc", "quintanilla", "--reason", PERSON["reason"], "--db", db, *AT)
    assert objected.exit_code == 0, objected.output
    other = cli("lead", "add", "Luis Pérez", "--phone", "622 111 222", "--db", db, *AT)
    assert other.exit_code == 0, other.output


# --- 1. forget means gone ------------------------------------------------------------------------


def test_after_forget_the_person_is_in_no_file_of_the_store(cli, store):
    db = target(store)
    person(cli, db)
    before = found(store, NEEDLES)
    assert b"Quintanilla" in before and b"zacarias.quintanilla@example.org" in before
    gone = cli("lead", "forget", "quintanilla", "--yes", "--db", db, *AT)
    assert gone.exit_code == 0, gone.output
    assert "old copies stay" not in gone.stderr
    assert found(store, NEEDLES) == set()
    left = json.loads(cli("lead", "list", "--json", "--db", db).stdout)
    assert [lead["name"] for lead in left] == ["Luis Pérez"]  # nobody else was touched


def test_an_edited_value_leaves_no_old_copy_behind(cli, store):
    """An edit rewrites a row; the version it replaced must not wait in the page for forget."""
    db = target(store)
    person(cli, db)
    cli("lead", "edit", "quintanilla", "--notes", "short", "--db", db, *AT)
    cli("lead", "forget", "quintanilla", "--yes", "--db", db, *AT)
    assert found(store, [b"QWZX", b"short"]) == set()


def test_forget_blanks_every_column_declared_personal():
    """The columns forget overwrites are the schema's own declaration: every text column of a
    table that points to a lead is either personal or one of the product's vocabularies."""
    from sqlalchemy import String

    from warmcall.store.schema import metadata, personal_columns

    declared = personal_columns()
    vocabulary = {
        "leads": {"phone_flag", "temperature", "stage", "status", "consent", "window",
                  "timezone", "country", "zones", "segment", "region",
                  "owner", "updated_by"},  # a rep's name: the team's
        "calls": {"outcome", "channel", "objections", "temperature", "sent", "shown",
                  "before_temperature", "before_status", "before_phone_flag", "broken", "rep"},
        "followups": {"status", "rep"},
        "lead_events": {"kind"},
        "lead_identities": {"kind"},
    }  # fmt: skip
    for table in metadata.sorted_tables:
        if table.name not in vocabulary:
            continue
        texts = {c.name for c in table.columns if isinstance(getattr(c.type, "impl", None), String)}
        assert texts == set(declared[table.name]) | vocabulary[table.name], table.name


def test_an_upgraded_store_loses_the_rows_forgotten_before(store, tmp_path):
    """People forgotten by an older warmcall left their rows in the files: the first open
    after the upgrade compacts the store once."""
    old, target = older_store(store.dialect, tmp_path, "0006")
    if old.dialect == "sqlite":
        old.execute("PRAGMA secure_delete = OFF")  # as an older warmcall deleted
    for i in range(30):
        old.execute(
            'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
            "created_at, updated_at) VALUES (:n, :k, 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)",
            {"n": f"Quintanilla {i}", "k": f"quintanilla {i}"},
        )
    old.execute("DELETE FROM leads WHERE id > 1")  # forgotten the old way
    old.close()
    reopened = open_db(target)
    try:
        assert found(reopened, [b"Quintanilla 7"]) == set()
        assert reopened.one("SELECT name FROM leads")["name"] == "Quintanilla 0"  # kept
    finally:
        reopened.close()


# --- 2. the key lives outside the store ----------------------------------------------------------


def key_files(home: Path) -> list[Path]:
    return sorted((home / "keys").glob("*.key"))


def test_a_copy_of_the_database_alone_holds_no_key(cli, store, home):
    db = target(store)
    person(cli, db)
    cli("lead", "forget", "quintanilla", "--yes", "--db", db, *AT)
    [keyfile] = key_files(home)
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert stat.S_IMODE(keyfile.parent.stat().st_mode) == 0o700
    key = bytes.fromhex(keyfile.read_text())
    assert found(store, [key, key.hex().encode(), key.hex().upper().encode()]) == set()
    meta = {row["key"] for row in store.query("SELECT key FROM store_meta")}
    assert meta == {"store_id", "suppression_check"}
    # the digests kept are the key's: with it (and only with it) the number is matched
    digests = {row["digest"] for row in store.query("SELECT digest FROM suppressions")}
    assert hmac.new(key, b"+34612345678", hashlib.sha256).hexdigest() in digests


def test_forgotten_people_stay_blocked_with_the_key_and_a_missing_key_is_said(
    cli, store, home, tmp_path, monkeypatch
):
    db = target(store)
    person(cli, db)
    cli("lead", "forget", "quintanilla", "--yes", "--db", db, *AT)
    again = ("lead", "add", "Zac Q.", "--phone", "612 345 678", "--allow-duplicate", "--db", db)
    blocked = cli(*again, *AT)
    assert blocked.exit_code == 1 and "forgotten at their request" in blocked.stderr

    [keyfile] = key_files(home)
    aside = tmp_path / "backup.key"
    shutil.move(keyfile, aside)
    csv = tmp_path / "back.csv"
    csv.write_text("name,phone\nZac Q.,612 345 678\nNew Person,633 000 111\n")
    for command in (again, ("lead", "import", str(csv), "--db", db)):
        missing = cli(*command, *AT)
        assert missing.exit_code == 1
        said = " ".join(missing.stderr.split())
        assert said.startswith("This store's key for forgotten people is missing")
        assert str(keyfile) in said and "WARMCALL_SUPPRESSION_KEY" in said
        assert len(missing.stderr.strip().splitlines()) <= 3 and "Traceback" not in said
    assert key_files(home) == []  # no new key was made in its place
    assert [x["name"] for x in json.loads(cli("lead", "list", "--json", "--db", db).stdout)] == [
        "Luis Pérez"
    ]  # nothing was written

    monkeypatch.setenv("WARMCALL_SUPPRESSION_KEY", aside.read_text().strip())
    assert "forgotten at their request" in cli(*again, *AT).stderr  # the team's key works
    monkeypatch.setenv("WARMCALL_SUPPRESSION_KEY", "00" * 32)
    wrong = cli(*again, *AT)
    assert wrong.exit_code == 1 and "is not this store's" in wrong.stderr
    monkeypatch.delenv("WARMCALL_SUPPRESSION_KEY")

    shutil.move(aside, keyfile)  # restored from the backup
    assert "forgotten at their request" in cli(*again, *AT).stderr
    welcome = cli("lead", "add", "New Person", "--phone", "633 000 111", "--db", db, *AT)
    assert welcome.exit_code == 0, welcome.output


def test_a_store_that_never_forgot_anyone_needs_no_key(cli, store, home):
    db = target(store)
    assert cli("lead", "add", "Ana", "--phone", "612 000 111", "--db", db, *AT).exit_code == 0
    assert key_files(home) == []


def test_the_upgrade_moves_an_existing_key_out_of_the_store(store, tmp_path, home, cli):
    if store.dialect == "sqlite":
        where: str | Path = tmp_path / "old.db"
        old = open_db(where, migrate=False)
    else:
        where = str(PG_URL)
        old = connect(where)
        old.execute("DROP SCHEMA public CASCADE")
        old.execute("CREATE SCHEMA public")
    upgrade(old, "0006")
    key = bytes(range(32))
    old.execute(
        "INSERT INTO store_meta (key, value) VALUES ('suppression_secret', :v)", {"v": key.hex()}
    )
    digest = hmac.new(key, b"+34612345678", hashlib.sha256).hexdigest()
    old.execute(
        "INSERT INTO suppressions (digest, kind, created_at) VALUES (:d, 'phone', 1)",
        {"d": digest},
    )
    old.close()
    new = open_db(where)
    try:
        assert schema_version(new) != "0006"
        [keyfile] = key_files(home)
        assert bytes.fromhex(keyfile.read_text()) == key
        assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
        assert found(new, [key.hex().encode(), key]) == set()
    finally:
        new.close()
    blocked = cli("lead", "add", "Zac", "--phone", "612 345 678", "--db", str(where), *AT)
    assert blocked.exit_code == 1 and "forgotten at their request" in blocked.stderr


# --- 3. every time column holds 64 bits ----------------------------------------------------------


def test_every_time_column_holds_64_bit_values(store):
    """Each column that holds a time (``at``, ``*_at``), in every table, keeps a moment after
    2038 on every engine: rows written with the store API, one per table."""
    from sqlalchemy import Boolean, Integer

    from warmcall.store.schema import metadata

    after_2038 = 4_102_444_799  # 31 Dec 2099 23:59:59 UTC, beyond 32 bits
    times = {}
    for table in metadata.sorted_tables:  # parents first
        values = {}
        for column in table.columns:
            sole_key = list(table.primary_key.columns) == [column]  # the engine numbers it
            if sole_key and isinstance(column.type, Integer) and not column.foreign_keys:
                continue
            if column.name == "at" or column.name.endswith("_at"):
                values[column.name] = after_2038
                times.setdefault(table.name, []).append(column.name)
            elif column.foreign_keys:
                values[column.name] = 1
            elif isinstance(column.type, Boolean):
                values[column.name] = True
            elif isinstance(column.type, Integer):
                values[column.name] = 1
            else:
                values[column.name] = "x"
        names = list(values)
        store.execute(
            f"INSERT INTO {table.name} ({', '.join(f'{chr(34)}{n}{chr(34)}' for n in names)}) "
            f"VALUES ({', '.join(':' + n for n in names)})",
            values,
        )
        if table.name in times:
            row = store.one(f"SELECT {', '.join(times[table.name])} FROM {table.name}")
            assert row == dict.fromkeys(times[table.name], after_2038), table.name
    assert set(times) >= {"leads", "calls", "followups", "lead_events", "suppressions"}


def test_an_objection_forget_and_lift_after_2038_work(cli, store):
    db = target(store)
    assert cli("lead", "add", "Eva", "--phone", "612 000 111", "--db", db, *AT).exit_code == 0
    later = ("--at", "2038-03-02 09:00")
    objected = cli("lead", "dnc", "eva", "--reason", "no calls", "--db", db, *later)
    assert objected.exit_code == 0, objected.output
    shown = json.loads(cli("lead", "show", "eva", "--json", "--db", db).stdout)
    assert shown["events"][0]["at"] == "2038-03-02T09:00:00+01:00"
    gone = cli("lead", "forget", "eva", "--yes", "--db", db, *later)
    assert gone.exit_code == 0, gone.output
    lifted = cli("lead", "unsuppress", "612 000 111", "--reason", "she called", "--json",
                 "--db", db, "--at", "2038-03-03 09:00")  # fmt: skip
    assert lifted.exit_code == 0, lifted.output
    assert json.loads(lifted.stdout)["forgotten_at"] == "2038-03-02T09:00:00+01:00"


def test_a_reader_that_still_sees_the_rows_is_waited_for_then_said(cli, store, monkeypatch):
    """Another command that holds an old snapshot keeps the rows readable to it: forget waits
    a while for it, then says that the old copies stay until the store is compacted."""
    monkeypatch.setattr("warmcall.store.db.SCRUB_WAIT_S", 0.5)
    db = target(store)
    person(cli, db)
    if store.dialect == "sqlite":
        import sqlite3

        reader = sqlite3.connect(db, isolation_level=None)
        reader.execute("BEGIN")
    else:
        import psycopg2

        from warmcall.store.db import libpq_url

        reader = psycopg2.connect(libpq_url(str(PG_URL)))
        reader.set_session(isolation_level="REPEATABLE READ")  # begun by the first statement
    try:
        reader.cursor().execute("SELECT COUNT(*) FROM leads")
        gone = cli("lead", "forget", "quintanilla", "--yes", "--db", db, *AT)
        assert gone.exit_code == 0, gone.output
        said = " ".join(gone.stderr.split())
        assert "old copies stay in the store's files until it is compacted" in said
    finally:
        reader.close()


def test_a_key_that_cannot_be_written_is_said_and_nothing_is_erased(cli, store, home):
    db = target(store)
    person(cli, db)
    (home / "keys").write_text("not a folder")
    refused = cli("lead", "forget", "quintanilla", "--yes", "--db", db, *AT)
    assert refused.exit_code == 1
    said = " ".join(refused.stderr.split())
    assert said.startswith("Cannot write the key for forgotten people to")
    assert said.endswith("nothing was changed.")
    shown = cli("lead", "show", "quintanilla", "--json", "--db", db)
    assert json.loads(shown.stdout)["email"] == PERSON["email"]
