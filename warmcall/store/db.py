"""The connection to the store: one small interface, two drivers.

Every query in warmcall is portable SQL with ``:name`` parameters. On the default embedded
store it runs through the standard library's ``sqlite3`` (no SQLAlchemy import on the hot
path: ``warmcall next`` must answer in a blink); a SQLAlchemy URL (``postgresql://…``) runs the
same SQL through SQLAlchemy. The schema itself is declared with SQLModel in ``tables.py`` and
changed only by the Alembic migrations in ``migrations/``, applied here on open.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from warmcall.errors import WarmcallError

# The newest migration; a test checks that it is Alembic's head. When the stored version
# equals it, opening the store costs one SELECT and imports neither SQLAlchemy nor Alembic.
SCHEMA_HEAD = "0006"

BUSY_TIMEOUT_S = 10.0
# Bound parameters one statement may hold (SQLite 3.32 and later; 999 before).
SQLITE_MAX_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999

Params = Mapping[str, Any] | None
Rows = Iterable[Sequence[Any]]  # each row's values in the order of a column list


class StoreError(WarmcallError):
    """The store cannot be opened or written."""


class Database:
    """The few operations the core needs, whatever the driver."""

    dialect: str
    url: str
    _depth = 0  # transactions open: only the outermost commits

    def query(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def rows(self, sql: str, params: Params = None) -> Iterator[tuple[Any, ...]]:
        """Tuples, streamed: for the hot paths that read many rows."""
        raise NotImplementedError

    def execute(self, sql: str, params: Params = None) -> int:
        """Run one statement; returns the affected row count."""
        raise NotImplementedError

    def insert(self, sql: str, params: Params = None) -> int:
        """Run an ``INSERT … RETURNING id`` and return the id."""
        rows = self.query(sql, params)
        return int(rows[0]["id"])

    def executemany(self, sql: str, seq: Iterable[Mapping[str, Any]]) -> None:
        raise NotImplementedError

    def insert_many(self, table: str, columns: Sequence[str], rows: Rows) -> None:
        """Insert rows given as tuples, their values in the order of ``columns``: a bulk load
        need not build a dict a row."""
        raise NotImplementedError

    def opener(self) -> Callable[[], Database] | None:
        """A way to open another connection to this store, for reads run in another thread at
        the same time as this connection's; None where there is no cheap one (inside a
        transaction, whose writes another connection would not see)."""
        return None

    def present(self, table: str, column: str, values: Sequence[Any]) -> set[Any]:
        """Which of ``values`` the column holds (one index look-up each, on an indexed one)."""
        params = {f"v{i}": value for i, value in enumerate(values)}
        if not params:
            return set()
        sql = f"SELECT {column} FROM {table} WHERE {column} IN ({placeholders(list(params))})"
        return {found for (found,) in self.rows(sql, params)}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; a transaction inside another joins it."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        else:
            self._commit()
        finally:
            self._depth = 0

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def one(self, sql: str, params: Params = None) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteDatabase(Database):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                # Private from the first byte: SQLite gives its -wal and -shm files the same mode.
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"Cannot open the store {path}: {exc}.") from None

    def query(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        cur = self._run(sql, params)
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def rows(self, sql: str, params: Params = None) -> Iterator[tuple[Any, ...]]:
        return iter(self._run(sql, params))

    def execute(self, sql: str, params: Params = None) -> int:
        return self._run(sql, params).rowcount

    def executemany(self, sql: str, seq: Iterable[Mapping[str, Any]]) -> None:
        try:
            self.conn.executemany(sql, seq)
        except sqlite3.Error as exc:
            raise StoreError(f"The store refused the write: {exc}.") from None

    def insert_many(self, table: str, columns: Sequence[str], rows: Rows) -> None:
        # Many rows a statement, positional ``?`` parameters: SQLite does a chunk's table and
        # index work in one step (a quarter less time than one statement a row), and sqlite3
        # binds values without a name look-up each.
        per = max(1, min(1000, SQLITE_MAX_VARIABLES // len(columns)))
        head = f"INSERT INTO {table} ({quoted(columns)}) VALUES "
        one = f"({', '.join('?' * len(columns))})"
        chunk: list[Sequence[Any]] = []
        try:
            for row in rows:
                chunk.append(row)
                if len(chunk) == per:
                    self.conn.execute(head + ", ".join([one] * per), [v for r in chunk for v in r])
                    chunk.clear()
            if chunk:
                self.conn.execute(
                    head + ", ".join([one] * len(chunk)), [v for r in chunk for v in r]
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The store refused the write: {exc}.") from None

    def opener(self) -> Callable[[], Database] | None:
        # WAL lets readers run side by side; a connection is opened in the thread that uses it.
        return None if self._depth else functools.partial(SqliteDatabase, self.path)

    def present(self, table: str, column: str, values: Sequence[Any]) -> set[Any]:
        # Positional parameters: binding a thousand by name costs more than the look-ups.
        if not values:
            return set()
        sql = f"SELECT {column} FROM {table} WHERE {column} IN ({', '.join('?' * len(values))})"
        return {found for (found,) in self._run(sql, values)}

    def _run(self, sql: str, params: Params | Sequence[Any]) -> sqlite3.Cursor:
        """One statement, its parameters by name (or by position, for ``?`` placeholders)."""
        try:
            return self.conn.execute(sql, params or {})
        except sqlite3.OperationalError as exc:
            raise StoreError(f"The store could not run a query: {exc}.") from None

    def _begin(self) -> None:
        self._run("BEGIN IMMEDIATE", None)  # take the write lock now: no upgrade deadlock

    def _commit(self) -> None:
        self.conn.execute("COMMIT")

    def _rollback(self) -> None:
        self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()


class SqlAlchemyDatabase(Database):
    """Any engine SQLAlchemy speaks to (PostgreSQL for a team), same SQL."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.exc import SQLAlchemyError

        self.url = url
        try:
            self.engine = create_engine(url)
            self.conn = self.engine.connect()
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"Cannot open the store {_safe(url)}: {exc}.") from None
        self.dialect = self.engine.dialect.name
        self._tx: Any = None

    def _run(self, sql: str, params: Params) -> tuple[list[Any], list[str], int]:
        """Rows, column names and row count, read before the statement's transaction ends."""
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        def run() -> tuple[list[Any], list[str], int]:
            result = self.conn.execute(text(sql), dict(params or {}))
            if result.returns_rows:
                return list(result), list(result.keys()), result.rowcount
            return [], [], result.rowcount

        try:
            if self._depth:
                return run()
            with self.conn.begin():
                return run()
        except SQLAlchemyError as exc:
            raise StoreError(f"The store could not run a query: {exc.orig or exc}.") from None

    def query(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        rows, names, _ = self._run(sql, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def rows(self, sql: str, params: Params = None) -> Iterator[tuple[Any, ...]]:
        return iter([tuple(r) for r in self._run(sql, params)[0]])

    def execute(self, sql: str, params: Params = None) -> int:
        return self._run(sql, params)[2]

    def executemany(self, sql: str, seq: Iterable[Mapping[str, Any]]) -> None:
        from sqlalchemy import text

        batch = [dict(p) for p in seq]
        if batch:
            with self.transaction():
                self.conn.execute(text(sql), batch)

    def insert_many(self, table: str, columns: Sequence[str], rows: Rows) -> None:
        sql = f"INSERT INTO {table} ({quoted(columns)}) VALUES ({placeholders(columns)})"
        self.executemany(sql, (dict(zip(columns, row, strict=True)) for row in rows))

    def _begin(self) -> None:
        self._tx = self.conn.begin()

    def _commit(self) -> None:
        self._tx.commit()

    def _rollback(self) -> None:
        self._tx.rollback()

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


def _safe(url: str) -> str:
    """A URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def is_url(target: str) -> bool:
    return "://" in target


def open_db(target: str | Path, migrate: bool = True) -> Database:
    """Open a path (SQLite) or a SQLAlchemy URL, bringing its schema up to date."""
    target = str(target)
    if is_url(target):
        if target.startswith("sqlite:///") and "?" not in target:
            db: Database = SqliteDatabase(Path(target.removeprefix("sqlite:///")))
        else:
            db = SqlAlchemyDatabase(target)
    else:
        db = SqliteDatabase(Path(target).expanduser())
    if migrate and schema_version(db) != SCHEMA_HEAD:
        from warmcall.store.migrations import upgrade

        upgrade(db)
    return db


@contextmanager
def alongside(db: Database, work: Callable[[Database], None]) -> Iterator[None]:
    """Run ``work`` on a second connection in another thread while the ``with`` body runs on
    ``db``: the database does both sets of reads at once, on two cores (the driver lets go of
    the interpreter while a query runs). Without a second connection, ``work`` runs first,
    here. The work's error, if any, is raised when the body is done."""
    opener = db.opener()
    if opener is None:
        work(db)
        yield
        return
    import threading

    failed: list[BaseException] = []

    def run() -> None:
        try:
            with opener() as other:
                work(other)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="warmcall-reader", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failed:
        raise failed[0]


def schema_version(db: Database) -> str | None:
    try:
        row = db.one("SELECT version_num FROM alembic_version")
    except StoreError:
        return None
    return row["version_num"] if row else None


def placeholders(names: Sequence[str]) -> str:
    return ", ".join(f":{n}" for n in names)


def quoted(columns: Iterable[str]) -> str:
    """Column names quoted: "window" is a reserved word in PostgreSQL (SQLite takes quotes too)."""
    return ", ".join(f'"{c}"' for c in columns)
