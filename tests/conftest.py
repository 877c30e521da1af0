"""Shared fixtures: a real SQLite file in a temp dir, a fixed configuration, the real CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from warmcall.config import Config
from warmcall.db import Database, open_db

MADRID = ZoneInfo("Europe/Madrid")
# Wednesday 25 November 2026, 07:50 in Madrid: the salesperson's morning.
NOW = datetime(2026, 11, 25, 7, 50, tzinfo=MADRID)
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

CONFIG_TOML = """\
timezone = "Europe/Madrid"
region = "ES"
"""


@pytest.fixture
def config() -> Config:
    return Config(timezone="Europe/Madrid", region="ES")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warmcall.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Database]:
    db = open_db(db_path)
    yield db
    db.close()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user whose config says Madrid and Spain, with the store in a temp dir."""
    base = tmp_path / "home"
    base.mkdir()
    (base / "config.toml").write_text(CONFIG_TOML)
    monkeypatch.setenv("WARMCALL_HOME", str(base))
    for var in ("WARMCALL_DB", "WARMCALL_CONFIG", "TZ", "NO_COLOR", "WARMCALL_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    return base


@pytest.fixture
def cli(home: Path) -> Callable[..., Result]:
    """Run the real CLI in-process; ``input`` feeds stdin."""
    from warmcall.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run
