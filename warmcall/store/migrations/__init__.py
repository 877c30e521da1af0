"""Versioned schema changes, run by Alembic from inside warmcall (no alembic.ini needed).

``upgrade(db)`` brings any store, however old, to the newest revision, keeping every row. It
runs under the store's write lock (BEGIN EXCLUSIVE on SQLite, an advisory lock on
PostgreSQL), so two commands that open a new store at once do not both migrate it: the
second waits, then finds it current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.types import TypeEngine

    from warmcall.store.db import Database


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "warmcall.store:migrations")
    return cfg


def known_revisions() -> set[str]:
    """Every revision this warmcall can migrate from or to."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def applies(version: str, revision: str) -> bool:
    """Whether upgrading a store at ``version`` will apply ``revision`` (it is not among the
    revisions the store has already had), whatever order the revisions were chained in."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return revision not in {r.revision for r in script.iterate_revisions(version, "base")}


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply every migration the store lacks, up to ``revision``."""
    from alembic import command
    from sqlalchemy import create_engine, event

    from warmcall.store.db import WAIT_LIMIT_S, PgDatabase, SqlAlchemyDatabase, SqliteDatabase

    cfg = alembic_config()
    if isinstance(db, PgDatabase):  # psycopg2 alone: Alembic needs SQLAlchemy's connection
        with SqlAlchemyDatabase(db.url) as full:
            full.on_wait = db.on_wait
            upgrade(full, revision)
    elif isinstance(db, SqliteDatabase):
        engine = create_engine(f"sqlite:///{db.path}", connect_args={"timeout": WAIT_LIMIT_S})

        @event.listens_for(engine, "connect")
        def _no_implicit_begin(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # the driver's own BEGIN would be DEFERRED

        @event.listens_for(engine, "begin")
        def _exclusive(conn: Any) -> None:
            if _taken(db):
                db._waiting()
            conn.exec_driver_sql("BEGIN EXCLUSIVE")  # read the version only once it is ours

        try:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        finally:
            engine.dispose()
    elif isinstance(db, SqlAlchemyDatabase):
        with db.conn.begin():
            db.write_lock()
            cfg.attributes["connection"] = db.conn
            command.upgrade(cfg, revision)
        db.conn.commit()


def retype(
    columns: dict[str, dict[str, bool]], to: type[TypeEngine], was: type[TypeEngine]
) -> None:
    """In a migration: give each table's columns (each with whether it may be empty) another
    integer type on PostgreSQL; SQLite's INTEGER holds 64 bits already, so it is left as is."""
    from alembic import op

    if op.get_bind().dialect.name == "sqlite":
        return
    for table, named in columns.items():
        for column, nullable in named.items():
            op.alter_column(
                table, column, type_=to(), existing_type=was(), existing_nullable=nullable
            )


def _taken(db: Database) -> bool:
    """Whether another connection holds the store's write lock right now (to say we wait)."""
    import sqlite3

    probe = sqlite3.connect(db.path, timeout=0, isolation_level=None)  # type: ignore[attr-defined]
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()
