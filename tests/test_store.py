"""The store: a private SQLite file, migrations that keep every row, the schema they reach."""

import sqlite3
import stat
from itertools import islice
from pathlib import Path

import pytest

from warmcall.store.db import SCHEMA_HEAD, open_db, schema_version
from warmcall.store.migrations import alembic_config, upgrade


def test_new_store_is_private_and_current(db_path: Path):
    db = open_db(db_path)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert schema_version(db) == SCHEMA_HEAD
    assert db.one("PRAGMA journal_mode")["journal_mode"] == "wal"
    assert db.one("PRAGMA foreign_keys")["foreign_keys"] == 1
    db.close()


def test_schema_head_constant_is_alembics_head():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_migrated_store_matches_the_declared_schema(db_path: Path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from warmcall.store.schema import metadata

    open_db(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_an_older_store_upgrades_in_place_keeping_every_row(db_path: Path):
    old = open_db(db_path, migrate=False)
    upgrade(old, "0001")  # a store as the first release made it
    assert schema_version(old) == "0001"
    for i in range(50):
        old.execute(
            "INSERT INTO leads (name, name_key, temperature, stage, status, consent, window, "
            "created_at, updated_at) VALUES (:n, :k, 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)",
            {"n": f"Lead {i}", "k": f"lead {i}"},
        )
    old.close()

    db = open_db(db_path)  # opening with the new version upgrades it
    assert schema_version(db) == SCHEMA_HEAD
    assert db.one("SELECT COUNT(*) AS n FROM leads")["n"] == 50
    assert db.one("SELECT name FROM leads WHERE id = 7")["name"] == "Lead 6"
    db.execute(
        "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
        "VALUES (7, 10, 'connected', 'phone', 10)"
    )
    db.close()


def _pablo(db) -> None:
    """One lead, Pablo (id 1), as any revision since the first stores him."""
    db.execute(
        'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
        "created_at, updated_at) VALUES ('Pablo', 'pablo', 'warm', 'lead', 'active', 'b2b', "
        "'any', 1, 1)"
    )


def _pg_plan(db, sql: str, params: dict | None = None) -> str:
    """PostgreSQL's plan for ``sql`` as a line, reading a whole table or a bitmap of it ruled
    out: on a test's few rows it would rather, where the book's million rows take an index."""
    with db.transaction():
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_bitmapscan = off")
        return " ".join(r["QUERY PLAN"] for r in db.query(f"EXPLAIN {sql}", params))


def test_a_0009_store_with_calls_gains_the_timeline_keeping_every_call(store, tmp_path):
    """Migration 0010 adds ``calls.timeline`` to a store full of calls: every row and id
    stays, none holds a timeline, and a new call can record one (both engines)."""
    from tests.conftest import older_store

    old, target = older_store(store.dialect, tmp_path, "0009")
    _pablo(old)
    for i in range(40):
        old.execute(
            "INSERT INTO calls (lead_id, at, outcome, channel, notes, created_at) "
            "VALUES (1, :at, 'connected', 'phone', :notes, 1)",
            {"at": 1000 + i, "notes": f"call {i}"},
        )
    old.execute("DELETE FROM calls WHERE id = 40")  # an undone call: its id is never given again
    old.close()
    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        rows = db.query("SELECT id, notes, timeline FROM calls ORDER BY id")
        assert [(r["id"], r["notes"], r["timeline"]) for r in rows] == [
            (i + 1, f"call {i}", None) for i in range(39)
        ]
        new = db.insert(
            "INSERT INTO calls (lead_id, at, outcome, channel, timeline, created_at) "
            "VALUES (1, 2000, 'connected', 'phone', 'maybe in spring', 2) RETURNING id"
        )
        assert new == 41
        assert db.one("SELECT timeline FROM calls WHERE id = 41")["timeline"] == "maybe in spring"
    finally:
        db.close()


def test_a_0011_store_gains_each_leads_zones_keeping_every_lead(store, tmp_path):
    """Migration 0015 fills ``leads.zones`` for the leads already stored, as the writers do:
    a Spanish mobile may be in Madrid or the Canaries, a New York number in New York, a
    lead's own zone is its zone, and a lead that names no country keeps NULL (the user's
    zone decides). No lead is lost (both engines)."""
    from tests.conftest import older_store

    old, target = older_store(store.dialect, tmp_path, "0011")
    people = [
        ("Mobile", "+34612345678", "ES", None),
        ("New York", "+12125550147", "US", None),
        ("Own zone", "+34612345679", "ES", "Atlantic/Canary"),
        ("Nowhere", None, None, None),
    ]
    for name, e164, country, zone in people:
        old.execute(
            "INSERT INTO leads (name, name_key, phone_e164, country, timezone, temperature, "
            'stage, status, consent, "window", created_at, updated_at) VALUES (:n, :n, :e, '
            ":c, :z, 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)",
            {"n": name, "e": e164, "c": country, "z": zone},
        )
    old.close()
    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        rows = db.query("SELECT name, zones FROM leads ORDER BY id")
        assert [(r["name"], r["zones"]) for r in rows] == [
            ("Mobile", "Atlantic/Canary Europe/Madrid"),
            ("New York", "America/New_York"),
            ("Own zone", "Atlantic/Canary"),
            ("Nowhere", None),
        ]
    finally:
        db.close()


def test_two_writers_wait_for_each_other(db_path: Path):
    first = open_db(db_path)
    second = open_db(db_path)
    with first.transaction():
        first.execute(
            "INSERT INTO leads (name, name_key, temperature, stage, status, consent, window, "
            "created_at, updated_at) "
            "VALUES ('A', 'a', 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)"
        )
    with second.transaction():
        second.execute("UPDATE leads SET name = 'B'")
    assert sqlite3.connect(db_path).execute("SELECT name FROM leads").fetchone() == ("B",)
    first.close()
    second.close()


def test_sqlalchemy_url_runs_the_same_sql(tmp_path: Path):
    db = open_db(f"sqlite+pysqlite:///{tmp_path / 'sa.db'}")
    assert type(db).__name__ == "SqlAlchemyDatabase"
    lead_id = db.insert(
        "INSERT INTO leads (name, name_key, temperature, stage, status, consent, window, "
        "created_at, updated_at) VALUES ('A', 'a', 'warm', 'lead', 'active', 'b2b', 'any', 1, 1) "
        "RETURNING id"
    )
    assert db.one("SELECT name FROM leads WHERE id = :id", {"id": lead_id}) == {"name": "A"}
    db.close()


def test_a_failure_inside_nested_transactions_writes_nothing(store):
    insert = (
        "INSERT INTO leads (name, name_key, temperature, stage, status, consent, "
        + '"window", created_at, updated_at) '
        + "VALUES (:n, :n, 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)"
    )
    try:
        with store.transaction():
            store.execute(insert, {"n": "outer"})
            with store.transaction():
                store.execute(insert, {"n": "inner"})
                raise RuntimeError("a bad row")
    except RuntimeError:
        pass
    assert store.one("SELECT COUNT(*) AS n FROM leads")["n"] == 0
    with store.transaction():
        store.execute(insert, {"n": "kept"})
    assert store.one("SELECT name FROM leads")["name"] == "kept"


def test_rows_as_tuples_go_in_by_their_column_list(store):
    columns = ["name", "name_key", "temperature", "stage", "status", "consent", "window",
               "created_at", "updated_at"]  # fmt: skip
    rows = [("Ana", "ana", "hot", "lead", "active", "b2b", "early", 1, 2),
            ["Luis", "luis", "cold", "sql", "won", "none", "any", 3, 4]]  # fmt: skip
    with store.transaction():
        store.insert_many("leads", columns, rows)
        store.insert_many("leads", columns, [])
    got = store.query(
        'SELECT name, temperature, stage, "window", updated_at FROM leads ORDER BY id'
    )
    assert got == [
        {"name": "Ana", "temperature": "hot", "stage": "lead", "window": "early", "updated_at": 2},
        {"name": "Luis", "temperature": "cold", "stage": "sql", "window": "any", "updated_at": 4},
    ]


def test_bulk_rows_span_several_statements_in_order(store, monkeypatch):
    from warmcall.store import db

    monkeypatch.setattr(db, "SQLITE_MAX_VARIABLES", 20)  # two rows of 9 columns a statement
    columns = ["name", "name_key", "temperature", "stage", "status", "consent", "window",
               "created_at", "updated_at"]  # fmt: skip
    rows = (
        (f"Lead {i}", f"lead {i}", "warm", "lead", "active", "b2b", "any", i, i) for i in range(5)
    )
    with store.transaction():
        store.insert_many("leads", columns, rows)
    got = store.query("SELECT name, created_at FROM leads ORDER BY id")
    assert got == [{"name": f"Lead {i}", "created_at": i} for i in range(5)]


def test_bulk_rows_of_any_count_use_a_few_statements(store, monkeypatch):
    """Each statement sqlite3 prepares stays in its cache: batches of every size must not
    make a statement each (the store's memory grew with the file that way)."""
    from warmcall.store.db import SqliteDatabase

    if not isinstance(store, SqliteDatabase):
        pytest.skip("sqlite3's statement cache")
    columns = ["name", "name_key", "temperature", "stage", "status", "consent", "window",
               "created_at", "updated_at"]  # fmt: skip
    seen: set[str] = set()
    real = store.conn

    class Spy:
        def __getattr__(self, name):
            return getattr(real, name)

        def execute(self, sql, *args):
            if sql.startswith("INSERT"):
                seen.add(sql)
            return real.execute(sql, *args)

    monkeypatch.setattr(store, "conn", Spy())
    total = 0
    with store.transaction():
        for count in range(1, 1200, 7):
            store.insert_many("leads", columns, (
                (f"L{total + i}", "l", "warm", "lead", "active", "b2b", "any", 1, 1)
                for i in range(count)
            ))  # fmt: skip
            total += count
    assert len(seen) <= 10
    assert store.one("SELECT COUNT(*) AS n FROM leads")["n"] == total
    names = [r["name"] for r in store.query("SELECT name FROM leads ORDER BY id")]
    assert names == [f"L{i}" for i in range(total)]


def test_present_says_which_values_a_column_holds(store):
    columns = ["name", "name_key", "email", "temperature", "stage", "status", "consent", "window",
               "created_at", "updated_at"]  # fmt: skip
    rows = [(f"Lead {i}", f"lead {i}", f"l{i}@example.com", "warm", "lead", "active", "b2b",
             "any", i, i) for i in range(0, 3000, 2)]  # fmt: skip
    with store.transaction():
        store.insert_many("leads", columns, rows)
    asked = [f"l{i}@example.com" for i in range(1800, 3100)]  # more than SQLite's old limit
    assert store.present("leads", "email", asked) == {
        f"l{i}@example.com" for i in range(1800, 3000, 2)
    }
    assert store.present("leads", "email", []) == set()


def test_alongside_reads_at_the_same_time_on_a_second_connection(db_path: Path):
    import threading

    from warmcall.store.db import alongside

    body_started, seen = threading.Event(), []

    def work(other):
        assert other is not store  # a connection of its own
        seen.append(body_started.wait(timeout=10))  # only returns True if the body runs too
        seen.append(next(other.rows("SELECT COUNT(*) FROM leads"))[0])

    with open_db(db_path) as store, alongside(store, work):
        body_started.set()
    assert seen == [True, 0]


def test_alongside_inside_a_transaction_stays_on_its_connection(store):
    from warmcall.store.db import alongside

    columns = ["name", "name_key", "temperature", "stage", "status", "consent", "window",
               "created_at", "updated_at"]  # fmt: skip
    counted = []
    with store.transaction():
        store.insert_many("leads", columns, [("Ana", "ana", "hot", "lead", "active", "b2b",
                                              "early", 1, 2)])  # fmt: skip
        work = lambda db: counted.append(next(db.rows("SELECT COUNT(*) FROM leads"))[0])  # noqa: E731
        with alongside(store, work):
            pass
    assert counted == [1]  # the write not yet committed is seen


def test_alongside_raises_the_works_error_in_the_caller(db_path: Path):
    import pytest

    from warmcall.store.db import StoreError, alongside

    def work(other):
        other.query("SELECT nothing FROM nowhere")

    ran = []
    with (
        open_db(db_path) as store,
        pytest.raises(StoreError, match="could not run a query"),
        alongside(store, work),
    ):
        ran.append(True)
    assert ran == [True]


# --- odd stores: refused in one sentence, left untouched -------------------------------------

AT = ("--at", "2026-11-25 07:50")


def _snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(p.name for p in path.parent.iterdir())


def _unrelated_tables(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, login TEXT)")
    conn.execute("INSERT INTO users (login) VALUES ('root')")
    conn.commit()
    conn.close()


def _unrelated_leads(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE leads (lead_no TEXT, owner TEXT)")
    conn.execute("INSERT INTO leads VALUES ('L-1', 'someone')")
    conn.commit()
    conn.close()


def _not_sqlite(path: Path) -> None:
    path.write_text("name,phone\nAna,612345678\n")


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 40)


def test_files_that_are_not_stores_are_refused_and_left_untouched(cli, tmp_path: Path):
    import pytest

    for make, says in [
        (_unrelated_tables, "not a warmcall store (it holds other tables, such as 'users')"),
        (_unrelated_leads, "not a warmcall store (it holds other tables, such as 'leads')"),
        (_not_sqlite, "not a warmcall store (it is not a SQLite database)"),
        (_garbage, "not a warmcall store (it is not a SQLite database)"),
    ]:
        folder = tmp_path / make.__name__
        folder.mkdir()
        path = folder / "data.db"
        make(path)
        before = _snapshot(path)
        for args in (("lead", "add", "Ana", *AT), ("next", *AT), ("lead", "list")):
            result = cli(*args, "--db", str(path))
            assert result.exit_code == 1, (make.__name__, args, result.output)
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and says in lines[0], lines
            assert "Traceback" not in result.output
            assert "SELECT" not in result.stderr and "CREATE" not in result.stderr
        assert _snapshot(path) == before, f"{make.__name__} was changed"
        with pytest.raises(Exception, match="not a warmcall store"):
            open_db(path)


def test_dev_null_and_a_folder_are_not_stores(cli, tmp_path: Path):
    null = cli("lead", "add", "Ana", *AT, "--db", "/dev/null")
    assert null.exit_code == 1
    assert null.stderr == (
        "/dev/null is not a warmcall store (it is not a regular file); warmcall left it "
        "untouched.\n"
    )
    folder = cli("next", *AT, "--db", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder, not a warmcall store" in folder.stderr


def test_a_store_from_a_newer_warmcall_says_so(cli, tmp_path: Path):
    path = tmp_path / "new.db"
    assert cli("lead", "add", "Ana", *AT, "--db", str(path)).exit_code == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0042'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for args in (("next", *AT), ("lead", "add", "Luis", *AT)):
        result = cli(*args, "--db", str(path))
        assert result.exit_code == 1
        assert result.stderr.startswith(f"The store {path} was made by a newer warmcall")
        assert result.stderr.count("\n") == 1
    assert path.read_bytes() == before


def test_a_damaged_store_says_so_and_how_to_recover(cli, tmp_path: Path):
    path = tmp_path / "hurt.db"
    for name in ("Ana", "Luis", "Eva"):
        assert cli("lead", "add", name, *AT, "--db", str(path)).exit_code == 0
    with path.open("r+b") as fh:  # the schema page scribbled over
        fh.seek(100)
        fh.write(b"\xa5" * 3000)
    for args in (("lead", "list"), ("lead", "add", "Bo", *AT), ("next", *AT)):
        result = cli(*args, "--db", str(path))
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(f"The store {path} is damaged")
        assert f"sqlite3 {path} .recover" in result.stderr and "backup" in result.stderr
        assert result.stderr.count("\n") == 1


def test_a_store_with_a_zeroed_index_page_is_refused_before_a_write(cli, tmp_path: Path):
    """A zeroed page in an index the command never reads (the follow-ups') let writes go on
    into a damaged file without a word; a writing command now checks the pages first."""
    path = tmp_path / "hurt.db"
    for name in ("Ana", "Luis", "Eva"):
        assert cli("lead", "add", name, *AT, "--db", str(path)).exit_code == 0
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_followups_lead_done'"
    ).fetchone()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\0" * page_size)
    before = path.read_bytes()
    added = cli("lead", "add", "Bo", *AT, "--db", str(path))
    assert added.exit_code == 1, added.output
    assert added.stderr.startswith(f"The store {path} is damaged (")
    assert f"sqlite3 {path} .recover | sqlite3 recovered.db" in added.stderr
    assert added.stderr.count("\n") == 1 and added.stdout == ""
    assert path.read_bytes() == before  # nothing written into the damaged file


def test_read_commands_never_create_a_store(cli, tmp_path: Path, home: Path):
    missing = tmp_path / "mistyped" / "dir" / "x.db"
    reads = [("next", *AT), ("lead", "list"), ("lead", "show", "ana"), ("call", "list"),
             ("report", "--week", "2026-W47"), ("script", "ana", *AT),
             ("lead", "export")]  # fmt: skip
    for args in reads:
        result = cli(*args, "--db", str(missing))
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr == (
            f"There is no warmcall store at {missing}; check --db (or WARMCALL_DB), "
            "or start one with warmcall lead import FILE or warmcall lead add NAME.\n"
        )
    assert not (tmp_path / "mistyped").exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    result = cli("lead", "list", "--db", str(empty))
    assert result.exit_code == 1 and "There is no warmcall store in" in result.stderr
    assert empty.stat().st_size == 0
    # the default store, before the first lead, reads as empty and is not made either
    assert cli("lead", "list", "--json").stdout.strip() == "[]"
    assert cli("next", *AT, "--json").exit_code == 0
    assert not list(home.glob("*.db*"))


def test_a_leftover_read_only_shm_does_not_keep_the_store_failing(cli, db_path: Path):
    import os

    assert cli("lead", "add", "Ana", *AT, "--db", str(db_path)).exit_code == 0
    # as left by a read while the store was read-only: side files without write permission
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        side.write_bytes(b"")
        os.chmod(side, 0o400)
    assert cli("lead", "add", "Luis", *AT, "--db", str(db_path)).exit_code == 0
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            assert stat.S_IMODE(side.stat().st_mode) == 0o600
    names = [r["name"] for r in open_db(db_path).query("SELECT name FROM leads ORDER BY id")]
    assert names == ["Ana", "Luis"]


RACE = """
import sys, time
from warmcall.store.db import open_db
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
db = open_db(sys.argv[1])
db.execute(
    "INSERT INTO leads (name, name_key, temperature, stage, status, consent, \\"window\\", "
    "created_at, updated_at) VALUES (:n, :n, 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)",
    {"n": sys.argv[3]},
)
db.close()
"""


def race_open(target: str, count: int = 2) -> list[tuple[int, str]]:
    """``count`` processes that open a new store at the same instant and add a lead each."""
    import subprocess
    import sys
    import time

    start = time.time() + 2.0  # both interpreters are up and waiting by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, target, str(start), f"lead {i}"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(count)
    ]
    return [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]


def test_two_first_commands_on_a_new_store_do_not_race_on_the_migration(db_path: Path):
    for attempt in range(3):
        path = db_path.with_name(f"race{attempt}.db")
        assert race_open(str(path)) == [(0, ""), (0, "")]
        db = open_db(path)
        assert schema_version(db) == SCHEMA_HEAD
        assert db.one("SELECT COUNT(*) AS n FROM leads")["n"] == 2
        db.close()


# --- writers wait for each other ---------------------------------------------------------------


def _hold_write_lock(path: Path, seconds: float) -> tuple[object, object]:
    """Another command's long write (an import), as a thread holding the store's write lock."""
    import threading

    taken, conn = threading.Event(), sqlite3.connect(path, isolation_level=None,
                                                     check_same_thread=False)  # fmt: skip

    def hold() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE leads SET notes = 'importing' WHERE id = 1")
        taken.set()
        threading.Event().wait(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(10)
    return thread, taken


def test_a_call_log_during_a_long_write_waits_and_succeeds(cli, db_path: Path):
    import time

    assert cli("lead", "add", "Ana", *AT, "--db", str(db_path)).exit_code == 0
    thread, _ = _hold_write_lock(db_path, 3.0)  # longer than one busy timeout, thrice
    start = time.monotonic()
    logged = cli("call", "log", "ana", "--outcome", "connected", "--at", "2026-11-25 07:40",
                 "--db", str(db_path))  # fmt: skip
    waited = time.monotonic() - start
    thread.join()  # type: ignore[attr-defined]
    assert logged.exit_code == 0, logged.output
    assert "locked" not in logged.output and waited >= 2.0
    with open_db(db_path) as db:
        assert db.one("SELECT outcome FROM calls")["outcome"] == "connected"
        assert db.one("SELECT notes FROM leads")["notes"] == "importing"  # both writes kept


def test_a_waiting_writer_is_told_once(db_path: Path):
    with open_db(db_path) as db:
        db.execute(
            'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
            "created_at, updated_at) "
            "VALUES ('A', 'a', 'warm', 'lead', 'active', 'b2b', 'any', 1, 1)"
        )
    told: list[str] = []
    with open_db(db_path) as db:
        db.on_wait = lambda: told.append("waiting")
        thread, _ = _hold_write_lock(db_path, 2.5)
        with db.transaction():
            db.execute("UPDATE leads SET name = 'B'")
        db.execute("UPDATE leads SET stage = 'sql'")  # free by now: no second word
        thread.join()  # type: ignore[attr-defined]
        assert told == ["waiting"]
        assert db.one("SELECT name, stage FROM leads") == {"name": "B", "stage": "sql"}


def test_on_a_terminal_a_waiting_command_says_so_on_stderr(db_path: Path, home: Path):
    import os
    import pty
    import subprocess
    import sys

    with open_db(db_path) as db:
        db.execute(
            'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
            "created_at, updated_at) VALUES ('Ana', 'ana', 'warm', 'lead', 'active', 'b2b', "
            "'any', 1, 1)"
        )
    thread, _ = _hold_write_lock(db_path, 3.0)
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "warmcall", "lead", "dnc", "ana", *AT, "--db", str(db_path)],
        stdout=subprocess.PIPE, stderr=follower, env={**os.environ, "WARMCALL_HOME": str(home)},
        timeout=60,
    )  # fmt: skip
    os.close(follower)
    thread.join()  # type: ignore[attr-defined]
    said = os.read(leader, 4096).decode()
    os.close(leader)
    assert done.returncode == 0, said
    assert said.count("Waiting for another warmcall command to finish with the store") == 1
    assert "locked" not in said


# --- one store on both engines ------------------------------------------------------------------

LEAD_INSERT = (
    'INSERT INTO leads (name, name_key, notes, temperature, stage, status, consent, "window", '
    "created_at, updated_at) VALUES (:n, :k, :notes, 'warm', 'lead', 'active', 'b2b', 'any', "
    ":t, :t)"
)


def test_a_nul_byte_never_reaches_the_store(store):
    store.execute(LEAD_INSERT, {"n": "Ana\x00 Ruiz", "k": "ana ruiz", "notes": "a\x00b", "t": 1})
    columns = ["name", "name_key", "notes", "temperature", "stage", "status", "consent", "window",
               "created_at", "updated_at"]  # fmt: skip
    with store.transaction():
        store.insert_many("leads", columns, [("Luis\x00", "luis", "\x00", "hot", "lead",
                                              "active", "b2b", "any", 2, 2)])  # fmt: skip
        store.executemany(LEAD_INSERT, [{"n": "\x00Eva", "k": "eva", "notes": None, "t": 3}])
    got = store.query("SELECT name, notes FROM leads ORDER BY id")
    assert got == [
        {"name": "Ana Ruiz", "notes": "ab"},
        {"name": "Luis", "notes": ""},
        {"name": "Eva", "notes": None},
    ]
    found = store.query("SELECT name FROM leads WHERE name = :n", {"n": "Ana\x00 Ruiz"})
    assert found == [{"name": "Ana Ruiz"}]


def test_times_after_2038_are_kept_on_every_engine(store):
    after_2038 = 4_102_444_799  # 31 Dec 2099 23:59:59 UTC, beyond 32 bits
    store.execute(LEAD_INSERT, {"n": "Ana", "k": "ana", "notes": None, "t": after_2038})
    store.execute(
        "INSERT INTO followups (lead_id, due_at, has_time, action, created_at, status) "
        "VALUES (1, :t, true, 'call', :t, 'open')",
        {"t": after_2038},
    )
    assert store.one("SELECT due_at FROM followups")["due_at"] == after_2038
    assert store.one("SELECT updated_at FROM leads")["updated_at"] == after_2038


def test_the_same_failure_is_the_same_sentence_on_every_engine(store):
    import pytest

    from warmcall.errors import StoreRefused

    with pytest.raises(StoreRefused) as missing:
        store.execute("INSERT INTO leads (name) VALUES ('Ana')")
    assert str(missing.value) == "The store refused the write: a required value is missing."
    with pytest.raises(StoreRefused) as dangling:
        store.execute(
            "INSERT INTO calls (lead_id, at, outcome, channel, created_at) "
            "VALUES (999, 1, 'connected', 'phone', 1)"
        )
    assert str(dangling.value) == (
        "The store refused the write: it names a lead, call or follow-up that does not exist."
    )
    with pytest.raises(StoreRefused) as huge:
        store.execute(LEAD_INSERT, {"n": "Ana", "k": "ana", "notes": None, "t": 2**70})
    assert str(huge.value) == (
        "The store refused the write: a number or date is beyond what it can keep."
    )
    for bad in (missing.value, dangling.value, huge.value):
        assert "INSERT" not in str(bad) and "leads" not in str(bad)
    assert store.one("SELECT COUNT(*) AS n FROM leads")["n"] == 0  # nothing half-written


def test_rows_stream_while_other_statements_run(store):
    with store.transaction():
        store.executemany(
            LEAD_INSERT,
            [{"n": f"Lead {i}", "k": f"lead {i}", "notes": None, "t": i} for i in range(5000)],
        )
    stream = store.rows("SELECT id, name FROM leads ORDER BY id")
    first = next(stream)
    assert first[1] == "Lead 0"
    assert store.one("SELECT COUNT(*) AS n FROM leads")["n"] == 5000  # meanwhile
    assert sum(1 for _ in stream) == 4999


def test_streams_left_unread_end_quietly_and_streams_read_inside_each_other(store):
    """A stream left unread once its transaction has ended closes without a word (psycopg2
    refuses to close a cursor whose transaction ended), and a stream read inside another's
    loop, outside a transaction, gets its own rows while the first goes on."""
    with store.transaction():
        store.executemany(
            LEAD_INSERT,
            [{"n": f"Lead {i}", "k": f"lead {i}", "notes": None, "t": i} for i in range(3000)],
        )
    with store.transaction():
        unread = store.rows("SELECT id FROM leads ORDER BY id")
        assert next(unread) == (1,)
    unread.close()  # nothing raised
    outer = store.rows("SELECT id FROM leads ORDER BY id")
    pairs = [(a, store.fetch("SELECT COUNT(*) FROM leads WHERE id <= :i", {"i": a})[0][0])
             for (a,) in islice(outer, 3)]  # fmt: skip
    inner = [list(store.rows("SELECT name FROM leads WHERE id = :i", {"i": a})) for a, _ in pairs]
    assert pairs == [(1, 1), (2, 2), (3, 3)]
    assert inner == [[("Lead 0",)], [("Lead 1",)], [("Lead 2",)]]
    assert sum(1 for _ in outer) == 2997  # the first stream, still whole
    assert store.fetch("SELECT COUNT(*) FROM leads") == [(3000,)]


def test_the_declared_schema_is_what_the_migrations_make_on_every_engine(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine

    from warmcall.store.db import sqlalchemy_url
    from warmcall.store.schema import metadata

    url = store.url if store.dialect != "sqlite" else f"sqlite:///{store.path}"
    engine = create_engine(sqlalchemy_url(url))
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_a_0022_store_gains_each_leads_due_moment_and_keeps_it_as_follow_ups_change(
    store, tmp_path
):
    """Migration 0023 puts on each lead when its open follow-up is due: every lead of an older
    store gets its own (none for a lead whose follow-up is done), every owner stays, the
    database keeps the moment as follow-ups are added, closed, moved to another lead and
    deleted, and the rep's leads due are read from ``ix_leads_owner_due`` alone."""
    from tests.conftest import older_store
    from warmcall.plan.candidates import _DUE_LEADS

    old, target = older_store(store.dialect, tmp_path, "0022")
    for i in range(30):
        old.execute(
            'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
            "created_at, updated_at, owner) VALUES (:n, :n, 'warm', 'lead', 'active', 'b2b', "
            "'any', 1, 1, :owner)",
            {"n": f"lead {i}", "owner": (None, "ana", "luis")[i % 3]},
        )
    follow_up = (
        "INSERT INTO followups (lead_id, due_at, has_time, action, created_at, done_at, status) "
        "VALUES (:lead, :due, FALSE, 'call', 1, :done, :status)"
    )
    for lead in range(1, 31):  # an open one on even leads, a done one on every third
        if lead % 2 == 0:
            open_one = {"lead": lead, "due": 1000 + lead, "done": None, "status": "open"}
            old.execute(follow_up, open_one)
        if lead % 3 == 0:
            old.execute(follow_up, {"lead": lead, "due": 5, "done": 9, "status": "kept"})
    old.close()

    def due() -> dict[int, int | None]:
        return {r["id"]: r["due_at"] for r in db.query("SELECT id, due_at FROM leads")}

    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        owners = [r["owner"] for r in db.query("SELECT owner FROM leads ORDER BY id")]
        assert owners == [(None, "ana", "luis")[i % 3] for i in range(30)]
        assert due() == {lead: 1000 + lead if lead % 2 == 0 else None for lead in range(1, 31)}

        db.execute(follow_up, {"lead": 1, "due": 77, "done": None, "status": "open"})
        db.execute("UPDATE followups SET done_at = 80, status = 'kept' WHERE lead_id = 2")
        db.execute("UPDATE followups SET lead_id = 5 WHERE lead_id = 4 AND done_at IS NULL")
        db.execute("DELETE FROM followups WHERE lead_id = 6")
        db.execute("DELETE FROM leads WHERE id = 8")  # its follow-up goes with it
        found = due()
        assert (found[1], found[2], found[4], found[5], found[6]) == (77, None, None, 1004, None)
        assert 8 not in found and found[10] == 1010

        owned = {lead for lead in range(1, 31) if lead % 3 in (1, 2)}  # ana's, and the shared
        wanted = {lead for lead, at in found.items() if at is not None and at < 2000}
        params = {"tomorrow": 2000, "rep": "ana"}
        assert {r["id"] for r in db.query(_DUE_LEADS, params)} == wanted & owned
        if db.dialect == "postgresql":
            db.execute("ANALYZE leads")
            plan = _pg_plan(db, _DUE_LEADS, params)
            assert plan.count("Index Only Scan using ix_leads_owner_due") == 2, plan
    finally:
        db.close()


def test_someone_we_know_is_found_by_each_number_without_reading_every_lead(
    store, config, monkeypatch
):
    """A lead added or edited is checked against the others (``leads.sharing``): found by the
    e-mail, the number, and a number among either's other numbers, and each through an index
    (0024), not by reading every lead of the book (both engines)."""
    from tests.conftest import NOW
    from warmcall import leads

    builder = leads.LeadBuilder(config)
    known = {
        "same e-mail": {"email": "laura@clinica.es"},
        "same number": {"phone": "+34 600 111 222"},
        "ours among theirs": {"phone": "+34 911 000 000", "phones": ["+34 600 333 444"]},
        "theirs among ours": {"phone": "+34 622 555 666"},
        "nobody": {"phone": "+34 699 999 999", "phones": ["+34 600 111 2229"]},
    }
    for name, values in known.items():
        leads.add(store, builder.build({"name": name, **values}), now=NOW)
    asked = builder.build(
        {
            "name": "Laura",
            "email": "laura@clinica.es",
            "phone": "600 111 222",
            "phones": ["600 333 444", "622 555 666"],
        }
    )
    statements = []
    query = store.query

    def recorded(sql, params=None):
        statements.append((sql, params))
        return query(sql, params)

    with monkeypatch.context() as patched:
        patched.setattr(store, "query", recorded)
        found = leads.sharing(store, asked)
    assert [x.name for x in found] == [n for n in known if n != "nobody"]

    sql, params = statements[-1]
    if store.dialect == "postgresql":
        store.execute("ANALYZE leads")
        plan = _pg_plan(store, sql, params)
        # each step that reads leads seeks in an index, or reads the few with other numbers
        reads = [step for step in plan.split("->") if " on leads" in step]
        whole = [s for s in reads if "Index Cond" not in s and "ix_leads_phones" not in s]
        assert len(reads) == 4 and not whole, plan
    else:
        steps = [r["detail"] for r in store.query(f"EXPLAIN QUERY PLAN {sql}", params)]
        assert not [s for s in steps if s.startswith("SCAN leads") and "INDEX" not in s], steps


def test_identifiers_are_quoted_one_way():
    from warmcall.store.db import quoted

    assert quoted("window") == '"window"'
    assert quoted('odd"name') == '"odd""name"'
    assert quoted(["a", 'b"c']) == '"a", "b""c"'


# --- LIKE finds what the user typed, literally ---------------------------------------------------


def test_searches_take_percent_underscore_and_backslash_literally(cli, db_path: Path):
    db = ("--db", str(db_path))
    for name, company, source in [
        ("Ana", "50% Off SL", "fair_2026"),
        ("Luis", "500 Ventas", "fairX2026"),
        ("Eva", "A\\B Consulting", "web"),
        ("Bo", "AB Consulting", "web"),
    ]:
        added = cli("lead", "add", name, "--company", company, "--source", source, *AT, *db)
        assert added.exit_code == 0, added.output

    def names(*args: str) -> list[str]:
        import json

        return [x["name"] for x in json.loads(cli("lead", "list", *args, "--json", *db).stdout)]

    assert names("--search", "50%") == ["Ana"]
    assert names("--search", "%") == ["Ana"]
    assert names("--search", "a\\b") == ["Eva"]
    assert names("--source", "fair_") == ["Ana"]
    assert names("--search", "_") == []
    assert cli("lead", "show", "50%", *db).exit_code == 1  # no name holds "50%"


def test_a_reference_with_like_wildcards_names_nobody_else(cli, db_path: Path):
    db = ("--db", str(db_path))
    for name in ("Ana_Maria", "AnaXMaria"):
        assert cli("lead", "add", name, *AT, *db).exit_code == 0
    shown = cli("lead", "show", "ana_m", "--json", *db)
    assert shown.exit_code == 0, shown.output
    assert '"Ana_Maria"' in shown.stdout


# --- private files -------------------------------------------------------------------------------


def test_the_store_its_side_files_and_the_folders_made_for_it_are_private(cli, tmp_path: Path):
    import os

    old = os.umask(0o022)  # a usual umask: what warmcall sets must not depend on it
    try:
        path = tmp_path / "made" / "by" / "warmcall" / "leads.db"
        assert cli("lead", "add", "Ana", *AT, "--db", str(path)).exit_code == 0
        with open_db(path) as db:  # a connection open: -wal and -shm exist
            db.execute("UPDATE leads SET notes = 'x'")
            for suffix in ("", "-wal", "-shm"):
                side = Path(f"{path}{suffix}")
                assert side.exists() and stat.S_IMODE(side.stat().st_mode) == 0o600, suffix
        for folder in (path.parent, path.parent.parent, tmp_path / "made"):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    finally:
        os.umask(old)


def test_an_existing_folder_keeps_its_mode(cli, tmp_path: Path):
    import os

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    assert cli("lead", "add", "Ana", *AT, "--db", str(shared / "x.db")).exit_code == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "x.db").stat().st_mode) == 0o600


def test_a_newer_store_is_refused_on_every_engine(store):
    import pytest

    from warmcall.errors import StoreTooNew

    store.execute("UPDATE alembic_version SET version_num = '0042'")
    target = store.url if store.dialect != "sqlite" else str(store.path)
    with pytest.raises(StoreTooNew, match=r"was made by a newer warmcall \(schema 0042"):
        open_db(target)
    assert schema_version(store) == "0042"  # left as it was


def test_a_search_finds_exactly_the_leads_that_hold_the_text(tmp_path_factory):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from warmcall.leads import LeadFilter, find, fold

    odd = st.text(alphabet="ab5%_\\'\" Ñ", min_size=1, max_size=6)
    db = open_db(tmp_path_factory.mktemp("like") / "like.db")

    @settings(max_examples=150, deadline=None)
    @given(names=st.lists(odd, min_size=1, max_size=6), query=odd)
    def check(names: list[str], query: str) -> None:
        with db.transaction():
            db.execute("DELETE FROM leads")
            for name in names:
                db.execute(LEAD_INSERT, {"n": name, "k": fold(name), "notes": None, "t": 1})
        found = sorted(lead.name for lead in find(db, LeadFilter(search=query)))
        assert found == sorted(n for n in names if fold(query) in fold(n))

    try:
        check()
    finally:
        db.close()


def test_a_first_migration_that_waits_says_so_once(db_path: Path):
    import threading

    sqlite3.connect(db_path).execute("PRAGMA journal_mode = WAL").fetchall()  # an empty file
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another command's write, 2 s long
    release = threading.Timer(2.0, lambda: holder.execute("COMMIT"))
    release.start()
    told: list[str] = []
    with open_db(db_path, on_wait=lambda: told.append("waiting")) as db:
        assert schema_version(db) == SCHEMA_HEAD
    release.join()
    holder.close()
    assert told == ["waiting"]


def test_a_0011_store_gains_each_leads_consent_as_its_first_record(store, tmp_path):
    """Migration 0014 adds ``lead_consents``: every lead of an older store keeps its row and
    its consent, which becomes its first record, dated at its creation, through the channel
    ``unknown`` (both engines)."""
    from tests.conftest import older_store

    old, target = older_store(store.dialect, tmp_path, "0011")
    for i, consent in enumerate(["opt-in", "none", "customer"], 1):
        old.execute(
            'INSERT INTO leads (name, name_key, temperature, stage, status, consent, "window", '
            "created_at, updated_at) VALUES (:name, :name, 'warm', 'lead', 'active', :consent, "
            "'any', :at, :at)",
            {"name": f"lead {i}", "consent": consent, "at": 1_000 * i},
        )
    old.close()
    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        assert [r["consent"] for r in db.query("SELECT consent FROM leads ORDER BY id")] == [
            "opt-in", "none", "customer",
        ]  # fmt: skip
        rows = db.query(
            "SELECT lead_id, at, consent, channel, wording, expires_at FROM lead_consents "
            "ORDER BY lead_id"
        )
        assert [tuple(r.values()) for r in rows] == [
            (1, 1_000, "opt-in", "unknown", None, None),
            (2, 2_000, "none", "unknown", None, None),
            (3, 3_000, "customer", "unknown", None, None),
        ]
    finally:
        db.close()


def test_a_write_reads_every_page_only_of_a_file_changed_since_warmcall_left_it(
    cli, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
):
    """``quick_check`` reads a whole store (0.6 s on 150 MB) before a write: a big store
    that warmcall checked, or wrote and closed, and that nobody changed since, is not read
    again; one changed by another program is, and a damaged one is refused. (A store under
    ``SEAL_FROM_BYTES`` is checked every time: here every store counts as big.)"""
    from warmcall.store.db import _sealed

    monkeypatch.setattr("warmcall.store.db.SEAL_FROM_BYTES", 0)

    path = tmp_path / "book.db"
    assert cli("lead", "add", "Ana", *AT, "--db", str(path)).exit_code == 0
    assert _sealed(path)  # as warmcall left it
    assert cli("lead", "add", "Luis", *AT, "--db", str(path)).exit_code == 0
    assert _sealed(path)
    conn = sqlite3.connect(path)  # another program writes into it
    conn.execute("UPDATE leads SET notes = 'by hand' WHERE id = 1")
    conn.commit()
    conn.close()
    assert not _sealed(path)
    assert cli("lead", "add", "Eva", *AT, "--db", str(path)).exit_code == 0  # checked, sound
    assert _sealed(path)
    page_size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as fh:  # a page of the leads' table zeroed
        fh.seek(page_size * 2)
        fh.write(b"\0" * page_size)
    assert not _sealed(path)
    added = cli("lead", "add", "Bo", *AT, "--db", str(path))
    assert added.exit_code == 1 and added.stderr.startswith(f"The store {path} is damaged")
    assert not _sealed(path)
    monkeypatch.setattr("warmcall.store.db.SEAL_FROM_BYTES", 1 << 30)
    assert cli("lead", "add", "Ana", *AT, "--db", str(tmp_path / "small.db")).exit_code == 0
    assert not _sealed(tmp_path / "small.db")  # checked every time, never sealed


def test_a_0020_store_keeps_every_call_and_reads_a_reps_figures_off_the_indexes(store, tmp_path):
    """Migration 0021 puts the rep in the calls' time index and the channel in the rep's:
    every call of an older store stays with its rep, and the team's week (each rep's dials
    by channel and outcome) and a rep's phone dials (their pace) are read from an index
    alone, not a table row a dial (both engines)."""
    from tests.conftest import older_store

    old, target = older_store(store.dialect, tmp_path, "0020")
    _pablo(old)
    for i in range(30):
        old.execute(
            "INSERT INTO calls (lead_id, at, outcome, channel, created_at, rep) "
            "VALUES (1, :at, :outcome, :channel, 1, :rep)",
            {"at": 1000 + i, "outcome": "connected" if i % 3 else "no-answer",
             "channel": "email" if i % 5 == 0 else "phone", "rep": f"rep{i % 2}"},
        )  # fmt: skip
    old.close()
    db = open_db(target)
    try:
        assert schema_version(db) == SCHEMA_HEAD
        rows = db.query("SELECT id, at, rep FROM calls ORDER BY id")
        assert [(r["id"], r["at"], r["rep"]) for r in rows] == [
            (i + 1, 1000 + i, f"rep{i % 2}") for i in range(30)
        ]
        week = "FROM calls WHERE at >= 0 AND at < 9999"
        team = f"SELECT rep, channel, outcome, COUNT(*) {week} GROUP BY 1, 2, 3"
        pace = f"SELECT at {week} AND rep IN ('rep1', '') AND channel = 'phone'"
        for sql in (team, pace):
            if db.dialect == "sqlite":
                plan = " ".join(r["detail"] for r in db.query(f"EXPLAIN QUERY PLAN {sql}"))
                assert "COVERING INDEX" in plan, plan
            else:
                plan = _pg_plan(db, sql)
                assert "Index Only Scan" in plan, plan
    finally:
        db.close()
