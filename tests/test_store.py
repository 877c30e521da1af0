"""The store: a private SQLite file, migrations that keep every row, the schema they reach."""

import sqlite3
import stat
from pathlib import Path

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
