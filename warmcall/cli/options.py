"""What every command shares: the store option, the clock, the configuration, the terminal."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from warmcall.config import Config
    from warmcall.store.db import Database

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="WARMCALL_DB",
        help="Store: a SQLite file path or a SQLAlchemy URL (default: the user data dir).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at", help="The moment to act as if it were (default: now).", show_default=False
    ),
]


def config() -> Config:
    from warmcall import config as cfg

    return cfg.load()


def open_store(db: str | None, writes: bool = True) -> Database:
    """The store the command names. A command that only reads (``writes=False``) never
    creates one: a mistyped ``--db`` is one sentence, not a new empty store; the default
    store, before anything was written, reads as empty. A writer that has to wait for
    another command says so once on a terminal."""
    from warmcall.config import default_db_path
    from warmcall.store.db import open_db, open_empty

    if not db and not writes and not default_db_path().exists():
        return open_empty()  # before the first lead: an empty answer, and no store made
    say = _say_waiting if sys.stderr.isatty() else None
    return open_db(db or default_db_path(), create=writes, on_wait=say)


def _say_waiting() -> None:
    typer.echo("Waiting for another warmcall command to finish with the store…", err=True)


def now(at: str | None, conf: Config) -> datetime:
    """The moment a command works at: ``--at`` read relative to the real clock, or now."""
    from warmcall.clock import utcnow

    real = utcnow().astimezone(conf.zone)
    if not at:
        return real
    from warmcall.timeparse import parse_when

    return parse_when(at, real, conf.zone, conf.day_first).at


def interactive() -> bool:
    """A person at a terminal who can answer questions."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def require(value: str | None, param: str, ask: str) -> str:
    """A required value: given, asked on a terminal, or a usage error (exit 2) without one."""
    if value:
        return value
    if interactive():
        from warmcall import prompts

        answer = prompts.text(ask)
        if answer:
            return answer
    raise typer.BadParameter(f"{param} is required.", param_hint=param)
