"""Versioned schema changes, run by Alembic from inside warmcall (no alembic.ini needed).

``upgrade(db)`` brings any store, however old, to the newest revision, keeping every row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

    from warmcall.store.db import Database


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "warmcall.store:migrations")
    return cfg


def upgrade(db: Database, revision: str = "head") -> None:
    """Apply every migration the store lacks, up to ``revision``."""
    from alembic import command
    from sqlalchemy import create_engine

    from warmcall.store.db import SqlAlchemyDatabase, SqliteDatabase

    cfg = alembic_config()
    if isinstance(db, SqliteDatabase):
        engine = create_engine(f"sqlite:///{db.path}")
        try:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        finally:
            engine.dispose()
    elif isinstance(db, SqlAlchemyDatabase):
        with db.conn.begin():
            cfg.attributes["connection"] = db.conn
            command.upgrade(cfg, revision)
        db.conn.commit()
