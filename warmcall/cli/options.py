"""What every command shares: the store option, the clock, the configuration, the terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from warmcall.errors import InvalidData, UsageError

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


def open_store(db: str | None) -> Database:
    from warmcall.config import default_db_path
    from warmcall.store.db import open_db

    return open_db(db or default_db_path())


def now(at: str | None, conf: Config) -> datetime:
    """The moment a command works at: ``--at`` read relative to the real clock, or now."""
    from warmcall.clock import utcnow

    real = utcnow().astimezone(conf.zone)
    if not at:
        return real
    from warmcall.timeparse import parse_when

    with option_value():
        return parse_when(at, real, conf.zone, conf.day_first).at


@contextmanager
def option_value() -> Iterator[None]:
    """Reading a value given on the command line: one warmcall cannot read, or outside its
    vocabulary, is a usage error (exit 2, SPEC §6), with the reader's own sentence."""
    try:
        yield
    except InvalidData as exc:
        raise UsageError(str(exc)) from None


def text_encoding(name: str | None) -> str | None:
    """``--encoding``: a text encoding Python knows (``hex`` or ``base64`` are not), else a
    usage error."""
    if name is None:
        return None
    import codecs

    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UsageError(f"--encoding {name!r} is not a text encoding; try utf-8 or cp1252.")
    return name


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
