"""The connection to the store: one small interface, two drivers.

Every query in warmcall is portable SQL with ``:name`` parameters. On the default embedded
store it runs through the standard library's ``sqlite3`` (no SQLAlchemy import on the hot
path: ``warmcall next`` must answer in a blink); a SQLAlchemy URL (``postgresql://…``) runs the
same SQL through SQLAlchemy. The schema itself is declared with SQLModel in ``schema.py`` and
changed only by the Alembic migrations in ``migrations/``, applied here on open.

Both drivers behave alike: a driver's error becomes one of warmcall.errors' StoreError
classes with the same sentence on both; a writer takes the one write lock (BEGIN IMMEDIATE,
or an advisory lock on PostgreSQL) and waits for another writer instead of failing; rows
stream; text loses any NUL byte on the way in. Opening refuses what is not a warmcall store,
untouched, and a command that only reads never creates one.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from warmcall.errors import (
    NotAStore,
    StoreBusy,
    StoreCrossed,
    StoreDamaged,
    StoreError,
    StoreMissing,
    StoreRefused,
    StoreTooNew,
)

# The newest migration; a test checks that it is Alembic's head. When the stored version
# equals it, opening the store costs one SELECT and imports neither SQLAlchemy nor Alembic.
SCHEMA_HEAD = "0024"

# Stores made before this revision kept the suppression key and forgotten people's old rows
# in their files: the open that applies it compacts them once (``Database.scrub``).
SCRUBBED_SINCE = "0008"

# How long a forget on PostgreSQL waits for older transactions to end before it compacts
# the tables (``scrub``); past it, the tables are compacted all the same and the user told.
SCRUB_WAIT_S = 30.0
# The oldest transaction that writes, in any database, and whether another session of this
# one holds a snapshot (from before this statement's transaction began).
HORIZON = (
    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
    "EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL)"
)

# A writer that finds the store taken waits: first this long without a word, then (after
# telling the user, on a terminal) up to WAIT_LIMIT_S in all. A 250,000-row import holds the
# write lock for tens of seconds; a `call log` meanwhile waits for it instead of failing.
BUSY_TIMEOUT_S = 1.0
WAIT_LIMIT_S = 900.0
# Bound parameters one statement may hold (SQLite 3.32 and later; 999 before).
SQLITE_MAX_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
# The lengths an ``IN (…)`` list of values is padded to (its last value repeated): a list of
# any length is one of a few prepared statements, not one each.
IN_SIZES = (8, 64, 512)
T = TypeVar("T")
# The key of PostgreSQL's advisory lock that writers of the whole store take (a forget, a
# registry load, a migration), as BEGIN IMMEDIATE does on SQLite. A lead import, a call log,
# a claim and an assign do not: unique keys and row locks settle them (``transaction``).
PG_WRITE_LOCK = 0x7761726D63616C6C  # "warmcall"
SQLITE_HEADER = b"SQLite format 3\x00"
# A server-side cursor read a batch at a time (per statement: Connection.execution_options
# would change the connection for every later statement).
STREAM = {"yield_per": 2000}

Params = Mapping[str, Any] | None
Rows = Iterable[Sequence[Any]]  # each row's values in the order of a column list

__all__ = ["Database", "StoreError", "open_db", "quoted", "like_pattern", "safe_url"]


class Database:
    """The few operations the core needs, whatever the driver."""

    dialect: str
    url: str
    _depth = 0  # transactions open: only the outermost commits
    # Told once, when a writer first has to wait for another command (the CLI says so on a
    # terminal); the core never prints.
    on_wait: Callable[[], None] | None = None
    _told = False

    def query(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        raise NotImplementedError

    def rows(self, sql: str, params: Params = None) -> Iterator[tuple[Any, ...]]:
        """Tuples, streamed: for the hot paths that read many rows."""
        raise NotImplementedError

    def fetch(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Tuples, all at once: for a result known to be small (a batch's, a few sums). On
        PostgreSQL one round trip, where a stream's cursor takes three or four."""
        return list(self.rows(sql, params))

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

    def insert_new(
        self, table: str, columns: Sequence[str], rows: Rows, returning: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        """Insert rows given as tuples, skipping each that would repeat a value a unique index
        of the table holds (``ON CONFLICT DO NOTHING``: on PostgreSQL, one another transaction
        is still writing is waited for, then skipped if it stands). Returns the ``returning``
        columns of the rows inserted; the ones skipped are not in it."""
        found: list[tuple[Any, ...]] = []
        tail = f" ON CONFLICT DO NOTHING RETURNING {quoted(returning)}"
        for size, values in _chunked(rows, len(columns)):
            found.extend(self._insert_values(table, columns, size, values, tail))
        return found

    def _insert_values(
        self, table: str, columns: Sequence[str], size: int, values: list[Any], tail: str
    ) -> list[tuple[Any, ...]]:
        """One multi-row ``INSERT`` of ``size`` rows, their values one after the other."""
        raise NotImplementedError

    # Whether another thread may run statements on this connection while this one waits
    # for it to finish (never both at once): a bulk load overlaps its writes with its reads.
    handoff = False

    def opener(self) -> Callable[[], Database] | None:
        """A way to open another connection to this store, for reads run in another thread at
        the same time as this connection's; None where there is no cheap one (inside a
        transaction, whose writes another connection would not see)."""
        return None

    def present(self, table: str, column: str, values: Sequence[Any], where: str = "") -> set[Any]:
        """Which of ``values`` the column holds (one index look-up each, on an indexed one),
        in the rows that also meet ``where`` (SQL without parameters), if given."""
        params = {f"v{i}": value for i, value in enumerate(values)}
        if not params:
            return set()
        sql = (
            f"SELECT {quoted(column)} FROM {quoted(table)} "
            f"WHERE {quoted(column)} IN ({placeholders(list(params))})"
            + (f" AND {where}" if where else "")
        )
        return {found for (found,) in self.rows(sql, params)}

    def tables(self) -> set[str]:
        """The tables the store holds (its own and any other)."""
        raise NotImplementedError

    @contextmanager
    def transaction(self, exclusive: bool = True) -> Iterator[None]:
        """All or nothing; a transaction inside another joins it. The outermost one takes
        the store's write lock first (waiting for another writer), on every engine.

        ``exclusive=False`` is a writer that needs no lock for the whole store: on PostgreSQL
        it waits for no one but the writers of the same rows (``lock_row``; unique indexes
        and ``ON CONFLICT`` settle the rest), so a call log never waits for a colleague's
        import; SQLite has one writer at a time whatever is asked."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin(exclusive)
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

    @contextmanager
    def erasing(self) -> Iterator[None]:
        """What is deleted inside is overwritten, not only unlinked (SQLite's secure_delete,
        freed pages included); on PostgreSQL ``scrub`` does it after the commit."""
        yield

    def scrub(self, tables: Sequence[str] | None = None) -> bool:
        """After a commit that erased rows: make their old versions unreadable in the store's
        files. SQLite: a WAL checkpoint that truncates the log (``tables=None`` also VACUUMs,
        to clear what was deleted before secure_delete was on); PostgreSQL: ``VACUUM (FULL,
        ANALYZE)`` of the tables (all of the store's when None), which writes them anew and
        drops the old files. False when it could not be done now (another reader holds
        the log; a role that does not own the tables)."""
        return True

    def wait_for_writers(self) -> None:
        """Until the transactions writing now have ended (on PostgreSQL; up to WAIT_LIMIT_S):
        a command the server stopped because it crossed another (``StoreCrossed``) starts
        again once that one is done, and then sees its rows. SQLite has no such other."""

    def _waiting(self) -> None:
        if not self._told:
            self._told = True
            if self.on_wait:
                self.on_wait()

    def lock_row(self, table: str, row_id: int) -> None:
        """Inside a transaction: hold one row until it ends (PostgreSQL's ``FOR UPDATE``); a
        second writer of the same row waits for the first and then reads what it wrote. On
        SQLite the transaction already holds the whole store."""

    def _begin(self, exclusive: bool = True) -> None:
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


def _clean(value: Any) -> Any:
    """A value as the store may keep it: text without NUL (PostgreSQL refuses it, SQLite
    cuts text at it in places), everything else as given."""
    return value.replace("\x00", "") if type(value) is str and "\x00" in value else value


def _clean_params(params: Params | Sequence[Any]) -> Any:
    if not params:
        return {}
    if isinstance(params, Mapping):
        return {k: _clean(v) for k, v in params.items()}
    return [_clean(v) for v in params]


class SqliteDatabase(Database):
    dialect = "sqlite"
    # sqlite3 lets go of the interpreter while SQLite works: a statement run in another
    # thread leaves this one free to read and check the next rows.
    handoff = True

    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        self.checked = False  # its pages found sound (``check_pages``)
        _vet_file(path, create)
        try:
            if not path.exists():
                if not path.parent.exists():
                    _make_folder(path.parent)
                # Private from the first byte: SQLite gives its -wal and -shm files the same mode.
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            _heal_side_files(path)
            self.conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            # A deleted or rewritten row is zeroed in its page when that costs no more I/O
            # (only CPU): no old copy of a lead lingers in a page's free space.
            self.conn.execute("PRAGMA secure_delete = FAST")
        except OSError as exc:
            raise StoreError(
                "Cannot open the store {path}: {value}.", path=path, value=exc.strerror or exc
            ) from None
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, str(path)) from None

    def check_pages(self) -> None:
        """Refuse a damaged file before a command writes into it: SQLite's ``quick_check``
        reads every page (a zeroed index page included), about 4 ms a megabyte: 0.6 s on the
        benchmark's book of 100,000 leads and 1,000,000 calls, a few ms on a usual one. Too
        slow for every ``next``, so commands that write run it, and only on a file changed
        since warmcall last checked it or wrote and closed it (``_sealed``: its size and
        time of change, recorded); a read that meets a damaged page says so in the same
        sentence (``_sqlite_error``)."""
        if _sealed(self.path):
            self.checked = True
            return
        rows = self._wait_for(lambda: self.conn.execute("PRAGMA quick_check(1)").fetchall())
        if rows != [("ok",)]:
            found = str(rows[0][0]) if rows else ""
            raise damaged(str(self.path), found.splitlines()[-1] if found else "")
        self.checked = True

    def prepare(self) -> None:
        """Settings that change the file: only once it is known to be a warmcall store."""
        self._run("PRAGMA journal_mode = WAL", None)
        self._run("PRAGMA synchronous = NORMAL", None)

    def query(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        cur = self._run(sql, params)
        names = [d[0] for d in cur.description or ()]
        try:
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, str(self.path)) from None

    def rows(self, sql: str, params: Params = None) -> Iterator[tuple[Any, ...]]:
        return _streamed(self._run(sql, params), str(self.path))

    def execute(self, sql: str, params: Params = None) -> int:
        return self._run(sql, params).rowcount

    def executemany(self, sql: str, seq: Iterable[Mapping[str, Any]]) -> None:
        batch = [_clean_params(p) for p in seq]
        self._wait_for(lambda: self.conn.executemany(sql, batch))

    def insert_many(self, table: str, columns: Sequence[str], rows: Rows) -> None:
        # Many rows a statement, positional ``?`` parameters: SQLite does a chunk's table and
        # index work in one step (a quarter less time than one statement a row), and sqlite3
        # binds values without a name look-up each. A chunk has one of a few sizes only
        # (``_chunk_sizes``): each size is a prepared statement sqlite3 keeps in its cache
        # (up to 128), half a megabyte for 500 rows, so a size a batch made the store's
        # memory grow with the file (60 MB more at 400,000 rows) and compiled each anew.
        for size, values in _chunked(rows, len(columns)):
            self._insert_values(table, columns, size, values, "")

    def _insert_values(
        self, table: str, columns: Sequence[str], size: int, values: list[Any], tail: str
    ) -> list[tuple[Any, ...]]:
        one = f"({', '.join('?' * len(columns))})"
        sql = f"INSERT INTO {quoted(table)} ({quoted(columns)}) VALUES " + ", ".join([one] * size)
        return self._wait_for(lambda: self.conn.execute(sql + tail, values).fetchall())

    def opener(self) -> Callable[[], Database] | None:
        # WAL lets readers run side by side; a connection is opened in the thread that uses it.
        return None if self._depth else functools.partial(SqliteDatabase, self.path, False)

    def present(self, table: str, column: str, values: Sequence[Any], where: str = "") -> set[Any]:
        # Positional parameters: binding a thousand by name costs more than the look-ups.
        # A few list sizes only (the last value repeated), as for inserts: each size is a
        # statement sqlite3 prepares and keeps.
        found: set[Any] = set()
        for chunk in padded_chunks(values):
            sql = (
                f"SELECT {quoted(column)} FROM {quoted(table)} "
                f"WHERE {quoted(column)} IN ({', '.join('?' * len(chunk))})"
                + (f" AND {where}" if where else "")
            )
            found.update(value for (value,) in self._run(sql, chunk))
        return found

    def tables(self) -> set[str]:
        return {
            name
            for (name,) in self._run(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                None,
            )
        }

    def _run(self, sql: str, params: Params | Sequence[Any]) -> sqlite3.Cursor:
        """One statement, its parameters by name (or by position, for ``?`` placeholders)."""
        values = _clean_params(params)
        return self._wait_for(lambda: self.conn.execute(sql, values))

    def _wait_for(self, step: Callable[[], Any]) -> Any:
        """Run ``step``; while another connection holds the write lock, wait for it (telling
        the user once) instead of failing, up to WAIT_LIMIT_S."""
        waited = 0.0
        while True:
            try:
                return step()
            except sqlite3.Error as exc:
                if not _busy(exc) or waited >= WAIT_LIMIT_S:
                    error = _sqlite_error(exc, str(self.path))
                    if isinstance(error, StoreDamaged):
                        self.checked = False  # never sealed as sound
                    raise error from None
                self._waiting()
                waited += BUSY_TIMEOUT_S
            except OverflowError:
                raise out_of_range() from None

    @contextmanager
    def erasing(self) -> Iterator[None]:
        self._run("PRAGMA secure_delete = ON", None)
        try:
            yield
        finally:
            self._run("PRAGMA secure_delete = FAST", None)

    def scrub(self, tables: Sequence[str] | None = None) -> bool:
        assert not self._depth, "scrub runs after the commit"
        if tables is None:
            self._run("VACUUM", None)
        busy, _, _ = self._run("PRAGMA wal_checkpoint(TRUNCATE)", None).fetchone()
        return busy == 0

    def _begin(self, exclusive: bool = True) -> None:
        self._run("BEGIN IMMEDIATE", None)  # take the write lock now: no upgrade deadlock

    def _commit(self) -> None:
        self._wait_for(lambda: self.conn.execute("COMMIT"))

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()
        if self.checked:  # sound when opened; what changed since is this command's
            _seal(self.path)


# --- the pages checked ---------------------------------------------------------------------
# A store file warmcall found sound (``quick_check``), or wrote and closed after finding it
# so, with what it looked like then: its device, inode, size and time of change, and no
# write-ahead log left. A file that still looks so is not read through again before a write.
# A change within ``SEAL_SETTLE_NS`` of the seal could keep the time (a file system whose
# clock ticks coarsely): the seal waits that long after the file's last change. A file
# smaller than ``SEAL_FROM_BYTES`` is checked before every write (in a few milliseconds).
SEAL_SETTLE_NS = 20_000_000
SEAL_FROM_BYTES = 8 << 20
SEAL_KEPT = 64  # store files remembered


def _looks(path: Path) -> list[int] | None:
    """The file as a seal records it, or None when a write-ahead log holds pages not in it
    or the file is small enough to check every time."""
    try:
        found = path.stat()
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            return None
    except OSError:
        return None
    if found.st_size < SEAL_FROM_BYTES:
        return None
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns]


def _seals_path() -> Path:
    from warmcall.places import cache_dir

    return cache_dir() / "checked-stores.json"


def _seals() -> dict[str, list[int]]:
    import json

    try:
        found = json.loads(_seals_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _sealed(path: Path) -> bool:
    """Whether the file looks as it did when warmcall last found it sound."""
    looks = _looks(path)
    return looks is not None and _seals().get(str(path.resolve())) == looks


def _seal(path: Path) -> None:
    """Record the file as sound as it looks now (best effort: a read-only home only costs
    the check next time)."""
    import json
    import tempfile
    import time

    from warmcall.privacy import private_folder

    looks = _looks(path)
    if looks is None:
        return
    wait = looks[3] + SEAL_SETTLE_NS - time.time_ns()
    if wait > 0:
        time.sleep(min(wait, SEAL_SETTLE_NS) / 1e9)
        if _looks(path) != looks:  # changed meanwhile: not ours to vouch for
            return
    seals = _seals()
    seals.pop(key := str(path.resolve()), None)
    seals[key] = looks  # the newest last: the oldest are forgotten first
    kept = dict(list(seals.items())[-SEAL_KEPT:])
    target = _seals_path()
    try:
        private_folder(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".checked-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(kept, fh)
        os.replace(tmp, target)
    except OSError:
        pass


def padded_chunks(values: Sequence[T]) -> Iterator[list[T]]:
    """``values`` for ``IN (…)`` lists: chunks of at most ``IN_SIZES[-1]``, each padded to
    the next of ``IN_SIZES`` with its last value repeated (which changes no ``IN``)."""
    for start in range(0, len(values), IN_SIZES[-1]):
        chunk = list(values[start : start + IN_SIZES[-1]])
        size = next(n for n in IN_SIZES if n >= len(chunk))
        yield chunk + chunk[-1:] * (size - len(chunk))


def _chunked(rows: Rows, width: int) -> Iterator[tuple[int, list[Any]]]:
    """Rows of ``width`` values for multi-row INSERTs: each chunk's size (one of
    ``_chunk_sizes``) and its values one after the other, text without NUL."""
    sizes = _chunk_sizes(width)
    chunk: list[Sequence[Any]] = []

    def flat(size: int) -> tuple[int, list[Any]]:
        values = [
            v.replace("\x00", "") if type(v) is str and "\x00" in v else v
            for r in chunk[:size]
            for v in r
        ]
        del chunk[:size]
        return size, values

    for row in rows:
        chunk.append(row)
        if len(chunk) == sizes[0]:
            yield flat(sizes[0])
    for size in sizes:  # what is left, in the largest sizes that fit
        while len(chunk) >= size:
            yield flat(size)


def _chunk_sizes(width: int) -> tuple[int, ...]:
    """Rows a multi-row INSERT of ``width`` columns takes, largest first: 500 (fewer when
    the bound parameters would pass SQLite's limit), then half of it, and so on down to 1;
    any count of rows is a few statements of these sizes."""
    sizes = [max(1, min(500, SQLITE_MAX_VARIABLES // width))]
    while sizes[-1] > 1:
        sizes.append(sizes[-1] // 2)
    return tuple(sizes)


def _streamed(cur: sqlite3.Cursor, where: str) -> Iterator[tuple[Any, ...]]:
    """A cursor's rows, a damaged page met on the way said as a sentence."""
    try:
        # Not ``yield from``: closing this generator late (``lead export | head``) would close
        # the cursor of a closed database ("Cannot operate on a closed database").
        for row in cur:  # noqa: UP028
            yield row
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, where) from None


def _quiet_driver() -> None:
    """SQLAlchemy's pool logs, as errors, what it could not tidy up after a lost connection
    ("Exception during reset or similar"); with no handler of the program's own, Python's
    last resort prints it on stderr after the command's sentence. The sentence already says
    what happened: the pool's log goes nowhere (a program that sets up its own logging,
    WARMCALL_DEBUG included, still gets it through the root logger)."""
    import logging

    log = logging.getLogger("sqlalchemy.pool")
    if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
        log.addHandler(logging.NullHandler())


# PostgreSQL's JIT compiles a query whose estimated cost passes ``jit_above_cost``: worth it
# for a long analytical scan, not for ours, which walk indexes and answer in milliseconds to
# a second. On a team's book (a million leads, ten million calls) the compilation alone took
# 0.4 s of a report's 1 s query; off for warmcall's sessions (unless the URL sets options).
SESSION_OPTIONS = "-c jit=off"


def _session_options(url: str) -> dict[str, str]:
    """The libpq ``options`` warmcall's PostgreSQL sessions start with (none for a URL that
    gives its own ``options``, or another engine)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # create_engine says what is wrong with the URL
        return {}
    if parsed.get_backend_name() != "postgresql" or "options" in parsed.query:
        return {}
    return {"options": SESSION_OPTIONS}


class SqlAlchemyDatabase(Database):
    """Any engine SQLAlchemy speaks to (PostgreSQL for a team), same SQL."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.exc import SQLAlchemyError

        _quiet_driver()
        self.url = url
        try:
            self.engine = create_engine(sqlalchemy_url(url), connect_args=_session_options(url))
            self.conn = self.engine.connect()
        except (ImportError, ValueError) as exc:  # no driver; a port that is not a number
            raise StoreError(
                "Cannot open the store {url}: {exc}.",
                url=safe_url(url),
                exc=scrub(str(exc), url).rstrip("."),
            ) from None
        except SQLAlchemyError as exc:
            raise _sqlalchemy_error(exc, url, opening=True) from None
        self.dialect = self.engine.dialect.name
        self._tx: Any = None

    def prepare(self) -> None:
        pass

    def role(self) -> str:
        """The database role this connection acts as."""
        try:
            return str(self.one("SELECT current_user AS role")["role"])  # type: ignore[index]
        except StoreError:  # inside a transaction that failed: the name it connected with
            import getpass

            return self._user() or os.environ.get("PGUSER") or getpass.getuser()

    def _user(self) -> str | None:
        """The role named when connecting, if the URL names one."""
        return self.engine.url.username

    def schema(self) -> str:
        """The schema new tables go to: the first of the search path that exists and may be
        used, else the first it names (``public`` by default)."""
        try:
            row = self.one("SELECT current_schema() AS s, current_setting('search_path') AS p")
        except StoreError:
            return "public"
        if row and row["s"]:
            return str(row["s"])
        named = [p.strip().strip('"') for p in str(row["p"] if row else "").split(",")]
        return next((p for p in named if p and p != "$user"), "public")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            yield
        except SQLAlchemyError as exc:
            raise _sqlalchemy_error(exc, self.url, db=self) from None
        except OverflowError:
            raise out_of_range() from None

    def _run(self, sql: str, params: Params) -> tuple[list[Any], list[str], int]:
        """Rows, column names and row count, read before the statement's transaction ends."""
        from sqlalchemy import text

        def run() -> tuple[list[Any], list[str], int]:
            result = self.conn.execute(text(sql), _clean_params(params))
            if result.returns_rows:
                return list(result), list(result.keys()), result.rowcount
            return [], [], result.rowcount

        with self._errors():
            if self._depth:
                return run()
            with self.conn.begin():
                return run()

    def query(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        rows, names, _ = self._run(sql, params)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def fetch(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._run(sql, params)[0]]

    def rows(self, sql: str, params: Params = None) -> Iterator[tuple[Any, ...]]:
        """Streamed through a server-side cursor, a batch at a time: memory does not grow with
        the table. Outside a transaction the stream has a connection of its own, so that the
        caller may run other statements while it reads."""
        from sqlalchemy import text

        statement, values = text(sql), _clean_params(params)
        with self._errors():
            if self._depth:
                result = self.conn.execute(statement, values, execution_options=STREAM)
                for row in result:
                    yield tuple(row)
                return
            with self.engine.connect() as conn, conn.begin():
                result = conn.execute(statement, values, execution_options=STREAM)
                for row in result:
                    yield tuple(row)

    def execute(self, sql: str, params: Params = None) -> int:
        return self._run(sql, params)[2]

    def executemany(self, sql: str, seq: Iterable[Mapping[str, Any]]) -> None:
        from sqlalchemy import text

        batch = [_clean_params(p) for p in seq]
        if batch:
            with self.transaction(), self._errors():
                self.conn.execute(text(sql), batch)

    def insert_many(self, table: str, columns: Sequence[str], rows: Rows) -> None:
        sql = f"INSERT INTO {quoted(table)} ({quoted(columns)}) VALUES ({placeholders(columns)})"
        self.executemany(sql, (dict(zip(columns, row, strict=True)) for row in rows))

    def _insert_values(
        self, table: str, columns: Sequence[str], size: int, values: list[Any], tail: str
    ) -> list[tuple[Any, ...]]:
        width = len(columns)
        rows = (
            "(" + ", ".join(f":p{r * width + c}" for c in range(width)) + ")" for r in range(size)
        )
        sql = f"INSERT INTO {quoted(table)} ({quoted(columns)}) VALUES {', '.join(rows)}{tail}"
        found, _, _ = self._run(sql, {f"p{i}": v for i, v in enumerate(values)})
        return [tuple(row) for row in found]

    def tables(self) -> set[str]:
        if self.dialect == "postgresql":
            sql = (
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
        return {name for (name,) in self.rows(sql)}

    def scrub(self, tables: Sequence[str] | None = None) -> bool:
        assert not self._depth, "scrub runs after the commit"
        if self.dialect != "postgresql":
            return True
        import time

        from sqlalchemy.exc import OperationalError

        names = sorted(self.tables() if tables is None else tables)
        files = "SELECT pg_relation_filenode(CAST(:t AS regclass)) AS node"
        before = [self.one(files, {"t": quoted(t)}) for t in names]
        with self._errors(), self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")  # VACUUM's own
            # VACUUM (FULL) copies a deleted row that an open transaction may still see
            # (one in this database, or any that writes, in any database): wait for every
            # transaction begun before the erase to end, then rewrite.
            (after_erase,) = conn.exec_driver_sql(
                "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
            ).one()
            waiting, clear = time.monotonic() + SCRUB_WAIT_S, False
            while not clear and time.monotonic() < waiting:
                oldest, readers = conn.exec_driver_sql(HORIZON).one()
                clear = oldest >= after_erase and not readers
                if not clear:
                    time.sleep(0.2)
            # a reader that holds a table keeps VACUUM (FULL) from locking it: not forever
            left = max(waiting - time.monotonic(), 0) + 1
            conn.exec_driver_sql(f"SET lock_timeout = '{int(left * 1000)}ms'")
            try:
                conn.exec_driver_sql(f"VACUUM (FULL, ANALYZE) {quoted(names)}")
            except OperationalError as exc:
                if _sqlstate(exc.orig) != "55P03":  # lock_not_available
                    raise
                return False
        # a role that does not own a table is only warned, and the table left as it was
        after = [self.one(files, {"t": quoted(t)}) for t in names]
        return clear and all(b != a for b, a in zip(before, after, strict=True))

    def wait_for_writers(self) -> None:
        if self.dialect != "postgresql":
            return
        import time

        now_writing = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS x"
        oldest = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS x"
        after = self.one(now_writing)["x"]  # type: ignore[index]
        until = time.monotonic() + WAIT_LIMIT_S
        while self.one(oldest)["x"] < after and time.monotonic() < until:  # type: ignore[index]
            self._waiting()
            time.sleep(0.1)

    def lock_row(self, table: str, row_id: int) -> None:
        if self.dialect == "postgresql":
            self.execute(
                f"SELECT id FROM {quoted(table)} WHERE id = :id FOR UPDATE", {"id": row_id}
            )

    def _begin(self, exclusive: bool = True) -> None:
        self._tx = self.conn.begin()
        try:
            if exclusive:
                self.write_lock()
        except BaseException:
            self._tx.rollback()
            raise

    def write_lock(self) -> None:
        """On PostgreSQL, the store's one write lock until the transaction ends: the second
        of two imports waits, then sees the first's rows (what BEGIN IMMEDIATE does on
        SQLite)."""
        if self.dialect != "postgresql":
            return
        with self._errors():
            if not self._scalar("SELECT pg_try_advisory_xact_lock(:k)", {"k": PG_WRITE_LOCK}):
                self._waiting()
                self._scalar("SELECT pg_advisory_xact_lock(:k)", {"k": PG_WRITE_LOCK})

    def _scalar(self, sql: str, params: Params) -> Any:
        """One value, on the transaction being begun (``_begin``: not yet ``_depth``)."""
        from sqlalchemy import text

        return self.conn.execute(text(sql), params).scalar()

    def _commit(self) -> None:
        with self._errors():
            self._tx.commit()

    def _rollback(self) -> None:
        self._tx.rollback()

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


# The URL schemes warmcall serves through psycopg2 itself (``PgDatabase``); any other goes
# through SQLAlchemy.
PSYCOPG_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgresql+psycopg2://")
# ``:name`` parameters, as SQLAlchemy's ``text()`` finds them (not ``::type``, nor ``\:``).
_NAMED = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


@functools.lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """Our SQL with the driver's ``%(name)s`` parameters (a literal ``%`` doubled)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%")).replace("\\:", ":")


def libpq_url(url: str) -> str:
    """A PostgreSQL URL of ours as libpq (psycopg2 itself) reads it: without a driver name."""
    return "postgresql://" + url.split("://", 1)[1]


def sqlalchemy_url(url: str) -> str:
    """A PostgreSQL URL as SQLAlchemy reads it with the driver warmcall installs (psycopg2),
    whichever of our schemes it was given with; any other URL as it is."""
    for scheme in PSYCOPG_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg2://" + url[len(scheme) :]
    return url


class PgDatabase(SqlAlchemyDatabase):
    """PostgreSQL through psycopg2 itself, the same SQL and the same sentences as through
    SQLAlchemy, without importing it: SQLAlchemy and its PostgreSQL dialect took 0.35 s of
    every command's start (a third of a ``call log`` on a team's store). psycopg2, not
    psycopg 3: it imports in 20 ms where psycopg 3 took 85 to 110 ms (its asyncio, its error
    classes, its version read from the installed packages' metadata), at the start of every
    rep's every command. Migrations and ``scrub`` (rare) open a ``SqlAlchemyDatabase``,
    which Alembic needs."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        # A second connection for the rows streamed outside a transaction, each stream a
        # cursor of its own in one read transaction while any is open (``_streams``).
        self._side: Any = None
        self._streams = 0
        # Outside a transaction each statement is its own (one round trip, not BEGIN, the
        # statement and COMMIT); ``_begin`` turns that off until the transaction ends.
        self.conn = self._connect(autocommit=True)

    def _connect(self, autocommit: bool = False) -> Any:
        libpq = libpq_url(self.url)
        try:
            from urllib.parse import parse_qs, urlsplit

            import psycopg2

            own = "options" in parse_qs(urlsplit(libpq).query)  # a URL's own options are kept
            conn = psycopg2.connect(libpq, **({} if own else {"options": SESSION_OPTIONS}))
            conn.autocommit = autocommit
            return conn
        except (ImportError, ValueError) as exc:  # no driver; a port that is not a number
            raise StoreError(
                "Cannot open the store {url}: {exc}.",
                url=safe_url(self.url),
                exc=scrub(str(exc), self.url).rstrip("."),
            ) from None
        except psycopg2.Error as exc:
            raise _driver_error(exc, self.url, opening=True) from None

    def _user(self) -> str | None:
        return self.conn.info.user or None

    @contextmanager
    def _errors(self) -> Iterator[None]:
        import psycopg2

        try:
            yield
        except psycopg2.Error as exc:
            raise _driver_error(exc, self.url, db=self, invalidated=_broken(self.conn)) from None
        except OverflowError:
            raise out_of_range() from None

    def _run(self, sql: str, params: Params) -> tuple[list[Any], list[str], int]:
        with self._errors(), self.conn.cursor() as cur:
            cur.execute(_pyformat(sql), _clean_params(params))
            names = [d.name for d in cur.description or ()]
            return (cur.fetchall() if cur.description else []), names, cur.rowcount

    def rows(self, sql: str, params: Params = None) -> Iterator[tuple[Any, ...]]:
        """Streamed through a server-side cursor, as ``SqlAlchemyDatabase.rows``: outside a
        transaction on a second connection, kept for the next stream. Streams open at once
        (one read inside another's loop) share it: its transaction ends with the last."""
        query, values = _pyformat(sql), _clean_params(params)
        with self._errors():
            if self._depth:
                yield from self._stream(self.conn, query, values)
                return
            if self._side is None or self._side.closed:
                self._side = self._connect()
            conn = self._side
            self._streams += 1
            try:
                yield from self._stream(conn, query, values)
            finally:
                # a stream left unread (closed early) ends no other: the transaction ends
                # with the last, rolled back if a statement failed in it
                self._streams -= 1
                if not self._streams and not conn.closed:
                    from psycopg2.extensions import TRANSACTION_STATUS_INERROR

                    if conn.get_transaction_status() == TRANSACTION_STATUS_INERROR:
                        conn.rollback()
                    else:
                        conn.commit()

    _cursors = itertools.count()  # a name each: one stream may run inside another

    def _stream(self, conn: Any, query: str, values: Any) -> Iterator[tuple[Any, ...]]:
        import psycopg2

        cur = conn.cursor(name=f"warmcall_rows_{next(self._cursors)}")
        try:
            cur.itersize = STREAM["yield_per"]
            cur.execute(query, values)
            # Not ``yield from``: a stream closed early would close the cursor itself first,
            # and psycopg2 refuses to close one whose transaction has ended.
            for row in cur:  # noqa: UP028
                yield row
        finally:
            # a stream left unread ended with its transaction, and the cursor with it
            with contextlib.suppress(psycopg2.ProgrammingError):
                cur.close()

    def executemany(self, sql: str, seq: Iterable[Mapping[str, Any]]) -> None:
        batch = [_clean_params(p) for p in seq]
        if batch:
            query = _pyformat(sql)
            with self.transaction(), self._errors(), self.conn.cursor() as cur:
                # A page of statements a round trip, not one each (what psycopg2.extras'
                # execute_batch does; that module costs 10 ms to import, at every plan's claims
                # and every call log's pickup rows).
                for start in range(0, len(batch), EXECUTE_PAGE):
                    page = batch[start : start + EXECUTE_PAGE]
                    cur.execute(b";".join(cur.mogrify(query, params) for params in page))

    def scrub(self, tables: Sequence[str] | None = None) -> bool:
        with SqlAlchemyDatabase(self.url) as full:
            return full.scrub(tables)

    def _scalar(self, sql: str, params: Params) -> Any:
        return self._run(sql, params)[0][0][0]

    def _begin(self, exclusive: bool = True) -> None:
        # psycopg2 begins the transaction with its first statement (the connection is idle:
        # every statement outside one was its own)
        self.conn.autocommit = False
        try:
            if exclusive:
                self.write_lock()
        except BaseException:
            self._rollback()
            raise

    def _commit(self) -> None:
        with self._errors():
            try:
                self.conn.commit()
            finally:
                self._end()

    def _rollback(self) -> None:
        self._end()

    def _end(self) -> None:
        """The transaction over, whatever became of it (rolled back if still open), and the
        connection back to a statement at a time; nothing to do on a lost one."""
        from psycopg2.extensions import TRANSACTION_STATUS_IDLE

        if not self.conn.closed:
            if self.conn.get_transaction_status() != TRANSACTION_STATUS_IDLE:
                self.conn.rollback()
            self.conn.autocommit = True

    def close(self) -> None:
        for conn in (self._side, self.conn):
            if conn is not None:
                conn.close()


# Statements ``executemany`` sends to the server in one round trip.
EXECUTE_PAGE = 200


def _sqlstate(orig: Any) -> str:
    """The SQLSTATE of a PostgreSQL driver's error ('' for none): psycopg2's ``pgcode``."""
    return getattr(orig, "pgcode", None) or getattr(orig, "sqlstate", None) or ""


def _broken(conn: Any) -> bool:
    """Whether psycopg2's connection was lost (its ``closed`` is 2), not closed by us (1)."""
    return bool(conn.closed == 2)


# --- one sentence for one kind of failure, whatever the engine --------------------------------


def _sentence(kind: str, where: str, detail: str = "") -> StoreError:
    """One sentence for one kind of failure, the same on every engine; each is written out
    here (not in a table) so that the catalogue finds it and the edge can translate it."""
    detail = detail.rstrip(".")
    if kind == "damaged":
        return damaged(where, detail)
    if kind == "busy":
        return StoreBusy(
            "Another warmcall command kept the store {where} busy for too long; "
            "try again when it has finished.",
            where=where,
        )
    if kind == "crossed":
        return StoreCrossed(
            "Another warmcall command was writing the same leads at the same moment in "
            "{where}; nothing of this one was kept: run it again.",
            where=where,
        )
    if kind == "readonly":
        return StoreError(
            "The store {where} is read-only for this user; warmcall cannot write to it.",
            where=where,
        )
    if kind == "full":
        return StoreError("The disk that holds the store {where} is full.", where=where)
    if kind == "missing":
        return StoreRefused("The store refused the write: a required value is missing.")
    if kind == "duplicate":
        return StoreRefused(
            "The store refused the write: it already holds a record with that value."
        )
    if kind == "reference":
        return StoreRefused(
            "The store refused the write: it names a lead, call or follow-up that does not exist."
        )
    if kind == "rule":
        return StoreRefused("The store refused the write: a value breaks one of its rules.")
    if kind == "range":
        return out_of_range()
    if kind == "schema":
        return StoreError(
            "The store {where} lacks a table or column this warmcall needs; "
            "it may have been changed by another program.",
            where=where,
        )
    if kind == "cantopen":
        return StoreError("Cannot open the store {where}: {detail}.", where=where, detail=detail)
    if kind == "lost":
        return StoreError(
            "The connection to the store {where} was lost ({detail}); what the command had "
            "not finished was not kept.",
            where=where,
            detail=detail,
        )
    return StoreError(
        "The store {where} could not run a query: {detail}.", where=where, detail=detail
    )


def out_of_range() -> StoreRefused:
    return StoreRefused("The store refused the write: a number or date is beyond what it can keep.")


def damaged(where: str, detail: str = "") -> StoreDamaged:
    why = f" ({detail.rstrip('.')})" if detail else ""
    if "://" in where:
        return StoreDamaged(
            "The store {where} is damaged{why}; restore it from a backup of the database.",
            where=where,
            why=why,
        )
    return StoreDamaged(
        "The store {where} is damaged{why}; restore it from a backup, or "
        "rescue what it still holds with: sqlite3 {where} .recover | sqlite3 "
        "recovered.db",
        where=where,
        why=why,
    )


def _busy(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc)


def _sqlite_error(exc: sqlite3.Error, where: str) -> StoreError:
    name = getattr(exc, "sqlite_errorname", "") or ""
    message = str(exc)
    if _busy(exc):
        kind = "busy"
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in message:
        kind = "damaged"
    elif name.startswith("SQLITE_READONLY") or "readonly" in message:
        kind = "readonly"
    elif name.startswith("SQLITE_FULL"):
        kind = "full"
    elif name == "SQLITE_CONSTRAINT_NOTNULL":
        kind = "missing"
    elif name in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
        kind = "duplicate"
    elif name == "SQLITE_CONSTRAINT_FOREIGNKEY":
        kind = "reference"
    elif name.startswith("SQLITE_CONSTRAINT") or isinstance(exc, sqlite3.IntegrityError):
        kind = "rule"
    elif name == "SQLITE_TOOBIG" or "too large" in message:
        kind = "range"
    elif message.startswith(("no such table", "no such column")):
        kind = "schema"
    elif name.startswith("SQLITE_CANTOPEN"):
        kind = "cantopen"
    else:
        kind = "other"
    return _sentence(kind, where, message)


# PostgreSQL's SQLSTATE codes, by the same kinds.
_PG_KINDS = {
    "55P03": "busy",
    "40P01": "crossed",
    "40001": "crossed",
    "XX001": "damaged",
    "XX002": "damaged",
    "25006": "readonly",
    "42501": "readonly",
    "53100": "full",
    "23502": "missing",
    "23505": "duplicate",
    "23503": "reference",
    "22003": "range",
    "22008": "range",
    "42P01": "schema",
    "42703": "schema",
}


def _sqlalchemy_error(
    exc: Exception, url: str, opening: bool = False, db: SqlAlchemyDatabase | None = None
) -> StoreError:
    """The sentence for a driver's error on the store at ``url``: no password in it, whatever
    the driver said."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error):
        return _sqlite_error(orig, safe_url(url))
    invalidated = bool(getattr(exc, "connection_invalidated", False))
    return _driver_error(orig or exc, url, opening, db, invalidated)


def _driver_error(
    orig: Exception,
    url: str,
    opening: bool = False,
    db: SqlAlchemyDatabase | None = None,
    invalidated: bool = False,
) -> StoreError:
    """The sentence for a PostgreSQL driver's error (psycopg2's, through SQLAlchemy or not)."""
    where = safe_url(url)
    exc = orig
    code = _sqlstate(orig)
    diag = getattr(orig, "diag", None)
    detail = getattr(diag, "message_primary", None) or str(orig or exc).split("\n", 1)[0]
    detail = scrub(detail, url)
    denied = re.fullmatch(r"permission denied for (?:table|sequence|relation) (.+)", detail)
    if code == "42501" and denied and db is not None:  # a rep's role without rights on a table
        role, schema = db.role(), db.schema()
        return _denied(
            "The PostgreSQL role {role} may not use the table {table} of {where}; an "
            "administrator can allow it with: GRANT SELECT, INSERT, UPDATE, DELETE ON ALL "
            "TABLES IN SCHEMA {schema_sql} TO {role_sql}; GRANT USAGE, SELECT ON ALL "
            "SEQUENCES IN SCHEMA {schema_sql} TO {role_sql};",
            role=role,
            table=denied[1],
            where=where,
            schema_sql=sql_name(schema),
            role_sql=sql_name(role),
        )
    kind = _PG_KINDS.get(code)
    if kind is None:
        if not opening and (code.startswith(("08", "57P")) or invalidated):
            kind = "lost"  # the server went away or ended the connection mid-command
        elif code.startswith("23"):
            kind = "rule"
        elif code.startswith("22"):
            kind = "range"
        elif opening or code.startswith("08"):
            kind = "cantopen"
        else:
            kind = "other"
    return _sentence(kind, where, detail)


# --- opening: refuse what is not a warmcall store, never create on a read ---------------------


def _vet_file(path: Path, create: bool) -> None:
    """Refuse, before SQLite touches it, a path that cannot be a warmcall store."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if not create:
            raise StoreMissing(
                "There is no warmcall store at {path}; check --db (or WARMCALL_DB), or start "
                "one with warmcall lead import FILE or warmcall lead add NAME.",
                path=path,
            ) from None
        return
    except OSError as exc:
        raise StoreError(
            "Cannot open the store {path}: {value}.", path=path, value=exc.strerror or exc
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise NotAStore(
            "{path} is a folder, not a warmcall store; name a file with --db.", path=path
        )
    if not stat.S_ISREG(info.st_mode):
        raise NotAStore(
            "{path} is not a warmcall store (it is not a regular file); warmcall "
            "left it untouched.",
            path=path,
        )
    if info.st_size == 0:
        return  # a store warmcall has just created (or is creating): made on first open
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(
            "Cannot open the store {path}: {value}.", path=path, value=exc.strerror or exc
        ) from None
    if header != SQLITE_HEADER:
        raise NotAStore(
            "{path} is not a warmcall store (it is not a SQLite database); "
            "warmcall left it untouched.",
            path=path,
        )


def _make_folder(folder: Path) -> None:
    """The store's folder and any missing above it, private: only their owner may list or
    enter what warmcall creates (folders that already exist keep their mode)."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700, exist_ok=True)
        os.chmod(made, 0o700)  # mkdir's mode is filtered by the umask


def _heal_side_files(path: Path) -> None:
    """A -wal or -shm left read-only (the store was read while read-only, then made writable
    again) would keep every later open failing: give them the store's own mode back."""
    if not os.access(path, os.W_OK):
        return
    mode = stat.S_IMODE(path.stat().st_mode) & 0o666
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        try:
            if side.exists() and (stat.S_IMODE(side.stat().st_mode) & 0o200) == 0:
                os.chmod(side, mode | 0o600)
        except OSError:
            pass


# A SQLAlchemy URL, read warily: the password is all between the user's ``:`` and the last
# ``@`` before the query (SQLAlchemy stops at the first ``@``: a password typed with an ``@``
# in it must not half-show).
_URL = re.compile(
    r"(?P<scheme>[^:/?]*)://(?:(?P<user>[^:/?]*)(?::(?P<password>[^?]*))?@)?(?P<rest>[^?]*)"
    r"(?:\?(?P<query>.*))?",
    re.DOTALL,
)
# Query parameters that carry a secret (libpq's and the drivers' names).
SECRET_PARAMS = frozenset({"password", "passwd", "pwd", "sslpassword", "pass"})
HIDDEN = "***"


def safe_url(url: str, drop_secrets: bool = False) -> str:
    """A store's URL as it may be shown: without the password of ``user:password@``, and with
    ``***`` for the value of a ``?password=`` (or any secret parameter), or without that
    parameter at all with ``drop_secrets`` (a URL to type again: a .pgpass or PGPASSWORD then
    gives the password). A path as it is."""
    found = _URL.fullmatch(url) if "://" in url else None
    if found is None:
        return url
    from urllib.parse import unquote

    user = found["user"]
    shown = f"{found['scheme']}://" + (f"{user}@" if user is not None else "") + found["rest"]
    if found["query"] is not None:
        params = []
        for param in found["query"].split("&"):
            key, eq, value = param.partition("=")
            hidden = eq and value and unquote(key).strip().lower() in SECRET_PARAMS
            if not (hidden and drop_secrets):
                params.append(f"{key}={HIDDEN}" if hidden else param)
        shown += "?" + "&".join(params) if params else ""
    return shown


def _secrets(url: str) -> list[str]:
    """The secrets a URL holds, as typed and percent-decoded: what no message may repeat."""
    found = _URL.fullmatch(url) if "://" in url else None
    if found is None:
        return []
    from urllib.parse import unquote

    values = [found["password"] or ""]
    for param in (found["query"] or "").split("&"):
        key, _eq, value = param.partition("=")
        if unquote(key).strip().lower() in SECRET_PARAMS:
            values.append(value)
    return sorted({v for raw in values for v in (raw, unquote(raw)) if v}, key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """``text`` (a driver's message) with the URL shown safe and its secrets hidden."""
    text = text.replace(url, safe_url(url))
    for secret in _secrets(url):  # as a whole word: a password "2" leaves 127.0.0.1 alone
        text = re.sub(rf"(?<!\w){re.escape(secret)}(?!\w)", HIDDEN, text)
    return text


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_file(target: str | Path) -> Path | None:
    """The file a SQLite store lives in (a path or a ``sqlite:///`` URL); None for a server."""
    target = str(target)
    if not is_url(target):
        return Path(target).expanduser()
    if target.startswith("sqlite:///"):
        name = target.removeprefix("sqlite:///").split("?", 1)[0]
        return Path(name).expanduser() if name and name != ":memory:" else None
    return None


def in_memory(target: str) -> bool:
    """A store that SQLite keeps in memory: gone, with all it holds, when the command ends
    (``sqlite://``, ``sqlite:///:memory:``, ``:memory:``, ``?mode=memory``)."""
    if not is_url(target):
        return target.strip() in (":memory:", "file::memory:")
    scheme, rest = target.split("://", 1)
    if not scheme.lower().startswith("sqlite"):
        return False
    path, _q, query = rest.partition("?")
    return path.strip("/") in ("", ":memory:", "file::memory:") or "mode=memory" in query


def connect(target: str | Path, create: bool = True) -> Database:
    """A connection to a path (SQLite) or a SQLAlchemy URL, its schema as it is. A store that
    would keep nothing once the command ends is refused."""
    target = str(target)
    if in_memory(target):
        raise StoreError(
            "The store {target} would live in memory and keep nothing once the command "
            "ends; name a file (--db PATH) or a database URL.",
            target=target,
        )
    if is_url(target):
        if target.startswith("sqlite:///") and "?" not in target:
            return SqliteDatabase(Path(target.removeprefix("sqlite:///")), create)
        if target.startswith(PSYCOPG_SCHEMES):
            return PgDatabase(target)
        return SqlAlchemyDatabase(target)
    return SqliteDatabase(Path(target).expanduser(), create)


def open_db(
    target: str | Path,
    migrate: bool = True,
    create: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> Database:
    """Open a path (SQLite) or a SQLAlchemy URL, bringing its schema up to date.

    ``create=False`` (commands that only read) refuses a store that does not exist yet. A
    file or database that holds something else is refused and left untouched; a store
    made by a newer warmcall is refused with a sentence saying so. ``on_wait`` is told once
    if a write (the first migration included) has to wait for another command.
    """
    db = connect(target, create)
    db.on_wait = on_wait
    try:
        version = schema_version(db)
        if version != SCHEMA_HEAD:
            version = vet(db, version)
            if version is None and not create:  # an empty file or database: not made on a read
                raise StoreMissing(
                    "There is no warmcall store in {where} yet; start one with "
                    "warmcall lead import FILE or warmcall lead add NAME.",
                    where=_where(db),
                )
        if create and isinstance(db, SqliteDatabase):
            db.check_pages()
        db.prepare()  # type: ignore[attr-defined]
        if migrate and version != SCHEMA_HEAD:
            from warmcall.store.migrations import applies

            compact = version is not None and applies(version, SCRUBBED_SINCE)
            _migrate(db)
            if compact:
                db.scrub()  # the moved key, and people forgotten before: gone from the files
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: Database) -> None:
    """Bring the store's schema up to date; a failure is the store's sentence, never SQL."""
    from sqlalchemy.exc import SQLAlchemyError

    from warmcall.store.migrations import upgrade

    try:
        upgrade(db)
    except SQLAlchemyError as exc:
        raise _setup_error(db, exc) from None


def _setup_error(db: Database, exc: Exception) -> StoreError:
    """Why a store could not be made or upgraded. A PostgreSQL role that may not create
    tables in the schema (PostgreSQL 15's default on ``public`` for all but its owner) is
    told what it lacks and the GRANT an administrator runs."""
    orig = getattr(exc, "orig", None)
    if isinstance(db, SqliteDatabase) and isinstance(orig, sqlite3.Error):
        return _sqlite_error(orig, str(db.path))
    diag = getattr(orig, "diag", None)
    detail = getattr(diag, "message_primary", None) or ""
    code = _sqlstate(orig)
    denied = re.fullmatch(r"permission denied for schema (.+)", detail)
    if isinstance(db, SqlAlchemyDatabase) and (
        (code == "42501" and denied) or code == "3F000"  # no USAGE: no schema to create in
    ):
        role, schema = db.role(), denied[1] if denied else db.schema()
        return _denied(
            "The PostgreSQL role {role} may not create tables in the schema {schema} of "
            "{where}, so warmcall cannot set up its store there; an administrator can allow "
            "it with: GRANT USAGE, CREATE ON SCHEMA {schema_sql} TO {role_sql};",
            role=role,
            schema=schema,
            where=_where(db),
            schema_sql=sql_name(schema),
            role_sql=sql_name(role),
        )
    return _sqlalchemy_error(exc, db.url, db=db if isinstance(db, SqlAlchemyDatabase) else None)


def _denied(message: str, /, **facts: object) -> StoreError:
    """A store the role may not use: said as such, never taken for a missing store."""
    error = StoreError(message, **facts)
    error.denied = True  # type: ignore[attr-defined]
    return error


def sql_name(name: str) -> str:
    """A name as SQL takes it in a statement to copy: plain when it can be, else quoted."""
    return name if re.fullmatch(r"[a-z_][a-z0-9_$]*", name) else quoted(name)


class _Passing(SqliteDatabase):
    """A store in a temporary folder of its own, removed with it on close."""

    def close(self) -> None:
        import shutil

        super().close()
        shutil.rmtree(self.path.parent, ignore_errors=True)


def open_empty() -> Database:
    """An empty store that is gone once closed: what a read command shows before the user's
    first lead, without creating the user's store."""
    import tempfile

    db = _Passing(Path(tempfile.mkdtemp(prefix="warmcall-")) / "empty.db")
    try:
        db.prepare()
        from warmcall.store.migrations import upgrade

        upgrade(db)
    except BaseException:
        db.close()
        raise
    return db


def _where(db: Database) -> str:
    return str(db.path) if isinstance(db, SqliteDatabase) else safe_url(db.url)


def vet(db: Database, version: str | None) -> str | None:
    """Refuse a store this warmcall must not migrate: another program's tables, or a schema
    revision it does not know (a newer warmcall made it). Returns the store's version."""
    where = _where(db)
    if version is None:
        others = db.tables() - {"alembic_version"}
        if not others:
            return None  # a new store
        # Tables but no version: another program's, unless another warmcall command has just
        # made this store (its tables and version appear together, in one transaction).
        version = schema_version(db)
        if version is None:
            raise NotAStore(
                "{where} is not a warmcall store (it holds other tables, such as "
                "{table!r}); warmcall left it untouched. Name another with --db.",
                where=where,
                table=sorted(others)[0],
            )
    from warmcall.store.migrations import known_revisions

    if version in known_revisions():
        return version
    if version.isdigit():
        raise StoreTooNew(
            "The store {where} was made by a newer warmcall (schema {version}; "
            "this one knows up to {known}); upgrade warmcall to use it.",
            where=where,
            version=version,
            known=SCHEMA_HEAD,
        )
    raise NotAStore(
        "{where} is not a warmcall store (another program's schema); warmcall "
        "left it untouched. Name another with --db.",
        where=where,
    )


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
    """The store's migration revision; None for a store without one (new, or not ours). A
    damaged file says so here, before anything else reads it."""
    try:
        row = db.one("SELECT version_num FROM alembic_version")
    except (StoreDamaged, StoreBusy):
        raise
    except StoreError as exc:
        if getattr(exc, "denied", False):  # there, but not for this role: say so
            raise
        return None
    return row["version_num"] if row else None


def placeholders(names: Sequence[str]) -> str:
    return ", ".join(f":{n}" for n in names)


def quoted(names: str | Iterable[str]) -> str:
    """Identifiers quoted for built SQL, the one way warmcall does it: "window" is a reserved
    word in PostgreSQL, and a quote inside a name is doubled. One name, or a comma-separated
    list of them."""
    if isinstance(names, str):
        return '"' + names.replace('"', '""') + '"'
    return ", ".join(quoted(n) for n in names)


def like_pattern(text: str, before: str = "%", after: str = "%") -> str:
    """A LIKE pattern that finds ``text`` literally (``50%`` finds only ``50%``): use it with
    ``LIKE :p ESCAPE '\\'`` (LIKE_ESCAPE), the same on SQLite and PostgreSQL."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{before}{escaped}{after}"


LIKE_ESCAPE = "ESCAPE '\\'"
