"""Shared fixtures: a real SQLite file in a temp dir, a fixed configuration, the real CLI."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from warmcall.config import Config
from warmcall.store.db import Database, open_db

# No deadlines: speed is measured in benchmarks/, and a shared two-core machine makes a
# timed example fail at random.
settings.register_profile("warmcall", deadline=None)
settings.load_profile("warmcall")

# No test writes to the real user's folders: a test that sets no home of its own (the core
# tests; the holidays cache among what they write) gets this one for the whole run.
os.environ.setdefault("WARMCALL_HOME", tempfile.mkdtemp(prefix="warmcall-tests-"))

MADRID = ZoneInfo("Europe/Madrid")
# Wednesday 25 November 2026, 07:50 in Madrid: the salesperson's morning.
NOW = datetime(2026, 11, 25, 7, 50, tzinfo=MADRID)
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

CONFIG_TOML = """\
timezone = "Europe/Madrid"
region = "ES"
"""


class ClockRead(AssertionError):
    """A test read the real clock: its outcome would depend on the day it runs."""


@pytest.fixture(autouse=True)
def no_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that reads the clock: ``warmcall.clock.utcnow`` is the one place it is
    read, so every time-dependent path must get ``now`` (or ``--at``) from the test."""

    def refuse() -> datetime:
        raise ClockRead("this test read the real clock; give it `now` or `--at`")

    monkeypatch.setattr("warmcall.clock.utcnow", refuse)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Each test starts in English, whatever language the one before it spoke."""
    from warmcall.render import i18n

    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The real clock, fixed at NOW: for the CLI's own checks against the present (a call
    cannot be logged in the future), never for a test's expectations."""
    monkeypatch.setattr("warmcall.clock.utcnow", lambda: NOW.astimezone(UTC))
    return NOW


@pytest.fixture
def config() -> Config:
    return Config(timezone="Europe/Madrid", region="ES")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warmcall.db"


# Core tests that use ``store`` run on SQLite, and on PostgreSQL too when this names a
# database they may wipe (.ci/run starts a server and sets it).
PG_URL = os.environ.get("WARMCALL_TEST_PG")


@pytest.fixture(params=["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def store(request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = open_db(db_path)
    else:
        from warmcall.store.db import SqlAlchemyDatabase

        with SqlAlchemyDatabase(str(PG_URL)) as fresh:
            fresh.execute("DROP SCHEMA public CASCADE")
            fresh.execute("CREATE SCHEMA public")
        db = open_db(str(PG_URL))
    yield db
    db.close()


def older_store(engine: str, tmp_path: Path, revision: str) -> tuple[Database, str]:
    """A store of ``engine`` as an older warmcall left it: migrated up to ``revision`` only
    (a file under ``tmp_path``, or the wiped PostgreSQL database), and its target to open."""
    from warmcall.store.db import connect
    from warmcall.store.migrations import upgrade

    if engine == "sqlite":
        target = str(tmp_path / "old.db")
        old = open_db(Path(target), migrate=False)
    else:
        target = str(PG_URL)
        old = connect(target)
        old.execute("DROP SCHEMA public CASCADE")
        old.execute("CREATE SCHEMA public")
    upgrade(old, revision)
    return old, target


SYSTEM_USER = "maria"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user whose config says Madrid and Spain, with the store in a temp dir."""
    base = tmp_path / "home"
    base.mkdir()
    (base / "config.toml").write_text(CONFIG_TOML)
    monkeypatch.setenv("WARMCALL_HOME", str(base))
    unset = ("WARMCALL_DB", "WARMCALL_CONFIG", "TZ", "NO_COLOR", "WARMCALL_DEBUG", "WARMCALL_REP")
    for var in unset:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LOGNAME", SYSTEM_USER)  # the rep by default: the system's user name
    monkeypatch.setenv("COLUMNS", "120")
    return base


@pytest.fixture
def cli(home: Path, frozen_clock: datetime) -> Callable[..., Result]:
    """Run the real CLI in-process; ``input`` feeds stdin."""
    from warmcall.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


def cli_on(engine: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI on a store of ``engine``: SQLite's default file (the ``home`` fixture's), or
    a wiped PostgreSQL team store named through WARMCALL_DB."""
    if engine == "postgresql":
        from warmcall.store.db import SqlAlchemyDatabase, open_db

        with SqlAlchemyDatabase(str(PG_URL)) as fresh:
            fresh.execute("DROP SCHEMA public CASCADE")
            fresh.execute("CREATE SCHEMA public")
        open_db(str(PG_URL)).close()  # the team's store exists, as SQLite's default reads as one
        monkeypatch.setenv("WARMCALL_DB", str(PG_URL))
    return engine
